"""Both cores: work spread over processes, results in a fixed order.

``jobs`` says how many worker processes a command may use (``-j N`` /
``BILINGUAL_JOBS``, default: the machine's cores).  ``map_ordered`` runs a
function over items in a process pool and returns the results in the
items' order, so output never depends on which worker finished first.
``background`` runs a generator in a child process and hands its items over
in batches: one core reads and prepares while the other writes.  Errors in
a worker come back as the same exception in the parent.

May import: nothing from the package.
"""

from __future__ import annotations

import multiprocessing
import os
import signal

_JOBS: int | None = None


def set_jobs(n: int | None) -> None:
    global _JOBS
    _JOBS = n


def jobs() -> int:
    """Worker processes to use: ``-j``, else ``$BILINGUAL_JOBS``, else the cores."""
    if _JOBS:
        return max(1, _JOBS)
    env = os.environ.get("BILINGUAL_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _context():
    # fork: the child has the parent's modules and data already (Linux, where the tool runs);
    # spawn elsewhere.
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool and leaves every file as it was.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_ordered(func, items: list, chunks: int | None = None, progress=None) -> list:
    """``[func(item) for item in items]`` on ``jobs()`` processes, in order;
    ``progress(1)`` after each item.  With one job, or one item, no process
    is started.  The first error in a worker stops the pool and is raised."""
    n = min(jobs(), len(items))
    if n <= 1:
        out = []
        for item in items:
            out.append(func(item))
            if progress:
                progress(1)
        return out
    out = []
    with _context().Pool(n, initializer=_worker_init) as pool:
        for result in pool.imap(func, items, chunksize=chunks or max(1, min(16, len(items) // (n * 8)))):
            out.append(result)
            if progress:
                progress(1)
    return out


_DONE, _ERROR = "done", "error"


def _produce(queue, factory, args, batch):
    try:
        items = []
        for item in factory(*args):
            items.append(item)
            if len(items) >= batch:
                queue.put(items)
                items = []
        if items:
            queue.put(items)
        queue.put(_DONE)
    except BaseException as exc:  # handed to the parent, raised there
        queue.put((_ERROR, exc))


def background(factory, args: tuple, batch: int = 5000):
    """Yield what ``factory(*args)`` yields, computed in a child process
    (``jobs() > 1``) while the caller consumes the previous batch."""
    if jobs() <= 1:
        yield from factory(*args)
        return
    context = _context()
    queue = context.Queue(maxsize=4)
    child = context.Process(target=_produce, args=(queue, factory, args, batch), daemon=True)
    child.start()
    try:
        while True:
            items = queue.get()
            if items == _DONE:
                break
            if isinstance(items, tuple) and items and items[0] == _ERROR:
                raise items[1]
            yield from items
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
