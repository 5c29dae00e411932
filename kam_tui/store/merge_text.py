"""Writing merged data into ours' text: only the values that differ change, the rest of the
file (layout, quoting, comments) stays byte for byte.

The merge decides *what* the account holds (`model.merge`); this module decides *how* it is
written: scalars through the surgical editor, keys and list items the other side added as
the other side wrote them (its lines, re-indented), removed keys and items as removed lines.
Every result is re-read and compared with the data it must hold.
"""

from __future__ import annotations

from typing import Any

from kam_tui.model.merge import child_spec, keyed, same
from kam_tui.model.schema import ACCOUNT, Field
from kam_tui.store.yaml_edit import EditError, apply_edits
from kam_tui.store.yaml_render import flow_text, render_key, render_scalar
from kam_tui.store.yamlread import Document, Path_, YamlProblem, line_after, line_start, node_at, parse_text


class RewriteFailed(Exception):
    """The merged data could not be written into ours' text; the caller falls back to git's merge."""


def rewrite(text: str, target: Any, donor: Document | None) -> str:
    """Ours' `text` changed so that it holds `target`; `donor` (theirs) lends its lines for what it added."""
    writer = _Writer(text, donor)
    try:
        writer.walk((), target, ACCOUNT)
        result = writer.text
        if not same(parse_text(result).data, target):
            raise RewriteFailed("the merged text does not read back as the merged data")
    except (EditError, YamlProblem, KeyError, IndexError) as exc:
        raise RewriteFailed(str(exc)) from None
    return result


def _has(data: Any, path: Path_) -> bool:
    try:
        node_at(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def content_end(doc: Document, path: Path_) -> int:
    """Where the node at `path` ends: its last scalar or flow value (a block collection's own
    recorded end runs on to the next token, over comments and blank lines)."""
    span = doc.values[path]
    if span.style != "block":
        end = span.end
        if span.style in ("|", ">"):
            segment = doc.text[span.start : span.end]
            end = span.start + len(segment.rstrip(" \r\n"))
        return end
    depth = len(path)
    ends = [content_end(doc, p) for p, s in doc.values.items() if len(p) == depth + 1 and p[:depth] == path]
    return max(ends) if ends else span.start


class _Writer:
    def __init__(self, text: str, donor: Document | None) -> None:
        self.text = text
        self.donor = donor
        self._doc: Document | None = None

    @property
    def doc(self) -> Document:
        if self._doc is None:
            self._doc = parse_text(self.text)
        return self._doc

    def _replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        self._doc = None

    def set(self, path: Path_, value: Any) -> None:
        self._doc = apply_edits(self.doc, [(path, value)])
        self.text = self._doc.text

    def walk(self, path: Path_, target: Any, spec: Field | None) -> None:
        current = node_at(self.doc.data, path)
        if same(current, target):
            return
        span = self.doc.values.get(path)
        style = span.style if span else ""
        if isinstance(current, dict) and isinstance(target, dict) and current and target:
            if style == "block":
                self._walk_block_map(path, current, target, spec)
                return
            if style == "{" and all(k in target for k in current):
                for key, value in target.items():
                    if key in current:
                        self.walk(path + (key,), value, child_spec(spec, key))
                    else:
                        self.set(path + (key,), value)
                return
        if (
            isinstance(current, list)
            and isinstance(target, list)
            and current
            and target
            and style == "block"
            and spec is not None
            and spec.kind == "list"
            and spec.item is not None
        ):
            self._walk_block_list(path, current, target, spec)
            return
        self.set(path, target)

    # --- block mappings ---------------------------------------------------------------------------

    def _walk_block_map(self, path: Path_, current: dict, target: dict, spec: Field | None) -> None:
        for key in [k for k in current if k not in target]:
            self._delete(path + (key,))
        for key, value in target.items():
            if key in current:
                self.walk(path + (key,), value, child_spec(spec, key))
        order = list(target)
        donor = self.donor
        if donor is not None:
            theirs = node_at(donor.data, path) if _has(donor.data, path) else None
            if isinstance(theirs, dict):  # place what the other side added where it put it
                order = list(theirs) + [k for k in target if k not in theirs]
        for index, key in enumerate(order):
            if key in target and key not in current:
                self._add_key(path, key, target[key], order[:index])

    def _delete(self, path: Path_) -> None:
        doc = self.doc
        start = line_start(doc.text, (doc.keys.get(path) or doc.values[path]).start)
        self._replace(start, line_after(doc.text, content_end(doc, path)), "")

    def _add_key(self, parent: Path_, key: Any, value: Any, before: list[Any]) -> None:
        doc = self.doc
        siblings = [p for p in doc.keys if len(p) == len(parent) + 1 and p[: len(parent)] == parent]
        lines = self._donor_lines(parent + (key,), value, key=True)
        if lines is None or not siblings:
            self.set(parent + (key,), value)
            return
        indent = doc.keys[siblings[0]].col - 1
        previous = [parent + (k,) for k in before if parent + (k,) in doc.keys]
        if previous:
            at = line_after(doc.text, content_end(doc, previous[-1]))
        else:
            at = line_start(doc.text, doc.keys[siblings[0]].start)
        self._insert_lines(at, lines, indent)

    # --- block lists -----------------------------------------------------------------------------

    def _walk_block_list(self, path: Path_, current: list, target: list, spec: Field) -> None:
        assert spec.item is not None
        have = {key: index for index, key in enumerate(keyed(spec, current))}
        want = list(keyed(spec, target))
        for index, key in enumerate(want):
            if key in have:
                self.walk(path + (have[key],), target[index], spec.item)
        wanted = set(want)
        for key, index in sorted(have.items(), key=lambda kv: -kv[1]):
            if key not in wanted:
                self._delete(path + (index,))
        for index, key in enumerate(want):
            if key not in have:
                self._insert_item(path, index, target[index])

    def _insert_item(self, path: Path_, index: int, value: Any) -> None:
        doc = self.doc
        items = node_at(doc.data, path)
        first = doc.values[path + (0,)]
        dash = doc.text.rfind("-", line_start(doc.text, first.start), first.start)
        indent = dash - line_start(doc.text, first.start)
        if dash < 0:
            raise RewriteFailed("cannot find the list's dashes")
        lines = self._donor_lines(path + (index,), value, key=False) or _render_item(value, doc.newline)
        if index < len(items):
            at = line_start(doc.text, doc.values[path + (index,)].start)
        else:
            at = line_after(doc.text, content_end(doc, path + (len(items) - 1,)))
        self._insert_lines(at, lines, indent)

    # --- lines lent by the other side -------------------------------------------------------------

    def _donor_lines(self, path: Path_, value: Any, key: bool) -> list[str] | None:
        """The other side's own lines for a key or list item it added, with their indentation
        taken off; None when it wrote that value differently (or the path is an item index
        that differs there)."""
        donor = self.donor
        if donor is None:
            return None
        found = self._donor_path(path, value) if not key else path
        if found is None or found not in donor.values:
            return None
        if key and (found not in donor.keys or not same(node_at(donor.data, found), value)):
            return None
        text = donor.text
        anchor = donor.keys[found] if key else donor.values[found]
        start = line_start(text, anchor.start)
        prefix = text[start : anchor.start]
        if key and prefix.strip():
            return None  # the key shares its line with a dash or a flow opener
        if not key and prefix.strip() != "-":
            return None
        end = line_after(text, content_end(donor, found))
        indent = len(prefix) - len(prefix.lstrip(" ")) if key else prefix.index("-")
        lines = text[start:end].split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if any(line[:indent].strip() for line in lines):
            return None
        return [line[indent:] for line in lines]

    def _donor_path(self, path: Path_, value: Any) -> Path_ | None:
        donor = self.donor
        assert donor is not None
        try:
            items = node_at(donor.data, path[:-1])
        except (KeyError, IndexError, TypeError):
            return None
        if not isinstance(items, list):
            return None
        for index, item in enumerate(items):
            if same(item, value):
                return path[:-1] + (index,)
        return None

    def _insert_lines(self, at: int, lines: list[str], indent: int) -> None:
        nl = self.doc.newline
        body = "".join((" " * indent + line.rstrip("\r") if line.strip() else "") + nl for line in lines)
        if at > 0 and self.text[at - 1 : at] != "\n":
            body = nl + body  # the text ended without a line break
        self._replace(at, at, body)


def _render_item(value: Any, nl: str) -> list[str]:
    """A list item written fresh, block style: `- date: 2026-11-20` then `  by: li`."""
    if not isinstance(value, dict) or not value:
        return [f"- {flow_text(value)}"]
    lines = []
    for index, (key, item) in enumerate(value.items()):
        lead = "- " if index == 0 else "  "
        if isinstance(item, (dict, list)):
            rendered = flow_text(item)
        else:
            rendered = render_scalar(item, "", 4, nl)
        first, *rest = rendered.rstrip(nl).split(nl)
        lines.append(f"{lead}{render_key(str(key))}: {first}")
        lines += rest
    return lines
