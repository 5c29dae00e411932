"""The TUI in Chinese: labels, column headings, the footer and `?` come from the catalogue when
the reader's language is zh (data, ids and codes stay as they are)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui_pilot import demo_fixture, demo_template_fixture, screen_text, settle  # noqa: F401 - fixtures

from kam_tui.i18n import in_language
from kam_tui.tui.app import make_app


def _screens(demo: Path, *keys: str) -> list[str]:
    """The screen text at 80×24 in Chinese: first the list, then after each key."""

    async def main() -> list[str]:
        app = make_app(demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            seen = [screen_text(app)]
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
                seen.append(screen_text(app))
            return seen

    with in_language("zh"):
        return asyncio.run(main())


def test_accounts_list_speaks_chinese(demo: Path) -> None:
    (text,) = _screens(demo)
    text = text.split("\n", 1)[1]  # below the header (the path holds English words)
    for label in ("名称", "等级", "得分", "风险", "个客户", "筛选", "排序", "退出", "帮助"):
        assert label in text, label
    for english in ("NAME", "TIER", "SCORE", "RISKS", "accounts", "Filter", "Sort", "Quit", "Help"):
        assert english not in text, english


def test_help_on_the_accounts_list_speaks_chinese(demo: Path) -> None:
    _, text = _screens(demo, "question_mark")
    assert "按键" in text and "筛选" in text and "重新载入" in text
    assert "Keys" not in text and "Reload" not in text and "closes" not in text


def test_account_screen_speaks_chinese(demo: Path) -> None:
    _, overview, activity, history = _screens(demo, "enter", "4", "h")
    for label in ("概况", "往来记录", "历史", "阶段", "客户经理", "合作起始", "得分", "等级", "返回", "修改字段"):
        assert label in overview, label
    for english in ("Overview", "Stage", "Owner", "Since", "Score", "Back", "Edit field", "Contacts"):
        assert english not in overview, english
    assert "拜访" in activity and "最近的在前" in activity and "newest first" not in activity
    assert "提交人" in history and "AUTHOR" not in history
