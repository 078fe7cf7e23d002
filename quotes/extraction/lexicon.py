"""The extractor's word lists (cue verbs, noun cues, titles), read from ``data/lexicon.txt``."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _sections() -> dict[str, list[str]]:
    text = resources.files("quotes.data").joinpath("lexicon.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.extend(line.split())
    return sections


def words(section: str) -> frozenset[str]:
    """Return the words of one lexicon section."""
    return frozenset(_sections()[section])


def phrases(section: str) -> frozenset[str]:
    """Return the entries of one lexicon section, words joined by "_" read as phrases ("prime_minister")."""
    return frozenset(w.replace("_", " ") for w in _sections()[section])


def pairs(section: str) -> dict[str, str]:
    """Return a section of ``key=value`` entries as a dict."""
    return dict(item.split("=", 1) for item in _sections()[section])


_VOWELS = set("aeiou")


def inflections(lemma: str) -> set[str]:
    """The regular inflected forms of an English verb (-s, -ed, -ing), with and without a doubled consonant."""
    forms = {lemma}
    last = lemma[-1]
    before = lemma[-2] if len(lemma) > 1 else ""
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif last == "y" and before not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if last == "e":
        forms.add(lemma + "d")
        forms.add((lemma[:-2] + "ying") if lemma.endswith("ie") else
                  (lemma + "ing") if before in "eoy" else (lemma[:-1] + "ing"))
    elif last == "y" and before not in _VOWELS:
        forms.update({lemma[:-1] + "ied", lemma + "ing"})
    else:
        forms.update({lemma + "ed", lemma + "ing"})
        if last not in _VOWELS and last not in "wxy" and before in _VOWELS and lemma[-3:-2] not in _VOWELS:
            forms.update({lemma + last + "ed", lemma + last + "ing"})
    return forms


def verb_forms(lemmas: frozenset[str]) -> dict[str, str]:
    """Map every inflected form of ``lemmas`` (regular and irregular) to its lemma."""
    table = {form: lemma for lemma in lemmas for form in inflections(lemma)}
    for form, lemma in pairs("irregular_forms").items():
        if lemma in lemmas:
            table[form] = lemma
    return table


SPEECH_VERBS = words("speech_verbs")
CLAUSE_VERBS = words("clause_verbs")
WEAK_VERBS = words("weak_verbs")
OBJECT_VERBS = words("object_verbs")
EVIDENCE_VERBS = words("evidence_verbs")
EVIDENCE_NOUNS = words("evidence_nouns")
POLL_NOUNS = words("poll_nouns")
ACTION_VERBS = words("action_verbs")
REFUSAL_VERBS = words("refusal_verbs")
PASSIVE_REPORT_VERBS = words("passive_report_verbs")
COGNITION_VERBS = words("cognition_verbs")
NOT_REPORTING = words("not_reporting")
NOUN_CUES = words("noun_cues")
CONTENT_NOUNS = words("content_nouns")
WORK_NOUNS = words("work_nouns")
REPORT_NOUNS = words("report_nouns")
HOLDER_VERBS = words("holder_verbs")
PERSON_PRONOUNS = words("pronouns_person")
THING_PRONOUNS = words("pronouns_thing")
ANONYMOUS_HEADS = words("anonymous")
ORGANIZATION_HEADS = words("organization_heads")
PERSON_TITLES = words("person_titles")
# Common nouns for people: titles and the heads of anonymous sources ("the senator", "officials").
PERSON_NOUNS = PERSON_TITLES | ANONYMOUS_HEADS
TITLE_ABBREVIATIONS = pairs("title_abbreviations")
#: Inflected form -> lemma for every speech verb, so the pipeline's lemmatizer can stay disabled.
VERB_LEMMAS = verb_forms(SPEECH_VERBS | CLAUSE_VERBS | OBJECT_VERBS | EVIDENCE_VERBS | REFUSAL_VERBS)


def speech_verb_form(word: str) -> str | None:
    """The lemma of a speech verb's inflected form ("added": "add"); None for a base form or another word."""
    form = word.lower()
    lemma = VERB_LEMMAS.get(form)
    return lemma if lemma is not None and lemma in SPEECH_VERBS and lemma != form else None
