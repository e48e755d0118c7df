"""How one occurrence of a concept is worded: form, synonyms, criteria and method text."""

from __future__ import annotations

import random
from functools import lru_cache

from analysis.synth.concepts import Concept
from analysis.synth.vocabulary import CRITERIA, SYNONYMS

RATE_ENDINGS = ("率", "比例", "占比", "比重", "覆盖面")
METHODS_STAT = ("统计数据", "县统计局提供", "监测数据", "部门统计报表")
METHODS_TRACE = ("查阅资料", "查看台账", "材料审核")
METHODS_CHECK = ("实地考核", "查阅资料、实地查看", "日常督查", "年终考核", "随机抽查")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """Traditional-character variant: `traditional("考核指标") == "考核指標"`."""
    return _s2t().convert(text) if text else text


def reword(text: str, rng: random.Random) -> str:
    """Swap one synonym (贯彻/落实, 开展/组织开展, 推进/推动 …) if the text has one."""
    for old, new in SYNONYMS:
        if old in text and new not in text:
            if old == "情况":
                plain = text.endswith(old) and "工作" not in text and "完成" not in text
                return text[: -len(old)] + new if plain else text
            return text.replace(old, new, 1)
    return text


def choose_name(
    concept: Concept, rng: random.Random, canonical: float, synonym: float, avoid: str = ""
) -> str:
    """One wording of `concept`: canonical form with probability `canonical`, else another."""
    forms = concept.forms
    if len(forms) > 1 and (rng.random() >= canonical or forms[0] == avoid):
        name = rng.choice([f for f in forms[1:] if f != avoid] or forms[1:])
    else:
        name = forms[0]
    if rng.random() < synonym or name == avoid:
        name = reword(name, rng)
    return name


def make_criteria(
    concept: Concept, rng: random.Random, multiline: bool = False, factor: float = 1.0
) -> str:
    """Scoring rule text for one occurrence (templates of the concept's kind, numbers drawn).

    Bonus rules state the item's own cap (`concept.score * factor`, factor = total / 100).
    """
    templates = CRITERIA[concept.kind]
    cap = concept.score * factor
    bonus = concept.kind == "加"
    slots = {
        "o": concept.obj,
        "a": f"{cap:g}" if bonus else rng.choice((1, 2, 3, 5)),
        "b": f"{cap / 2:g}" if bonus else rng.choice((0.2, 0.5, 1)),
        "p": rng.choice((85, 90, 95, 98, 100)),
        "k": rng.choice((2, 3, 4, 6, 12)),
    }
    if concept.kind == "率" and not concept.obj.endswith(RATE_ENDINGS):
        templates = tuple(t for t in templates if "{o}" not in t)
    first = rng.choice(templates).format(**slots)
    if not multiline or len(templates) < 2 or rng.random() < 0.5:
        return first
    second = rng.choice([t for t in templates if t.format(**slots) != first]).format(**slots)
    return f"1.{first}\n2.{second}"


def method_text(concept: Concept, rng: random.Random) -> str:
    """考核方式 / 数据来源 text from what the indicator is."""
    if "statistics_method" in concept.tags:
        return rng.choice(METHODS_STAT)
    if "trace" in concept.tags or "app_usage" in concept.tags:
        return rng.choice(METHODS_TRACE)
    return rng.choice(METHODS_CHECK)
