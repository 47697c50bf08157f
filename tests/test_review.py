"""forecasts review as a person uses it: the sentence in its paragraph, warnings, skip, reject
and quit at every prompt, undo, --tag, and Ctrl-C that keeps the decisions made so far."""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = """https://example.com/economy/2026/03/02/outlook
Officials met on Monday to discuss the budget. Analysts expect the budget to pass by the end of
the year, although the opposition has promised a fight.

The merger is most likely to close, bankers say.

"Prices will probably fall in the spring," said Ana Liu, an economist at Northgate.
"""


def _drafts(forecasts, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "drafts.json"
    forecasts.ok("extract", str(article), "--out", str(out))
    return out, json.loads(out.read_text(encoding="utf-8"))["drafts"]


def _statuses(out):
    return [d["status"] for d in json.loads(out.read_text(encoding="utf-8"))["drafts"]]


def test_the_claim_is_shown_in_its_paragraph_with_warnings(forecasts, tmp_path):
    out, drafts = _drafts(forecasts, tmp_path)
    assert [d["cue"] for d in drafts] == ["expect", "most likely", "will probably"]
    result = forecasts("review", str(out), input="q\n")
    assert result.exit_code == 0
    assert "in its paragraph: Officials met on Monday to discuss the budget. \u00bbAnalysts" in \
        result.output
    # the comparative has no probability: the reviewer is told before choosing
    result = forecasts("review", str(out), input="s\nq\n")
    assert "warning: no probability" in result.output


def test_a_draft_with_no_probability_does_not_trap_the_reviewer(forecasts, tmp_path):
    out, drafts = _drafts(forecasts, tmp_path)
    # accept the first; accept the second (no probability): asked to edit, reject, skip or quit;
    # edit, leave the event, then type reject at the probability prompt
    answers = "a\na\ne\n\nreject\na\n"
    result = forecasts("review", str(out), "--tag", "outlook", input=answers)
    assert result.exit_code == 0, result.output
    assert "Cannot log it yet: it has no probability" in result.output
    assert _statuses(out) == ["logged", "rejected", "logged"]
    assert len(forecasts.json("list", "--tag", "outlook")) == 2


def test_quit_at_an_edit_prompt_saves_and_resumes(forecasts, tmp_path):
    out, _ = _drafts(forecasts, tmp_path)
    result = forecasts("review", str(out), input="a\ne\nquit\n")
    assert result.exit_code == 0, result.output
    assert _statuses(out) == ["logged", "draft", "draft"]
    result = forecasts("review", str(out), input="r\na\n")
    assert "Logged 1, rejected 1, 0 left as drafts" in result.output
    assert _statuses(out) == ["logged", "rejected", "logged"]


def test_undo_takes_back_the_last_decision(forecasts, tmp_path):
    out, _ = _drafts(forecasts, tmp_path)
    # reject the first, undo (back to the first), accept it; undo with nothing more is harmless
    result = forecasts("review", str(out), input="u\nr\nu\na\nr\nu\nr\ns\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Undone:") == 2 and "Nothing to undo" in result.output
    assert _statuses(out) == ["logged", "rejected", "draft"]


def _read_until(stream, marker, timeout=20):
    seen, deadline = b"", time.time() + timeout
    while marker not in seen:
        assert time.time() < deadline, seen.decode(errors="replace")
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, seen.decode(errors="replace")
            seen += chunk
    return seen


def test_ctrl_c_keeps_the_decisions_made_so_far(forecasts, tmp_path):
    out, _ = _drafts(forecasts, tmp_path)
    db = tmp_path / "review.db"
    review = subprocess.Popen(
        [sys.executable, "-c", "from forecasts.cli import cli; cli()", "review", str(out),
         "--db", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    _read_until(review.stdout, b"[1/3]")
    review.stdin.write(b"a\n")
    review.stdin.flush()
    _read_until(review.stdout, b"[2/3]")
    review.send_signal(signal.SIGINT)
    _, err = review.communicate(timeout=20)
    assert review.returncode == 130
    assert b"Traceback" not in err and b"decisions so far are saved" in err
    assert _statuses(out) == ["accepted", "draft", "draft"]
    # resuming logs the accepted one with the new decisions
    result = forecasts("review", str(out), input="r\nr\n")
    assert "Logged 1, rejected 2" in result.output


def test_a_hard_wrapped_claim_is_still_marked_in_its_paragraph(forecasts, tmp_path):
    out, drafts = _drafts(forecasts, tmp_path)
    assert "\n" in drafts[0]["quote"] and drafts[0]["quote"] in drafts[0]["context"]
