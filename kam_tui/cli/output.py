"""Printing for the CLI: escaped values, aligned tables, JSON, and messages on stderr."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from typing import Any, TextIO

from kam_tui.model.text import printable

OK, PROBLEMS, REFUSED = 0, 1, 2


def clean(value: Any) -> str:
    """Text from a file, made harmless for a terminal: control characters shown escaped."""
    return printable(value)


def width(text: str) -> int:
    """Terminal cells a text takes: two for CJK and emoji, none for combining marks and joiners.

    Rich's grapheme-aware `cell_len` is the one measure: Textual draws the TUI with it, so the
    CLI's tables and the TUI's agree. Imported on first non-ASCII text (rich costs ~9 ms to
    import, which all-ASCII output never pays)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def pad(text: str, size: int) -> str:
    """Pad to `size` terminal cells (never cut): aligned labels in any language."""
    return text + " " * (size - width(text))


# Where a line of text may break: between words, and between two CJK characters (which have no
# spaces between them); a closing mark (，。）) stays with the character before it, an opening one
# (（《“) with the character after it.
_WIDE = "\u2e80-\u303e\u3040-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
_OPENING = "\uff08\u300a\u300c\u300e\u3010\u201c\u2018"
_CLOSING = "\uff0c\u3002\u3001\uff1b\uff1a\uff09\u300b\u300d\u300f\u3011\uff01\uff1f\u201d\u2019"
_PIECE = re.compile(rf"\s+|[{_OPENING}]*[{_WIDE}][{_CLOSING}]*|[^\s{_WIDE}{_OPENING}]+[{_CLOSING}]*|\S")


def wrap(text: str, size: int) -> list[str]:
    """`text` in lines of at most `size` terminal cells (a longer word gets a line of its own),
    breaking at spaces and between CJK characters."""
    lines: list[str] = []
    line, used = "", 0
    for piece in _PIECE.findall(text):
        if piece.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        cells = width(piece)
        if line and used + cells > size:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + piece, used + cells
    if line.strip():
        lines.append(line.rstrip())
    return lines


def fit(text: str, size: int) -> str:
    """Cut (with '…') and pad to exactly `size` cells, never splitting a wide character or
    separating a combining mark from its letter."""
    used = width(text)
    if used > size:
        # the longest prefix that fits in size - 1 cells (width never shrinks as text grows)
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if width(text[:middle]) <= size - 1:
                low = middle
            else:
                high = middle - 1
        text = text[:low] + "…"
        used = width(text)
    return text + " " * (size - used)


def table(
    rows: list[list[str]], headers: list[str], out: TextIO | None = None, max_widths: dict[int, int] | None = None
) -> None:
    """Aligned columns. Worked column by column, so the common all-ASCII, all-printable column
    costs a few C-level passes (measured: 50,000 rows in a fraction of a second)."""
    out = out or sys.stdout
    limits = max_widths or {}
    columns = [list(col) for col in zip(*rows)] if rows else [[] for _ in headers]
    padded = []
    for index, (header, column) in enumerate(zip(headers, columns)):
        joined = "".join(column)
        if not joined.isprintable():
            column = [clean(cell) for cell in column]
            joined = "".join(column)
        sizes = list(map(len, column)) if joined.isascii() else list(map(width, column))
        size = max([width(header), *sizes])
        size = min(size, limits.get(index, size))
        cells = [cell + " " * (size - n) if n <= size else fit(cell, size) for cell, n in zip(column, sizes)]
        padded.append([fit(header, size), *cells])
    lines = ["  ".join(parts).rstrip() for parts in zip(*padded)] if padded else []
    out.write("\n".join(lines) + "\n")


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
    """`kam: message` on stderr; a message of several lines (git's, a hook's) stays lines."""
    note(f"kam: {message}")


def note(message: str) -> None:
    print("\n".join(clean(line) for line in str(message).split("\n")), file=sys.stderr)
