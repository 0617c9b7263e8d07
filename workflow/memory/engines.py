"""Machine translation engines: one small interface and its engines.

An engine takes a batch of ``Request`` (a segment's source with its role,
neighbours and the glossary terms that apply) and returns one translation
per request, or None where it has none.  Engines:

* ``replay`` — a UTF-8 file of ``source<TAB>target`` lines (outputs made
  elsewhere, test data); no configuration, nothing sent anywhere;
* ``deepl`` — DeepL API v2 ``POST /v2/translate`` (up to 50 texts a call),
  with a DeepL glossary made from ours (``POST /v2/glossaries``);
* ``openai`` — any OpenAI-compatible ``POST /v1/chat/completions`` server
  (vLLM, llama.cpp's server, Ollama, hosted LLMs), one segment a call, with a
  prompt naming the role, the neighbours and the glossary terms;
* ``libretranslate`` — ``POST /translate`` of a self-hosted LibreTranslate.

HTTP is the standard library's ``urllib``: four JSON POST calls need no
client library, and nothing new to install on a desk's machine or in CI.
Every call has a timeout; 429 and 5xx replies (and a dropped connection)
are retried with exponential back-off (``Retry-After`` honoured, capped);
any other refusal or a reply that is not the documented shape is a
``ToolError`` naming the engine.  The credential is read from the
environment variable the configuration names, sent only in the
``Authorization`` header (LibreTranslate: its ``api_key`` field) and
never written or put in a message.

Placeholders: URLs, inline code, Markdown link targets and emphasis marks,
and figures that stand alone (not those before 万 or 亿, which a translation
must convert) are replaced by ``<x id="N"/>`` before sending and put back
after; a reply that lost or repeated one is refused (counted as damaged).

May import: errors.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from workflow.core.errors import ConfigError, ToolError

TYPES = ("replay", "deepl", "openai", "libretranslate")


@dataclass(frozen=True)
class Request:
    source: str
    role: str = "body"
    prev: str = ""
    next: str = ""
    glossary: tuple[tuple[str, str], ...] = ()  # (source term, target) pairs that apply


@dataclass(frozen=True)
class Settings:
    """One engine's configuration (``[engines.NAME]`` in bilingual.toml)."""

    name: str
    type: str
    url: str = ""
    model: str = ""
    key_env: str = ""  # the environment variable holding the credential
    batch: int = 50
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    source_lang: str = "zh"
    target_lang: str = "en"
    formality: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """ENGINE · MODEL, as the origin line records it."""
        return f"{self.name} · {self.model or self.type}"


def settings_from(name: str, table: dict, where: str) -> Settings:
    """An engine's settings from its configuration table."""
    if not isinstance(table, dict):
        raise ConfigError(f"engines.{name} must be a table", where)
    kind = table.get("type", name)
    if kind not in TYPES[1:]:
        raise ConfigError(f"engines.{name}: unknown type {kind!r}; use {', '.join(TYPES[1:])}", where)
    known = {
        "type",
        "url",
        "model",
        "key_env",
        "batch",
        "timeout",
        "retries",
        "backoff",
        "source_lang",
        "target_lang",
        "formality",
    }
    if {"key", "api_key", "auth_key", "token", "password"} & set(table):
        raise ConfigError(f"engines.{name}: credentials never go in a file; name the variable with key_env", where)
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"engines.{name}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", where
        )
    numbers: dict[str, type | tuple[type, ...]] = {
        "batch": int,
        "timeout": (int, float),
        "retries": int,
        "backoff": (int, float),
    }
    for key, kinds in numbers.items():
        if key in table and (not isinstance(table[key], kinds) or isinstance(table[key], bool) or table[key] < 0):
            raise ConfigError(f"engines.{name}.{key} must be a number ≥ 0", where)
    if kind != "deepl" and not table.get("url"):
        raise ConfigError(f"engines.{name}: a {kind} engine needs its url", where)
    url = str(table.get("url", ""))
    if url and (not url.startswith(("http://", "https://")) or "@" in url.split("/")[2]):
        raise ConfigError(f"engines.{name}.url must be http(s)://host…, without a user or password in it", where)
    return Settings(name=name, type=kind, **{k: v for k, v in table.items() if k != "type"})


# -- placeholders ---------------------------------------------------------------------------

_PROTECT = re.compile(
    r"https?://[^\s<>()\u3000-\u303f\uff00-\uffef]+"  # a URL
    r"|`[^`\n]+`"  # inline code
    r"|\]\([^)\s]+\)|\[|\]"  # a Markdown link's brackets and target
    r"|\*\*|__|(?<!\*)\*(?!\*)"  # emphasis marks
    r"|(?<![\d.])\d[\d,]*(?:\.\d+)?%?(?![\d.]*\s*[万亿])"  # a figure that stands alone
)
_TOKEN = re.compile(r'<x id="(\d+)"\s*/>')


def protect(text: str) -> tuple[str, list[str]]:
    """The text as an engine gets it (XML-escaped, placeholders as tokens)
    and the protected pieces, in order."""
    pieces: list[str] = []
    out, last = [], 0
    for m in _PROTECT.finditer(text):
        out.append(html.escape(text[last : m.start()], quote=False))
        out.append(f'<x id="{len(pieces) + 1}"/>')
        pieces.append(m.group())
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out), pieces


def restore(reply: str, pieces: list[str]) -> str | None:
    """The engine's reply with the pieces put back, or None when it lost,
    invented or repeated a placeholder."""
    found = [int(i) for i in _TOKEN.findall(reply)]
    if sorted(found) != list(range(1, len(pieces) + 1)):
        return None
    text = _TOKEN.sub(lambda m: "\x00" + m.group(1) + "\x00", reply)
    text = html.unescape(text)
    return re.sub("\x00(\\d+)\x00", lambda m: pieces[int(m.group(1)) - 1], text).strip()


# -- HTTP ----------------------------------------------------------------------------------


_RETRIED = {429, 500, 502, 503, 504}


def post_json(settings: Settings, url: str, body: dict, headers: dict, sleep=time.sleep) -> dict:
    """POST ``body`` as JSON and return the JSON reply; retried on 429, 5xx
    and dropped connections; a ToolError otherwise (never with the key)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    wait = settings.backoff
    for attempt in range(settings.retries + 1):
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as reply:
                raw = reply.read()
            break
        except urllib.error.HTTPError as exc:
            if exc.code not in _RETRIED or attempt == settings.retries:
                raise ToolError(f"engine {settings.name}: {url} answered HTTP {exc.code}{_why(exc)}") from None
            delay = _retry_after(exc, wait)
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            if attempt == settings.retries:
                reason = getattr(exc, "reason", exc)
                raise ToolError(f"engine {settings.name}: {url} unreachable ({reason})") from None
            delay = wait
        sleep(delay)
        wait *= 2
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ToolError(f"engine {settings.name}: {url} sent a reply that is not JSON") from None
    if not isinstance(answer, dict):
        raise ToolError(f"engine {settings.name}: {url} sent JSON that is not an object")
    return answer


def _why(exc: urllib.error.HTTPError) -> str:
    """The server's own message, short (DeepL's "message", LibreTranslate's "error")."""
    try:
        body = json.loads(exc.read().decode("utf-8", "replace"))
        text = (body.get("message") or body.get("error") or "") if isinstance(body, dict) else ""
        if isinstance(text, dict):  # OpenAI: {"error": {"message": ...}}
            text = text.get("message", "")
    except (ValueError, OSError):
        text = ""
    return f": {' '.join(str(text).split())[:160]}" if text else ""


def _retry_after(exc: urllib.error.HTTPError, wait: float) -> float:
    value = exc.headers.get("Retry-After", "") if exc.headers else ""
    return min(float(value), 60.0) if value.strip().isdigit() else wait


def _shape(settings: Settings, problem: str) -> ToolError:
    return ToolError(f"engine {settings.name}: malformed reply ({problem})")


# -- the engines ---------------------------------------------------------------------------


class Replay:
    """Outputs made elsewhere: ``source<TAB>target`` lines, looked up by the
    normalised source (``normalize`` is the memory's)."""

    def __init__(self, pairs: dict[str, str], normalize, label: str):
        self.pairs, self.normalize, self.label = pairs, normalize, label
        self.settings = Settings(name="replay", type="replay", model=label, batch=1000)

    def translate(self, requests: list[Request]) -> list[str | None]:
        return [self.pairs.get(self.normalize(r.source)) for r in requests]


def read_replay(data: bytes, display: str, normalize) -> dict[str, str]:
    """The pairs of a replay file; a line without a tab is an error naming it."""
    from workflow.core.errors import InputError

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte {exc.start})", display) from None
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        source, tab, target = line.partition("\t")
        if not tab or not source.strip() or not target.strip():
            raise InputError("a line must be source<TAB>target", display, number)
        pairs.setdefault(normalize(source), target.strip())
    return pairs


class DeepL:
    def __init__(self, settings: Settings, key: str, glossary: tuple[tuple[str, str], ...] = (), glossary_ids=None):
        self.settings, self._key = settings, key
        self.url = settings.url or ("https://api-free.deepl.com" if key.endswith(":fx") else "https://api.deepl.com")
        self.url = self.url.rstrip("/")
        self._glossary, self._ids = glossary, glossary_ids if glossary_ids is not None else {}

    @property
    def _headers(self) -> dict:
        return {"Authorization": f"DeepL-Auth-Key {self._key}"}

    def glossary_id(self) -> str | None:
        """Our glossary as a DeepL glossary, made once per content (remembered in ``glossary_ids``)."""
        if not self._glossary:
            return None
        first: dict[str, str] = {}
        for source, target in self._glossary:  # DeepL refuses a source twice: the first row wins, its first form
            if "\t" not in source + target and "\n" not in source + target:
                first.setdefault(source.strip(), target.split(" / ")[0].strip())
        entries = "\n".join(f"{s}\t{t}" for s, t in first.items() if s and t)
        content = f"{self.url} {self.settings.source_lang}>{self.settings.target_lang} {entries}"
        key = "glossary:" + hashlib.sha256(content.encode("utf-8")).hexdigest()
        if key not in self._ids:
            answer = post_json(
                self.settings,
                f"{self.url}/v2/glossaries",
                {
                    "name": "bilingual",
                    "source_lang": self.settings.source_lang.split("_")[0].lower(),
                    "target_lang": self.settings.target_lang.split("_")[0].lower(),
                    "entries": entries,
                    "entries_format": "tsv",
                },
                self._headers,
            )
            if not isinstance(answer.get("glossary_id"), str):
                raise _shape(self.settings, "no glossary_id")
            self._ids[key] = answer["glossary_id"]
        return self._ids[key]

    def translate(self, requests: list[Request]) -> list[str | None]:
        protected = [protect(r.source) for r in requests]
        body = {
            "text": [p[0] for p in protected],
            "source_lang": self.settings.source_lang.split("_")[0].upper(),
            "target_lang": _deepl_target(self.settings.target_lang),
            "tag_handling": "xml",
            "ignore_tags": ["x"],
        }
        if self.settings.formality:
            body["formality"] = self.settings.formality
        glossary = self.glossary_id()
        if glossary:
            body["glossary_id"] = glossary
        answer = post_json(self.settings, f"{self.url}/v2/translate", body, self._headers)
        found = answer.get("translations")
        if (
            not isinstance(found, list)
            or len(found) != len(requests)
            or not all(isinstance(t, dict) and isinstance(t.get("text"), str) for t in found)
        ):
            raise _shape(self.settings, f"expected {len(requests)} translations")
        return [restore(t["text"], p[1]) for t, p in zip(found, protected)]


def _deepl_target(code: str) -> str:
    """DeepL's target code: EN-US or EN-GB for English (plain EN is deprecated)."""
    code = code.replace("_", "-").upper()
    return {"EN": "EN-US"}.get(code, code)


class LibreTranslate:
    def __init__(self, settings: Settings, key: str):
        self.settings, self._key = settings, key

    def translate(self, requests: list[Request]) -> list[str | None]:
        protected = [protect(r.source) for r in requests]
        body = {
            "q": [p[0] for p in protected],
            "source": self.settings.source_lang.split("_")[0],
            "target": self.settings.target_lang.split("_")[0],
            "format": "html",
        }
        if self._key:
            body["api_key"] = self._key
        answer = post_json(self.settings, self.settings.url.rstrip("/") + "/translate", body, {})
        found = answer.get("translatedText")
        if not isinstance(found, list) or len(found) != len(requests) or not all(isinstance(t, str) for t in found):
            raise _shape(self.settings, f"expected {len(requests)} translatedText")
        return [restore(t, p[1]) for t, p in zip(found, protected)]


_SYSTEM = (
    "You translate Chinese news into English for a newspaper's English edition. Reply with the "
    'translation of the segment only: no notes, no quotes, no source text. Keep every <x id="N"/> tag '
    "exactly once, where it belongs. Convert 万 and 亿 figures (2875.4亿元 = 287.54 billion yuan). "
    "Use the glossary's translations for its terms."
)


def chat_prompt(request: Request, protected: str) -> list[dict]:
    """The messages sent for one segment: the role, its neighbours, the glossary terms that apply."""
    lines = [f"Role of the segment: {request.role}."]
    if request.prev:
        lines.append(f"Previous segment (context, do not translate): {request.prev}")
    if request.next:
        lines.append(f"Next segment (context, do not translate): {request.next}")
    if request.glossary:
        lines.append("Glossary: " + "; ".join(f"{s} = {t}" for s, t in request.glossary))
    lines.append(f"Segment to translate:\n{protected}")
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


class OpenAI:
    def __init__(self, settings: Settings, key: str):
        self.settings, self._key = settings, key

    def translate(self, requests: list[Request]) -> list[str | None]:
        return [self._one(r) for r in requests]

    def _one(self, request: Request) -> str | None:
        text, pieces = protect(request.source)
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        base = self.settings.url.rstrip("/")
        url = base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")
        answer = post_json(
            self.settings,
            url,
            {"model": self.settings.model, "temperature": 0, "messages": chat_prompt(request, text)},
            headers,
        )
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise _shape(self.settings, "no choices[0].message.content") from None
        if not isinstance(content, str):
            raise _shape(self.settings, "content is not text")
        return restore(content, pieces)


def make(settings: Settings, key: str, glossary=(), glossary_ids=None):
    """The engine for ``settings`` (not replay, which ``Replay`` makes)."""
    if settings.type == "deepl":
        return DeepL(settings, key, glossary, glossary_ids)
    if settings.type == "libretranslate":
        return LibreTranslate(settings, key)
    return OpenAI(settings, key)
