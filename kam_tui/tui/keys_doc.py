"""docs/keys.md: every key the TUI binds, per screen, written from the screens' own BINDINGS
(the ones `?` lists at run time), so the documentation cannot drift from the app."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.keys import format_key

from kam_tui.tui.app import KamApp
from kam_tui.tui.screens.account import AccountScreen
from kam_tui.tui.screens.accounts import AccountsScreen
from kam_tui.tui.screens.changes import ChangesScreen
from kam_tui.tui.screens.confirm import ConfirmScreen
from kam_tui.tui.screens.form_base import FormScreen
from kam_tui.tui.screens.playbook_dialogs import ChoosePlaybookScreen, TickAnywayScreen, TickNoteScreen
from kam_tui.tui.screens.portfolio_charts import PortfolioChartsScreen
from kam_tui.tui.screens.raw_edit import EditorProblemsScreen
from kam_tui.tui.screens.reviews import ReviewsScreen
from kam_tui.tui.widgets.virtual_table import VirtualTable

SECTIONS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("Everywhere", (KamApp, App)),  # App: Textual's ctrl+q (a form with changes asks first)
    ("Accounts list", (AccountsScreen, VirtualTable)),
    ("Account (tabs 1–6; space, x and a in the Playbooks tab)", (AccountScreen,)),
    ("Forms (e, n, t, v, c, s, =)", (FormScreen,)),
    ("Tick note / reason", (TickNoteScreen,)),
    ("Tick anyway (a step the playbook refuses)", (TickAnywayScreen,)),
    ("Attach a playbook", (ChoosePlaybookScreen,)),
    ("After the editor (E) found problems", (EditorProblemsScreen,)),
    ("Questions", (ConfirmScreen,)),
    ("Reviews (R)", (ReviewsScreen,)),
    ("Portfolio charts (P)", (PortfolioChartsScreen,)),
    ("Changes (C)", (ChangesScreen,)),
)


def _keys(binding: Binding) -> str:
    keys = [format_key(key) for key in binding.key.split(",")]
    if binding.key_display and len(keys) == 1:
        keys = [binding.key_display]
    return " ".join(f"`{key}`" for key in keys)


def keys_markdown() -> str:
    """The key table, in English (the TUI shows the same table translated with `?`)."""
    out = [
        "# Keys",
        "",
        "Generated from the TUI's bindings (`python -m kam_tui.tui.keys_doc > docs/keys.md`);",
        "`?` on any screen shows that screen's keys in the reader's language.",
    ]
    for title, classes in SECTIONS:
        out += ["", f"## {title}", "", "| keys | does |", "|---|---|"]
        for cls in classes:
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.description:
                    out.append(f"| {_keys(binding)} | {binding.description} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(keys_markdown(), end="")
