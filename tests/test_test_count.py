"""./check's last line counts the tests from pytest's JUnit report, so CI sees what ran."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "test_count.py"


def _count(path: Path) -> str:
    spec = importlib.util.spec_from_file_location("test_count_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.count(str(path)))


def test_the_count_line_names_passed_failed_and_skipped(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest" tests="10" failures="1" errors="1" skipped="2"/></testsuites>'
    )
    assert _count(report) == "tests: 6 passed, 2 failed, 2 skipped"
