"""What the commands do, as plain functions over a Store: log, update, resolve, list, show, score.

Inputs arrive as the text the user typed; this module reads it with ``parse`` (in the context a
bare parser lacks: the question's options, the forecast's date for a horizon) and writes through
the store in one transaction. numpy and scipy are imported only by the scoring functions, so the
write path starts fast; ``parse`` (which compiles its patterns on import) only where input is read,
so the scoring commands start fast too.

Example::

    >>> store = Store.open(":memory:")
    >>> logged = add(store, "It rains on 2025-01-02", by="Alice", probabilities=["70%"],
    ...              on="2025-01-01", resolves="2025-01-02")
    >>> logged["question_id"], logged["probability"]
    (1, '70%')
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence

from . import counting, names
from .errors import InputError, NotFound, StorageError
from .ppm import format_percent
from .store import VOID_OUTCOMES, Store

BINARY_OUTCOMES = {"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no"}
RESERVED_OPTION_LABELS = {"yes", "no", *VOID_OUTCOMES}


def today():
    return datetime.date.today()


def _parse_date(text, what):
    from . import parse

    try:
        return parse.parse_date(text, today())
    except parse.ParseError as error:
        raise InputError(f"{what}: {error}", field=what) from None


def _check_scale(scale):
    from .scales import UnknownScale, scale_name

    try:
        return scale_name(scale)
    except UnknownScale as error:
        raise InputError(f"scale: {error}", field="scale") from None


def _made_date(on):
    made = _parse_date(on, "made") if on is not None else today()
    if made > today():
        raise InputError(f"made {made.isoformat()} is in the future: a forecast is logged when "
                         "it was made, not ahead of time", field="made")
    return made


def _resolution_date(resolves, made):
    from . import parse

    if not resolves:
        return None
    try:
        date = parse.parse_horizon(resolves, made)
    except parse.ParseError as error:
        raise InputError(f"resolves: {error}", field="resolves") from None
    if date <= made:
        raise InputError(f"resolution date {date.isoformat()} is not after the forecast date "
                         f"{made.isoformat()}: a forecast must be about the future")
    return date


def _read_probabilities(question, probabilities, scale):
    """Parse ``-p`` values for a question: one value for binary, LABEL=PROB per option otherwise.

    Returns the columns for ``Store.add_forecast`` and a display string.
    """
    from . import parse

    scale = _check_scale(scale)
    if not probabilities:
        raise InputError("probability: give one (0.7, 70%, 7/10, 3:1, '1 in 4' or words)",
                         field="probability")
    try:
        if question["kind"] == "binary":
            if len(probabilities) > 1:
                raise InputError("probability: a yes/no question takes one value; give "
                                 "options to create a multiple-choice question",
                                 field="probability")
            if "=" in probabilities[0]:
                raise InputError(f"{parse._quote(probabilities[0])} names an option, but this "
                                 "is a yes/no question: give one probability such as 0.7 or 70%")
            p = parse.parse_probability(probabilities[0], scale)
            columns = {"p_ppm": p.ppm, "p_text": p.text, "verbal": p.verbal, "scale": p.scale}
            shown = format_percent(p.ppm) + (f' ("{p.verbal}", {p.scale} scale)' if p.verbal else "")
            return columns, shown
        if len(probabilities) == 1 and "=" not in probabilities[0]:
            raise InputError("this question has options (" + ", ".join(question["options"])
                             + "): give one -p LABEL=PROB for each")
        by_label = parse.parse_option_probabilities(probabilities, question["options"], scale)
    except parse.ParseError as error:
        raise InputError(str(error)) from None
    # an option left out (allowed when the others already sum to 1) is recorded as 0
    by_label = {label: p if p.text else dataclasses.replace(p, text="0")
                for label, p in by_label.items()}
    verbal = sorted({p.verbal for p in by_label.values() if p.verbal})
    columns = {
        "p_ppm": None,
        "p_text": "; ".join(f"{label}={p.text}" for label, p in by_label.items()),
        "verbal": "; ".join(verbal) or None,
        "scale": scale if verbal else None,
        "by_label": {label: (p.ppm, p.text) for label, p in by_label.items()},
    }
    shown = ", ".join(f"{label} {format_percent(p.ppm)}" for label, p in by_label.items())
    return columns, shown


def new_tags(have, tags):
    """The tags of ``tags`` not already in ``have`` (case aside), sorted.

    >>> new_tags(["Weather"], ["weather", "rain"])
    ['rain']
    """
    known = {t.lower() for t in have}
    return sorted({t for t in tags if t.lower() not in known})


def _refuse_new_tags_once_resolved(store, question, tags):
    """Tags are not in the hash chain, so a resolved question gains one only by an amendment,
    which records it: a tag given knowing the outcome could pick a forecaster's best questions."""
    new = new_tags(question["tags"], tags)
    if new and store.current_resolution(question["id"]):
        raise InputError(f"question #{question['id']} is resolved: add the tag "
                         f"{', '.join(new)} with `forecasts amend {question['id']} --add-tag "
                         f"{new[0]} --reason ...`, which records the change", field="tag")


def _record_forecast(store, question, by, columns, made, quote, source, new_forecaster=False):
    by_label = columns.pop("by_label", None)
    option_ppm = None
    if by_label:
        option_ppm = {store.option_id(question["id"], label): value
                      for label, value in by_label.items()}
    known = store.find_forecaster(by)
    if known and known["kind"] in counting.RULE_KINDS:
        # exempt from the hindsight guard because it follows a fixed rule: only its own command
        # may write its forecasts, or a constant baseline could be given 100% after the outcome
        raise InputError(f"forecaster: {known['name']} is a {known['kind']}: its forecasts "
                         f"follow its rule and only the {known['kind']} command writes them",
                         field="forecaster")
    forecaster_known = known is not None
    forecaster_id = store.forecaster_id(by, new_forecaster=new_forecaster)
    source_id = store.source_id(url=source) if source else None
    forecast_id = store.add_forecast(
        question["id"], forecaster_id, made.isoformat(), quote=quote, source_id=source_id,
        option_ppm=option_ppm, **columns)
    return forecast_id, not forecaster_known


def _needs(flag, message):
    """An InputError that a keyword argument (``late``, ``correct``) would lift; ``needs`` names
    it, so that a client can say how to give it."""
    error = InputError(message)
    error.needs = flag
    return error


def _check_late(store, question, made, late):
    """A forecast made on or after its question's resolution date, or entered once the outcome
    is recorded, is hindsight: refused unless ``late`` is given (then kept, never scored)."""
    if late:
        return
    resolution = store.current_resolution(question["id"])
    cutoffs = [d for d in (question.get("resolves"), resolution and resolution["resolved"]) if d]
    if cutoffs and made.isoformat() >= min(cutoffs):
        raise _needs("late", f"question #{question['id']} resolves {min(cutoffs)}: a forecast "
                             f"made {made.isoformat()} is hindsight, recorded only as late "
                             "(and never scored)")
    if resolution:
        raise _needs("late", f"question #{question['id']} is already resolved: a forecast "
                             "entered now is hindsight, recorded only as late (and never scored)")


def _hindsight_warning(question, made, resolved=False):
    resolves = question.get("resolves")
    if resolves and made.isoformat() >= resolves:
        return (f"made on or after the resolution date {resolves}: "
                "recorded, but it will never be scored")
    if resolved:
        return ("the question is already resolved: recorded, but a forecast recorded after the "
                "outcome will never be scored")
    return None


def _clean_text(text, what):
    """Collapse whitespace and drop control characters from a name, label or question."""
    text = "".join(ch for ch in (text or "") if ch.isprintable() or ch.isspace())
    text = " ".join(text.split())
    if not text:
        raise InputError(f"{what} is empty", field=what)
    return text


def check_option_labels(labels):
    """Refuse option labels that a resolution or a forecast could not tell apart: a reserved
    outcome word, a label holding '=' (it separates label and probability), a repeated label.

    >>> check_option_labels(["Cold peace", "War"])
    >>> check_option_labels(["Yes", "War"])
    Traceback (most recent call last):
    forecasts.errors.InputError: 'Yes' cannot be an option label: it is a reserved outcome
    """
    seen = set()
    for label in labels:
        if label.lower() in RESERVED_OPTION_LABELS:
            raise InputError(f"'{label}' cannot be an option label: it is a reserved outcome")
        if "=" in label:
            raise InputError(f"option label '{label}' cannot contain '='")
        if label.lower() in seen:
            raise InputError(f"option '{label}' is given twice")
        seen.add(label.lower())


def _check_options(options):
    labels = [_clean_text(o, "option") for o in options]
    if len(labels) == 1:
        raise InputError("option: a multiple-choice question needs at least two",
                         field="option")
    check_option_labels(labels)
    return labels


def add(store: Store, text: str, by: str, probabilities: Sequence[str], on: str | None = None,
        resolves: str | None = None, quote: str | None = None, source: str | None = None,
        tags: Sequence[str] = (), options: Sequence[str] = (), criteria: str | None = None,
        scale: str = "default", late: bool = False, new_forecaster: bool = False) -> dict:
    """Log a forecast, creating the question and the forecaster when they are new (``late``:
    see ``_check_late``; ``new_forecaster``: see ``Store.forecaster_id``)."""
    text = _clean_text(text, "the question text")
    by = names.clean_name(by)
    options = _check_options(options)
    made = _made_date(on)
    resolves_date = _resolution_date(resolves, made)
    tags = [_clean_text(t, "tag") for t in tags]
    # Look the question up under the write lock, so that two processes adding the same new
    # question at once create it once.
    with store.transaction():
        existing = store.find_question_by_text(text)
        if existing:
            if options and ([o.lower() for o in options]
                            != [o.lower() for o in existing["options"]]):
                raise InputError(f"question #{existing['id']} already exists with other options "
                                 f"({', '.join(existing['options']) or 'yes/no'})")
            if resolves_date and existing["resolves"] not in (None, resolves_date.isoformat()):
                raise InputError(f"question #{existing['id']} already exists and resolves "
                                 f"{existing['resolves']}: use `forecasts forecast "
                                 f"{existing['id']}` to add to it")
            question = existing
            _check_late(store, existing, made, late)
        else:
            question = {"kind": "multiple_choice" if options else "binary", "options": options}
        columns, shown = _read_probabilities(question, probabilities, scale)
        if existing:
            _refuse_new_tags_once_resolved(store, existing, tags)
            store.tag_question(existing["id"], tags)
        else:
            question_id = store.create_question(
                text, kind=question["kind"], options=options, opens=made.isoformat(),
                resolves=resolves_date.isoformat() if resolves_date else None,
                criteria=criteria, tags=tags)
            question = store.find_question(question_id)
        forecast_id, new_forecaster = _record_forecast(
            store, question, by, columns, made, quote, source, new_forecaster)
        by = store.find_forecaster(by)["name"]  # as stored: "ALICE" logs to Alice
    return {"question_id": question["id"], "slug": question["slug"], "forecast_id": forecast_id,
            "new_question": not existing, "new_forecaster": new_forecaster,
            "forecaster": by, "probability": shown, "made": made.isoformat(),
            "resolves": question["resolves"],
            "warning": _hindsight_warning(question, made, existing and store.current_resolution(
                question["id"]) is not None)}


def forecast(store: Store, ref: str | int, by: str, probabilities: Sequence[str],
             on: str | None = None, quote: str | None = None, source: str | None = None,
             scale: str = "default", late: bool = False, new_forecaster: bool = False) -> dict:
    """Add a forecast (another forecaster's, or an update) to an existing question (``late``:
    see ``_check_late``; ``new_forecaster``: see ``Store.forecaster_id``)."""
    question = store.find_question(ref)
    by = names.clean_name(by)
    made = _made_date(on)
    columns, shown = _read_probabilities(question, probabilities, scale)
    with store.transaction():
        _check_late(store, question, made, late)
        if question["opens"] is None or made.isoformat() < question["opens"]:
            store.set_question_opens(question["id"], made.isoformat())
        forecast_id, new_forecaster = _record_forecast(
            store, question, by, columns, made, quote, source, new_forecaster)
        by = store.find_forecaster(by)["name"]  # as stored: "ALICE" logs to Alice
    return {"question_id": question["id"], "slug": question["slug"], "forecast_id": forecast_id,
            "new_forecaster": new_forecaster, "forecaster": by, "probability": shown,
            "made": made.isoformat(), "resolves": question["resolves"],
            "warning": _hindsight_warning(question, made,
                                          store.current_resolution(question["id"]) is not None)}


def read_outcome(question, outcome):
    word = " ".join(outcome.split()).lower()
    if word in VOID_OUTCOMES:
        return word, None
    if question["kind"] == "binary":
        if word in BINARY_OUTCOMES:
            return BINARY_OUTCOMES[word], None
    else:
        for label in question["options"]:
            if label.lower() == word:
                return label, label
    from . import parse  # its quoting, for the error: reading outcomes needs none of it (11 ms)

    if question["kind"] == "binary":
        raise InputError(f"unknown outcome {parse._quote(outcome)}: a yes/no question resolves as "
                         "yes, no, ambiguous or annulled")
    raise InputError(f"{parse._quote(outcome)} is not an option of question #{question['id']}: "
                     f"choose one of {', '.join(question['options'])}, ambiguous or annulled")


def resolve(store: Store, ref: str | int, outcome: str, on: str | None = None,
            evidence: str | None = None, note: str | None = None, correct: bool = False) -> dict:
    """Record a question's outcome. Changing a recorded outcome needs ``correct=True`` and
    appends a correction (the history is kept); the same outcome again records nothing.
    Without ``on`` a first resolution is dated today and a correction keeps the standing
    resolution's date (``date_kept`` in the result): the correction fixes what the outcome was,
    not when it became known, so the cutoff for scoring stays where it was.

    >>> store = Store.open(":memory:")
    >>> _ = add(store, "It rains", by="Al", probabilities=["70%"], on="2025-01-01")
    >>> resolve(store, "1", "yes", on="2025-01-03")["recorded"]
    True
    >>> resolve(store, "1", "yes", on="2025-01-03")["recorded"]
    False
    """
    question = store.find_question(ref)
    outcome, label = read_outcome(question, outcome)
    resolved = _parse_date(on, "resolved").isoformat() if on is not None else None
    with store.transaction():
        previous = store.current_resolution(question["id"])
        date_kept = resolved is None and previous is not None
        if date_kept:
            resolved = previous["resolved"]
        else:
            resolved = resolved or today().isoformat()
            _check_resolved(question, resolved)
        result = {"question_id": question["id"], "slug": question["slug"],
                  "text": question["text"], "outcome": outcome, "resolved": resolved,
                  "previous_outcome": previous["outcome"] if previous else None,
                  "correction": previous is not None, "date_kept": date_kept, "recorded": True}
        if previous and (previous["outcome"], previous["resolved"]) == (outcome, resolved):
            result.update(recorded=False)
            return result
        if previous and not correct:
            raise _needs("correct", f"question #{question['id']} is already resolved as "
                                    f"{previous['outcome']} (on {previous['resolved']}): a "
                                    "different outcome is recorded only as a correction")
        option_id = store.option_id(question["id"], label) if label else None
        store.add_resolution(question["id"], outcome, resolved, option_id=option_id,
                             evidence=evidence, note=note)
        # made on or after the cutoff (the earlier of the resolution date and the date resolved):
        # once the outcome could be known, so never scored; said, as a typo in --on shows here
        cutoff = min(question["resolves"] or resolved, resolved)
        result["cutoff"] = cutoff
        result["made_after_cutoff"] = sum(f["made"] >= cutoff
                                          for f in store.forecasts_of(question["id"]))
    return result


def _check_resolved(question, resolved):
    """Refuse a resolution date (ISO text) in the future or before the question opened (a
    question with no forecast yet, as the web creates them, opens on the day it was created)."""
    if resolved > today().isoformat():
        raise InputError(f"resolved {resolved} is in the future: a question is resolved once "
                         "its outcome is known", field="resolved")
    if question["opens"] and resolved < question["opens"]:
        raise InputError(f"resolved {resolved} is before the question opened "
                         f"({question['opens']}): no forecast on it could then be scored",
                         field="resolved")
    if not question["opens"] and question.get("created"):
        # recorded in UTC; the day it was in local time, as ``today`` is
        created = datetime.datetime.fromisoformat(question["created"]).astimezone().date()
        if resolved < created.isoformat():
            raise InputError(f"resolved {resolved} is before the question was created "
                             f"({created.isoformat()})", field="resolved")


def question_status(row, on=None):
    """'resolved: yes', 'due' (past its resolution date, unresolved) or 'open'."""
    if row.get("outcome"):
        return f"resolved: {row['outcome']}"
    on = (on or today()).isoformat()
    if row.get("resolves") and row["resolves"] < on:
        return "due"
    return "open"


def nothing_to_score(store: Store, tag: str | None = None, dated: bool = False,
                     where: str = "") -> str:
    """Why a score table is empty, in a sentence: no question has the tag, none is resolved, or
    none of the resolved ones has a forecast that counts (``dated``: within the dates asked;
    ``where`` names the database, " in predictions.db").

    >>> nothing_to_score(Store.open(":memory:"), tag="work")
    "No question is tagged 'work'."
    """
    if tag and not store.questions(tag=tag):
        return f"No question is tagged {tag!r}{where}."
    resolved = len(store.questions(status="resolved", tag=tag))
    if not resolved:
        return f"No resolved questions to score yet{where}."
    return (f"Nothing to score{where}{' in those dates' if dated else ''}: {resolved} resolved "
            f"question{'s' if resolved != 1 else ''}{f' tagged {tag!r}' if tag else ''}, but no "
            f"forecast on {'them' if resolved != 1 else 'it'} counts: each was made once the "
            "outcome could be known, or the question is void (`forecasts show` marks which).")


def list_questions(store: Store, status: str | None = None, by: str | None = None,
                   tag: str | None = None) -> list[dict]:
    """Questions filtered by status ('open', 'due', 'resolved'), forecaster and tag."""
    rows = store.questions(status=status, forecaster=by, tag=tag, today=today().isoformat())
    for row in rows:
        row["status"] = question_status(row)
    return rows


def question_detail(store: Store, ref: str | int) -> dict:
    """A question with every forecast (and whether it counts) and its resolution history."""
    question = store.find_question(ref)
    current = store.current_resolution(question["id"])
    question["outcome"] = current["outcome"] if current else None
    question["status"] = question_status(question)
    question_cutoff = counting.cutoff(question["resolves"], current and current["resolved"])
    forecasts = store.forecasts_of(question["id"])
    resolutions = store.resolutions_of(question["id"])
    first_resolved = min((r["recorded"] for r in resolutions), default=None)
    for f in forecasts:
        if question["kind"] == "binary":
            f["probability"] = format_percent(f["p_ppm"])
        else:
            f["probability"] = ", ".join(
                f"{label} {format_percent(ppm)}" for label, ppm in f["option_ppm"].items())
        reasons = counting.reasons_not_counted(f["made"], f["recorded"], question_cutoff,
                                               first_resolved,
                                               by_rule=f["forecaster_kind"] in counting.RULE_KINDS)
        f["late"] = counting.MADE_TOO_LATE in reasons
        f["recorded_late"] = counting.RECORDED_TOO_LATE in reasons
        f["recorded_after_known"] = not reasons and question["outcome"] not in VOID_OUTCOMES \
            and counting.recorded_after_known(
            f["recorded"], current and current["resolved"],
            by_rule=f["forecaster_kind"] in counting.RULE_KINDS)
        f["retracted"] = f["retraction"] is not None
    people = {f["forecaster_id"] for f in forecasts} | {
        f["recorded_forecaster_id"] for f in forecasts if "recorded_forecaster_id" in f}
    corrections = store.corrections(forecast_ids=[f["id"] for f in forecasts],
                                    question_id=question["id"], forecaster_ids=sorted(people))
    question["resolves_moved"] = _resolution_moves(corrections, forecasts)
    return {"question": question, "forecasts": forecasts, "resolutions": resolutions,
            "corrections": corrections}


def _resolution_moves(corrections, forecasts):
    """The amendments that moved the resolution date after forecasts were made: each one's
    dates and how many forecasts were recorded before it."""
    moves = []
    for c in corrections:
        if c["action"] == "amend" and "resolves" in c["changes"]:
            before = sum(1 for f in forecasts
                         if f["recorded"] < c["recorded"] and not f["retracted"])
            if before:
                old, new = c["changes"]["resolves"]
                moves.append({"from": old, "to": new, "recorded": c["recorded"],
                              "forecasts_before": before, "reason": c["reason"]})
    return moves


def question_log(store: Store, ref: str | int) -> dict:
    """A question's whole history as recorded: its creation, every forecast and every resolution
    (corrections included), in the order they were recorded, each with its hash.

    Each entry has an ``event`` (asked, forecast, resolved, corrected) and that event's fields;
    a forecast's ``not_scored`` lists why it is left out of scores: ``late`` (made on or after
    the resolution date), ``recorded_late`` (recorded after the question was resolved);
    ``recorded_after_known`` flags one that counts but was recorded once the outcome was known."""
    with store.snapshot():
        detail = question_detail(store, ref)
        question = detail["question"]
        chain = {(table, row_id): place
                 for table, rows in (("questions", [question]), ("forecasts", detail["forecasts"]),
                                     ("resolutions", detail["resolutions"]),
                                     ("corrections", detail["corrections"]))
                 for row_id, place in store.chain_positions(table, [r["id"] for r in rows]).items()}
    entries = [{"recorded": question["created"], "record": "question", "id": question["id"],
                "event": "asked", "resolves": question["resolves"],
                "hash": chain.get(("questions", question["id"]), (None, None))[1]}]
    for f in detail["forecasts"]:
        not_scored = [reason for reason, flagged in (
            ("retracted", f["retracted"]), ("late", f["late"]),
            ("recorded_late", f["recorded_late"])) if flagged]
        entries.append({"recorded": f["recorded"], "record": "forecast", "id": f["id"],
                        "event": "forecast", "forecaster": f["forecaster"],
                        "probability": f["probability"], "made": f["made"],
                        "hash": f["hash"], "not_scored": not_scored,
                        "recorded_after_known": f["recorded_after_known"]})
    for i, r in enumerate(detail["resolutions"]):
        entries.append({"recorded": r["recorded"], "record": "resolution", "id": r["id"],
                        "event": "corrected" if i else "resolved", "outcome": r["outcome"],
                        "resolved": r["resolved"], "hash": r["hash"]})
    for c in detail["corrections"]:
        entries.append({"recorded": c["recorded"], "record": "correction", "id": c["id"],
                        "event": c["action"], "correction": c, "reason": c["reason"],
                        "author": c["author"], "hash": c["hash"]})
    for entry in entries:
        entry["in_chain"] = (entry["record"] + "s", entry["id"]) in chain
    entries.sort(key=lambda e: (e["recorded"] or "",
                                chain.get((e["record"] + "s", e["id"]), (float("inf"),))[0]))
    return {"question": question, "entries": entries}


def backup(store: Store, path: str) -> dict:
    """Copy the database to the new file ``path`` with SQLite's online backup, then verify the
    copy's hash chain; returns the copy's verify report (``problems`` empty when it is sound)."""
    store.backup(path)
    copy = Store.open(path, create=False)
    try:
        return copy.verify()
    finally:
        copy.close()


def _with_unscored(table, unscored):
    unscored = {r["forecaster"]: r for r in unscored}
    for row in table:
        left_out = unscored.get(row["forecaster"], {})
        row["late_forecasts"] = int(left_out.get("late") or 0)
        row["void_questions"] = int(left_out.get("void_questions") or 0)
        row["recorded_after_known"] = int(left_out.get("recorded_after_known") or 0)
    return table


def _dates(since, until):
    since = _parse_date(since, "since").isoformat() if since else None
    until = _parse_date(until, "until").isoformat() if until else None
    if since and until and since > until:
        raise InputError(f"since {since} is after the end of the period, {until}",
                         field="since")
    return since, until


def scores(store: Store, by: str | None = None, tag: str | None = None,
           since: str | None = None, until: str | None = None, scale: int = 1,
           by_tag: bool = False, by_lead_time: bool = False, time_averaged: bool = False,
           questions: Iterable[int] | None = None, adjusted: bool = False,
           settled: bool = False, strict_recorded: bool = False) -> list[dict]:
    """Per forecaster: questions scored, Brier, log score, skill, relative and peer scores, with
    bootstrap intervals, plus what was left out. Relative scores use every forecaster on each
    question, whoever ``by`` selects for display. ``questions`` (ids) limits the questions
    scored. ``adjusted`` adds the difficulty-adjusted Brier, fitted on every forecaster;
    ``settled`` how many days before resolution each forecaster's forecasts settled on the
    right side of 50% (``scorecard.with_settled``). ``strict_recorded`` leaves out forecasts
    recorded on or after the day the outcome became known (counted otherwise, and counted as
    ``recorded_after_known`` either way)."""
    from .scorecard import score_table

    since, until = _dates(since, until)
    if by:  # an old name (before a rename) or a name merged into another finds its forecaster
        forecaster = store.find_forecaster(by)
        if forecaster is None:
            raise NotFound(f"no forecaster named {by!r}")
        by = forecaster["name"]
    columns = store.scored_columns(tag=tag, since=since, until=until,
                                   dates=by_lead_time or time_averaged, questions=questions,
                                   strict_recorded=strict_recorded)
    scored = columns
    if settled and (by_tag or by_lead_time):
        raise InputError("--settled is per forecaster: use it without --by-tag and "
                         "--by-lead-time")
    history = None
    if time_averaged or settled:
        history = store.scored_columns(tag=tag, since=since, until=until, latest_only=False,
                                       dates=True, questions=questions,
                                       strict_recorded=strict_recorded)
    if time_averaged:
        from .scorecard import time_averaged_frame

        scored = time_averaged_frame(columns, history)
    tags = store.tags_by_question() if by_tag else None
    if adjusted and (by_tag or by_lead_time):
        raise InputError("--adjusted is fitted per forecaster: use it without --by-tag and "
                         "--by-lead-time")
    table = score_table(scored, tags, scale=scale, by_tag=by_tag, by_lead_time=by_lead_time,
                        forecaster=by, adjusted=adjusted)
    if settled:
        from .scorecard import with_settled

        with_settled(table, history)
    retagged = len(store.tag_changed_after_resolution(tag)) if tag else 0
    for row in table:
        row["time_averaged"] = bool(time_averaged)
        row["strict_recorded"] = bool(strict_recorded)
        if tag:
            row["tag_changed_after_resolution"] = retagged
    return _with_unscored(table, columns["unscored"])


def leaderboard(store: Store, min_questions: int = 1, tag: str | None = None,
                since: str | None = None, until: str | None = None, scale: int = 1,
                questions: Iterable[int] | None = None, rank_by: str = "relative",
                strict_recorded: bool = False) -> list[dict]:
    """Forecasters ranked on relative Brier over shared questions (among ``questions``, ids,
    when given), or on the difficulty-adjusted Brier (``rank_by="adjusted"``)."""
    from .scorecard import leaderboard as rank

    since, until = _dates(since, until)
    columns = store.scored_columns(tag=tag, since=since, until=until, questions=questions,
                                   strict_recorded=strict_recorded)
    table = rank(columns, min_questions=min_questions, scale=scale, rank_by=rank_by)
    return _with_unscored(table, columns["unscored"])


def compare(store: Store, first: str, second: str, tag: str | None = None,
            scale: int = 1) -> dict:
    """Two forecasters head to head on the questions both forecast."""
    from .scorecard import compare as head_to_head

    found = []
    for name in (first, second):
        forecaster = store.find_forecaster(name)
        if forecaster is None:
            raise NotFound(f"no forecaster named {name!r}")
        found.append(forecaster)
    if found[0]["id"] == found[1]["id"]:
        raise InputError(f"{first!r} and {second!r} are the same forecaster: compare needs two")
    try:  # by current name: the scored columns know a renamed or merged forecaster by no other
        return head_to_head(store.scored_columns(tag=tag), found[0]["name"], found[1]["name"],
                            scale=scale)
    except LookupError as error:
        raise NotFound(str(error)) from None


def calibration(store: Store, by: str | None = None, tag: str | None = None, bins: int = 11,
                interval: str = "wilson", fold: bool = False, by_lead_time: bool = False,
                by_tag: bool = False, since: str | None = None, until: str | None = None,
                questions: Iterable[int] | None = None, by_period: str | None = None,
                weight: str | None = None) -> dict:
    """Calibration bins and the Murphy decomposition, per forecaster and overall (over
    ``questions``, ids, when given); per year or quarter in which the forecasts were made with
    ``by_period``. ``weight="time"`` counts every forecast made before the cutoff, each
    weighted by the share of the question's open life it stood (``scorecard.time_weights``)."""
    from .scorecard import calibration_report, time_weights

    since, until = _dates(since, until)
    if by and store.find_forecaster(by) is None:
        raise NotFound(f"no forecaster named {by!r}")
    if sum(map(bool, (by_tag, by_lead_time, by_period))) > 1:
        raise InputError("use just one of --by-tag, --by-lead-time or --by-period")
    if weight not in (None, "none", "time"):
        raise InputError(f"weight {weight!r}: use 'time' or 'none'", field="weight")
    weighted = weight == "time"
    columns = store.scored_columns(forecaster=by, tag=tag, since=since, until=until,
                                   dates=by_lead_time or bool(by_period) or weighted,
                                   questions=questions, latest_only=not weighted,
                                   text=weighted)
    return calibration_report(columns, bins=bins, interval=interval, fold=fold,
                              by_lead_time=by_lead_time, by_period=by_period,
                              row_weights=time_weights(columns) if weighted else None,
                              tags_by_question=store.tags_by_question() if by_tag else None)


def new_question(store, text, resolves=None, tags=(), criteria=None, options=()):
    """Create a question with no forecast yet (the web's "new question"); its open date is set
    by its first forecast. Returns the question as ``store.find_question`` gives it.

    >>> store = Store.open(":memory:")
    >>> new_question(store, "It snows in 2031", resolves="2031-12-31", tags=["weather"])["slug"]
    'it-snows-in-2031'
    """
    text = _clean_text(text, "text")
    options = _check_options(options)
    resolves_date = _resolution_date(resolves, today())
    tags = [_clean_text(t, "tag") for t in tags]
    with store.transaction():
        existing = store.find_question_by_text(text)
        if existing:
            raise InputError(f"text: question #{existing['id']} already has this text",
                             field="text")
        question_id = store.create_question(
            text, kind="multiple_choice" if options else "binary", options=options,
            resolves=resolves_date.isoformat() if resolves_date else None, criteria=criteria,
            tags=tags)
    return store.find_question(question_id)


__all__ = ["InputError", "NotFound", "Store", "StorageError", "add", "forecast", "resolve",
           "list_questions", "question_detail", "scores", "leaderboard", "compare",
           "calibration", "new_question"]

