"""Values from files and git as text that is safe on a terminal.

Everything a screen shows that came from an account file, kam.yaml, a playbook or git goes
through here: it becomes a Rich `Text` (never parsed as markup, so `[@click=app.quit]` is just
characters) with every control character written as a visible escape (`\\x1b`), so an OSC title,
a CSI clear or an SGR colour in a field can never reach the terminal.
"""

from __future__ import annotations

import re

from rich.style import StyleType
from rich.text import Text

from kam_tui.model.text import printable


def safe(value: object) -> str:
    """One line of text with control characters made visible (newlines too)."""
    return printable(value)


def plain(value: object, style: StyleType = "") -> Text:
    """A value as one line of plain text."""
    return Text(printable(value), style=style)


def lines(value: object, style: StyleType = "") -> Text:
    """Text that may run over several lines (notes, error messages): line breaks kept, every
    other control character made visible."""
    text = "" if value is None else str(value)
    return Text("\n".join(printable(line) for line in text.split("\n")), style=style)


def pasted(text: str) -> str:
    """Pasted text with its line breaks (any: \\r\\n too) kept as newlines and every other control
    character made visible."""
    return "\n".join(printable(line) for line in text.splitlines())


def safe_cell(cell: Text) -> Text:
    """A Text built elsewhere, made safe when it carries a control character (styles of its
    spans are dropped then; the words are what matter)."""
    if cell.plain.isprintable():
        return cell
    return Text(printable(cell.plain), style=cell.style, justify=cell.justify)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def filled(template: str, style: StyleType = "", **values: str | tuple[object, StyleType]) -> Text:
    """A sentence from the catalogue with its `{name}` placeholders filled by values shown as
    plain text, each in its own style (`name=(value, style)`) — the translation decides where
    they go, so a label is never glued to a value in English word order."""
    text = Text(style=style)
    for i, part in enumerate(_PLACEHOLDER.split(template)):
        if i % 2 == 0:
            text.append(part)
            continue
        value = values[part]
        shown, part_style = value if isinstance(value, tuple) else (value, "")
        text.append(printable(shown), style=part_style)
    return text
