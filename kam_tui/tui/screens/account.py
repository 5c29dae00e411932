"""One account: overview, periods, activity and git history in tabs; `e` changes one field."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from kam_tui.i18n import N_, _
from kam_tui.tui.translate import TranslatedBindings, label

from kam_tui.model.summary import ScoreSummary
from kam_tui.tui import gateway
from kam_tui.tui.gateway import AccountNotFound, ChangeResult, Repository
from kam_tui.tui.safe_text import lines, plain, safe
from kam_tui.tui.messages import (
    AccountChangedOnDisk,
    ChecklistsLoaded,
    AccountLoaded,
    AccountSaved,
    DiffLoaded,
    ScoreViewLoaded,
    post_result,
)
from kam_tui.tui.widgets import account_panes as panes
from kam_tui.tui.widgets import activity_pane, period_charts, playbook_rows
from kam_tui.tui.widgets.score_pane import score_pane
from kam_tui.tui.widgets.footer import KeysFooter
from kam_tui.tui.screens.account_playbooks import PlaybooksTab
from kam_tui.tui.screens.account_form import account_form
from kam_tui.tui.screens.edit_field import EditFieldScreen
from kam_tui.tui.screens.log_form import FORMS, LogFormScreen
from kam_tui.tui.screens.raw_edit import RawEdit
from kam_tui.tui.screens.target_form import target_form

TABS = ("overview", "score", "periods", "activity", "history")
LABELS = {
    "overview": N_("1 Overview"),
    "score": N_("2 Score"),
    "periods": N_("3 Periods"),
    "activity": N_("4 Activity"),
    "playbooks": N_("5 Playbooks"),
    "history": N_("6 History"),
    "loading": N_("Loading…"),
    "history_hint": N_("Select a commit to see what it changed."),
    "not_scored": N_("Not scored: {error}"),
    "reloaded": N_("Reloaded: the file changed on disk."),
    "changed_under_form": N_(
        "This account changed on disk while the form is open. Saving the edit dialog is "
        "refused (Esc, then r reloads); a visit, complaint or survey is added to the new version."
    ),
}


class AccountScreen(TranslatedBindings, PlaybooksTab):
    """Everything on file about one account, read through the store in a worker."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # footer order: what the open tab offers first (space and a: Playbooks), then the forms
        Binding("escape,q", "back", N_("Back"), id="account.back"),
        Binding("space", "toggle_step", N_("Tick/untick"), id="account.tick"),
        Binding("x", "not_applicable", N_("Not applicable"), id="account.na"),
        Binding("a", "attach", N_("Attach"), id="account.attach"),
        Binding("e", "edit", N_("Edit"), id="account.edit"),
        Binding("E", "open_editor", N_("Editor"), key_display="E", id="account.editor"),
        Binding("v", "log('visits')", N_("Visit"), id="account.visit"),
        Binding("c", "log('complaints')", N_("Complaint"), id="account.complaint"),
        Binding("s", "log('surveys')", N_("Survey"), id="account.survey"),
        Binding("t", "target", N_("Target"), id="account.target"),
        Binding("equals_sign", "set_key", N_("Set any key"), key_display="=", show=False, id="account.set"),
        Binding("r", "reload", N_("Reload"), id="account.reload"),
        Binding("1", "show_tab('overview')", N_("Overview tab"), show=False, id="account.tab.overview"),
        Binding("2", "show_tab('score')", N_("Score tab"), show=False, id="account.tab.score"),
        Binding("3", "show_tab('periods')", N_("Periods tab"), show=False, id="account.tab.periods"),
        Binding("4", "show_tab('activity')", N_("Activity tab"), show=False, id="account.tab.activity"),
        Binding("5", "show_tab('playbooks')", N_("Playbooks tab"), show=False, id="account.tab.playbooks"),
        Binding("6,h", "show_tab('history')", N_("History"), id="account.tab.history"),
    ]

    def __init__(
        self,
        repo: Repository,
        account_id: str,
        score: ScoreSummary | None = None,
        catalog: gateway.CatalogView | None = None,
        tab: str = "overview",
    ) -> None:
        super().__init__(id="account")
        self._tab = tab  # the tab it opens on
        self._catalog = catalog  # the list's catalog: scoring reuses its facts
        self.repo = repo
        self.account_id = account_id
        self.view: gateway.AccountView | None = None
        self.error: str | None = None  # why the account could not be read
        self._score = score
        self._score_error: str | None = None
        self._checklists: ChecklistsLoaded | None = None  # as last read, drawn again on a resize
        self.sub_title = safe(f"{repo.root} › {account_id}")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(self.account_id, style="bold"), id="account-title")
        yield Static(id="account-problems")
        with TabbedContent(initial=self._tab):
            with TabPane(label(LABELS, "overview"), id="overview"), VerticalScroll():
                yield Static(label(LABELS, "loading"), id="overview-body")
            with TabPane(label(LABELS, "score"), id="score"), VerticalScroll():
                yield Static(label(LABELS, "loading"), id="score-body")
            with TabPane(label(LABELS, "periods"), id="periods"):
                yield Static(id="period-charts")
                yield DataTable(id="periods-table", cursor_type="row", zebra_stripes=True)
            with TabPane(label(LABELS, "activity"), id="activity"), VerticalScroll():
                yield Static(label(LABELS, "loading"), id="activity-body")
            with TabPane(label(LABELS, "playbooks"), id="playbooks"):
                yield DataTable(id="playbooks-table", cursor_type="row")
            with TabPane(label(LABELS, "history"), id="history"):
                yield DataTable(id="history-table", cursor_type="row")
                with VerticalScroll(id="diff"):
                    yield Static(Text(label(LABELS, "history_hint"), style="dim"), id="diff-body")
        yield KeysFooter(compact=True)  # more of the keys fit 80 columns

    def on_mount(self) -> None:
        periods = self.query_one("#periods-table", DataTable)
        for i, heading in enumerate(panes.PERIOD_COLUMNS):
            periods.add_column(Text(_(heading), justify="left" if i == 0 else "right"), key=heading)
        self.query_one("#history-table", DataTable).add_columns(*(_(column) for column in panes.HISTORY_COLUMNS))
        self.query_one("#playbooks-table", DataTable).add_columns(*playbook_rows.columns())
        self._load_checklists()
        self._focus_tab_body()
        self._load()
        self._load_score_view()

    # --- loading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="account")
    def _load(self) -> None:
        try:
            view = gateway.load_account_view(self.repo, self.account_id)
        except (AccountNotFound, OSError) as exc:  # deleted or unreadable since the list was read
            post_result(self, AccountLoaded(self.account_id, None, gateway.error_text(exc)))
            return
        post_result(self, AccountLoaded(self.account_id, view))

    @work(thread=True, exclusive=True, group="account-score-view")
    def _load_score_view(self) -> None:
        try:
            view = gateway.load_score_view(self.repo, self.account_id, self._catalog)
        except Exception as exc:  # noqa: BLE001 - scoring trouble must not hide the account; shown, logged
            self.log.error(f"scoring failed: {exc!r}")
            post_result(self, ScoreViewLoaded(None, gateway.error_message(exc)))
            return
        post_result(self, ScoreViewLoaded(view, None if view is not None else _("the file has errors")))

    def on_score_view_loaded(self, message: ScoreViewLoaded) -> None:
        """The Score tab, and the overview's score line when the list had none to hand over (opened
        before its scores arrived, or after an edit): this one account scored, not the portfolio."""
        body = self.query_one("#score-body", Static)
        if message.view is None:
            body.update(lines(label(LABELS, "not_scored").format(error=message.error), style="yellow"))
            self._score, self._score_error = None, message.error
        else:
            body.update(score_pane(message.view))
            self._score, self._score_error = message.view.evaluation.summary(), None
        if self.view is not None and self.view.account is not None:
            self._show_overview(self.view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_step", "not_applicable", "attach"):
            return self.query_one(TabbedContent).active == "playbooks"
        return True

    @on(DataTable.RowHighlighted, "#history-table")
    def _commit_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._load_diff(event.row_key.value)

    @work(thread=True, exclusive=True, group="diff")
    def _load_diff(self, commit: str) -> None:
        try:
            diff = gateway.load_commit_diff(self.repo, self.account_id, commit)
        except Exception as exc:  # noqa: BLE001 - shown where the diff would be; logged
            self.log.error(f"git show failed: {exc!r}")
            post_result(self, DiffLoaded(commit, "", gateway.error_message(exc)))
            return
        post_result(self, DiffLoaded(commit, diff))

    def on_diff_loaded(self, message: DiffLoaded) -> None:
        body = self.query_one("#diff-body", Static)
        body.update(lines(message.error, style="red") if message.error else panes.diff_text(message.diff))

    def on_account_loaded(self, message: AccountLoaded) -> None:
        self.view = message.view
        self.error = message.error
        self._show()

    # --- showing -------------------------------------------------------------------------------

    def _show(self) -> None:
        title = self.query_one("#account-title", Static)
        problems = self.query_one("#account-problems", Static)
        overview = self.query_one("#overview-body", Static)
        activity = self.query_one("#activity-body", Static)
        view = self.view
        if view is None and self.error is None:
            return  # still loading (scores can arrive first)
        if view is None:
            title.update(plain(self.account_id, style="bold"))
            problems.update(
                lines(_("This account could not be read: {error}").format(error=self.error), style="bold red")
            )
            problems.display = True
            overview.update(Text(_("Esc goes back to the list; r tries again."), style="dim"))
            return
        account = view.account
        heading = Text()
        heading.append(safe(account.name if account else self.account_id), style="bold")
        heading.append(f"  {safe(self.account_id)}", style="dim")
        title.update(heading)
        problems.display = bool(view.problems)
        problems.update(panes.problems_text(view.problems))
        if account is None:
            overview.update(
                plain(
                    _("{path} has errors; fix them (see above) or run `kam validate`.").format(path=view.loaded.rel),
                    style="bold red",
                )
            )
            activity.update("")
        else:
            self._show_overview(view)
            activity.update(activity_pane.activity(account))
        self._fill_periods(view)
        self._fill_history(view)

    def _show_overview(self, view: gateway.AccountView) -> None:
        if view.account is not None:
            self.query_one("#overview-body", Static).update(
                panes.overview(view.account, self._score, self._score_error)
            )

    def _fill_periods(self, view: gateway.AccountView) -> None:
        table = self.query_one("#periods-table", DataTable)
        table.clear()
        periods = view.account.periods if view.account else ()
        charts = self.query_one("#period-charts", Static)
        charts.update(period_charts.periods_pictures(view.account) if view.account else "")
        for period in periods:
            table.add_row(*panes.period_row(period), key=period.key)
        if periods:
            table.move_cursor(row=len(periods) - 1)

    def _fill_history(self, view: gateway.AccountView) -> None:
        table = self.query_one("#history-table", DataTable)
        table.clear()
        for commit in view.history:
            table.add_row(*panes.history_row(commit), key=commit.hash)
        if view.history_error:
            table.add_row(Text(""), Text(""), Text(""), plain(view.history_error, style="red"))

    # --- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.call_after_refresh(self._focus_tab_body)

    def action_reload(self) -> None:
        self._load()
        self.notify(_("Reloaded from disk"), timeout=2, markup=False)

    def action_edit(self) -> None:
        """`e`: a form of the account's fields, saved as one commit like `kam set`."""
        view = self._editable_view()
        if view is not None:
            self.app.push_screen(account_form(self.repo, view), self._edited)

    def action_set_key(self) -> None:
        """`=`: any key as `KEY=VALUE`, the syntax of `kam set` (periods, list items…)."""
        view = self._editable_view()
        if view is None:
            return
        self.app.push_screen(
            EditFieldScreen(
                self.account_id,
                preview=lambda text: gateway.preview_change(view, text),
                save=lambda text: gateway.save_change(self.repo, view, text),
            ),
            self._edited,
        )

    def action_open_editor(self) -> None:
        """`E`: the account's file in $VISUAL / $EDITOR; committed on return when valid."""
        if self.view is None and self.error is None:
            return  # still loading
        try:
            edit = RawEdit(self, self.repo, self.account_id, self._edited)
        except (AccountNotFound, OSError) as exc:
            self.notify(safe(gateway.error_message(exc)), severity="error", markup=False)
            return
        edit.edit()

    def action_target(self) -> None:
        """`t`: a target for a quarter, half-year or year, as `kam set ID targets.PERIOD.…` sets it."""
        view = self._editable_view()
        if view is not None:
            self.app.push_screen(target_form(self.repo, view), self._edited)

    def _editable_view(self) -> gateway.AccountView | None:
        """The account as read, when a form can edit it; else None, and the reason shown."""
        view = self.view
        if view is None:
            self.notify(
                safe(self.error) if self.error else _("Still loading the account…"),
                severity="error" if self.error else "information",
                markup=False,
            )
            return None
        if view.loaded.doc is None:
            self.notify(
                _(
                    "{path} cannot be read as YAML, so it cannot be edited here; "
                    "fix it in an editor (`kam validate` shows where)."
                ).format(path=safe(view.loaded.rel)),
                severity="error",
                markup=False,
            )
            return None
        return view

    def files_changed(self, fingerprint: str) -> None:
        """Some account file changed on disk: check whether it is this one."""
        if self.view is not None:
            self._check_changed(self.view)

    @work(thread=True, exclusive=True, group="account-watch")
    def _check_changed(self, view: gateway.AccountView) -> None:
        if gateway.account_changed(self.repo, view):
            post_result(self, AccountChangedOnDisk(view.id))

    def on_account_changed_on_disk(self, message: AccountChangedOnDisk) -> None:
        """Reload, unless a form is open on it: then say so and let the person choose (a save of
        the edit dialog is refused as the file changed; r reloads)."""
        if self.app.screen is not self:
            self.notify(label(LABELS, "changed_under_form"), severity="warning", timeout=8, markup=False)
            return
        self._catalog = None
        self._load()
        self._load_score_view()
        self.notify(label(LABELS, "reloaded"), timeout=3, markup=False)

    def action_log(self, list_name: str) -> None:
        """A small form that adds one visit, complaint or survey, as `kam add` does."""
        self.app.push_screen(
            LogFormScreen(
                self.account_id,
                FORMS[list_name],
                lambda values: gateway.add_log_item(self.repo, self.account_id, list_name, values),
            ),
            self._edited,
        )

    def _edited(self, result: ChangeResult | None) -> None:
        if result is None:
            return
        if result.commit is None:
            self.notify(_("Nothing changed: the file already holds that value."), markup=False)
            return
        self.notify(safe(f"{result.commit[:10]} {result.message}"), title=_("Saved and committed"), markup=False)
        self.post_message(AccountSaved(result.account_id, result.commit, result.message))
        self._catalog = None  # the list's catalog is stale now
        self._load()
        self._load_score_view()

    def _focus_tab_body(self) -> None:
        """Put the keyboard in the open tab, so arrows and page keys scroll it."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            self.set_focus(pane.query("DataTable, VerticalScroll").first())
