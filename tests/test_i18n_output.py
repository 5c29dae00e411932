# ruff: noqa: E501  (account data and expected output are kept as the lines they are)
"""The main commands in Chinese, exactly, for a small repository: a Chinese reader meets no English
except ids, codes and data."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from kam_tui.store.init import init_repository

ACCOUNT = """\
id: acme
name: 三江汽车
stage: active
owner: wang
since: 2016-01-10
payment_terms: credit
credit_limit: 1000000
network_held: 0.2
ratings: {capital: 4, network: 3, logistics: 4, relations: 4, staff: 3, vision: 4, management: 3, marketing: 3, credit: 3}
periods:
  2026-Q1: {sales: 900000, gross_margin: 0.12, orders: 3, stock_in: 1500000, sell_through: 900000, receivables: 800000, overdue: 300000}
  2026-Q2: {sales: 900000, gross_margin: 0.12, orders: 3, stock_in: 1600000, sell_through: 900000, receivables: 900000, overdue: 350000}
  2026-Q3: {sales: 900000, gross_margin: 0.12, orders: 3, stock_in: 1700000, sell_through: 900000, receivables: 1100000, overdue: 400000}
"""
ENGLISH = re.compile(r"[A-Za-z_]{3,}")
ALLOWED = {  # ids, codes, data, commands and file names
    "acme",
    "attach",  # `kam attach ID staged-exit`, a command
    "wang",
    "stuffing",
    "collection",
    "control",
    "neglect",
    "policy",
    "margin",
    "dependency",
    "high",
    "medium",
    "low",
    "sales",
    "frequency",
    "years",
    "strength",
    "capability",
    "credit",
    "satisfaction",
    "strategic",
    "partial",
    "cash",
    "network_held",
    "risks",
    "in_hand",
    "CNY",
    "invest",
    "grow",
    "maintain",
    "manage",
    "for",
    "withdraw",
    "development",
    "maintenance",
    "staged",
    "exit",
    "take",
    "network",
    "first",
    "terms",
    "split",
    "territory",
    "keep",
    "sales_12m",
    "quarters",
    "periods",
    "gross_margin",
    "orders_per_year",
    "since",
    "as_of",
    "average",
    "rated",
    "credit_rating",
    "overdue_ratio",
    "Herfindahl",
    "kam",
    "validate",
    "min_coverage",
    "tiers",
    "unscored",
    "yaml",
    "company_sales",
    "True",
    "False",
    "receivables",
    "sales_",
    "annual_volume",
    "quarters_on_file",
    "last_figures",
}


@pytest.fixture
def zh_repo(tmp_path: Path, kam) -> Path:  # type: ignore[no-untyped-def]
    root = init_repository(tmp_path / "repo", "zh")
    (root / "accounts" / "acme.yaml").write_text(ACCOUNT, encoding="utf-8")
    return root


def _english(text: str) -> list[str]:
    return sorted({w for w in ENGLISH.findall(text) if w not in ALLOWED})


@pytest.mark.parametrize(
    "args",
    [
        ("score", "acme", "--explain"),
        ("risks",),
        ("assess", "acme"),
        ("portfolio",),
        ("score",),
    ],
)
def test_a_chinese_reader_meets_no_english_words(kam, zh_repo: Path, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo), *args, "--today", "2026-11-01")
    assert result.code == 0, result.err
    assert _english(result.out + result.err) == []


def test_kam_assess_in_chinese_exactly(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo), "assess", "acme", "--today", "2026-11-01")
    assert result.out == EXPECTED_ASSESS


def test_the_same_command_in_english_is_unchanged(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = kam("--repo", str(zh_repo), "--lang", "en", "assess", "acme", "--today", "2026-11-01")
    assert result.out.startswith("三江汽车  (acme) · tier ")
    assert "1. Do we still make money on it?\n" in result.out


EXPECTED_ASSESS = """\
三江汽车  (acme) · B 级（重点客户） · 截至 2026-11-01

1. 我们在这个客户身上还赚钱吗？
   是 — 近 12 个月按实际销量计毛利 324,000（占销售额 12.0%）；风险：未售出库存 2,100,000，逾期款 400,000
2. 是顺差还是逆差（他欠我们的 vs 我们欠他的）？
   逆差 — 顺差/逆差按应收账款对比我们欠他的（保证金、返利、折让）计，2026-Q3：他欠我们 1,100,000，我们欠他 0：一旦断交，1,100,000 有收不回的风险
3. 我们还能控制住他吗（是否掌握他的下线网络）？
   否 — network_held 20% < 60%：先抓住他的下线网络

建议：变赊销为现结（cash-terms）
  - collection：2026-Q3 应收账款 36% 逾期（1,100,000 中 400,000）；应收账款 1,100,000 超过信用额度 1,000,000；应收账款周转天数上升 81 → 91 → 112
  - stuffing：3 个季度进货量 4,800,000，实际销量 2,700,000（1.78×）；其中 3 个季度库存增加（+2,100,000）
  - 下一步：付款方式 credit → partial（赊销 → 部分现款 → 全现款）
"""


def test_validation_messages_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """What is wrong with a value, as `kam set` refuses it and `kam validate` finds it (the path and
    the level stay as typed and parsed; the message follows the language)."""
    refused = kam("--repo", str(zh_repo), "set", "acme", "since=31.12")
    assert (refused.code, refused.err) == (2, "kam: since: '31.12' 不是日期（请写成 YYYY-MM-DD）\n")
    (zh_repo / "accounts" / "acme.yaml").write_text(ACCOUNT.replace("stage:", "stagee:").replace("1000000", "-5"))
    found = kam("--repo", str(zh_repo), "validate").out
    assert "accounts/acme.yaml:3:1: warning: 未知的键 'stagee' (是不是想写 'stage'？)\n" in found
    assert "accounts/acme.yaml:7:15: error: credit_limit: -5 不能为负数\n" in found


def test_kam_list_validate_and_due_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    listed = kam("--repo", str(zh_repo), "list", "--today", "2026-11-01")
    assert listed.out.splitlines()[0].split() == [
        "编号",
        "名称",
        "阶段",
        "客户经理",
        "销售区域",
        "得分",
        "等级",
        "风险",
    ]
    due = kam("--repo", str(zh_repo), "due", "--today", "2026-11-01")
    assert due.out.splitlines()[0].split() == ["到期", "类别", "客户", "条目", "客户经理", "事项"]
    assert due.err.startswith("截至 2026-11-01，共 ")
    assert kam("--repo", str(zh_repo), "validate").err == "没有发现问题\n"


def test_kam_due_in_chinese_exactly(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """The agenda's free texts and the table around them follow the reader; kinds stay codes."""
    account = zh_repo / "accounts" / "acme.yaml"
    account.write_text(ACCOUNT + "complaints:\n  - {opened: 2026-10-30, summary: 漏发货}\n", encoding="utf-8")
    result = kam("--repo", str(zh_repo), "due", "--today", "2026-11-01")
    assert (result.code, result.out, result.err) == (
        0,
        "到期                        类别       客户  条目          客户经理  事项\n"
        "2016-04-09（逾期 3858 天）  visit      acme                wang      每 90 天拜访一次；尚未拜访\n"
        "2026-11-01（今天）          complaint  acme  complaints.1  wang      48 小时内答复：漏发货\n",
        "截至 2026-11-01，共 2 项到期\n",
    )
    english = kam("--repo", str(zh_repo), "--lang", "en", "due", "--today", "2026-11-01", "--owner", "wang")
    assert "visit every 90 days; no visit yet\n" in english.out
    assert english.err == "2 item(s) due for wang as of 2026-11-01\n"


def test_kam_yaml_problems_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """kam.yaml's own problems (settings and scorecard rules) follow the reader; path, line, column
    and level stay as editors parse them."""
    (zh_repo / "kam.yaml").write_text(
        "language: zh\nlanguge: zh\nvisit_cadence: {A: 0, D: 3}\nsurveys: {action_days: 0}\n"
        "policies:\n  B:\n    payment_terms: [cash, credti]\n    visit_days: 3\n",
        encoding="utf-8",
    )
    result = kam("--repo", str(zh_repo), "validate")
    assert result.code == 1
    assert result.out == (
        "kam.yaml:2:1: warning: 未知的设置项 'languge' (是不是想写 'language'？)\n"
        "kam.yaml:3:20: error: visit_cadence.A：'0' 不是大于 0 的整天数\n"
        "kam.yaml:3:23: error: visit_cadence：未知的等级 'D'（应为 A、B 或 C）\n"
        "kam.yaml:4:24: error: surveys.action_days：'0' 不是 1–3650 之间的整天数\n"
        "kam.yaml:7:20: error: policies.B.payment_terms: 'credti' 不在可选值 credit, partial, cash 之中; "
        "是不是想写 'credit'？ (该等级可用的付款方式)\n"
        "kam.yaml:8:5: error: 未知的键 'policies.B.visit_days' "
        "(各等级的拜访周期在 visit_cadence 中设置，例如 visit_cadence: {A: 30})\n"
    )


def test_kam_new_and_empty_value_refusals_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    repo = ("--repo", str(zh_repo))
    null = kam(*repo, "set", "acme", "since=null")
    assert (null.code, null.err) == (
        2,
        "kam: since=null：kam 不保存空值\n"
        "提示：要删除这个键，请写 `since=`（= 后面什么都不写）或 `kam unset ID since`；"
        "如果要的是文字“null”，请加引号：since='\"null\"'\n",
    )
    bad_id = kam(*repo, "new", "Bad Id", "--name", "x")
    assert (bad_id.code, bad_id.err) == (
        2,
        "kam: “Bad Id”不是有效的客户 id：只能用小写字母、数字和“-”，以字母或数字开头，最多 64 个字符\n",
    )
    exists = kam(*repo, "new", "acme", "--name", "x")
    assert (exists.code, exists.err) == (2, "kam: 客户“acme”已存在（accounts/acme.yaml）\n")
    assert kam(*repo, "new", "ok", "--name", " ").err == "kam: 客户需要一个名称（--name）\n"
    assert kam(*repo, "new", "ok", "--name", "x", "id=y").err == (
        "kam: kam new 中不能赋值 id：id 由 ID 给出，名称由 --name 给出\n"
    )


def test_score_explain_names_the_dimensions_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """Dimension names are labels in the reader's language (the dimension credit is 信用, never the
    payment term 赊销); the codes stay in JSON."""
    repo = ("--repo", str(zh_repo))
    out = kam(*repo, "score", "acme", "--explain", "--today", "2026-11-01").out.splitlines()
    assert "合作年限  10    11%   100   自 2016-01-10 起合作（10.8 年）→ 100 分" in out
    credit = [line for line in out if line.startswith("信用  ")]
    assert credit == [
        "信用      10    11%   25    评分 3（满分 5，50 分）；2026-Q3 应收账款逾期 36%（0 分）；付款表现占 50% → 25 分"
    ]
    english = kam(*repo, "--lang", "en", "score", "acme", "--explain", "--today", "2026-11-01").out.splitlines()
    assert any(line.startswith("credit        10") for line in english)
    data = json.loads(kam(*repo, "score", "acme", "--explain", "--json", "--today", "2026-11-01").out)
    assert [d["name"] for d in data["dimensions"]] == [
        "sales", "margin", "frequency", "years", "strength", "capability", "credit", "satisfaction", "strategic"
    ]  # fmt: skip


BROKEN_PLAYBOOK = """\
---
title: 回款
stagse: [active]
---
## 准备
- [ ] 核对应收账款
- [ ] 核对应收账款
## 准备
## 跟进
  - [ ] 嵌套的步骤
"""


def test_playbook_problems_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """What is wrong with a playbook, as `kam validate` finds it: the parser's, the whole-file checks'
    and the front matter's messages and hints follow the language."""
    (zh_repo / "playbooks" / "broken.md").write_text(BROKEN_PLAYBOOK, encoding="utf-8")
    result = kam("--repo", str(zh_repo), "validate")
    assert result.code == 1
    found = [line for line in (result.out + result.err).splitlines() if line.startswith("playbooks/broken.md")]
    assert found == [
        "playbooks/broken.md:3: warning: 未知的前置信息键 'stagse' (是不是想写 'stages'？)",
        "playbooks/broken.md:7: warning: 与第 6 行的步骤相同 (按文字执行 kam check 时无法区分它们；请用序号，或改写其中一个)",
        "playbooks/broken.md:8: error: 阶段 '准备' 出现了两次（第一次在第 5 行） (给每个阶段起不同的名称)",
        "playbooks/broken.md:9: warning: 阶段 '跟进' 没有步骤",
        "playbooks/broken.md:10: error: 不支持嵌套步骤 (步骤是行首的 '- [ ] 内容'；请把它改成独立的步骤或普通的说明文字)",
    ]


def test_the_key_account_mark_in_kam_score_is_dakehu_in_chinese(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    """The volume mark "key" is 大客户; kam.yaml's "key" (a report's rule-change table) is 设置项: one
    English word, two messages (pgettext contexts)."""
    settings = zh_repo / "kam.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("company_sales: null", "company_sales: 20000000"))
    result = kam("--repo", str(zh_repo), "score", "--today", "2026-11-01")
    assert (result.out, result.err) == (
        "编号  得分  等级  销量    风险\nacme  51.6  B     大客户  stuffing, collection, control, neglect\n",
        "大客户：按销量认定的大客户，占公司销售额的比例\n已为 1 个客户评分，截至 2026-11-01\n",
    )
    english = kam("--repo", str(zh_repo), "--lang", "en", "score", "--today", "2026-11-01")
    assert english.out.splitlines()[1].split()[3] == "key"


LOGGED = """\
targets:
  2026-Q3: {sales: 1000000}
visits:
  - {date: 2026-10-20, by: wang, summary: 盘点库存, next: 催款}
complaints:
  - {opened: 2026-10-21, answered: 2026-10-22, summary: 漏发货}
surveys:
  - {date: 2026-10-25, product: 2, service: 4, brand: 3, comment: 价格偏高}
contacts:
  - {name: 李明, role: 采购经理, phone: '13800000000'}
actions:
  - {what: 跟进低分, owner: wang, due: 2026-11-08, status: open, opened: 2026-10-25, source: 满意度调查 2026-10-25}
"""


def test_kam_show_in_chinese_exactly(kam, zh_repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Labels, table headers, severity words and the target line follow the reader; codes and data stay."""
    (zh_repo / "accounts" / "acme.yaml").write_text(ACCOUNT + LOGGED, encoding="utf-8")
    monkeypatch.setenv("KAM_TODAY", "2026-11-01")
    result = kam("--repo", str(zh_repo), "show", "acme")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "三江汽车  (acme)\n"
        "等级          B · 得分 51.5 · 截至 2026-11-01\n"
        "大客户        按销量认定：占本仓库客户的销售额（未设置 company_sales）的 100%\n"
        "              在 kam.yaml 中把 company_sales 设为公司年销售额，例如 `company_sales: 250000000`\n"
        "类别          经销商（未设置）\n"
        "阶段          active\n"
        "客户经理      wang\n"
        "合作起始      2016-01-10\n"
        "付款方式      credit\n"
        "信用额度      1,000,000\n"
        "掌握下线网络  20%\n"
        "评分          capital 4, network 3, logistics 4, relations 4, staff 3, vision 4, management 3, marketing 3, credit 3\n"
        "\n"
        "风险  代码        原因\n"
        "中    stuffing    3 个季度进货量 4,800,000，实际销量 2,700,000（1.78×）；其中 3 个季度库存增加（+2,100,000）\n"
        "高    collection  2026-Q3 应收账款 36% 逾期（1,100,000 中 400,000）；应收账款 1,100,000 超过信用额度 1,000,000；应收…\n"
        "中    control     我们只直接掌握其下线网络的 20%（低于 30%）\n"
        "\n"
        "目标 2026-Q3：销售额 900,000，目标 1,000,000 (90%)，实际销量 900,000\n"
        "\n"
        "季度     销售额   毛利率  订货次数  进货量     实际销量  应收账款   逾期\n"
        "2026-Q1  900,000  12.0%   3         1,500,000  900,000   800,000    300,000\n"
        "2026-Q2  900,000  12.0%   3         1,600,000  900,000   900,000    350,000\n"
        "2026-Q3  900,000  12.0%   3         1,700,000  900,000   1,100,000  400,000\n"
        "\n"
        "改进措施   状态  到期        客户经理  事项      来源\n"
        "actions.1  open  2026-11-08  wang      跟进低分  满意度调查 2026-10-25\n"
        "\n"
        "拜访      日期        拜访人  内容      下一步\n"
        "visits.1  2026-10-20  wang    盘点库存  催款\n"
        "\n"
        "投诉          受理        答复        解决  答复用时  内容\n"
        "complaints.1  2026-10-21  2026-10-22        1 天      漏发货\n"
        "\n"
        "满意度调查  日期        产品  服务  品牌  意见\n"
        "surveys.1   2026-10-25  2     4     3     价格偏高\n"
        "\n"
        "联系人      名称  职务      电话         邮箱\n"
        "contacts.1  李明  采购经理  13800000000\n"
    )
    english = kam("--repo", str(zh_repo), "--lang", "en", "show", "acme").out
    assert "RISK    CODE        WHY\nmedium  stuffing" in english and "1 d" in english


def test_history_changes_and_refusals_in_chinese_exactly(kam, zh_repo: Path) -> None:  # type: ignore[no-untyped-def]
    repo = ("--repo", str(zh_repo))
    assert kam(*repo, "history", "acme").out == "提交  日期  提交人  说明\n"  # not committed yet
    assert kam(*repo, "changes").out == "自第一个提交以来客户档案和清单没有变化\n"
    assert kam(*repo, "check", "acme", "staged-exit", "99").err == (
        "kam: acme 没有清单“staged-exit”（已启用：无）；用 `kam attach acme staged-exit` 启用它\n"
    )
    assert kam(*repo, "set", "acme", "since=2026-13-01").err == (
        "kam: since：无法把 '2026-13-01' 读作一个值：不是真实存在的日期：2026-13-01\n"
    )
    git = ("git", "-C", str(zh_repo), "-c", "user.name=wang", "-c", "user.email=w@x")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "acme", "--date=2026-11-01T10:00:00"], check=True)
    changes = kam(*repo, "changes").out.splitlines()
    assert changes[0] == "自第一个提交以来共 1 次提交，涉及 1 个客户"
    assert "      id: （无） → acme" in changes
    assert kam(*repo, "history", "acme").out.splitlines()[0].split() == ["提交", "日期", "提交人", "说明"]


def test_review_status_and_report_in_chinese(kam, zh_repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What a review still misses reads in Chinese around the field names; an empty table says 无."""
    account = zh_repo / "accounts" / "acme.yaml"
    account.write_text(ACCOUNT.replace("2026-Q3: {sales: 900000, gross_margin: 0.12, ", "2026-Q3: {"), encoding="utf-8")
    git = ("git", "-C", str(zh_repo), "-c", "user.name=wang", "-c", "user.email=w@x")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "acme"], check=True)
    monkeypatch.setenv("KAM_TODAY", "2026-11-01")
    repo = ("--repo", str(zh_repo))
    assert kam(*repo, "review", "plan", "2026-Q3").code == 0
    status = kam(*repo, "review", "status", "2026-Q3")
    assert (status.code, status.out) == (
        1,
        "考核 2026-Q3：1 个客户中 0 个数据齐全（0%）；数据截止 2026-10-10\n"
        "\n"
        "客户  负责人  缺少\n"
        "acme  wang    2026-Q3：sales，gross_margin；满意度调查\n"
        "\n"
        "待交数据：wang 1\n",
    )
    report = kam(*repo, "review", "report", "2026-Q3").out
    assert "_无_" in report and "_none_" not in report
    html = kam(*repo, "review", "report", "2026-Q3", "--format", "html").out
    assert '<p class="note">无</p>' in html and ">none<" not in html


def test_which_step_refusals_in_chinese_exactly(kam, zh_repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAM_TODAY", "2026-11-30")
    repo = ("--repo", str(zh_repo))
    attach = ("attach", "acme", "development", "--force", "--reason", "测试")  # acme is active
    assert kam(*repo, *attach, "--author", "li <li@example.com>").code == 0
    assert kam(*repo, "check", "acme", "development", "1", "--author", "li <li@example.com>").code == 0
    errors = [
        kam(*repo, "check", "acme", "development", *args).err
        for args in (("99",), ("1",), ("2", "--undo"), ("毛利水平x",), ("核",), ("3", "--note", "a\x01b"))
    ]
    assert errors == [
        "kam: acme development: 没有第 99 步；步骤序号为 1 到 30\n",
        "kam: 第 1 步“对照5%标准核算年采购量”已经打勾（2026-11-30，li）；先用 --undo 取消\n",
        "kam: 第 2 步“核算毛利水平，不只看销售额”没有打勾；无需撤销\n",
        "kam: acme development: 没有步骤包含“毛利水平x”\n",
        "kam: acme development: “核”对应 2 个步骤：1 '对照5%标准核算年采购量'; 2 '核算毛利水平，不只看销售额'。请用序号，或多写几个字\n",
        "kam: 备注含有控制字符（U+0001）\n",
    ]


def test_repository_refusals_in_chinese_exactly(kam, zh_repo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAM_LANG", "zh")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kam("--repo", str(empty), "list").err == (
        f"kam: {empty} 不是 kam 仓库（那里没有 kam.yaml）\n提示：用 `kam init 目录` 新建一个，或用 `kam demo` 在示例数据上试用 kam\n"
    )
    assert kam("init", str(zh_repo)).err == f"kam: {zh_repo} 已经是 kam 仓库\n"
    (empty / "x.txt").write_text("x")
    assert kam("init", str(empty)).err == f"kam: {empty} 不是空文件夹；kam init 需要一个新的或空的文件夹\n"


def test_why_a_tier_moved_between_revisions_is_in_chinese() -> None:
    """`kam score --since` and the review report say why a tier moved in the reader's language;
    the move itself (`C → B: `) stays the prefix the report cuts off."""
    import datetime as dt

    from kam_tui.i18n import in_language
    from kam_tui.model.account import account_from_data
    from kam_tui.model.scorecard import scoring_config_from_data
    from kam_tui.model.timetravel import tier_change

    config = scoring_config_from_data({})[0]
    day = dt.date(2026, 11, 1)
    old = account_from_data({"id": "acme", "name": "A", "stage": "active"})
    figures = {f"2026-Q{q}": {"sales": 4_000_000, "gross_margin": 0.2, "orders": 12} for q in (1, 2, 3)}
    new = account_from_data({"id": "acme", "name": "A", "stage": "active", "periods": figures, "strategic": True})
    with in_language("zh"):
        change = tier_change(old, config, day, new, config, day)
        same = tier_change(new, config, day, new, config, day)
    assert change.why.startswith(f"{change.before or '–'} → {change.after or '–'}: 数据变了（")
    assert same.why == f"两个版本都是 {same.after} 级"
