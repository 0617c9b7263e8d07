"""PDF editions through LibreOffice.

``convert`` turns finished Word editions into PDF with LibreOffice in
headless mode: one ``soffice`` run for all of them, a private profile (never
the user's, never one shared with a running LibreOffice) that substitutes
the editions' Windows fonts with installed faces of the same kind and sets
Chinese line typography as the Word files declare it (punctuation
compression and the 避头尾 marks, which LibreOffice does not read from a
Word file; hanging punctuation off, whose flag it reads inverted), a
timeout after which the whole process group is killed, and tagged PDF so the
document's language is recorded.  ``settle`` makes the result reproducible:
LibreOffice stamps the time of the run and a random file ID, which are
replaced by the edition's date and a digest of the content, byte for byte
in place (same lengths, so the cross-reference table stays right).

May import: errors, feather, typography.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from workflow.core.errors import ToolError, UsageError
from workflow.editions import feather
from workflow.word import typography

#: Set to a LibreOffice executable to use instead of ``soffice`` on the PATH.
SOFFICE_ENV = "BILINGUAL_SOFFICE"
#: Seconds LibreOffice may take per document (a cold start takes a few).
SECONDS_PER_DOCUMENT = 120

#: The editions name Windows fonts (docx-spec §2); on a machine without them
#: the PDF is set in these, always (LibreOffice's own guess picks a Japanese
#: face for SimSun, or a Latin one for KaiTi).  The first installed one wins.
SUBSTITUTES = {
    "SimSun": ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    "SimHei": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
    "KaiTi": ("AR PL UKai CN", "Noto Serif CJK SC"),
    "Microsoft YaHei": ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
    "Times New Roman": ("Liberation Serif", "DejaVu Serif"),
    "Courier New": ("Liberation Mono", "DejaVu Sans Mono"),
}
_EXPORT = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured:
        return configured if shutil.which(configured) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def require() -> str:
    """The LibreOffice executable; a usage error naming what to install when missing."""
    exe = soffice()
    if exe is None:
        raise UsageError(
            "--pdf needs LibreOffice, and soffice is not installed: install it (Debian/Ubuntu: "
            f"apt install libreoffice-writer-nogui fonts-noto-cjk) or set {SOFFICE_ENV}"
        )
    return exe


def _installed_families() -> set[str]:
    try:
        listing = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


#: Substitutes that are not the kind of face the font is: the Kai roles set in a Song face.
_OTHER_KIND = {"KaiTi": ("Noto Serif CJK SC",)}


def substitutions() -> tuple[tuple[str, str], ...]:
    """(the editions' font, the installed face the PDF is set in), for each
    font: the first installed choice; the last one when none is (LibreOffice
    then picks its own).  Part of the build's cache key: installing a font
    rebuilds the PDFs."""
    installed = _installed_families()
    return tuple(
        (font, next((c for c in choices if c in installed), choices[-1])) for font, choices in SUBSTITUTES.items()
    )


def fallbacks() -> list[str]:
    """What the PDFs will not be set in as the editions ask, one line each:
    the Kai roles (subtitle, byline, captions) in a Song face when the Kai
    font is missing, or a font with no installed face at all."""
    installed = _installed_families()
    out = []
    for font, face in substitutions():
        if face not in installed:
            out.append(f"PDF: no face for {font} is installed ({', '.join(SUBSTITUTES[font])}): LibreOffice picks one")
        elif face in _OTHER_KIND.get(font, ()):
            out.append(
                f"PDF: {font} (subtitle, byline, captions) is set in {face}, a Song face: "
                f"{SUBSTITUTES[font][0]} is not installed (Debian: apt install fonts-arphic-ukai)"
            )
    return out


def _profile(folder: Path) -> str:
    """A private LibreOffice profile holding the font replacement table."""
    pairs = list(substitutions())
    path = "/org.openoffice.Office.Common/Font/Substitution"
    items = [f'<item oor:path="{path}"><prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for number, (font, substitute) in enumerate(pairs):
        props = {"Always": "true", "OnScreenOnly": "false", "ReplaceFont": font, "SubstituteFont": substitute}
        body = "".join(
            f'<prop oor:name="{k}" oor:op="fuse"><value>{escape(v)}</value></prop>' for k, v in props.items()
        )
        items.append(
            f'<item oor:path="{path}/FontPairs"><node oor:name="_{number}" oor:op="replace">{body}</node></item>'
        )
    # Punctuation compression (标点挤压): LibreOffice does not read it from a Word file (7.4), only from here.
    items.append(
        '<item oor:path="/org.openoffice.Office.Common/AsianLayout"><prop oor:name="CompressCharacterDistance" '
        'oor:op="fuse"><value>1</value></prop></item>'
    )
    # 避头尾: the marks that may not start or end a Chinese line, as LibreOffice takes them for a new document.
    rules = {"StartCharacters": typography.NO_LINE_START, "EndCharacters": typography.NO_LINE_END}
    body = "".join(f'<prop oor:name="{k}" oor:op="fuse"><value>{escape(v)}</value></prop>' for k, v in rules.items())
    items.append(
        f'<item oor:path="/org.openoffice.Office.Common/AsianLayout/StartEndCharacters">'
        f'<node oor:name="{typography.LANGUAGE}" oor:op="replace">{body}</node></item>'
    )
    user = folder / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n",
        encoding="utf-8",
    )
    return folder.as_uri()


def convert(documents: list[tuple[Path, datetime]]) -> list[bytes]:
    """The PDF of each Word document, in order, reproducible for its date.

    Raises ``UsageError`` when LibreOffice is missing and ``ToolError`` when it
    fails, hangs past its time or writes no PDF for a document."""
    exe = require()
    if not documents:
        return []
    sweep_work_folders()
    with tempfile.TemporaryDirectory(prefix=f"{_WORK_PREFIX}{os.getpid()}-") as work:
        root = Path(work)
        (root / "in").mkdir()
        inputs = []
        for number, (document, _) in enumerate(documents):
            link = root / "in" / f"{number:04d}.docx"  # LibreOffice reads the type from the name
            _as_libreoffice_reads(Path(document), link)
            inputs.append(link)
        command = [
            exe,
            f"-env:UserInstallation={_profile(root / 'profile')}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            _EXPORT,
            "--outdir",
            str(root / "out"),
            *map(str, inputs),
        ]
        _run(command, SECONDS_PER_DOCUMENT * len(documents) + 30)
        pdfs = []
        for link, (document, _) in zip(inputs, documents):
            pdf = root / "out" / f"{link.stem}.pdf"
            if not pdf.is_file():
                raise ToolError("LibreOffice wrote no PDF for this document", document)
            pdfs.append(pdf)
        pdfs = _feathered(command[: -len(inputs) - 2], root, inputs, pdfs)
        return [settle(pdf.read_bytes(), date) for pdf, (_, date) in zip(pdfs, documents)]


def _feathered(command: list[str], root: Path, inputs: list[Path], pdfs: list[Path]) -> list[Path]:
    """The PDFs with their deep page-foot holes spread over the page's gaps
    (``feather``), in up to ``SPREAD_ROUNDS`` more conversions of spread
    copies; a spread PDF replaces the last one only when its pages break
    where the first's did."""
    if not feather.available():
        return pdfs
    out, stopped = list(pdfs), set()
    extras: list[dict] = [{} for _ in inputs]
    first = [feather.breaks(pdf) for pdf in pdfs]
    for round_number in range(SPREAD_ROUNDS):
        folder = root / f"spread-{round_number}"
        folder.mkdir()
        spread = {}
        for number, link in enumerate(inputs):
            more = {} if number in stopped else feather.plan(_member(link, "word/document.xml"), out[number])
            if more:
                extras[number] = {
                    i: extras[number].get(i, 0) + more.get(i, 0) for i in extras[number].keys() | more.keys()
                }
                spread[number] = _spread_copy(link, folder / link.name, extras[number])
        if not spread:
            break
        _run(
            [*command, "--outdir", str(folder / "out"), *map(str, spread.values())],
            SECONDS_PER_DOCUMENT * len(spread) + 30,
        )
        for number, target in spread.items():
            again = folder / "out" / f"{target.stem}.pdf"
            if again.is_file() and feather.breaks(again) == first[number]:
                out[number] = again
            else:  # the spread moved a line: the last good PDF stays, spread no further
                stopped.add(number)
    return out


#: At most this many more conversions spread a document's pages (LibreOffice does not give all the space
#: asked for in a gap that follows another paragraph's space after).
SPREAD_ROUNDS = 3


def _member(document: Path, name: str) -> bytes:
    with zipfile.ZipFile(document) as z:
        return z.read(name)


def _spread_copy(link: Path, target: Path, extra: dict[int, int]) -> Path:
    """A copy of LibreOffice's Word file with ``extra`` space before the planned paragraphs."""
    document, styles = _member(link, "word/document.xml"), _member(link, "word/styles.xml")
    with zipfile.ZipFile(link) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(
                info, feather.spread(document, styles, extra) if info.filename == "word/document.xml" else data
            )
    return target


_WORK_PREFIX = "bilingual-pdf-"  # then the PID of the run, so a later run knows a dead run's folder


def sweep_work_folders(folder: Path | None = None) -> list[Path]:
    """Remove the work folders (LibreOffice profile, copies, PDFs) that
    runs killed before they could clean up left in the temporary folder:
    those whose process is gone."""
    import shutil

    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{_WORK_PREFIX}*-*"):
        pid = path.name[len(_WORK_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or path.is_symlink() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


#: Word's "allow hanging punctuation" flag (w:overflowPunct) as the editions write it (off), and as
#: LibreOffice must be told it: it reads the flag inverted (writerfilter maps 0 to hanging on), and
#: a mark it hangs past the margin is never drawn: the PDF loses it.
_HANGING_OFF = (b'<w:overflowPunct w:val="0"/>', b'<w:overflowPunct w:val="1"/>')


def _as_libreoffice_reads(document: Path, target: Path) -> None:
    """A copy of the Word file for LibreOffice: the same parts, the
    hanging-punctuation flag of the styles written the way LibreOffice reads it."""
    try:
        with zipfile.ZipFile(document) as source, zipfile.ZipFile(target, "w") as copy:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "word/styles.xml":
                    data = data.replace(*_HANGING_OFF)
                copy.writestr(info, data)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ToolError(f"cannot read the Word file for LibreOffice ({exc})", document) from None


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice in its own process group; kill the group on a timeout or Ctrl-C."""
    env = {**os.environ, "HOME": os.environ.get("HOME", tempfile.gettempdir()), "SAL_USE_VCLPLUGIN": "svp"}
    try:
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
        )
    except OSError as exc:
        raise ToolError(f"cannot run LibreOffice ({exc.strerror})", command[0]) from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise ToolError(f"LibreOffice took longer than {timeout:.0f} s and was stopped", command[0]) from None
    except BaseException:
        _kill(proc)
        raise
    if proc.returncode != 0:
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise ToolError(f"LibreOffice failed (exit {proc.returncode}): {last}", command[0])


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


_STAMP = re.compile(rb"/(?:CreationDate|ModDate)\(D:(\d{14})")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})")  # LibreOffice's digest of the run, time included


def settle(pdf: bytes, date: datetime) -> bytes:
    """``pdf`` with its time stamps set to ``date`` and its file ID derived
    from its content, each replaced by a value of the same length."""
    when = (date if date.tzinfo else date.replace(tzinfo=UTC)).astimezone(UTC)
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    data = bytearray(pdf)
    for match in _STAMP.finditer(pdf):
        data[match.start(1) : match.end(1)] = stamp
    spans = [m.span(g) for m in _ID.finditer(data) for g in (1, 2)] + [m.span(1) for m in _CHECKSUM.finditer(data)]
    for start, end in spans:
        data[start:end] = b"0" * 32
    digest = hashlib.md5(bytes(data), usedforsecurity=False).hexdigest().upper().encode()
    for start, end in spans:
        data[start:end] = digest
    return bytes(data)
