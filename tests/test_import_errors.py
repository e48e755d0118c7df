"""Bad and malicious files: a Chinese message with coordinates, and the database untouched."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from analysis import ImportOptions, ImportRejected, import_file
from analysis.settings import IMPORT_LIMITS

from conftest import FIXTURES, snapshot

GOOD = "县应急管理局-各镇安全生产考核细则.xlsx"


@pytest.fixture
def loaded(store):
    import_file(store, FIXTURES / GOOD)
    import_file(store, FIXTURES / "单位名录.xlsx")
    return store


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xlsx", "《empty.xlsx》：文件为空"),
        ("corrupt.xlsx", "《corrupt.xlsx》：文件已损坏，无法作为 Excel 文件打开"),
        (
            "binary.xlsx",
            "《binary.xlsx》：无法识别的文件格式：请上传 Excel（.xlsx/.xls）或 CSV 文件",
        ),
        ("encrypted.xlsx", "《encrypted.xlsx》：文件设置了打开密码，请取消密码后重新导入"),
        (
            "excel2003.xml",
            "《excel2003.xml》：这是 Excel 2003 XML 表格，请在 Excel 中另存为 .xlsx 后重新导入",
        ),
        ("zipbomb.xlsx", "《zipbomb.xlsx》：文件解压后异常庞大（疑似压缩炸弹），已拒绝导入"),
        (
            "disguised-docx.xlsx",
            "《disguised-docx.xlsx》：这是 Word 文档，请将指标表格复制到 Excel 后导入",
        ),
    ],
)
def test_unreadable_files_are_rejected_and_change_nothing(loaded, name, message):
    before = snapshot(loaded)
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, FIXTURES / name)
    assert caught.value.user_message == message
    assert snapshot(loaded) == before


def test_text_file_named_xlsx_is_read_by_content(loaded):
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, FIXTURES / "notes.xlsx")
    assert "没有找到指标表头" in caught.value.user_message
    assert "内容是纯文本" in caught.value.user_message


def test_every_bad_row_is_named_with_sheet_row_and_column(loaded):
    before = snapshot(loaded)
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, FIXTURES / "县民政局-各镇民政工作考核.xlsx")
    assert sorted(str(p) for p in caught.value.problems) == sorted(
        [
            "《县民政局-各镇民政工作考核.xlsx》工作表“指标”第3行“C”列：分值“待定”无法识别",
            "《县民政局-各镇民政工作考核.xlsx》工作表“指标”第4行“B”列：有评分内容但缺少指标名称",
            "《县民政局-各镇民政工作考核.xlsx》工作表“指标”第5行“C”列：分值 5000 超出合理范围",
        ]
    )
    assert snapshot(loaded) == before


def test_problem_list_is_capped(loaded, tmp_path):
    path = tmp_path / "many.csv"
    lines = ["指标名称,分值"] + [f"指标{i},很多" for i in range(120)]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(loaded, path)
    assert len(caught.value.problems) == IMPORT_LIMITS.max_problems
    assert caught.value.omitted == 70
    assert "另有 70 处问题未列出" in caught.value.user_message


def test_file_size_limit(loaded):
    tiny = ImportOptions(limits=replace(IMPORT_LIMITS, max_file_bytes=100))
    before = snapshot(loaded)
    with pytest.raises(ImportRejected, match="文件过大"):
        import_file(loaded, FIXTURES / GOOD, tiny)
    assert snapshot(loaded) == before


def test_row_limit(loaded, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("指标名称,分值\n" + "安全生产,5\n" * 30, encoding="utf-8")
    small = ImportOptions(limits=replace(IMPORT_LIMITS, max_rows_per_sheet=10))
    with pytest.raises(ImportRejected, match="行数过多"):
        import_file(loaded, path, small)


def test_xml_entity_expansion_is_not_performed(loaded, tmp_path):
    """A 'billion laughs' sharedStrings part must neither hang nor blow up memory."""
    laughs = (
        '<!DOCTYPE x [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + "]>"
    )
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(FIXTURES / GOOD) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                head, _, rest = text.partition("?>")
                data = (head + "?>" + laughs + rest.replace("隐患排查整治", "&i;", 1)).encode()
            target.writestr(item, data)
    before = snapshot(loaded)
    try:
        import_file(loaded, path)
    except ImportRejected:
        assert snapshot(loaded) == before
        return
    longest = loaded.scalar("SELECT max(length(name)) FROM indicators")
    assert longest < 1000


def test_failed_write_rolls_back(loaded, monkeypatch):
    """A failure in the middle of writing leaves the previous content exactly as it was."""
    import analysis.batches as batches

    before = snapshot(loaded)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(batches, "register_units", explode)
    with pytest.raises(RuntimeError):
        import_file(loaded, FIXTURES / "年度专项考核汇总.xlsx")
    assert snapshot(loaded) == before


def test_zip_without_workbook(loaded, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path = tmp_path / "archive.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportRejected, match="压缩文件中没有 Excel 工作簿"):
        import_file(loaded, path)
