"""Provenance: each draft's origin in one history line, machine text fuzzy
until a person submits it, and what the submission kept of the draft."""
from __future__ import annotations

import polib
from hypothesis import given
from hypothesis import strategies as st

from workflow import lifecycle, pofile, status
from workflow.model import Origin


def _entry(**kw) -> polib.POEntry:
    return polib.POEntry(msgid="长沙外贸进出口总值达2875.4亿元。", msgctxt="body", msgstr="", **kw)


def _reparsed(entry):
    """The entry after a write and a read (wrapping at the file's width and all)."""
    po = pofile.new_file("", {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"})
    po.append(entry)
    return [e for e in pofile.parse(pofile.dump(po), "x.po") if e.msgid][0]


def test_machine_draft_is_fuzzy_until_a_person_submits_it_even_without_the_flag():
    e = _entry()
    lifecycle.from_engine(e, "Changsha's foreign trade reached 287.54 billion yuan.", Origin.MACHINE, "deepl · deepl-v2")
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


@given(st.sampled_from(list(Origin)), st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60),
       st.one_of(st.none(), st.integers(50, 101)))
def test_origin_lines_read_back_as_written(origin, detail, score):
    detail = " ".join(detail.replace("·", "").split())
    score = (score or 100) if origin.is_memory else None  # a memory origin always has its score
    e = _entry(tcomment=lifecycle.origin_line(origin, detail, score))
    e.msgstr = "x"
    found = lifecycle.seed(_reparsed(e))
    assert found.origin is origin and found.score == score and found.detail == detail
