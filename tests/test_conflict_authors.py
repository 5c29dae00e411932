"""A conflict names who changed each side of the field, from git's history: the person whose
commit gave the field that side's value, not whoever last committed the file (a teammate who
renamed the account afterwards did not change the rating)."""

from __future__ import annotations

from pathlib import Path

from team_support import edit, edit_and_sync, make_clones, person_git


def _as(clone: Path, name: str) -> None:
    person_git(clone, "config", "user.name", name)


def test_each_side_of_a_conflict_names_who_changed_that_field(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = make_clones(tmp_path, kam)
    edit(li, "capital: 3", "capital: 5", "capital 5")
    _as(li, "zhao")
    edit_and_sync(li, kam, "stage: active", "stage: at-risk", "at risk")  # zhao is the file's last author on li's side
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    _as(wang, "chen")
    edit(wang, "name: Sanjiang Auto", "name: Sanjiang Motors", "renamed")  # chen last touched it on wang's side
    stopped = kam("--repo", str(wang), "sync")
    assert stopped.code == 1
    assert "conflict in ratings.capital: ours 4 (wang), theirs 5 (li)" in stopped.err
    assert "zhao" not in stopped.err and "chen" not in stopped.err


def test_a_field_changed_twice_on_one_side_names_who_made_the_value_that_side_has(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    wang, li = make_clones(tmp_path, kam)
    edit(li, "capital: 3", "capital: 5", "capital 5")
    _as(li, "zhao")
    edit(li, "capital: 5", "capital: 2", "capital 2, zhao's view")
    _as(li, "li")
    edit_and_sync(li, kam, "stage: active", "stage: at-risk", "at risk")
    edit(wang, "capital: 3", "capital: 4", "capital 4")
    stopped = kam("--repo", str(wang), "sync")
    assert stopped.code == 1
    assert "conflict in ratings.capital: ours 4 (wang), theirs 2 (zhao)" in stopped.err
    assert kam("--repo", str(wang), "sync", "--abort").code == 0
