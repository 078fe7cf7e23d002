"""Normalising raw documents: repaired text, no page boilerplate, title and outlet, offsets back."""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from quotes.reading.normalize import clean_text, is_boilerplate, normalize, normalize_with_offsets, split_title
from quotes.reading.sources import InputError, RawDocument, read_paths

FIXTURES = Path(__file__).parent / "fixtures"


def norm(text, **kw):
    return normalize(RawDocument(source="t.txt", text=text), **kw)


def test_mac_central_european_mojibake_of_zero_width_spaces():
    # two zero-width spaces, UTF-8 bytes read as Mac Central European: ftfy alone leaves this alone
    accident = ("\u200b\u200b".encode("utf-8")).decode("mac_latin2")
    assert accident == "‚Äč‚Äč"
    assert clean_text(f"an area of {accident}about 500 square km") == "an area of about 500 square km"


def test_windows_1252_mojibake_keeps_curly_quotes():
    broken = "She said ‘yes’ at the café.".encode("utf-8").decode("cp1252")
    assert broken == "She said â€˜yesâ€™ at the cafÃ©."
    # quotation marks are what quote finding rests on: ftfy must not straighten them
    assert clean_text(broken) == "She said ‘yes’ at the café."
    assert clean_text("“Yes,” he said.") == "“Yes,” he said."


def test_lines_ftfy_could_change_are_still_repaired_beside_plain_ascii_ones():
    # plain ASCII lines skip ftfy; a line with an HTML entity, a control character or mojibake does not
    raw = ("Plain ASCII line, said the minister.\nFish &amp; chips &lt;3\nA bell\x07 rang.\n"
           + "The cafÃ© opened.")
    assert clean_text(raw) == "Plain ASCII line, said the minister.\nFish & chips <3\nA bell rang.\nThe café opened."


def test_mac_lookalike_text_is_left_alone():
    # a low quotation mark before a capital umlaut is ordinary German, not mojibake
    assert clean_text("Sie nannte es ‚Äpfel‘ und ‚Äther‘.") == "Sie nannte es ‚Äpfel‘ und ‚Äther‘."


def test_whitespace_and_invisible_characters():
    raw = "Mr.\u00a0Smith\u202fsaid\tit\r\nwas fine\u200b.   \rNext\u00adline \ufeffhere\u2028end"
    assert clean_text(raw) == "Mr. Smith said it\nwas fine.\nNextline here\nend"


def test_blank_line_runs_and_outer_whitespace():
    article = norm("\n\n  First paragraph.\n\n\n\n\nSecond paragraph.  \n \n\t\nThird.\n\n")
    assert article.text == "First paragraph.\n\nSecond paragraph.\n\nThird."


@pytest.mark.parametrize("line", [
    "Leave a Reply", "leave a comment", "Source link", "Share this:", "Related", "Related Articles",
    "Advertisement", "- Advertisement -", "Click to share on Facebook (Opens in new window)",
    "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *", "Read more: Another headline here", "© 2021 Some Outlet Ltd",
    "Like this:", "Loading...", "Tags: politics, elections",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line) and is_boilerplate(f"  {line.upper()}  ")


@pytest.mark.parametrize("line", [
    "He said he would leave a reply on the website later.",
    "Read more books, the minister told pupils.",
    "“Share this with everyone,” she said.",
    "Related parties were not named in the filing.",
    "Advertisement spending fell by a fifth.",
])
def test_sentences_that_merely_mention_boilerplate_stay(line):
    assert not is_boilerplate(line)


def test_boilerplate_removed_from_text():
    text = ("Headline of the day\n\nA paragraph of the article.\n\nAdvertisement\n\n"
            "Another paragraph.\n\nShare this:\n\nLeave a Reply\n\n"
            "Your email address will not be published. Required fields are marked *")
    assert norm(text).text == "Headline of the day\n\nA paragraph of the article.\n\nAnother paragraph."


def test_only_boilerplate_is_an_input_error():
    with pytest.raises(InputError) as exc:
        norm("Leave a Reply\n\nSource link\n")
    assert exc.value.source == "t.txt" and "no article text" in exc.value.problem


def test_title_and_outlet_from_pipe_headline_and_repeat_dropped():
    [raw] = read_paths([str(FIXTURES / "plain.txt")])
    article = normalize(raw)
    assert article.title == "Council approves new cycle lanes for the old town"
    assert article.outlet == "The Sample Herald"
    lines = article.text.split("\n")
    # the headline line stays (it may hold a quote); its repeat with a section name goes
    assert lines[0] == "Council approves new cycle lanes for the old town | Local | The Sample Herald"
    assert sum("Council approves" in line for line in lines) == 1
    assert lines[2].startswith("The town council voted") and lines[2].endswith("old town.")
    assert "Shopkeepers said" in article.text and "\n\n\n" not in article.text
    assert "Share this" not in article.text and "Leave a Reply" not in article.text
    assert article.source == str(FIXTURES / "plain.txt")


def test_split_title():
    assert split_title("A headline | World | The Outlet") == ("A headline", "The Outlet")
    assert split_title("A headline | The Outlet") == ("A headline", "The Outlet")
    assert split_title("  A   plain headline ") == ("A plain headline", None)


def test_no_title_when_first_line_is_a_paragraph():
    article = norm("The council met on Monday and agreed to build three new cycle lanes in the town.\n\nMore.")
    assert article.title is None and article.outlet is None


def test_headline_with_a_quote_is_a_title():
    article = norm("Mayor: ‘We Will Build It.’\n\nThe mayor said on Monday that the bridge would be built.")
    assert article.title == "Mayor: ‘We Will Build It.’"


def test_metadata_and_overrides():
    raw = RawDocument(source="r.jsonl#2", text="Headline line\n\nBody.", title="Real title | Site",
                      url="https://a.example/x", published=date(2020, 1, 2), outlet="Meta Outlet",
                      author="A. Writer")
    article = normalize(raw)
    assert (article.title, article.outlet, article.url, article.published, article.author) == (
        "Real title", "Meta Outlet", "https://a.example/x", date(2020, 1, 2), "A. Writer")
    assert article.text == "Headline line\n\nBody."
    article = normalize(raw, outlet="CLI Outlet", published=date(2024, 5, 6), url="https://b.example")
    assert (article.outlet, article.published, article.url) == ("CLI Outlet", date(2024, 5, 6), "https://b.example")
    # without an outlet in the metadata, the title's last pipe part is the outlet
    raw.outlet = None
    assert normalize(raw).outlet == "Site"


def test_html_document_normalises_with_its_metadata():
    [raw] = read_paths([str(FIXTURES / "article.html")])
    article = normalize(raw)
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.outlet == "The Example Gazette" and article.published == date(2021, 3, 4)
    assert "\n\n“We are delighted" in article.text


def test_offsets_map_back_to_the_raw_text():
    raw_text = ("Title line | Outlet\n\nTitle line\n\nMr.\u00a0Jones said: \u201cIt\u200b works.\u201d   \r\n\r\n\r\n\r\n"
                "Advertisement\n\nShe said “yes” too.\n")
    raw = RawDocument(source="t.txt", text=raw_text)
    article, offsets = normalize_with_offsets(raw)
    assert article.text == "Title line | Outlet\n\nMr. Jones said: “It works.”\n\nShe said “yes” too."
    for quoted in ("“It works.”", "“yes”", "Jones", "Title line | Outlet"):
        start = article.text.index(quoted)
        s, e = offsets.span(start, start + len(quoted))
        assert raw_text[s:e].replace("\u200b", "") == quoted
    assert len(offsets) == len(article.text)


def test_modules_do_not_import_spacy():
    code = ("import sys, quotes.reading.sources, quotes.reading.normalize; "
            "sys.exit(1 if any(m == 'spacy' or m.startswith('spacy.') for m in sys.modules) else 0)")
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                            env={"PYTHONPATH": str(root), "PATH": ""})
    assert result.returncode == 0, result.stderr
