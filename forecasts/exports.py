"""Export formats, told apart by name: the interchange formats (jsonl, csv), a calendar of open
questions (ics) and Fatebook's import layout (fatebook).

Example::

    >>> import io
    >>> from forecasts.store import Store
    >>> out = io.BytesIO()
    >>> write_export(Store.open(":memory:"), out, "ics")
    0
    >>> out.getvalue().startswith(b"BEGIN:VCALENDAR")
    True
"""

from . import interchange_csv

FORMATS = ("jsonl", "csv", "ics", "fatebook")


def _same(items, length):
    return items


def write_export(store, out, fmt="jsonl", progress=_same, db_path=None, by=None) -> int:
    """Write ``store`` in format ``fmt`` to the binary stream ``out``; returns how many records
    (CSV rows, calendar events) were written. ``db_path`` goes into the calendar's resolve
    commands; ``by`` names the forecaster whose forecasts the Fatebook layout holds."""
    if fmt == "ics":
        from .calendar import write_calendar

        with store.snapshot():
            return write_calendar(store, out, db_path)
    if fmt == "fatebook":
        from .formats.fatebook import write_import_layout

        with store.snapshot():
            return write_import_layout(store, out, by)
    return interchange_csv.write_export(store, out, fmt, progress)


def export_file(store, path, fmt="jsonl", progress=_same, db_path=None, by=None) -> int:
    """Export to the file at ``path``, replacing it only once the whole export is written."""
    return interchange_csv.export_file(
        store, path, fmt, progress,
        write=lambda out: write_export(store, out, fmt, progress, db_path, by))


__all__ = ["FORMATS", "export_file", "write_export"]
