"""The three jobs of the entity stage, each on its own: the cast, describing an entity, resolving a mention."""
from __future__ import annotations

import pytest

from quotes.entities.cast import Cast
from quotes.entities.describe import Describer
from quotes.entities.mentions import MentionResolver
from quotes.extraction.attributions import Mention


def undescribed(span, entity):
    """A describe callback that does nothing: the cast alone."""


def mention_of(doc, word, nth=0):
    """The one-token Mention of the ``nth`` token reading ``word``."""
    tok = [t for t in doc if t.text == word][nth]
    return Mention(tok.i, tok.i + 1, tok.i)


# -- the cast ------------------------------------------------------------------------------------

def test_the_cast_is_one_person_per_person_whatever_the_name_used(nlp):
    cast = Cast(nlp("Anna Kowal met Piotr Nowak in the port. Kowal said the talks went well."))
    cast.add_people(undescribed)
    assert {e.canonical: sorted(e.names) for e in cast.entities} == {
        "Anna Kowal": ["Anna Kowal", "Kowal"], "Piotr Nowak": ["Piotr Nowak"]}


def test_a_different_first_name_is_a_different_person(nlp):
    cast = Cast(nlp("Anna Kowal met Marek Kowal at the port on Monday."))
    cast.add_people(undescribed)
    assert sorted(e.canonical for e in cast.entities) == ["Anna Kowal", "Marek Kowal"]


def test_a_name_of_two_surnames_is_the_person_whose_longer_name_ends_with_them(nlp):
    cast = Cast(nlp("The harbour was quiet."))
    full = cast.person("Ana María Robles Quintero", 0)
    assert cast.person("Robles Quintero", 10) is full
    short = cast.person("Ferrer Salgado", 20)  # met first, then in full
    assert cast.person("José Luis Ferrer Salgado", 30) is short
    # but a clear first name is a different person's: "Tom Hale" is not the "Rip Tom Hale" of a headline
    assert cast.person("Tom Hale", 50) is not cast.person("Rip Tom Hale", 40)


def test_the_cast_calls_describe_on_each_name_in_text_order(nlp):
    seen = []
    cast = Cast(nlp("Anna Kowal met Piotr Nowak in the port. Kowal said the talks went well."))
    cast.add_people(lambda span, entity: seen.append((span.text, entity.canonical)))
    assert seen == [("Anna Kowal", "Anna Kowal"), ("Piotr Nowak", "Piotr Nowak"), ("Kowal", "Anna Kowal")]


def test_organisations_are_one_entity_per_name(nlp):
    cast = Cast(nlp("The harbour was quiet."))
    first = cast.organization("Ministry of Fisheries", 0)
    assert cast.organization("ministry of fisheries", 40) is first
    assert first.last_seen == 40
    assert cast.organization("Coast Guard", 50) is not first


def test_the_article_country_is_the_one_named_most(nlp):
    cast = Cast(nlp("Norway and Sweden met. Norway said no. Oslo was calm, Norway added."))
    assert cast.article_country == "NO"
    assert Cast(nlp("Norway met Sweden.")).article_country is None  # named once each: no dominant country


def test_the_dateline_sets_the_scene_where_the_recogniser_misses_it(nlp):
    # the recogniser tags a dateline in capitals as a body: the story is still filed from there
    text = "Minister jailed\n\nKARACHI — A Pakistani court on Wednesday jailed a former minister for corruption."
    assert Cast(nlp(text)).article_country == "PK"
    assert Cast(nlp(text.replace("KARACHI — ", ""))).article_country is None


# -- describing an entity ------------------------------------------------------------------------

@pytest.mark.parametrize("text,title,organization,country", [
    ("German Foreign Minister Anna Kowal arrived on Friday.", "Foreign Minister", "Government of Germany", "DE"),
    ("Piotr Nowak, a lawyer at the University of Oslo, arrived on Friday.", "lawyer", "University of Oslo", "NO"),
])
def test_a_person_is_described_by_the_words_around_their_name(nlp, text, title, organization, country):
    cast = Cast(nlp(text))
    describer = Describer(cast)
    cast.add_people(describer.describe_person)
    (person,) = cast.entities
    assert (person.title, person.organization, person.country) == (title, organization, country)
    record = describer.speaker_record(person)
    assert (record.title, record.organization, record.country, record.country_inferred) == (
        title, organization, country, False)


def test_a_person_with_no_country_of_their_own_gets_the_articles_inferred(nlp):
    cast = Cast(nlp("Norway closed its ports. Norway said the storm was near. Anna Kowal, a fisherman, was angry."))
    describer = Describer(cast)
    cast.add_people(describer.describe_person)
    person = next(e for e in cast.entities if e.canonical == "Anna Kowal")
    assert person.country is None  # nothing in her own description
    record = describer.speaker_record(person)
    assert (record.country, record.country_inferred) == ("NO", True)


# -- resolving a mention -------------------------------------------------------------------------

def test_a_pronoun_is_the_person_just_named_as_subject(nlp):
    doc = nlp("Anna Kowal toured the harbour. She said the quay was finished.")
    cast = Cast(doc)
    cast.add_people(undescribed)
    entity = MentionResolver(cast).resolve(mention_of(doc, "She"))
    assert entity is not None and entity.canonical == "Anna Kowal"


def test_a_definite_description_is_the_latest_body_it_fits(nlp):
    doc = nlp("The Ministry of Fisheries closed the port. The ministry said it would reopen soon.")
    cast = Cast(doc)
    cast.add_people(undescribed)
    resolver = MentionResolver(cast)
    body = resolver.resolve(Mention(0, 4, 1))  # "The Ministry of Fisheries"
    assert body is not None and body.kind == "organization" and body.named
    ministry = mention_of(doc, "ministry")
    assert resolver.resolve(Mention(ministry.start - 1, ministry.end, ministry.head)) is body  # "The ministry"


def test_an_unnamed_description_becomes_an_unnamed_entity_of_the_cast(nlp):
    doc = nlp("A fisherman said the port was empty.")
    cast = Cast(doc)
    cast.add_people(undescribed)
    entity = MentionResolver(cast).resolve(Mention(0, 2, 1))
    assert entity is not None and not entity.named and entity.canonical == "fisherman"
    assert entity in cast.entities


# -- acronyms ------------------------------------------------------------------------------------

def test_a_body_and_its_acronym_are_one_entity_named_in_full(nlp):
    doc = nlp("The Ruritanian Geological Survey (RGS) measured the tremor. Anna Kowal of RGS said it was small.")
    cast = Cast(doc)
    assert cast.acronyms() == {"RGS": "Ruritanian Geological Survey"}
    body = cast.organization("the Ruritanian Geological Survey (RGS)", 0)
    assert cast.organization("RGS", 60) is body
    assert body.canonical == "Ruritanian Geological Survey" and "RGS" in body.names


def test_initials_tell_an_acronym_without_parentheses():
    from quotes.entities.cast import initials

    assert initials("United States Geological Survey") == "USGS"
    assert initials("the Committee to Protect Journalists") == "CPJ"
    assert initials("Reuters") == ""


def test_a_person_of_an_acronym_gets_the_body_in_full(run):
    ex = run("The Ruritanian Geological Survey (RGS) measured the tremor. “It was small,” Anna Kowal of RGS said.")
    assert ex.speakers["Anna Kowal"].organization == "Ruritanian Geological Survey"


def test_the_setting_is_where_things_happen_not_who_acts(nlp):
    # the United States acts in the story (its embassy, its White House), the story happens in Norway
    cast = Cast(nlp("A crash in Oslo killed a cyclist. The United States said its diplomat had left. "
                    "The White House said it would not waive immunity. Police in Oslo said the United States "
                    "had been told. They wrote to the United States embassy."))
    assert cast.country_ranking == ["US", "NO"]  # named more often
    assert cast.article_country == "NO"  # but the scene
