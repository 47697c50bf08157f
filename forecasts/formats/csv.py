"""The native CSV layout (``forecasts.interchange_csv.CSV_COLUMNS``, one row per forecast), for any
file whose name ends in .csv that no more specific CSV format claims.

Example::

    >>> FORMAT.detect("forecasts.CSV", b"question,forecaster,made\\n")
    True
"""

from . import ImportFormat, Reading
from .jsonl import FORMAT as JSONL


def detect(path: str, head: bytes) -> bool:
    return path.lower().endswith(".csv")


def read(paths) -> Reading:
    from ..interchange import read_text
    from ..interchange_csv import csv_records

    (path,) = paths
    text = read_text(path)
    return Reading(records=lambda store: list(csv_records(store, text)))


FORMAT = ImportFormat("csv", detect, read, one_file_message=JSONL.one_file_message)
