"""Concepts: one indicator each, with its wordings, scoring kind, tags, owners and targets.

Topic modules write concepts as compact lines inside `Block`s (see `parse_item`):

    *落实+安全生产责任制/安全生产“党政同责”落实情况 8 扣 ded @政法 !TD

- the first token lists wordings separated by `/`: `动词+宾语` (verb + object, gives the verb
  form and the noun form "宾语动词情况"), `对象=完成率` / `对象=增长率` (measure forms), or a
  literal wording; a leading `*` also puts the concept in the 组织部 annual assessment;
- a number is the base score (points in a 100-point catalogue);
- one Chinese letter from `vocabulary.CRITERIA` picks the criteria kind;
- lowercase codes are tags (`vocabulary.TAG_CODES`);
- `@A,B` adds assessors (owner keys), `@A:XH` only for those targets; `!TD` overrides the
  targets (category codes);
- a line `模板 … | 甲,乙` with `{}` in the template is a family: one concept per member
  (look-alike concepts such as 高血压患者规范管理率 / 2型糖尿病患者规范管理率).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.synth.county import DEPT_CODES
from analysis.synth.vocabulary import CRITERIA, DEFAULT_KIND_BY_TAG, TAG_CODES

ANNUAL = "组织"
MEASURE_FORMS = {
    "完成率": ("{o}完成率", "{o}目标任务完成情况", "完成{o}目标任务"),
    "增长率": ("{o}增长率", "{o}增速", "{o}同比增幅"),
}


@dataclass(frozen=True)
class Block:
    """A group of concepts under one heading, owned by one assessor key."""

    level1: str
    level2: str
    targets: str
    owner: str
    items: str
    lead: str = ""


@dataclass
class Concept:
    """One indicator: `forms[0]` is its canonical wording."""

    cid: str
    level1: str
    level2: str
    forms: list[str]
    obj: str
    score: float = 2.0
    kind: str = ""
    tags: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    targets: str = ""
    lead: str = ""
    unit: str = ""
    owner_targets: dict[str, str] = field(default_factory=dict)


def expand_targets(codes: str) -> str:
    """`expand_targets("TD") == "TPMLES"` (D = the five department categories)."""
    return "".join(DEPT_CODES if c == "D" else c for c in codes)


def wording_forms(part: str) -> tuple[list[str], str]:
    """Wordings and object phrase for one `/`-separated part of a concept line.

    `wording_forms("落实+河长制") == (["落实河长制", "河长制落实情况"], "河长制")`
    """
    if "+" in part:
        verb, obj = part.split("+", 1)
        return [f"{verb}{obj}", f"{obj}{verb}情况"], obj
    if "=" in part:
        obj, measure = part.split("=", 1)
        return [f.format(o=obj) for f in MEASURE_FORMS[measure]], obj
    obj = part.removesuffix("情况").removesuffix("工作")
    return [part], obj


def parse_item(line: str, block: Block, cid: str) -> Concept:
    """Parse one item line of a block into a Concept."""
    tokens = line.split()
    head = tokens[0]
    owners = [block.owner]
    if head.startswith("*"):
        head = head[1:]
        owners.append(ANNUAL)
    forms: list[str] = []
    obj = ""
    for part in head.split("/"):
        part_forms, part_obj = wording_forms(part)
        forms += [f for f in part_forms if f not in forms]
        obj = obj or part_obj
    concept = Concept(cid, block.level1, block.level2, forms, obj, lead=block.lead)
    concept.targets = expand_targets(block.targets)
    for tok in tokens[1:]:
        _apply_token(concept, tok, owners)
    concept.owners = list(dict.fromkeys(owners))
    if not concept.kind:
        concept.kind = next((k for t, k in DEFAULT_KIND_BY_TAG if t in concept.tags), "查")
    rates = [f for f in forms if f.endswith("率")]
    if concept.kind == "率" and rates:
        concept.obj = rates[0]  # "信访积案化解率不低于95%", not "信访积案不低于95%"
    return concept


def _apply_token(concept: Concept, tok: str, owners: list[str]) -> None:
    if tok.startswith("@"):
        names, _, only = tok[1:].partition(":")
        owners.extend(names.split(","))
        concept.owner_targets.update(dict.fromkeys(names.split(","), only) if only else {})
    elif tok.startswith("!"):
        concept.targets = expand_targets(tok[1:])
    elif tok in CRITERIA:
        concept.kind = tok
    elif tok in TAG_CODES:
        concept.tags.append(TAG_CODES[tok])
    else:
        concept.score = float(tok)


def parse_blocks(blocks: list[Block], prefix: str = "C") -> list[Concept]:
    """All concepts of `blocks`, numbered in order (`C0001`, …)."""
    concepts = []
    for block in blocks:
        for line in block.items.strip().splitlines():
            for item in expand_family(line):
                concepts.append(parse_item(item, block, f"{prefix}{len(concepts) + 1:04d}"))
    return concepts


def expand_family(line: str) -> list[str]:
    """A family line `开展+{}专项整治 2 | 燃气,校园` gives one item line per member."""
    if not line.strip() or line.startswith("#"):
        return []
    if " | " not in line:
        return [line]
    template, members = line.split(" | ", 1)
    return [template.replace("{}", m) for m in members.split(",")]
