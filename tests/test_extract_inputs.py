"""forecasts extract reads HTML pages (trafilatura), PDF files (pypdf), standard input and
folders of articles; a batch gives one drafts file that review walks article by article."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"

PAGE = """<!DOCTYPE html>
<html><head><title>Central bank to cut rates, analysts say</title>
<link rel="canonical" href="https://news.example.com/economy/rates-cut">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-03-01T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article><h1>Central bank to cut rates, analysts say</h1>
<p>Analysts expect the central bank to cut interest rates by the end of the year, according to
a survey of forty economists published on Friday.</p>
<p>"Inflation is likely to fall below two percent by the summer," said Maria Lopez, chief
economist at Northgate Bank, in an interview.</p></article>
<aside>Most read: Ten things you will love this week</aside>
<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>
"""


def _pdf(path, lines):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(8.5, 11))
    for i, line in enumerate(lines):
        figure.text(0.05, 0.95 - i * 0.03, line, fontsize=10)
    figure.savefig(path)
    plt.close(figure)


def test_an_html_page_gives_its_text_date_url_title_and_author(forecasts, tmp_path):
    pytest.importorskip("trafilatura")
    page = tmp_path / "rates.html"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "drafts.json"
    doc = json.loads(forecasts.ok("extract", str(page), "--out", str(out), "--json").stdout)
    assert doc["input"] == "html"
    assert doc["date"] == "2025-03-01" and doc["date_from"] == "the html page"
    assert doc["source_url"] == "https://news.example.com/economy/rates-cut"
    assert doc["title"] == "Central bank to cut rates, analysts say"
    assert doc["writer"] == "Jane Roe"
    speakers = {d["speaker"] for d in doc["drafts"]}
    assert {"Analysts", "Maria Lopez"} <= speakers
    assert not any("Subscribe" in d["quote"] or "Most read" in d["quote"] for d in doc["drafts"])
    lopez = next(d for d in doc["drafts"] if d["speaker"] == "Maria Lopez")
    assert lopez["probability"] == 0.7 and lopez["resolves"] == "2025-08-31"
    assert lopez["source_url"] == "https://news.example.com/economy/rates-cut"
    # the drafts file is what review reads: accept all, then they are in the database
    result = forecasts("review", str(out), "--tag", "rates", input="a\n" * len(doc["drafts"]))
    assert result.exit_code == 0, result.output
    assert f"Logged {len(doc['drafts'])}" in result.output
    assert {q["text"] for q in forecasts.json("list", "--tag", "rates")} == \
        {d["event"] for d in doc["drafts"]}


def test_a_pdf_is_read_through_its_text_layer(forecasts, tmp_path):
    pytest.importorskip("pypdf")
    pdf = tmp_path / "floods.pdf"
    _pdf(pdf, ["Rivers to rise", "",
               "Forecasters expect the river to flood by Friday, the weather service said.",
               "Officials said the dam is unlikely to fail."])
    doc = json.loads(forecasts.ok("extract", str(pdf), "--date", "2025-03-03", "--json").stdout)
    assert doc["input"] == "pdf"
    by_cue = {d["cue"]: d for d in doc["drafts"]}
    assert by_cue["expect"]["event"] == "The river floods by Friday"
    assert by_cue["expect"]["resolves"] == "2025-03-07"
    assert by_cue["unlikely"]["probability"] == 0.2


def test_a_damaged_pdf_or_binary_file_is_one_clean_error(forecasts, tmp_path):
    pytest.importorskip("pypdf")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n\x00\x01 not really a pdf")
    result = forecasts("extract", str(bad))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "broken.pdf" in result.output and len(result.output.strip().splitlines()) == 1
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR binary")
    result = forecasts("extract", str(blob))
    assert result.exit_code == 2 and "not UTF-8 text" in result.output
    odd = tmp_path / "odd.txt"  # a UTF-16 byte-order mark before an odd number of bytes
    odd.write_bytes(b"\xff\xfe\x00 binary!")
    result = forecasts("extract", str(odd))
    assert result.exit_code == 2 and "UTF-16 byte-order mark" in result.output
    assert len(result.output.strip().splitlines()) == 1


SENTENCE = "Analysts said the caf\u00e9 will probably close by March 2026."


def test_text_saved_as_windows_1252_is_read_and_says_so(forecasts, tmp_path):
    article = tmp_path / "cp.txt"
    article.write_bytes(SENTENCE.encode("cp1252"))
    result = forecasts("extract", str(article), "--date", "2025-12-16")
    assert result.exit_code == 0, result.output
    assert "cp.txt is not UTF-8: read as Windows-1252" in result.stderr
    assert "caf\u00e9 closes by March 2026" in result.stdout


def test_utf16_with_a_byte_order_mark_is_text(forecasts, tmp_path):
    article = tmp_path / "u16.txt"
    article.write_bytes(SENTENCE.encode("utf-16"))
    doc = json.loads(forecasts.ok("extract", str(article), "--date", "2025-12-16",
                                  "--json").stdout)
    assert [d["event"] for d in doc["drafts"]] == ["The caf\u00e9 closes by March 2026"]
    assert doc["notes"] == []


def test_an_html_page_is_read_in_the_charset_it_declares(forecasts, tmp_path):
    pytest.importorskip("trafilatura")
    page = tmp_path / "cp.html"
    page.write_bytes(PAGE.replace("<head>", '<head><meta charset="windows-1252">')
                     .replace("Maria Lopez", "Mar\u00eda L\u00f3pez").encode("cp1252"))
    doc = json.loads(forecasts.ok("extract", str(page), "--json").stdout)
    assert "Mar\u00eda L\u00f3pez" in {d["speaker"] for d in doc["drafts"]}
    assert doc["notes"] == []  # declared, so nothing was guessed


def test_nul_characters_and_web_addresses_are_one_clean_error(forecasts, tmp_path):
    article = tmp_path / "nul.txt"
    article.write_bytes(b"Rain will probably\x00 hit Paris by Friday, forecasters said.\n")
    result = forecasts("extract", str(article))
    assert result.exit_code == 2 and "holds NUL characters" in result.output
    result = forecasts("extract", "https://news.example.com/world-123")
    assert result.exit_code == 2 and "web address" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_standard_input_is_an_article(forecasts):
    result = forecasts("extract", "-", "--date", "2025-03-03", "--json",
                       input="Officials expect the river to flood by Friday.\n")
    doc = json.loads(result.stdout)
    assert doc["article"] == "standard input"
    assert [d["event"] for d in doc["drafts"]] == ["The river floods by Friday"]


def test_a_folder_is_one_batch_reviewed_article_by_article(forecasts, tmp_path):
    folder = tmp_path / "today"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials expect the river to flood by Friday.\n",
                                  encoding="utf-8")
    (folder / "b.md").write_text("Analysts say the merger is unlikely to close this year.\n",
                                 encoding="utf-8")
    (folder / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    out = tmp_path / "drafts.json"
    forecasts.ok("extract", str(folder), "--date", "2025-03-03", "--out", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["batch"] is True
    assert [a["article"] for a in doc["articles"]] == ["a.txt", "b.md"]
    assert [(d["id"], d["article"]) for d in doc["drafts"]] == [("a1.d1", "a.txt"),
                                                                 ("a2.d1", "b.md")]
    result = forecasts("review", str(out), input="a\nr\n")
    assert result.exit_code == 0, result.output
    assert result.output.index("== a.txt ==") < result.output.index("== b.md ==")
    assert "Logged 1, rejected 1" in result.output
    assert forecasts("extract", str(folder), "--url", "https://x.example/a").exit_code == 2


def test_a_file_in_a_folder_that_cannot_be_read_is_left_out_with_a_warning(forecasts,
                                                                          tmp_path):
    folder = tmp_path / "today"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials expect the river to flood by Friday.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00\x01\x02 not an article")
    result = forecasts("extract", str(folder), "--date", "2025-03-03", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [a["article"] for a in doc["articles"]] == ["a.txt"]
    assert [u["file"] for u in doc["unread"]] == [str(folder / "b.txt")]
    result = forecasts("extract", str(folder), "--date", "2025-03-03")
    assert f"Warning: left out {folder / 'b.txt'}" in result.stderr
    # a file named on the command line still stops the batch, and so does a folder of none
    result = forecasts("extract", str(folder / "a.txt"), str(folder / "b.txt"))
    assert result.exit_code == 2 and "b.txt" in result.output
    (folder / "a.txt").unlink()
    result = forecasts("extract", str(folder))
    assert result.exit_code == 2 and "no article could be read" in result.output


def test_an_empty_folder_is_a_clean_error(forecasts, tmp_path):
    result = forecasts("extract", str(tmp_path))
    assert result.exit_code == 2 and "no article files" in result.output


def test_a_newsroom_day_of_wikinews_articles_in_one_run(tmp_path):
    if not WIKINEWS.is_file():
        pytest.skip("../shared/data/wikinews is not present beside the checkout")
    with open(WIKINEWS, encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines][:40]
    folder = tmp_path / "day"
    folder.mkdir()
    for article in articles:
        (folder / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
    out = tmp_path / "drafts.json"
    run = subprocess.run([sys.executable, "-c", "from forecasts.cli import cli; cli()",
                          "extract", str(folder),
                          "--date", "2010-01-01", "--out", str(out), "--db",
                          str(tmp_path / "t.db")], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert run.returncode == 0, run.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["articles"]) == 40
    texts = {f"{a['id']}.txt": a["text"] for a in articles}
    for d in doc["drafts"]:
        assert texts[d["article"]][d["start"]:d["end"]] == d["quote"]
    assert len({d["id"] for d in doc["drafts"]}) == len(doc["drafts"])
