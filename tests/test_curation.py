"""Curation commands on temporary databases (CliRunner), and corrections surviving re-extraction."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from quotes.cli import main
from quotes.records import Speaker as Sp
from quotes.store import lookup
from quotes.store.db import open_database, session_factory
from quotes.store.models import Correction, CurationRule, Organization, Quote, Speaker
from quotes.store.storing import reprocess_extraction, store_extraction

REPO = Path(__file__).resolve().parent.parent

TEXT_1 = ('“Quotas will fall,” said Anna Berg, Norway’s fisheries minister. “The cod must recover,” '
          'Karl Berg of the Coastal Party replied.')
TEXT_2 = '“No choice,” Berg said. The Norwegian fisheries ministry said “talks go on”.'

NEW_COMMANDS = ["speaker", "orgs", "merge-speakers", "rename-speaker", "set-speaker", "set-country",
                "merge-orgs", "rename-org", "set-org-country", "set-org-kind", "corrections", "reprocess"]


def article_1(make_extraction):
    return make_extraction(TEXT_1, [("Quotas will fall", "Anna Berg", "direct"),
                                    ("The cod must recover", "Karl Berg", "direct")],
                           [Sp("Anna Berg", aliases=["Berg"], title="fisheries minister",
                               organization="Norwegian Ministry of Fisheries", country="NO"),
                            Sp("Karl Berg", organization="Coastal Party")], source="one.txt")


def article_2(make_extraction, **meta):
    return make_extraction(TEXT_2, [("No choice", "Berg", "partial"),
                                    ("talks go on", "Norwegian fisheries ministry", "partial")],
                           [Sp("Berg"), Sp("Norwegian fisheries ministry", "organization", country="NO")],
                           source="two.txt", **meta)


@pytest.fixture
def db(db_path, make_extraction):
    """A database where 'Berg' (article two) is ambiguous between Anna and Karl Berg."""
    engine = open_database(str(db_path))
    with session_factory(engine)() as session:
        store_extraction(session, article_1(make_extraction))
        store_extraction(session, article_2(make_extraction))
    engine.dispose()
    return str(db_path)


@pytest.fixture
def session_on(db):
    engine = open_database(db)
    session = session_factory(engine)()
    yield session
    session.close()
    engine.dispose()


def run(db, *args):
    return CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def one_line_error(result, *words):
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]


def names(db):
    return sorted(r["name"] for r in json.loads(ok(run(db, "speakers", "--format", "json")).stdout))


def quote_id(db, text):
    rows = json.loads(ok(run(db, "list", "--format", "json")).stdout)
    return next(r["id"] for r in rows if r["text"].rstrip(",.") == text)


def speaker_of(db, text):
    rows = json.loads(ok(run(db, "list", "--format", "json")).stdout)
    return next(r["speaker"] for r in rows if r["text"].rstrip(",.") == text)


@pytest.mark.parametrize("command", NEW_COMMANDS)
def test_every_new_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and f"quotes {command}" in result.stdout


# -- speaker profiles and organisations -------------------------------------------------------------

def test_speaker_profile_as_text_and_json(db):
    text = ok(run(db, "speaker", "Anna Berg")).stdout
    assert text.startswith("Anna Berg (#") and "Norway (NO, stated)" in text
    assert "fisheries minister of Norwegian Ministry of Fisheries" in text
    assert "Quotas will fall" in text
    profile = json.loads(ok(run(db, "speaker", "anna berg", "--format", "json")).stdout)
    assert profile["name"] == "Anna Berg" and profile["aliases"] == ["Berg"]
    assert profile["n_quotes"] == 1 and profile["affiliations"][0]["articles"] == [1]


def test_ambiguous_speaker_lists_the_candidates(db):
    result = run(db, "speaker", "Berg")
    one_line_error(result, "matches 3 speakers", "#ID")
    listed = result.stdout
    assert "Anna Berg" in listed and "Karl Berg" in listed
    by_id = ok(run(db, "speaker", "#2", "--format", "json"))
    assert json.loads(by_id.stdout)["id"] == 2


def test_unknown_speaker_is_one_line_error(db):
    one_line_error(run(db, "speaker", "Nobody Atall"), "no speaker matches")


def test_orgs_lists_bodies_with_people_and_counts(db):
    rows = json.loads(ok(run(db, "orgs", "--format", "json")).stdout)
    by_name = {r["name"]: r for r in rows}
    fisheries = by_name["Norwegian Ministry of Fisheries"]  # its two wordings are one body
    assert (fisheries["country"], fisheries["kind"], fisheries["people"]) == ("NO", "government", ["Anna Berg"])
    assert fisheries["n_quotes"] == 2 and fisheries["own_quotes"] == 1
    assert [r["name"] for r in json.loads(ok(run(db, "orgs", "--country", "Norway", "--format",
                                                 "json")).stdout)] == ["Norwegian Ministry of Fisheries"]
    one_line_error(run(db, "orgs", "--country", "Atlantis"), "unknown country")


# -- curation commands --------------------------------------------------------------------------

def test_merge_speakers_moves_quotes_keeps_aliases_and_is_logged(db, session_on):
    result = ok(run(db, "merge-speakers", "#3", "Anna Berg"))
    assert "merged #3 Berg" in result.stdout and "correction #1" in result.stdout
    assert names(db) == ["Anna Berg", "Karl Berg", "Norwegian Ministry of Fisheries"]
    assert speaker_of(db, "No choice") == "Anna Berg"
    profile = json.loads(ok(run(db, "speaker", "Anna Berg", "--format", "json")).stdout)
    assert profile["n_quotes"] == 2 and "Berg" in profile["aliases"]
    shown = json.loads(ok(run(db, "show", str(quote_id(db, "No choice")), "--format", "json")).stdout)
    assert shown["corrected"] is True
    listed = json.loads(ok(run(db, "corrections", "--format", "json")).stdout)
    assert [c["action"] for c in listed] == ["merge-speakers"]
    assert "#3 Berg" in listed[0]["summary"] and "Anna Berg" in listed[0]["summary"]


def test_merge_errors_are_one_line(db):
    one_line_error(run(db, "merge-speakers", "Berg", "Anna Berg"), "matches 3 speakers")
    one_line_error(run(db, "merge-speakers", "Anna Berg", "#1"), "same speaker")
    one_line_error(run(db, "merge-speakers", "Anna Berg", "Norwegian Ministry of Fisheries"),
                   "person", "organisation")
    one_line_error(run(db, "merge-speakers", "Nobody", "Anna Berg"), "no speaker matches")


def test_rename_speaker_keeps_the_old_name_as_alias(db):
    ok(run(db, "rename-speaker", "Karl Berg", "Karl Johan Berg"))
    profile = json.loads(ok(run(db, "speaker", "Karl Johan Berg", "--format", "json")).stdout)
    assert "Karl Berg" in profile["aliases"] and profile["curated"]
    assert json.loads(ok(run(db, "speaker", "Karl Berg", "--format", "json")).stdout)["id"] == profile["id"]
    one_line_error(run(db, "rename-speaker", "Karl Johan Berg", "Anna Berg"), "merge-speakers")


def test_set_speaker_to_known_new_and_nobody(db):
    qid = quote_id(db, "No choice")
    assert "attributed to #2 Karl Berg" in ok(run(db, "set-speaker", str(qid), "Karl Berg")).stdout
    assert speaker_of(db, "No choice") == "Karl Berg"
    assert "Berg" not in names(db)  # the ambiguous row lost its only quote and went

    created = ok(run(db, "set-speaker", str(qid), "Liv Strand", "--country", "SE")).stdout
    assert "(new)" in created
    assert json.loads(ok(run(db, "speaker", "Liv Strand", "--format", "json")).stdout)["country"] == "SE"

    ok(run(db, "set-speaker", str(qid), "-"))
    assert speaker_of(db, "No choice") is None
    one_line_error(run(db, "set-speaker", "999", "Karl Berg"), "no quote with id 999")
    one_line_error(run(db, "set-speaker", str(qid), "Karl Berg", "--country", "Atlantis"), "unknown country")
    logged = json.loads(ok(run(db, "corrections", "--format", "json")).stdout)
    assert [c["action"] for c in logged] == ["set-speaker"] * 3
    assert [c["target"] for c in logged] == [f"quote {qid}"] * 3
    assert logged[0]["summary"] == "#3 Berg (person) -> #2 Karl Berg (person)"
    assert logged[2]["summary"].endswith("-> nobody")


def test_set_country_by_code_or_name_or_none(db):
    ok(run(db, "set-country", "Karl Berg", "DK"))
    assert json.loads(ok(run(db, "speaker", "Karl Berg", "--format", "json")).stdout)["country"] == "DK"
    ok(run(db, "set-country", "Karl Berg", "Sweden"))
    assert [r["name"] for r in json.loads(ok(run(db, "speakers", "--country", "SE", "--format",
                                                 "json")).stdout)] == ["Karl Berg"]
    ok(run(db, "set-country", "Karl Berg", "-"))
    assert json.loads(ok(run(db, "speaker", "Karl Berg", "--format", "json")).stdout)["country"] is None
    one_line_error(run(db, "set-country", "Karl Berg", "Atlantis"), "unknown country")
    summaries = [c["summary"] for c in json.loads(ok(run(db, "corrections", "--format", "json")).stdout)]
    assert summaries == ["- -> DK", "DK -> SE", "SE -> -"]


def test_organisation_curation(db, session_on):
    ok(run(db, "rename-org", "Coastal Party", "Coastal People's Party"))
    ok(run(db, "set-org-country", "Coastal People's Party", "NO"))
    ok(run(db, "set-org-kind", "Coastal People's Party", "party"))
    rows = {r["name"]: r for r in json.loads(ok(run(db, "orgs", "--format", "json")).stdout)}
    party = rows["Coastal People's Party"]
    assert (party["country"], party["kind"], party["aliases"]) == ("NO", "party", ["Coastal Party"])
    # Karl Berg now counts for Norway through his party
    assert "Karl Berg" in [r["name"] for r in json.loads(ok(run(db, "speakers", "--country", "NO",
                                                                "--format", "json")).stdout)]
    ok(run(db, "merge-orgs", "Coastal People's Party", "Norwegian Ministry of Fisheries"))
    rows = {r["name"]: r for r in json.loads(ok(run(db, "orgs", "--format", "json")).stdout)}
    assert set(rows) == {"Norwegian Ministry of Fisheries"}
    assert rows["Norwegian Ministry of Fisheries"]["people"] == ["Anna Berg", "Karl Berg"]
    one_line_error(run(db, "set-org-kind", "Norwegian Ministry of Fisheries", "club"), "club")
    one_line_error(run(db, "merge-orgs", "Nothing Here", "Norwegian Ministry of Fisheries"),
                   "no organisation matches")
    assert [c["action"] for c in json.loads(ok(run(db, "corrections", "--format", "json")).stdout)] == [
        "rename-org", "set-org-country", "set-org-kind", "merge-orgs"]


def test_merging_organisation_speakers_merges_their_bodies(db, make_extraction):
    engine = open_database(db)
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            "The Fisheries Directorate said “stocks are low”.", [("stocks are low", "Fisheries Directorate",
                                                                 "partial")],
            [Sp("Fisheries Directorate", "organization", country="NO")], source="three.txt"))
    engine.dispose()
    ok(run(db, "merge-speakers", "Fisheries Directorate", "Norwegian Ministry of Fisheries"))
    orgs = [r["name"] for r in json.loads(ok(run(db, "orgs", "--format", "json")).stdout)]
    assert "Fisheries Directorate" not in orgs
    # a later wording of the merged body finds the merged speaker
    engine = open_database(db)
    with session_factory(engine)() as session:
        store_extraction(session, make_extraction(
            "The Fisheries Directorate said “quotas stay”.", [("quotas stay", "Fisheries Directorate",
                                                              "partial")],
            [Sp("Fisheries Directorate", "organization", country="NO")], source="four.txt"))
    engine.dispose()
    assert speaker_of(db, "quotas stay") == "Norwegian Ministry of Fisheries"


def test_corrections_list_table_and_limit(db):
    ok(run(db, "set-country", "Karl Berg", "DK"))
    ok(run(db, "rename-speaker", "Karl Berg", "Karl J. Berg"))
    table = ok(run(db, "corrections")).stdout.splitlines()
    assert table[0].split()[:4] == ["id", "when", "action", "target"] and len(table) == 4
    latest = json.loads(ok(run(db, "corrections", "--limit", "1", "--format", "json")).stdout)
    assert [c["action"] for c in latest] == ["rename-speaker"]
    assert "No corrections." in run(db, "corrections", "--action", "merge-orgs").stderr


def test_curation_and_entity_commands_never_import_spacy(db):
    code = (
        "import sys\n"
        "from quotes.cli import main\n"
        "for args in (['speaker', 'Anna Berg'], ['orgs'], ['corrections'], ['set-country', 'Karl Berg', 'DK'],\n"
        "             ['merge-speakers', '#3', 'Anna Berg'], ['rename-org', 'Coastal Party', 'Coast']):\n"
        "    try:\n"
        f"        main(['--db', {db!r}, *args])\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, (args, exc.code)\n"
        "assert 'spacy' not in sys.modules, 'spacy was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            env={"PYTHONPATH": str(REPO), "PATH": ""}, timeout=120)
    assert result.returncode == 0, result.stderr


# -- corrections survive re-extraction ------------------------------------------------------------

def test_set_speaker_survives_reprocessing(db, session_on, make_extraction):
    qid = quote_id(db, "No choice")
    ok(run(db, "set-speaker", str(qid), "Karl Berg"))
    result = reprocess_extraction(session_on, 2, article_2(make_extraction))  # the extractor says "Berg" again
    assert result.corrections == 1 and result.missed_corrections == 0
    assert speaker_of(db, "No choice") == "Karl Berg"
    assert "Berg" not in names(db)
    quote = session_on.scalar(select(Quote).where(Quote.text == "No choice"))
    assert quote.corrected


def test_set_speaker_survives_a_new_version_of_the_page(db, session_on, make_extraction):
    url = "https://example.org/fish"
    store_extraction(session_on, make_extraction(
        "Later: “Fish prices will rise,” Berg said.", [("Fish prices will rise", "Berg", "direct")],
        [Sp("Berg")], source="page.txt", url=url))
    ok(run(db, "set-speaker", str(quote_id(db, "Fish prices will rise")), "Anna Berg"))
    changed = make_extraction("Updated later: “Fish prices will rise,” Berg said on Friday.",
                              [("Fish prices will rise", "Berg", "direct")], [Sp("Berg")], source="page.txt",
                              url=url)
    result = store_extraction(session_on, changed)
    assert result.status == "updated" and result.corrections == 1
    assert speaker_of(db, "Fish prices will rise") == "Anna Berg"


def test_merge_survives_reprocessing(db, session_on, make_extraction):
    ok(run(db, "merge-speakers", "#3", "Anna Berg"))
    reprocess_extraction(session_on, 2, article_2(make_extraction))
    assert speaker_of(db, "No choice") == "Anna Berg"
    assert names(db) == ["Anna Berg", "Karl Berg", "Norwegian Ministry of Fisheries"]
    # a merge concerns its own speaker only: a quote now given to someone else stays theirs
    other = make_extraction(TEXT_2, [("No choice", "Karl Berg", "partial")], [Sp("Karl Berg")])
    reprocess_extraction(session_on, 2, other)
    assert speaker_of(db, "No choice") == "Karl Berg"


def test_rename_and_country_survive_reprocessing(db, session_on, make_extraction):
    ok(run(db, "rename-speaker", "Anna Berg", "Anna Kristine Berg"))
    ok(run(db, "set-country", "Anna Kristine Berg", "SE"))
    reprocess_extraction(session_on, 1, article_1(make_extraction))  # extraction says Anna Berg, NO
    rows = json.loads(ok(run(db, "list", "--format", "json")).stdout)
    anna = next(r for r in rows if r["text"] == "Quotas will fall")
    assert (anna["speaker"], anna["country"]) == ("Anna Kristine Berg", "SE")
    assert session_on.scalar(select(func.count()).select_from(Speaker).where(Speaker.name.like("Anna%"))) == 1


def test_deleting_a_correction_row_leaves_no_rule(db, session_on):
    ok(run(db, "set-speaker", str(quote_id(db, "No choice")), "Karl Berg"))
    assert session_on.scalar(select(func.count()).select_from(CurationRule)) == 1
    session_on.delete(session_on.scalar(select(Correction)))
    session_on.commit()
    assert session_on.scalar(select(func.count()).select_from(CurationRule)) == 0


def test_reprocess_and_reingest_keep_a_correction_end_to_end(nlp, tmp_path):
    article = tmp_path / "harbour.txt"
    article.write_text('“The harbour will close in May,” said Tove Lindqvist, the harbour director.\n\n'
                       '“We were not asked,” Erik Sand said.\n', encoding="utf-8")
    db = str(tmp_path / "e2e.db")
    ok(run(db, "ingest", str(article)))
    qid = quote_id(db, "We were not asked")
    ok(run(db, "set-speaker", str(qid), "Tove Lindqvist"))
    result = ok(run(db, "reprocess"))
    assert "1 articles reprocessed" in result.stderr and "1 corrections applied again" in result.stderr
    assert speaker_of(db, "We were not asked") == "Tove Lindqvist"
    ok(run(db, "ingest", str(article)))  # the same text again: nothing to redo, nothing lost
    assert speaker_of(db, "We were not asked") == "Tove Lindqvist"
    one_line_error(run(db, "reprocess", "--article", "99"), "no article with id 99")


def test_queries_find_organisations_by_code_and_wording(db, session_on):
    fisheries = lookup.find_organizations(session_on, "the Norwegian fisheries ministry")
    assert [o.name for o in fisheries] == ["Norwegian Ministry of Fisheries"]
    assert lookup.find_organizations(session_on, f"#{fisheries[0].id}") == fisheries
    assert lookup.find_organizations(session_on, "EU") == []
    assert session_on.scalar(select(func.count()).select_from(Organization)) == 2
