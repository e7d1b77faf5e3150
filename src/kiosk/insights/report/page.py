"""The report as one self-contained HTML page: every chart and heat map inline as a PNG
data: URI, no scripts, no links out, readable on any PC and printable."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #1f2933; background: #f4f6f8; margin: 0; }
main { max-width: 960px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 28px; margin: 8px 0 2px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 2px solid #0f7c8c; padding-bottom: 4px; }
.period { color: #52606d; font-size: 16px; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border-radius: 8px; padding: 12px 16px; min-width: 130px; flex: 1;
        box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card .value { font-size: 26px; font-weight: 700; color: #0f7c8c; }
.card .label { font-size: 13px; color: #52606d; }
figure { background: #fff; border-radius: 8px; margin: 12px 0; padding: 8px;
         box-shadow: 0 1px 2px rgba(0,0,0,.08); }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 13px; color: #52606d; padding: 6px 8px 2px; }
.nodata { background: #fff; border: 2px dashed #c1c7cd; border-radius: 8px; color: #52606d;
          padding: 28px; text-align: center; font-size: 16px; margin: 12px 0; }
.note { color: #52606d; font-size: 13px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e4e7eb; text-align: right; }
th { background: #e9eef2; font-weight: 600; }
td.name, th.name { text-align: left; }
.heat { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 12px; }
footer { margin-top: 40px; color: #52606d; font-size: 12px; }
footer li { margin: 2px 0; }
"""

NO_DATA = "该期间无数据 · No data for this period"


def data_uri(png: bytes) -> str:
    """A PNG as a data: URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def e(text: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(text), quote=True)


@dataclass
class Page:
    """The report page, built section by section."""

    title: str
    period: str
    parts: list[str] = field(default_factory=list)

    def cards(self, cards: Sequence[tuple[str, str]]) -> None:
        """Big numbers in a row: (value, label)."""
        items = "".join(
            f'<div class="card"><div class="value">{e(value)}</div>'
            f'<div class="label">{e(label)}</div></div>'
            for value, label in cards
        )
        self.parts.append(f'<section class="cards">{items}</section>')

    def heading(self, text: str, anchor: str) -> None:
        """A section title."""
        self.parts.append(f'<h2 id="{e(anchor)}">{e(text)}</h2>')

    def figure(self, png: bytes, width: int, alt: str, caption: str = "") -> None:
        """A chart or heat map, with an optional caption."""
        self.parts.append(self.figure_html(png, width, alt, caption))

    @staticmethod
    def figure_html(png: bytes, width: int, alt: str, caption: str = "") -> str:
        """The HTML of one figure."""
        text = f"<figcaption>{e(caption)}</figcaption>" if caption else ""
        return f'<figure><img src="{data_uri(png)}" width="{width}" alt="{e(alt)}">{text}</figure>'

    def no_data(self, what: str = NO_DATA) -> None:
        """Said instead of an empty chart."""
        self.parts.append(f'<div class="nodata">{e(what)}</div>')

    def note(self, text: str) -> None:
        """A line of small print."""
        self.parts.append(f'<p class="note">{e(text)}</p>')

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A table; the second column (names) is left-aligned."""
        head = "".join(
            f'<th class="name">{e(h)}</th>' if n == 1 else f"<th>{e(h)}</th>"
            for n, h in enumerate(headers)
        )
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="name">{e(c)}</td>' if n == 1 else f"<td>{e(c)}</td>"
                for n, c in enumerate(row)
            )
            + "</tr>"
            for row in rows
        )
        self.parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def raw(self, markup: str) -> None:
        """Markup built by the caller (already escaped)."""
        self.parts.append(markup)

    def footer(self, lines: Sequence[str]) -> None:
        """The small print at the end."""
        items = "".join(f"<li>{e(line)}</li>" for line in lines)
        self.parts.append(f"<footer><ul>{items}</ul></footer>")

    def html(self) -> str:
        """The whole page."""
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{e(self.title)} — {e(self.period)}</title>\n<style>{STYLE}</style>\n"
            f"</head>\n<body>\n<main>\n<h1>{e(self.title)}</h1>\n"
            f'<p class="period">{e(self.period)}</p>\n'
            + "\n".join(self.parts)
            + "\n</main>\n</body>\n</html>\n"
        )
