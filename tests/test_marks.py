"""Quotation-mark pairing: curly, straight, unbalanced, multi-paragraph and single-mark quotes."""
from quotes.extraction.marks import find_quoted


def texts(text):
    return [text[q.start:q.end] for q in find_quoted(text)]


def test_curly_and_straight_pairs():
    text = 'She said “it is over” and he said "not yet".'
    assert texts(text) == ["it is over", "not yet"]


def test_offsets_point_inside_the_marks():
    text = 'He said: “We will win,” loudly.'
    (q,) = find_quoted(text)
    assert text[q.open_mark] == "“" and text[q.close_mark] == "”"
    assert text[q.start:q.end] == "We will win,"


def test_unclosed_quote_runs_to_paragraph_end_and_keeps_the_rest():
    text = '“This never closes, he said.\n\nLater, “this one does,” she said.'
    found = find_quoted(text)
    assert [text[q.start:q.end] for q in found] == ["This never closes, he said.", "this one does,"]
    assert not found[0].closed and found[1].closed


def test_multi_paragraph_quote_is_split_per_paragraph():
    text = '“First paragraph of the quote.\n\n“Second paragraph,” she said.'
    found = find_quoted(text)
    assert [text[q.start:q.end] for q in found] == ["First paragraph of the quote.", "Second paragraph,"]
    assert found[0].continues and not found[1].continues


def test_stray_closing_mark_is_ignored():
    assert texts('Oops” then “a real quote” here.') == ["a real quote"]


def test_apostrophes_are_not_quotes_but_single_marks_can_be():
    assert texts("It’s the government’s plan.") == []
    assert texts("Minister Speaks ‘Directly To Voters’ in Headline") == ["Directly To Voters"]


def test_straight_single_marks_quote_a_few_words_in_a_paragraph_without_other_marks():
    assert texts("The union's leader said: 'We have been left with no choice. Our members are angry.'") == [
        "We have been left with no choice. Our members are angry."]
    assert texts("'We had no choice,' she said. 'The workers' union agreed with us.'") == [
        "We had no choice,", "The workers' union agreed with us."]  # a plural possessive closes nothing
    assert texts("The workers' union said the '90s were hard, and rock 'n' roll lives.") == []
    assert texts("He called it 'unacceptable' and left.") == []  # a word or two: as often a name as speech
    assert texts("'All Bets Are Off.'") == []  # a line that is nothing but the quote: a section heading
    assert texts('He said "no" and \'we will see about that\' later.') == ["no"]  # only where no other marks are


def test_single_marks_nested_in_double_marks_stay_inside():
    assert texts('He said “they called it ‘a disgrace’ today” firmly.') == ["they called it ‘a disgrace’ today"]


def test_empty_and_punctuation_only_pairs_are_dropped():
    assert texts('He said “” and “...” then “words”.') == ["words"]


def test_two_apostrophes_are_typewriter_double_quotes():
    text = "''It is over,'' he said. ``Not yet,'' she said. It's the students' choice."
    assert texts(text) == ["It is over,", "Not yet,"]
    first = find_quoted(text)[0]
    assert text[first.close_mark + 1] == " "  # close_mark is the mark's last character


def test_attribute_values_of_markup_left_in_the_text_are_not_quotes():
    text = ('Before.\n\n<post id="12345" author="@someone" date="May 1,\n2016">“We won,” she wrote.</post>\n\n'
            'After, "a real quote" here.')
    assert texts(text) == ["We won,", "a real quote"]


def test_opening_mark_typed_as_closing_one_still_closes():
    text = '“Not yet,“ she said. “We wait.”'
    found = find_quoted(text)
    assert [text[q.start:q.end] for q in found] == ["Not yet,", "We wait."]
    assert all(q.closed for q in found)


def test_straight_mark_glued_to_a_comma_closes_the_open_quote():
    text = 'He warned "we are ready,"Jane Roe added. "We start today."'
    assert texts(text) == ["we are ready,", "We start today."]


def test_curly_quote_nested_in_the_same_marks_stays_inside():
    text = '“I would rather live in what she calls “progress” than live here.” ― Ada Roe'
    assert texts(text) == ["I would rather live in what she calls “progress” than live here."]


def test_a_second_opening_mark_without_closers_enough_for_both_ends_the_unclosed_quote():
    text = '“This one never closes, and “this one does,” she said.'
    assert texts(text) == ["This one never closes, and", "this one does,"]


def test_a_later_separate_quote_does_not_close_a_quote_taken_for_nested():
    text = "“First part never closed. “Second quote,” she said. “Third.”"
    assert texts(text) == ["First part never closed.", "Second quote,", "Third."]
