"""Re-score under another verbal-probability scale: does the ranking of forecasters change?

Every binary forecast that was given in words keeps its phrase and the scale that read it, so it
can be read again through another scale ("unlikely" is 0.20 on the default scale and 0.325 under
ICD 203). ``remap`` does that for scored rows; ``profile_comparison`` scores the forecasters both
ways and ranks them both ways (on mean Brier, as ``forecasts score`` orders them). Phrases the
other scale lacks keep their logged value and are counted.

Example::

    >>> rows = [{"id": 1, "question_id": 1, "forecaster": "A", "kind": "binary", "p_ppm": 200000,
    ...          "outcome": "no", "made": "2025-01-01", "cutoff": "2025-02-01"}]
    >>> new, changes = remap(rows, {1: ("unlikely", "default")}, "icd203")
    >>> new[0]["p_ppm"], changes[0]["status"]
    (325000, 'remapped')
"""

from .ppm import PPM
from .scales import UnknownPhrase, read_phrase, scale_name


def remap(rows, wording, profile):
    """Scored rows with each worded binary forecast read through ``profile``.

    :param rows: rows from ``Store.scored_forecasts`` (each with the forecast ``id``)
    :param wording: forecast id -> (phrase, scale it was read with)
    :returns: (new rows, one change record per worded forecast)
    """
    profile = scale_name(profile)
    out, changes = [], []
    for row in rows:
        row = dict(row)
        phrase, scale = wording.get(row.get("id"), (None, None))
        if phrase and row["kind"] == "binary":
            change = {"forecast_id": row["id"], "forecaster": row["forecaster"], "phrase": phrase,
                      "scale": scale, "p_before": row["p_ppm"] / PPM}
            try:
                reading = read_phrase(phrase, profile)
            except UnknownPhrase:
                reading = None
            if reading is None or reading.scale != profile or "fuzzy" in reading.flags:
                change.update(status="not in profile", p_after=row["p_ppm"] / PPM)
            else:
                row["p_ppm"] = round(reading.p * PPM)
                change.update(status="remapped", p_after=reading.p, source=reading.source)
            changes.append(change)
        out.append(row)
    return out, changes


def _ranks(table):
    ordered = sorted(table, key=lambda r: (r["brier"], -r["questions"], r["forecaster"]))
    return {r["forecaster"]: i for i, r in enumerate(ordered, start=1)}


def profile_comparison(store, profile, tag=None, since=None, until=None, scale=1):
    """Score every forecaster as logged and under ``profile``; rank both ways.

    Returns ``{"profile", "rows", "phrases", "ranking_changed"}``: one row per forecaster with
    questions, worded forecasts re-mapped, Brier as logged and under the profile, and the rank
    (by mean Brier) each way; ``phrases`` summarises each phrase's value before and after.
    """
    from .scorecard import score_table
    from .tracker import _dates

    profile = scale_name(profile)
    since, until = _dates(since, until)
    rows = store.scored_forecasts(tag=tag, since=since, until=until)
    wording = {}
    for question_id in sorted({r["question_id"] for r in rows}):
        for f in store.forecasts_of(question_id):
            if f.get("verbal") and f.get("p_ppm") is not None:
                wording[f["id"]] = (f["verbal"], f.get("scale") or "default")
    new_rows, changes = remap(rows, wording, profile)
    before = score_table(rows, scale=scale)
    after = {r["forecaster"]: r for r in score_table(new_rows, scale=scale)}
    rank_before, rank_after = _ranks(before), _ranks(list(after.values()))
    table = []
    for r in before:
        name = r["forecaster"]
        mine = [c for c in changes if c["forecaster"] == name]
        table.append({
            "forecaster": name, "questions": r["questions"],
            "worded": len(mine), "remapped": sum(c["status"] == "remapped" for c in mine),
            "brier": r["brier"], "brier_profile": after[name]["brier"],
            "change": after[name]["brier"] - r["brier"],
            "rank": rank_before[name], "rank_profile": rank_after[name],
        })
    table.sort(key=lambda r: r["rank"])
    phrases = {}
    for c in changes:
        key = (c["phrase"].lower(), c["p_before"])
        entry = phrases.setdefault(key, {"phrase": c["phrase"], "p_before": c["p_before"],
                                         "p_after": c["p_after"], "status": c["status"],
                                         "forecasts": 0, "source": c.get("source")})
        entry["forecasts"] += 1
    return {"profile": profile, "rows": table,
            "phrases": sorted(phrases.values(), key=lambda p: (-p["forecasts"], p["phrase"])),
            "ranking_changed": any(r["rank"] != r["rank_profile"] for r in table),
            "scale": "0-2" if scale == 2 else "0-1"}


__all__ = ["profile_comparison", "remap"]
