"""E: the account's file in the person's editor, committed through the one write path."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass

from kam_tui.store.account_replace import replace_account
from kam_tui.store.account_changes import (
    ChangeResult,
)
from kam_tui.store.repository import Repository
from kam_tui.tui.gateway.own_writes import own_write


# --- E: the account's file in the person's editor ---------------------------------------------------


@dataclass(frozen=True)
class EditorDraft:
    """A copy of the account's file, outside the repository, for the person's editor."""

    account_id: str
    original: bytes  # the file when the editor was opened
    path: Path


def start_editing(repo: Repository, account_id: str) -> EditorDraft:
    """Copy the account's file into a private folder (raises AccountNotFound)."""
    raw = repo.load_account(account_id).raw
    path = Path(tempfile.mkdtemp(prefix="kam-edit-")) / f"{account_id}.yaml"
    path.write_bytes(raw)
    return EditorDraft(account_id, raw, path)


def editor_command(env: Mapping[str, str]) -> list[str]:
    """$VISUAL, else $EDITOR, else vi — split as a shell would split words (no shell runs it)."""
    return shlex.split(env.get("VISUAL") or env.get("EDITOR") or "vi")


def run_editor(draft: EditorDraft) -> None:
    """Run the editor on the draft and wait for it (raises OSError when it cannot start)."""
    subprocess.run([*editor_command(os.environ), str(draft.path)], check=False)


def finish_editing(repo: Repository, draft: EditorDraft) -> ChangeResult | None:
    """Commit the draft when it changed and is a valid account (raises InvalidChange, or
    WriteRefused when the file changed on disk meanwhile); None when nothing was changed."""
    new = draft.path.read_bytes()
    if new == draft.original:
        return None
    with own_write(repo, draft.account_id):
        return replace_account(repo, draft.account_id, new, draft.original)


def drop_editing(draft: EditorDraft) -> None:
    """Remove the draft and its folder."""
    draft.path.unlink(missing_ok=True)
    draft.path.parent.rmdir()
