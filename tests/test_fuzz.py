"""Fuzzing every reader with mutated real files.

Each reader — Markdown and text sources, PO files, CSV, XLIFF, Word, PO and
OmegaT kits, CSV and TBX glossaries, the configuration, TMX memories, Word sources — gets real files from a
working project, mutated (bytes flipped, truncated, junk inserted, a slice
repeated, zip parts removed or inflated into a bomb, XML given entities,
deep nesting or huge fields).  Whatever comes in, the command exits 0 or 3,
a failure is one line on stderr naming what is wrong, there is never a
traceback, and a failed command changes no file.

The budget is fixed for CI (``BILINGUAL_FUZZ_EXAMPLES``, default 25 per
reader); ``benchmarks/run --fuzz`` runs a larger one.  Each run draws other
inputs: the seed changes every run and is printed in the test report's header
(``BILINGUAL_FUZZ_SEED=N`` replays a run).  A failing case is written to
``BILINGUAL_FUZZ_FOUND`` (default: the temporary folder) named after its
reader; copied into ``tests/data/fuzz-corpus/<reader>/`` it is replayed by
every later run, so a bug once found stays found.  Besides, every reader
meets a fixed set of hostile cases made from its seed file on every run
(truncated, invalid UTF-8 and NUL bytes; entity bombs, external entities and
deep nesting for XML; a damaged compressed member, a zip bomb, a missing
part and a truncated zip for packages): made here, not kept in the repository.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import secrets
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from workflow.cli import cli

from .conftest import PYPROJECT, REPO, SMALL, Run

EXAMPLES = int(os.environ.get("BILINGUAL_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("BILINGUAL_FUZZ_SEED") or secrets.randbits(32))
CORPUS = Path(__file__).resolve().parent / "data" / "fuzz-corpus"
FOUND = Path(os.environ.get("BILINGUAL_FUZZ_FOUND") or tempfile.gettempdir()) / "bilingual-fuzz-found"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1"><langSet xml:lang="zh"><tig><term>长沙</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Changsha</term></tig></langSet><note>Official.</note></termEntry>
</body></text></martif>
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A working project with an article, translations, kits of every kind and glossaries."""
    root = tmp_path_factory.mktemp("fuzz") / "proj"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "source" / "small.md").write_text(SMALL, encoding="utf-8")
    (root / "source" / "plain.txt").write_text(SMALL.replace("#", ""), encoding="utf-8")
    (root / "translations").mkdir()
    shutil.copy(REPO / "translations" / "glossary.csv", root / "translations" / "glossary.csv")
    (root / "translations" / "terms.tbx").write_text(TBX, encoding="utf-8")
    from .test_wordsource import chinese_styled

    chinese_styled(root.parent / "kits" / "seed.docx", photos=1)  # a Word source, kept beside the project
    run = Run(root)
    run("extract")
    shipped = root.parent / "shipped"
    for part in ("source", "translations"):
        shutil.copytree(REPO / part, shipped / part)
    shutil.copy(REPO / "pyproject.toml", shipped / "pyproject.toml")
    Run(shipped)("tm", "export", "--out", root.parent / "kits" / "desk.tmx")  # a real memory, as a seed
    kits = root.parent / "kits"
    for fmt, ext in (("po", "po"), ("xliff", "xlf"), ("csv", "csv"), ("docx", "docx")):
        run("export", "small", "--format", fmt, "--out", kits / f"small.en.{ext}")
    _omegat_zip(run, kits)
    # a replay file of machine output: a line per segment of the article, source<TAB>target
    import polib

    sources = [e.msgid for e in polib.pofile(str(root / "translations" / "en" / "small.po")) if e.msgid]
    (kits / "small.mt.tsv").write_text("".join(f"{s}\tMT {i}: {s}\n" for i, s in enumerate(sources)), encoding="utf-8")
    return root


def _omegat_zip(run, kits: Path) -> None:
    """An OmegaT project kit with a project memory, zipped as a translator mails it back."""
    from .test_omegat import project_save

    folder = kits / "small.en.omegat"
    run("export", "small", "--format", "omegat", "--out", folder)
    (folder / "omegat" / "project_save.tmx").write_text(
        project_save([("第一部分", "Part One", "a note")]), encoding="utf-8"
    )
    with zipfile.ZipFile(kits / "small.en.omegat.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, "small.en.omegat/" + path.relative_to(folder).as_posix())


def _snapshot(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".bilingual-cache" not in p.parts and p.name != ".bilingual.lock"
    }


def _check(root: Path, *args, may_write: bool = False):
    """Run a command on a mutated input: 0 or 3, one stderr line, no traceback, nothing changed on failure."""
    before = _snapshot(root)
    gc.disable()
    try:
        result = CliRunner().invoke(cli, ["--root", str(root), *map(str, args)], catch_exceptions=True)
    finally:
        gc.enable()
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 3), (result.exit_code, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    if result.exit_code == 3:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("bilingual: "), result.stderr
        assert _snapshot(root) == before
    elif not may_write:
        assert _snapshot(root) == before
    return result


# -- mutations -----------------------------------------------------------------------------------------


@st.composite
def byte_mutation(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "repeat", "delete"]))
    n = len(data)
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, n - 1))
            out[i] ^= draw(st.integers(1, 255))
        return bytes(out)
    if kind == "truncate":
        return data[: draw(st.integers(0, n - 1))]
    i = draw(st.integers(0, n))
    if kind == "insert":
        return data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    j = draw(st.integers(i, min(n, i + 200)))
    if kind == "repeat":
        return data[:j] + data[i:j] * draw(st.integers(2, 50)) + data[j:]
    return data[:i] + data[j:]


_XML_ATTACKS = [
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
]


@st.composite
def xml_mutation(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["bytes", "entity", "deep", "huge"]))
    if kind == "bytes":
        return draw(byte_mutation(data))
    head, sep, rest = data.partition(b"?>")
    if kind == "entity":
        attack = draw(st.sampled_from(_XML_ATTACKS))
        return head + sep + b"\n" + attack + rest if sep else attack + data
    at = data.rfind(b"</", 0, max(1, len(data) - 10))
    if kind == "deep":
        depth = draw(st.sampled_from([100, 5000, 100000]))
        return data[:at] + b"<d>" * depth + b"</d>" * depth + data[at:]
    return data[:at] + b"<huge>" + b"x" * draw(st.sampled_from([10**5, 10**7])) + b"</huge>" + data[at:]


@st.composite
def zip_mutation(draw, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["bytes", "remove", "xml", "bomb"]))
    if kind == "bytes":
        return draw(byte_mutation(data))
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    names = sorted(parts)
    name = draw(st.sampled_from(names))
    if kind == "remove":
        del parts[name]
    elif kind == "xml":
        xml = draw(st.sampled_from([n for n in names if n.endswith(".xml")]))
        parts[xml] = draw(xml_mutation(parts[xml]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for part, content in parts.items():
            if kind == "bomb" and part == name:
                with dst.open(part, "w") as fh:  # 300 MB of zeros deflate to about 300 KB
                    chunk = b"\0" * 2**20
                    for _ in range(300):
                        fh.write(chunk)
            else:
                dst.writestr(part, content)
    return out.getvalue()


# -- one test per reader ---------------------------------------------------------------------------------


def _in_copy(base: Path):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    shutil.copytree(base, folder / "proj")
    shutil.copytree(base.parent / "kits", folder / "kits")
    return folder / "proj", folder


def _fuzz_file(base, rel: str, mutation, *args, may_write=False, setting: str | None = None):
    """Put ``mutation`` at ``rel`` in a copy of the project (``../`` is beside it) and run ``args``."""
    root, folder = _in_copy(base)
    try:
        if setting:
            with open(root / "pyproject.toml", "a", encoding="utf-8") as fh:
                fh.write(setting)
        path = root / rel if not rel.startswith("../") else folder / rel[3:]
        path.write_bytes(mutation)
        _check(root, *[str(a).replace("{path}", str(path)) for a in args], may_write=may_write)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _seed(base, rel: str) -> bytes:
    if rel == "source/word.docx":
        return (base.parent / "kits" / "seed.docx").read_bytes()
    return (base / rel).read_bytes() if not rel.startswith("../") else (base.parent / rel[3:]).read_bytes()


#: (what is read, the file, how it is mutated, the command that reads it, may it write, a setting)
READERS = [
    ("markdown source", "source/small.md", byte_mutation, ("extract",), True, None),
    ("text source", "source/plain.txt", byte_mutation, ("extract",), True, None),
    ("po file", "translations/en/small.po", byte_mutation, ("status",), False, None),
    ("csv kit", "../kits/small.en.csv", byte_mutation, ("submit", "{path}", "--dry-run"), False, None),
    ("po kit", "../kits/small.en.po", byte_mutation, ("submit", "{path}", "--dry-run"), False, None),
    ("xliff kit", "../kits/small.en.xlf", xml_mutation, ("submit", "{path}", "--dry-run"), False, None),
    ("word kit", "../kits/small.en.docx", zip_mutation, ("submit", "{path}", "--dry-run"), False, None),
    ("omegat kit", "../kits/small.en.omegat.zip", zip_mutation, ("submit", "{path}", "--dry-run"), False, None),
    ("csv glossary", "translations/glossary.csv", byte_mutation, ("extract",), True, None),
    (
        "tbx glossary",
        "translations/terms.tbx",
        xml_mutation,
        ("extract",),
        True,
        'glossary = "translations/terms.tbx"\n',
    ),
    ("configuration", "pyproject.toml", byte_mutation, ("status",), False, None),
    ("tmx memory", "../kits/desk.tmx", xml_mutation, ("tm", "import", "{path}"), True, None),
    ("word source", "source/word.docx", zip_mutation, ("extract", "word"), True, None),
    ("replay file", "../kits/small.mt.tsv", byte_mutation, ("pretranslate", "--engine", "replay:{path}"), True, None),
]


@pytest.mark.parametrize("reader,rel,mutation,args,may_write,setting", READERS, ids=[r[0] for r in READERS])
def test_fuzz(base, reader, rel, mutation, args, may_write, setting):
    @seed(SEED)
    @FUZZ
    @given(data=st.data())
    def run(data):
        content = data.draw(mutation(_seed(base, rel)))
        try:
            _fuzz_file(base, rel, content, *args, may_write=may_write, setting=setting)
        except AssertionError:
            _keep_found(reader, rel, content)
            raise

    run()


def _parts(data: bytes) -> tuple[dict, str]:
    """A package's parts, and the one a case attacks: the document, else the largest."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    return parts, "word/document.xml" if "word/document.xml" in parts else max(parts, key=lambda n: len(parts[n]))


def _damaged(data: bytes) -> bytes:
    """The attacked part's compressed bytes flipped: the case that once raised ValueError in zipfile."""
    raw = bytearray(data)
    at = raw.find(_parts(data)[1].encode())
    for k in range(at + 200, min(at + 260, len(raw))):
        raw[k] ^= 0x5A
    return bytes(raw)


def _rebuilt(data: bytes, bomb: bool) -> bytes:
    """The package again, its attacked part 120 MB of zeros (a bomb), or
    without ``[Content_Types].xml`` (else without the attacked part)."""
    parts, target = _parts(data)
    gone = "[Content_Types].xml" if "[Content_Types].xml" in parts else target
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            if bomb and name == target:
                with dst.open(name, "w") as fh:
                    for _ in range(120):
                        fh.write(b"\0" * 2**20)
            elif bomb or name != gone:
                dst.writestr(name, content)
    return out.getvalue()


def _xml_deep(data: bytes) -> bytes:
    at = data.rfind(b"</", 0, max(1, len(data) - 10))
    return data[:at] + b"<d>" * 3000 + b"</d>" * 3000 + data[at:]


def _xml_attack(data: bytes, attack: bytes) -> bytes:
    head, sep, rest = data.partition(b"?>")
    return head + sep + b"\n" + attack + rest


_BYTE_CASES = {
    "truncated": lambda d: d[: len(d) // 3],
    "bad-utf8": lambda d: d[:40] + b"\xff\xfe\xc3" + d[40:],
    "nul": lambda d: d[:30] + b"\0" * 5 + d[30:],
}
#: A reader's mutation → its fixed hostile cases: name → (seed bytes → case bytes).
_HOSTILE = {
    byte_mutation: _BYTE_CASES,
    xml_mutation: {
        **_BYTE_CASES,
        "entity-bomb": lambda d: _xml_attack(d, _XML_ATTACKS[0]),
        "external-entity": lambda d: _xml_attack(d, _XML_ATTACKS[1]),
        "deep": _xml_deep,
    },
    zip_mutation: {
        "damaged-member": _damaged,
        "bomb": lambda d: _rebuilt(d, True),
        "missing-part": lambda d: _rebuilt(d, False),
        "truncated": lambda d: d[: len(d) // 2],
    },
}
#: (reader, a hostile case's name, or a file a fuzz run once found under tests/data/fuzz-corpus/)
_CASES = [(reader, name) for reader, _, mutation, *_ in READERS for name in _HOSTILE[mutation]] + [
    (reader, path) for reader, *_ in READERS for path in sorted((CORPUS / reader.replace(" ", "-")).glob("*"))
]


@pytest.mark.parametrize("reader,case", _CASES, ids=[f"{r}/{getattr(c, 'name', c)}" for r, c in _CASES])
def test_fuzz_hostile_and_found_cases(base, reader, case):
    """The fixed hostile cases of every reader, and every case a fuzz run
    once found, whatever the seed."""
    _, rel, mutation, args, may_write, setting = next(r for r in READERS if r[0] == reader)
    content = case.read_bytes() if isinstance(case, Path) else _HOSTILE[mutation][case](_seed(base, rel))
    assert content != _seed(base, rel)  # a case that changed nothing would prove nothing
    _fuzz_file(base, rel, content, *args, may_write=may_write, setting=setting)


def _keep_found(reader: str, rel: str, content: bytes) -> None:
    folder = FOUND / reader.replace(" ", "-")
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(content).hexdigest()[:16] + Path(rel).suffix
    (folder / name).write_bytes(content)


def test_every_reader_meets_hostile_cases():
    """Each reader has fixed hostile cases, whatever a run's seed draws."""
    assert all(_HOSTILE.get(mutation) for _, _, mutation, *_ in READERS)
