"""The near-duplicate engine: normaliser properties, candidates, features, scores, clusters."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from analysis.candidates import candidate_pairs
from analysis.cluster import cluster_pairs
from analysis.conflicts import lexicon
from analysis.dedup import dedup_texts
from analysis.features import FEATURES, pair_features
from analysis.model import default_model
from analysis.normalize import normalize_criteria, normalize_many, normalize_text
from analysis.settings import CandidateSettings
from analysis.similarity import score_text_pairs
from analysis.synth.scaled import synthetic_indicators
from analysis.tokens import _jieba, tokenize, tokenize_many

from conftest import ROOT

CHINESE = st.text(
    alphabet=st.sampled_from(
        list(
            "安全生产责任制落实情况森林覆盖率增长农村城镇（）()一二、.1２３ 　“”率数达到不低于以上%每年次两岁个第"
        )
    ),
    max_size=30,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（一）１．贯彻落实安全生产责任制情况（10分）", "落实安全生产责任制"),
        ("安全生产责任制落实情况", "安全生产责任制落实"),
        ("18 持续开展侵占河库水域及岸线整治", "开展侵占河湖水域及岸线治理"),
        ("1.1.1 党支部标准化规范化建设", "党支部标准化规范化建设"),
        ("①禁养区生猪养殖场关闭", "禁养区生猪养殖场关闭"),
        ("組織開展黨員集中輪訓", "开展党员集中轮训"),
        ("2024年度招商引资到位资金", "2024年度招商引资到位资金"),
        # a target value after a metric goes; a value that defines the object stays
        ("孕产妇系统管理率不低于95%（2分）", "孕产妇系统管理率"),
        ("孕产妇系统管理率达到90%", "孕产妇系统管理率"),
        ("固定资产投资增长8%以上", "固定资产投资增长"),
        ("城镇新增就业人数完成1200人", "城镇新增就业人数"),
        ("年内完成3个村党群服务中心改造", "年内完成3个村党群服务中心改造"),
        ("35岁以下科级干部占比", "35岁以下科级干部率"),
        ("村级集体经济收入10万元以上村占比达到80%", "村级集体经济收入10万元以上村率"),
        # 所占比例 is one word: rewriting 占比 inside it left 所率例
        ("农村党员中35岁以下党员所占比例", "农村党员中35岁以下党员率"),
        ("业务支出中人员支出所占比重", "业务支出中人员支出率"),
        # so does a required frequency at the end; a count inside the name stays
        ("应急演练每年不少于2次", "应急演练"),
        ("组织开展防汛应急演练，每年至少1次（2分）", "开展防汛应急演练"),
        ("社区矫正对象实地走访每月1次", "社区矫正对象实地走访"),
        ("全年开展12次集中宣传", "全年开展12次集中宣传"),
        # a number before a unit is one number in either script; numerals in names stay
        ("三岁以下儿童系统管理率", "3岁以下儿童系统管理率"),
        ("六十五岁以上老年人健康管理率", "65岁以上老年人健康管理率"),
        ("应急演练每年不少于两次", "应急演练"),
        ("落实“三会一课”制度", "落实三会一课制度"),
        ("一票否决事项", "一票否决事项"),
        # standard abbreviations, and an abbreviation in brackets after its full name
        ("HIV感染者抗病毒治疗覆盖率", "艾滋病病毒感染者抗病毒治疗覆盖率"),
        ("DIP付费病例入组率", "按病种分值付费病例入组率"),
        ("按病种分值付费（DIP）病例入组率", "按病种分值付费病例入组率"),
        ("病床使用率（%）", "床位使用率"),
        # one programme under its old and new names; publicity work under its usual names
        ("（二）落实河长制、湖长制", "落实河长制"),
        ("全面推行河湖长制", "推行河长制"),
        ("强化宣传教育", "加强宣传"),
        ("持续推进畜禽养殖污染控制", "推进畜禽养殖污染治理"),
        # the national fertiliser and pesticide programme under its names; other 零增长 stays
        ("持续推进农药化肥零增长行动", "推进农药化肥减量"),
        ("化肥农药使用量零增长", "化肥农药减量"),
        ("推进农业化肥、农药减量化治理", "推进农业化肥农药减量治理"),
        ("化肥农药减量增效", "化肥农药减量"),
        ("新增违法建设“零增长”", "新增违法建设零增长"),
        # "X 及以上" is "X 以上" in any list
        ("56人及以上大班额占比", "56人以上大班额率"),
        ("发生较大及以上生产安全事故", "发生较大以上生产安全事故"),
    ],
)
def test_normalize_examples(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        # scoring rules alone say nothing about what is measured
        ("每低1个百分点扣0.2分", ""),
        ("未达标的不得分", ""),
        ("城镇新增就业达到年度目标得满分，每少1%扣0.2分", "城镇新增就业达到年度目标"),
        ("主次干道无乱堆乱放、占道经营，每发现1处扣0.2分。", "主次干道无乱堆乱放占道经营"),
        ("指标导向：逐步提高；数据来源：病案首页", "指标导向逐步提高数据来源病案首页"),
        ("", ""),
    ],
)
def test_criteria_lose_their_scoring_clauses(criteria, expected):
    assert normalize_criteria(criteria) == expected


def test_identical_names_with_other_scoring_rules_stay_one_indicator():
    """Two departments' copies of one indicator, each with its own target and scoring rule."""
    scored = score_text_pairs(
        ["孕产妇系统管理率达到90%", "森林覆盖率", "新增规模以上工业企业数"],
        ["孕产妇系统管理率不低于95%（2分）", "森林覆盖率", "新增规模以上工业企业数"],
        ["每低1个百分点扣0.2分", "森林覆盖率达到95%以上得满分，每低1个百分点扣1分",
         "全年不少于12次，每少1次扣0.5分，扣完为止。"],
        ["未达标的不得分", "以统计部门数据为准，达到目标值得满分，低于目标值按比例得分。",
         "完成6项（次）得满分，每少1项（次）扣0.2分。"],
    )  # fmt: skip
    assert (scored["probability"] >= default_model().threshold).all(), scored["probability"]
    # criteria that say what the work is still tell generic names apart
    generic = score_text_pairs(
        ["安全生产"], ["安全生产"],
        ["全年未发生较大及以上生产安全事故，发生1起扣除该项全部分值"],
        ["组织开展“安全生产月”活动，宣传覆盖面广，未开展的扣1分"],
    )  # fmt: skip
    assert generic["probability"].iloc[0] < default_model().threshold


def test_an_empty_name_is_never_the_same_indicator():
    """A blank cell in a pair file is no evidence; "" once scored 0.97 beside any name."""
    scored = score_text_pairs(["", "", "森林覆盖率"], ["森林覆盖率", "", "森林覆盖率"])
    assert scored["probability"].tolist()[:2] == [0.0, 0.0]
    assert scored["probability"].iloc[2] >= default_model().threshold


@given(CHINESE)
@example("(数1)")  # all note: once kept the bracketed text but skipped its target ending
@settings(max_examples=300)
def test_normalize_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


# line breaks, NULs and other white space inside texts: the batch paths join texts with line
# breaks (OpenCC) and NULs (the rewrites)
MIXED = st.lists(
    st.text(
        alphabet=st.sampled_from(list("黨員鄉鎮安全生产责任制率数ab12 \n\r\t\x00、（）三次每年")),
        max_size=12,
    ),
    max_size=8,
)


@given(MIXED)
@settings(max_examples=200, deadline=None)
def test_many_texts_at_once_normalise_and_cut_as_one_by_one(texts):
    assert normalize_many(texts) == [normalize_text(t) for t in texts]
    cut = tokenize_many(texts)
    assert cut == [tuple(tokenize(t)) for t in texts]
    assert all(token.strip() for tokens in cut for token in tokens)


def test_batch_cut_matches_jieba_on_real_catalogues():
    """One jieba call over texts joined by line breaks cuts each labelled text as cutting it
    alone does (and so the engine's tokens did not change when the joined cut came in)."""
    names = pd.read_csv(ROOT / "data" / "real" / "catalogues.csv")["indicator"].tolist()
    for path in sorted((ROOT / "data" / "labelled").glob("*.csv")):
        pairs = pd.read_csv(path)
        names += [*pairs["text_a"], *pairs["text_b"]]
    texts = list(dict.fromkeys(normalize_many([str(name) for name in names])))
    alone = [tuple(t for t in _jieba().cut(text, True) if t.strip()) for text in texts]
    assert len(texts) > 3000
    assert tokenize_many(texts) == alone


@given(CHINESE, CHINESE)
@settings(max_examples=100, deadline=None)
def test_scores_are_symmetric_and_probabilities(a, b):
    forward = score_text_pairs([a], [b])
    backward = score_text_pairs([b], [a])
    assert np.allclose(forward[list(FEATURES)], backward[list(FEATURES)])
    assert np.allclose(forward["probability"], backward["probability"])
    values = forward[[*FEATURES, "probability"]].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()


def test_issue_examples_are_told_apart():
    threshold = default_model().threshold
    same = score_text_pairs(["安全生产责任制落实情况"], ["落实安全生产责任制"])["probability"][0]
    different = score_text_pairs(
        ["森林覆盖率", "农村生活污水治理率", "门诊患者满意度"],
        ["森林面积增长率", "城镇生活污水处理率", "住院患者满意度"],
    )["probability"]
    assert same >= threshold
    assert (different < threshold).all()


def test_conflict_features_flag_false_friends():
    texts = [
        "森林覆盖率",
        "森林面积增长率",
        "农村生活污水治理率",
        "城镇生活污水处理率",
        "城乡生活污水治理",
        # a wanted trend after the measure does not hide it: a count beside an amount
        "电信网络诈骗案件发案数同比下降",
        "电信网络诈骗案件损失金额同比下降",
        "营商环境持续优化提升",
    ]
    model = default_model()
    frame = pair_features(
        texts, np.array([0, 2, 2, 5, 5]), np.array([1, 3, 4, 6, 7]), model.idf, model.default_idf
    )
    assert frame["measure_conflict"].tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]
    assert frame["metric_pair"].tolist() == [1.0, 1.0, 0.0, 1.0, 0.0]  # 优化提升: no measure
    assert frame["contrast_conflict"].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]  # 城乡 covers 农村


def test_this_years_new_work_is_not_the_work_itself():
    """新建 counts this year's additions, as 新增 does: the area newly built is not the
    completion of the whole construction task, nor the stock of it."""
    texts = ["高标准农田新建面积", "高标准农田建设目标任务完成情况", "新建5G基站数", "5G基站总数"]
    model = default_model()
    frame = pair_features(
        normalize_many(texts), np.array([0, 2]), np.array([1, 3]), model.idf, model.default_idf
    )
    assert frame["flow_one_side"].tolist() == [1.0, 1.0]


def test_a_programme_name_is_content_only_where_nothing_else_is():
    texts = ["河长制工作宣传", "强化宣传教育", "贯彻落实林长制", "防汛责任人贯彻落实",
             "河湖长制工作落实情况", "田长制工作贯彻落实情况", "河长制经验被推广",
             "信访工作经验被推广"]  # fmt: skip
    model = default_model()
    frame = pair_features(
        normalize_many(texts), np.array([0, 2, 4, 6]), np.array([1, 3, 5, 7]), model.idf,
        model.default_idf,
    )  # fmt: skip
    # in one programme's catalogue its name says nothing about the task
    assert frame["content_unmatched_max"][0] == 0.0
    # a text about the programme itself keeps it as its content, and programmes still differ
    assert frame["content_unmatched_min"][1] == 1.0
    assert frame["contrast_conflict"][2] == 1.0
    # beside other work the programme is what the text is about
    assert frame["content_unmatched_min"][3] > 0.0
    scores = score_text_pairs(texts[0::2], texts[1::2])["probability"]
    assert scores[0] >= model.threshold
    assert (scores[1:] < model.threshold).all()


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("东溪街道中药材种植加工基地建设项目", "东溪街道"),
        ("城关镇农贸市场改造工程", "城关镇"),
        ("大坪瑶族乡圩镇污水管网工程", "大坪瑶族乡"),
        ("青禾经济开发区中药材种植加工产业园项目", "青禾开发区"),
        ("城南社区网格化管理", "城南社区"),
        # generic words before a kind of place are not names
        ("加强镇村干部培训", ""),
        ("乡镇街道综治中心规范化建设", ""),
        ("中心镇建设", ""),
        ("平安村创建", ""),
        ("推进工业园区污水集中处理", ""),
        ("农村社区建设", ""),
        ("家庭农场培育", ""),
        # a county may name itself: one indicator in two counties' lists stays comparable
        ("石城县河长制工作", ""),
    ],
)
def test_a_named_place_at_the_start_is_found(text, place):
    normalized = normalize_text(text)
    assert lexicon().places.leading(tokenize(normalized)) == place


def test_each_towns_own_project_is_not_another_towns():
    texts = [
        "白鹭镇山塘水库除险加固提升项目",
        "柳溪镇山塘水库除险加固提升项目",
        "白鹭镇山塘水库除险加固工程",
        "山塘水库除险加固提升项目",
    ]
    model = default_model()
    normalized = normalize_many(texts)
    frame = pair_features(
        normalized, np.array([0, 0, 1]), np.array([1, 2, 3]), model.idf, model.default_idf
    )
    assert frame["contrast_conflict"].tolist() == [1.0, 0.0, 0.0]
    probability = score_text_pairs(texts[:1], texts[1:2])["probability"][0]
    assert probability < model.threshold


def test_repeated_texts_get_the_features_of_their_single_copies():
    """Per-text work is done once per distinct text; every position must still read its own
    text's values, in either order and beside any other text."""
    rows = pd.read_csv(ROOT / "data" / "sample" / "gold" / "pairs.csv").head(60)
    distinct = [normalize_text(t) for t in [*rows["text_a"], *rows["text_b"]]]
    n = len(rows)
    model = default_model()
    alone = pair_features(distinct, np.arange(n), np.arange(n, 2 * n), model.idf, model.default_idf)
    # every text three times, shuffled; pair k compares a copy of text_a[k] with one of text_b[k]
    rng = np.random.default_rng(0)
    order = rng.permutation(np.repeat(np.arange(2 * n), 3))
    catalogue = [distinct[k] for k in order]
    copies = {k: np.flatnonzero(order == k) for k in range(2 * n)}
    a = np.array([rng.choice(copies[k]) for k in range(n)])
    b = np.array([rng.choice(copies[k + n]) for k in range(n)])
    repeated = pair_features(catalogue, a, b, model.idf, model.default_idf)
    pd.testing.assert_frame_equal(alone, repeated)
    # and those are the pairs' own values, not another text's
    pairs = list(zip(distinct[:n], distinct[n:], strict=True))
    np.testing.assert_allclose(repeated["ratio"], [fuzz.ratio(x, y) / 100 for x, y in pairs],
                               atol=1e-6)  # fmt: skip
    assert repeated["exact"].tolist() == [float(x == y) for x, y in pairs]


def test_pairs_asked_twice_read_the_values_of_their_first_asking(monkeypatch):
    """A pair of texts asked again (in either order) is computed once and copied, a chunk at
    a time: chunks far smaller than the pairs must change nothing."""
    import analysis.features as features

    rows = pd.read_csv(ROOT / "data" / "sample" / "gold" / "pairs.csv").head(40)
    texts = [normalize_text(t) for t in [*rows["text_a"], *rows["text_b"]]]
    n = len(rows)
    model = default_model()
    once = pair_features(texts, np.arange(n), np.arange(n, 2 * n), model.idf, model.default_idf)
    monkeypatch.setattr(features, "CHUNK", 7)
    a = np.r_[np.arange(n), np.arange(n, 2 * n)]  # every pair, then every pair swapped
    b = np.r_[np.arange(n, 2 * n), np.arange(n)]
    twice = pair_features(texts, a, b, model.idf, model.default_idf)
    expected = pd.concat([once, once], ignore_index=True)
    pd.testing.assert_frame_equal(twice, expected)


def test_candidates_keep_left_below_right_and_respect_blocks():
    texts = [
        "落实安全生产责任制",
        "安全生产责任制落实",
        "森林覆盖率",
        "落实安全生产责任制",
        "森林覆盖率",
    ]
    pairs = candidate_pairs(texts, block=["各镇", "各镇", "各镇", "党委部门", "各镇"])
    assert (pairs["i"] < pairs["j"]).all()
    found = set(zip(pairs["i"], pairs["j"], strict=True))
    assert {(0, 1), (2, 4)} <= found
    assert (0, 3) not in found and (1, 3) not in found
    assert pairs.loc[(pairs["i"] == 2) & (pairs["j"] == 4), "generator"].item() == "exact"


def test_one_indicator_in_every_towns_list_stays_one_cluster():
    # the same indicator in twenty-four towns' lists, half with one kind of scoring rule and
    # half with another, among other indicators: every copy ends in one cluster
    name = "空气质量优良天数比例"
    rules = ["空气质量优良率达到90%以上得满分，每低1个百分点扣0.2分，扣完为止。",
             "以统计部门数据为准，达到目标值得满分，低于目标值按比例得分。"]  # fmt: skip
    others = ["森林覆盖率", "城镇生活污水处理率", "农村生活污水治理率", "空气质量综合指数",
              "PM2.5平均浓度", "地表水考核断面水质达标率", "重污染天数", "扬尘治理"]  # fmt: skip
    texts = [name] * 24 + others
    criteria = [rules[k % 2] for k in range(24)] + [""] * len(others)
    result = dedup_texts(texts, criteria)
    assert len(set(result.labels[:24].tolist())) == 1
    exact = result.pairs[result.pairs["generator"] == "exact"]
    assert len(exact) == 24 * 23 // 2  # a group this size gets every pair scored
    assert not set(result.labels[24:].tolist()) & {result.labels[0]}


@pytest.mark.parametrize("copies", [12, 70])
def test_an_indicator_every_unit_carries_stays_one_with_its_rewording(copies):
    # seventy county departments carry one indicator (two kinds of scoring rule), and as
    # many carry its rewording: more copies than exact pairs are enumerated for (a chain
    # then) and than the n-gram search keeps neighbours: every copy of both in one cluster
    name, reworded = "安全生产责任制落实情况", "落实安全生产责任制"
    rules = ["全年未发生较大及以上生产安全事故得满分", "按时签订安全生产责任书得满分"]
    others = synthetic_indicators(400, seed=5)["name"].tolist()
    texts = others + [name] * copies + [reworded] * copies
    criteria = [""] * len(others) + [rules[k % 2] for k in range(2 * copies)]
    result = dedup_texts(texts, criteria)
    assert len(set(result.labels[len(others) :].tolist())) == 1
    assert not set(result.labels[: len(others)].tolist()) & {result.labels[-1]}
    pairs = result.pairs
    twins = pairs[(pairs["i"] >= len(others) + copies) != (pairs["j"] >= len(others) + copies)]
    twins = twins[twins["i"] >= len(others)]
    # every copy of one with every copy of the other, or beyond copies_pair_max every
    # kind of scoring rule of one with every kind of the other
    assert len(twins) == (copies * copies if copies * copies <= 3600 else 2 * 2)


@pytest.mark.parametrize("texts", [[], ["党建"], ["党", "建"], ["", ""], ["安全生产"] * 3])
def test_tiny_catalogues_give_pairs_not_errors(texts):
    # one indicator, names too short for any n-gram, or no text at all
    pairs = candidate_pairs(texts)
    expected = {(a, b) for a in range(len(texts)) for b in range(a + 1, len(texts))
                if texts[a] and texts[a] == texts[b]}  # fmt: skip
    assert set(zip(pairs["i"], pairs["j"], strict=True)) == expected
    if texts:
        labels = dedup_texts(texts, ["同一评分规则"] * len(texts)).labels
        assert len(set(labels.tolist())) == len(set(texts)) + texts.count("") - ("" in texts)


def test_candidates_below_the_floor_keep_only_each_rows_best_few():
    from dataclasses import replace

    from analysis.candidates import char_ngram_index
    from analysis.settings import CANDIDATES

    def found(texts, **changes):
        pairs = candidate_pairs(texts, settings=replace(CANDIDATES, **changes))
        return pairs, set(zip(pairs["i"], pairs["j"], strict=True))

    # a reworded pair shares few n-grams: below the floor, yet each other's best neighbour
    texts = ["加强宣传教育", "深化河长制培训宣传和教育", "森林覆盖率", "耕地保有量", "粮食产量"]
    matrix = char_ngram_index(texts).matrix
    cosine = float((matrix[0] @ matrix[1].T).toarray()[0, 0])
    assert CANDIDATES.tail_floor <= cosine < CANDIDATES.floor
    assert (0, 1) in found(texts)[1]
    assert (0, 1) not in found(texts, tail_k=0)[1]
    # ten texts alike only in part: with the floor out of reach, each row keeps tail_k of them
    alike = ["河长制宣传教育" + "甲乙丙丁戊己庚辛壬癸"[k] * 2 for k in range(10)]
    others = ["森林覆盖率", "耕地保有量", "粮食产量", "财政收入", "招商引资", "信访积案"]
    pairs, _ = found(alike + others, floor=0.99)
    assert 0 < len(pairs) <= CANDIDATES.tail_k * len(alike)
    assert len(found(alike + others, floor=0.0)[0]) > len(pairs)


def test_word_pairs_find_twins_in_families_the_ngram_cap_prunes():
    scopes = ["农村", "城镇", "全县", "乡镇", "社区", "学校", "机关", "园区", "景区", "山区"]
    periods = ["一季度", "上半年", "全年", "年度", "二季度"]
    family = [f"{p}{s}消防安全完成率" for p in periods for s in scopes]
    texts = [normalize_text(t) for t in [*family, "一季度建立农村消防安全"]]
    twin = (0, len(texts) - 1)  # 一季度农村消防安全完成率, reworded as a verb phrase
    # a catalogue so large that the n-gram cap bites: common n-grams go, the family looks alike
    capped = CandidateSettings(k=1, common_min=4, common_max=3, pair_k=1, pair_common_max=6)
    pairs = candidate_pairs(texts, settings=capped)
    found = pairs.set_index(["i", "j"])["generator"]
    assert found.get(twin) == "words"
    uncapped = candidate_pairs(texts, settings=CandidateSettings(k=1))
    assert "words" not in set(uncapped["generator"])


def test_candidate_recall_on_the_sample_county():
    rows = pd.read_csv(ROOT / "data/sample/gold/rows.csv", keep_default_na=False)
    normalized = [normalize_text(t) for t in rows["name"]]
    pairs = candidate_pairs(normalized)
    found = set(zip(pairs["i"], pairs["j"], strict=True))
    gold = [
        (a, b)
        for _, group in rows.groupby("concept_id")
        for a, b in itertools.combinations(group.index, 2)
    ]
    covered = [(a, b) in found or normalized[a] == normalized[b] for a, b in gold]
    assert np.mean(covered) >= 0.85


def test_clusters_do_not_chain_weak_links():
    # A≈B and B≈C strongly, A and C never compared: C stays apart under average linkage
    labels = cluster_pairs(3, np.array([0, 1]), np.array([1, 2]), np.array([0.9, 0.9]), 0.5)
    assert labels.tolist() == [0, 0, 2]


def test_clusters_equal_components_when_components_are_cliques():
    rng = np.random.default_rng(7)
    for _ in range(20):
        graph = nx.disjoint_union_all(
            [nx.complete_graph(int(rng.integers(1, 6))) for _ in range(int(rng.integers(2, 8)))]
        )
        n = graph.number_of_nodes()
        strong = np.array(sorted((min(u, v), max(u, v)) for u, v in graph.edges())).reshape(-1, 2)
        weak = rng.integers(0, n, size=(n, 2))
        weak = weak[weak[:, 0] < weak[:, 1]]
        edges = np.vstack([strong, weak])
        probability = np.r_[np.full(len(strong), 0.95), np.full(len(weak), 0.2)]
        labels = cluster_pairs(n, edges[:, 0], edges[:, 1], probability, 0.5)
        clusters = sorted(sorted(np.flatnonzero(labels == k).tolist()) for k in np.unique(labels))
        expected = sorted(sorted(c) for c in nx.connected_components(graph))
        assert clusters == expected


def _components_of(n, i, j):
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(i.tolist(), j.tolist(), strict=True))
    labels = np.empty(n, dtype=np.int64)
    for k, component in enumerate(nx.connected_components(graph)):
        labels[list(component)] = k
    return labels


def _average_linkage_per_component(n, i, j, p, threshold):
    """The definition, one component at a time with scipy's fcluster."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((a, b) for a, b, q in zip(i, j, p, strict=True) if q >= threshold)
    labels = np.arange(n)
    scored = {(a, b): q for a, b, q in zip(i, j, p, strict=True)}
    for component in nx.connected_components(graph):
        members = sorted(component)
        if len(members) < 2:
            continue
        distance = np.ones((len(members), len(members)))
        np.fill_diagonal(distance, 0.0)
        for x, a in enumerate(members):
            for y, b in enumerate(members):
                if (a, b) in scored:
                    distance[x, y] = distance[y, x] = 1.0 - scored[(a, b)]
        tree = linkage(squareform(distance), method="average")
        groups = fcluster(tree, 1.0 - threshold, criterion="distance")
        for group in np.unique(groups):
            chosen = np.asarray(members)[groups == group]
            labels[chosen] = chosen.min()
    return labels


def test_clusters_linked_in_batches_equal_linkage_per_component():
    # many small components are linked side by side in one scipy call: each must keep the
    # groups it gets alone, whatever the threshold
    rng = np.random.default_rng(11)
    n = 1500
    i = rng.integers(0, n, size=2500)
    j = (i + rng.integers(1, 12, size=2500)) % n  # local edges: many small components
    i, j = np.minimum(i, j), np.maximum(i, j)
    pairs = np.unique(np.c_[i, j][i != j], axis=0)
    p = rng.uniform(0.0, 1.0, size=len(pairs))
    for threshold in (0.5, 0.7, 0.9):
        got = cluster_pairs(n, pairs[:, 0], pairs[:, 1], p, threshold)
        want = _average_linkage_per_component(n, pairs[:, 0], pairs[:, 1], p, threshold)
        assert got.tolist() == want.tolist()
        kept = p >= threshold
        whole = _components_of(n, pairs[kept, 0], pairs[kept, 1])
        sizes = np.bincount(whole)
        assert (sizes >= 3).sum() >= 20  # many components go through the linkage together
        assert len(np.unique(got)) > len(np.unique(whole))  # and some of them are split
