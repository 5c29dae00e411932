"""Adding a field to the account is one path — schema → model → summary → facts (docs/fields.md).
This walks it for every field that reaches the list or the scoring facts: declared in the schema,
valid in a file, read into `Account`, and arriving unchanged where it is used."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from kam_tui.model.account import Account, account_from_data
from kam_tui.model.facts import Facts, account_facts
from kam_tui.model.account_checks import validate_account
from kam_tui.model.schema import ACCOUNT
from kam_tui.model.summary import LIST_FIELDS, summarize

# field: (a value as written in a file, the value in Account, where it must arrive)
PATH: dict[str, tuple[Any, Any, tuple[str, ...]]] = {
    "stage": ("at-risk", "at-risk", ("summary", "facts")),
    "kind": ("distributor", "distributor", ("facts",)),
    "discount": (0.05, 0.05, ("facts",)),
    "rebate": (0.02, 0.02, ("facts",)),
    "owner": ("li", "li", ("summary",)),
    "region": ("华东", "华东", ("summary", "facts")),
    "industry": ("暖通", "暖通", ("summary",)),
    "payment_terms": ("cash", "cash", ("summary", "facts")),
    "credit_limit": (123456, 123456, ("facts",)),
    "strategic": (True, True, ("facts",)),
    "network_held": (0.75, 0.75, ("facts",)),
    "since": ("2019-03-01", dt.date(2019, 3, 1), ("facts",)),
}
ACCOUNT_FIELDS = {f.name for f in dataclasses.fields(Account)}


def test_every_field_the_list_or_the_facts_copy_is_walked() -> None:
    copied = {name for name in Facts._fields if name in ACCOUNT_FIELDS} | set(LIST_FIELDS)
    derived = {"id", "name", "surveys"}  # Facts.surveys counts the year's surveys: derived, not copied
    assert copied - derived == set(PATH)


@pytest.mark.parametrize("name", sorted(PATH))
def test_a_field_goes_from_the_file_to_where_it_is_used(name: str) -> None:
    written, read, ends = PATH[name]
    assert name in ACCOUNT.fields and ACCOUNT.fields[name].doc  # 1. the schema declares and documents it
    data = {"id": "acme", "name": "Acme", name: written}
    assert [f for f in validate_account(data, "acme") if f.level == "error"] == []
    account = account_from_data(data)  # 2. the model reads it
    assert getattr(account, name) == read
    summary = summarize(account).as_json()  # 3. the list's summary carries it (cached per file)
    assert (summary.get(name) == read) == ("summary" in ends)
    facts = account_facts(account)  # 4. the scoring facts carry it (cached per file version)
    assert (getattr(facts, name, None) == read) == ("facts" in ends)
