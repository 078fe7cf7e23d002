"""The whole extraction on a Dask cluster (dask.distributed), results in order of completion.

The client (the ingesting process) reads articles, sends them in chunks to the cluster's workers and yields
each chunk's extractions as soon as it is done, so the caller stores them while the workers go on; at most a
few chunks per worker are in flight, so memory stays bounded. Each worker loads the spaCy pipeline once,
when it starts (a worker plugin), and keeps it for all its chunks; the client itself never loads it. A worker
that dies loses nothing: the scheduler runs its chunks again on another. A chunk whose task fails comes back
as one failed extraction per article, which the caller reports and skips like a bad file.

``local:N`` starts a cluster of N worker processes on this machine (bound to 127.0.0.1) for the run.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from quotes.records import Article, Extraction

from .parallel import AHEAD, CHUNK_ARTICLES, chunks

#: What a missing dask.distributed is told in one line.
DASK_HINT = "a Dask cluster needs dask.distributed: pip install 'quotes[dask]'"


class ClusterError(Exception):
    """The cluster cannot be used: distributed is missing, the address is wrong or no scheduler answers."""


@functools.cache
def _pipeline():
    """This process's spaCy pipeline, loaded on first use and kept (one per worker)."""
    from quotes.extraction.nlp import load_pipeline

    return load_pipeline()


def extract_chunk_on_worker(chunk: list[Article]) -> list[Extraction]:
    """A worker's task: the extractions of a chunk, with the worker's own pipeline."""
    from .extract import extract_chunk

    return extract_chunk(chunk, _pipeline())


def _plugin():
    """A worker plugin loading the pipeline when a worker starts, not in its first task."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class LoadPipeline(WorkerPlugin):
        name = "quotes-load-pipeline"
        idempotent = True  # a worker joining later gets it too; registering twice changes nothing

        def setup(self, worker) -> None:
            _pipeline()

    return LoadPipeline()


def parse_cluster(value: str) -> int:
    """N of ``local:N`` (ValueError with the reason otherwise)."""
    kind, _, n = value.partition(":")
    if kind != "local" or not n.isdigit() or int(n) < 1:
        raise ValueError(f"{value!r} is not local:N (N worker processes on this machine, e.g. local:2)")
    return int(n)


def connect(scheduler: str | None = None, local_workers: int | None = None):
    """A distributed Client on the scheduler at ``scheduler``, or on a new local cluster of
    ``local_workers`` processes (closed with the client)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(DASK_HINT) from None
    if scheduler is not None:
        try:
            # waits distributed.comm.timeouts.connect (Dask's configuration, 30 s by default) for it
            return Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler!r}: "
                               f"{' '.join(str(exc).split()) or type(exc).__name__}") from None
    # one thread per worker: spaCy and the rules hold the GIL, so more threads would only take turns
    cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0")  # a free port: never 8787 taken by another
    client = Client(cluster, set_as_default=False)
    client._quotes_cluster = cluster  # closed with the client
    return client


def close(client) -> None:
    """Close ``client`` and the local cluster it started, if any."""
    cluster = getattr(client, "_quotes_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def extract_on_cluster(articles: Iterable[Article], client, *,
                       task: Callable[[list[Article]], list[Extraction]] = extract_chunk_on_worker,
                       chunk_size: int = CHUNK_ARTICLES) -> Iterator[Extraction]:
    """Extractions of ``articles`` made on ``client``'s cluster, in order of completion."""
    from distributed import as_completed

    client.register_plugin(_plugin())
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    in_flight = workers * (AHEAD + 1)
    sent: dict[Any, list[Article]] = {}
    stream = chunks(articles, chunk_size)
    done = as_completed(loop=client.loop)
    try:
        for chunk in stream:
            # pure=False: the same text twice is two tasks, each stored (or found stored) in turn
            future = client.submit(task, chunk, pure=False)
            sent[future.key] = chunk
            done.add(future)
            while done.count() >= in_flight:
                yield from _results(next(done), sent)
        for future in done:
            yield from _results(future, sent)
    finally:
        for future in list(done.futures):  # the caller stopped early: nothing more to compute
            future.cancel()


def _results(future, sent: dict) -> list[Extraction]:
    chunk = sent.pop(future.key)
    try:
        return future.result()
    except Exception as exc:  # the task failed (or its workers kept dying): each article is reported
        reason = f"extraction failed on the cluster ({type(exc).__name__}: {' '.join(str(exc).split())})"
        return [Extraction(article, error=reason) for article in chunk]
