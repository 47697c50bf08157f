"""Charts and the HTML report: reliability diagrams, score history, a shareable offline page.

The numbers come from ``tracker`` and ``scorecard``; nothing here recomputes a score. matplotlib
is imported only inside the functions that draw (with the Agg canvas, never pyplot), so that
importing this module, and the write path, stay fast. The terminal chart and the HTML are built
with the standard library alone.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains", by="Alice", probabilities=["70%"], on="2025-01-01",
    ...                 resolves="2025-01-02")
    >>> _ = tracker.resolve(store, "1", "yes", on="2025-01-02")
    >>> [(p["forecaster"], p["questions"]) for p in calibration_panels(store)]
    [('Alice', 1)]

Size: the HTML page's CSS and markup are inline, so that the report stays one self-contained
file written by one module; the charts share its colours and number formats.
"""

import datetime
import html
import os
import re
import tempfile
import warnings

from . import metrics, tracker
from .errors import ChartError, NotFound

CHART_FORMATS = (".png", ".svg")
MAX_PANELS = 12
MAX_LINES = 8
# The HTML report draws a calibration section for at most this many forecasters (unless --by
# names them) and lists at most this many questions: enough to read, and a file that stays a
# few megabytes and takes seconds whatever the size of the database.
REPORT_FORECASTERS = 25
REPORT_QUESTIONS = 300
# Colour-blind-safe (Okabe & Ito 2008), darkened a little to read on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F",
           "#000000"]
NEUTRAL = "#8a94a6"
INK = "#1f2937"
MUTED = "#5b6576"
DASH = "\u2013"
BRIER_NOTE = "Brier on the 0-1 scale: 0 is perfect, always saying 50% scores 0.25"


class NothingToDraw(ChartError):
    """There are no resolved forecasts to draw for the selection."""


class ChartPathError(ChartError):
    """The output file cannot be written (missing folder, no permission)."""


class MissingMatplotlib(ChartError):
    """Charts need matplotlib, which is not installed."""


def _matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise MissingMatplotlib("charts need matplotlib, which is not installed: "
                                "pip install matplotlib") from None
    return matplotlib


# --- data: everything comes from tracker and scorecard -------------------------------------


def forecaster_names(store, names):
    """The stored spelling of each name asked for; NotFound for an unknown one."""
    found = []
    for name in names:
        row = store.find_forecaster(name)
        if row is None:
            raise NotFound(f"no forecaster named {name!r}")
        if row["name"] not in found:
            found.append(row["name"])
    return found


def calibration_panels(store, by=(), tag=None, bins=11, interval="wilson"):
    """One reliability panel per forecaster: its calibration bins, decomposition, Brier score and
    number of scored questions, most questions first (or in the order of ``by``)."""
    names = forecaster_names(store, by)
    scores = {row["forecaster"]: row for row in tracker.scores(store, tag=tag)}
    report = tracker.calibration(store, tag=tag, bins=bins, interval=interval)
    bins_of, parts_of = {}, {}
    for row in report["bins"]:
        bins_of.setdefault(row["forecaster"], []).append(row)
    for row in report["decomposition"]:
        parts_of[row["forecaster"]] = row
    if not names:
        names = sorted((n for n in scores), key=lambda n: (-scores[n]["questions"], n.lower()))
    panels = []
    for name in names:
        score = scores.get(name, {})
        panels.append({"forecaster": name, "questions": score.get("questions", 0),
                       "brier": score.get("brier"), "bins": bins_of.get(name, []),
                       "decomposition": parts_of.get(name), "interval": interval,
                       "bin_count": bins})
    return panels


def history_series(store, by=(), tag=None, score="brier", window=None):
    """Each forecaster's score as their questions resolve: one point per scored question, in
    order of the question's cutoff date, with the mean so far (or over the last ``window``
    questions). ``score`` is 'brier' or 'relative' (Brier minus the question's median Brier)."""
    import numpy as np

    from .scorecard import Frame

    if score not in ("brier", "relative"):
        raise ValueError(f"unknown score {score!r}: use 'brier' or 'relative'")
    names = forecaster_names(store, by)
    columns = store.scored_columns(tag=tag, text=True)
    frame = Frame(columns)
    values = frame.brier if score == "brier" else frame.relative
    cutoffs, questions = columns["cutoff"], columns["question_id"].tolist()
    groups = {}
    for i, name in enumerate(columns["forecaster"].tolist()):
        groups.setdefault(name, []).append(i)
    if not names:
        names = sorted(groups, key=lambda n: (-len(groups[n]), n.lower()))
    series = []
    for name in names:
        order = sorted(groups.get(name, []), key=lambda i: (cutoffs[i], questions[i]))
        own = values[order] if order else np.empty(0)
        totals = np.cumsum(own)
        counts = np.arange(1, own.size + 1)
        if window:
            shifted = np.concatenate([[0.0], totals])
            start = np.maximum(counts - window, 0)
            means = (totals - shifted[start]) / (counts - start)
        else:
            means = totals / np.maximum(counts, 1)
        series.append({
            "forecaster": name, "score": score, "window": window,
            "dates": [cutoffs[i] for i in order],
            "question_ids": [questions[i] for i in order],
            "values": [float(v) for v in own], "means": [float(v) for v in means]})
    return series


# --- drawing with matplotlib ---------------------------------------------------------------


def _style():
    return _matplotlib().rc_context({
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial", "Liberation Sans"],
        "font.size": 9,
        "axes.edgecolor": "#9aa3b2", "axes.labelcolor": INK, "axes.titlecolor": INK,
        "axes.linewidth": 0.8, "axes.spines.top": False, "axes.spines.right": False,
        "axes.grid": True, "grid.color": "#e6e9ef", "grid.linewidth": 0.7,
        "axes.axisbelow": True,
        "xtick.color": MUTED, "ytick.color": MUTED, "xtick.labelsize": 8, "ytick.labelsize": 8,
        "legend.frameon": True, "legend.framealpha": 0.92, "legend.edgecolor": "#e6e9ef",
        "legend.fontsize": 8,
        "svg.fonttype": "none",  # text stays text: searchable, selectable, testable
        "savefig.dpi": 150,
    })


def _plain(text, limit=48):
    """User text for a chart label: shortened, and with '$' kept from starting mathtext."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.replace("\\", "\\\\").replace("$", r"\$")


def _percent_axis(axis):
    from matplotlib.ticker import FixedLocator, PercentFormatter

    axis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    axis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def _draw_reliability(fig, spec, panel, color):
    inner = spec.subgridspec(2, 1, height_ratios=[4, 1.1], hspace=0)
    ax = fig.add_subplot(inner[0])
    counts_ax = fig.add_subplot(inner[1], sharex=ax)
    bins = panel["bins"]
    diagonal, = ax.plot([0, 1], [0, 1], linestyle=(0, (4, 3)), color=NEUTRAL, linewidth=1,
                        label="perfect calibration")
    handles = []
    if bins:
        x = [b["mean_forecast"] for b in bins]
        y = [b["observed"] for b in bins]
        n = [b["n"] for b in bins]
        biggest = max(n)
        ax.plot(x, y, color=color, linewidth=1.1, alpha=0.55, zorder=2)
        whiskers = ax.vlines(x, [b["ci_low"] for b in bins], [b["ci_high"] for b in bins],
                             color=color, alpha=0.35, linewidth=3, zorder=1,
                             label=f"95% interval ({panel['interval'].capitalize()})")
        label = (f"Brier {panel['brier']:.3f} \u00b7 {panel['questions']} question"
                 f"{'s' if panel['questions'] != 1 else ''}" if panel["brier"] is not None
                 else "observed frequency")
        points = ax.scatter(x, y, s=[18 + 150 * k / biggest for k in n], color=color,
                            edgecolor="white", linewidth=0.9, zorder=3, label=label)
        handles = [points, whiskers]
        width = 0.72 / (panel["bin_count"] - 1)
        counts_ax.bar([b["centre"] for b in bins], n, width=width, color=color, alpha=0.4,
                      linewidth=0)
        counts_ax.set_ylim(0, biggest * 1.45)
        if panel["bin_count"] <= 21:
            for b in bins:
                counts_ax.annotate(str(b["n"]), (b["centre"], b["n"]), xytext=(0, 1.5),
                                   textcoords="offset points", ha="center", va="bottom",
                                   fontsize=7, color=MUTED)
    else:
        ax.text(0.5, 0.5, "no resolved forecasts yet", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
    ax.legend(handles=handles + [diagonal], loc="upper left")
    ax.set_title(_plain(panel["forecaster"]), loc="left", fontsize=10, fontweight="bold")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_ylabel("Observed frequency")
    _percent_axis(ax.yaxis)
    _percent_axis(ax.xaxis)
    ax.tick_params(labelbottom=False)
    counts_ax.set_xlabel("Forecast probability")
    counts_ax.set_ylabel("forecasts", fontsize=8, color=MUTED)
    counts_ax.set_yticks([])
    counts_ax.grid(False)
    counts_ax.spines["left"].set_visible(False)


def calibration_figure(panels, title=None, footnote=True, first_colour=0):
    """A matplotlib Figure with one reliability diagram per panel (see ``calibration_panels``);
    panel i is drawn in colour ``first_colour + i`` of the palette."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    columns = min(len(panels), 3)
    rows = -(-len(panels) // columns)
    header = 0.55 if title else 0.1
    footer = 0.5 if footnote else 0.05
    height = rows * 4.6 + header + footer
    fig = Figure(figsize=(columns * 3.9 + 0.2, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, footer / height, 1, 1 - (footer + header) / height),
                                w_pad=0.1, h_pad=0.02)
    grid = fig.add_gridspec(rows, columns, hspace=0.12)
    for i, panel in enumerate(panels):
        _draw_reliability(fig, grid[i // columns, i % columns], panel,
                          PALETTE[(first_colour + i) % len(PALETTE)])
    if title:
        fig.text(0.012, 1 - 0.12 / height, title, ha="left", va="top", fontsize=12.5,
                 fontweight="bold", color=INK)
    if footnote:
        first = panels[0]
        interval = {"wilson": "Wilson", "jeffreys": "Jeffreys", "exact": "Clopper-Pearson"}
        fig.text(0.012, 0.1 / height,
                 "Each point: the forecasts in one bin (bins centred on "
                 f"{_bin_centres(first['bin_count'])}), placed at their mean forecast and how "
                 "often the events happened; point area and the bars below count the forecasts."
                 f"\nWhiskers: 95% {interval.get(first['interval'], first['interval'])} "
                 "intervals. On the dashed diagonal, events happen exactly as often as "
                 f"forecast. {BRIER_NOTE}.", ha="left", va="bottom", fontsize=7.5, color=MUTED,
                 wrap=False)
    return fig


def _bin_centres(bins):
    step = 100 / (bins - 1)
    return f"0%, {step:g}%, {2 * step:g}%, \u2026, 100%"


def history_figure(series, title=None):
    """A matplotlib Figure with each forecaster's mean score as their questions resolve."""
    import datetime as dt

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.5, 4.9), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    score, window = series[0]["score"], series[0]["window"]
    number = "+.3f" if score == "relative" else ".3f"
    for i, line in enumerate(series):
        if not line["dates"]:
            continue
        dates = [dt.date.fromisoformat(d) for d in line["dates"]]
        n = len(dates)
        last = format(line["means"][-1], number)
        ax.plot(dates, line["means"], color=PALETTE[i % len(PALETTE)], linewidth=1.8,
                drawstyle="steps-post", marker="o" if n <= 30 else None, markersize=3.5,
                label=f"{_plain(line['forecaster'], 40)}: {last} after {n} question"
                      f"{'s' if n != 1 else ''}")
    if score == "brier":
        ax.axhline(0.25, color=NEUTRAL, linestyle=(0, (4, 3)), linewidth=1.2,
                   label="always saying 50%: 0.250")
        ax.set_ylim(bottom=0)
        what = "Brier score"
    else:
        ax.axhline(0, color=NEUTRAL, linestyle=(0, (4, 3)), linewidth=1.2,
                   label="the median forecaster on the same questions: 0")
        low, high = ax.get_ylim()
        reach = max(abs(low), abs(high))
        ax.set_ylim(-reach, reach)
        what = "Relative Brier"
    kind = f"mean of the last {window} questions" if window else "mean so far"
    ax.set_ylabel(f"{what}, {kind}\n(lower is better)")
    ax.set_xlabel("Question closed (its resolution date)")
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8,
              title="Forecaster: latest value", title_fontsize=8, alignment="left")
    how = f"rolling mean of the last {window}" if window else "cumulative mean"
    fig.suptitle(title or f"{what} as questions resolve ({how})", x=0.01, ha="left",
                 fontsize=12.5, fontweight="bold", color=INK)
    return fig


def check_chart_path(path):
    """Refuse a path that cannot take a chart, before any work is done; return the format."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in CHART_FORMATS:
        raise tracker.InputError(f"chart {path}: give a file name ending in .png or .svg",
                                 field="chart")
    _check_folder(path)
    return extension[1:]


def _check_folder(path):
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ChartPathError(f"cannot write {path}: it is a folder")
    if not os.path.isdir(folder):
        raise ChartPathError(f"cannot write {path}: folder {folder} does not exist")


def _write_atomically(path, write):
    """Write a file through ``write(file)`` into a temporary file beside ``path``, then rename,
    so that a failure never leaves half a file."""
    _check_folder(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".forecasts-",
                                             suffix=os.path.splitext(path)[1])
    except OSError as error:
        raise ChartPathError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise ChartPathError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _save(fig, path, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a glyph the font lacks: drawn as a box instead
        _write_atomically(path, lambda f: fig.savefig(f, format=fmt, facecolor="white",
                                                      metadata=_metadata(fmt)))


def _metadata(fmt):
    # No dates or software versions: the same data gives the same file.
    return {"Date": None} if fmt == "svg" else {"Software": None}


def figure_svg(fig):
    """The figure as an SVG element for inlining into HTML (no XML prolog, no metadata)."""
    import io

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format="svg", facecolor="white", metadata=_metadata("svg"))
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)


def _nothing(by, tag, min_questions):
    whose = f" by {', '.join(by)}" if by else ""
    which = f" on questions tagged {tag!r}" if tag else ""
    if not by and min_questions > 1:
        return (f"nothing to plot: no forecaster has {min_questions} or more scored "
                f"questions{which}")
    return (f"nothing to plot: no resolved forecasts{whose}{which}; resolve questions with "
            "`forecasts resolve`")


def plot_calibration(store, path, by=(), tag=None, bins=11, interval="wilson",
                     min_questions=1):
    """Write a reliability diagram per forecaster to ``path`` (.png or .svg).

    Without ``by``, everyone with at least ``min_questions`` scored questions is drawn, most
    questions first, up to ``MAX_PANELS``. Returns the names drawn and those left out."""
    fmt = check_chart_path(path)
    panels = calibration_panels(store, by=by, tag=tag, bins=bins, interval=interval)
    if not by:
        panels = [p for p in panels if p["questions"] >= min_questions]
    if not any(p["bins"] for p in panels):
        raise NothingToDraw(_nothing(by, tag, min_questions))
    left_out = []
    if not by and len(panels) > MAX_PANELS:
        left_out = [p["forecaster"] for p in panels[MAX_PANELS:]]
        panels = panels[:MAX_PANELS]
    title = "Calibration: when they said X%, how often did it happen?"
    if tag:
        title += f"  (questions tagged {_plain(tag, 30)})"
    with _style():
        _save(calibration_figure(panels, title=title), path, fmt)
    return {"path": path, "forecasters": [p["forecaster"] for p in panels],
            "left_out": left_out}


def plot_history(store, path, by=(), tag=None, score="brier", window=None, min_questions=1):
    """Write each forecaster's score over time to ``path`` (.png or .svg).

    Without ``by``, everyone with at least ``min_questions`` scored questions is drawn, most
    questions first, up to ``MAX_LINES``. Returns the names drawn and those left out."""
    fmt = check_chart_path(path)
    series = history_series(store, by=by, tag=tag, score=score, window=window)
    if not by:
        series = [s for s in series if len(s["dates"]) >= min_questions]
    if not any(s["dates"] for s in series):
        raise NothingToDraw(_nothing(by, tag, min_questions))
    left_out = []
    if not by and len(series) > MAX_LINES:
        left_out = [s["forecaster"] for s in series[MAX_LINES:]]
        series = series[:MAX_LINES]
    with _style():
        _save(history_figure(series), path, fmt)
    return {"path": path, "forecasters": [s["forecaster"] for s in series],
            "left_out": left_out}


# --- the terminal chart --------------------------------------------------------------------

ROWS = 20  # 5-point steps from 0% to 100%


def terminal_chart(bins, title, bin_count=11):
    """A reliability diagram in Unicode text: observed frequency (●) with its interval (│)
    above each bin's centre, against the diagonal (·) of perfect calibration.

    >>> lines = terminal_chart([{"centre": 0.7, "n": 10, "observed": 0.7, "ci_low": 0.4,
    ...                          "ci_high": 0.9}], "Alice").splitlines()
    >>> lines[0], len(lines) >= 8
    ('Alice', True)
    >>> sum(line.count("\u25cf") for line in lines)
    2
    """
    width = 5 if bin_count <= 13 else 4 if bin_count <= 17 else 3 if bin_count <= 26 else 1
    columns = width * bin_count
    grid = [[" "] * columns for _ in range(ROWS + 1)]

    def column(x):
        return int(round(x * (bin_count - 1))) * width + width // 2

    for j in range(columns):
        x = (j - width // 2) / (width * (bin_count - 1))
        if 0 <= x <= 1:
            grid[int(round(x * ROWS))][j] = "\u00b7"
    for b in bins:
        j = column(b["centre"])
        for r in range(int(round(b["ci_low"] * ROWS)), int(round(b["ci_high"] * ROWS)) + 1):
            grid[r][j] = "\u2502"
        grid[int(round(b["observed"] * ROWS))][j] = "\u25cf"
    lines = [title, "Observed"]
    for r in range(ROWS, -1, -1):
        label = f"{r * 100 // ROWS}%" if r % 2 == 0 else ""
        lines.append(f"{label:>6} {'┤' if label else '│'}" + "".join(grid[r]).rstrip())
    labels, counts = [" "] * (columns + 6), [" "] * (columns + 6)
    step = 1 if width >= 5 else -(-5 // width)  # labels at least five characters apart
    if width == 1:
        step = max(step, int(round(0.1 * (bin_count - 1))))
    axis = ["─"] * columns
    for i in range(0, bin_count, step):
        centre = i * width + width // 2
        axis[centre] = "┬"
        text = f"{round(100 * i / (bin_count - 1)):g}%"
        start = max(0, centre - len(text) // 2)
        labels[start:start + len(text)] = text
    by_centre = {column(b["centre"]): b["n"] for b in bins}
    for centre, n in by_centre.items():
        text = str(n)
        start = max(0, centre - len(text) // 2)
        counts[start:start + len(text)] = text
    lines.append(f"{'':>6} └" + "".join(axis))
    lines.append(" " * 8 + "".join(labels).rstrip() + "   Forecast")
    if width >= 4:
        lines.append(f"{'n':>6}  " + "".join(counts).rstrip())
    lines.append("        \u25cf observed frequency   \u2502 95% interval   "
                 "\u00b7 perfect calibration")
    return "\n".join(lines)


def terminal_charts(report, bin_count=11):
    """One terminal chart per group of a ``tracker.calibration`` report."""
    extras = ("tag", "lead_time")
    charts = []
    for parts in report["decomposition"]:
        key = (parts["forecaster"],) + tuple(parts.get(k) for k in extras)
        bins = [b for b in report["bins"]
                if (b["forecaster"],) + tuple(b.get(k) for k in extras) == key]
        label = parts["forecaster"] + "".join(f", {k.replace('_', ' ')} {parts[k]}"
                                              for k in extras if parts.get(k))
        title = (f"{label}: {parts['pairs']} forecast{'s' if parts['pairs'] != 1 else ''}, "
                 f"Brier {parts['brier']:.3f}, reliability {parts['reliability']:.4f} "
                 f"(0 is perfectly calibrated)")
        charts.append(terminal_chart(bins, title, bin_count))
    return charts


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
    history = history_series(store, by=[p["forecaster"] for p in panels][:MAX_LINES], tag=tag)
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


def _anchor(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


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
        rows.append([_e(f["made"]), f'<b>{_e(f["forecaster"])}</b>',
                     f"<b>{_e(f['probability'])}</b>{late}", words, said])
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

    board_rows = [[str(r["rank"]), named(r["forecaster"]), str(r["questions"]),
                   str(r.get("shared_questions", "")),
                   *(metric_cell(r, metric) for metric in board_metrics),
                   str(r.get("late_forecasts", 0)), str(r.get("void_questions", 0))]
                  for r in data["leaderboard"]]
    board = _table([("Rank", "num"), ("Forecaster", "name"), ("Questions", "num"),
                    ("Shared", "num"),
                    *((metric.title, "num") for metric in board_metrics),
                    ("Late", "num"), ("Void", "num")], board_rows, "leaderboard") \
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
    _check_folder(path)
    data = report_data(store, by=by, tag=tag, max_forecasters=max_forecasters,
                       max_questions=max_questions)
    text = render_html(data, database=database).encode("utf-8")
    _write_atomically(path, lambda f: f.write(text))
    return {"path": path, "questions": len(data["questions"]),
            "questions_left_out": data["totals"]["questions"] - len(data["questions"]),
            "forecasters": len(data["panels"]), "forecasters_left_out": len(data["left_out"]),
            "bytes": len(text)}


__all__ = ["NothingToDraw", "ChartPathError", "calibration_panels", "history_series",
           "calibration_figure", "history_figure", "plot_calibration", "plot_history",
           "terminal_chart", "terminal_charts", "report_data", "render_html", "write_report"]
