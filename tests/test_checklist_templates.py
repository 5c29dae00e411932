"""Playbook templates behind checklists: a malformed template or checklist reported by validate
with file and line, a changed template shown but never applied, the other language's template,
a Chinese repository, hostile step text escaped, and a refused attach leaving nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checklist_support import EXIT, FAKE, HELD, TODAY, Kam, as_user, changed_files, show
from checklist_support import as_wang_fixture, exiting_fixture  # noqa: F401  (fixtures)
from conftest import commit_all, commit_count, git, write_account
from kam_tui.store.checklist_history import tick_history
from kam_tui.store.init import init_repository
from kam_tui.store.repository import Repository
from kam_tui.store.shipped import shipped_playbooks


# --- templates: validation, drift, the other language ---------------------------------------------


def test_malformed_template_reported_by_validate(repo: Repository, kam: Kam) -> None:
    (repo.root / "playbooks/bad.md").write_text(
        "---\ntitle: Bad\nstages: [actve]\ntitel: x\n---\n## Go\n- [ ] fine\n  - [ ] nested\n", encoding="utf-8"
    )
    result = kam("--repo", str(repo.root), "validate")
    assert result.code == 1
    assert "playbooks/bad.md:3: error: stages: 'actve' is not a lifecycle stage (did you mean 'active'?)" in result.out
    assert "playbooks/bad.md:4: warning: unknown front matter key 'titel' (did you mean 'title'?)" in result.out
    assert "playbooks/bad.md:8: error: nested steps are not supported" in result.out
    one = kam("--repo", str(repo.root), "validate", str(repo.root / "playbooks/bad.md"))
    assert one.code == 1 and "playbooks/bad.md:8: error" in one.out


def test_front_matter_yaml_error_has_file_line(repo: Repository, kam: Kam) -> None:
    (repo.root / "playbooks/bad.md").write_text(
        "---\ntitle: ok\nstages: [a, !!python/object x]\n---\n## S\n- [ ] x\n", encoding="utf-8"
    )
    result = kam("--repo", str(repo.root), "validate", str(repo.root / "playbooks/bad.md"))
    assert result.code == 1 and "playbooks/bad.md:3:" in result.out and "tags" in result.out


def test_attach_refuses_a_broken_template(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    (repo.root / "playbooks/bad.md").write_text("## S\n- [ ] ok\n-[ ] broken\n")
    commit_all(repo.root, "bad")
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "bad")
    assert result.code == 2 and "playbooks/bad.md:3: error" in result.err
    assert not (repo.root / "checklists").exists()


def test_checklists_validated_too(exiting: Repository, kam: Kam) -> None:
    path = exiting.root / EXIT
    path.write_text(
        path.read_text(encoding="utf-8").replace("- [ ] Tighten its sales policy", "- [x] Tighten its sales policy"),
        encoding="utf-8",
    )
    (exiting.root / "checklists/ghost").mkdir()
    (exiting.root / "checklists/ghost/maintenance.md").write_text("## S\n- [ ] x\n")
    result = kam("--repo", str(exiting.root), "validate")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "Tighten" in text)
    assert f"{EXIT}:{line}: warning: ticked without a date and a name" in result.out
    assert "checklists/ghost/maintenance.md: warning: checklist of an account that does not exist" in result.out


def test_template_change_is_shown_never_applied(exiting: Repository, kam: Kam) -> None:
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "1")
    attached = (exiting.root / EXIT).read_bytes()
    template = exiting.root / "playbooks/staged-exit.md"
    text = template.read_text(encoding="utf-8")
    text = text.replace("- [ ] Tighten its sales policy\n", "- [ ] Tighten its sales policy in writing\n")
    template.write_text(text, encoding="utf-8")
    git(exiting.root, "commit", "-qam", "reword a step")
    data = json.loads(kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit", "--json").out)
    assert sorted((d["change"], d["text"]) for d in data["template"]["differences"]) == [
        ("added", "Tighten its sales policy in writing"),
        ("removed", "Tighten its sales policy"),
    ]
    result = kam("--repo", str(exiting.root), "checklist", "acme-motors", "staged-exit")
    assert "has changed since: 2 step(s) differ" in result.err
    assert "+ Tighten its sales policy in writing" in result.err
    kam("--repo", str(exiting.root), "check", "acme-motors", "staged-exit", "2")
    after = (exiting.root / EXIT).read_bytes()
    assert after.count(b"\n") == attached.count(b"\n") and b"Tighten its sales policy\n" in after
    assert json.loads(kam("--repo", str(exiting.root), "checklists", "--json").out)[0]["template"] == {
        "exists": True,
        "differences": 2,
    }


def test_other_language_one_command_away(repo: Repository, kam: Kam, as_wang: None) -> None:
    result = kam("--repo", str(repo.root), "playbook", "add", "staged-exit", "--lang", "zh")
    assert result.code == 0, result.err
    rel = "playbooks/staged-exit-zh.md"
    assert (repo.root / rel).read_bytes() == shipped_playbooks("zh")["staged-exit"].read_bytes()
    assert changed_files(repo.root) == [rel]
    assert show(repo.root)[0] == "playbooks: add staged-exit-zh (zh template of staged-exit)"
    assert kam("--repo", str(repo.root), "playbook", "add", "staged-exit", "--lang", "zh").code == 2
    # the copy follows the staged-exit rules
    write_account(repo, "acme-motors", FAKE)
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "staged-exit-zh").code == 0
    during = kam("--repo", str(repo.root), "check", "acme-motors", "staged-exit-zh", "9", "--force", "--reason", "x")
    assert during.code == 0 and "forced past the network rule" in during.err
    assert (repo.root / "accounts/acme-motors.yaml").read_text().count("stage: exiting") == 1
    listed = json.loads(kam("--repo", str(repo.root), "playbook", "list", "--json").out)
    assert "staged-exit-zh" in [t["name"] for t in listed["templates"]]


def test_playbook_add_restores_a_deleted_template(repo: Repository, kam: Kam) -> None:
    git(repo.root, "rm", "-q", "playbooks/development.md")
    git(repo.root, "commit", "-qm", "drop development")
    write_account(repo, "beta", "id: beta\nname: Beta\n")
    missing = kam("--repo", str(repo.root), "attach", "beta", "development")
    assert missing.code == 2 and "`kam playbook add development`" in missing.err
    result = kam("--repo", str(repo.root), "playbook", "add", "development")
    assert result.code == 0, result.err
    assert (repo.root / "playbooks/development.md").read_bytes() == shipped_playbooks("en")["development"].read_bytes()
    assert kam("--repo", str(repo.root), "playbook", "add", "nosuch").code == 2


def test_chinese_repository(tmp_path: Path, kam: Kam, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repository(init_repository(tmp_path / "zh", "zh"))
    write_account(repo, "changfeng", "id: changfeng\nname: 长丰批发\nstage: at-risk\nnetwork_held: 0.1\n")
    as_user(monkeypatch, "王伟")
    assert kam("--repo", str(repo.root), "attach", "changfeng", "staged-exit").code == 0
    text = (repo.root / "checklists/changfeng/staged-exit.md").read_text(encoding="utf-8")
    assert f"> kam 清单：staged-exit，{TODAY} 由 王伟 启用\n" in text
    assert (
        kam(
            "--repo", str(repo.root), "check", "changfeng", "staged-exit", "领导出面", "--force", "--reason", "先谈"
        ).code
        == 0
    )
    assert show(repo.root)[2] == [f"- [x] 领导出面杯酒释兵权 — {TODAY} 王伟 — 强制：先谈"]
    assert show(repo.root)[0] == "changfeng: staged-exit ✓ 领导出面杯酒释兵权"
    events = tick_history(repo, "changfeng")
    assert events[-1].tick is not None and events[-1].tick.reason == "先谈"


def test_hostile_step_text_is_escaped(repo: Repository, kam: Kam, as_wang: None) -> None:
    write_account(repo, "acme-motors", HELD)
    (repo.root / "playbooks/evil.md").write_text("## S\n- [ ] Paint \x1b[31mred\x1b[0m now\n")
    commit_all(repo.root, "evil")
    assert kam("--repo", str(repo.root), "attach", "acme-motors", "evil").code == 0
    escaped = "Paint \\x1b[31mred\\x1b[0m now"
    for args, shown in (
        (("checklist", "acme-motors", "evil"), escaped),
        (("checklists",), escaped),  # as the oldest open step
        (("check", "acme-motors", "evil", "1"), "evil ✓ Paint ?[31mred?[0m now"),  # the commit's subject
        (("checklist", "acme-motors", "--history"), escaped),
    ):
        result = kam("--repo", str(repo.root), *args)
        assert result.code == 0, (args, result.err)
        assert "\x1b" not in result.out + result.err, args
        assert shown in result.out, (args, result.out)


def test_a_refused_attach_leaves_no_empty_folder(repo: Repository, kam: Kam, as_wang: None) -> None:
    """A commit refused by a hook puts everything back: no checklists/ID/ folder is left behind."""
    write_account(repo, "acme-motors", HELD)
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'not today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = commit_count(repo.root)
    result = kam("--repo", str(repo.root), "attach", "acme-motors", "maintenance")
    assert result.code == 2
    assert not (repo.root / "checklists" / "acme-motors").exists()
    assert commit_count(repo.root) == before and git(repo.root, "status", "--porcelain") == ""
