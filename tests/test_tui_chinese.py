"""The TUI in Chinese: labels, column headings, the footer and `?` come from the catalogue when
the reader's language is zh (data, ids and codes stay as they are)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot
from tui_pilot import run_app, run_on_account, screen_text, settle

from kam_tui.i18n import in_language
from kam_tui.tui.app import KamApp


def _screens(demo: Path, *keys: str, size: tuple[int, int] = (80, 24)) -> list[str]:
    """The screen text in Chinese (80×24 unless told): first the list, then after each key."""
    seen: list[str] = []

    async def press(app: KamApp, pilot: Pilot[int]) -> None:
        seen.append(screen_text(app))
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
            seen.append(screen_text(app))

    with in_language("zh"):
        run_app(demo, press, size)
    return seen


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
    for label in ("概况", "往来记录", "历史", "阶段", "客户经理", "合作起始", "得分", "等级", "返回", "编辑"):
        assert label in overview, label
    for english in ("Overview", "Stage", "Owner", "Since", "Score", "Back", "Edit field", "Contacts"):
        assert english not in overview, english
    assert "拜访" in activity and "最近的在前" in activity and "newest first" not in activity
    assert "提交人" in history and "AUTHOR" not in history


def test_score_tab_speaks_chinese(demo: Path) -> None:
    _, _overview, score = _screens(demo, "enter", "2", size=(160, 60))
    for label in ("得分", "各维度", "维度", "权重", "原因", "风险标记", "保留还是剁掉", "建议："):
        assert label in score, label
    for english in ("Dimensions", "DIMENSION", "WEIGHT", "Risk flags", "Keep or cut", "Recommendation", "YES"):
        assert english not in score, english


def test_a_log_form_with_an_error_speaks_chinese(demo: Path) -> None:
    """The visit form after a date that is not one was saved: labels, keys and the error in Chinese."""

    seen: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("v", *"31.12.", "ctrl+s")
        await settle(pilot)
        seen.append(screen_text(app))

    with in_language("zh"):
        run_on_account(demo, scenario, (80, 24))
    (text,) = seen
    for label in ("记录对", "日期", "拜访内容", "下一步", "保存为一次 git 提交"):
        assert label in text, label
    for english in ("Log a visit", "Date", "What happened", "Next step", "saves it", "cancels"):
        assert english not in text, english
    assert "'31.12.' 不是日期（请写成 YYYY-MM-DD）" in text  # the error, with the value as typed


PALETTE_LABELS = ("搜索命令", "记录拜访", "查看按键", "切换语言：English", "主题")


def test_palette_speaks_chinese_and_switches_the_language_at_run_time(demo: Path) -> None:
    """ctrl+p in Chinese lists kam's actions and Textual's in Chinese; "切换语言：English" rebuilds
    the screens in English, keeping the filter, the open account and its tab."""
    seen: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "ctrl+p")
        for _ in range(50):  # the palette lists its hits as its background search finds them
            await pilot.pause(0.1)
            if all(label in screen_text(app) for label in PALETTE_LABELS):
                break
        seen.append(screen_text(app))
        await pilot.press(*"English")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        seen.append(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        seen.append(screen_text(app))

    with in_language("zh"):
        run_on_account(demo, scenario, (100, 30), keys=("slash", *"bohai", "enter"))
    palette, account, accounts = seen
    for label in PALETTE_LABELS:
        assert label in palette, label
    for english in ("Search for commands", "Log a visit", "Theme", "Quit the application", "Keys"):
        assert english not in palette, english
    assert "2 Score" in account and "Policy B: discount 5%" in account  # the Score tab, again
    assert "Filter" in accounts and "1 of" in accounts and "bohai" in accounts  # the filter kept


def test_overview_names_the_ratings_in_chinese() -> None:
    """The Overview's ratings are labels in the reader's language, aligned by cell width."""
    from rich.console import Console

    from kam_tui.model.account import account_from_data
    from kam_tui.tui.widgets.account_panes import overview

    account = account_from_data({"id": "acme", "name": "三江", "ratings": {"capital": 4, "management": 3, "credit": 2}})
    console = Console(width=120, record=True, color_system=None)
    with in_language("zh"):
        console.print(overview(account))
    text = console.export_text()
    assert "资金实力   ●●●●○ 4    管理水平   ●●●○○ 3    信用       ●●○○○ 2" in text
    assert "capital" not in text and "management" not in text


def test_the_footer_shows_whole_keys_and_the_whole_palette_key_at_80_columns(demo: Path) -> None:
    """The keys that do not fit are left out whole: running on under the palette key, they cut
    its wide characters (`^p   令`) and showed half a key (a lone `6`)."""
    for screen in _screens(demo, "enter", "1", "5", "6"):
        footer = screen.splitlines()[-1].rstrip()
        assert footer.endswith("▏^p 命令"), footer
        keys = [key for key in footer.removesuffix("▏^p 命令").split() if key not in "▲▼"]
        assert len(keys) % 2 == 0, footer  # every key with its label, none cut in half


def _account_tab(demo: Path, account: str, tab: str) -> str:
    """The screen text in Chinese at 80×24 with `account` open on `tab`."""
    seen: list[str] = []

    async def press(app: KamApp, pilot: Pilot[int]) -> None:
        app.screen.open_account(account)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press(tab)
        await settle(pilot)
        seen.append(screen_text(app))

    with in_language("zh"):
        run_app(demo, press, (80, 24))
    return seen[0]


def test_the_playbooks_tab_keeps_who_ticked_and_the_counts_on_screen_at_80_columns(demo: Path) -> None:
    text = _account_tab(demo, "changfeng-wholesale", "5")
    assert "5/21" in text and "2026-09-01 Chen Jing" in text  # were cut to `2026-09-01 C` / off screen
    assert "…" in text  # the longest steps give up their end instead


def test_the_score_tab_never_leaves_a_figure_alone_on_a_line_at_80_columns(demo: Path) -> None:
    text = _account_tab(demo, "sanjiang-auto", "2")
    assert "4个季度" in text
    whys = [line[37:].strip() for line in text.splitlines()[9:-1]]
    assert not [why for why in whys if re.fullmatch(r"[\d.%]+|分|→", why)], text


def test_short_figures_stay_with_their_chinese_words_when_text_wraps() -> None:
    from kam_tui.tui.wrap_text import keep_together

    assert keep_together("4 个季度（2025-Q4–2026-Q3）平均毛利率 15.0% → 70 分") == (
        "4个季度（2025-Q4–2026-Q3）平均毛利率15.0% → 70分"
    )
    assert keep_together("进货 12,370,000 中；2026-Q3 应收账款") == "进货 12,370,000 中；2026-Q3 应收账款"
    assert keep_together("4 quarters → 70 points") == "4 quarters → 70 points"


def test_a_palette_search_that_finds_nothing_and_ctrl_c_say_so_in_chinese(demo: Path) -> None:
    """Textual's own words a person meets: the palette's "No matches found" and ctrl+c's reminder of the quit key."""
    from tui_pilot import toasts

    seen: list[str] = []
    notes: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+p", *"zzqx")
        for _ in range(100):  # the palette waits half a second before saying it found nothing
            await pilot.pause(0.05)
            if "没有匹配的命令" in screen_text(app):
                break
        seen.append(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        notes.extend(toasts(app))

    with in_language("zh"):
        run_app(demo, scenario, (80, 24))
    assert "没有匹配的命令" in seen[0] and "No matches" not in seen[0]
    assert notes == ["按 [b]q[/b] 退出"]


def test_the_screenshot_notices_are_chinese(demo: Path, tmp_path: Path) -> None:
    """Textual's notices after the palette's Screenshot, once each (Textual's own is skipped)."""
    from textual import events
    from tui_pilot import toasts

    notes: list[str] = []

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        app.post_message(events.DeliveryComplete(key="k", path=tmp_path / "shot.svg", name="screenshot"))
        app.post_message(events.DeliveryFailed(key="k", exception=OSError("disk full"), name="screenshot"))
        await settle(pilot)
        notes.extend(toasts(app))

    with in_language("zh"):
        run_app(demo, scenario, (80, 24))
    assert notes == [f"截图已保存到 {tmp_path / 'shot.svg'}", "截图保存失败"]
