"""kam's message catalogues, for developers (needs Babel, from the `test` extra).

    .venv/bin/python tools/i18n.py update    # new messages from the source into every .po (empty, to translate)
    .venv/bin/python tools/i18n.py compile   # every .po → its .mo (commit both)
    .venv/bin/python tools/i18n.py check     # what tests/test_i18n.py checks: exit 1 on any problem

Every `_()`, `ngettext()`, `N_()`, `pgettext()` and `NP_()` in kam_tui/ is a message; its English text is the id
(with a context for the last two).
A message missing, empty or fuzzy in a language, a translation that does not use the same
{placeholders}, a message the source no longer has, or a .mo older than its .po is a problem.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "kam_tui"
LOCALE = SOURCE / "i18n" / "locale"
DOMAIN = "kam"
LANGUAGES = ("zh",)  # English is the source text
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[srd]")  # str.format and argparse's %-style
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": DEFAULT_KEYWORDS["pgettext"]}  # NP_(context, message) marks like N_


def po_path(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locale: Path = LOCALE) -> Path:
    return po_path(lang, locale).with_suffix(".mo")


FIXED_DATE = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)  # no header churn: the file changes only with messages


def _catalog(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="kam",
        version="",
        copyright_holder="the kam authors",
        msgid_bugs_address="",
        last_translator="the kam authors",
        language_team="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def extract(source: Path = SOURCE) -> Catalog:
    """Every message in the source, with the files that use it."""
    template = _catalog(None)
    for filename, lineno, message, comments, context in extract_from_dir(
        source, method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(f"kam_tui/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def literal_calls(source: Path = SOURCE) -> dict[str, str]:
    """Every `_("…")`, `N_("…")` and `ngettext("…", …)` with a literal first argument, as Python's own
    parser sees them (inside f-strings too, where Babel's tokenizer does not look): id → where."""
    found: dict[str, str] = {}
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(source.parent)}:{node.lineno}")
    return found


def read(lang: str, locale: Path = LOCALE) -> Catalog:
    with po_path(lang, locale).open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = _catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a message the source dropped leaves the catalogue
        catalog.creation_date = catalog.revision_date = FIXED_DATE
        catalog.fuzzy = False
        with path.open("wb") as handle:
            # No line numbers: a message's entry changes when its text does, not when code above it moves.
            write_po(handle, catalog, width=120, include_lineno=False)


def compile_all() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(compiled(read(lang)))


def _text(message: Message) -> tuple[str, ...]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    return tuple(str(part) for part in ids)


def problems(source: Path = SOURCE, locale: Path = LOCALE) -> list[str]:
    """What is wrong with the catalogues, one line each (empty: all good)."""
    found: list[str] = []
    template = extract(source)
    wanted = {message.id: message for message in template if message.id}
    seen = {key if isinstance(key, str) else key[0] for key in wanted}
    for text, where in literal_calls(source).items():
        if text not in seen:
            found.append(f"{text!r} is not extracted ({where}): take the call out of the f-string")
    for lang in LANGUAGES:
        catalog = read(lang, locale)
        have = {message.id: message for message in catalog if message.id}
        for key, message in wanted.items():
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            entry = have.get(key)
            strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
            if entry is None:
                found.append(f"{lang}: no translation of {_text(message)[0]!r} ({where})")
            elif entry.fuzzy or not strings or not all(strings):
                found.append(f"{lang}: empty or fuzzy translation of {_text(message)[0]!r} ({where})")
            else:
                expected = {p for part in _text(message) for p in PLACEHOLDER.findall(part)}
                for string in strings:
                    if set(PLACEHOLDER.findall(str(string))) != expected:
                        found.append(f"{lang}: {string!r} does not use the placeholders {sorted(expected)} ({where})")
        for key in have.keys() - wanted.keys():
            found.append(f"{lang}: {key!r} is no longer in the source (run tools/i18n.py update)")
        mo = mo_path(lang, locale)
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            found.append(f"{lang}: {mo.name} is not compiled from its .po (run tools/i18n.py compile)")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        print("\n".join(found) or "catalogues complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
