"""Long work (a cold read of many files, an import, the demo's history) shows how far it has got on
stderr when stderr is a terminal, on one line that is cleared at the end; piped, stderr stays quiet."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from conftest import commit_all

from kam_tui.cli import main
from kam_tui.cli import progress as cli_progress
from kam_tui.store.progress import EVERY
from kam_tui.store.repository import Repository

ACCOUNT = "id: a{n:04d}\nname: Account {n}\nowner: li\n"


class Terminal(io.StringIO):
    """stderr as a person's terminal."""

    def isatty(self) -> bool:
        return True


def _many(repo: Repository, count: int) -> None:
    for n in range(count):
        (repo.accounts_dir / f"a{n:04d}.yaml").write_text(ACCOUNT.format(n=n), encoding="utf-8")
    commit_all(repo.root, "accounts")


def _kam(monkeypatch: pytest.MonkeyPatch, stderr: io.StringIO, *args: str) -> int:
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    return main(list(args))


def test_a_cold_read_counts_the_files_on_a_terminal_then_clears_its_line(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many(repo, EVERY + 10)
    monkeypatch.setattr(cli_progress, "DELAY", 0.0)
    monkeypatch.setattr(cli_progress, "REDRAW", 0.0)
    err = Terminal()
    assert _kam(monkeypatch, err, "--repo", str(repo.root), "list") == 0
    text = err.getvalue()
    assert f"\r\x1b[2Kkam: reading account files… {EVERY:,} of {EVERY + 10:,}" in text
    assert text.endswith("\r\x1b[2K")  # the line is gone before the shell's prompt


def test_the_count_speaks_the_readers_language(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(repo, EVERY + 10)
    monkeypatch.setattr(cli_progress, "DELAY", 0.0)
    monkeypatch.setattr(cli_progress, "REDRAW", 0.0)
    err = Terminal()
    assert _kam(monkeypatch, err, "--repo", str(repo.root), "--lang", "zh", "list") == 0
    assert f"kam: 正在读取客户档案… {EVERY:,} / {EVERY + 10:,}" in err.getvalue()


def test_quick_work_draws_nothing(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under DELAY seconds nothing is drawn, so a warm command never flickers."""
    _many(repo, EVERY + 10)
    monkeypatch.setattr(cli_progress, "DELAY", 3600.0)
    err = Terminal()
    assert _kam(monkeypatch, err, "--repo", str(repo.root), "list") == 0
    assert err.getvalue() == ""


def test_piped_stderr_hears_nothing(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    _many(repo, EVERY + 10)
    monkeypatch.setattr(cli_progress, "DELAY", 0.0)
    err = io.StringIO()
    assert _kam(monkeypatch, err, "--repo", str(repo.root), "list") == 0
    assert err.getvalue() == ""


def test_an_import_counts_its_rows_and_the_files_it_writes(
    repo: Repository, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _many(repo, EVERY + 10)
    table = tmp_path / "q.csv"
    rows = [f"a{n:04d},2026-Q1,{1000 + n}" for n in range(EVERY + 10)]
    table.write_text("id,period,sales\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(cli_progress, "DELAY", 0.0)
    monkeypatch.setattr(cli_progress, "REDRAW", 0.0)
    err = Terminal()
    code = _kam(monkeypatch, err, "--repo", str(repo.root), "import", "periods", str(table), "--today", "2026-05-01")
    assert code == 0, err.getvalue()
    text = err.getvalue()
    assert f"kam: checking the rows… {EVERY:,} of {EVERY + 10:,}" in text
    assert f"kam: writing files… {EVERY:,} of {EVERY + 10:,}" in text
