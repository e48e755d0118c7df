"""Gold labels: rows.csv, pairs.csv (evaluation format) and clusters.csv."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from analysis.synth.build import Row
from analysis.synth.vocabulary import TAG_CODES

TAG_ORDER = list(TAG_CODES.values())
MAX_POSITIVES = 1500
NEGATIVE_RATIO = 1.2
MAX_NEGATIVES_PER_TEXT = 3
# Look-alikes that measure different things (rate / count / growth, 农村 / 城镇, 初中 / 小学 …).
FALSE_FRIENDS = (
    ("森林覆盖率", "森林面积增长率"),
    ("固定资产投资增长率", "固定资产投资完成率"),
    ("农村生活污水治理率", "城镇生活污水处理率"),
    ("初中学生体质健康达标率", "小学学生体质健康达标率"),
    ("初中学生近视率", "小学生近视率"),
    ("门诊患者满意度", "住院患者满意度"),
    ("城镇新增就业人数", "农村劳动力转移就业人数"),
    ("高标准农田建设完成率", "高标准农田新建面积"),
    ("生猪出栏量", "生猪存栏量"),
    ("空气质量优良天数比例", "细颗粒物（PM2.5）平均浓度"),
    ("本年度审计查出问题整改率", "上年度审计查出问题整改率"),
    ("第一季度信访积案化解率", "信访积案化解率"),
    ("信访事项及时受理率", "信访事项按期办结率"),
    ("社会消费品零售总额", "社会消费品零售总额增速"),
    ("规模以上工业增加值增速", "新增规模以上工业企业数"),
    ("孕产妇系统管理率", "孕产妇死亡率"),
    ("城乡居民养老保险参保率", "城乡居民医保参保率"),
    ("受污染耕地安全利用率", "污染地块安全利用率"),
    ("农村集中供水率", "农村自来水普及率"),
    ("基本药物使用金额占比", "基本药物品种数占比"),
    ("食品安全抽检合格率", "农产品质量安全抽检合格率"),
    ("茶叶种植面积", "茶叶产业综合产值"),
    ("农村居民人均可支配收入增速", "城镇居民人均可支配收入增速"),
    ("生产安全事故起数", "生产安全事故死亡人数"),
    ("门诊次均费用增幅", "住院次均费用增幅"),
    ("出院患者手术占比", "出院患者四级手术比例"),
)


@dataclass
class Placed:
    """A row placed in a file: where it sits and what it is."""

    file: str
    sheet: str
    row_number: int
    row: Row

    def record(self) -> dict[str, object]:
        r = self.row
        tags = "|".join(t for t in TAG_ORDER if t in r.tags)
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row_number,
            "concept_id": r.concept.cid,
            "name": r.name,
            "criteria": r.criteria,
            "score_text": r.score_text,
            "assessor": r.assessor,
            "target": r.target,
            "tags": tags,
        }


def text_index(placed: list[Placed]) -> dict[str, tuple[str, str]]:
    """Distinct wording → (concept id, first criteria); fails if two concepts share a wording."""
    index: dict[str, tuple[str, str]] = {}
    for p in placed:
        text, cid = p.row.wording, p.row.concept.cid
        if text in index and index[text][0] != cid:
            raise ValueError(f"wording {text!r} used by {index[text][0]} and {cid}")
        index.setdefault(text, (cid, p.row.criteria))
    return index


def positive_pairs(index: dict[str, tuple[str, str]], rng: random.Random) -> list[tuple]:
    """All pairs of distinct wordings of the same concept (sampled down to MAX_POSITIVES)."""
    by_concept: dict[str, list[str]] = {}
    for text, (cid, _) in index.items():
        by_concept.setdefault(cid, []).append(text)
    pairs = []
    for texts in by_concept.values():
        texts = sorted(texts)
        pairs += [(a, b) for i, a in enumerate(texts) for b in texts[i + 1 :]]
    if len(pairs) > MAX_POSITIVES:
        pairs = sorted(rng.sample(pairs, MAX_POSITIVES))
    return [(a, b, 1, index[a][1], index[b][1]) for a, b in pairs]


def _bigram_matrix(texts: list[str]) -> np.ndarray:
    grams = [{t[i : i + 2] for i in range(len(t) - 1)} | set(t) for t in texts]
    vocab = {g: i for i, g in enumerate(sorted(set().union(*grams)))}
    matrix = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for row, gs in enumerate(grams):
        matrix[row, [vocab[g] for g in gs]] = 1.0
    return matrix


def curated_negatives(index: dict[str, tuple[str, str]], cid_of_form: dict[str, str]) -> list:
    """The named false friends (FALSE_FRIENDS): one written wording of each side's concept."""
    first: dict[str, str] = {}
    for text in sorted(index):
        first.setdefault(index[text][0], text)
    out = []
    for a, b in FALSE_FRIENDS:
        ca, cb = cid_of_form.get(a), cid_of_form.get(b)
        if ca in first and cb in first and ca != cb:
            ta, tb = first[ca], first[cb]
            out.append((ta, tb, 0, index[ta][1], index[tb][1]))
    return out


def hard_negatives(
    index: dict[str, tuple[str, str]], count: int, cid_of_form: dict[str, str]
) -> list[tuple]:
    """Curated false friends, then look-alike pairs of different concepts, most similar first
    (character + bigram Jaccard)."""
    curated = curated_negatives(index, cid_of_form)
    done = {frozenset(p[:2]) for p in curated}
    return (
        curated
        + [p for p in _similar(index, count) if frozenset(p[:2]) not in done][
            : max(0, count - len(curated))
        ]
    )


def _similar(index: dict[str, tuple[str, str]], count: int) -> list[tuple]:
    texts = sorted(index)
    matrix = _bigram_matrix(texts)
    inter = matrix @ matrix.T
    sizes = matrix.sum(axis=1)
    jaccard = inter / (sizes[:, None] + sizes[None, :] - inter)
    cids = np.array([index[t][0] for t in texts])
    jaccard[cids[:, None] == cids[None, :]] = -1.0
    jaccard[np.tril_indices(len(texts))] = -1.0
    flat_scores = jaccard.ravel()
    top = min(flat_scores.size - 1, count * 40)
    candidates = np.argpartition(-flat_scores, top)[:top]
    order = candidates[np.lexsort((candidates, -flat_scores[candidates]))]
    used: dict[int, int] = {}
    out = []
    for flat in order:
        i, j = divmod(int(flat), len(texts))
        if len(out) >= count or jaccard[i, j] <= 0:
            break
        if used.get(i, 0) >= MAX_NEGATIVES_PER_TEXT or used.get(j, 0) >= MAX_NEGATIVES_PER_TEXT:
            continue
        used[i], used[j] = used.get(i, 0) + 1, used.get(j, 0) + 1
        a, b = texts[i], texts[j]
        out.append((a, b, 0, index[a][1], index[b][1]))
    return out


def all_pairs(placed: list[Placed], rng: random.Random) -> list[tuple]:
    """Positives then hard negatives (at least as many negatives as positives)."""
    index = text_index(placed)
    positives = positive_pairs(index, rng)
    cid_of_form = {f: p.row.concept.cid for p in placed for f in p.row.concept.forms}
    count = int(len(positives) * NEGATIVE_RATIO) + 1
    return positives + hard_negatives(index, count, cid_of_form)


def cluster_rows(placed: list[Placed]) -> list[tuple[str, str]]:
    """(text, gold cluster) for every distinct wording, sorted by text."""
    index = text_index(placed)
    return [(text, index[text][0]) for text in sorted(index)]
