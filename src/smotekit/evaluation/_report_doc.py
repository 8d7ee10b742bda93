"""The report's document: Markdown and HTML built side by side, and the page's style."""

from __future__ import annotations

import base64
import html
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CSS", "ReportDocument"]

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.6em 0 1.4em; font-size: 0.88em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
td { white-space: nowrap; }
th { vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0 1.5em; }
.note { color: #555; font-size: 0.92em; }
.verdict li { margin: 0.35em 0; }
.warning li { color: #8a4b00; }
.scroll { overflow-x: auto; }
table.text td { text-align: left; white-space: normal; }
figure { margin: 0.5em 0 1.8em; }
figcaption { color: #555; font-size: 0.9em; max-width: 900px; }
"""


def _fmt(value: Any, digits: int = 3) -> str:
    if isinstance(value, (float, np.floating)):
        return "n/a" if np.isnan(value) else f"{value:.{digits}f}"
    return str(value)


class ReportDocument:
    """Builds the Markdown and the HTML versions of the report side by side."""

    def __init__(self) -> None:
        self.md: list[str] = []
        self.html: list[str] = []

    def heading(self, text: str, level: int = 2) -> None:
        self.md.append(f"{'#' * level} {text}\n")
        self.html.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str, note: bool = False) -> None:
        self.md.append(f"{text}\n")
        css = ' class="note"' if note else ""
        self.html.append(f"<p{css}>{html.escape(text)}</p>")

    def bullets(self, items: list[str], css: str = "") -> None:
        self.md.extend(f"- {item}" for item in items)
        self.md.append("")
        cls = f' class="{css}"' if css else ""
        entries = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        self.html.append(f"<ul{cls}>{entries}</ul>")

    def table(self, frame: pd.DataFrame, bold: pd.DataFrame | None = None, css: str = "") -> None:
        header = [str(c) for c in frame.columns]
        rows = [[_fmt(v) for v in row] for row in frame.itertuples(index=False)]
        strong = (
            bold.to_numpy(dtype=bool)
            if bold is not None
            else np.zeros((len(rows), len(header)), dtype=bool)
        )

        def md_cell(text: str, b: bool) -> str:
            text = text.replace("|", "\\|")
            return f"**{text}**" if b else text

        self.md.append("| " + " | ".join(header) + " |")
        self.md.append("|" + "|".join("---" for _ in header) + "|")
        for row, flags in zip(rows, strong):
            self.md.append("| " + " | ".join(md_cell(c, b) for c, b in zip(row, flags)) + " |")
        self.md.append("")
        # Headers wrap at their underscores, so that wide tables fit the page.
        cells = "".join(f"<th>{html.escape(h.replace('_', ' '))}</th>" for h in header)
        cls = f" class='{css}'" if css else ""
        body = [f"<div class='scroll'><table{cls}><thead><tr>{cells}</tr></thead><tbody>"]
        for row, flags in zip(rows, strong):
            tds = "".join(
                f"<td><strong>{html.escape(c)}</strong></td>" if b else f"<td>{html.escape(c)}</td>"
                for c, b in zip(row, flags)
            )
            body.append(f"<tr>{tds}</tr>")
        body.append("</tbody></table></div>")
        self.html.append("".join(body))

    def image(self, name: str, png: bytes, relative: str, caption: str) -> None:
        self.md.append(f"![{name}]({relative})\n")
        self.md.append(f"*{caption}*\n")
        encoded = base64.b64encode(png).decode("ascii")
        self.html.append(
            f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
