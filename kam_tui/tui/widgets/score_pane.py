"""The Score tab: each dimension as a bar with points, weight and why; the tier, computed and
overridden; the risk flags with their figures; the keep-or-cut assessment with its three
answers. Pure presentation of the model's Evaluation and Assessment (no rule is decided here)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kam_tui.i18n import N_
from kam_tui.model.risk_words import severity_word
from kam_tui.model.score_labels import dimension_label
from kam_tui.tui.gateway import ScoreView
from kam_tui.tui.wrap_text import keep_together
from kam_tui.tui.safe_text import plain, safe
from kam_tui.tui.translate import label

# Every label of the tab, in one place (marked for the message catalogue; translated when shown).
LABELS = {
    "score": N_("Score"),
    "tier": N_("Tier"),
    "not_scored": N_("not scored: data for only {coverage:.0%} of the scorecard's weight"),
    "key_account": N_("key account by volume ({share:.0%} of sales)"),
    "coverage": N_("data for {coverage:.0%} of the weight"),
    "as_of": N_("as of {day}"),
    "override": N_("Override {tier}: {reason}"),
    "drift": N_("the score says {tier}"),
    "policy": N_(
        "Policy {tier}: discount {discount:.0%}, terms {terms}, credit limit {limit}, "
        "visit every {days} days, complaints answered within {hours} h"
    ),
    "no_cap": N_("no cap"),
    "dimensions": N_("Dimensions"),
    "dimension": N_("DIMENSION"),
    "points": N_("POINTS"),
    "weight": N_("WEIGHT"),
    "why": N_("WHY"),
    "risks": N_("Risk flags"),
    "no_risks": N_("none"),
    "assessment": N_("Keep or cut?"),
    "recommendation": N_("Recommendation: {recommendation}"),
}
BAR = 10  # cells of a full (100-point) bar
SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
ANSWER_STYLE = {"yes": "green", "no": "bold red", "thin": "yellow", "unknown": "dim", "n/a": "dim"}


def bar(points: float | None) -> Text:
    if points is None:
        return Text("·" * BAR, style="dim")
    filled = round(max(0.0, min(100.0, points)) / 100 * BAR)
    style = "green" if points >= 70 else "yellow" if points >= 40 else "red"
    return Text("█" * filled, style=style) + Text("░" * (BAR - filled), style="dim")


def heading(title: str) -> Text:
    return Text(title, style="bold underline")


def score_pane(view: ScoreView) -> RenderableType:
    e, a = view.evaluation, view.assessment
    top = Text()
    top.append(label(LABELS, "score") + " ", style="dim")
    top.append("–" if e.score is None else f"{e.score:.1f}", style="bold")
    top.append("  " + label(LABELS, "tier") + " ", style="dim")
    top.append(safe(e.tier_label(long=True)), style="bold")
    extras = []
    if e.key_account and e.share is not None:
        extras.append(label(LABELS, "key_account").format(share=e.share))
    if e.coverage < 0.999:
        extras.append(label(LABELS, "coverage").format(coverage=e.coverage))
    extras.append(label(LABELS, "as_of").format(day=e.today.isoformat()))
    top.append("  ·  " + "  ·  ".join(extras), style="dim")
    parts: list[RenderableType] = [top]
    if e.override is not None:
        o = e.override
        line = plain(label(LABELS, "override").format(tier=o.tier, reason=o.reason))
        if e.drift:
            line.append(" — " + label(LABELS, "drift").format(tier=e.computed_tier), style="yellow")
        parts.append(line)
    if e.score is None:
        parts.append(Text(label(LABELS, "not_scored").format(coverage=e.coverage), style="yellow"))
    if e.policy is not None:
        policy = label(LABELS, "policy").format(**e.policy.line_values(label(LABELS, "no_cap")))
        parts.append(plain(policy, style="dim"))

    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="dim", expand=True)
    table.add_column(label(LABELS, "dimension"), no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column(label(LABELS, "points"), justify="right", no_wrap=True)
    table.add_column(label(LABELS, "weight"), justify="right", no_wrap=True)
    table.add_column(label(LABELS, "why"), ratio=1, overflow="fold")
    for d in e.dimensions():
        points = "–" if d.points is None else f"{d.points:.0f}"
        table.add_row(
            plain(dimension_label(d.name)),
            bar(d.points),
            points,
            f"{d.weight:g}",
            plain(keep_together(d.why), style="dim"),
        )
    parts += [Text(), heading(label(LABELS, "dimensions")), table]

    parts += [Text(), heading(label(LABELS, "risks"))]
    if e.risks:
        risks = Table(box=None, padding=(0, 1), show_edge=False, show_header=False, expand=True)
        risks.add_column(no_wrap=True)
        risks.add_column(no_wrap=True)
        risks.add_column(ratio=1, overflow="fold")
        for r in e.risks:
            risks.add_row(
                Text(severity_word(r.severity), style=SEVERITY_STYLE.get(r.severity, "")),
                plain(r.code),
                plain(keep_together(r.why)),
            )
        parts.append(risks)
    else:
        parts.append(Text(label(LABELS, "no_risks"), style="dim"))

    parts += [Text(), heading(label(LABELS, "assessment"))]
    for number, answer in enumerate(a.answers, 1):
        line = Text(f"{number}. ")
        line.append(safe(answer.question))
        line.append("  ")
        line.append(answer.word, style=ANSWER_STYLE.get(answer.answer, "bold"))
        parts.append(line)
        parts.append(plain(f"   {answer.why}", style="dim"))
    parts.append(Text(label(LABELS, "recommendation").format(recommendation=a.advice), style="bold"))
    for reason in a.reasons:
        parts.append(plain(f"  - {reason}"))
    return Group(*parts)
