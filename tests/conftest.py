"""Shared fixtures: an isolated git identity and home, a fresh kam repository, and `kam` in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed, so a red run is reproducible, never luck;
# locally hypothesis keeps exploring (and replays what it found from its database).
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

from kam_tui.cli import main  # noqa: E402  (after the hypothesis profile)
from kam_tui.store.init import init_repository  # noqa: E402
from kam_tui.store.repository import Repository  # noqa: E402


ISOLATED_ENV_UNSET = (
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_DATE",
    "KAM_REPO",
    "KAM_AUTHOR",
    "KAM_TODAY",
    "GIT_DIR",
    "KAM_LANG",  # the reader's language: English unless a test asks for another
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
)


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No git or kam run under `monkeypatch` reads the developer's git config, writes as them, or
    takes their repository, date or language: one git identity in a fresh `home`."""
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ISOLATED_ENV_UNSET:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's git config or writes as them."""
    isolate(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(init_repository(tmp_path / "repo", "en"))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def kam(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `kam ARGS` in-process from a folder; returns exit code and captured output."""

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def git(root: Path, *args: str) -> str:
    """git as a person without kam's pre-commit hook runs it (a clone without `kam setup`),
    so tests can commit the broken files kam must cope with."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.hooksPath=/dev/null", *args], check=True, capture_output=True, text=True
    ).stdout


def commit_all(root: Path, message: str) -> None:
    """Commit everything in the work tree, as a person would by hand."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").strip())


def write_account(repo: Repository, account_id: str, text: str | bytes, commit: bool = True) -> Path:
    path = repo.accounts_dir / f"{account_id}.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    if commit:
        git(repo.root, "add", "--", str(path))
        git(repo.root, "commit", "-q", "-m", f"add {account_id}")
    return path


SAMPLES = Path(__file__).resolve().parent.parent / "accounts"  # the project's sample accounts


def copy_samples(repo: Repository, *names: str) -> None:
    """Copy the sample accounts `names` (all of them unless named) into `repo`, uncommitted."""
    for path in [SAMPLES / f"{name}.yaml" for name in names] or sorted(SAMPLES.glob("*.yaml")):
        shutil.copy(path, repo.accounts_dir / path.name)


ACME = "id: acme\nname: Acme\nstage: active\nowner: wang\n"


def write_acme(repo: Repository, extra: str = "") -> int:
    """Commit acme (active, owned by wang), `extra` lines after its own; the commit count after it."""
    write_account(repo, "acme", ACME + extra)
    return commit_count(repo.root)


def zh_acme(folder: Path) -> Repository:
    """A Chinese repository (`kam init --lang zh`) at `folder`/repo with acme committed (`write_acme`)."""
    repo = Repository(init_repository(folder / "repo", "zh"))
    write_acme(repo)
    return repo


def assert_acme_untouched(repo: Repository, commits: int) -> None:
    """Nothing was saved: still `commits` commits, acme's file as `write_acme` wrote it."""
    assert commit_count(repo.root) == commits
    assert (repo.accounts_dir / "acme.yaml").read_text(encoding="utf-8") == ACME


def kam_process(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run kam as a real process, as a user would."""
    return subprocess.run([sys.executable, "-m", "kam_tui", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session", name="demo_template")
def demo_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo repository, built once per test process (4–5 s with its history: built per
    module, it was a minute of every suite run) under the same isolated git identity as
    `isolated_git` (a session fixture cannot use that function-scoped one)."""
    from kam_tui.store.demo import build_demo  # loaded by the tests that use a demo only

    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, tmp_path_factory.mktemp("template-home"))
        return build_demo(tmp_path_factory.mktemp("template") / "demo")


@pytest.fixture(name="demo")
def demo_fixture(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo repository (git history included) for one test to change."""
    return Path(shutil.copytree(demo_template, tmp_path / "demo", symlinks=True))
