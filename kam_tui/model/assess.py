"""Keep or cut? The handbook's three questions, answered with the account's own figures.

1. Do we still make money on it?           (gross profit and margin, last 12 months)
2. In our favour or against us? (顺差/逆差) (what it owes us vs what we owe it)
3. Can we still control it?                (do we hold its downstream network)

Then one recommendation — keep, cash-terms, split-territory, take-network-first or staged-exit —
with its reasons. The one rule never broken: no staged exit before the network is in hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kam_tui.i18n import N_, _
from kam_tui.model.checklist import next_step
from kam_tui.model.checklist_plan import EXIT_PLAYBOOK
from kam_tui.model.evaluate import Evaluation
from kam_tui.model.playbook import Playbook
from kam_tui.model.risks import has_network, network_status

RECOMMENDATIONS = ("keep", "cash-terms", "split-territory", "take-network-first", "staged-exit")
QUESTIONS = {
    "money": N_("Do we still make money on it?"),
    "balance": N_("Is the balance in our favour or against us (what it owes us vs what we owe it)?"),
    "control": N_("Can we still control it (do we hold its downstream network)?"),
}
ANSWER_WORDS = {"yes": N_("YES"), "no": N_("NO"), "thin": N_("THIN"), "unknown": N_("UNKNOWN"), "n/a": N_("N/A")}
# the balance question is either/or (顺差还是逆差): its yes and no are answered with the side
BALANCE_WORDS = {"yes": N_("IN OUR FAVOUR"), "no": N_("AGAINST US")}
RECOMMENDATION_WORDS = {  # the English words are the codes (as in --json)
    "keep": N_("keep"),
    "cash-terms": N_("cash-terms"),
    "split-territory": N_("split-territory"),
    "take-network-first": N_("take-network-first"),
    "staged-exit": N_("staged-exit"),
}
NEXT_TERMS = {"credit": "partial", "partial": "cash"}  # 赊销 → 部分现款 → 全现款


@dataclass(frozen=True, slots=True)
class Answer:
    key: str  # money | balance | control
    answer: str  # yes | no | thin (money only) | unknown | n/a (control, for an end user)
    figures: dict[str, Any]
    why: str

    @property
    def question(self) -> str:
        return _(QUESTIONS[self.key])

    @property
    def word(self) -> str:
        """The answer as a person reads it (YES, 是; 顺差 for the balance); `answer` is the code."""
        words = BALANCE_WORDS if self.key == "balance" and self.answer in BALANCE_WORDS else ANSWER_WORDS
        return _(words[self.answer])

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "figures": self.figures,
            "key": self.key,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    id: str
    answers: tuple[Answer, ...]
    recommendation: str
    reasons: tuple[str, ...]
    network_in_hand: bool
    exit_grounds: tuple[str, ...] = field(default=())  # why cutting is on the table at all

    def answer(self, key: str) -> Answer:
        return next(a for a in self.answers if a.key == key)

    @property
    def advice(self) -> str:
        """The recommendation as a person reads it (保留（keep）); `recommendation` is the code."""
        return _(RECOMMENDATION_WORDS[self.recommendation])

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "answers": [a.as_json() for a in self.answers],
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
            "network_in_hand": self.network_in_hand,
            "exit_grounds": list(self.exit_grounds),
        }


def _money(e: Evaluation) -> Answer:
    """Gross profit over the last 12 months on what sold through (L408: unsold stock is paper
    profit), what unsold stock and overdue money put at risk, and whether the latest quarter made any."""
    f = e.facts
    thin = e.config.risks.margin_thin_below
    profit = f.sold_profit
    margin = f.margin if f.profit_sales > 0 else None  # the one average margin (weighted by sales), as score and risks
    unsold = max(0.0, (f.stock_in or 0.0) - (f.sell_through or 0.0))
    figures = {
        "sales_12m": f.sales,
        "gross_profit_12m": None if profit is None else round(profit, 2),
        "sell_in_gross_profit_12m": None if f.gross_profit is None else round(f.gross_profit, 2),
        "gross_margin_12m": None if margin is None else round(margin, 4),
        "unsold_stock": round(unsold, 2) if f.stock_periods else None,
        "overdue": f.overdue,
        "last_quarter": f.last_period,
        "last_quarter_margin": f.last_margin,
    }
    if profit is None or margin is None:
        return Answer("money", "unknown", figures, _("no sales with a gross margin in the recent quarters"))
    text = _("gross profit {profit} in 12 months on what sold through ({margin:.1%} of sales)").format(
        profit=_m(profit), margin=margin
    )
    if unsold > 0 or f.overdue:
        text += _("; at risk: unsold stock {unsold}, overdue {overdue}").format(
            unsold=_m(unsold), overdue=_m(f.overdue or 0.0)
        )
    if profit < 0:
        return Answer("money", "no", figures, _("{text}: we lose money").format(text=text))
    if profit == 0:  # nothing sold through yet (or sold at cost): no profit yet, and no loss
        return Answer("money", "thin", figures, _("{text}: no profit yet, and no loss").format(text=text))
    if f.last_margin is not None and f.last_margin < 0:
        why = _("{text}, but the latest quarter lost money ({margin:.1%})").format(text=text, margin=f.last_margin)
        return Answer("money", "no", figures, why)
    if margin < thin:
        return Answer("money", "thin", figures, _("{text}: below {thin:.0%}, barely").format(text=text, thin=thin))
    return Answer("money", "yes", figures, text)


def _balance(e: Evaluation) -> Answer:
    f = e.facts
    owes_us = f.receivables
    we_owe = f.owed_to_account
    figures = {"receivables": owes_us, "overdue": f.overdue, "owed_to_account": we_owe, "period": f.last_period}
    if owes_us is None:
        return Answer("balance", "unknown", figures, _("no receivables on file"))
    net = owes_us - (we_owe or 0.0)
    figures["net_owed_to_us"] = net
    if net <= 0:
        return Answer(
            "balance",
            "yes",
            figures,
            _reading(f.last_period)
            + _("it owes us {owes_us}, we owe it {we_owe}: a break costs us nothing we cannot offset").format(
                owes_us=_m(owes_us), we_owe=_m(we_owe or 0)
            ),
        )
    return Answer(
        "balance",
        "no",
        figures,
        _reading(f.last_period)
        + _("it owes us {owes_us}, we owe it {we_owe}: {net} at stake if it breaks with us").format(
            owes_us=_m(owes_us), we_owe=_m(we_owe or 0), net=_m(net)
        ),
    )


def _reading(period: str | None) -> str:
    """How 顺差/逆差 is read, printed with the answer: receivables against what we owe the account."""
    return _("顺差/逆差 read as receivables against what we owe it (deposits, rebates, credits), {period}: ").format(
        period=period or "?"
    )


def _control(e: Evaluation) -> Answer:
    held, why = network_status(e.facts, e.config)
    if not has_network(e.facts):
        return Answer("control", "n/a", {"network_held": None, "kind": e.facts.kind}, why)
    value = e.facts.network_held
    figures = {"network_held": value, "in_hand_from": e.config.risks.control_in_hand}
    return Answer("control", "unknown" if value is None else "yes" if held else "no", figures, why)


def assess(e: Evaluation, exit_checklist: Playbook | None = None) -> Assessment:
    """The three questions and a recommendation for one evaluated account. `exit_checklist`: its
    attached staged-exit checklist, if any — then the advice is that checklist's next step, not to attach it."""
    f = e.facts
    money, balance, control = _money(e), _balance(e), _control(e)
    in_hand = control.answer in ("yes", "n/a")
    risks = {r.code: r for r in e.risks}

    if f.stage == "exited":  # the exit is done: nothing to keep, the record stays for history
        return Assessment(
            f.id,
            (money, balance, control),
            "staged-exit",
            (
                _("the account has exited (stage: exited); the staged exit is complete"),
                *([_("still open: {why}").format(why=balance.why)] if balance.answer == "no" else []),
            ),
            in_hand,
            (_("stage: exited"),),
        )

    grounds: list[str] = []
    if f.stage == "exiting":
        grounds.append(_("the team has put it in staged exit (stage: exiting)"))
    if money.answer == "no":
        grounds.append(_("we lose money on it ({why})").format(why=money.why))
    stuffing = risks.get("stuffing")
    if stuffing is not None and stuffing.severity == "high":
        grounds.append(_("fake big account: {why}").format(why=stuffing.why))
    if money.answer == "thin" and "collection" in risks and risks["collection"].severity == "high":
        grounds.append(_("thin margin and money not coming back"))

    reasons: list[str] = []
    if grounds and f.stage == "prospect":  # a new account is grown, never cut (L233)
        reasons.append(_("a prospect is developed, not cut: small and new accounts can be grown"))
        reasons.extend(_("watch: {why}").format(why=ground) for ground in grounds)
        grounds = []
    if grounds:
        reasons.extend(grounds)
        if in_hand:
            recommendation = "staged-exit"
            reasons.append(control.why)
            if balance.answer == "no":
                reasons.append(_("collect what it owes first ({why})").format(why=balance.why))
            if exit_checklist is not None:
                reasons.append(_under_way(f.id, exit_checklist))
        else:
            recommendation = "take-network-first"
            reasons.append(_("never cut before its downstream network is in hand: {why}").format(why=control.why))
            if exit_checklist is None:
                reasons.append(
                    _(
                        "the staged exit can start now with that step (`kam attach {id} staged-exit`); "
                        "its 'during' stage waits until the network is in hand"
                    ).format(id=f.id)
                )
            else:
                reasons.append(
                    _("{under_way}; its 'during' stage waits until the network is in hand").format(
                        under_way=_under_way(f.id, exit_checklist)
                    )
                )
        return Assessment(f.id, (money, balance, control), recommendation, tuple(reasons), in_hand, tuple(grounds))

    terms = f.payment_terms
    cash_reasons = [_coded(code, risks[code].why) for code in ("collection", "policy", "stuffing") if code in risks]
    if terms in NEXT_TERMS and cash_reasons:
        reasons.extend(cash_reasons)
        reasons.append(
            _("next step: payment terms {terms} → {next} (赊销 → 部分现款 → 全现款)").format(
                terms=terms, next=NEXT_TERMS[terms]
            )
        )
        return Assessment(f.id, (money, balance, control), "cash-terms", tuple(reasons), in_hand)

    if "dependency" in risks:
        reasons.append(_coded("dependency", risks["dependency"].why))
        reasons.append(_("add other channels beside it in its territory (分兵削权)"))
        if "control" in risks:
            reasons.append(_coded("control", risks["control"].why))
        return Assessment(f.id, (money, balance, control), "split-territory", tuple(reasons), in_hand)

    reasons.append(money.why)
    for code in ("control", "margin"):
        if code in risks:
            reasons.append(_("watch {code}: {why}").format(code=code, why=risks[code].why))
    if not in_hand:  # an end user's control is n/a, which counts as in hand
        reasons.append(_("keep working on its network: {why}").format(why=control.why))
    return Assessment(f.id, (money, balance, control), "keep", tuple(reasons), in_hand)


def _under_way(account: str, checklist: Playbook) -> str:
    """Where the attached staged exit stands: its next open step, with the command that ticks it."""
    step = next_step(checklist)
    if step is None:
        return _("every step of its staged-exit checklist is ticked (`kam checklist {id} {playbook}`)").format(
            id=account, playbook=EXIT_PLAYBOOK
        )
    return _(
        "the staged exit is under way: next step {number}, “{text}” (`kam check {id} {playbook} {number}`)"
    ).format(number=step.number, text=step.text, id=account, playbook=EXIT_PLAYBOOK)


def _coded(code: str, why: str) -> str:
    """`collection: …`: a risk's code (English in every language, like JSON) and its why."""
    return _("{code}: {why}").format(code=code, why=why)


def _m(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"
