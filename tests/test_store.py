"""Storing hand-made extractions (no spaCy) and querying them back."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quotes import query
from quotes.records import Speaker as Sp
from quotes.store.models import Affiliation, Article, Organization, Quote, Speaker, SpeakerAlias
from quotes.store.storing import PersonName, StoreError, store_extraction

TEXT_A = ('Fishing quotas will fall, Anna Berg said on Monday. “We cannot wait for the cod to vanish,” '
          'the minister told reporters in Oslo.\n\nThe industry was less sure. “Quotas kill harbours,” '
          'said Lars Vik of the Coastal Fishers Union.')
TEXT_B = ('Berg defended the plan again. “The cod will come back,” Berg said in Tromsø, adding that '
          'the ministry had “no choice”.')


def berg(**kw):
    return Sp("Anna Berg", "person", aliases=["Berg", "Anna Berg"], title="Fisheries Minister",
              organization="Norwegian Ministry of Fisheries", country="NO", **kw)


def vik():
    return Sp("Lars Vik", "person", aliases=["Vik"], title="chairman", organization="Coastal Fishers Union",
              country="NO")


def article_a(make_extraction, **meta):
    return make_extraction(TEXT_A, [
        ("Fishing quotas will fall", "Anna Berg", "indirect"),
        ("We cannot wait for the cod to vanish", "Anna Berg", "direct"),
        ("Quotas kill harbours", "Lars Vik", "direct"),
    ], [berg(), vik()], source="a.txt", title="Quotas fall", **meta)


def article_b(make_extraction, name="Berg", country=None, **meta):
    return make_extraction(TEXT_B, [
        ("The cod will come back", name, "direct"),
        ("no choice", name, "partial"),
    ], [Sp(name, "person", aliases=[name], country=country)], source="b.txt", title="Plan defended", **meta)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def speaker_names(session):
    return sorted(session.scalars(select(Speaker.name)))


# -- storing ------------------------------------------------------------------------------------

def test_new_article_is_stored_with_quotes_speakers_and_affiliations(session, make_extraction):
    result = store_extraction(session, article_a(make_extraction))
    assert result.new and result.status == "added"
    assert result.n_quotes == 3
    assert sorted(result.speakers) == ["Anna Berg", "Lars Vik"]
    assert result.new_speakers == 2
    assert count(session, Quote) == 3
    affs = session.execute(select(Speaker.name, Affiliation.title, Organization.name, Organization.country)
                           .join(Affiliation.speaker).join(Affiliation.organization)
                           .order_by(Speaker.name)).all()
    assert affs == [("Anna Berg", "Fisheries Minister", "Norwegian Ministry of Fisheries", "NO"),
                    ("Lars Vik", "chairman", "Coastal Fishers Union", None)]


def test_every_stored_quote_is_verbatim_text_of_its_article(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, article_b(make_extraction))
    rows = session.execute(select(Quote, Article.text).join(Quote.article)).all()
    assert len(rows) == 5
    for quote, text in rows:
        assert quote.text == text[quote.start:quote.end]


def test_same_text_again_adds_nothing(session, make_extraction):
    first = store_extraction(session, article_a(make_extraction))
    again = store_extraction(session, article_a(make_extraction, url="https://example.org/other"))
    assert again.status == "unchanged" and not again.new
    assert again.article_id == first.article_id
    assert (count(session, Article), count(session, Quote), count(session, Speaker)) == (1, 3, 2)


def test_known_url_with_new_text_replaces_the_article_and_its_quotes(session, make_extraction):
    url = "https://example.org/news/1"
    first = store_extraction(session, article_b(make_extraction, url=url))
    changed = make_extraction(TEXT_B.replace("again", "once more"),
                              [("The cod will come back", "Berg", "direct")],
                              [Sp("Berg")], source="b2.txt", url=url)
    second = store_extraction(session, changed)
    assert second.status == "updated" and second.article_id == first.article_id
    assert count(session, Article) == 1
    assert [q["text"] for q in query.list_quotes(session)] == ["The cod will come back"]
    assert query.search_quotes(session, "choice") == []  # the replaced quote left the index
    assert session.get(Article, first.article_id).source == "b2.txt"


def test_quote_not_matching_the_text_is_refused_and_nothing_is_stored(session, make_extraction):
    ex = article_a(make_extraction)
    ex.quotes[1].end += 3
    with pytest.raises(StoreError, match=r"a\.txt: quote at .* does not match"):
        store_extraction(session, ex)
    assert count(session, Article) == 0 and count(session, Speaker) == 0


# -- speakers across articles -------------------------------------------------------------------

def test_surname_alone_joins_the_only_person_of_that_name(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, article_b(make_extraction))
    assert speaker_names(session) == ["Anna Berg", "Lars Vik"]
    assert len(query.list_quotes(session, speaker="Anna Berg")) == 4


def test_same_name_in_other_case_and_accents_is_one_speaker(session, make_extraction):
    store_extraction(session, article_b(make_extraction, name="Åsa Strøm-Lie"))
    store_extraction(session, make_extraction(
        TEXT_A, [("Quotas kill harbours", "ASA STRØM LIE", "direct")], [Sp("ASA STRØM LIE")]))
    assert speaker_names(session) == ["Åsa Strøm-Lie"]
    aliases = set(session.scalars(select(SpeakerAlias.alias)))
    assert {"Åsa Strøm-Lie", "ASA STRØM LIE"} <= aliases  # every spelling is kept


def test_full_name_alias_links_a_longer_canonical_name(session, make_extraction):
    store_extraction(session, make_extraction(
        TEXT_A, [("Quotas kill harbours", "Lars Erik Vik", "direct")],
        [Sp("Lars Erik Vik", aliases=["Lars Vik", "Vik"], country="NO")]))
    store_extraction(session, make_extraction(
        TEXT_B, [("The cod will come back", "Lars Vik", "direct")], [Sp("Lars Vik", country="NO")]))
    assert speaker_names(session) == ["Lars Erik Vik"]


def test_different_first_names_are_never_merged(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, article_b(make_extraction, name="Karl Berg"))
    assert speaker_names(session) == ["Anna Berg", "Karl Berg", "Lars Vik"]


def test_conflicting_countries_are_never_merged(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, article_b(make_extraction, name="Anna Berg", country="SE"))
    rows = session.execute(select(Speaker.name, Speaker.country).where(Speaker.name == "Anna Berg")
                           .order_by(Speaker.country)).all()
    assert rows == [("Anna Berg", "NO"), ("Anna Berg", "SE")]


def test_ambiguous_surname_gets_its_own_speaker(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, article_b(make_extraction, name="Karl Berg"))
    store_extraction(session, make_extraction(
        TEXT_B + " Later.", [("The cod will come back", "Berg", "direct")], [Sp("Berg")]))
    assert speaker_names(session) == ["Anna Berg", "Berg", "Karl Berg", "Lars Vik"]


def test_bare_surname_is_completed_by_a_later_full_name(session, make_extraction):
    store_extraction(session, article_b(make_extraction, name="Berg"))
    store_extraction(session, article_a(make_extraction))
    assert speaker_names(session) == ["Anna Berg", "Lars Vik"]
    spk = query.speakers(session, speaker="Anna Berg")
    assert spk[0]["n_quotes"] == 4 and spk[0]["n_articles"] == 2 and spk[0]["country"] == "NO"


def test_unknown_country_is_filled_in_later(session, make_extraction):
    store_extraction(session, article_b(make_extraction, name="Nils Dahl"))
    assert session.scalar(select(Speaker.country)) is None
    store_extraction(session, make_extraction(TEXT_A, [("Quotas kill harbours", "Nils Dahl", "direct")],
                                              [Sp("Nils Dahl", country="FI")]))
    assert session.execute(select(Speaker.name, Speaker.country)).all() == [("Nils Dahl", "FI")]


def test_generic_organisation_aliases_do_not_merge_different_bodies(session, make_extraction):
    for name, text in (("Ministry of Fisheries", TEXT_A), ("Ministry of Culture", TEXT_B)):
        quoted = "Quotas kill harbours" if text is TEXT_A else "no choice"
        store_extraction(session, make_extraction(
            text, [(quoted, name, "direct")], [Sp(name, "organization", aliases=["ministry", "Ministry"])]))
    store_extraction(session, make_extraction(
        TEXT_A + " 2", [("Fishing quotas will fall", "Nordic Fish Union", "indirect")],
        [Sp("Nordic Fish Union", "organization", aliases=["NFU"])]))
    store_extraction(session, make_extraction(
        TEXT_B + " 2", [("no choice", "NFU", "partial")], [Sp("NFU", "organization")]))
    assert speaker_names(session) == ["Ministry of Culture", "Ministry of Fisheries", "Nordic Fish Union"]


def test_organisations_are_shared_across_articles(session, make_extraction):
    store_extraction(session, article_a(make_extraction))
    store_extraction(session, make_extraction(
        TEXT_B, [("The cod will come back", "Berg", "direct")],
        [Sp("Berg", title="minister", organization="Norwegian Ministry of Fisheries")]))
    assert count(session, Organization) == 2
    assert count(session, Affiliation) == 3


@pytest.mark.parametrize("a, b, same", [
    ("Anna Berg", "Berg", True),
    ("Anna Berg", "A. Berg", True),
    ("Anna Maria Berg", "Maria Berg", True),
    ("Anna Berg", "Karl Berg", False),
    ("Anna Berg", "Anna Dahl", False),
    ("Åsa Strøm-Lie", "ASA STRØM LIE", True),
    ("Åsa Strøm-Lie", "Åsa Lie", True),
    ("Åsa Strøm-Lie", "Åsa Strøm", False),
    ("Berg", "Dahl", False),
])
def test_person_name_compatibility(a, b, same):
    assert PersonName.parse(a).compatible(PersonName.parse(b)) is same
    assert PersonName.parse(b).compatible(PersonName.parse(a)) is same


# -- queries ------------------------------------------------------------------------------------

@pytest.fixture
def stored(session, make_extraction):
    store_extraction(session, article_a(make_extraction, published=None))
    store_extraction(session, article_b(make_extraction))
    store_extraction(session, make_extraction(
        'The bloc “stands with coastal towns”, the European Union said. Ola Nord of the European Union '
        'Commission called it “a fair deal”.',
        [("stands with coastal towns", "European Union", "partial"), ("a fair deal", "Ola Nord", "partial")],
        [Sp("European Union", "organization", aliases=["EU"]),
         Sp("Ola Nord", title="commissioner", organization="European Union Commission")],
        source="c.txt"))
    return session


def test_list_returns_the_extract_contract_plus_ids(stored):
    rows = query.list_quotes(stored)
    assert len(rows) == 7
    first = rows[0]
    assert {"file", "start", "end", "text", "kind", "speaker", "speaker_mention", "speaker_start",
            "speaker_end", "speaker_kind", "title", "organization", "country", "cue", "confidence",
            "id", "article_id", "article_title"} <= set(first)
    assert (first["file"], first["speaker"], first["title"], first["organization"], first["country"]) == (
        "a.txt", "Anna Berg", "Fisheries Minister", "Norwegian Ministry of Fisheries", "NO")
    assert first["article_title"] == "Quotas fall"


def test_filter_by_speaker_words_any_case(stored):
    assert {r["speaker"] for r in query.list_quotes(stored, speaker="berg")} == {"Anna Berg"}
    assert query.list_quotes(stored, speaker="Ber") == []  # whole words only


def test_filter_by_country_code_or_name_includes_organisation_country(stored):
    by_code = query.list_quotes(stored, country="no")
    assert {r["speaker"] for r in by_code} == {"Anna Berg", "Lars Vik"}
    assert by_code == query.list_quotes(stored, country="Norway")
    with pytest.raises(query.QueryError, match="unknown country"):
        query.list_quotes(stored, country="Atlantis")


def test_country_of_an_affiliated_organisation_counts(session, make_extraction):
    store_extraction(session, make_extraction(
        TEXT_A, [("Quotas kill harbours", "Lars Vik", "direct")],
        [Sp("Lars Vik", organization="Norwegian Ministry of Fisheries")]))  # no country on the speaker
    assert [r["speaker"] for r in query.list_quotes(session, country="NO")] == ["Lars Vik"]
    assert query.list_quotes(session, country="SE") == []


def test_filter_by_organisation_affiliation_or_the_speaker_itself(stored):
    eu = query.list_quotes(stored, org="european union")
    assert {r["speaker"] for r in eu} == {"European Union", "Ola Nord"}
    assert {r["speaker"] for r in query.list_quotes(stored, org="Fishers Union")} == {"Lars Vik"}


def test_filter_by_kind_article_and_limit(stored):
    assert {r["kind"] for r in query.list_quotes(stored, kind="partial")} == {"partial"}
    article_ids = {r["article_id"] for r in query.list_quotes(stored)}
    some = min(article_ids)
    assert {r["article_id"] for r in query.list_quotes(stored, article_id=some)} == {some}
    assert len(query.list_quotes(stored, limit=2)) == 2
    with pytest.raises(query.QueryError):
        query.list_quotes(stored, kind="rumour")


def test_search_ranks_by_relevance_and_combines_with_filters(stored):
    from quotes.query import fulltext

    hits = query.search_quotes(stored, "cod")
    texts = ["The cod will come back", "We cannot wait for the cod to vanish"]
    if stored.get_bind().dialect.name == "postgresql" and fulltext.ranks_by_index(stored):
        # RUM's distance: the word once in quotes of one length class (up to 8 words), a tie
        assert sorted(h["text"] for h in hits) == texts and hits[0]["rank"] == hits[1]["rank"]
    else:  # bm25, ts_rank: the shorter first
        assert [h["text"] for h in hits] == texts
    assert query.search_quotes(stored, '"fair deal"')[0]["speaker"] == "Ola Nord"
    assert query.search_quotes(stored, "cod", kind="indirect") == []
    assert query.search_quotes(stored, "quota*", speaker="Vik")[0]["text"] == "Quotas kill harbours"


@pytest.mark.parametrize("bad", ['"unclosed', "cod AND", "nosuchcolumn:cod", "climate-change"])
def test_malformed_search_is_a_clear_error(stored, bad):
    with pytest.raises(query.QueryError, match="cannot search"):
        query.search_quotes(stored, bad)
    assert query.search_quotes(stored, "cod")  # the session is still usable


def test_speakers_lists_each_speaker_once_with_counts_titles_and_organisations(stored):
    rows = {r["name"]: r for r in query.speakers(stored)}
    assert set(rows) == {"Anna Berg", "Lars Vik", "European Union", "Ola Nord"}
    berg_row = rows["Anna Berg"]
    assert (berg_row["n_quotes"], berg_row["n_articles"], berg_row["country"]) == (4, 2, "NO")
    assert berg_row["titles"] == ["Fisheries Minister"]
    assert berg_row["organizations"] == ["Norwegian Ministry of Fisheries"]
    assert "Berg" in berg_row["aliases"]
    assert rows["European Union"]["kind"] == "organization"
    eu = [r["name"] for r in query.speakers(stored, org="European Union")]
    assert eu == ["European Union", "Ola Nord"]
    assert query.speakers(stored)[0]["name"] == "Anna Berg"  # most quoted first


def test_show_quote_gives_sentence_or_paragraph_and_article(stored, make_extraction):
    quote = next(r for r in query.list_quotes(stored) if r["text"] == "Quotas kill harbours")
    shown = query.show_quote(stored, quote["id"])
    # no sentence bounds were stored: the paragraph around the quote
    assert shown["context"] == ('The industry was less sure. “Quotas kill harbours,” said Lars Vik of the '
                                'Coastal Fishers Union.')
    assert shown["article"]["source"] == "a.txt" and shown["article"]["title"] == "Quotas fall"

    q = stored.get(Quote, quote["id"])
    q.sentence_start, q.sentence_end = TEXT_A.index("“Quotas"), len(TEXT_A)
    stored.commit()
    assert query.show_quote(stored, quote["id"])["context"].startswith("“Quotas kill harbours,” said")
    with pytest.raises(query.QueryError, match="no quote with id 999"):
        query.show_quote(stored, 999)


def test_two_writers_on_one_file_both_succeed(engine, make_extraction):
    from quotes.store.db import session_factory

    one, two = session_factory(engine)(), session_factory(engine)()
    assert one.scalar(select(func.count()).select_from(Article)) == 0  # one holds a read snapshot
    store_extraction(two, article_b(make_extraction))
    store_extraction(one, article_a(make_extraction))  # would fail with SQLITE_BUSY on a stale snapshot
    assert one.scalar(select(func.count()).select_from(Article)) == 2
    one.close()
    two.close()
