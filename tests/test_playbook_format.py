"""The playbook format (docs/playbooks.md) keeps its step numbers: every shipped template, every
checklist the demo attaches and the sample checklists in tests/data/playbooks/ number their
steps exactly as pinned in tests/data/playbooks/step_numbers.json. `kam check ID PLAYBOOK 7`
names a step by that number, in files already in people's repositories, so a change to the
reader that renumbers any of them is a breaking change, not a refactoring."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kam_tui.model.playbook import parse_playbook
from kam_tui.store.demo import build_demo
from kam_tui.store.shipped import shipped_playbooks

DATA = Path(__file__).parent / "data" / "playbooks"
PINNED = DATA / "step_numbers.json"
Numbers = list[list[object]]  # [number, line, stage, text, done] per step


def _numbers(text: str) -> Numbers:
    return [[s.number, s.line, s.stage, s.text, s.done] for s in parse_playbook(text, kind="checklist").steps]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def demo_checklists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    with pytest.MonkeyPatch.context() as mp:
        home = tmp_path_factory.mktemp("home")
        (home / ".gitconfig").write_text("[user]\n\tname = Test User\n\temail = test@example.com\n")
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        root = build_demo(tmp_path_factory.mktemp("demo") / "demo", now=dt.datetime(2026, 12, 1, 9, 0))
    return {f"demo:{p.relative_to(root)}": _read(p) for p in sorted((root / "checklists").glob("*/*.md"))}


@pytest.fixture(scope="module")
def corpus(demo_checklists: dict[str, str]) -> dict[str, str]:
    files = {
        f"shipped:{lang}/{name}.md": _read(path)
        for lang in ("en", "zh")
        for name, path in shipped_playbooks(lang).items()
    }
    files.update({f"sample:{p.name}": _read(p) for p in sorted(DATA.glob("*.md"))})
    files.update(demo_checklists)
    return files


def test_every_known_playbook_keeps_its_step_numbers(corpus: dict[str, str]) -> None:
    """Each file's steps keep their numbers, lines, stages and texts."""
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    changed = {
        name: _numbers(text) for name, text in corpus.items() if name in pinned and _numbers(text) != pinned[name]
    }
    assert not changed, f"step numbers changed in {sorted(changed)}"


def test_every_shipped_demo_and_sample_playbook_is_pinned(corpus: dict[str, str]) -> None:
    """A new shipped template, demo checklist or sample is pinned too: add the entry this prints
    to step_numbers.json after checking it by eye."""
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    missing = {name: _numbers(text) for name, text in corpus.items() if name not in pinned}
    assert not missing, json.dumps(missing, ensure_ascii=False)
    assert set(pinned) == set(corpus), f"pinned but gone: {sorted(set(pinned) - set(corpus))}"


def test_the_demo_attaches_checklists() -> None:
    """The corpus is not empty by accident: the pinned file covers checklists of the demo."""
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert sum(name.startswith("demo:") for name in pinned) >= 3
    assert sum(name.startswith("shipped:") for name in pinned) == 6
    assert all(pinned.values())
