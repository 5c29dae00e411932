"""An account that is not there, or an id no account can have: every command and every store
function says it with the same words, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import zh_acme
from kam_tui.i18n import in_language
from kam_tui.store.account_changes import edit_account
from kam_tui.store.account_replace import replace_account
from kam_tui.store.checklist_writes import attach
from kam_tui.store.items import add_item, unset_key
from kam_tui.store.ownership import rename
from kam_tui.store.repository import AccountNotFound, Repository

NO_FILE = "no account 'nobody' (accounts/nobody.yaml does not exist)"
BAD_ID = (
    "'{id}' is not a valid account id: lowercase letters, digits and '-', starting with a letter or digit,"
    " at most 64 characters"
)
TOO_LONG = "a" * 65


@pytest.fixture
def zh_repo(tmp_path: Path) -> Repository:
    return zh_acme(tmp_path)


@pytest.mark.parametrize(
    "args",
    [
        ("show", "nobody"),
        ("set", "nobody", "owner=x"),
        ("remove", "nobody", "visits.1"),
        ("unset", "nobody", "owner"),
        ("rename", "nobody", "somebody"),
        ("attach", "nobody", "maintenance"),
        ("checklist", "nobody"),
        ("score", "nobody"),
    ],
)
def test_every_command_names_the_missing_file_the_same_way(repo: Repository, kam, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(repo.root), *args)
    assert (result.code, result.err) == (2, f"kam: {NO_FILE}\n")


@pytest.mark.parametrize("bad", ["Bad_Id", TOO_LONG])
@pytest.mark.parametrize("command", [("show",), ("history",), ("checklist",), ("new", "--name", "X")])
def test_a_bad_id_gets_one_rule_from_every_command(repo: Repository, kam, command: tuple[str, ...], bad: str) -> None:  # type: ignore[no-untyped-def]
    """One rule, one sentence: the one `kam show` gave left out the 64-character limit."""
    result = kam("--repo", str(repo.root), command[0], bad, *command[1:])
    assert (result.code, result.err) == (2, f"kam: {BAD_ID.format(id=bad)}\n")


STORE_CALLS: dict[str, Callable[[Repository], Any]] = {
    "set": lambda repo: edit_account(repo, "nobody", [(("owner",), "li")]),
    "add": lambda repo: add_item(repo, "nobody", "visits", {"summary": "x"}),
    "unset": lambda repo: unset_key(repo, "nobody", "owner"),
    "rename": lambda repo: rename(repo, "nobody", "somebody"),
    "attach": lambda repo: attach(repo, "nobody", "maintenance", author="Li <li@example.com>"),
    "raw edit": lambda repo: replace_account(repo, "nobody", b"id: nobody\nname: X\n", b"", "Li <li@example.com>"),
}


@pytest.mark.parametrize("call", STORE_CALLS.values(), ids=STORE_CALLS.keys())
def test_the_store_says_no_such_account_in_chinese(zh_repo: Repository, call: Callable[[Repository], Any]) -> None:
    """The TUI calls these directly: attach and the raw editor said it in English only."""
    with in_language("zh"), pytest.raises(AccountNotFound) as refused:
        call(zh_repo)
    assert refused.value.message == "没有客户“nobody”（accounts/nobody.yaml 不存在）"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("history", "nobody"), "kam: 没有客户“nobody”（accounts/nobody.yaml 不存在，也从未存在过）\n"),
        (("show", "acm"), "kam: 没有客户“acm”（accounts/acm.yaml 不存在）\n提示：是不是想写 acme？\n"),
        (
            ("show", "Bad_Id"),
            "kam: “Bad_Id”不是有效的客户 id：只能用小写字母、数字和“-”，以字母或数字开头，最多 64 个字符\n",
        ),
    ],
)
def test_not_found_and_did_you_mean_in_chinese(zh_repo: Repository, kam, args: tuple[str, ...], said: str) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo.root), *args)
    assert (result.code, result.err) == (2, said)


def test_suggestions_are_joined_in_the_readers_language(zh_repo: Repository, kam) -> None:  # type: ignore[no-untyped-def]
    (zh_repo.root / "accounts" / "acme-east.yaml").write_text("id: acme-east\nname: ACME East\n", encoding="utf-8")
    assert (
        kam("--repo", str(zh_repo.root), "show", "acm").err.splitlines()[-1] == "提示：是不是想写 acme 或 acme-east？"
    )
    english = kam("--repo", str(zh_repo.root), "--lang", "en", "show", "acm").err
    assert english.splitlines()[-1] == "hint: did you mean acme or acme-east?"
