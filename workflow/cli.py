"""The command line: each command and its options.  A command parses its
options, hands the work to its module in ``commands/`` and prints what the
report renders; how failures, progress and notices reach the terminal is
``console``'s (with this module, the only ones that import click).

May import: everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workflow.console import (
    ChecksOption,
    Group,
    ProgressBar,
    State,
    codec,
    notify,
    start,
)
from workflow.core.errors import EXIT_INTERRUPTED, GateError
from workflow.core.model import ALL_STATES, LIVE_STATES
from workflow.kits.kit import FORMATS as KIT_FORMATS

pass_state = click.make_pass_decorator(State)
option_lang = click.option("--lang", help="Target language (default: every target language in the config).")
option_json = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (schema in the manual, docs/translation-files.md)."
)
option_encoding = click.option(
    "--encoding", callback=codec, help="Source encoding when not UTF-8, e.g. gb18030 (remembered for the article)."
)
articles_arg = click.argument("articles", nargs=-1)
option_force_out = click.option(
    "--force", is_flag=True, help="Let --out write into a .git folder or onto files git tracks."
)

_EPILOG = """Exit codes: 0 done; 1 a gate is not met (out of date, incomplete, QA errors,
build refused, lint findings); 2 usage error; 3 input error (unreadable or
malformed file, unknown article, unsafe path); 69 LibreOffice failed (build
--pdf); 70 internal error; 74 the machine refused a write or read (disk full,
read-only, no permission); 130 interrupted (Ctrl-C). Files are left as they
were on any failure."""


@click.group(
    cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=_EPILOG
)
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), help="Project folder (default: found from here)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for many articles (default: $BILINGUAL_JOBS, else the number of cores).",
)
@click.version_option(package_name="bilingual-workflow", prog_name="bilingual")
@click.pass_context
def cli(ctx, root, jobs):
    """Chinese → English article translation: extract, translate, check, build."""
    ctx.obj = start(root, jobs)


def main():
    # A command is a short batch job that builds large trees of objects with
    # few reference cycles; the cyclic collector's full passes cost up to 40 %
    # of a large check (measured at 1000x). Memory is still freed by reference
    # counting.
    import gc

    gc.disable()
    try:
        cli(prog_name="bilingual")
    except KeyboardInterrupt:  # outside a command (while starting up)
        click.echo("bilingual: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)


@cli.command()
@articles_arg
@click.option("--check", is_flag=True, help="Exit 1 if the PO files are out of date; write nothing.")
@option_encoding
@pass_state
def extract(state, articles, check, encoding):
    """Split articles into segments and write POT and PO files."""
    from workflow.commands import extract as extraction
    from workflow.commands import report

    result = extraction.extract(state.project, articles, check=check, encoding=encoding)
    notify(result.notices)
    click.echo(report.format_extract(result) if not check else "translation files are up to date")


@cli.command()
@articles_arg
@option_encoding
@pass_state
def lint(state, articles, encoding):
    """List suspected layout defects (broken or truncated paragraphs)."""
    from workflow.commands import check as checking
    from workflow.commands import report

    defects = checking.lint(state.project, articles, encoding)
    click.echo(report.format_defects(defects))
    open_ = [d for d in defects if not d.accepted]
    if open_:
        raise GateError(f"{len(open_)} suspected layout defect(s)", quiet=True)


@cli.command()
@click.argument("targets", nargs=-1)
@option_lang
@option_json
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 1 when less than PCT percent is translated.")
@click.option(
    "--list", "list_state", type=click.Choice([s.value for s in ALL_STATES]), help="List the segments in this state."
)
@click.option("--memory", is_flag=True, help="Also show how much of the remaining work the translation memory matches.")
@pass_state
def status(state, targets, lang, as_json, fail_under, list_state, memory):
    """Translation progress of articles or PO files."""
    from workflow.commands import report
    from workflow.commands import status as counting

    result = counting.status_of(state.project, targets, lang, list_state, memory)
    click.echo(report.status_json(result) if as_json else report.format_status(result))
    if fail_under is not None and result.total.percent < fail_under:
        raise GateError(f"{result.total.percent:.1f}% translated, under {fail_under:g}%")


@cli.command()
@articles_arg
@click.option(
    "--edition",
    default="all",
    show_default=True,
    help="One of: zh, en (or another target language of the project), bilingual, all.",
)
@click.option(
    "--layout",
    type=click.Choice(["alternating", "table"]),
    default="alternating",
    show_default=True,
    help="Bilingual edition: alternating paragraphs or a two-column table.",
)
@click.option(
    "--look",
    type=click.Choice(["reader", "newspaper"]),
    default=None,
    help="reader: A4, one column; newspaper: the body in columns (default: the look setting, else reader).",
)
@click.option(
    "--draft", is_flag=True, help="Build even when segments are untranslated, fuzzy or have QA errors; mark them."
)
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/)."
)
@click.option("--pdf", is_flag=True, help="Also write a PDF beside each edition (needs LibreOffice).")
@option_lang
@option_force_out
@pass_state
def build(state, articles, edition, layout, look, draft, out_dir, pdf, lang, force):
    """Build the Chinese, English and bilingual Word editions."""
    from workflow.commands import build as publish
    from workflow.commands import report

    with ProgressBar(lambda: publish.build_size(state.project, articles)) as tick:
        result = publish.build(state.project, articles, edition, layout, draft, out_dir, lang, tick, pdf, force, look)
    notes = report.build_notes(result)
    if notes:
        click.echo("\n".join(notes), err=True)
    for path in result.written:
        click.echo(f"wrote {path}")
    if result.unchanged:
        click.echo(f"{len(result.unchanged)} edition(s) unchanged")
    if not result.written and not result.unchanged:
        click.echo("no articles to build: put a .md, .txt or .docx article in source/ (is --root the project folder?)")


@cli.command()
@articles_arg
@option_lang
@option_json
@click.option("--only", cls=ChecksOption, help="Comma-separated check names.")
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="Show findings of this severity and worse.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the findings, with each segment's text, as an HTML page a reviewer can open.",
)
@pass_state
def check(state, articles, lang, as_json, only, severity, report_path):
    """Quality checks for Chinese → English translations."""
    from workflow.commands import check as checking
    from workflow.commands import report

    only_set = [c.strip() for c in only.split(",") if c.strip()] if only else None
    with ProgressBar(lambda: checking.check_size(state.project, articles, lang), "checking") as tick:
        result = checking.check(state.project, articles, lang, only_set, severity, tick, report_path)
    click.echo(report.findings_json(result) if as_json else report.format_findings(result))
    if result.errors:
        raise GateError(f"{result.errors} QA error(s)", quiet=True)


@cli.command()
@click.argument("article")
@option_lang
@click.option("--format", "fmt", type=click.Choice(KIT_FORMATS), default="po", show_default=True)
@click.option(
    "--state",
    "states",
    help="Comma-separated states to include, from: " + ", ".join(s.value for s in LIVE_STATES) + " (default: all).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Kit file, or folder for omegat (default: output/kits/ARTICLE.LANG.EXT).",
)
@option_force_out
@pass_state
def export(state, article, lang, fmt, states, out, force):
    """Write a translator kit: PO, XLIFF 1.2, CSV, a Word review table or an OmegaT project folder."""
    from workflow.commands import report
    from workflow.commands import translate as exchange

    wanted = [s.strip() for s in states.split(",") if s.strip()] if states else None
    click.echo(report.format_export(exchange.export(state.project, article, lang, fmt, wanted, out, force)))


@cli.command()
@click.argument("files", nargs=-1, required=True)
@option_lang
@click.option("--segment", help="With ARTICLE instead of files: the segment ID to translate.")
@click.option("--text", help="With --segment: the translation.")
@click.option("--translator", help='Who translated: "Name <email>" (default: $BILINGUAL_TRANSLATOR).')
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--force", is_flag=True, help="Replace reviewed translations too.")
@click.option("--reviewer", help="Record units the kit marks approved or signed off (XLIFF) as reviewed by NAME.")
@pass_state
def submit(state, files, lang, segment, text, translator, dry_run, force, reviewer):
    """Take translations back from kits, OmegaT project folders or zips (or one segment with --segment/--text)."""
    from workflow.commands import report
    from workflow.commands import submit as submission

    if (segment is None) != (text is None) or (segment and len(files) != 1):
        raise click.UsageError("use ARTICLE --segment ID --text TEXT, or kit FILES without them")
    if segment:
        result = submission.submit_segment(state.project, files[0], segment, text, lang, translator, dry_run, force)
    else:
        result = submission.submit(state.project, list(files), lang, translator, dry_run, force, reviewer)
    click.echo(report.format_submit(result))


@cli.command()
@click.argument("article")
@click.option("--segment", "segments", multiple=True, help="Segment ID (repeatable).")
@click.option("--all-translated", is_flag=True, help="Every translated segment.")
@click.option("--reviewer", help="Who reviewed (default: $BILINGUAL_REVIEWER).")
@click.option("--reject", is_flag=True, help="Send the segments back to the translator (they become fuzzy).")
@click.option("--accept", metavar="CHECK", help="Accept a QA finding of CHECK on the segments (needs --note).")
@click.option("--note", help="Why: kept in the PO entry for the translator.")
@click.option(
    "--changed",
    is_flag=True,
    help="List segments whose translation changed since their last review, with a word diff; change nothing.",
)
@option_lang
@pass_state
def review(state, article, segments, all_translated, reviewer, reject, accept, note, lang, changed):
    """Mark translations reviewed, send them back, or accept a QA finding."""
    from workflow.commands import report
    from workflow.commands import translate as exchange

    if changed:
        from workflow.commands import changes

        if segments or all_translated or reject or accept or note:
            raise click.UsageError("--changed only lists; give it with ARTICLE (and --lang) alone")
        click.echo(changes.format_changes(changes.since_review(state.project, article, lang)))
        return
    result = exchange.review(state.project, article, segments, all_translated, reviewer, reject, note, accept, lang)
    click.echo(report.format_review(result))


@cli.command()
@articles_arg
@option_lang
@click.option(
    "--min-score",
    type=click.IntRange(50, 101),
    default=75,
    show_default=True,
    help="The lowest match score to fill in (101 context, 100 exact, 95–99 placeables, below: fuzzy).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Report what would be filled (with --engine: the characters a run would send); write and send nothing.",
)
@click.option(
    "--engine",
    help="Machine drafts instead of the memory: an engine configured as [engines.NAME], "
    "or replay:FILE (source<TAB>target lines).",
)
@pass_state
def pretranslate(state, articles, lang, min_score, dry_run, engine):
    """Fill untranslated segments from the translation memory (exact: translated; else fuzzy) or an engine."""
    from workflow.commands import memory as leverage
    from workflow.commands import report

    if engine:
        from workflow.commands import machine

        click.echo(report.format_machine(machine.pretranslate(state.project, articles, lang, engine, dry_run)))
        return
    result = leverage.pretranslate(state.project, articles, lang, min_score, dry_run)
    notify(result.notices)
    click.echo(report.format_pretranslate(result))


@cli.command()
@articles_arg
@option_lang
@option_json
@click.option(
    "--post-edit",
    is_flag=True,
    help="Post-editing figures instead: how much of each machine or memory "
    "draft was kept, per engine and per translator.",
)
@pass_state
def analyze(state, articles, lang, as_json, post_edit):
    """Match analysis of the work ahead: segments and Chinese characters per memory band."""
    from workflow.commands import memory as leverage
    from workflow.commands import report

    if post_edit:
        from workflow.commands.postedit import post_edit as figures

        found = figures(state.project, articles, lang)
        click.echo(report.post_edit_json(found) if as_json else report.format_post_edit(found))
        return
    per, total, notices = leverage.analyze(state.project, articles, lang)
    notify(notices)
    click.echo(report.analysis_json(per, total) if as_json else report.format_analysis(per, total))


@cli.command()
@click.argument("old")
@click.argument("new")
@pass_state
def rename(state, old, new):
    """Carry a renamed article's translations over: move OLD's catalogs to NEW (the source is moved first, by you)."""
    from workflow.commands import extract as extraction
    from workflow.commands import rename as renaming
    from workflow.commands import report

    for before, after in renaming.rename(state.project, old, new).moved:
        click.echo(f"moved {before} -> {after}")
    click.echo(report.format_extract(extraction.extract(state.project, [new])))


@cli.command("align")
@click.argument("files", nargs=-1)
@click.option("--article", help="The project article the pair is (with one pair; default: the Chinese file's name).")
@click.option(
    "--into", type=click.Choice(["memory", "po", "tmx"]), help="Where the pairs go (memory, the article's PO, TMX)."
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Pairs below this confidence are listed, not written.",
)
@click.option("--presplit", is_flag=True, help="Each side is one sentence a line (no splitting of our own).")
@click.option("--out", type=click.Path(path_type=Path), help="Write the beads here (a folder for several pairs).")
@click.option("--format", "fmt", type=click.Choice(["beads", "tsv"]), default="beads", show_default=True)
@click.option(
    "--pairs",
    "pairs_csv",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV of pairs (columns zh, en, article) instead of ZH EN.",
)
@click.option(
    "--embeddings", is_flag=True, help="Score with sentence embeddings too (pip install 'bilingual-workflow[align]')."
)
@option_lang
@pass_state
def align_command(state, files, article, into, min_score, presplit, out, fmt, pairs_csv, embeddings, lang):
    """Align published Chinese articles with their English editions (into the memory, a PO file, TMX, beads)."""
    from workflow.commands import align

    pairs = align.command_pairs(files, pairs_csv, article)
    project = state.project if into in ("memory", "po") else state.project_if_any()
    options = align.Options(into, min_score, presplit, out, fmt, embeddings, align.target_language(project, lang))
    results = align.run(project, pairs, options)
    for line in align.summary(results):
        click.echo(line, err=line.startswith("refused"))
    align.raise_for_refusals(results)


@cli.group(cls=Group)
def tm():
    """The translation memory: import TMX/PO/XLIFF/CSV, export TMX."""


@tm.command("import")
@click.argument("files", nargs=-1, required=True)
@option_lang
@pass_state
def tm_import(state, files, lang):
    """Add TMX, PO, XLIFF or CSV files to the memory (kept in translations/memory/)."""
    from workflow.commands import memory as leverage
    from workflow.commands import report

    click.echo(report.format_imports(leverage.tm_import(state.project, list(files), lang)))


@tm.command("export")
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File (default: output/memory.LANG.tmx).")
@option_lang
@option_force_out
@pass_state
def tm_export(state, fmt, out, lang, force):
    """Write the memory as TMX 1.4b (the project's translations and what was imported)."""
    from workflow.commands import memory as leverage

    path, count = leverage.tm_export(state.project, out, lang, force)
    click.echo(f"wrote {path} ({count} unit(s), TMX 1.4)")


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (another than 127.0.0.1 only behind a TLS proxy: docs/desk.md).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8700, show_default=True)
@pass_state
def serve(state, host, port):
    """The desk in a browser: translate and review on a web page (docs/desk.md)."""
    from workflow.web import app

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"bilingual: the desk listens on {host}: anyone who reaches it sees the login page; "
            "serve it over TLS (docs/desk.md)",
            err=True,
        )
    click.echo(f"bilingual desk on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    app.serve(state.project, host, port)


@cli.group(cls=Group)
def users():
    """The desk's accounts, kept outside git: add, list, remove.

    In .bilingual/users.toml of the project, or the file named by $BILINGUAL_USERS."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["translator", "reviewer", "editor"]), required=True)
@pass_state
def users_add(state, name, role):
    """Add a user or change one's role and password (the password is read from standard input)."""
    from workflow.web import users as accounts

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = accounts.add(state.project.root, name, role, password)
    click.echo(f"user {user.name}: {user.role}")


@users.command("list")
@pass_state
def users_list(state):
    """The desk's users and their roles."""
    from workflow.web import users as accounts

    for user in accounts.load(state.project.root).values():
        click.echo(f"{user.name}\t{user.role}")


@users.command("remove")
@click.argument("name")
@pass_state
def users_remove(state, name):
    """Remove a user (their sessions stop working at once)."""
    from workflow.web import users as accounts

    accounts.remove(state.project.root, name)
    click.echo(f"removed user {name}")
