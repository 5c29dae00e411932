"""Surgical edits: change the bytes of one value, or insert one entry in the file's own style.

An edit of one field changes one line, so the git diff a reviewer reads is exactly the
change. Every result is re-read and compared with the intended data; when the text
editor cannot do an edit (or its result does not check out) ruamel's round trip is the
fallback, checked the same way. Nothing unchecked is ever returned.
"""

from __future__ import annotations

import copy
import difflib
import math
from typing import Any

from kam_tui.i18n import _
from kam_tui.store.yaml_render import Unsupported, flow_text, render_key, render_scalar
from kam_tui.store.yamlread import Document, Path_, Span, YamlProblem, line_start, node_at, parse_text


class EditError(Exception):
    """The edit cannot be made; nothing was changed."""


def apply_edits(doc: Document, edits: list[tuple[Path_, Any]], *, positions: bool = True) -> Document:
    """The document with each (path, value) set, as re-read to check it (so callers need not
    parse it again: at 10,000 files of an import each parse costs seconds). `positions=False`:
    the caller reads only the result's text and data, so the last re-read does not record where
    each value sits (less than half the cost of a read with positions)."""
    expected = _with_edits(doc.data, edits)
    current = doc
    try:
        for i, (path, value) in enumerate(edits):
            current = parse_text(_edit_text(current, path, value), positions or i < len(edits) - 1)
        if same(current.data, expected):
            return current
    except (YamlProblem, Unsupported):
        pass
    from kam_tui.store.yaml_roundtrip import RoundTripFailed, roundtrip  # only the rare fallback pays for ruamel

    try:
        text = roundtrip(doc.text, edits)
    except RoundTripFailed as exc:
        raise EditError(_("cannot rewrite this file safely: {problem}").format(problem=exc)) from None
    try:
        result = parse_text(text, positions)
    except YamlProblem:
        raise EditError(_("the edit could not be written as valid YAML; nothing was saved")) from None
    if not same(result.data, expected):
        raise EditError(_("the edit could not be written without changing other data; nothing was saved"))
    if not _confined(doc, edits, text):
        raise EditError(
            _(
                "kam can make this edit only by reformatting other lines of the file, and it "
                "never does that silently; nothing was saved. Make this change by hand "
                "(`kam validate` checks it) and commit it"
            )
        )
    return result


def _confined(doc: Document, edits: list[tuple[Path_, Any]], new_text: str) -> bool:
    """Did a rewrite change only the lines of the values it was asked to change?"""
    allowed: set[int] = set()
    for path, _value in edits:  # a value that exists may change; a new one may only add lines
        span = doc.values.get(path)
        if span is not None:
            last = doc.text.count("\n", 0, max(span.start, scalar_end(doc.text, span) - 1)) + 1
            key = doc.keys.get(path)
            allowed.update(range(key.line if key else span.line, last + 1))
    # git's lines: str.splitlines would also break at U+0085 and U+2028
    old_lines, new_lines = doc.text.split("\n"), new_text.split("\n")
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    removed = {i + 1 for tag, i1, i2, _j1, _j2 in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)}
    return removed <= allowed


def _with_edits(data: Any, edits: list[tuple[Path_, Any]]) -> Any:
    """The data as the edits should leave it; `data` itself is not changed. Only the mappings
    and lists on the edited paths are copied (a deep copy of a whole account cost more than
    the edit, at an import's 10,000 files)."""
    mine: dict[int, Any] = {}  # the containers copied or made here, by id (held, so no id is reused)
    root = _own(data, mine)
    for path, value in edits:
        _set_in(root, path, value, mine)
    return root


def _own(node: Any, mine: dict[int, Any]) -> Any:
    """`node` itself when it is this edit's own container (or no container), else a copy of it."""
    if not isinstance(node, (dict, list)) or id(node) in mine:
        return node
    node = copy.copy(node)
    mine[id(node)] = node
    return node


def _set_in(data: Any, path: Path_, value: Any, mine: dict[int, Any]) -> None:
    node = data
    for i, part in enumerate(path):
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                size = len(node) if isinstance(node, list) else 0
                raise EditError(
                    _(
                        "cannot set {key}: there is no item {index} in {list} ({size} item(s), counted from 0); "
                        "add list items by editing the file"
                    ).format(key=_dotted(path), index=part, list=_dotted(path[:i]) or _("the file"), size=size)
                )
        elif not isinstance(node, dict):
            raise EditError(
                _("cannot set {key}: {parent} is not a mapping").format(
                    key=_dotted(path), parent=_dotted(path[:i]) or _("the file")
                )
            )
        if i == len(path) - 1:
            node[part] = value
            return
        if isinstance(node, dict) and node.get(part) is None:
            node[part] = [] if isinstance(path[i + 1], int) else {}
        node[part] = _own(node[part], mine)
        node = node[part]


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b) and not (
        isinstance(a, (int, float))
        and isinstance(b, (int, float))
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return False
    if isinstance(a, dict):  # a new key's place is the editor's choice; the rest keep theirs
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


# --- the text editor -------------------------------------------------------------------------


def _edit_text(doc: Document, path: Path_, value: Any) -> str:
    span = doc.values.get(path)
    if span is not None and span.style not in ("block", "{", "["):
        return _replace_scalar(doc, path, span, _inflow_text(doc, path), value)
    if span is not None:
        return _replace_collection(doc, path, span, value)
    # The key is missing: find the deepest existing node on the path and add the rest there.
    for depth in range(len(path) - 1, -1, -1):
        parent = path[:depth]
        parent_span = doc.values.get(parent)
        if parent_span is None:
            if depth == 0:
                raise Unsupported
            continue
        if node_at(doc.data, parent) is None and parent_span.style not in ("block", "{", "["):
            # an empty group (`ratings:` or `ratings: ~`) becomes one flow line: `ratings: {capital: 3}`
            return _replace_scalar(doc, parent, parent_span, True, _nested(path[depth:], value))
        if parent_span.style not in ("block", "{") or not isinstance(node_at(doc.data, parent), dict):
            raise Unsupported
        return _insert(doc, parent, parent_span, path[depth:], value)
    raise Unsupported


def _nested(rest: Path_, value: Any) -> Any:
    for part in reversed(rest):
        value = {part: value}
    return value


def _inflow_text(doc: Document, path: Path_) -> bool:
    parent = doc.values.get(path[:-1]) if path else None
    return parent is not None and parent.style in ("{", "[")


def _replace_scalar(doc: Document, path: Path_, span: Span, flow: bool, value: Any) -> str:
    """Replace the bytes of one scalar; the rest of the file is untouched."""
    text, nl = doc.text, doc.newline
    start, end = span.start, scalar_end(text, span)
    if isinstance(path[-1], int):
        indent = span.col - 1  # a list item: a block scalar's lines go past its dash
    else:
        indent = _key_indent(doc, path) + 2
    rendered = (
        flow_text(value) if flow or isinstance(value, (dict, list)) else render_scalar(value, span.style, indent, nl)
    )
    if start == end and text[start - 1 : start] == ":":
        rendered = " " + rendered  # an empty value: `owner:` becomes `owner: li`
    if span.style in ("|", ">") and not rendered.startswith("|") and text[end - 1 : end] == "\n":
        rendered += nl  # the old block scalar's span took its line break along
    if rendered.endswith(nl) and text[end : end + len(nl)] == nl:
        rendered = rendered[: -len(nl)]  # a new block scalar ends where the old value's line did
    return text[:start] + rendered + text[end:]


def _replace_collection(doc: Document, path: Path_, span: Span, value: Any) -> str:
    """A whole list or map set at once becomes one flow line: `team: [wang, li]`."""
    text = doc.text
    if not path or isinstance(path[-1], int):
        raise Unsupported
    if span.style in ("{", "["):
        return text[: span.start] + flow_text(value) + text[span.end :]
    key = doc.keys[path]
    colon = text.find(":", key.end)
    children = [s for p, s in doc.values.items() if p[: len(path)] == path and len(p) > len(path)]
    if colon < 0 or not children:
        raise Unsupported
    last_end = max(scalar_end(text, s) for s in children)
    line_end = text.find("\n", last_end - 1 if text[last_end - 1 : last_end] == "\n" else last_end)
    end = len(text) if line_end < 0 else line_end
    if text[end - 1 : end] == "\r":
        end -= 1
    return text[: colon + 1] + " " + flow_text(value) + text[end:]


def scalar_end(text: str, span: Span) -> int:
    """Block scalars' spans run on over trailing blank lines; stop after the last content line."""
    if span.style not in ("|", ">"):
        return span.end
    segment = text[span.start : span.end]
    stripped = segment.rstrip(" \r\n")
    newline_at = segment.find("\n", len(stripped))
    return span.start + (newline_at + 1 if newline_at >= 0 else len(segment))


def _key_indent(doc: Document, path: Path_) -> int:
    key = doc.keys.get(path)
    return key.col - 1 if key else 0


def _insert(doc: Document, parent: Path_, parent_span: Span, rest: Path_, value: Any) -> str:
    text, nl = doc.text, doc.newline
    if any(isinstance(part, int) for part in rest):
        raise Unsupported
    children = [p for p in doc.keys if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
    if parent_span.style == "{":
        entry = _flow_entry(rest, value)
        close = parent_span.end - 1
        if text[close] != "}":
            raise Unsupported
        if not children:
            return text[:close] + entry + text[close:]
        last_end = content_end(doc, parent)
        return text[:last_end] + ", " + entry + text[last_end:]
    if not children:
        raise Unsupported
    indent = doc.keys[children[0]].col - 1
    sibling_values = [doc.values.get(c) for c in children]
    flow_siblings = len(rest) > 1 and any(s is not None and s.style == "{" for s in sibling_values)
    step = _child_step(doc, children) or 2
    entry = _block_entry(rest, value, indent, step, flow_siblings, nl)
    last_end = content_end(doc, parent)
    line_end = text.find("\n", last_end)
    if text[last_end - 1 : last_end] == "\n":
        at = last_end
    elif line_end < 0:
        return _insert_at_end(doc, parent, indent, entry)
    else:
        at = line_end + 1
    return text[:at] + entry + text[at:]


def _insert_at_end(doc: Document, parent: Path_, indent: int, entry: str) -> str:
    """The file ends without a line break inside this mapping. Adding a line after it would
    change that last line too, so the new entry goes just before it when that line is a
    one-line sibling entry; otherwise after it, keeping the file's missing final line break."""
    text, nl = doc.text, doc.newline
    siblings = [s for p, s in doc.keys.items() if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
    last = max(siblings, key=lambda s: s.start)
    start = line_start(text, last.start)
    if last.start - start == indent and not text[start : last.start].strip():
        return text[:start] + entry + text[start:]
    return text + nl + entry[: -len(nl)]


def content_end(doc: Document, parent: Path_) -> int:
    """Where the last value under `parent` ends: scalars and flow collections only, since a
    block collection's recorded end is the start of whatever token follows it."""
    depth = len(parent)
    ends = [
        scalar_end(doc.text, s)
        for p, s in doc.values.items()
        if len(p) > depth and p[:depth] == parent and s.style != "block"
    ]
    ends += [s.end for p, s in doc.keys.items() if len(p) > depth and p[:depth] == parent]
    return max(ends)


def _child_step(doc: Document, children: list[Path_]) -> int | None:
    """How far this file indents a nested mapping under its key (2 or 4…)."""
    for child in children:
        grand = [p for p in doc.keys if len(p) == len(child) + 1 and p[: len(child)] == child]
        if grand:
            return doc.keys[grand[0]].col - doc.keys[child].col
    return None


def _block_entry(rest: Path_, value: Any, indent: int, step: int, flow: bool, nl: str) -> str:
    key = render_key(str(rest[0]))
    pad = " " * indent
    if len(rest) == 1:
        rendered = flow_text(value) if isinstance(value, (dict, list)) else render_scalar(value, "", indent + step, nl)
        return f"{pad}{key}: {rendered}" + ("" if rendered.endswith(nl) else nl)
    if flow:
        return f"{pad}{key}: {{{_flow_entry(rest[1:], value)}}}{nl}"
    return f"{pad}{key}:{nl}" + _block_entry(rest[1:], value, indent + step, step, False, nl)


def _flow_entry(rest: Path_, value: Any) -> str:
    key = render_key(str(rest[0]))
    if len(rest) == 1:
        return f"{key}: {flow_text(value)}"
    return f"{key}: {{{_flow_entry(rest[1:], value)}}}"
