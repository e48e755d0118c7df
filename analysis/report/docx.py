"""The 通报 as a Word document (python-docx): A4, 公文 margins, Chinese fonts set as East Asian
fonts on the styles (Word picks the Chinese face from w:eastAsia, not from the font name).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .content import TITLE, Chart, Heading, Paragraph, ReportContent, Table, format_cell, narrative

LATIN_FONT = "Times New Roman"
# (style, East Asian font, size in points, bold); sizes follow 公文: 三号 16 pt, 二号 22 pt.
STYLE_FONTS = (
    ("Normal", "仿宋_GB2312", 14, False),
    ("Heading 1", "黑体", 16, False),
    ("Heading 2", "楷体_GB2312", 15, True),
    ("Title", "宋体", 22, True),
    ("表格文字", "仿宋_GB2312", 9, False),
)
# Machines without the Windows fonts (e.g. LibreOffice on Linux) fall back to these families.
ALT_FONTS = {"仿宋_GB2312": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC",
             "楷体_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}  # fmt: skip
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
PAGE_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704 公文版心


def write_docx(content: ReportContent, path: Path) -> None:
    document = Document()
    _page(document)
    _styles(document)
    _font_table(document)
    document.core_properties.title = TITLE
    document.core_properties.author = "考核减负分析"
    title = document.add_paragraph(TITLE, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated = document.add_paragraph(f"（{content.generated:%Y年%m月%d日}）")
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in narrative(content):
        if isinstance(block, Heading):
            document.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            paragraph.paragraph_format.first_line_indent = Pt(28)  # two characters
        elif isinstance(block, Table):
            _table(document, block)
        elif not isinstance(block, Chart):  # the chart is drawn in the PDF only
            raise TypeError(f"unknown block {block!r}")
    document.save(str(path))


def _page(document: DocumentObject) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(PAGE_MARGINS_MM["top"])
        section.bottom_margin = Mm(PAGE_MARGINS_MM["bottom"])
        section.left_margin = Mm(PAGE_MARGINS_MM["left"])
        section.right_margin = Mm(PAGE_MARGINS_MM["right"])


def set_east_asian(element, east_asian: str) -> None:
    """rFonts with an explicit East Asian face; theme attributes would override it."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(document: DocumentObject) -> None:
    styles = document.styles
    table_style = styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    table_style.base_style = styles["Normal"]
    table_style.paragraph_format.space_after = Pt(0)
    table_style.paragraph_format.line_spacing = 1.0
    for name, east_asian, size, bold in STYLE_FONTS:
        style = styles[name]
        set_east_asian(style.element, east_asian)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = RGBColor(0, 0, 0)  # the template's headings are blue
    styles["Normal"].paragraph_format.line_spacing = 1.25


def _font_table(document: DocumentObject) -> None:
    """Declare the Chinese fonts with alternative names for machines that lack them."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")
    )
    root = etree.fromstring(part.blob)
    for name, alternative in ALT_FONTS.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
    # The font table is a plain Part in python-docx: its bytes are the only handle on it.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _table(document: DocumentObject, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.columns), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, label in zip(header.cells, block.columns, strict=True):
        cell.text = label
        cell.paragraphs[0].style = "表格文字"
        cell.paragraphs[0].runs[0].bold = True
    for values in block.rows:
        cells = table.add_row().cells
        for cell, value, kind in zip(cells, values, block.kinds, strict=True):
            cell.text = format_cell(value, kind)
            cell.paragraphs[0].style = "表格文字"
            if kind != "text":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _repeat_header(row) -> None:
    """The header row repeats on every page the table spans."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
