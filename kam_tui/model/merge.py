"""The three-way merge of account data, key by key: what git's line merge cannot see.

Two people who change different keys of one flow map (`ratings: {capital: 4, network: 3}`)
or append to one list change the same line for git, but different fields for kam. Here
the three versions are merged as data: maps key by key, lists item by item (items matched
by the identity the schema declares for the list), and the same field changed two ways is
a conflict of that field only. The result is two versions of the merged data that differ
exactly in the conflicting fields (ours' values in one, theirs' in the other); the store
writes both into ours' text and puts conflict markers around the lines where they differ.
Pure functions: no text, no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kam_tui.model.schema import ACCOUNT, Field, Path_, dotted


class _Missing:
    """A key or item one version does not have."""

    def __repr__(self) -> str:
        return "(absent)"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field changed two ways: where, and the three values (MISSING when a side has none)."""

    path: Path_
    base: Any
    ours: Any
    theirs: Any

    @property
    def name(self) -> str:
        return dotted(self.path) or "the file"


@dataclass
class Merged:
    """The merge of three versions: `ours` and `theirs` are equal but for the conflicting fields."""

    ours: Any
    theirs: Any
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def same(a: Any, b: Any) -> bool:
    """Equal as data: 1 and 1.0 are the same number, but true is not 1 and a date is not text."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (a != a and b != b)  # NaN equals NaN here
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def merge_account(base: Any, ours: Any, theirs: Any, forced: frozenset[Path_] = frozenset()) -> Merged:
    """Merge three versions of an account's data (MISSING for a file a side does not have).

    A path in `forced` is a conflict wherever ours and theirs differ under it, even where
    they changed different keys: the store forces the part of a file whose clean merge would
    be invalid (e.g. receivables lowered on one side, overdue raised on the other)."""
    conflicts: list[FieldConflict] = []
    merged_ours, merged_theirs = _merge(base, ours, theirs, ACCOUNT, (), forced, conflicts)
    return Merged(merged_ours, merged_theirs, conflicts)


def _merge(
    base: Any, ours: Any, theirs: Any, spec: Field | None, path: Path_, forced: frozenset[Path_], out: list
) -> tuple[Any, Any]:
    if same(ours, theirs):
        return ours, ours
    if path in forced and not (isinstance(ours, dict) and isinstance(theirs, dict)):
        out.append(FieldConflict(path, base, ours, theirs))
        return ours, theirs
    under_force = any(path[: len(p)] == p for p in forced)
    if not under_force:
        if same(base, ours):
            return theirs, theirs
        if same(base, theirs):
            return ours, ours
    if isinstance(ours, dict) and isinstance(theirs, dict) and (base is MISSING or isinstance(base, dict)):
        return _merge_maps(base if base is not MISSING else {}, ours, theirs, spec, path, forced, out)
    if (
        isinstance(ours, list)
        and isinstance(theirs, list)
        and (base is MISSING or isinstance(base, list))
        and spec is not None
        and spec.kind == "list"
        and spec.item is not None
    ):
        return _merge_lists(base if base is not MISSING else [], ours, theirs, spec, path, forced, out)
    out.append(FieldConflict(path, base, ours, theirs))
    return ours, theirs


def child_spec(spec: Field | None, key: Any) -> Field | None:
    """The field that describes `key` inside `spec` (a record's key, a map's or list's item)."""
    if spec is None:
        return None
    if spec.kind == "record":
        return spec.fields.get(str(key))
    if spec.kind in ("map", "list"):
        return spec.item
    return None


def _merge_maps(
    base: dict, ours: dict, theirs: dict, spec: Field | None, path: Path_, forced: frozenset[Path_], out: list
) -> tuple[dict, dict]:
    keys = list(ours) + [k for k in theirs if k not in ours] + [k for k in base if k not in ours and k not in theirs]
    result_ours: dict = {}
    result_theirs: dict = {}
    for key in keys:
        o, t = _merge(
            base.get(key, MISSING),
            ours.get(key, MISSING),
            theirs.get(key, MISSING),
            child_spec(spec, key),
            path + (key,),
            forced,
            out,
        )
        if o is not MISSING:
            result_ours[key] = o
        if t is not MISSING:
            result_theirs[key] = t
    return result_ours, result_theirs


def identity(spec: Field, item: Any) -> Any:
    """What makes two versions of an item of the list `spec` the same item: the list's identity
    keys for a record, the value itself for text and numbers."""
    if isinstance(item, dict) and spec.identity:
        return tuple(_hashable(item.get(key)) for key in spec.identity)
    return _hashable(item)


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return ("map", tuple((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_hashable(v) for v in value))
    return (type(value).__name__, value)


def keyed(spec: Field, items: list) -> dict[tuple[Any, int], Any]:
    """Items by (identity, occurrence): two items with one identity stay two items."""
    seen: dict[Any, int] = {}
    out: dict[tuple[Any, int], Any] = {}
    for item in items:
        ident = identity(spec, item)
        seen[ident] = seen.get(ident, 0) + 1
        out[(ident, seen[ident])] = item
    return out


def _merge_lists(
    base: list, ours: list, theirs: list, spec: Field, path: Path_, forced: frozenset[Path_], out: list
) -> tuple[list, list]:
    assert spec.item is not None
    b, o, t = keyed(spec, base), keyed(spec, ours), keyed(spec, theirs)
    result: list[tuple[Any, Any]] = []  # (ours-variant item, theirs-variant item), MISSING where absent
    for position, (key, item) in enumerate(o.items()):
        pair = _merge(b.get(key, MISSING), item, t.get(key, MISSING), spec.item, path + (position,), forced, out)
        result.append(pair)
    added = [(key, item) for key, item in t.items() if key not in o]
    theirs_keys = list(t)
    for key, item in added:
        pair = _merge(b.get(key, MISSING), MISSING, item, spec.item, path + (theirs_keys.index(key),), forced, out)
        if pair[0] is MISSING and pair[1] is MISSING:
            continue
        result.insert(_place(spec, result, pair[1] if pair[1] is not MISSING else pair[0]), pair)
    merged_ours = [o_item for o_item, _ in result if o_item is not MISSING]
    merged_theirs = [t_item for _, t_item in result if t_item is not MISSING]
    return merged_ours, merged_theirs


def _order_key(spec: Field, item: Any) -> str | None:
    if not spec.order or not isinstance(item, dict):
        return None
    value = item.get(spec.order)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, str) else None


def _place(spec: Field, result: list[tuple[Any, Any]], item: Any) -> int:
    """Where the other side's new item goes: in date order, after ours' items of the same date."""
    assert spec.item is not None
    key = _order_key(spec, item)
    if key is None:
        return len(result)
    keys = [_order_key(spec, o if o is not MISSING else t) for o, t in result]
    dated = [k for k in keys if k is not None]
    newest_first = len(dated) > 1 and dated == sorted(dated, reverse=True) and dated != sorted(dated)
    if newest_first:
        for index, other in enumerate(keys):
            if other is not None and other < key:
                return index
        return len(result)
    at = 0
    for index, other in enumerate(keys):
        if other is None or other <= key:
            at = index + 1
    return at
