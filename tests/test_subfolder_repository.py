"""A kam repository in a subfolder of a larger git work tree (`mono/sales/kam.yaml`) works: git
paths are relative to the work tree, kam's state is kept per kam folder under .git/kam/, and
`kam init` inside a work tree uses it instead of nesting a repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git


@pytest.fixture
def mono(tmp_path: Path) -> Path:
    root = tmp_path / "mono"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README").write_text("the whole company\n")
    git(root, "add", "README")
    git(root, "commit", "-qm", "start")
    return root


def test_init_in_a_work_tree_uses_it_and_says_so(mono: Path, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("init", str(mono / "sales"))
    assert result.code == 0, result.err
    assert f"using the git work tree at {mono}" in result.out + result.err
    assert not (mono / "sales" / ".git").exists()
    assert "sales/kam.yaml" in git(mono, "ls-files")
    assert git(mono, "status", "--porcelain") == ""


def test_a_kam_folder_inside_a_work_tree_reads_writes_and_keeps_its_history(mono: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("init", str(mono / "sales")).code == 0
    sales = str(mono / "sales")
    assert kam("--repo", sales, "new", "acme", "--name", "ACME", "owner=wang").code == 0
    assert kam("--repo", sales, "set", "acme", "owner=li").code == 0
    (mono / "sales" / "accounts" / "acme.yaml").write_text("id: acme\nname: ACME\nowner: zhao\n")
    refused = kam("--repo", sales, "set", "acme", "owner=zhao")
    assert refused.code == 2 and "accounts/acme.yaml has changes not committed" in refused.err
    git(mono, "checkout", "--", "sales/accounts/acme.yaml")
    assert "owner: li" in git(mono, "show", "HEAD:sales/accounts/acme.yaml")
    assert git(mono, "status", "--porcelain") == ""
    history = kam("--repo", sales, "history", "acme")
    assert "acme: owner wang → li" in history.out
    listed = kam("list", cwd=mono / "sales" / "accounts")
    assert listed.code == 0 and "acme" in listed.out
    assert kam("--repo", sales, "validate").code == 0
    assert (mono / ".git" / "kam" / "folders" / "sales").is_dir()


def test_two_kam_folders_in_one_work_tree_keep_separate_state(mono: Path, kam) -> None:  # type: ignore[no-untyped-def]
    for team in ("north", "south"):
        assert kam("init", str(mono / team)).code == 0
        assert kam("--repo", str(mono / team), "new", "acme", "--name", f"ACME {team}").code == 0
    assert "ACME north" in kam("--repo", str(mono / "north"), "show", "acme").out
    assert "ACME south" in kam("--repo", str(mono / "south"), "show", "acme").out
    assert (mono / ".git" / "kam" / "folders" / "north").is_dir()
    assert (mono / ".git" / "kam" / "folders" / "south").is_dir()


# --- 14. folders that leave the repository ----------------------------------------------------------


def test_a_linked_accounts_folder_leaving_the_repository_is_refused(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    from kam_tui.store.init import init_repository

    root = init_repository(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "spy.yaml").write_text("id: spy\nname: Secret\n")
    git(root, "rm", "-q", "accounts/.gitkeep")
    git(root, "commit", "-qm", "no accounts yet")
    (root / "accounts").symlink_to(outside)
    for args in (("list",), ("validate",), ("show", "spy"), ("set", "spy", "owner=li"), ("new", "zed", "--name", "Z")):
        result = kam("--repo", str(root), *args)
        assert result.code == 2, args
        assert "kam: accounts is a link to" in result.err and "outside the repository" in result.err, args
        assert "Secret" not in result.out
    assert sorted(p.name for p in outside.iterdir()) == ["spy.yaml"]


def test_a_linked_accounts_folder_inside_the_repository_is_fine(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    from kam_tui.store.init import init_repository

    root = init_repository(tmp_path / "repo")
    (root / "data").mkdir()
    (root / "data" / "acme.yaml").write_text("id: acme\nname: ACME\n")
    git(root, "rm", "-q", "accounts/.gitkeep")
    (root / "accounts").symlink_to(root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "accounts live in data/")
    assert "acme" in kam("--repo", str(root), "list").out


@pytest.fixture
def attached(tmp_path: Path, kam) -> Path:  # type: ignore[no-untyped-def]
    """A repository with acme and beta, each running development (committed)."""
    from kam_tui.store.init import init_repository

    root = init_repository(tmp_path / "repo")
    for account in ("acme", "beta"):
        assert kam("--repo", str(root), "new", account, "--name", account.upper()).code == 0
        assert kam("--repo", str(root), "attach", account, "development").code == 0
    return root


def _move_out(root: Path, rel: str, outside: Path) -> None:
    """Replace the folder `rel` by a link to a copy of it outside the repository, with a secret."""
    import shutil

    shutil.copytree(root / rel, outside)
    for md in outside.rglob("*.md"):
        md.write_text(md.read_text(encoding="utf-8").replace("Development", "Secret"), encoding="utf-8")
    shutil.rmtree(root / rel)
    (root / rel).symlink_to(outside)


def test_a_linked_checklist_folder_leaving_the_repository_is_not_read(attached: Path, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _move_out(attached, "checklists/acme", tmp_path / "elsewhere")
    shown = kam("--repo", str(attached), "checklist", "acme", "development")
    assert shown.code == 2 and "checklists/acme is a link to" in shown.err and "outside the repository" in shown.err
    assert "Secret" not in shown.out
    overview = kam("--repo", str(attached), "checklists")
    assert overview.code == 0 and "Secret" not in overview.out
    assert [line.split()[0] for line in overview.out.splitlines()[1:]] == ["beta"]
    assert "checklists/acme/development.md:1: error: checklists/acme is a link to" in overview.err
    validated = kam("--repo", str(attached), "validate")
    assert validated.code == 1 and "checklists/acme/development.md:1: error: checklists/acme is a link to" in (
        validated.out
    )
    ticked = kam("--repo", str(attached), "check", "acme", "development", "1")
    assert ticked.code == 2 and "outside the repository" in ticked.err
    assert "[x]" not in (tmp_path / "elsewhere" / "development.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["checklists", "playbooks"])
def test_a_linked_checklists_or_playbooks_folder_leaving_the_repository_is_refused(  # type: ignore[no-untyped-def]
    attached: Path, kam, tmp_path: Path, folder: str
) -> None:
    _move_out(attached, folder, tmp_path / "elsewhere")
    commands = [("checklists",), ("checklist", "acme", "development"), ("validate",)]
    if folder == "playbooks":
        commands += [("playbook", "list"), ("attach", "acme", "maintenance")]
    for args in commands:
        result = kam("--repo", str(attached), *args)
        assert result.code == 2, (args, result.err)
        assert f"{folder} is a link to" in result.err and "outside the repository" in result.err, args
        assert "Secret" not in result.out, args
