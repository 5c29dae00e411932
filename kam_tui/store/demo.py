"""`kam demo`: a scratch repository from the shipped sample accounts, with a believable history.

The history is made through the same write path as `kam set`: each account enters at an
earlier state, then the story's changes are committed one by one, back-dated, by the
team member who would have made them. The end state is byte-identical to the shipped files.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kam_tui.i18n import N_, _, writing_in
from kam_tui.store import clock, gitcmd
from kam_tui.model.log import log_subject
from kam_tui.store.account_changes import describe, edit_text
from kam_tui.store.checklist_writes import attach, tick
from kam_tui.store.demo_history import LogEntry, log_entries, logged_at, peel
from kam_tui.store.init import first_commit_message, starter_files
from kam_tui.store.progress import tell
from kam_tui.store.setup import setup
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_dir
from kam_tui.store.transaction import FileChange, Transaction, WriteRefused
from kam_tui.store.yamlread import parse_bytes, value_at

TEAM = {
    "wang": "Wang Wei <wang.wei@example.com>",
    "li": "Li Na <li.na@example.com>",
    "zhang": "Zhang Min <zhang.min@example.com>",
    "chen": "Chen Jing <chen.jing@example.com>",
    "sarah": "Sarah Miller <sarah.miller@example.com>",
    "mike": "Mike Turner <mike.turner@example.com>",
}
LEAD = "wang"
# The sample accounts were written in 2026-Q4: their figures end in 2026-Q3, their visits in November.
# A demo built later moves every date and quarter of them by whole quarters, so the story is as
# recent on any day (`shift_quarters`); the story's steps and ticks, counted in days before the day
# the samples were written (moved as far), stay where they belong among the visits and figures.
WRITTEN_IN = (2026, 4)
WRITTEN_ON = dt.date(2026, 11, 30)
_DATE = re.compile(rb"\b((?:19|20|21)\d\d)-(\d\d)-(\d\d)\b")
_QUARTER = re.compile(rb"\b((?:19|20|21)\d\d)-Q([1-4])\b")
# The company behind the demo sells 120 M a year, so the 5 % rule (L212) marks accounts that really
# sell through 6 M or more as key by volume: jinding-trading, which stocks in 11.6 M but sells 4.8 M,
# is not one (unset, the share would be of the demo's own accounts and mark it key).
COMPANY_SALES = 120_000_000
_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Step:
    """On `days_ago`, `who` changed `key` of `account` from `before` to what the shipped file says."""

    days_ago: int
    who: str
    account: str
    key: tuple[str, ...]
    before: Any
    message: str | None = None
    playbook: str | None = None  # with a key: the change is attaching this playbook (staged exit)


@dataclass(frozen=True)
class Tick:
    """On `days_ago`, `who` ticked step `item` of an attached playbook (attaching it if need be)."""

    days_ago: int
    who: str
    account: str
    playbook: str
    item: str | None  # None: attach
    note: str | None = None


STORY = (
    Step(240, "chen", "changfeng-wholesale", ("stage",), "active"),
    Step(
        200,
        "li",
        "huayue-distribution",
        ("payment_terms",),
        "credit",
        N_("huayue: first step of credit → cash conversion, new orders part cash"),
    ),
    Step(
        210,
        "mike",
        "redwood-building-supply",
        ("payment_terms",),
        "credit",
        N_("redwood: credit → partial cash; overdue down for two quarters"),
    ),
    Step(190, "chen", "changfeng-wholesale", ("payment_terms",), "credit", N_("changfeng: stop credit sales")),
    Step(150, "sarah", "kingsway-appliances", ("owner",), "sarah", N_("kingsway: hand over to Mike")),
    Step(
        120,
        "zhang",
        "jinding-trading",
        ("stage",),
        "active",
        N_("jinding: stock-in far above sell-through, suspected diversion"),
    ),
    Step(96, "chen", "changfeng-wholesale", ("stage",), "at-risk", playbook="staged-exit"),
    Step(75, "wang", "sanjiang-auto", ("ratings", "relations"), 4),
    Step(60, "mike", "northstar-office", ("stage",), "exiting"),
    Step(41, "zhang", "bohai-hvac", ("ratings", "credit"), 4, N_("bohai: paid on time all year, credit rating up")),
    Step(
        12,
        "sarah",
        "meridian-retail",
        ("ratings", "network"),
        4,
        N_("meridian: closed 9 of its outlets, network rating down"),
    ),
)


TICKS = (
    Tick(230, "wang", "sanjiang-auto", "maintenance", None),
    Tick(226, "wang", "sanjiang-auto", "maintenance", "1", N_("contacts checked with purchasing")),
    Tick(205, "li", "sanjiang-auto", "maintenance", "2"),
    Tick(160, "wang", "sanjiang-auto", "maintenance", "3", N_("receivables confirmed with their finance")),
    Tick(90, "chen", "changfeng-wholesale", "staged-exit", "1", N_("margin negative two quarters running")),
    Tick(84, "chen", "changfeng-wholesale", "staged-exit", "2"),
    Tick(70, "chen", "changfeng-wholesale", "staged-exit", "3", N_("64 of 85 outlets supplied directly")),
    Tick(52, "zhang", "changfeng-wholesale", "staged-exit", "4"),
    Tick(37, "chen", "changfeng-wholesale", "staged-exit", "5"),
    Tick(68, "li", "qingyun-tech", "development", None),  # the day after the first visit, at the fair
    Tick(
        66, "li", "qingyun-tech", "development", "1", N_("annual potential ~1.5M: about 1% of company sales, below 5%")
    ),
    Tick(61, "li", "qingyun-tech", "development", "2", N_("gross margin about 21% on the trial order")),
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


def build_demo(dest: Path | None = None, now: dt.datetime | None = None, language: str = "en") -> Path:
    """Build the demo repository and return its path. In Chinese (`language="zh"`) it holds the
    Chinese sample accounts, the Chinese playbooks, and its history is written in Chinese.
    Built `now`, by default this moment on kam's today (`--today`, $KAM_TODAY)."""
    with writing_in(language):
        return _build(dest, now or _now(), language)


def _now() -> dt.datetime:
    """The time of day now, on the day kam takes as today (those move the day, never the hour)."""
    return dt.datetime.combine(clock.today(), dt.datetime.now().time().replace(microsecond=0))


def _build(dest: Path | None, now: dt.datetime, language: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix="kam-demo-")) if dest is None else dest.expanduser().resolve()
    if root.exists() and any(root.iterdir()):
        raise WriteRefused(_("{folder} is not empty; give `kam demo --path` a new or empty folder").format(folder=root))
    root.mkdir(parents=True, exist_ok=True)
    gitcmd.git(root, "init", "-q")
    if gitcmd.identity_problem(root):  # a fresh machine: let the user try edits at once
        gitcmd.git(root, "config", "user.name", "You (kam demo)")
        gitcmd.git(root, "config", "user.email", "you@example.com")
    repo = Repository(root)
    day = dt.timedelta(days=1)

    samples = {
        p.stem: raw for p in sorted(shipped_dir("accounts").glob("*.yaml")) if _speaks(raw := p.read_bytes(), language)
    }
    shift = quarters_to_shift(list(samples.values()), now.date())
    shipped = {stem: shift_quarters(raw, shift) for stem, raw in samples.items()}
    story = [
        s for s in STORY if s.account in shipped and _lookup(parse_bytes(shipped[s.account]).data, s.key) is not None
    ]
    anchor = min(now, dt.datetime.combine(_moved(WRITTEN_ON, shift), now.time()))  # what `days_ago` counts from
    timeline, created = _plan(shipped, story, now, anchor)
    start = min([now - 330 * day, *(when - 14 * day for when in created.values())])
    with Transaction(repo, TEAM[LEAD], _env(start)) as tx:
        tx.commit(
            [FileChange(rel, _with_company_sales(rel, data), None) for rel, data in starter_files(language).items()],
            first_commit_message(language),
        )
    ticks = [(anchor - dt.timedelta(days=t.days_ago, hours=-11), 0, "tick", t) for t in TICKS if t.account in shipped]
    events = sorted([*timeline, *ticks], key=lambda e: e[:2])
    for done, (when, _order, kind, what) in enumerate(events):
        tell(_("writing the demo's history"), done, len(events))
        if kind == "tick":
            _tick(repo, what, when)
        elif kind == "create":
            account_id, raw = what
            data = parse_bytes(raw).data
            who = data.get("owner") if data.get("owner") in TEAM else LEAD
            with Transaction(repo, TEAM[who], _env(when)) as tx:
                tx.commit(
                    [FileChange(f"accounts/{account_id}.yaml", raw, None)],
                    _("{id}: new account {name}").format(id=account_id, name=data.get("name")) + "\n",
                )
        elif kind == "figures":
            who, quarter, changes = what
            with Transaction(repo, TEAM[who], _env(when)) as tx:
                names = "\n".join(rel.rsplit("/", 1)[-1][:-5] for rel, _new, _old in changes)
                subject = _("{quarter}: figures").format(quarter=quarter)
                tx.commit([FileChange(rel, new, old) for rel, new, old in changes], f"{subject}\n\n{names}\n")
        elif kind == "log":
            who, subject, rel, after, before = what
            with Transaction(repo, TEAM[who], _env(when)) as tx:
                tx.commit([FileChange(rel, after, before)], subject + "\n")
        else:
            step, before, after = what
            rel = f"accounts/{step.account}.yaml"
            if step.playbook:
                attach(repo, step.account, step.playbook, author=TEAM[step.who], today=when.date(), env=_env(when))
                continue
            with Transaction(repo, TEAM[step.who], _env(when)) as tx:
                value = _lookup(parse_bytes(after).data, step.key)
                summary = describe(step.account, parse_bytes(before).data, [(step.key, value)])
                message = f"{_(step.message)}\n\n{summary}\n" if step.message else summary + "\n"
                tx.commit([FileChange(rel, after, before)], message)
    tell(_("writing the demo's history"), len(events), len(events))
    setup(repo)  # the demo clone's merge driver and hook, as `kam init` gives
    return root


Event = tuple[dt.datetime, int, str, Any]  # (when, order among an account's events, kind, what)


def _plan(
    shipped: dict[str, bytes], story: list[Step], now: dt.datetime, anchor: dt.datetime
) -> tuple[list[Event], dict[str, dt.datetime]]:
    """Every account's history as events: peeled backwards from its final file (log entries and
    story steps, newest first), then listed forwards. A quarter's figures of one owner are one commit;
    an account the team took on while using kam is added just before its first entry, the others
    when the team started."""
    day = dt.timedelta(days=1)
    events: list[Event] = []
    created: dict[str, dt.datetime] = {}
    figures: dict[tuple[dt.datetime, str, str], list[tuple[str, bytes, bytes]]] = {}
    for index, (account_id, final) in enumerate(shipped.items()):
        rel = f"accounts/{account_id}.yaml"
        mine: list[tuple[dt.datetime, Any]] = [(logged_at(entry, now), entry) for entry in log_entries(final)]
        mine += [
            (anchor - step.days_ago * day + 15 * dt.timedelta(hours=1), step)
            for step in story
            if step.account == account_id
        ]
        mine.sort(key=lambda e: e[0])
        backwards: list[tuple[dt.datetime, str, Any]] = []
        state, removed = final, {}  # type: ignore[var-annotated]
        for when, what in reversed(mine):
            if isinstance(what, LogEntry):
                before, path = peel(state, what, removed)
                data = parse_bytes(state).data
                who = data.get("owner") if data.get("owner") in TEAM else LEAD  # who followed the account then
                if what.name == "periods":
                    figures.setdefault((when, who, what.quarter), []).append((rel, state, before))
                else:
                    backwards.append(
                        (when, "log", (*_logged(account_id, what, path, data, before, who), rel, state, before))
                    )
            else:
                before = edit_text(rel, state, [(what.key, what.before)])[0]
                if before != state:
                    backwards.append((when, "story", (what, before, state)))
            state = before
        first = min((when for when, _what in mine), default=now)
        onboard = now - (320 - index * 4) * day + dt.timedelta(hours=10 + index % 6)
        since = _day_of(parse_bytes(final).data.get("since"))
        taken_on = since is None or dt.datetime.combine(since, dt.time()) >= onboard
        created[account_id] = first - day if taken_on else min(first - 7 * day, onboard)
        events.append((created[account_id], -1, "create", (account_id, state)))
        events += [(when, order, kind, what) for order, (when, kind, what) in enumerate(reversed(backwards))]
    events += [(when, 0, "figures", (who, quarter, changes)) for (when, who, quarter), changes in figures.items()]
    return events, created


def _logged(
    account_id: str, entry: LogEntry, path: tuple[Any, ...], data: Any, before: bytes, owner: str
) -> tuple[str, str]:
    """(who, commit subject) of a log entry, as `kam add` or `kam set` would have written it; a visit
    is logged by whoever made it."""
    if entry.key is not None:
        return owner, describe(account_id, parse_bytes(before).data, [(path, value_at(data, path))])
    item = value_at(data, path)
    by = item.get("by") if entry.name == "visits" and isinstance(item, dict) else None
    return (by if by in TEAM else owner), log_subject(account_id, entry.name, item)


def _day_of(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def quarters_to_shift(samples: list[bytes], today: dt.date) -> int:
    """Whole quarters from when the samples were written to `today`, fewer by one when a shifted
    date would still lie ahead (early in a quarter the last quarter's figures are not in yet)."""
    shift = (today.year - WRITTEN_IN[0]) * 4 + (today.month - 1) // 3 + 1 - WRITTEN_IN[1]
    latest = max((m.group(0).decode() for raw in samples for m in _DATE.finditer(raw)), default=None)
    if shift > 0 and latest is not None and _moved(dt.date.fromisoformat(latest), shift) > today:
        shift -= 1
    return shift


def _moved(day: dt.date, quarters: int) -> dt.date:
    months = day.year * 12 + day.month - 1 + 3 * quarters
    year, month = divmod(months, 12)
    last = (dt.date(year + (month == 11), (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def shift_quarters(raw: bytes, quarters: int) -> bytes:
    """A sample file with every date and every YYYY-Qn key `quarters` later (text edits only)."""
    if not quarters:
        return raw

    def date(m: re.Match[bytes]) -> bytes:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return m.group(0)
        return _moved(day, quarters).isoformat().encode()

    def quarter(m: re.Match[bytes]) -> bytes:
        index = int(m.group(1)) * 4 + int(m.group(2)) - 1 + quarters
        return b"%d-Q%d" % (index // 4, index % 4 + 1)

    return _QUARTER.sub(quarter, _DATE.sub(date, raw))


def _with_company_sales(rel: str, data: bytes) -> bytes:
    """kam.yaml with the demo company's annual sales in place of `company_sales: null`."""
    if rel != "kam.yaml":
        return data
    return re.sub(rb"(?m)^company_sales: null", b"company_sales: %d" % COMPANY_SALES, data, count=1)


def _speaks(raw: bytes, language: str) -> bool:
    """Every sample account is in the English demo; the Chinese demo has those with a Chinese name."""
    return language != "zh" or bool(_CJK.search(str(parse_bytes(raw).data.get("name", ""))))


def _tick(repo: Repository, planned: Tick, when: dt.datetime) -> None:
    if planned.item is None:
        attach(repo, planned.account, planned.playbook, author=TEAM[planned.who], today=when.date(), env=_env(when))
    else:
        tick(
            repo,
            planned.account,
            planned.playbook,
            planned.item,
            note=_(planned.note) if planned.note else None,
            author=TEAM[planned.who],
            today=when.date(),
            env=_env(when),
        )
