"""Open questions as a calendar (RFC 5545, written with the icalendar library): one all-day
event per unresolved question on its resolution date, with the question, its forecasts and the
command that resolves it in the description, so a calendar app reminds the user when it is due.

Each event's UID is the question's id, so importing the calendar again updates the events
rather than duplicating them. Questions without a resolution date have no day to show and are
left out. The description gives each forecaster's latest forecast (a crowd's history can run to
hundreds).

Example::

    >>> from forecasts.store import Store
    >>> from forecasts import tracker
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains on 2030-01-02", by="Ann", probabilities=["70%"],
    ...                 on="2025-01-01", resolves="2030-01-02")
    >>> calendar = open_questions_calendar(store)
    >>> [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    ['Resolve #1: It rains on 2030-01-02']
"""

import datetime
import shlex

from . import tracker

PRODUCT = "-//forecasts//open questions//EN"
REMIND_AT = datetime.timedelta(hours=9)  # the alarm: 09:00 on the day


def resolve_commands(question: dict, db_path: str | None = None) -> list[str]:
    """The commands that resolve ``question``, one for each outcome it can take.

    >>> resolve_commands({"id": 3, "kind": "binary"}, "my.db")
    ['forecasts resolve 3 yes --db my.db', 'forecasts resolve 3 no --db my.db']
    """
    outcomes = ["yes", "no"] if question["kind"] == "binary" else question["options"]
    db = f" --db {shlex.quote(db_path)}" if db_path else ""
    return [f"forecasts resolve {question['id']} {shlex.quote(o)}{db}" for o in outcomes]


def _description(detail: dict, db_path: str | None) -> str:
    question = detail["question"]
    lines = [question["text"]]
    if question.get("criteria"):
        lines += ["", f"Criteria: {question['criteria']}"]
    if question["kind"] != "binary":
        lines += ["", "Options: " + ", ".join(question["options"])]
    latest, count = {}, {}
    for f in detail["forecasts"]:  # oldest first: the last one seen is the latest
        latest[f["forecaster"]] = f
        count[f["forecaster"]] = count.get(f["forecaster"], 0) + 1
    lines += ["", "Latest forecasts:"]
    lines += [f"  {f['made']}  {name}: {f['probability']}"
              + (f" ({count[name]} forecasts in all)" if count[name] > 1 else "")
              for name, f in latest.items()] or ["  none yet"]
    lines += ["", "Resolve it with one of:"]
    lines += ["  " + command for command in resolve_commands(question, db_path)]
    return "\n".join(lines)


def open_questions_calendar(store, db_path: str | None = None, stamp=None):
    """An ``icalendar.Calendar`` with an event for each open question that has a resolution
    date; ``db_path`` goes into the resolve commands."""
    import icalendar  # imported here: most commands never need it
    stamp = stamp or datetime.datetime.now(datetime.timezone.utc)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Forecasts to resolve")
    for row in tracker.list_questions(store, status="open"):
        if not row["resolves"]:
            continue
        detail = tracker.question_detail(store, row["id"])
        day = datetime.date.fromisoformat(row["resolves"])
        event = icalendar.Event()
        event.add("uid", f"{row['slug']}@forecasts")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", f"Resolve #{row['id']}: {row['text']}")
        event.add("description", _description(detail, db_path))
        event.add("categories", ["forecasts", *row["tags"]])
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Resolve #{row['id']}: {row['text']}")
        alarm.add("trigger", REMIND_AT, parameters={"RELATED": "START"})
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar


def write_calendar(store, out, db_path: str | None = None) -> int:
    """Write the calendar of open questions to the binary stream ``out``; returns how many
    events it holds."""
    calendar = open_questions_calendar(store, db_path)
    out.write(calendar.to_ical())
    return len(calendar.walk("VEVENT"))


__all__ = ["open_questions_calendar", "resolve_commands", "write_calendar"]
