"""`kam demo`: a scratch repository from the shipped sample accounts, with a believable history.

The history is made through the same write path as `kam set`: each account enters at an
earlier state, then the story's changes are committed one by one, back-dated, by the
team member who would have made them. The end state is byte-identical to the shipped files.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam_tui.store import gitcmd
from kam_tui.store.changes import describe, edit_text
from kam_tui.store.init import starter_files
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_dir
from kam_tui.store.write import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import parse_bytes

TEAM = {
    "wang": "Wang Wei <wang.wei@example.com>",
    "li": "Li Na <li.na@example.com>",
    "zhang": "Zhang Min <zhang.min@example.com>",
    "chen": "Chen Jing <chen.jing@example.com>",
    "sarah": "Sarah Miller <sarah.miller@example.com>",
    "mike": "Mike Turner <mike.turner@example.com>",
}
LEAD = "wang"


@dataclass(frozen=True)
class Step:
    """On `days_ago`, `who` changed `key` of `account` from `before` to what the shipped file says."""

    days_ago: int
    who: str
    account: str
    key: tuple[str, ...]
    before: Any
    message: str | None = None


STORY = (
    Step(240, "chen", "changfeng-wholesale", ("stage",), "active"),
    Step(200, "li", "huayue-distribution", ("payment_terms",), "credit",
         "huayue: first step of credit → cash conversion, new orders part cash"),
    Step(210, "mike", "redwood-building-supply", ("payment_terms",), "credit",
         "redwood: credit → partial cash; overdue down for two quarters"),
    Step(190, "chen", "changfeng-wholesale", ("payment_terms",), "credit",
         "changfeng: stop credit sales (停止赊销)"),
    Step(150, "sarah", "kingsway-appliances", ("owner",), "sarah", "kingsway: hand over to Mike"),
    Step(120, "zhang", "jinding-trading", ("stage",), "active",
         "jinding: stock-in far above sell-through, suspected diversion (窜货)"),
    Step(96, "chen", "changfeng-wholesale", ("stage",), "at-risk"),
    Step(75, "wang", "sanjiang-auto", ("ratings", "relations"), 4),
    Step(60, "mike", "northstar-office", ("stage",), "exiting"),
    Step(41, "zhang", "bohai-hvac", ("ratings", "credit"), 4, "bohai: paid on time all year, credit rating up"),
    Step(12, "sarah", "meridian-retail", ("ratings", "network"), 4,
         "meridian: closed 9 of its outlets, network rating down"),
)


def _env(when: dt.datetime) -> dict[str, str]:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S+0800")
    return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def _lookup(data: Any, key: tuple[str, ...]) -> Any:
    for part in key:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def build_demo(dest: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Build the demo repository and return its path."""
    root = Path(tempfile.mkdtemp(prefix="kam-demo-")) if dest is None else dest.expanduser().resolve()
    if root.exists() and any(root.iterdir()):
        raise WriteRefused(f"{root} is not empty; give `kam demo --path` a new or empty folder")
    root.mkdir(parents=True, exist_ok=True)
    gitcmd.git(root, "init", "-q")
    if gitcmd.identity_problem(root, None):  # a fresh machine: let the user try edits at once
        gitcmd.git(root, "config", "user.name", "You (kam demo)")
        gitcmd.git(root, "config", "user.email", "you@example.com")
    repo = Repository(root)
    now = now or dt.datetime.now().replace(microsecond=0)
    day = dt.timedelta(days=1)

    with Transaction(repo, TEAM[LEAD], _env(now - 330 * day)) as tx:
        tx.commit([FileChange(rel, data, None) for rel, data in starter_files("en").items()],
                  "Start the key-account repository\n")

    shipped = {p.stem: p.read_bytes() for p in sorted(shipped_dir("accounts").glob("*.yaml"))}
    story = [s for s in STORY if s.account in shipped
             and _lookup(parse_bytes(shipped[s.account]).data, s.key) is not None]
    # Walk the story backwards from the shipped files to each account's first committed state.
    first = dict(shipped)
    for step in reversed(story):
        rel = f"accounts/{step.account}.yaml"
        first[step.account] = edit_text(rel, first[step.account], [(step.key, step.before)])[0]

    for index, (account_id, raw) in enumerate(first.items()):
        data = parse_bytes(raw).data
        who = data.get("owner") if data.get("owner") in TEAM else LEAD
        when = now - (320 - index * 4) * day + dt.timedelta(hours=10 + index % 6)
        with Transaction(repo, TEAM[who], _env(when)) as tx:
            tx.commit([FileChange(f"accounts/{account_id}.yaml", raw, None)],
                      f"{account_id}: new account {data.get('name')}\n")

    current = dict(first)
    for index, step in enumerate(story):
        rel = f"accounts/{step.account}.yaml"
        later = [s for s in story[index + 1:] if (s.account, s.key) == (step.account, step.key)]
        final = later[0].before if later else _lookup(parse_bytes(shipped[step.account]).data, step.key)
        if final == step.before:
            continue
        with Transaction(repo, TEAM[step.who], _env(now - step.days_ago * day + 15 * dt.timedelta(hours=1))) as tx:
            new_raw, doc = edit_text(rel, current[step.account], [(step.key, final)])
            summary = describe(step.account, doc.data, [(step.key, final)])
            message = f"{step.message}\n\n{summary}\n" if step.message else summary + "\n"
            tx.commit([FileChange(rel, new_raw, current[step.account])], message)
            current[step.account] = new_raw
    return root
