"""Normalise indicator text for matching; the raw text is kept for display.

NFKC (full-width → half-width), traditional → simplified, numbering and bracketed notes removed,
punctuation and spaces removed, curated rewrites and fillers from data/synonyms.json applied,
a metric's target value and a required frequency at the end removed (…率达到95% → …率,
…每年不少于2次 → …). Criteria lose their scoring
clauses first (normalize_criteria).
Idempotent: normalising twice changes nothing.

>>> normalize_text("（一）１．贯彻落实安全生产责任制情况（10分）")
'落实安全生产责任制'
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache

from .chinese import each_joined, simplified, simplified_many
from .scores import chinese_number
from .settings import PACKAGE_DATA

_CN = "一二三四五六七八九十百零〇"
NUMBERING = re.compile(
    rf"^\s*(?:第[{_CN}\d]+[条章节项部分]+|[{_CN}]+\s*[、.．]|[（(]\s*[{_CN}\d]+\s*[）)]"
    r"|\d+(?:\.\d+)*\s*[、.．):：]|\d+\s+|[①-⑳⑴-⒇]|[a-zA-Z]\s*[、.)])\s*"
)
BRACKETS = re.compile(r"[（(\[【〔]([^（()）\[\]【】〔〕]*)[）)\]】〕]")
# A bracket is a note (points, lead unit, remarks, an abbreviation such as GDP or DIP) when it has a
# digit, a note word, only Latin letters or is long;
# a short one without them is part of the name: 村（社区）, 乡镇（街道）, 因公出国（境）.
NOTE_WORDS = re.compile(
    r"^[a-zA-Z]+$|\d|分|牵头|责任|配合|单位|加分|扣分|否决|备注|注|说明|截断|含|包括|以上|以下"
)
NOTE_LENGTH = 4
PUNCTUATION = re.compile(
    r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\"'“”‘’《》<>·•…—–\-_,.;:!?%/\\|~`^*+=@#$&()\[\]]+"
)


# A target value after a metric or growth (…率达到95%, …率不低于92%, …增长8%以上) sets how
# much, not what: the same indicator carries different targets in different units and years.
# Values inside the name (35岁以下, 10万元以上村) define the object and stay.
TARGET_UNITS = ("个百分点", "万元", "亿元", "万人", "人次", "人", "名", "个", "次", "天", "家", "户",
                "件", "元")  # fmt: skip
TARGET = re.compile(
    r"(?:(?<=[率数量])|(?<=增长))(?:要|应|需)?(?:达到|达|不低于|不少于|不高于|不超过|高于|低于|保持在|稳定在"
    rf"|控制在|完成|提高到|提升到|在)?\d+(?:\.\d+)?(?:{'|'.join(TARGET_UNITS)})?"
    r"(?:及?以上|以内|以下|左右)?$"
)

# How often at the end (每年不少于2次, 每月至少1次, 全年12次) is a target too: one county asks
# for two drills a year, the next for one, and both assess the drill.
FREQUENCY_UNITS = ("次", "场", "期", "批", "篇")
FREQUENCY = re.compile(
    r"(?:(?:每|全)年|年内|每季度?|每月|每半年|每周)?(?:要|应)?"
    rf"(?:(?:不少于|至少|不低于|达到)\d+|(?<=[年度季月周])\d+)(?:{'|'.join(FREQUENCY_UNITS)})"
    r"(?:及?以上)?$"
)
# The last characters either pattern can end on besides a digit (a unit, 以上/以内/以下/左右).
# An end-anchored pattern is tried at every position of a text, so a text that cannot match is
# turned away by its last character first (a third of normalising 100,000 names went on these
# two searches). Derived from the units, so a unit added above is never turned away.
TARGET_ENDS = frozenset("上内下右") | {unit[-1] for unit in TARGET_UNITS}
FREQUENCY_ENDS = frozenset("上") | {unit[-1] for unit in FREQUENCY_UNITS}

# A number before a unit is one number however it is written: 三岁以下 = 3岁以下, 每年不少于两次 =
# 每年不少于2次 (then a frequency, stripped like any other). Not after 第 (第三条 is a position),
# and not before words that are no unit (三会一课, 一票否决, 一河一策 keep their numerals).
NUMERAL_UNITS = ("周岁", "岁", "个月", "小时", "次", "场", "期", "批", "篇", "名", "人", "户", "家",
                 "件", "天", "项", "个")  # fmt: skip
NUMERAL = re.compile(rf"(?<!第)([零〇一二两三四五六七八九十百]+)(?=(?:{'|'.join(NUMERAL_UNITS)}))")


def _digits(match: re.Match[str]) -> str:
    value = chinese_number(match.group(1))
    return match.group(1) if value is None else str(value)


@cache
def _rewrites() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = json.loads((PACKAGE_DATA / "synonyms.json").read_text(encoding="utf-8"))
    table = {**raw["phrases"], **dict.fromkeys(raw["fillers"], "")}
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), table


def _strip_end(pattern: re.Pattern[str], ends: frozenset[str], text: str) -> str:
    if text and (text[-1] in ends or text[-1].isdecimal()):
        return pattern.sub("", text)
    return text


def strip_numbering(text: str) -> str:
    """Remove leading enumerators (一、（一）1. 1.1.1 ① 第三条), repeatedly."""
    previous = None
    while previous != text:
        previous, text = text, NUMBERING.sub("", text, count=1)
    return text


def _bracket(match: re.Match[str]) -> str:
    inner = match.group(1)
    if len(PUNCTUATION.sub("", inner)) > NOTE_LENGTH or NOTE_WORDS.search(inner):
        return ""
    return inner


def _strip_brackets(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, BRACKETS.sub(_bracket, text)
    return text


# Scoring rules in criteria (每低1个百分点扣0.2分, 未达标的不得分, …得满分) say how points are
# given, which every county writes its own way; what is measured is in the rest. A clause that
# still talks of points once a trailing "得满分" is cut goes whole.
CLAUSE = re.compile(r"[，,；;。！!？?\n]+")
SCORE_TAIL = re.compile(r"(?:的|者)?(?:得满分|计满分|得\d+(?:\.\d+)?分)$")
SCORE_TALK = re.compile(r"扣|[得计加满减]分|\d分|按比例|不得分|一票否决")
# A clause that only sets how much or how often (全年不少于12次, 完成6项（次）) is a target.
QUANTITY = re.compile(
    r"[\d.%％]+|全年|年度|每年|每季度|每月|不少于|不低于|不超过|不高于|达到|以上|以下|以内"
    r"|完成|目标值?|任务|[项次个件人户家]"
)


def strip_scoring(criteria: str) -> str:
    """Criteria without their scoring clauses; '' when nothing else is left."""
    kept = []
    for clause in CLAUSE.split(criteria):
        clause = SCORE_TAIL.sub("", clause.strip())
        if clause and not SCORE_TALK.search(clause) and QUANTITY.sub("", clause).strip("（）()"):
            kept.append(clause)
    return "，".join(kept)


@lru_cache(maxsize=100_000)  # catalogues repeat a few scoring templates thousands of times
def normalize_criteria(criteria: str) -> str:
    """Criteria as compared between indicators: scoring clauses out, then normalize_text."""
    content = strip_scoring(criteria) if criteria else ""
    return normalize_text(content) if content else ""


@lru_cache(maxsize=500_000)
def normalize_text(text: str) -> str:
    """The text used for matching; never empty when the input has content."""
    if not text:
        return ""
    # circled and bracketed numerals turn into plain digits under NFKC: strip them first
    unnumbered = strip_numbering(text.strip())
    return _after_simplifying([text], [unnumbered], [simplified(unnumbered)])[0]


def normalize_many(texts: Sequence[str]) -> list[str]:
    """normalize_text of each text, each distinct text once, with one traditional → simplified
    conversion for all (a fifth of normalising 100,000 names went on one call per name) and the
    rewrites run over all texts at once."""
    distinct = [t for t in dict.fromkeys(texts) if t]
    unnumbered = [strip_numbering(t.strip()) for t in distinct]
    normalized = _after_simplifying(distinct, unnumbered, simplified_many(unnumbered))
    done = dict(zip(distinct, normalized, strict=True))
    return [done[t] if t else "" for t in texts]


# Texts joined by this character go through a substitution in one call (700,000 calls, one
# per text and step, were most of normalising 100,000 names). No pattern of the passes below
# can match it, and a lookaround sees it as it sees a text's start or end (no unit, no 第), so
# each text comes out as it would alone.
_SEPARATOR = "\x00"


def _punctuation_and_case(text: str) -> str:
    return PUNCTUATION.sub("", text).lower()


def _rewrite(text: str) -> str:
    pattern, table = _rewrites()
    return pattern.sub(lambda m: table[m.group(0)], NUMERAL.sub(_digits, text))


def _after_simplifying(texts: list[str], unnumbered: list[str], bases: list[str]) -> list[str]:
    """The rest of normalize_text, given each text's `unnumbered` (stripped of leading
    numbering) and `bases` (that, simplified)."""
    # numbering that only NFKC or simplifying made visible: look again where they changed it
    bases = [b if b == u else strip_numbering(b) for b, u in zip(bases, unnumbered, strict=True)]
    current = each_joined(_punctuation_and_case, [_strip_brackets(b) for b in bases], _SEPARATOR)
    # a name that is all bracketed note, （数1）, keeps its brackets' text, and goes through the
    # rewrites and endings like any other (else normalising twice would strip its target)
    current = [c or _punctuation_and_case(b) for c, b in zip(current, bases, strict=True)]
    # rewrites and target/frequency endings, repeated until no text changes any more
    active = list(range(len(current)))
    while active:
        rewritten = each_joined(_rewrite, [current[k] for k in active], _SEPARATOR)
        changed = []
        for k, text in zip(active, rewritten, strict=True):
            text = _strip_end(FREQUENCY, FREQUENCY_ENDS, _strip_end(TARGET, TARGET_ENDS, text))
            if text != current[k]:
                current[k] = text
                changed.append(k)
        active = changed
    return [
        base or PUNCTUATION.sub("", simplified(text)).lower() or text.strip()
        for text, base in zip(texts, current, strict=True)
    ]
