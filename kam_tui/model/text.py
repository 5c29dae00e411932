"""Text from files, made safe to show: control characters written as escapes."""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_JOINER = "\u200d"  # joins emoji into one picture (👩‍💻); moves no cursor, drives nothing

# C0 controls but newline and tab, DEL and C1 (U+0080-U+009F; U+009B alone is a CSI)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(value: object) -> str:
    """`value` as text in which no character can drive a terminal (ESC, CSI, BEL, …) or reorder
    what is shown (bidirectional overrides). Spaces of every width (the ideographic space U+3000
    of Chinese text, no-break spaces) and the emoji joiner are text and stay as they are."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if _shown(ch) else _escape(ch) for ch in text)


def _shown(ch: str) -> bool:
    return ch.isprintable() or ch == ZERO_WIDTH_JOINER or unicodedata.category(ch) == "Zs"


def _escape(ch: str) -> str:
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def control_characters(text: str) -> str:
    """The control characters in `text` other than newline and tab, escaped ("" when none):
    what a text value must not hold, since it would drive the terminal of whoever reads it."""
    return "".join(dict.fromkeys(_escape(ch) for ch in _CONTROL.findall(text)))


def double_quoted(value: str) -> str:
    """`value` as a YAML double-quoted scalar that reads back as the same text: every character
    that is not printable escaped (YAML also breaks lines at U+0085, U+2028 and U+2029, which
    JSON would leave raw; a raw ESC makes the file unreadable)."""
    out = ['"']
    for ch in value:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable() and ch != "\ufeff":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
