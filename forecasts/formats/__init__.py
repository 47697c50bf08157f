"""The import formats: one module each, listed once in ``FORMATS``.

A format module declares ``FORMAT = ImportFormat(...)``: its ``name`` (the ``--format`` choice),
a ``detect(path, head)`` that says from the path and the file's first bytes whether the file is
in this format, and a ``read(paths)`` that returns a ``Reading``: the interchange records the
files stand for (``(label, record)`` pairs, the label naming where each came from) and a summary
of what was read and left out. Files are read before the database is opened, so a file that
cannot be read leaves no database behind; records that depend on what the database holds (CSV
rows naming questions by their text) are given as a function of the store. ``load`` writes the
records all or nothing, so every format inherits idempotent re-import, the hash chain and the
hindsight guard.

Adding a format: write ``forecasts/formats/NAME.py`` with its ``FORMAT`` and add its module name
to ``FORMATS``. Detection asks the formats in the order listed, so the most specific come first.

Example::

    >>> names()[:3]
    ['jsonl', 'csv', 'forecastbench']
    >>> detect("forecasts.csv", b"question,forecaster,made\\n").name
    'csv'
    >>> detect("backup.jsonl", b'{"type": "question"}').name
    'jsonl'
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from typing import Callable, Iterable, Sequence

from ..errors import InputError

# Module names under forecasts/formats, in detection order (most specific first). The first one
# whose detect says yes is used; the last, jsonl, takes any file nothing else claims.
FORMATS = ["drafts", "fatebook", "metaculus", "predictionbook", "csv", "tsv", "forecastbench",
           "jsonl"]
# `--format` choices, in the order the help has always listed them
CHOICE_ORDER = ["jsonl", "csv", "forecastbench", "drafts"]

HEAD_BYTES = 4096  # how much of a file detect sees


@dataclasses.dataclass
class Reading:
    """What a format read: interchange records as ``(label, record)`` pairs, a summary (JSON
    values: counts of what was read, made and left out) and lines saying the same in words."""

    records: Iterable | Callable[[object], Iterable] = ()
    summary: dict = dataclasses.field(default_factory=dict)
    notes: list = dataclasses.field(default_factory=list)
    length: int | None = None  # how many records, for a progress bar (default: len(records))


@dataclasses.dataclass(frozen=True)
class ImportFormat:
    """One import format. ``read`` is None for a format that its own command applies (drafts,
    logged through the tracker); ``several_files`` says whether one import takes more than one
    file (a ForecastBench question set with its resolution and forecast sets)."""

    name: str
    detect: Callable[[str, bytes], bool]
    read: Callable[[Sequence[str]], Reading] | None
    several_files: bool = False
    one_file_message: str = ""


def _module(name: str):
    return importlib.import_module(f"{__name__}.{name}")


def all_formats() -> list[ImportFormat]:
    """Every registered format, in detection order."""
    return [_module(name).FORMAT for name in FORMATS]


def names() -> list[str]:
    """The format names, as ``--format`` offers them."""
    listed = [n for n in CHOICE_ORDER if n in FORMATS]
    return listed + [n for n in FORMATS if n not in listed]


def get(name: str) -> ImportFormat:
    """The format called ``name``."""
    if name not in FORMATS:
        raise InputError(f"unknown import format {name!r}: use one of {', '.join(names())}")
    return _module(name).FORMAT


def head(path: str) -> bytes:
    """The first bytes of ``path`` (nothing for standard input, a folder or a missing file)."""
    if path == "-" or not os.path.isfile(path):
        return b""
    try:
        with open(path, "rb") as f:
            return f.read(HEAD_BYTES)
    except OSError:
        return b""


def detect(path: str, first_bytes: bytes | None = None) -> ImportFormat:
    """The format of the file at ``path``: the first registered format that claims it."""
    first_bytes = head(path) if first_bytes is None else first_bytes
    for fmt in all_formats():
        if fmt.detect(path, first_bytes):
            return fmt
    return get("jsonl")


def read(fmt: ImportFormat, paths: Sequence[str]) -> Reading:
    """Read ``paths`` in format ``fmt``, checking that it takes that many files."""
    if len(paths) > 1 and not fmt.several_files:
        raise InputError(fmt.one_file_message or f"import one {fmt.name} file at a time")
    return fmt.read(paths)


def load(store, reading: Reading, progress=None) -> dict:
    """Write what ``reading`` holds into ``store``, all or nothing; returns how many records of
    each type were new (records already in the database are skipped)."""
    from ..interchange import load_records

    records = reading.records(store) if callable(reading.records) else reading.records
    length = reading.length if reading.length is not None else len(records)
    return load_records(store, records, length, progress or (lambda items, n: items))


def import_files(store, fmt: ImportFormat, paths: Sequence[str], progress=None):
    """Read ``paths`` in format ``fmt`` and load them into ``store``; returns the counts of new
    records and the ``Reading`` (for its summary and notes)."""
    reading = read(fmt, paths)
    return load(store, reading, progress), reading


__all__ = ["FORMATS", "ImportFormat", "Reading", "all_formats", "detect", "get", "import_files",
           "load", "names", "read"]
