"""A scorecard weight of 0 switches a dimension off: `kam validate` accepts it, `kam score ID` and
`--explain` work and show the dimension as off, and it never counts towards the score."""

from __future__ import annotations

import json
import re

import pytest
from conftest import copy_samples
from scoring_support import DIMENSIONS

from kam_tui.store.repository import Repository

DAY = "2026-12-01"


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_a_zero_weight_switches_the_dimension_off(repo: Repository, kam, dimension: str) -> None:  # type: ignore[no-untyped-def]
    copy_samples(repo, "sanjiang-auto", "fenghua-pharma")
    settings = repo.root / "kam.yaml"
    text, count = re.subn(rf"(\n  {dimension}:\n    weight: )[0-9.]+", r"\g<1>0", settings.read_text())
    assert count == 1
    settings.write_text(text)
    root = str(repo.root)
    assert kam("--repo", root, "validate").code == 0
    for name in ("sanjiang-auto", "fenghua-pharma"):
        shown = kam("--repo", root, "score", name, "--explain", "--today", DAY)
        assert shown.code == 0, shown.err
        row = next(line for line in shown.out.splitlines() if line.startswith(f"{dimension} "))
        assert row.split()[1:3] == ["0", "off"] and "off: weight 0 in kam.yaml" in row
        data = json.loads(kam("--repo", root, "score", name, "--json", "--today", DAY).out)
        off = next(d for d in data["dimensions"] if d["name"] == dimension)
        assert (off["weight"], off["points"], off["share"], off["off"]) == (0, None, 0, True)
        assert sum(d["share"] for d in data["dimensions"]) == pytest.approx(1.0, abs=0.01)
