"""Safe, fast reading of account YAML, with the position of every key and value.

libyaml's C parser produces the events; we build the data ourselves so that we can
refuse what an account file must never contain (tags, anchors, aliases, duplicate
keys, deep nesting, huge numbers) *before* anything is constructed, resolve scalars
by one set of rules (YAML 1.2 core schema plus dates), and remember where each value
sits so errors name a line and edits can touch exactly the bytes of one value.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml

from kam_tui.i18n import N_, _
from kam_tui.model.problems import Problem

# libyaml's C parser when PyYAML was built with it (the wheels are); otherwise PyYAML's own
# parser gives the same events, about ten times slower, and kam says so once per command.
if hasattr(yaml, "CSafeLoader"):
    _LOADER: Any = yaml.CSafeLoader
    SLOW_READING: str | None = None
else:
    _LOADER = yaml.SafeLoader
    SLOW_READING = (
        "PyYAML has no libyaml here, so kam reads YAML with its pure-Python parser, about ten times "
        "slower; install a PyYAML built with libyaml (`pip install --force-reinstall pyyaml`)"
    )

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 12
MAX_INT_DIGITS = 30

Path_ = tuple[str | int, ...]


class Span(NamedTuple):
    """Where a node sits in the text: 1-based line/col, character offsets, and its style.

    A NamedTuple, not a frozen dataclass: one is made per node, and that is measurably cheaper."""

    line: int
    col: int
    start: int
    end: int
    style: str  # "" plain, "'" / '"' quoted, "|" / ">" block scalar, "{" / "[" flow, "block"
    raw: str | None = None  # a scalar's source text before resolution


@dataclass(slots=True)
class Document:
    """A parsed file: the decoded text, its data, and where every path sits."""

    text: str
    data: Any
    values: dict[Path_, Span]
    keys: dict[Path_, Span]
    bom: bool = False
    newline: str = "\n"


class YamlProblem(Exception):
    """The file cannot be read as a safe account document."""

    def __init__(self, line: int, col: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.col, "error", self.message, self.hint)


_CONFLICT = re.compile(r"^(<{7}|>{7}|={7}|\|{7})(?: |$)", re.M)
_TAB_INDENT = re.compile(r"^ *\t", re.M)
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INF = {
    ".inf": float("inf"),
    ".Inf": float("inf"),
    ".INF": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    "-.Inf": float("-inf"),
    "-.INF": float("-inf"),
}


def resolve_plain(raw: str) -> Any:
    """Turn a plain (unquoted) scalar into a value. One rule set for the whole product.

    Its YamlProblem has no position (line 0): the parser, which knows where, adds it."""
    if raw in _NULLS:
        return None
    first = raw[0]
    if first in "tTfF":
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        return raw
    if first in "0123456789+-.":
        if _INT.fullmatch(raw):
            if len(raw) > MAX_INT_DIGITS:
                raise YamlProblem(0, 0, _("number too long ({count} digits)").format(count=len(raw)))
            return int(raw.replace("_", ""))
        if _OCT.fullmatch(raw) or _HEX.fullmatch(raw):
            if len(raw) > MAX_INT_DIGITS:
                raise YamlProblem(0, 0, _("number too long ({count} characters)").format(count=len(raw)))
            return int(raw[2:], 8 if raw[1] == "o" else 16)
        if _DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise YamlProblem(0, 0, _("not a real date: {value}").format(value=raw)) from None
        if _FLOAT.fullmatch(raw) and any(c.isdigit() for c in raw):
            if len(raw) > MAX_INT_DIGITS + 10:
                raise YamlProblem(0, 0, _("number too long ({count} characters)").format(count=len(raw)))
            return float(raw.replace("_", ""))
        if raw in _INF:
            return _INF[raw]
    if raw in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return raw


# libyaml's words for what it could not read (problem and context), marked for the catalogue; one
# kam has no translation for is shown as libyaml says it.
PARSER_WORDS = (
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected key"),
    N_("could not find expected ':'"),
    N_("found character that cannot start any token"),
    N_("found unexpected end of stream"),
    N_("found unknown escape character"),
    N_("mapping values are not allowed in this context"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a quoted scalar"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning for the next token"),
)


def decode(raw: bytes) -> tuple[str, bool]:
    """Bytes to text, refusing what no account file should hold; says where."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(1, 1, _("file is {size:,} bytes; kam reads files of at most 1 MiB").format(size=len(raw)))
    nul = raw.find(b"\0")
    if nul >= 0:
        line, col = _line_col_bytes(raw, nul)
        raise YamlProblem(line, col, _("NUL byte in file (binary data?)"))
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(raw, exc.start)
        raise YamlProblem(line, col, _("invalid UTF-8 (byte {byte})").format(byte=f"0x{raw[exc.start]:02x}")) from None
    return text, bom


def _line_col_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _line_col_text(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - line_start(text, offset) + 1


def line_start(text: str, offset: int) -> int:
    """The offset where the line holding `offset` starts."""
    return text.rfind("\n", 0, offset) + 1


def line_after(text: str, offset: int) -> int:
    """The start of the line after the one holding `offset` (the end of the text if none)."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def node_at(data: Any, path: Path_) -> Any:
    """The value at `path` in parsed data; KeyError, IndexError or TypeError when it is not there."""
    for part in path:
        data = data[part]
    return data


def value_at(data: Any, path: Path_) -> Any:
    """The value at `path` in parsed data, or None when it is not there."""
    try:
        return node_at(data, path)
    except (KeyError, IndexError, TypeError):
        return None


def precheck(text: str) -> None:
    """Refuse what the parser may accept silently: conflict markers, tab indentation, and a
    byte-order mark past the start (the parser skips it, which would shift every position)."""
    stray = text.find("\ufeff")
    if stray >= 0:
        line, col = _line_col_text(text, stray)
        raise YamlProblem(line, col, _("byte-order mark (U+FEFF) inside the file; remove it"))
    match = _CONFLICT.search(text)
    if match:
        line, _col = _line_col_text(text, match.start())
        raise YamlProblem(line, 1, _("git conflict marker in file; resolve the merge first"))
    match = _TAB_INDENT.search(text)
    if match:
        line, col = _line_col_text(text, match.end() - 1)
        raise YamlProblem(line, col, _("tab character in indentation; indent with spaces"))


def parse_bytes(raw: bytes, positions: bool = True) -> Document:
    """Read one account file's bytes into a Document, or raise YamlProblem.

    `positions=False` skips recording where each value sits (a bulk read that only needs
    the data; re-read with positions to report a problem's line)."""
    text, bom = decode(raw)
    doc = parse_text(text, positions)
    doc.bom = bom
    return doc


def parse_text(text: str, positions: bool = True) -> Document:
    precheck(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        doc = _build(text, newline, positions)
    except yaml.reader.ReaderError as exc:  # carries a position, not a line
        line, col = _line_col_text(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            line, col, _("character {code} is not allowed in YAML (a control character?)").format(code=f"U+{code:04X}")
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _where(text, mark) if mark else (1, 1)
        problem, context = (_(text) if text else text for text in (exc.problem, exc.context))
        detail = f"{problem} ({context})" if context and problem else problem or context
        message = _("invalid YAML: {problem}").format(problem=detail) if detail else _("invalid YAML")
        raise YamlProblem(line, col, message) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, _("invalid YAML: {problem}").format(problem=exc)) from None
    if positions and any(c in text for c in _YAML_ONLY_BREAKS):
        _renumber(doc)
    return doc


# YAML 1.1 (libyaml) also breaks lines at these; git, editors and kam's messages do not
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def _where(text: str, mark: Any) -> tuple[int, int]:
    """A mark's line and column as git counts them (libyaml counts U+0085/2028/2029 as breaks)."""
    return _line_col_text(text, mark.index)


def _renumber(doc: Document) -> None:
    """Lines and columns of every span as git counts them, for a text holding a YAML-only break.

    The line starts are found once and each span looks its line up by bisection: counting from
    the top for every span took 14 s on a 0.7 MB file with 80,000 values."""
    text = doc.text
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    for table in (doc.values, doc.keys):
        for path, span in table.items():
            line = bisect_right(starts, span.start)
            table[path] = span._replace(line=line, col=span.start - starts[line - 1] + 1)


def _span(event: Any, style: str, raw: str | None = None) -> Span:
    mark = event.start_mark
    return Span(mark.line + 1, mark.column + 1, mark.index, event.end_mark.index, style, raw)


class _Frame:
    __slots__ = ("container", "path", "is_map", "pending_key", "start")

    def __init__(self, container: Any, path: Path_, is_map: bool, start: Any) -> None:
        self.container = container
        self.path = path
        self.is_map = is_map
        self.pending_key: str | None = None
        self.start = start


def _build(text: str, newline: str, positions: bool) -> Document:
    values: dict[Path_, Span] = {}
    keys: dict[Path_, Span] = {}
    stack: list[_Frame] = []
    root: Any = _MISSING
    documents = 0
    ScalarEvent, MapStart, SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        if kind is yaml.AliasEvent:
            m = event.start_mark
            raise YamlProblem(*_where(text, m), _("aliases (*name) are not allowed in kam's YAML files"))
        if kind is ScalarEvent or kind is MapStart or kind is SeqStart:
            m = event.start_mark
            if event.anchor is not None:
                raise YamlProblem(
                    *_where(text, m),
                    _("anchors ({anchor}) are not allowed in kam's YAML files").format(anchor=f"&{event.anchor}"),
                )
            if event.tag is not None:
                raise YamlProblem(
                    *_where(text, m), _("YAML tags ({tag}) are not allowed in kam's YAML files").format(tag=event.tag)
                )
            parent = stack[-1] if stack else None
            if parent is not None and parent.is_map and parent.pending_key is None:
                # This node is a key.
                if kind is not ScalarEvent:
                    raise YamlProblem(*_where(text, m), _("keys must be plain text, not lists or maps"))
                key = event.value
                if key in parent.container:
                    raise YamlProblem(
                        *_where(text, m),
                        _("duplicate key '{key}'").format(key=key),
                        _("each key may appear only once in a mapping"),
                    )
                parent.pending_key = key
                if positions:
                    keys[parent.path + (key,)] = _span(event, event.style or "", key)
                continue
            if parent is None:
                if root is not _MISSING:
                    raise YamlProblem(*_where(text, m), _("only one YAML document per file"))
                path: Path_ = ()
            elif not positions:
                path = ()
            elif parent.is_map:
                path = parent.path + (parent.pending_key,)  # type: ignore[operator]
            else:
                path = parent.path + (len(parent.container),)
            if kind is ScalarEvent:
                style = event.style or ""
                if style == "":
                    try:
                        value = resolve_plain(event.value)
                    except YamlProblem as exc:  # where it is, counted only for the one that failed
                        raise YamlProblem(*_where(text, m), exc.message, exc.hint) from None
                else:
                    value = event.value
                if positions:
                    values[path] = _span(event, style, event.value)
                _attach(stack, parent, value)
                if parent is None:
                    root = value
                continue
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(*_where(text, m), _("nesting deeper than {depth} levels").format(depth=MAX_DEPTH))
            container: Any = {} if kind is MapStart else []
            _attach(stack, parent, container)
            if parent is None:
                root = container
            flow = "{" if kind is MapStart else "["
            style = flow if event.flow_style else "block"
            stack.append(_Frame(container, path, kind is MapStart, _span(event, style) if positions else None))
            continue
        if kind is MapEnd or kind is SeqEnd:
            frame = stack.pop()
            start = frame.start
            if start is not None:
                values[frame.path] = Span(start.line, start.col, start.start, event.end_mark.index, start.style)
            continue
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                m = event.start_mark
                raise YamlProblem(*_where(text, m), _("only one YAML document per file"))
    return Document(text, None if root is _MISSING else root, values, keys, newline=newline)


def _attach(stack: list[_Frame], parent: _Frame | None, value: Any) -> None:
    if parent is None:
        return
    if parent.is_map:
        parent.container[parent.pending_key] = value
        parent.pending_key = None
    else:
        parent.container.append(value)


class _Missing:
    pass


_MISSING: Any = _Missing()
