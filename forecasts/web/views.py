"""What each page shows, gathered from the library for one reader: plain functions over a Store
that return the template's context (no SQL here, no HTTP either).

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> question_rows(store, None, True, {})
    []
"""

from .. import team, tracker
from ..scales import load_scale
from . import svg


def question_rows(store, user, public: bool, filters: dict) -> list:
    """The questions list, filtered by status, tag, forecaster and words of the text."""
    return team.visible_questions(store, user, public_only=public,
                                  status=filters.get("status"), tag=filters.get("tag"),
                                  by=filters.get("by"), search=filters.get("q"))


def scale_words(scale: str = "default") -> list:
    """The verbal scale's phrases with their values, for the forecast form's suggestions.

    >>> ("probably", "70%") in scale_words()
    True
    """
    seen, words = set(), []
    for row in load_scale(scale):
        phrase, p = row.get("phrase"), row.get("p")
        if phrase and p not in (None, "") and phrase not in seen:
            seen.add(phrase)
            words.append((phrase, tracker.format_percent(round(float(p) * 1_000_000))))
    return words


def question_page(store, user, ref, public: bool) -> dict:
    detail = team.visible_question(store, user, ref, public_only=public)
    question = detail["question"]
    can = set(team.PERMISSIONS[user["role"]]) if user and not public else set()
    return {"question": question, "forecasts": detail["forecasts"],
            "resolutions": detail["resolutions"], "hidden": detail["hidden"],
            "chart": svg.probability_chart(detail["forecasts"])
            if question["kind"] == "binary" else None,
            "can_forecast": "forecast" in can and not question["outcome"],
            "can_resolve": "resolve" in can, "words": scale_words()}


def forecaster_page(store, user, name, public: bool) -> dict:
    """A forecaster's scores, calibration (chart and table) and history, over the questions the
    reader may see."""
    from .. import charts

    seen = team.visible_ids(store, user, public)
    scores = tracker.scores(store, by=name, questions=seen)  # NotFound for an unknown name
    calibration = tracker.calibration(store, by=name, questions=seen)
    mine = name.lower()
    history = []
    for row in team.visible_questions(store, user, public_only=public, by=name):
        detail = team.visible_question(store, user, row["id"], public_only=public)
        history += [{"question": detail["question"], "forecast": forecast}
                    for forecast in detail["forecasts"] if forecast["forecaster"].lower() == mine]
    history.sort(key=lambda item: (item["forecast"]["made"], item["forecast"]["id"]),
                 reverse=True)
    score = next((row for row in scores if row["forecaster"].lower() == mine), None)
    bins = [b for b in calibration["bins"] if b["forecaster"].lower() == mine]
    shown = score["forecaster"] if score else store.find_forecaster(name)["name"]
    chart = None
    if bins:
        panel = {"forecaster": shown, "questions": score["questions"] if score else 0,
                 "brier": score["brier"] if score else None, "bins": bins,
                 "decomposition": next((d for d in calibration["decomposition"]
                                        if d["forecaster"].lower() == mine), None),
                 "interval": bins[0]["interval"], "bin_count": 11}
        chart = charts.figure_svg(charts.calibration_figure([panel], footnote=False))
    return {"name": shown, "score": score, "bins": bins, "chart": chart, "history": history}


def leaderboard_rows(store, user, public: bool) -> list:
    """The leaderboard over the questions the reader may see."""
    return tracker.leaderboard(store, questions=team.visible_ids(store, user, public))


def scores(store, user, public: bool, by=None) -> list:
    return tracker.scores(store, by=by or None, questions=team.visible_ids(store, user, public))


def calibration(store, user, public: bool, by=None) -> dict:
    return tracker.calibration(store, by=by or None,
                               questions=team.visible_ids(store, user, public))


def report_html(store) -> str:
    """The HTML report over the whole database (for admins: it covers every question)."""
    from .. import report

    return report.render_html(report.report_data(store))


def user_rows(store) -> list:
    return [{key: row[key] for key in ("name", "role", "forecaster", "created", "revoked")}
            for row in store.users()]
