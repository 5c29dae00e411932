"""The accounts list: every account in one table, the portfolio at a glance, a live filter with
tokens, sort by any column; Enter opens one.

Speed at 10,000 accounts: each row's cells are plain strings, built when the list is read and again
when the scores arrive (only the scored columns are measured again then); a filter keystroke only
tests rows and hands the table the matches, a sort only reorders them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from kam_tui.i18n import N_
from kam_tui.model.errors import KamError
from kam_tui.tui import filtering, gateway
from kam_tui.tui.messages import CatalogLoaded, IndexLoaded, LoadProgress, PortfolioLoaded, RemoteStatus, post_result
from kam_tui.tui.safe_text import safe
from kam_tui.tui.translate import TranslatedBindings, label
from kam_tui.tui.screens.form_base import after_typed
from kam_tui.tui.sync_text import remote_line, uncommitted_line
from kam_tui.tui.widgets import account_rows
from kam_tui.tui.widgets.glance import GlanceLine, glance_parts
from kam_tui.tui.widgets.virtual_table import Row, VirtualTable
from kam_tui.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from kam_tui.tui.gateway import Repository

LABELS = {
    "filter": N_(
        "Filter: words, or tier:A owner:wang stage:at-risk risk:stuffing kind:dealer playbook:staged-exit "
        "due:overdue  (// also searches notes; / focuses, Esc clears)"
    ),
    "loading": N_("Loading accounts…"),
    "scoring": N_("scoring {n} accounts…"),
    "reading": N_("Reading account files… {done} of {total}"),
    "no_match": N_("No account matches “{query}” (Esc clears the filter)"),
    "no_accounts": N_("No accounts yet: `kam new ID --name NAME` adds one"),
    "unreadable": N_("Could not read the accounts: {error}"),
    "shown": N_("{shown:,} of {total:,} shown"),
    "count": N_("{total:,} accounts"),
    "sorted": N_("sorted by {column} {direction}"),
    "unknown_key": N_("not a filter key: {keys} (known: {known})"),
    "no_scores": N_("no scores: {error}"),
    "reloading": N_("Reloading accounts…"),
    "deep": N_("also in notes, visits and complaints"),
    "indexing": N_("reading notes, playbooks and due dates…"),
    "no_index": N_("no notes index: {error}"),
    "writes_blocked": N_("saving is refused: {reason}"),
}
PROGRESS_PAUSE = 0.1  # seconds between two progress reports of a cold load
DEEP_PAUSE = 0.6  # seconds without typing after which the filter's words search the notes too


class FilterInput(Input):
    """The filter box. Enter opens the highlighted account as the key arrives (`/sanj Enter 2`
    typed at once put 2 into the filter); a key that reaches the box once the account is open
    (typed right after Enter, queued here before the account screen was up) goes on to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.open_filtered", N_("Open"), show=False, priority=True, id="accounts.open_filtered"),
    ]

    async def _on_key(self, event: events.Key) -> None:
        if self.screen is not self.app.screen:
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)


class AccountsScreen(TranslatedBindings, Screen[None]):
    """All accounts from the catalog; scores, sales and the portfolio line fill in after."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: handled as it arrives, so the keys typed right after it find the filter focused
        Binding("slash", "focus_filter", N_("Filter"), key_display="/", priority=True, id="accounts.filter"),
        Binding("escape", "clear_filter", N_("Clear filter"), id="accounts.clear_filter"),
        Binding("o", "sort(False)", N_("Sort ▲"), id="accounts.sort"),
        Binding("O", "sort(True)", N_("Sort ▼"), key_display="O", id="accounts.sort_descending"),
        Binding("r", "reload", N_("Reload"), id="accounts.reload"),
        Binding("n", "new_account", N_("New"), id="accounts.new"),
        Binding("C", "changes", N_("Changes"), key_display="C", show=False, id="accounts.changes"),  # ? and the palette
        Binding("q", "app.quit", N_("Quit"), id="accounts.quit"),
    ]

    def __init__(self, repo: Repository, read: gateway.CatalogView | None = None) -> None:
        """`read`: the list as read before the app started (a warm cache), shown at once."""
        super().__init__(id="accounts")
        self.repo = repo
        self._read = read
        self._view: gateway.CatalogView | None = None
        self._rows: list[gateway.AccountRow] = []  # in the sort order
        self._table_rows: dict[str, Row] = {}  # id → (id, cells), built once per load
        self._widths: list[int] | None = None
        self._portfolio: gateway.PortfolioView | None = None
        self._sort: tuple[str, bool] | None = None  # (column key, descending)
        self._loaded = False
        self._scores_note = ""
        self._stale = False
        self._index: gateway.AccountIndex | None = None  # kinds, playbooks, overdue, notes: after the scores
        self._index_note = ""
        self._deep = False  # typing paused: the words search the notes too
        self._deep_timer: Timer | None = None
        self._filtered = False  # the filter holds text (what `check_action` offers Esc for)

    def compose(self) -> ComposeResult:
        yield Header()
        yield GlanceLine(id="glance")
        yield FilterInput(placeholder=label(LABELS, "filter"), id="filter")
        yield VirtualTable(account_rows.columns(), empty_text=label(LABELS, "loading"), id="accounts-table")
        with VerticalScroll(id="problems"):
            yield Static(id="problems-body")
        yield Static(id="status")
        yield KeysFooter(compact=True)  # every key of the list fits 80 columns

    def on_mount(self) -> None:
        self.query_one("#problems").display = False
        self.query_one(VirtualTable).focus()
        self.reload()

    # --- loading (workers post messages back) --------------------------------------------------

    def reload(self) -> None:
        self._stale = False
        if self._read is not None:
            self.post_message(CatalogLoaded(self._read))
            self._read = None
        else:
            self._load_catalog()
        self.show_remote()

    def show_remote(self) -> None:
        """Ahead/behind of the remote in the header (`↑2 ↓1 origin/main`), read in a worker."""
        self._load_remote()

    @work(thread=True, exclusive=True, group="remote")
    def _load_remote(self) -> None:
        try:
            status = gateway.remote_status(self.repo)
            uncommitted = len(gateway.uncommitted_files(self.repo))
        except (KamError, OSError) as exc:  # the header goes without it; the list works on
            self.log.error(f"ahead/behind failed: {exc!r}")
            return
        post_result(self, RemoteStatus(status, uncommitted))

    def on_remote_status(self, message: RemoteStatus) -> None:
        parts = [remote_line(message.status), uncommitted_line(message.uncommitted), safe(self.repo.root)]
        self.sub_title = " · ".join(part for part in parts if part)

    def mark_stale(self) -> None:
        """An account changed elsewhere: reload when this screen is shown again."""
        self._stale = True

    def files_changed(self, fingerprint: str) -> None:
        """Account files changed on disk: reload now if shown, else when shown again."""
        if self._view is None or fingerprint == self._view.fingerprint:
            return  # still loading (what it reads is current), or nothing new
        if self.app.screen is self:
            self.reload()
        else:
            self.mark_stale()

    def on_screen_resume(self) -> None:
        if self._stale:
            self.reload()
        else:
            self.show_remote()  # a save on the account screen is one more commit to push

    @work(thread=True, exclusive=True, group="catalog")
    def _load_catalog(self) -> None:
        reported = [0.0]

        def progress(done: int, total: int) -> None:  # from the worker thread, at most every 0.1 s
            now = time.monotonic()
            if now - reported[0] >= PROGRESS_PAUSE or done == total:
                reported[0] = now
                post_result(self, LoadProgress(done, total))

        try:
            view = gateway.load_catalog_view(self.repo, progress)
        except OSError as exc:
            post_result(self, CatalogLoaded(None, gateway.error_text(exc)))
            return
        post_result(self, CatalogLoaded(view))

    # A fixed description: Textual's default is the repr of the arguments, 10,000 rows long,
    # built on the UI thread (60 ms at launch at 10,000 accounts).
    @work(thread=True, exclusive=True, group="scores", description="scores and figures of every account")
    def _load_portfolio(self, view: gateway.CatalogView) -> None:
        try:
            portfolio = gateway.load_portfolio(self.repo, view)
        except Exception as exc:  # noqa: BLE001 - shown in the status line and logged; the list works on
            self.log.error(f"scoring failed: {exc!r}")
            post_result(self, PortfolioLoaded(None, gateway.error_message(exc)))
            return
        post_result(self, PortfolioLoaded(portfolio))

    @work(thread=True, exclusive=True, group="index", description="kinds, playbooks, overdue items and notes")
    def _load_index(self, view: gateway.CatalogView, scores: gateway.Scores) -> None:
        try:
            index = gateway.load_account_index(self.repo, view, scores)
        except Exception as exc:  # noqa: BLE001 - shown in the status line and logged; the list works on
            self.log.error(f"account index failed: {exc!r}")
            post_result(self, IndexLoaded(None, gateway.error_message(exc)))
            return
        post_result(self, IndexLoaded(index))

    def on_catalog_loaded(self, message: CatalogLoaded) -> None:
        self._loaded = True
        table = self.query_one(VirtualTable)
        if message.view is None:
            table.empty_text = label(LABELS, "unreadable").format(error=message.error)
            self._show_rows()
            return
        self._view = message.view
        count = len(message.view.rows)
        self._scores_note = label(LABELS, "scoring").format(n=f"{count:,}") if count else ""
        self._build_rows()
        self._show_problems()
        if message.view.rows:
            # after the first rows are drawn: the scoring thread would hold the GIL half the time meanwhile
            self.call_after_refresh(self._load_portfolio, message.view)
            self.call_after_refresh(self._import_account_screen)

    def on_load_progress(self, message: LoadProgress) -> None:
        """A cold start parses every file: say how far it is, in the table and the status line."""
        if self._loaded:
            return
        text = label(LABELS, "reading").format(done=f"{message.done:,}", total=f"{message.total:,}")
        self.query_one(VirtualTable).empty_text = text
        self.query_one(VirtualTable).refresh()
        self.query_one("#status", Static).update(Text(text, style="dim"))

    def on_portfolio_loaded(self, message: PortfolioLoaded) -> None:
        self._portfolio = message.portfolio
        self._scores_note = label(LABELS, "no_scores").format(error=safe(message.error)) if message.error else ""
        self._build_rows(account_rows.SCORED)
        if self._view is not None and self._view.rows:
            self._index_note = label(LABELS, "indexing")
            self._load_index(self._view, message.portfolio.scores if message.portfolio is not None else {})

    def on_index_loaded(self, message: IndexLoaded) -> None:
        self._index = message.index
        self._index_note = label(LABELS, "no_index").format(error=safe(message.error)) if message.error else ""
        self._show_rows()
        self._show_glance()

    @work(thread=True, exclusive=True, group="prefetch", description="the account screen's modules")
    def _import_account_screen(self) -> None:
        """The account screen's modules (its tabs, forms and scoring) are left out of the launch and
        imported here, once the first rows are drawn: the first Enter opens as fast as the next."""
        import kam_tui.tui.screens.account  # noqa: F401

    # --- showing -------------------------------------------------------------------------------

    def _build_rows(self, measure: frozenset[str] | None = None) -> None:
        """Cells of every row (plain strings) and the widths of the `measure` columns (all when
        None; the scored ones when the scores arrive: the list's own stay as measured); then the
        current sort and filter."""
        rows = self._view.rows if self._view is not None else []
        scores = self._portfolio.scores if self._portfolio is not None else {}
        figures = self._portfolio.figures if self._portfolio is not None else {}
        self._table_rows = {
            row.id: (row.id, account_rows.cells(row, scores.get(row.id), figures.get(row.id))) for row in rows
        }
        table = self.query_one(VirtualTable)
        columns = None if measure is None else [i for i, c in enumerate(table.columns) if c.key in measure]
        self._widths = table.measure(list(self._table_rows.values()), columns, self._widths)
        self._rows = self._sorted(rows)
        self._show_rows()
        self._show_glance()

    def _sorted(self, rows: list[gateway.AccountRow]) -> list[gateway.AccountRow]:
        if self._sort is None:
            return rows
        key, descending = self._sort
        return account_rows.sort_rows(rows, key, descending, self._portfolio)

    @property
    def query_text(self) -> str:
        found = self.query("#filter").results(Input)
        return next((field.value for field in found), "")

    def _show_rows(self) -> None:
        table = self.query_one(VirtualTable)
        scores = self._portfolio.scores if self._portfolio is not None else {}
        shown = filtering.filter_rows(self._rows, self.query_text, scores, self._index, self._deep)
        table_rows = self._table_rows
        table.set_rows([table_rows[row.id] for row in shown], widths=self._widths)
        if self._loaded and not shown:
            table.empty_text = (
                label(LABELS, "no_match").format(query=self.query_text.strip())
                if self._rows
                else label(LABELS, "no_accounts")
            )
        self._show_status(len(shown))

    def _show_glance(self) -> None:
        problems = len(self._view.problems) if self._view is not None else 0
        count = len(self._rows)
        late = self._index.overdue_actions if self._index is not None else None
        self.query_one(GlanceLine).show(glance_parts(count, self._portfolio, problems, late))

    def _show_problems(self) -> None:
        problems = self._view.problems if self._view is not None else []
        self.query_one("#problems").display = bool(problems)
        self.query_one("#problems-body", Static).update(account_rows.problem_lines(problems))

    def _show_status(self, shown: int) -> None:
        status = Text()
        if not self._loaded:
            status.append(label(LABELS, "loading"), style="dim")
            self.query_one("#status", Static).update(status)
            return
        query = filtering.parse_query(self.query_text, self._deep)
        if query.empty:
            status.append(label(LABELS, "count").format(total=len(self._rows)))
        else:
            status.append(label(LABELS, "shown").format(shown=shown, total=len(self._rows)), style="bold")
        if query.unknown:
            keys = ", ".join(safe(key) for key in query.unknown)
            status.append(
                " · " + label(LABELS, "unknown_key").format(keys=keys, known=", ".join(filtering.TOKENS)), "yellow"
            )
        if query.deep and query.words and self._index is not None:
            status.append(" · " + label(LABELS, "deep"), style="dim")
        if query.needs_index and self._index_note:
            status.append(f" · {self._index_note}", style="dim")
        if self._sort is not None:
            column = next(c for c in account_rows.columns() if c.key == self._sort[0])
            direction = "▼" if self._sort[1] else "▲"
            status.append(" · " + label(LABELS, "sorted").format(column=column.label, direction=direction), style="dim")
        if self._scores_note:
            status.append(f" · {self._scores_note}", style="dim")
        blocked = self._view.writes_blocked if self._view is not None else None
        if blocked:  # git waits for the user: said before a save is tried, not only after
            status.append("\n" + label(LABELS, "writes_blocked").format(reason=safe(blocked)), style="bold yellow")
        line = self.query_one("#status", Static)
        line.set_class(bool(blocked), "-writes-blocked")
        line.update(status)

    # --- filter, sort and opening --------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Words match the list fields as typed; after a pause the notes too."""
        self._deep = False
        if self._deep_timer is not None:
            self._deep_timer.stop()
        self._deep_timer = self.set_timer(DEEP_PAUSE, self._search_deeper)
        self._show_rows()
        if bool(event.value) != self._filtered:  # Esc is offered or not: the footer is rebuilt, not at every key
            self._filtered = bool(event.value)
            self.refresh_bindings()

    def _search_deeper(self) -> None:
        self._deep_timer = None
        if filtering.parse_query(self.query_text).words and not self._deep:
            self._deep = True
            self._show_rows()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc is offered while there is a filter to clear, or to leave the (empty) filter box."""
        if action == "clear_filter":
            return bool(self.query_text) or self.focused is self.query_one("#filter")
        return True

    def action_open_filtered(self) -> None:
        """Enter in the filter opens the highlighted account, once the filter has taken the keys
        typed before Enter (its rows shown for them); the keys typed after it reach the account."""
        after_typed(self, self._open_highlighted)

    def _open_highlighted(self) -> None:
        self._show_rows()  # the filter's last keys may not have reached this screen yet
        table = self.query_one(VirtualTable)
        table.focus()
        if table.cursor_key is not None:
            self.open_account(table.cursor_key)

    def on_key(self, event: events.Key) -> None:
        """Down from the filter moves into the table."""
        if event.key == "down" and self.focused is self.query_one("#filter"):
            self.query_one(VirtualTable).focus()
            event.stop()

    def action_focus_filter(self) -> None:
        """Focus the filter now (not after the next refresh, as `focus()` does), so the keys
        typed right after `/` land in it. In the filter, `/` is left to the input as any other
        character, in the order it was typed (inserting it here put it ahead of keys still queued)."""
        field = self.query_one("#filter", Input)
        if self.focused is field:
            raise SkipAction()
        self.set_focus(field)
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(VirtualTable).focus()

    def action_sort(self, descending: bool) -> None:
        """Sort by the marked column (← → move the mark; a click on a header sorts by it)."""
        self.sort_by(self.query_one(VirtualTable).focused_column.key, descending)

    def sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        table = self.query_one(VirtualTable)
        table.sort_key, table.sort_descending = key, descending
        self._rows = self._sorted(self._view.rows if self._view is not None else [])
        self._show_rows()
        table.refresh()

    @on(VirtualTable.HeaderClicked, "#accounts-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        """A click sorts by that column; a second click on it turns the order round."""
        descending = self._sort is not None and self._sort == (event.key, False)
        self.sort_by(event.key, descending)

    def action_reload(self) -> None:
        self.reload()
        self.notify(label(LABELS, "reloading"), timeout=2, markup=False)

    def action_changes(self) -> None:
        """The team's commits since I last looked (the Changes screen)."""
        from kam_tui.tui.screens.changes import ChangesScreen

        self.app.push_screen(ChangesScreen(self.repo))

    @on(VirtualTable.Selected, "#accounts-table")
    def _open(self, event: VirtualTable.Selected) -> None:
        self.open_account(event.key)

    def open_account(self, account_id: str) -> None:
        from kam_tui.tui.screens.account import AccountScreen

        scores = self._portfolio.scores if self._portfolio is not None else {}
        self.app.push_screen(AccountScreen(self.repo, account_id, scores.get(account_id), self._view))

    def action_new_account(self) -> None:
        from kam_tui.tui.screens.new_account import new_account_form

        self.app.push_screen(new_account_form(self.repo), self._created)

    def _created(self, result: gateway.ChangeResult | None) -> None:
        """A new account was committed: the list reloads, and the account opens."""
        from kam_tui.tui.screens.account import AccountScreen

        if result is None:
            return
        self.notify(safe(f"{(result.commit or '')[:10]} {result.message}"), markup=False)
        self.reload()
        self.app.push_screen(AccountScreen(self.repo, result.account_id))

    def account_names(self) -> list[tuple[str, str]]:
        """(id, name) of every account, for the command palette."""
        return [(row.id, row.account.name) for row in self._rows]

    def set_filter(self, text: str) -> None:
        """Show the accounts matching a filter (a palette preset), keys in the table."""
        self.query_one("#filter", Input).value = text
        self.query_one(VirtualTable).focus()


def open_account(app: App[Any], account_id: str) -> None:
    """Open an account from any screen with what the list has read (its score and catalog), so the
    account screen does not score the whole portfolio again for one account."""
    for screen in app.screen_stack:
        if isinstance(screen, AccountsScreen):
            screen.open_account(account_id)
            return
