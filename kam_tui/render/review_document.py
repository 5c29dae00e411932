"""The review report as a document: sections of lines and tables, in plain text.

One place decides what the report says; `render_markdown` and the HTML page only lay it out,
each escaping for its own format (a value from an account file can never open a link, a table
cell or a tag).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kam_tui.i18n import _, pgettext
from kam_tui.model.review_report import AccountReview, ReviewReport
from kam_tui.model.portfolio import concentration_line


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[list[str]]
    right: frozenset[int] = frozenset()  # numeric columns, aligned right


@dataclass(frozen=True)
class Section:
    key: str  # stable anchor: portfolio, accounts, moves, rules, risks, service, playbooks, managers
    title: str
    lines: list[str] = field(default_factory=list)  # paragraphs or bullet items
    bullets: bool = False
    table: Table | None = None
    after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    title: str
    intro: str
    sections: list[Section]


def money(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def pct(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.1%}" if signed else f"{value:.0%}"


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio(done: int, total: int) -> str:
    return "–" if not total else f"{done}/{total}"


def change_label(row: AccountReview) -> str:
    if row.cause == "new":
        return _("new")
    if row.prev_tier == row.tier:
        delta = None if row.score is None or row.prev_score is None else row.score - row.prev_score
        return "=" if delta is None else f"= ({delta:+.1f})"
    return f"{row.prev_tier or '–'} → {row.tier or '–'} ({cause_label(row.cause)})"


def _without_move(why: str) -> str:
    """`A → B: the data changed (…)` → `the data changed (…)`: the move has its own column."""
    head, sep, rest = why.partition(": ")
    return rest if sep and "→" in head else why


def _rows(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    return [list(r) for r in rows]


def review_document(report: ReviewReport) -> Document:
    r = report
    tiers = ", ".join(
        _("{tier} {count} (was {before})").format(tier=tier_name(t), count=n, before=r.prev_tiers.get(t, 0))
        for t, n in r.tiers.items()
        if n or r.prev_tiers.get(t)
    )
    sections = [
        Section(
            "portfolio",
            _("Portfolio"),
            [
                _("{count} accounts, sales {sales} in the period").format(
                    count=len(r.accounts), sales=money(r.total_sales)
                ),
                concentration_line(
                    r.concentration.upto or "–", pct(r.concentration.top20_share), num(r.concentration.herfindahl, 3)
                ),
                _("tiers: {tiers}").format(tiers=tiers),
                _("satisfaction: average {now} of 5 (previous {before})").format(
                    now=num(r.satisfaction), before=num(r.prev_satisfaction)
                ),
                _("risk flags: {flags}").format(
                    flags=", ".join(f"{code} {n}" for code, n in r.risks.items() if n) or _("none")
                ),
            ],
            bullets=True,
        ),
        Section(
            "accounts",
            _("Accounts"),
            table=Table(
                (
                    _("account"),
                    _("owner"),
                    _("tier"),
                    _("score"),
                    _("change"),
                    _("sales"),
                    _("growth"),
                    _("target"),
                    _("achieved"),
                    _("satisfaction"),
                    _("risks"),
                ),
                _rows(
                    [
                        f"{a.name} ({a.id})",
                        a.owner or "–",
                        a.tier_label(),
                        num(a.score),
                        change_label(a),
                        money(a.sales),
                        pct(a.growth, signed=True),
                        money(a.target),
                        pct(a.achievement),
                        num(a.satisfaction),
                        ", ".join(a.risks) or "–",
                    ]
                    for a in r.accounts
                ),
                frozenset({3, 5, 6, 7, 8, 9}),
            ),
            after=[_("* tier set by a person (tier_override); the computed tier is shown beside it when it differs")],
        ),
    ]
    moves = {p.id: p for p in r.policy_changes}
    sections.append(
        Section(
            "moves",
            _("Tier moves and the policy each implies"),
            table=Table(
                (_("account"), _("move"), _("why"), _("proposed policy change (kam.yaml)")),
                _rows(
                    [
                        a.id,
                        f"{a.prev_tier or '–'} → {a.tier or '–'}",
                        _without_move(a.why),
                        "; ".join(f"{policy_label(w)} {o} → {n}" for w, o, n in moves[a.id].changes) or _("none"),
                    ]
                    for a in r.accounts
                    if a.id in moves
                ),
            ),
            after=[_("The team decides each change and records it in the account (`kam set`).")],
        )
    )
    if r.rule_changes:
        sections.append(
            Section(
                "rules",
                _("Rules changed since the previous review (kam.yaml)"),
                table=Table(
                    (pgettext("kam.yaml", "key"), _("was"), _("now")),
                    _rows([k, str(a), str(b)] for k, a, b in r.rule_changes),
                ),
            )
        )
    sections += [
        Section(
            "risks",
            _("Risks"),
            table=Table(
                (_("account"), _("new"), _("resolved"), _("all flags")),
                _rows(
                    [a.id, ", ".join(a.new_risks) or "–", ", ".join(a.resolved_risks) or "–", ", ".join(a.risks) or "–"]
                    for a in r.accounts
                    if a.risks or a.resolved_risks
                ),
            ),
        ),
        Section(
            "service",
            _("Satisfaction and service"),
            table=Table(
                (
                    _("account"),
                    _("satisfaction"),
                    _("previous"),
                    _("complaints"),
                    _("answered in time"),
                    _("resolved"),
                    _("visits"),
                    _("actions open"),
                    _("overdue"),
                ),
                _rows(
                    [
                        a.id,
                        num(a.satisfaction),
                        num(a.prev_satisfaction),
                        str(a.service.complaints),
                        ratio(a.service.answered_in_time, a.service.complaints),
                        ratio(a.service.resolved, a.service.complaints),
                        ratio(a.service.visits, a.service.visits_expected),
                        str(a.service.actions_open),
                        str(a.service.actions_overdue),
                    ]
                    for a in r.accounts
                ),
                frozenset({1, 2, 3, 7, 8}),
            ),
            after=[
                _(
                    "visits: made/expected by the tier's visit cadence; answered in time: within the tier's "
                    "response_hours (whole days when only dates are recorded)"
                )
            ],
        ),
        Section(
            "playbooks",
            _("Playbooks"),
            table=Table(
                (_("account"), _("playbook"), _("done")),
                _rows([a.id, p, f"{d}/{t}"] for a in r.accounts for p, d, t in a.playbooks),
            ),
        ),
        Section(
            "managers",
            _("Account managers"),
            table=Table(
                (
                    _("owner"),
                    _("accounts"),
                    _("sales"),
                    _("growth"),
                    _("achieved"),
                    _("satisfaction"),
                    _("response (h)"),
                    _("resolved"),
                    _("visits"),
                    _("actions on time"),
                ),
                _rows(
                    [
                        o.owner,
                        str(o.accounts),
                        money(o.sales),
                        pct(o.growth, signed=True),
                        pct(o.achievement),
                        num(o.satisfaction),
                        num(o.response_hours),
                        pct(o.resolution_rate),
                        f"{o.visits}/{o.visits_expected}" if o.visits_expected else str(o.visits),
                        ratio(o.actions_on_time, o.actions_due),
                    ]
                    for o in r.owners
                ),
                frozenset({1, 2, 3, 4, 5, 6, 7}),
            ),
        ),
    ]
    intro = _("Figures as of {day} (quarters {quarters}), compared with {previous}. Money in {currency}.").format(
        day=r.as_of, quarters=", ".join(r.cycle.quarters), previous=r.previous_label, currency=r.currency
    )
    intro = _("{figures} {accounts}").format(figures=intro, accounts=scope_line(r))  # zh: no space between
    return Document(_("Review {period}").format(period=r.cycle.key), intro, sections)


def scope_line(r: ReviewReport) -> str:
    """Which accounts the report covers, and where that was decided."""
    if r.scope.plan is None:
        return _("Accounts: every account ({count}); {period} has no review plan.").format(
            count=len(r.accounts), period=r.cycle.key
        )
    return _("Accounts: the {count} in the plan's scope ({scope}, {path}).").format(
        count=len(r.accounts), scope=r.scope.words or "–", path=r.scope.plan
    )


def tier_name(tier: str) -> str:
    """The handbook's name beside the letter (战略客户 / 重点客户 / 普通客户; 重点客户 is only ever B)."""
    names = {"A": _("A (strategic)"), "B": _("B (key)"), "C": _("C (ordinary)"), "unscored": _("unscored")}
    return names.get(tier, tier)


def cause_label(cause: str) -> str:
    return {
        "none": _("no change"),
        "data": _("data"),
        "rules": _("rules"),
        "both": _("data and rules"),
        "time": _("the calendar"),
        "new": _("new"),
    }.get(cause, cause)


def policy_label(what: str) -> str:
    return {
        "discount": _("discount"),
        "payment_terms": _("payment terms"),
        "credit_limit": _("credit limit"),
        "visit_days": _("visit every (days)"),
        "response_hours": _("complaint answered within (h)"),
    }.get(what, what)
