"""The kam TUI: built by `make_app` for the CLI and for the tests, with the repository injected."""

from __future__ import annotations

from collections.abc import Iterable
from multiprocessing import resource_tracker
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.theme import ThemeProvider
from textual.screen import Screen
from textual.widgets import TabbedContent
from textual.notifications import SeverityLevel

from kam_tui.i18n import N_, _, switch_reader_language
from kam_tui.model.errors import KamError
from kam_tui.tui.gateway import Repository
from kam_tui.tui import gateway
from kam_tui.tui.commands import KamCommands
from kam_tui.tui.messages import AccountSaved, FilesChanged, post_result
from kam_tui.tui.safe_text import pasted, safe
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.tui.screens.changes import ChangesScreen
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.screens.help import HelpScreen, KeyHelp
from kam_tui.tui.sync_text import LABELS as SYNC_LABELS, conflict_text, report_text
from kam_tui.tui.translate import TranslatedPalette, label, system_commands
from kam_tui.tui.widgets.virtual_table import VirtualTable

WATCH_SECONDS = 1.5  # changed files show within 2 s
LABELS = {
    "quit_unsaved": N_("Quit and drop the text typed in the form? Nothing of it was saved."),
    "search": N_("Search for commands…"),
    "themes": N_("Search for themes…"),
    "quit_title": N_("Do you want to quit?"),
    "finish_form": N_("Save or close the form first: switching the language builds the screens again."),
}


class KamApp(App[int]):
    """Screens: the accounts list at the bottom of the stack, one account pushed over it."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {KamCommands}
    TITLE = "kam"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", N_("Help"), key_display="?", id="app.help"),
        # Textual's own palette key, with a description the catalogue translates
        Binding("ctrl+p", "command_palette", N_("palette"), show=False, priority=True, id="app.palette"),
        Binding("R", "reviews", N_("Reviews"), key_display="R", show=False, id="app.reviews"),
        Binding("P", "portfolio_charts", N_("Portfolio charts"), key_display="P", show=False, id="app.charts"),
    ]

    def __init__(self, repo: Repository, read: gateway.CatalogView | None = None) -> None:
        """`read`: the accounts list if it was read before the app started (see `run_tui`)."""
        super().__init__()
        self.repo = repo
        self._read = read
        self.sub_title = safe(repo.root)
        self._seen: str | None = None  # the account files' fingerprint the watcher saw last

    async def on_event(self, event: events.Event) -> None:
        """A paste is the one way text reaches an input other than a key per printable
        character, and an input draws its text as it is: a control character pasted from a log
        or a mail (an OSC title, a CSI clear) is written as its escape before any input, ours or
        the palette's, receives it. What a person sees is what a form then saves."""
        if isinstance(event, events.Paste):
            event.text = pasted(event.text)
        await super().on_event(event)

    def on_mount(self) -> None:
        self.push_screen(AccountsScreen(self.repo, self._read))
        self._read = None
        self.set_interval(WATCH_SECONDS, self.check_for_changes)

    # --- live reload: files changed outside the app (a pull, a hand edit, `kam set` elsewhere) ---

    def check_for_changes(self) -> None:
        self._watch()

    @work(thread=True, exclusive=True, group="watch")
    def _watch(self) -> None:
        now = gateway.accounts_fingerprint(self.repo)
        if now != self._seen:
            post_result(self, FilesChanged(now))

    def on_files_changed(self, message: FilesChanged) -> None:
        """Each screen reloads what changed (the list re-reads only the changed files)."""
        self._seen = message.fingerprint
        for screen in self.screen_stack:  # the list and an open account, as `unsaved` below
            getattr(screen, "files_changed", lambda fingerprint: None)(message.fingerprint)

    def on_account_saved(self, message: AccountSaved) -> None:
        """A file changed: the accounts list reloads when it is shown again."""
        for screen in self.screen_stack:
            if isinstance(screen, AccountsScreen):
                screen.mark_stale()

    # --- sync with the team's remote (the palette's "Sync") -------------------------------------

    def action_sync(self) -> None:
        """`kam sync` in a worker: each step as a toast, then what came in and went out (or the
        conflict and how to finish); changed accounts reload and the header's ahead/behind follows."""
        self.notify(label(SYNC_LABELS, "syncing"), timeout=3, markup=False)
        self._sync()

    @work(thread=True, exclusive=True, group="sync")
    def _sync(self) -> None:
        def progress(message: str) -> None:
            self.call_from_thread(self.notify, safe(message) + " …", timeout=3, markup=False)

        try:
            report = gateway.run_sync(self.repo, progress)
        except gateway.SyncConflict as exc:
            lines = [f"{p.path}: {p.message}" for p in exc.problems] or [exc.message]
            self.call_from_thread(self._synced, label(SYNC_LABELS, "conflict"), conflict_text(lines), "error")
        except Exception as exc:  # noqa: BLE001 - a refusal or git's error is shown; a bug too, not swallowed
            if gateway.error_text(exc) is None:  # a bug: logged too
                self.log.error(f"sync failed: {exc!r}")
            title = label(SYNC_LABELS, "refused" if gateway.is_sync_refusal(exc) else "failed")
            self.call_from_thread(self._synced, title, safe(gateway.error_message(exc)), "error")
        else:
            self.call_from_thread(self._synced, label(SYNC_LABELS, "synced"), report_text(report), "information")

    def _synced(self, title: str, text: str, severity: SeverityLevel) -> None:
        self.notify(text, title=title, severity=severity, timeout=8 if severity == "information" else 30, markup=False)
        self.check_for_changes()  # merged files reload now, not at the next tick
        for screen in self.screen_stack:
            if isinstance(screen, AccountsScreen):
                screen.show_remote()
            if isinstance(screen, ChangesScreen):
                screen.reload()

    async def action_quit(self) -> None:
        """Quit, after asking when a form holds text that is not saved."""
        if not any(getattr(screen, "unsaved", lambda: False)() for screen in self.screen_stack):
            self.exit(0)
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit(0)

        await self.push_screen(ConfirmScreen(label(LABELS, "quit_unsaved")), answered)

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the reader's language."""
        if self.use_command_palette and not TranslatedPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(TranslatedPalette(placeholder=label(LABELS, "search"), id="--command-palette"))

    def search_themes(self) -> None:
        self.push_screen(TranslatedPalette(providers=[ThemeProvider], placeholder=label(LABELS, "themes")))

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """Textual's notice of a saved screenshot (palette: Screenshot), in the reader's language;
        Textual's own handler, in the base class, is skipped."""
        if event.name == "screenshot":
            event.prevent_default()
            text = _("Saved screenshot") if event.path is None else _("Saved screenshot to {path}")
            self.notify(text.format(path=event.path), title=_("Screenshot"), markup=False)

    @on(events.DeliveryFailed)
    def _screenshot_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(_("Failed to save screenshot"), title=_("Screenshot"), severity="error")

    def action_help_quit(self) -> None:
        """ctrl+c (Textual's reminder of the quit key), in the reader's language."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press {key} to quit").format(key=f"[b]{self.get_key_display(active.binding)}[/b]"),
                    title=label(LABELS, "quit_title"),
                )
                return

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        return system_commands(super().get_system_commands(screen))

    async def switch_language(self, lang: str) -> None:
        """Everything shown speaks `lang` from now on. The screens are built again in it: the
        accounts list keeps its filter and sort, an open account its tab; other screens close."""
        if any(getattr(screen, "unsaved", lambda: False)() for screen in self.screen_stack):
            self.notify(label(LABELS, "finish_form"), severity="warning", markup=False)
            return
        accounts = next((s for s in self.screen_stack if isinstance(s, AccountsScreen)), None)
        from kam_tui.tui.screens.account import AccountScreen  # loaded when an account is first opened

        account = next((s for s in self.screen_stack if isinstance(s, AccountScreen)), None)
        if accounts is None:
            return
        query = accounts.query_text
        table = accounts.query_one(VirtualTable)
        sort = (table.sort_key, table.sort_descending)
        opened = (account.account_id, account.query_one(TabbedContent).active) if account else None
        switch_reader_language(lang)
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        fresh = AccountsScreen(self.repo)
        await self.push_screen(fresh)
        if query:
            fresh.set_filter(query)
        if sort[0] is not None:
            fresh.sort_by(sort[0], sort[1])
        if opened is not None:
            await self.push_screen(AccountScreen(self.repo, opened[0], tab=opened[1]))

    def action_reviews(self) -> None:
        """The review cycle: the plan's completeness, the report previewed, the open actions."""
        from kam_tui.tui.screens.reviews import ReviewsScreen  # loaded when first opened: start-up skips the report

        if not isinstance(self.screen, ReviewsScreen):
            self.push_screen(ReviewsScreen(self.repo))

    def action_portfolio_charts(self) -> None:
        """Charts of the portfolio, for the period the Reviews screen shows (else the default one)."""
        from kam_tui.tui.screens.portfolio_charts import PortfolioChartsScreen  # loaded when first opened, as reviews

        if not isinstance(self.screen, PortfolioChartsScreen):
            self.push_screen(PortfolioChartsScreen(self.repo, getattr(self.screen, "cycle", None)))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = {
            "accounts": N_("accounts"),
            "account": N_("account"),
            "edit-field": N_("change a field"),
            "account-form": N_("edit the account"),
            "new-account": N_("new account"),
            "target-form": N_("set a target"),
            "choose-playbook": N_("attach a playbook"),
            "tick-note": N_("tick or untick"),
            "tick-force": N_("tick anyway"),
            "editor-problems": N_("the edited file"),
        }
        title |= {"reviews": N_("reviews"), "charts": N_("portfolio charts"), "changes": N_("changes")}
        name = self.screen.id or ""
        self.push_screen(HelpScreen(_(title[name]) if name in title else name, self.key_help()))

    def key_help(self) -> list[KeyHelp]:
        """The keys kam itself binds on the active screen (not Textual's inner plumbing), grouped
        by action: the screen's first, then the focused widget's, then the app's."""
        grouped: dict[tuple[int, str], tuple[list[str], str]] = {}
        order: dict[tuple[int, str], int] = {}
        for active in self.screen.active_bindings.values():
            binding, node = active.binding, active.node
            if not binding.description or not active.enabled or binding.system:
                continue
            if node is not self and binding.action not in _own_actions(node):
                continue
            group = (id(node), binding.action)
            keys, _description = grouped.setdefault(group, ([], binding.description))
            order.setdefault(group, 0 if node is self.screen else 2 if node is self else 1)
            shown = self.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
        ranked = sorted(grouped, key=lambda group: order[group])  # stable: keeps declaration order
        return [(" ".join(grouped[g][0]), grouped[g][1]) for g in ranked]


def _own_actions(node: DOMNode) -> set[str]:
    """Actions bound in the BINDINGS of kam's own classes in the node's ancestry."""
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("kam_tui."):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    actions.add(binding.action)
    return actions


def make_app(repo: Repository | Path | str, read_first: bool = False) -> KamApp:
    """The app over a repository (a Repository, or the path of one). `read_first`: read the
    accounts list now when the cache covers it (see `gateway.load_warm_catalog_view`)."""
    repository = repo if isinstance(repo, Repository) else Repository(Path(repo).expanduser().resolve())
    return KamApp(repository, _read_before_start(repository) if read_first else None)


def _read_before_start(repo: Repository) -> gateway.CatalogView | None:
    """The warm accounts list, or None (a cold one, or one that cannot be read: the screen's
    worker reads it then, with progress or the error)."""
    try:
        return gateway.load_warm_catalog_view(repo)
    except (KamError, OSError):
        return None


def run_tui(root: Path) -> int:
    """Run the TUI over the repository at `root` until the user quits; the exit code."""
    # A cold catalog parses files in a process pool from a worker thread. multiprocessing starts
    # its resource tracker with sys.stderr's file descriptor, which Textual replaces while it runs
    # ("bad value(s) in fds_to_keep", the app dies): start the tracker now, before Textual does.
    resource_tracker.ensure_running()
    app = make_app(root, read_first=True)
    app.run()
    return app.return_code or 0
