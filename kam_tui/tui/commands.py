"""The command palette (ctrl+p): kam's actions on the screen it was opened from, and every
account by name or id. Actions run the same screen actions as the keys do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Provider

from kam_tui.i18n import N_, _, current_language
from kam_tui.tui.safe_text import safe
from kam_tui.tui.screens.accounts import AccountsScreen, open_account
from kam_tui.tui.screens.changes import ChangesScreen
from kam_tui.tui.translate import label

# Every label of the palette, in one place (marked for the catalogue; translated when the palette opens).
LABELS = {
    "open": N_("Open account: {name} ({id})"),
    "filter": N_("Filter: {what}"),
    "sort_score": N_("Sort by score, highest first"),
    "reload": N_("Reload accounts from disk"),
    "new": N_("New account"),
    "attach": N_("Attach a playbook"),
    "target": N_("Set a target"),
    "editor": N_("Open the account file in your editor"),
    "visit": N_("Log a visit"),
    "complaint": N_("Log a complaint"),
    "survey": N_("Log a survey"),
    "edit": N_("Change a field"),
    "score": N_("Show the score and keep-or-cut answers"),
    "playbooks": N_("Show the playbooks"),
    "history": N_("Show the history"),
    "help": N_("Show the keys"),
    "language": N_("Switch language: {language}"),
    "reviews": N_("Show the review: plan completeness, report, open actions"),
    "charts": N_("Show the portfolio charts: tier mix, concentration"),
    "sync": N_("Sync with the team: fetch, merge, push"),
    "changes": N_("Show the team's changes since I last looked"),
    "seen": N_("Mark the changes as seen"),
}
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}  # each in its own language: found whichever is shown
FILTER_PRESETS = (
    ("tier:A", N_("tier A accounts")),
    ("tier:B", N_("tier B accounts")),
    ("tier:C", N_("tier C accounts")),
    ("stage:at-risk", N_("accounts at risk")),
    ("risk:stuffing", N_("suspected fake big accounts (stuffing)")),
    ("risk:collection", N_("cash-collection risk")),
    ("risk:dependency", N_("over-dependence")),
)
MAX_ACCOUNT_HITS = 40


class KamCommands(Provider):
    def _actions(self) -> list[tuple[str, Callable[[], object]]]:
        from kam_tui.tui.screens.account import AccountScreen  # loaded when an account is first opened

        screen = self.screen
        actions: list[tuple[str, Callable[[], object]]] = []
        if isinstance(screen, AccountsScreen):
            for query, what in FILTER_PRESETS:
                actions.append((label(LABELS, "filter").format(what=_(what)), partial(screen.set_filter, query)))
            actions.append((label(LABELS, "sort_score"), partial(screen.sort_by, "score", True)))
            actions.append((label(LABELS, "reload"), screen.action_reload))
            actions.append((label(LABELS, "new"), screen.action_new_account))
            actions.append((label(LABELS, "changes"), screen.action_changes))
        if isinstance(screen, ChangesScreen):
            actions.append((label(LABELS, "seen"), screen.action_mark_seen))
        if isinstance(screen, AccountScreen):
            actions += [
                (label(LABELS, "visit"), partial(screen.action_log, "visits")),
                (label(LABELS, "complaint"), partial(screen.action_log, "complaints")),
                (label(LABELS, "survey"), partial(screen.action_log, "surveys")),
                (label(LABELS, "edit"), screen.action_edit),
                (label(LABELS, "score"), partial(screen.action_show_tab, "score")),
                (label(LABELS, "playbooks"), partial(screen.action_show_tab, "playbooks")),
                (label(LABELS, "history"), partial(screen.action_show_tab, "history")),
            ]
        actions.append((label(LABELS, "reviews"), self.app.action_reviews))  # type: ignore[attr-defined]
        actions.append((label(LABELS, "charts"), self.app.action_portfolio_charts))  # type: ignore[attr-defined]
        actions.append((label(LABELS, "sync"), self.app.action_sync))  # type: ignore[attr-defined]
        actions.append((label(LABELS, "help"), self.app.action_help))  # type: ignore[attr-defined]
        for code, name in LANGUAGE_NAMES.items():
            if code != current_language():
                switch = partial(self.app.switch_language, code)  # type: ignore[attr-defined]
                actions.append((label(LABELS, "language").format(language=name), switch))
        if isinstance(screen, AccountScreen):  # last: what a short palette shows first stays as it was
            actions += [
                (label(LABELS, "attach"), screen.action_attach),
                (label(LABELS, "target"), screen.action_target),
                (label(LABELS, "editor"), screen.action_open_editor),
            ]
        return actions

    def _accounts(self) -> list[tuple[str, str]]:
        """(id, name) of every listed account, from the accounts screen under the palette."""
        for screen in self.app.screen_stack:
            if isinstance(screen, AccountsScreen):
                return screen.account_names()
        return []

    def _open(self, account_id: str) -> None:
        open_account(self.app, account_id)

    async def discover(self) -> AsyncIterator[DiscoveryHit]:
        for text, action in self._actions():
            yield DiscoveryHit(text, action)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for text, action in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), action)
        hits = 0
        needle = query.casefold()
        for account_id, name in self._accounts():
            if needle not in account_id.casefold() and needle not in name.casefold():
                continue
            shown = label(LABELS, "open").format(name=safe(name), id=safe(account_id))
            yield Hit(matcher.match(shown) or 0.5, Text(shown), partial(self._open, account_id), text=shown)
            hits += 1
            if hits >= MAX_ACCOUNT_HITS:
                return
