"""Editing an account file: an unedited save is byte-identical, an edit of one field changes that
field's lines only, in the file's own style, for hand-written and generated files alike."""

from __future__ import annotations

import datetime as dt
import difflib
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import kam_tui.store.yaml_edit as edit_module
import kam_tui.store.yaml_roundtrip as roundtrip_module
from kam_tui.model.schema import spec_at
from kam_tui.store.account_changes import InvalidChange, edit_text, parse_assignment
from kam_tui.store.repository import read_account
from kam_tui.store.yamlread import Document, YamlProblem, parse_bytes, parse_text

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
    if kind in ("date", "when"):
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
    ):
        new, _ = edit_text("accounts/x.yaml", raw, [(("notes",), text)])
        assert parse_bytes(new).data["notes"] == text, (text, new)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"), max_size=60))
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


@pytest.fixture
def fallback_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each time the ruamel round trip is asked for an edit (it still runs)."""
    calls: list[str] = []
    real = roundtrip_module.roundtrip

    def spy(text: str, edits: Any) -> str:
        calls.append(text)
        return real(text, edits)

    monkeypatch.setattr(roundtrip_module, "roundtrip", spy)
    return calls


def test_a_multi_line_value_before_a_comment_is_written_by_the_round_trip(fallback_calls: list[str]) -> None:
    """The text editor writes multi-line text as a literal block, which cannot carry the comment
    at the end of the line; ruamel's round trip writes it as one quoted line that keeps the
    comment, and is accepted because only that line changed."""
    raw = b"id: x\nname: X\nnotes: short  # kept for the auditors\nowner: w\n"
    new, _ = edit_text("accounts/x.yaml", raw, [parse_assignment('notes="line one\\nline two"')])
    assert new == b'id: x\nname: X\nnotes: "line one\\nline two" # kept for the auditors\nowner: w\n'
    assert len(fallback_calls) == 1


def test_the_round_trip_is_refused_when_it_would_reformat_other_lines(fallback_calls: list[str]) -> None:
    """Where ruamel could make the edit only by rewriting other lines (here it re-indents an
    unindented list), the edit is refused and nothing is written."""
    raw = b"id: x\nname: X\nteam:\n- a  # lead\n- b\n"
    with pytest.raises(InvalidChange, match="reformatting other lines"):
        edit_text("accounts/x.yaml", raw, [parse_assignment('team.1="x\\ny"')])
    assert len(fallback_calls) == 1


@pytest.mark.parametrize("raw", [b"id: nf\nname: y", b"id: nf\nnotes: |\n  a\n  b", b"id: nf\nname: y\r\nteam: [a]"])
def test_a_new_key_in_a_file_without_final_newline_only_adds_a_line(raw: bytes) -> None:
    new, _ = edit_text("accounts/nf.yaml", raw, [(("owner",), "li")])
    removed, added = _changed(raw.decode().split("\n"), new.decode().split("\n"))
    assert removed == [] and len(added) == 1
    assert not new.endswith(b"\n")
    assert parse_bytes(new).data == {**parse_bytes(raw).data, "owner": "li"}


# --- One field, one line, in the quirky hand-written file ------------------------------------------
# The issue's own "hand-written" style: extra spaces after ':', `~`/`null`, `True`, unindented
# dashes, 4-space indentation, a plain scalar continued on a second line.
QUIRKY = (DATA / "quirky-no-final-newline.yaml").read_text(encoding="utf-8") + "\n"


def _changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm=""):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return removed, added


def _edit(text: str, *assignments: Any) -> str:
    raw = text.encode("utf-8")
    ident = parse_bytes(raw).data["id"]
    parsed = [parse_assignment(a) if isinstance(a, str) else a for a in assignments]
    new, _ = edit_text(f"accounts/{ident}.yaml", raw, parsed)
    return new.decode("utf-8")


def test_setting_a_key_whose_value_is_empty_changes_one_line() -> None:
    """An empty value (`owner:`) is set on its own line; nothing else is reformatted."""
    text = QUIRKY.replace("owner: ~", "owner:")
    new = _edit(text, "owner=li")
    assert _changed_lines(text, new) == (["owner:"], ["owner: li"])


def test_empty_list_item_value_is_set_in_place() -> None:
    """A value after a bare `- name:` is written in place, with its separating space."""
    text = QUIRKY.replace("- name: B\n", "- name:\n")
    new = _edit(text, "contacts.2.name=B")
    assert _changed_lines(text, new) == (["- name:"], ["- name: B"])


def test_adding_a_key_under_an_empty_group_changes_only_new_lines() -> None:
    """A key under an empty group (`ratings:`) is added without rewriting the file."""
    text = QUIRKY.replace("ratings:\n    capital: 3\n    network: 4\n", "ratings:\n")
    new = _edit(text, "ratings.capital=4")
    removed, added = _changed_lines(text, new)
    assert len(removed) <= 1 and len(added) <= 2, (removed, added)


def test_text_with_a_comma_inside_a_flow_list_changes_one_line() -> None:
    """Text with a comma inside a flow list is quoted for the flow context, on the list's one line."""
    text = QUIRKY.replace("owner: ~\n", "owner: ~\nteam: [a, b]\n")
    new = _edit(text, (("team", 1), "c, d"))
    assert _changed_lines(text, new) == (["team: [a, b]"], ['team: [a, "c, d"]'])


def test_adding_a_whole_list_changes_only_new_lines() -> None:
    """Setting a whole new list (`team=[a, b]`) only adds lines."""
    new = _edit(QUIRKY, "team=[a, b]")
    removed, _ = _changed_lines(QUIRKY, new)
    assert removed == [], removed


def test_insert_after_a_nested_block_mapping_lands_in_the_right_place() -> None:
    """A new key in a list item whose last value is a nested map, followed by another item, lands
    in that item (the nested map's end mark is on the next item's line)."""
    text = "id: x\nname: X\nstage:   active\ncontacts:\n  - name: a\n    extra:\n      since: 2020\n  - name: b\n"
    new = _edit(text, "contacts.1.email=e@x")
    assert _changed_lines(text, new) == ([], ["    email: e@x"])


def test_multi_line_value_adds_no_stray_blank_line() -> None:
    """A plain value set to two lines becomes a literal block and adds no blank line."""
    new = _edit("id: x\nname: X\nnotes: a\nowner: b\n", (("notes",), "l1\nl2"))
    assert new == "id: x\nname: X\nnotes: |-\n  l1\n  l2\nowner: b\n"


def test_multi_line_value_with_trailing_blank_lines_is_written_surgically() -> None:
    """A value ending in two newlines (`|+`) replaces only its own line."""
    new = _edit(QUIRKY, (("industry",), "cars\nand trucks\n\n"))
    removed, _ = _changed_lines(QUIRKY, new)
    assert removed == ["industry: yes"], removed


def test_multi_line_value_in_an_indented_sequence_item_is_written_surgically() -> None:
    """A literal block for a sequence item (`  - a`) is indented past the dash and replaces only that item."""
    text = QUIRKY.replace("owner: ~\n", "owner: ~\nteam:\n  - a\n  - b\n")
    new = _edit(text, (("team", 0), "x\ny"))
    removed, _ = _changed_lines(text, new)
    assert removed == ["  - a"], removed


def test_a_second_bom_is_refused_with_its_line_not_silently_dropped() -> None:
    """A second byte-order mark (which the parser would skip, shifting every position) is an error
    with its line, and an edit of such a file is refused."""
    raw = b"\xef\xbb\xbf\xef\xbb\xbfid: x\nname: X\nowner: abc\n"
    assert "byte-order mark" in read_account("accounts/x.yaml", raw).problems[0].message
    with pytest.raises(InvalidChange):
        edit_text("accounts/x.yaml", raw, [(("owner",), "z")])


# --- Generated documents: any style, any scalar edit ----------------------------------------------

_KEYS = st.text(st.sampled_from(list("abxyz_-. :#'\"é中1")), min_size=1, max_size=6)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from(
        [
            "yes",
            "NO",
            "012",
            "0x1f",
            "1e5",
            "~",
            "- a",
            "a: b",
            "#c",
            "[x]",
            "'q'",
            "2026-01-01",
            "!tag",
            "&a",
            "*b",
            "|",
            "---",
            "...",
            "x\ny",
        ]
    ),
)
_DATA = st.dictionaries(
    _KEYS,
    st.recursive(
        _SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3), st.dictionaries(_KEYS, inner, min_size=1, max_size=3)
        ),
        max_leaves=10,
    ),
    min_size=1,
    max_size=5,
)
_STYLES = st.sampled_from(
    [
        ("pyyaml", {"default_flow_style": False}),
        ("pyyaml", {"default_flow_style": None}),
        ("pyyaml", {"default_flow_style": False, "indent": 4}),
        ("pyyaml", {"default_flow_style": False, "explicit_start": True, "width": 20}),
        ("ruamel", {"mapping": 2, "sequence": 4, "offset": 2}),
        ("ruamel", {"mapping": 2, "sequence": 2, "offset": 0}),
    ]
)


def _dump(data: Any, style: tuple[str, dict[str, Any]]) -> str:
    kind, options = style
    if kind == "pyyaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, **options)
    dumper = YAML(typ="rt")
    dumper.width, dumper.allow_unicode = 4096, True
    dumper.indent(**options)
    out = io.StringIO()
    dumper.dump(data, out)
    return out.getvalue()


def _scalar_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _scalar_paths(v, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _scalar_paths(v, path + (i,))]
    return [path]


@settings(max_examples=120, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(_DATA, _STYLES, _SCALARS, st.randoms(use_true_random=False), st.booleans())
def test_generated_documents_any_scalar_edit_touches_only_its_lines(
    data: Any, style: Any, value: Any, rnd: Any, crlf: bool
) -> None:
    """One field, one line, by the surgical editor alone (never the ruamel fallback), on generated
    files of many styles and line endings (targets with an empty value are covered above)."""
    text = _dump(data, style)
    text = text.replace("\n", "\r\n") if crlf else text
    try:
        doc = parse_text(text)
    except YamlProblem:
        assume(False)
    paths = [p for p in _scalar_paths(doc.data) if p and doc.values[p].start != doc.values[p].end]
    assume(paths)
    path = rnd.choice(paths)
    used_fallback: list[bool] = []
    original = roundtrip_module.roundtrip

    def spy(*args: Any) -> str:
        used_fallback.append(True)
        return original(*args)

    roundtrip_module.roundtrip = spy
    try:
        new = edit_module.apply_edits(doc, [(path, value)]).text
    finally:
        roundtrip_module.roundtrip = original
    assert not used_fallback, (text, path, value)
    got = parse_text(new).data
    for part in path:
        got = got[part]
    assert got == value
    span = doc.values[path]
    first, last = span.line, doc.text.count("\n", 0, max(span.start, span.end - 1)) + 1
    old_lines, new_lines = text.split("\n"), new.split("\n")
    if len(old_lines) == len(new_lines):  # line for line: difflib may align equal lines ambiguously
        removed = [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    else:
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        removed = [i + 1 for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)]
    assert all(first <= n <= last for n in removed), (text, path, value, new)


def test_edits_leave_the_read_document_as_it_was() -> None:
    """apply_edits copies only the mappings and lists on the edited paths: the document it was
    given (which the caller may read again) keeps every value, nested ones included."""
    doc = parse_text("id: acme\nname: Acme\nperiods:\n  2026-Q1: {sales: 1}\nteam: [a, b]\n")
    before = yaml.safe_load(doc.text)
    new = edit_module.apply_edits(
        doc, [(("periods", "2026-Q1", "sales"), 2), (("periods", "2026-Q2"), {"sales": 3}), (("team", 1), "c")]
    )
    assert doc.data == before
    assert new.data["periods"] == {"2026-Q1": {"sales": 2}, "2026-Q2": {"sales": 3}} and new.data["team"] == ["a", "c"]
    assert new.data["periods"] is not doc.data["periods"] and new.data["team"] is not doc.data["team"]


def test_a_refused_edit_names_the_line_of_the_new_text() -> None:
    """The check's re-read records no positions; a refusal re-reads the new text to name its line."""
    raw = b"id: acme\nname: Acme\nowner: wang\nvisits:\n  - date: 2026-01-05\n    by: wang\n"
    with pytest.raises(InvalidChange) as refused:
        edit_text("accounts/acme.yaml", raw, [(("tier_override", "tier"), "A")])
    problems = [(p.line, p.message) for p in refused.value.problems]
    assert problems == [(7, "missing required key 'tier_override.reason'")]
