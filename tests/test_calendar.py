"""export --format ics: open questions on their resolution dates, read back by icalendar."""

import datetime

import icalendar


def events(path):
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_one_event_per_open_question(forecasts, tmp_path):
    forecasts.ok("add", "Open thing one", "--by", "Me", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2030-01-31", "--tag", "work")
    forecasts.ok("forecast", "1", "--by", "Ann", "-p", "25%", "--on", "2025-01-02")
    forecasts.ok("add", "Which one?", "--by", "Me", "--option", "a b", "--option", "c",
                 "-p", "a b=0.4", "-p", "c=0.6", "--on", "2025-01-01", "--resolves", "2025-02-01")
    forecasts.ok("add", "Resolved thing", "--by", "Me", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2025-01-10")
    forecasts.ok("resolve", "3", "yes", "--on", "2025-01-10")
    out = tmp_path / "due.ics"
    result = forecasts.ok("export", "--format", "ics", "-o", str(out))
    assert "2 events" in result.stdout
    found = events(out)
    assert set(found) == {"open-thing-one@forecasts", "which-one@forecasts"}
    one = found["open-thing-one@forecasts"]
    assert one.decoded("DTSTART") == datetime.date(2030, 1, 31)
    assert one.decoded("DTEND") == datetime.date(2030, 2, 1)
    assert str(one["SUMMARY"]) == "Resolve #1: Open thing one"
    description = str(one["DESCRIPTION"])
    assert "2025-01-01  Me: 60%" in description and "2025-01-02  Ann: 25%" in description
    forecasts.ok("forecast", "1", "--by", "Ann", "-p", "35%", "--on", "2025-01-03")
    forecasts.ok("export", "--format", "ics", "-o", str(out))
    description = str(events(out)["open-thing-one@forecasts"]["DESCRIPTION"])
    assert "2025-01-03  Ann: 35% (2 forecasts in all)" in description
    assert "Ann: 25%" not in description
    assert f"forecasts resolve 1 yes --db {forecasts.db}" in description
    assert one.walk("VALARM")
    choice = str(found["which-one@forecasts"]["DESCRIPTION"])
    assert "forecasts resolve 2 'a b' --db" in choice and "forecasts resolve 2 c --db" in choice


def test_the_same_questions_keep_their_uids(forecasts, tmp_path):
    forecasts.ok("add", "Open thing", "--by", "Me", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2030-01-31")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    forecasts.ok("export", "--format", "ics", "-o", str(first))
    forecasts.ok("export", "--format", "ics", "-o", str(second))
    assert set(events(first)) == set(events(second)) == {"open-thing@forecasts"}


def test_standard_output(forecasts):
    forecasts.ok("add", "Open thing", "--by", "Me", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2030-01-31")
    result = forecasts.ok("export", "--format", "ics")
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert len(calendar.walk("VEVENT")) == 1
