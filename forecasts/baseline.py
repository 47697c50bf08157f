"""Constant forecasters ("always 50%", the uniform "chimp") to score next to the real ones.

A baseline forecasts every question (or every question with a tag) once, on the question's open
date unless told otherwise, so that ``forecasts score`` shows what no skill at all would score on
the same questions.

Example::

    >>> from forecasts import tracker
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains on 2025-01-02", by="Alice", probabilities=["70%"],
    ...                 on="2025-01-01", resolves="2025-01-02")
    >>> add_baseline(store, "Always 0.5", constant="0.5")["added"]
    1
    >>> add_baseline(store, "Always 0.5", constant="0.5")["already_there"]
    1
"""

import datetime

from . import parse
from .ppm import PPM
from .store import Store
from .tracker import InputError


def _probability(constant):
    try:
        return parse.parse_probability(constant)
    except parse.ParseError as error:
        raise InputError(f"constant: {error}", field="constant") from None


def _made_on(on):
    today = datetime.date.today()
    try:
        made = parse.parse_date(on, today)
    except parse.ParseError as error:
        raise InputError(f"made: {error}", field="made") from None
    if made > today:
        raise InputError(f"made {made.isoformat()} is in the future", field="made")
    return made.isoformat()


def _uniform(store, question):
    n = len(question["options"])
    return {store.option_id(question["id"], label): (round(PPM / n), f"1/{n}")
            for label in question["options"]}


def breaks_rule(role, p_ppm=None, option_ppm=()):
    """Why a forecast does not follow the rule a baseline's ``role`` states (as ``add_baseline``
    words it), or None when it does: an imported baseline is exempt from the hindsight guard
    only while it follows its rule. ``option_ppm``: the probabilities of a multiple-choice one.

    >>> breaks_rule("constant 50% on every yes/no question", p_ppm=500_000) is None
    True
    >>> breaks_rule("constant 50% on every yes/no question", p_ppm=1_000_000)
    'gives 100%, not the constant 50% its rule states'
    """
    role = role or ""
    if role.startswith("uniform"):
        if p_ppm is not None:
            return None if p_ppm == PPM // 2 else f"gives {p_ppm / PPM:.0%}, not the 1/2 its rule states"
        n = len(option_ppm)
        if n and all(value == round(PPM / n) for value in option_ppm):
            return None
        return f"is not 1/{n} on each of its {n} options, as its rule states"
    if role.startswith("constant ") and role.endswith(" on every yes/no question"):
        try:
            constant = parse.parse_probability(role[len("constant "):-len(" on every yes/no question")])
        except parse.ParseError:
            return f"has a rule that does not parse: {role!r}"
        if p_ppm is None:
            return "is on a multiple-choice question, which a constant rule does not forecast"
        return None if p_ppm == constant.ppm else (
            f"gives {p_ppm / PPM:.0%}, not the constant {constant.text} its rule states")
    return ("states no rule (role 'constant P on every yes/no question' or 'uniform: 1/2 on yes/no "
            "questions, 1/n on each of n options')")


def add_baseline(store, name, constant=None, uniform=False, on=None, tag=None):
    """Give forecaster ``name`` (kind baseline) one forecast on every question (with ``tag``):
    ``constant`` (a probability as typed) on yes/no questions, or with ``uniform`` 1/2 on yes/no
    questions and 1/n on each of n options. Forecasts are made on ``on`` (a date) or else on the
    question's open date (its first forecast's date when it has none). Running it again adds
    nothing. Returns what was added and what was left out, and why. A ``tag`` no question has
    is refused."""
    if (constant is None) == (not uniform):
        raise InputError("constant: give a constant probability, or uniform, not both",
                         field="constant")
    name = " ".join((name or "").split())
    if not name:
        raise InputError("the baseline needs a name")
    existing = store.find_forecaster(name)
    if existing and existing["kind"] != "baseline":
        raise InputError(f"{existing['name']} is a {existing['kind']}, not a baseline: choose "
                         "another name")
    probability = _probability(constant) if constant is not None else None
    made_on = _made_on(on) if on is not None else None
    if probability:
        role = f"constant {probability.text} on every yes/no question"
    else:
        role = "uniform: 1/2 on yes/no questions, 1/n on each of n options"
    summary = {"forecaster": existing["name"] if existing else name, "added": 0,
               "already_there": 0, "multiple_choice_skipped": 0, "without_a_date": 0,
               "too_late": 0, "resolved_before_tag": 0}
    with store.transaction():
        questions = store.all_questions(tag=tag)
        if tag and not questions:
            raise InputError(f"tag: no question is tagged {tag!r}", field="tag")
        resolved = store.resolved_question_ids() if tag else set()
        forecaster_id = store.forecaster_id(name, kind="baseline", role=role)
        for question in questions:
            made = made_on or question["opens"] or question["first_made"]
            if not made:
                summary["without_a_date"] += 1
                continue
            if question["resolves"] and made >= question["resolves"]:
                summary["too_late"] += 1
                continue
            if tag and question["id"] in resolved:
                # a tag may have been given knowing the outcome: a baseline chosen by it could
                # pick the questions it gets right
                summary["resolved_before_tag"] += 1
                continue
            p_ppm, option_ppm = None, None
            if question["kind"] == "binary":
                p_ppm = probability.ppm if probability else PPM // 2
                p_text = probability.text if probability else "1/2"
            elif probability:
                summary["multiple_choice_skipped"] += 1
                continue
            else:
                option_ppm = _uniform(store, question)
                p_text = "; ".join(f"{label}={text}" for label, (_, text)
                                   in zip(question["options"], option_ppm.values()))
            if store.count_forecasts(question["id"], forecaster_id, made, p_ppm, option_ppm,
                                     None):
                summary["already_there"] += 1
                continue
            store.add_forecast(question["id"], forecaster_id, made, p_ppm=p_ppm, p_text=p_text,
                               verbal=probability.verbal if probability else None,
                               scale=probability.scale if probability else None,
                               option_ppm=option_ppm)
            summary["added"] += 1
    return summary


__all__ = ["Store", "add_baseline"]
