"""docs/keys.md is the TUI's key table as the screens bind it, with every key issue 11 names."""

from __future__ import annotations

from pathlib import Path

from kam_tui.tui.keys_doc import keys_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "keys.md"


def test_the_key_table_in_the_docs_is_the_one_the_screens_bind() -> None:
    assert DOC.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/keys.md is stale: python -m kam_tui.tui.keys_doc > docs/keys.md"
    )


def test_every_key_of_the_contract_is_in_the_table() -> None:
    sections = {part.split("\n", 1)[0]: part for part in keys_markdown().split("\n## ")[1:]}
    accounts = sections["Accounts list"]
    account = next(text for title, text in sections.items() if title.startswith("Account ("))
    for key in ("/", "⏎", "o", "O", "n", "q"):  # enter, as the footer and ? show it
        assert f"`{key}`" in accounts, key
    for key in ("1", "2", "3", "4", "5", "6", "e", "E", "v", "c", "s", "t", "h", "esc", "space", "x", "a"):
        assert f"`{key}`" in account, key
    assert "`ctrl+p`" in sections["Everywhere"] and "`?`" in sections["Everywhere"]
