"""Commands that run the extractor: ingest, extract, reprocess and eval (they alone load spaCy)."""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing

import click

from quotes.query import output
from quotes.records import Article
from quotes.startup import fewer_old_collections

from .base import (SQL_INT_MAX, DateBound, State, db_option, format_option, main, progress, quiet_option,
                   session_for, say, table_settings, warn)


EXTRACT_COLUMNS = ("file", "start", "end", "kind", "speaker", "text")


def _articles(paths: Sequence[str], failures: list[str], sources: dict | None = None, *,
              fields: dict[str, str] | None = None, meta: dict | None = None,
              on_skip: Callable[[], object] | None = None) -> Iterator[Article]:
    """The batch's normalised articles (see reading.batch.read_articles); each input that cannot be read is
    reported on stderr, counted in ``failures``, and passed to ``on_skip``."""
    from quotes.reading.batch import read_articles

    for item in read_articles(paths, fields=fields, meta=meta, sources=sources, note=warn):
        if isinstance(item, Article):
            yield item
            continue
        failures.append(str(item))
        warn(f"skipped {item}")
        if on_skip is not None:
            on_skip()


def _report_dropped(where: str, result) -> None:
    """Say which stored quotes a new extraction of an article no longer finds (their ids are gone)."""
    if result.dropped_quotes:
        ids = ", ".join(map(str, result.dropped_quotes[:20])) + (" ..." if len(result.dropped_quotes) > 20 else "")
        warn(f"{where}: {len(result.dropped_quotes)} stored quotes no longer found, removed (ids {ids})")


def _parse_fields(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    from quotes.reading.sources import RECORD_FIELDS

    fields: dict[str, str] = {}
    for value in values:
        name, sep, key = value.partition("=")
        name, key = name.strip(), key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not NAME=KEY (e.g. text=body)", ctx, param)
        if name not in RECORD_FIELDS:
            raise click.BadParameter(f"unknown field {name!r} in {value!r} (one of {', '.join(RECORD_FIELDS)})",
                                     ctx, param)
        fields[name] = key
    return fields


def _keep_time_limit(ctx, param, value):
    if value is not None:
        ctx.meta["time_limit"] = value
    return value


time_limit_option = click.option(
    "--time-limit", type=click.FloatRange(min=0), default=None, expose_value=False, callback=_keep_time_limit,
    metavar="SECONDS", help="Most seconds one article's extraction may take before it is skipped with a "
                            "one-line error (default: $QUOTES_TIME_LIMIT or 300; 0: no limit).")


def input_options(f):
    """Per-run metadata and JSON field names, for ingest and extract."""
    for option in reversed((
        click.option("--outlet", metavar="NAME", help="Outlet of every article read (over what files say)."),
        click.option("--published", type=DateBound(partial=False),
                     help="Publication date (YYYY-MM-DD) of every article read."),
        click.option("--url", metavar="URL", help="URL of the article (one article only): a new text "
                                                  "for a stored URL replaces that article's quotes."),
        click.option("--field", "fields", multiple=True, metavar="NAME=KEY", callback=_parse_fields,
                     help="Read NAME (text, title, url, published, outlet, author) from KEY of JSON "
                          "records; a.b reaches nested keys. Repeatable."),
    )):
        f = option(f)
    return f


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--workers", "-w", type=click.IntRange(min=1, max=SQL_INT_MAX), default=1, show_default=True,
              help="Worker processes, each running the whole extraction (parse and rules).")
@quiet_option
@time_limit_option
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT); this process "
                   "only stores. Needs quotes[dask].")
@click.option("--cluster", metavar="local:N",
              help="Extract on a Dask cluster of N worker processes started on this machine for the run.")
@db_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int, fields: dict[str, str],
           scheduler: str | None, cluster: str | None, **meta) -> None:
    """Extract quotes from articles and store them.

    Articles whose text is already stored are skipped without parsing them again; a stored URL
    with a new text is updated (its quotes replaced), not added twice. What the database already
    knows of a speaker (a country, an organisation a person gave) fills in what an article leaves
    open or only guesses: see `quotes extract --db`.

    PATH is a text, HTML (the page's main text, title, date, author and site), JSON or JSON lines
    file (records with text and optional title, url, published, outlet, author; see --field), a
    folder (searched recursively) or - for standard input.

    \b
    Example:
      quotes ingest news/2024/ extra.jsonl --workers 2
      quotes ingest feed.jsonl --field text=body --field published=meta.date --outlet "Daily Planet"
      curl -s https://example.org/story | quotes ingest - --url https://example.org/story
      quotes ingest archive/ --cluster local:2
    """
    from time import perf_counter

    from quotes.store import storing as store
    from quotes.reading.batch import count_articles

    if scheduler and cluster:
        raise click.ClickException("--scheduler and --cluster both say where to extract: give one")
    if (scheduler or cluster) and workers > 1:
        raise click.ClickException("--workers is for this machine's processes; on a Dask cluster its workers extract")
    extractions = _cluster_extractions(scheduler, cluster) if scheduler or cluster else None
    total = count_articles(paths)
    if meta.get("url") and total is not None and total > 1:
        raise click.UsageError(f"--url names one article, but the input holds {total}")
    started = perf_counter()
    session = session_for(ctx)
    failures: list[str] = []
    counts = {"added": 0, "unchanged": 0, "updated": 0}
    n_quotes = 0
    speakers: set[str] = set()
    new_speakers = 0
    bar = progress(total)

    def fresh(articles: Iterator[Article]) -> Iterator[Article]:
        for article in articles:  # known text needs no parsing
            if store.find_article(session, article) is not None:
                counts["unchanged"] += 1
                bar.update()
                continue
            yield article

    with bar:
        articles = _articles(paths, failures, fields=fields, meta=meta, on_skip=bar.update)
        if extractions is None:
            from quotes.pipeline.extract import extract_many  # loads spaCy: only the commands that extract do

            extractions = functools.partial(extract_many, workers=workers, seconds=ctx.meta.get("time_limit"))
        # closed as the loop ends, however it ends: an interrupted run ends its workers then, not when the
        # interpreter drops the traceback that holds the stream (which raced the pool's exit hook)
        with closing(extractions(fresh(articles))) as stream:
            for extraction in stream:
                if extraction.error:
                    failures.append(f"{extraction.article.source}: {extraction.error}")
                    warn(f"skipped {failures[-1]}")
                    bar.update()
                    continue
                try:  # what the database knows of its speakers, from the articles stored before it
                    # the article's rows and the ORM's bookkeeping are short-lived, the batch's parses the
                    # process holds are not: a full collection while storing re-scans them (here, not in the
                    # store, as the thresholds are the process's, which a library call from several threads
                    # must not set)
                    with fewer_old_collections():
                        result = store.store_extraction(session, extraction, settle=False, knowledge=True)
                except store.StoreError as exc:
                    failures.append(str(exc))
                    warn(f"skipped {exc}")
                    continue
                finally:
                    bar.update()
                counts[result.status] += 1
                n_quotes += result.n_quotes
                _report_dropped(extraction.article.source, result)
                speakers.update(result.speakers)
                new_speakers += result.new_speakers
    _settle(session, failures)
    summary = (f"{counts['added']} articles added, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged; {n_quotes} quotes, {len(speakers)} speakers "
               f"({new_speakers} new)")
    if failures:
        summary += f"; {len(failures)} skipped"
    elapsed = perf_counter() - started
    done = sum(counts.values()) + len(failures)
    summary += f" in {elapsed:.1f} s" + (f" ({done / elapsed:.1f} articles/s)" if done and elapsed else "")
    say(summary)
    if failures:
        ctx.exit(1)


def _settle(session, failures: list[str]) -> None:
    """Decide who the batch's bare surnames are, over every stored article (once per batch: store.surnames)."""
    from quotes.store import storing as store

    try:
        store.settle(session)
    except store.StoreError as exc:
        failures.append(str(exc))
        warn(f"not settled: {exc}")


def _cluster_extractions(scheduler: str | None, cluster: str | None):
    """A function extracting articles on the Dask cluster asked for (closed when its results are read)."""
    from quotes.pipeline import cluster as dask_cluster

    try:
        local = dask_cluster.parse_cluster(cluster) if cluster else None
        client = dask_cluster.connect(scheduler, local)
    except ValueError as exc:
        raise click.ClickException(f"--cluster: {exc}") from None
    except dask_cluster.ClusterError as exc:
        raise click.ClickException(str(exc)) from None

    def extractions(articles):
        try:
            yield from dask_cluster.extract_on_cluster(articles, client)
        finally:
            dask_cluster.close(client)

    return extractions


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@format_option(("jsonl", "json", "table", "csv", "tsv"), default="jsonl")
@click.option("--workers", "-w", type=click.IntRange(min=1, max=SQL_INT_MAX), default=1, show_default=True,
              help="Worker processes, each running the whole extraction (parse and rules).")
@time_limit_option
@db_option(help="Read what this database knows of the speakers (nothing is stored; it must exist). "
                "Default: $QUOTES_DB or the group's --db; without either, no database is used.")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, workers: int, fields: dict[str, str],
            **meta) -> None:
    """Print the quotes found in articles (no storing).

    jsonl prints one quote per line: file (the path as given), start, end, text, kind, speaker,
    speaker_mention, speaker_start, speaker_end, speaker_kind, title, organization, country,
    country_source (where the country came from: stated, title, organisation, place, article; with
    --db also knowledge and curated), cue, confidence, method.

    With --db (or QUOTES_DB), a speaker the database knows gets its country where the article gives
    none or only guesses one from its setting, and a person the organisation a person gave them
    (`quotes people import`). Without, no database is opened or created.

    \b
    Example:
      quotes extract article.txt --format table
      quotes extract article.txt --db quotes.db
    """
    from quotes.pipeline.extract import extract_many

    session = None
    if ctx.ensure_object(State).db is not None:
        from quotes.store.knowledge import apply_knowledge

        session = session_for(ctx, create=False)
    failures: list[str] = []
    stdout = sys.stdout
    collected: list[dict] = []
    sources: dict = {}
    articles = _articles(paths, failures, sources, fields=fields, meta=meta)
    # closed as the loop ends, however it ends (see ingest)
    with closing(extract_many(articles, workers=workers, seconds=ctx.meta.get("time_limit"))) as stream:
        for extraction in stream:
            if extraction.error:
                failures.append(f"{extraction.article.source}: {extraction.error}")
                warn(f"skipped {failures[-1]}")
                continue
            raw, offsets = sources.pop(extraction.article.source)
            if session is not None:
                extraction = apply_knowledge(session, extraction)
            rows = [offsets.quote_row(row, raw) for row in extraction.quote_dicts()]
            if fmt == "jsonl":  # stream: results appear as each article is done
                output.write(rows, "jsonl", stdout)
                stdout.flush()
            else:
                collected.extend(rows)
    if fmt != "jsonl":
        output.write(collected, fmt, stdout, columns=EXTRACT_COLUMNS, stretch="text", **table_settings(ctx))
    if failures:
        ctx.exit(1)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1, max=SQL_INT_MAX), metavar="N", help="Only the first N documents.")
@click.option("--workers", "-w", type=click.IntRange(min=1, max=SQL_INT_MAX), default=1, show_default=True,
              help="Worker processes, each running the whole extraction (parse and rules).")
@time_limit_option
def eval_(gold: str, limit: int | None, workers: int) -> None:
    """Score the extractor on a gold JSONL file.

    Runs the shared evaluation protocol and prints its result as JSON.

    \b
    Example:
      quotes eval gold.jsonl --limit 20
    """
    from quotes.pipeline import evaluate
    from quotes.pipeline.extract import extract_many

    try:
        seconds = click.get_current_context().meta.get("time_limit")
        result = evaluate.evaluate_file(gold, lambda articles: extract_many(articles, workers=workers, seconds=seconds),
                                        limit=limit)
    except evaluate.GoldFormatError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=1))


@main.command("reprocess")
@click.option("--article", "article_ids", type=click.IntRange(max=SQL_INT_MAX), multiple=True, metavar="ID",
              help="Only this article (repeatable); default: every stored article.")
@click.option("--workers", "-w", type=click.IntRange(min=1, max=SQL_INT_MAX), default=1, show_default=True,
              help="Worker processes, each running the whole extraction (parse and rules).")
@quiet_option
@time_limit_option
@db_option
@click.pass_context
def reprocess(ctx: click.Context, article_ids: tuple[int, ...], workers: int) -> None:
    """Run extraction again on stored articles, keeping every manual correction.

    Use it after the extractor improved: each article's quotes and posts are replaced, corrections
    are applied again, and speakers left without quotes are removed. As in ingest, what the
    database knows of a speaker fills in what the article leaves open or guesses.

    \b
    Example:
      quotes reprocess --workers 2
    """
    from quotes.pipeline.extract import extract_many  # loads spaCy
    from quotes.store import storing as store
    from quotes.store.knowledge import apply_knowledge

    session = session_for(ctx)
    try:
        ids = store.article_ids(session, list(article_ids))
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    stored = (store.stored_article(session, article_id) for article_id in ids)

    failures: list[str] = []
    n_quotes = applied = missed = kept = 0
    bar = progress()
    with bar:
        extractions = extract_many(stored, workers=workers, seconds=ctx.meta.get("time_limit"))
        with closing(extractions):  # closed as the loop ends, however it ends (see ingest)
            for article_id, extraction in zip(ids, extractions):
                bar.update()
                where = extraction.article.source or f"article {article_id}"
                if extraction.error:
                    failures.append(f"{where}: {extraction.error}")
                    warn(f"skipped {failures[-1]}")
                    continue
                try:
                    result = store.reprocess_extraction(session, article_id, apply_knowledge(session, extraction),
                                                        settle=False)
                except store.StoreError as exc:
                    failures.append(str(exc))
                    warn(f"skipped {exc}")
                    continue
                n_quotes += result.n_quotes
                applied += result.corrections
                missed += result.missed_corrections
                kept += result.kept_quotes
                _report_dropped(where, result)
    _settle(session, failures)
    summary = (f"{len(ids) - len(failures)} articles reprocessed; {n_quotes} quotes ({kept} kept their ids); "
               f"{applied} corrections applied again")
    if missed:
        summary += f", {missed} no longer match a quote"
    if failures:
        summary += f"; {len(failures)} skipped"
    say(summary)
    if failures:
        ctx.exit(1)
