"""The live-reload seam: which files changed on disk since a snapshot (only those are reread)."""

from __future__ import annotations

from conftest import git

from kam_tui.store.repository import Repository
from kam_tui.store.watch import changes_since, disk_state


def test_changes_since_names_exactly_the_files_changed_added_and_removed(repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("new", "a", "--name", "A", cwd=repo.root).code == 0
    assert kam("new", "b", "--name", "B", cwd=repo.root).code == 0
    before = disk_state(repo)
    _, nothing = changes_since(repo, before)
    assert not nothing.any
    assert kam("set", "a", "owner=li", cwd=repo.root).code == 0  # another terminal
    (repo.root / "accounts" / "b.yaml").unlink()
    (repo.root / "accounts" / "c.yaml").write_text("id: c\nname: C\n")
    now, found = changes_since(repo, before)
    assert (found.added, found.changed, found.removed) == (
        ["accounts/c.yaml"],
        ["accounts/a.yaml"],
        ["accounts/b.yaml"],
    )
    assert found.head_moved
    git(repo.root, "checkout", "-q", "--", "accounts/b.yaml")
    _, again = changes_since(repo, now)
    assert again.added == ["accounts/b.yaml"] and not again.head_moved
