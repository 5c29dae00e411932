"""Scoring commands: score, risks, assess, portfolio.

Thin: load the accounts and kam.yaml (now, or as they were at a git revision), call the model
(`kam_tui.model.evaluate`, `assess`, `portfolio`, `timetravel`), print. An invalid kam.yaml is
refused (exit 1): its defaults are never used in its place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from kam_tui.cli.output import OK, clean, note, print_json, table
from kam_tui.cli.selection import (
    SEVERITY_RANK,
    add_all,
    add_filters,
    first_ids,
    flag_matches,
    importance,
    select,
)
from kam_tui.model.risks import share_hint, share_of
from kam_tui.store.repository import AccountNotFound, Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.

RISK_ROWS = 50  # flags `kam risks` lists in text before "… and N more" (--all lists all)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "score",
        help="scores, tiers and risk flags; one account's breakdown",
        intermixed=True,
        description=(
            "Score every account (or one) with the scorecard in kam.yaml. --at scores "
            "the repository as it was at a git revision or date (a date means the end of that "
            "day); --since says, for each tier change since then, whether the data or the rules "
            "changed (a date means the start of that day). Dates are in the local time zone."
        ),
    )
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument(
        "--explain", action="store_true", help="each dimension's inputs, points, weight and why (also in --json)"
    )
    p.add_argument("--at", metavar="REF", help="score the repository as it was at REF (revision, or the end of a date)")
    p.add_argument("--since", metavar="REF", help="explain tier changes since REF (revision, or the start of a date)")
    add_filters(p)
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("risks", help="every risk flag: code, severity and the figures behind it")
    add_filters(p)
    add_all(p)
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_risks)

    p = sub.add_parser("assess", help="keep or cut? the three questions and a recommendation")
    p.add_argument("id", metavar="ID")
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser("portfolio", help="concentration, tiers, moves, risks and the key-account matrix")
    add_all(p)
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_portfolio)


def _today_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", metavar="DATE", type=_date, help="score as of this day (YYYY-MM-DD) instead of today")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


# --- loading: now, or at a revision ---------------------------------------------------------


def _repo(args: argparse.Namespace) -> Repository:
    return Repository.find(args.repo)


def _load_now(args: argparse.Namespace) -> Any:
    from kam_tui.store.snapshot import load_now

    return load_now(_repo(args), args.today)


def _load_at(args: argparse.Namespace, ref: str, start_of_day: bool = False) -> Any:
    from kam_tui.store.snapshot import load_at

    return load_at(_repo(args), ref, args.today, start_of_day=start_of_day)


def _evaluate(snap: Any) -> list[Any]:
    """Every account of the snapshot scored as one portfolio (the GC paused while it is built)."""
    from kam_tui.model.evaluate import evaluate_facts
    from kam_tui.store.gcpause import bulk

    with bulk():
        return evaluate_facts(snap.facts, snap.settings.scoring, snap.today)


def _filtered(args: argparse.Namespace) -> bool:
    return bool(args.risk or args.owner or args.stage or args.tier or args.severity)


def _skipped_note(snapshot: Any) -> None:
    if snapshot.skipped:
        note(f"{snapshot.skipped} account file(s) skipped because of errors; run `kam validate` for details")


def _find(evaluations: list[Any], account_id: str, args: argparse.Namespace) -> Any:
    for e in evaluations:
        if e.id == account_id:
            return e
    if not getattr(args, "at", None):  # now: say why the file was left out, with its lines
        loaded = Repository.find(args.repo).load_account(account_id)  # AccountNotFound if no file
        for problem in loaded.problems:
            print(clean(problem.render()), file=sys.stderr)
        raise AccountNotFound(f"{loaded.rel} has errors, so it is not scored; fix them first (`kam validate`)")
    raise AccountNotFound(f"no account '{account_id}' at {args.at}")


# --- kam score --------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    if args.since:
        return _score_since(args)
    snap = _load_at(args, args.at) if args.at else _load_now(args)
    evaluations = _evaluate(snap)
    if args.id:
        evaluations = [_find(evaluations, args.id, args)]
    else:
        evaluations = select(evaluations, snap.owners, args)
    if args.json:
        if args.id:
            print_json(evaluations[0].as_json())
        else:  # the breakdown of every dimension only when asked: it is most of the output
            print_json([e.as_json(dimensions=args.explain) for e in evaluations])
    elif args.id or args.explain:
        for index, e in enumerate(evaluations):
            if index:
                print()
            _print_breakdown(e, snap.names.get(e.id, ""), args.explain)
    else:
        _print_scores(evaluations)
        where = "" if snap.label == "now" else f" at {snap.label}"
        note(f"{len(evaluations)} account(s) scored as of {snap.today.isoformat()}{where}")
    _skipped_note(snap)
    return OK


def _fmt_score(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"


def _print_scores(evaluations: list[Any]) -> None:
    rows = sorted(evaluations, key=lambda e: (-(e.score if e.score is not None else -1), e.id))
    table(
        [
            [
                e.id,
                _fmt_score(e.score),
                e.tier_label(long=True),
                "key" if e.key_account else "",
                ", ".join(e.risk_codes),
            ]
            for e in rows
        ],
        ["ID", "SCORE", "TIER", "VOLUME", "RISKS"],
    )
    if any(e.override for e in evaluations):
        note("* tier set by tier_override (its reason is in the account file); drift shows the computed tier")
    if any(e.key_account for e in evaluations):
        note(f"key: key account by volume, a share of {share_of(evaluations[0].config)}")
        if evaluations[0].config.company_sales is None:
            note(f"hint: {share_hint()}")


def _print_breakdown(e: Any, name: str, explain: bool) -> None:
    print(f"{clean(name)}  ({e.id})" if name else e.id)
    share = f" · key account by volume ({e.share:.0%} of {share_of(e.config)})" if e.key_account else ""
    coverage = "" if e.coverage >= 0.999 else f" · data for {e.coverage:.0%} of the weight"
    print(
        f"score {_fmt_score(e.score)} · tier {e.tier_label(long=True)}{share}{coverage} · as of {e.today.isoformat()}"
    )
    if e.key_account and e.config.company_sales is None:
        note(f"hint: {share_hint()}")
    if e.override:
        o = e.override
        who = ", ".join(x for x in (o.by, o.date.isoformat() if o.date else "") if x)
        drift = f" — drift: the score says {e.computed_tier}" if e.drift else ""
        print(f"override {o.tier}: {clean(o.reason)}{f' ({clean(who)})' if who else ''}{drift}")
    if e.score is None:
        print(
            f"not scored: data for only {e.coverage:.0%} of the scorecard's weight "
            f"(tiers.min_coverage is {e.config.min_coverage:.0%})"
        )
    if e.policy:
        p = e.policy
        limit = "no cap" if p.credit_limit is None else f"{p.credit_limit:,.0f}"
        print(
            f"policy {p.tier}: discount {p.discount:.0%}, terms {'/'.join(p.payment_terms)}, "
            f"credit limit {limit}, visit every {p.visit_days} days, "
            f"complaints answered within {p.response_hours} h"
        )
    print()
    rows = []
    for d in e.dimensions():
        points = "–" if d.points is None else f"{d.points:.0f}"
        rows.append([d.name, f"{d.weight:g}", f"{d.share:.0%}" if d.points is not None else "–", points, d.why])
        if explain and d.inputs:
            rows.append(["", "", "", "", "inputs: " + ", ".join(f"{k}={_plain(v)}" for k, v in d.inputs.items())])
    table(rows, ["DIMENSION", "WEIGHT", "SHARE", "POINTS", "WHY"])
    if e.risks:
        print()
        table([[r.severity, r.code, r.why] for r in e.risks], ["RISK", "CODE", "WHY"])


def _plain(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return clean(value)


def _score_since(args: argparse.Namespace) -> int:
    from kam_tui.model.timetravel import tier_change, tier_of
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import read_accounts

    repo = _repo(args)
    old = _load_at(args, args.since, start_of_day=True)
    new = _load_at(args, args.at) if args.at else _load_now(args)
    before = {f.id: f for f in old.facts}
    after = {f.id: f for f in new.facts}
    if args.id and args.id not in before and args.id not in after:
        raise AccountNotFound(f"no account '{args.id}' now or at {args.since}")
    old_rules, new_rules = old.settings.scoring, new.settings.scoring
    with bulk():  # tiers from cached facts first: only the accounts that moved are read in full
        ids = [args.id] if args.id else sorted(set(before) | set(after))
        moved = [
            i
            for i in ids
            if args.id
            or tier_of(before.get(i), old_rules, old.today)[0] != tier_of(after.get(i), new_rules, new.today)[0]
        ]
        if not args.id and _filtered(args):  # the filters hold for the accounts as they are now
            keep = {e.id for e in select(_evaluate(new), new.owners, args)}
            moved = [i for i in moved if i in keep]
        old_accounts = read_accounts(repo, old, moved)
        new_accounts = read_accounts(repo, new, moved)
        changes = [
            tier_change(old_accounts.get(i), old_rules, old.today, new_accounts.get(i), new_rules, new.today)
            for i in moved
        ]
    shown = changes if args.id else [c for c in changes if c.changed]
    if args.json:
        data = [c.as_json() for c in shown]
        print_json(data[0] if args.id else data)
        return OK
    for c in shown:
        if c.id not in old_accounts or c.id not in new_accounts:
            what = "new account since then" if c.id not in old_accounts else "no longer in the repository"
            print(f"{c.id}: {c.before or '–'} → {c.after or '–'} — {what}")
            continue
        print(
            f"{c.id}: {c.before or '–'} → {c.after or '–'} (score {_fmt_score(c.score_before)} → "
            f"{_fmt_score(c.score_after)}) — {_cause_words(c.cause)}"
        )
        for label, rows in (("data", c.data_changes), ("rules", c.rule_changes)):
            for key, a, b in rows[:12]:
                print(
                    f"  {label:<5} {clean(key)}: {_plain(a) if a is not None else '–'} → "
                    f"{_plain(b) if b is not None else '–'}"
                )
            if len(rows) > 12:
                print(f"  {label:<5} … {len(rows) - 12} more")
        if c.cause == "both":
            print(
                f"  the new data under the old rules: {c.new_data_old_rules or '–'}; "
                f"the old data under the new rules: {c.old_data_new_rules or '–'}"
            )
    if not args.id:
        note(f"{len(shown)} tier change(s) since {old.label} ({old.today.isoformat()})")
    return OK


def _cause_words(cause: str) -> str:
    return {
        "none": "no tier change",
        "data": "the data changed",
        "rules": "the rules in kam.yaml changed",
        "both": "both the data and the rules changed",
        "time": "only the calendar moved (years together, stale surveys)",
    }[cause]


# --- kam risks ---------------------------------------------------------------------------


def cmd_risks(args: argparse.Namespace) -> int:
    snap = _load_now(args)
    evaluations = select(_evaluate(snap), snap.owners, args)
    flagged = [(e, r) for e in evaluations for r in e.risks if flag_matches(r, args)]
    if args.json:
        print_json([{"id": e.id, "tier": e.tier, **r.as_json()} for e, r in flagged])
        _skipped_note(snap)
        return OK
    flagged.sort(key=lambda x: (-SEVERITY_RANK[x[1].severity], importance(x[0]), x[1].code))
    shown = flagged if args.all else flagged[:RISK_ROWS]
    table([[e.id, r.code, r.severity, r.why] for e, r in shown], ["ID", "CODE", "SEVERITY", "WHY"])
    if len(shown) < len(flagged):
        print(f"… and {len(flagged) - len(shown):,} more (--all, or --json)")
    counts: dict[str, int] = {}
    for _, r in flagged:
        counts[r.code] = counts.get(r.code, 0) + 1
    if counts:
        note("by code: " + ", ".join(f"{code} {n:,}" for code, n in counts.items()))
    if any(r.figures.get("share_basis") == "repository" for _, r in flagged):
        note(f"hint: dependency shares are of this repository's accounts; {share_hint()}")
    accounts = len({e.id for e, _ in flagged})
    note(f"{len(flagged)} flag(s) on {accounts} of {len(evaluations)} account(s) as of {snap.today.isoformat()}")
    _skipped_note(snap)
    return OK


# --- kam assess --------------------------------------------------------------------------


def cmd_assess(args: argparse.Namespace) -> int:
    from kam_tui.model.assess import assess

    snap = _load_now(args)
    evaluation = _find(_evaluate(snap), args.id, args)
    result = assess(evaluation)
    if args.json:
        print_json(result.as_json())
        return OK
    name = snap.names.get(args.id, "")
    print(f"{clean(name)}  ({args.id}) · tier {evaluation.tier_label(long=True)} · as of {snap.today.isoformat()}")
    print()
    for number, answer in enumerate(result.answers, 1):
        print(f"{number}. {answer.question}")
        print(f"   {answer.answer.upper()} — {clean(answer.why)}")
    print()
    print(f"recommendation: {result.recommendation}")
    for reason in result.reasons:
        print(f"  - {clean(reason)}")
    return OK


# --- kam portfolio -----------------------------------------------------------------------


def cmd_portfolio(args: argparse.Namespace) -> int:
    from kam_tui.model.portfolio import QUADRANTS, portfolio_of
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import portfolio_moves

    repo = _repo(args)
    snap = _load_now(args)
    moves = portfolio_moves(repo, snap)
    with bulk():
        view = portfolio_of(snap.facts, snap.settings.scoring, snap.today, moves)
    if args.json:
        print_json(view.as_json())
        _skipped_note(snap)
        return OK
    rank = {e.id: importance(e) for e in view.evaluations}.__getitem__
    currency = snap.settings.currency
    top = "–" if view.top20_share is None else f"{view.top20_share:.0%}"
    hhi = "–" if view.herfindahl is None else f"{view.herfindahl:.3f}"
    print(
        f"{len(view.evaluations)} accounts · sales (last 12 months) {view.total_sales:,.0f} "
        f"{clean(currency)} · as of {snap.today.isoformat()}"
    )
    print(f"concentration: the top 20% of accounts give {top} of sales (20/80 rule) · Herfindahl {hhi}")
    print("tiers: " + ", ".join(f"{t} {n}" for t, n in view.tiers.items() if n or t != "unscored"))
    if view.moves_to:
        labels = {m.id: f"{m.id} {m.before or '–'}→{m.after or '–'}" for m in view.moves}
        ordered = sorted(labels, key=rank)
        moves_text = first_ids([labels[i] for i in ordered], args.all) or "none"
        print(f"tier moves {view.moves_from} → {view.moves_to} ({len(view.moves):,}): {moves_text}")
    print()
    table(
        [[code, str(len(ids)), first_ids(ids, args.all, rank)] for code, ids in view.risks.items() if ids],
        ["RISK", "ACCOUNTS", "IDS"],
    )
    print()
    print("key-account matrix (attractiveness × relationship strength):")
    rows = []
    for quadrant, (_, _, playbook, move) in QUADRANTS.items():
        members = [m.id for m in view.matrix if m.quadrant == quadrant]
        rows.append([quadrant, playbook, move, str(len(members)), first_ids(members, args.all, rank)])
    table(rows, ["QUADRANT", "PLAYBOOK", "MOVE", "N", "ACCOUNTS"])
    _skipped_note(snap)
    return OK
