"""What the write path, `kam sync` and `kam setup` say, in Chinese: a refused save, a machine that
will not write, a sync and a setup read in the reader's language (commands and paths stay as
they are typed)."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

from conftest import ACME, git, zh_acme
from kam_tui.i18n import in_language
from kam_tui.store import atomic
from kam_tui.store.account_changes import InvalidChange
from kam_tui.store.account_replace import replace_account
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import WriteRefused


@pytest.fixture
def zh_repo(tmp_path: Path) -> Path:
    return zh_acme(tmp_path).root


def test_a_save_refused_during_a_rebase_says_so_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    git(zh_repo, "checkout", "-qb", "other")
    (zh_repo / "accounts" / "acme.yaml").write_text(ACME.replace("wang", "zhao"), encoding="utf-8")
    git(zh_repo, "commit", "-qam", "zhao")
    git(zh_repo, "checkout", "-q", "main")
    (zh_repo / "accounts" / "acme.yaml").write_text(ACME.replace("wang", "qian"), encoding="utf-8")
    git(zh_repo, "commit", "-qam", "qian")
    assert subprocess.run(["git", "-C", str(zh_repo), "rebase", "other"], capture_output=True).returncode != 0
    result = kam("--repo", str(zh_repo), "set", "acme", "owner=li")
    assert (result.code, result.err) == (
        2,
        "kam: 警告：合并尚未完成：1 个文件未合并（accounts/acme.yaml）；kam 读到的内容可能来自任意一方。"
        "请解决并提交它们，或放弃这次合并\n"
        "kam: 变基正在进行中：请先完成或放弃它（`git rebase --continue` 或 `git rebase --abort`）；未保存任何内容\n",
    )
    english = kam("--repo", str(zh_repo), "--lang", "en", "set", "acme", "owner=li")
    assert english.err.splitlines()[-1] + "\n" == (
        "kam: a rebase is in progress: finish or abort it first "
        "(`git rebase --continue` or `git rebase --abort`); nothing saved\n"
    )


def test_a_full_disk_is_said_in_chinese(zh_repo: Path, kam, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(atomic.FAULTS, "write", errno.ENOSPC)
    result = kam("--repo", str(zh_repo), "set", "acme", "owner=li")
    assert (result.code, result.err) == (2, "kam: 无法写入 accounts/acme.yaml：磁盘已满；未保存任何内容\n")


def test_sync_and_setup_speak_chinese(zh_repo: Path, kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    alone = kam("--repo", str(zh_repo), "sync")
    assert (alone.code, alone.err) == (2, "kam: 没有可同步的远程仓库\n提示：git remote add origin URL\n")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(zh_repo), str(remote)], check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
    set_up = kam("--repo", str(clone), "setup")
    assert set_up.code == 0
    assert f"已安装 pre-commit 钩子 {clone / '.git' / 'hooks' / 'pre-commit'}\n" in set_up.out
    assert kam("--repo", str(clone), "setup").out == "已经设置好了：无需操作\n"
    synced = kam("--repo", str(clone), "sync")
    assert (synced.out, synced.err) == ("已是最新：没有收到，也没有推送\n", "正在从 origin 获取 …\n")
    assert kam("--repo", str(clone), "set", "acme", "owner=li").code == 0
    pushed = kam("--repo", str(clone), "sync")
    assert pushed.out.startswith("推送：1 个提交\n  acme")
    assert "正在推送到 origin …" in pushed.err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("set", "acme", "sales=5"), "kam: “sales”不是客户文件的键；是否指“stage”？（见 `kam schema`）\n"),
        (
            ("set", "acme", "owner=li", "owner=wang"),
            "kam: owner 和 owner 重叠；一条命令中每个键只能设置一次；未保存任何内容\n",
        ),
        (("set", "nobody", "owner=li"), "kam: 没有客户“nobody”（accounts/nobody.yaml 不存在）\n"),
    ],
)
def test_a_refused_change_says_why_in_chinese(zh_repo: Path, kam, args: tuple[str, ...], said: str) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo), *args)
    assert (result.code, result.err) == (2, said)


def test_init_inside_a_work_tree_and_a_change_already_made_say_so_in_chinese(
    zh_repo: Path, kam, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    same = kam("--repo", str(zh_repo), "set", "acme", "owner=wang")
    assert (same.code, same.err) == (0, "acme：没有变化（这些值原本就是这样）\n")
    mono = tmp_path / "mono"
    mono.mkdir()
    git(mono, "init", "-q")
    started = kam("--lang", "zh", "init", str(mono / "sales"))
    assert started.code == 0
    assert f"使用位于 {mono} 的 git 工作区（kam 的文件在 sales/ 中）\n" in started.err


def test_the_raw_editor_refuses_in_chinese(zh_repo: Path) -> None:
    """The TUI's `E` (the file in $EDITOR) said its refusals in English only."""
    repo = Repository(zh_repo)
    with in_language("zh"), pytest.raises(InvalidChange) as invalid:
        replace_account(repo, "acme", b"id: acme\nstage: actve\n", ACME.encode())
    assert invalid.value.message == "编辑后的文件不是有效的客户文件；未保存任何内容"
    with in_language("zh"), pytest.raises(WriteRefused) as moved:
        replace_account(repo, "acme", ACME.replace("wang", "li").encode(), b"id: acme\nname: Old\n")
    assert moved.value.message == "accounts/acme.yaml 在编辑器中打开期间被修改了；未保存任何内容"


def test_the_merge_driver_tells_a_chinese_reader_in_chinese_and_writes_the_file_as_git_reads_it(  # type: ignore[no-untyped-def]
    zh_repo: Path, kam, tmp_path: Path
) -> None:
    """What the driver says goes to the person running the merge (git shows its stderr), so it is
    in the reader's language (here kam.yaml's, found from the folder git runs it in); the conflict
    markers it writes into the file stay git's own."""
    base = b"id: acme\nname: Acme\nstage: active\nowner: li\n"
    sides = {"base": base, "ours": base.replace(b"owner: li\n", b""), "theirs": base.replace(b"li", b"wang")}
    for name, data in sides.items():
        (tmp_path / name).write_bytes(data)
    files = [str(tmp_path / name) for name in sides]
    result = kam("merge-driver", *files, "accounts/acme.yaml", cwd=zh_repo)
    assert (result.code, result.err) == (1, "kam merge: accounts/acme.yaml 有冲突：owner：我方 （已删除），对方 wang\n")
    assert "<<<<<<< ours\n=======\nowner: wang\n>>>>>>> theirs\n" in (tmp_path / "ours").read_text()


def test_validate_says_a_broken_files_problems_in_the_readers_language_whatever_was_cached(  # type: ignore[no-untyped-def]
    zh_repo: Path, kam, monkeypatch
) -> None:
    """The catalog cache keeps each file's problems as text: read in another language, they are
    read again, not shown in the language of whoever ran kam before."""
    (zh_repo / "accounts" / "Bad_Name.yaml").write_text("id: x\nname: X\n", encoding="utf-8")
    (zh_repo / "accounts" / "tabs.yaml").write_text("id: tabs\nname: T\nratings:\n\tcapital: 3\n", encoding="utf-8")
    monkeypatch.setenv("KAM_LANG", "en")
    assert "tab character in indentation" in kam("validate", cwd=zh_repo).out
    monkeypatch.setenv("KAM_LANG", "zh")
    lines = kam("validate", cwd=zh_repo).out.splitlines()
    assert (
        "accounts/Bad_Name.yaml:1:1: error: 文件名 'Bad_Name.yaml' 不是有效的客户 id (请用小写字母、数字和 '-')"
        in lines
    )
    assert "accounts/tabs.yaml:4:1: error: 缩进中有制表符；请用空格缩进" in lines


def test_files_read_by_worker_processes_report_in_the_readers_language(  # type: ignore[no-untyped-def]
    zh_repo: Path, monkeypatch
) -> None:
    from kam_tui.store import catalog
    from kam_tui.store.repository import Repository

    for n in range(3):
        (zh_repo / "accounts" / f"t{n}.yaml").write_text(f"id: t{n}\nname: T\nstage: [x\n", encoding="utf-8")
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 2)
    with in_language("zh"):
        problems = catalog.load_catalog(Repository(zh_repo), use_cache=False).problems
    assert len(problems) == 3 and all(p.message.startswith("无效的 YAML：") for p in problems)


def test_setup_check_names_what_it_checked_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo), "setup", "--check")
    names = [line[4:12].rstrip() for line in result.out.splitlines()]
    assert names == ["身份", "驱动", "属性文件", "钩子", "远程仓库", "克隆", "libyaml"]
    assert "!!  远程仓库    没有可同步的远程仓库\n" in result.out


def test_what_the_yaml_parser_could_not_read_is_said_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    (zh_repo / "accounts" / "bad.yaml").write_text("id: bad\nname: [x\n", encoding="utf-8")
    result = kam("--repo", str(zh_repo), "validate")
    assert (
        "accounts/bad.yaml:3:1: error: 无效的 YAML：没有找到应有的 ',' 或 ']' (读取方括号列表时)"
        in result.out.splitlines()
    )


def test_reading_in_another_language_reads_again_only_the_files_with_problems(  # type: ignore[no-untyped-def]
    zh_repo: Path, monkeypatch
) -> None:
    """Switching the language (`--lang`, KAM_LANG, the TUI's palette) keeps the catalog cache:
    only the problems are text, so only the files that have some are read again."""
    from kam_tui.store import catalog
    from kam_tui.store.repository import Repository

    (zh_repo / "accounts" / "tabs.yaml").write_text("id: tabs\nname: T\nratings:\n\tcapital: 3\n", encoding="utf-8")
    repo = Repository(zh_repo)
    with in_language("en"):
        assert any("tab character" in p.message for p in catalog.load_catalog(repo).problems)
    parsed: list[str] = []
    real = catalog._parse_all

    def counted(root, rels, progress=None):  # type: ignore[no-untyped-def]
        parsed.extend(rels)
        return real(root, rels, progress)

    monkeypatch.setattr(catalog, "_parse_all", counted)
    with in_language("zh"):
        problems = catalog.load_catalog(repo).problems
    assert parsed == ["accounts/tabs.yaml"]
    assert [p.message for p in problems] == ["缩进中有制表符；请用空格缩进"]
    with in_language("en"):
        assert catalog.load_catalog(repo).accounts == catalog.load_catalog(repo, use_cache=False).accounts
