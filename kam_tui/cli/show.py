"""`kam show ID`: one account — its fields, score, tier, risks, targets and every list item with the
number that addresses it (`visits.3`), newest first. `--json` keeps the file's own keys at the
top level and puts what kam derives under `computed`, so the two never collide."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from kam_tui.cli.output import OK, clean, note, pad, print_json, table
from kam_tui.i18n import N_, _, pgettext
from kam_tui.model.account import Account, Response
from kam_tui.model.achievement import achievement_line, achievements
from kam_tui.model.errors import KamError
from kam_tui.model.risk_words import severity_word
from kam_tui.store.repository import Repository, SettingsInvalid

# A command imports the store and model modules it uses inside its own function: `kam` builds
# every command's parser at start-up, so a module imported here slows every command (`kam list` too).
if TYPE_CHECKING:
    from kam_tui.model.evaluate import Evaluation

TRUNCATE = 60  # terminal cells of a summary or next step shown without --full


def register(sub: Any) -> None:
    p = sub.add_parser("show", help=N_("one account: fields, score, tier, risks, targets, the log"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--full", action="store_true", help=N_("show long text untruncated"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    from kam_tui.store.lookup import load_account

    repo = Repository.find(args.repo)
    loaded = load_account(repo, args.id)
    if loaded.doc is None or not isinstance(loaded.doc.data, dict):
        raise KamError(
            _("{path} cannot be read; see the problems above").format(path=loaded.rel), problems=loaded.problems
        )
    for problem in loaded.problems:  # what can be shown is shown, exit 0 (`kam validate` judges)
        print(clean(problem.render()), file=sys.stderr)
    account = loaded.account
    evaluation = _evaluation(repo, account.id) if account is not None else None
    if args.json:
        print_json({**loaded.doc.data, "computed": _computed(account, evaluation)})
    elif account is None:
        from kam_tui.store.yaml_render import flow_text

        for key, value in loaded.doc.data.items():
            print(f"{clean(key)}: {clean(value if isinstance(value, str) else flow_text(value))}")
    else:
        _print_account(account, evaluation, args.full)
    return OK


def _evaluation(repo: Repository, account_id: str) -> Evaluation | None:
    """The account scored within the whole portfolio (shares depend on it); None, with a note,
    when kam.yaml is invalid: the account itself is still worth showing."""
    from kam_tui.model.evaluate import evaluate_facts
    from kam_tui.model.risks import portfolio_totals
    from kam_tui.store.snapshot import load_now

    try:
        snap = load_now(repo)
    except SettingsInvalid:
        note(_("no score or tier: kam.yaml has errors; run `kam validate` for details"))
        return None
    facts = next((f for f in snap.facts if f.id == account_id), None)
    if facts is None:
        return None
    config = snap.settings.scoring  # scored alone, against the whole portfolio's totals
    return evaluate_facts([facts], config, snap.today, portfolio_totals(snap.facts, config))[0]


def _computed(account: Account | None, e: Evaluation | None) -> dict[str, Any]:
    """`computed`: score, tier, computed_tier, risks, achievement, share (docs/json.md)."""
    from kam_tui.model.risks import share_basis
    from kam_tui.model.scoring import METHOD

    out: dict[str, Any] = {
        "score": None,
        "tier": None,
        "computed_tier": None,
        "risks": [],
        "achievement": [a.as_json() for a in achievements(account)] if account is not None else [],
    }
    if e is not None:
        out.update(
            {
                "score": e.score,
                "tier": e.tier,
                "computed_tier": e.computed_tier,
                "risks": [r.as_json() for r in e.risks],
                "share_of_sales": None if e.share is None else round(e.share, 4),
                "share_basis": share_basis(e.config),
                "key_account": e.key_account,
                "as_of": e.today.isoformat(),
                "method": METHOD,
            }
        )
    return out


def _short(text: str, full: bool) -> str:
    """One line per item unless --full; the table cuts it to TRUNCATE cells at a whole character."""
    return text if full else text.replace("\n", " ⏎ ")


def _print_account(a: Account, e: Evaluation | None, full: bool) -> None:
    def line(label: str, value: Any) -> None:
        if value not in (None, "", (), {}):
            print(f"{pad(label, 14)}{clean(value)}")

    print(f"{clean(a.name)}  ({a.id})")
    if e is not None:
        score = "–" if e.score is None else f"{e.score:.1f}"
        line(
            _("tier"),
            _("{tier} · score {score} · as of {day}").format(
                tier=e.tier_label(long=True), score=score, day=e.today.isoformat()
            ),
        )
        if e.key_account:
            from kam_tui.model.risks import share_hint, share_of

            line(_("key account"), _("by volume: {share:.0%} of {what}").format(share=e.share, what=share_of(e.config)))
            if e.config.company_sales is None:
                line("", share_hint())
    line(_("kind"), a.kind or _("dealer (not set)"))
    line(_("stage"), a.stage)
    line(_("owner"), a.owner)
    line(_("team"), ", ".join(a.team))
    line(_("since"), a.since)
    line(_("industry"), a.industry)
    line(_("region"), a.region)
    line(_("payment terms"), a.payment_terms)
    line(_("credit limit"), f"{a.credit_limit:,.0f}" if a.credit_limit is not None else None)
    line(_("discount"), f"{a.discount:.1%}" if a.discount is not None else None)
    line(_("rebate"), f"{a.rebate:.1%}" if a.rebate is not None else None)
    line(_("strategic"), _("yes") if a.strategic else None)
    line(_("network held"), f"{a.network_held:.0%}" if a.network_held is not None else None)
    if a.tier_override:
        line(_("tier override"), f"{a.tier_override.tier}: {a.tier_override.reason}")
    if a.ratings:
        line(_("ratings"), ", ".join(f"{k} {v}" for k, v in a.ratings.items()))
    if e is not None and e.risks:
        print()
        table(
            [[severity_word(r.severity), r.code, r.why] for r in e.risks],
            [_("RISK"), _("CODE"), _("WHY")],
            max_widths=None if full else {2: 100},
        )
    if a.targets:
        print()
        for item in achievements(a):
            print(clean(_("target {line}").format(line=achievement_line(item))))
    if a.periods:
        print()
        table(
            [
                [
                    p.key,
                    _num(p.sales),
                    _pct(p.gross_margin),
                    _num(p.orders),
                    _num(p.stock_in),
                    _num(p.sell_through),
                    _num(p.receivables),
                    _num(p.overdue),
                ]
                for p in a.periods
            ],
            [
                _("PERIOD"),
                _("SALES"),
                _("MARGIN"),
                _("ORDERS"),
                _("STOCK-IN"),
                _("SELL-THROUGH"),
                _("RECEIVABLE"),
                _("OVERDUE"),
            ],
        )
    _print_log(a, full)
    if a.notes:
        print()
        for text in a.notes.rstrip("\n").split("\n"):
            print(clean(text))


def _print_log(a: Account, full: bool) -> None:
    """Every list item with its number; visits, complaints, surveys and actions newest first."""
    width = None if full else {3: TRUNCATE, 4: TRUNCATE}
    if a.actions:
        print()
        rows = [
            [f"actions.{x.n}", x.status, _day(x.due), x.owner, _short(x.what, full), x.source]
            for x in sorted(a.actions, key=lambda x: (x.status != "open", x.due or _FAR, -x.n))
        ]
        headers = [pgettext("improvement action", "ACTION"), _("STATUS"), _("DUE"), _("OWNER"), _("WHAT"), _("SOURCE")]
        table(rows, headers, max_widths=None if full else {4: TRUNCATE})
    if a.visits:
        print()
        rows = [
            [f"visits.{v.n}", v.date.isoformat(), v.by, _short(v.summary, full), _short(v.next, full)]
            for v in sorted(a.visits, key=lambda v: (v.date, v.n), reverse=True)
        ]
        table(rows, [_("VISIT"), _("DATE"), _("BY"), _("SUMMARY"), _("NEXT")], max_widths=width)
    if a.complaints:
        print()
        rows = [
            [
                f"complaints.{c.n}",
                _day(c.opened_at or c.opened),
                _day(c.answered_at or c.answered),
                _day(c.closed),
                _response(c.response()),
                _short(c.summary, full),
            ]
            for c in sorted(a.complaints, key=lambda c: (c.opened, c.n), reverse=True)
        ]
        table(
            rows,
            [_("COMPLAINT"), _("OPENED"), _("ANSWERED"), _("CLOSED"), _("RESPONSE"), _("SUMMARY")],
            max_widths=None if full else {5: TRUNCATE},
        )
    if a.surveys:
        print()
        rows = [
            [
                f"surveys.{s.n}",
                s.date.isoformat(),
                _num(s.product),
                _num(s.service),
                _num(s.brand),
                _short(s.comment, full),
            ]
            for s in sorted(a.surveys, key=lambda s: (s.date, s.n), reverse=True)
        ]
        table(
            rows,
            [_("SURVEY"), _("DATE"), _("PRODUCT"), _("SERVICE"), _("BRAND"), _("COMMENT")],
            max_widths=None if full else {5: TRUNCATE},
        )
    if a.contacts:
        print()
        table(
            [[f"contacts.{c.n}", c.name, c.role, c.phone, c.email] for c in a.contacts],
            [_("CONTACT"), _("NAME"), _("ROLE"), _("PHONE"), _("EMAIL")],
        )


_FAR = dt.date.max


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    text = value.isoformat()
    return text.replace("T", " ")[:16]


def _response(value: Response | None) -> str:
    return "" if value is None else value.text()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"
