"""A read-only table that renders only the rows on screen (Textual's Line API).

Why not DataTable: it measures and stores every cell up front — measured on Textual 8,
10,000 accounts take ~1 s to the first frame and 0.4–0.7 s per keystroke of a live filter.
Here `set_rows` costs one width pass over plain strings and a frame renders ~30 lines, so a
filter keystroke over 10,000 accounts stays well under a frame. Cell widths use terminal cells,
so Chinese names (two cells a character) stay aligned; text is never parsed as markup, and a
control character in a cell is shown as an escape (`\x1b`), never sent to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.segment import Segment
from rich.style import Style, StyleType
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kam_tui.i18n import N_

from kam_tui.tui.safe_text import safe, safe_cell

Cell = str | Text  # a str is shown as typed (never as markup)
Row = tuple[str, Sequence[Cell]]  # (key, cells)

GAP = 2  # cells between columns
LEFT = 1  # cells before the first column


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    max_width: int = 40  # an auto-sized column never grows past this
    min_width: int = 1
    justify: JustifyMethod = "left"
    flex: bool = False  # shrinks (to min_width) when the table is too wide for the screen
    drop: int = 0  # when still too wide, columns with the highest `drop` are hidden first (0: never)
    soft_width: int = 0  # a flex column shrinks to this before any column is dropped (0: min_width)
    # the style of a str cell, from its text: applied to the rows on screen only, so a table of
    # 10,000 rows is built of plain strings (cheap to build and to measure) yet shown in colour
    style: Callable[[str], StyleType] | None = None


def widest(texts: Iterable[str]) -> int:
    """The width in cells of the widest text. A character takes at most two cells, so once sorted
    by length only the texts that could still be the widest are measured: a column of 10,000
    names costs a sort and a few measures, not 10,000 (25 ms of the launch)."""
    width = 0
    for text in sorted(texts, key=len, reverse=True):
        if 2 * len(text) <= width:
            break
        width = max(width, cell_len(text))
    return width


_Key = TypeVar("_Key", bound=str | None)


class _TableMessage(Message, Generic[_Key]):
    """What a VirtualTable says about one of its rows or columns (`key`); the table is its `control`."""

    def __init__(self, table: VirtualTable, key: _Key) -> None:
        super().__init__()
        self.table = table
        self.key = key

    @property
    def control(self) -> VirtualTable:
        return self.table


class VirtualTable(ScrollView, can_focus=True):
    """Rows of cells with a header and a row cursor; Enter (or a double click) selects."""

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        & > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .virtual-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-table--empty { color: $text-muted; text-style: italic; }
        &:focus > .virtual-table--column { text-style: bold reverse; }
        & > .virtual-table--column { text-style: bold underline; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--empty",
        "virtual-table--column",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Open"), tooltip=N_("Open the highlighted row")),
        Binding("up,k", "cursor_up", N_("Up"), show=False),
        Binding("down,j", "cursor_down", N_("Down"), show=False),
        Binding("pageup", "page_up", N_("Page up"), show=False),
        Binding("pagedown", "page_down", N_("Page down"), show=False),
        Binding("home", "first", N_("First row"), show=False),
        Binding("end", "last", N_("Last row"), show=False),
        Binding("left", "column(-1)", N_("Column left"), show=False),
        Binding("right", "column(1)", N_("Column right"), show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(_TableMessage[str | None]):
        """The cursor moved to the row `key` (None: the table is empty)."""

    class HeaderClicked(_TableMessage[str]):
        """The header of column `key` was clicked."""

    class Selected(_TableMessage[str]):
        """Row `key` was chosen (Enter or double click)."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns: tuple[Column, ...] = tuple(columns)
        self._rows: list[Row] = []
        self._natural: list[int] = self._label_widths()
        self._widths: list[int] = list(self._natural)
        self._shown: list[int] = list(range(len(self._columns)))  # columns not dropped for lack of room
        self.empty_text = empty_text
        self.column_cursor = 0  # the column `o`/`O` sort by, marked in the header
        self.sort_key: str | None = None  # shown with ▲ (ascending) or ▼ beside its label
        self.sort_descending = False

    # --- data ----------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def row_keys(self) -> list[str]:
        return [key for key, _ in self._rows]

    @property
    def cursor_key(self) -> str | None:
        return self._rows[self.cursor][0] if self._rows else None

    def row(self, key: str) -> Sequence[Cell] | None:
        for row_key, cells in self._rows:
            if row_key == key:
                return cells
        return None

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (rows must be set again to match them)."""
        self._columns = tuple(columns)
        self._shown = list(range(len(self._columns)))
        self.set_rows([])

    @property
    def focused_column(self) -> Column:
        return self._columns[self.column_cursor]

    def measure(
        self, rows: Sequence[Row], columns: Iterable[int] | None = None, widths: Sequence[int] | None = None
    ) -> list[int]:
        """The natural width of each column for these rows (pass it to `set_rows` to show a
        subset of them, e.g. a filter's matches, without measuring again). With `columns`, only
        those are measured and the others keep their `widths` (a pass that changed a few cells).
        Equal strings are measured once (a tier or a stage column holds a handful of values)."""
        natural = self._label_widths()
        measured = list(range(len(natural))) if columns is None else list(columns)
        kept = list(widths) if widths is not None and columns is not None else natural
        by_column = list(zip_longest(*(cells for _, cells in rows), fillvalue=""))
        for i in measured:
            column = by_column[i] if i < len(by_column) else ()
            texts = {cell for cell in column if isinstance(cell, str)}
            styled = [cell.cell_len for cell in column if isinstance(cell, Text)]
            natural[i] = max([natural[i], widest(texts), *styled])
        # a heading is never cut to max_width (近 12 月销售额 is wider than SALES 12M)
        fitted = [max(c.min_width, min(w, max(c.max_width, cell_len(c.label)))) for c, w in zip(self._columns, natural)]
        return [fitted[i] if i in measured else kept[i] for i in range(len(fitted))]

    def set_rows(self, rows: Sequence[Row], keep_cursor: bool = True, widths: Sequence[int] | None = None) -> None:
        """Show these rows; the cursor stays on the same key when it is still there. `widths`
        (from `measure`) skips measuring them."""
        previous = self.cursor_key if keep_cursor else None
        self._rows = rows if isinstance(rows, list) else list(rows)
        self._natural = list(widths) if widths is not None else self.measure(self._rows)
        self._layout()
        index = 0
        if previous is not None:
            index = next((i for i, (key, _) in enumerate(self._rows) if key == previous), 0)
        self.cursor = index
        # the new height is known to the scrollbars only after the next refresh: scroll again then
        self.call_after_refresh(self._scroll_to_cursor)

    def move_to(self, key: str) -> bool:
        for i, (row_key, _) in enumerate(self._rows):
            if row_key == key:
                self.cursor = i
                return True
        return False

    def _label_widths(self) -> list[int]:
        return [cell_len(c.label) + 2 for c in self._columns]  # room for the sort mark

    # --- layout --------------------------------------------------------------------------------

    def _layout(self) -> None:
        """Fit the columns to the width: when too wide, flex columns give room back, the last
        one first (down to their min_width); beyond that the table scrolls sideways."""
        widths = list(self._natural)
        # the room beside the vertical scrollbar the rows will need (whether or not it shows yet)
        overflow = len(self._rows) + 1 > self.size.height
        available = max(0, self.size.width - (self.styles.scrollbar_size_vertical if overflow else 0))
        shown = list(range(len(widths)))
        over = LEFT + sum(widths) + GAP * max(0, len(widths) - 1) - available
        flex = [i for i, c in enumerate(self._columns) if c.flex][::-1]  # the last gives room first

        def shrink(floor: dict[int, int]) -> None:
            nonlocal over
            for i in flex:
                give = min(over, max(0, widths[i] - floor[i]))
                widths[i] -= give
                over -= give

        if available and over > 0:
            shrink({i: max(self._columns[i].soft_width, self._columns[i].min_width) for i in flex})
        droppable = sorted((i for i, c in enumerate(self._columns) if c.drop), key=lambda i: -self._columns[i].drop)
        while available and over > 0 and droppable:
            i = droppable.pop(0)
            shown.remove(i)
            over -= widths[i] + GAP
        if available and over > 0:
            shrink({i: self._columns[i].min_width for i in flex})
        if available and over < 0:  # room left after dropping: the flex columns take it back
            for i in [i for i in shown if self._columns[i].flex]:
                grow = min(-over, self._natural[i] - widths[i])
                widths[i] += grow
                over += grow
        self._shown = shown
        self._widths = widths
        if self.column_cursor not in shown and shown:
            self.column_cursor = shown[0]
        total = LEFT + sum(widths[i] for i in shown) + GAP * max(0, len(shown) - 1)
        self.virtual_size = Size(total, len(self._rows) + 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self._scroll_to_cursor()

    def watch_show_vertical_scrollbar(self) -> None:
        """The vertical scrollbar takes its width from the columns (no Resize says so): fit them
        again, or a table that just fitted would scroll sideways by the scrollbar's width."""
        self._layout()

    # --- rendering -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        full = max(width, self.virtual_size.width)
        base = self.rich_style
        if y == 0:
            text = self._line(self._labels(), styled=False)
            style = base + self.get_component_rich_style("virtual-table--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                if index == 0 and self.empty_text:
                    text = Text(" " * LEFT + safe(self.empty_text), no_wrap=True, end="")
                    style = base + self.get_component_rich_style("virtual-table--empty")
                    return self._strip(text, style, full).crop_extend(scroll_x, scroll_x + width, base)
                return Strip.blank(width, base)
            text = self._line(self._rows[index][1], styled=True)
            style = base
            if index == self.cursor:
                text.stylize(self.get_component_rich_style("virtual-table--cursor"))
        return self._strip(text, style, full).crop_extend(scroll_x, scroll_x + width, base)

    def _labels(self) -> list[Cell]:
        labels: list[Cell] = []
        for i, column in enumerate(self._columns):
            label = column.label
            if column.key == self.sort_key:
                label += " ▼" if self.sort_descending else " ▲"
            if i == self.column_cursor:
                labels.append(Text(label, style=self.get_component_rich_style("virtual-table--column")))
            else:
                labels.append(label)
        return labels

    def _line(self, cells: Sequence[Cell], styled: bool) -> Text:
        """One line of cells fitted to the column widths; `styled`: str cells take their column's style."""
        line = Text(" " * LEFT, no_wrap=True, end="")
        last = self._shown[-1] if self._shown else -1
        for i in self._shown:
            width = self._widths[i]
            cell = cells[i] if i < len(cells) else ""
            column = self._columns[i]
            if isinstance(cell, Text):
                text = safe_cell(cell).copy()
            else:
                style = column.style(cell) if styled and column.style is not None and cell else ""
                text = Text(safe(cell), style=style)
            text.no_wrap = True
            text.end = ""
            text.truncate(width, overflow="ellipsis")
            pad = width - text.cell_len
            if column.justify == "right":
                line.append(" " * pad)
                line.append_text(text)
            else:
                line.append_text(text)
                line.append(" " * pad)
            if i != last:
                line.append(" " * GAP)
        return line

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        text.stylize_before(style)
        text.truncate(width, pad=True)
        segments = [s for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments, width).simplify() if segments else Strip([Segment(" " * width, style)], width)

    # --- cursor --------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top, visible = int(self.scroll_y), self._visible_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._visible_rows()

    def action_page_down(self) -> None:
        self.cursor += self._visible_rows()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.Selected(self, self._rows[self.cursor][0]))

    def action_column(self, step: int) -> None:
        """Move the column mark (the column `o`/`O` sort by) among the columns shown."""
        if not self._shown:
            return
        at = self._shown.index(self.column_cursor) if self.column_cursor in self._shown else 0
        self.column_cursor = self._shown[max(0, min(len(self._shown) - 1, at + step))]
        self.refresh()

    def column_at(self, x: int) -> Column | None:
        """The column under the screen cell x of this widget."""
        offset = LEFT - int(self.scroll_x)
        for i in self._shown:
            if offset <= x < offset + self._widths[i] + GAP:
                return self._columns[i]
            offset += self._widths[i] + GAP
        return None

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = self.column_at(event.x)
            if column is not None:
                self.column_cursor = self._columns.index(column)
                self.post_message(self.HeaderClicked(self, column.key))
            return
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self._rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_select_cursor()
