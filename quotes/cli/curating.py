"""Commands that correct the database by hand; every correction is recorded and survives reprocessing."""
from __future__ import annotations

import click

from .base import SQL_INT_MAX, db_option, main, session_for


def _curate(ctx: click.Context, action, *args, **kwargs) -> None:
    """Run one curation function; its summary goes to stdout, its failure is one line."""
    from quotes.store import curation

    session = session_for(ctx)
    try:
        done = action(curation, session, *args, **kwargs)
    except curation.CurationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{done.message} (correction #{done.correction.id})")


@main.command("merge-speakers")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@db_option
@click.pass_context
def merge_speakers_(ctx: click.Context, source: str, target: str) -> None:
    """Merge speaker FROM into speaker INTO: quotes, posts and every name.

    FROM and INTO are names, aliases or #IDs. The merge is kept when articles are reprocessed.

    \b
    Example:
      quotes merge-speakers 'H. Hajiev' 'Hikmet Hajiyev'
    """
    _curate(ctx, lambda c, s: c.merge_speakers(s, source, target))


@main.command("rename-speaker")
@click.argument("name")
@click.argument("new")
@db_option
@click.pass_context
def rename_speaker_(ctx: click.Context, name: str, new: str) -> None:
    """Give a speaker a new canonical name; the old one stays an alias.

    \b
    Example:
      quotes rename-speaker 'Josep Borrell' 'Josep Borrell Fontelles'
    """
    _curate(ctx, lambda c, s: c.rename_speaker(s, name, new))


@main.command("set-speaker")
@click.argument("quote_id", metavar="QUOTE_ID", type=click.IntRange(max=SQL_INT_MAX))
@click.argument("name")
@click.option("--kind", type=click.Choice(("person", "organization")), default="person", show_default=True,
              help="Kind of a speaker created by this command.")
@click.option("--country", metavar="CODE|NAME", help="Country of a speaker created by this command.")
@db_option
@click.pass_context
def set_speaker_(ctx: click.Context, quote_id: int, name: str, kind: str, country: str | None) -> None:
    """Attribute one quote to a speaker; '-' leaves it unattributed.

    NAME is an exact name, alias or #ID; an unknown name becomes a new speaker. The attribution
    survives `quotes reprocess` and re-ingesting the article.

    \b
    Example:
      quotes set-speaker 42 'Nikol Pashinyan'
      quotes set-speaker 43 -
    """
    _curate(ctx, lambda c, s: c.set_speaker(s, quote_id, name, kind=kind, country=country))


@main.command("set-country")
@click.argument("speaker")
@click.argument("code", metavar="CODE")
@db_option
@click.pass_context
def set_country_(ctx: click.Context, speaker: str, code: str) -> None:
    """Set a speaker's country (ISO code or name; '-' for none).

    \b
    Example:
      quotes set-country Dumoulin FR
    """
    _curate(ctx, lambda c, s: c.set_country(s, speaker, code))


@main.command("merge-orgs")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@db_option
@click.pass_context
def merge_orgs_(ctx: click.Context, source: str, target: str) -> None:
    """Merge organisation FROM into INTO: wordings, members and the speaker that is the body.

    \b
    Example:
      quotes merge-orgs 'Azerbaijani army' 'Azerbaijan’s Ministry of Defense'
    """
    _curate(ctx, lambda c, s: c.merge_organizations(s, source, target))


@main.command("rename-org")
@click.argument("name")
@click.argument("new")
@db_option
@click.pass_context
def rename_org_(ctx: click.Context, name: str, new: str) -> None:
    """Give an organisation a new name; the old one stays an alias.

    \b
    Example:
      quotes rename-org '#7' 'Ministry of Defence of Azerbaijan'
    """
    _curate(ctx, lambda c, s: c.rename_organization(s, name, new))


@main.command("set-org-country")
@click.argument("name")
@click.argument("code", metavar="CODE")
@db_option
@click.pass_context
def set_org_country_(ctx: click.Context, name: str, code: str) -> None:
    """Set an organisation's country (ISO code or name; '-' for none, as for the EU).

    \b
    Example:
      quotes set-org-country 'Coastal Council' NO
    """
    _curate(ctx, lambda c, s: c.set_organization_country(s, name, code))


@main.command("set-org-kind")
@click.argument("name")
@click.argument("kind")
@db_option
@click.pass_context
def set_org_kind_(ctx: click.Context, name: str, kind: str) -> None:
    """Set an organisation's kind: government, party, company, international, ngo, media or other.

    \b
    Example:
      quotes set-org-kind 'European Council on Foreign Relations' ngo
    """
    _curate(ctx, lambda c, s: c.set_organization_kind(s, name, kind))
