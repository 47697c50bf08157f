"""Drafts files: what `extract` writes and `review` edits, logged by `import-drafts` (or
`import`, which recognises them) all or nothing, never twice."""

import json

from conftest import ARTICLE

from forecasts.cli import cli


def _drafts_file(forecasts, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "drafts.json"
    forecasts.ok("extract", str(article), "--out", str(out))
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_import_drafts_logs_accepted_ones_all_or_nothing(forecasts, tmp_path):
    out, doc = _drafts_file(forecasts, tmp_path)
    result = forecasts("import-drafts", str(out))
    assert result.exit_code == 0 and "Logged 0" in result.output
    doc["drafts"][1]["status"] = "accepted"
    doc["drafts"][2]["status"] = "edited"
    doc["drafts"][2]["probability"] = 0.55
    doc["drafts"][0]["status"] = "accepted"
    doc["drafts"][0]["speaker"] = ""
    out.write_text(json.dumps(doc), encoding="utf-8")
    before = forecasts.counts()
    bad = forecasts("import-drafts", str(out))
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert "d1" in bad.output and "no speaker" in bad.output
    assert forecasts.counts() == before
    doc["drafts"][0]["status"] = "rejected"
    out.write_text(json.dumps(doc), encoding="utf-8")
    assert "Logged 2" in forecasts.ok("import-drafts", str(out)).output
    listed = forecasts.json("list")
    assert len(listed) == 2
    assert "Logged 0" in forecasts.ok("import-drafts", str(out)).output


def test_every_draft_that_cannot_be_logged_is_named_at_once(forecasts, tmp_path):
    out, doc = _drafts_file(forecasts, tmp_path)
    for draft in doc["drafts"]:
        draft["status"] = "accepted"
    doc["drafts"][0]["speaker"] = ""
    doc["drafts"][2]["resolves"] = doc["date"]  # "by this afternoon": the article's own day
    out.write_text(json.dumps(doc), encoding="utf-8")
    result = forecasts("import-drafts", str(out))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"Error: 2 drafts cannot be logged (d1: it has no speaker; d3: it resolves on "
        f"{doc['date']}, not after it was made ({doc['date']}): set a later resolution date); "
        "edit or reject them (forecasts review), nothing was logged")
    assert not forecasts.json("list")


def test_extracting_again_never_overwrites_reviewed_drafts(forecasts, tmp_path):
    out, doc = _drafts_file(forecasts, tmp_path)
    article = tmp_path / "article.txt"
    forecasts.ok("extract", str(article), "--out", str(out))  # nothing reviewed yet: replaced
    doc["drafts"][0]["status"] = "accepted"
    doc["drafts"][1]["status"] = "rejected"
    out.write_text(json.dumps(doc), encoding="utf-8")
    result = forecasts("extract", str(article), "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"Error: {out} holds reviewed drafts (1 accepted, 1 "
                                     "rejected): write the new drafts to another file, or "
                                     "remove it first")
    assert json.loads(out.read_text(encoding="utf-8")) == doc


def test_import_recognises_a_draft_file(forecasts, tmp_path):
    out, doc = _drafts_file(forecasts, tmp_path)
    doc["drafts"][1]["status"] = "accepted"
    out.write_text(json.dumps(doc), encoding="utf-8")
    assert "Logged 1" in forecasts.ok("import", str(out)).output
    assert len(forecasts.json("list")) == 1
    assert "Logged 0" in forecasts.ok("import", str(out), "--format", "drafts").output


def test_a_file_that_is_no_drafts_file_is_one_line(forecasts, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = forecasts.counts()
    result = forecasts("import-drafts", str(article))
    assert result.exit_code == 2
    assert "not a draft file" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert forecasts.counts() == before


def test_a_second_run_after_the_drafts_file_could_not_be_saved_adds_nothing(forecasts, tmp_path,
                                                                             monkeypatch):
    out, doc = _drafts_file(forecasts, tmp_path)
    original = out.read_text(encoding="utf-8")
    from forecasts import drafts

    def cannot_save(path, doc):
        raise OSError("disk full")

    monkeypatch.setattr(drafts, "save_drafts", cannot_save)
    failed = forecasts.runner.invoke(cli, ["import-drafts", str(out), "--accept-all",
                                           "--db", forecasts.db])
    assert failed.exit_code != 0 and isinstance(failed.exception, SystemExit), failed.exception
    assert "disk full" in failed.output
    logged = forecasts.counts()["forecasts"]
    assert logged == len(doc["drafts"])
    assert out.read_text(encoding="utf-8") == original  # the file was never marked
    monkeypatch.undo()
    again = forecasts.ok("import-drafts", str(out), "--accept-all")
    assert "Logged 0" in again.output and f"{logged} were logged before" in again.output
    assert forecasts.counts()["forecasts"] == logged
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert {d["status"] for d in saved["drafts"]} == {"logged"}
    assert "Logged 0" in forecasts.ok("import-drafts", str(out), "--accept-all").output
