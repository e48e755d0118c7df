"""The 通报 as PDF: HTML rendered here (every value escaped), laid out by WeasyPrint in
Noto Sans CJK SC (Debian fonts-noto-cjk), with the before/after chart embedded as SVG.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from .chart import before_after_svg
from .content import TITLE, Chart, Heading, Paragraph, ReportContent, Table, format_cell, narrative

CSS = """
@page { size: A4; margin: 22mm 20mm 20mm 20mm;
        @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 10.5pt;
       line-height: 1.6; color: #111; }
h1.title { text-align: center; font-size: 20pt; margin: 0 0 2mm 0; }
p.date { text-align: center; margin: 0 0 6mm 0; }
h2 { font-size: 13pt; margin: 6mm 0 2mm 0; }
h3 { font-size: 11pt; margin: 4mm 0 1mm 0; }
p { text-indent: 2em; margin: 0 0 2mm 0; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 2mm 0 4mm 0; }
thead { display: table-header-group; }
th { background: #DDEBF7; font-weight: bold; }
th, td { border: 0.5pt solid #888; padding: 1mm 1.5mm; }
td.num { text-align: right; white-space: nowrap; }
tr { page-break-inside: avoid; }
figure { margin: 2mm 0 4mm 0; text-align: center; page-break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 9pt; color: #444; }
"""
CHART_CAPTION = "图：各类别精减前后指标条数及精减率（虚线为托克托县公布的精减率）"


def render_html(content: ReportContent) -> str:
    parts = [f"<h1 class='title'>{escape(TITLE)}</h1>",
             f"<p class='date'>（{content.generated:%Y年%m月%d日}）</p>"]  # fmt: skip
    for block in narrative(content):
        if isinstance(block, Heading):
            level = block.level + 1
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(_figure(before_after_svg(content.categories)))
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{escape(TITLE)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def _table(block: Table) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for label in block.columns)
    rows = []
    for values in block.rows:
        cells = "".join(
            f"<td class='{'text' if kind == 'text' else 'num'}'>{escape(format_cell(v, kind))}</td>"
            for v, kind in zip(values, block.kinds, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(svg: str) -> str:
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f"<figure><img alt='{escape(CHART_CAPTION)}' src='data:image/svg+xml;base64,{encoded}'>"
        f"<figcaption>{escape(CHART_CAPTION)}</figcaption></figure>"
    )


def write_pdf(content: ReportContent, path: Path) -> None:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF needs.
    from weasyprint import HTML

    HTML(string=render_html(content)).write_pdf(str(path))
