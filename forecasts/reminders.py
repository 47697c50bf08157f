"""A reminder digest: open questions past due, due soon, and those whose latest forecast is old.

For cron or e-mail: ``reminders`` sorts the open questions into three lists; nothing in them
means nothing needs doing.

Example::

    >>> import datetime
    >>> from forecasts.store import Store
    >>> from forecasts import tracker
    >>> store = Store.open(":memory:")
    >>> _ = tracker.add(store, "It rains", by="Ann", probabilities=["70%"], on="2025-01-01",
    ...                 resolves="2025-01-05")
    >>> digest = reminders(store, within=7, stale=90, today=datetime.date(2025, 1, 3))
    >>> [q["text"] for q in digest["due_soon"]], digest["past_due"], digest["stale"]
    (['It rains'], [], [])
    >>> parse_days("2w", "within")
    14
"""

import datetime
import re

from . import tracker
from .errors import InputError

UNITS = {"d": 1, "w": 7, "m": 30, "y": 365}
DURATION = re.compile(r"(\d+)\s*([dwmy]?)")


def parse_days(text: str, what: str) -> int:
    """Days in a duration such as 7d, 2w, 3m (30 days) or 1y; a bare number is days."""
    match = DURATION.fullmatch(str(text).strip().lower())
    if not match:
        raise InputError(f"{what}: {text!r} is not a duration such as 7d, 2w, 3m or 1y")
    return int(match.group(1)) * UNITS[match.group(2) or "d"]


def reminders(store, within: int = 7, stale: int = 90, today: datetime.date | None = None):
    """Open questions past due, due within ``within`` days, and not forecast for ``stale`` days.

    Each entry has the question's id, slug, text, resolves date and latest forecast date, and
    ``days`` (past due: how many days ago it was due; due soon: in how many days; stale: the age
    of its latest forecast)."""
    today = today or tracker.today()
    latest = store.latest_forecast_dates()
    digest = {"today": today.isoformat(), "within_days": within, "stale_days": stale,
              "past_due": [], "due_soon": [], "stale": []}
    for row in store.questions(status="open", today=today.isoformat()):
        entry = {"id": row["id"], "slug": row["slug"], "text": row["text"],
                 "resolves": row["resolves"], "latest_forecast": latest.get(row["id"])}
        if row["resolves"]:
            until = (datetime.date.fromisoformat(row["resolves"]) - today).days
            if until < 0:
                digest["past_due"].append({**entry, "days": -until})
            elif until <= within:
                digest["due_soon"].append({**entry, "days": until})
        if entry["latest_forecast"]:
            age = (today - datetime.date.fromisoformat(entry["latest_forecast"])).days
            if age > stale:
                digest["stale"].append({**entry, "days": age})
    digest["due_soon"].sort(key=lambda e: e["days"])
    digest["past_due"].sort(key=lambda e: -e["days"])
    return digest


__all__ = ["parse_days", "reminders"]
