"""`kam score --since REF`: which tiers changed since then and why — the data, the rules in
kam.yaml, kam's scoring method, or only the calendar — with the figures that moved."""

from __future__ import annotations

import argparse
from typing import Any

from kam_tui.cli.output import OK, clean, note, print_json, width
from kam_tui.cli.score_reading import evaluate, filtered, fmt_score, load_at, load_now, plain_value
from kam_tui.cli.selection import select
from kam_tui.i18n import N_, _
from kam_tui.store.repository import AccountNotFound, Repository

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).


def score_since(args: argparse.Namespace) -> int:
    """`kam score --since REF`: each tier that changed since REF, and why (data, rules, method, time)."""
    from kam_tui.model.change_words import LISTS, list_change
    from kam_tui.model.scorecard import config_changes
    from kam_tui.model.tier_moves import tier_moves
    from kam_tui.model.timetravel import tier_change, tier_of, with_recorded
    from kam_tui.store.gcpause import bulk
    from kam_tui.store.snapshot import read_accounts

    repo = Repository.find(args.repo)
    old = load_at(args, args.since, start_of_day=True)
    new = load_at(args, args.at) if args.at else load_now(args)
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
        then = {i: tier_then(i) for i in ids}
        now = {i: tier_of(after.get(i), new_rules, new.today)[0] for i in ids}
        moved = [args.id] if args.id else [m.id for m in tier_moves(then, now)]  # as `kam portfolio` finds them
        if not args.id and filtered(args):  # the filters hold for the accounts as they are now
            keep = {e.id for e in select(evaluate(new), new.owners, args)}
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
        scores = _("score {before} → {after}").format(before=fmt_score(c.score_before), after=fmt_score(c.score_after))
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
                    f"  {label}{pad} {clean(key)}: {plain_value(a) if a is not None else '–'} → "
                    f"{plain_value(b) if b is not None else '–'}"
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
