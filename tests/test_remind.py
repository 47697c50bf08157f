"""forecasts remind: the digest of past-due, due-soon and stale questions, for cron."""

import datetime

TODAY = datetime.date.today()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def build(forecasts):
    forecasts.ok("add", "Long past due", "--by", "Me", "-p", "0.3", "--on", day(-200),
                 "--resolves", day(-20))
    forecasts.ok("add", "Due in three days", "--by", "Me", "-p", "0.6", "--on", day(-10),
                 "--resolves", day(3))
    forecasts.ok("add", "Due in a month, stale", "--by", "Me", "-p", "0.6", "--on", day(-100),
                 "--resolves", day(30))
    forecasts.ok("add", "Resolved already", "--by", "Me", "-p", "0.6", "--on", day(-100),
                 "--resolves", day(-50))
    forecasts.ok("resolve", "4", "yes", "--on", day(-50))


def test_digest(forecasts):
    build(forecasts)
    digest = forecasts.json("remind")
    assert [(q["text"], q["days"]) for q in digest["past_due"]] == [("Long past due", 20)]
    assert [(q["text"], q["days"]) for q in digest["due_soon"]] == [("Due in three days", 3)]
    assert [(q["text"], q["days"]) for q in digest["stale"]] == [
        ("Long past due", 200), ("Due in a month, stale", 100)]
    wider = forecasts.json("remind", "--within", "5w", "--stale", "1y")
    assert [q["text"] for q in wider["due_soon"]] == ["Due in three days", "Due in a month, stale"]
    assert wider["stale"] == []
    text = forecasts.ok("remind").stdout
    assert "Past due (1):" in text and "Due within 7 days (1):" in text
    assert "forecasts resolve 1 yes|no" in text


def test_fail_if_due(forecasts):
    build(forecasts)
    assert forecasts.ok("remind").exit_code == 0
    result = forecasts("remind", "--fail-if-due")
    assert result.exit_code == 1 and "Long past due" in result.stdout
    forecasts.ok("resolve", "1", "no")
    assert forecasts("remind", "--fail-if-due").exit_code == 0


def test_nothing_due(forecasts):
    forecasts.ok("add", "Far away", "--by", "Me", "-p", "0.6", "--on", day(0),
                 "--resolves", day(300))
    result = forecasts("remind", "--fail-if-due")
    assert result.exit_code == 0 and result.stdout.startswith("Nothing due")


def test_bad_duration(forecasts):
    forecasts.ok("add", "Far away", "--by", "Me", "-p", "0.6", "--on", day(0),
                 "--resolves", day(300))
    result = forecasts("remind", "--within", "soon")
    assert result.exit_code == 2 and "'soon' is not a duration" in result.stderr
