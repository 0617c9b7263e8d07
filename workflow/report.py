"""Rendering service results as text or JSON.  Pure: strings out."""
from __future__ import annotations

import json


def format_extract(result) -> str:
    lines = []
    for name, n in result.segments.items():
        roles = ", ".join(f"{count} {role}" for role, count in sorted(result.roles[name].items()))
        lines.append(f"{name}: {n} segments ({roles})")
    for path in result.written:
        lines.append(f"wrote {path}")
    if result.unchanged and not result.written:
        lines.append("translation files are up to date")
    if result.suspected_defects:
        lines.append(f"{result.suspected_defects} suspected layout defect(s); run 'bilingual lint' to see them")
    return "\n".join(lines)


def format_defects(defects) -> str:
    lines = [f"{d.path}:{d.line}: {d.reason}" for d in defects]
    lines.append(f"{len(defects)} suspected defect(s)" if defects else "no layout defects found")
    return "\n".join(lines)


_COLUMNS = ("total", "translated", "reviewed", "fuzzy", "untranslated", "obsolete", "source_chars", "target_words")


def format_status(result) -> str:
    head = ["file", "lang", "segments", "translated", "reviewed", "fuzzy", "untransl.", "obsolete", "zh chars", "en words", "done"]
    rows = [head]
    for c in result.files + ([result.total] if len(result.files) != 1 else []):
        rows.append([c.path, c.language] + [str(getattr(c, k)) for k in _COLUMNS] + [f"{c.percent:.1f}%"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = []
    for r in rows:
        out.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))).rstrip())
    for path, sid, role, state, text in result.listed:
        short = text if len(text) <= 40 else text[:39] + "…"
        out.append(f"{sid}  {role:<9} {state:<12} {short}  ({path})")
    return "\n".join(out)


def status_json(result) -> str:
    return json.dumps(
        {
            "files": [c.as_dict() for c in result.files],
            "total": {k: v for k, v in result.total.as_dict().items() if k not in ("path", "language")},
            **(
                {"listed": [dict(zip(("path", "id", "role", "state", "source"), row)) for row in result.listed]}
                if result.listed
                else {}
            ),
        },
        ensure_ascii=False,
        indent=2,
    )
