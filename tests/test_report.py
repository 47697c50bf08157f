"""Charts (PNG, SVG, terminal) and the HTML report, down to a real headless Chromium."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from forecasts import charts, report

XSS_QUOTE = '<script>document.title="pwned"</script> & "quotes" — ünïcödé 東京'
ODD_NAME = "Ana <b>Bold</b> & $x$ Ölz"


def build_panel(forecasts):
    """Two forecasters on twelve resolved questions, one open question with a hostile quote,
    a verbal forecast, a source and a corrected resolution."""
    for i in range(12):
        p_a = f"{(i % 9 + 1) * 10}%"
        forecasts.ok("add", f"Event {i:02d} happens", "--by", "Alice", "-p", p_a, "--on",
                     "2025-01-01", "--resolves", f"2025-{2 + i % 10:02d}-15", "--tag", "panel")
        forecasts.ok("forecast", str(i + 1), "--by", ODD_NAME, "-p", "50%", "--on", "2025-01-02")
        forecasts.ok("resolve", str(i + 1), "yes" if i % 3 else "no", "--on",
                     f"2025-{2 + i % 10:02d}-15")
    forecasts.ok("add", "Russia accepts the framework", "--by", "Alice", "-p", "probably not",
                 "--on", "2025-03-01", "--resolves", "2025-06-30", "--quote", XSS_QUOTE,
                 "--source", "https://example.org/article?a=1&b=<2>", "--tag", "<b>tag</b>")
    forecasts.ok("forecast", "13", "--by", "Bob", "-p", "0.3", "--on", "2025-03-02",
                 "--source", "javascript:alert(1)")
    forecasts.ok("resolve", "13", "yes", "--on", "2025-06-30", "--evidence", "first report")
    forecasts.ok("resolve", "13", "no", "--correct", "--on", "2025-06-30", "--evidence",
                 "https://example.org/correction")
    forecasts.ok("add", "An open question", "--by", "Bob", "-p", "0.6", "--on", "2025-03-01",
                 "--resolves", "2030-01-01")


@pytest.fixture
def panel(forecasts):
    build_panel(forecasts)
    return forecasts


def one_clean_error(result, needle, code=None):
    assert result.exit_code != 0 and (code is None or result.exit_code == code), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.output


def image_pixels(path):
    from matplotlib.image import imread

    return imread(path)


# --- charts as files ------------------------------------------------------------------------


def test_plot_calibration_png_is_a_real_chart(panel, tmp_path):
    out = tmp_path / "calibration.png"
    result = panel.ok("plot", "calibration", "-o", str(out))
    assert f"Wrote {out}" in result.stdout
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 30_000 < len(data) < 3_000_000
    pixels = image_pixels(out)
    height, width = pixels.shape[:2]
    assert width >= 900 and height >= 700
    assert pixels[..., :3].std() > 0.05  # not a blank canvas


def test_plot_calibration_svg_has_names_legend_and_axes(panel, tmp_path):
    out = tmp_path / "calibration.svg"
    panel.ok("plot", "calibration", "-o", str(out))
    svg = out.read_text(encoding="utf-8")
    ET.fromstring(svg)  # well-formed XML, user text escaped
    assert 10_000 < len(svg) < 2_000_000
    for text in ("Alice", "Ana &lt;b&gt;Bold&lt;/b&gt; &amp; $x$ Ölz", "perfect calibration",
                 "95% interval (Wilson)", "Forecast probability", "Observed frequency",
                 "13 questions", "12 questions", "how often did it happen"):
        assert text in svg, text
    alice = [row for row in panel.json("score") if row["forecaster"] == "Alice"][0]
    assert f"Brier {alice['brier']:.3f}" in svg  # the legend shows the scorecard's number


def test_plot_calibration_by_and_tag_select_panels(panel, tmp_path):
    out = tmp_path / "bob.svg"
    panel.ok("plot", "calibration", "--by", "bob", "--bins", "6", "--interval", "jeffreys",
             "-o", str(out))
    svg = out.read_text(encoding="utf-8")
    assert "Bob" in svg and "Alice" not in svg and "Jeffreys" in svg
    out = tmp_path / "tagged.svg"
    panel.ok("plot", "calibration", "--tag", "panel", "--min-questions", "5", "-o", str(out))
    svg = out.read_text(encoding="utf-8")
    assert "Alice" in svg and "Bob" not in svg and "12 questions" in svg


def test_plot_history_png_and_svg(panel, tmp_path):
    png = tmp_path / "history.png"
    panel.ok("plot", "history", "-o", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert image_pixels(png)[..., :3].std() > 0.05
    svg = tmp_path / "history.svg"
    panel.ok("plot", "history", "--by", "Alice", "--by", ODD_NAME, "-o", str(svg))
    text = svg.read_text(encoding="utf-8")
    ET.fromstring(text)
    for needle in ("Alice", "Ana &lt;b&gt;Bold", "always saying 50%", "cumulative mean",
                   "after 13 questions"):
        assert needle in text, needle
    relative = tmp_path / "relative.svg"
    panel.ok("plot", "history", "--score", "relative", "--window", "5", "-o", str(relative))
    text = relative.read_text(encoding="utf-8")
    assert "median forecaster" in text and "last 5" in text


def test_history_series_uses_the_scorecard_scores(panel):
    from forecasts.store import Store

    store = Store.open(panel.db)
    try:
        (alice,) = charts.history_series(store, by=["alice"])
        (cumulative,) = charts.history_series(store, by=["Alice"], window=None)
        (rolling,) = charts.history_series(store, by=["Alice"], window=3)
    finally:
        store.close()
    scores = {row["forecaster"]: row for row in panel.json("score")}
    assert alice["forecaster"] == "Alice" and len(alice["values"]) == 13
    assert alice["dates"] == sorted(alice["dates"])
    assert cumulative["means"][-1] == pytest.approx(scores["Alice"]["brier"])
    assert rolling["means"][-1] == pytest.approx(sum(alice["values"][-3:]) / 3)
    assert rolling["means"][0] == pytest.approx(alice["values"][0])


@pytest.mark.parametrize("args, needle, code", [
    (["plot", "calibration", "-o", "chart.jpg"], "ending in .png or .svg", 2),
    (["plot", "history", "-o", "chart"], "ending in .png or .svg", 2),
    (["plot", "calibration", "--by", "Nobody", "-o", "chart.png"], "no forecaster named", None),
    (["plot", "calibration", "-o", "missing-folder/chart.png"], "does not exist", 1),
    (["report", "--html", "missing-folder/report.html"], "does not exist", 1),
    (["report", "--html", "r.html", "--by", "Nobody"], "no forecaster named", None),
    (["report", "--html", "r.html", "--max-forecasters", "-1"], "--max-forecasters '-1'", 2),
    (["report", "--html", "r.html", "--max-questions", "many"], "--max-questions 'many'", 2),
    (["calibration", "--chart", "--json"], "--chart", 2),
])
def test_bad_chart_input_is_one_clean_line(panel, tmp_path, monkeypatch, args, needle, code):
    monkeypatch.chdir(tmp_path)
    before = set(os.listdir(tmp_path))
    one_clean_error(panel(*args), needle, code)
    assert set(os.listdir(tmp_path)) == before  # nothing written, no temporary file left


def test_nothing_to_plot_on_an_empty_database(forecasts, tmp_path):
    one_clean_error(forecasts("plot", "calibration", "-o", str(tmp_path / "c.png")),
                    "nothing to plot", 1)
    one_clean_error(forecasts("plot", "history", "-o", str(tmp_path / "h.png")),
                    "nothing to plot", 1)
    assert not (tmp_path / "c.png").exists()


def test_unwritable_output_is_one_clean_line(panel, tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write to a read-only folder")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        one_clean_error(panel("plot", "calibration", "-o", str(locked / "c.png")),
                        "cannot write", 1)
    finally:
        locked.chmod(0o700)


def test_importing_the_report_module_loads_no_matplotlib():
    script = ("import sys, forecasts.report, forecasts.cli; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- the terminal chart ---------------------------------------------------------------------


def test_calibration_chart_in_the_terminal(panel):
    result = panel.ok("calibration", "--chart", "--by", "Alice")
    lines = result.stdout.splitlines()
    assert len(lines) >= 8
    assert lines[0].startswith("Alice: 13 forecasts, Brier ")
    assert any(line.lstrip().startswith("100% ┤") for line in lines)
    assert any("└" in line and "┬" in line for line in lines)
    assert "●" in result.stdout and "·" in result.stdout and "│" in result.stdout
    assert "Forecast" in result.stdout and "perfect calibration" in result.stdout
    assert "Mean forecast" not in result.stdout  # the chart replaces the table


def test_calibration_chart_per_forecaster_and_group(panel):
    result = panel.ok("calibration", "--chart")
    titles = [line for line in result.stdout.splitlines() if ": " in line and "Brier" in line]
    assert [t.split(":")[0] for t in titles] == ["Alice", ODD_NAME, "Bob", "(all)"]
    by_tag = panel.ok("calibration", "--chart", "--by-tag", "--by", "Alice")
    assert "Alice, tag panel:" in by_tag.stdout


def test_calibration_chart_on_an_empty_database(forecasts):
    assert forecasts.ok("calibration", "--chart").stdout.strip() == (
        "No resolved forecasts to calibrate yet.")


def test_terminal_chart_places_points_and_whiskers():
    bins = [{"centre": 0.0, "n": 4, "observed": 0.0, "ci_low": 0.0, "ci_high": 0.5},
            {"centre": 1.0, "n": 2, "observed": 1.0, "ci_low": 0.3, "ci_high": 1.0},
            {"centre": 0.5, "n": 10, "observed": 0.5, "ci_low": 0.5, "ci_high": 0.5}]
    lines = charts.terminal_chart(bins, "T").splitlines()
    rows = {line.split("┤")[0].strip() or line.split("│")[0].strip(): line
            for line in lines[2:23]}
    top, middle, bottom = rows["100%"], rows["50%"], rows["0%"]
    offset = top.index("┤") + 1
    assert top[offset + 52] == "●"       # 100% bin: centre column 10 * 5 + 2
    assert middle[offset + 27] == "●"    # 50% bin
    assert bottom[offset + 2] == "●"     # 0% bin
    assert lines[23].count("┬") == 11
    assert lines[25].split() == ["n", "4", "10", "2"]


# --- the HTML report ------------------------------------------------------------------------


def write_report(forecasts, tmp_path, *args):
    out = tmp_path / "report.html"
    result = forecasts.ok("report", "--html", str(out), *args)
    assert f"Wrote {out}" in result.stdout
    return out, out.read_text(encoding="utf-8")


def test_report_escapes_every_piece_of_user_text(panel, tmp_path):
    _, body = write_report(panel, tmp_path)
    assert "<script" not in body.lower()  # the report runs no scripts at all
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in body
    assert "ünïcödé 東京" in body
    assert "<b>Bold</b>" not in body and "Ana &lt;b&gt;Bold&lt;/b&gt; &amp; $x$ Ölz" in body
    assert "<b>tag</b>" not in body and "&lt;b&gt;tag&lt;/b&gt;" in body
    assert 'href="javascript' not in body.lower() and "javascript:alert(1)" in body
    assert 'href="https://example.org/article?a=1&amp;b=&lt;2&gt;"' in body


def test_report_is_one_self_contained_file(panel, tmp_path):
    _, body = write_report(panel, tmp_path)
    assert body.startswith("<!DOCTYPE html>")
    assert body.count("<svg") >= 4  # history plus one calibration chart per forecaster
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", body, flags=re.I)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", body.replace(
        'href="https://example.org', ""), flags=re.I)
    assert not re.search(r"url\(\s*['\"]?(?!#)", body) and "@import" not in body
    assert "Content-Security-Policy" in body and "default-src 'none'" in body


def test_report_shows_leaderboard_calibration_questions_and_scales(panel, tmp_path):
    _, body = write_report(panel, tmp_path)
    for needle in ('id="leaderboard"', "Relative Brier", "Murphy decomposition", "Reliability",
                   "Russia accepts the framework", "first report", "(superseded)",
                   'href="https://example.org/correction"', "An open question",
                   "not resolved yet", "Verbal probabilities", "“probably not”",
                   "default scale", "zonination/perceptions", "26.5%"):
        assert needle.lower() in body.lower(), needle
    leaderboard = body[body.index('id="leaderboard"'):body.index('id="forecasters"')]
    assert all(name in leaderboard for name in ("Alice", "Bob", "Ana &lt;b&gt;Bold"))


def test_report_by_and_tag(panel, tmp_path):
    _, body = write_report(panel, tmp_path, "--by", "Bob")
    assert "An open question" in body and "Event 00 happens" not in body
    assert 'id="f-bob"' in body and 'id="f-alice"' not in body
    _, body = write_report(panel, tmp_path, "--tag", "panel")
    assert "Event 00 happens" in body and "An open question" not in body


def test_report_on_an_empty_database(forecasts, tmp_path):
    _, body = write_report(forecasts, tmp_path)
    assert "No resolved questions to score yet." in body and "No questions." in body


def cards(body):
    """The totals at the top of the report: label -> number."""
    return {label: int(n) for n, label in re.findall(
        r'<div class="card"><b>(\d+)</b><span>([^<]+)</span></div>', body)}


def sections(body):
    """The forecasters with a calibration section, in order."""
    return re.findall(r'<section class="forecaster" id="f-[^"]*"><h3>([^<]*)</h3>', body)


def listed(body):
    """The numbers of the questions listed."""
    return [int(n) for n in re.findall(r'<details class="question" id="q-(\d+)"', body)]


def test_report_limits_forecaster_sections_and_keeps_everyone_in_the_leaderboard(panel,
                                                                                  tmp_path):
    out = tmp_path / "report.html"
    result = panel.ok("report", "--html", str(out), "--max-forecasters", "2")
    body = out.read_text(encoding="utf-8")
    # most scored questions first: Alice 13, Ana 12, Bob 1
    assert sections(body) == ["Alice", "Ana &lt;b&gt;Bold&lt;/b&gt; &amp; $x$ Ölz"]
    assert "Sections for the 2 forecasters with the most scored questions; 1 more, with " \
           "fewer, is in the leaderboard above." in body
    leaderboard = body[body.index('id="leaderboard"'):body.index('id="forecasters"')]
    assert all(name in leaderboard for name in ("Alice", "Bob", "Ana &lt;b&gt;Bold"))
    assert 'href="#f-alice"' in leaderboard and 'href="#f-bob"' not in body  # no dead link
    assert "2 of 3 forecasters with calibration charts" in result.stdout
    assert result.stderr.splitlines() == [
        "Note: 1 forecaster with fewer scored questions has no calibration section (all are in "
        "the leaderboard); choose whom to show with --by (repeatable) or --tag, or "
        "--max-forecasters 0 for everyone"]
    # --by names whom to show, whatever the limit
    result = panel.ok("report", "--html", str(out), "--max-forecasters", "1", "--by", "Bob",
                      "--by", "alice")
    body = out.read_text(encoding="utf-8")
    assert sections(body) == ["Bob", "Alice"] and "Sections for the" not in body
    assert result.stderr == ""


def test_report_limits_the_question_list_and_still_counts_everything(panel, tmp_path):
    # a forecaster seen only on an open question that the shortened list leaves out
    panel.ok("add", "Carol's own question", "--by", "Carol", "-p", "0.2", "--on", "2025-03-01",
             "--resolves", "2030-01-01")
    out = tmp_path / "report.html"
    for scope in ([], ["--tag", "panel"], ["--by", "Alice"], ["--by", "Carol", "--by", "Bob"]):
        panel.ok("report", "--html", str(out), "--max-questions", "0", "--max-forecasters", "1",
                 *scope)
        whole = out.read_text(encoding="utf-8")
        result = panel.ok("report", "--html", str(out), "--max-questions", "1",
                          "--max-forecasters", "1", *scope)
        body = out.read_text(encoding="utf-8")
        assert len(listed(body)) == 1 and cards(body) == cards(whole), scope
        hidden = len(listed(whole)) - 1
        assert f"{hidden} more are counted in the totals at the top but not listed" in body
        assert f"1 of {len(listed(whole))} questions" in result.stdout
        assert result.stderr.splitlines()[-1] == (
            f"Note: {hidden} questions with fewer forecasts were left out of the question list; "
            "narrow it with --tag or --by, or --max-questions 0 for every question")
    panel.ok("report", "--html", str(out), "--max-questions", "5")
    body = out.read_text(encoding="utf-8")
    # questions 1-13 have two forecasts each; ties go to the later resolution date
    assert listed(body) == [6, 7, 8, 9, 10]
    assert cards(body) == {"questions": 15, "resolved": 13, "open or due": 2, "forecasts": 28,
                           "forecasters": 4}
    assert "Each question listed with its forecasts" in body
    assert "The table counts the forecasts on the questions listed above." in body


def test_report_defaults_match_the_library():
    from forecasts.cli import cli

    defaults = {p.name: p.default for p in cli.commands["report"].params}
    assert int(defaults["max_forecasters"]) == report.REPORT_FORECASTERS == 25
    assert int(defaults["max_questions"]) == report.REPORT_QUESTIONS == 300


def test_demo_report_keeps_every_section_and_question(tmp_path):
    from conftest import Forecasts

    demo = Forecasts(tmp_path / "demo.db")
    demo.ok("demo")
    out = tmp_path / "demo.html"
    # the demo holds a thousand superforecaster questions: past the defaults, so ask for all
    result = demo.ok("report", "--html", str(out), "--max-forecasters", "0",
                     "--max-questions", "0")
    body = out.read_text(encoding="utf-8")
    scored = [row["forecaster"] for row in demo.json("score")]
    questions = demo.json("list")
    assert sorted(sections(body)) == sorted(scored) and len(scored) >= 5
    assert listed(body) == [q["id"] for q in questions] and len(questions) > 100
    assert cards(body)["questions"] == len(questions)
    assert "Sections for the" not in body and "not listed" not in body
    assert "Every question with its forecasts" in body
    assert result.stderr == ""
    assert len(re.findall(r"<svg\b", body)) == len(scored) + 1  # and the score history


# --- the report in a real browser -----------------------------------------------------------


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(tmp_path, *args):
    browser = find_chromium()
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               "--enable-logging=stderr", "--v=0",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"chromium could not run here: {error}")
    if result.returncode != 0 and not result.stdout:
        pytest.skip(f"chromium could not run here: {result.stderr.strip()[-200:]}")
    return result


def page_errors(stderr):
    """Console errors and blocked loads that Chromium logged for the page."""
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line
            or "net::ERR" in line]


@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(panel, tmp_path):
    out, _ = write_report(panel, tmp_path)
    url = out.resolve().as_uri()
    dom = run_chromium(tmp_path, "--dump-dom", url)
    assert "<title>Forecast track record</title>" in dom.stdout  # the injected script never ran
    assert "pwned" not in re.search(r"<title>(.*?)</title>", dom.stdout).group(1)
    assert "&lt;script&gt;document.title=" in dom.stdout  # it is shown as text instead
    assert "<script" not in dom.stdout.lower()
    assert "ünïcödé 東京" in dom.stdout
    assert page_errors(dom.stderr) == []
    shot = tmp_path / "report.png"
    result = run_chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", url)
    assert shot.exists(), result.stderr[-300:]
    assert page_errors(result.stderr) == []
    pixels = image_pixels(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert pixels.std() > 0.05  # not blank
    assert (pixels.mean(axis=2) < 0.5).mean() > 0.005  # real dark text and lines on the page
    colours = {tuple(c) for c in (pixels[::7, ::7] * 255).astype(int).reshape(-1, 3)}
    assert len(colours) > 50  # charts drawn in colour, not just black text
