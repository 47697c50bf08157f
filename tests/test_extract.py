"""forecasts extract: the hard cases of VERBAL.md, offsets, what must not be proposed, and the
whole path from an article to scored forecasts through the CLI."""

import json

import pytest
from conftest import ARTICLE

from forecasts.extract import extract

DATE = "2025-12-16"


def drafts(text, **kw):
    kw.setdefault("date", DATE)
    return extract(text, **kw)["drafts"]


def one(text, **kw):
    found = drafts(text, **kw)
    assert len(found) == 1, [(d["cue"], d["event"]) for d in found]
    return found[0]


def test_stacked_softener_and_negation():
    d = one("\u201cI would suggest it probably will not be acceptable to Russia,\u201d "
            "said Orysia Lutsevych, a Russia expert at Chatham House.")
    assert d["speaker"] == "Orysia Lutsevych"
    assert d["probability"] == 0.265
    assert d["scale_row"] == "probably not"
    assert {"softened"} <= set(d["flags"])
    assert d["event"] == "It is acceptable to Russia"
    assert d["attribution"] == "direct_quote"


def test_softener_on_a_bare_will_is_row_five():
    d = one('"I think the bank will cut rates by June," said Maria Okafor, an economist.')
    assert d["probability"] == 0.7 and "softened" in d["flags"]
    assert d["resolves"] == "2026-06-30"


def test_double_negation_and_litotes():
    d = one("Samuel Brandt said a deal was \u201cnot impossible\u201d.")
    assert d["probability"] == 0.15 and "litotes" in d["flags"]
    d = one("Analysts said the bank cannot fail to cut rates next year.")
    assert d["probability"] == 0.93


def test_two_numbers_in_one_sentence_keeps_the_new_one():
    d = one("Okafor puts the chance of a rate cut this year at 60%, up from 40% a month ago.")
    assert d["probability"] == 0.6
    assert "superseded" in d["flags"]
    assert d["speaker"] == "Okafor"
    assert d["resolves"] == "2025-12-31"


def test_a_superseded_number_alone_is_not_proposed():
    assert drafts("Inflation fell to 3% in November, down from 4% in October.") == []


def test_speaker_in_the_previous_sentence_by_pronoun():
    text = ("Tomas Reyes, a strategist at Northgate Capital, was more cautious. "
            "He said a cut in the first half of next year was unlikely.")
    d = one(text)
    assert d["speaker"] == "Tomas Reyes"
    assert "pronoun_resolved" in d["flags"]
    assert d["probability"] == 0.2
    assert d["resolves"] == "2026-06-30"


def test_a_quote_paragraph_continues_the_previous_speaker():
    text = ("\u201cWe are at a turning point,\u201d said Ana Liu, a political scientist.\n"
            "\u201cA coalition is almost certain by Christmas.\u201d\n")
    d = one(text)
    assert d["speaker"] == "Ana Liu" and "continued_quote" in d["flags"]
    assert d["resolves"] == "2025-12-25"


def test_may_the_month_and_may_the_modal():
    d = one("Regulators may approve the merger in May, people familiar with the matter said.",
            date="2026-01-10")
    assert d["probability"] == 0.4 and "hedge" in d["flags"]
    assert d["resolves"] == "2026-05-31"
    assert d["attribution"] == "collective"
    assert drafts("The talks began in May and ended in June.", date="2026-01-10") == []
    assert drafts("Prime Minister Theresa May said the plan was complete.") == []


def test_headline_is_editorial():
    d = one("Breakthrough Unlikely in Istanbul Talks\nThe talks begin on Friday.\n",
            date="2025-05-15")
    assert d["attribution"] == "editorial" and "editorial" in d["flags"]
    assert d["probability"] == 0.2


def test_conditionals_and_only_if():
    d = one("\u201cRussia will only agree to a ceasefire if it can violate it with impunity,\u201d "
            "said Keir Giles.")
    assert d["probability"] == 0.07
    assert {"conditional", "only_if", "complemented"} <= set(d["flags"])
    d = one("Forecasters said the river could flood within weeks if the rain continues.")
    assert d["conditional_on"] == "if the rain continues"
    assert d["resolves"] == "2026-02-10"


def test_neither_nor_splits_into_claims():
    found = drafts("The writer argues that Ukraine will neither be demilitarised nor neutral.")
    events = sorted(d["event"] for d in found)
    assert events == ["Ukraine is demilitarised", "Ukraine is neutral"]
    assert all(d["probability"] == 0.07 for d in found)


@pytest.mark.parametrize("text", [
    "Russia invaded Ukraine in 2022 and seized 19% of its territory.",
    "\u201cWe will send more troops,\u201d the minister said.",
    "The company said it would open a factory next year.",
    "Putin said he would not attend the summit.",
    "Ukraine seeks assurances that any agreement will protect its sovereignty.",
    "The bigger question is whether Russia will make concessions.",
    "Will the government introduce rationing?",
    "The world watches, hoping for a breakthrough that could end the war.",
    "Kyiv wants to defer concessions for as long as possible.",
    "I think we\u2019re closer now than we have ever been.",
    "Shares fell 4% after the announcement, and 69% of voters back the plan.",
])
def test_not_proposed(text):
    assert drafts(text) == []


def test_boilerplate_is_not_proposed():
    text = ("Rates Likely to Fall in March, Economists Say\n"
            "Economists expect the bank to cut rates in March.\n"
            "Related articles\n"
            "Who Will Win the Election? Five Things to Watch\n"
            "We\u2019ll send you a daily digest email rounding up the latest news.\n")
    found = drafts(text, date="2026-01-05")
    assert [d["cue"] for d in found] == ["Likely", "expect"]


def test_offsets_point_at_the_quote_and_cue():
    text = ("Analysts expect the central bank to cut rates by the end of the year.\n"
            "\u201cThere is a 1-in-5 chance of a recession next year,\u201d said Jo Park.\n")
    for d in drafts(text):
        assert text[d["start"]:d["end"]] == d["quote"]
        assert text[d["cue_start"]:d["cue_end"]] in d["cue"] or d["cue"] in text[d["cue_start"]:d["cue_end"]]
    numeric = [d for d in drafts(text) if d["cue_kind"] == "numeric"][0]
    assert numeric["probability"] == 0.2 and numeric["speaker"] == "Jo Park"
    assert numeric["quote"] == "There is a 1-in-5 chance of a recession next year"


def test_url_line_and_url_date_and_dateline():
    text = "https://example.com/news/2026/02/10/rates\nEconomists expect a cut next month.\n"
    result = extract(text)
    assert result["source_url"] == "https://example.com/news/2026/02/10/rates"
    assert result["date"] == "2026-02-10" and result["date_from"] == "url"
    assert result["drafts"][0]["resolves"] == "2026-03-31"
    result = extract("Saturday, December 6, 2025\n\nAnalysts expect a deal next year.\n")
    assert result["date"] == "2025-12-06" and result["drafts"][0]["resolves"] == "2026-12-31"


def test_another_scale_maps_the_same_cue_differently():
    text = "Officials said a deal was unlikely."
    assert one(text)["probability"] == 0.2
    icd = one(text, scale="icd203")
    assert icd["probability"] == 0.325 and icd["scale"] == "icd203"


def test_regex_and_pysbd_segmenters_agree_when_pysbd_is_installed():
    pytest.importorskip("pysbd")
    text = ("Mr. Smith of J.P. Morgan said the U.S. economy will probably slow next year. "
            "\u201cI doubt the Fed will cut rates,\u201d he added.")
    a = [(d["cue"], d["probability"]) for d in drafts(text, segmenter="regex")]
    b = [(d["cue"], d["probability"]) for d in drafts(text, segmenter="pysbd")]
    assert a == b and len(a) == 2


def test_extract_review_show_score_through_the_cli(forecasts, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "drafts.json"
    result = forecasts("extract", str(article), "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["speaker"] for d in doc["drafts"]] == ["Analysts", "Ana Liu", "Officials"]
    for d in doc["drafts"]:
        assert ARTICLE[d["start"]:d["end"]] == d["quote"]
    # accept the first, edit the second's event and date, reject the third
    answers = "a\ne\nThe coalition talks succeed\n\n2026-05-31\n\n\nr\n"
    result = forecasts("review", str(out), input=answers)
    assert result.exit_code == 0, result.output
    assert "Logged 2, rejected 1, 0 left as drafts" in result.output
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert [d["status"] for d in saved["drafts"]] == ["logged", "logged", "rejected"]
    shown = forecasts("show", "2", "--json")
    detail = json.loads(shown.stdout)
    assert detail["question"]["text"] == "The coalition talks succeed"
    assert detail["question"]["resolves"] == "2026-05-31"
    f = detail["forecasts"][0]
    assert f["forecaster"] == "Ana Liu" and f["p_ppm"] == 265000
    assert f["verbal"] == "probably will not" and f["scale"] == "default"
    assert f["quote"].startswith("I would suggest") and f["source_url"] == \
        "https://example.com/politics/2026/03/02/vote"
    forecasts.ok("resolve", "2", "no", "--on", "2026-05-31")
    scores = forecasts.json("score")
    assert scores[0]["forecaster"] == "Ana Liu"
    assert scores[0]["brier"] == pytest.approx(0.265 ** 2)
    # again: nothing new to review, nothing logged twice
    assert "No drafts to review" in forecasts("review", str(out)).output


@pytest.mark.parametrize("args, message", [
    (["extract", "missing.txt"], "cannot read missing.txt"),
    (["extract", "ARTICLE", "--date", "not a date"], "--date"),
    (["extract", "ARTICLE", "--scale", "nope"], "unknown scale"),
])
def test_bad_input_is_one_line(forecasts, tmp_path, args, message):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    args = [str(article) if a == "ARTICLE" else a for a in args]
    result = forecasts(*args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_five_articles_when_present(shared):
    """Each of the project's articles gives drafts, none in the boilerplate after the text."""
    for path in sorted((shared / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = drafts(text, date=None if path.name.startswith("003") else DATE)
        assert found, path.name
        for d in found:
            assert text[d["start"]:d["end"]] == d["quote"]
            assert "Related articles" not in text[:d["start"]] or path.name.startswith("003")
