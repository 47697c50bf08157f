"""Mistakes corrected without losing history: retract a forecast, amend a question, give a
forecast to the right forecaster, rename a forecaster, merge two (and undo a merge).

Each correction is a new record (table ``corrections``, in the hash chain) that says what it
corrects, who recorded it, when and why; nothing recorded before is edited. Scores, lists and
``show`` read the state the corrections leave; ``show`` and ``log`` list the corrections.

Example::

    >>> from forecasts import tracker
    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains", by="Al", probabilities=["70%"], on="2025-01-01",
    ...                 resolves="2025-02-01")
    >>> retract(store, "1", reason="typed the wrong number", author="me")["recorded"]
    True
    >>> store.correction_state().retracted.keys()
    dict_keys([1])
"""

import getpass

from . import names
from .errors import InputError, NotFound

RENAME_REASON = "renamed"
MERGE_REASON = "the same forecaster under two names"
UNMERGE_REASON = "the merge is undone: two forecasters after all"
# Forecasters whose forecasts only their own command writes (see ``counting.RULE_KINDS``): no
# correction gives them a forecast, takes one from them or merges them, or a constant baseline
# could be handed a person's forecast made knowing the outcome.
RULE_WRITERS = {
    "baseline": "a baseline: its forecasts follow its fixed rule and only `forecasts baseline` "
                "writes them",
    "aggregate": "an aggregate: its forecasts pool other forecasters' and only `forecasts "
                 "aggregate` writes them",
}


def default_author():
    """Who records a correction when no one is named: the login name, if there is one."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _reason(reason, default=None):
    reason = " ".join((reason or "").split()) or default
    if not reason:
        raise InputError("reason: say why the correction is made", field="reason")
    return reason


def _author(author):
    author = " ".join((author or "").split())
    return author or default_author()


def find_forecast(store, ref):
    """The forecast numbered ``ref`` with its question, or NotFound."""
    text = str(ref).strip().lstrip("#")
    if not (text.isascii() and text.isdigit() and len(text) < 19):
        raise InputError(f"forecast: {ref!r} is not a forecast number (see `forecasts show`)",
                         field="forecast")
    row = store.forecast_row(int(text))
    if row is None:
        raise NotFound(f"no forecast #{text}: `forecasts show QUESTION` lists a question's "
                       "forecasts with their numbers")
    return row


def _refuse_if_resolved(store, forecast, doing):
    resolution = store.current_resolution(forecast["question_id"])
    if resolution:
        raise InputError(f"forecast #{forecast['id']} is on question #{forecast['question_id']},"
                         f" already resolved as {resolution['outcome']}: {doing} once the "
                         "outcome is known would be hindsight")


def retract(store, ref, reason, author=None):
    """Take a forecast back before its question resolves: it stays in the history, is shown
    struck through and is never scored. Refused once the question is resolved. Retracting a
    retracted forecast records nothing (``recorded`` False)."""
    reason = _reason(reason)
    with store.transaction():
        forecast = find_forecast(store, ref)
        standing = store.correction_state().retracted.get(forecast["id"])
        result = {"forecast_id": forecast["id"], "question_id": forecast["question_id"],
                  "reason": reason, "recorded": False}
        if standing:
            return {**result, "reason": standing["reason"], "since": standing["recorded"]}
        _refuse_if_resolved(store, forecast, "a retraction")
        result["correction_id"] = store.add_correction(
            "retract", reason, forecast_id=forecast["id"],
            question_id=forecast["question_id"], author=_author(author))
    return {**result, "recorded": True}


def unretract(store, ref, reason, author=None):
    """Undo a retraction (a new record): the forecast counts again. Refused once the question
    is resolved, as the retraction itself would be."""
    reason = _reason(reason)
    with store.transaction():
        forecast = find_forecast(store, ref)
        if forecast["id"] not in store.correction_state().retracted:
            raise InputError(f"forecast #{forecast['id']} is not retracted: nothing to undo")
        _refuse_if_resolved(store, forecast, "undoing a retraction")
        correction_id = store.add_correction(
            "unretract", reason, forecast_id=forecast["id"],
            question_id=forecast["question_id"], author=_author(author))
    return {"forecast_id": forecast["id"], "question_id": forecast["question_id"],
            "correction_id": correction_id, "reason": reason, "recorded": True}


def _new_resolution_date(question, resolves):
    from . import tracker

    opened = question["opens"] or question["created"][:10]
    made = tracker._parse_date(opened, "opens")
    try:
        return tracker._resolution_date(resolves, made).isoformat()
    except InputError as error:
        if error.field == "resolves":
            raise
        raise InputError(f"resolves: {resolves!r} is not after the question opened "
                         f"({opened})", field="resolves") from None


def amend(store, ref, reason, text=None, criteria=None, resolves=None, add_tags=(),
          remove_tags=(), author=None):
    """Amend a question's text, criteria, resolution date or tags; the amendment records each
    field's value before and after. Moving the resolution date after forecasts were made is
    flagged (``moved_after_forecasts``) here and in ``show``."""
    from . import tracker

    reason = _reason(reason)
    with store.transaction():
        question = store.find_question(ref)
        changes = {}
        if text is not None:
            text = tracker._clean_text(text, "text")
            other = store.find_question_by_text(text)
            if other and other["id"] != question["id"]:
                raise InputError(f"text: question #{other['id']} already has this text")
            if text != question["text"]:
                changes["text"] = [question["text"], text]
        if criteria is not None:
            criteria = " ".join(criteria.split()) or None
            if criteria != question["criteria"]:
                changes["criteria"] = [question["criteria"], criteria]
        if resolves is not None:
            date = _new_resolution_date(question, resolves)
            if date != question["resolves"]:
                changes["resolves"] = [question["resolves"], date]
        add_tags = [tracker._clean_text(t, "tag") for t in add_tags]
        remove_tags = [tracker._clean_text(t, "tag") for t in remove_tags]
        have = {t.lower(): t for t in question["tags"]}
        unknown = [t for t in remove_tags if t.lower() not in have]
        if unknown:
            raise InputError(f"tag: question #{question['id']} has no tag {unknown[0]!r}",
                             field="tag")
        added = sorted({t for t in add_tags if t.lower() not in have})
        removed = sorted({have[t.lower()] for t in remove_tags})
        if set(map(str.lower, added)) & set(map(str.lower, removed)):
            raise InputError("tag: the same tag is added and removed", field="tag")
        if added or removed:
            changes["tags"] = [sorted(have.values()),
                               sorted((set(have.values()) - set(removed)) | set(added))]
        if not changes:
            raise InputError(f"question #{question['id']} already reads so: give --text, "
                             "--criteria, --resolves, --add-tag or --remove-tag with a new value")
        forecasts_before = store.count_forecasts_of(question["id"])
        correction_id = store.add_correction(
            "amend", reason, question_id=question["id"], changes=changes,
            author=_author(author), add_tags=added, remove_tags=removed)
    return {"question_id": question["id"], "correction_id": correction_id, "changes": changes,
            "reason": reason,
            "moved_after_forecasts": forecasts_before if "resolves" in changes else 0}


def _named_forecaster(store, name):
    """The forecaster called ``name`` now (or before a rename), even one merged into another."""
    found = store.forecaster_by_own_name(name)
    if found is None:
        raise NotFound(f"no forecaster named {' '.join(name.split())!r}")
    return found


def reassign(store, ref, to, reason, author=None, new_forecaster=False):
    """Give a forecast to the forecaster who really made it (created when new; a new name that
    looks like a name a forecaster is found by is refused unless ``new_forecaster`` confirms
    it, see ``forecasts.names``). A baseline's or an aggregate's forecast, or one given to
    them, is refused: their own commands write their forecasts."""
    reason = _reason(reason)
    to = names.clean_name(to, "to")
    with store.transaction():
        forecast = find_forecast(store, ref)
        state = store.correction_state()
        now = state.forecaster_of(forecast["id"], forecast["forecaster_id"])
        kind = store.forecaster_kind(forecast["forecaster_id"])
        if kind in RULE_WRITERS:
            raise InputError(f"forecast #{forecast['id']} is by "
                             f"{store.forecaster_names(state)[forecast['forecaster_id']]}, "
                             f"{RULE_WRITERS[kind]}; it cannot be given to another forecaster")
        target = store.find_forecaster(to)
        if target is not None and target["kind"] in RULE_WRITERS:
            raise InputError(f"{target['name']} is {RULE_WRITERS[target['kind']]}; no forecast "
                             "can be given to it")
        if target is not None and target["id"] == now:
            raise InputError(f"forecast #{forecast['id']} is already {target['name']}'s")
        if target is None and not new_forecaster:
            lookalike = names.find_lookalike(to, store.forecaster_aliases())
            if lookalike:
                raise names.lookalike_error(to, lookalike, what="to")
        target_id = target["id"] if target else store.forecaster_id(to, new_forecaster=True)
        correction_id = store.add_correction(
            "reassign", reason, forecast_id=forecast["id"],
            question_id=forecast["question_id"], forecaster_id=now,
            into_forecaster_id=target_id, author=_author(author))
    current = store.forecaster_names()
    return {"forecast_id": forecast["id"], "question_id": forecast["question_id"],
            "correction_id": correction_id, "from": current[now], "to": current[target_id],
            "new_forecaster": target is None, "reason": reason}


def rename_forecaster(store, old, new, reason=None, author=None, confirm_lookalike=False):
    """Rename a forecaster; the old name still finds it (imports, ``add --by``). A new name
    that looks like a name another forecaster is found by is refused unless
    ``confirm_lookalike`` (see ``forecasts.names``)."""
    reason = _reason(reason, RENAME_REASON)
    new = names.clean_name(new, "name")
    with store.transaction():
        forecaster = _named_forecaster(store, old)
        if forecaster["merged_into"]:
            raise InputError(f"{forecaster['name']} is merged into {forecaster['merged_into']}:"
                             " rename that one, or undo the merge first")
        other = store.find_forecaster(new)
        if other is not None and other["id"] != forecaster["id"]:
            raise InputError(f"name: {other['name']} is another forecaster; if they are the same"
                             f" one, merge them: forecasts forecaster merge "
                             f"\"{forecaster['name']}\" into \"{other['name']}\"", field="name")
        if new == forecaster["name"]:
            raise InputError(f"name: the forecaster is already called {new}", field="name")
        lookalike = None if confirm_lookalike else names.find_lookalike(
            new, (alias for alias, fid in store.forecaster_aliases().items()
                  if fid != forecaster["id"]))
        if lookalike:
            raise names.lookalike_error(new, lookalike, what="name", needs="confirm-lookalike")
        correction_id = store.add_correction(
            "rename", reason, forecaster_id=forecaster["id"],
            changes={"name": [forecaster["name"], new]}, author=_author(author))
    return {"forecaster_id": forecaster["id"], "from": forecaster["name"], "to": new,
            "correction_id": correction_id, "reason": reason}


def merge_forecasters(store, source, target, reason=None, author=None):
    """Merge forecaster ``source`` into ``target``: one pundit under two names. Every forecast
    of ``source`` counts as ``target``'s and the name ``source`` finds ``target``; undo it with
    :func:`unmerge_forecaster`. Forecasters merged into ``source`` follow it into ``target``
    (each stays merged into ``source``). A ``target`` merged into another is refused: merge
    into the one it counts as."""
    reason = _reason(reason, MERGE_REASON)
    with store.transaction():
        merged = _named_forecaster(store, source)
        into = _named_forecaster(store, target)
        for forecaster in (merged, into):
            if forecaster["kind"] in RULE_WRITERS:
                raise InputError(f"{forecaster['name']} is {RULE_WRITERS[forecaster['kind']]};"
                                 " it cannot be merged with another forecaster")
        if merged["merged_into"]:
            raise InputError(f"{merged['name']} is already merged into {merged['merged_into']}")
        if into["merged_into"]:
            raise InputError(f"{into['name']} is merged into {into['merged_into']}: merge into "
                             "that one")
        if merged["id"] == into["id"]:
            raise InputError(f"{merged['name']} and {into['name']} are the same forecaster")
        followers = [fid for fid, counts_as in store.correction_state().counts_as.items()
                     if counts_as == merged["id"]]
        correction_id = store.add_correction(
            "merge", reason, forecaster_id=merged["id"], into_forecaster_id=into["id"],
            author=_author(author))
        for follower in followers:
            store.add_correction("merge", f"follows {merged['name']} into {into['name']}",
                                 forecaster_id=follower, into_forecaster_id=into["id"],
                                 author=_author(author))
    return {"forecaster_id": merged["id"], "from": merged["name"], "into": into["name"],
            "into_id": into["id"], "correction_id": correction_id, "reason": reason}


def _merged_under(state, forecaster_id):
    """The forecasters merged into ``forecaster_id``, directly or through others, by id."""
    under = []
    for fid in sorted(state.merged_into):
        seen, step = {fid}, state.merged_into[fid]
        while step is not None and step != forecaster_id and step not in seen:
            seen.add(step)
            step = state.merged_into.get(step)
        if step == forecaster_id:
            under.append(fid)
    return under


def unmerge_forecaster(store, name, reason=None, author=None):
    """Undo the merge of forecaster ``name`` (a new record): its forecasts are its own again.
    Exactly that merge is undone: forecasters merged into ``name`` stay merged into it (a
    record each moves them back), and one ``name`` was merged into stays as it is."""
    reason = _reason(reason, UNMERGE_REASON)
    with store.transaction():
        merged = _named_forecaster(store, name)
        if not merged["merged_into"]:
            raise InputError(f"{merged['name']} is not merged into another forecaster")
        state = store.correction_state()
        current = store.forecaster_names(state)
        was_merged_into = current[state.merged_into.get(merged["id"], state.counts_as[
            merged["id"]])]
        correction_id = store.add_correction(
            "unmerge", reason, forecaster_id=merged["id"], author=_author(author))
        for follower in _merged_under(state, merged["id"]):
            store.add_correction(
                "merge", f"stays with {merged['name']}, whose merge into {was_merged_into}"
                " is undone", forecaster_id=follower, into_forecaster_id=merged["id"],
                author=_author(author))
    return {"forecaster_id": merged["id"], "name": merged["name"],
            "was_merged_into": was_merged_into, "correction_id": correction_id,
            "reason": reason}


def forecaster_list(store):
    """Every forecaster with its current name, kind, forecasts, the names it is also found by,
    and the forecaster it is merged into (if any: the one named in its own merge, which
    ``forecaster unmerge`` undoes; that one may be merged into another in turn)."""
    state = store.correction_state()
    current = store.forecaster_names(state)
    aliases = {}
    for alias, fid in store.forecaster_aliases().items():
        if alias != current.get(fid):
            aliases.setdefault(fid, []).append(alias)
    rows = []
    for row in store.forecaster_rows():
        fid = row["id"]
        into = state.merged_into.get(fid, state.counts_as.get(fid))
        rows.append({"id": fid, "name": current[fid], "kind": row["kind"],
                     "forecasts": row["forecasts"],
                     "also_known_as": sorted(aliases.get(fid, [])) if into is None else [],
                     "merged_into": current[into] if into else None})
    return sorted(rows, key=lambda r: r["name"].lower())


def describe(correction, names=None):
    """One line saying what a correction record did.

    >>> describe({"action": "amend", "changes": {"resolves": ["2026-01-01", "2026-06-30"]}})
    'amended: resolves 2026-01-01 -> 2026-06-30'
    """
    action, changes = correction["action"], correction.get("changes") or {}
    forecast = f"forecast #{correction.get('forecast_id')}"
    if action == "retract":
        return f"retracted {forecast}"
    if action == "unretract":
        return f"restored {forecast} (retraction undone)"
    if action == "amend":
        parts = []
        for field, (before, after) in changes.items():
            if field == "tags":
                gone = sorted(set(before) - set(after))
                new = sorted(set(after) - set(before))
                parts.append("tags" + "".join(f" +{t}" for t in new)
                             + "".join(f" -{t}" for t in gone))
            else:
                parts.append(f"{field} {before or '-'} -> {after or '-'}")
        return "amended: " + "; ".join(parts)
    if action == "reassign":
        return (f"{forecast} given to {correction.get('into_forecaster')} (was "
                f"{correction.get('forecaster')})")
    if action == "rename":
        return f"forecaster renamed: {changes['name'][0]} -> {changes['name'][1]}"
    if action == "merge":
        return f"{correction.get('forecaster')} merged into {correction.get('into_forecaster')}"
    return f"merge of {correction.get('forecaster')} undone"
