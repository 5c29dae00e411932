"""The portfolio at a glance, the line above the accounts table: accounts per tier, the 20/80
figure, how many carry risk flags, open actions overdue, files with errors.

Each figure is one part; the line breaks only between parts (never inside "6 with risk flags"),
so it reads at 80 columns on two lines. The sync state is the header's (the sub-title), not this
line's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from kam_tui.i18n import _, ngettext
from kam_tui.model.schema import TIERS
from kam_tui.tui.widgets.account_rows import TIER_STYLE

if TYPE_CHECKING:
    from kam_tui.tui.gateway import PortfolioView

SEPARATOR = " · "


def glance_parts(
    count: int, portfolio: PortfolioView | None, problems: int, late_actions: int | None = None
) -> list[Text]:
    """The figures, one part each; what is not known yet (scores, the index: None) is left out."""
    parts = [Text(ngettext("{n} account", "{n} accounts", count).format(n=f"{count:,}"), style="bold")]
    if portfolio is not None:
        tiers = {tier: 0 for tier in TIERS}
        flagged = 0
        for s in portfolio.scores.values():
            if s.tier in tiers:
                tiers[s.tier] += 1
            flagged += bool(s.risks)
        counts = Text()
        for tier in TIERS:
            counts.append(SEPARATOR if counts else "", style="dim")
            counts.append(f"{tier} ", style=TIER_STYLE[tier]).append(f"{tiers[tier]:,}")
        parts.append(counts)
        top20 = portfolio.concentration.top20_share
        if top20 is not None:
            parts.append(Text(_("top 20% = {share} of sell-through").format(share=f"{top20:.0%}")))
        parts.append(Text(_("{n} with risk flags").format(n=f"{flagged:,}"), style="red" if flagged else ""))
    if late_actions is not None:
        overdue = ngettext("{n} open action overdue", "{n} open actions overdue", late_actions)
        parts.append(Text(overdue.format(n=f"{late_actions:,}"), style="bold red" if late_actions else ""))
    if problems:
        errors = ngettext("{n} file with errors (below)", "{n} files with errors (below)", problems)
        parts.append(Text(errors.format(n=problems), style="bold yellow"))
    return parts


def pack(parts: list[Text], width: int) -> Text:
    """The parts joined by ` · `, a new line where the next part would not fit in `width`."""
    text = Text()
    used = 0
    for part in parts:
        size = cell_len(part.plain)
        if used and width > 0 and used + len(SEPARATOR) + size > width:
            text.append("\n")
            used = 0
        if used:
            text.append(SEPARATOR, style="dim")
            used += len(SEPARATOR)
        text.append_text(part)
        used += size
    return text


class GlanceLine(Static):
    """`show(parts)`; re-packed when the width changes."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._parts: list[Text] = []

    def show(self, parts: list[Text]) -> None:
        self._parts = parts
        self.update(pack(parts, self.content_size.width))

    def on_resize(self, event: Resize) -> None:
        self.update(pack(self._parts, self.content_size.width))
