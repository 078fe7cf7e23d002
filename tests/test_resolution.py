"""Cross-article resolution of people and organisations, on small hand-written articles (no spaCy)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quotes import query
from quotes.records import Speaker as Sp
from quotes.store import lookup
from quotes.store.models import Affiliation, Organization, OrganizationAlias, Speaker, SpeakerAlias
from quotes.store.resolution import PersonName, SpeakerResolver, fold_name, org_identity
from quotes.store.storing import settle, store_extraction

TEXT = "“We are ready,” {name} said on Tuesday. Talks resume next week, {name} added."


def said(make_extraction, *speakers: Sp, n: int = 0):
    """One article in which each speaker says one thing; ``n`` makes the text (the article) distinct."""
    parts, quotes = [], []
    for i, sp in enumerate(speakers):
        line = f"“Statement {i} of {n} is clear,” {sp.name} said."
        parts.append(line)
        quotes.append((f"Statement {i} of {n} is clear", sp.name, "direct"))
    return make_extraction(" ".join(parts), quotes, speakers, source=f"article{n}.txt")


def store_all(session, make_extraction, *articles: list[Sp], start: int = 0):
    """Store one article per list of speakers, as one batch (settled at its end, as `quotes ingest` does);
    ``start`` numbers them on after an earlier call."""
    for n, speakers in enumerate(articles, start):
        store_extraction(session, said(make_extraction, *speakers, n=n))
    settle(session)


def rows(session, kind="person"):
    return sorted(session.execute(select(Speaker.name, Speaker.country)
                                  .where(Speaker.kind == kind)).all(), key=lambda r: (r[0], r[1] or ""))


def aliases_of(session, name):
    sid = session.scalar(select(Speaker.id).where(Speaker.name == name))
    return set(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == sid)))


# -- people ---------------------------------------------------------------------------------------

def test_full_name_and_surname_mentions_are_one_speaker_with_every_alias(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Ingrid Solberg", aliases=["Solberg"], title="Minister", country="NO")],
              [Sp("Solberg")],
              [Sp("Minister Ingrid Solberg", country="NO")],
              [Sp("I. Solberg")])
    assert rows(session) == [("Ingrid Solberg", "NO")]
    assert aliases_of(session, "Ingrid Solberg") == {
        "Ingrid Solberg", "Solberg", "Minister Ingrid Solberg", "I. Solberg"}


def test_transliteration_variants_merge_only_with_the_same_country(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Rustam Aliyev", country="AZ")],
              [Sp("Rustam Aliev", country="AZ")],       # same person, other spelling
              [Sp("Sergey Volkov", country="RU")],
              [Sp("Sergei Volkov")])                    # no evidence: kept apart
    assert rows(session) == [("Rustam Aliyev", "AZ"), ("Sergei Volkov", None), ("Sergey Volkov", "RU")]
    assert "Rustam Aliev" in aliases_of(session, "Rustam Aliyev")


def test_transliteration_variants_merge_with_the_same_organisation(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Yevgeny Petrov", organization="Baltic Shipping Company")],
              [Sp("Evgeny Petrov", organization="Baltic Shipping Company")],
              [Sp("Evgeniy Petrov", organization="Northern Rail Company")])  # no shared evidence
    assert rows(session) == [("Evgeniy Petrov", None), ("Yevgeny Petrov", None)]


def test_people_sharing_a_surname_stay_apart(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Anna Lind", country="SE")],
              [Sp("Karl Lind", country="SE")],                    # other given name
              [Sp("Anna Lind", country="FI")],                    # other country
              [Sp("Carl Lind Jr.")], [Sp("Carl Lind")],            # son and father
              [Sp("George H. W. Lind")], [Sp("George W. Lind")])   # other middle names
    assert rows(session) == [
        ("Anna Lind", "FI"), ("Anna Lind", "SE"), ("Carl Lind", None), ("Carl Lind Jr.", None),
        ("George H. W. Lind", None), ("George W. Lind", None), ("Karl Lind", "SE")]


def test_a_bare_surname_from_another_organisation_is_someone_else(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Maja Holm", organization="Green Party")],
              [Sp("Holm", organization="Baltic Shipping Company")],
              [Sp("Holm", organization="Green Party")])
    assert rows(session) == [("Holm", None), ("Maja Holm", None)]
    party_people = {r["speaker"] for r in query.list_quotes(session, org="Green Party")}
    assert party_people == {"Maja Holm"}
    assert len(query.list_quotes(session, speaker="Maja Holm")) == 2


def test_a_bare_surname_from_another_organisation_stays_apart_whichever_comes_first(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Holm", organization="Baltic Shipping Company")],
              [Sp("Maja Holm", organization="Green Party")])
    assert rows(session) == [("Holm", None), ("Maja Holm", None)]


def test_a_government_guessed_from_the_article_does_not_make_a_bare_surname_someone_else(
        session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Maja Holm", title="minister", organization="Norwegian Ministry of Finance", country="NO")],
              # "President Holm" in a report from Sweden: the post is hers, the country the article's
              [Sp("Holm", title="President", organization="Government of Sweden", country="SE",
                  country_source="article")])
    assert rows(session) == [("Maja Holm", "NO")]


def test_a_middle_name_and_its_initial_are_one_person(session, make_extraction):
    store_all(session, make_extraction, [Sp("John Fitzgerald Lind")], [Sp("John F. Lind")])
    assert rows(session) == [("John Fitzgerald Lind", None)]


def test_descriptions_are_never_merged_across_articles(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("officials", named=False, country="NO")],
              [Sp("officials", named=False, country="NO")])
    descriptions = session.scalars(select(Speaker).where(Speaker.name == "officials")).all()
    assert len(descriptions) == 2 and not any(d.named for d in descriptions)
    assert query.speakers(session) == []  # left out of the list unless asked for
    assert len(query.speakers(session, unnamed=True)) == 2


def test_a_description_is_not_matched_by_a_later_name(session, make_extraction):
    store_all(session, make_extraction, [Sp("Berg", named=False)], [Sp("Berg")])
    assert session.scalar(select(func.count()).select_from(Speaker)) == 2


def test_a_bare_surname_goes_to_the_person_who_dominates_it_and_earlier_bare_rows_follow(
        session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Erik Dahl", country="NO")], [Sp("Siri Dahl")],
              [Sp("Dahl", title="Mr.")],  # one article each: either of them, so a row of its own
              *[[Sp("Erik Dahl", title="Prime Minister", country="NO")]] * 10)
    # once Erik dominates the surname, the bare row is his, without waiting for another bare mention
    assert rows(session) == [("Erik Dahl", "NO"), ("Siri Dahl", None)]
    store_all(session, make_extraction, [Sp("Dahl", title="Prime Minister")], start=13)
    assert rows(session) == [("Erik Dahl", "NO"), ("Siri Dahl", None)]
    assert len(query.list_quotes(session, speaker="Erik Dahl")) == 13
    assert {"Dahl", "Erik Dahl"} <= aliases_of(session, "Erik Dahl")
    counts = {r["name"]: (r["n_quotes"], r["n_articles"]) for r in query.speakers(session)}
    assert counts == {"Erik Dahl": (13, 13), "Siri Dahl": (1, 1)}


def test_a_curated_bare_surname_row_is_not_folded_into_the_dominant_person(session, make_extraction):
    from quotes.store import curation

    store_all(session, make_extraction, [Sp("Erik Dahl")], [Sp("Siri Dahl")], [Sp("Dahl")])
    curation.set_country(session, "Dahl", "DK")  # a person's word on that row: it stays as it is
    store_all(session, make_extraction, *[[Sp("Erik Dahl")]] * 10, start=3)
    assert rows(session) == [("Dahl", "DK"), ("Erik Dahl", None), ("Siri Dahl", None)]


def test_a_bare_surname_stays_apart_while_another_of_that_name_is_plausible(session, make_extraction):
    store_all(session, make_extraction,
              *[[Sp("Erik Dahl")]] * 10, [Sp("Siri Dahl")], [Sp("Siri Dahl")],
              [Sp("Dahl")],                                    # Siri is quoted too often to rule out
              *[[Sp("Carl Lind")]] * 10, [Sp("Carl Lind Jr.", title="son")],
              [Sp("Lind", title="Son")])                       # the son's post, never the father's
    assert rows(session) == [("Carl Lind", None), ("Carl Lind Jr.", None), ("Dahl", None),
                             ("Erik Dahl", None), ("Lind", None), ("Siri Dahl", None)]


def test_a_bare_surname_goes_to_a_father_who_dominates_his_son(session, make_extraction):
    store_all(session, make_extraction,
              *[[Sp("Carl Lind")]] * 10, [Sp("Carl Lind Jr.")], [Sp("Lind", title="President")])
    assert rows(session) == [("Carl Lind", None), ("Carl Lind Jr.", None)]
    assert {r["name"]: r["n_quotes"] for r in query.speakers(session)} == {"Carl Lind": 11, "Carl Lind Jr.": 1}


@pytest.mark.parametrize("flushed", [False, True], ids=["one-flush", "flush-between"])
def test_a_full_name_completes_the_bare_surname_row_of_its_article_whether_or_not_it_was_flushed(
        session, make_extraction, monkeypatch, flushed):
    if flushed:  # as when a question the resolver asks in between (counts, posts) flushes the article's rows
        resolve = SpeakerResolver.resolve

        def resolve_and_flush(self, sp, *, flush=True):
            found = resolve(self, sp, flush=flush)
            self.session.flush()
            return found

        monkeypatch.setattr(SpeakerResolver, "resolve", resolve_and_flush)
    # the second mention shares an alias with the bare row the first one made, and nobody else has the surname
    store_all(session, make_extraction,
              [Sp("Vollan", aliases=["Ms. Vollan"]), Sp("Dagny Vollan", aliases=["Ms. Vollan"])])
    assert rows(session) == [("Dagny Vollan", None)]
    assert len(query.list_quotes(session, speaker="Dagny Vollan")) == 2
    assert {"Dagny Vollan", "Vollan", "Ms. Vollan"} <= aliases_of(session, "Dagny Vollan")


def test_a_full_name_completes_a_stored_bare_surname_row_it_shares_an_alias_with(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Vollan", aliases=["Ms. Vollan"])], [Sp("Dagny Vollan", aliases=["Ms. Vollan"])])
    assert rows(session) == [("Dagny Vollan", None)]
    assert len(query.list_quotes(session, speaker="Dagny Vollan")) == 2


def test_an_established_full_name_outweighs_one_descriptors_country(session, make_extraction):
    store_all(session, make_extraction,
              *[[Sp("Erik Dahl", country="NO")]] * 10,
              [Sp("Erik Dahl", country="SE")],                 # "the Swedish ... Erik Dahl": a stray word
              [Sp("Erik Dahl", title="spokesman", organization="Swedish Ministry of Finance", country="SE")])
    assert rows(session) == [("Erik Dahl", "NO"), ("Erik Dahl", "SE")]  # the ministry's man is another
    counts = {r["country"]: r["n_quotes"] for r in query.speakers(session)}
    assert counts == {"NO": 11, "SE": 1}


@pytest.mark.parametrize("a, b, expected", [
    ("Hajiyev", "Hajiev", True), ("Sergey", "Sergei", True), ("Dmitriy", "Dmitry", True),
    ("Pashinyan", "Pashinian", True), ("Aleksei", "Alexey", True), ("Zelenskyy", "Zelensky", True),
    ("Yevgeny", "Evgeny", True), ("Mohammed", "Mohamed", True),
    ("Berg", "Borg", False), ("Ivanov", "Ivanova", False),
])
def test_transliteration_folding(a, b, expected):
    from quotes.store.models import name_key

    assert (fold_name(name_key(a)) == fold_name(name_key(b))) is expected


@pytest.mark.parametrize("a, b, expected", [
    ("Anna Berg", "Berg", "same"),
    ("Rustam Aliyev", "Rustam Aliev", "variant"),
    ("Rustam Aliyev", "Aliev", "variant"),
    ("Carl Lind", "Carl Lind Jr.", None),
    ("George W. Lind", "George H. W. Lind", None),
    ("Ursula von der Leyen", "von der Leyen", "same"),
    ("Senator Anna Berg", "Anna Berg", "same"),
])
def test_person_name_match(a, b, expected):
    assert PersonName.parse(a).match(PersonName.parse(b)) == expected
    assert PersonName.parse(b).match(PersonName.parse(a)) == expected


# -- organisations --------------------------------------------------------------------------------

@pytest.mark.parametrize("wordings, country", [
    (["Norway’s Ministry of Defense", "the Norwegian defence ministry", "Norway's defense ministry",
      "Ministry of Defence of Norway"], "NO"),
    (["Finnish Foreign Ministry", "Finland’s Ministry for Foreign Affairs", "the foreign ministry of Finland"],
     "FI"),
    (["Government of Norway", "Oslo", "the Norwegian government", "Norway"], "NO"),
    (["EU", "the European Union", "Brussels"], None),
])
def test_wordings_of_one_body_have_one_identity(wordings, country):
    identities = {org_identity(w) for w in wordings}
    assert len({i.canon for i in identities}) == 1
    assert {i.country for i in identities} == {country}


def test_country_less_government_bodies_take_the_speakers_country():
    assert org_identity("Ministry of Defense", "SE").canon != org_identity("Ministry of Defense", "NO").canon
    assert org_identity("Ministry of Defense", "NO").canon == org_identity("Norway's defence ministry").canon
    # a research institute is no national body: a speaker's country does not split it
    assert org_identity("Arctic Research Institute", "SE").country is None


def test_several_countries_are_not_one_government():
    ident = org_identity("Norway, Sweden and Finland")
    assert ident.country is None and ident.canon != org_identity("Norway").canon


def test_three_wordings_of_a_ministry_are_one_organisation_and_one_speaker(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Norway’s Ministry of Defense", "organization", country="NO")],
              [Sp("Norwegian defense ministry", "organization", country="NO"),
               Sp("Norway’s defence ministry", "organization", country="NO")],
              [Sp("Ola Dahl", title="spokesman", organization="the Norwegian Defence Ministry")])
    orgs = session.scalars(select(Organization)).all()
    assert [(o.name, o.kind, o.country) for o in orgs] == [("Norway’s Ministry of Defense", "government", "NO")]
    assert rows(session, "organization") == [("Norway’s Ministry of Defense", "NO")]
    spoken = session.scalar(select(Speaker).where(Speaker.kind == "organization"))
    assert spoken.organization_id == orgs[0].id
    assert {a.alias for a in orgs[0].aliases} >= {
        "Norway’s Ministry of Defense", "Norwegian defense ministry", "Norway’s defence ministry",
        "Norwegian Defence Ministry"}
    ministry = query.speakers(session, org="Norwegian defence ministry")
    assert {r["name"] for r in ministry} == {"Norway’s Ministry of Defense", "Ola Dahl"}


def test_supranational_bodies_have_no_country_and_codes_find_them(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Lena Kovac", title="spokeswoman", organization="EU")],
              [Sp("European Union", "organization", aliases=["EU"])])
    org = session.scalar(select(Organization))
    assert (org.name, org.kind, org.country) == ("European Union", "international", None)
    assert session.scalar(select(func.count()).select_from(Organization)) == 1
    assert {r["name"] for r in query.speakers(session, org="EU")} == {"European Union", "Lena Kovac"}
    assert {r["name"] for r in query.speakers(session, org="European Union")} == {"European Union",
                                                                                    "Lena Kovac"}


def test_a_capital_speaking_is_its_countrys_government(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Government of Norway", "organization", aliases=["Oslo"], country="NO")],
              [Sp("Oslo", "organization", country="NO")],
              [Sp("Per Moen", title="Prime Minister", organization="Government of Norway", country="NO")])
    assert rows(session, "organization") == [("Government of Norway", "NO")]
    by_country = {r["name"]: r["kind"] for r in query.speakers(session, country="NO")}
    assert by_country == {"Government of Norway": "organization", "Per Moen": "person"}
    assert {r["name"] for r in query.speakers(session, country="Norway")} == set(by_country)


def test_members_count_for_their_organisations_country(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Tove Aas", title="minister", organization="Norwegian Ministry of Fisheries")])
    assert session.scalar(select(Speaker.country)) is None
    assert [r["name"] for r in query.speakers(session, country="NO")] == ["Tove Aas"]


def test_generic_aliases_are_not_routed_to_a_body(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Norway’s Ministry of Defense", "organization", aliases=["the ministry", "NDM"], country="NO")],
              [Sp("NDM", "organization")])
    keys = set(session.scalars(select(OrganizationAlias.key)))
    assert "the ministry" not in keys and "ministry" not in keys
    assert rows(session, "organization") == [("Norway’s Ministry of Defense", "NO")]


def test_affiliations_keep_each_post_with_its_article_and_date(session, make_extraction):
    from datetime import date

    for n, (title, org, day) in enumerate([("Minister of Fisheries", "Norwegian Ministry of Fisheries", 3),
                                           ("Minister of Defence", "Norwegian Ministry of Defence", 20)]):
        store_extraction(session, make_extraction(
            f"“We act now,” said {title} Eva Ness. Number {n}.", [("We act now", "Eva Ness", "direct")],
            [Sp("Eva Ness", title=title, organization=org, country="NO")], source=f"{n}.txt",
            published=date(2024, 5, day)))
    profile = query.speaker_profile(session, "Eva Ness")
    posts = [(a["title"], a["organization"], a["first_seen"], a["n_articles"]) for a in profile["affiliations"]]
    assert posts == [("Minister of Fisheries", "Norwegian Ministry of Fisheries", "2024-05-03", 1),
                     ("Minister of Defence", "Norwegian Ministry of Defence", "2024-05-20", 1)]
    assert (profile["first_seen"], profile["last_seen"]) == ("2024-05-03", "2024-05-20")
    assert session.scalar(select(func.count()).select_from(Affiliation)) == 2


def test_country_words_in_other_names_stay_part_of_the_name():
    assert org_identity("Bank of America").canon != org_identity("U.S. Bank").canon
    assert org_identity("Bank of America").country == "US"
    assert org_identity("Washington Post").canon != org_identity("New York Post").canon


def test_a_full_name_fitting_several_rows_goes_to_the_best_known(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Anna Lind", country="SE")], [Sp("Anna Lind", country="SE")], [Sp("Anna Lind", country="FI")],
              [Sp("Anna Lind")], [Sp("Anna Lind")], [Sp("Anna M. Lind")])
    assert rows(session) == [("Anna Lind", "FI"), ("Anna Lind", "SE")]
    counts = {r["country"]: r["n_quotes"] for r in query.speakers(session)}
    assert counts == {"SE": 5, "FI": 1}
    store_all(session, make_extraction, [Sp("Lind")])  # a bare surname stays ambiguous
    assert rows(session)[-1] == ("Lind", None)


def test_upgrading_an_older_database_keeps_its_rows_and_fills_the_new_keys(tmp_path, alembic_run):
    """0002 only adds columns (no table rebuild, which would cascade-delete children) and backfills."""
    from alembic import command
    from sqlalchemy import text

    from quotes.store.db import get_engine

    engine = get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    alembic_run(engine, command.upgrade, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO articles (id, content_hash, text, source, ingested_at, updated_at) "
                          "VALUES (1, 'h', 't', 's', '2024-01-01', '2024-01-01')"))
        conn.execute(text("INSERT INTO speakers (id, name, key, kind, created_at) "
                          "VALUES (1, 'Rustam Aliyev', 'rustam aliyev', 'person', '2024-01-01')"))
        conn.execute(text("INSERT INTO speaker_aliases (speaker_id, alias, key) VALUES (1, 'Aliyev', 'aliyev')"))
        conn.execute(text("INSERT INTO organizations (id, name, key, kind, country, created_at) "
                          "VALUES (1, 'Norwegian defence ministry', 'norwegian defence ministry', 'government', "
                          "'NO', '2024-01-01')"))
        conn.execute(text("INSERT INTO organization_aliases (organization_id, alias, key) "
                          "VALUES (1, 'Norwegian defence ministry', 'norwegian defence ministry')"))
        conn.execute(text("INSERT INTO affiliations (speaker_id, organization_id, article_id) VALUES (1, 1, 1)"))
    alembic_run(engine, command.upgrade, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM speaker_aliases")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM affiliations")).scalar() == 1
        assert conn.execute(text("SELECT surname, named, curated FROM speakers")).one() == ("aliev", 1, 0)
        assert conn.execute(text("SELECT canon FROM organization_aliases")).scalar() == \
            org_identity("Ministry of Defence of Norway").canon
    engine.dispose()


def test_a_capitalised_particle_is_a_given_name():
    assert PersonName.parse("Al Gore").first == "al"
    assert PersonName.parse("Al Gore").match(PersonName.parse("Gore")) == "same"
    assert PersonName.parse("Al Gore").match(PersonName.parse("Tipper Gore")) is None


# -- the seed articles, end to end (spaCy) ---------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_db(nlp, tmp_path_factory):
    """Both seed articles extracted and stored once for this module's tests."""
    from pathlib import Path

    from quotes.store.db import open_database, session_factory
    from quotes.pipeline.extract import extract_many
    from quotes.reading.normalize import normalize
    from quotes.reading.sources import read_paths

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    engine = open_database(str(tmp_path_factory.mktemp("seeds") / "seeds.db"))
    session = session_factory(engine)()
    for extraction in extract_many([normalize(r) for r in read_paths([str(seeds)])], nlp):
        store_extraction(session, extraction)
    yield session
    session.close()
    engine.dispose()


@pytest.mark.parametrize("name, country", [
    ("Hikmet Hajiyev", "AZ"), ("Nikol Pashinyan", "AM"), ("Annalena Baerbock", "DE"),
    ("Emmanuel Macron", "FR"), ("Antony Blinken", "US"), ("Dmitry Peskov", "RU"),
])
def test_seed_people_are_one_row_each_with_their_country(seeds_db, name, country):
    found = lookup.find_speakers(seeds_db, name, words=False)
    assert [(s.name, s.country) for s in found] == [(name, country)]


def test_seed_speaker_quoted_in_both_articles_is_one_row(seeds_db):
    assert query.speaker_profile(seeds_db, "Hajiyev")["n_articles"] == 2


def test_seed_wordings_of_the_defence_ministry_are_one_organisation(seeds_db):
    ministry = lookup.find_organizations(seeds_db, "Azerbaijani defence ministry")
    assert len(ministry) == 1 and ministry[0].country == "AZ" and ministry[0].kind == "government"
    assert len({a.key for a in ministry[0].aliases}) >= 3
    profile = query.speaker_profile(seeds_db, "Azerbaijan's defence ministry")
    assert profile["n_articles"] == 2


def test_seed_country_lists_people_and_bodies(seeds_db):
    armenian = query.speakers(seeds_db, country="AM")
    assert {r["kind"] for r in armenian} == {"person", "organization"}
    assert "Nikol Pashinyan" in {r["name"] for r in armenian}


def test_seed_borrell_is_with_the_european_union(seeds_db):
    profile = query.speaker_profile(seeds_db, "Josep Borrell")
    assert profile["country"] is None
    assert {a["organization"] for a in profile["affiliations"]} == {"European Union"}
    assert [r["name"] for r in query.speakers(seeds_db, org="EU")][0] == "Josep Borrell"


def test_seed_dumoulin_is_with_her_think_tank(seeds_db):
    posts = query.speaker_profile(seeds_db, "Marie Dumoulin")["affiliations"]
    assert {a["organization"] for a in posts} == {"European Council on Foreign Relations"}


def test_seed_ghazaryan_affiliation_names_karabakh(seeds_db):
    posts = query.speaker_profile(seeds_db, "Sergey Ghazaryan")["affiliations"]
    assert any("Nagorno-Karabakh" in (a["organization"] or "") for a in posts)


def test_a_country_guessed_from_the_article_neither_splits_a_person_nor_sticks_to_them(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Anna Lind", country="SE")],
              [Sp("Anna Lind", country="FI", country_source="article")],
              [Sp("Karl Berg", country="NO", country_source="article")])
    assert rows(session) == [("Anna Lind", "SE"), ("Karl Berg", None)]


def test_a_bare_surname_fitting_several_rows_of_that_bare_name_goes_to_the_best_known(session, make_extraction):
    store_all(session, make_extraction,
              [Sp("Anna Lind")], [Sp("Karl Lind")],
              [Sp("Lind", country="SE")], [Sp("Lind", country="SE")], [Sp("Lind", country="FI")],
              [Sp("Lind")])
    assert rows(session) == [("Anna Lind", None), ("Karl Lind", None), ("Lind", "FI"), ("Lind", "SE")]
