"""Write the first hostile cases for every reader that has none yet
(python3 tests/data/fuzz-corpus/seed_corpus.py): a folder that exists is left alone."""

import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ["SOURCE_DATE_EPOCH"] = "1774051200"
import tests.test_fuzz as tf


class F:
    def mktemp(self, name):
        return Path(tempfile.mkdtemp()) / name


base = tf.base._get_wrapped_function()(F())
out = Path(__file__).resolve().parent


def zipcases(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    cases = {}
    # a member whose compressed bytes are damaged (the earlier run's ValueError/zlib case)
    raw = bytearray(data)
    target = "word/document.xml" if "word/document.xml" in parts else max(parts, key=lambda n: len(parts[n]))
    i = raw.find(target.encode())
    for k in range(i + 200, min(i + 260, len(raw))):
        raw[k] ^= 0x5A
    cases["damaged-member"] = bytes(raw)
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in parts.items():
            if n == target:
                with z.open(n, "w") as fh:
                    for _ in range(120):
                        fh.write(b"\0" * 2**20)
            else:
                z.writestr(n, c)
    cases["bomb"] = b.getvalue()
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, c in parts.items():
            if n != ("[Content_Types].xml" if "[Content_Types].xml" in parts else target):
                z.writestr(n, c)
    cases["no-content-types"] = b.getvalue()
    cases["truncated"] = data[: len(data) // 2]
    return cases


def bytecases(data):
    return {
        "truncated": data[: len(data) // 3],
        "bad-utf8": data[:40] + b"\xff\xfe\xc3" + data[40:],
        "nul": data[:30] + b"\0" * 5 + data[30:],
    }


def xmlcases(data):
    head, sep, rest = data.partition(b"?>")
    c = bytecases(data)
    c["entity-bomb"] = head + sep + b"\n" + tf._XML_ATTACKS[0] + rest
    c["external-entity"] = head + sep + b"\n" + tf._XML_ATTACKS[1] + rest
    at = data.rfind(b"</", 0, max(1, len(data) - 10))
    c["deep"] = data[:at] + b"<d>" * 3000 + b"</d>" * 3000 + data[at:]
    return c


for reader, rel, mutation, *_ in tf.READERS:
    data = tf._seed(base, rel)
    kind = {tf.byte_mutation: bytecases, tf.xml_mutation: xmlcases, tf.zip_mutation: zipcases}[mutation]
    folder = out / reader.replace(" ", "-")
    if folder.exists():
        continue
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in kind(data).items():
        (folder / (name + Path(rel).suffix)).write_bytes(content)
print("done")
