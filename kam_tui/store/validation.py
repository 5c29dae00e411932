"""`kam validate`: every problem of every file, reported together."""

from __future__ import annotations

import os
from pathlib import Path

from kam_tui.i18n import _
from kam_tui.model.dates import future_findings, quarter_of
from kam_tui.model.problems import Problem
from kam_tui.store.catalog import Catalog, load_catalog
from kam_tui.store.playbook_validation import validate_playbook_files
from kam_tui.store.files import Unreadable, read_regular
from kam_tui.store.repository import SETTINGS_FILE, Repository, locate, read_account_file, settings_from_bytes
from kam_tui.store.snapshot import load_now
from kam_tui.store.yamlread import parse_bytes


def validate_repository(repo: Repository) -> list[Problem]:
    problems = repo.load_settings()[1]
    catalog = load_catalog(repo)
    problems += catalog.problems
    for leftover in repo.leftovers():
        problems.append(
            Problem(
                repo.rel(leftover),
                0,
                0,
                "warning",
                _("temporary file left by an interrupted save; kam removes it on the next change"),
            )
        )
    problems += validate_playbook_files(repo, None) or []
    problems += [
        Problem(
            path,
            0,
            0,
            "error",
            _("unmerged ({how}): a merge is unfinished").format(how=how),
            _("resolve the file and commit it"),
        )
        for path, how in repo.unmerged()
    ]
    if any(p.level == "error" and p.path == SETTINGS_FILE for p in problems):
        return problems  # scoring needs valid settings; their errors are reported above
    return problems + future_dates(repo, catalog)


def future_dates(repo: Repository, catalog: Catalog) -> list[Problem]:
    """Warnings for figures of a quarter not begun and a `since` after today, with their lines:
    the cached facts say which files to read (writes refuse these; files edited by hand or
    written before kam did can still hold them)."""
    snap = load_now(repo, catalog=catalog)  # the catalog just read: its files are not scanned again
    day = snap.today
    current = quarter_of(day)
    out: list[Problem] = []
    for f in snap.facts:
        if (f.last_period or "") > current or (f.since is not None and f.since > day):
            rel = snap.files[f.id][0]
            doc = parse_bytes((repo.root / rel).read_bytes())
            out += locate(rel, doc, future_findings(doc.data, day, "warning"))
    return out


def validate_paths(repo: Repository | None, paths: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".md")) if path.is_dir() else [path]
        for file in files:
            problems += _validate_file(repo, file)
    return problems


def _validate_file(repo: Repository | None, path: Path) -> list[Problem]:
    shown = repo.rel(path) if repo else str(path)
    if not os.path.lexists(path):
        return [Problem(shown, 0, 0, "error", _("no such file"))]
    if path.name == SETTINGS_FILE:
        try:
            raw = read_regular(path) or b""
        except Unreadable as exc:
            return [Problem(shown, 1, 1, "error", f"{path.name} {exc}")]
        return [Problem(shown, p.line, p.col, p.level, p.message, p.hint) for p in settings_from_bytes(raw)[1]]
    if repo is not None:
        found = validate_playbook_files(repo, path)
        if found is not None:
            return found
    return read_account_file(shown, path).problems
