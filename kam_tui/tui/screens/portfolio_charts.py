"""The portfolio as charts, for people who would rather look than read: the tier mix over the
reviews, the 20/80 concentration, sales against sell-through and target achievement per
account manager, for one review period (the figures of `kam review report`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from kam_tui.i18n import N_
from kam_tui.model.cycle import Cycle
from kam_tui.model.errors import KamError
from kam_tui.tui import gateway
from kam_tui.tui.gateway import Repository, ReviewPreview
from kam_tui.tui.messages import post_result
from kam_tui.tui.safe_text import lines
from kam_tui.tui.translate import TranslatedBindings, label
from kam_tui.tui.widgets import review_panes as panes
from kam_tui.tui.widgets.footer import KeysFooter

LABELS = {
    "title": N_("Portfolio charts · {period}"),
    "loading": N_("Loading…"),
    "unreadable": N_("Could not read it: {error}"),
}


@dataclass
class ChartsLoaded(Message):
    cycle: Cycle
    preview: ReviewPreview | None
    error: str | None = None


class PortfolioChartsScreen(TranslatedBindings, Screen[None]):
    DEFAULT_CSS = """
    PortfolioChartsScreen {
        #charts-title { height: auto; padding: 0 1; }
        #charts-scroll { height: 1fr; padding: 1 2 0 2; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", N_("Back"), id="charts.back"),
        Binding("left_square_bracket", "period(1)", N_("Older period"), key_display="[", id="charts.older"),
        Binding("right_square_bracket", "period(-1)", N_("Newer period"), key_display="]", id="charts.newer"),
        Binding("r", "reload", N_("Reload"), id="charts.reload"),
    ]

    def __init__(self, repo: Repository, cycle: Cycle | None = None) -> None:
        super().__init__(id="charts")
        self.repo = repo
        self._periods, self.cycle = gateway.review_periods(repo, cycle)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="charts-title")
        with VerticalScroll(id="charts-scroll"):
            yield Static(label(LABELS, "loading"), id="charts-loading")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#charts-scroll").focus()
        self.reload()

    def reload(self) -> None:
        title = label(LABELS, "title").format(period=self.cycle.key)
        self.query_one("#charts-title", Static).update(panes.period_line(title, self._periods, self.cycle))
        self._load(self.cycle)

    @work(thread=True, exclusive=True, group="charts")
    def _load(self, cycle: Cycle) -> None:
        try:
            post_result(self, ChartsLoaded(cycle, gateway.load_review_report(self.repo, cycle)))
        except (KamError, OSError) as exc:
            post_result(self, ChartsLoaded(cycle, None, gateway.error_text(exc)))

    async def on_charts_loaded(self, message: ChartsLoaded) -> None:
        if message.cycle != self.cycle:
            return  # a period left before its figures arrived
        scroll = self.query_one("#charts-scroll", VerticalScroll)
        await scroll.remove_children()
        if message.preview is None:
            await scroll.mount(Static(lines(label(LABELS, "unreadable").format(error=message.error), style="red")))
            return
        report = message.preview.report
        await scroll.mount_all(
            [
                panes.tier_mix_chart(message.preview.rendered.history),
                panes.concentration_chart(report),
                panes.sales_chart(report),
                panes.achievement_chart(report),
            ]
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self.reload()

    def action_period(self, step: int) -> None:
        """Step to an older (`[`) or newer (`]`) period of the list in the title."""
        cycle = gateway.step_period(self._periods, self.cycle, step)
        if cycle is not None:
            self.cycle = cycle
            self.reload()
