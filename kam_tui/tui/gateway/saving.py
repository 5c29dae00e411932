"""Forms and saving: one field, several typed fields, a new account, a log item — each saved as
the matching `kam` command saves it — and how a refusal reads."""

from __future__ import annotations

from kam_tui.model.errors import KamError
from kam_tui.store.account_changes import (
    ChangeResult,
    InvalidChange,
    create_account,
    describe,
    edit_account,
    parse_assignment,
)
from kam_tui.store.items import add_item
from kam_tui.store.repository import Repository
from kam_tui.store.transaction import WriteRefused
from kam_tui.tui.gateway.accounts import AccountView
from kam_tui.tui.gateway.own_writes import own_write


# --- changing one field ---------------------------------------------------------------------------


def preview_change(view: AccountView, text: str) -> str:
    """The commit message a `KEY=VALUE` text would make (`acme: owner wang → li`); raises
    InvalidChange when the text cannot be read as an assignment."""
    assignment = parse_assignment(text)
    data = view.loaded.doc.data if view.loaded.doc is not None else {}
    return describe(view.id, data, [assignment])


def save_change(repo: Repository, view: AccountView, text: str) -> ChangeResult:
    """Apply one `KEY=VALUE` through the shared write path (validated, atomic, one commit),
    refusing if the file changed since the screen read it."""
    assignment = parse_assignment(text)
    with own_write(repo, view.id):
        return edit_account(repo, view.id, [assignment], expected=view.loaded.raw)


def add_log_item(repo: Repository, account_id: str, list_name: str, values: dict[str, str]) -> ChangeResult:
    """Append one item to a list of the account (a visit, complaint, survey…) from the text typed
    per field, exactly as `kam add ID LIST KEY=VALUE…` does: one commit."""
    with own_write(repo, account_id):
        return add_item(repo, account_id, list_name, [f"{key}={value}" for key, value in values.items()])


# --- forms: typed fields, saved as `kam set` / `kam new` save them ----------------------------------


def check_field(key: str, text: str) -> str | None:
    """Why `KEY=text` cannot be saved (as `kam set` would say it), or None when it can."""
    try:
        parse_assignment(f"{key}={text}")
    except InvalidChange as exc:
        return exc.message.removeprefix(f"{key}: ")  # the form shows it under the field already
    return None


def save_fields(repo: Repository, view: AccountView, values: dict[str, str]) -> ChangeResult:
    """Set several fields at once as `kam set ID KEY=VALUE…` does (an empty value removes the
    key): validated, atomic, one commit; refused if the file changed since the screen read it."""
    assignments = [parse_assignment(f"{key}={text}") for key, text in values.items()]
    with own_write(repo, view.id):
        return edit_account(repo, view.id, assignments, expected=view.loaded.raw)


def new_account(repo: Repository, account_id: str, name: str, values: dict[str, str]) -> ChangeResult:
    """Create an account as `kam new ID --name NAME KEY=VALUE…` does: one commit."""
    assignments = [parse_assignment(f"{key}={text}") for key, text in values.items() if text]
    return create_account(repo, account_id.strip(), name.strip(), assignments)


def is_invalid(exc: BaseException) -> bool:
    """The text itself cannot be saved (as opposed to a refusal for another reason)."""
    return isinstance(exc, InvalidChange)


def is_refusal(exc: BaseException) -> bool:
    """The store refused to write for a reason outside the text typed (file changed, lock, …)."""
    return isinstance(exc, WriteRefused) and not isinstance(exc, InvalidChange)


def error_text(exc: BaseException) -> str | None:
    """A KamError as the lines a person reads; None for anything else (a bug)."""
    if isinstance(exc, KamError):
        return "\n".join(exc.lines())
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    return None


def error_message(exc: BaseException) -> str:
    """What a person reads for any failure: `error_text`, or for a bug its kind and text
    (`KeyError: 'step'`; the caller logs it too)."""
    return error_text(exc) or f"{type(exc).__name__}: {exc}"
