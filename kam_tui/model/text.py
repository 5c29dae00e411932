"""Text from files, made safe to show: control characters written as escapes."""

from __future__ import annotations


def printable(value: object) -> str:
    """`value` as text in which no character can drive a terminal (ESC, CSI, BEL, …)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
