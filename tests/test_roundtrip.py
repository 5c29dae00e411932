"""Loss-free saves: unedited is byte-identical; one field changed is one line changed."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kam_tui.model.schema import spec_at
from kam_tui.store.changes import edit_text
from kam_tui.store.yamlread import Document, parse_bytes

DATA = Path(__file__).parent / "data" / "roundtrip"


def variants() -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(DATA.glob("*.yaml")):
        raw = path.read_bytes()
        out.append((path.name, raw))
        out.append((path.name + " CRLF", raw.replace(b"\n", b"\r\n")))
        out.append((path.name + " BOM", b"\xef\xbb\xbf" + raw))
    return out


VARIANTS = variants()


def rel_for(name: str, raw: bytes) -> str:
    return f"accounts/{parse_bytes(raw).data['id']}.yaml"


def scalar_paths(doc: Document) -> list[tuple[Any, ...]]:
    return [
        path
        for path, span in doc.values.items()
        if span.style not in ("block", "{", "[") and path and path[0] != "id" and spec_at(path) is not None
    ]


def other_value(path: tuple[Any, ...], value: Any) -> Any:
    spec = spec_at(path)
    assert spec is not None
    kind = spec.kind
    if kind == "text":
        return "改了 changed" if value != "改了 changed" else "again"
    if kind == "enum":
        return next(c for c in spec.choices if c != value)
    if kind == "bool":
        return not value
    if kind == "date":
        return (value or dt.date(2026, 1, 1)) + dt.timedelta(days=1)
    if kind == "rating":
        return (value % 5) + 1 if isinstance(value, int) else 3
    if kind in ("ratio", "signed-ratio"):
        return 0.5 if value != 0.5 else 0.25
    return (value or 0) + 1


@pytest.mark.parametrize("name,raw", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_unedited_save_is_byte_identical(name: str, raw: bytes) -> None:
    new, _ = edit_text(rel_for(name, raw), raw, [])
    assert new == raw


@pytest.mark.parametrize("name,raw", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_every_field_edit_changes_only_that_fields_lines(name: str, raw: bytes) -> None:
    doc = parse_bytes(raw)
    paths = scalar_paths(doc)
    assert len(paths) >= 5
    old_lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    for path in paths:
        value = other_value(path, _get(doc.data, path))
        new, _ = edit_text(rel_for(name, raw), raw, [(path, value)])
        assert new.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
        assert (b"\r\n" in new) == (b"\r\n" in raw)
        assert _get(parse_bytes(new).data, path) == value
        new_lines = new.decode("utf-8-sig").splitlines(keepends=True)
        removed, added = _changed(old_lines, new_lines)
        span = doc.values[path]
        first = span.line
        last = doc.text.count("\n", 0, max(span.start, span.end - 1)) + 1
        assert removed and all(first <= n <= last for n in removed), (path, removed)
        assert len(added) == 1 or "\n" in str(value), (path, added)
        if first == last:
            assert len(removed) == 1, (path, removed)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _changed(old: list[str], new: list[str]) -> tuple[list[int], list[int]]:
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += range(i1 + 1, i2 + 1)
            added += range(j1 + 1, j2 + 1)
    return removed, added


@pytest.mark.parametrize(
    "assignment,expected_line",
    [
        ((("industry",), "machinery"), "industry: machinery\n"),
        ((("periods", "2026-Q4", "sales"), 1_200_000), "  2026-Q4: {sales: 1200000}\n"),
    ],
)
def test_new_keys_are_inserted_in_the_files_own_style(assignment: tuple[Any, Any], expected_line: str) -> None:
    raw = (DATA / "hand-written.yaml").read_bytes()
    path, value = assignment
    new, _ = edit_text("accounts/hand-written.yaml", raw, [assignment])
    removed, added = _changed(raw.decode().splitlines(True), new.decode().splitlines(True))
    assert removed == []
    assert [new.decode().splitlines(True)[n - 1] for n in added] == [expected_line]
    assert _get(parse_bytes(new).data, path) == value


def test_new_key_in_a_flow_mapping_changes_one_line() -> None:
    raw = b"id: x\nname: X\nratings: {capital: 3, network: 4}  # strength\n"
    new, _ = edit_text("accounts/x.yaml", raw, [(("ratings", "staff"), 2)])
    assert new == b"id: x\nname: X\nratings: {capital: 3, network: 4, staff: 2}  # strength\n"


def test_new_nested_block_mapping_follows_the_files_indentation() -> None:
    raw = b"id: x\nname: X\nperiods:\n    2026-Q2:\n        sales: 5\n"
    new, _ = edit_text("accounts/x.yaml", raw, [(("periods", "2026-Q3", "sales"), 7)])
    assert new == raw + b"    2026-Q3:\n        sales: 7\n"


def test_values_needing_quotes_are_quoted_and_read_back_exactly() -> None:
    raw = b"id: x\nname: X\nnotes: plain\n"
    for text in (
        "a: b",
        "#hash",
        "yes",
        "012345",
        "- dash",
        "  spaces",
        "true",
        "null",
        "x\ty",
        "'q'",
        "多行\n文本\n",
        "ends with colon:",
        "[flow]",
        "\x1b[2J",
    ):
        new, _ = edit_text("accounts/x.yaml", raw, [(("notes",), text)])
        assert parse_bytes(new).data["notes"] == text, (text, new)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_value_round_trips(text: str) -> None:
    raw = (DATA / "hand-written.yaml").read_bytes()
    new, _ = edit_text("accounts/hand-written.yaml", raw, [(("region",), text)])
    assert parse_bytes(new).data["region"] == text
    if "\n" not in text:
        removed, added = _changed(raw.decode().splitlines(True), new.decode().splitlines(True))
        assert len(removed) == 1 and len(added) == 1


def test_a_whole_list_set_at_once_becomes_one_flow_line() -> None:
    raw = b"id: x\nname: X\nteam:\n  - wang\n  - li\nstage: active\n"
    new, _ = edit_text("accounts/x.yaml", raw, [(("team",), ["zhang", "a, b"])])
    assert new == b'id: x\nname: X\nteam: [zhang, "a, b"]\nstage: active\n'
    crlf = raw.replace(b"\n", b"\r\n")
    new, _ = edit_text("accounts/x.yaml", crlf, [(("team",), ["zhang"])])
    assert new == b"id: x\r\nname: X\r\nteam: [zhang]\r\nstage: active\r\n"


def test_the_round_trip_fallback_never_reformats_other_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the surgical editor ever cannot make an edit, ruamel's rewrite is used only when it
    too changes nothing but that value; otherwise the edit is refused and nothing is written."""
    from kam_tui.store import edit

    def unsupported(*args: Any) -> str:
        raise edit._Unsupported

    monkeypatch.setattr(edit, "_edit_text", unsupported)
    tidy = b"id: x\nname: X\nowner: wang\n"
    new, _ = edit_text("accounts/x.yaml", tidy, [(("owner",), "li")])
    assert new == b"id: x\nname: X\nowner: li\n"
    quirky = (DATA / "quirky-no-final-newline.yaml").read_bytes()
    with pytest.raises(Exception, match="reformatting other lines"):
        edit_text("accounts/quirky.yaml", quirky, [(("stage",), "exiting")])


@pytest.mark.parametrize("raw", [b"id: nf\nname: y", b"id: nf\nnotes: |\n  a\n  b", b"id: nf\nname: y\r\nteam: [a]"])
def test_a_new_key_in_a_file_without_final_newline_only_adds_a_line(raw: bytes) -> None:
    new, _ = edit_text("accounts/nf.yaml", raw, [(("owner",), "li")])
    removed, added = _changed(raw.decode().split("\n"), new.decode().split("\n"))
    assert removed == [] and len(added) == 1
    assert not new.endswith(b"\n")
    assert parse_bytes(new).data == {**parse_bytes(raw).data, "owner": "li"}
