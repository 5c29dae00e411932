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
from kam_tui.store.repository import AccountNotFound, Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "score",
        help="scores, tiers and risk flags; one account's breakdown",
        intermixed=True,
        description=(
            "Score every account (or one) with the scorecard in kam.yaml. --at scores "
            "the repository as it was at a git revision or date; --since says, for "
            "each tier change since then, whether the data or the rules changed."
        ),
    )
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("--explain", action="store_true", help="each dimension's inputs, points, weight and why")
    p.add_argument("--at", metavar="REF", help="score the repository as it was at REF (revision or date)")
    p.add_argument("--since", metavar="REF", help="explain tier changes since REF (revision or date)")
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("risks", help="every risk flag: code, severity and the figures behind it")
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_risks)

    p = sub.add_parser("assess", help="keep or cut? the three questions and a recommendation")
    p.add_argument("id", metavar="ID")
    _today_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser("portfolio", help="concentration, tiers, moves, risks and the key-account matrix")
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


def _load_now(args: argparse.Namespace, full: bool = False) -> Any:
    from kam_tui.store.snapshot import load_now

    return load_now(Repository.find(args.repo), args.today, full)


def _load_at(args: argparse.Namespace, ref: str) -> Any:
    from kam_tui.store.snapshot import load_at

    return load_at(Repository.find(args.repo), ref, args.today)


def _evaluate(snap: Any) -> list[Any]:
    """Every account of the snapshot scored as one portfolio (the GC paused while it is built)."""
    from kam_tui.model.evaluate import evaluate_facts
    from kam_tui.store.gcpause import bulk

    with bulk():
        return evaluate_facts(snap.facts, snap.settings.scoring, snap.today)


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
    if args.json:
        print_json(evaluations[0].as_json() if args.id else [e.as_json() for e in evaluations])
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


def _print_breakdown(e: Any, name: str, explain: bool) -> None:
    print(f"{clean(name)}  ({e.id})" if name else e.id)
    share = f" · key account by volume ({e.share:.0%} of sales)" if e.key_account else ""
    coverage = "" if e.coverage >= 0.999 else f" · data for {e.coverage:.0%} of the weight"
    print(
        f"score {_fmt_score(e.score)} · tier {e.tier_label(long=True)}{share}{coverage} · as of {e.today.isoformat()}"
    )
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
    from kam_tui.model.timetravel import tier_change

    old = _load_at(args, args.since)
    new = _load_at(args, args.at) if args.at else _load_now(args, full=True)
    before = {a.id: a for a in old.accounts}
    after = {a.id: a for a in new.accounts}
    ids = [args.id] if args.id else sorted(set(before) | set(after))
    if args.id and args.id not in before and args.id not in after:
        raise AccountNotFound(f"no account '{args.id}' now or at {args.since}")
    changes = [
        tier_change(before.get(i), old.settings.scoring, old.today, after.get(i), new.settings.scoring, new.today)
        for i in ids
    ]
    shown = changes if args.id else [c for c in changes if c.changed]
    if args.json:
        data = [c.as_json() for c in shown]
        print_json(data[0] if args.id else data)
        return OK
    for c in shown:
        if c.id not in before or c.id not in after:
            what = "new account since then" if c.id not in before else "no longer in the repository"
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
    evaluations = _evaluate(snap)
    flagged = [(e, r) for e in evaluations for r in e.risks]
    if args.json:
        print_json([{"id": e.id, "tier": e.tier, **r.as_json()} for e, r in flagged])
    else:
        flagged.sort(key=lambda x: (SEVERITY_ORDER[x[1].severity], x[1].code, x[0].id))
        table([[e.id, r.code, r.severity, r.why] for e, r in flagged], ["ID", "CODE", "SEVERITY", "WHY"])
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
    from kam_tui.model.portfolio import QUADRANTS, portfolio

    from kam_tui.store.gcpause import bulk

    snap = _load_now(args, full=True)
    with bulk():
        view = portfolio(snap.accounts, snap.settings.scoring, snap.today)
    if args.json:
        print_json(view.as_json())
        _skipped_note(snap)
        return OK
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
        moves = ", ".join(f"{m.id} {m.before or '–'}→{m.after or '–'}" for m in view.moves) or "none"
        print(f"tier moves {view.moves_from} → {view.moves_to}: {moves}")
    print()
    table(
        [[code, str(len(ids)), ", ".join(ids)] for code, ids in view.risks.items() if ids],
        ["RISK", "ACCOUNTS", "IDS"],
        max_widths={2: 100},
    )
    print()
    print("key-account matrix (attractiveness × relationship strength):")
    rows = []
    for quadrant, (_, _, playbook, move) in QUADRANTS.items():
        members = [m for m in view.matrix if m.quadrant == quadrant]
        rows.append([quadrant, playbook, move, str(len(members)), ", ".join(m.id for m in members)])
    table(rows, ["QUADRANT", "PLAYBOOK", "MOVE", "N", "ACCOUNTS"])
    _skipped_note(snap)
    return OK
