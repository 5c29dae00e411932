"""The Changes screen (`C` on the accounts list): the team's commits since I last looked,
grouped by account — who, when, the commit message, and each field's old → new — as
`kam changes` prints them. Marking them as seen is explicit (`s`, as `kam changes --seen`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from kam_tui.i18n import N_, ngettext
from kam_tui.tui import gateway
from kam_tui.tui.messages import ChangesLoaded, post_result
from kam_tui.tui.safe_text import safe
from kam_tui.tui.translate import TranslatedBindings, label
from kam_tui.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from kam_tui.tui.gateway import AccountChanges, ChangesReport, Repository

LABELS = {
    "loading": N_("Reading the changes…"),
    "none": N_("No changes to accounts or checklists {since}"),
    "since": N_("since {commit}"),
    "from_start": N_("from the first commit"),
    "unreadable": N_("does not read as data (conflict markers or invalid YAML)"),
    "seen": N_("Marked as seen up to {commit}"),
    "seen_hint": N_("s marks them as seen; they stay until then"),
    "error": N_("Could not read the changes: {error}"),
}


class ChangesScreen(TranslatedBindings, Screen[None]):
    """One scrolling text: per account, its commits oldest first, each with its field changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "mark_seen", N_("Mark as seen"), id="changes.seen"),
        Binding("r", "reload", N_("Reload"), id="changes.reload"),
        Binding("escape,q", "close", N_("Back"), key_display="esc", id="changes.back"),
    ]

    def __init__(self, repo: Repository) -> None:
        super().__init__(id="changes")
        self.repo = repo
        self.report: ChangesReport | None = None
        self.sub_title = safe(repo.root)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(label(LABELS, "loading"), id="changes-summary")
        with VerticalScroll(id="changes-scroll"):
            yield Static(id="changes-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#changes-scroll").focus()
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="changes")
    def _load(self) -> None:
        try:
            report = gateway.load_changes(self.repo)
        except Exception as exc:  # noqa: BLE001 - shown on the screen; a bug is logged too
            self.log.error(f"changes failed: {exc!r}")
            post_result(self, ChangesLoaded(None, gateway.error_message(exc)))
            return
        post_result(self, ChangesLoaded(report))

    def on_changes_loaded(self, message: ChangesLoaded) -> None:
        summary = self.query_one("#changes-summary", Static)
        body = self.query_one("#changes-body", Static)
        self.report = message.report
        if message.report is None:
            summary.update(Text(label(LABELS, "error").format(error=safe(message.error)), style="red"))
            body.update("")
            return
        report = message.report
        since = label(LABELS, "since").format(commit=report.since[:10]) if report.since else label(LABELS, "from_start")
        if not report.accounts:
            summary.update(label(LABELS, "none").format(since=since))
        else:
            commits = ngettext("{count} commit", "{count} commits", report.commits).format(count=report.commits)
            accounts = ngettext("{count} account", "{count} accounts", len(report.accounts)).format(
                count=len(report.accounts)
            )
            summary.update(
                Text.assemble((f"{commits} {since}, {accounts}", "bold"), "  ", (label(LABELS, "seen_hint"), "dim"))
            )
        body.update(changes_text(report.accounts))

    def action_mark_seen(self) -> None:
        """Everything shown is seen: the screen empties (new commits show next time)."""
        report = self.report
        if report is None or not report.head:
            return
        gateway.mark_changes_seen(self.repo, report)
        self.notify(label(LABELS, "seen").format(commit=report.head[:10]), timeout=3, markup=False)
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss()


def changes_text(accounts: list[AccountChanges]) -> Text:
    """Per account: each commit's date, author, hash and message, then `field: old → new`."""
    out = Text()
    for account in accounts:
        if out:
            out.append("\n")
        out.append(safe(account.id) + "\n", style="bold")
        for change in account.commits:
            commit = change.commit
            out.append(f"  {commit.date[:16].replace('T', ' ')}  ", style="dim")
            out.append(safe(commit.author), style="cyan")
            out.append(f"  {commit.hash[:10]}  ", style="dim")
            out.append(safe(commit.message) + "\n")
            for file in change.files:
                prefix = "" if file.rel.startswith("accounts/") else f"{file.rel.rsplit('/', 1)[-1][:-3]}: "
                if (moved := gateway.rename_text(file)) is not None:
                    out.append(f"      {safe(prefix + moved)}\n", style="magenta")
                if file.unreadable:
                    out.append(f"      {safe(file.rel)}: {label(LABELS, 'unreadable')}\n", style="yellow")
                for item in file.fields:
                    out.append(f"      {safe(prefix + item.field)}: ")
                    out.append(safe(gateway.value_text(item.old)), style="red")
                    out.append(" → ")
                    out.append(safe(gateway.value_text(item.new)) + "\n", style="green")
                for decision in file.merge:
                    out.append(f"      {safe(prefix + decision.field)}: ")
                    out.append(safe(gateway.merge_text(decision)) + "\n", style="yellow")
    return out
