"""The HTML report: a shareable offline page of a track record, with its charts inline.

The numbers come from ``tracker`` and ``scorecard`` and the charts from ``charts``; nothing here
recomputes a score. The page is built with the standard library alone.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains", by="Alice", probabilities=["70%"], on="2025-01-01",
    ...                 resolves="2025-01-02")
    >>> _ = tracker.resolve(store, "1", "yes", on="2025-01-02")
    >>> "<h1>" in render_html(report_data(store), generated="2025-01-03")
    True

The page's CSS and markup are inline, so that the report stays one self-contained file.
"""

import datetime
import hashlib
import html
import re

from . import files, metrics, tracker
from .charts import (
    DASH,
    MAX_LINES,
    ChartPathError,
    _style,
    calibration_figure,
    calibration_panels,
    figure_svg,
    forecaster_names,
    history_figure,
    history_series,
)

# The HTML report draws a calibration section for at most this many forecasters (unless --by
# names them) and lists at most this many questions: enough to read, and a file that stays a
# few megabytes and takes seconds whatever the size of the database.
REPORT_FORECASTERS = 25
REPORT_QUESTIONS = 300


# --- the HTML report -----------------------------------------------------------------------


def _e(value):
    """Escaped text for HTML (None becomes empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _link(url, text=None):
    """A link for an http(s) URL; anything else (javascript:, data:, plain text) is shown as
    text only."""
    if url and re.match(r"https?://", str(url), flags=re.I):
        return (f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">'
                f"{_e(text or url)}</a>")
    return _e(text or url)


def _num(value, fmt=".3f", signed=False):
    """A number for a table cell; a value that rounds to zero is shown unsigned.

    >>> _num(-0.00001), _num(0.0123, signed=True), _num(None)
    ('0.000', '+0.012', '<span class="na">\u2013</span>')
    """
    if value is None:
        return '<span class="na">\u2013</span>'
    text = format(value, ("+" if signed else "") + fmt)
    if float(text) == 0:
        text = format(0.0, fmt)
    return text


def _span(low, high, fmt=".3f"):
    if low is None or high is None:
        return ""
    return f'<span class="ci">{_num(low, fmt)} to {_num(high, fmt)}</span>'


def _table(headers, rows, classes=""):
    """An HTML table; ``headers`` are (label, css class) pairs, rows hold ready-made HTML."""
    head = "".join(f'<th class="{c}">{label}</th>' for label, c in headers)
    body = "".join("<tr>" + "".join(f'<td class="{c}">{cell}</td>'
                                    for (_, c), cell in zip(headers, row)) + "</tr>"
                   for row in rows)
    return (f'<div class="scroll"><table class="{classes}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _status_badge(status):
    kind = "open"
    if status.startswith("resolved"):
        kind = "void" if status.split(": ")[-1] in ("ambiguous", "annulled") else "resolved"
    elif status == "due":
        kind = "due"
    return f'<span class="badge {kind}">{_e(status)}</span>'


def _selected_questions(store, names, tag):
    if not names:
        return tracker.list_questions(store, tag=tag)
    seen = {}
    for name in names:
        for row in tracker.list_questions(store, by=name, tag=tag):
            seen[row["id"]] = row
    return [seen[k] for k in sorted(seen)]


def _busiest(rows, limit):
    """The ``limit`` questions with the most forecasts (ties: the later resolution date, then the
    later question), in question order; every question when ``limit`` is 0.

    >>> rows = [{"id": 1, "forecasts": 3, "resolves": "2025-01-01"},
    ...         {"id": 2, "forecasts": 1, "resolves": "2025-02-01"},
    ...         {"id": 3, "forecasts": 1, "resolves": "2025-03-01"}]
    >>> [r["id"] for r in _busiest(rows, 2)], len(_busiest(rows, 0))
    ([1, 3], 3)
    """
    if not limit or len(rows) <= limit:
        return rows
    chosen = sorted(rows, key=lambda r: (r["forecasts"], r["resolves"] or "", r["id"]),
                    reverse=True)[:limit]
    return sorted(chosen, key=lambda r: r["id"])


def _forecaster_count(store, rows, questions, names, tag):
    """How many forecasters forecast on the questions in ``rows``, of which only ``questions``
    were read in full. The forecasters of those, and of the scored forecasts on the others, are
    known at once (without ``names`` every question in scope is selected, so everyone with a
    forecast on a resolved one is too); anyone left is looked up."""
    import numpy as np

    selected = {r["id"] for r in rows}
    people = {f["forecaster"] for d in questions for f in d["forecasts"]}
    columns = store.scored_columns(tag=tag)
    mine = np.isin(columns["question_id"], np.fromiter(selected, dtype=np.int64))
    people.update(columns["forecaster"][mine].tolist())
    if not names:
        people.update(r["forecaster"] for r in columns["unscored"])
    for row in store.forecasters():
        if row["name"] not in people and any(
                q["id"] in selected for q in store.questions(forecaster=row["name"], tag=tag)):
            people.add(row["name"])
    return len(people)


def report_data(store, by=(), tag=None, max_forecasters=REPORT_FORECASTERS,
                max_questions=REPORT_QUESTIONS):
    """Everything the HTML report shows, gathered through ``tracker``.

    Without ``by``, calibration sections go to the ``max_forecasters`` forecasters with the most
    scored questions (``left_out`` names the others, who stay in the leaderboard); the question
    list holds the ``max_questions`` questions with the most forecasts (``totals`` counts them
    all). 0 means no limit."""
    names = forecaster_names(store, by)
    wanted = {n.lower() for n in names}

    def chosen(row):
        return not wanted or row["forecaster"].lower() in wanted

    board = [r for r in tracker.leaderboard(store, tag=tag) if chosen(r)]
    panels = calibration_panels(store, by=names, tag=tag)
    panels = [p for p in panels if p["bins"] or names]
    left_out = []
    if not names and max_forecasters and len(panels) > max_forecasters:
        left_out = [p["forecaster"] for p in panels[max_forecasters:]]
        panels = panels[:max_forecasters]
    scores = {r["forecaster"]: r for r in tracker.scores(store, tag=tag)}
    roles = {r["name"]: r for r in store.forecasters()}
    # before the question list, so that its arrays and the list are not held at once
    history = history_series(store, by=[p["forecaster"] for p in panels][:MAX_LINES], tag=tag)
    rows = _selected_questions(store, names, tag)
    questions = [tracker.question_detail(store, row["id"])
                 for row in _busiest(rows, max_questions)]
    if len(questions) == len(rows):
        totals = {"questions": len(questions),
                  "resolved": sum(1 for d in questions
                                  if d["question"]["status"].startswith("resolved")),
                  "forecasts": sum(len(d["forecasts"]) for d in questions),
                  "forecasters": len({f["forecaster"] for d in questions
                                      for f in d["forecasts"]})}
    else:
        totals = {"questions": len(rows),
                  "resolved": sum(1 for r in rows if r["status"].startswith("resolved")),
                  "forecasts": sum(r["forecasts"] for r in rows),
                  "forecasters": _forecaster_count(store, rows, questions, names, tag)}
    return {"names": names, "tag": tag, "leaderboard": board, "panels": panels,
            "left_out": left_out, "scores": scores, "forecasters": roles,
            "questions": questions, "totals": totals,
            "history": history if any(s["dates"] for s in history) else []}


def _scale_rows(questions):
    """Every (phrase, scale) a shown forecast was read with, with the scale's row for it."""
    from .scales import UnknownPhrase, UnknownScale, read_phrase

    used = {}
    for detail in questions:
        for f in detail["forecasts"]:
            if not f["verbal"]:
                continue
            for phrase in f["verbal"].split("; "):
                key = (phrase, f["scale"] or "default")
                used.setdefault(key, []).append(f)
    rows = []
    for (phrase, scale), forecasts in sorted(used.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        try:
            reading = read_phrase(phrase, scale)
        except (UnknownPhrase, UnknownScale):
            reading = None
        rows.append({"phrase": phrase, "scale": scale, "reading": reading,
                     "forecasts": len(forecasts)})
    return rows


CSS = """
:root{--ink:#1f2937;--muted:#5b6576;--line:#e6e9ef;--soft:#f6f7f9;--accent:#0b5cad;
--good:#137a3d;--bad:#b42318;--warn:#a15c00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.55 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 28px 64px}
header.top{border-bottom:3px solid var(--ink);padding-bottom:14px;margin-bottom:8px}
h1{font-size:30px;line-height:1.2;margin:0 0 6px;letter-spacing:-.01em}
h2{font-size:21px;margin:42px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:17px;margin:0}
p{margin:8px 0}
.sub,.note,.ci,.na,.muted{color:var(--muted)}
.note{font-size:13px;max-width:860px}
.ci{font-size:12px;white-space:nowrap}
nav{margin:12px 0 0;font-size:14px}
nav a{margin-right:16px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:20px 0}
.card{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:26px;line-height:1.1}
.card span{color:var(--muted);font-size:13px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:8px 0}
th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);
padding:6px 8px;white-space:nowrap}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}
tbody tr:nth-child(even) td{background:#fbfcfd}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{font-weight:600}
.forecaster{border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:18px 0}
.forecaster .role{color:var(--muted);font-size:13.5px;margin:2px 0 10px}
.pair{display:grid;grid-template-columns:minmax(280px,400px) 1fr;gap:22px;align-items:start}
@media (max-width:820px){.pair{grid-template-columns:1fr}}
.chart svg{width:100%;height:auto;display:block}
figure{margin:0}
figcaption{font-size:12.5px;color:var(--muted);margin-top:4px}
.stats{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:14px;margin:4px 0 8px}
.stats b{font-variant-numeric:tabular-nums}
details.question{border:1px solid var(--line);border-radius:8px;margin:10px 0;background:#fff}
details.question>summary{cursor:pointer;padding:10px 14px;display:flex;gap:10px;align-items:baseline;
flex-wrap:wrap;list-style:none}
details.question>summary::-webkit-details-marker{display:none}
details.question>summary::before{content:"\\25B8";color:var(--muted);width:10px}
details.question[open]>summary::before{content:"\\25BE"}
details.question[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
.qid{color:var(--muted);font-variant-numeric:tabular-nums}
.qtext{font-weight:600;flex:1 1 420px}
.qmeta{color:var(--muted);font-size:13px;white-space:nowrap}
.qbody{padding:8px 16px 14px}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 9px;
white-space:nowrap}
.badge.open{background:#e8f1fb;color:#0b5cad}
.badge.due{background:#fff4e0;color:var(--warn)}
.badge.resolved{background:#e7f6ec;color:var(--good)}
.badge.void{background:#eef0f3;color:var(--muted)}
.chip{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:4px;
padding:0 6px;margin:0 4px 2px 0;font-size:12.5px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:13.5px;margin:6px 0 10px}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
blockquote{margin:4px 0;padding:2px 0 2px 10px;border-left:3px solid #c9d3e0;font-style:italic;
color:#374151;overflow-wrap:anywhere}
.src{font-size:12.5px;color:var(--muted);overflow-wrap:anywhere}
.late{color:var(--warn);font-size:12px}
.history{padding-left:20px;margin:6px 0}
.history li{margin:6px 0}
.history .old{color:var(--muted);text-decoration:line-through}
.evidence{overflow-wrap:anywhere;font-size:13.5px;color:#374151;margin:2px 0 0}
td.date{white-space:nowrap}
footer{margin-top:48px;padding-top:12px;border-top:1px solid var(--line);font-size:12.5px;color:var(--muted)}
@media print{main{padding:0}details.question{break-inside:avoid}a{color:inherit}}
"""


def _forecaster_section(panel, score, who, colour):
    name = panel["forecaster"]
    role = " \u00b7 ".join(_e(v) for v in (who.get("role"), who.get("kind")) if v)
    stats = []
    if score:
        stats = [
            ("Questions scored", f"{score['questions']}"),
            ("Brier", _num(score.get("brier")) + " " + _span(score.get("brier_ci_low"),
                                                               score.get("brier_ci_high"))),
            ("Relative Brier", _num(score.get("relative_brier"), signed=True)),
            ("Log score", _num(score.get("log_score"))),
            ("Skill vs 50%", _num(score.get("skill_vs_chimp"), signed=True)),
        ]
    stat_html = "".join(f"<span>{label} <b>{value}</b></span>" for label, value in stats)
    with _style():
        svg = figure_svg(calibration_figure([panel], footnote=False, first_colour=colour))
    bins = [[f"{b['lo']:.0%}\u2013{b['hi']:.0%}", str(b["n"]), f"{b['mean_forecast']:.0%}",
             f"{b['observed']:.0%}", f"{b['ci_low']:.0%}\u2013{b['ci_high']:.0%}"]
            for b in panel["bins"]]
    table = _table([("Bin", ""), ("n", "num"), ("Mean forecast", "num"), ("Observed", "num"),
                    ("95% interval", "num")], bins, "bins") if bins else (
        '<p class="muted">No resolved forecasts yet.</p>')
    parts = panel["decomposition"]
    decomposition = ""
    if parts:
        ndi = parts.get("normalised_discrimination")
        decomposition = _table(
            [("Pairs", "num"), ("Brier", "num"), ("Reliability", "num"),
             ("Resolution", "num"), ("Uncertainty", "num"), ("Residual", "num"),
             ("NDI", "num")],
            [[str(parts["pairs"]), _num(parts["brier"], ".4f"),
              _num(parts["reliability"], ".4f"), _num(parts["resolution"], ".4f"),
              _num(parts["uncertainty"], ".4f"), _num(parts["residual"], ".4f"),
              _num(ndi, ".3f")]], "decomposition")
        decomposition = ('<h4 class="muted" style="margin:14px 0 0;font-size:13px">Murphy '
                         "decomposition: Brier = reliability \u2212 resolution + uncertainty "
                         f"+ residual</h4>{decomposition}")
    return (f'<section class="forecaster" id="f-{_e(_anchor(name))}"><h3>{_e(name)}</h3>'
            f'<p class="role">{role}</p><div class="stats">{stat_html}</div>'
            f'<div class="pair"><figure class="chart">{svg}<figcaption>Reliability diagram: '
            "points on the dashed diagonal are perfectly calibrated; whiskers are 95% "
            "intervals; bars count the forecasts in each bin.</figcaption></figure>"
            f"<div>{table}{decomposition}</div></div></section>")


def _has_words(detail):
    """Whether any forecast on the question carries a quote or a source."""
    return any(f["quote"] or f.get("source_url") or f.get("source_title")
               for f in detail["forecasts"])


PLAIN_NAME = re.compile(r"[A-Za-z0-9]+( [A-Za-z0-9]+)*")


def _anchor(text):
    """A forecaster's HTML anchor, unique for every name: a plain name (ASCII letters and digits,
    single spaces) as its slug, any other with "--" and a hash of the name after the slug (two
    Cyrillic names, or "Ann Lee" and "Ann-Lee", never share one).

    >>> _anchor("Ann Lee"), _anchor("Ann-Lee"), _anchor("Анна")
    ('ann-lee', 'ann-lee--e197c9cc', 'x--25f4b213')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if PLAIN_NAME.fullmatch(text):
        return slug
    return f"{slug or 'x'}--{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _forecast_rows(detail):
    rows = []
    for f in detail["forecasts"]:
        words = ""
        if f["verbal"]:
            words = (f"\u201c{_e(f['verbal'])}\u201d<br><span class=\"muted\">"
                     f"{_e(f['scale'] or 'default')} scale</span>")
        said = ""
        if f["quote"]:
            said += f"<blockquote>{_e(f['quote'])}</blockquote>"
        source_text = " \u2014 ".join(v for v in (f.get("source_outlet"), f.get("source_title"))
                                      if v)
        if f.get("source_url") or source_text:
            said += (f'<div class="src">Source: '
                     f'{_link(f.get("source_url"), source_text or None)}</div>')
        late = ('<div class="late">made on or after the resolution date: not scored</div>'
                if f["late"] else "")
        if f.get("recorded_late") and not f["late"]:
            late = '<div class="late">recorded after the question was resolved: not scored</div>'
        elif f.get("recorded_after_known"):
            late = ('<div class="late">recorded after the outcome became known: counted, left '
                    'out by <code>score --strict-recorded</code></div>')
        made, who, probability = _e(f["made"]), f'<b>{_e(f["forecaster"])}</b>', \
            f"<b>{_e(f['probability'])}</b>"
        if f.get("retracted"):
            made, who, probability = (f"<s>{cell}</s>" for cell in (made, who, probability))
            late = (f'<div class="late">retracted {_e(f["retraction"]["recorded"][:10])}: '
                    f'{_e(f["retraction"]["reason"])}; not scored</div>')
        rows.append([made, who, probability + late, words, said])
    return rows


def _question_section(detail, open_):
    q = detail["question"]
    meta = [("Id", _e(q["slug"])), ("Kind", _e(q["kind"].replace("_", "-"))),
            ("Opened", _e(q["opens"] or "\u2013")), ("Resolves", _e(q["resolves"] or "\u2013"))]
    if q["options"]:
        meta.append(("Options", "".join(f'<span class="chip">{_e(o)}</span>'
                                        for o in q["options"])))
    if q["tags"]:
        meta.append(("Tags", "".join(f'<span class="chip">{_e(t)}</span>' for t in q["tags"])))
    if q["criteria"]:
        meta.append(("Criteria", _e(q["criteria"])))
    meta_html = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    forecasts = '<p class="muted">No forecasts.</p>'
    if detail["forecasts"]:
        headers = [("Made", "date"), ("Forecaster", ""), ("Probability", ""),
                   ("From words", ""), ("Quote and source", "")]
        rows = _forecast_rows(detail)
        # a column that is empty for every forecast is left out
        keep = [i for i in range(len(headers)) if i < 3 or any(row[i] for row in rows)]
        forecasts = _table([headers[i] for i in keep], [[row[i] for i in keep] for row in rows],
                           "forecasts")
    history = []
    resolutions = detail["resolutions"]
    for i, r in enumerate(resolutions):
        current = i == len(resolutions) - 1
        label = "resolved" if i == 0 else "correction"
        evidence = ""
        if r["evidence"]:
            evidence = f'<div class="evidence">Evidence: {_link(r["evidence"])}</div>'
        note = f'<div class="evidence">Note: {_e(r["note"])}</div>' if r["note"] else ""
        outcome = f"<b>{_e(r['outcome'])}</b>" if current else (
            f'<span class="old">{_e(r["outcome"])}</span> (superseded)')
        history.append(f"<li>{_e(r['resolved'])} {label}: {outcome}{evidence}{note}</li>")
    resolution = (f'<ul class="history">{"".join(history)}</ul>' if history
                  else '<p class="muted">Not resolved yet.</p>')
    count = len(detail["forecasts"])
    return (f'<details class="question" id="q-{q["id"]}"{" open" if open_ else ""}>'
            f'<summary><span class="qid">#{q["id"]}</span><span class="qtext">{_e(q["text"])}'
            f'</span>{_status_badge(q["status"])}<span class="qmeta">resolves '
            f'{_e(q["resolves"] or DASH)} \u00b7 {count} forecast{"s" if count != 1 else ""}'
            f'</span></summary><div class="qbody"><dl class="meta">{meta_html}</dl>'
            f"{forecasts}<h4 style=\"margin:12px 0 0;font-size:14px\">Resolution</h4>"
            f"{resolution}</div></details>")


def _scales_section(rows):
    if not rows:
        return ('<p class="muted">No forecast in this report was given in words; every '
                "probability is the number the forecaster stated.</p>")
    body = []
    for row in rows:
        reading = row["reading"]
        if reading is None:
            body.append([f"\u201c{_e(row['phrase'])}\u201d", _e(row["scale"]), "", "", "",
                         '<span class="muted">not in this scale any more</span>',
                         str(row["forecasts"])])
            continue
        flags = f' <span class="muted">({_e(", ".join(reading.flags))})</span>' \
            if reading.flags else ""
        body.append([f"\u201c{_e(row['phrase'])}\u201d", _e(row["scale"]),
                     _e(reading.row_class) + flags, f"{reading.p:.1%}",
                     f"{reading.lo:.0%}\u2013{reading.hi:.0%}", _e(reading.source),
                     str(row["forecasts"])])
    return _table([("Words", ""), ("Scale", ""), ("Read as", ""), ("Probability", "num"),
                   ("Range", "num"), ("Source of the number", ""), ("Forecasts", "num")],
                  body, "scales")


def render_html(data, title="Forecast track record", generated=None, database=None):
    """The report as one self-contained HTML document (inline CSS and SVG, no scripts)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("forecasts")
    except PackageNotFoundError:
        ours = "development"
    generated = generated or datetime.date.today().isoformat()
    questions, totals = data["questions"], data["totals"]
    hidden = totals["questions"] - len(questions)
    scope = []
    if data["names"]:
        scope.append("forecasters " + ", ".join(_e(n) for n in data["names"]))
    if data["tag"]:
        scope.append(f"questions tagged <span class=\"chip\">{_e(data['tag'])}</span>")
    cards = [(totals["questions"], "questions"), (totals["resolved"], "resolved"),
             (totals["questions"] - totals["resolved"], "open or due"),
             (totals["forecasts"], "forecasts"), (totals["forecasters"], "forecasters")]
    drawn = {p["forecaster"] for p in data["panels"]}

    def named(name):  # a link to the forecaster's section, where the report has one
        if name not in drawn:
            return _e(name)
        return f'<a href="#f-{_e(_anchor(name))}">{_e(name)}</a>'

    board_metrics = metrics.leaderboard_metrics("report")

    def metric_cell(row, metric):
        cell = _num(row.get(metric.key), metric.format, signed=metric.signed)
        if metric.interval:
            cell += "<br>" + _span(row.get(f"{metric.interval}_low"),
                                   row.get(f"{metric.interval}_high"))
        return cell

    board_rows = [[str(r["rank"]) if r["rank"] else "–", named(r["forecaster"]), str(r["questions"]),
                   str(r.get("shared_questions", "")),
                   *(metric_cell(r, metric) for metric in board_metrics),
                   str(r.get("late_forecasts", 0)), str(r.get("void_questions", 0)),
                   str(r.get("recorded_after_known", 0))]
                  for r in data["leaderboard"]]
    board = _table([("Rank", "num"), ("Forecaster", "name"), ("Questions", "num"),
                    ("Shared", "num"),
                    *((metric.title, "num") for metric in board_metrics),
                    ("Late", "num"), ("Void", "num"), ("Recorded after known", "num")],
                   board_rows, "leaderboard") \
        if board_rows else '<p class="muted">No resolved questions to score yet.</p>'
    history = ""
    if data["history"]:
        with _style():
            history = figure_svg(history_figure(data["history"]))
        history = (f'<h2 id="history">Score over time</h2><figure class="chart">{history}'
                   "<figcaption>Each forecaster's mean Brier score over the questions resolved "
                   "so far, in order of resolution (lower is better; always saying 50% scores "
                   "0.25).</figcaption></figure>")
    sections = "".join(_forecaster_section(p, data["scores"].get(p["forecaster"]),
                                           data["forecasters"].get(p["forecaster"], {}), i)
                       for i, p in enumerate(data["panels"]))
    if not sections:
        sections = '<p class="muted">No resolved forecasts to calibrate yet.</p>'
    if data["left_out"]:
        more = len(data["left_out"])
        sections = (f'<p class="note"><b>Sections for the {len(data["panels"])} forecasters '
                    f"with the most scored questions; {more} more, with fewer, "
                    f"{'are' if more != 1 else 'is'} in the leaderboard above.</b> Choose "
                    "whom to show with <code>--by NAME</code> (repeatable) or <code>--tag "
                    "TAG</code>, or set <code>--max-forecasters N</code> (0 shows everyone)."
                    "</p>\n" + sections)
    every = "Every question"
    scales_note = ""
    question_note = ""
    if hidden:
        every = "Each question listed"
        scales_note = " The table counts the forecasts on the questions listed above."
        question_note = (f'<p class="note"><b>Listed: the {len(questions)} questions with the '
                         "most forecasts (ties: the later resolution date), in number order; "
                         f"{hidden} more {'are' if hidden != 1 else 'is'} counted in the "
                         "totals at the top but not listed.</b> Narrow the list with "
                         "<code>--tag TAG</code> or <code>--by NAME</code>, or set "
                         "<code>--max-questions N</code> (0 lists every question).</p>\n")
    open_all = len(questions) <= 25
    select_note = "" if open_all else (" Questions with quotes or sources are open; select "
                                       "any other to open it.")
    subtitle = f"Generated {_e(generated)} by forecasts {_e(ours)}"
    if database:
        subtitle += f" from {_e(database)}"
    if scope:
        subtitle += " \u00b7 " + "; ".join(scope)
    links = [("leaderboard", "Leaderboard"), ("history", "Score over time"),
             ("forecasters", "Forecasters"), ("questions", "Questions"),
             ("scales", "Verbal probabilities"), ("method", "How to read it")]
    nav = "".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in links
                  if anchor != "history" or history)
    cards_html = "".join(f'<div class="card"><b>{n}</b><span>{label}</span></div>'
                         for n, label in cards)
    question_html = "".join(_question_section(d, open_all or _has_words(d))
                            for d in questions) or (
        '<p class="muted">No questions.</p>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="forecasts {_e(ours)}">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<header class="top">
<h1>{_e(title)}</h1>
<p class="sub">{subtitle}</p>
<nav>{nav}</nav>
</header>
<div class="cards">{cards_html}</div>
<h2 id="leaderboard">Leaderboard</h2>
<p class="note">Ranked on relative Brier: each forecaster's Brier score minus the median Brier of everyone on the same question, averaged over their questions (negative beats the crowd). Raw Brier misleads when forecasters answered different questions. Intervals: 95% bootstrap over questions.</p>
{board}
{history}
<h2 id="forecasters">Forecasters: calibration</h2>
<p class="note">When a forecaster said X%, how often did it happen? Each (probability, outcome) pair is one forecast; each option of a multiple-choice forecast counts as one pair. Bins are centred on 0%, 10%, &hellip;, 100%.</p>
{sections}
<h2 id="questions">Questions</h2>
<p class="note">{every} with its forecasts, the forecasters' own words and sources, and the resolution history with its evidence. A forecaster's latest forecast made before the question resolved is the one scored.{select_note}</p>
{question_note}{question_html}
<h2 id="scales">Verbal probabilities</h2>
<p class="note">Forecasts given in words were read as numbers through a named scale; the words, the scale and the number are all stored, so a forecaster can be re-scored under another scale.{scales_note}</p>
{_scales_section(_scale_rows(questions))}
<h2 id="method">How to read it</h2>
<p class="note"><b>Brier score</b>: the squared distance between the probability and what happened (1 or 0), on the 0-1 scale: 0 is perfect, always saying 50% scores 0.25; multiple-choice questions use the Brier (1950) sum over options, halved. <b>Log score</b>: the mean natural log of the probability given to what happened (0 is perfect). <b>Peer log</b>: Metaculus-style peer score (positive beats the others on the same questions). <b>Reliability</b> is Tetlock's calibration index (lower is better), <b>resolution</b> his discrimination index (higher is better), <b>NDI</b> the normalised discrimination index. <b>Late</b> forecasts were made on or after the resolution date and are never scored; <b>void</b> questions resolved ambiguous or annulled.</p>
<footer>Made with forecasts {_e(ours)}. This file is self-contained: it loads nothing from the network and runs no scripts.</footer>
</main>
</body>
</html>
"""


def write_report(store, path, by=(), tag=None, database=None,
                 max_forecasters=REPORT_FORECASTERS, max_questions=REPORT_QUESTIONS):
    """Write the HTML report to ``path`` (see ``report_data`` for the limits); returns the
    numbers of questions listed and of forecasters with a section, and of those left out."""
    files.check_not_database(path, store.path)
    files.check_writable_folder(path, ChartPathError)
    data = report_data(store, by=by, tag=tag, max_forecasters=max_forecasters,
                       max_questions=max_questions)
    text = render_html(data, database=database).encode("utf-8")
    files.write_atomically(path, lambda f: f.write(text), database=store.path,
                           error=ChartPathError)
    return {"path": path, "questions": len(data["questions"]),
            "questions_left_out": data["totals"]["questions"] - len(data["questions"]),
            "forecasters": len(data["panels"]), "forecasters_left_out": len(data["left_out"]),
            "bytes": len(text)}


__all__ = ["report_data", "render_html", "write_report"]
