"""The reader's language: the catalogue is complete, the language chain, the global --lang."""

from __future__ import annotations

import importlib.util
import shutil
import threading
from pathlib import Path
from types import ModuleType

import pytest

from kam_tui.cli import build_parser
from kam_tui.i18n import LOCALE_DIR, _, choose_language, current_language, in_language, ngettext, writing_in

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kam_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the catalogue ----------------------------------------------------------------------------


def test_every_message_has_chinese_and_the_mo_is_compiled_from_the_po() -> None:
    assert _tool().problems() == []


def test_a_message_added_in_english_only_fails_the_catalogue_check(tmp_path: Path) -> None:
    tool = _tool()
    source = tmp_path / "src"
    shutil.copytree(ROOT / "kam_tui", source)
    (source / "extra.py").write_text('from kam_tui.i18n import _\n\nX = _("a message nobody translated")\n')
    found = tool.problems(source=source)
    assert found == ["zh: no translation of 'a message nobody translated' (kam_tui/extra.py:3)"]


def test_a_message_inside_an_f_string_is_reported_because_extraction_cannot_see_it(tmp_path: Path) -> None:
    source = tmp_path / "kam_tui"
    source.mkdir()
    (source / "a.py").write_text("from kam_tui.i18n import _\n\nx = 1\nprint(f\"{_('hidden')} {x}\")\n")
    found = _tool().problems(source=source)
    assert found[0] == "'hidden' is not extracted (kam_tui/a.py:4): take the call out of the f-string"


def test_a_translation_with_other_placeholders_or_a_stale_mo_fails(tmp_path: Path) -> None:
    tool = _tool()
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    po = tool.po_path("zh", locale)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "提示：{hint}"', 'msgstr "提示：{tip}"'), encoding="utf-8")
    found = tool.problems(locale=locale)
    assert "zh: '提示：{tip}' does not use the placeholders ['{hint}'] (kam_tui/cli/__init__.py:" in found[0]
    assert found[1] == "zh: kam.mo is not compiled from its .po (run tools/i18n.py compile)"


def test_translations_follow_the_active_language() -> None:
    assert _("interrupted") == "interrupted"
    with in_language("zh"):
        assert _("interrupted") == "已中断"
        assert current_language() == "zh"
    assert current_language() == "en"
    assert ngettext("{n} file", "{n} files", 2) == "{n} files"


def test_repository_text_is_in_its_own_language_only_where_it_is_written() -> None:
    seen: list[str] = []
    with in_language("zh"), writing_in("en"):
        assert _("interrupted") == "interrupted"
        worker = threading.Thread(target=lambda: seen.append(_("interrupted")))  # another context
        worker.start()
        worker.join()
    assert seen == ["已中断"]


# --- the chain ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "env", "repository", "expected"),
    [
        ("en", {"KAM_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "zh", "en"),
        (None, {"KAM_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "en", "zh"),
        (None, {"KAM_LANG": "fr"}, "zh", "zh"),  # a language kam does not speak is passed over
        (None, {"LANG": "zh_CN.UTF-8"}, "en", "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, None, "zh"),
        (None, {"LANG": "zh_TW.UTF-8", "LC_ALL": "C"}, None, "en"),  # LC_ALL wins, as in POSIX
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, None, "zh"),
        (None, {}, 5, "en"),  # an invalid `language:` is kam.yaml's problem; validate reports it
        (None, {}, None, "en"),
    ],
)
def test_the_reader_language_chain(flag: str | None, env: dict[str, str], repository: object, expected: str) -> None:
    assert choose_language(flag, env, lambda: repository) == expected


def test_kam_yaml_is_read_only_when_flag_and_env_say_nothing() -> None:
    def forbidden() -> str:
        raise AssertionError("kam.yaml read although --lang was given")

    assert choose_language("zh", {}, forbidden) == "zh"
    assert choose_language(None, {"KAM_LANG": "en"}, forbidden) == "en"


# --- the global --lang and the commands' own --lang -----------------------------------------------


@pytest.mark.parametrize(
    ("argv", "reader", "lang"),
    [
        (["--lang", "zh", "list"], "zh", None),
        (["list", "--lang", "zh"], "zh", None),
        (["--lang", "en", "list", "--lang", "zh"], "zh", None),  # the one nearer the command wins
        (["score", "acme", "--explain", "--lang", "zh"], "zh", None),
        (["playbook", "list", "--lang", "zh"], "zh", None),
        (["init", "d", "--lang", "zh"], None, "zh"),  # the repository's language
        (["--lang", "en", "init", "d", "--lang", "zh"], "en", "zh"),
        (["--lang", "zh", "init", "d"], "zh", "en"),
        (["playbook", "add", "staged-exit", "--lang", "zh"], None, "zh"),  # the template's language
        (["--lang", "zh", "playbook", "add", "staged-exit", "--lang", "en"], "zh", "en"),
    ],
)
def test_global_lang_before_or_after_the_command_never_takes_a_commands_own_lang(
    argv: list[str], reader: str | None, lang: str | None
) -> None:
    args = build_parser().parse_args(argv)
    assert args.reader_lang == reader
    assert getattr(args, "lang", None) == lang


def test_errors_are_in_the_readers_language_and_the_language_does_not_outlive_the_command(
    kam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "nowhere")
    english = kam("--repo", missing, "list")
    assert english.code == 2
    assert english.err.splitlines()[-1].startswith("hint: ")
    assert kam("--repo", missing, "list", "--lang", "zh").err.splitlines()[-1].startswith("提示：")
    monkeypatch.setenv("KAM_LANG", "zh")
    assert kam("--repo", missing, "list").err.splitlines()[-1].startswith("提示：")
    assert kam("--repo", missing, "--lang", "en", "list").err.splitlines()[-1].startswith("hint: ")
    assert current_language() == "en"


def test_kam_yaml_language_then_locale(kam, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kam_tui.cli.language import reader_language

    zh_repo, plain_repo = tmp_path / "zh", tmp_path / "plain"
    assert kam("init", str(zh_repo), "--lang", "zh").code == 0
    assert kam("init", str(plain_repo)).code == 0
    (plain_repo / "kam.yaml").write_text("currency: CNY\n", encoding="utf-8")  # no language: the locale decides

    def reader(*argv: str) -> str:
        return reader_language(build_parser().parse_args(list(argv)))

    assert reader("--repo", str(zh_repo), "list") == "zh"
    assert reader("--repo", str(plain_repo), "list") == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert reader("--repo", str(plain_repo), "list") == "zh"
    monkeypatch.setenv("KAM_LANG", "en")
    assert reader("--repo", str(zh_repo), "list") == "en"
    assert reader("--repo", str(zh_repo), "list", "--lang", "zh") == "zh"
    monkeypatch.delenv("KAM_LANG")
    monkeypatch.chdir(zh_repo)  # found from the folder, as commands find it
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert reader("list") == "zh"
    assert reader("--repo", str(tmp_path / "nowhere"), "list") == "en"  # the command reports that itself


def test_no_module_that_translates_uses_underscore_as_a_throwaway_name() -> None:
    """`score, _ = …` in a module that imports `_` makes `_("…")` fail in that function (or worse,
    shadows it module-wide): such modules name their throwaways (`_coverage`, `*_rest`)."""
    import ast

    offenders = []
    for path in sorted((ROOT / "kam_tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_it = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "kam_tui.i18n"
            and any(alias.name == "_" and alias.asname is None for alias in node.names)
            for node in ast.walk(tree)
        )
        if not imports_it:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
