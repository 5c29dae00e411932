"""Scoring commands: score, risks, assess, portfolio.

Thin: load the accounts and kam.yaml (now, or as they were at a git revision), call the model
(`kam_tui.model.evaluate`, `assess`, `portfolio`, `timetravel`), print. An invalid kam.yaml is
refused (exit 1): its defaults are never used in its place.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kam_tui.cli.score_reading import evaluate, fmt_score, load_at, load_now, plain_value, skipped_note
from kam_tui.cli.score_since import score_since
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
from kam_tui.i18n import N_, _, pgettext
from kam_tui.model.risk_words import severity_word
from kam_tui.model.risks import share_hint, share_of
from kam_tui.model.score_labels import dimension_label
from kam_tui.store.repository import AccountNotFound, Repository

# Beyond the repository, a command imports the store and model modules it uses inside its own
# function: `kam` builds every command's parser at start-up, so a module imported here slows
# every command (`kam list` too) and the TUI's modules never load for a CLI command.

RISK_ROWS = 50  # flags `kam risks` lists in text before "… and N more" (--all lists all)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "score",
        help=N_("scores, tiers and risk flags; one account's breakdown"),
        intermixed=True,
        description=N_(
            "Score every account (or one) with the scorecard in kam.yaml. --at scores "
            "the repository as it was at a git revision or date (a date means the end of that "
            "day); --since says, for each tier change since then, whether the data or the rules "
            "changed (a date means the start of that day). Dates are in the local time zone."
        ),
    )
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument(
        "--explain", action="store_true", help=N_("each dimension's inputs, points, weight and why (also in --json)")
    )
    p.add_argument(
        "--at", metavar="REF", help=N_("score the repository as it was at REF (revision, or the end of a date)")
    )
    p.add_argument(
        "--since", metavar="REF", help=N_("explain tier changes since REF (revision, or the start of a date)")
    )
    add_filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("risks", help=N_("every risk flag: code, severity and the figures behind it"))
    add_filters(p)
    add_all(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_risks)

    p = sub.add_parser("assess", help=N_("keep or cut? the three questions and a recommendation"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser("portfolio", help=N_("concentration, tiers, moves, risks and the key-account matrix"))
    add_all(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_portfolio)


# --- loading: now, or at a revision ---------------------------------------------------------


def _find(evaluations: list[Any], account_id: str, args: argparse.Namespace) -> Any:
    for e in evaluations:
        if e.id == account_id:
            return e
    if not getattr(args, "at", None):  # now: say why the file was left out, with its lines
        loaded = Repository.find(args.repo).load_account(account_id)  # AccountNotFound if no file
        for problem in loaded.problems:
            print(clean(problem.render()), file=sys.stderr)
        raise AccountNotFound(
            _("{path} has errors, so it is not scored; fix them first (`kam validate`)").format(path=loaded.rel)
        )
    raise AccountNotFound(_("no account '{id}' at {ref}").format(id=account_id, ref=args.at))


# --- kam score --------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    if args.since:
        return score_since(args)
    snap = load_at(args, args.at) if args.at else load_now(args)
    evaluations = evaluate(snap)
    if args.id:
        evaluations = [_find(evaluations, args.id, args)]
    else:
        evaluations = select(evaluations, snap.owners, args)
    targets = _achievements(args, snap, evaluations[0].id) if args.id else []
    if args.json:
        if args.id:
            print_json(dict(evaluations[0].as_json(), achievement=[a.as_json() for a in targets]))
        else:  # the breakdown of every dimension only when asked: it is most of the output
            print_json([e.as_json(dimensions=args.explain) for e in evaluations])
    elif args.id or args.explain:
        for index, e in enumerate(evaluations):
            if index:
                print()
            _print_breakdown(e, snap.names.get(e.id, ""), args.explain)
        _print_achievements(targets)
    else:
        _print_scores(evaluations)
        scored = _("{n} account(s) scored as of {date}").format(n=len(evaluations), date=snap.today.isoformat())
        note(scored if snap.label == "now" else _("{scored} at {ref}").format(scored=scored, ref=snap.label))
    skipped_note(snap)
    return OK


def _achievements(args: argparse.Namespace, snap: Any, account_id: str) -> list[Any]:
    """The account's targets against what it did (L322), from the same version as its score."""
    from kam_tui.model.achievement import achievements
    from kam_tui.store.snapshot import read_accounts

    account = read_accounts(Repository.find(args.repo), snap, [account_id]).get(account_id)
    return achievements(account) if account is not None else []


def _print_achievements(targets: list[Any]) -> None:
    from kam_tui.model.achievement import achievement_line

    if targets:
        print()
        print(_("targets agreed with the account (sales against the target, sell-through beside it):"))
        for a in targets:
            print("  " + clean(achievement_line(a)))


def _print_scores(evaluations: list[Any]) -> None:
    rows = sorted(evaluations, key=lambda e: (-(e.score if e.score is not None else -1), e.id))
    table(
        [
            [
                e.id,
                fmt_score(e.score),
                e.tier_label(long=True),
                pgettext("key-account mark", "key") if e.key_account else "",
                ", ".join(e.risk_codes),
            ]
            for e in rows
        ],
        [_("ID"), _("SCORE"), _("TIER"), _("VOLUME"), _("RISKS")],
    )
    if any(e.override for e in evaluations):
        note(_("* tier set by tier_override (its reason is in the account file); drift shows the computed tier"))
    if any(e.key_account for e in evaluations):
        note(_("key: key account by volume, a share of {what}").format(what=share_of(evaluations[0].config)))
        if evaluations[0].config.company_sales is None:
            note(_("hint: {hint}").format(hint=share_hint()))


def _print_breakdown(e: Any, name: str, explain: bool) -> None:
    print(f"{clean(name)}  ({e.id})" if name else e.id)
    parts = [_("score {score}").format(score=fmt_score(e.score)), e.tier_words()]
    if e.key_account:
        parts.append(_("key account by volume ({share:.0%} of {what})").format(share=e.share, what=share_of(e.config)))
    if e.coverage < 0.999:
        parts.append(_("data for {share:.0%} of the weight").format(share=e.coverage))
    parts.append(_("as of {date}").format(date=e.today.isoformat()))
    print(" · ".join(parts))
    if e.key_account and e.config.company_sales is None:
        note(_("hint: {hint}").format(hint=share_hint()))
    if e.override:
        o = e.override
        who = ", ".join(x for x in (o.by, o.date.isoformat() if o.date else "") if x)
        line = _("override {tier}: {reason}").format(tier=o.tier, reason=clean(o.reason))
        if who:
            line += f" ({clean(who)})"
        if e.drift:
            line += _(" — drift: the score says {tier}").format(tier=e.computed_tier)
        print(line)
    if e.score is None:
        print(
            _(
                "not scored: data for only {share:.0%} of the scorecard's weight (tiers.min_coverage is {need:.0%})"
            ).format(share=e.coverage, need=e.config.min_coverage)
        )
    if e.policy:
        print(
            _(
                "policy {tier}: discount {discount:.0%}, terms {terms}, credit limit {limit}, "
                "visit every {days} days, complaints answered within {hours} h"
            ).format(**e.policy.line_values(_("no cap")))
        )
    print()
    rows = []
    for d in e.dimensions():
        points = "–" if d.points is None else f"{d.points:.0f}"
        share = "off" if d.off else (f"{d.share:.0%}" if d.points is not None else "–")
        rows.append([dimension_label(d.name), f"{d.weight:g}", share, points, d.why])
        if explain and d.inputs:
            inputs = ", ".join(f"{k}={plain_value(v)}" for k, v in d.inputs.items())
            rows.append(["", "", "", "", _("inputs: {inputs}").format(inputs=inputs)])
    table(rows, [_("DIMENSION"), _("WEIGHT"), _("SHARE"), _("POINTS"), _("WHY")])
    if e.risks:
        print()
        table([[severity_word(r.severity), r.code, r.why] for r in e.risks], [_("RISK"), _("CODE"), _("WHY")])


# --- kam risks ---------------------------------------------------------------------------


def cmd_risks(args: argparse.Namespace) -> int:
    snap = load_now(args)
    evaluations = select(evaluate(snap), snap.owners, args)
    flagged = [(e, r) for e in evaluations for r in e.risks if flag_matches(r, args)]
    if args.json:
        print_json([{"id": e.id, "tier": e.tier, **r.as_json()} for e, r in flagged])
        skipped_note(snap)
        return OK
    flagged.sort(key=lambda x: (-SEVERITY_RANK[x[1].severity], importance(x[0]), x[1].code))
    shown = flagged if args.all else flagged[:RISK_ROWS]
    table(
        [[e.id, r.code, severity_word(r.severity), r.why] for e, r in shown],
        [_("ID"), _("CODE"), _("SEVERITY"), _("WHY")],
    )
    if len(shown) < len(flagged):
        print(_("… and {n} more (--all, or --json)").format(n=f"{len(flagged) - len(shown):,}"))
    counts: dict[str, int] = {}
    for _account, r in flagged:
        counts[r.code] = counts.get(r.code, 0) + 1
    if counts:
        note(_("by code: {counts}").format(counts=", ".join(f"{code} {n:,}" for code, n in counts.items())))
    if any(r.figures.get("share_basis") == "repository" for _account, r in flagged):
        note(_("hint: dependency shares are of this repository's accounts; {hint}").format(hint=share_hint()))
    accounts = len({e.id for e, _risk in flagged})
    note(
        _("{flags} flag(s) on {accounts} of {n} account(s) as of {date}").format(
            flags=len(flagged), accounts=accounts, n=len(evaluations), date=snap.today.isoformat()
        )
    )
    skipped_note(snap)
    return OK


# --- kam assess --------------------------------------------------------------------------


def cmd_assess(args: argparse.Namespace) -> int:
    from kam_tui.model.assess import assess
    from kam_tui.model.checklist_plan import EXIT_PLAYBOOK
    from kam_tui.store.checklists import attached_checklist

    snap = load_now(args)
    evaluation = _find(evaluate(snap), args.id, args)
    result = assess(evaluation, attached_checklist(Repository.find(args.repo), evaluation.id, EXIT_PLAYBOOK))
    if args.json:
        print_json(result.as_json())
        return OK
    name = snap.names.get(args.id, "")
    as_of = _("as of {date}").format(date=snap.today.isoformat())
    print(f"{clean(name)}  ({args.id}) · {evaluation.tier_words()} · {as_of}")
    print()
    for number, answer in enumerate(result.answers, 1):
        print(f"{number}. {answer.question}")
        print(f"   {answer.word} — {clean(answer.why)}")
    print()
    print(_("recommendation: {what}").format(what=result.advice))
    for reason in result.reasons:
        print(f"  - {clean(reason)}")
    return OK


# --- kam portfolio -----------------------------------------------------------------------


def cmd_portfolio(args: argparse.Namespace) -> int:
    from kam_tui.model.portfolio import QUADRANTS, concentration_line, portfolio_of
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import portfolio_moves

    repo = Repository.find(args.repo)
    snap = load_now(args)
    moves = portfolio_moves(repo, snap)
    with bulk():
        view = portfolio_of(snap.facts, snap.settings.scoring, snap.today, moves)
    if args.json:
        print_json(view.as_json())
        skipped_note(snap)
        return OK
    rank = {e.id: importance(e) for e in view.evaluations}.__getitem__
    currency = snap.settings.currency
    c = view.concentration
    top = "–" if c.top20_share is None else f"{c.top20_share:.0%}"
    hhi = "–" if c.herfindahl is None else f"{c.herfindahl:.3f}"
    print(
        _("{n} accounts · sales (last 12 months) {sales} {currency} · as of {date}").format(
            n=len(view.evaluations),
            sales=f"{view.total_sales:,.0f}",
            currency=clean(currency),
            date=snap.today.isoformat(),
        )
    )
    print(concentration_line(c.upto or "–", top, hhi))
    unscored = _("unscored")
    tiers = ", ".join(
        f"{unscored if t == 'unscored' else t} {n}" for t, n in view.tiers.items() if n or t != "unscored"
    )
    print(_("tiers: {tiers}").format(tiers=tiers))
    if view.moves_to:
        labels = {m.id: f"{m.id} {m.before or '–'}→{m.after or '–'}" for m in view.moves}
        ordered = sorted(labels, key=rank)
        moves_text = first_ids([labels[i] for i in ordered], args.all) or _("none")
        print(
            _("tier moves {old} → {new} ({n}): {moves}").format(
                old=view.moves_from, new=view.moves_to, n=f"{len(view.moves):,}", moves=moves_text
            )
        )
    print()
    table(
        [[code, str(len(ids)), first_ids(ids, args.all, rank)] for code, ids in view.risks.items() if ids],
        [_("RISK"), _("ACCOUNTS"), _("IDS")],
    )
    print()
    print(_("key-account matrix (attractiveness × relationship strength):"))
    rows = []
    for quadrant, (*_axes, playbook, move) in QUADRANTS.items():
        members = [m.id for m in view.matrix if m.quadrant == quadrant]
        rows.append([quadrant, playbook, _(move), str(len(members)), first_ids(members, args.all, rank)])
    table(rows, [_("QUADRANT"), _("PLAYBOOK"), _("MOVE"), _("N"), _("ACCOUNTS")])
    unplaced = [f"{m.id} ({m.reason})" for m in view.matrix if m.quadrant is None]
    if unplaced:
        print(_("not placed ({n}): {accounts}").format(n=f"{len(unplaced):,}", accounts=first_ids(unplaced, args.all)))
    skipped_note(snap)
    return OK
