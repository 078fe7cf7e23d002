"""store.writing: an article's new rows written with Core inserts, as the ORM's flush would write them."""
from __future__ import annotations

import shutil
import warnings
from dataclasses import replace

import pytest
from sqlalchemy import select

from quotes.records import Speaker as Sp
from quotes.store import storing
from quotes.store.db import open_database, session_factory
from quotes.store.models import (
    Affiliation, Article, Organization, OrganizationAlias, Quote, Speaker, SpeakerAlias,
)
from quotes.store.resolution import add_speaker_alias, set_speaker_name
from quotes.store.storing import store_extraction
from quotes.store.writing import next_ids, write_pending

TEXT_1 = ('“The bridge opens in May,” said Tove Lunde, the transport minister of the Nordland Ministry of Roads. '
          'Harbour Union chair Eirik Sand said the crews were “not consulted”. '
          '“We will strike,” the Harbour Union said in a statement.')
TEXT_2 = ('Lunde repeated that “the bridge opens in May”. Tove Lunde, the minister, added: “No delays.” '
          'Kari Holm of the Harbour Union said “we wait and see”.')

MODELS = (Organization, OrganizationAlias, Speaker, SpeakerAlias, Affiliation, Quote)


def lunde(**kw) -> Sp:
    return Sp("Tove Lunde", "person", aliases=["Lunde", "Tove Lunde"], title="transport minister",
              organization="Nordland Ministry of Roads", country="NO", **kw)


def articles(make_extraction):
    first = make_extraction(TEXT_1, [
        ("The bridge opens in May", "Tove Lunde", "direct"),
        ("not consulted", "Eirik Sand", "partial"),
        ("We will strike", "Harbour Union", "direct"),
    ], [lunde(), Sp("Eirik Sand", "person", aliases=["Sand"], title="chair", organization="Harbour Union"),
        Sp("Harbour Union", "organization", aliases=["the union"])], source="one.txt")
    second = make_extraction(TEXT_2, [
        ("the bridge opens in May", "Lunde", "partial"),
        ("No delays.", "Tove Lunde", "direct"),
        ("we wait and see", "Kari Holm", "partial"),
    ], [Sp("Lunde", "person", aliases=["Lunde"]), lunde(),
        Sp("Kari Holm", "person", organization="Harbour Union", title="deputy chair")], source="two.txt")
    return [first, second]


def dump(session) -> dict[str, list[tuple]]:
    """Every row of the tables an article writes, timestamps left out (they tell when, not what)."""
    out = {}
    for model in MODELS:
        columns = [c for c in model.__table__.c if c.name not in ("created_at", "ingested_at", "updated_at")]
        out[model.__tablename__] = [tuple(row) for row in session.execute(
            select(*columns).order_by(model.__table__.c.id))]
    return out


def stored(path, extractions, *, core: bool, monkeypatch) -> dict[str, list[tuple]]:
    if not core:  # every row through the ORM's flush, as before store.writing
        monkeypatch.setattr(storing, "write_pending", lambda session: False)
    engine = open_database(str(path))
    try:
        with session_factory(engine)() as session:
            for extraction in extractions:
                store_extraction(session, extraction)
            storing.settle(session)
            return dump(session)
    finally:
        monkeypatch.undo()
        engine.dispose()


def test_core_inserts_store_the_same_rows_with_the_same_ids_as_a_flush(db_path, tmp_path, make_extraction,
                                                                       monkeypatch):
    other = tmp_path / "flushed.db"
    shutil.copyfile(db_path, other)
    batch = articles(make_extraction)
    # the same articles again with one more word: stored again, their speakers found (knowledge reuse)
    twice = batch + [replace(e, article=replace(e.article, text=e.article.text + " More.", source="again"))
                     for e in batch]
    core = stored(db_path, twice, core=True, monkeypatch=monkeypatch)
    flushed = stored(other, twice, core=False, monkeypatch=monkeypatch)
    assert core == flushed
    assert core["speaker_aliases"] and core["affiliations"] and core["organization_aliases"]


def test_an_articles_new_rows_are_written_and_read_back(session, make_extraction):
    first, second = articles(make_extraction)
    result = store_extraction(session, first)
    assert result.new_speakers == 3
    assert not session.new  # all written, none left for a flush
    lunde_row = session.scalars(select(Speaker).where(Speaker.name == "Tove Lunde")).one()
    assert {a.alias for a in lunde_row.aliases} == {"Tove Lunde", "Lunde"}
    assert (lunde_row.kind, lunde_row.named, lunde_row.curated, lunde_row.country) == ("person", True, False, "NO")
    post = session.scalars(select(Affiliation).where(Affiliation.speaker_id == lunde_row.id)).one()
    assert post.title == "transport minister" and post.organization.name == "Nordland Ministry of Roads"
    assert post.article_id == result.article_id and post.inferred is False
    union = session.scalars(select(Speaker).where(Speaker.kind == "organization")).one()
    assert union.organization is not None and union.organization.name == "Harbour Union"
    quotes = session.scalars(select(Quote).order_by(Quote.start)).all()
    assert [q.speaker_id for q in quotes] == [lunde_row.id, session.scalars(
        select(Speaker.id).where(Speaker.name == "Eirik Sand")).one(), union.id]

    again = store_extraction(session, second)  # the same minister and union: found, not made again
    assert again.new_speakers == 1  # only Kari Holm
    assert session.scalar(select(Speaker.id).where(Speaker.name == "Tove Lunde")) == lunde_row.id
    unions = session.scalars(select(Organization).where(Organization.name == "Harbour Union")).all()
    assert len(unions) == 1
    holm = session.scalars(select(Speaker).where(Speaker.name == "Kari Holm")).one()
    assert {a.organization_id for a in holm.affiliations} == {unions[0].id}


def test_a_stored_rows_collections_show_what_was_written_for_it(session):
    row = Speaker(name="Tove Lunde", kind="person")
    set_speaker_name(row, "Tove Lunde")
    session.add(row)
    session.commit()
    assert [a.alias for a in row.aliases] == ["Tove Lunde"]  # loaded: the write must not leave it stale
    add_speaker_alias(row, "T. Lunde")
    org = Organization(id=next_ids(session, Organization, 1)[0], name="Roads Board", key="roads board")
    session.add(Affiliation(speaker=row, organization=org, title="chair"))
    assert write_pending(session)
    assert not session.new
    assert sorted(a.alias for a in row.aliases) == ["T. Lunde", "Tove Lunde"]
    assert all(a in session for a in row.aliases)  # the stored rows, read again: later changes to them count
    assert [(a.organization_id, a.title) for a in row.affiliations] == [(org.id, "chair")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing left for the flush to trip over (rows not in the session)
        session.commit()
    assert session.scalar(select(Organization.name).where(Organization.id == org.id)) == "Roads Board"


def test_a_stored_speaker_pointed_at_a_new_organisation_gets_its_id(session):
    row = Speaker(name="Harbour Union", kind="organization")
    set_speaker_name(row, row.name)
    session.add(row)
    session.commit()
    row.organization = Organization(id=next_ids(session, Organization, 1)[0], name="Harbour Union",
                                    key="harbour union", kind="other")
    assert write_pending(session)
    session.commit()
    session.expire_all()
    assert row.organization_id is not None and row.organization.name == "Harbour Union"


def test_next_ids_follow_the_stored_ones_and_skip_those_handed_out(session):
    first = next_ids(session, Organization, 1)[0]
    session.add(Organization(id=first, name="A", key="a"))
    second, third = next_ids(session, Organization, 2)
    assert first < second < third
    session.flush()
    assert next_ids(session, Organization, 1)[0] > first


def test_anything_else_pending_is_left_to_the_flush(session):
    article = Article(content_hash="x" * 64, text="Text.")
    row = Speaker(name="Tove Lunde", kind="person")
    set_speaker_name(row, row.name)
    session.add_all([article, row])
    assert write_pending(session) is False
    assert row in session.new and row.id is None  # untouched
    session.flush()
    assert row.id is not None and article.id is not None
