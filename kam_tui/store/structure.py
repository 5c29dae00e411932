"""Structural edits in the file's own style: append a list item, remove a key or a list item.

An appended item only adds lines (a block list gets `- key: value` with one key per line; a flow
list gets the item on its own line); a removal only deletes the lines of what it removes. Each
result is re-read and compared with the intended data before it is returned, like every edit.
"""

from __future__ import annotations

import copy
from typing import Any

from kam_tui.i18n import _
from kam_tui.store.yaml_edit import EditError, apply_edits, content_end, same, scalar_end
from kam_tui.store.yaml_render import flow_text, render_key, render_scalar
from kam_tui.store.yamlread import Document, Path_, YamlProblem, line_after, line_start, node_at, parse_text


def append_item(doc: Document, list_path: Path_, item: Any) -> Document:
    """The document with `item` appended to the list at `list_path` (the list is created if
    absent), as re-read to check it (callers need not parse it again)."""
    expected = copy.deepcopy(doc.data)
    parent = node_at(expected, list_path[:-1])
    current = parent.get(list_path[-1]) if isinstance(parent, dict) else None
    if current is not None and not isinstance(current, list):
        raise EditError(_("{key} is not a list").format(key=".".join(map(str, list_path))))
    text = _append_text(doc, list_path, item, None if current is None else list(current))
    if current is None:
        parent[list_path[-1]] = [item]
    else:
        current.append(item)
    return _checked(text, expected)


def remove_entry(doc: Document, path: Path_) -> Document:
    """The document without the key or list item at `path`: its lines go, the rest stays byte for
    byte (as re-read to check it)."""
    expected = copy.deepcopy(doc.data)
    parent = node_at(expected, path[:-1])
    del parent[path[-1]]
    container = doc.values.get(path[:-1])
    if container is not None and container.style in ("{", "["):
        text = doc.text[: container.start] + flow_text(parent) + doc.text[container.end :]
    else:
        text = _remove_block(doc, path)
    return _checked(text, expected)


def _checked(text: str, expected: Any) -> Document:
    try:
        result = parse_text(text)
        if same(result.data, expected):
            return result
    except YamlProblem:
        pass
    raise EditError(_("kam cannot make this change without touching other lines of the file; nothing was saved"))


def _entry_end(doc: Document, path: Path_) -> int:
    """Where the last byte of an entry's content sits (its value and everything under it)."""
    span = doc.values.get(path)
    key = doc.keys.get(path)
    ends = [key.end] if key is not None else []
    if span is not None:
        ends.append(scalar_end(doc.text, span) if span.style != "block" else span.start)
    depth = len(path)
    if any(len(p) > depth and p[:depth] == path for p in doc.values):
        ends.append(content_end(doc, path))
    return max(ends)


def _remove_block(doc: Document, path: Path_) -> str:
    text = doc.text
    key = doc.keys.get(path)
    start_span = key if key is not None else doc.values[path]
    start = line_start(text, start_span.start)
    before = text[start : start_span.start]
    end = _entry_end(doc, path)
    if end > 0 and text[end - 1] == "\n":
        end -= 1
    if before.strip() in ("", "-") and (key is None or not before.strip()):
        return text[:start] + text[line_after(text, end) :]
    # the first key of a list item (`- date: …`): the next key moves up behind the dash
    siblings = sorted(
        (s.start for p, s in doc.keys.items() if len(p) == len(path) and p[:-1] == path[:-1] and s.start > end),
    )
    if not siblings:
        raise EditError(_("this is the item's only key; remove the whole item instead"))
    return text[: start_span.start] + text[siblings[0] :]


def _append_text(doc: Document, list_path: Path_, item: Any, current: list[Any] | None) -> str:
    text, nl = doc.text, doc.newline
    span = doc.values.get(list_path)
    if current is None or span is None:
        if isinstance(item, dict):
            return _new_block_list(doc, list_path, item)
        return apply_edits(doc, [(list_path, [item])]).text
    if span.style == "[":
        return text[: span.start] + flow_text([*current, item]) + text[span.end :]
    if span.style != "block" or not current:
        raise EditError(
            _("{list} is written in a way kam cannot add to; add the item by hand").format(list=list_path[-1])
        )
    first = doc.values[list_path + (0,)]
    dash_col = span.col - 1
    item_col = first.col - 1 if first.style in ("block",) else dash_col + 2
    last = len(current) - 1
    end = _entry_end(doc, list_path + (last,))
    if end > 0 and text[end - 1] == "\n":
        end -= 1
    at = line_after(text, end)
    prefix = nl if at == len(text) and not text.endswith("\n") else ""
    flow_items = all(doc.values[list_path + (i,)].style == "{" for i in range(len(current)))
    entry = _render_item(item, dash_col, item_col, flow_items, nl)
    return text[:at] + prefix + entry + text[at:]


def _render_item(item: Any, dash_col: int, item_col: int, flow: bool, nl: str) -> str:
    pad = " " * dash_col
    if not isinstance(item, dict) or flow:
        value = flow_text(item) if isinstance(item, (dict, list)) else render_scalar(item, "", item_col, nl)
        return f"{pad}- {value}" + ("" if value.endswith(nl) else nl)
    lines = []
    for i, (key, value) in enumerate(item.items()):
        lead = f"{pad}- " if i == 0 else " " * item_col
        rendered = flow_text(value) if isinstance(value, (dict, list)) else render_scalar(value, "", item_col + 2, nl)
        lines.append(f"{lead}{render_key(str(key))}: {rendered}" + ("" if rendered.endswith(nl) else nl))
    return "".join(lines)


def _new_block_list(doc: Document, list_path: Path_, item: dict[str, Any]) -> str:
    """A list that is not in the file yet: `visits:` and its first item, added after the last line."""
    if len(list_path) != 1:
        raise EditError(_("kam adds new lists only at the top of an account file"))
    text, nl = doc.text, doc.newline
    if list_path[0] in doc.keys:  # `visits:` with nothing (or null) after it
        key = doc.keys[list_path]
        at = line_after(text, _entry_end(doc, list_path))
        head = text[: line_start(text, key.start)]
        return head + f"{render_key(str(list_path[0]))}:{nl}" + _render_item(item, 2, 4, False, nl) + text[at:]
    body = text if text.endswith("\n") or not text else text + nl
    return body + f"{render_key(str(list_path[0]))}:{nl}" + _render_item(item, 2, 4, False, nl)
