"""The TUI's only door to the store: what screens read and write, as plain functions.

Screens and widgets never import `kam_tui.store` (an import contract in pyproject.toml says so);
they call these from worker threads and get plain data back, so every function can be tested
without a terminal. No Textual here. Nothing here decides anything about accounts — scores,
tiers, risks, validation and saving all come from `kam_tui.model` / `kam_tui.store`.

One module per subject; screens import them all from here. Each module loads when one of its
names is first used (PEP 562): the accounts list needs a few of them to show its first rows, and
loading all of them, with the store modules behind them, cost a fifth of the TUI's launch.
"""

from __future__ import annotations

import ast
import importlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the one list of what is here: read by type checkers, and by `_homes` at run time
    from kam_tui.model.agenda import AgendaItem
    from kam_tui.store.account_changes import ChangeResult, InvalidChange
    from kam_tui.store.changelog import AccountChanges, ChangesReport
    from kam_tui.store.checklists import ChecklistStatus
    from kam_tui.store.gitcmd import Commit
    from kam_tui.store.repository import AccountNotFound, Repository
    from kam_tui.store.reviews import Status
    from kam_tui.store.sync import AheadBehind, SyncConflict, SyncReport
    from kam_tui.tui.gateway.account_index import AccountIndex, load_account_index
    from kam_tui.tui.gateway.account_list import (
        FILTER_FIELDS,
        AccountRow,
        CatalogView,
        Figures,
        PortfolioView,
        Scores,
        accounts_fingerprint,
        load_catalog_view,
        load_warm_catalog_view,
    )
    from kam_tui.tui.gateway.accounts import (
        AccountView,
        ScoreView,
        account_changed,
        load_account_view,
        load_commit_diff,
        load_portfolio,
        load_score_view,
    )
    from kam_tui.tui.gateway.editor import (
        EditorDraft,
        drop_editing,
        editor_command,
        finish_editing,
        run_editor,
        start_editing,
    )
    from kam_tui.tui.gateway.playbooks import (
        AttachMisfit,
        PlaybookChoice,
        attach_playbook,
        forcible,
        load_checklists,
        playbook_choices,
        tick_refusal,
        toggle_step,
    )
    from kam_tui.tui.gateway.reviews import (
        PlanWritten,
        ReviewPreview,
        has_plan,
        load_open_work,
        load_review_report,
        load_review_status,
        plan_review,
        review_periods,
        step_period,
        today,
    )
    from kam_tui.tui.gateway.saving import (
        add_log_item,
        check_field,
        error_message,
        error_text,
        is_invalid,
        is_refusal,
        new_account,
        preview_change,
        save_change,
        save_fields,
    )
    from kam_tui.tui.gateway.team import (
        is_sync_refusal,
        load_changes,
        mark_changes_seen,
        merge_text,
        remote_status,
        uncommitted_files,
        rename_text,
        run_sync,
        value_text,
    )


def __getattr__(name: str) -> object:
    """A name of the list above, from its module, imported now (and kept)."""
    home = _homes().get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


@cache
def _homes() -> dict[str, str]:
    """Each name's module, read from the imports under TYPE_CHECKING in this file."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        alias.asname or alias.name: str(node.module)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


__all__ = [
    # the accounts filter's index
    "AccountIndex",
    "load_account_index",
    # the store's types that screens name
    "AccountChanges",
    "AccountNotFound",
    "AgendaItem",
    "AheadBehind",
    "ChangeResult",
    "ChangesReport",
    "ChecklistStatus",
    "Commit",
    "InvalidChange",
    "Repository",
    "Status",
    "SyncConflict",
    "SyncReport",
    # accounts: the list, scores, one account
    "FILTER_FIELDS",
    "AccountRow",
    "AccountView",
    "CatalogView",
    "Figures",
    "PortfolioView",
    "Scores",
    "ScoreView",
    "account_changed",
    "accounts_fingerprint",
    "load_account_view",
    "load_catalog_view",
    "load_commit_diff",
    "load_portfolio",
    "load_score_view",
    "load_warm_catalog_view",
    # E: the person's editor
    "EditorDraft",
    "drop_editing",
    "editor_command",
    "finish_editing",
    "run_editor",
    "start_editing",
    # playbooks
    "AttachMisfit",
    "PlaybookChoice",
    "attach_playbook",
    "forcible",
    "load_checklists",
    "playbook_choices",
    "tick_refusal",
    "toggle_step",
    # the review cycle
    "PlanWritten",
    "ReviewPreview",
    "has_plan",
    "load_open_work",
    "load_review_report",
    "load_review_status",
    "plan_review",
    "review_periods",
    "step_period",
    "today",
    # forms and saving
    "add_log_item",
    "check_field",
    "error_message",
    "error_text",
    "is_invalid",
    "is_refusal",
    "new_account",
    "preview_change",
    "save_change",
    "save_fields",
    # the team
    "is_sync_refusal",
    "load_changes",
    "mark_changes_seen",
    "merge_text",
    "remote_status",
    "uncommitted_files",
    "rename_text",
    "run_sync",
    "value_text",
]
