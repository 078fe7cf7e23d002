"""Bodies a title makes its holder a member of, and where people's bodies and countries come from."""
from __future__ import annotations

import pytest

from quotes.entities.bodies import title_body, title_word


@pytest.mark.parametrize("title,word", [("Sen.", "senator"), ("Connecticut Governor", "governor"), ("", ""),
                                        ("topmost senior archbishop", "archbishop")])
def test_title_word(title, word):
    assert title_word(title) == word


def test_title_bodies_follow_their_conditions():
    catholic = {"catholic"}.__contains__
    assert title_body("Pope", mentions=catholic) == "Holy See"
    assert title_body("Senator", country="PH", mentions=catholic) == "Philippines Senate"
    assert title_body("Senator", mentions=catholic) is None  # whose senate is unknown
    assert title_body("Governor", place="Ruritania Province") == "Government of Ruritania Province"
    assert title_body("mayor", place="Port Elin") == "City of Port Elin"
    assert title_body("archbishop", mentions=catholic) == "Catholic Church"
    assert title_body("archbishop", mentions=set().__contains__) is None  # not every archbishop is Catholic
    assert title_body("Pope") is None  # without the article's words only place rules apply
    assert title_body("coach", country="AU", mentions=catholic) is None


@pytest.mark.parametrize("text,speaker,organization,country,source", [
    ("Connecticut Governor Ann Voss said the bridge would reopen.", "Ann Voss", "Government of Connecticut", "US",
     "place"),
    ("“We lost,” said the Toronto coach, Ann Voss.", "Ann Voss", "Toronto", "CA", "place"),  # the team
    ("The regulator found no breach. Tandor CEO Ann Voss said refunds were offered to the campaign.", "Ann Voss",
     "Tandor", None, None),  # a title tagged as a name
    ("Pope Anselm said the church would listen.", "Anselm", "Holy See", "VA", "organisation"),
    # the body the title implies places its holder, not the story's setting
    ("Pope Anselm arrived in Baghdad for a visit to Iraq. The pope said the church would listen to Iraq's "
     "Catholics.", "Anselm", "Holy See", "VA", "organisation"),
    ("Texas Attorney General Ann Voss said the state would appeal.", "Ann Voss", "Government of Texas", "US",
     "place"),  # a state's officer, not the nation's
    ("Ohio Secretary of State Ann Voss said the count was accurate.", "Ann Voss", "Government of Ohio", "US", "place"),
    ("A judge in Atlanta blocked the Georgia law. Georgia Attorney General Ann Voss said the state would appeal.",
     "Ann Voss", "Government of Georgia", "US", "place"),  # the US state, in an article about the US
    ("Ann Voss, a lawyer at the University of Essex, said the ruling was wrong.", "Ann Voss", "University of Essex",
     "GB", "place"),
])
def test_people_get_bodies_and_countries_from_their_descriptions(run, text, speaker, organization, country,
                                                                  source):
    ex = run(text)
    sp = ex.speakers[speaker]
    assert (sp.organization, sp.country, sp.country_source) == (organization, country, source)


def test_a_post_in_the_body_a_definite_possessive_points_to_is_in_the_body_the_article_named(run):
    ex = run("Drivers will strike next week, the Harbor Workers union said. The union's general secretary, Ann Voss, "
             "said the members were angry.")
    assert ex.speakers["Ann Voss"].organization == "Harbor Workers union"


def test_the_company_whose_post_a_possessive_names_is_the_body_named_just_before(run):
    ex = run("Kestrel Motors reported weak sales on Monday. Ann Voss, the company's president, said prices would fall.")
    assert ex.speakers["Ann Voss"].organization == "Kestrel Motors"


def test_a_spokesperson_with_no_body_of_their_own_speaks_for_the_body_just_named(run):
    ex = run("The U.S. State Department has called for an investigation. “We have been clear that there should be a "
             "full investigation,” spokesman Tom Hale said.")
    assert ex.speakers["Tom Hale"].organization == "U.S. State Department"
    ex = run("The U.S. State Department has called for an investigation. Ruth Cole spokeswoman Ann Voss said the "
             "candidate was ready.")
    assert ex.speakers["Ann Voss"].organization != "U.S. State Department"  # Cole's, whatever else


def test_a_club_name_tagged_as_an_adjective_before_a_title_is_the_holders_body(run):
    ex = run("“It was a complete performance,” Arsenal manager Mikel Arteta said.")
    assert ex.speakers["Mikel Arteta"].organization == "Arsenal"


def test_a_title_of_several_words_hung_on_the_name_after_a_place_is_whole(run):
    sp = run("Connecticut Attorney General Ann Voss said the state would appeal.").speakers["Ann Voss"]
    assert (sp.title, sp.organization) == ("Attorney General", "Government of Connecticut")


@pytest.mark.parametrize("text,organization", [
    ("UN Secretary-General Ann Voss said the talks must go on.", "United Nations"),
    ("U.N. Secretary-General Ann Voss said the talks must go on.", "United Nations"),
    ("United Nations Secretary-General Ann Voss said the talks must go on.", "United Nations"),
    ("NATO Secretary-General Ann Voss said the alliance would stay.", "NATO"),
    ("Health Secretary Ann Voss said the clinics would stay open.", None),  # a portfolio, not a body
])
def test_a_body_before_a_title_word_is_the_holders_body_and_a_portfolio_is_not(run, text, organization):
    assert run(text).speakers["Ann Voss"].organization == organization


def test_a_senator_belongs_to_the_senate_of_their_country(run):
    ex = run("Norway debated the law for weeks. Norway's parliament voted on Friday. "
             "Senator Ann Voss said the law was a mistake.")
    sp = ex.speakers["Ann Voss"]
    assert sp.organization is None or "Senate" not in sp.organization  # Norway has no senate: no guess
    ex = run("The Philippines debated the law for weeks. Manila was divided. "
             "Senator Ann Voss said the law was a mistake.")
    sp = ex.speakers["Ann Voss"]
    assert (sp.organization, sp.country, sp.country_source) == ("Philippines Senate", "PH", "article")


def test_a_definite_description_of_a_body_is_the_one_the_article_named(run):
    ex = run("Thieves broke into the Marlow General Hospital on Saturday. “It was a shock,” said Ann Voss, chief "
             "executive of the hospital.")
    assert ex.speakers["Ann Voss"].organization == "Marlow General Hospital"


@pytest.mark.parametrize("text,organization,country", [
    ("“We will not move,” said Ann Voss, a foreign policy adviser to Norwegian President Karl Dorn.",
     "Government of Norway", "NO"),
    ("Kremlin spokesman Ivan Petrov said the talks were over.", "Kremlin", "RU"),
])
def test_who_a_person_works_for(run, text, organization, country):
    ex = run(text)
    sp = next(s for s in ex.speakers.values() if s.kind == "person" and s.name in ("Ann Voss", "Ivan Petrov"))
    assert sp.organization == organization
    if country:
        assert sp.country == country


def test_a_breakaway_government_keeps_its_people_out_of_the_articles_country(run):
    ex = run("Norway attacked the breakaway region of Transnistria on Monday. Norway said its troops had advanced. "
             "“It is a crime,” said Ann Voss, foreign minister of the unrecognized government.")
    sp = ex.speakers["Ann Voss"]
    assert sp.organization == "unrecognized government of Transnistria" and sp.country is None


def test_a_bodys_country_passes_to_the_people_who_speak_for_it(run):
    ex = run("The Ruritania Fishing Union, a Lagos-based trade union, condemned the quota. Its chairman, Ann Voss, "
             "said that the boats would stay in port.")
    sp = ex.speakers["Ann Voss"]
    assert (sp.organization, sp.country, sp.country_source) == ("Ruritania Fishing Union", "NG", "organisation")


def test_evidence_on_the_mention_beats_the_articles_setting(run):
    # a story set in Norway, with a Toronto lawyer and a German minister in it
    ex = run("Norway closed its ports on Monday. Norway said the storm was near. Oslo was quiet. "
             "“The law is clear,” said Ann Voss, a Toronto lawyer. "
             "“We will help,” said German Foreign Minister Karl Dorn. "
             "“We are ready,” said Eva Lind, a harbour master.")
    assert (ex.speakers["Ann Voss"].country, ex.speakers["Ann Voss"].country_source) == ("CA", "place")
    assert (ex.speakers["Karl Dorn"].country, ex.speakers["Karl Dorn"].country_source) == ("DE", "stated")
    assert (ex.speakers["Eva Lind"].country, ex.speakers["Eva Lind"].country_source) == ("NO", "article")


def test_two_spaces_between_a_title_and_a_name_keep_one_mention(run):
    ex = run("German Foreign Minister  Anna Kowal said that the talks would resume.")
    (q,) = ex.quotes
    sp = ex.speakers[q.speaker]
    assert (sp.name, sp.title, sp.country) == ("Anna Kowal", "Foreign Minister", "DE")
    assert q.speaker_mention == "German Foreign Minister  Anna Kowal"  # verbatim, spaces and all


def test_a_post_after_the_name_in_a_relative_clause_is_a_post(run):
    ex = run("Norway's parliament met on Monday. Norway said the talks failed. Karl Dorn often clashed with Ann Voss "
             "who is the secretary of state. “We will not sign,” Ann Voss said.")
    sp = ex.speakers["Ann Voss"]
    assert (sp.title, sp.organization) == ("secretary of state", "Government of Norway")


def test_the_body_named_after_a_post_before_the_name(run):
    ex = run("The Marlow General Hospital opened a new ward. The chairman of the board and the head physician of "
             "the hospital, Ann Voss, said that the ward was full.")
    assert ex.speakers["Ann Voss"].organization == "Marlow General Hospital"


@pytest.mark.parametrize("text,speaker,title,organization", [
    ("According to the El Paso mayor, Ann Voss, the bridge will reopen.", "Ann Voss", "mayor", "City of El Paso"),
    ("Following the vote, the director of Norway's Amnesty International, Ann Voss, said the law was unjust.",
     "Ann Voss", "director", "Amnesty International"),
    ("“The trial was fair,” said the Oslo University law expert and former judge, Ann Voss, on Monday.",
     "Ann Voss", None, "Oslo University"),
])
def test_a_description_set_off_before_a_name_describes_it(run, text, speaker, title, organization):
    sp = run(text).speakers[speaker]
    assert sp.organization == organization
    if title:
        assert sp.title == title


def test_a_party_the_speakers_sentence_calls_theirs(run):
    ex = run("Opposition leader Karl Dorn said his Labour Party was “ready for an election” on Monday.")
    assert ex.speakers["Karl Dorn"].organization == "Labour Party"


@pytest.mark.parametrize("text,speaker,organization", [
    ("Massachusetts Senator Ann Voss said the law was a mistake.", "Ann Voss", "United States Senate"),
    ("City Attorney Ann Voss said the law was a mistake.", "Ann Voss", None),
])
def test_a_place_or_a_word_before_a_title_is_no_company(run, text, speaker, organization):
    assert run(text).speakers[speaker].organization == organization


@pytest.mark.parametrize("name", ["Peter Hale", "Steven Barnes"])  # the second's title is tagged as a body
def test_a_police_rank_belongs_to_the_police_force_the_article_names(run, name):
    ex = run(f"Essex Police said the car was stolen on Monday. “Call us,” said Detective Inspector {name}.")
    sp = ex.speakers[name]
    assert (sp.title, sp.organization, sp.country) == ("Detective Inspector", "Essex Police", "GB")
    ex = run(f"Police said the car was stolen. “Call us,” said Detective Inspector {name}.")
    assert ex.speakers[name].organization is None  # no force named: no guess


def test_a_short_name_after_at_is_the_body_the_article_named_in_full(run):
    ex = run("A plane crashed in Connecticut on Monday. Connecticut officials said the injured were taken to Hartford "
             "Hospital and Saint Francis Hospital.\n\nDr. Ann Voss at Saint Francis said, “We received an alert.”")
    sp = ex.speakers["Ann Voss"]
    assert (sp.organization, sp.country, sp.country_source) == ("Saint Francis Hospital", "US", "organisation")


@pytest.mark.parametrize("text,title,organization,country", [
    # the tagger takes the title for a name, and the name is the title's apposition
    ("Kenya's Trade Minister, Ann Voss, said the deal would open new markets.", "Trade Minister",
     "Government of Kenya", "KE"),
    ("US Ambassador to the UN Linda Voss said the parties must let food through.", "Ambassador", None, "US"),
])
def test_a_title_set_off_before_a_name_describes_it(run, text, title, organization, country):
    sp = next(sp for sp in run(text).speakers.values() if sp.name.endswith(" Voss"))
    assert (sp.title.split(" to ")[0], sp.organization, sp.country) == (title, organization, country)


def test_a_word_before_a_title_that_joins_two_names_is_no_part_of_the_title(nlp):
    from spacy.tokens import Doc

    from quotes.pipeline.extract import quotes_in_doc
    from quotes.records import Article

    # the parse of "both President X and Y" the model gives: the name an apposition of the title
    words = ["Voters", "cheered", "both", "President", "Linda", "Voss", "and", "Tom", "Hale", ".",
             "Voss", "said", "she", "was", "proud", "."]
    spaces = [True] * 8 + [False, True, True, True, True, True, False, False]
    heads = [1, 1, 3, 1, 5, 3, 5, 8, 5, 1, 11, 11, 13, 11, 13, 11]
    deps = ["nsubj", "ROOT", "preconj", "dobj", "compound", "appos", "cc", "compound", "conj", "punct",
            "nsubj", "ROOT", "nsubj", "ccomp", "acomp", "punct"]
    pos = ["NOUN", "VERB", "PRON", "PROPN", "PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "PUNCT",
           "PROPN", "VERB", "PRON", "AUX", "ADJ", "PUNCT"]
    tags = ["NNS", "VBD", "DT", "NNP", "NNP", "NNP", "CC", "NNP", "NNP", ".", "NNP", "VBD", "PRP", "VBD", "JJ", "."]
    ents = ["O", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "B-PERSON"] + ["O"] * 5
    doc = Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags, ents=ents)
    ex = quotes_in_doc(Article(text=doc.text), doc)
    assert ex.speakers["Linda Voss"].title == "President"


@pytest.mark.parametrize("text,organization", [
    ("The Foreign Ministry said talks would resume. “We are ready,” ministry spokesman Ali Reza said.",
     "Foreign Ministry"),
    # the union's name is not tagged: the proper noun before the word is its name
    ("The SNCTA union, which represents most controllers, said the strike was over pay. “We have warned for "
     "years,” union spokesman Ali Reza told reporters.", "SNCTA union"),
    ("Acme said it had cut 400 jobs. “We have warned for years,” union spokesman Ali Reza told reporters.", None),
    # a sentence's first word, capitalised (and tagged a body): still the kind of body
    ("The opposition Harbor Action Party accused the mayor of buying votes. Party chairman Ali Reza said the plan "
     "was a bribe.", "Harbor Action Party"),
    # two parties named: which one is not said
    ("The Red Party and the Blue Party both lost seats. The Greens gained. Party leader Ali Reza said voters wanted "
     "change.", None),
])
def test_a_word_for_a_kind_of_body_before_a_title_is_the_body_of_that_kind_named_before(run, text, organization):
    assert run(text).speakers["Ali Reza"].organization == organization


def test_a_name_with_a_body_word_for_its_apposition_is_a_body(run):
    ex = run("Flights were cancelled across Europe on Tuesday. Skyvia, Europe's largest airline by passengers, "
             "said it had cancelled 400 flights. Its chief executive, Tom Hale, called the strike unacceptable.")
    assert ex.speakers["Skyvia"].kind == "organization"
    assert ex.speakers["Tom Hale"].organization == "Skyvia"


def test_a_body_named_with_its_acronym_before_a_title_is_the_holders_body(run):
    ex = run("“We are on the Moon,” Ruritanian Space Research Organisation (RSRO) chairman Tom Hale told scientists.")
    assert ex.speakers["Tom Hale"].organization == "Ruritanian Space Research Organisation"


def test_a_hyphenated_title_the_parser_split_is_whole(run):
    sp = run("Ann Voss, the Harbor Commission's vice-president for climate policy, said the deal sent a clear "
             "signal.").speakers["Ann Voss"]
    assert (sp.title, sp.organization) == ("vice-president", "Harbor Commission")


def test_a_body_described_in_common_words_is_the_holders_body_not_the_government(run):
    sp = run("The president of the Spanish tennis federation, Ana Ruiz, told reporters that the champion was the "
             "greatest sportsman in the country's history.").speakers["Ana Ruiz"]
    assert (sp.organization, sp.country) == ("Spanish tennis federation", "ES")


def test_a_bodys_branch_tagged_as_a_person_leaves_its_country_a_country(run):
    ex = run("BUENOS AIRES — Brazil and Argentina signed a gas deal on Tuesday.\n\nArgentina's Economy Minister Luis "
             "Romero said the pipeline would allow Argentina to export gas. Greenpeace Argentina said the pipeline "
             "would “lock in decades of fossil fuel use”.")
    romero = ex.speakers["Luis Romero"]
    assert (romero.organization, romero.country) == ("Government of Argentina", "AR")
    assert ex.speakers["Greenpeace Argentina"].kind == "organization"


def test_its_minister_works_for_the_body_the_sentence_before_described(run):
    ex = run("Kyiv and Moscow swapped prisoners on Friday.\n\nThe UAE foreign ministry said in a statement that it was "
             "the seventh exchange it had mediated. Its minister of state, Khalifa Saeed Almarar, praised both sides "
             "for their cooperation.")
    sp = ex.speakers["Khalifa Saeed Almarar"]
    assert (sp.organization, sp.country) == ("UAE foreign ministry", "AE")


def test_a_persons_party_and_a_capitalised_word_opening_a_sentence(run):
    ex = run("Jane Roe's Party for Renewal (PfR) won the most seats on Wednesday. “We will govern,” Roe told "
             "supporters.\n\nPolitical scientist Sarah de Boer of the University of Harbor Vale said the result "
             "reflected anger over housing.")
    assert ex.speakers["Jane Roe"].organization == "Party for Renewal"
    # "Political" opening the sentence is a capitalised common word, not a body's name before the title
    assert ex.speakers["Sarah de Boer"].organization == "University of Harbor Vale"
