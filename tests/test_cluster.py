"""Extraction on a Dask cluster: a LocalCluster of worker processes on this machine, results stored by the
client; the same quotes as extracting here."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from quotes.cli import main
from quotes.records import Article, Extraction

pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'quotes[dask]')")

ARTICLE = ('Harbour fees rise again\n\n'
           '“We have no other way to pay for the new quay,” said Tove Lindqvist, the harbour director. '
           'Fishermen disagreed. “This will drive boats away,” said Erik Sand, a trawler captain.\n')


def failing_on_boom(chunk: list[Article]) -> list[Extraction]:
    """A worker task that fails for a whole chunk holding "boom" (a stand-in for a crash on a worker)."""
    from quotes.pipeline.cluster import extract_chunk_on_worker

    if any("boom" in article.text for article in chunk):
        raise RuntimeError("worker crashed")
    return extract_chunk_on_worker(chunk)


def dying_once(chunk: list[Article]) -> list[Extraction]:
    """A worker task whose first run ends its worker process (the marker file says it happened)."""
    import os
    from pathlib import Path

    from quotes.pipeline.cluster import extract_chunk_on_worker

    marker = Path(chunk[0].source).with_suffix(".died")
    if not marker.exists():
        marker.write_text("died")
        os._exit(1)  # as the kernel's OOM killer would: no exception, no clean-up
    return extract_chunk_on_worker(chunk)


@pytest.fixture(scope="module")
def client():
    """A local cluster of two worker processes, each loading the pipeline once."""
    from quotes.pipeline.cluster import close, connect

    client = connect(local_workers=2)
    yield client
    close(client)


def test_cluster_extractions_match_local_ones_and_a_failed_chunk_is_reported(client, nlp):
    from quotes.pipeline.cluster import extract_on_cluster
    from quotes.pipeline.extract import extract_many

    articles = [Article(text=ARTICLE.replace("quay", f"quay number {i}"), source=f"a{i}.txt") for i in range(5)]
    articles.append(Article(text="boom “This fails,” Carl Berg said.", source="bad.txt"))
    got = list(extract_on_cluster(articles, client, task=failing_on_boom, chunk_size=1))
    assert sorted(e.article.source for e in got) == sorted(a.source for a in articles)  # none lost or doubled
    failed = [e for e in got if e.error]
    assert [e.article.source for e in failed] == ["bad.txt"]
    assert "worker crashed" in failed[0].error
    local = {e.article.source: e for e in extract_many(articles[:-1], nlp)}
    for extraction in got:
        if not extraction.error:
            assert extraction.quotes == local[extraction.article.source].quotes
            assert extraction.speakers == local[extraction.article.source].speakers
    # each worker loaded the pipeline in its start-up plugin, once
    loaded = client.run(lambda: __import__("quotes.pipeline.cluster", fromlist=["_pipeline"])._pipeline.cache_info().currsize)
    assert set(loaded.values()) == {1}


def test_a_worker_that_dies_loses_no_article(client, tmp_path):
    from quotes.pipeline.cluster import extract_on_cluster

    articles = [Article(text=ARTICLE, source=str(tmp_path / "a.txt"))]
    got = list(extract_on_cluster(articles, client, task=dying_once))
    assert (tmp_path / "a.died").exists()  # it did die, and the scheduler ran the task again
    assert [e.error for e in got] == [None] and len(got[0].quotes) == 2


def test_ingest_on_a_local_cluster_stores_every_article_once(tmp_path, monkeypatch, nlp):
    monkeypatch.chdir(tmp_path)
    for i in range(3):
        (tmp_path / f"n{i}.txt").write_text(ARTICLE.replace("quay", f"quay {i}"), encoding="utf-8")
    (tmp_path / "dup.txt").write_text(ARTICLE.replace("quay", "quay 0"), encoding="utf-8")
    db = str(tmp_path / "q.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", "n0.txt", "n1.txt", "n2.txt", "dup.txt", "missing.txt",
                                       "--cluster", "local:2"])
    assert result.exit_code == 1, result.output  # missing.txt
    assert "missing.txt" in result.stderr
    assert "3 articles added" in result.stderr
    rows = json.loads(CliRunner().invoke(main, ["--db", db, "list", "--format", "json"]).stdout)
    assert sorted({r["speaker"] for r in rows}) == ["Erik Sand", "Tove Lindqvist"]
    assert len(rows) == 6


@pytest.mark.parametrize("args, words", [
    (["--cluster", "remote:2"], ["local:N"]),
    (["--cluster", "local:2", "--workers", "2"], ["--workers"]),
    (["--scheduler", "tcp://127.0.0.1:1"], ["cannot reach the Dask scheduler"]),
])
def test_bad_cluster_options_are_one_line_errors(tmp_path, args, words):
    import dask

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # no scheduler there: fail fast
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "q.db"), "ingest", str(tmp_path / "a.txt"),
                                           *args])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and all(w in lines[0] for w in words), result.stderr
