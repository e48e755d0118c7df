"""Build the indicator rows of one catalogue sheet: selection, wording, scores, gold facts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from analysis.synth.concepts import Concept
from analysis.synth.county import Unit
from analysis.synth.wording import choose_name, make_criteria, method_text, traditional

OWNER_UNITS = {
    "组织": "县委组织部",
    "党建": "县委组织部",
    "职能": "县委组织部",
    "应急": "县应急管理局",
    "生态": "县生态环境局",
    "信访": "县信访局",
    "农业": "县农业农村局",
    "宣传": "县委宣传部",
    "统战": "县委统战部",
    "政法": "县委政法委员会",
    "纪委": "县纪委监委",
    "发改": "县发展和改革局",
    "财政": "县财政局",
    "卫健": "县卫生健康委员会",
    "教育": "县教育局",
    "民政": "县民政局",
    "自然": "县自然资源局",
    "河长": "县河长办",
    "市监": "县市场监督管理局",
    "人社": "县人力资源和社会保障局",
    "住建": "县住房和城乡建设局",
    "文旅": "县文化广电旅游局",
    "网信": "县委网络安全和信息化委员会办公室",
    "统计": "县统计局",
    "水利": "县水利局",
    "林业": "县林业局",
    "医保": "县医疗保障局",
    "退役": "县退役军人事务局",
    "督查": "县委办公室",
    "项目": "县发展和改革局",
    "工委": "县直机关工作委员会",
}


@dataclass
class Row:
    """One indicator row as written, with its gold facts."""

    concept: Concept
    level1: str
    level2: str
    name: str
    criteria: str
    assessor: str
    target: str
    tags: list[str]
    method: str = ""
    goal: str = ""
    score: float | None = None
    score_text: str = ""
    bonus: bool = False
    traditional: bool = False
    wording: str = ""


@dataclass
class SheetSpec:
    """What one catalogue sheet assesses and how its rows are worded and scored."""

    sheet: str
    owner: str
    codes: str
    target: str
    title: str = ""
    subtitle: str = ""
    layout: object = None
    total: float = 100
    sub_levels: bool = False
    level1s: tuple[str, ...] = ()
    level2s: tuple[str, ...] = ()
    require_tags: tuple[str, ...] = ()
    units: list[Unit] = field(default_factory=list)
    trad: float = 0.0
    dups: float = 0.0
    convert: bool = False
    lead: bool = False
    canonical: float = 0.5
    synonym: float = 0.25
    multiline: bool = False
    goals: bool = False
    share: float = 1.0
    assessor: str = ""


def select(concepts: list[Concept], spec: SheetSpec) -> list[Concept]:
    """Concepts this sheet assesses, in topic order."""
    out = []
    for c in concepts:
        owned = spec.owner in c.owners or (c.level1 in spec.level1s and spec.owner != "组织")
        targets = c.owner_targets.get(spec.owner, c.targets)
        if not owned or not any(code in targets for code in spec.codes):
            continue
        if spec.level2s and c.level2 not in spec.level2s:
            continue
        if spec.require_tags and not set(spec.require_tags) & set(c.tags):
            continue
        out.append(c)
    return out


def assessor_of(concept: Concept, spec: SheetSpec) -> str:
    """The scoring body: the row's 牵头单位 where the sheet has one, else the sheet's owner."""
    if spec.lead:
        return concept.lead or OWNER_UNITS.get(concept.owners[0], OWNER_UNITS[spec.owner])
    return spec.assessor or OWNER_UNITS[spec.owner]


def make_row(concept: Concept, spec: SheetSpec, rng: random.Random, target: str, avoid="") -> Row:
    """Word one occurrence of `concept` for this sheet."""
    name = choose_name(concept, rng, spec.canonical, spec.synonym, avoid)
    tags = list(concept.tags)
    if spec.convert and "convert_annual" not in tags:
        tags.append("convert_annual")
    borrowed = concept.owners[0] != spec.owner and spec.owner in concept.owners
    level1 = concept.level2 if spec.sub_levels and not borrowed else concept.level1
    level2 = "" if spec.sub_levels else concept.level2
    criteria = make_criteria(concept, rng, spec.multiline, spec.total / 100)
    row = Row(concept, level1, level2, name, criteria, "", "", tags)
    row.assessor = assessor_of(concept, spec)
    row.target = target
    row.method = method_text(concept, rng)
    if spec.trad and rng.random() < spec.trad:
        row.name, row.criteria, row.traditional = traditional(name), traditional(row.criteria), True
    return row


def build_rows(concepts: list[Concept], spec: SheetSpec, rng: random.Random) -> list[Row]:
    """All indicator rows of the sheet, grouped by level 1 in first-seen order."""
    chosen = select(concepts, spec)
    if spec.share < 1:
        keep = {id(c) for c in rng.sample(chosen, round(len(chosen) * spec.share))}
        chosen = [c for c in chosen if id(c) in keep]
    if spec.units:
        rows = [
            make_row(c, spec, rng, u.name)
            for u in spec.units
            for c in chosen
            if c.unit in ("", u.name)
        ]
        for row in rows:
            row.level1, row.level2 = row.target, ""
            row.goal = goal_text(row, rng) if spec.goals else ""
        return rows
    rows = [make_row(c, spec, rng, spec.target) for c in chosen]
    rows += _within_duplicates(rows, spec, rng)
    order = {l1: i for i, l1 in enumerate(dict.fromkeys(r.level1 for r in rows))}
    return sorted(rows, key=lambda r: order[r.level1])


def goal_text(row: Row, rng: random.Random) -> str:
    """A town's target value for an outcome indicator (目标值)."""
    name = row.name
    if any(word in name for word in ("事故", "火灾", "死亡", "案件")):
        return f"控制在{rng.randint(0, 3)}起（人）以内"
    if "数" in name or name.startswith(("新增", "新签约")):
        return f"{rng.randint(1, 6)}个"
    if "增" in name:
        return f"增长{rng.choice((5, 6, 6.5, 7, 7.5, 8, 9, 10))}%"
    if "率" in name or "比" in name:
        return f"{rng.choice((85, 90, 95, 100))}%"
    return f"{rng.randint(4, 60) / 2:g}亿元"


def _within_duplicates(rows: list[Row], spec: SheetSpec, rng: random.Random) -> list[Row]:
    """Reworded repeats under another heading (相互涵盖): the same concept twice in one sheet."""
    heads = list(dict.fromkeys(r.level1 for r in rows))
    pool = [r for r in rows if not {"veto", "bonus"} & set(r.tags) and len(r.concept.forms) > 1]
    if len(heads) < 2 or not pool or not spec.dups:
        return []
    picks = rng.sample(pool, max(1, round(len(rows) * spec.dups)))
    extra = []
    for first in picks:
        row = make_row(first.concept, spec, rng, spec.target, avoid=first.name)
        if row.name == first.name:
            continue
        row.level1 = rng.choice([h for h in heads if h != first.level1])
        row.level2 = next((r.level2 for r in reversed(rows) if r.level1 == row.level1), "")
        extra.append(row)
    return extra
