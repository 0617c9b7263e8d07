"""Rendering the commands' results as text or JSON.  Pure: strings out.

May import: gate (the kinds of blocker), postedit (the post-edit bands); otherwise it reads the results' attributes.
"""

from __future__ import annotations

import json

from workflow.commands import gate


def format_extract(result) -> str:
    if not result.segments and not result.written:
        return "no articles to extract: put a .md, .txt or .docx article in source/ (is --root the project folder?)"
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
    lines = [f"{d.path}:{d.line}: {d.reason}{' (accepted in review)' if d.accepted else ''}" for d in defects]
    accepted = sum(d.accepted for d in defects)
    if defects:
        lines.append(f"{len(defects)} suspected defect(s)" + (f", {accepted} accepted in review" if accepted else ""))
    else:
        lines.append("no layout defects found")
    return "\n".join(lines)


_COLUMNS = ("total", "translated", "reviewed", "fuzzy", "untranslated", "obsolete", "source_chars", "target_words")


def format_status(result) -> str:
    if not result.files and not result.orphans:
        return "no articles yet: put a .md or .txt article in source/ and run 'bilingual extract'"
    head = [
        "file",
        "lang",
        "segments",
        "translated",
        "reviewed",
        "fuzzy",
        "untransl.",
        "obsolete",
        "zh chars",
        "en words",
        "done",
    ]
    rows = [head]
    for c in result.files + ([result.total] if len(result.files) != 1 else []):
        rows.append([c.path, c.language] + [str(getattr(c, k)) for k in _COLUMNS] + [f"{c.percent:.1f}%"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = []
    for r in rows:
        out.append(
            "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))).rstrip()
        )
    out += _draft_lines(result)
    for path, bands in result.memory.items():
        remaining = sum(n for b, n in bands.items() if b in _BAND_ORDER)  # "aligned" is no band
        matched = remaining - bands.get("none", 0)
        detail = ", ".join(
            f"{n} at {b}"
            for b, n in sorted(bands.items(), key=lambda kv: _BAND_ORDER.get(kv[0], 99))
            if b in _BAND_ORDER and b != "none" and n
        )
        aligned = f"; {bands['aligned']} from aligned, unreviewed units" if bands.get("aligned") else ""
        out.append(
            f"memory: {matched} of {remaining} remaining segment(s) of {path} have a match"
            + (f" ({detail}{aligned})" if detail else "")
        )
    for path, sid, role, state, text in result.listed:
        short = text if len(text) <= 40 else text[:39] + "…"
        out.append(f"{sid}  {role:<9} {state:<12} {short}  ({path})")
    for name in result.orphans:
        out.append(
            f"orphaned: translations of {name} have no article in the source folder "
            f"(renamed? run 'bilingual rename {name} NEW')"
        )
    return "\n".join(out)


def _draft_lines(result) -> list[str]:
    """Drafts (machine, memory) no person has confirmed, and those confirmed unedited."""
    out = []
    for c in result.files + ([result.total] if len(result.files) != 1 else []):
        if c.machine or c.memory or c.other_drafts or c.confirmed_unedited:
            out.append(
                f"drafts: {c.path}: {c.machine} machine and {c.memory} memory draft(s) not confirmed by a "
                f"person"
                + (f", {c.other_drafts} aligned or pseudo" if c.other_drafts else "")
                + f"; {c.confirmed_unedited} confirmed unedited"
            )
    return out


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
            **({"memory": {path: dict(bands) for path, bands in result.memory.items()}} if result.memory else {}),
            **({"orphans": result.orphans} if result.orphans else {}),
        },
        ensure_ascii=False,
        indent=2,
    )


def format_findings(result) -> str:
    lines = [f"{f.article}:{f.segment}  {f.role:<9} {f.severity:<7} {f.check}: {f.message}" for f in result.findings]
    lines.append(f"{result.errors} error(s), {result.warnings} warning(s), {result.infos} info")
    return "\n".join(lines)


def findings_json(result) -> str:
    return json.dumps(
        {
            "findings": [f.as_dict() for f in result.findings],
            "errors": result.errors,
            "warnings": result.warnings,
            "info": result.infos,
        },
        ensure_ascii=False,
        indent=2,
    )


def blocker_lines(blockers) -> list[str]:
    """One line per segment or source defect that blocks a final build, naming its file."""
    lines = []
    for b in blockers:
        if b.kind == gate.LINT:
            for held in b.entries:
                how = (
                    f" (accept: bilingual review {b.article} --accept lint --segment {held.segment} --note WHY)"
                    if held.segment
                    else ""
                )
                lines.append(f"{b.where}:{held.line}: lint: {held.reason}{how}")
        else:
            lines += [f"{b.where}: {held.segment}  {held.role:<9} {held.reason}" for held in b.entries]
    return lines


def blockers_json(blockers) -> str:
    """The blockers as JSON: each with its article, edition, kind, file, count and entries."""
    return json.dumps(
        {"blockers": [b.as_dict() for b in blockers], "problems": gate.blocking(blockers)},
        ensure_ascii=False,
        indent=2,
    )


def _draft_note(b) -> str | None:
    """What a draft says it printed although ``b`` would block a final build (QA errors: listed apart)."""
    if b.kind == gate.READINESS:
        return f"{b.article} [{b.edition}]: {b.count} segment(s) not ready, {b.translated:.0f}% translated"
    if b.kind == gate.LINT:
        return f"{b.article}: {b.count} source defect(s) from lint not accepted, printed as received"
    return None


def build_notes(result) -> list[str]:
    """What a build tells on stderr: fonts the PDFs fall back from, then per
    article what a draft waived and the photos that print soft, then the QA
    errors a draft ignored (each once per catalog)."""
    notes = list(result.warnings)
    ignored: list[str] = []
    for told in result.told:
        notes += filter(None, (_draft_note(b) for b in told.waived))
        notes += told.notes
        for b in told.waived:
            if b.kind == gate.QA:
                ignored += dict.fromkeys(blocker_lines([b]))
    return notes + [f"QA error (ignored in draft): {line}" for line in ignored]


def format_export(result) -> str:
    return f"wrote {result.path} ({result.rows} segment(s), {result.format})"


def format_submit(result) -> str:
    lines = [
        f"{outcome:<9} {sid}  {reason}  [{where}]"
        for outcome, where, sid, reason in result.items
        if outcome != "unchanged"
    ]
    lines += [f"note      {where}: {notice}" for where, notice in result.notices]
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    if result.notes:
        counts += f"; {result.notes} translator note(s)"
    if result.reviewed:
        counts += f"; {result.reviewed} approved in the kit, recorded as reviewed"
    if result.approvals_ignored:
        counts += (
            f"; {result.approvals_ignored} approved in the kit but not recorded as reviews "
            "(give --reviewer NAME to record them)"
        )
    lines.append(("dry run, nothing written: " if result.dry_run else "") + counts)
    lines.extend(f"wrote {p}" for p in result.written)
    return "\n".join(lines)


def format_review(result) -> str:
    lines = [f"reviewed  {sid}" for sid in result.reviewed]
    lines += [f"rejected  {sid}" for sid in result.rejected]
    lines += [f"accepted  {sid}" for sid in result.accepted]
    lines += [f"skipped   {sid}  {why}" for sid, why in result.skipped]
    lines.append(
        f"{len(result.reviewed)} reviewed, {len(result.rejected)} sent back, {len(result.accepted)} finding(s) accepted, "
        f"{len(result.skipped)} skipped"
    )
    lines.extend(f"wrote {p}" for p in result.written)
    return "\n".join(lines)


def format_pretranslate(result) -> str:
    bands = ", ".join(f"{n} at {b}" for b, n in sorted(result.filled.items(), key=lambda kv: _BAND_ORDER[kv[0]]))
    lines = [
        ("dry run, nothing written: " if result.dry_run else "")
        + f"{result.translated} translated, {result.fuzzy} fuzzy, {result.unmatched} without a match"
        + (f" [{bands}]" if bands else "")
    ]
    lines += [f"wrote {p}" for p in result.written]
    return "\n".join(lines)


def format_machine(result) -> str:
    """What ``pretranslate --engine`` did, or (dry run) would send."""
    if result.dry_run and result.engine.startswith("replay"):
        lines = [
            f"dry run, nothing written: {result.to_send_segments} segment(s) would be drafted from "
            f"{result.engine}; {result.missing} not in the replay file"
        ]
    elif result.dry_run:
        lines = [
            f"dry run, nothing sent or written: {result.to_send_segments} segment(s), {result.to_send_chars} "
            f"source character(s) to send to {result.engine}; {result.cached} in the cache (free)"
        ]
    elif result.engine.startswith("replay"):
        lines = [
            f"{result.filled} machine draft(s) from {result.engine} (fuzzy until a person submits them); "
            f"{result.missing} without an output (not in the file)"
        ]
    else:
        lines = [
            f"{result.filled} machine draft(s) from {result.engine} (fuzzy until a person submits them); "
            f"{result.sent_segments} segment(s), {result.sent_chars} character(s) sent; {result.cached} from the "
            f"cache; {result.missing} without an output; {result.damaged} refused (placeholders lost)"
        ]
    lines += [f"wrote {p}" for p in result.written]
    return "\n".join(lines)


_BAND_ORDER = {b: i for i, b in enumerate(("101", "100", "95-99", "85-94", "75-84", "50-74", "none"))}


def analysis_json(per, total) -> str:
    return json.dumps({"articles": [a.as_dict() for a in per], "total": total.as_dict()}, ensure_ascii=False, indent=2)


def format_analysis(per, total) -> str:
    head = ["article", "lang", *_BAND_ORDER, "aligned", "repeated", "to translate"]
    rows = [head]
    for a in per + ([total] if len(per) != 1 else []):
        d = a.as_dict()
        cells = [f"{b['segments']}/{b['chars']}" for b in d["bands"].values()]
        rows.append(
            [
                a.article,
                a.language,
                *cells,
                f"{d['aligned']['segments']}/{d['aligned']['chars']}",
                f"{d['repetitions']['segments']}/{d['repetitions']['chars']}",
                f"{d['to_translate']['segments']}/{d['to_translate']['chars']}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows
    ]
    out.append(
        "cells: segments/Chinese characters; bands are match scores (101 context, 100 exact, 95-99 only "
        "figures or names differ; aligned: of those, matches from aligned, unreviewed units)"
    )
    drafts = total.as_dict()["drafts"] if len(per) != 1 else per[0].as_dict()["drafts"]
    out.append(
        f"drafts not confirmed by a person: {drafts['machine']['segments']}/{drafts['machine']['chars']} "
        f"machine, {drafts['memory']['segments']}/{drafts['memory']['chars']} memory"
    )
    return "\n".join(out)


def format_post_edit(result) -> str:
    """Post-editing figures per engine and per translator, in memoQ-style bands of the draft kept."""
    from workflow.commands.postedit import BANDS

    out = []
    for title, groups in (("engine", result.engines), ("translator", result.translators)):
        rows = [[title, "segments", *(f"{b}%" for b in BANDS), "edits", "edits/100 chars"]]
        rows += [
            [
                g.name,
                str(g.segments),
                *(f"{b['segments']}/{b['chars']}" for b in g.bands.values()),
                str(g.edits),
                f"{g.edit_rate:.1f}",
            ]
            for g in groups
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        out += [
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
            for r in rows
        ] + [""]
    out.append(
        "cells: segments/Chinese characters by the share of the draft kept (100%: confirmed unedited); "
        f"{result.unconfirmed} draft(s) not submitted yet are not counted"
    )
    return "\n".join(out)


def post_edit_json(result) -> str:
    return json.dumps(
        {
            "engines": [g.as_dict() for g in result.engines],
            "translators": [g.as_dict() for g in result.translators],
            "unconfirmed": result.unconfirmed,
        },
        ensure_ascii=False,
        indent=2,
    )


def format_imports(reports) -> str:
    lines = []
    for r in reports:
        lines.append(
            f"{r.file}: {r.added} added, {r.duplicate} duplicate(s), {sum(r.skipped.values())} skipped "
            f"(kept as {r.stored_as})"
        )
        lines += [f"  skipped {n}: {reason}" for reason, n in sorted(r.skipped.items())]
    return "\n".join(lines)
