"""One error hierarchy for the whole tool.

Library code raises these; only ``cli`` turns them into a message and an
exit code.  Every error names the file it is about, and the line when known,
so the one-line message a user sees is always ``FILE:LINE: what is wrong``.

May import: nothing from the package.
"""
from __future__ import annotations

from pathlib import Path

#: Exit codes, documented in docs/commands.md (0 is success).
EXIT_GATE = 1  # a gate is not met: incomplete, QA errors, out of date
EXIT_USAGE = 2  # wrong options or arguments
EXIT_INPUT = 3  # bad input: unreadable, malformed, unknown, unsafe
EXIT_TOOL = 69  # an external program (LibreOffice) failed or hung (sysexits EX_UNAVAILABLE)
EXIT_INTERNAL = 70  # a bug in this tool (sysexits EX_SOFTWARE): reported in one line, never a traceback
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class WorkflowError(Exception):
    """Base class.  ``exit_code`` tells the CLI how to leave."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        # Keep it to one line whatever the message holds.
        return where + " ".join(self.message.split())


class InputError(WorkflowError):
    """Unreadable, malformed or wrongly encoded input (exit 3)."""


class SourceError(InputError):
    """A source article that cannot be read or parsed."""


class EncodingError(SourceError):
    """A source that is not in the encoding it was read with."""


class CatalogError(InputError):
    """A PO/POT file that cannot be read."""


class KitError(InputError):
    """A translator kit (CSV, XLIFF, DOCX, PO) that cannot be taken back."""


class PathError(InputError):
    """A name that would lead outside the project, or names nothing."""


class ConfigError(InputError):
    """A configuration file with a bad value."""


class UsageError(WorkflowError):
    """Options that do not fit together (exit 2)."""

    exit_code = EXIT_USAGE


class GateError(WorkflowError):
    """A gate is not met (exit 1): incomplete, QA errors, out of date."""

    exit_code = EXIT_GATE

    def __init__(self, message: str, details: list[str] | None = None, path=None, quiet: bool = False):
        super().__init__(message, path)
        self.details = details or []
        #: The command already printed the report that says why (check, lint).
        self.quiet = quiet


class ToolError(WorkflowError):
    """An external program failed, hung or wrote nothing (exit 69)."""

    exit_code = EXIT_TOOL
