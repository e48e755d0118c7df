"""Parse points (分值) as catalogues write them.

A score keeps its text; the number is the item's maximum points when one is stated, else None.

>>> parse_score("１０分")
ScoreReading(value=10.0, kind='fixed')
>>> parse_score("5-10分")
ScoreReading(value=10.0, kind='range')
>>> parse_score("每发现一次扣0.5分")
ScoreReading(value=None, kind='deduction')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

KINDS = ("none", "fixed", "range", "percent", "bonus", "deduction", "veto", "rule")

_NUMBER = r"\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"^({_NUMBER})\s*(?:分|分值)?$")
_PERCENT = re.compile(rf"^({_NUMBER})\s*%$")
_RANGE = re.compile(rf"^({_NUMBER})\s*(?:分)?\s*[-~—–至到]+\s*({_NUMBER})\s*分?$")
_BONUS = re.compile(rf"(?:最高|最多|上限)?加\s*({_NUMBER})\s*分|加分|奖\s*({_NUMBER})")
_DEDUCTION = re.compile(r"扣|倒扣|减分|反向")
_VETO = re.compile(r"一票否决|否决")
_PER_EVENT = re.compile(
    r"每|依次|递减|按比例|按排名|第\s*\d+\s*名|扣完为止|折算|酌情|视情|据实|另行|见|按|详见|参照"
)
_LABEL_PREFIX = re.compile(r"^(?:基础分|标准分|满分|分值|权重|赋分|计)[:：]?")
_BRACKETED = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_ANY_NUMBER = re.compile(_NUMBER)
_SPACE = re.compile(r"\s+")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"^([零〇一二两三四五六七八九十百千]+)\s*分?$")
_NO_SCORE = {"", "-", "—", "/", "／", "无", "不计分", "不赋分", "0"}


@dataclass(frozen=True)
class ScoreReading:
    value: float | None
    kind: str


def chinese_number(text: str) -> int | None:
    """Small Chinese numerals as written in score cells: 五 → 5, 十五 → 15, 一百二十 → 120."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit if digit is not None else 1) * _CN_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def clean_score_text(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).replace("分数", "分")


@lru_cache(maxsize=65_536)
def parse_score(text: str) -> ScoreReading | None:
    """Read a score cell; None means the text is not a score at all (an input error)."""
    cleaned = clean_score_text(text)
    if cleaned in _NO_SCORE:
        return ScoreReading(None, "none")
    base = _LABEL_PREFIX.sub("", _BRACKETED.sub("", cleaned)) or cleaned
    if match := _PLAIN.match(base):
        return ScoreReading(float(match.group(1)), _kind_from_hint(cleaned, "fixed"))
    if match := _PERCENT.match(base):
        return ScoreReading(float(match.group(1)), "percent")
    if match := _RANGE.match(base):
        high = max(float(match.group(1)), float(match.group(2)))
        return ScoreReading(high, "range")
    if match := _CN_NUMBER.match(base):
        value = chinese_number(match.group(1))
        return ScoreReading(float(value), "fixed") if value is not None else None
    if _VETO.search(cleaned):
        return ScoreReading(None, "veto")
    if match := _BONUS.search(cleaned):
        amount = match.group(1) or match.group(2)
        return ScoreReading(float(amount) if amount else None, "bonus")
    if _DEDUCTION.search(cleaned):
        return ScoreReading(None, "deduction")
    if _PER_EVENT.search(cleaned) or _ANY_NUMBER.search(cleaned):
        return ScoreReading(None, "rule")
    return None


def _kind_from_hint(cleaned: str, default: str) -> str:
    """A number with a bracketed hint: 2分（加分项） is a bonus, not a fixed item."""
    if "加分" in cleaned:
        return "bonus"
    return default
