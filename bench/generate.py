"""Generate a synthetic kam repository for benchmarks.

    python bench/generate.py 10000 /tmp/kam-bench [--seed 7]

Creates DIR as a git repository holding `kam.yaml` and `accounts/` with N
accounts (ids `acct-000001` ...) in the same schema and hand-written style as
the sample accounts, then makes one commit. The output is deterministic: the
same N, seed and git version give the same files and the same commit id, and
account i is the same whatever N is, so a small run is a prefix of a big one.

Text is written with f-strings rather than a YAML dumper: a dumper would be
slow at 10,000 files and would not produce the flow-mapping style kam users
write by hand. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

QUARTERS = ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
QUARTER_START = tuple(date(int(q[:4]), 3 * int(q[-1]) - 2, 1) for q in QUARTERS)
SEASON = {"Q1": 0.88, "Q2": 1.0, "Q3": 1.0, "Q4": 1.15}
FIRST_DAY = date(2024, 10, 1)
TODAY = date(2026, 11, 28)
COMMIT_DATE = "2026-11-28T12:00:00+08:00"

# The same small team as the sample accounts.
ZH_HANDLES = ("wang", "li", "zhang", "chen")
EN_HANDLES = ("sarah", "mike")
STAGE_WEIGHTS = {
    "active": 62,
    "developing": 12,
    "at-risk": 8,
    "prospect": 6,
    "exiting": 5,
    "exited": 7,
}


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Split a compact vocabulary string into its words (or sep-separated phrases)."""
    return tuple(w.strip() for w in text.split(sep) if w.strip())


def _table(text: str) -> list[tuple[str, ...]]:
    """Parse 'a|b|c; d|e|f' into [('a', 'b', 'c'), ('d', 'e', 'f')] (keeps vocab compact)."""
    return [tuple(row.strip().split("|")) for row in text.split(";") if row.strip()]


RATING_KEYS = _words("capital network logistics relations staff vision management marketing credit")

# English industry | Chinese industry | English name word | Chinese name word
INDUSTRIES = _table(
    "consumer electronics|消费电子|Electronics|电子;"
    "food and beverage wholesale|食品饮料批发|Foods|食品;"
    "building materials|建材|Building Supply|建材;"
    "medical consumables|医疗耗材|Medical Supplies|医疗器械;"
    "appliance retail|家电零售|Appliances|电器; auto parts|汽车配件|Auto Parts|汽配;"
    "office supplies|办公用品|Office Supplies|办公用品; packaging|包装材料|Packaging|包装;"
    "hardware and tools|五金工具|Hardware|五金; daily chemicals distribution|日化分销|Trading|商贸;"
    "HVAC engineering|暖通工程|HVAC|暖通; textiles|纺织|Textiles|纺织"
)
# city | region | area code
ZH_CITIES = _table(
    "杭州|华东|0571; 苏州|华东|0512; 南京|华东|025; 合肥|华东|0551; 济南|华东|0531; 青岛|华东|0532;"
    "北京|华北|010; 天津|华北|022; 石家庄|华北|0311; 广州|华南|020; 深圳|华南|0755; 武汉|华中|027;"
    "长沙|华中|0731; 郑州|华中|0371; 成都|西南|028; 重庆|西南|023; 西安|西北|029; 兰州|西北|0931;"
    "沈阳|东北|024; 大连|东北|0411"
)
ZH_BRANDS = _table(
    "华信|huaxin; 恒达|hengda; 鑫源|xinyuan; 永盛|yongsheng; 金桥|jinqiao; 宏远|hongyuan;"
    "瑞丰|ruifeng; 新天|xintian; 博源|boyuan; 中和|zhonghe; 德润|derun; 嘉禾|jiahe;"
    "汇通|huitong; 安泰|antai; 天成|tiancheng; 盛世|shengshi; 同创|tongchuang; 东方|dongfang;"
    "联华|lianhua; 富源|fuyuan"
)
ZH_SURNAMES = _table(
    "王|wang; 李|li; 张|zhang; 刘|liu; 陈|chen; 杨|yang; 赵|zhao; 黄|huang; 周|zhou; 吴|wu; 徐|xu;孙|sun; 马|ma; 朱|zhu"
)
ZH_GIVEN = _words("伟 芳 娜 敏 静 磊 洋 勇 艳 杰 军 涛 明 超 秀英 建国 晓燕 志强 海涛 丽华")
ZH_ROLES = _words("总经理 采购总监 采购经理 财务经理 供应链经理 仓储主管 运营总监 技术负责人")
EN_REGIONS = _table("east|21; north|10; south|20; west|28; central|27")
EN_PREFIXES = _words(
    "Northfield Bluestone Silverline Oakridge Harbor Summit Pioneer Crescent Evergreen Granite "
    "Lakeshore Sterling Westgate Brightpath Ironbridge Pinecrest Riverside Highland Atlas Beacon "
    "Cobalt Falcon Horizon Keystone Orion Vanguard"
)
EN_SUFFIXES = ("Co., Ltd.", "Group", "Inc.", "Ltd.", "")
EN_FIRST = _words(
    "Kevin Linda Daniel Grace Ethan Helen Richard Amy Tom Nina Victor Rachel Peter Monica George Wendy Jason Cindy"
)
EN_LAST = _words("Zhou Xu Park Wen Lu Tan Yang Deng Huang Qiu Ho Sun Chan Wu Lin Cao Smith Miller")
EN_ROLES = _words(
    "General Manager, Procurement Manager, Purchasing Specialist, Finance Manager,"
    "Supply Chain Lead, Warehouse Supervisor, Director of Operations, Accounts Payable",
    ",",
)

# Activity text. Placeholders: {c} a contact's name, {n} a small number.
# Kept free of ": " and " #" so every line is a valid plain YAML scalar.
EN_SUMMARIES = (
    "Quarterly review with {c}. Volumes in line with plan, no open issues.",
    "{c} asked for longer payment terms; we stay at the current terms for now.",
    "Visited their warehouse. Stock levels look healthy and rotation is good.",
    "Presented the new product line; they will test samples in {n} stores.",
    "Went through last quarter's late delivery with {c}; credit note accepted.",
    "{c} mentioned a competitor offered a lower price on the core range.",
    "Annual contract renewal, prices unchanged, rebate tiers adjusted.",
    "Planned a joint promotion for the holiday season with {c}.",
    "Payment was delayed by their ERP migration and cleared within two weeks.",
    "Met the new purchasing manager; the relationship needs rebuilding.",
)
EN_NEXT = (
    "Send the updated price list by month end",
    "Follow up on the sample test results",
    "Schedule the next quarterly review",
    "Prepare the promotion plan with marketing",
    "Check the overdue invoices with finance",
    "Bring the product engineer on the next visit",
    "Confirm the delivery schedule for next quarter",
)
ZH_SUMMARIES = (
    "季度例会，与{c}核对销量，进度符合计划，没有遗留问题。",
    "{c}提出延长账期，已说明暂时维持现有政策。",
    "走访仓库，库存正常，周转良好。",
    "介绍新品，对方准备在 {n} 家门店试销。",
    "与{c}沟通上季度到货延误，对方接受补偿方案。",
    "{c}透露竞品在主力产品上报价更低，需要关注。",
    "年度合同续签，价格不变，返利档位有调整。",
    "与{c}商定节前联合促销方案。",
    "对方系统切换导致回款延迟，两周内已结清。",
    "新任采购经理到任，关系需要重新建立。",
)
ZH_NEXT = (
    "月底前发新版价格表",
    "跟进样品测试结果",
    "安排下次季度例会",
    "与市场部准备促销方案",
    "与财务核对逾期账款",
    "下次带技术人员拜访",
    "确认下季度发货计划",
)
EN_COMPLAINTS = (
    "Short delivery of {n} cartons; replacement shipped.",
    "Damaged packaging on one shipment.",
    "Invoice billed at list price instead of contract price.",
    "Wrong product revision delivered.",
    "Delivery arrived {n} days late and held up their production.",
)
ZH_COMPLAINTS = (
    "一批货少发 {n} 箱，已补发。",
    "一批到货外包装破损。",
    "发票按目录价开具，未按合同价。",
    "送错了产品型号。",
    "到货晚了 {n} 天，影响对方生产。",
)
# Survey comments: the first two are praise, picked when the scores are good.
EN_SURVEY = (
    "Happy overall",
    "Good support from the account manager",
    "Delivery could be faster",
    "Prices are high against competitors",
    "Want more promotion support",
)
ZH_SURVEY = (
    "总体满意",
    "客户经理服务到位",
    "交期希望再快一些",
    "价格比竞品偏高",
    "希望多一些促销支持",
)
EN_NOTES = {
    "active": "Steady account; keep the quarterly visit rhythm.",
    "developing": "Development plan in progress; first orders are cash only.",
    "at-risk": "Watch stock-in against sell-through and the overdue trend.",
    "prospect": "Prospect from market research; no contract yet.",
    "exiting": "Staged exit. Take over the downstream network, clear stock, collect the money.",
    "exited": "Relationship closed; kept for history.",
}
ZH_NOTES = {
    "active": "稳定客户，保持每季度拜访。",
    "developing": "开发计划执行中，首批订单一律现款。",
    "at-risk": "关注进货与实际销量的差距以及逾期走势。",
    "prospect": "市场调研识别的潜在客户，尚未签约。",
    "exiting": "分步退出：先抓下线网络，清库存，收回欠款。",
    "exited": "合作已结束，档案保留备查。",
}


@dataclass
class _Profile:
    """The random choices that shape one account; the text is written from these."""

    zh: bool
    stage: str
    owner: str
    team: list[str]
    since: date | None
    terms: str
    fake: bool  # a fake big account: stocks in far more than it sells on
    quality: float  # drives ratings and survey scores
    exit_q: int  # index of the quarter of the final settlement, when stage is exited


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random date in [start, end]."""
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _money(x: float) -> int:
    """Round a money amount to whole thousands, never below zero."""
    return max(0, round(x / 1000.0) * 1000)


def _profile(rng: random.Random, zh: bool) -> _Profile:
    """Pick stage, people, start date and payment terms with a realistic portfolio mix."""
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    handles = ZH_HANDLES if zh else EN_HANDLES
    owner = rng.choice(handles) if rng.random() < 0.85 else rng.choice(ZH_HANDLES + EN_HANDLES)
    others = [h for h in rng.sample(handles, 2) if h != owner]
    team = [owner, *others[: rng.randrange(0, 2)]]
    since: date | None = None
    if stage == "developing":
        since = _rand_date(rng, date(2024, 6, 1), date(2026, 6, 30))
    elif stage != "prospect":
        latest = date(2023, 12, 31) if stage == "exited" else date(2024, 9, 30)
        since = _rand_date(rng, date(2006, 1, 1), latest)
    if stage in ("prospect", "developing", "exited"):
        terms = "cash"
    else:
        terms = rng.choice(("credit", "credit", "partial", "cash"))
    fake = stage == "at-risk" and rng.random() < 0.4
    return _Profile(zh, stage, owner, team, since, terms, fake, rng.uniform(1.5, 4.5), rng.randrange(3, 8))


def _periods(rng: random.Random, p: _Profile) -> list[str]:
    """Quarterly figure lines, one flow mapping per quarter."""
    if p.stage == "prospect":
        quarters = [7] if rng.random() < 0.4 else []
    else:
        first = 0
        if p.since is not None and p.since > QUARTER_START[0]:
            first = next((i for i, q in enumerate(QUARTER_START) if q >= p.since), 7)
        quarters = list(range(first, (p.exit_q if p.stage == "exited" else 7) + 1))
    base = min(6_000_000.0, max(60_000.0, rng.lognormvariate(13.7, 0.9)))
    declining = p.stage in ("at-risk", "exiting", "exited")
    trend = rng.gauss(-0.07 if declining else 0.01, 0.035)
    margin = rng.uniform(0.0, 0.045) if rng.random() < 0.06 else rng.uniform(0.06, 0.24)
    freq = rng.choice(("monthly", "quarterly", "frequent", "frequent", "irregular"))
    late = rng.random() < 0.2 or declining
    lines = []
    for k, qi in enumerate(quarters):
        q = QUARTERS[qi]
        sales = base * (1 + trend) ** qi * SEASON[q[-2:]] * rng.uniform(0.94, 1.06)
        orders = {"monthly": 3, "quarterly": 1, "irregular": rng.choice((0, 1, 1, 2))}.get(freq, 0)
        if freq == "frequent":
            orders = max(2, int(sales / rng.uniform(60_000, 200_000)))
        if p.stage == "prospect":
            sales, orders = rng.uniform(20_000, 80_000), 1
        if p.stage == "exited" and k == len(quarters) - 1:
            orders = 0
        if orders == 0:
            sales = 0.0
        sold = sales * (rng.uniform(0.35, 0.6) if p.fake else rng.uniform(0.96, 1.03))
        ratio = {"credit": rng.uniform(0.35, 0.7), "partial": rng.uniform(0.12, 0.35)}
        receivables = _money(sales * ratio.get(p.terms, 0.0) * ((1 + 0.15 * k) if p.fake else 1))
        overdue = receivables * rng.uniform(0.05, 0.4) if late and rng.random() < 0.7 else 0.0
        gm = f"gross_margin: {margin + rng.uniform(-0.008, 0.008):.3f}, " if sales else ""
        s = _money(sales)
        lines.append(
            f"  {q}: {{sales: {s}, {gm}orders: {orders}, stock_in: {s}, "
            f"sell_through: {_money(sold)}, receivables: {receivables}, "
            f"overdue: {min(_money(overdue), receivables)}, "
            f"owed_to_account: {_money(sales * rng.uniform(0.02, 0.1))}}}\n"
        )
    return lines


def _contacts(rng: random.Random, zh: bool, area: str, domain: str) -> tuple[list[str], list[str]]:
    """Contact entries (2-4) and the contact names, for use in visit text."""
    lines, people = ["contacts:\n"], []
    for _ in range(rng.randrange(2, 5)):
        if zh:
            (sur, sur_py), given = rng.choice(ZH_SURNAMES), rng.choice(ZH_GIVEN)
            person, role = f"{sur}{given}", rng.choice(ZH_ROLES)
            if rng.random() < 0.6:
                phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            else:
                phone = f"{area}-{rng.randrange(10**7, 10**8)}"
            mail = f"{sur_py}{rng.randrange(100, 999)}@{domain}"
        else:
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            person, role = f"{first} {last}", rng.choice(EN_ROLES)
            phone = f"+86 {area} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"
            mail = f"{first.lower()}.{last.lower()}@{domain}"
        people.append(person)
        lines.append(f'  - name: {person}\n    role: {role}\n    phone: "{phone}"\n    email: {mail}\n')
    return lines, people


def _activity(rng: random.Random, p: _Profile, people: list[str]) -> list[str]:
    """Visits (3-6), complaints (0-2, a few still open) and surveys (1-2)."""
    neglected = p.stage in ("active", "at-risk") and rng.random() < 0.05
    last = date(2026, 1, 31) if neglected else TODAY  # neglected: no visit for 10 months
    if p.stage == "exited":
        last = min(TODAY, QUARTER_START[p.exit_q] + timedelta(days=85))
    first = max(FIRST_DAY, p.since or date(2026, 6, 1))
    if first > last - timedelta(days=30):
        first = last - timedelta(days=120)
    summaries, nexts = (ZH_SUMMARIES, ZH_NEXT) if p.zh else (EN_SUMMARIES, EN_NEXT)
    out = ["visits:\n"]
    for when in sorted(_rand_date(rng, first, last) for _ in range(rng.randrange(3, 7))):
        text = rng.choice(summaries).format(c=rng.choice(people), n=rng.randrange(3, 30))
        out.append(
            f"  - date: {when.isoformat()}\n    by: {rng.choice(p.team)}\n"
            f"    summary: {text}\n    next: {rng.choice(nexts)}\n"
        )
    if p.stage == "prospect":
        return out
    n_complaints = rng.choice((0, 0, 1, 1, 2))
    if n_complaints:
        out.append("complaints:\n")
        end = last - timedelta(days=3)
        for opened in sorted(_rand_date(rng, first, end) for _ in range(n_complaints)):
            text = rng.choice(ZH_COMPLAINTS if p.zh else EN_COMPLAINTS).format(n=rng.randrange(2, 15))
            out.append(f"  - opened: {opened.isoformat()}\n")
            closed = opened + timedelta(days=rng.randrange(1, 30))
            if closed <= TODAY and (p.stage == "exited" or rng.random() < 0.85):
                out.append(f"    closed: {closed.isoformat()}\n")
            out.append(f"    summary: {text}\n")
    out.append("surveys:\n")
    for when in sorted(_rand_date(rng, first, last) for _ in range(rng.randrange(1, 3))):
        product, service, brand = (min(5, max(1, round(p.quality + rng.gauss(0.3, 0.9)))) for _ in range(3))
        comments = ZH_SURVEY if p.zh else EN_SURVEY
        good = product + service + brand >= 12
        comment = rng.choice(comments[:2] if good else comments[2:])
        out.append(
            f"  - date: {when.isoformat()}\n    product: {product}\n    service: {service}\n"
            f"    brand: {brand}\n    comment: {comment}\n"
        )
    return out


def account_text(i: int, seed: int = 7) -> str:
    """The YAML text of account number i (1-based) for this seed."""
    rng = random.Random(seed * 1_000_003 + i)
    zh = rng.random() < 0.5
    p = _profile(rng, zh)
    ind_en, ind_zh, word_en, word_zh = rng.choice(INDUSTRIES)
    if zh:
        city, region, area = rng.choice(ZH_CITIES)
        brand, slug = rng.choice(ZH_BRANDS)
        name, industry = f"{city}{brand}{word_zh}有限公司", ind_zh
        domain = f"{slug}{rng.randrange(10, 99)}.com.cn"
    else:
        region, area = rng.choice(EN_REGIONS)
        prefix = rng.choice(EN_PREFIXES)
        name, industry = f"{prefix} {word_en} {rng.choice(EN_SUFFIXES)}".strip(), ind_en
        domain = f"{prefix.lower()}-{word_en.split()[0].lower()}.com"
    credit_limit = 0 if p.terms == "cash" else _money(rng.lognormvariate(13.3, 0.8))
    strategic = "true" if rng.random() < 0.08 else "false"
    out = [
        f"# {'自动生成的压测客户' if zh else 'generated benchmark account'} (seed {seed})\n",
        f"id: acct-{i:06d}\nname: {name}\nstage: {p.stage}\nowner: {p.owner}\nteam:\n",
    ]
    out += [f"  - {h}\n" for h in p.team]
    if p.since is not None:
        out.append(f"since: {p.since.isoformat()}\n")
    out.append(
        f"industry: {industry}\nregion: {region}\npayment_terms: {p.terms}\n"
        f"credit_limit: {credit_limit}\nstrategic: {strategic}\n"
    )
    if rng.random() < 0.02:
        reason = "战略意义高于当前销量，下一年度复核" if zh else "Strategic value above volume"
        when = _rand_date(rng, date(2025, 1, 1), TODAY).isoformat()
        out.append(
            f"tier_override:\n  tier: {rng.choice('ABC')}\n  reason: {reason}\n  by: {p.owner}\n  date: {when}\n"
        )
    scores = (min(5, max(1, round(p.quality + rng.gauss(0, 0.8)))) for _ in RATING_KEYS)
    out.append(f"ratings: {{{', '.join(f'{k}: {v}' for k, v in zip(RATING_KEYS, scores, strict=True))}}}\n")
    if p.stage != "prospect":
        if p.fake:
            held = rng.uniform(0.1, 0.35)
        else:
            held = rng.uniform(0.6, 0.9) if p.stage == "exiting" else rng.uniform(0.2, 0.95)
        out.append(f"network_held: {held:.2f}\n")
    contact_lines, people = _contacts(rng, zh, area, domain)
    out += contact_lines
    periods = _periods(rng, p)
    if periods:
        out.append("periods:\n")
        out += periods
    out += _activity(rng, p, people)
    if zh:
        owner_line = f"负责人：{p.owner}，主要联系人：{people[0]}。"
    else:
        owner_line = f"Owner {p.owner}; main contact {people[0]}."
    out.append(f"notes: |\n  {(ZH_NOTES if zh else EN_NOTES)[p.stage]}\n  {owner_line}\n")
    return "".join(out)


def generate(n: int, dest: Path, seed: int = 7) -> None:
    """Create a git repository at dest with kam.yaml and n generated accounts, in one commit."""
    if n < 0:
        raise ValueError("n must be >= 0")
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not empty")
    accounts = dest / "accounts"
    accounts.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    (dest / "kam.yaml").write_text("language: en\n", encoding="utf-8")
    for i in range(1, n + 1):
        (accounts / f"acct-{i:06d}.yaml").write_text(account_text(i, seed), encoding="utf-8")
    # Fixed dates make the commit id reproducible, so benchmark runs compare like with like.
    env = dict(os.environ, GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
    git = ["git", "-C", str(dest), "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    git += ["-c", "commit.gpgsign=false"]
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", f"generated {n} accounts"], check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: parse N, DIR and --seed, then generate."""
    parser = argparse.ArgumentParser(description="Generate a synthetic kam repository.")
    parser.add_argument("n", type=int, help="number of accounts to generate")
    parser.add_argument("dir", type=Path, help="directory to create (must be absent or empty)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    args = parser.parse_args(argv)
    try:
        generate(args.n, args.dir, seed=args.seed)
    except (FileExistsError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
