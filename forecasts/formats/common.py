"""Helpers the site importers share: reading text and CSV files with one clear error, UTC
times, and stable question ids.

Example::

    >>> utc_time("2024-01-05 14:03:7")
    '2024-01-05T14:03:07+00:00'
    >>> utc_time("2026-01-12 16:06:47.781475+00:00")
    '2026-01-12T16:06:47.781475+00:00'
    >>> stable_slug("fatebook", "Will it rain?", "2024-01-05")
    'fatebook-will-it-rain-c9665db2'
"""

import csv
import datetime
import hashlib
import io
import re

from ..errors import InputError
from ..files import MAX_IMPORT_BYTES, read_input_text
from ..store import slugify

# Fatebook writes seconds without a leading zero ("14:03:7"); other sites write ISO 8601
LOOSE_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})"
                        r"(?::(\d{1,2})(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?")


class ImportFormatError(InputError):
    """A file is not of the format it was read as, or holds a value that cannot be read."""


def refuse(message: str):
    """Raise the one-line error for a file that cannot be imported."""
    raise ImportFormatError(f"{message}; nothing was imported")


def read_text(path: str, what: str) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark dropped), at most ``MAX_IMPORT_BYTES``."""
    try:
        return read_input_text(path, what, MAX_IMPORT_BYTES)
    except InputError as error:
        refuse(str(error))


def csv_rows(text: str, name: str, required: list[str], pad_short: bool = False):
    """``(line number, row dict)`` for each non-empty row of CSV ``text``, after checking that
    its header has the ``required`` columns. With ``pad_short``, a row with fewer cells than the
    header has its last columns empty (Metaculus leaves out a trailing empty cell)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        refuse(f"{name} is empty")
    except csv.Error as error:
        refuse(f"{name} line 1: {error}")
    missing = [column for column in required if column not in header]
    if missing:
        refuse(f"{name} has no column {missing[0]!r}")
    rows, start = [], 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            refuse(f"{name} line {start}: {error}")
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if pad_short and len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        if len(cells) != len(header):
            refuse(f"{name} line {line}: {len(cells)} cells, but the header has {len(header)}")
        rows.append((line, dict(zip(header, cells))))


def utc_time(text: str) -> str:
    """A site's date or time as ISO 8601 UTC text; a time without an offset is taken as UTC.
    Raises ValueError for text that is not a date."""
    match = LOOSE_TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a date or time: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                               int(second or 0), round(float(fraction or 0) * 1_000_000))
    offset = datetime.timezone.utc
    if zone and zone not in ("Z", "UTC"):
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        offset = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    moment = moment.replace(tzinfo=offset).astimezone(datetime.timezone.utc)
    return moment.isoformat()


def stable_slug(site: str, text: str, *keys: str) -> str:
    """A question id made from the site, the text and what identifies the question there, so
    that importing the same file again finds the same question."""
    digest = hashlib.sha256("\x1f".join((text, *keys)).encode("utf-8")).hexdigest()[:8]
    return f"{site}-{slugify(text, 40)}-{digest}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def counted(counts: dict) -> str:
    """'2 binary questions, 1 resolution' from counts keyed by a singular noun."""
    return ", ".join(plural(n, what) for what, n in counts.items())


def left_out_note(left_out: dict, heading: str = "left out") -> str:
    """'; left out: numeric questions 2, ...' or nothing."""
    parts = [f"{what} {n}" for what, n in left_out.items() if n]
    return f"; {heading}: {', '.join(parts)}" if parts else ""
