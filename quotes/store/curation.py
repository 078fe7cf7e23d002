"""Manual corrections of speakers and organisations: each is applied, logged, and kept across re-extraction.

Renames, countries and merges live on the rows themselves (curated rows are never removed, and
every old name stays an alias the resolver matches). Attributions of single quotes (``set-speaker``,
and the quotes a merge moved) are also kept as rules keyed by the article's content hash and the
quote's offsets, and :func:`replay_article` applies them again whenever an article's quotes are
stored anew (``quotes reprocess``, a re-ingest, a changed version of a page).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from quotes import records
from quotes.entities import countries

from . import lookup
from .db import begin_write
from .models import (
    ORGANIZATION_KINDS, SPEAKER_KINDS, Affiliation, Article, Correction, CurationRule, Organization,
    OrganizationAlias, Quote, Speaker, name_key,
)
from .resolution import (
    SpeakerResolver, add_org_alias, add_speaker_alias, collect_orphans, org_identity, set_speaker_name,
)

#: A SPEAKER or NAME argument meaning "nobody" (set-speaker) or "no country" (set-country).
NOBODY = "-"


class CurationError(ValueError):
    """A correction that cannot be made; the message is meant for the user."""


@dataclass
class Done:
    """What a correction did: the logged row and a one-line summary."""

    correction: Correction
    message: str


def _describe(sp: Speaker) -> str:
    where = f", {sp.country}" if sp.country else ""
    return f"#{sp.id} {sp.name} ({sp.kind}{where})"


def _one(candidates: list, ref: str, what: str, describe) -> object:
    if not candidates:
        raise CurationError(f"no {what} matches {ref!r}")
    if len(candidates) > 1:
        shown = "; ".join(describe(c) for c in candidates[:8])
        more = f"; and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        raise CurationError(f"{ref!r} matches {len(candidates)} {what}s: {shown}{more} (give one as #ID)")
    return candidates[0]


def find_speaker(session: Session, ref: str) -> Speaker:
    """The one speaker ``ref`` (#ID, name or alias) names; else a CurationError listing the candidates."""
    try:
        return _one(lookup.find_speakers(session, ref), ref, "speaker", _describe)
    except lookup.QueryError as exc:
        raise CurationError(str(exc)) from None


def find_organization(session: Session, ref: str) -> Organization:
    """The one organisation ``ref`` (#ID, name, alias or code like EU) names; else a CurationError."""
    try:
        return _one(lookup.find_organizations(session, ref), ref, "organisation",
                    lambda o: f"#{o.id} {o.name}" + (f" ({o.country})" if o.country else ""))
    except lookup.QueryError as exc:
        raise CurationError(str(exc)) from None


def _country(value: str) -> str | None:
    if value.strip() in (NOBODY, "") or value.strip().lower() == "none":
        return None
    code = countries.resolve_country_arg(value)
    if code is None:
        raise CurationError(f"unknown country {value!r} (give an ISO code such as FR, a name, or - for none)")
    return code


def _curated(country: str | None) -> str | None:
    """The country_source of a country a person set: curated (none without a country)."""
    return "curated" if country else None


def _log(session: Session, action: str) -> Correction:
    """A new correction row; _note() fills in what it did once that is known."""
    row = Correction(action=action, target="")
    session.add(row)
    session.flush()
    return row


def _note(row: Correction, target: str, **detail) -> Correction:
    row.target, row.detail = target[:300], json.dumps(detail, ensure_ascii=False)
    return row


def _write(session: Session, work) -> Done:
    """Run ``work`` in its own write transaction."""
    begin_write(session)
    try:
        done = work()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return done


# -- speakers -----------------------------------------------------------------------------------

def merge_speakers(session: Session, from_ref: str, into_ref: str) -> Done:
    """Make FROM part of INTO: its quotes, affiliations and names; FROM's row goes."""
    def work() -> Done:
        source, target = find_speaker(session, from_ref), find_speaker(session, into_ref)
        if source.id == target.id:
            raise CurationError(f"{from_ref!r} and {into_ref!r} are the same speaker ({_describe(source)})")
        if source.kind != target.kind:
            raise CurationError(f"cannot merge {_describe(source)} into {_describe(target)}: "
                                f"one is a person, the other an organisation")
        before = {"from": _describe(source), "into": _describe(target)}
        correction = _log(session, "merge-speakers")
        n_quotes = _merge_speaker_rows(session, source, target, correction)
        _note(correction, target.name, **before, quotes=n_quotes,
              aliases=sorted(a.alias for a in target.aliases))
        return Done(correction, f"merged {before['from']} into {_describe(target)}: {n_quotes} quotes moved")
    return _write(session, work)


def _merge_speaker_rows(session: Session, source: Speaker, target: Speaker, correction: Correction) -> int:
    """Move everything of ``source`` to ``target`` and delete ``source``; returns the quotes moved."""
    from_keys = sorted({a.key for a in source.aliases} | {source.key})
    quotes = session.execute(
        select(Quote, Article.content_hash).join(Article, Quote.article_id == Article.id)
        .where(Quote.speaker_id == source.id)).all()
    for quote, digest in quotes:  # so a re-extraction that finds FROM again is merged again
        session.add(CurationRule(
            correction_id=correction.id, action="merge-speakers", content_hash=digest, article_id=quote.article_id,
            start=quote.start, end=quote.end, text=quote.text, speaker_id=target.id,
            speaker_name=target.name, speaker_kind=target.kind, speaker_country=target.country,
            from_keys=json.dumps(from_keys)))
        quote.speaker_id, quote.corrected = target.id, True
    session.execute(update(Affiliation).where(Affiliation.speaker_id == source.id).values(speaker_id=target.id))
    session.execute(update(CurationRule).where(CurationRule.speaker_id == source.id)
                    .values(speaker_id=target.id, speaker_name=target.name))
    for alias in source.aliases:
        add_speaker_alias(target, alias.alias)
    if target.country is None:
        target.country, target.country_source = source.country, source.country_source
    source_org, source.organization_id = source.organization_id, None
    session.flush()
    if source_org is not None:
        if target.organization_id is None:
            target.organization_id = source_org
        elif target.organization_id != source_org:  # one speaker, so one body
            _merge_org_rows(session, session.get(Organization, source_org),
                            session.get(Organization, target.organization_id), correction)
    target.curated = True
    session.flush()
    session.expire(source)  # its collections predate the moves above; deleting must not cascade to them
    session.delete(source)
    session.flush()
    return len(quotes)


def rename_speaker(session: Session, ref: str, new_name: str) -> Done:
    """Give a speaker a new canonical name; the old one stays an alias."""
    def work() -> Done:
        row = find_speaker(session, ref)
        new = " ".join(new_name.split())
        if not name_key(new):
            raise CurationError(f"new name {new_name!r} has no letters or digits")
        clash = session.scalars(select(Speaker).where(Speaker.key == name_key(new), Speaker.id != row.id,
                                                      Speaker.kind == row.kind)).first()
        if clash is not None:
            raise CurationError(f"{_describe(clash)} already has that name; use merge-speakers to join them")
        old = row.name
        set_speaker_name(row, new)
        row.curated = True
        if row.organization_id is not None:
            _rename_org_row(session, session.get(Organization, row.organization_id), new)
        session.execute(update(CurationRule).where(CurationRule.speaker_id == row.id).values(speaker_name=new))
        correction = _note(_log(session, "rename-speaker"), new, speaker=row.id, old=old, new=new)
        return Done(correction, f"renamed #{row.id} {old!r} to {new!r}")
    return _write(session, work)


def set_speaker(session: Session, quote_id: int, ref: str, *, kind: str = "person",
                country: str | None = None) -> Done:
    """Attribute one quote to a speaker (created when no speaker has that name), or to nobody with '-'."""
    if kind not in SPEAKER_KINDS:
        raise CurationError(f"unknown speaker kind {kind!r} (one of {', '.join(SPEAKER_KINDS)})")

    def work() -> Done:
        quote = session.get(Quote, quote_id)
        if quote is None:
            raise CurationError(f"no quote with id {quote_id}")
        code = _country(country) if country else None
        target, created = None, False
        if ref.strip() != NOBODY:
            try:
                exact = lookup.find_speakers(session, ref, words=False)
            except lookup.QueryError as exc:
                raise CurationError(str(exc)) from None
            if exact:
                target = _one(exact, ref, "speaker", _describe)
            else:  # nobody has that name: resolved like an extracted name (a known surname joins its person)
                target, created = SpeakerResolver(session).resolve(
                    records.Speaker(" ".join(ref.split()), kind, country=code,
                                    country_source="curated" if code else None))
            target.curated = True
        previous = quote.speaker
        quote.speaker, quote.corrected = target, True
        article = session.get(Article, quote.article_id)
        correction = _log(session, "set-speaker")
        session.add(CurationRule(
            correction_id=correction.id, action="set-speaker", content_hash=article.content_hash,
            article_id=article.id, start=quote.start, end=quote.end, text=quote.text,
            speaker_id=target.id if target else None, speaker_name=target.name if target else None,
            speaker_kind=target.kind if target else kind, speaker_country=target.country if target else None))
        session.flush()
        _note(correction, f"quote {quote_id}", quote=quote_id, article=article.id, start=quote.start,
              end=quote.end, previous=_describe(previous) if previous else None,
              speaker=_describe(target) if target else None)
        if previous is not None and previous is not target:
            collect_orphans(session, [previous.id])
        who = _describe(target) + (" (new)" if created else "") if target else "nobody"
        return Done(correction, f"quote {quote_id} attributed to {who}")
    return _write(session, work)


def set_country(session: Session, ref: str, code: str) -> Done:
    """Set (or with '-' clear) a speaker's country; an organisation speaker's organisation follows."""
    def work() -> Done:
        row = find_speaker(session, ref)
        new = _country(code)
        old = row.country
        row.country, row.country_source, row.curated = new, _curated(new), True
        if row.organization_id is not None:
            org = session.get(Organization, row.organization_id)
            org.country, org.country_source, org.curated = new, _curated(new), True
        correction = _note(_log(session, "set-country"), row.name, speaker=row.id, old=old, new=new)
        return Done(correction, f"#{row.id} {row.name}: country {old or '-'} -> {new or '-'}")
    return _write(session, work)


# -- organisations ------------------------------------------------------------------------------

def _merge_org_rows(session: Session, source: Organization, target: Organization,
                    correction: Correction) -> None:
    for alias in list(source.aliases):
        if alias.alias not in {a.alias for a in target.aliases}:
            target.aliases.append(OrganizationAlias(alias=alias.alias, key=alias.key, canon=alias.canon))
    session.execute(update(Affiliation).where(Affiliation.organization_id == source.id)
                    .values(organization_id=target.id))
    own = session.scalars(select(Speaker).where(Speaker.organization_id == target.id)
                          .order_by(Speaker.id)).first()
    for speaker in session.scalars(select(Speaker).where(Speaker.organization_id == source.id)).all():
        if own is None:
            speaker.organization_id, own = target.id, speaker
        elif speaker.id != own.id:
            speaker.organization_id = None  # else merging the speakers would merge these orgs again
            _merge_speaker_rows(session, speaker, own, correction)
    session.execute(update(Speaker).where(Speaker.organization_id == source.id)
                    .values(organization_id=target.id))
    if target.country is None:
        target.country, target.country_source = source.country, source.country_source
    target.curated = True
    session.flush()
    session.expire(source)
    session.delete(source)
    session.flush()


def _rename_org_row(session: Session, org: Organization, new: str) -> None:
    ident = org_identity(new, org.country)
    taken = session.scalar(select(OrganizationAlias.organization_id)
                           .where(OrganizationAlias.canon == ident.canon,
                                  OrganizationAlias.organization_id != org.id).limit(1))
    org.name, org.key, org.curated = new, name_key(new), True
    add_org_alias(org, new, None if taken else ident.canon)
    if taken:  # another body's wording: kept for display and search, not for matching
        for alias in org.aliases:
            if alias.alias == new:
                alias.canon = None


def merge_organizations(session: Session, from_ref: str, into_ref: str) -> Done:
    """Make FROM part of INTO: its wordings, members and speaker; FROM's row goes."""
    def work() -> Done:
        source, target = find_organization(session, from_ref), find_organization(session, into_ref)
        if source.id == target.id:
            raise CurationError(f"{from_ref!r} and {into_ref!r} are the same organisation (#{source.id})")
        before = {"from": f"#{source.id} {source.name}", "into": f"#{target.id} {target.name}"}
        correction = _log(session, "merge-orgs")
        _merge_org_rows(session, source, target, correction)
        _note(correction, target.name, **before, aliases=sorted(a.alias for a in target.aliases))
        return Done(correction, f"merged {before['from']} into {before['into']}")
    return _write(session, work)


def rename_organization(session: Session, ref: str, new_name: str) -> Done:
    """Give an organisation a new name (its speaker row too); the old one stays an alias."""
    def work() -> Done:
        org = find_organization(session, ref)
        new = " ".join(new_name.split())
        if not name_key(new):
            raise CurationError(f"new name {new_name!r} has no letters or digits")
        old = org.name
        _rename_org_row(session, org, new)
        for speaker in session.scalars(select(Speaker).where(Speaker.organization_id == org.id)):
            set_speaker_name(speaker, new)
            speaker.curated = True
        correction = _note(_log(session, "rename-org"), new, organization=org.id, old=old, new=new)
        return Done(correction, f"renamed organisation #{org.id} {old!r} to {new!r}")
    return _write(session, work)


def set_organization_country(session: Session, ref: str, code: str) -> Done:
    """Set (or with '-' clear) an organisation's country; its speaker row follows."""
    def work() -> Done:
        org = find_organization(session, ref)
        new = _country(code)
        old = org.country
        org.country, org.country_source, org.curated = new, _curated(new), True
        for speaker in session.scalars(select(Speaker).where(Speaker.organization_id == org.id)):
            speaker.country, speaker.country_source, speaker.curated = new, _curated(new), True
        correction = _note(_log(session, "set-org-country"), org.name, organization=org.id, old=old, new=new)
        return Done(correction, f"organisation #{org.id} {org.name}: country {old or '-'} -> {new or '-'}")
    return _write(session, work)


def set_organization_kind(session: Session, ref: str, kind: str) -> Done:
    """Set an organisation's kind (government, party, company, international, ngo, media, other)."""
    if kind not in ORGANIZATION_KINDS:
        raise CurationError(f"unknown organisation kind {kind!r} (one of {', '.join(ORGANIZATION_KINDS)})")

    def work() -> Done:
        org = find_organization(session, ref)
        old = org.kind
        org.kind, org.curated = kind, True
        correction = _note(_log(session, "set-org-kind"), org.name, organization=org.id, old=old, new=kind)
        return Done(correction, f"organisation #{org.id} {org.name}: kind {old} -> {kind}")
    return _write(session, work)


# -- replay -------------------------------------------------------------------------------------

@dataclass
class Replay:
    """How the rules for one article went."""

    applied: int = 0
    missed: int = 0  # the quote is no longer found (the extractor now cuts it differently)


def _rule_target(session: Session, rule: CurationRule) -> Speaker | None:
    if rule.speaker_name is None:
        return None
    target = session.get(Speaker, rule.speaker_id) if rule.speaker_id is not None else None
    if target is None:  # the row went (deleted by hand, or a database rebuilt from its log)
        found = session.scalars(
            select(Speaker).where(Speaker.kind == rule.speaker_kind, Speaker.named.is_(True),
                                  Speaker.aliases.any(key=name_key(rule.speaker_name)))
            .order_by(Speaker.id)).all()
        if len(found) == 1:
            target = found[0]
        else:
            target = Speaker(name=rule.speaker_name, kind=rule.speaker_kind, country=rule.speaker_country,
                             country_source=_curated(rule.speaker_country), curated=True)
            set_speaker_name(target, rule.speaker_name)
            session.add(target)
            session.flush()
        rule.speaker_id = target.id
    return target


def replay_article(session: Session, article: Article) -> Replay:
    """Apply the stored corrections of one article's quotes again, after its quotes were stored anew."""
    rules = session.scalars(
        select(CurationRule).where(or_(CurationRule.content_hash == article.content_hash,
                                       CurationRule.article_id == article.id))
        .order_by(CurationRule.id)).all()
    result = Replay()
    if not rules:
        return result
    quotes = list(article.quotes)
    by_span = {(q.start, q.end): q for q in quotes}
    touched: set[int] = set()
    for rule in rules:
        quote = by_span.get((rule.start, rule.end)) if rule.content_hash == article.content_hash else None
        if quote is None:  # another version of the page, or other offsets: the same words, once
            same = [q for q in quotes if q.text == rule.text]
            quote = same[0] if len(same) == 1 else None
        if quote is None:
            result.missed += 1
            continue
        target = _rule_target(session, rule)
        current = quote.speaker
        if rule.action == "merge-speakers":
            keys = set(json.loads(rule.from_keys or "[]"))
            if current is not None and current is not target:
                if not keys & ({a.key for a in current.aliases} | {current.key}):
                    continue  # extraction now names someone else: the merge does not concern it
                for other in quotes:  # the merged speaker's quotes and posts in this article
                    if other.speaker is current:
                        other.speaker, other.corrected = target, True
                for affiliation in article.affiliations:
                    if affiliation.speaker is current:
                        affiliation.speaker = target
                touched.add(current.id)
        else:
            if current is not None and current is not target:
                touched.add(current.id)
            quote.speaker = target
        quote.corrected = True
        rule.content_hash, rule.article_id, rule.start, rule.end = (
            article.content_hash, article.id, quote.start, quote.end)
        result.applied += 1
    session.flush()
    collect_orphans(session, touched)
    return result
