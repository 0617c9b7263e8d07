"""The one-pass zip writer: what the standard library reads back, byte for byte."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.core.zipwrite import Deflated, Writer

_NAME = st.text("abcdefghijklmnopqrstuvwxyz0123456789_/.", min_size=1, max_size=30).filter(
    lambda n: not n.startswith("/") and not n.endswith("/") and "//" not in n
)


@given(
    members=st.dictionaries(
        _NAME, st.tuples(st.binary(max_size=5000), st.sampled_from(["add", "once", "stored"])), max_size=8
    )
)
@settings(max_examples=200, deadline=None)
def test_zipfile_reads_back_every_member(members):
    out = io.BytesIO()
    package = Writer(out)
    for name, (data, how) in members.items():
        if how == "stored":
            package.add_stored(
                name, lambda write, data=data: [write(data[i : i + 700]) for i in range(0, len(data), 700)]
            )
        else:
            package.add(name, Deflated.of(data) if how == "once" else data)
    package.close()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert z.testzip() is None
        assert [i.filename for i in z.infolist()] == list(members)
        for info in z.infolist():
            assert z.read(info) == members[info.filename][0]
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == (
                zipfile.ZIP_STORED if members[info.filename][1] == "stored" else zipfile.ZIP_DEFLATED
            )


def test_the_same_members_give_the_same_bytes():
    def package():
        out = io.BytesIO()
        writer = Writer(out)
        writer.add("a.xml", b"<a/>" * 100)
        writer.add("b.xml", Deflated.of(b"<b/>" * 100))
        writer.add_stored("c.jpeg", lambda write: write(b"\xff\xd8" + bytes(range(256))))
        writer.close()
        return out.getvalue()

    assert package() == package()
