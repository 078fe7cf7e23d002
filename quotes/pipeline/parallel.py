"""The whole extraction (parse and rules) in worker processes, results in input order.

Each worker is forked from the process that loaded the pipeline, so it starts with the model, the lexicon
tables and the name lists already in memory, and runs ``extract.extract_chunk`` on chunks of articles; the
parent only hands out chunks and takes back their extractions (small records), at most a few chunks ahead,
so memory stays bounded and results stream. An input of fewer than MIN_CHUNKS chunks per worker is extracted
in the calling process: starting workers would cost about what they save; and there are never more workers
than CPUs the process may use. Workers ignore Ctrl-C; the parent, interrupted or
abandoned by its caller, ends them at once.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from spacy.language import Language

from quotes.extraction.nlp import BATCH_CHARS
from quotes.records import Article, Extraction

#: Chunks handed to each worker ahead of the one it works on: enough that no worker waits for the parent.
AHEAD = 2
#: Articles per chunk in parallel runs, at most (and at most BATCH_CHARS characters): smaller than a
#: batch, so that the workers finish together at the end of a run (PolNeAR dev's 84 articles on 2 workers:
#: 8.7 s wall with 4 a chunk, 9.1 s with 8, where one worker idled while the other ended the last chunk).
CHUNK_ARTICLES = 4

#: Chunks per worker an input must fill before workers start: below that, forking and warming them up costs
#: about what they save (a run of 16 articles was 5% slower with 2 workers than with one); 32 articles on 2.
MIN_CHUNKS = 4

#: How long an interrupted run waits for the pool's manager thread to end before it goes on ending.
MANAGER_EXIT_SECONDS = 5.0

#: The pipeline of the process that forks the workers; each worker inherits it.
_nlp: Language | None = None
_batch_size = 16
_seconds = 0.0  # each article's time budget


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C ends
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: a worker told to end, ends
    _die_with_parent()


def _die_with_parent() -> None:
    """Have the kernel send this process SIGTERM when its parent dies, even by kill -9 (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(1)


def _work(chunk: list[Article]) -> list[Extraction]:
    from .extract import extract_chunk

    return extract_chunk(chunk, _nlp, _batch_size, _seconds)


def chunks(articles: Iterable[Article], size: int = CHUNK_ARTICLES, chars: int = BATCH_CHARS) -> Iterator[list[Article]]:
    """Consecutive articles in lists of at most ``size`` articles and ``chars`` characters (one longer
    article alone)."""
    chunk: list[Article] = []
    n = 0
    for article in articles:
        if chunk and (len(chunk) >= size or n + len(article.text) > chars):
            yield chunk
            chunk, n = [], 0
        chunk.append(article)
        n += len(article.text)
    if chunk:
        yield chunk


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, as a container or taskset limits it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _warm_up(nlp: Language) -> None:
    """Pay the lazy loads (name lists, country tables, compiled patterns) once, before forking, rather
    than in every worker."""
    from .extract import extract_chunk

    extract_chunk([Article(text="Health Minister Jane Doe of France told Reuters: “We will act.” "
                                "The ministry said it would act, she added.")], nlp)


def extract_parallel(articles: Iterable[Article], nlp: Language, workers: int,
                     batch_size: int = 16, seconds: float = 0) -> Iterator[Extraction]:
    """Extractions of ``articles`` in order, made by ``workers`` forked processes; ``seconds`` is each
    article's time budget."""
    global _nlp, _batch_size, _seconds
    from .extract import extract_many

    workers = min(workers, _usable_cpus())  # more processes than CPUs only take turns
    stream = chunks(articles, min(CHUNK_ARTICLES, batch_size))
    first = list(itertools.islice(stream, MIN_CHUNKS * workers))
    if (workers < 2 or len(first) < MIN_CHUNKS * workers
            or "fork" not in multiprocessing.get_all_start_methods()):  # too little to share: as one worker
        yield from extract_many(itertools.chain.from_iterable(itertools.chain(first, stream)), nlp,
                                batch_size=batch_size, seconds=seconds)
        return
    _warm_up(nlp)
    _nlp, _batch_size, _seconds = nlp, batch_size, seconds
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
    pending: deque[tuple[list[Article], Future]] = deque()
    finished = False
    try:
        for chunk in itertools.chain(first, stream):
            pending.append((chunk, pool.submit(_work, chunk)))
            while len(pending) > workers * (AHEAD + 1):
                yield from _result(*pending.popleft())
        while pending:
            yield from _result(*pending.popleft())
        finished = True
    finally:
        if not finished:  # interrupted, or the caller stopped reading: end the workers now
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.is_alive():
                    os.kill(process.pid, signal.SIGTERM)
        manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished and manager is not None and manager.is_alive():  # (an interrupt may beat its start)
            # The pool's manager thread closes its wake-up pipe as it ends, and concurrent.futures' exit hook
            # writes to that pipe: racing the close (Python 3.11), the write printed a traceback after the
            # command's one line. The workers are ended, so the thread ends at once; wait for it, boundedly.
            manager.join(timeout=MANAGER_EXIT_SECONDS)
        _nlp = None


def _result(chunk: list[Article], future: Future) -> list[Extraction]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise RuntimeError(f"a worker process died while extracting {chunk[0].source or 'an article'} "
                           f"(out of memory?); run with one worker to see the cause") from None
