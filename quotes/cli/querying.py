"""Commands that read the database: list, search, who-said, show, speakers, speaker, orgs, stats, corrections."""
from __future__ import annotations

import json
import sys

import click

from quotes import query
from quotes.query import output

from .base import (NO_GUESSES, ask, db_option, emit, filter_options, format_option, main, page_options,
                   quote_filter_options, session_for, table_settings)


#: Columns of the table format, per command.
QUOTE_COLUMNS = ("id", "article_id", "speaker", "country", "kind", "text")
QUOTE_HEADERS = ("id", "article", "speaker", "country", "kind", "quote")
SEARCH_COLUMNS = ("id", "article_id", "speaker", "country", "kind", "snippet")
SPEAKER_COLUMNS = ("id", "name", "kind", "country", "n_quotes", "n_articles", "titles", "organizations")
SPEAKER_HEADERS = ("id", "name", "kind", "country", "quotes", "articles", "titles", "organisations")


@main.command("list")
@filter_options
@page_options("article")
@format_option()
@db_option
@click.pass_context
def list_(ctx: click.Context, fmt: str, **filters) -> None:
    """List stored quotes.

    Filters combine: speaker, country, organisation, outlet, article, kind, dates, confidence.

    \b
    Example:
      quotes list --speaker Smith --country GB --format csv > smith.csv
      quotes list --country GB --no-guesses
      quotes list --outlet Reuters --since 2024-03 --sort newest --limit 20 --offset 20
    """
    rows = ask(ctx, query.iter_quotes, **filters)
    emit(rows, fmt, QUOTE_COLUMNS, QUOTE_HEADERS, "No quotes found.")


@main.command()
@click.argument("text")
@filter_options
@page_options("relevance")
@format_option()
@db_option
@click.pass_context
def search(ctx: click.Context, text: str, fmt: str, **filters) -> None:
    """Full-text search of the quotes, best matches first.

    TEXT is an SQLite FTS5 query: words (all must occur), "an exact phrase", OR, NOT, prefix*.
    The table shows a snippet with the matches between ** and **; json, jsonl and csv add
    ``snippet`` and ``rank`` (bm25, lower is better) to each quote.

    \b
    Example:
      quotes search 'ceasefire OR truce' --country Armenia
      quotes search '"humanitarian corridor" negotiat*' --since 2023 --format json
    """
    rows = ask(ctx, query.iter_search, text, **filters)
    emit(rows, fmt, SEARCH_COLUMNS, QUOTE_HEADERS, "No quotes found.", stretch="snippet")


@main.command("speakers")
@click.option("--country", metavar="CODE|NAME", help="Speaker's country, or that of their organisation.")
@NO_GUESSES
@click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is.")
@click.option("--speaker", metavar="NAME", help="Name or alias (words, any case/accents).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N speakers.")
@click.option("--unnamed", is_flag=True, help="Also list descriptions such as 'a source' (one per article).")
@format_option()
@db_option
@click.pass_context
def speakers_(ctx: click.Context, fmt: str, **filters) -> None:
    """List speakers with their titles and counts.

    Each speaker once, most quoted first, with titles, organisations and aliases.

    \b
    Example:
      quotes speakers --country DE --format json
      quotes speakers --country DE --no-guesses
    """
    rows = ask(ctx, query.iter_speakers, **filters)
    emit(rows, fmt, SPEAKER_COLUMNS, SPEAKER_HEADERS, "No speakers found.", stretch="name")


def _show_lines(q: dict) -> list[str]:
    article = q["article"]
    who = q["speaker"] or "(unattributed)"
    about = ", ".join(x for x in (q["speaker_kind"], q["country"], q["country_source"]) if x)
    role = " of ".join(x for x in (q["title"], q["organization"]) if x)
    lines = [
        f"Quote {q['id']} ({q['kind']}, confidence {q['confidence']:.2f}"
        f"{', corrected' if q['corrected'] else ''})",
        f"  {q['text']}",
        f"Speaker: {who}" + (f" ({about})" if about else "") + (f" - {role}" if role else ""),
    ]
    if q["speaker_mention"]:
        lines.append(f"Mention: {q['speaker_mention']!r} at {q['speaker_start']}-{q['speaker_end']}"
                     + (f", cue {q['cue']!r}" if q["cue"] else ""))
    lines.append(f"Context ({q['context_start']}-{q['context_end']}):")
    lines.append(f"  {q['context'].strip()}")
    meta = ", ".join(str(x) for x in (article["outlet"], article["published"], article["url"]) if x)
    lines.append(f"Article {article['id']}: {article['title'] or '(untitled)'}"
                 + (f" ({meta})" if meta else ""))
    lines.append(f"Source: {article['source']}, characters {q['start']}-{q['end']}")
    return lines


@main.command()
@click.argument("quote_id", metavar="ID", type=int)
@format_option(("table", "json"), rows=False)
@db_option
@click.pass_context
def show(ctx: click.Context, quote_id: int, fmt: str) -> None:
    """Show one quote with its sentence, speaker and article.

    \b
    Example:
      quotes show 42
    """
    quote = ask(ctx, query.show_quote, quote_id)
    if fmt == "json":
        click.echo(json.dumps(quote, ensure_ascii=False, indent=2))
    else:
        for line in _show_lines(quote):
            click.echo(line)


ORG_COLUMNS = ("id", "name", "kind", "country", "n_quotes", "n_people", "people")
ORG_HEADERS = ("id", "organisation", "kind", "country", "quotes", "people", "who")
CORRECTION_COLUMNS = ("id", "created_at", "action", "target", "summary")
CORRECTION_HEADERS = ("id", "when", "action", "target", "what")


def _profile_lines(p: dict) -> list[str]:
    country = ", ".join(x for x in (p["country"], p["country_source"]) if x)
    about = ", ".join(x for x in (
        p["kind"], f"{p['country_name']} ({country})" if p["country"] else None,
        None if p["named"] else "a description, not a name", "curated" if p["curated"] else None) if x)
    lines = [f"{p['name']} (#{p['id']}) - {about}"]
    if p["organization"]:
        o = p["organization"]
        lines.append(f"Organisation: #{o['id']} {o['name']} ({', '.join(x for x in (o['kind'], o['country']) if x)})")
    if p["aliases"]:
        lines.append("Also called: " + "; ".join(p["aliases"]))
    if p["wikidata_id"]:
        lines.append(f"Wikidata: {p['wikidata_id']}")
    seen = " to ".join(dict.fromkeys(x for x in (p["first_seen"], p["last_seen"]) if x))
    lines.append(f"Quotes: {p['n_quotes']} in {p['n_articles']} articles"
                 + (f"; seen {seen}" if seen else ""))
    if p["affiliations"]:
        lines.append("Posts:")
        for a in p["affiliations"]:
            post = " of ".join(x for x in (a["title"], a["organization"]) if x)
            when = " to ".join(dict.fromkeys(x for x in (a["first_seen"], a["last_seen"]) if x))
            seen = (f"{a['n_articles']} article(s): " + ", ".join(map(str, a["articles"][:10]))
                    if a["articles"] else "")
            given = "curated" if a["curated"] else ""
            lines.append(f"  {post or '(no post)'}"
                         + (f" ({a['organization_country']})" if a["organization_country"] else "")
                         + " - " + "; ".join(x for x in (given, seen, when) if x))
    if p["members"]:
        lines.append("People: " + "; ".join(f"{m['name']} ({m['n_quotes']})" for m in p["members"][:20]))
    if p["recent_quotes"]:
        lines.append("Recent quotes:")
        for q in p["recent_quotes"]:
            text = q["text"] if len(q["text"]) <= 160 else q["text"][:159] + "…"
            lines.append(f"  #{q['id']} [article {q['article_id']}{', ' + q['published'] if q['published'] else ''}]"
                         f" {output.cell(text)}")
    return lines


@main.command("speaker")
@click.argument("name")
@click.option("--recent", type=click.IntRange(min=0), default=5, show_default=True, metavar="N",
              help="How many recent quotes to show.")
@format_option(("table", "json"), rows=False)
@db_option
@click.pass_context
def speaker_(ctx: click.Context, name: str, recent: int, fmt: str) -> None:
    """Show one speaker: names, country, posts over time, counts and recent quotes.

    NAME is a name, an alias, words of a name, or #ID. A name that fits several speakers lists them
    (exit status 1); pick one by #ID.

    \b
    Example:
      quotes speaker Hajiyev
      quotes speaker '#12' --format json
    """
    session = session_for(ctx)
    try:
        profile = query.speaker_profile(session, name, recent=recent)
    except query.AmbiguousName as exc:
        emit(exc.candidates, fmt, ("id", "name", "kind", "country", "n_quotes"),
              ("id", "name", "kind", "country", "quotes"), "", stretch="name")
        raise click.ClickException(str(exc)) from None
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
    else:
        for line in _profile_lines(profile):
            click.echo(line)


@main.command("orgs")
@click.option("--country", metavar="CODE|NAME", help="Organisations of this country.")
@NO_GUESSES
@click.option("--kind", type=click.Choice(query.ORGANIZATION_KINDS), help="Organisation kind.")
@click.option("--org", metavar="NAME", help="Organisations with this name, wording or code (EU).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N organisations.")
@format_option()
@db_option
@click.pass_context
def orgs_(ctx: click.Context, fmt: str, **filters) -> None:
    """List organisations with their people and quote counts.

    Quotes count those of the organisation itself and of everyone seen as its member.

    \b
    Example:
      quotes orgs --country AM
      quotes orgs --kind international --format json
    """
    rows = ask(ctx, query.organizations, **filters)
    emit(rows, fmt, ORG_COLUMNS, ORG_HEADERS, "No organisations found.", stretch="people")


@main.command("corrections")
@click.option("--action", metavar="NAME", help="Only this kind of correction (e.g. set-speaker).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the latest N.")
@format_option()
@db_option
@click.pass_context
def corrections_(ctx: click.Context, fmt: str, **filters) -> None:
    """List the manual corrections: what was changed, and when.

    \b
    Example:
      quotes corrections --limit 20
    """
    rows = ask(ctx, query.corrections, **filters)
    emit(rows, fmt, CORRECTION_COLUMNS, CORRECTION_HEADERS, "No corrections.", stretch="summary")


WHO_SAID_COLUMNS = ("id", "score", "speaker", "country", "published", "outlet", "text")
WHO_SAID_HEADERS = ("id", "match", "speaker", "country", "date", "outlet", "quote")
STATS_HEADERS = {"speaker": "speaker", "country": "country", "organization": "organisation",
                 "outlet": "outlet", "month": "month"}


@main.command("who-said")
@click.argument("phrase")
@quote_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="At most N quotes.")
@format_option()
@db_option
@click.pass_context
def who_said_(ctx: click.Context, phrase: str, fmt: str, limit: int, **filters) -> None:
    """Who said PHRASE (or something close to it), where and when, best match first.

    The exact phrase first; failing that, quotes with all of its words, then with two of its
    rarest words. "match" is the share of the phrase's words a quote holds in order (1.00: all).
    The filters are those of list.

    \b
    Example:
      quotes who-said "we will not negotiate under fire"
      quotes who-said "a bridge to nowhere" --since 2024 --format json
    """
    rows = ask(ctx, query.who_said, phrase, limit=limit, **filters)
    emit(rows, fmt, WHO_SAID_COLUMNS, WHO_SAID_HEADERS, "Nobody said that, or anything close.")


def _stats_rows(result: dict) -> list[dict]:
    """Counts as flat rows (by, value, quotes, share), the totals first, for jsonl and csv."""
    rows = [{"by": "total", "value": name, "quotes": n, "share": None}
            for name, n in result["total"].items()]
    for dim in query.STATS_DIMENSIONS:
        rows.extend({"by": dim, **row} for row in result.get(dim, ()))
    return rows


@main.command("stats")
@quote_filter_options
@click.option("--by", "by", multiple=True, type=click.Choice(query.STATS_DIMENSIONS),
              help="What to count by (repeatable; default: all).")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, metavar="N",
              help="The N most quoted of each (months: the latest N); 0 for all.")
@format_option()
@db_option
@click.pass_context
def stats_(ctx: click.Context, fmt: str, by: tuple[str, ...], top: int, **filters) -> None:
    """Count quotes by speaker, country, organisation, outlet and month.

    Shares are of all the quotes counted (those passing the filters, which are those of list).
    A speaker's country and organisations get each quote the speaker said; unattributed quotes
    count in the totals, outlets and months only.

    \b
    Example:
      quotes stats
      quotes stats --by country --by month --since 2024 --format json
    """
    result = ask(ctx, query.stats, by=by or query.STATS_DIMENSIONS, top=top or None, **filters)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if fmt != "table":
        output.write(_stats_rows(result), fmt, sys.stdout, **table_settings(ctx))
        return
    total = result["total"]
    click.echo(f"{total['quotes']:,} quotes in {total['articles']:,} articles, "
               f"{total['speakers']:,} speakers")
    for dim in query.STATS_DIMENSIONS:
        if dim not in result:
            continue
        click.echo("")
        rows = [{"value": r["value"] if r["value"] is not None else "(none)", "quotes": r["quotes"],
                 "share": f"{100 * r['share']:.1f}%"} for r in result[dim]]
        if not rows:
            click.echo(f"By {STATS_HEADERS[dim]}: nothing to count")
            continue
        for line in output.table(rows, ("value", "quotes", "share"), (STATS_HEADERS[dim], "quotes", "share"),
                                 stretch="value", **table_settings(ctx)):
            click.echo(line)
