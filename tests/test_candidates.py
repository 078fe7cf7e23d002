"""store.candidates: the resolver's questions answered with the session's unflushed rows, as a flush would."""
from __future__ import annotations

from sqlalchemy import event, select

from quotes.store.candidates import Candidates, organization_id_of
from quotes.store.models import Organization, Speaker, SpeakerAlias
from quotes.store.resolution import add_org_alias, org_identity, set_speaker_name
from quotes.store.writing import next_ids


def person(session, name: str, *aliases: str) -> Speaker:
    row = Speaker(name=name, kind="person")
    set_speaker_name(row, name)
    for alias in aliases:
        row.aliases.append(SpeakerAlias(alias=alias, key=alias.lower()))
    session.add(row)
    return row


def flushed_with_alias(session, keys: set[str]) -> list[Speaker]:
    """What the database says once everything is flushed: the answer the candidates must give before."""
    session.flush()
    return list(session.scalars(select(Speaker).join(SpeakerAlias).where(
        Speaker.kind == "person", SpeakerAlias.key.in_(keys)).distinct().order_by(Speaker.id)))


def flushed_same_surname(session, surname: str) -> list[Speaker]:
    session.flush()
    return list(session.scalars(select(Speaker).where(Speaker.kind == "person", Speaker.surname == surname)
                                .order_by(Speaker.id)))


def test_unflushed_rows_are_found_after_the_stored_ones_in_the_order_they_were_added(session):
    stored = person(session, "Ida Strand")
    session.commit()
    later = person(session, "Ida Strand")
    other = person(session, "Ola Strand", "Ida Strand")  # found by an alias, not by its name
    candidates = Candidates(session)
    assert later.id is None and other.id is None
    by_alias = candidates.with_alias({"ida strand"}, "person")
    by_surname = candidates.same_surname("strand", None)
    assert by_alias == [stored, later, other]
    assert by_surname == [stored, later, other]
    assert by_alias == flushed_with_alias(session, {"ida strand"})
    assert by_surname == flushed_same_surname(session, "strand")


def test_preloaded_answers_follow_rows_flushed_and_changed_after_the_preload(session):
    first = person(session, "Ida Strand")
    moved = person(session, "Per Lind")
    session.commit()
    candidates = Candidates(session)
    candidates.preload({("person", "ida strand"), ("person", "per lind")}, {"strand", "lind", "dahl"})
    added = person(session, "Ida Strand")
    session.flush()  # written after the preload: no longer pending, not in what was read
    set_speaker_name(moved, "Per Dahl")  # a new surname, not flushed
    pending = person(session, "Ida Strand")
    assert candidates.with_alias({"ida strand"}, "person") == [first, added, pending]
    assert candidates.same_surname("strand", first.id) == [added, pending]
    assert candidates.same_surname("lind", None) == []
    assert candidates.same_surname("dahl", None) == [moved]
    assert candidates.with_alias({"per dahl"}, "person") == [moved]  # not preloaded: asked of the database
    assert candidates.with_alias({"ida strand"}, "person") == flushed_with_alias(session, {"ida strand"})
    assert candidates.same_surname("dahl", None) == flushed_same_surname(session, "dahl")
    assert candidates.same_surname("lind", None) == flushed_same_surname(session, "lind")


def test_an_organisation_found_by_an_unflushed_wording_and_its_unflushed_speaker(session):
    ident = org_identity("Norwegian Ministry of Fisheries")
    org = Organization(name=ident.name, key=ident.name.lower(), kind=ident.kind, country=ident.country)
    session.add(org)
    session.flush()
    candidates = Candidates(session)
    assert candidates.org_by_canon(ident.canon) is None
    add_org_alias(org, ident.name, ident.canon)  # pending
    assert candidates.org_by_canon(ident.canon) is org
    voice = Speaker(name=org.name, kind="organization", organization=org)
    set_speaker_name(voice, org.name)
    session.add(voice)
    assert voice.organization_id is None and organization_id_of(voice) == org.id
    assert candidates.org_speaker(org) is voice
    session.flush()
    assert candidates.org_speaker(org) is voice and voice.organization_id == org.id


def test_the_speakers_of_preloaded_organisations_are_read_with_them(session):
    ident = org_identity("Norwegian Ministry of Fisheries")
    org = Organization(name=ident.name, key=ident.name.lower(), kind=ident.kind, country=ident.country)
    add_org_alias(org, ident.name, ident.canon)
    voice = Speaker(name=org.name, kind="organization", organization=org)
    set_speaker_name(voice, org.name)
    session.add_all([org, voice])
    session.commit()
    candidates = Candidates(session)
    candidates.preload(set(), set(), {ident.canon})
    statements = []
    event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert candidates.org_by_canon(ident.canon) is org
    assert candidates.org_speaker(org) is voice
    assert statements == []  # both preloaded
    fresh = Organization(id=next_ids(session, Organization, 1)[0], name="Harbour Board", key="harbour board")
    session.add(fresh)
    statements.clear()
    assert candidates.org_speaker(fresh) is None  # not stored: nobody stored can speak for it
    assert statements == []
    other = Speaker(name="Harbour Board", kind="organization", organization=fresh)  # pending
    set_speaker_name(other, other.name)
    session.add(other)
    assert candidates.org_speaker(fresh) is other
    voice.organization = fresh  # moved, not flushed: no longer the ministry's voice, the board's first
    assert candidates.org_speaker(org) is None
    assert candidates.org_speaker(fresh) is voice
    assert statements == []
    session.flush()
    assert session.scalar(select(Speaker).where(Speaker.organization_id == fresh.id).order_by(Speaker.id)
                          .limit(1)) is voice


def test_a_second_preload_reads_only_what_the_first_did_not(session):
    first = person(session, "Ida Strand")
    second = person(session, "Per Lind")
    session.commit()
    candidates = Candidates(session)
    candidates.preload({("person", "ida strand")}, {"strand"})
    added = person(session, "Ida Strand")
    session.flush()  # between the preloads: noted, and found by neither query
    statements = []
    event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[3]))
    candidates.preload({("person", "ida strand"), ("person", "per lind")}, {"strand", "lind"})
    assert len(statements) == 2 and all("ida strand" not in params and "strand" not in params
                                        for params in map(tuple, statements))
    assert candidates.with_alias({"ida strand"}, "person") == [first, added]
    assert candidates.with_alias({"per lind"}, "person") == [second]
    assert candidates.same_surname("strand", None) == [first, added]
    assert candidates.same_surname("lind", None) == [second]


def test_a_speakers_organisations_read_once_follow_posts_flushed_and_added_after(session):
    from quotes.store.models import Affiliation

    def org(name: str) -> Organization:
        row = Organization(id=next_ids(session, Organization, 1)[0], name=name, key=name.lower())
        session.add(row)
        return row

    ida = person(session, "Ida Strand")
    board, party, union = org("Roads Board"), org("Harbour Party"), org("Dock Union")
    session.add(Affiliation(speaker=ida, organization=board, title="chair"))
    session.commit()
    candidates = Candidates(session)
    candidates.preload({("person", "ida strand")}, {"strand"})
    asked = []

    def listener(conn, cursor, statement, *args):
        asked.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", listener)
    try:
        assert candidates.organizations_of(ida) == {board.id}
        session.add(Affiliation(speaker=ida, organization=party, title="member"))
        session.flush()  # written after the first answer: the note of the flush has it
        session.add(Affiliation(speaker=ida, organization=union))  # pending
        answer = candidates.organizations_of(ida)
        assert len([s for s in asked if "affiliations.organization_id" in s]) == 1  # read once
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", listener)
    session.flush()
    assert answer == {board.id, party.id, union.id} == set(session.scalars(
        select(Affiliation.organization_id).where(Affiliation.speaker_id == ida.id)))
