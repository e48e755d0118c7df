"""Match an assessor as a file names it (县人社局, 卫健委) to the unit roster's full name.

>>> name_key("青禾县人社局") == name_key("县人力资源和社会保障局")
True
"""

from __future__ import annotations

import json
import re
from functools import cache

from .chinese import simplified
from .settings import PACKAGE_DATA

_NOISE = re.compile(r"[\s（）()·]+")


@cache
def _rules() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str]]:
    raw = json.loads((PACKAGE_DATA / "abbreviations.json").read_text(encoding="utf-8"))
    expansions = tuple(sorted(raw["expansions"].items(), key=lambda kv: -len(kv[0])))
    county = r"^(中共)?[\u4e00-\u9fa5]{2,6}?[县市区旗](?=委|人民政府|[\u4e00-\u9fa5]{2})"
    return expansions, re.compile(county)


def name_key(name: str) -> str:
    """A comparison key: county prefix dropped, short forms expanded, 县委/县 prefixes removed."""
    expansions, county = _rules()
    key = _NOISE.sub("", simplified(name))
    key = county.sub("", key) if len(key) > 4 else key
    key = key.removeprefix("委") if key.startswith("委") and len(key) > 3 else key
    for short, full in expansions:
        if short in key and full not in key:
            key = key.replace(short, full)
    return key.removeprefix("中共").removeprefix("县委").removeprefix("县")


def canonical_names(names: list[str], roster: list[str]) -> dict[str, str]:
    """Each name that matches exactly one roster unit by key → that unit's roster name."""
    by_key: dict[str, list[str]] = {}
    for unit in roster:
        by_key.setdefault(name_key(unit), []).append(unit)
    found = {}
    for name in names:
        units = by_key.get(name_key(name), [])
        if len(units) == 1 and units[0] != name:
            found[name] = units[0]
    return found
