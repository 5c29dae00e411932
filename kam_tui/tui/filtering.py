"""The accounts filter: free words and `key:value` tokens, combinable (all must match).

`tier:A owner:wang 华东` keeps the tier-A accounts of owners whose name holds "wang" with 华东 in
their id, name, owner, stage, region or industry. A query starting with `//` (or any query, once
typing pauses) also finds words in the text of notes, visits and complaints. Pure functions over
the gateway's rows, so a keystroke costs one pass of cheap string tests (no Textual here).

`kind:`, `playbook:`, `due:overdue` and the text search need the account index, read after the
list is on screen; until it arrives they match nothing (the screen says it is still reading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kam_tui.tui.gateway import AccountIndex, AccountRow, Scores

TOKENS = ("tier", "owner", "stage", "risk", "kind", "playbook", "due", "region")  # the keys a token may name
INDEXED = ("kind", "playbook", "due")  # tokens that need the account index
DEEP = "/"  # `//` from the table: `/` focuses the filter, the second starts the query, which then
# searches the text of notes, visits and complaints at once


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # lower-cased free words
    tokens: tuple[tuple[str, str], ...]  # (key, lower-cased value)
    unknown: tuple[str, ...]  # `key:value` words whose key is not in TOKENS (matched as words)
    deep: bool = False  # `//`: words are looked for in the notes, visits and complaints too

    @property
    def empty(self) -> bool:
        return not self.words and not self.tokens

    @property
    def needs_index(self) -> bool:
        return (self.deep and bool(self.words)) or any(key in INDEXED for key, _value in self.tokens)


def parse_query(text: str, deep: bool = False) -> Query:
    """`deep` widens the words to the notes' text (the screen sets it once typing pauses)."""
    stripped = text.lstrip()
    if stripped.startswith(DEEP):
        text, deep = stripped.lstrip(DEEP), True
    words: list[str] = []
    tokens: list[tuple[str, str]] = []
    unknown: list[str] = []
    for part in text.casefold().split():
        key, colon, value = part.partition(":")
        if colon and key in TOKENS and value:
            tokens.append((key, value))
        else:
            if colon and key and key not in TOKENS:
                unknown.append(key)
            words.append(part)
    return Query(tuple(words), tuple(tokens), tuple(unknown), deep)


def matcher(query: Query, scores: Scores, index: AccountIndex | None = None) -> Callable[[AccountRow], bool]:
    """A test for one row; every word and every token must match."""
    texts = index.texts if index is not None and query.deep else None
    tests: list[Callable[[AccountRow], bool]] = [_word(word, texts) for word in query.words]
    tests += [_token(key, value, scores, index) for key, value in query.tokens]
    return lambda row: all(test(row) for test in tests)


def _word(word: str, texts: dict[str, str] | None) -> Callable[[AccountRow], bool]:
    if texts is None:
        return lambda row: word in row.haystack
    return lambda row: word in row.haystack or word in texts.get(row.id, "")


def _text(value: str | None) -> str:
    return "" if value is None else value.casefold()


def _token(key: str, value: str, scores: Scores, index: AccountIndex | None) -> Callable[[AccountRow], bool]:
    if key in INDEXED:
        return _indexed(key, value, index)
    if key == "tier":
        wanted = value.upper()
        return lambda row: (s := scores.get(row.id)) is not None and s.tier == wanted
    if key == "risk":
        return lambda row: (s := scores.get(row.id)) is not None and any(code.startswith(value) for code in s.risks)
    if key == "stage":
        return lambda row: _text(row.account.stage).startswith(value)
    if key == "owner":
        return lambda row: value in _text(row.account.owner)
    return lambda row: value in _text(row.account.region)


def _indexed(key: str, value: str, index: AccountIndex | None) -> Callable[[AccountRow], bool]:
    if index is None:
        return lambda row: False
    if key == "kind":
        kinds = index.kinds
        return lambda row: kinds.get(row.id, "").startswith(value)
    if key == "playbook":
        playbooks = index.playbooks
        return lambda row: any(name.casefold().startswith(value) for name in playbooks.get(row.id, ()))
    overdue = index.overdue  # due:overdue (any prefix of it)
    if not "overdue".startswith(value):
        return lambda row: False
    return lambda row: row.id in overdue


def filter_rows(
    rows: list[AccountRow], text: str, scores: Scores, index: AccountIndex | None = None, deep: bool = False
) -> list[AccountRow]:
    query = parse_query(text, deep)
    if query.empty:
        return rows
    test = matcher(query, scores, index)
    return [row for row in rows if test(row)]
