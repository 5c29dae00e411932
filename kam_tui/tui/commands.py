"""The command palette (ctrl+p): kam's actions on the screen it was opened from, and every
account by name or id. Actions run the same screen actions as the keys do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Provider

from kam_tui.tui.safe_text import safe

# Every label of the palette, in one place (for the message catalogue).
LABELS = {
    "open": "Open account: {name} ({id})",
    "filter": "Filter: {what}",
    "sort_score": "Sort by score, highest first",
    "reload": "Reload accounts from disk",
    "visit": "Log a visit",
    "complaint": "Log a complaint",
    "survey": "Log a survey",
    "edit": "Change a field",
    "score": "Show the score and keep-or-cut answers",
    "playbooks": "Show the playbooks",
    "history": "Show the history",
    "help": "Show the keys",
}
FILTER_PRESETS = (
    ("tier:A", "tier A accounts"),
    ("tier:B", "tier B accounts"),
    ("tier:C", "tier C accounts"),
    ("stage:at-risk", "accounts at risk"),
    ("risk:stuffing", "suspected fake big accounts (stuffing)"),
    ("risk:collection", "cash-collection risk"),
    ("risk:dependency", "over-dependence"),
)
MAX_ACCOUNT_HITS = 40


class KamCommands(Provider):
    def _actions(self) -> list[tuple[str, Callable[[], object]]]:
        from kam_tui.tui.screens.account import AccountScreen
        from kam_tui.tui.screens.accounts import AccountsScreen

        screen = self.screen
        actions: list[tuple[str, Callable[[], object]]] = []
        if isinstance(screen, AccountsScreen):
            for query, what in FILTER_PRESETS:
                actions.append((LABELS["filter"].format(what=what), partial(screen.set_filter, query)))
            actions.append((LABELS["sort_score"], partial(screen.sort_by, "score", True)))
            actions.append((LABELS["reload"], screen.action_reload))
        if isinstance(screen, AccountScreen):
            actions += [
                (LABELS["visit"], partial(screen.action_log, "visits")),
                (LABELS["complaint"], partial(screen.action_log, "complaints")),
                (LABELS["survey"], partial(screen.action_log, "surveys")),
                (LABELS["edit"], screen.action_edit),
                (LABELS["score"], partial(screen.action_show_tab, "score")),
                (LABELS["playbooks"], partial(screen.action_show_tab, "playbooks")),
                (LABELS["history"], partial(screen.action_show_tab, "history")),
            ]
        actions.append((LABELS["help"], self.app.action_help))  # type: ignore[attr-defined]
        return actions

    def _accounts(self) -> list[tuple[str, str]]:
        """(id, name) of every listed account, from the accounts screen under the palette."""
        from kam_tui.tui.screens.accounts import AccountsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, AccountsScreen):
                return screen.account_names()
        return []

    def _open(self, account_id: str) -> None:
        from kam_tui.tui.screens.accounts import AccountsScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, AccountsScreen):
                screen.open_account(account_id)

    async def discover(self) -> AsyncIterator[DiscoveryHit]:
        for label, action in self._actions():
            yield DiscoveryHit(label, action)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for label, action in self._actions():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), action)
        hits = 0
        needle = query.casefold()
        for account_id, name in self._accounts():
            if needle not in account_id.casefold() and needle not in name.casefold():
                continue
            label = LABELS["open"].format(name=safe(name), id=safe(account_id))
            yield Hit(matcher.match(label) or 0.5, Text(label), partial(self._open, account_id), text=label)
            hits += 1
            if hits >= MAX_ACCOUNT_HITS:
                return
