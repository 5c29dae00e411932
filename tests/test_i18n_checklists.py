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


def test_a_stage_that_waits_and_the_network_rule_refuse_in_chinese(zh_repo: Path, kam) -> None:  # type: ignore[no-untyped-def]
    """The refusal says why in Chinese; the way past it (`--force --reason`) is its hint, which the
    TUI leaves out for its own dialog."""
    repo = ("--repo", str(zh_repo))
    assert kam(*repo, "attach", "acme", "staged-exit").code == 0
    waits = kam(*repo, "check", "acme", "staged-exit", "9")
    assert (waits.code, waits.err) == (
        2,
        "kam: 第 9 步属于“事中”阶段，但前面的“事前”阶段还有 8 步未完成："
        "1 '用数据回答三个问题'; 2 '对比进货量和实际销量，查窜货'; 3 '抓住他的下线网络'，另有 5 步\n"
        "提示：先勾完这些，或用 --force --reason 原因 仍然勾选这一步（原因写在勾选旁）\n",
    )
    for number in range(1, 9):
        assert kam(*repo, "check", "acme", "staged-exit", str(number)).code == 0
    network = kam(*repo, "check", "acme", "staged-exit", "9")
    assert network.code == 2
    assert network.err.endswith("记下我们直接覆盖的比例\n提示：用 --force --reason 原因 说明后可强行进入\n")
    assert network.err.startswith("kam: acme：“事中”阶段要等掌握其下线网络后才能开始——")
