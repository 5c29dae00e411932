"""What the accounts filter and header know beyond the list fields: each account's kind, its
attached playbooks, what `kam due` lists as overdue, and the text of its notes, visits and
complaints. Part of the TUI's gateway to the store (no Textual here).

It needs whole accounts (about half a second warm at 10,000, from the store's account cache), so
the accounts screen reads it in a worker after the rows are on screen; the tokens that need it
match once it has arrived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kam_tui.model.account import Account
from kam_tui.model.agenda import agenda
from kam_tui.model.scorecard import ScoringConfig
from kam_tui.store import clock
from kam_tui.store.account_cache import load_accounts
from kam_tui.store.gcpause import bulk
from kam_tui.store.checklists import all_checklists
from kam_tui.store.repository import Repository
from kam_tui.tui.gateway.account_list import CatalogView, Scores


FREE_AT_ONCE = 500


@dataclass(frozen=True)
class AccountIndex:
    kinds: dict[str, str]  # id → kind (dealer when the file has none)
    playbooks: dict[str, tuple[str, ...]]  # id → attached playbooks
    overdue: dict[str, int]  # id → items `kam due` lists as late (due before today)
    overdue_actions: int  # open actions past their due date, over all accounts
    texts: dict[str, str]  # id → lower-cased notes, visit and complaint text (what `//` searches)


def account_text(account: Account) -> str:
    """The free text of an account a `//` search looks in, lower-cased."""
    parts = [account.notes]
    parts += [f"{v.summary}\x1f{v.next}" for v in account.visits]
    parts += [c.summary for c in account.complaints]
    parts += [s.comment for s in account.surveys]
    parts += [a.what for a in account.actions]
    return "\x1f".join(part for part in parts if part).casefold()


def load_account_index(
    repo: Repository, view: CatalogView, scores: Scores, today: dt.date | None = None
) -> AccountIndex:
    """The index of every valid account, reusing the list's catalog and the portfolio's tiers.
    Raises SettingsInvalid for a bad kam.yaml."""
    day = clock.today(today)
    config = repo.settings().scoring
    tiers = {account_id: s.tier for account_id, s in scores.items()}
    # 10,000 whole accounts are built and dropped here, beside a person typing in the list: with
    # the collector running, its full passes over them held the interpreter for up to 0.2 s each.
    with bulk(keep=True):
        accounts, _skipped = load_accounts(repo, view.catalog)
        index = _index_of(accounts, tiers, config, day, all_checklists(repo))
        # Freed before the collector is back, so it never scans them; a few hundred at a time,
        # as freeing 10,000 at once is one step of the interpreter (70 ms) a key would wait for.
        while accounts:
            del accounts[-FREE_AT_ONCE:]
    return index


def _index_of(
    accounts: list[Account],
    tiers: dict[str, str | None],
    config: ScoringConfig,
    day: dt.date,
    checklists: list[tuple[str, str]],
) -> AccountIndex:
    overdue: dict[str, int] = {}
    for item in agenda(accounts, tiers, config, day):
        if item.due is not None and item.due < day:
            overdue[item.account] = overdue.get(item.account, 0) + 1
    playbooks: dict[str, tuple[str, ...]] = {}
    for account_id, name in checklists:
        playbooks[account_id] = (*playbooks.get(account_id, ()), name)
    late_actions = sum(1 for a in accounts for x in a.actions if x.open and x.due is not None and x.due < day)
    return AccountIndex(
        kinds={a.id: a.kind_or_default for a in accounts},
        playbooks=playbooks,
        overdue=overdue,
        overdue_actions=late_actions,
        texts={a.id: account_text(a) for a in accounts},
    )
