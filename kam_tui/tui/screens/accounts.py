"""The accounts list: every account in one table, a live filter, Enter opens one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from kam_tui.tui import gateway
from kam_tui.tui.gateway import Repository
from kam_tui.tui.safe_text import plain, safe
from kam_tui.tui.messages import CatalogLoaded, ScoresLoaded, post_result
from kam_tui.tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = (
    Column("id", "ID", max_width=28),
    Column("name", "NAME", max_width=60, min_width=16, flex=True),
    Column("stage", "STAGE", max_width=12),
    Column("owner", "OWNER", max_width=14),
    Column("region", "REGION", max_width=14),
)
SCORE_COLUMNS = (
    Column("score", "SCORE", max_width=6, justify="right"),
    Column("tier", "TIER", max_width=4),
    Column("risks", "RISKS", max_width=40, min_width=14, flex=True),
)
TIER_STYLE = {"A": "bold green", "B": "bold", "C": "dim"}


class AccountsScreen(Screen[None]):
    """All accounts from the catalog; scores fill in when the scoring pass is done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: handled as it arrives, so the keys typed right after it find the filter focused
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True, id="accounts.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="accounts.clear_filter"),
        Binding("r", "reload", "Reload", id="accounts.reload"),
        Binding("q", "app.quit", "Quit", id="accounts.quit"),
    ]

    def __init__(self, repo: Repository) -> None:
        super().__init__(id="accounts")
        self.repo = repo
        self._rows: list[gateway.AccountRow] = []
        self._scores: gateway.Scores = {}
        self._skipped = 0
        self._loaded = False
        self._scores_note = ""
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: id, name, owner, stage or region  (/ to focus, Esc to clear)", id="filter")
        yield VirtualTable(COLUMNS + SCORE_COLUMNS, empty_text="Loading accounts…", id="accounts-table")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self.reload()

    # --- loading (workers post messages back) --------------------------------------------------

    def reload(self) -> None:
        self._stale = False
        self._load_catalog()

    def mark_stale(self) -> None:
        """An account changed elsewhere: reload when this screen is shown again."""
        self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()

    @work(thread=True, exclusive=True, group="catalog")
    def _load_catalog(self) -> None:
        try:
            view = gateway.load_catalog_view(self.repo)
        except OSError as exc:
            post_result(self, CatalogLoaded(None, gateway.error_text(exc)))
            return
        post_result(self, CatalogLoaded(view))

    @work(thread=True, exclusive=True, group="scores")
    def _load_scores(self) -> None:
        try:
            scores = gateway.load_scores(self.repo)
        except Exception as exc:  # noqa: BLE001 - shown in the status line and logged; the list works on
            self.log.error(f"scoring failed: {exc!r}")
            message = gateway.error_text(exc) or f"{type(exc).__name__}: {exc}"
            post_result(self, ScoresLoaded({}, message))
            return
        post_result(self, ScoresLoaded(scores))

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        if message.view is None:
            self._loaded = True
            self.query_one(VirtualTable).empty_text = f"Could not read the accounts: {message.error}"
            self._show_rows()
            return
        self._rows = message.view.rows
        self._skipped = message.view.skipped
        self._loaded = True
        self._scores_note = "scoring…" if self._rows else ""
        self._show_rows()
        if self._rows:
            self._load_scores()

    def on_scores_loaded(self, message: ScoresLoaded) -> None:
        self._scores = message.scores
        self._scores_note = f"no scores: {safe(message.error)}" if message.error else ""
        self._show_rows()

    # --- showing -------------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        found = self.query("#filter").results(Input)
        return next((field.value for field in found), "")

    def _show_rows(self) -> None:
        table = self.query_one(VirtualTable)
        shown = gateway.filter_rows(self._rows, self.query_text)
        table.set_rows([(row.id, self._cells(row)) for row in shown])
        if self._loaded and not shown:
            table.empty_text = (
                f"No account matches “{self.query_text.strip()}” (Esc clears the filter)"
                if self._rows
                else "No accounts yet: `kam new ID --name NAME` adds one"
            )
        self._show_status(len(shown))

    def _cells(self, row: gateway.AccountRow) -> tuple[str | Text, ...]:
        score = self._scores.get(row.id)
        if score is None:
            extra: tuple[str | Text, ...] = ("", "", "")
        else:
            extra = (
                Text(score.score_text(1), justify="right"),
                plain(score.tier_label(), style=TIER_STYLE.get(score.tier or "", "")),
                plain(", ".join(score.risks), style="red"),
            )
        return (row.id, row.name, row.stage, row.owner, row.region, *extra)

    def _show_status(self, shown: int) -> None:
        status = Text()
        if not self._loaded:
            status.append("Loading accounts…", style="dim")
        else:
            total = len(self._rows)
            status.append(f"{total} account{'s' if total != 1 else ''}")
            if self.query_text.strip():
                status.append(f" · {shown} shown", style="bold")
            if self._skipped:
                status.append(
                    f" · {self._skipped} file{'s' if self._skipped != 1 else ''} skipped: run kam validate",
                    style="bold yellow",
                )
            if self._scores_note:
                status.append(f" · {self._scores_note}", style="dim")
        self.query_one("#status", Static).update(status)

    # --- filter and opening --------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show_rows()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc is offered while there is a filter to clear, or to leave the (empty) filter box."""
        if action == "clear_filter":
            return bool(self.query_text) or self.focused is self.query_one("#filter")
        return True

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        """Enter in the filter opens the highlighted account."""
        table = self.query_one(VirtualTable)
        table.focus()
        table.action_select_cursor()

    def on_key(self, event: events.Key) -> None:
        """Down from the filter moves into the table."""
        if event.key == "down" and self.focused is self.query_one("#filter"):
            self.query_one(VirtualTable).focus()
            event.stop()

    def action_focus_filter(self) -> None:
        """Focus the filter now (not after the next refresh, as `focus()` does), so the keys
        typed right after `/` land in it; in the filter, `/` is typed like any character."""
        field = self.query_one("#filter", Input)
        if self.focused is field:
            field.insert_text_at_cursor("/")
            return
        self.set_focus(field)
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(VirtualTable).focus()

    def action_reload(self) -> None:
        self.reload()
        self.notify("Reloading accounts…", timeout=2, markup=False)

    @on(VirtualTable.Selected, "#accounts-table")
    def _open(self, event: VirtualTable.Selected) -> None:
        from kam_tui.tui.screens.account import AccountScreen

        self.app.push_screen(AccountScreen(self.repo, event.key, self._scores.get(event.key)))
