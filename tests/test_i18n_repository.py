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
