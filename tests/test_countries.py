"""Country knowledge: names, demonyms, capitals, metonyms and organisations to ISO alpha-2 codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest

from quotes.entities import countries
from quotes.entities.countries import (
    country_code,
    country_name,
    find_countries,
    organization_country,
    organization_kind,
    resolve_country_arg,
    supranational,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("text", "code"), [
    ("Azerbaijan", "AZ"),
    ("Azerbaijani", "AZ"),
    ("Azerbaijan's", "AZ"),
    ("Azerbaijan\u2019s", "AZ"),
    ("Azeri", "AZ"),
    ("Armenian", "AM"),
    ("Armenians", "AM"),
    ("German", "DE"),
    ("Germany", "DE"),
    ("Federal Republic of Germany", "DE"),
    ("US", "US"),
    ("U.S.", "US"),
    ("USA", "US"),
    ("United States", "US"),
    ("United States of America", "US"),
    ("American", "US"),
    ("Americans", "US"),
    ("America's", "US"),
    ("Britain", "GB"),
    ("British", "GB"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Scottish", "GB"),
    ("the Kremlin", "RU"),
    ("The Kremlin", "RU"),
    ("Kremlin", "RU"),
    ("Moscow", "RU"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Baku", "AZ"),
    ("Yerevan", "AM"),
    ("Washington", "US"),
    ("Washington, D.C.", "US"),
    ("Beijing", "CN"),
    ("Chinese", "CN"),
    ("Kyiv", "UA"),
    ("Kiev", "UA"),
    ("Turkish", "TR"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Turkey", "TR"),
    ("Iranian", "IR"),
    ("Israeli", "IL"),
    ("Palestinian", "PS"),
    ("Palestinians", "PS"),
    ("Downing Street", "GB"),
    ("the White House", "US"),
    ("Pentagon", "US"),
    ("Foggy Bottom", "US"),
    ("Élysée", "FR"),
    ("Elysee", "FR"),
    ("the Élysée Palace", "FR"),
    ("Quai d\u2019Orsay", "FR"),
    ("French", "FR"),
    ("Ankara", "TR"),
    ("Tehran", "IR"),
    ("Tokyo", "JP"),
    ("Bogota", "CO"),
    ("Brasília", "BR"),
    ("New Delhi", "IN"),
    ("The Hague", "NL"),
    ("Jerusalem", "IL"),
    ("Ramallah", "PS"),
    ("Georgia", "GE"),
    ("Jordan", "JO"),
    ("Emirati", "AE"),
    ("UAE", "AE"),
    ("Saudi", "SA"),
    ("South Korea", "KR"),
    ("South Korean", "KR"),
    ("North Korea", "KP"),
    ("Dominican", "DO"),
    ("Dominica", "DM"),
    ("Côte d\u2019Ivoire", "CI"),
    ("Ivory Coast", "CI"),
    ("Democratic Republic of the Congo", "CD"),
    ("Kosovo", "XK"),
    ("AZERBAIJAN", "AZ"),
    ("  Armenia  ", "AM"),
    ("Greeks'", "GR"),
])
def test_country_code_maps_names_demonyms_capitals_and_metonyms(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", [
    "European", "Europe", "us", "Us", "said", "New", "New York", "Chicago", "Hamilton",
    "Victoria", "Male", "Island", "turkey", "chad", "china", "EU", "European Union", "Brussels",
    "UN", "United Nations", "NATO", "OSCE", "African Union", "World Bank", "IMF", "New Mexico",
    "Latin American", "Korea", "the", "", "   ", "AND", "CAN", "ARM", "Scandinavian",
])
def test_country_code_rejects_words_cities_and_bodies(text):
    assert country_code(text) is None


@pytest.mark.parametrize(("text", "body"), [
    ("EU", "European Union"),
    ("E.U.", "European Union"),
    ("the European Union", "European Union"),
    ("the EU's", "European Union"),
    ("Brussels", "European Union"),
    ("UN", "United Nations"),
    ("the United Nations", "United Nations"),
    ("UN Security Council", "United Nations Security Council"),
    ("NATO", "NATO"),
    ("OSCE", "OSCE"),
    ("African Union", "African Union"),
    ("World Bank", "World Bank"),
    ("IMF", "International Monetary Fund"),
    ("European Commission", "European Commission"),
    ("Organization of American States", "Organization of American States"),
])
def test_supranational_names_the_body(text, body):
    assert supranational(text) == body


@pytest.mark.parametrize("text", [
    "Azerbaijan", "European", "un", "nato", "European Council on Foreign Relations", "Kremlin", "",
])
def test_supranational_is_none_for_countries_and_other_words(text):
    assert supranational(text) is None


def spans(text: str) -> list[tuple[str, str]]:
    """find_countries() as (matched text, code), checking the offsets point into the text."""
    return [(text[start:end], code) for start, end, code in find_countries(text)]


def test_find_countries_offsets_point_into_the_text():
    text = "a foreign policy adviser to Azerbaijani President Ilham Aliyev"
    start = text.index("Azerbaijani")
    assert find_countries(text) == [(start, start + len("Azerbaijani"), "AZ")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. and the UK said.", [("U.S.", "US"), ("UK", "GB")]),
    ("talks between Armenia and Azerbaijan\u2019s leaders",
     [("Armenia", "AM"), ("Azerbaijan", "AZ")]),
    ("pro-Russian Azerbaijan-Armenia talks",
     [("Russian", "RU"), ("Azerbaijan", "AZ"), ("Armenia", "AM")]),
    ("the Federal Republic of Germany", [("Federal Republic of Germany", "DE")]),
    ("Papua New Guinea", [("Papua New Guinea", "PG")]),
    ("South Sudan and Sudan", [("South Sudan", "SS"), ("Sudan", "SD")]),
    ("the Democratic Republic of the Congo", [("Democratic Republic of the Congo", "CD")]),
    ("People\u2019s Republic of China", [("People\u2019s Republic of China", "CN")]),
    ("a spokesman for the Kremlin", [("Kremlin", "RU")]),
    ("ARMENIA SAYS", [("ARMENIA", "AM")]),
    ("EU and Armenia", [("Armenia", "AM")]),
    ("us and US but not USB", [("US", "US")]),
    ("the Organization of American States", []),
    ("New Mexico and New York and New Jersey officials", []),
    ("a Latin American diplomat", []),
    ("Armenians and Germans", [("Armenians", "AM"), ("Germans", "DE")]),
    ("Azerbaijanis", [("Azerbaijanis", "AZ")]),
    ("Azerbaijanistan", []),
    ("he said nothing", []),
])
def test_find_countries_finds_longest_mentions_on_word_boundaries(text, expected):
    assert spans(text) == expected


def test_the_scan_finds_what_one_expression_of_every_key_finds():
    """_scan against a plain regular expression of the table's keys, longest first between word boundaries: the
    same hits on text strung together from keys, their parts and other words, with and without separators."""
    import random
    import re

    exact = countries._tables().exact
    keys = sorted(exact, key=len, reverse=True)
    oracle = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
    pieces = keys + [k[: len(k) // 2] for k in keys] + ["the", "of", "New", "South", "'s", "-", ".", "Republic", "é"]
    rng = random.Random(7)
    texts = [rng.choice([" ", "", "-", ", ", "'"]).join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
             for _ in range(5000)]
    for text in texts:
        assert list(countries._scan(text)) == [(m.start(), m.end(), exact[m.group()]) for m in oracle.finditer(text)], text


@pytest.mark.parametrize(("value", "code"), [
    ("AZ", "AZ"), ("az", "AZ"), ("AZE", "AZ"), ("aze", "AZ"), ("Azerbaijan", "AZ"),
    ("azerbaijani", "AZ"), ("AZERBAIJANI", "AZ"), ("GB", "GB"), ("UK", "GB"), ("uk", "GB"),
    ("usa", "US"), ("united states", "US"), ("XK", "XK"), ("kosovo", "XK"), (" ru ", "RU"),
    ("the kremlin", "RU"), ("turkey", "TR"),
])
def test_resolve_country_arg_accepts_codes_and_names_in_any_case(value, code):
    assert resolve_country_arg(value) == code


@pytest.mark.parametrize("value", ["ZZ", "zzz", "EU", "nato", "European", "", "New York"])
def test_resolve_country_arg_rejects_unknown_values(value):
    assert resolve_country_arg(value) is None


@pytest.mark.parametrize(("code", "name"), [
    ("RU", "Russia"), ("IR", "Iran"), ("KR", "South Korea"), ("KP", "North Korea"),
    ("US", "United States"), ("GB", "United Kingdom"), ("AZ", "Azerbaijan"), ("sy", "Syria"),
    ("MK", "North Macedonia"), ("PS", "Palestine"), ("VN", "Vietnam"), ("XK", "Kosovo"),
])
def test_country_name_is_the_common_short_name(code, name):
    assert country_name(code) == name


def test_country_name_returns_unknown_codes_unchanged():
    assert country_name("ZZ") == "ZZ"


@pytest.mark.parametrize("code", sorted({c.alpha_2 for c in pycountry.countries} | {"XK"}))
def test_every_country_name_is_readable_and_resolves_back(code):
    name = country_name(code)
    assert "," not in name and "(" not in name
    assert country_code(name) == code
    assert resolve_country_arg(name.lower()) == code


@pytest.mark.parametrize(("name", "code"), [
    ("Azerbaijan's Ministry of Defense", "AZ"),
    ("Azerbaijan\u2019s Ministry of Defense", "AZ"),
    ("the Azerbaijani defense ministry", "AZ"),
    ("Ministry of Foreign Affairs of Armenia", "AM"),
    ("Armenia's Security Council", "AM"),
    ("the Turkish Foreign Ministry", "TR"),
    ("the Kremlin press service", "RU"),
    ("US Embassy in Moscow", "US"),
    ("European Union", None),
    ("the EU delegation to Armenia", None),
    ("European Council on Foreign Relations", None),
    ("NATO", None),
    ("Human Rights Watch", None),
    ("Organization of American States", None),
])
def test_organization_country_from_wording(name, code):
    assert organization_country(name) == code


@pytest.mark.parametrize(("name", "kind"), [
    ("Azerbaijan's Ministry of Defense", "government"),
    ("the Turkish Foreign Ministry", "government"),
    ("Armenia's Security Council", "government"),
    ("the Kremlin", "government"),
    ("Downing Street", "government"),
    ("Azerbaijan", "government"),
    ("State Department", "government"),
    ("the Armenian army", "government"),
    ("Democratic Party", "party"),
    ("Republicans", "party"),
    ("the Democrats", "party"),
    ("Acme Inc.", "company"),
    ("Globex Corp", "company"),
    ("Initech Ltd", "company"),
    ("an energy company", "company"),
    ("European Union", "international"),
    ("the EU", "international"),
    ("UN", "international"),
    ("NATO", "international"),
    ("OSCE", "international"),
    ("World Bank", "international"),
    ("Amnesty International", "ngo"),
    ("Human Rights Watch", "ngo"),
    ("European Council on Foreign Relations", "ngo"),
    ("a Washington think tank", "ngo"),
    ("the Institute for War Studies", "ngo"),
    ("a state news agency", "media"),
    ("the local newspaper", "media"),
    ("national TV", "media"),
    ("The Washington Post", "media"),
    ("the Sunday Times", "media"),
    ("the Valletta Mail", "media"),
    ("Tech Insider", "media"),
    ("the Ruritanian Revolutionary Guard Corps", "government"),  # a corps is no "Corp"
    ("the High Court of Ruritania", "government"),
    ("the Court of Justice", "other"),  # may be a national or an international court
    ("a rebel group", "other"),
    ("the state university", "other"),
    ("the National Aviation Safety Board", "government"),  # a state's own board
    ("Federal Statistical Office", "government"),
    ("the National Rifle Association", "ngo"),
    ("Maple Leaf Board", "other"),
    ("somebody", "other"),
])
def test_organization_kind_from_keywords(name, kind):
    assert organization_kind(name) == kind


def test_organization_kinds_match_the_database_vocabulary():
    from quotes.store.models import ORGANIZATION_KINDS

    assert countries.ORGANIZATION_KINDS == ORGANIZATION_KINDS


def test_ten_thousand_lookups_on_built_tables():
    words = ["Azerbaijani", "the Kremlin", "said", "us", "New York", "Yerevan", "EU"] * 1430
    codes = [country_code(word) for word in words]
    assert codes[:7] == ["AZ", "RU", None, None, None, "AM", None]
    phrase = "an adviser to Azerbaijani President said in Baku and Yerevan"
    found = [find_countries(phrase) for _ in range(10_000)]
    assert [code for _, _, code in found[-1]] == ["AZ", "AZ", "AM"]


def test_import_builds_nothing_and_loads_no_library():
    code = (
        "import sys, quotes.entities.countries as c; print(c._tables.cache_info().currsize, "
        "'pycountry' in sys.modules, 'countryinfo' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False", "False"]


def test_extra_table_rows_are_well_formed():
    rows = countries._read_extra()
    kinds = {kind for kind, _, _ in rows}
    assert kinds <= {"alias", "metonym", "name", "drop", "block", "supranational", "government", "namesake"}
    assert all(target and text for _, target, text in rows)
    # a namesake is a country's name, and the other country's state by that name is a place
    for name, (own, other) in countries.namesakes().items():
        assert own and own != other and country_code(name) == own


def test_a_government_with_a_name_of_its_own_is_called_by_it():
    assert countries.government_name("VA") == "Holy See"
    assert countries.government_name("FR") == "Government of France"


def test_the_tables_are_kept_on_disk_and_what_is_there_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    countries._tables.cache_clear()
    countries._lookup.cache_clear()
    try:
        assert country_code("Azerbaijani") == "AZ"
        (cached,) = tmp_path.glob("quotes/countries-*.json")
        data = json.loads(cached.read_text(encoding="utf-8"))
        data["exact"]["Azerbaijani"] = "AM"  # what is on disk is what is read
        cached.write_text(json.dumps(data), encoding="utf-8")
        countries._tables.cache_clear()
        countries._lookup.cache_clear()
        assert country_code("Azerbaijani") == "AM"
    finally:
        countries._tables.cache_clear()
        countries._lookup.cache_clear()
