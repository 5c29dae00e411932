"""Charts drawn with block characters, for people who would rather look than read.

A chart is rows of bars under a title; it fits the width it is given (80 columns included),
labels keep their terminal width (Chinese names take two cells a character) and every label is
plain text, never markup. Stacked parts use a different shade each, so the chart reads without
colour too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from kam_tui.model.text import printable

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
MAX_LABEL = 18  # cells; a longer label is cut
MIN_BAR = 10


@dataclass(frozen=True, slots=True)
class Part:
    value: float
    style: str = ""
    char: str = FULL  # a whole cell of the part (stacked parts each have their own)


@dataclass(frozen=True, slots=True)
class BarRow:
    """One row: a label, one or more parts laid end to end, and the figure written after them."""

    label: str
    parts: tuple[Part, ...]
    figure: str = ""

    @property
    def total(self) -> float:
        return sum(max(p.value, 0.0) for p in self.parts)


def bar(value: float, style: str = "", figure: str = "", label: str = "") -> BarRow:
    return BarRow(label, (Part(value, style),), figure)


def _cells(part: Part, width: float, last: bool) -> Text:
    """A part `width` cells long (fractions in eighths, for a lone solid bar)."""
    whole = int(width)
    text = part.char * whole
    rest = width - whole
    if last and part.char == FULL and rest >= 1 / 8:
        text += EIGHTHS[int(rest * 8)]
    return Text(text, style=part.style)


def render_rows(rows: Sequence[BarRow], width: int, maximum: float | None = None) -> Text:
    """The rows as lines of text `width` cells wide at most; bars scaled to `maximum` (default:
    the largest row)."""
    if not rows:
        return Text()
    labels = [printable(r.label) for r in rows]
    figures = [printable(r.figure) for r in rows]
    label_width = min(max(cell_len(x) for x in labels), MAX_LABEL)
    figure_width = max(cell_len(x) for x in figures)
    room = max(width - label_width - figure_width - 3, MIN_BAR)
    top = maximum if maximum is not None else max(r.total for r in rows)
    out = Text(no_wrap=True, overflow="crop")
    for n, (row, label, figure) in enumerate(zip(rows, labels, figures)):
        if n:
            out.append("\n")
        out.append(set_cell_size(label, label_width) + " ")
        drawn = 0
        for index, part in enumerate(row.parts):
            cells = room * max(part.value, 0.0) / top if top > 0 else 0.0
            piece = _cells(part, min(cells, room - drawn), index == len(row.parts) - 1)
            out.append_text(piece)
            drawn += cell_len(piece.plain)
        out.append(" " * max(room - drawn, 0) + " " + figure)
    return out


class BarChart(Widget):
    """A titled chart of bar rows, redrawn to the widget's width."""

    DEFAULT_CSS = """
    BarChart { height: auto; margin: 0 0 1 0; }
    """

    def __init__(
        self,
        title: str,
        rows: Sequence[BarRow],
        *,
        maximum: float | None = None,
        note: str = "",
        legend: Text | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title = title
        self.rows = list(rows)
        self.maximum = maximum
        self.note = note
        self.legend = legend

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + (self.legend is not None) + max(len(self.rows), 1) + bool(self.note)

    def render(self) -> Text:
        text = Text(printable(self.title), style="bold", no_wrap=True, overflow="ellipsis")
        if self.legend is not None:
            text.append("\n")
            text.append_text(self.legend)
        text.append("\n")
        text.append_text(render_rows(self.rows, self.size.width, self.maximum))
        if self.note:
            text.append("\n")
            text.append(printable(self.note), style="dim")
        return text
