"""One error hierarchy for the whole tool.

Library code raises these; only ``cli`` turns them into a message and an
exit code.  Every error names the file it is about, and the line when known,
so the one-line message a user sees is always ``FILE:LINE: what is wrong``.

May import: nothing from the package.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

#: Exit codes, documented in docs/commands.md (0 is success).
EXIT_GATE = 1  # a gate is not met: incomplete, QA errors, out of date
EXIT_USAGE = 2  # wrong options or arguments
EXIT_INPUT = 3  # bad input: unreadable, malformed, unknown, unsafe
EXIT_TOOL = 69  # an external program (LibreOffice) failed or hung (sysexits EX_UNAVAILABLE)
EXIT_ENVIRONMENT = 74  # the machine refused a read or write: disk full, read-only, no permission (sysexits EX_IOERR)
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


class EnvironmentFailure(WorkflowError):
    """The machine refused: no space left, a read-only file system, no
    permission, a path that cannot be written (exit 74).  Not the input's
    fault, nor a bug; every file is as it was."""

    exit_code = EXIT_ENVIRONMENT
    #: The file the machine refused (the one a temporary stood for), when known.
    target: str | None = None


#: What the user is told for each ``errno``; the write-only ones say "while writing".
_CAUSES = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EFBIG: "file too large for the file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a file is where a folder should be",
    errno.EISDIR: "a folder is where a file should be",
    errno.EIO: "input/output error",
    errno.ENAMETOOLONG: "file name too long",
    errno.EMFILE: "too many open files",
    errno.ENOMEM: "out of memory",
    errno.EEXIST: "a file is in the way",
    errno.EXDEV: "crosses file systems",
    errno.ENXIO: "no such device",
    errno.ENODEV: "no such device",
    errno.EBUSY: "busy",
    errno.EPIPE: "the output was closed (broken pipe)",
}
_WRITING = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
#: ``.NAME.XXXXXXXX.tmp`` (a temporary beside NAME) is reported as NAME.
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.tmp$")


def environment_failure(exc: OSError, path: str | Path | None = None, doing: str = "") -> EnvironmentFailure:
    """``exc`` as the user should read it: what was being done, the cause and
    the file (the one a temporary stood for), and that nothing was changed."""
    where = path if path is not None else exc.filename
    if where is not None:
        where = Path(str(where))
        plain = _TEMPORARY.match(where.name)
        if plain:
            where = where.with_name(plain.group("name"))
    cause = doing + (_CAUSES.get(exc.errno or 0) or (exc.strerror or str(exc)).lower())
    if where is None:
        return EnvironmentFailure(f"{cause}; nothing was changed")
    verb = "while writing" if exc.errno in _WRITING else "on"
    failure = EnvironmentFailure(f"{cause} {verb} {where}; nothing was changed")
    failure.target = str(where)
    return failure
