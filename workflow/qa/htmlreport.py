"""The QA report a reviewer reads without the CLI: one self-contained HTML
page (no script, no external file) with the counts by check and
severity, then every finding with its segment's source and translation.
Pure: a string out, the same bytes for the same findings.

May import: nothing from the package (it reads the findings' attributes).
"""

from __future__ import annotations

import collections
from html import escape

_STYLE = """body{font-family:"Noto Sans","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}th,td{border:1px solid #ccc;padding:.3em .5em;
vertical-align:top;text-align:left}th{background:#f0f0f0}.error{background:#fde2e2}.warning{background:#fff4d6}
.info{background:#eef4ff}td.n{text-align:right}td.text{max-width:32em}"""


def render(findings, texts: dict, title: str = "QA report") -> str:
    """``findings`` (checks.Finding) as an HTML page; ``texts`` maps
    (article, language, segment) to (source, translation)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]
    counts = collections.Counter(f.severity for f in findings)
    out.append(f"<p>{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info.</p>")
    out += _summary(findings)
    out += _details(findings, texts)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _summary(findings) -> list[str]:
    rows = collections.Counter((f.check, f.severity) for f in findings)
    if not rows:
        return ["<p>No findings.</p>"]
    out = ["<h2>By check</h2>", "<table><tr><th>check</th><th>severity</th><th>findings</th></tr>"]
    for (check, severity), n in sorted(rows.items()):
        out.append(
            f'<tr class="{escape(severity)}"><td>{escape(check)}</td><td>{escape(severity)}</td>'
            f'<td class="n">{n}</td></tr>'
        )
    out.append("</table>")
    return out


def _details(findings, texts: dict) -> list[str]:
    out = []
    by_article = collections.defaultdict(list)
    for f in findings:
        by_article[(f.article, f.language)].append(f)
    for (article, lang), found in by_article.items():
        out.append(f"<h2>{escape(article)} ({escape(lang)})</h2>")
        out.append(
            "<table><tr><th>segment</th><th>role</th><th>severity</th><th>check</th><th>finding</th>"
            "<th>source</th><th>translation</th></tr>"
        )
        for f in found:
            source, target = texts.get((article, lang, f.segment), ("", ""))
            out.append(
                f'<tr class="{escape(f.severity)}"><td>{escape(f.segment)}</td><td>{escape(f.role)}</td>'
                f"<td>{escape(f.severity)}</td><td>{escape(f.check)}</td><td>{escape(f.message)}</td>"
                f'<td class="text" lang="zh">{escape(source)}</td><td class="text">{escape(target)}</td></tr>'
            )
        out.append("</table>")
    return out
