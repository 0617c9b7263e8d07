"""Provenance: each draft's origin in one history line, machine text fuzzy
until a person submits it, and what the submission kept of the draft."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workflow.core.model import Origin
from workflow.po import lifecycle, pofile, status


def _entry(**kw) -> pofile.Entry:
    return pofile.new_entry(msgid="长沙外贸进出口总值达2875.4亿元。", msgctxt="body", msgstr="", **kw)


def _reparsed(entry):
    """The entry after a write and a read (wrapping at the file's width and all)."""
    po = pofile.new_file("", {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"})
    po.append(entry)
    return [e for e in pofile.parse(pofile.dump(po), "x.po") if e.msgid][0]


def test_machine_draft_is_fuzzy_until_a_person_submits_it_even_without_the_flag():
    e = _entry()
    lifecycle.from_engine(
        e, "Changsha's foreign trade reached 287.54 billion yuan.", Origin.MACHINE, "deepl · deepl-v2"
    )
    e = _reparsed(e)
    assert "Origin: machine · deepl · deepl-v2" in e.tcomment
    assert lifecycle.state(e) is lifecycle.State.FUZZY
    e.flags = []  # someone cleared the flag in an editor: still not a person's submission
    assert lifecycle.state(e) is lifecycle.State.FUZZY and not lifecycle.is_translated(e)
    draft = lifecycle.unconfirmed(e)
    assert draft.origin is Origin.MACHINE and draft.engine == "deepl/deepl-v2"
    lifecycle.translate(e, e.msgstr, "Ann", "2026-03-21")
    e = _reparsed(e)
    assert lifecycle.state(e) is lifecycle.State.TRANSLATED
    done = lifecycle.seed(e)
    assert done.confirmed and done.by == "Ann" and done.similarity == 100 and done.edits == 0
    assert e.tcomment.endswith("(confirmed unedited)")


def test_a_post_edit_records_the_character_distance_from_the_draft():
    e = _entry()
    lifecycle.from_engine(e, "Changsha foreign trade reached 287.54 billion yuan.", Origin.MACHINE, "llm · qwen")
    lifecycle.translate(e, "Changsha's foreign trade reached 287.54 billion yuan.", "Bo", "2026-03-21")
    done = lifecycle.seed(_reparsed(e))
    assert done.edits == 2 and done.similarity == 96 and done.by == "Bo"  # "'s" inserted: 2 of 53 characters
    assert lifecycle.unconfirmed(e) is None


def test_an_exact_memory_match_is_translated_but_a_draft_until_confirmed_and_older_tm_lines_still_read():
    e = _entry()
    lifecycle.from_memory(e, "Trade reached 287.54 billion yuan.", 100, "old:abc", True, e.msgid)
    assert lifecycle.state(e) is lifecycle.State.TRANSLATED
    assert lifecycle.unconfirmed(e).origin is Origin.MEMORY_EXACT and lifecycle.unconfirmed(e).score == 100
    old = _entry(tcomment="TM: 87% · follow-up:x1", flags=["fuzzy"])
    old.msgstr = "Trade reached"
    assert lifecycle.seed(old).origin is Origin.MEMORY_FUZZY and lifecycle.seed(old).score == 87


def test_status_counts_machine_and_memory_drafts_apart_from_confirmed_ones():
    machine, memory_draft, confirmed, human = _entry(), _entry(), _entry(), _entry()
    for i, e in enumerate((machine, memory_draft, confirmed, human)):
        e.msgctxt = f"body{i}"
    lifecycle.from_engine(machine, "MT text", Origin.MACHINE, "replay · wmt")
    lifecycle.from_memory(memory_draft, "TM text", 100, "a:b", True, memory_draft.msgid)
    lifecycle.from_engine(confirmed, "MT text", Origin.MACHINE, "replay · wmt")
    lifecycle.translate(confirmed, "MT text", "Ann", "2026-03-21")
    lifecycle.translate(human, "Own text", "Ann", "2026-03-21")
    c = status.count([machine, memory_draft, confirmed, human])
    assert (c.machine, c.memory, c.confirmed_unedited) == (1, 1, 1)
    assert (c.fuzzy, c.translated) == (1, 3)


@given(
    st.sampled_from(list(Origin)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
    st.one_of(st.none(), st.integers(50, 101)),
)
def test_origin_lines_read_back_as_written(origin, detail, score):
    detail = " ".join(detail.replace("·", "").split())
    score = (score or 100) if origin.is_memory else None  # a memory origin always has its score
    e = _entry(tcomment=lifecycle.origin_line(origin, detail, score))
    e.msgstr = "x"
    found = lifecycle.seed(_reparsed(e))
    assert found.origin is origin and found.score == score and found.detail == detail


# -- through the kits and the memory, with real readers ------------------------------------------


def _drafted(run, project, tmp_path):
    from .conftest import po_path

    run("extract")
    replay = tmp_path / "mt.tsv"
    replay.write_text("小节导语\tSection lead\n一张照片的说明文字。\tA photo's caption text.\n", encoding="utf-8")
    run("pretranslate", "--engine", f"replay:{replay}")
    return {e.msgid: e for e in pofile.load(po_path(project), "x.po")}


def test_xliff_kit_marks_machine_drafts_leveraged_mt_and_translate_toolkit_reads_it(run, project, tmp_path):
    from lxml import etree
    from translate.storage import xliff as tt

    po = _drafted(run, project, tmp_path)
    kit = tmp_path / "small.en.xlf"
    run("export", "small", "--format", "xliff", "--out", kit)
    root = etree.fromstring(kit.read_bytes())
    sid = po["小节导语"].comment.split("ID: ", 1)[1].split()[0]
    unit = next(u for u in root.iter("{*}trans-unit") if u.get("id") == sid)
    target = unit.find("{*}target")
    assert target.get("state") == "needs-review-translation" and target.get("state-qualifier") == "leveraged-mt"
    assert any(
        n.text == "draft: machine · replay · mt.tsv" and n.get("from") == "developer" for n in unit.iter("{*}note")
    )
    store = tt.xlifffile.parsestring(kit.read_bytes())
    assert {u.xmlelement.get("id"): u.isfuzzy() for u in store.getunits()}[sid] is True
    # the translator confirms it in a CAT tool that keeps the qualifier: confirmed unedited
    kit.write_bytes(
        kit.read_bytes().replace(
            b'state="needs-review-translation" state-qualifier="leveraged-mt"',
            b'state="translated" state-qualifier="leveraged-mt"',
        )
    )
    run("submit", kit, "--translator", "Ann")
    from .conftest import po_path

    lead = {e.msgid: e for e in pofile.load(po_path(project), "x.po")}["小节导语"]
    assert lifecycle.state(lead) is lifecycle.State.TRANSLATED and lifecycle.seed(lead).similarity == 100


def test_another_tools_machine_text_comes_in_as_machine_not_as_human_work(run, project, tmp_path):
    run("extract")
    from .conftest import po_path

    po = {e.msgid: e for e in pofile.load(po_path(project), "x.po")}
    sid = po["小节导语"].comment.split("ID: ", 1)[1].split()[0]
    kit = tmp_path / "cat.xlf"
    kit.write_bytes(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" '
            'version="1.2"><file original="source/small.md" source-language="zh-CN" target-language="en" '
            f'datatype="plaintext"><body><trans-unit id="{sid}"><source>小节导语</source>'
            '<target state="needs-review-translation" state-qualifier="mt-suggestion">Section lead</target>'
            "</trans-unit></body></file></xliff>"
        ).encode()
    )
    result = run("submit", kit)
    assert "machine text from the kit, kept fuzzy" in result.output
    lead = {e.msgid: e for e in pofile.load(po_path(project), "x.po")}["小节导语"]
    assert lifecycle.unconfirmed(lead).origin is Origin.MACHINE and lifecycle.state(lead) is lifecycle.State.FUZZY


def test_tmx_export_carries_each_translations_origin_and_an_import_keeps_it(run, project, tmp_path):
    from lxml import etree

    from .conftest import Run

    po = _drafted(run, project, tmp_path)
    sid = po["小节导语"].comment.split("ID: ", 1)[1].split()[0]
    run("submit", "small", "--segment", sid, "--text", "Section lead", "--translator", "Ann")
    first = [e for e in po.values() if not lifecycle.seed(e)][0]
    run("submit", "small", "--segment", first.comment.split("ID: ", 1)[1].split()[0], "--text", "Own words")
    out = tmp_path / "memory.tmx"
    run("tm", "export", "--out", out)

    def origins(path):
        root = etree.parse(str(path)).getroot()
        return {
            tu.find("tuv/seg").text if tu.find("tuv/seg") is not None else "": {
                p.get("type"): p.text for p in tu.iter("prop")
            }.get("x-origin")
            for tu in root.iter("tu")
        }

    found = origins(out)
    assert found["小节导语"] == "machine · replay · mt.tsv" and found[first.msgid] == "human"
    other = tmp_path / "other"
    (other / "source").mkdir(parents=True)
    (other / "pyproject.toml").write_text((project / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    Run(other)("tm", "import", out)
    again = tmp_path / "again.tmx"
    Run(other)("tm", "export", "--out", again)
    assert origins(again)["小节导语"] == "machine · replay · mt.tsv"


def test_an_aligned_draft_may_be_seeded_translated_but_machine_text_never():
    aligned, machine = _entry(), _entry()
    lifecycle.from_engine(aligned, "From the published edition.", Origin.ALIGNED, "edition.docx", fuzzy=False)
    lifecycle.from_engine(machine, "MT", Origin.MACHINE, "x · y", fuzzy=False)
    assert (
        lifecycle.state(aligned) is lifecycle.State.TRANSLATED
        and lifecycle.unconfirmed(aligned).origin is Origin.ALIGNED
    )
    assert lifecycle.state(machine) is lifecycle.State.FUZZY
    c = status.count([aligned, machine])
    assert (c.other_drafts, c.machine, c.translated, c.fuzzy) == (1, 1, 1, 1)


def test_word_and_csv_kits_show_each_drafts_origin_and_a_csv_round_trip_keeps_it(run, project, tmp_path):
    import csv

    import docx

    _drafted(run, project, tmp_path)
    kit = tmp_path / "small.en.docx"
    run("export", "small", "--format", "docx", "--out", kit)
    cells = [c.text for t in docx.Document(str(kit)).tables for row in t.rows for c in row.cells]
    assert "draft: machine · replay · mt.tsv" in cells
    sheet = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", sheet)
    rows = list(csv.DictReader(sheet.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["source"]: r["origin"] for r in rows if r["origin"]} == {
        "小节导语": "machine · replay · mt.tsv",
        "一张照片的说明文字。": "machine · replay · mt.tsv",
    }
    assert run("submit", sheet, "--dry-run").exit_code == 0  # the column is read back without complaint
