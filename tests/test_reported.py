"""Reported speech layouts: demands, descriptions, topics, polls framing a clause, headline labels."""
from __future__ import annotations

import pytest

from quotes.extract import extract
from quotes.records import Article


@pytest.fixture
def run(nlp):
    def go(text):
        return extract(Article(text, "t.txt"), nlp)
    return go


def indirect(ex):
    return [(q.text, q.speaker_mention) for q in ex.quotes if q.kind == "indirect"]


REPORTED = [
    # a demand's `for … to` clause, which the parser hangs as adverbial
    ("Maria Lopez called for the city to reopen the northern bridge.", "the city to reopen the northern bridge",
     "Maria Lopez"),
    # what someone describes or cites `as` something
    ("Maria Lopez described the new budget as a betrayal of the town.", "the new budget as a betrayal of the town",
     "Maria Lopez"),
    ("Ivan Petrov cited the bank as the most likely buyer of the mill.",
     "the bank as the most likely buyer of the mill", "Ivan Petrov"),
    # what someone noted or recalled
    ("Ivan Petrov noted the steady decline of the fishing fleet.", "the steady decline of the fishing fleet",
     "Ivan Petrov"),
    # the topic someone talked about
    ("Maria Lopez talked about the need for a second bridge.", "the need for a second bridge", "Maria Lopez"),
    # statistics speak like a survey
    ("Police statistics show that burglaries fell by a third last year.", "burglaries fell by a third last year",
     "Police statistics"),
    # a poll that opens the sentence frames the clause after its comma
    ("In a survey released on Monday, Maria Lopez led her rival by ten points.",
     "Maria Lopez led her rival by ten points", "a survey"),
]


@pytest.mark.parametrize("text,clause,speaker", REPORTED)
def test_reported_layout(run, text, clause, speaker):
    assert indirect(run(text)) == [(clause, speaker)]


def test_whom_a_passive_describes_is_not_the_speaker(run):
    assert indirect(run("Maria Lopez was mentioned by the newspaper as a likely candidate for governor.")) == []


def test_a_poll_placing_someone_does_not_frame_the_clause(run):
    assert indirect(run("Maria Lopez has been trailing her rival in the polls since the spring.")) == []


def test_whom_someone_talked_to_is_not_what_they_said(run):
    assert indirect(run("Maria Lopez spoke to reporters outside the town hall on Friday.")) == []


def test_headline_label_named_in_the_article(run):
    ex = run("Lopez: Bridge will reopen before the winter\n\n"
             "Maria Lopez told the council on Friday that work was ahead of schedule.")
    assert ("Bridge will reopen before the winter", "Lopez") in indirect(ex)


def test_headline_label_of_a_poll(run):
    ex = run("Poll: Lopez leads the race for mayor by ten points\n\nThe race has tightened since May.")
    assert indirect(ex) == [("Lopez leads the race for mayor by ten points", "Poll")]
