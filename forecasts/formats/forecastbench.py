"""ForecastBench: a question set with its resolution and forecast sets, given together
(``forecasts.forecastbench`` converts them). Named with --format: never guessed, since its
files are plain JSON objects.

Example::

    >>> FORMAT.several_files, FORMAT.detect("2024-07-21-human.json", b"{")
    (True, False)
"""

import os

from . import ImportFormat, Reading


def detect(path: str, head: bytes) -> bool:
    return False


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def notes(summary: dict) -> list[str]:
    """What the sets held and what was left out, in words."""
    entries = summary["entries"]
    kinds = ", ".join(_plural(entries[k], f"{k} question") for k in
                      ("market", "dataset", "combination") if entries.get(k))
    lines = [f"ForecastBench {summary['question_set']} (due {summary['forecast_due_date']}): "
             f"{kinds}, as {summary['questions']} questions (one per resolution date"
             + (", and per direction of a combination" if entries.get("combination") else "")
             + f"); the market's probability at the freeze date on {summary['crowd_forecasts']} "
             "of them, as forecasts by Market crowd."]
    order = ["yes", "no", "ambiguous", "annulled", "not resolved yet",
             "markets still open (fractional value)", "forecasts", "forecasters"]
    for counts in summary["resolution_sets"] + summary["forecast_sets"]:
        counts = dict(counts)
        name = counts.pop("file")
        shown = [f"{counts.pop(what)} {what}" for what in order if what in counts]
        left_out = [f"{n} {what}" for what, n in counts.items()]
        lines.append(f"{name}: " + ", ".join(shown or ["nothing for this set"])
                     + (f"; left out: {', '.join(left_out)}" if left_out else "") + ".")
    return lines


def _refuse_repeats(paths, error):
    """Refuse a set given twice (by two names too): its records would be recorded twice."""
    import hashlib

    seen = {}
    for path in paths:
        if not os.path.isfile(path):  # a pipe or /dev/zero has no end to hash: the reader refuses
            continue
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            continue  # the reader names what is wrong with it
        if digest in seen:
            raise error(f"{path} is the same set as {seen[digest]}: give each set once; nothing "
                        "was imported")
        seen[digest] = path


def read(paths) -> Reading:
    from ..forecastbench import ForecastBenchError, read_sets

    _refuse_repeats(paths, ForecastBenchError)
    try:
        records, summary = read_sets(paths)
    except ForecastBenchError as error:
        raise ForecastBenchError(f"{error}; nothing was imported") from None
    return Reading(records=records, summary=summary, notes=notes(summary))


FORMAT = ImportFormat("forecastbench", detect, read, several_files=True)
