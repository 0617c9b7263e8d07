"""Machine translation engines against local servers that speak each
published API (DeepL v2, OpenAI chat completions, LibreTranslate): the
documented requests and replies, errors, rate limits and malformed
replies; and the replay engine, the cache, the dry run and placeholders."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.memory import engines
from workflow.po import lifecycle, pofile

from .conftest import po_path

KEY = "0d1e2f3a-test-secret-key:fx"
GLOSSARY = (
    "source,target,note\n巴斯夫杉杉,BASF Shanshan / BASF Shanshan Battery,Name: company\n"
    "总书记,the General Secretary / Xi,\n"
)


class Server:
    """One local HTTP server; ``reply(path, body, headers)`` → (status, json or bytes, headers)."""

    def __init__(self, reply):
        self.calls: list[tuple[str, dict, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                outer.calls.append((self.path, body, dict(self.headers)))
                status, payload, headers = reply(self.path, body, dict(self.headers))
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _english(text: str) -> str:
    """What the fake engines 'translate' into: tags kept, Chinese marked."""
    return "EN[" + text.replace("巴斯夫杉杉", "BASF Shanshan") + "]"


def deepl_reply(failures: list):
    """DeepL API v2 as documented: 403 for a wrong key, 429/456, glossaries, translations."""

    def reply(path, body, headers):
        if headers.get("Authorization") != f"DeepL-Auth-Key {KEY}":
            return 403, {"message": "Wrong endpoint or authorization key"}, {}
        if failures:
            return failures.pop(0)
        if path == "/v2/glossaries":
            assert body["entries_format"] == "tsv" and body["source_lang"] == "zh" and body["target_lang"] == "en"
            return (
                201,
                {
                    "glossary_id": "g-123",
                    "ready": True,
                    "name": body["name"],
                    "entry_count": body["entries"].count("\n") + 1,
                },
                {},
            )
        if path == "/v2/translate":
            assert body["tag_handling"] == "xml" and body["ignore_tags"] == ["x"] and body["target_lang"] == "EN-US"
            return (
                200,
                {"translations": [{"detected_source_language": "ZH", "text": _english(t)} for t in body["text"]]},
                {},
            )
        return 404, {"message": "Not found"}, {}

    return reply


def _configure(project, url: str, kind: str = "deepl", extra: str = "") -> None:
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text(encoding="utf-8")
        + f'\n[tool.bilingual.engines.mt]\ntype = "{kind}"\nurl = "{url}"\nmodel = "m1"\nkey_env = "TEST_MT_KEY"\n'
        f"backoff = 0\nretries = 2\n{extra}",
        encoding="utf-8",
    )
    (project / "translations").mkdir(exist_ok=True)
    (project / "translations" / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")


@pytest.fixture
def served(request):
    servers = []

    def start(reply):
        servers.append(Server(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _drafts(root):
    po = pofile.load(po_path(root), "x.po")
    return {e.msgid: e for e in po if e.msgid and lifecycle.seed(e)}


def test_deepl_drafts_every_segment_with_our_glossary_and_keeps_figures_as_they_were(run, project, served, monkeypatch):
    server = served(deepl_reply([]))
    _configure(project, server.url)
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    result = run("pretranslate", "--engine", "mt")
    assert "machine draft(s) from mt · m1" in result.output
    paths = [c[0] for c in server.calls]
    assert paths[0] == "/v2/glossaries"
    # DeepL refuses a source twice: the first row wins, with its first form
    assert server.calls[0][1]["entries"] == "巴斯夫杉杉\tBASF Shanshan\n总书记\tthe General Secretary"
    translate = [c for c in server.calls if c[0] == "/v2/translate"]
    assert len(translate) == 1 and translate[0][1]["glossary_id"] == "g-123"  # one batch for the article
    sent = translate[0][1]["text"]
    figures = next(t for t in sent if "亿元" in t)
    assert '<x id="' in figures and "2875.4亿元" in figures and "3.5%" not in figures  # 亿 figures go as they are
    drafts = _drafts(project)
    body = drafts["第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。"]
    assert body.msgstr == "EN[第一段正文。长沙外贸进出口总值达2875.4亿元，同比增长3.5%。]"
    assert lifecycle.state(body) is lifecycle.State.FUZZY and "Origin: machine · mt · m1" in body.tcomment
    status = run("status").output
    assert f"{len(drafts)} machine and 0 memory draft(s)" in status
    refused = run("build", "--edition", "en", ok=False)
    assert refused.exit_code == 1  # unconfirmed machine text is not publishable
    assert "fuzzy (machine draft no person has submitted)" in refused.stderr
    _never_written(project)


def _never_written(project):
    for path in project.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_rate_limits_and_server_errors_are_retried_then_the_run_goes_through(run, project, served, monkeypatch):
    server = served(
        deepl_reply(
            [
                (429, {"message": "Too many requests"}, {"Retry-After": "0"}),
                (503, {"message": "Service unavailable"}, {}),
            ]
        )
    )
    _configure(project, server.url)
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    run("pretranslate", "--engine", "mt")
    assert len(server.calls) == 4 and _drafts(project)  # glossary: 429, 503, then 201; translate: 200


@pytest.mark.parametrize(
    "failure, message",
    [
        ((500, {"message": "Internal error"}, {}), "HTTP 500: Internal error"),
        ((456, {"message": "Quota exceeded"}, {}), "HTTP 456: Quota exceeded"),
        ((200, {"glossary_id": "g"}, {}), "malformed reply"),
        ((200, b"<html>proxy error</html>", {}), "not JSON"),
    ],
)
def test_a_failing_or_malformed_engine_exits_69_and_leaves_the_catalog_as_it_was(
    run, project, served, monkeypatch, failure, message
):
    # the glossary call succeeds; every translate call fails the same way
    def reply(path, body, headers):
        if path == "/v2/glossaries":
            return 201, {"glossary_id": "g-1", "ready": True}, {}
        return failure

    server = served(reply)
    _configure(project, server.url)
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    before = po_path(project).read_bytes()
    result = run("pretranslate", "--engine", "mt", code=69)
    assert message in result.stderr and KEY not in result.stderr and "Traceback" not in result.stderr
    assert po_path(project).read_bytes() == before
    assert len([c for c in server.calls if c[0] == "/v2/translate"]) == (3 if failure[0] == 500 else 1)


def test_a_wrong_key_is_refused_without_showing_it_and_a_missing_one_is_named(run, project, served, monkeypatch):
    server = served(deepl_reply([]))
    _configure(project, server.url)
    run("extract")
    result = run("pretranslate", "--engine", "mt", code=3)
    assert "TEST_MT_KEY" in result.stderr
    assert not server.calls
    monkeypatch.setenv("TEST_MT_KEY", "wrong-secret-value")
    result = run("pretranslate", "--engine", "mt", code=69)
    assert (
        "HTTP 403: Wrong endpoint or authorization key" in result.stderr and "wrong-secret-value" not in result.stderr
    )


def test_dry_run_estimates_characters_and_sends_nothing_and_a_rerun_costs_nothing(run, project, served, monkeypatch):
    server = served(deepl_reply([]))
    _configure(project, server.url)
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    po = pofile.load(po_path(project), "x.po")
    chars = sum(len(e.msgid) for e in po if e.msgid)
    segments = sum(1 for e in po if e.msgid)
    before = po_path(project).read_bytes()
    dry = run("pretranslate", "--engine", "mt", "--dry-run").output
    assert f"{segments} segment(s), {chars} source character(s) to send to mt · m1" in dry
    assert not server.calls and po_path(project).read_bytes() == before
    run("pretranslate", "--engine", "mt")
    calls = len(server.calls)
    po_path(project).write_bytes(before)  # the drafts thrown away: the same run again
    again = run("pretranslate", "--engine", "mt").output
    assert len(server.calls) == calls and f"0 segment(s), 0 character(s) sent; {segments} from the cache" in again
    assert "0 segment(s), 0 source character(s)" in run("pretranslate", "--engine", "mt", "--dry-run").output
    _never_written(project)


def test_openai_compatible_prompt_names_role_neighbours_and_glossary_terms(run, project, served, monkeypatch):
    def reply(path, body, headers):
        segment = body["messages"][-1]["content"].split("Segment to translate:\n", 1)[1]
        return (
            200,
            {
                "id": "c1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": _english(segment)},
                    }
                ],
                "usage": {"prompt_tokens": 9, "completion_tokens": 9},
            },
            {},
        )

    server = served(reply)
    _configure(project, server.url, "openai")
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    run("pretranslate", "--engine", "mt")
    assert {c[0] for c in server.calls} == {"/v1/chat/completions"}
    assert all(
        c[1]["model"] == "m1" and c[1]["temperature"] == 0 and c[2]["Authorization"] == f"Bearer {KEY}"
        for c in server.calls
    )
    user = next(
        c[1]["messages"][-1]["content"]
        for c in server.calls
        if "讲述巴斯夫" in c[1]["messages"][-1]["content"].split("Segment to translate:")[1]
    )
    assert "Glossary: 巴斯夫杉杉 = BASF Shanshan" in user and "Role of the segment: body." in user
    assert "Previous segment (context, do not translate): 小节导语" in user
    assert "Next segment (context, do not translate): 一张照片的说明文字。" in user
    drafts = _drafts(project)
    assert drafts["第二段正文，讲述巴斯夫杉杉的故事。"].msgstr == "EN[第二段正文，讲述BASF Shanshan的故事。]"
    assert len(drafts) == len(server.calls)


def test_openai_reply_that_loses_a_placeholder_is_refused_and_counted(run, project, served, monkeypatch):
    def reply(path, body, headers):
        return 200, {"choices": [{"message": {"role": "assistant", "content": "No tags at all."}}]}, {}

    server = served(reply)
    _configure(project, server.url, "openai", "batch = 1\n")
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    result = run("pretranslate", "--engine", "mt").output
    drafts = _drafts(project)
    protected = [m for m in drafts if re.search(r"\d", m) and "亿" not in m]
    assert not protected  # every segment with a placeholder was refused, not drafted
    assert re.search(r"[1-9]\d* refused \(placeholders lost\)", result)
    assert server.calls


def test_libretranslate_documented_shape_and_its_error_field(run, project, served, monkeypatch):
    def reply(path, body, headers):
        assert path == "/translate" and body["source"] == "zh" and body["target"] == "en"
        assert body["format"] == "html" and body["api_key"] == KEY and isinstance(body["q"], list)
        if len(body["q"]) > 3:
            return 400, {"error": "Too many texts"}, {}
        return 200, {"translatedText": [_english(q) for q in body["q"]]}, {}

    server = served(reply)
    _configure(project, server.url, "libretranslate", "batch = 3\n")
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    run("pretranslate", "--engine", "mt")
    assert len(server.calls) > 1 and all(len(c[1]["q"]) <= 3 for c in server.calls)
    assert _drafts(project)
    _configure(project, server.url, "libretranslate", "batch = 10\n")  # a second table: a TOML error, exit 3
    assert run("pretranslate", "--engine", "mt", ok=False).exit_code == 3


def test_replay_engine_needs_no_configuration_and_counts_what_it_lacks(run, project, tmp_path):
    run("extract")
    replay = tmp_path / "mt.tsv"
    # full-width digits and spaces: the same source after the memory's normalisation
    replay.write_text("测试标题　一\tTest headline one\n小节导语\tSection lead\n", encoding="utf-8")
    dry = run("pretranslate", "--engine", f"replay:{replay}", "--dry-run").output
    assert "2 segment(s) would be drafted from replay · mt.tsv" in dry
    result = run("pretranslate", "--engine", f"replay:{replay}").output
    assert "2 machine draft(s) from replay · mt.tsv" in result and "without an output" in result
    drafts = _drafts(project)
    assert drafts["小节导语"].msgstr == "Section lead" and drafts["测试标题 一"].msgstr == "Test headline one"
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    result = run("pretranslate", "--engine", f"replay:{bad}", code=3)
    assert "bad.tsv:1: a line must be source<TAB>target" in result.stderr
    assert run("pretranslate", "--engine", "nosuch", code=2)


def test_confirming_and_post_editing_machine_drafts_through_a_kit(run, project, tmp_path):
    run("extract")
    replay = tmp_path / "mt.tsv"
    replay.write_text("小节导语\tSection lead\n一张照片的说明文字。\tA photo's caption text.\n", encoding="utf-8")
    run("pretranslate", "--engine", f"replay:{replay}")
    kit = tmp_path / "small.en.csv"
    run("export", "small", "--format", "csv", "--out", kit)
    text = kit.read_text(encoding="utf-8-sig")
    assert "machine · replay · mt.tsv" in text
    lines = text.replace(",fuzzy,", ",translated,").replace("A photo's caption text.", "The photo's caption.")
    kit.write_text(lines, encoding="utf-8-sig")
    run("submit", kit, "--translator", "Ann")
    po = {e.msgid: e for e in pofile.load(po_path(project), "x.po")}
    lead, caption = lifecycle.seed(po["小节导语"]), lifecycle.seed(po["一张照片的说明文字。"])
    assert lead.confirmed and lead.similarity == 100 and lead.by == "Ann"
    assert (
        caption.confirmed and caption.edits == 8 and caption.similarity == 65
    )  # "A" → "The", " text" dropped: 8 of 23
    assert "0 machine and 0 memory draft(s) not confirmed by a person; 1 confirmed unedited" in run("status").output
    figures = json.loads(run("analyze", "--post-edit", "--json").output)
    (engine,), (person,) = figures["engines"], figures["translators"]
    assert engine["name"] == "replay/mt.tsv" and person["name"] == "Ann" and engine["edits"] == 8
    assert engine["bands"]["100"] == {"segments": 1, "chars": 4} and engine["bands"]["50-74"]["segments"] == 1
    assert "replay/mt.tsv" in run("analyze", "--post-edit").output


def test_analyze_counts_machine_and_memory_drafts_apart(run, project, tmp_path):
    run("extract")
    replay = tmp_path / "mt.tsv"
    replay.write_text("小节导语\tSection lead\n", encoding="utf-8")
    run("pretranslate", "--engine", f"replay:{replay}")
    drafts = json.loads(run("analyze", "--json").output)["total"]["drafts"]
    assert drafts == {"machine": {"segments": 1, "chars": 4}, "memory": {"segments": 0, "chars": 0}}
    assert "1/4 machine, 0/0 memory" in run("analyze").output


@given(st.text(alphabet="长沙2875.4亿元3.5%*`[]()https://a.b/c 万，。 ", max_size=60))
def test_protected_pieces_come_back_exactly(text):
    sent, pieces = engines.protect(text)
    assert engines.restore(sent, pieces) == text.strip()
    if pieces:
        assert engines.restore(re.sub(r'<x id="1"/>', "", sent, count=1), pieces) is None


def test_an_untouched_machine_draft_is_drafted_again_when_its_source_changes(run, project, tmp_path):
    run("extract")
    replay = tmp_path / "mt.tsv"
    replay.write_text(
        "小节导语\tSection lead\n一张照片的说明文字。\tA photo caption.\n"
        "小节导语（修订）\tSection lead (revised)\n一张照片的说明文字（修订）。\tA revised photo caption.\n",
        encoding="utf-8",
    )
    run("pretranslate", "--engine", f"replay:{replay}")
    caption = next(e for e in pofile.load(po_path(project), "x.po") if e.msgid == "一张照片的说明文字。")
    run("submit", "small", "--segment", caption.comment.split("ID: ", 1)[1].split()[0], "--text", "A photo caption.")
    source = project / "source" / "small.md"
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace("小节导语", "小节导语（修订）")
        .replace("一张照片的说明文字。", "一张照片的说明文字（修订）。"),
        encoding="utf-8",
    )
    run("extract")
    result = run("pretranslate", "--engine", f"replay:{replay}").output
    po = {e.msgid: e for e in pofile.load(po_path(project), "x.po") if e.msgid}
    assert po["小节导语（修订）"].msgstr == "Section lead (revised)" and po["小节导语（修订）"].previous_msgid is None
    # the caption a person confirmed is theirs now: the merge's fuzzy suggestion stays for them to fix
    assert po["一张照片的说明文字（修订）。"].msgstr == "A photo caption."
    assert "1 machine draft(s)" in result


def test_a_server_that_does_not_answer_in_time_is_retried_then_reported(run, project, served, monkeypatch):
    import time

    def reply(path, body, headers):
        time.sleep(0.5)
        return 200, {"translatedText": []}, {}

    server = served(reply)
    _configure(project, server.url, "libretranslate", "timeout = 0.1\n")
    monkeypatch.setenv("TEST_MT_KEY", KEY)
    run("extract")
    before = po_path(project).read_bytes()
    result = run("pretranslate", "--engine", "mt", code=69)
    assert "unreachable" in result.stderr and "timed out" in result.stderr
    assert len(server.calls) == 3 and po_path(project).read_bytes() == before  # retries = 2


def test_credentials_in_the_configuration_are_refused(run, project, served):
    _configure(project, "https://user:secret@mt.example.org", "openai")
    run("extract")
    result = run("pretranslate", "--engine", "mt", code=3)
    assert "without a user or password" in result.stderr and "secret" not in result.stderr
    from .conftest import PYPROJECT

    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    _configure(project, "http://127.0.0.1:9", "openai", 'key = "abc-secret"\n')
    result = run("pretranslate", "--engine", "mt", code=3)
    assert "credentials never go in a file" in result.stderr and "abc-secret" not in result.stderr
