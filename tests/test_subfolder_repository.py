"""A kam repository in a subfolder of a larger git work tree (`mono/sales/kam.yaml`) works: git
paths are relative to the work tree, kam's state is kept per kam folder under .git/kam/, and
`kam init` inside a work tree uses it instead of nesting a repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all, git


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


@pytest.fixture
def sales(mono: Path, kam) -> Path:  # type: ignore[no-untyped-def]
    """mono/sales: a kam folder with acme, whose owner moved wang → li → zhao in three commits."""
    assert kam("init", str(mono / "sales")).code == 0
    folder = mono / "sales"
    assert kam("--repo", str(folder), "new", "acme", "--name", "ACME", "owner=wang", "ratings.capital=2").code == 0
    assert kam("--repo", str(folder), "set", "acme", "owner=li", "ratings.capital=5").code == 0
    assert kam("--repo", str(folder), "set", "acme", "owner=zhao").code == 0
    return folder


def test_time_travel_and_history_work_from_outside_the_work_tree(sales: Path, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    then = kam("--repo", str(sales), "score", "acme", "--at", "HEAD~1", "--json", cwd=outside)
    now = kam("--repo", str(sales), "score", "acme", "--json", cwd=outside)
    first = kam("--repo", str(sales), "score", "acme", "--at", "HEAD~2", "--json", cwd=outside)
    assert then.code == now.code == first.code == 0, then.err + first.err
    assert then.out == now.out != first.out  # capital 5 from HEAD~1 on, 2 before
    since = kam("--repo", str(sales), "score", "--since", "HEAD~2", cwd=outside)
    assert since.code == 0 and "since HEAD~2" in since.err, since.err
    history = kam("--repo", str(sales), "history", "acme", cwd=outside)
    assert history.code == 0
    assert [line.split("  ")[-1] for line in history.out.splitlines()[1:]] == [
        "acme: owner li → zhao",
        "acme: owner wang → li, ratings.capital 2 → 5",
        "acme: new account ACME",
    ]


def test_the_catalog_cache_is_kept_in_a_fresh_clone_before_any_write(sales: Path, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(sales.parent), str(clone)], check=True)
    assert not (clone / ".git" / "kam").exists()
    assert kam("--repo", str(clone / "sales"), "list", cwd=tmp_path).code == 0
    assert (clone / ".git" / "kam" / "folders" / "sales" / "catalog.marshal").is_file()


def test_a_kam_folder_outside_git_gets_no_git_folder_from_reading(tmp_path: Path, kam) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from kam_tui.store.init import init_repository

    root = init_repository(tmp_path / "repo")
    assert kam("--repo", str(root), "new", "acme", "--name", "ACME").code == 0
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    for args in (("list",), ("portfolio",), ("score",)):
        result = kam("--repo", str(copy), *args)
        assert result.code == 0, (args, result.err)  # read, not refused
        assert ("acme" if args != ("portfolio",) else "1 accounts") in result.out, args
    assert not (copy / ".git").exists()


def test_sync_of_a_kam_folder_shares_its_review_tags_and_names_files_in_it(sales: Path, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(sales.parent), str(remote)], check=True)
    wang, li = tmp_path / "wang", tmp_path / "li"
    for clone in (wang, li):
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
        set_up = kam("--repo", str(clone / "sales"), "setup")
        assert f"installed the pre-commit hook {clone / '.git' / 'hooks' / 'pre-commit'}\n" in set_up.out + set_up.err
    assert kam("--repo", str(li / "sales"), "set", "acme", "owner=qian").code == 0
    assert kam("--repo", str(li / "sales"), "sync").code == 0
    assert kam("--repo", str(wang / "sales"), "review", "plan", "2026-Q4", "--today", "2026-12-01").code == 0
    assert kam("--repo", str(wang / "sales"), "review", "close", "2026-Q4", "--today", "2026-12-01").code == 0
    assert git(wang, "tag", "-l").split() == ["sales/review/2026-Q4"]
    synced = kam("--repo", str(wang / "sales"), "sync")
    assert synced.code == 0, synced.err
    assert "  accounts/acme.yaml  by " in synced.out
    assert "sales/review/2026-Q4" in synced.out
    assert "refs/tags/sales/review/2026-Q4" in git(remote, "for-each-ref", "--format=%(refname)", "refs/tags")


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
    commit_all(root, "accounts live in data/")
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
