"""The review cycle on one screen: the plan's completeness (what is missing, who owes it), the
report previewed with charts, and the open actions; `[` `]` step through the periods, `p` plans
a review (the period, and a tier or stage as its scope). Everything is read in workers (the report
takes seconds at 10,000 accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from kam_tui.i18n import N_
from kam_tui.model.cycle import Cycle
from kam_tui.model.errors import KamError
from kam_tui.tui import gateway
from kam_tui.tui.gateway import AgendaItem, PlanWritten, Repository, ReviewPreview, Status
from kam_tui.tui.messages import post_result
from kam_tui.tui.safe_text import lines, safe
from kam_tui.tui.screens.accounts import open_account
from kam_tui.tui.screens.plan_form import plan_form
from kam_tui.tui.translate import TranslatedBindings, label
from kam_tui.tui.widgets import review_panes as panes
from kam_tui.tui.widgets.virtual_table import VirtualTable
from kam_tui.tui.widgets.footer import KeysFooter

LABELS = {
    "plan": N_("1 Plan"),
    "report": N_("2 Report"),
    "actions": N_("3 Actions"),
    "title": N_("Review {period}"),
    "loading": N_("Loading…"),
    "no_plan": N_("No plan for {period} yet: p plans it (choose the period, and a tier or stage if you like)"),
    "planned": N_("Planned: {message}"),
    "unreadable": N_("Could not read it: {error}"),
    "no_actions": N_("Nothing open or due"),
}


@dataclass
class StatusLoaded(Message):
    """The period's plan and what is missing (or why it could not be read): shown first, the
    report takes seconds more at 10,000 accounts."""

    cycle: Cycle
    fingerprint: str  # the account files as they were read
    status: Status | None
    error: str | None = None


@dataclass
class ReportLoaded(Message):
    """The period's report (or why it could not be made)."""

    cycle: Cycle
    preview: ReviewPreview | None
    error: str | None = None


@dataclass
class ActionsLoaded(Message):
    items: list[AgendaItem] | None
    error: str | None = None


class ReviewsScreen(TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    ReviewsScreen {
        #review-title { height: auto; padding: 0 1; }
        TabbedContent { height: 1fr; }
        TabPane { padding: 0 1; }
        BarChart { margin: 1 0 0 0; }
        #plan-summary, #actions-summary { height: auto; padding: 0 1 1 1; }
        #report-scroll { height: 1fr; padding: 0 1; }
        .report-heading { margin: 1 0 0 0; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", N_("Back"), id="reviews.back"),
        Binding("left_square_bracket", "period(1)", N_("Older period"), key_display="[", id="reviews.older"),
        Binding("right_square_bracket", "period(-1)", N_("Newer period"), key_display="]", id="reviews.newer"),
        Binding("p", "plan", N_("Plan a review"), id="reviews.plan"),
        Binding("r", "reload", N_("Reload"), id="reviews.reload"),
        Binding("1", "show_tab('plan')", N_("Plan tab"), show=False, id="reviews.tab.plan"),
        Binding("2", "show_tab('report')", N_("Report tab"), show=False, id="reviews.tab.report"),
        Binding("3", "show_tab('actions')", N_("Actions tab"), show=False, id="reviews.tab.actions"),
    ]

    def __init__(self, repo: Repository, cycle: Cycle | None = None) -> None:
        super().__init__(id="reviews")
        self.repo = repo
        self._periods, self.cycle = gateway.review_periods(repo, cycle)
        self.status: Status | None = None
        self.preview: ReviewPreview | None = None
        self._seen: str | None = None  # the account files' fingerprint when last read

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-title")
        with TabbedContent(initial="plan"):
            with TabPane(label(LABELS, "plan"), id="plan"):
                yield Static(label(LABELS, "loading"), id="plan-summary")
                yield VirtualTable(panes.completeness_columns(), id="plan-table")
            with TabPane(label(LABELS, "report"), id="report"), VerticalScroll(id="report-scroll"):
                yield Static(label(LABELS, "loading"), id="report-loading")
            with TabPane(label(LABELS, "actions"), id="actions"):
                yield Static(label(LABELS, "loading"), id="actions-summary")
                yield VirtualTable(panes.actions_columns(), empty_text=label(LABELS, "no_actions"), id="actions-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#plan-table").focus()
        self.reload()

    def on_screen_resume(self) -> None:
        """Back from an account (a survey logged, a figure set): read again if a file changed."""
        if self._seen is not None:
            self._check_files(self._seen)

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self._show_title()
        self._load_review(self.cycle)
        self._load_actions()

    @work(thread=True, exclusive=True, group="review-check")
    def _check_files(self, seen: str) -> None:
        if gateway.accounts_fingerprint(self.repo) != seen:
            self.app.call_from_thread(self.reload)

    @work(thread=True, exclusive=True, group="review")
    def _load_review(self, cycle: Cycle) -> None:
        fingerprint = gateway.accounts_fingerprint(self.repo)
        try:
            post_result(self, StatusLoaded(cycle, fingerprint, gateway.load_review_status(self.repo, cycle)))
        except (KamError, OSError) as exc:
            post_result(self, StatusLoaded(cycle, fingerprint, None, gateway.error_message(exc)))
        try:
            post_result(self, ReportLoaded(cycle, gateway.load_review_report(self.repo, cycle)))
        except (KamError, OSError) as exc:
            post_result(self, ReportLoaded(cycle, None, gateway.error_message(exc)))

    @work(thread=True, exclusive=True, group="review-actions")
    def _load_actions(self) -> None:
        try:
            post_result(self, ActionsLoaded(gateway.load_open_work(self.repo)))
        except (KamError, OSError) as exc:
            post_result(self, ActionsLoaded(None, gateway.error_message(exc)))

    def on_status_loaded(self, message: StatusLoaded) -> None:
        if message.cycle != self.cycle:
            return  # a period left before its figures arrived
        self.status, self._seen = message.status, message.fingerprint
        self._show_plan(message.error)

    async def on_report_loaded(self, message: ReportLoaded) -> None:
        if message.cycle != self.cycle:
            return
        self.preview = message.preview
        await self._show_report(message.error)

    def on_actions_loaded(self, message: ActionsLoaded) -> None:
        summary = self.query_one("#actions-summary", Static)
        table = self.query_one("#actions-table", VirtualTable)
        if message.items is None:
            summary.update(lines(label(LABELS, "unreadable").format(error=message.error), style="red"))
            table.set_rows([])
            return
        today = gateway.today()
        summary.update(panes.actions_summary(message.items, today))
        table.set_rows(panes.actions_rows(message.items, today))

    # --- showing -------------------------------------------------------------------------------

    def _show_title(self) -> None:
        title = label(LABELS, "title").format(period=self.cycle.key)
        self.query_one("#review-title", Static).update(panes.period_line(title, self._periods, self.cycle))

    def _show_plan(self, error: str | None) -> None:
        summary = self.query_one("#plan-summary", Static)
        table = self.query_one("#plan-table", VirtualTable)
        if self.status is None:
            no_plan = not gateway.has_plan(self.repo, self.cycle)
            text = label(LABELS, "no_plan").format(period=self.cycle.key) if no_plan else error
            summary.update(lines(text, style="yellow"))
            table.empty_text = ""
            table.set_rows([])
            return
        summary.update(panes.completeness_lines(self.status))
        table.set_rows(panes.completeness_rows(self.status))

    async def _show_report(self, error: str | None) -> None:
        scroll = self.query_one("#report-scroll", VerticalScroll)
        await scroll.remove_children()
        if self.preview is None:
            await scroll.mount(Static(lines(label(LABELS, "unreadable").format(error=error), style="red")))
            return
        await scroll.mount_all(panes.report_widgets(self.preview, self.cycle.key))

    # --- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    async def action_period(self, step: int) -> None:
        """Step to an older (`[`) or newer (`]`) period of the list in the title; nothing of the
        period left stays on screen while the new one loads."""
        cycle = gateway.step_period(self._periods, self.cycle, step)
        if cycle is not None:
            await self._show_period(cycle)

    async def _show_period(self, cycle: Cycle) -> None:
        self.cycle = cycle
        self.status = self.preview = None
        self.query_one("#plan-summary", Static).update(label(LABELS, "loading"))
        self.query_one("#plan-table", VirtualTable).set_rows([])
        scroll = self.query_one("#report-scroll", VerticalScroll)
        await scroll.remove_children()
        await scroll.mount(Static(label(LABELS, "loading")))
        self.refresh_bindings()
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_plan(self) -> None:
        """The plan form, on the shown period while it has no plan, else on this quarter (a plan
        agreed on is not replaced from here: the form says so and another period can be typed)."""
        this_quarter = Cycle.containing(gateway.today())
        period = self.cycle if not gateway.has_plan(self.repo, self.cycle) else this_quarter
        self.app.push_screen(plan_form(self.repo, period), self._planned)

    async def _planned(self, written: PlanWritten | None) -> None:
        if written is None:
            return
        self.notify(label(LABELS, "planned").format(message=safe(written.message)), timeout=4, markup=False)
        self._periods, cycle = gateway.review_periods(self.repo, written.plan.cycle)
        await self._show_period(cycle)

    @on(VirtualTable.Selected)
    def _open(self, event: VirtualTable.Selected) -> None:
        """Enter on an account (plan) or an action opens the account."""
        open_account(self.app, event.key.split("\x1f")[0])
