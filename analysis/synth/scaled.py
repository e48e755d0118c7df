"""A large synthetic corpus for benchmarks: `synthetic_indicators(1_000_000)` in seconds.

Names are composed as 时期 + 范围 + 对象 + 度量 (period + scope + object + measure) from the sample
county's topic objects, so distinct concepts are plentiful (millions of combinations) and
look-alike false friends (…完成率 / …增长率, 农村 / 城镇, 一季度 / 全年) arise naturally. A share
`dup_share` of the rows rewords another row's concept (measure synonym, verb form, numbering,
"工作" inserted, traditional characters) and keeps its concept_id.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.synth.concepts import parse_blocks
from analysis.synth.wording import traditional

PERIODS = ("", "年度", "一季度", "上半年", "全年")
SCOPES = (
    "",
    "农村",
    "城镇",
    "全县",
    "乡镇",
    "村级",
    "社区",
    "重点领域",
    "企业",
    "学校",
    "机关",
    "园区",
    "景区",
    "重点行业",
    "城区",
    "山区",
    "重点村",
    "县直单位",
    "开发区",
    "库区",
    "边远乡镇",
    "重点企业",
    "中心城区",
    "民族乡",
)
_VERB_WORDS = """
发生 出现 开展 推进 推动 落实 加强 建立 完成 组织 参加 规范 做好 提高 防范 整治 化解 打击
查处 培育 排查 按时 召开 签订 上传 转发 参与 引进 谋划 争取 严控 执行 整顿 推行 用好 推荐
创建 报送 实施 保障 办理 清理 被 工作 获得 承办 及时 如实 配合 指导 结合 履行 督促 控制
新增 新建 新签约 发布 打造 建设 运用 维护 开齐 处置 征集 储备 拆除 入户 防治 支持 配齐
"""
VERBS = tuple(_VERB_WORDS.split())  # objects starting with these are verb phrases, not nouns
# canonical measure, its rewordings (same meaning), and the verb for a verb form ("" = none)
MEASURES = (
    ("完成率", ("目标完成率", "任务完成率"), ""),
    ("增长率", ("增速", "同比增幅"), ""),
    ("覆盖率", ("覆盖面", "覆盖比例"), ""),
    ("达标率", ("达标比例", "合格率"), ""),
    ("满意度", ("满意率", "群众满意度"), ""),
    ("落实情况", ("贯彻落实情况", "执行情况"), "落实"),
    ("推进情况", ("推动情况", "推进成效"), "推进"),
    ("问题整改率", ("问题整改完成率", "问题整改到位率"), ""),
    ("综合排名", ("排名情况", "全县排名"), ""),
    ("新增数", ("新增个数", "新增数量"), ""),
    ("台账建立情况", ("台账规范情况", "台账资料"), "建立"),
    ("信息报送", ("信息报送情况", "信息按时报送"), "报送"),
    ("专项整治", ("专项治理", "集中整治"), "整治"),
    ("监督检查", ("督查检查", "监督抽查"), "检查"),
    ("规范化建设", ("标准化规范化建设", "规范建设"), "规范"),
    ("宣传教育", ("宣传培训", "宣传教育活动"), "开展"),
    ("考核得分", ("考评得分", "测评得分"), ""),
    ("事故起数", ("事故发生数", "发生事故起数"), ""),
)
CRITERIA = (
    "完成年度目标得满分，未完成按比例得分。",
    "每发现1次问题扣{b}分，扣完为止。",
    "按全县排名计分，第1名得满分，依次递减{b}分。",
    "未按时报送扣{b}分。",
    "达到目标值得满分，每低1个百分点扣{b}分。",
)
TARGETS = ("各镇", "党委部门", "群团部门", "执法监督部门", "综合经济部门", "社会事务部门")
SCORES = np.array([0.5, 1, 2, 3, 5, 8, 10], dtype=float)
NUMBERS = ("1.", "（一）", "①", "(2)", "３．", "1.1.1 ")
COLUMNS = [
    "indicator_id",
    "name",
    "criteria",
    "level1",
    "score",
    "assessor",
    "target",
    "concept_id",
]


@lru_cache(maxsize=1)
def _objects() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(object, level1, assessor) per topic object of the sample county."""
    from analysis.synth.build import OWNER_UNITS
    from analysis.synth.sample import TOPICS

    seen: dict[str, tuple[str, str]] = {}
    for c in parse_blocks([b for module in TOPICS for b in module.BLOCKS]):
        obj = c.obj
        noun = not obj.startswith(VERBS) and not obj.endswith(("率", "数", "情况", "度", "量"))
        scoped = obj.startswith(tuple(s for s in SCOPES if s))
        if noun and 3 <= len(obj) <= 14 and not scoped:
            assessor = OWNER_UNITS.get(c.owners[0], "县委组织部")
            seen.setdefault(obj, (c.level1, assessor))
    objs = tuple(sorted(seen))
    return objs, tuple(seen[o][0] for o in objs), tuple(seen[o][1] for o in objs)


@lru_cache(maxsize=1)
def _traditional_parts() -> tuple[tuple[str, ...], ...]:
    objs = _objects()[0]
    return (
        tuple(traditional(p) for p in PERIODS),
        tuple(traditional(s) for s in SCOPES),
        tuple(traditional(o) for o in objs),
        tuple(traditional(m[0]) for m in MEASURES),
    )


def _decode(codes: np.ndarray, n_obj: int) -> tuple[np.ndarray, ...]:
    """Mixed-radix concept code → (period, scope, object, measure) indices."""
    codes, m = np.divmod(codes, len(MEASURES))
    codes, o = np.divmod(codes, n_obj)
    p, s = np.divmod(codes, len(SCOPES))
    return p, s, o, m


def _names(p, s, o, m, objs) -> list[str]:
    return [
        f"{PERIODS[a]}{SCOPES[b]}{objs[c]}{MEASURES[d][0]}"
        for a, b, c, d in zip(p.tolist(), s.tolist(), o.tolist(), m.tolist(), strict=True)
    ]


def _reword(p, s, o, m, how, extra, objs) -> list[str]:
    """A reworded near-duplicate of each (period, scope, object, measure) concept."""
    trad = _traditional_parts()
    out = []
    rows = zip(
        p.tolist(), s.tolist(), o.tolist(), m.tolist(), how.tolist(), extra.tolist(), strict=True
    )
    for a, b, c, d, h, x in rows:
        head, (measure, alts, verb) = f"{PERIODS[a]}{SCOPES[b]}{objs[c]}", MEASURES[d]
        if h == 0 or (h == 1 and not verb):
            out.append(f"{head}{alts[x % 2]}")
        elif h == 1:
            out.append(f"{PERIODS[a]}{verb}{SCOPES[b]}{objs[c]}")
        elif h == 2:
            out.append(f"{NUMBERS[x % len(NUMBERS)]}{head}{measure}")
        elif h == 3:
            out.append(f"{head}工作{measure}")
        else:
            out.append(f"{trad[0][a]}{trad[1][b]}{trad[2][c]}{trad[3][d]}")
    return out


def synthetic_indicators(n_rows: int, seed: int = 0, dup_share: float = 0.3) -> pd.DataFrame:
    """`n_rows` indicators; about `dup_share` of them reword another row's concept.

    >>> df = synthetic_indicators(1000, seed=1)
    >>> len(df), df["concept_id"].nunique() <= 700
    (1000, True)
    """
    rng = np.random.default_rng(seed)
    objs, topics, assessors = _objects()
    n_dup = round(n_rows * dup_share)
    n_base = n_rows - n_dup
    space = len(PERIODS) * len(SCOPES) * len(objs) * len(MEASURES)
    if n_base > space:
        raise ValueError(f"at most {space} distinct concepts; asked for {n_base}")
    codes = np.sort(rng.choice(space, size=n_base, replace=False))
    p, s, o, m = _decode(codes, len(objs))
    names = _names(p, s, o, m, objs)
    source = rng.integers(0, n_base, size=n_dup)
    how = rng.integers(0, 5, size=n_dup)
    extra = rng.integers(0, 1000, size=n_dup)
    names += _reword(p[source], s[source], o[source], m[source], how, extra, objs)
    concept = np.concatenate([np.arange(n_base), source])
    order = rng.permutation(n_rows)
    return _frame(names, concept, o, order, rng, seed, (topics, assessors))


def _frame(names, concept, o, order, rng, seed, facts) -> pd.DataFrame:
    topics, assessors = facts
    n_rows = len(names)
    obj_of_row = o[concept][order]
    criteria_idx = rng.integers(0, len(CRITERIA), size=n_rows)
    step = rng.choice(["0.5", "1", "2"], size=n_rows)
    criteria_table = {
        (i, b): t.format(b=b) for i, t in enumerate(CRITERIA) for b in ("0.5", "1", "2")
    }
    return pd.DataFrame(
        {
            "indicator_id": [f"S{seed}-{i:07d}" for i in range(n_rows)],
            "name": [names[i] for i in order.tolist()],
            "criteria": [
                criteria_table[k] for k in zip(criteria_idx.tolist(), step.tolist(), strict=True)
            ],
            "level1": [topics[i] for i in obj_of_row.tolist()],
            "score": SCORES[rng.integers(0, len(SCORES), size=n_rows)],
            "assessor": [assessors[i] for i in obj_of_row.tolist()],
            "target": [TARGETS[i] for i in rng.integers(0, len(TARGETS), size=n_rows).tolist()],
            "concept_id": [f"K{c:07d}" for c in concept[order].tolist()],
        },
        columns=COLUMNS,
    )
