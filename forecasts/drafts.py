"""Draft files from ``forecasts extract``: read, check, edit and log them through the tracker.

A draft file is the JSON that ``forecasts extract --out FILE`` writes: the article's source and
date, and a list of ``drafts``, each with a ``status`` (draft, accepted, edited, rejected,
logged). A JSON list of drafts, or JSON Lines with one draft a line, is read too. Logging a draft
calls ``tracker.add`` (or ``tracker.forecast`` when the question already exists) with the event,
the speaker, the probability (the scale phrase when the reading is the scale's, so the forecast
can be re-scored under another scale; otherwise the number), the article date, the resolution
date, the verbatim quote and the source URL.

Example::

    >>> from forecasts.store import Store
    >>> doc = {"source_url": "https://example.com/a", "scale": "default", "drafts": [
    ...     {"id": "d1", "status": "accepted", "speaker": "Ann Lee", "event": "It rains in May",
    ...      "probability": 0.7, "scale_phrase": "likely", "scale": "default", "cue_kind": "verbal",
    ...      "flags": [], "made": "2025-03-01", "resolves": "2025-05-31", "quote": "It will likely rain"}]}
    >>> [r["probability"] for r in log_drafts(Store.open(":memory:"), doc)["logged"]]
    ['70% ("likely", default scale)']
"""

import collections
import datetime
import json
import os

from . import files, names, parse, tracker
from .errors import ForecastsError, InputError

STATUSES = ("draft", "accepted", "edited", "rejected", "logged")
TO_LOG = ("accepted", "edited")


class DraftsError(InputError):
    """A draft file cannot be read or a draft cannot be logged; the message names the draft."""


# What every draft `forecasts extract` writes has; a file without them (an export) is not drafts.
DRAFT_FIELDS = ("speaker", "quote", "event", "probability")


TEXT = (str, type(None))
# The JSON type of every field a draft is read by (JSON null is None); others are kept unread.
DRAFT_TYPES = {**dict.fromkeys(
    ("id", "status", "event", "speaker", "speaker_kind", "role", "quote", "made", "resolves",
     "scale", "scale_phrase", "cue_kind", "criteria", "source_url", "outlet", "title",
     "article", "context", "conditional_on"), TEXT),
    "probability": (int, float, str, type(None)), "flags": (list, type(None)),
    "edits": (dict, type(None))}
DOCUMENT_TYPES = dict.fromkeys(("date", "source_url", "scale", "outlet", "title"), TEXT)
JSON_TYPE_NAMES = {str: "text", type(None): "null", int: "a number", float: "a number",
                   list: "a list", dict: "an object", bool: "true or false"}


def _check_types(fields, types, where):
    """Refuse a field of the wrong JSON type (``"made": 5``, ``"speaker": ["x"]``) by name."""
    for key, allowed in types.items():
        value = fields.get(key)
        if isinstance(value, bool) or not isinstance(value, allowed):
            wanted = " or ".join(dict.fromkeys(JSON_TYPE_NAMES[t] for t in allowed))
            raise DraftsError(f"{where}: '{key}' must be {wanted}, not "
                              f"{json.dumps(value)[:40]}")
    flags = fields.get("flags") if "flags" in types else None
    if flags and not all(isinstance(flag, str) for flag in flags):
        raise DraftsError(f"{where}: 'flags' must be a list of text")


def load_drafts(path):
    """The draft document in ``path``: a dict with ``drafts`` (and the article's metadata)."""
    text = files.read_input_text(path, "a draft file", files.MAX_ARTICLE_BYTES, error=DraftsError)
    return parse_drafts(text, path)


def parse_drafts(text, name="the draft file"):
    """Read a draft document from JSON (an object with "drafts", or a list) or JSON Lines."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise DraftsError(f"{name} is not a draft file: JSON nested too deeply") from None
    except json.JSONDecodeError as error:
        doc = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                doc.append(json.loads(line))
            except (json.JSONDecodeError, RecursionError):
                raise DraftsError(f"{name} is not a draft file: not valid JSON ({error.msg}, "
                                  f"line {error.lineno})") from None
    if isinstance(doc, list):
        doc = {"drafts": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("drafts"), list):
        raise DraftsError(f"{name} is not a draft file: expected an object with a 'drafts' list "
                          "(as `forecasts extract --out` writes)")
    _check_types(doc, DOCUMENT_TYPES, name)
    for i, draft in enumerate(doc["drafts"], start=1):
        if not isinstance(draft, dict):
            raise DraftsError(f"draft {i} of {name} is not an object")
        missing = [key for key in DRAFT_FIELDS if key not in draft]
        if missing:
            raise DraftsError(f"{name} is not a draft file: draft {i} has no "
                              f"{', '.join(missing)} (as `forecasts extract --out` writes)")
        draft.setdefault("id", f"d{i}")
        _check_types(draft, DRAFT_TYPES, f"draft {i} of {name}")
        status = draft.setdefault("status", "draft")
        if status not in STATUSES:
            raise DraftsError(f"draft {draft['id']}: unknown status {status!r}; use one of "
                              + ", ".join(STATUSES))
    return doc


def check_no_review_lost(path):
    """Refuse to write new drafts over ``path`` when it is a drafts file some of whose drafts
    were reviewed (accepted, edited, rejected or logged): those decisions would be lost. A file
    that is no drafts file is left for the writer to refuse or replace."""
    if not os.path.isfile(path):
        return
    try:
        drafts = load_drafts(path)["drafts"]
    except (DraftsError, KeyError, TypeError):
        return
    reviewed = collections.Counter(d.get("status") for d in drafts
                                   if isinstance(d, dict) and d.get("status", "draft") != "draft")
    if reviewed:
        done = ", ".join(f"{n} {status}" for status, n in sorted(reviewed.items()))
        raise DraftsError(f"{path} holds reviewed drafts ({done}): write the new drafts to "
                          "another file, or remove it first")


def save_drafts(path, doc, database=None):
    """Write the draft document atomically (a temporary file, then a rename), never over the
    ``database``."""
    def write(f):
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")

    files.write_atomically(path, write, database=database, error=DraftsError, text=True)


def probability_text(draft):
    """What to pass as ``-p``: the scale phrase when the draft's probability is that phrase's
    reading on the draft's scale, otherwise the probability itself.

    >>> probability_text({"probability": 0.265, "scale_phrase": "probably will not", "scale": "default"})
    'probably will not'
    >>> probability_text({"probability": 0.3, "scale_phrase": "probably will not", "scale": "default"})
    '0.3'
    """
    p = draft.get("probability")
    if isinstance(p, str) and p.strip():
        return p.strip()
    if p is None or isinstance(p, bool) or not isinstance(p, (int, float)):
        return None
    phrase, scale = draft.get("scale_phrase"), draft.get("scale")
    if phrase and scale and "complemented" not in (draft.get("flags") or []):
        try:
            reading = parse.parse_probability(phrase, scale)
        except parse.ParseError:
            reading = None
        if reading is not None and abs(reading.value - p) < 1e-9:
            return phrase
    return format(round(float(p), 6), "g")


def draft_problem(draft, doc):
    """Why a draft cannot be logged as it stands, or None.

    >>> draft_problem({"event": " "}, {})
    'it has no event'
    """
    if not (draft.get("event") or "").strip():
        return "it has no event"
    if not (draft.get("speaker") or "").strip():
        return "it has no speaker"
    if probability_text(draft) is None:
        return "it has no probability"
    made = draft.get("made") or doc.get("date")
    if not made:
        return "it has no date (made): give --date when extracting, or set 'made'"
    if draft.get("resolves") and str(draft["resolves"]) <= str(made)[:10]:
        return (f"it resolves on {draft['resolves']}, not after it was made ({str(made)[:10]}): "
                "set a later resolution date")
    return None


def draft_warnings(draft):
    """What a reviewer should know before accepting a draft that can be logged as it is.

    >>> draft_warnings({"event": "The bank cuts rates", "resolves": None, "flags": [],
    ...                 "probability": 0.7})
    ['no resolution date: the question stays open until one is set (e to edit)']
    """
    warnings = []
    if not draft.get("resolves"):
        warnings.append("no resolution date: the question stays open until one is set (e to edit)")
    event = (draft.get("event") or "").strip()
    flags = draft.get("flags") or []
    if len(event.split()) < 3 or "relative" in flags:
        warnings.append("the event may not be resolvable as worded: make it a yes/no statement")
    if draft.get("probability") is None:
        warnings.append("no probability: the cue maps to no number on the scale (e to set one)")
    if "past_forecast" in flags:
        warnings.append("a forecast made earlier than the article, reported in it")
    return warnings


def log_drafts(store, doc, statuses=TO_LOG, tags=()):
    """Log every draft whose status is in ``statuses``, all or nothing.

    Returns ``{"logged": [tracker results], "skipped": n}``; marks logged drafts in ``doc``
    (status 'logged' and the forecast id). Raises DraftsError naming every draft that cannot be
    logged (up to ten) and why; then nothing is written.
    """
    chosen = [d for d in doc["drafts"] if d.get("status") in statuses]
    problems = [(d["id"], problem) for d in chosen if (problem := draft_problem(d, doc))]
    if len(problems) == 1:
        raise DraftsError(f"draft {problems[0][0]} cannot be logged: {problems[0][1]}; nothing "
                          "was logged")
    if problems:
        listed = "; ".join(f"{draft_id}: {problem}" for draft_id, problem in problems[:10])
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise DraftsError(f"{len(problems)} drafts cannot be logged ({listed}{more}); edit or "
                          "reject them (forecasts review), nothing was logged")
    results, already = [], {}
    with store.transaction():
        for draft in chosen:
            found = already_logged(store, draft, doc)
            if found is not None:
                already[draft["id"]] = found
                continue
            try:
                results.append((draft, log_one(store, draft, doc, tags)))
            except ForecastsError as error:
                raise DraftsError(f"draft {draft['id']}: {error}; nothing was logged") from None
    # the file is marked only once the database has committed
    for draft, result in results:
        draft["status"] = "logged"
        draft["forecast_id"] = result["forecast_id"]
    for draft in chosen:
        if draft["id"] in already:
            draft["status"], draft["forecast_id"] = "logged", already[draft["id"]]
    return {"logged": [result for _, result in results], "already_logged": len(already),
            "skipped": len(doc["drafts"]) - len(chosen)}


def already_logged(store, draft, doc):
    """The id of the forecast this draft was already logged as (the same speaker's words,
    made on the same day, on the question of the same event), else None: a run whose drafts
    file could not be saved afterwards, run again, adds nothing."""
    existing = store.find_question_by_text(" ".join(draft["event"].split()))
    if existing is None:
        return None
    speaker = names.clean_name(draft["speaker"], "speaker")
    made = draft.get("made") or doc.get("date") or datetime.date.today().isoformat()
    for f in store.forecasts_of(existing["id"]):
        if f["forecaster"] == speaker and f["made"] == made and f["quote"] == draft.get("quote"):
            return f["id"]
    return None


def log_one(store, draft, doc, tags=()):
    """Log one draft through the tracker; returns the tracker's result."""
    made = draft.get("made") or doc.get("date")
    url = draft.get("source_url") or doc.get("source_url")
    speaker = names.clean_name(draft["speaker"], "speaker")
    if store.find_forecaster(speaker) is None:
        kind = {"organisation": "organisation", "collective": "crowd"}.get(draft.get("speaker_kind"), "person")
        store.forecaster_id(speaker, kind=kind, role=draft.get("role"))
    if url:
        store.source_id(url=url, outlet=draft.get("outlet") or doc.get("outlet"),
                        title=draft.get("title") or doc.get("title"),
                        published=doc.get("date") or draft.get("made"))
    scale = draft.get("scale") or doc.get("scale") or "default"
    existing = store.find_question_by_text(" ".join(draft["event"].split()))
    if existing:
        return tracker.forecast(store, existing["id"], speaker, [probability_text(draft)], on=made,
                                quote=draft.get("quote"), source=url, scale=scale)
    return tracker.add(store, draft["event"], speaker, [probability_text(draft)], on=made,
                       resolves=draft.get("resolves"), quote=draft.get("quote"), source=url,
                       tags=tags, criteria=draft.get("criteria"), scale=scale)


def edit(draft, field, value, scale="default"):
    """Set an edited field (event, probability, resolves or speaker), keeping the old value in
    ``edits``. A probability is checked with parse_probability, a date with parse_horizon."""
    old = draft.get(field)
    if field == "probability":
        parsed = parse.parse_probability(value, scale)
        value = parsed.verbal if parsed.verbal else parsed.value
        if parsed.verbal:
            draft["scale_phrase"], draft["scale"] = parsed.verbal, parsed.scale
            draft["flags"] = [f for f in draft.get("flags", []) if f != "complemented"]
            value = parsed.value
        else:
            draft["scale_phrase"] = None
    elif field == "resolves":
        made = datetime.date.fromisoformat(draft["made"]) if draft.get("made") else datetime.date.today()
        value = parse.parse_horizon(value, made).isoformat() if value.strip() else None
    else:
        value = " ".join(value.split())
    if value != old:
        draft.setdefault("edits", {})[field] = {"was": old, "now": value}
        draft[field] = value
        draft["status"] = "edited"
    return draft


__all__ = ["DraftsError", "STATUSES", "edit", "load_drafts", "log_drafts", "log_one",
           "parse_drafts", "probability_text", "save_drafts"]
