"""考核减负 — Streamlit front end (UI only; all logic lives in the `analysis` library).

    streamlit run app.py

On first start the bundled sample county is imported into the workspace database.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

import analysis

APP_DIR = Path(__file__).resolve().parent
WORKSPACE = Path(os.environ.get("JIANFU_DB", str(APP_DIR / "data" / "workspace.duckdb")))

REDUCTION_COLUMNS = {
    "category": "单位类别", "before": "精减前", "after": "精减后", "rate": "精减率",
    "dropped": "取消", "merged_away": "整合归并", "converted": "调整转化",
    "points_before": "精减前分值", "points_after": "精减后分值",
}  # fmt: skip

CROSS_COLUMNS = {
    "topic": "指标内容", "categories": "类别数", "category_list": "单位类别",
    "indicators": "指标数", "assessors": "考核单位数", "assessor_list": "考核单位",
}  # fmt: skip

st.set_page_config(page_title="考核减负 · 指标精简分析", page_icon="📋", layout="wide")


def build_first_workspace() -> None:
    """Import and analyse the sample county with visible progress; the file appears only when
    everything is done."""
    with st.status("首次启动：正在导入示例县的考核指标表并查找相似指标……", expanded=True) as status:
        bar = st.progress(0.0)

        def step(name: str, number: int, total: int) -> None:
            bar.progress(number / total, text=f"（{number}/{total}）{name}")

        summary = analysis.build_sample_workspace(WORKSPACE, step, analysed=True)
        status.update(label=f"示例工作库已建立：{summary.indicators} 条指标", state="complete")


@st.cache_resource(show_spinner=False)
def open_store(path: str) -> analysis.Store:
    """One DuckDB connection per process; each query uses its own cursor."""
    return analysis.Store.open(path)


def show_reduction(store: analysis.Store) -> None:
    try:
        analysis.require_analysis(store)
    except analysis.JianfuError as error:
        st.info(f"{error.user_message}（命令行：jianfu analyse）")
        return
    table = analysis.by_category(store)
    st.subheader("按单位类别的精减情况")
    shown = table.assign(rate=table["rate"] * 100).rename(columns=REDUCTION_COLUMNS)
    st.dataframe(
        shown[list(REDUCTION_COLUMNS.values())],
        hide_index=True,
        width="stretch",
        column_config={"精减率": st.column_config.NumberColumn(format="%.1f%%")},
    )
    groups = analysis.pooled(table)
    if not groups.empty:
        cols = st.columns(len(groups))
        for col, row in zip(cols, groups.itertuples(index=False), strict=True):
            col.metric(
                row.group,
                f"{row.rate:.0%}",
                f"托克托 {row.reference_rate:.0%}",
                delta_color="off",
                delta_arrow="off",
                help=f"{int(row.before)} → {int(row.after)} 条；{row.reference_source}",
            )
    st.caption(
        "条目口径：同一考核表中分解到各单位的同一指标计为一条；精减后 = 建议保留的条目"
        "（整合归并的一组只计代表指标）。学校、医院委托主管部门考核，单列不计入精减率。"
    )


def show_summary(summary: analysis.WorkspaceSummary) -> None:
    cols = st.columns(4)
    cols[0].metric("指标表", f"{summary.batches}")
    cols[1].metric("指标数", f"{summary.indicators}")
    cols[2].metric("考核单位", f"{len(summary.by_assessor)}")
    cols[3].metric("被考核单位", f"{summary.units}")
    left, right = st.columns(2)
    with left:
        st.subheader("按单位类别")
        st.dataframe(summary.by_category, hide_index=True, width="stretch")
        st.caption("单位类别由考核对象识别；指向具体单位的指标按该单位的类别计。")
    with right:
        st.subheader("按考核单位")
        st.dataframe(summary.by_assessor, hide_index=True, width="stretch", height=400)
    st.subheader("已导入的指标表")
    st.dataframe(summary.by_batch, hide_index=True, width="stretch")
    st.subheader("被考核单位（按类别）")
    st.dataframe(summary.units_by_category, hide_index=True, width="stretch")


def show_cross_category(store: analysis.Store) -> None:
    try:
        topics = analysis.cross_category(store)
    except analysis.JianfuError as error:
        st.info(error.user_message)
        return
    st.subheader("同一指标用于多个单位类别")
    st.caption(
        "各类别的相似指标组按同一模型跨类别关联：同一内容向多类单位下达，宜统一口径、一次考核。"
    )
    st.dataframe(topics[list(CROSS_COLUMNS)].rename(columns=CROSS_COLUMNS), hide_index=True,
                 width="stretch", height=400)  # fmt: skip


def main() -> None:
    st.title("考核减负 · 指标精简分析")
    if not WORKSPACE.exists():
        try:
            build_first_workspace()
        except analysis.JianfuError as error:
            st.error(error.user_message)
            st.stop()
    try:
        store = open_store(str(WORKSPACE))
    except analysis.JianfuError as error:
        st.error(error.user_message)
        st.stop()
    st.caption(f"工作库：{WORKSPACE}")
    show_reduction(store)
    show_summary(analysis.workspace_summary(store))
    show_cross_category(store)


main()
