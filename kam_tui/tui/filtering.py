"""The accounts filter: free words and `key:value` tokens, combinable (all must match).

`tier:A owner:wang 华东` keeps the tier-A accounts of owners whose name holds "wang" with 华东 in
their id, name, owner, stage, region or industry. Pure functions over the gateway's rows, so a
keystroke costs one pass of cheap string tests (no Textual here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kam_tui.tui.gateway import AccountRow, Scores

TOKENS = ("tier", "owner", "stage", "risk", "region")  # the keys a token may name


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]  # lower-cased free words
    tokens: tuple[tuple[str, str], ...]  # (key, lower-cased value)
    unknown: tuple[str, ...]  # `key:value` words whose key is not in TOKENS (matched as words)

    @property
    def empty(self) -> bool:
        return not self.words and not self.tokens


def parse_query(text: str) -> Query:
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
    return Query(tuple(words), tuple(tokens), tuple(unknown))


def matcher(query: Query, scores: Scores) -> Callable[[AccountRow], bool]:
    """A test for one row; every word and every token must match."""
    tests: list[Callable[[AccountRow], bool]] = [_word(word) for word in query.words]
    tests += [_token(key, value, scores) for key, value in query.tokens]
    return lambda row: all(test(row) for test in tests)


def _word(word: str) -> Callable[[AccountRow], bool]:
    return lambda row: word in row.haystack


def _text(value: str | None) -> str:
    return "" if value is None else value.casefold()


def _token(key: str, value: str, scores: Scores) -> Callable[[AccountRow], bool]:
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


def filter_rows(rows: list[AccountRow], text: str, scores: Scores) -> list[AccountRow]:
    query = parse_query(text)
    if query.empty:
        return rows
    test = matcher(query, scores)
    return [row for row in rows if test(row)]
