"""Commands for what users know of people and bodies: `quotes people import` and `quotes people export`."""
from __future__ import annotations

import click

from .base import db_option, main, quiet_option, say, session_for


@main.group("people")
def people() -> None:
    """Bring your own knowledge of people and organisations, or take the database's out.

    Imported records are curated: their countries, organisations and titles outrank what the
    extractor finds, survive `quotes reprocess`, and fill in what later articles leave open or
    only guess (`quotes ingest`, `quotes extract --db`).

    \b
    Example:
      quotes people import people.csv
      quotes people export --format jsonl -o people.jsonl
    """


@people.command("import")
@click.argument("path", metavar="FILE")
@quiet_option
@db_option
@click.pass_context
def import_(ctx: click.Context, path: str) -> None:
    """Import people and organisations from a CSV or JSON lines FILE ('-': standard input).

    CSV has a header line; JSON lines have one object per line. Fields: name (required), aliases
    (a list; in CSV separated by ';'), kind (person or organization; default person), country (ISO
    code or name), organization and title (a person's post), wikidata (an item id such as Q567).
    A record naming someone the database knows (the same matching rules as across articles, or
    the same Wikidata id) updates them; otherwise they are added. Every record is checked first:
    one bad record refuses the whole file, naming its line, and nothing is stored.

    \b
    Example:
      quotes people import people.csv
      printf 'name,country,organization\\nIda Strand,NO,Harbour Party\\n' | quotes people import -
    """
    from quotes.store import people as store

    source = "<stdin>" if path == "-" else path
    try:
        with click.open_file(path, "r", encoding="utf-8-sig") as stream:
            records = store.read_people(stream, source)
    except store.PeopleError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{source}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise click.ClickException(f"{source}: cannot read ({exc.strerror or exc})") from None
    result = store.import_people(session_for(ctx), records, source)
    say(result.summary())


@people.command("export")
@click.option("--output", "-o", "dest", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", show_default=True, help="File to write (- for standard output).")
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl")), default="csv", show_default=True,
              help="csv (aliases separated by ';') or jsonl; `quotes people import` reads both.")
@click.option("--curated", "curated_only", is_flag=True,
              help="Only the speakers a person curated or imported.")
@quiet_option
@db_option
@click.pass_context
def export_(ctx: click.Context, dest: str, fmt: str, curated_only: bool) -> None:
    """Export every named speaker as a record `quotes people import` reads.

    A person's organization and title are the post a person gave, else the latest seen in an
    article; countries and posts guessed from an article's setting are left out.

    \b
    Example:
      quotes people export -o people.csv
      quotes people export --curated --format jsonl | quotes people import - --db other.db
    """
    from quotes.store import people as store

    session = session_for(ctx)
    try:
        with click.open_file(dest, "w", encoding="utf-8", atomic=dest != "-") as out:
            n = store.export_people(session, out, fmt, curated_only=curated_only)
    except BrokenPipeError:  # the reader has what it wanted: the group ends quietly
        raise
    except OSError as exc:
        raise click.ClickException(f"{dest}: cannot write ({exc.strerror or exc})") from None
    if dest != "-":
        say(f"exported {n} {'person' if n == 1 else 'people'} to {dest}")
