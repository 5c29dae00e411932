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

from kam_tui.cli.output import OK, clean, note, print_json, table, width
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
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser("risks", help="every risk flag: code, severity and the figures behind it")
    add_filters(p)
    add_all(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_risks)

    p = sub.add_parser("assess", help="keep or cut? the three questions and a recommendation")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_assess)

    p = sub.add_parser("portfolio", help="concentration, tiers, moves, risks and the key-account matrix")
    add_all(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_portfolio)


# --- loading: now, or at a revision ---------------------------------------------------------


def _load_now(args: argparse.Namespace) -> Any:
    from kam_tui.store.snapshot import load_now

    return load_now(Repository.find(args.repo), args.today)


def _load_at(args: argparse.Namespace, ref: str, start_of_day: bool = False) -> Any:
    from kam_tui.store.snapshot import load_at

    return load_at(Repository.find(args.repo), ref, args.today, start_of_day=start_of_day)


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
        note(
            _("{n} account file(s) skipped because of errors; run `kam validate` for details").format(
                n=snapshot.skipped
            )
        )


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
        return _score_since(args)
    snap = _load_at(args, args.at) if args.at else _load_now(args)
    evaluations = _evaluate(snap)
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
    _skipped_note(snap)
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
    parts = [_("score {score}").format(score=_fmt_score(e.score)), e.tier_words()]
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
            inputs = ", ".join(f"{k}={_plain(v)}" for k, v in d.inputs.items())
            rows.append(["", "", "", "", _("inputs: {inputs}").format(inputs=inputs)])
    table(rows, [_("DIMENSION"), _("WEIGHT"), _("SHARE"), _("POINTS"), _("WHY")])
    if e.risks:
        print()
        table([[severity_word(r.severity), r.code, r.why] for r in e.risks], [_("RISK"), _("CODE"), _("WHY")])


def _plain(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return clean(value)


def _score_since(args: argparse.Namespace) -> int:
    from kam_tui.model.change_words import LISTS, list_change
    from kam_tui.model.scorecard import config_changes
    from kam_tui.model.timetravel import tier_change, tier_of, with_recorded
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import read_accounts

    repo = Repository.find(args.repo)
    old = _load_at(args, args.since, start_of_day=True)
    new = _load_at(args, args.at) if args.at else _load_now(args)
    before = {f.id: f for f in old.facts}
    after = {f.id: f for f in new.facts}
    if args.id and args.id not in before and args.id not in after:
        raise AccountNotFound(_("no account '{id}' now or at {ref}").format(id=args.id, ref=args.since))
    old_rules, new_rules = old.settings.scoring, new.settings.scoring
    recorded = _recorded(repo, old.commit)

    def tier_then(i: str) -> str | None:
        if recorded is not None and i in recorded.tiers:
            return recorded.tiers[i][0]
        return tier_of(before.get(i), old_rules, old.today)[0]

    with bulk():  # tiers from cached facts first: only the accounts that moved are read in full
        ids = [args.id] if args.id else sorted(set(before) | set(after))
        moved = [i for i in ids if args.id or tier_then(i) != tier_of(after.get(i), new_rules, new.today)[0]]
        if not args.id and _filtered(args):  # the filters hold for the accounts as they are now
            keep = {e.id for e in select(_evaluate(new), new.owners, args)}
            moved = [i for i in moved if i in keep]
        old_accounts = read_accounts(repo, old, moved)
        new_accounts = read_accounts(repo, new, moved)
        rules = tuple(config_changes(old_rules, new_rules))  # the same for every account
        changes = [
            tier_change(
                old_accounts.get(i), old_rules, old.today, new_accounts.get(i), new_rules, new.today, rules=rules
            )
            for i in moved
        ]
        if recorded is not None:
            changes = [
                with_recorded(c, recorded.tiers[c.id][0], recorded.tiers[c.id][1], recorded.method)
                if c.id in recorded.tiers
                else c
                for c in changes
            ]
    shown = changes if args.id else [c for c in changes if c.changed]
    if args.json:
        data = [c.as_json() for c in shown]
        print_json(data[0] if args.id else data)
        return OK
    for c in shown:
        if c.id not in old_accounts or c.id not in new_accounts:
            what = _("new account since then") if c.id not in old_accounts else _("no longer in the repository")
            print(f"{c.id}: {c.before or '–'} → {c.after or '–'} — {what}")
            continue
        scores = _("score {before} → {after}").format(
            before=_fmt_score(c.score_before), after=_fmt_score(c.score_after)
        )
        print(f"{c.id}: {c.before or '–'} → {c.after or '–'} ({scores}) — {_cause_words(c.cause)}")
        if c.method_from is not None:
            print("  " + _method_words(c))
        for label, rows in ((_("data"), c.data_changes), (_("rules"), c.rule_changes)):
            pad = " " * max(0, 5 - width(label))
            for key, a, b in rows[:12]:
                if key in LISTS:
                    print(f"  {label}{pad} {clean(list_change(key, a, b))}")
                    continue
                print(
                    f"  {label}{pad} {clean(key)}: {_plain(a) if a is not None else '–'} → "
                    f"{_plain(b) if b is not None else '–'}"
                )
            if len(rows) > 12:
                print(f"  {label}{pad} " + _("… {n} more").format(n=len(rows) - 12))
        if c.cause == "both":
            print(
                "  "
                + _("the new data under the old rules: {a}; the old data under the new rules: {b}").format(
                    a=c.new_data_old_rules or "–", b=c.old_data_new_rules or "–"
                )
            )
    if not args.id:
        note(
            _("{n} tier change(s) since {ref} ({date})").format(n=len(shown), ref=old.label, date=old.today.isoformat())
        )
    return OK


def _recorded(repo: Repository, commit: str | None) -> Any:
    """The tiers a closed review recorded at `commit` by an older scoring method (None otherwise)."""
    from kam_tui.model.scoring import METHOD
    from kam_tui.store.recorded_scores import recorded_at

    recorded = recorded_at(repo, commit) if commit else None
    return recorded if recorded is not None and recorded.method != METHOD else None


def _method_words(c: Any) -> str:
    from kam_tui.model.scoring import method_changes

    what = _("; ").join(_(text) for text in method_changes(c.method_from, c.method_to))
    return _("method {old} → {new}: {what}; the same data under the same rules now gives {tier}").format(
        old=c.method_from, new=c.method_to, what=what, tier=c.method_tier or "–"
    )


def _cause_words(cause: str) -> str:
    return _(CAUSE_WORDS[cause])


CAUSE_WORDS = {
    "none": N_("no tier change"),
    "data": N_("the data changed"),
    "rules": N_("the rules in kam.yaml changed"),
    "both": N_("both the data and the rules changed"),
    "time": N_("only the calendar moved (years together, stale surveys)"),
    "method": N_("kam's scoring method changed"),
}


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
    _skipped_note(snap)
    return OK


# --- kam assess --------------------------------------------------------------------------


def cmd_assess(args: argparse.Namespace) -> int:
    from kam_tui.model.assess import assess
    from kam_tui.model.checklist_plan import EXIT_PLAYBOOK
    from kam_tui.store.checklists import attached_checklist

    snap = _load_now(args)
    evaluation = _find(_evaluate(snap), args.id, args)
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
    from kam_tui.model.portfolio import QUADRANTS, portfolio_of
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import portfolio_moves

    repo = Repository.find(args.repo)
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
        _("{n} accounts · sales (last 12 months) {sales} {currency} · as of {date}").format(
            n=len(view.evaluations),
            sales=f"{view.total_sales:,.0f}",
            currency=clean(currency),
            date=snap.today.isoformat(),
        )
    )
    print(
        _("concentration: the top 20% of accounts give {top} of sales (20/80 rule) · Herfindahl {hhi}").format(
            top=top, hhi=hhi
        )
    )
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
    _skipped_note(snap)
    return OK
