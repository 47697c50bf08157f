"""The native layout tab-separated (a spreadsheet's "save as TSV"): the CSV columns, tabs
between them.

Example::

    >>> FORMAT.detect("forecasts.tsv", b"question\\tforecaster\\n")
    True
"""

import csv
import io

from . import ImportFormat, Reading
from .jsonl import FORMAT as JSONL


def detect(path: str, head: bytes) -> bool:
    return path.lower().endswith(".tsv")


def read(paths) -> Reading:
    from ..interchange import read_text
    from ..interchange_csv import csv_records

    (path,) = paths
    as_csv = io.StringIO()
    csv.writer(as_csv).writerows(csv.reader(io.StringIO(read_text(path)), delimiter="\t"))
    return Reading(records=lambda store: list(csv_records(store, as_csv.getvalue())))


FORMAT = ImportFormat("tsv", detect, read, one_file_message=JSONL.one_file_message)
