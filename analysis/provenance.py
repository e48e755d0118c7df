"""Who assesses whom, read from a file name, a sheet's title rows or its name.

>>> guess_assessor(["县应急管理局-各镇安全生产考核细则（2024）"])
'县应急管理局'
>>> guess_assessor(["青禾县卫生健康委员会关于印发《2024年度医院考核方案》的通知"])
'青禾县卫生健康委员会'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .categories import find_target_in_text, suggest_category
from .chinese import simplified

_DEPT_SUFFIX = r"(局|委员会|委|办公室|办|部|院|会|中心|大队|队|站|社|所|馆|处|组|室|团县委|工会|联)"
_WHOLE_DEPT = re.compile(rf"^(中共)?[\u4e00-\u9fa5（）()]{{1,18}}?{_DEPT_SUFFIX}$")
_TITLE_DEPT = re.compile(
    rf"^(?P<who>(中共)?[\u4e00-\u9fa5]{{2,20}}?{_DEPT_SUFFIX})(关于|对|印发|制定|年度|\d{{4}}年|考核)"
)
_SPLIT = re.compile(r"[-_—－·\s、]+|[（(【\[《][^）)】\]》]*[）)】\]》]")
_LEADING_DEPT = re.compile(
    rf"^(?P<who>(中共)?[\u4e00-\u9fa5]{{2,12}}?{_DEPT_SUFFIX})(?=各|全县|县直|乡镇|镇|街道|20\d\d|关于|对)"
)
_NOT_DEPT = re.compile(r"细则|指标|方案|办法|标准|年度|工作|\d")
NOT_ASSESSORS = ("各镇", "学校", "医院")
_SHORT_NAMES = {"组织部": "县委组织部", "考核办": "县考核办", "宣传部": "县委宣传部"}


def _parts(text: str) -> list[str]:
    return [p for p in _SPLIT.split(simplified(text)) if p]


def guess_assessor(texts: Iterable[str]) -> str | None:
    """The first text naming a department as its author wins; towns and schools never assess."""
    for text in texts:
        found = _assessor_in(text)
        if found and suggest_category(found).category not in NOT_ASSESSORS:
            return found
    return None


def _assessor_in(text: str) -> str | None:
    if not text:
        return None
    normal = simplified(text).strip()
    title = _TITLE_DEPT.match(normal)
    if title and not _NOT_DEPT.search(title.group("who")):
        return title.group("who")
    leading = _LEADING_DEPT.match(normal)
    if leading and not _NOT_DEPT.search(leading.group("who")):
        return _SHORT_NAMES.get(leading.group("who"), leading.group("who"))
    for part in _parts(normal):
        if _WHOLE_DEPT.match(part) and not _NOT_DEPT.search(part):
            if find_target_in_text(part) and not part.endswith(("局", "委", "部", "办")):
                continue
            return _SHORT_NAMES.get(part, part)
    return None


def guess_target(texts: Iterable[str]) -> str | None:
    """The unit category (or group) that the first text naming one targets."""
    for text in texts:
        if text and (found := find_target_in_text(text)):
            return found
    return None
