"""The terminal side of the command line: how a failure reaches the user
(one line on stderr and its exit code; a usage error in two lines; Ctrl-C;
a bug without a traceback), the project opened on first use, progress bars
and notices on stderr.  ``cli`` declares the commands and their options.

Every failure reaches the user the same way: a command raises a
``WorkflowError`` (a ``GateError`` for an unmet gate), and ``Group`` turns
it into one line on stderr and its exit code.

May import: errors, project, checks (the names ``--only`` lists), cache, fsio, parallel.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.core.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, UsageError, WorkflowError

if TYPE_CHECKING:
    from workflow.core.project import Project


class Failure(click.ClickException):
    def __init__(self, error: WorkflowError):
        super().__init__(str(error))
        self._code = error.exit_code
        self.details = getattr(error, "details", [])
        self.quiet = getattr(error, "quiet", False)

    @property
    def exit_code(self) -> int:  # type: ignore[override]  # click declares a class-wide code; ours is the error's
        return self._code

    def show(self, file=None):
        if self.quiet:
            return
        file = file or sys.stderr
        for line in self.details:
            click.echo(f"  {line}", file=file)
        click.echo(f"bilingual: {self.format_message()}", file=file)


class Interrupted(click.ClickException):
    """Ctrl-C: every write is atomic, so the files are as they were."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self):
        super().__init__("interrupted")

    def show(self, file=None):
        click.echo("bilingual: interrupted", file=file or sys.stderr)


class Internal(click.ClickException):
    """A bug: one line that says where, instead of a traceback
    (``BILINGUAL_DEBUG=1`` shows the traceback)."""

    exit_code = EXIT_INTERNAL

    def __init__(self, exc: BaseException):
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
        super().__init__(
            f"internal error{where}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]} (please report it)"
        )

    def show(self, file=None):
        click.echo(f"bilingual: {self.format_message()}", file=file or sys.stderr)


class Usage(click.UsageError):
    """A usage error in two lines: what is wrong, and where the help is
    (not click's three, with the top-level usage first)."""

    def __init__(self, message: str, ctx, path: str):
        super().__init__(message, ctx)
        self.path = path

    def show(self, file=None):
        file = file or sys.stderr
        click.echo(f"bilingual: {self.format_message()}", file=file)
        click.echo(f"Try '{self.path} --help'.", file=file)


def as_usage(exc: click.UsageError, name: str) -> click.UsageError:
    """click's usage error in our two lines; ours, and no arguments at all (the help is the answer), as they are."""
    if isinstance(exc, (Usage, getattr(click.exceptions, "NoArgsIsHelpError", Usage))):
        return exc
    return Usage(exc.format_message(), exc.ctx, exc.ctx.command_path if exc.ctx else name)


class Command(click.Command):
    def get_short_help_str(self, limit: int = 45) -> str:
        """The whole first line of the help, never cut off with '...'."""
        return (self.help or "").strip().split("\n")[0]


class Group(click.Group):
    command_class = Command

    def make_context(self, info_name, args, parent=None, **extra):
        """The top-level options' usage errors in two lines too."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise as_usage(exc, info_name) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise Usage(str(exc), ctx, command_path(ctx)) from None
        except WorkflowError as exc:
            raise Failure(exc) from None
        except KeyboardInterrupt:
            raise Interrupted() from None
        except click.UsageError as exc:
            raise as_usage(exc, "bilingual") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except OSError as exc:  # the machine refused (disk full, read-only, no permission): not a bug
            raise Failure(environment(ctx, exc)) from None
        except Exception as exc:
            import os

            if os.environ.get("BILINGUAL_DEBUG"):
                raise
            raise Internal(exc) from None


def command_path(ctx) -> str:
    """``bilingual build``: the command that ran (its help is the one to read)."""
    return " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))


def environment(ctx, exc: OSError) -> WorkflowError:
    """An ``OSError`` as one line naming the file, relative to the project."""
    from workflow.core.errors import environment_failure

    state = ctx.find_object(State)
    project = state._project if state is not None else None
    shown = None
    if exc.filename is not None and project is not None:
        shown = project.rel(Path(str(exc.filename)))
    return environment_failure(exc, shown)


class State:
    def __init__(self, root: Path | None):
        self._root = root
        self._project: Project | None = None

    @property
    def project(self):
        """The project, opened on first use; files in the source folder that
        are not articles are named once, on stderr."""
        if self._project is None:
            from workflow.core.project import Project

            self._project = Project.open(self._root)
            skipped = self._project.scan_sources()[1]
            if skipped:
                listed = "; ".join(f"{name} ({why})" for name, why in skipped[:5])
                more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
                click.echo(
                    f"bilingual: {self._project.config.source_dir}/: skipped {len(skipped)} file(s) that are "
                    f"not articles: {listed}{more}",
                    err=True,
                )
        return self._project

    def project_if_any(self):
        """The project when there is one here (commands that also work without one)."""
        try:
            return self.project
        except WorkflowError:
            return None


def codec(ctx, param, value):
    """``--encoding``: a codec Python knows (a usage error otherwise)."""
    if value is None:
        return None
    import codecs

    try:
        return codecs.lookup(value).name
    except LookupError:
        raise click.BadParameter(f"unknown encoding {value!r} (try gb18030, big5, utf-16)") from None


def check_names() -> tuple[str, ...]:
    from workflow.qa.checks import ALL_CHECKS

    return ALL_CHECKS


class ChecksOption(click.Option):
    """``--only``, whose help lists the checks: read when help is shown, so that
    every other command starts without importing the checks."""

    def get_help_record(self, ctx):
        self.help = "Comma-separated check names, from: " + ", ".join(check_names()) + "."
        return super().get_help_record(ctx)


def check_environment(jobs_from_env: bool) -> None:
    """Variables the tool reads, refused when they hold nothing it can use (never silently ignored)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch and not (epoch.isdigit() and int(epoch) < 253402300800):  # before the year 10000
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970 (e.g. 1774051200); "
            "set it right or unset it"
        )
    jobs = os.environ.get("BILINGUAL_JOBS", "")
    if jobs_from_env and jobs and not (jobs.isdigit() and int(jobs) > 0):
        raise UsageError(
            f"BILINGUAL_JOBS={jobs!r} is not a number of worker processes (1 or more); set it right or unset it"
        )


def indexing(display: str, units: int | None) -> None:
    """A long re-index of the memory, counted on the terminal's last line."""
    if units is None:
        click.echo(err=True)
    else:
        click.echo(f"\rbilingual: indexing {display}: {units:,} units", nl=False, err=True)


def warn(line: str) -> None:
    click.echo(f"bilingual: {line}", err=True)


def lock_notice(pid):
    click.echo(f"bilingual: waiting for the project lock held by PID {pid or '?'}…", err=True)


class ProgressBar:
    """click's progress bar on a terminal; nothing otherwise."""

    def __init__(self, total, label: str = "building"):
        self._total, self._label = total, label
        self._bar: AbstractContextManager | None = None

    def __enter__(self):
        if sys.stderr.isatty():
            bar = click.progressbar(length=self._total(), label=self._label, file=sys.stderr).__enter__()
            self._bar = bar
            return bar.update
        return None

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)


def notify(notices):
    for notice in notices:
        click.echo(f"bilingual: {notice}", err=True)


def start(root: Path | None, jobs: int | None) -> State:
    """What every command starts with: the notices wired to stderr, the
    environment and ``--root`` checked, the worker count set."""
    from workflow.core import cache, fsio, parallel

    fsio.lock_wait_notice = lock_notice
    cache.on_damage(warn)
    cache.rebuild_progress = indexing if sys.stderr.isatty() else None
    check_environment(jobs is None)
    if root is not None and not root.is_dir():
        raise UsageError(f"--root {root}: {'not a folder' if root.exists() else 'no such folder'}")
    parallel.set_jobs(jobs)
    return State(root)
