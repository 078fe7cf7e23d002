"""Interview transcripts in Q-and-A form: answers credited to the one interviewed, questions to nobody."""
from __future__ import annotations


INTERVIEW = """Foster care leaves scars, a new memoir says.

Lena Marsh, a former foster child, spoke with the Gazette about her years in care. Her caseworker, Paul Hurst, \
did not comment. Hurst retired last year, and the agency Hurst ran has closed.

Q: How did things go for you?

A: You do not think about the damage that happened. I was so traumatized by all of it.

Q: Did anyone check on you?

A: No one ever came. My teachers never asked.

I kept going to school and waited for somebody to knock on the door.

Q: What do you tell children in care today?

A: Yes.
"""


def answers(ex):
    return [(q.text, q.speaker) for q in ex.quotes if q.method == "interview_answer"]


def test_answers_credited_to_the_interviewee(run):
    found = answers(run(INTERVIEW))
    assert found == [
        ("You do not think about the damage that happened. I was so traumatized by all of it.", "Lena Marsh"),
        ("No one ever came. My teachers never asked.", "Lena Marsh"),
        # an unlabelled paragraph before the next question carries the answer on
        ("I kept going to school and waited for somebody to knock on the door.", "Lena Marsh"),
    ]  # "A: Yes." says nothing without its question


def test_questions_are_not_credited(run):
    ex = run(INTERVIEW)
    for question in ("How did things go for you?", "Did anyone check on you?"):
        start = INTERVIEW.index(question)
        assert not [q for q in ex.quotes if q.start < start + len(question) and start < q.end
                    and q.speaker == "Lena Marsh"]


def test_stray_answer_label_alone_gives_nothing(run):
    text = ("Workers at the mill walked out on Monday, Lena Marsh said.\n\n"
            "A: The plan is to stay out until the owners return to the table.\n\nThe mill was closed.")
    assert answers(run(text)) == []


def test_outlet_speaking_with_the_interviewee(run):
    text = ("The Tribune sat down with Omar Velez, the new harbour master, after the vote.\n\n"
            "Q. What happens next?\n\nA. We will rebuild the pier before the spring storms.\n")
    assert answers(run(text)) == [("We will rebuild the pier before the spring storms.", "Omar Velez")]


def test_most_named_person_when_the_intro_names_no_interview(run):
    text = ("Omar Velez runs the harbour. Before Velez, the job went to Ruth Kane for a decade.\n\n"
            "Question: Why the pier?\n\nAnswer: Because my boats had nowhere to dock last winter.\n")
    assert answers(run(text)) == [("Because my boats had nowhere to dock last winter.", "Omar Velez")]


def test_explainer_answers_credit_nobody(run):
    # the outlet answering its own questions, in the third person, with nobody said to be interviewed
    text = ("Omar Velez proposed a harbour tax on Monday.\n\n"
            "Q: What is the harbour tax?\n\nA: It is a fee on every boat that docks at the pier.\n")
    assert answers(run(text)) == []


def test_mostly_quoted_answer_is_not_counted_twice(run):
    text = ("Omar Velez spoke with the Tribune on Friday.\n\n"
            "Q: Was it the budget?\n\n"
            "A: \u201cIt was always the budget, and everyone on the council knew it.\u201d\n")
    ex = run(text)
    assert answers(ex) == []
    assert [q.text for q in ex.quotes if q.kind == "direct"] == [
        "It was always the budget, and everyone on the council knew it."]


UNLABELLED = """Interview: the mayor who wants to ban cars

Helena Strand has been mayor of Harbor Vale since 2018. She spoke to us about her plan to ban private cars from \
the centre.

Why ban cars?

Our centre was dying. People came by car, parked, shopped and left.

We want a centre where people stay, meet and walk.

When will the ban start?

Next spring, if the council approves it in March.

Strand's opponents are not convinced. The traders' association will meet on Monday.
"""


def test_answers_to_unlabelled_questions_are_credited_to_the_interviewee(run):
    assert answers(run(UNLABELLED)) == [
        ("Our centre was dying. People came by car, parked, shopped and left.", "Helena Strand"),
        ("We want a centre where people stay, meet and walk.", "Helena Strand"),
        ("Next spring, if the council approves it in March.", "Helena Strand"),
    ]  # the article goes on after the last answer


def test_questions_an_article_asks_and_answers_itself_are_no_interview(run):
    text = ("Ann Voss told the Gazette she was worried about the dam.\n\nWhat went wrong?\n\nThe dam was built in "
            "1950 and never repaired.\n\nWhat happens next?\n\nThe council will vote on a new dam in May.\n")
    assert answers(run(text)) == []
