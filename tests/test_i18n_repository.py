# ruff: noqa: E501  (commit messages are kept as the lines they are)
"""Text kam writes into a repository is in the repository's language, whoever runs the command."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from kam_tui.i18n import in_language
from kam_tui.store.demo import build_demo
from kam_tui.store.init import init_repository
from kam_tui.store.yamlread import parse_bytes

CJK = re.compile("[\u4e00-\u9fff]")


def _comments(path: Path) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines() if "#" in line]


def _subjects(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_init_zh_writes_every_comment_of_kam_yaml_in_chinese(tmp_path: Path) -> None:
    with in_language("en"):  # the reader's language does not matter
        root = init_repository(tmp_path / "zh", "zh")
    comments = [c for c in _comments(root / "kam.yaml") if c != "en | zh"]
    assert len(comments) > 60
    assert [c for c in comments if not CJK.search(c)] == []
    assert "weight: 35  # 近 12 个月销售额的权重" in (root / "kam.yaml").read_text(encoding="utf-8")
    assert CJK.search((root / ".gitattributes").read_text(encoding="utf-8"))
    assert _subjects(root) == ["建立大客户仓库"]


def test_init_en_writes_english_even_for_a_chinese_reader(tmp_path: Path) -> None:
    with in_language("zh"):
        root = init_repository(tmp_path / "en", "en")
    text = (root / "kam.yaml").read_text(encoding="utf-8")
    assert not CJK.search(text)
    assert "weight: 35  # weight of trailing-12-month sales" in text
    assert _subjects(root) == ["Start the key-account repository"]


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("zh") / "demo", language="zh")


def test_the_chinese_demo_has_chinese_accounts_settings_and_playbooks(zh_demo: Path) -> None:
    settings = (zh_demo / "kam.yaml").read_text(encoding="utf-8")
    assert "language: zh" in settings
    names = [parse_bytes(p.read_bytes()).data["name"] for p in sorted((zh_demo / "accounts").glob("*.yaml"))]
    assert len(names) >= 8
    assert all(CJK.search(name) for name in names)
    checklist = (zh_demo / "checklists" / "changfeng-wholesale" / "staged-exit.md").read_text(encoding="utf-8")
    template = (zh_demo / "playbooks" / "staged-exit.md").read_text(encoding="utf-8")
    assert CJK.search(template.splitlines()[0] + checklist)
    assert "毛利连续两个季度为负" in checklist  # the tick's note, in Chinese


def test_the_chinese_demo_history_is_written_in_chinese(zh_demo: Path) -> None:
    subjects = _subjects(zh_demo)
    assert subjects[-1] == "建立大客户仓库"
    assert "changfeng：停止赊销" in subjects
    assert "sanjiang-auto：新建大客户 三江汽车制造有限公司" in subjects


def test_kam_demo_without_lang_follows_the_readers_language(kam, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAM_LANG", "zh")
    result = kam("demo", "--path", str(tmp_path / "d"), "--no-open")
    assert result.code == 0
    assert "language: zh" in (tmp_path / "d" / "kam.yaml").read_text(encoding="utf-8")
    assert result.err.startswith("演示仓库已建好")


DAY_OF_WORK = (  # every command that commits an account's change, as a person types them
    ("new", "acme", "--name", "三江", "owner=wang"),
    ("add", "acme", "visits", "summary=盘点", "by=li"),
    ("add", "acme", "surveys", "product=2", "service=4"),
    ("add", "acme", "complaints", "summary=到货慢"),
    ("set", "acme", "complaints.1.answered=2026-12-01"),
    ("remove", "acme", "visits.1"),
    ("unset", "acme", "owner"),
    ("set", "acme", "stage=at-risk"),
    ("attach", "acme", "staged-exit"),
    ("check", "acme", "staged-exit", "1", "--note", "好"),
    ("check", "acme", "staged-exit", "1", "--undo", "--note", "撤回"),
    ("check", "acme", "staged-exit", "2", "--na", "--reason", "不需要"),
    ("detach", "acme", "staged-exit", "--reason", "不退了"),
)
HISTORY_ZH = [
    "acme：新建大客户 三江",
    "acme：拜访 2026-11-30，拜访人 li\n\nacme：新增 visits.1：{date: 2026-11-30, by: li, summary: 盘点}",
    "acme：满意度调查 2026-11-30（产品 2，服务 4），已建改进措施\n\n"
    "acme：新增 surveys.1：{date: 2026-11-30, product: 2, service:…, 新增 actions.1：{what: 跟进满意度调查低分（产品 2）, owner: wang, du…",
    "acme：投诉 2026-11-30 “到货慢”\n\nacme：新增 complaints.1：{opened: 2026-11-30, summary: 到货慢}",
    "acme：complaints.1.answered = 2026-12-01",
    "acme：删除 visits（原为 [{date: 2026-11-30, by: li, summary: 盘点…）",
    "acme：删除 owner（原为 wang）",
    "acme：stage prospect → at-risk",
    "acme：启用 staged-exit，阶段 at-risk → exiting",
    "acme: staged-exit ✓ 用数据回答三个问题\n\n备注：好",
    "acme: staged-exit ✗ 用数据回答三个问题\n\n备注：撤回",
    "acme: staged-exit – 对比进货量和实际销量，查窜货\n\n不适用：不需要",
    "acme：移除 staged-exit\n\n理由：不退了\n移除前已完成 0/20，1 项不适用。",
]
HISTORY_EN = [
    "acme: new account 三江",
    "acme: visit 2026-11-30 by li\n\nacme: visits.1 added: {date: 2026-11-30, by: li, summary: 盘点}",
    "acme: survey 2026-11-30 (product 2, service 4), action opened\n\n"
    "acme: surveys.1 added: {date: 2026-11-30, product: 2, service:…, actions.1 added: {what: follow up low survey scores (pro…",
    "acme: complaint 2026-11-30 “到货慢”\n\nacme: complaints.1 added: {opened: 2026-11-30, summary: 到货慢}",
    "acme: complaints.1.answered = 2026-12-01",
    "acme: visits removed (was [{date: 2026-11-30, by: li, summary: 盘点…)",
    "acme: owner removed (was wang)",
    "acme: stage prospect → at-risk",
    "acme: attach staged-exit, stage at-risk → exiting",
    "acme: staged-exit ✓ Answer the three questions with figures\n\nNote: 好",
    "acme: staged-exit ✗ Answer the three questions with figures\n\nNote: 撤回",
    "acme: staged-exit – Check stock-in against sell-through for diversion\n\nNot applicable: 不需要",
    "acme: detach staged-exit\n\nReason: 不退了\nIt had 0 of 20 done, 1 n/a.",
]


def _messages(root: Path) -> list[str]:
    """Every commit message after the first, oldest first, without trailing newlines."""
    out = subprocess.run(
        ["git", "-C", str(root), "log", "--reverse", "--format=%B%x00"], capture_output=True, text=True, check=True
    )
    return [m.strip("\n") for m in out.stdout.split("\x00")][1:-1]


@pytest.mark.parametrize(("written", "reader", "history"), [("zh", "en", HISTORY_ZH), ("en", "zh", HISTORY_EN)])
def test_every_commit_is_in_the_repository_language_whoever_reads(  # type: ignore[no-untyped-def]
    kam, tmp_path: Path, monkeypatch, written: str, reader: str, history: list[str]
) -> None:
    """A team's history is in kam.yaml's language: an English reader in a Chinese repository writes
    Chinese commits (and an action's `what` in the file), a Chinese reader in an English one English."""
    root = init_repository(tmp_path / "repo", written)
    monkeypatch.setenv("KAM_LANG", reader)
    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    for command in DAY_OF_WORK:
        result = kam(*command, cwd=root)
        assert result.code == 0, (command, result.err)
    assert _messages(root) == history
    what, source = (
        ("跟进满意度调查低分（产品 2）", "满意度调查")
        if written == "zh"
        else ("follow up low survey scores (product 2)", "survey")
    )
    text = (root / "accounts" / "acme.yaml").read_text(encoding="utf-8")
    assert f"  - what: {what}\n" in text and f"    source: {source} 2026-11-30\n" in text


@pytest.mark.parametrize("written", ["zh", "en"])
def test_a_playbook_added_and_a_file_edited_by_hand_commit_in_the_repository_language(  # type: ignore[no-untyped-def]
    kam, tmp_path: Path, monkeypatch, written: str
) -> None:
    from kam_tui.store.account_replace import replace_account
    from kam_tui.store.repository import Repository

    root = init_repository(tmp_path / "repo", written)
    other = "en" if written == "zh" else "zh"
    monkeypatch.setenv("KAM_LANG", other)  # the reader speaks the other language
    assert kam("playbook", "add", "development", "--lang", other, cwd=root).code == 0
    assert kam("new", "acme", "--name", "三江", cwd=root).code == 0
    old = (root / "accounts" / "acme.yaml").read_bytes()
    with in_language(other):
        replace_account(Repository(root), "acme", old + b"owner: wang\nregion: \xe5\x8d\x8e\xe4\xb8\x9c\n", old)
    expected = {
        "zh": [
            "acme：手工编辑了 owner, region",
            "acme：新建大客户 三江",
            "playbooks：添加 development-en（development 的 en 模板）",
        ],
        "en": [
            "acme: owner, region edited by hand",
            "acme: new account 三江",
            "playbooks: add development-zh (zh template of development)",
        ],
    }
    assert _subjects(root)[:3] == expected[written]


def test_a_broken_kam_yaml_still_lets_kam_set_write_in_its_language(kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """kam set needs nothing of kam.yaml but its language (issue 7: such a write still works): it
    reads `language:` where kam.yaml states it validly, English where `language:` itself is broken."""
    root = init_repository(tmp_path / "repo", "zh")
    assert kam("new", "acme", "--name", "三江", cwd=root).code == 0
    settings = root / "kam.yaml"
    broken = settings.read_text(encoding="utf-8").replace("company_sales: null", "company_sales: -5")
    settings.write_text(broken, encoding="utf-8")
    assert kam("validate", cwd=root).code == 1
    assert kam("set", "acme", "owner=wang", cwd=root).code == 0
    settings.write_text("language: klingon\n", encoding="utf-8")
    assert kam("set", "acme", "owner=li", cwd=root).code == 0
    assert _subjects(root)[:2] == ["acme: owner wang → li", "acme：owner = wang"]


@pytest.mark.parametrize(
    ("written", "reader", "subject", "comment"),
    [
        ("zh", "en", "kam setup：字段级合并与比较驱动", "# kam 逐字段合并客户文件和清单；"),
        ("en", "zh", "kam setup: field-level merge and diff drivers", "# kam merges account files and checklists"),
    ],
)
def test_kam_setup_commits_its_attributes_in_the_repository_language(  # type: ignore[no-untyped-def]
    kam, tmp_path: Path, monkeypatch, written: str, reader: str, subject: str, comment: str
) -> None:
    """`kam setup` brings an older repository's .gitattributes up to date in one commit: the subject
    and the file's comment are the team's text, in kam.yaml's language, not the reader's."""
    root = init_repository(tmp_path / "repo", written)
    (root / ".gitattributes").write_text("*.md text\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "-c", "core.hooksPath=/dev/null", "commit", "-qam", "old"], check=True)
    monkeypatch.setenv("KAM_LANG", reader)
    assert kam("setup", cwd=root).code == 0
    assert _subjects(root)[0] == subject
    assert (root / ".gitattributes").read_text(encoding="utf-8").splitlines()[2].startswith(comment)
