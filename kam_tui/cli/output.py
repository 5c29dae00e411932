"""Printing for the CLI: escaped values, aligned tables, JSON, and messages on stderr."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
import unicodedata
from typing import Any, TextIO

from kam_tui.model.text import printable

OK, PROBLEMS, REFUSED = 0, 1, 2


def clean(value: Any) -> str:
    """Text from a file, made harmless for a terminal: control characters shown escaped."""
    return printable(value)


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
    """Strict JSON with CJK kept readable: C1 controls (e.g. U+009B, a one-byte CSI) escaped like
    C0, non-finite numbers (`.nan`, `.inf` in a file) as the strings "nan"/"inf"/"-inf", and a
    file name that is not UTF-8 escaped rather than crashing the output."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=_json_default)
    text = text.translate(_C1).encode("utf-8", "backslashreplace").decode("utf-8")
    (out or sys.stdout).write(text + "\n")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "as_json"):
        return _finite(value.as_json())
    return value


def error(message: str) -> None:
    print(f"kam: {clean(message)}", file=sys.stderr)


def note(message: str) -> None:
    print(clean(message), file=sys.stderr)
