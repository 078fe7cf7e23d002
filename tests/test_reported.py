"""Reported speech layouts: demands, descriptions, topics, polls framing a clause, headline labels."""
from __future__ import annotations

import pytest


def indirect(ex):
    return [(q.text, q.speaker_mention) for q in ex.quotes if q.kind == "indirect"]


REPORTED = [
    # a court or a fact-checker rules that …
    ("The appeals court ruled that the new district map was unlawful.", "the new district map was unlawful",
     "The appeals court"),
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


def test_what_a_passive_says_of_its_subject_is_not_the_subjects_statement(run):
    assert indirect(run("Jan Kowal later was reported to have fled the country.")) == []


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


@pytest.mark.parametrize("text", [
    "The vote was close; Maria Lopez knew it would be.",
    "The old mill is gone - Ivan Petrov learned the town had sold it.",
])
def test_a_clause_before_a_colon_or_dash_is_not_reported(run, text):
    assert all(not clause.startswith("The ") for clause, _ in indirect(run(text)))


def test_a_closing_contrast_clause_is_not_what_was_said(run):
    ex = run("Maria Lopez said the plan would cut costs, while her rival called it a gamble.")
    # the rival's words are the rival's own ("it a gamble"), never part of Lopez's clause
    assert [q for q in indirect(ex) if q[1] == "Maria Lopez"] == [("the plan would cut costs", "Maria Lopez")]


def test_a_closing_participle_clause_is_the_writers_comment(run):
    ex = run("Ivan Petrov said the mill would close in June, ending a century of paper making in the town.")
    assert indirect(ex) == [("the mill would close in June", "Ivan Petrov")]


def test_who_is_led_to_declare_speaks(run):
    ex = run("The strong result led Maria Lopez to declare that the race was over.")
    assert indirect(ex) == [("the race was over", "Maria Lopez")]


@pytest.mark.parametrize("text", [
    "Ivan Petrov helped the farmers sell their grain at a fair price.",
    "Maria Lopez won at least twelve seats and Ivan Petrov won at least nine.",
    "Maria Lopez is doing what she can to keep the mill open.",
])
def test_verbs_of_doing_report_nothing(run, text):
    assert indirect(run(text)) == []


def _reported_in(nlp, words, heads, deps, tags, pos, spaces):
    """Reported clauses and their cues in a hand-built parse (the misparses these rules repair)."""
    from spacy.tokens import Doc

    from quotes.extraction.cues import DocIndex
    from quotes.extraction.reported import reported_speech

    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, spaces=spaces)
    return [(doc.text[a.start:a.end], doc[a.cue].text) for a in reported_speech(doc, [], DocIndex(doc, []))]


def test_a_cue_parsed_under_its_own_clause_reports_what_follows_it(nlp):
    # "said" hung under "reported", with its clause misread as an object: what follows the cue, up to ";"
    found = _reported_in(
        nlp, ["Jan", "Nowak", "said", "Kowal", "needed", "rest", ";", "the", "radio", "reported", "he", "slept", "."],
        [1, 2, 9, 5, 5, 2, 9, 8, 9, 9, 11, 9, 9],
        ["compound", "nsubj", "ccomp", "nmod", "amod", "dobj", "punct", "det", "nsubj", "ROOT", "nsubj", "ccomp",
         "punct"],
        ["NNP", "NNP", "VBD", "NNP", "VBN", "NN", ":", "DT", "NN", "VBD", "PRP", "VBD", "."],
        ["PROPN", "PROPN", "VERB", "PROPN", "VERB", "NOUN", "PUNCT", "DET", "NOUN", "VERB", "PRON", "VERB", "PUNCT"],
        [True] * 5 + [False] + [True] * 5 + [False, False])
    assert ("Kowal needed rest", "said") in found and all(not text.startswith("Jan") for text, _ in found)


def test_a_cue_that_ends_its_clause_does_not_report_the_clause_above_it(nlp):
    # "complained" under "claimed" with no clause of its own: it does not report the guards' claim
    found = _reported_in(
        nlp, ["The", "guards", "claimed", "Ortiz", "complained", "of", "hunger", "."],
        [1, 2, 2, 4, 2, 4, 5, 2],
        ["det", "nsubj", "ROOT", "nsubj", "ccomp", "prep", "pobj", "punct"],
        ["DT", "NNS", "VBD", "NNP", "VBD", "IN", "NN", "."],
        ["DET", "NOUN", "VERB", "PROPN", "VERB", "ADP", "NOUN", "PUNCT"],
        [True] * 6 + [False, False])
    assert found == [("Ortiz complained of hunger", "claimed")]


def test_reported_text_after_an_interrupting_cue_starts_with_a_word(run):
    ex = run("Later, he testified, he was beaten by two guards.")
    (q,) = [q for q in ex.quotes if q.cue == "testified"]
    assert q.text[0].isalnum() and q.text.endswith("beaten by two guards")


@pytest.mark.parametrize("text,end,span", [
    ("a deal is near.\n\nNext", 17, "a deal is near."),  # a clause whose last token is the paragraph break
    (", he was beaten", 15, "he was beaten"),  # the comma after an interrupting cue
    ("  \u00a0", 3, ""),
])
def test_quote_spans_drop_the_whitespace_and_separators_their_edge_tokens_carry(text, end, span):
    from quotes.pipeline.extract import _trimmed
    lo, hi = _trimmed(text, 0, end)
    assert text[lo:hi] == span


@pytest.mark.parametrize("text, clause, speaker", [
    # a refusal to speak is reported without the writer's "for this story"
    ("Maria Lopez declined to comment for this story.", "to comment", "Maria Lopez"),
    ("Ivan Petrov refused to answer questions about the bridge.", "to answer questions about the bridge",
     "Ivan Petrov"),
    # an evidence verb with a `that` clause reports a finding, whoever found it
    ("The two engineers found that the northern bridge was sinking by a centimetre a year.",
     "the northern bridge was sinking by a centimetre a year", "The two engineers"),
    # an `as` aside whose comma the parser hung on the aside itself
    ("As the Gazette reported, even if the mayor wins the vote, the council would still need two more seats.",
     "even if the mayor wins the vote, the council would still need two more seats", "the Gazette"),
    # the agent of a passive verb of reporting speaks for its subject
    ("The merger was first reported by the Gazette.", "The merger", "the Gazette"),
    # a named body speaks through a verb of saying with an object
    ("The Lopez campaign accused the mayor of hiding the audit.", "the mayor of hiding the audit",
     "The Lopez campaign"),
    # what `say` takes as its object: a noun phrase said, or a clause misread as one
    ("Ivan Petrov said the same thing.", "the same thing", "Ivan Petrov"),
    ("The mayor said families of flood victims file lawsuits.", "families of flood victims file lawsuits",
     "The mayor"),
])
def test_more_reported_layouts(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


@pytest.mark.parametrize("text", [
    "Ivan Petrov refused to pay the fine.",  # refusing to act is not a statement
    "The Lopez campaign raised more than $4 million.",  # a body speaks only through a verb of saying
    "The Harbor Bank raised interest rates on Tuesday.",  # rates raised, not a concern
    "Ivan Petrov raised the risk of a strike by cutting wages.",
    "The prime minister may call an early election next year.",  # summoned, not said
    "The neighbours called the police after the fight.",
])
def test_refusals_and_bodies_that_report_nothing(run, text):
    assert indirect(run(text)) == []


def test_what_a_call_names_or_asks_for_is_still_reported(run):
    assert indirect(run("Ivan Petrov called the vote a sham.")) == [("the vote a sham", "Ivan Petrov")]
    assert indirect(run("Ivan Petrov called for a new vote.")) == [("for a new vote", "Ivan Petrov")]


@pytest.mark.parametrize("text", [
    "The mill will close in May, Ivan Petrov said, as workers gathered outside the gates.",
    "The mill will close in May, Ivan Petrov said, while workers gathered outside the gates.",
])
def test_a_clause_setting_the_scene_after_an_interrupting_cue_is_the_writers(run, text):
    assert indirect(run(text)) == [("The mill will close in May", "Ivan Petrov")]


def test_a_scene_after_a_cue_that_interrupts_its_clause_is_not_reported(run):
    ex = run("Turkey and Greece agreed on Monday to extend their truce, Qatar's foreign ministry said, as more "
             "prisoners were freed.")
    said = [q.text for q in ex.quotes if q.speaker_mention == "Qatar's foreign ministry"]
    assert said == ["Turkey and Greece agreed on Monday to extend their truce"]


def test_a_sources_request_for_anonymity_is_not_what_it_said(run):
    ex = run("The company has told suppliers to reduce orders for the coming quarter, two of the people said, asking "
             "not to be identified because the discussions are private.")
    assert not any("identified" in clause for clause, _ in indirect(ex))
    assert "The company has told suppliers to reduce orders for the coming quarter" in [c for c, _ in indirect(ex)]


@pytest.mark.parametrize("text,unsaid", [
    ("Ivan Petrov did not say whether the mill would close.", "the mill would close"),
    ("Ivan Petrov would not say that the mill would close.", "the mill would close"),
    ("Ivan Petrov declined to say when the mill would close.", "when the mill would close"),
    ("Ivan Petrov refused to say whether the mill would close.", "the mill would close"),
])
def test_what_someone_did_not_or_would_not_say_is_not_reported_as_said(run, text, unsaid):
    assert all(not clause.startswith(unsaid) for clause, _ in indirect(run(text)))


@pytest.mark.parametrize("text,clause,speaker", [
    # a closing cue the parser hung under the clause it closes, with a phrase of its own after it
    ("He could not find a single buyer, he said, on condition of anonymity.", "He could not find a single buyer",
     "he"),
    # ... or with a clause of its own run into it
    ("Already-booked orders will keep the yard busy for years, Petrov said, and repaying the loan looks realistic.",
     "Already-booked orders will keep the yard busy for years", "Petrov"),
])
def test_a_closing_cue_reports_the_clause_before_its_comma(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


def test_a_closing_source_reports_only_what_follows_a_colon(run):
    ex = run("The new tax did not drive the banks away: the city was the largest market in the region last year, "
             "according to one trade index.")
    assert indirect(ex) == [("the city was the largest market in the region last year", "one trade index")]


@pytest.mark.parametrize("text,clause,speaker", [
    # a participle right after its verb's object, or the object of `with`, with no comma: that noun's act
    ("The long delays have left many voters saying the system is broken.", "the system is broken", "many voters"),
    ("The interview ended with Lopez asking whether the agency had kept any records.",
     "the agency had kept any records", "Lopez"),
    # an infinitive after a causative's object: a plural noun or a quantifier is people enough to speak
    ("The defeat has led some allies to wonder whether the plan can survive.", "the plan can survive",
     "some allies"),
])
def test_the_object_before_a_participle_or_infinitive_speaks(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


def test_a_report_or_a_name_that_a_relative_clause_makes_speak_keeps_the_relative_pronoun(run):
    # "which" stands for the report itself (not whoever released it) and for the paper, not for a noun of saying
    ex = run("The inspectors released a report, which concluded that the fire was started deliberately.")
    found = [(q.text, q.speaker_mention, q.speaker) for q in ex.quotes if q.kind == "indirect"]
    assert ("the fire was started deliberately", "which", "report") in found
    ex = run("The ruling came after a request by the Evening Post, which argued that the files were public.")
    found = [(q.text, q.speaker_mention, q.speaker) for q in ex.quotes if q.kind == "indirect"]
    assert ("the files were public", "which", "Evening Post") in found


def test_a_survey_opening_the_sentence_speaks_for_its_share_of_respondents(run):
    ex = run("The poll has bad news for the mayor, and 40 percent of residents say the roads have become worse.")
    assert ("the roads have become worse", "The poll") in indirect(ex)
    # a survey in the sentence before only sets the scene
    ex = run("The survey was released on Monday. 40 percent of residents said the roads had become worse.")
    assert ("the roads had become worse", "40 percent of residents") in indirect(ex)


@pytest.mark.parametrize("text,answer,speaker", [
    ("Asked whether the mill should reopen, most of the farmers said yes.", "yes", "most of the farmers"),
    ("The council wanted a new harbor wall, but Maria Lopez said no to the plan.", "no to the plan", "Maria Lopez"),
])
def test_one_word_answer_is_reported(run, text, answer, speaker):
    assert (answer, speaker) in indirect(run(text))


def test_a_question_put_by_a_named_asker_is_the_askers(run):
    found = indirect(run("When asked by a reporter whether the plan would pass, Maria Lopez said no."))
    assert ("the plan would pass", "a reporter") in found
    assert ("no", "Maria Lopez") in found


def test_a_request_put_by_a_named_asker_is_the_askers(run):
    found = indirect(run("Asked by the host to respond to the attack, Ivan Petrov said nothing."))
    assert ("to respond to the attack", "the host") in found


@pytest.mark.parametrize("text,topic,speaker", [
    ("Ivan Petrov spoke of the long winters of his childhood.", "the long winters of his childhood", "Ivan Petrov"),
    ("Maria Lopez spoke out against the new parking fees.", "the new parking fees", "Maria Lopez"),
    ("Maria Lopez talks about immigration at every rally.", "immigration", "Maria Lopez"),
])
def test_what_someone_spoke_of_or_out_against_is_reported(run, text, topic, speaker):
    assert indirect(run(text)) == [(topic, speaker)]


def test_a_topic_that_points_back_to_the_story_is_not_reported(run):
    assert indirect(run("Ivan Petrov spoke with the mayor about the case.")) == []


@pytest.mark.parametrize("text,content,speaker", [
    # a plural of people or a quantifier speaks without a name
    ("Several senators urged the governor to veto the new fishing quota.",
     "the governor to veto the new fishing quota", "Several senators"),
    ("Rival candidates criticized the mayor for closing the northern bridge.",
     "the mayor for closing the northern bridge", "Rival candidates"),
    # a document speaks for its authors
    ("The report cited the old dam as the main cause of the flooding.",
     "the old dam as the main cause of the flooding", "The report"),
    ("The lawsuit accuses the company of dumping waste into the river.",
     "the company of dumping waste into the river", "The lawsuit"),
    # speech acts whose object is what was said
    ("Maria Lopez blasted the council for delaying the bridge repairs.",
     "the council for delaying the bridge repairs", "Maria Lopez"),
    ("Some residents thanked the firefighters for saving the old mill.",
     "the firefighters for saving the old mill", "Some residents"),
    ("Ivan Petrov echoed the warning of the fishing union.", "the warning of the fishing union", "Ivan Petrov"),
    ("Maria Lopez reminded the council of its promise to rebuild the pier.",
     "the council of its promise to rebuild the pier", "Maria Lopez"),
    ("Ivan Petrov pointed to the steady decline of the fishing fleet.",
     "to the steady decline of the fishing fleet", "Ivan Petrov"),
])
def test_speech_act_object_content(run, text, content, speaker):
    assert indirect(run(text)) == [(content, speaker)]


def test_pointing_without_a_subject_of_its_own_reports_nothing(run):
    ex = run("Maria Lopez said the bridge was unsafe, pointing to the cracks in the eastern pillar.")
    assert indirect(ex) == [("the bridge was unsafe", "Maria Lopez")]


@pytest.mark.parametrize("text,clause,speaker", [
    # a `that` the parser took for a preposition
    ("The mayor spoke on Monday, noting that at one point earlier in the race she had trailed by 40 points.",
     "at one point earlier in the race she had trailed by 40 points", "The mayor"),
    # a closing cue the parser coordinated with its clause (a comma splice), with whom it was told to
    ("The senator remains committed to the race, his aide, John Smith, told the Gazette.",
     "The senator remains committed to the race", "John Smith"),
    # a list the parser took for an apposition
    ("Jane Roe said he and the council disagree on Ireland, the trade deal and the possibility of compromising "
     "over the budget.", "he and the council disagree on Ireland, the trade deal and the possibility of "
     "compromising over the budget", "Jane Roe"),
    # a phrase set off between the verb and a clause without `that` opens what was said
    ("Mayor Jane Roe says, win or lose in the vote, she is staying in the race.",
     "win or lose in the vote, she is staying in the race", "Mayor Jane Roe"),
    # a clause opening with a gerund subject
    ("Economists argue taxing fuel encourages savings and growth.", "taxing fuel encourages savings and growth",
     "Economists"),
])
def test_reported_clause_in_a_misread_parse(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


@pytest.mark.parametrize("text,content,speaker", [
    # the holder of a statement noun: a possessive, `from X`, or the subject of `made the claim`
    ("Farmers mocked Ivan Petrov's claim that the river had never flooded.", "the river had never flooded",
     "Ivan Petrov"),
    ("The debate turned on an admission from Maria Lopez that the dam had been neglected.",
     "the dam had been neglected", "Maria Lopez"),
    ("Maria Lopez made the claim that the harbour was losing money.", "the harbour was losing money",
     "Maria Lopez"),
    # a to-infinitive, a call's `for` phrase, a copula's clause
    ("Voters cheered Ivan Petrov's promise to rebuild the old pier.", "to rebuild the old pier", "Ivan Petrov"),
    ("Maria Lopez's call for a ban on night fishing divided the town.", "a ban on night fishing", "Maria Lopez"),
    ("Ivan Petrov's argument was that the mill should stay open.", "the mill should stay open", "Ivan Petrov"),
    # a view that frames its clause
    ("In Maria Lopez's view, the new bridge would ruin the harbour.", "the new bridge would ruin the harbour",
     "Maria Lopez"),
    # carried by the subject of the verb the noun hangs on
    ("Ivan Petrov won the race with a pledge to cut the ferry fares.", "to cut the ferry fares", "Ivan Petrov"),
])
def test_statement_noun_content_is_its_holders(run, text, content, speaker):
    assert (content, speaker) in indirect(run(text))


def test_statement_noun_judged_by_a_speaker_is_not_its_holders(run):
    found = indirect(run("Maria Lopez dismissed Ivan Petrov's claim that the river had never flooded."))
    assert not any(speaker == "Ivan Petrov" for _, speaker in found)


def test_statement_noun_without_holder_reports_nothing(run):
    assert indirect(run("The claim that the river had never flooded spread quickly.")) == []


def _speaker_of(nlp, text, cue):
    """The speaker cue_and_speaker finds for the word ``cue`` of ``text``."""
    from quotes.extraction.cues import DocIndex, cue_and_speaker

    doc = nlp(text)
    found = cue_and_speaker(next(t for t in doc if t.text == cue), DocIndex(doc, []))
    return found[1].text if found else None


def test_plural_nouns_are_singularised_for_the_lexicon(nlp):
    from quotes.extraction.cues import noun_lemma

    doc = nlp("The statements, replies and speeches of the press")
    assert [noun_lemma(doc[i]) for i in (1, 3, 5, 8)] == ["statement", "reply", "speech", "press"]


@pytest.mark.parametrize("text,speaker", [
    # a thing sent or issued "saying …" is its sender's
    ("The mayor fired back a reply saying the audit was wrong.", "mayor"),
    # whom a message was sent to did not write it
    ("The senator emailed supporters saying the race was close.", "senator"),
])
def test_a_participle_on_an_object_is_the_senders(nlp, text, speaker):
    assert _speaker_of(nlp, text, "saying") == speaker


def test_people_a_participle_describes_say_it(nlp):
    # "parents saying …" is "parents who say …"
    assert _speaker_of(nlp, "There were many parents saying the school was unsafe.", "saying") == "parents"


def test_a_relative_pronoun_speaks_for_a_verb_coordinated_with_its_clause(nlp):
    text = "Jan Nowak, who endorsed the mayor and said he would campaign with her, stayed home."
    assert _speaker_of(nlp, text, "said") == "who"


def test_a_name_hung_on_an_opening_phrase_is_the_speaker(nlp):
    # "Alarmed by the flood, Senator Nowak, the chair, said …" with the name parsed as a conjunct of "flood"
    from spacy.tokens import Doc

    from quotes.extraction.cues import DocIndex, cue_and_speaker

    words = ["Alarmed", "by", "the", "flood", ",", "Senator", "Nowak", ",", "the", "chair", ",", "said", "he",
             "left", "."]
    heads = [11, 0, 3, 1, 3, 6, 3, 6, 9, 6, 11, 11, 13, 11, 11]
    deps = ["advcl", "prep", "det", "pobj", "punct", "compound", "conj", "punct", "det", "appos", "punct", "ROOT",
            "nsubj", "ccomp", "punct"]
    tags = ["VBN", "IN", "DT", "NN", ",", "NNP", "NNP", ",", "DT", "NN", ",", "VBD", "PRP", "VBD", "."]
    pos = ["VERB", "ADP", "DET", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB", "PRON",
           "VERB", "PUNCT"]
    spaces = [True, True, True, False, True, True, False, True, True, False, True, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, spaces=spaces)
    found = cue_and_speaker(doc[11], DocIndex(doc, []))
    assert found is not None and found[1].text == "Nowak"


@pytest.mark.parametrize("text", [
    "Maria Lopez is making the old harbour office available to the fishing cooperative.",
])
def test_causative_small_clause_reports_nothing(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,expected", [
    # where, when and to whom something was written is not what was written
    ("Maria Lopez wrote on Twitter on Monday.", []),
    ("Maria Lopez wrote to the mayor about the broken bridge.", [("about the broken bridge", "Maria Lopez")]),
    ("Ivan Petrov has written extensively on the history of the harbour.",
     [("on the history of the harbour", "Ivan Petrov")]),
])
def test_publishing_verb_reports_its_topic_not_its_medium(run, text, expected):
    assert indirect(run(text)) == expected


SAID_THINGS = [
    # a verb of saying whose object is what was said or made known
    ("Maria Lopez explained her reasons for closing the northern bridge.",
     "her reasons for closing the northern bridge", "Maria Lopez"),
    ("Ivan Petrov revealed a plan to sell the old mill.", "a plan to sell the old mill", "Ivan Petrov"),
    # a verb of saying with the preposition that gives what was said
    ("Maria Lopez hinted at a run for governor next year.", "a run for governor next year", "Maria Lopez"),
    ("Ivan Petrov cautioned against raising taxes before the election.", "raising taxes before the election",
     "Ivan Petrov"),
]


@pytest.mark.parametrize("text,clause,speaker", SAID_THINGS)
def test_what_a_saying_verb_takes_as_object_or_topic(run, text, clause, speaker):
    assert indirect(run(text)) == [(clause, speaker)]


def test_whom_someone_answered_to_is_not_what_they_said(run):
    # `respond to` names what was answered, not what was said
    assert indirect(run("Maria Lopez did not respond to a request for comment on the bridge.")) == []


def test_people_in_the_plural_report_a_clause_through_any_verb_of_saying(run):
    # like `several senators urged …`: a plural of people speaks for the clause a verb of saying takes
    assert indirect(run("Some economists reaffirmed that the tax had raised prices.")) == [
        ("the tax had raised prices", "Some economists")]


def test_a_title_reports_a_clause_through_a_verb_of_saying(run):
    assert indirect(run("The governor pointed out that the bridge had been closed for years.")) == [
        ("the bridge had been closed for years", "The governor")]


@pytest.mark.parametrize("text,content", [
    ("The governor urged lawmakers to cut the fuel tax.", "lawmakers to cut the fuel tax"),
    ("The princess announced her candidacy for the presidency.", "her candidacy for the presidency"),
])
def test_a_title_reports_what_a_verb_of_saying_takes_as_object(run, text, content):
    # a singular title speaks through an object as well as a clause (`the governor urged lawmakers to …`)
    found = indirect(run(text))
    assert len(found) == 1 and found[0][0].startswith(content) and found[0][1].lower().startswith("the ")


def test_a_topic_hung_on_whom_someone_talked_to_is_reported(run):
    found = indirect(run("Maria Lopez spoke to students about the history of the mill."))
    assert found == [("the history of the mill", "Maria Lopez")]


def test_what_someone_pointed_out_in_an_as_aside_is_reported(run):
    found = indirect(run("As Ivan Petrov pointed out, the northern bridge has been closed for a decade."))
    assert found == [("the northern bridge has been closed for a decade", "Ivan Petrov")]


@pytest.mark.parametrize("text,content,speaker", [
    ("Her rivals called for the mayor to resign over the bridge contract.",
     "the mayor to resign over the bridge contract", "Her rivals"),
    ("Opponents of the dam urged the council to hold a second vote.", "the council to hold a second vote",
     "Opponents of the dam"),
])
def test_rivals_and_opponents_speak_without_a_name(run, text, content, speaker):
    assert indirect(run(text)) == [(content, speaker)]


INTERRUPTED = [
    # the cue breaks into its clause: the subject before it and the rest after it, the cue in neither fragment
    ("The goal, the mayor said, is to reopen the northern bridge by May.",
     {"The goal", "is to reopen the northern bridge by May"}, "the mayor"),
    # a cue the parser hung as an adverbial of the clause it breaks into; the opening phrase may be the writer's
    ("And every Monday, from noon to six, the retired banker told a local paper, Maria Lopez would chair a "
     "long budget meeting.", {"Maria Lopez would chair a long budget meeting"}, "the retired banker"),
    # the agent of a passive clause, and a reason, after a closing cue
    ("The plan would be helped, Maria Lopez said, by the early spring thaw.",
     {"The plan would be helped", "by the early spring thaw"}, "Maria Lopez"),
    ("He is leaning toward the governor, Ivan Petrov said, because he values experience.",
     {"He is leaning toward the governor", "because he values experience"}, "Ivan Petrov"),
    # `according to X` between a subject and its verb
    ("One of the options they have weighed, according to a person close to the talks, is to sell the northern mill.",
     {"One of the options they have weighed", "is to sell the northern mill"}, "a person close to the talks"),
]


@pytest.mark.parametrize("text,fragments,speaker", INTERRUPTED)
def test_clause_interrupted_by_its_cue(run, text, fragments, speaker):
    found = indirect(run(text))
    assert {t for t, s in found if s == speaker} == fragments


def test_reason_after_cue_with_its_own_phrase_is_left_out(run):
    found = indirect(run("He is leaning toward the governor, Ivan Petrov said on Friday, because he values experience."))
    assert ("He is leaning toward the governor", "Ivan Petrov") in found
    assert not any(t.startswith("because") for t, _ in found)


def _speakers_in(nlp, words, heads, deps, tags, pos):
    """Reported clauses, cues and speaker mentions in a hand-built parse (one space between words)."""
    from spacy.tokens import Doc

    from quotes.extraction.cues import DocIndex
    from quotes.extraction.reported import reported_speech

    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos)
    return [(doc.text[a.start:a.end], doc[a.cue].text, doc[a.mention.start:a.mention.end].text)
            for a in reported_speech(doc, [], DocIndex(doc, []))]


@pytest.mark.parametrize("text,clause,speaker", [
    # a speech verb hung loosely on the participle that modifies its subject
    ("Farmers clamoring to block the new dam from the plan say they are suddenly in the midst of a fight.",
     "they are suddenly in the midst of a fight", "Farmers"),
    # a name set off by commas after an opening phrase, the verb in the perfect or the comma held by an age
    ("In addition to Mr. Lopez, two members of the council from Springfield, Ivan Petrov and Maria Ortiz, have "
     "said they will not back the plan.", "they will not back the plan", "two members of the council"),
    ("As a part of his plea, Ivan Petrov, 44, said that he stole from nearly 100 farmers.",
     "he stole from nearly 100 farmers", "Ivan Petrov, 44"),
    # a relative clause the cue interrupts, its verb taken for an open complement
    ("They blamed the closure of the mill, which they say left a vacuum for crime to grow.",
     "left a vacuum for crime to grow", "they"),
    # a gerund subject taken for the cue's complement, its verb hung apart
    ("He spoke to a farmer who said raising the dam was a mistake.", "raising the dam was a mistake", "who"),
])
def test_misparsed_subjects_and_relative_layouts_still_report(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


def test_a_name_and_its_aside_read_as_a_clause_speak_for_the_clause_after_the_verb(nlp):
    # "Ivan Petrov, a farmer helping the protest, said he was alarmed" with the name and aside read as a ccomp
    found = _speakers_in(
        nlp, ["Ivan", "Petrov", ",", "a", "farmer", "helping", "the", "protest", ",", "said", "he", "was", "alarmed",
              "."],
        [1, 4, 1, 4, 9, 4, 7, 5, 9, 9, 11, 9, 11, 9],
        ["compound", "nsubj", "punct", "det", "ccomp", "xcomp", "det", "dobj", "punct", "ROOT", "nsubj", "ccomp",
         "acomp", "punct"],
        ["NNP", "NNP", ",", "DT", "VBP", "VBG", "DT", "NN", ",", "VBD", "PRP", "VBD", "JJ", "."],
        ["PROPN", "PROPN", "PUNCT", "DET", "VERB", "VERB", "DET", "NOUN", "PUNCT", "VERB", "PRON", "AUX", "ADJ",
         "PUNCT"])
    assert found == [("he was alarmed", "said", "Ivan Petrov")]


def test_a_plural_noun_tagged_as_a_verb_is_the_subject_not_a_cue(nlp):
    # "Jan Lopez, the farm parents whose show created a stir, say they felt compelled", with "parents" tagged as a
    # verb holding the name as its subject and the relative clause as its complement
    found = _speakers_in(
        nlp, ["Jan", "Lopez", ",", "the", "farm", "parents", "whose", "show", "created", "a", "stir", ",", "say",
              "they", "felt", "compelled", "."],
        [1, 5, 1, 5, 5, 12, 7, 8, 5, 10, 8, 5, 12, 15, 15, 12, 12],
        ["compound", "nsubj", "punct", "det", "compound", "nsubj", "poss", "nsubj", "ccomp", "det", "dobj", "punct",
         "ROOT", "nsubj", "aux", "ccomp", "punct"],
        ["NNP", "NNP", ",", "DT", "NN", "VBZ", "WP$", "NN", "VBD", "DT", "NN", ",", "VBP", "PRP", "VBD", "VBN", "."],
        ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "VERB", "DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT", "VERB",
         "PRON", "AUX", "VERB", "PUNCT"])
    assert [(text, cue) for text, cue, _ in found] == [("they felt compelled", "say")]
    assert found[0][2].startswith("the farm parents")


@pytest.mark.parametrize("words,heads,deps,tags,pos,expected", [
    # a participle phrase on the subject read as a clausal subject: its noun speaks
    (["majorities", "of", "farmers", "going", "to", "the", "polls", "said", "they", "support", "it", "."],
     [3, 0, 1, 7, 3, 6, 4, 7, 9, 7, 9, 7],
     ["nsubj", "prep", "pobj", "csubj", "prep", "det", "pobj", "ROOT", "nsubj", "ccomp", "dobj", "punct"],
     ["NNS", "IN", "NNS", "VBG", "IN", "DT", "NNS", "VBD", "PRP", "VBP", "PRP", "."],
     ["NOUN", "ADP", "NOUN", "VERB", "ADP", "DET", "NOUN", "VERB", "PRON", "VERB", "PRON", "PUNCT"],
     ("they support it", "said", "majorities of farmers")),
    # an adjective read as the head of the nouns it is coordinated with
    (["Current", "and", "former", "workers", "said", "the", "mill", "closed", "."],
     [4, 0, 3, 0, 4, 6, 7, 4, 4],
     ["nsubj", "cc", "amod", "conj", "ROOT", "det", "nsubj", "ccomp", "punct"],
     ["JJ", "CC", "JJ", "NNS", "VBD", "DT", "NN", "VBD", "."],
     ["ADJ", "CCONJ", "ADJ", "NOUN", "VERB", "DET", "NOUN", "VERB", "PUNCT"],
     ("the mill closed", "said", "former workers")),
    # a relative clause the cue interrupts, opened by `that`: what follows the cue
    (["a", "charity", "that", "prosecutors", "said", "was", "suspected", "."],
     [1, 1, 6, 4, 1, 6, 4, 1],
     ["det", "ROOT", "nsubjpass", "nsubj", "relcl", "auxpass", "ccomp", "punct"],
     ["DT", "NN", "IN", "NNS", "VBD", "VBD", "VBN", "."],
     ["DET", "NOUN", "SCONJ", "NOUN", "VERB", "AUX", "VERB", "PUNCT"],
     ("was suspected", "said", "prosecutors")),
])
def test_misparsed_subjects_and_relatives_in_hand_built_parses(nlp, words, heads, deps, tags, pos, expected):
    assert expected in _speakers_in(nlp, words, heads, deps, tags, pos)


@pytest.mark.parametrize("text,content", [
    # a phrase the parser hung on the verb goes on with the object
    ("Maria Lopez recalled the kindness of her neighbours in support of the flooded villages.",
     "the kindness of her neighbours in support of the flooded villages"),
    ("The senators denounced the new tax through a series of letters to the governor.",
     "the new tax through a series of letters to the governor"),
    # so does an infinitive of purpose
    ("The mayor proposed $3 million in new funds to repair the northern bridge.",
     "$3 million in new funds to repair the northern bridge"),
    # so does the condition a demand is made on
    ("Maria Lopez demanded a second vote on the budget if the count is disputed.",
     "a second vote on the budget if the count is disputed"),
    # and bare infinitives the parser coordinated with the cue rather than with the object's infinitive
    ("The mayor praised her plans to fix the roads, hire more teachers and cut taxes.",
     "her plans to fix the roads, hire more teachers and cut taxes"),
    ("Maria Lopez urged the council to scrap its old rules, replace its leaders, and open its meetings to the public.",
     "the council to scrap its old rules, replace its leaders, and open its meetings to the public"),
    # but not where, when or despite what it was said
    ("Ivan Petrov questioned the cost of the bridge at a rally in the harbour.", "the cost of the bridge"),
    ("Maria Lopez praised the decision of the council after the vote on Tuesday.", "the decision of the council"),
])
def test_an_object_goes_on_with_the_phrases_hung_on_its_verb(run, text, content):
    assert [c for c, _ in indirect(run(text))] == [content]


def test_a_clause_keeps_the_question_word_a_crossing_parse_moves_out_of_place(run):
    # spaCy lists `what` (object of `like`) after `it was` in the clause's subtree: the span still starts with it
    assert indirect(run("Maria Lopez recalled what it was like to grow up near the harbour.")) == [
        ("what it was like to grow up near the harbour", "Maria Lopez")]


def test_an_adverbial_clause_hung_as_a_complement_is_not_what_was_said(nlp):
    # "as the crowd cheered" parsed as the complement of "said": it tells when, not what
    found = _reported_in(
        nlp, ["Jan", "said", "as", "the", "crowd", "cheered", "."],
        [1, 1, 5, 4, 5, 1, 1],
        ["nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "punct"],
        ["NNP", "VBD", "IN", "DT", "NN", "VBD", "."],
        ["PROPN", "VERB", "SCONJ", "DET", "NOUN", "VERB", "PUNCT"],
        [True] * 5 + [False, False])
    assert found == []


def test_a_cue_after_its_clauses_verb_without_commas_does_not_interrupt_it(nlp):
    # "feel" is the complement of "betting", not a cue set into the clause: it reports nothing of it
    found = _reported_in(
        nlp, ["Ortiz", "is", "betting", "voters", "feel", "tired", "now", "."],
        [2, 2, 2, 4, 2, 4, 2, 2],
        ["nsubj", "aux", "ROOT", "nsubj", "ccomp", "acomp", "advmod", "punct"],
        ["NNP", "VBZ", "VBG", "NNS", "VBP", "JJ", "RB", "."],
        ["PROPN", "AUX", "VERB", "NOUN", "VERB", "ADJ", "ADV", "PUNCT"],
        [True] * 6 + [False, False])
    assert [cue for _, cue in found if cue == "feel"] == []


@pytest.mark.parametrize("text,content", [
    ("Maria Lopez criticized the new parking rules on her radio show.", "the new parking rules"),
    ("Maria Lopez declined to back the harbour plan at a news conference.", "to back the harbour plan"),
])
def test_where_something_was_said_is_not_part_of_what_was_said(run, text, content):
    assert indirect(run(text)) == [(content, "Maria Lopez")]


@pytest.mark.parametrize("text,found", [
    ("Maria Lopez wrote a weekly column for the town paper.", []),
    ("Ivan Petrov wrote an essay on the decline of the fishing fleet.",
     [("the decline of the fishing fleet", "Ivan Petrov")]),
    ("Maria Lopez posted a long comment about the new toll on the bridge.",
     [("the new toll on the bridge", "Maria Lopez")]),
])
def test_a_piece_of_writing_reports_its_topic_not_its_name(run, text, found):
    assert indirect(run(text)) == found


def test_a_source_after_a_closing_with_phrase_gives_the_figure_not_the_writers_comment(run):
    ex = run("The town is one of the poorest in the region, with a median income under $20,000, according to "
             "census figures.")
    assert indirect(ex) == [("a median income under $20,000", "census figures")]
    # a clause with figures of its own is the source's too
    ex = run("Fares rose 5 percent last year, with most of the rise in the summer, according to the ferry company.")
    assert [t for t, _ in indirect(ex)] == ["Fares rose 5 percent last year, with most of the rise in the summer"]


@pytest.mark.parametrize("text,clause,speaker", [
    # `make (it) clear` reports its clause, with or without `that`
    ("Maria Lopez made it clear that she would not seek a third term.", "she would not seek a third term",
     "Maria Lopez"),
    ("Ivan Petrov has now made clear that the mill will stay open.", "the mill will stay open", "Ivan Petrov"),
    ("Maria Lopez made it clear she is leaving the council.", "she is leaving the council", "Maria Lopez"),
    # a stance voiced through a holder verb: its clause or the object of its preposition
    ("Ivan Petrov expressed concern that the new dam was flooding the valley.",
     "the new dam was flooding the valley", "Ivan Petrov"),
    ("Maria Lopez also voiced concerns about the rising cost of the new harbour.",
     "the rising cost of the new harbour", "Maria Lopez"),
    ("Ivan Petrov offered his condolences for the deadly attack on the embassy.", "the deadly attack on the embassy",
     "Ivan Petrov"),
    ("Maria Lopez made veiled references to her rival's attendance record.", "her rival's attendance record",
     "Maria Lopez"),
    ("Ivan Petrov made comments about the fishing quotas.", "the fishing quotas", "Ivan Petrov"),
    # the case made to someone, and the subject above an infinitive
    ("Maria Lopez hopes to make the case to farmers that the canal will pay for itself.",
     "the canal will pay for itself", "Maria Lopez"),
    ("We have made a commitment to publish every council contract.", "to publish every council contract", "We"),
])
def test_light_verb_speech_acts(run, text, clause, speaker):
    assert (clause, speaker) in indirect(run(text))


@pytest.mark.parametrize("text", [
    "Ivan Petrov made no mention of the closure of the northern mill.",  # a denied act is no statement
    "Maria Lopez did not make clear that she would run again.",
    "The regional court issued an opinion on the closure of the northern mill.",  # a ruling, not a view voiced
])
def test_denied_or_document_light_verbs_report_nothing(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,clause,speaker", [
    # a document or a count reports its finding through its object and what the parser hung after it
    ("Several surveys show the mayor within two points of her rival.", "the mayor within two points of her rival",
     "Several surveys"),
    ("The inquiry found no record of the payments.", "no record of the payments", "The inquiry"),
    # `puts X at <figure>`
    ("The latest poll puts the mayor's support at 40 percent.", "the mayor's support at 40 percent",
     "The latest poll"),
    # a collection speaks for the documents of its `of` phrase
    ("An average of recent polls shows the mayor leads by about six points.", "the mayor leads by about six points",
     "An average of recent polls"),
    # the document a participle describes
    ("Despite polls showing her well behind, the mayor stayed in the race.", "her well behind", "polls"),
    # a closing source, however the parser reads `records show`
    ("The agency spent more on travel last year, city records show.", "The agency spent more on travel last year",
     "city records"),
    ("Last year, city records show, the agency spent more on travel than on repairs.",
     "the agency spent more on travel than on repairs", "city records"),
])
def test_a_document_reports_its_finding(run, text, clause, speaker):
    ex = run(text)
    assert indirect(ex) == [(clause, speaker)]
    assert [q.method for q in ex.quotes] == ["reported_finding"]


@pytest.mark.parametrize("text", [
    "Aerial footage shows the bridge collapsing into the river.",  # a picture depicts, it does not claim
    "She found the town welcoming.",  # a person's finding something is no report
    "The storm put the residents at risk of flooding.",  # `put … at` a figure only
    "The volunteers demonstrated that the pump still worked.",  # `demonstrate` reports only for a document
    "Her wariness of polls shows the strain of the campaign.",  # a stance toward polls is not a collection of them
])
def test_what_is_not_a_documents_finding(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,content,speaker", [
    # a naming verb's object and the name it gives are a statement, however short
    ("Maria Lopez called them cowards.", "them cowards", "Maria Lopez"),
    ("Ivan Petrov dubbed his rival a coward.", "his rival a coward", "Ivan Petrov"),
    ("Maria Lopez branded the levy as theft.", "the levy as theft", "Maria Lopez"),
    # a relative `who` with a verb of naming or citing stands for the one who said it
    ("Ivan Petrov, who called himself independent, lost the race.", "himself independent", "who"),
    ("The mayor, who called the plan a waste of money, voted against it.", "the plan a waste of money", "who"),
    ("The mayor, who questioned the figures, voted no.", "the figures", "who"),
])
def test_naming_acts_report_the_object_and_its_name(run, text, content, speaker):
    assert indirect(run(text)) == [(content, speaker)]


@pytest.mark.parametrize("text", [
    "The shop sells branded goods.",  # a naming verb without a name given
    "The chairman called the vote.",
    "The agency labeled the militia a terrorist group.",  # an official designation, not a remark
])
def test_naming_verbs_without_a_name_given_report_nothing(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,content", [
    ("Maria Lopez cited the audit.", "the audit"),
    ("Maria Lopez mentioned the drought.", "the drought"),
    ("Maria Lopez echoed the complaint.", "the complaint"),
    ("Maria Lopez questioned the figures.", "the figures"),
    ("Maria Lopez discussed the budget.", "the budget"),
    # verbs that affirm or deny a claim: the object names the claim
    ("Maria Lopez denied the allegations.", "the allegations"),
    ("Maria Lopez confirmed the merger.", "the merger"),
    ("Maria Lopez conceded the point.", "the point"),
])
def test_citing_and_claim_verbs_report_a_short_object(run, text, content):
    assert indirect(run(text)) == [(content, "Maria Lopez")]


def test_other_speech_acts_still_need_a_longer_object(run):
    assert indirect(run("Ivan Petrov condemned the attacks.")) == []


@pytest.mark.parametrize("text,content", [
    # a directive: whom it addressed with what they were to do
    ("Maria Lopez encouraged residents to conserve water.", "residents to conserve water"),
    ("Maria Lopez ordered the contractor to repair the bridge.", "the contractor to repair the bridge"),
    ("Maria Lopez invited the reporters to visit the plant.", "the reporters to visit the plant"),
    ("Maria Lopez advised the mayor to drop the plan.", "the mayor to drop the plan"),
    # a commitment: what was offered or accepted
    ("Maria Lopez offered to resign from the board.", "to resign from the board"),
    ("Maria Lopez agreed to debate her rival twice.", "to debate her rival twice"),
    # an object held or presented as something, also when the parser reads `as` as a conjunction
    ("Maria Lopez sees the primary as a chance to reset the race.", "the primary as a chance to reset the race"),
    ("Maria Lopez views the merger as a mistake.", "the merger as a mistake"),
    ("Maria Lopez portrayed her rival as a puppet of the banks.", "her rival as a puppet of the banks"),
    ("Ivan Petrov sees Maria Lopez as captured by the banks.", "Maria Lopez as captured by the banks"),
])
def test_directives_commitments_and_viewpoints_report_their_complement(run, text, content):
    speaker = text.split(" ")[0] + " " + text.split(" ")[1]
    assert indirect(run(text)) == [(content, speaker)]


@pytest.mark.parametrize("text,content,speaker", [
    # a plural or singular common noun for people by trade, leaning or standing speaks without a name
    ("Several donors urged the senator to withdraw from the race.", "the senator to withdraw from the race",
     "Several donors"),
    ("Liberals called the plan a disaster.", "the plan a disaster", "Liberals"),
    ("A local tycoon called the tax a gift to the rich.", "the tax a gift to the rich", "A local tycoon"),
    # a share of people speaks for them
    ("Two-thirds of the delegates called the rules unfair.", "the rules unfair", "Two-thirds of the delegates"),
    ("One of his aides mentioned the budget deficit.", "the budget deficit", "One of his aides"),
])
def test_people_without_a_name_speak_through_verbs_of_naming_and_urging(run, text, content, speaker):
    assert indirect(run(text)) == [(content, speaker)]


@pytest.mark.parametrize("text", [
    "Maria Lopez invited twelve guests to the dinner.",  # no infinitive: only whom she invited
    "Maria Lopez offered a discount to students.",  # an object offered, not a commitment
    "Maria Lopez saw the film twice last week.",  # no `as`: seeing, not viewing as
    "Maria Lopez saw the harbour as she drove past the mill.",  # an `as` clause of time
    "The contractor was ordered to repair the bridge.",  # the passive's subject did not order it
])
def test_directive_and_viewing_verbs_report_nothing_in_other_layouts(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text", [
    "A local tycoon bought the newspaper last year.",  # not a verb of saying
    "One of the reports mentioned the budget deficit.",  # a share of things, not of people
    "Several donors raised four million dollars for the campaign.",  # a sum raised is money, not words
])
def test_people_words_and_shares_report_nothing_without_a_verb_of_saying(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,content", [
    # a participle joined to another, or governed through a preposition, speaks for the subject above them
    ("She offers patience instead of anger, urging voters to see the big picture and promising to manage the port "
     "upheaval.", "to manage the port upheaval"),
    ("She did not limit her attacks to the budget, also calling on voters to reject the toll after citing the new "
     "sales tax.", "the new sales tax"),
])
def test_a_verb_without_its_own_subject_speaks_for_the_verb_it_hangs_from(run, text, content):
    assert (content, "She") in indirect(run(text))


@pytest.mark.parametrize("text,content,speaker", [
    # a bare singular body after `the` speaks through verbs of saying, naming and directing
    ("The department asked the two former clerks to search their old files.",
     "the two former clerks to search their old files", "The department"),
    ("The group denounced the ruling as an attack on the harbour workers.",
     "the ruling as an attack on the harbour workers", "The group"),
    ("The agency ordered the contractor to repair the bridge.", "the contractor to repair the bridge", "The agency"),
])
def test_a_definite_bare_body_speaks_through_verbs_of_saying_and_directing(run, text, content, speaker):
    assert indirect(run(text)) == [(content, speaker)]


@pytest.mark.parametrize("text", [
    "A group asked the two former clerks to search their old files.",  # no `the`: no body the article named
    "The group raised four million dollars for the harbour.",  # money raised, not words
    "The agency invited guests to the gala.",  # a directive without its infinitive
])
def test_a_bare_body_reports_nothing_without_the_or_a_verb_of_saying(run, text):
    assert indirect(run(text)) == []


@pytest.mark.parametrize("text,content,speaker", [
    # through a chain of prepositions and their nouns or adverbs to the verb they modify
    ("In addition to praising the new harbour plan, Maria Lopez promised to cut the ferry fares.",
     "the new harbour plan", "Maria Lopez"),
    ("Maria Lopez has been the loudest of the councillors in denouncing the toll on the northern bridge.",
     "the toll on the northern bridge", "Maria Lopez"),
    ("Maria Lopez thanked the crew but stopped short of calling for the harbour master to resign.",
     "the harbour master to resign", "Maria Lopez"),
    # a participle coordinated with the finite clause another participle reports goes with that participle
    ("The governor emailed supporters saying: “The campaign continues” and vowing to compete in the final "
     "primary.", "to compete in the final primary", "The governor"),
    # the people a participle describes
    ("Residents complained about the councillors criticizing the new park.", "the new park", "the councillors"),
])
def test_a_reported_verb_without_a_subject_finds_the_speaker_its_parse_implies(run, text, content, speaker):
    assert (content, speaker) in indirect(run(text))


@pytest.mark.parametrize("text,content,speaker", [
    # people in the plural, or a relative `who`, hold a view of something as something
    ("Developers see golf courses as wasted space.", "golf courses as wasted space", "Developers"),
    ("Commuters view the new toll as a tax on the poor.", "the new toll as a tax on the poor", "Commuters"),
    ("The fishermen, who see the new harbour as a threat to their trade, marched on Friday.",
     "the new harbour as a threat to their trade", "who"),
])
def test_plural_people_and_relative_who_hold_viewpoints(run, text, content, speaker):
    assert (content, speaker) in indirect(run(text))


@pytest.mark.parametrize("text", [
    "The critics were angered by his refusal to condemn the attack on the mosque.",
    "They were spurred by the mayor's failure to denounce the vandals attacking the mosque.",
])
def test_what_someone_failed_or_refused_to_say_is_not_reported_as_said(run, text):
    assert indirect(run(text)) == []


def test_a_report_is_not_cut_inside_its_own_quote(run):
    # the conjunct inside the quotation marks is part of the quote, not a second, quoted report to cut away
    ex = run("Dr. Ann Voss said the vaccine was “promising but not yet proven”. She said more trials were planned.")
    assert not [q.text for q in ex.quotes if q.text.endswith("“promising")]
    assert [q.kind for q in ex.quotes if q.text.startswith("promising but not yet proven")] == ["partial"]


def test_a_report_that_ends_in_a_quote_keeps_its_closing_mark(run):
    # the parse hangs the closing mark on the verb, outside the object phrase
    text = 'The union chief Tom Hale called the bill\'s adoption "a very negative development".'
    q = next(q for q in run(text).quotes if q.kind == "indirect")
    assert q.text == 'the bill\'s adoption "a very negative development"' and text[q.start:q.end] == q.text
