"""Printing for the CLI: escaped values, aligned tables, JSON, and messages on stderr."""

from __future__ import annotations

import datetime as dt
import json
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


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


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
    cells = [[clean(c) for c in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], width(cell))
    for i, limit in (max_widths or {}).items():
        widths[i] = min(widths[i], limit)
    print("  ".join(fit(h, widths[i]) for i, h in enumerate(headers)).rstrip(), file=out)
    for row in cells:
        print("  ".join(fit(c, widths[i]) for i, c in enumerate(row)).rstrip(), file=out)


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
