"""Printing for the CLI: escaped values, aligned tables, JSON, and messages on stderr."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from typing import Any, TextIO

OK, PROBLEMS, REFUSED = 0, 1, 2


def clean(value: Any) -> str:
    """Text from a file, made harmless for a terminal: control characters shown escaped."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_MAYBE_WIDE = re.compile(r"[\u1100-\U0003ffff]")


def width(text: str) -> int:
    """Terminal cells: CJK and other wide characters take two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in _MAYBE_WIDE.findall(text) if unicodedata.east_asian_width(ch) in "WF")


def fit(text: str, size: int) -> str:
    """Cut and pad to a display width (CJK characters take two cells)."""
    if width(text) > size:
        out, used = "", 0
        for ch in text:
            w = width(ch)
            if used + w > size - 1:
                break
            out, used = out + ch, used + w
        text = out + "…"
    return text + " " * (size - width(text))


def table(rows: list[list[str]], headers: list[str], out: TextIO | None = None,
          max_widths: dict[int, int] | None = None) -> None:
    out = out or sys.stdout
    cells = [_measured(row) for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, (_, size) in enumerate(row):
            if size > widths[i]:
                widths[i] = size
    for i, limit in (max_widths or {}).items():
        widths[i] = min(widths[i], limit)
    lines = ["  ".join(fit(h, widths[i]) for i, h in enumerate(headers)).rstrip()]
    for row in cells:
        lines.append("  ".join(text + " " * (widths[i] - size) if size <= widths[i] else fit(text, widths[i])
                               for i, (text, size) in enumerate(row)).rstrip())
    out.write("\n".join(lines) + "\n")


def _measured(row: list[str]) -> list[tuple[str, int]]:
    """Each cell cleaned and its width; one check for the common all-plain-ASCII row."""
    joined = "".join(row)
    if joined.isascii() and joined.isprintable():
        return [(cell, len(cell)) for cell in row]
    return [(text, width(text)) for text in map(clean, row)]


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "as_json"):
        return value.as_json()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_C1 = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def print_json(data: Any, out: TextIO | None = None) -> None:
    """JSON with CJK kept readable; C1 controls (e.g. U+009B, a one-byte CSI) escaped like C0."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
    (out or sys.stdout).write(text.translate(_C1) + "\n")


def error(message: str) -> None:
    print(f"kam: {clean(message)}", file=sys.stderr)


def note(message: str) -> None:
    print(clean(message), file=sys.stderr)
