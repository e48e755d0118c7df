"""Static text of data/sample/README.md (the generated sections go between HEADER and FOOTER)."""

HEADER = """# Sample county: 青禾县 (synthetic)

Generated, do not edit by hand: `python -m analysis.synth.sample --out data/sample` rewrites
everything here from a fixed seed (byte-identical on every run). The county, its units and every
indicator are fictional; the wording was written for this project from the patterns in
`shared/domain.md` and `shared/real/` (see "Sources" below), not copied from web catalogues.

What it is for: a realistic import + near-duplicate + recommendation workload with gold labels —
the 组织部's annual comprehensive assessment for each unit category, line departments' own
assessments of the same units (the same work worded differently → 多头考核), the entrusted
schools and hospitals, and per-town task breakdowns.
"""

FOOTER = """### rows.csv
`file,sheet,row,concept_id,name,criteria,score_text,assessor,target,tags` — one line per
indicator row.
- `row` is 1-based: the spreadsheet row (xlsx/xls), the CSV line (header and title lines
  counted; no cell holds a line break in the CSVs), or the `<tr>` index of the HTML-as-.xls
  (title and header rows counted). `sheet` is empty for the CSV and HTML files.
- `name` is the name cell exactly as written (with its numbering prefix, full-width digits or
  traditional characters); `criteria` the 评分标准 cell; `score_text` the score as written
  ("10分", "10", "5%", "2-4分", "最高加2分", "扣分项", "一票否决"; the number in numeric cells).
- `assessor` is the body that scores the row (the file's department; in the 平安建设 file the
  row's 牵头单位). `target` is a unit category (各镇, 党委部门, …, 学校, 医院), `县直部门`
  (all five department categories) or a unit name (rows of 考核对象 / 被考核单位 / 责任单位
  files).
- `concept_id` is shared by rows that are the same indicator and should be merged: reworded
  duplicates across assessors, within a catalogue (相互涵盖), and the same indicator in per-town
  breakdowns. C… topic concepts, F… a department's own 职能目标, P… key projects.
- `tags` (`|`-joined) say what the indicator is, from its concept: trace, app_usage,
  low_weight, convert_annual, off_duty, outcome, deduction_only, bonus, veto,
  statistics_method. Rows of the special/quarterly/routine-check files (专项述职, 第三季度,
  日常督查) also carry convert_annual.

### pairs.csv, clusters.csv
- `pairs.csv` (`text_a,text_b,label,criteria_a,criteria_b`, the `jianfu eval` format): every
  pair of distinct wordings of one concept (label 1; sampled to at most 1500), then hard
  negatives (label 0): the most look-alike wordings of different concepts by character and
  bigram Jaccard (…率 vs …数 vs …增长率, 农村 vs 城镇, 初中 vs 小学, 门诊 vs 住院, one town's
  project vs another's, 一季度 vs 全年, 上年度 vs 本年度), at least as many as the positives.
  Texts are the wordings without numbering prefixes.
- `clusters.csv` (`text,gold_cluster`): each distinct wording with its concept id.

### units
- `units.csv` (UTF-8 with BOM): `单位名称,单位性质,主管部门` — the roster as a county sends it,
  without categories.
- `gold/units.csv`: `unit_name,category,entrusted_to` (教育局党委 / 卫健委党委 / empty).

## Sources
No row of `shared/real/` is copied. Some indicator names are the standard national wording
that any hospital catalogue uses and also appear in the real development set: the hospital
performance indicators (出院患者手术占比, 手术患者并发症发生率, 抗菌药物使用强度, 平均住院日,
资产负债率, 医护比, 门诊/住院次均费用增幅, 日间手术占择期手术比例, 出院患者四级手术比例,
医疗服务收入占医疗收入比例, 人员支出占业务支出比重, 万元收入能耗支出, 医务人员满意度,
门诊/住院患者满意度, 预约诊疗率, 基本药物…占比, 医疗收入增幅) follow the national lists
transcribed in shared/real as sources S03 and S04; the river-chief topics (非法采砂, 入河排污口,
河湖“清四乱”, 一河一策, 河长公示牌, 成员单位履职) follow the themes of S01, S02 and S35.
"""
