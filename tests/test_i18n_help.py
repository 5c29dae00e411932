"""`--help`, usage lines and argparse's own refusals are in the reader's language, found by the same
chain as everything else (--lang before or after the command, $KAM_LANG, kam.yaml, the locale)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from kam_tui.cli import build_parser
from kam_tui.cli.parsing import ARGPARSE_MESSAGES, subcommand_parsers
from kam_tui.i18n import in_language
from kam_tui.model.log import LOG_LISTS
from kam_tui.model.risks import RISK_CODES
from kam_tui.model.schema import STAGES
from kam_tui.store.init import init_repository

TOP_HELP_ZH = [
    "用法：kam [-h] [--repo DIR] [--lang {en,zh}] [--version] COMMAND ...",
    "",
    "用纯 YAML 管理大客户，用 git 审阅每次修改。",
    "",
    "位置参数:",
    "  COMMAND",
    "    init          新建一个 kam 仓库",
]


@pytest.fixture(autouse=True)
def _columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps help to the terminal's width


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--lang", "zh", "--help"], {}),
        (["--help", "--lang", "zh"], {}),
        (["--help"], {"KAM_LANG": "zh"}),
        (["--help"], {"LANG": "zh_CN.UTF-8"}),
    ],
)
def test_kam_help_follows_the_reader_language(kam, monkeypatch, argv: list[str], env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = kam(*argv)
    assert result.code == 0
    assert result.out.splitlines()[: len(TOP_HELP_ZH)] == TOP_HELP_ZH
    assert "  -h, --help      显示本帮助并退出\n" in result.out
    assert "  --version       显示程序的版本号并退出\n" in result.out


def test_help_in_a_chinese_repository_is_chinese(kam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo", "zh")
    (root / "accounts" / "sub").mkdir()
    result = kam("list", "--help", cwd=root / "accounts" / "sub")
    assert result.code == 0
    assert result.out.startswith("用法：kam list [-h] ")
    assert "  --playbook NAME       只列运行这个打法的客户\n" in result.out


def test_a_commands_help_wraps_chinese_by_terminal_cells(kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("check", "--help", "--lang", "zh")
    assert result.code == 0
    assert result.out.splitlines()[:6] == [
        "用法：kam check [-h] [--undo] [--note TEXT] [--force] [--na] [--reason TEXT]",
        "             [--author AUTHOR] [--lang {en,zh}] [--today DATE]",
        "             ID PLAYBOOK ITEM [ITEM ...]",
        "",
        "勾选一步：清单只改一行（`- [x] 清库存 — 2026-11-20 wang`），一次提交（",
        "`acme-motors: staged-exit ✓ 清库存`；--undo 提交 `… ✗ …`）。在前置信息写着",
    ]
    assert (
        "  --author AUTHOR  提交作者 '姓名 <邮箱>'（默认：$KAM_AUTHOR，否则 git 的用户\n"
        "                   ）；名字写在勾旁边\n"
    ) not in result.out  # a closing mark never starts a line
    assert "  --undo           取消勾选这一步\n" in result.out


def test_the_lang_of_kam_init_is_the_repositorys_not_the_readers(kam) -> None:  # type: ignore[no-untyped-def]
    result = kam("init", "DIR", "--lang", "zh", "--help")
    assert result.out.startswith("usage: kam init [-h] [--lang {en,zh}] [--today DATE] DIR\n")
    assert "  --lang {en,zh}  language of settings and playbooks\n" in result.out
    chinese = kam("--lang", "zh", "init", "--lang", "en", "--help")
    assert "  --lang {en,zh}  设置和打法模板的语言\n" in chinese.out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["set"], "kam: 缺少必需的参数：ID, KEY=VALUE"),
        (
            ["risks", "--severity", "bogus"],
            "kam: 参数 --severity：无效的选择：'bogus'（可选：'low', 'medium', 'high'）",
        ),
        (["list", "--bogus"], "kam: 无法识别的参数：--bogus"),
        (["show", "acme", "--today"], "kam: 参数 --today：需要一个参数值"),
        (["show", "acme", "--today", "30.11."], "kam: 参数 --today：'30.11.' 不是日期（写作 YYYY-MM-DD）"),
        (["sync", "--continue", "--abort"], "kam: 参数 --abort：不能与参数 --continue 同时使用"),
    ],
)
def test_argparse_refusals_are_chinese(kam, argv: list[str], said: str) -> None:  # type: ignore[no-untyped-def]
    result = kam("--lang", "zh", *argv)
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0].startswith("用法：kam ")
    assert lines[-1] == said


def test_an_intermixed_commands_usage_keeps_its_name_in_chinese(kam) -> None:  # type: ignore[no-untyped-def]
    """argparse's intermixed parse cuts 7 characters ("usage: ") off the usage it keeps."""
    result = kam("--lang", "zh", "set")
    assert result.err.splitlines()[0].startswith("用法：kam set [-h] [-m MESSAGE]")


# Words that may stay English in Chinese help: commands, codes, list and file names.
CODES = {*RISK_CODES, *STAGES, *LOG_LISTS, "team", "sales", "margin", "stock-in", "sell-through", "receivables"}
CODES |= {"overdue", "survey", "development", "maintenance", "staged-exit", "language", "markdown", "libyaml"}
CODES |= {"rebase", "pre-commit", "base", "ours", "theirs", "path", "YYYY-Qn"}


def _english_words(text: str) -> set[str]:
    """Words of four letters or more a person reads, outside code: `spans`, {choices}, --flags,
    METAVARS, paths and dotted keys."""
    text = re.sub(r"`[^`]*`|\{[^}]*\}|\S*[/._=$]\S*|(?<![\w-])--?[\w-]+", " ", text)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", text) if not word.isupper()}


def test_every_commands_help_is_chinese_but_for_codes() -> None:
    parser = build_parser()
    parsers = [parser, *subcommand_parsers(parser)]
    commands = {
        name for p in parsers for a in p._actions if isinstance(a, argparse._SubParsersAction) for name in a.choices
    }
    with in_language("zh"):
        english = {p.prog: _english_words(p.format_help()) - CODES - commands for p in parsers}
    assert {prog: words for prog, words in english.items() if words} == {}


# argparse's messages kam's catalogue leaves out: raised only by a mistake in kam's own parser
# definitions, or by features kam does not use (FileType, nargs=N, deprecation, default help).
NOT_FOR_PEOPLE = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    'argument "-" with mode %r',
    "can't open '%(filename)s': %(error)s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "conflicting option string: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "expected %s argument",
    "%r is not callable",
    "%(prog)s: error: %(message)s\n",  # kam's Parser.error says it as `kam: …`
    " (default: %(default)s)",
    "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated",
    "argument '%(argument_name)s' is deprecated",
    "%(prog)s: warning: %(message)s\n",
}


def test_every_message_argparse_can_show_a_person_is_in_the_catalogue() -> None:
    """Fails on a Python whose argparse says something new: translate it in kam.po."""
    found = extract_from_file("python", argparse.__file__, keywords={"_": None, "ngettext": (1, 2)})
    messages = {message if isinstance(message, str) else message[0] for _line, message, _c, _ctx in found}
    assert messages - NOT_FOR_PEOPLE - set(ARGPARSE_MESSAGES) == set()


def test_kam_schema_in_chinese(kam) -> None:  # type: ignore[no-untyped-def]
    """The format's reference in the reader's language (docs/schema.md, generated, is the English one)."""
    result = kam("--lang", "zh", "schema")
    lines = result.out.splitlines()
    assert lines[:3] == [
        "# 客户文件（格式 v1）",
        "",
        "每个客户一个文件：`accounts/<id>.yaml`。只有 `id` 和 `name` 必填。",
    ]
    assert "| `ratings.capital` | 1–5 | 资金实力评分 |" in lines
    assert "| `periods.YYYY-Qn.sales` | 金额 ≥ 0 | 本季度对该客户的销售额 |" in lines
    table = "\n".join(line.split("|")[3] for line in lines if line.startswith("| `"))
    assert _english_words(table) - {"open", "done", "dropped", "survey"} == set()
