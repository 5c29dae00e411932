"""What the TUI says about syncing with the team's remote: the header's ahead/behind, and the
toasts a sync ends with (what came in, what went out, or the conflict and how to finish)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kam_tui.i18n import N_, ngettext
from kam_tui.tui.safe_text import safe
from kam_tui.tui.translate import label

if TYPE_CHECKING:
    from kam_tui.tui.gateway import AheadBehind, SyncReport

LABELS = {
    "syncing": N_("Syncing with the remote…"),
    "up_to_date": N_("Up to date: nothing came in, nothing went out"),
    "came_in_none": N_("no account or checklist changed"),
    "went_out_tags": N_("tags out: {tags}"),
    "synced": N_("Synced"),
    "refused": N_("Sync refused"),
    "conflict": N_("Sync stopped on a conflict"),
    "failed": N_("Sync failed"),
    "finish": N_(
        "Finish in a terminal: `kam resolve ID --ours|--theirs|FIELD=VALUE…` for each, then "
        "`kam sync --continue`; or `kam sync --abort`"
    ),
    "more": N_("… and {count} more"),
}
SHOWN = 8  # lines of a list in one toast


def remote_line(status: AheadBehind) -> str:
    """`↑2 ↓1 origin/main` (commits to push, to pull); empty without an upstream."""
    if status.upstream is None:
        return ""
    return f"↑{status.ahead} ↓{status.behind} {safe(status.upstream)}"


def uncommitted_line(count: int) -> str:
    """`2 files not committed` (account and checklist files changed by hand); empty when none."""
    if not count:
        return ""
    return ngettext("{n} file not committed", "{n} files not committed", count).format(n=f"{count:,}")


def report_text(report: SyncReport) -> str:
    """What came in (accounts changed, by whom) and what went out, in a few lines."""
    lines: list[str] = []
    if report.commits_in:
        n = report.commits_in
        lines.append(ngettext("Came in: {count} commit", "Came in: {count} commits", n).format(count=n))
        if not report.came_in:
            lines.append("  " + label(LABELS, "came_in_none"))
        lines += _listed([f"{item.rel} · {', '.join(item.authors)}" for item in report.came_in])
    if report.went_out:
        n = len(report.went_out)
        lines.append(ngettext("Went out: {count} commit", "Went out: {count} commits", n).format(count=n))
        lines += _listed(report.went_out)
    if report.tags_out:
        lines.append(label(LABELS, "went_out_tags").format(tags=safe(", ".join(report.tags_out))))
    return "\n".join(lines) or label(LABELS, "up_to_date")


def _listed(items: list[str]) -> list[str]:
    shown = ["  " + safe(item) for item in items[:SHOWN]]
    if len(items) > SHOWN:
        shown.append("  " + label(LABELS, "more").format(count=len(items) - SHOWN))
    return shown


def conflict_text(problems: list[str]) -> str:
    """The conflicting fields (one line each, as `kam sync` reports them) and how to finish."""
    return "\n".join([*(safe(line) for line in problems[: SHOWN * 2]), label(LABELS, "finish")])
