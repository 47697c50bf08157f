"""The native JSON Lines interchange format (see ``forecasts.interchange``): the default, for any
file no other format claims, and for standard input ("-").

Example::

    >>> FORMAT.detect("backup.jsonl", b'{"type": "question"}')
    True
"""

from . import ImportFormat, Reading


def detect(path: str, head: bytes) -> bool:
    return True  # the fallback: listed last


def read(paths) -> Reading:
    from ..interchange import json_records, read_lines

    (path,) = paths
    count, lines = read_lines(path)
    return Reading(records=json_records(lines), length=count)


FORMAT = ImportFormat(
    "jsonl", detect, read,
    one_file_message="import one JSON Lines or CSV file at a time (several files go together "
                     "only in the forecastbench format)")
