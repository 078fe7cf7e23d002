"""The gazetteer: places that are not countries, and the country each lies in (invented sentences)."""
from __future__ import annotations

import pytest

from quotes.entities import places


@pytest.mark.parametrize("name,context,code", [
    ("Toronto", (), "CA"),  # one namesake dwarfs the rest
    ("Toronto", ("FR",), "CA"),  # a well-known city needs no context
    ("Gdańsk", (), "PL"),
    ("Gdansk", (), "PL"),  # accents folded
    ("Texas", (), "US"),  # an ISO 3166-2 subdivision
    ("Kandahar", (), "AF"),
    ("Victoria", (), None),  # namesakes of like size in several countries
    ("Victoria", ("AU",), "AU"),  # the article names one of them
    ("Blenheim", ("GB", "US"), None),  # a small town in a country the article never names
    ("Police", (), None),  # a town somewhere, a word everywhere
    ("University", (), None),
    ("Zzyzxville", (), None),
    ("Rail", (), None),  # a small town named by a common word is a word ("Rail Delivery Group")
    ("Rail", ("IN",), "IN"),  # unless the article names its country
    ("Nice", (), "FR"),  # a large one is the town
])
def test_place_country(name, context, code):
    assert places.place_country(name, context) == code


def test_strict_lookups_want_the_country_named_when_the_article_names_any():
    assert places.place_country("Toronto", ("FR",), strict=True) is None
    assert places.place_country("Toronto", ("CA",), strict=True) == "CA"


@pytest.mark.parametrize("text,found", [
    ("a Toronto lawyer", [("Toronto", "CA")]),
    ("the El Paso Police Department", [("El Paso", "US")]),  # the longest name first, "Police" no town
    ("Paris, Texas", [("Paris", "US"), ("Texas", "US")]),  # a qualifier picks the namesake
    ("the Puerto Rico Electric Power Authority", []),  # a country is countries' to find
    ("the mayor of London", []),  # so is a capital
    ("Chelyabinsk's governor", [("Chelyabinsk", "RU")]),
])
def test_find_places(text, found):
    assert [(text[s:e], code) for s, e, code in places.find_places(text)] == found


@pytest.mark.parametrize("text,states", [
    ("A judge in Atlanta blocked the Georgia law. The U.S. Supreme Court may hear the case.", {"Georgia"}),
    ("Georgia's governor met California's on Monday.", {"Georgia"}),  # a place of the other country
    ("Georgian troops left Tbilisi. Georgia asked the U.S. for help.", set()),  # its own names say more
    ("Georgia and Armenia signed the deal in Yerevan.", set()),  # nothing of the United States
    ("Georgian officials said Georgia would ask the U.S. for help.", set()),  # the demonym is the country's name
    ("The U.S. Supreme Court met in Washington.", set()),  # no namesake at all
])
def test_a_country_name_is_another_countrys_state_where_the_article_is_about_that_country(text, states):
    assert places.state_namesakes(text) == states


def test_a_namesake_is_read_by_the_text_around_it_not_a_whole_long_document():
    # a long document (a day's wires) naming Georgia once, by Tbilisi, and the US at length far from it
    filler = "The markets were quiet and traders waited for news from the central banks. " * 80
    text = "Georgian troops left Tbilisi. Georgia asked for help. " + filler + "Atlanta and the U.S. voted. " * 5
    assert places.state_namesakes(text) == set()
    assert places.state_namesakes(text.replace(filler, "")) == {"Georgia"}  # an article of that size is read whole


def test_a_name_read_as_a_place_is_no_country_while_the_article_is_read():
    from quotes.entities import countries

    text = "the Georgia Governor"
    with countries.reading_as_places({"Georgia"}):
        assert countries.country_code("Georgia") is None and countries.country_code("Georgia's") is None
        assert countries.find_countries(text) == []
        assert [(text[s:e], code) for s, e, code in places.find_places(text)] == [("Georgia", "US")]
        assert countries.country_code("Georgian") == "GE"  # its other names are the country's still
    assert countries.country_code("Georgia") == "GE" and countries.find_countries(text) == [(4, 11, "GE")]


def test_the_index_is_cached_on_disk_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    places._index.cache_clear()
    try:
        built = places._index()
        cached = list(tmp_path.glob("quotes/places-*.json"))
        assert len(cached) == 1
        places._index.cache_clear()
        assert places._index() == built
    finally:
        places._index.cache_clear()


def test_first_name_genders_come_from_a_table_kept_on_disk(tmp_path, monkeypatch):
    from quotes.entities import names

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    names._genders.cache_clear()
    try:
        assert names.gender_of("Anna") == "female" and names.gender_of("Zzyzx") == "unknown"
        (cached,) = tmp_path.glob("quotes/genders-*.json")
        names._genders.cache_clear()
        cached.write_text('{"anna": "male"}', encoding="utf-8")  # what is on disk is what is read
        assert names.gender_of("anna") == "male"
    finally:
        names._genders.cache_clear()
