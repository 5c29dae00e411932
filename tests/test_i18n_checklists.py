"""Attaching, ticking and detaching refused in Chinese: a Chinese reader meets no English sentence
(ids, file names and commands stay as they are typed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import zh_acme


@pytest.fixture
def zh_repo(tmp_path: Path) -> Path:
    return zh_acme(tmp_path).root


def test_attaching_twice_says_what_to_do_instead_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    assert kam("--repo", str(zh_repo), "attach", "acme", "maintenance").code == 0
    again = kam("--repo", str(zh_repo), "attach", "acme", "maintenance")
    assert (again.code, again.err) == (
        2,
        "kam: acme 已经启用了 maintenance（checklists/acme/maintenance.md）；见 `kam checklist acme maintenance`。"
        "周期性打法用 `kam attach acme maintenance --new-cycle` 开始下一个周期；"
        "要移除：`kam detach acme maintenance --reason 说明`\n",
    )


def test_a_checklist_not_attached_is_named_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    detached = kam("--repo", str(zh_repo), "detach", "acme", "maintenance", "--reason", "x")
    assert (detached.code, detached.err) == (
        2,
        "kam: acme 没有清单“maintenance”（已启用：无）；用 `kam attach acme maintenance` 启用它\n",
    )


def test_attaching_to_a_broken_account_is_refused_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    (zh_repo / "accounts" / "acme.yaml").write_text("id: acme\nname: ACME\nstage: actve\n", encoding="utf-8")
    refused = kam("--repo", str(zh_repo), "attach", "acme", "maintenance")
    assert refused.code == 2
    assert refused.err.splitlines()[-1] == "kam: accounts/acme.yaml 有错误；请先修正，再启用打法"
