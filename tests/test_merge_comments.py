"""Comments through the merge driver: what the other side did to a comment — added, edited,
removed — is in the merged file exactly once; a comment both sides changed keeps both texts and
is reported; nothing either side wrote in a comment is lost."""

from __future__ import annotations

from pathlib import Path

from kam_tui.store.merge import merge_file
from team_support import account, edit, edit_and_sync, make_clones, person_git

BASE = b"""# Sanjiang: our oldest account
id: sanjiang
name: Sanjiang Auto  # the legal name
# stage decided at the Q3 review
stage: active
ratings: {capital: 3, network: 3, logistics: 4}
"""
OURS = BASE.replace(b"capital: 3", b"capital: 4")  # ours changes a value, no comment


def merge(ours: bytes, theirs: bytes):  # type: ignore[no-untyped-def]
    return merge_file(BASE, ours, theirs, "accounts/sanjiang.yaml")


def test_an_inline_comment_the_other_side_edited_is_replaced_where_it_stands() -> None:
    out = merge(OURS, BASE.replace(b"# the legal name", b"# legal name, per the contract"))
    assert out.clean and out.notes == []
    assert out.data == OURS.replace(b"# the legal name", b"# legal name, per the contract")


def test_a_comment_line_the_other_side_edited_is_replaced_not_added() -> None:
    out = merge(OURS, BASE.replace(b"at the Q3 review", b"at the Q4 review"))
    assert out.clean and out.notes == []
    assert out.data == OURS.replace(b"at the Q3 review", b"at the Q4 review")


def test_an_inline_comment_the_other_side_removed_is_removed() -> None:
    out = merge(OURS, BASE.replace(b"  # the legal name", b""))
    assert out.clean
    assert out.data == OURS.replace(b"  # the legal name", b"")


def test_a_comment_line_the_other_side_removed_is_removed() -> None:
    out = merge(OURS, BASE.replace(b"# stage decided at the Q3 review\n", b""))
    assert out.clean
    assert out.data == OURS.replace(b"# stage decided at the Q3 review\n", b"")


def test_a_comment_edited_on_a_line_whose_value_the_other_side_changed_too() -> None:
    theirs = BASE.replace(b"network: 3, logistics: 4}", b"network: 5, logistics: 4}  # checked with li")
    out = merge(OURS, theirs)
    assert out.clean
    assert b"ratings: {capital: 4, network: 5, logistics: 4}  # checked with li\n" in out.data


def test_a_comment_both_sides_changed_keeps_both_texts_and_says_so() -> None:
    ours = BASE.replace(b"at the Q3 review", b"at the Q3 review, again in Q4")
    out = merge(ours, BASE.replace(b"at the Q3 review", b"by zhao"))
    assert out.clean
    assert b"# stage decided at the Q3 review, again in Q4\n# stage decided by zhao\nstage: active\n" in out.data
    assert out.notes == [
        "both sides changed a comment, both are kept: "
        "# stage decided at the Q3 review, again in Q4 | # stage decided by zhao"
    ]


def test_an_inline_comment_both_sides_changed_keeps_theirs_on_the_line_above() -> None:
    out = merge(BASE.replace(b"# the legal name", b"# ours"), BASE.replace(b"# the legal name", b"# theirs"))
    assert out.clean
    assert b"id: sanjiang\n# theirs\nname: Sanjiang Auto  # ours\n" in out.data
    assert out.notes == ["both sides commented one line; theirs is kept on its own line above: # theirs"]


def test_the_other_sides_edit_of_a_comment_ours_removed_is_kept() -> None:
    out = merge(BASE.replace(b"  # the legal name", b""), BASE.replace(b"# the legal name", b"# per the contract"))
    assert out.clean
    assert b"name: Sanjiang Auto  # per the contract\n" in out.data


def test_ours_edit_of_a_comment_the_other_side_removed_is_kept() -> None:
    out = merge(BASE.replace(b"# the legal name", b"# per the contract"), BASE.replace(b"  # the legal name", b""))
    assert out.clean
    assert b"name: Sanjiang Auto  # per the contract\n" in out.data


STAGE_NOTE = b"# stage decided at the Q3 review\n"
STAGE_NOTE_BELOW = BASE.replace(STAGE_NOTE, b"").replace(b"stage: active\n", b"stage: active\n" + STAGE_NOTE)


def test_a_comment_line_the_other_side_only_moved_moves() -> None:
    out = merge(OURS, STAGE_NOTE_BELOW)
    assert out.clean and out.notes == []
    assert out.data == STAGE_NOTE_BELOW.replace(b"capital: 3", b"capital: 4")


def test_an_inline_comment_the_other_side_only_moved_moves() -> None:
    theirs = BASE.replace(b"  # the legal name", b"").replace(b"id: sanjiang\n", b"id: sanjiang  # the legal name\n")
    out = merge(OURS, theirs)
    assert out.clean and out.notes == []
    assert out.data == theirs.replace(b"capital: 3", b"capital: 4")


def test_a_comment_both_sides_moved_stays_where_ours_put_it_and_is_reported() -> None:
    theirs = BASE.replace(STAGE_NOTE, b"").replace(b"id: sanjiang\n", STAGE_NOTE + b"id: sanjiang\n")
    ours = STAGE_NOTE_BELOW.replace(b"capital: 3", b"capital: 4")
    out = merge(ours, theirs)
    assert out.clean
    assert out.data == ours
    assert out.notes == ["both sides moved a comment; it stays where ours has it: # stage decided at the Q3 review"]


def test_a_comment_ours_removed_and_the_other_side_moved_stays_removed_and_is_reported() -> None:
    ours = OURS.replace(STAGE_NOTE, b"")
    out = merge(ours, STAGE_NOTE_BELOW)
    assert out.clean
    assert out.data == ours
    assert out.notes == ["ours removed a comment the other side moved: # stage decided at the Q3 review"]


def test_a_comment_moved_beside_a_line_ours_removed_stays_and_is_reported() -> None:
    theirs = BASE.replace(b"  # the legal name", b"").replace(b"stage: active\n", b"stage: active  # the legal name\n")
    ours = OURS.replace(STAGE_NOTE + b"stage: active\n", b"")
    out = merge(ours, theirs)
    assert b"name: Sanjiang Auto  # the legal name\n" in out.data  # where ours has it: not lost
    assert out.notes == ["a comment the other side moved has no place here and stays where it was: # the legal name"]


def test_a_comment_edit_in_a_crlf_file_keeps_the_line_ends() -> None:
    base = BASE.replace(b"\n", b"\r\n")
    ours, theirs = base.replace(b"capital: 3", b"capital: 4"), base.replace(b"# the legal name", b"# edited")
    out = merge_file(base, ours, theirs, "accounts/sanjiang.yaml")
    assert out.clean
    assert out.data == ours.replace(b"# the legal name", b"# edited")


def test_a_teammates_comment_edit_comes_in_with_kam_sync(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = make_clones(tmp_path, kam)
    edit_and_sync(li, kam, "# Sanjiang: our oldest account", "# Sanjiang: our first account", "comment")
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    result = kam("--repo", str(wang), "sync")
    assert result.code == 0, result.err
    text = account(wang)
    assert text.startswith("# Sanjiang: our first account\n") and "oldest" not in text
    assert "capital: 4" in text
    assert person_git(wang, "status", "--porcelain") == ""
