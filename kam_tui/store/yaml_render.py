"""Values as YAML text: a scalar in the file's own quoting style, a key, a flow line (`[wang, li]`).

What the surgical editor writes and what merges and messages quote. The text is read back by the
editor before it is kept (`yaml_edit.apply_edits`), so a rendering here is never trusted unchecked.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from kam_tui.model.text import double_quoted
from kam_tui.store.yamlread import YamlProblem, resolve_plain


class Unsupported(Exception):
    """The text editor cannot write this value or edit this place; the ruamel round trip may."""


def flow_text(value: Any) -> str:
    """A value as one line of YAML flow text: `[wang, li]`, `{capital: 3}`, `true`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_key(str(k))}: {flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    rendered = render_scalar(value, "", 0, "\n")
    if isinstance(value, str) and (rendered == value and any(c in value for c in ",[]{}") or rendered.startswith("|")):
        return double_quoted(value)
    return rendered


_PLAIN_UNSAFE_START = set("-?:,[]{}#&*!|>'\"%@`")


def render_key(key: str) -> str:
    if _plain_ok(key) and not any(c in key for c in ",[]{}"):
        return key
    return double_quoted(key)


def render_scalar(value: Any, style: str, indent: int, nl: str) -> str:
    """One value as YAML text, keeping the original quoting style where it still fits."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise Unsupported
    if "\n" in value and style in ("|", ">", "") and not value[:1].isspace() and _printable(value):
        return _literal_block(value, indent, nl)
    if style == "'" and "\n" not in value and _printable(value):
        return "'" + value.replace("'", "''") + "'"
    if style in ("", "|", ">") and _plain_ok(value):
        return value
    return double_quoted(value)


def _printable(value: str) -> bool:
    return all(c == "\n" or (c.isprintable() and c != "\t") for c in value) and "\r" not in value


def _plain_ok(value: str) -> bool:
    if not value or value != value.strip() or not _printable(value) or "\n" in value:
        return False
    if value[0] in _PLAIN_UNSAFE_START or ": " in value or " #" in value or value.endswith(":"):
        return False
    try:
        return resolve_plain(value) == value
    except YamlProblem:
        return False


def _literal_block(value: str, indent: int, nl: str) -> str:
    body = value.rstrip("\n")
    trailing = len(value) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    pad = " " * indent
    lines = [(pad + line) if line else "" for line in body.split("\n")]
    tail = nl * (trailing - 1) if trailing > 1 else ""
    return f"|{chomp}{nl}" + nl.join(lines) + nl + tail
