"""The TUI, driven by Textual's Pilot over the demo repository: what a person sees and what
lands in git. Plain test functions running `asyncio.run` (no pytest-asyncio)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit_count, git
from tui_pilot import run_app, screen_text, settle
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from kam_tui.tui.app import KamApp, make_app
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.tui.screens.edit_field import EditFieldScreen
from kam_tui.tui.screens.help import HelpScreen
from kam_tui.tui.widgets.virtual_table import Column, Row, VirtualTable, widest

SIZE = (120, 36)


def table(app: KamApp) -> VirtualTable:
    return app.screen.query_one("#accounts-table", VirtualTable)


async def open_account(pilot: Pilot[int], prefix: str) -> None:
    """Filter down to one account by typing, then Enter (into the table) and Enter (open)."""
    await pilot.press("slash", *prefix, "enter")
    await settle(pilot)


def demo_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "accounts").glob("*.yaml"))


# --- the accounts screen --------------------------------------------------------------------------


def test_accounts_table_lists_scores_and_filters(demo: Path) -> None:
    ids = demo_ids(demo)
    (demo / "accounts" / "broken-one.yaml").write_text("id: broken-one\nname: [unclosed\n", encoding="utf-8")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        assert isinstance(app.screen, AccountsScreen)
        rows = table(app)
        assert rows.row_keys == ids  # the broken file is left out, and counted below
        assert "sanjiang-auto" in rows.row_keys
        cells = rows.row("sanjiang-auto")
        assert cells is not None and cells[0] == "三江汽车制造有限公司"
        assert str(cells[2]).rstrip("*") in ("A", "B", "C")  # the tier column, filled in by the scoring worker
        text = screen_text(app)
        assert "三江汽车制造有限公司" in text and f"{len(ids)} accounts" in text
        assert "1 file with errors (below)" in text
        assert "accounts/broken-one.yaml:3:1: error: invalid YAML" in text  # the problems panel names file and line
        assert app.screen.sub_title == f"1 file not committed · {demo}"  # the repository (the broken file is new)

        await pilot.press("slash", *"SANJ")  # case-insensitive, on the id
        assert rows.row_keys == ["sanjiang-auto"]
        assert "1 of 19 shown" in screen_text(app)
        await pilot.press("escape")
        assert rows.row_keys == ids
        assert app.focused is rows

        await pilot.press("slash", *"华东")  # the region, in Chinese
        assert "sanjiang-auto" in rows.row_keys and len(rows.row_keys) < len(ids)
        await pilot.press("ctrl+u", *"no such account")
        assert rows.row_keys == []
        assert "No account matches" in screen_text(app)
        await pilot.press("escape")
        assert rows.row_keys == ids

        await pilot.press("slash", "escape")  # Esc leaves an empty filter box too
        assert app.focused is rows
        await pilot.press("q")
        assert app.return_code == 0

    run_app(demo, scenario, SIZE)


def test_enter_opens_the_account_with_its_history(demo: Path) -> None:
    messages = git(
        demo, "log", "--format=%s", "--", "accounts/sanjiang-auto.yaml", "checklists/sanjiang-auto"
    ).splitlines()
    assert "sanjiang-auto: ratings.relations 4 → 5" in messages

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")  # help: the keys of the screen below
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for description in ("Filter", "Reload", "Quit", "Open"):
            assert description in text
        assert "Focus Next" not in text  # Textual's plumbing is left out
        await pilot.press("escape")

        await open_account(pilot, "sanj")
        assert isinstance(app.screen, AccountScreen)
        text = screen_text(app)
        assert "三江汽车制造有限公司" in text and "采购总监" in text  # name, a contact's role

        await pilot.press("3")
        periods = app.screen.query_one("#periods-table", DataTable)
        assert periods.row_count > 0 and "2026-Q3" in [k.value for k in periods.rows]

        await pilot.press("6")
        history = app.screen.query_one("#history-table", DataTable)
        assert [str(history.get_row_at(i)[3]) for i in range(history.row_count)] == messages
        assert messages[0] in screen_text(app)

        await pilot.press("escape")
        assert isinstance(app.screen, AccountsScreen)
        await pilot.press("q")
        assert app.return_code == 0

    run_app(demo, scenario, SIZE)


# --- editing --------------------------------------------------------------------------------------


def test_edit_changes_one_line_in_one_commit(demo: Path) -> None:
    before = commit_count(demo)
    path = demo / "accounts" / "sanjiang-auto.yaml"
    assert "owner: wang\n" in path.read_text(encoding="utf-8")

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await open_account(pilot, "sanj")
        await pilot.press("equals_sign")
        assert isinstance(app.screen, EditFieldScreen)
        await pilot.press(*"owner=li")
        assert "sanjiang-auto: owner wang → li" in screen_text(app)  # the preview of the commit
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("h")
        assert "sanjiang-auto: owner wang → li" in screen_text(app)  # history reloaded
        await pilot.press("escape")
        await settle(pilot)
        assert table(app).row("sanjiang-auto")[5] == "li"  # type: ignore[index]  # list reloaded

    run_app(demo, scenario, SIZE)
    assert commit_count(demo) == before + 1
    numstat = git(demo, "diff", "--numstat", "HEAD~1", "HEAD").split()
    assert numstat == ["1", "1", "accounts/sanjiang-auto.yaml"]  # one line out, one line in
    assert git(demo, "log", "-1", "--format=%s").strip() == "sanjiang-auto: owner wang → li"
    assert git(demo, "status", "--porcelain").strip() == ""


def test_edit_errors_stay_in_the_dialog_and_save_nothing(demo: Path) -> None:
    before = commit_count(demo)
    path = demo / "accounts" / "sanjiang-auto.yaml"

    async def scenario(app: KamApp, pilot: Pilot[int]) -> None:
        await open_account(pilot, "sanj")
        await pilot.press("equals_sign")
        field = app.screen.query_one("#assignment", Input)
        field.value = "stage=x"  # typed key by key in the test above; set here to keep this quick
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditFieldScreen)
        assert "'x' is not one of" in screen_text(app)

        # someone else changes the file after the screen read it: refused, not overwritten
        original = path.read_bytes()
        path.write_bytes(original.replace(b"region: ", b"region: x", 1))
        git(demo, "commit", "-qam", "edited elsewhere")
        field.value = "owner=li"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditFieldScreen)
        assert "changed on disk since it was read" in screen_text(app)

        await pilot.press("escape", "y")  # typed text is dropped only when confirmed
        assert isinstance(app.screen, AccountScreen)

    run_app(demo, scenario, SIZE)
    assert commit_count(demo) == before + 1  # only the outside edit
    assert "owner: wang\n" in path.read_text(encoding="utf-8")


def test_kam_demo_and_kam_tui_open_the_tui_on_their_repository(
    kam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """`kam demo` opens the TUI on the repository it built, `kam tui` on the current one; the
    command's exit code is the TUI's."""
    import kam_tui.tui.app as tui_app

    opened: list[Path] = []

    def fake_run_tui(root: Path) -> int:
        opened.append(Path(root))
        return 7

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    built = kam("demo", "--path", str(tmp_path / "d"))
    assert built.code == 7 and opened == [Path(built.out.strip())]
    assert Path(built.out.strip()).resolve() == (tmp_path / "d").resolve()
    assert kam("tui", cwd=tmp_path / "d" / "accounts").code == 7
    assert opened[1].resolve() == (tmp_path / "d").resolve()
    assert make_app(tmp_path / "d").repo.root == opened[1]


# --- the virtual table ----------------------------------------------------------------------------


def test_virtual_table_aligns_wide_characters_and_handles_many_rows() -> None:
    from textual.app import App, ComposeResult

    columns = [Column("id", "ID"), Column("name", "NAME", flex=True, min_width=8), Column("stage", "STAGE")]
    names = ("Acme [bold]Motors", "三江汽车制造有限公司")
    rows = [(f"a{i:05d}", (f"a{i:05d}", names[i % 2], "active")) for i in range(5000)]

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield VirtualTable(columns)

    async def main() -> None:
        app = TableApp()
        async with app.run_test(size=(80, 20)) as pilot:
            t = app.query_one(VirtualTable)
            t.focus()
            t.set_rows(rows)
            await pilot.pause()
            lines = [t.render_line(y).text for y in range(3)]
            words = ("STAGE", "active", "active")
            stage_at = {cell_len(line[: line.index(word)]) for line, word in zip(lines, words)}
            assert len(stage_at) == 1, lines  # STAGE starts in the same cell on every line
            assert "Acme [bold]Motors" in lines[1]  # data is never read as markup
            await pilot.press("end")
            assert t.cursor_key == "a04999"
            assert "a04999" in t.render_line(19).text  # the last row scrolled into view
            t.set_rows(rows[:10])  # a filter: the cursor's key is gone, so it goes to the top
            assert t.cursor_key == "a00000"
            t.set_rows(rows)
            await pilot.press("down", "down")
            t.set_rows(rows[1:])
            assert t.cursor_key == "a00002"  # kept on the same row

    asyncio.run(main())


def test_virtual_table_measures_the_columns_asked_and_styles_str_cells_by_column() -> None:
    """The accounts list builds its rows of plain strings and, when the scores arrive, measures
    only the scored columns again; the colour of a str cell comes from its column, on screen only."""
    from rich.text import Text
    from textual.app import App, ComposeResult

    columns = [Column("id", "ID"), Column("tier", "T", style=lambda tier: "bold green" if tier == "A" else "")]
    table = VirtualTable(columns)
    first = table.measure([("a", ("a", "")), ("b", ("bbbbbbbb", ""))])
    assert first == [8, 3]  # "T" and room for the sort mark
    scored: list[Row] = [("a", ("zzzzzzzzzzzz", "A*")), ("b", ("b", Text("B-long")))]
    assert table.measure(scored, columns=[1], widths=first) == [8, 6]  # the id column kept its width

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield VirtualTable(columns)

    async def main() -> None:
        app = TableApp()
        async with app.run_test(size=(40, 6)) as pilot:
            t = app.query_one(VirtualTable)
            t.set_rows([("b", ("b", "B")), ("a", ("a", "A"))])  # the cursor on b: its row takes the cursor's colours
            await pilot.pause()

            def colours(y: int, word: str) -> set[str]:
                return {s.style.color.name for s in t.render_line(y) if word in s.text and s.style and s.style.color}

            assert colours(2, "A") == {"green"}
            assert "green" not in colours(0, "T")  # the column's label is not a cell

    asyncio.run(main())


@pytest.mark.parametrize(
    ("texts", "width"),
    [
        ((), 0),
        (("abcdefghij", "三江汽车制造有限公司"), 20),  # fewer characters, more cells
        (("三江", "abcdefghij"), 10),
        (("e\u0301" * 3, "ab"), 3),  # a combining accent takes no cell
        (("x" * 7, "漢" * 3, "y" * 5), 7),
    ],
)
def test_the_widest_text_counts_cells_not_characters(texts: tuple[str, ...], width: int) -> None:
    assert widest(texts) == width == max((cell_len(text) for text in texts), default=0)


def test_the_tui_starts_without_the_account_screen_the_forms_or_the_scoring() -> None:
    """The launch imports what the first rows need; the rest loads when first used (it was a
    fifth of the launch at 10,000 accounts)."""
    code = "import sys, kam_tui.cli, kam_tui.tui.app\nprint(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "kam_tui.tui.screens.accounts" in loaded and "kam_tui.tui.gateway.account_list" in loaded
    later = {
        "kam_tui.tui.screens.account",
        "kam_tui.tui.screens.account_form",
        "kam_tui.tui.screens.reviews",
        "kam_tui.tui.gateway.accounts",
        "kam_tui.tui.gateway.saving",
        "kam_tui.store.snapshot",
        "kam_tui.store.sync",
        "kam_tui.model.evaluate",
    }
    assert later.isdisjoint(loaded)


def test_every_name_of_the_gateway_comes_from_the_module_its_list_names() -> None:
    from kam_tui.tui import gateway

    homes = gateway._homes()
    assert sorted(homes) == sorted(gateway.__all__)
    for name, module in homes.items():
        assert getattr(gateway, name) is getattr(sys.modules[module], name), name
    with pytest.raises(AttributeError, match="no_such_name"):
        gateway.no_such_name  # noqa: B018


def test_tui_gateway_imports_without_textual() -> None:
    code = "import sys, kam_tui.tui.gateway\nprint([n for n in sys.modules if n.split('.')[0] == 'textual'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
