"""Commands that move the database's contents in and out: export and import."""
from __future__ import annotations

import click

from quotes import query

from .base import db_option, format_option, main, quiet_option, quote_filter_options, say, session_for, table_settings


@main.command("export")
@quote_filter_options
@format_option(("jsonl", "json", "csv", "tsv"), default="jsonl")
@click.option("--output", "-o", "dest", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", show_default=True, help="File to write (- for standard output).")
@quiet_option
@db_option
@click.pass_context
def export_(ctx: click.Context, fmt: str, dest: str, **filters) -> None:
    """Export quotes with their speakers and articles.

    jsonl (one row per line, its table under "_table") and json hold every column of every row the
    quotes need (all rows without filters): `quotes import` reads them back, losing nothing. csv is
    one flat row per quote with its speaker and article, for spreadsheets (tsv the same with tabs).

    \b
    Example:
      quotes export -o everything.jsonl
      quotes export --country FR --since 2024 --format csv -o france.csv
    """
    from quotes.store import exchange

    session = session_for(ctx)
    try:
        with click.open_file(dest, "w", encoding="utf-8", atomic=dest != "-") as out:
            counts = exchange.export(session, out, fmt, header=table_settings(ctx)["header"], **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:  # the reader has what it wanted (export | head): the group ends quietly
        raise
    except OSError as exc:
        raise click.ClickException(f"{dest}: cannot write ({exc.strerror or exc})") from None
    if dest != "-":
        others = ", ".join(f"{n} {name}" for name, n in counts.items() if name != "quotes" and n)
        say(f"exported {counts.get('quotes', 0)} quotes" + (f" ({others})" if others else "") + f" to {dest}")


@main.command("import")
@click.argument("path", metavar="FILE")
@quiet_option
@db_option
@click.pass_context
def import_(ctx: click.Context, path: str) -> None:
    """Import an export (jsonl or json) of `quotes export` into this database.

    Into an empty database everything comes back as it was, ids included. Into one with data it is
    merged: articles already there (same text) are not added again, speakers and organisations
    with the same name, kind and country become one, ids are renumbered. All or nothing: on an
    error nothing is imported.

    \b
    Example:
      quotes import everything.jsonl --db copy.db
      quotes export --outlet Reuters | quotes import - --db other.db
    """
    from quotes.store import exchange

    session = session_for(ctx)
    try:
        with click.open_file(path, "r", encoding="utf-8-sig") as stream:
            result = exchange.import_export(session, stream, "<stdin>" if path == "-" else path)
    except exchange.ExchangeError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read ({exc.strerror or exc})") from None
    say(result.summary())
