"""Charts: reliability diagrams and score history as PNG or SVG, and the terminal chart.

The numbers come from ``tracker`` and ``scorecard``; nothing here recomputes a score. matplotlib
is imported only inside the functions that draw (with the Agg canvas, never pyplot), so that
importing this module, and the write path, stay fast. The terminal chart uses the standard
library alone.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains", by="Alice", probabilities=["70%"], on="2025-01-01",
    ...                 resolves="2025-01-02")
    >>> _ = tracker.resolve(store, "1", "yes", on="2025-01-02")
    >>> [(p["forecaster"], p["questions"]) for p in calibration_panels(store)]
    [('Alice', 1)]
"""

import os
import re
import warnings

from . import files, tracker
from .errors import ChartError, NotFound

CHART_FORMATS = (".png", ".svg")
MAX_PANELS = 12
MAX_LINES = 8
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
    questions). ``score`` is 'brier' or 'relative' (Brier minus the question's median Brier,
    over the questions another forecaster answered too, as the score table averages it: a lone
    question has nobody to be relative to, so it is left out rather than counted as 0)."""
    import numpy as np

    from .scorecard import Frame, shared_pairs

    if score not in ("brier", "relative"):
        raise ValueError(f"unknown score {score!r}: use 'brier' or 'relative'")
    names = forecaster_names(store, by)
    with store.snapshot():
        columns = store.scored_columns(tag=tag)
        cutoff_of = store.question_cutoffs(tag=tag)
    frame = Frame(columns)
    values = frame.brier if score == "brier" else frame.relative
    questions = columns["question_id"].tolist()
    cutoffs = [cutoff_of[q] for q in questions]
    counted = shared_pairs(frame) if score == "relative" else np.ones(len(frame), dtype=bool)
    groups = {}
    for i, (name, kept) in enumerate(zip(columns["forecaster"].tolist(), counted.tolist())):
        if kept:
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
    if text.startswith("_"):  # matplotlib leaves a label that starts with "_" out of a legend
        text = " " + text
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
    files.check_writable_folder(path, ChartPathError)
    return extension[1:]


def _save(fig, path, fmt, database=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. a glyph the font lacks: drawn as a box instead
        files.write_atomically(
            path, lambda f: fig.savefig(f, format=fmt, facecolor="white",
                                        metadata=_metadata(fmt)),
            database=database, error=ChartPathError)


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
        _save(calibration_figure(panels, title=title), path, fmt, database=store.path)
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
        _save(history_figure(series), path, fmt, database=store.path)
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
    extras = ("tag", "lead_time", "period")
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


__all__ = ["NothingToDraw", "ChartPathError", "calibration_panels", "history_series",
           "calibration_figure", "history_figure", "plot_calibration", "plot_history",
           "terminal_chart", "terminal_charts"]
