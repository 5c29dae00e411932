"""kam's messages in the reader's language: standard gettext catalogues that ship in the package.

The source text is English and is the message id; `locale/zh/LC_MESSAGES/kam.po` holds the
Chinese, compiled to `kam.mo` (tests keep the two in step, and fail when a message has no
Chinese). Every module, the pure model included, only calls `_()` / `ngettext()` and never
looks at the environment: the front end chooses the language once (`choose_language`) and
runs the command `in_language(...)`. Text kam writes into the repository (commit subjects,
generated files) is in kam.yaml's language whoever types the command: `writing_in(lang)`
scopes that to the code that writes, without touching what the person reads.

Why a process-wide language rather than an argument threaded through every function: the
reader's language is one fact about the process (one person at one terminal), and the "why"
texts are built deep inside scoring and risk code that other code calls with positional
arguments; a setting also reaches Textual's thread workers, which start with an empty
contextvars context. The repository's language, by contrast, differs per write, so it is a
context variable that overrides the process setting only inside `writing_in`.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")
DOMAIN = "kam"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH = gettext.NullTranslations()  # the message ids are the English text

_reader: gettext.NullTranslations = ENGLISH  # what a person reads, for the whole process
_writing: ContextVar[gettext.NullTranslations | None] = ContextVar("kam_writing_language", default=None)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of one language, read once per process (a missing catalogue is a broken install)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; kam speaks {', '.join(LANGUAGES)}")
    if lang == "en":
        return ENGLISH
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def _active() -> gettext.NullTranslations:
    return _writing.get() or _reader


def _(message: str) -> str:
    """`message` (English source text) in the current language."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the count `n` (Chinese has one form)."""
    return _active().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where the same English word names different things
    (the dimension "credit" is not the payment term "credit")."""
    return _active().pgettext(context, message)


def N_(message: str) -> str:
    """Marks text for the catalogue where it is defined (module constants, help strings);
    whoever shows it translates it with `_()` at that moment."""
    return message


def NP_(context: str, message: str) -> str:
    """`N_` for a message with a context: marks it for the catalogue where it is defined; whoever
    shows it translates it with `pgettext(context, message)` at that moment."""
    return message


def current_language() -> str:
    """The language `_()` speaks here and now (en or zh)."""
    active = _active()
    return next((lang for lang in LANGUAGES if translations(lang) is active), "en")


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """What a person reads is in `lang` for the whole process while the block runs (set by the CLI
    around a command, which includes the TUI and its worker threads); the previous language
    comes back afterwards, so tests that run `kam` in-process do not leak."""
    global _reader
    previous, _reader = _reader, translations(lang)
    try:
        yield
    finally:
        _reader = previous


def switch_reader_language(lang: str) -> None:
    """What a person reads is in `lang` from now on (the TUI's "switch language"); the enclosing
    `in_language` still puts its own previous language back when it ends."""
    global _reader
    _reader = translations(lang)


@contextmanager
def writing_in(lang: str) -> Iterator[None]:
    """Text written into the repository inside the block is in `lang` (kam.yaml's language),
    in this context only: another thread still shows the reader's language."""
    token = _writing.set(translations(lang))
    try:
        yield
    finally:
        _writing.reset(token)


def language_code(value: object) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `zh-TW` → zh; `en…` → en; anything else (C, POSIX, fr_FR, 5) → None."""
    if not isinstance(value, str):
        return None
    head = value.strip().lower()[:2]
    return head if head in LANGUAGES else None


def choose_language(flag: str | None, env: Mapping[str, str], repository: Callable[[], object]) -> str:
    """The reader's language: `--lang`, then $KAM_LANG, then kam.yaml's `language:` (asked only
    when needed: it reads a file), then the terminal's locale (the first of LC_ALL, LC_MESSAGES,
    LANG that is set, as POSIX reads them: `LC_ALL=C` means not Chinese), then English."""
    for given in (flag, env.get("KAM_LANG")):
        code = language_code(given)
        if code:
            return code
    code = language_code(repository())
    if code:
        return code
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "zh" if language_code(env[name]) == "zh" else "en"
    return "en"
