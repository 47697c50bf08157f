"""The command line: parse options, call the library, render. No SQL and no maths here.

Size: one thin function per command; click's option decorators and the help texts with their
examples (the source of docs/cli.md) make it long.
"""

import errno
import functools
import json
import os
import shutil
import sqlite3
import sys

import click

# The scoring commands multiply small matrices (bootstrap resamples), where OpenBLAS's threads
# only wait on one another: on a busy 2-core machine a threaded `score` took 0.7 s, one thread
# 0.4 s. Set before numpy loads; a value the user sets wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from . import formats, metrics, tracker
from .errors import ForecastsError, InputError
from .output import columns_that_fit, terminal_safe
from .output import render as render_rows
from .ppm import format_percent, to_ppm
from .store import Store

SCALE_NOTE = ("Brier on the 0-1 scale: 0 is perfect, always saying 50% scores 0.25 "
              "(multiple-choice: the Brier 1950 sum over options, halved).")


# The library names the input at fault by its field; the command line by its flag.
FLAG_FOR_FIELD = {"made": "--on", "resolved": "--on", "resolves": "--resolves",
                  "forecaster": "--by", "option": "--option", "tag": "--tag", "scale": "--scale",
                  "since": "--since", "until": "--until", "probability": "-p",
                  "constant": "--constant", "chart": "--output", "to": "--to"}


class CleanError(click.ClickException):
    """An error shown as one line on stderr, without usage text or traceback."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None):
        click.echo(f"Error: {one_line(self.format_message())}", err=True, file=file)


def one_line(message):
    """A message that quotes user input, on one line with control characters escaped."""
    return terminal_safe(message.replace("\r", "\\r").replace("\n", "\\n"))


# What a write to standard output (a pipe or a file it is redirected to) can meet on the way.
OUTPUT_FAILURES = (errno.EFBIG, errno.ENOSPC, errno.EDQUOT, errno.EIO)


def _usage_line(error):
    """A usage error (a missing option, an unknown one, a bad value) as one line that points
    to the command's help, instead of click's usage block."""
    command = " ".join(["forecasts", *(error.ctx.command_path.split()[1:] if error.ctx else [])])
    return CleanError(f"{one_line(error.format_message()).rstrip('.')} (see `{command} --help`)",
                      exit_code=error.exit_code)


class ForecastsGroup(click.Group):
    """Turns the library's errors into one clear line and a non-zero exit."""

    def parse_args(self, ctx, args):
        # Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite cannot store.
        for arg in args:
            if isinstance(arg, str) and any("\ud800" <= ch <= "\udfff" for ch in arg):
                raise CleanError(f"{ascii(arg)[:80]} is not valid UTF-8 text", exit_code=2)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # no command given: the help
                raise
            raise _usage_line(error) from None

    def invoke(self, ctx):
        try:
            return self._invoke_cleanly(ctx)
        except BaseException as error:
            if not isinstance(error, click.exceptions.Exit) or error.exit_code:
                ctx.meta[FAILED_META] = True  # a database this command created is removed
            raise

    def _invoke_cleanly(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # a group without a command
                raise
            raise _usage_line(error) from None
        except InputError as error:
            message = error.worded(FLAG_FOR_FIELD.get(error.field, error.field or ""))
            if getattr(error, "needs", None):
                message += f"; give --{error.needs} to record it anyway"
            raise CleanError(message, exit_code=error.exit_code) from None
        except ForecastsError as error:
            raise CleanError(str(error), exit_code=error.exit_code) from None
        except sqlite3.Error as error:
            raise CleanError(f"database error: {error}") from None
        except OSError as error:  # the output could not be written: a full disk, a size limit
            if error.errno not in OUTPUT_FAILURES:
                raise
            raise CleanError(f"cannot write {error.filename or 'the output'}: "
                             f"{error.strerror}") from None
        except (TypeError, AttributeError):
            # a value of the wrong type written outside forecasts (a BLOB where text belongs)
            # is named, not shown as a traceback; any other TypeError is a bug, and raised
            from .audit import first_type_problem

            path = ctx.meta.get("forecasts.db_path")
            problem = path and path != ":memory:" and first_type_problem(path)
            if not problem:
                raise
            raise CleanError(f"{problem}; `forecasts verify` lists every value changed outside "
                             "forecasts") from None


def db_option(fn):
    return click.option(
        "--db", "db_path", envvar="FORECASTS_DB", default="predictions.db", show_default=True,
        metavar="PATH", help="SQLite database file (environment variable FORECASTS_DB).")(fn)


OUTPUT_META = "forecasts.output"


def _remember_output(ctx, param, value):
    ctx.meta.setdefault(OUTPUT_META, {})[param.name] = value
    return value


def output_options(csv=True):
    """--json (and, for tables, --csv, --tsv, --nl, --wide and --quiet). The last four are kept
    in the click context, where ``_format``, ``render`` and ``print_rows`` read them."""
    def decorate(fn):
        if csv:
            for name, text in (
                    ("quiet", "Leave out the notes under a table."),
                    ("wide", "Show every column, however wide the terminal."),
                    ("nl", "Output newline-delimited JSON, one object a line."),
                    ("tsv", "Output tab-separated values.")):
                fn = click.option(f"--{name}", name, is_flag=True, expose_value=False,
                                  callback=_remember_output, help=text)(fn)
            fn = click.option("--csv", "as_csv", is_flag=True, help="Output CSV.")(fn)
        fn = click.option("--json", "as_json", is_flag=True, help="Output JSON.")(fn)
        return fn
    return decorate


def _output_choice(name):
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(OUTPUT_META, {}).get(name))


def _terminal_width():
    """The width a table must fit: FORECASTS_WIDTH when set, else the terminal's (COLUMNS
    overrides it, as everywhere); None when the output goes to a file or a pipe (every column
    is written)."""
    if os.environ.get("FORECASTS_WIDTH", "").isdigit():
        return int(os.environ["FORECASTS_WIDTH"])
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def render(rows, columns, fmt="table", floatfmt=".4f"):
    """``output.render`` as the options ask: a tab for --tsv, one line per row for --nl, and a
    table cut to the terminal's width (unless --wide) with a line naming what it left out."""
    if fmt == "csv":
        return render_rows(rows, columns, fmt, floatfmt, delimiter="\t" if _output_choice("tsv") else ",")
    if fmt == "json" and _output_choice("nl"):
        return render_rows(rows, columns, "nl")
    width = None if fmt != "table" or _output_choice("wide") or not rows else _terminal_width()
    if width is None:
        return render_rows(rows, columns, fmt, floatfmt)
    keep = columns_that_fit(rows, columns, width, floatfmt)
    table = render_rows(rows, columns[:keep], fmt, floatfmt)
    if keep < len(columns):
        hidden = ", ".join(header for _, header in columns[keep:])
        table += (f"\n({len(columns) - keep} more columns at this width: {hidden}; --wide shows "
                  "them, --json or --csv give every field)")
    return table


def new_forecaster_option(fn):
    return click.option("--new-forecaster", is_flag=True,
                        help="Confirm a new forecaster whose name looks like an existing one's "
                             "(the same letters from another script, say).")(fn)


def scale_option(fn):
    return click.option("--scale", default="default", show_default=True,
                        help="Verbal-probability scale for words such as 'probably not'.")(fn)


def _format(as_json=False, as_csv=False):
    """"json" (--json, --nl), "csv" (--csv, --tsv) or "table"; two at once is refused."""
    chosen = [name for name, on in (("--json", as_json), ("--csv", as_csv),
                                    ("--tsv", _output_choice("tsv")),
                                    ("--nl", _output_choice("nl"))) if on]
    if len(chosen) > 1:
        raise CleanError(f"use just one of {' or '.join(chosen)}", exit_code=2)
    if as_json or _output_choice("nl"):
        return "json"
    return "csv" if as_csv or _output_choice("tsv") else "table"


FAILED_META = "forecasts.failed"


def open_store(db_path, create=True, announce_new=True):
    """The store at ``db_path``, closed with the command. A database the command creates is
    announced once it succeeds (unless ``announce_new`` is false: the command says so itself)
    and removed again if it fails."""
    new = create and db_path != ":memory:" and not os.path.exists(db_path)
    store = Store.open(db_path, create=create)
    context = click.get_current_context()
    context.call_on_close(store.close)
    context.meta["forecasts.db_path"] = store.path
    if new:
        context.find_root().call_on_close(
            lambda: _settle_new_database(context, db_path, announce_new))
    if store.upgraded:
        old, new, backup = store.upgraded
        click.echo(terminal_safe(f"Note: upgraded {db_path} from schema version {old} to {new}; "
                                 f"the old database is backed up at {backup}"), err=True)
    return store


def _settle_new_database(context, db_path, announce):
    """Once the command that created ``db_path`` is over (and its store closed): say so if it
    succeeded; if it failed, remove the file again, so that a mistyped first command leaves
    nothing behind, as any failed command does."""
    if context.meta.get(FAILED_META):
        Store.remove_if_empty(db_path)
    elif announce:
        click.echo(terminal_safe(f"Note: created a new database at {db_path}"), err=True)


def _say(line):
    click.echo(terminal_safe(line))


def _indented(text, indent):
    r"""Stored text with its continuation lines indented by ``indent`` (and a bar), so that a
    newline in a quote or a note cannot start a line that looks like one of the tool's own.

    >>> print(_indented("fine\n  2025-01-03  Alice: 99%", "      "))
    fine
          | 2025-01-03  Alice: 99%
    """
    first, *rest = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join([first, *(f"{indent}| {line.strip()}" for line in rest)])


def _echo_json(value):
    if _output_choice("nl"):  # newline-delimited: a list one object a line, else one line
        click.echo(render_rows(value if isinstance(value, list) else [value], [], "nl"))
        return
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


@click.group(cls=ForecastsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forecasts")
def cli():
    """Keep score on predictions: log forecasts, resolve them, score the forecasters.

    \b
    Quick start:
        forecasts demo
        forecasts add "Russia accepts the Berlin peace framework" --by "Orysia Lutsevych" \\
            -p "probably not" --on 2025-12-16 --resolves 2026-06-30 --tag ukraine
        forecasts forecast 1 --by "Keir Giles" -p 5% --on 2025-12-16
        forecasts list --due
        forecasts resolve 1 no --evidence "https://..."
        forecasts score
    """


PROBABILITY_HELP = ("Probability: 0.7, 70%, 7/10, odds 3:1, '1 in 4', or words ('probably not'). "
                    "Multiple-choice: LABEL=PROB, once per option.")


def _report_logged(result, as_json):
    if as_json:
        _echo_json(result)
        return
    notes = []
    if result.get("new_question"):
        notes.append("new question")
    if result.get("new_forecaster"):
        notes.append(f"new forecaster {result['forecaster']}")
    _say(f"Logged forecast #{result['forecast_id']} on question #{result['question_id']} "
               f"({result['slug']}): {result['forecaster']} {result['probability']}, "
               f"made {result['made']}"
               + (f", resolves {result['resolves']}" if result["resolves"] else "")
               + (f" [{'; '.join(notes)}]" if notes else ""))
    if result.get("warning"):
        click.echo(f"Warning: {result['warning']}", err=True)


@cli.command()
@click.argument("event")
@click.option("--by", required=True, help="Who made the forecast.")
@click.option("-p", "--probability", "probabilities", multiple=True, help=PROBABILITY_HELP)
@click.option("--on", help="Date the forecast was made (default today).")
@click.option("--resolves", help="Resolution date or horizon: 2026-06-30, 'end of 2026', "
                                 "'Q1 2026', 'mid-2026', 'in 6 months', 'within weeks'.")
@click.option("--quote", help="The forecaster's verbatim words.")
@click.option("--source", help="Where the forecast was published (URL).")
@click.option("--tag", "tags", multiple=True, help="Tag for the question (repeatable).")
@click.option("--option", "options", multiple=True,
              help="An option of a multiple-choice question (repeat for each).")
@click.option("--criteria", help="How the question will be resolved.")
@click.option("--late", is_flag=True,
              help="Record a forecast made on or after the resolution (it is never scored).")
@new_forecaster_option
@scale_option
@output_options(csv=False)
@db_option
def add(event, by, probabilities, on, resolves, quote, source, tags, options, criteria, late,
        new_forecaster, scale, as_json, db_path):
    """Log a forecast on EVENT, creating the question and forecaster when new.

    \b
    Example:
        forecasts add "Russia accepts the Berlin peace framework" \\
            --by "Orysia Lutsevych" -p "probably not" --on 2025-12-16 \\
            --resolves 2026-06-30 --quote "it probably will not be acceptable" --tag ukraine
    """
    store = open_store(db_path)
    result = tracker.add(store, event, by, probabilities, on=on, resolves=resolves, quote=quote,
                         source=source, tags=tags, options=options, criteria=criteria,
                         scale=scale, late=late, new_forecaster=new_forecaster)
    _report_logged(result, as_json)


@cli.command()
@click.argument("question")
@click.option("--by", required=True, help="Who made the forecast.")
@click.option("-p", "--probability", "probabilities", multiple=True, help=PROBABILITY_HELP)
@click.option("--on", help="Date the forecast was made (default today).")
@click.option("--quote", help="The forecaster's verbatim words.")
@click.option("--source", help="Where the forecast was published (URL).")
@click.option("--late", is_flag=True,
              help="Record a forecast made on or after the resolution (it is never scored).")
@new_forecaster_option
@scale_option
@output_options(csv=False)
@db_option
def forecast(question, by, probabilities, on, quote, source, late, new_forecaster, scale,
             as_json, db_path):
    """Add a forecast (another forecaster's, or an update) to QUESTION (number or id).

    \b
    Example:
        forecasts forecast 1 --by "Keir Giles" -p 5% --on 2025-12-16
    """
    store = open_store(db_path)
    result = tracker.forecast(store, question, by, probabilities, on=on, quote=quote,
                              source=source, scale=scale, late=late,
                              new_forecaster=new_forecaster)
    _report_logged(result, as_json)


LIST_COLUMNS = [("id", "#"), ("display_text", "Question"), ("resolves", "Resolves"),
                ("status", "Status"), ("forecasts", "Forecasts"), ("tags", "Tags")]


def _shorten(text, width=64):
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command(name="list")
@click.option("--open", "open_", is_flag=True, help="Only unresolved questions.")
@click.option("--due", is_flag=True,
              help="Only questions past their resolution date and unresolved.")
@click.option("--resolved", is_flag=True, help="Only resolved questions.")
@click.option("--by", help="Only questions this forecaster forecast.")
@click.option("--tag", help="Only questions with this tag.")
@output_options()
@db_option
def list_(open_, due, resolved, by, tag, as_json, as_csv, db_path):
    """List questions, with their status and number of forecasts."""
    statuses = [name for name, on in (("open", open_), ("due", due), ("resolved", resolved)) if on]
    if len(statuses) > 1:
        raise CleanError(f"use just one of {' or '.join('--' + s for s in statuses)}",
                         exit_code=2)
    status = statuses[0] if statuses else None
    fmt = _format(as_json, as_csv)
    store = open_store(db_path, create=False)
    rows = tracker.list_questions(store, status=status, by=by, tag=tag)
    for row in rows:
        row["display_text"] = _shorten(row["text"]) if fmt == "table" else row["text"]
    if fmt == "json":
        for row in rows:
            row.pop("display_text")
        _echo_json(rows)
        return
    if not rows and fmt == "table":
        _say("No questions" + (f" ({status})" if status else "") + f" in {db_path}"
             + ("" if os.path.exists(db_path) else " (the file does not exist yet)") + ".")
        return
    click.echo(render(rows, LIST_COLUMNS, fmt))
    if status == "due" and fmt == "table":
        click.echo(f"\nResolve one with: forecasts resolve {rows[0]['id']} yes|no "
                   "--evidence \"...\"")


@cli.command()
@click.option("--within", default="7d", show_default=True, metavar="DAYS",
              help="Due soon: resolution date within this many days (7d, 2w, 1m).")
@click.option("--stale", default="90d", show_default=True, metavar="DAYS",
              help="Stale: an open question whose latest forecast is older than this.")
@click.option("--fail-if-due", is_flag=True,
              help="Exit with status 1 when a question is past due (for scripts).")
@output_options(csv=False)
@db_option
def remind(within, stale, fail_if_due, as_json, db_path):
    """A digest of what needs doing: questions past due, due soon, and stale forecasts.

    Exits 0 when nothing is past due (or always, without --fail-if-due), so it suits cron and
    e-mail.

    \b
    Example:
        forecasts remind
        forecasts remind --within 2w --stale 30d --json
        forecasts remind --fail-if-due || echo "something to resolve"
    """
    from .reminders import parse_days, reminders

    digest = reminders(open_store(db_path, create=False), within=parse_days(within, "within"),
                       stale=parse_days(stale, "stale"))
    if as_json:
        _echo_json(digest)
    else:
        _print_digest(digest)
    if fail_if_due and digest["past_due"]:
        click.get_current_context().exit(1)


def _print_digest(digest):
    sections = [("past_due", "Past due", "due {resolves}, {days} days ago"),
                ("due_soon", f"Due within {digest['within_days']} days", "due {resolves}, in "
                 "{days} days"),
                ("stale", f"Open, latest forecast older than {digest['stale_days']} days",
                 "latest forecast {latest_forecast}")]
    if not any(digest[key] for key, _, _ in sections):
        _say(f"Nothing due: no question is past due or due within {digest['within_days']} "
             f"days, and every open question has a forecast from the last "
             f"{digest['stale_days']} days.")
        return
    for key, title, detail in sections:
        if digest[key]:
            _say(f"{title} ({len(digest[key])}):")
            for entry in digest[key]:
                _say(f"  #{entry['id']}  {_shorten(entry['text'])}  ({detail.format(**entry)})")
    if digest["past_due"]:
        _say(f"\nResolve one with: forecasts resolve {digest['past_due'][0]['id']} yes|no")


@cli.command()
@output_options(csv=False)
@db_option
def info(as_json, db_path):
    """Where the database is and what it holds: path, schema version, counts, chain head, size.

    \b
    Example:
        forecasts info
    """
    if not os.path.exists(db_path):
        raise CleanError(f"no database at {db_path}: `forecasts add` creates it", exit_code=1)
    facts = open_store(db_path, create=False).info()
    if as_json:
        _echo_json(facts)
        return
    counts = facts["counts"]
    _say(f"Database: {facts['path']}")
    _say(f"Schema version: {facts['schema_version']}")
    _say("Records: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    _say(f"Hash chain: {facts['chain_entries']} entries, head {facts['chain_head'] or '-'}")
    _say(f"Size on disk: {facts['size_bytes'] / 1024:.1f} KiB")


@cli.command()
@click.argument("question")
@output_options(csv=False)
@db_option
def show(question, as_json, db_path):
    """Show QUESTION with every forecast, quote and resolution."""
    store = open_store(db_path, create=False)
    detail = tracker.question_detail(store, question)
    if as_json:
        _echo_json(detail)
        return
    q = detail["question"]
    _say(f"#{q['id']} {_indented(q['text'], '  ')}")
    _say(f"  id: {q['slug']}   kind: {q['kind'].replace('_', '-')}   "
               f"opens: {q['opens'] or '-'}   resolves: {q['resolves'] or '-'}   "
               f"status: {q['status']}")
    if q["options"]:
        _say(f"  options: {', '.join(q['options'])}")
    if q["tags"]:
        _say(f"  tags: {', '.join(q['tags'])}")
    if q["criteria"]:
        _say(f"  criteria: {_indented(q['criteria'], '    ')}")
    for move in q["resolves_moved"]:
        _say(f"  flagged: resolution date moved from {move['from'] or '-'} to {move['to']} "
             f"after {_plural(move['forecasts_before'], 'forecast')} were made "
             f"({move['reason']})")
    _say("\nForecasts:")
    for f in detail["forecasts"]:
        words = f' from "{f["verbal"]}" ({f["scale"]} scale)' if f["verbal"] else ""
        late = "  [made on/after the resolution date: not scored]" if f["late"] else ""
        if f.get("recorded_late") and not f["late"]:
            late = "  [recorded after the question was resolved: not scored]"
        elif f.get("recorded_after_known"):
            late = "  [recorded after the outcome became known: counted; score --strict-recorded leaves it out]"
        line = f"  #{f['id']}  {f['made']}  {f['forecaster']}: {f['probability']}{words}"
        if f["retracted"]:
            click.echo(click.style(terminal_safe(line), strikethrough=True)
                       + terminal_safe(f"  [RETRACTED {_when(f['retraction']['recorded'])}: "
                                       f"{f['retraction']['reason']}; not scored]"))
        else:
            _say(line + late)
        if f["quote"]:
            _say(f"      \u201c{_indented(f['quote'], '       ')}\u201d")
        source = f["source_url"] or f["source_title"]
        if source:
            _say(f"      source: {_indented(source, '        ')}")
    if not detail["forecasts"]:
        _say("  (none)")
    _say("\nResolution history:")
    for i, r in enumerate(detail["resolutions"]):
        label = "correction" if i else "resolved"
        _say(f"  {r['resolved']}  {label}: {r['outcome']}"
                   + (f"  evidence: {_indented(r['evidence'], '      ')}" if r["evidence"] else "")
                   + (f"  note: {_indented(r['note'], '      ')}" if r["note"] else ""))
    if not detail["resolutions"]:
        _say("  (unresolved)")
    _print_corrections(detail["corrections"])


def _print_corrections(corrections):
    if not corrections:
        return
    from .corrections import describe

    _say("\nCorrections:")
    for c in corrections:
        _say(f"  {_when(c['recorded'])}  {describe(c)}  by {c['author'] or '-'}: {c['reason']}")


@cli.command()
@click.argument("question")
@click.argument("outcome")
@click.option("--on", help="Date the outcome became known (default today; for a correction, "
                           "the date already recorded).")
@click.option("--evidence", help="URL or text that establishes the outcome.")
@click.option("--note", help="A note on the resolution.")
@click.option("--correct", is_flag=True,
              help="Change an outcome already recorded (a correction; the history is kept).")
@output_options(csv=False)
@db_option
def resolve(question, outcome, on, evidence, note, correct, as_json, db_path):
    """Resolve QUESTION as OUTCOME: yes, no, an option label, ambiguous or annulled.

    Changing a recorded outcome needs --correct (or a yes at the prompt on a terminal) and
    records a correction; the history is kept. A correction keeps the date the outcome became
    known (and so which forecasts are scored) unless --on gives another. The same outcome again
    records nothing.
    """
    store = open_store(db_path)
    try:
        result = tracker.resolve(store, question, outcome, on=on, evidence=evidence, note=note,
                                 correct=correct)
    except InputError as error:
        if getattr(error, "needs", None) != "correct" or not sys.stdin.isatty():
            raise
        if not click.confirm(f"{one_line(str(error))}. Record a correction?"):
            raise
        result = tracker.resolve(store, question, outcome, on=on, evidence=evidence, note=note,
                                 correct=True)
    if as_json:
        _echo_json(result)
        return
    if not result["recorded"]:
        click.echo(f"Question #{result['question_id']} is already resolved as "
                   f"{result['outcome']} on {result['resolved']}: nothing recorded")
    elif result["correction"]:
        kept = ", the date already recorded: --on sets another" if result["date_kept"] else ""
        click.echo(f"Corrected question #{result['question_id']}: {result['previous_outcome']} "
                   f"-> {result['outcome']} (on {result['resolved']}{kept}; the earlier "
                   "resolution stays in the history)")
    else:
        click.echo(f"Resolved question #{result['question_id']} ({result['slug']}) as "
                   f"{result['outcome']} on {result['resolved']}")
    late = result.get("made_after_cutoff")
    if late:
        click.echo(f"Note: {_plural(late, 'forecast')} on it {'was' if late == 1 else 'were'} "
                   f"made on or after {result['cutoff']}, once the outcome could be known, and "
                   f"{'is' if late == 1 else 'are'} not scored", err=True)


def _span(low, high, fmt="{:.3f}"):
    if low is None or high is None:
        return ""
    return f"{fmt.format(low)} to {fmt.format(high)}"


ADJUSTED_COLUMNS = [("adjusted_brier", "Adj. Brier"), ("adjusted_ci", "95% CI"),
                    ("brier_index", "Brier Index")]
ADJUSTED_NOTE = (
    "Adj. Brier: difficulty-adjusted Brier (ForecastBench): each forecast's Brier fitted as "
    "forecaster effect + question effect by least squares, the forecaster's effect re-centred "
    "so that always 50% scores 0.25; 95% bootstrap over questions. Brier Index: "
    "100 * (1 - sqrt(Adj. Brier)), always 50% scores 50.")


SETTLED_COLUMNS = [("settled_days", "Settled (days)"), ("settled_questions", "Settled on")]
SETTLED_NOTE = ("Settled (days): median, over the yes/no questions whose last forecast was on the "
                "right side of 50%, of the days before resolution from which the forecasts "
                "stayed there ('Settled on' such questions).")


def score_columns(adjusted=False, settled=False):
    return [("forecaster", "Forecaster"), ("questions", "Questions"),
            *(ADJUSTED_COLUMNS if adjusted else []),
            *metrics.metric_columns("score"), *(SETTLED_COLUMNS if settled else []),
            ("late_forecasts", "Late"), ("void_questions", "Void"),
            ("recorded_after_known", "Rec. after known")]


def score_note(rows):
    lines = metrics.metric_notes(rows[0]["scale"] if rows else "0-1")
    lines.append(
        "Intervals: 95% bootstrap over questions. Each question counts once per forecaster, with "
        "their latest forecast made before it resolved"
        + (" (time-averaged daily, forecasts carried forward)" if rows and rows[0].get(
            "time_averaged") else "")
        + "; late forecasts and ambiguous or annulled (void) questions are not scored.")
    if rows and rows[0].get("tag_changed_after_resolution"):
        lines.append(f"Tag: {_plural(rows[0]['tag_changed_after_resolution'], 'question')} gained "
                     "or lost this tag after being resolved (`forecasts log` shows when): a tag "
                     "chosen knowing the outcome can pick the questions.")
    if rows and rows[0].get("strict_recorded"):
        lines.append("Rec. after known: forecasts recorded on or after the day the outcome became "
                     "known, left out (--strict-recorded).")
    elif any(row.get("recorded_after_known") for row in rows):
        lines.append("Rec. after known: forecasts made in time but recorded on or after the day "
                     "the outcome became known; they count (--strict-recorded leaves them out).")
    return "\n".join(lines)


def _intervals():
    return [metric.interval for metric in metrics.METRICS if metric.interval] + ["adjusted_ci"]


def _with_interval_spans(rows):
    """Each metric's interval as one 'low to high' field, for a table or CSV."""
    for row in rows:
        for interval in _intervals():
            if f"{interval}_low" in row:
                row[interval] = _span(row[f"{interval}_low"], row[f"{interval}_high"])


def interval_columns(columns, fmt):
    """For CSV, each interval column as two numeric ones (``brier_ci_low``, ``brier_ci_high``)
    that a spreadsheet reads as numbers; for a table, as one 'low to high' text."""
    if fmt != "csv":
        return columns
    intervals = set(_intervals())
    split = []
    for key, header in columns:
        if key in intervals:
            split.extend([(f"{key}_low", f"{key}_low"), (f"{key}_high", f"{key}_high")])
        else:
            split.append((key, header))
    return split


def print_scores(rows, fmt="table", strict_recorded=False, db_path=None, empty=None):
    adjusted = bool(rows) and "adjusted_brier" in rows[0]
    settled = bool(rows) and "settled_days" in rows[0]
    columns = score_columns(adjusted, settled)
    for key, header in (("lead_time", "Lead time"), ("tag", "Tag")):
        if rows and key in rows[0]:
            columns.insert(1, (key, header))
    columns = interval_columns(columns, fmt)
    if fmt == "table":
        _with_interval_spans(rows)
    footer = score_note(rows) + ("\n" + ADJUSTED_NOTE if adjusted else "") + (
        "\n" + SETTLED_NOTE if settled else "")
    where = f" in {db_path}" if db_path else ""
    empty = ("Nothing to score: no forecast was recorded before its outcome became known "
             f"(--strict-recorded){where}." if strict_recorded else
             empty or f"No resolved questions to score yet{where}.")
    print_rows(rows, columns, fmt, empty=empty, footer=footer, floatfmt=".3f")


def print_rows(rows, columns, fmt="table", empty="", footer="", floatfmt=".4f"):
    """Print rows as JSON, CSV or a table; a table gets ``empty`` when there are no rows and
    ``footer`` after them."""
    if fmt == "json":
        _echo_json(rows)
    elif not rows and fmt == "table":
        click.echo(empty)
    else:
        click.echo(render(rows, columns, fmt, floatfmt=floatfmt))
        if footer and fmt == "table" and not _output_choice("quiet"):
            click.echo("\n" + footer)


def filter_options(fn):
    for decorator in reversed((
            click.option("--tag", help="Only questions with this tag."),
            click.option("--since", metavar="DATE", help="Only questions resolved on or after."),
            click.option("--until", metavar="DATE", help="Only questions resolved on or before."),
    )):
        fn = decorator(fn)
    return fn


def brier_scale_option(fn):
    """--brier-scale, with --scale kept as a hidden alias for the scripts that use it (--scale
    elsewhere names a verbal-probability scale)."""

    @functools.wraps(fn)
    def with_brier_scale(*args, brier_scale, old_scale_name, **kwargs):
        if old_scale_name is not None:
            if brier_scale != "1" and brier_scale != old_scale_name:
                raise CleanError("give the Brier scale once: --brier-scale", exit_code=2)
            brier_scale = old_scale_name
        return fn(*args, brier_scale=brier_scale, **kwargs)

    choice = click.Choice(["1", "2"])
    with_brier_scale = click.option("--scale", "old_scale_name", type=choice, hidden=True)(
        with_brier_scale)
    return click.option("--brier-scale", "brier_scale", type=choice, default="1",
                        show_default=True,
                        help="Brier scale: 1 for 0-1, 2 for Good Judgment's 0-2.")(
        with_brier_scale)


# One lucky question should not top the board: at 5 a forecaster's relative Brier has at least
# five questions behind it.
LEADERBOARD_MIN_QUESTIONS = 5

strict_recorded_option = click.option(
    "--strict-recorded", is_flag=True,
    help="Leave out forecasts recorded on or after the day the outcome became known (an old "
         "quote entered late counts otherwise, flagged).")


@cli.command()
@click.option("--by", help="Only this forecaster (relative scores still use everyone).")
@filter_options
@brier_scale_option
@click.option("--time-averaged", is_flag=True,
              help="Good Judgment-style: average daily Brier, forecasts carried forward.")
@click.option("--by-tag", is_flag=True, help="One row per forecaster and tag.")
@click.option("--by-lead-time", is_flag=True,
              help="One row per forecaster and how far ahead the forecast was made.")
@click.option("--scale-profile", metavar="NAME",
              help="Re-map every forecast given in words through scale NAME (e.g. icd203) and "
                   "show whether the ranking changes.")
@click.option("--adjusted", is_flag=True,
              help="Add the difficulty-adjusted Brier (forecaster + question effects, fitted "
                   "by least squares) and the Brier Index.")
@click.option("--settled", is_flag=True,
              help="Add how many days before resolution the forecasts settled on the right "
                   "side of 50% (median over the questions that ended there).")
@strict_recorded_option
@output_options()
@db_option
def score(by, tag, since, until, brier_scale, time_averaged, by_tag, by_lead_time, scale_profile,
          adjusted, settled, strict_recorded, as_json, as_csv, db_path):
    """Score each forecaster: Brier, log score, skill, relative and peer scores.

    \b
    Example:
        forecasts score
        forecasts score --by "Keir Giles" --brier-scale 2 --json
        forecasts score --by-tag
        forecasts score --scale-profile icd203
        forecasts score --adjusted
        forecasts score --strict-recorded
    """
    fmt = _format(as_json, as_csv)
    if by_tag and by_lead_time:
        raise CleanError("use just one of --by-tag or --by-lead-time", exit_code=2)
    if scale_profile:
        if by or by_tag or by_lead_time or time_averaged or adjusted or settled or strict_recorded:
            raise CleanError("--scale-profile compares every forecaster: use it without --by, "
                             "--by-tag, --by-lead-time, --time-averaged, --adjusted, "
                             "--settled and --strict-recorded",
                             exit_code=2)
        return _score_under_profile(db_path, scale_profile, tag, since, until, brier_scale, fmt)
    store = open_store(db_path, create=False)
    rows = tracker.scores(store, by=by, tag=tag, since=since, until=until,
                          scale=int(brier_scale), by_tag=by_tag, by_lead_time=by_lead_time,
                          time_averaged=time_averaged, adjusted=adjusted, settled=settled,
                          strict_recorded=strict_recorded)
    empty = None if rows or fmt != "table" else tracker.nothing_to_score(
        store, tag, dated=bool(since or until), where=f" in {db_path}")
    print_scores(rows, fmt, strict_recorded, db_path, empty)


def _leaderboard_columns(rank_by="relative"):
    """Rank and counts, the score ranked on with its interval, then the others it shows."""
    ranked_on, *others = metrics.leaderboard_metrics()
    counts = [("rank", "Rank"), ("forecaster", "Forecaster"), ("questions", "Questions"),
              ("shared_questions", "Shared")]
    if rank_by == "adjusted":
        return counts + ADJUSTED_COLUMNS + [(ranked_on.key, ranked_on.title)] + [
            (metric.key, metric.header) for metric in others]
    return counts + [(ranked_on.key, ranked_on.title), (ranked_on.interval, "95% CI"),
                     *((metric.key, metric.header) for metric in others)]


@cli.command()
@click.option("--min-questions", default=LEADERBOARD_MIN_QUESTIONS, show_default=True,
              type=click.IntRange(1),
              help="Rank only forecasters with at least this many scored questions (so that "
                   "one lucky question does not top the board).")
@filter_options
@brier_scale_option
@click.option("--rank-by", type=click.Choice(["relative", "adjusted"]), default="relative",
              show_default=True,
              help="Rank on relative Brier, or on the difficulty-adjusted Brier.")
@strict_recorded_option
@output_options()
@db_option
def leaderboard(min_questions, tag, since, until, brier_scale, rank_by, strict_recorded, as_json,
                as_csv, db_path):
    """Forecasters ranked fairly: on Brier relative to others on the same questions.

    \b
    Example:
        forecasts leaderboard --min-questions 20
        forecasts leaderboard --rank-by adjusted --json
    """
    fmt = _format(as_json, as_csv)
    store = open_store(db_path, create=False)
    rows = tracker.leaderboard(store, min_questions=min_questions, tag=tag, since=since,
                               until=until, scale=int(brier_scale), rank_by=rank_by,
                               strict_recorded=strict_recorded)
    if fmt == "table":
        _with_interval_spans(rows)
    print_rows(rows, interval_columns(_leaderboard_columns(rank_by), fmt), fmt,
               empty=f"No forecasters to rank yet in {db_path}." if min_questions == 1 else
               f"No forecaster has {min_questions} scored questions yet in {db_path} "
               "(--min-questions 1 lists everyone).",
               footer=_leaderboard_note(rows, rank_by, min_questions), floatfmt=".3f")


def _leaderboard_note(rows, rank_by="relative", min_questions=LEADERBOARD_MIN_QUESTIONS):
    if rank_by == "adjusted":
        note = ADJUSTED_NOTE + " Ranked on Adj. Brier (lower is better)."
    else:
        note = ("Ranked on relative Brier: own Brier minus the median Brier of everyone on the "
                "same question, averaged over the questions shared with at least one other "
                "forecaster ('Shared'; lower is better). Raw mean Brier misleads when "
                "forecasters answered different questions.")
    alone = [row["forecaster"] for row in rows if row.get("rank") is None]
    if alone:
        note += (f"\nUnranked, listed last: {', '.join(alone)} ("
                 f"{'shares' if len(alone) == 1 else 'share'} no question with another "
                 "forecaster, so there is nobody to be relative to).")
    below = rows[0].get("below_min_questions") if rows else 0
    if below:
        note += (f"\nNot listed: {_plural(below, 'forecaster')} with fewer than {min_questions} "
                 "scored questions (--min-questions 1 lists everyone).")
    return note


@cli.command()
@click.argument("first")
@click.argument("second")
@click.option("--tag", help="Only questions with this tag.")
@brier_scale_option
@output_options(csv=False)
@db_option
def compare(first, second, tag, brier_scale, as_json, db_path):
    """Compare FIRST and SECOND head to head on the questions both forecast."""
    store = open_store(db_path, create=False)
    result = tracker.compare(store, first, second, tag=tag, scale=int(brier_scale))
    if as_json:
        _echo_json(result)
        return
    if not result["shared_questions"]:
        click.echo(f"{result['first']} and {result['second']} have no scored question in "
                   "common.")
        return
    rows = [{"forecaster": result["first"], "brier": result["first_brier"],
             "better_on": result["first_better"]},
            {"forecaster": result["second"], "brier": result["second_brier"],
             "better_on": result["second_better"]}]
    click.echo(render(rows, [("forecaster", "Forecaster"), ("brier", "Mean Brier"),
                             ("better_on", "Better on")], floatfmt=".3f"))
    interval = _span(result["ci_low"], result["ci_high"], "{:+.3f}")
    click.echo(f"\n{result['shared_questions']} shared questions ({result['ties']} ties). "
               f"Difference {result['first']} - {result['second']}: {result['difference']:+.3f}"
               + (f", 95% paired bootstrap interval {interval}" if interval else "")
               + f" (Brier, {result['scale']} scale; negative favours {result['first']}).")


CALIBRATION_COLUMNS = [("forecaster", "Forecaster"), ("bin", "Bin"), ("n", "n"),
                       ("mean_forecast", "Mean forecast"), ("observed", "Observed"),
                       ("interval", "95% interval")]
DECOMPOSITION_COLUMNS = [
    ("forecaster", "Forecaster"), ("pairs", "Pairs"), ("brier", "Brier"),
    ("reliability", "Reliability"), ("resolution", "Resolution"), ("uncertainty", "Uncertainty"),
    ("residual", "Residual"), ("normalised_discrimination", "NDI")]


def print_calibration(report, fmt="table", interval="wilson"):
    if fmt == "json":
        _echo_json(report)
        return
    rows = report["bins"]
    columns = [(key, "Calibrated 5-95%" if key == "interval" and interval == "band" else header)
               for key, header in CALIBRATION_COLUMNS]
    decomposition_columns = list(DECOMPOSITION_COLUMNS)
    for key, header in (("lead_time", "Lead time"), ("tag", "Tag"), ("period", "Period")):
        if rows and key in rows[0]:
            columns.insert(1, (key, header))
            decomposition_columns.insert(1, (key, header))
    if fmt == "csv":  # the interval as two numbers a spreadsheet can use
        columns = [column for column in columns if column[0] != "interval"]
        columns += [("ci_low", "ci_low"), ("ci_high", "ci_high")]
    # bin edges in whole percents when they all are (11 bins: 5%-15%), else to a tenth of a
    # percent for every bin alike (21 bins: 2.5%-7.5%, not 2%-8% beside 8%-12%)
    edges = {row[key] for row in rows for key in ("lo", "hi")}
    places = 0 if all(abs(e * 100 - round(e * 100)) < 1e-6 for e in edges) else 1
    labels = {}  # the same ranges come back often: a row per bin and forecaster
    for row in rows:
        for key, low, high, digits in (("bin", "lo", "hi", places),
                                       ("interval", "ci_low", "ci_high", 0)):
            pair = (row[low], row[high], digits)
            if pair not in labels:
                labels[pair] = f"{pair[0]:.{digits}%}-{pair[1]:.{digits}%}"
            row[key] = labels[pair]
    print_rows(rows, columns, fmt, empty="No resolved forecasts to calibrate yet.",
               footer="Bins are centred on round numbers (a 70% forecast sits in the middle of "
                      "its bin; an edge belongs to the bin nearer 50%, so folded bins mirror); "
                      + (f"intervals: {interval}." if interval != "band" else
                         "band: where a perfectly calibrated forecaster's observed frequency "
                         "would fall 90% of the time, given the bin's forecasts.")
                      + " Each option of a multiple-choice forecast counts as one (probability, "
                      "outcome) pair.",
               floatfmt=".2f")
    if rows and fmt == "table":
        click.echo("\nMurphy decomposition of the Brier score over these pairs:\n")
        print_rows(report["decomposition"], decomposition_columns, fmt, floatfmt=".4f",
                   footer="Brier = reliability - resolution + uncertainty + residual, exactly.\n"
                          "Reliability is Tetlock's calibration index (lower is better), "
                          "resolution his discrimination index (higher is better), NDI the\n"
                          "normalised discrimination index (resolution / uncertainty). The "
                          "residual is the within-bin spread of the forecasts (Stephenson 2008).")


@cli.command()
@click.option("--by", help="Only this forecaster.")
@filter_options
@click.option("--bins", default=11, show_default=True, type=click.IntRange(2, 101),
              help="Number of bins, centred on 0%, ..., 100%.")
@click.option("--interval", type=click.Choice(["wilson", "jeffreys", "exact", "band"]),
              default="wilson", show_default=True,
              help="95% interval of each bin's frequency; 'band': where a perfectly calibrated "
                   "forecaster's frequency would fall, 5%-95% (Metaculus).")
@click.option("--fold", is_flag=True,
              help="Fold forecasts below 50% onto the complementary event.")
@click.option("--by-tag", is_flag=True, help="Separate tables per tag.")
@click.option("--by-lead-time", is_flag=True,
              help="Separate tables by how far ahead the forecast was made.")
@click.option("--by-period", type=click.Choice(["year", "quarter"]),
              help="Separate tables per year or quarter in which the forecasts were made.")
@click.option("--weight", type=click.Choice(["none", "time"]), default="none",
              show_default=True,
              help="'time': every forecast before the cutoff, weighted by the share of the "
                   "question's open life it stood (Metaculus); 'none': each forecaster's latest.")
@click.option("--chart", is_flag=True,
              help="Draw the reliability diagram in the terminal instead of the tables.")
@output_options()
@db_option
def calibration(by, tag, since, until, bins, interval, fold, by_tag, by_lead_time, by_period,
                weight, chart, as_json, as_csv, db_path):
    """Calibration table: how often events forecast at each probability happened.

    \b
    Example:
        forecasts calibration --by "Keir Giles" --interval jeffreys
        forecasts calibration --fold --json
        forecasts calibration --chart
        forecasts calibration --by "Keir Giles" --by-period year --chart
        forecasts calibration --interval band
    """
    fmt = _format(as_json, as_csv)
    if chart and fmt != "table":
        raise CleanError("--chart draws text: use it without --json or --csv", exit_code=2)
    store = open_store(db_path, create=False)
    if sum(map(bool, (by_tag, by_lead_time, by_period))) > 1:
        raise CleanError("use just one of --by-tag, --by-lead-time or --by-period", exit_code=2)
    report = tracker.calibration(store, by=by, tag=tag, bins=bins, interval=interval, fold=fold,
                                 by_lead_time=by_lead_time, by_tag=by_tag, since=since,
                                 until=until, by_period=by_period, weight=weight)
    if chart:
        from .charts import terminal_charts

        charts = terminal_charts(report, bin_count=bins)
        _say("\n\n".join(charts) if charts else "No resolved forecasts to calibrate yet.")
        return
    print_calibration(report, fmt, interval)


@cli.command()
@click.option("--db", "db_path", metavar="PATH",
              help="Where to build the demo database (default: a temporary file, removed at "
                   "the end unless --keep).")
@click.option("--keep", is_flag=True, help="Keep the temporary demo database to explore.")
def demo(db_path, keep):
    """Run the whole cycle on the bundled sample and real superforecasters, in a database of
    its own.

    Never touches ./predictions.db unless you pass it with --db. The temporary folder is
    removed at the end unless --keep (or --db) is given.
    """
    import os
    import tempfile

    folder = None
    if db_path is None:
        folder = tempfile.mkdtemp(prefix="forecasts-demo-")
        db_path = os.path.join(folder, "demo.db")
    elif os.path.exists(db_path) and os.path.getsize(db_path) > 0:
        raise CleanError(f"{db_path} already exists: give the demo a new file", exit_code=2)
    try:
        _run_demo(db_path, kept=folder is None or keep)
    finally:
        if folder is not None and not keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)


def _run_demo(db_path, kept):
    from .demo import FORECASTBENCH_ROUND, SYNTHETIC_TAG, build_demo

    store = open_store(db_path, announce_new=False)  # its first line names the database
    summary = build_demo(store)
    loaded = summary["sample"]
    click.echo(f"forecasts demo: a database of its own at {db_path}\n")
    click.echo(f"1. Loaded the bundled sample: {loaded['forecast']} forecasts by "
               f"{loaded['forecaster']} forecasters on {loaded['question']} questions, written by "
               f"hand from {loaded['source']} news articles.\n")
    real = [r for r in tracker.list_questions(store)
            if SYNTHETIC_TAG not in r["tags"] and FORECASTBENCH_ROUND not in r["tags"]]
    for row in real:
        row["display_text"] = _shorten(row["text"])
    click.echo(render(real, LIST_COLUMNS))
    due = [r for r in real if r["status"] == "due"]
    click.echo(f"\n2. Due for resolution (past the resolution date, no outcome yet): {len(due)}")
    for row in due:
        outcomes = "|".join(row["options"]) if row["options"] else "yes|no"
        click.echo(f"   #{row['id']} {_shorten(row['text'], 70)}\n"
                   f"      forecasts resolve {row['id']} {outcomes} --evidence \"URL or text\" "
                   f"--db {db_path}")
    click.echo("   Resolve only on public evidence; the rest stay open until their dates.\n")
    _demo_experts(store, summary)
    click.echo(f"4. A synthetic panel: {len(summary['synthetic_forecasters'])} FICTIONAL "
               f"forecasters on {summary['synthetic_questions']} invented questions, outcomes "
               f"drawn at random (seed {summary['seed']}). Not real people.\n")
    print_scores(tracker.scores(store, tag=SYNTHETIC_TAG))
    click.echo("\n5. Calibration of the synthetic panel: when each said X%, how often did it "
               "happen?\n")
    print_calibration(tracker.calibration(store, tag=SYNTHETIC_TAG))
    real_scores = tracker.scores(store, questions=[r["id"] for r in real])
    if real_scores:
        click.echo("\n6. Scores on the resolved sample questions:\n")
        print_scores(real_scores)
    store.close()
    if not kept:
        click.echo("\nThe demo database was temporary and is removed now; run "
                   "`forecasts demo --keep` to keep it and explore.")
        return
    click.echo(f"\nExplore it:\n  forecasts show 1 --db {db_path}\n"
               f"  forecasts list --open --db {db_path}\n"
               f"  forecasts score --db {db_path} --json")


def _demo_experts(store, summary):
    """The demo's real experts: superforecasters' calibration and their median aggregate."""
    from .demo import (
        FORECASTBENCH_ROUND,
        SUPERFORECASTER_MEDIAN,
        median_row,
        superforecasters_by_forecasts,
    )

    click.echo(f"3. Real experts: {summary['superforecasters']} superforecasters' "
               f"{summary['superforecaster_forecasts']} forecasts on ForecastBench's 2024-07-21 "
               "round, with the published outcomes (a trimmed copy of the ForecastBench datasets, "
               "(c) Forecasting Research Institute, CC BY-SA 4.0). Their median, "
               f"\"{SUPERFORECASTER_MEDIAN}\", is an aggregate forecaster "
               "(forecasts aggregate).\n")
    row = median_row(store)
    found, published = row["found"], row["published"]
    for tag, label in (("dataset", "Dataset questions"), ("market", "Market questions, resolved")):
        click.echo(f"   {label}: Brier {found[tag][0]:.3f} over {found[tag][1]} "
                   f"(published {published[tag][0]:.3f} over {published[tag][1]})")
    click.echo(f"   Overall resolved (their mean): {found['overall']:.3f} (published "
               f"{published['overall']:.3f})\n")
    board = tracker.leaderboard(store, tag=FORECASTBENCH_ROUND, min_questions=20)
    place = next((r["rank"] for r in board if r["forecaster"] == SUPERFORECASTER_MEDIAN), None)
    ranked = sum(1 for r in board if r["rank"])
    click.echo(f"   On relative Brier over shared questions the median ranks {place} of {ranked} "
               "(forecasters with 20 or more scored questions, the market crowd included).\n")
    for name in superforecasters_by_forecasts(store):
        click.echo(f"   Calibration of {name}: when they said X%, how often did it happen?\n")
        print_calibration(tracker.calibration(store, by=name, tag=FORECASTBENCH_ROUND))
        click.echo()


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--format", "format_", type=click.Choice(formats.names()),
              help="Input format (default: detected: fatebook, metaculus or predictionbook for "
                   "those sites' exports, drafts for a draft file from `forecasts extract`, csv "
                   "for another .csv file, otherwise jsonl).")
@output_options(csv=False)
@db_option
def import_(files, format_, as_json, db_path):
    """Import FILE (JSON Lines or CSV; - reads standard input), all or nothing.

    A bad line rejects the whole file, naming its line; records already in the database are
    skipped, so importing a file twice adds nothing. With --format forecastbench, give a
    ForecastBench question set, then its resolution and forecast sets. A draft file from
    `forecasts extract` logs its accepted and edited drafts, like `forecasts import-drafts`.
    A Fatebook CSV export, a Metaculus "download data" folder or zip and a PredictionBook JSON
    file are recognised; the import says what it read, made and left out.

    \b
    Example:
        forecasts import backup.jsonl
        forecasts import forecasts.csv
        forecasts import fatebook-export.csv
        forecasts import metaculus-export.zip
        forecasts import --format forecastbench 2024-07-21-human.json \\
            2024-07-21_resolution_set.json
    """
    fmt = formats.get(format_) if format_ else formats.detect(files[0])
    if fmt.read is None:  # drafts: logged through the tracker, as import-drafts does
        if len(files) > 1:
            raise CleanError(fmt.one_file_message, exit_code=2)
        _log_draft_file(files[0], False, (), as_json, db_path)
        return
    reading = formats.read(fmt, files)
    counts = formats.load(open_store(db_path), reading, _progress("Importing"))
    if as_json:
        _echo_json({**counts, fmt.name: reading.summary} if reading.summary else counts)
        return
    click.echo(_imported(counts))
    for line in reading.notes:
        _say(line)


SCALE_COLUMNS = [("phrase", "Phrase"), ("class", "Class"), ("p", "P"), ("range", "Range"),
                 ("p_source", "Source of P")]


@cli.command()
@click.argument("name", required=False)
@output_options()
def scales(name, as_json, as_csv):
    """List the verbal-probability scales, or print the phrases of scale NAME.

    \b
    Example:
        forecasts scales default
        forecasts scales icd203
    """
    from .scales import UnknownScale, load_scale, scale_names

    fmt = _format(as_json, as_csv)
    if name is None:
        rows = [{"scale": n, "phrases": len(load_scale(n))} for n in scale_names()]
        click.echo(render(rows, [("scale", "Scale"), ("phrases", "Phrases")], fmt))
        return
    try:
        rows = load_scale(name)
    except UnknownScale as error:
        raise CleanError(str(error), exit_code=2) from None
    for row in rows:
        row["range"] = f"{row['lo']:g}-{row['hi']:g}"
    click.echo(render(rows, SCALE_COLUMNS, fmt, floatfmt="g"))


# Charts and the HTML report (forecasts/report.py draws them; matplotlib loads only there).

def forecasters_option(fn):
    return click.option("--by", "names", multiple=True, metavar="NAME",
                        help="Only this forecaster (repeatable). Default: everyone with "
                             "resolved forecasts.")(fn)


def chart_options(fn):
    for decorator in reversed((
            forecasters_option,
            click.option("--tag", help="Only questions with this tag."),
            click.option("--min-questions", default=1, show_default=True,
                         type=click.IntRange(1),
                         help="Without --by: only forecasters with at least this many scored "
                              "questions."),
            click.option("-o", "--output", required=True, metavar="FILE",
                         help="The chart file to write: FILE.png or FILE.svg."),
    )):
        fn = decorator(fn)
    return fn


def _report_chart(result):
    _say(f"Wrote {result['path']} ({', '.join(result['forecasters'])})")
    if result["left_out"]:
        click.echo(f"Note: {len(result['left_out'])} forecasters with fewer scored questions "
                   "were left out; choose whom to draw with --by", err=True)


@cli.group()
def plot():
    """Draw a chart to a PNG or SVG file: calibration, or score history.

    \b
    Example:
        forecasts plot calibration -o calibration.png
        forecasts plot history --by "Keir Giles" --by Sam -o history.svg
    """


@plot.command(name="calibration")
@chart_options
@click.option("--bins", default=11, show_default=True, type=click.IntRange(2, 101),
              help="Number of bins, centred on 0%, ..., 100%.")
@click.option("--interval", type=click.Choice(["wilson", "jeffreys", "exact", "band"]),
              default="wilson", show_default=True,
              help="95% interval of each bin's frequency; 'band': where a perfectly calibrated "
                   "forecaster's frequency would fall, 5%-95% (Metaculus).")
@db_option
def plot_calibration(names, tag, min_questions, output, bins, interval, db_path):
    """Reliability diagram per forecaster: how often events forecast at each probability
    happened, with 95% intervals, forecasts per bin, Brier score and questions.

    \b
    Example:
        forecasts plot calibration -o calibration.png
        forecasts plot calibration --by "Keir Giles" --tag ukraine -o keir.svg
    """
    from . import charts

    charts.check_chart_path(output)
    store = open_store(db_path, create=False)
    _report_chart(charts.plot_calibration(store, output, by=names, tag=tag, bins=bins,
                                          interval=interval, min_questions=min_questions))


@plot.command(name="history")
@chart_options
@click.option("--score", "score_kind", type=click.Choice(["brier", "relative"]),
              default="brier", show_default=True,
              help="Brier score, or relative Brier (own minus the median on the question).")
@click.option("--window", type=click.IntRange(2), metavar="N",
              help="Rolling mean over the last N questions (default: cumulative mean).")
@db_option
def plot_history(names, tag, min_questions, output, score_kind, window, db_path):
    """Score over time: each forecaster's mean Brier (or relative Brier) as questions resolve.

    \b
    Example:
        forecasts plot history -o history.png
        forecasts plot history --score relative --window 20 -o relative.svg
    """
    from . import charts

    charts.check_chart_path(output)
    store = open_store(db_path, create=False)
    _report_chart(charts.plot_history(store, output, by=names, tag=tag, score=score_kind,
                                      window=window, min_questions=min_questions))


@cli.command(name="report")
@click.option("--html", "html_path", required=True, metavar="FILE",
              help="The HTML file to write.")
@forecasters_option
@click.option("--tag", help="Only questions with this tag.")
@click.option("--max-forecasters", default="25", show_default=True, metavar="N",
              help="Without --by: calibration sections for the N forecasters with the most "
                   "scored questions (everyone stays in the leaderboard); 0 for everyone.")
@click.option("--max-questions", default="300", show_default=True, metavar="N",
              help="List the N questions with the most forecasts; 0 for every question.")
@db_option
def report_html(html_path, names, tag, max_forecasters, max_questions, db_path):
    """Write a shareable HTML report: leaderboard, score history, each forecaster's
    calibration chart and table, every question with its quotes, sources and evidence, and the
    scales that read verbal forecasts.

    One self-contained file: inline CSS and SVG charts, no scripts, nothing loaded from the
    network, so it opens offline and can be mailed or published as it is. On a large database
    the charts and the question list are limited (see --max-forecasters and --max-questions);
    the report says what it left out.

    \b
    Example:
        forecasts report --html report.html
        forecasts report --html ukraine.html --tag ukraine --by "Keir Giles"
        forecasts report --html all.html --max-forecasters 0 --max-questions 0
    """
    import os

    from . import report as reports

    limits = []
    for option, value in (("--max-forecasters", max_forecasters),
                          ("--max-questions", max_questions)):
        try:
            limits.append(int(value))
        except ValueError:
            limits.append(-1)
        if limits[-1] < 0:
            raise CleanError(f"{option} {value!r}: give a whole number of 0 or more "
                             "(0 for no limit)", exit_code=2)
    store = open_store(db_path, create=False)
    result = reports.write_report(store, html_path, by=names, tag=tag,
                                  database=os.path.basename(db_path),
                                  max_forecasters=limits[0], max_questions=limits[1])
    questions, forecasters = result["questions"], result["forecasters"]
    if result["questions_left_out"]:
        questions = f"{questions} of {questions + result['questions_left_out']}"
    if result["forecasters_left_out"]:
        forecasters = f"{forecasters} of {forecasters + result['forecasters_left_out']}"
    _say(f"Wrote {html_path}: {questions} questions, {forecasters} forecasters with calibration "
         f"charts ({result['bytes'] // 1024} kB, self-contained)")
    n = result["forecasters_left_out"]
    if n:
        click.echo(f"Note: {n} forecaster{'s' if n != 1 else ''} with fewer scored questions "
                   f"{'have' if n != 1 else 'has'} no calibration section (all are in the "
                   "leaderboard); choose whom to show with --by (repeatable) or --tag, or "
                   "--max-forecasters 0 for everyone", err=True)
    n = result["questions_left_out"]
    if n:
        click.echo(f"Note: {n} question{'s' if n != 1 else ''} with fewer forecasts "
                   f"{'were' if n != 1 else 'was'} left out of the question list; narrow it "
                   "with --tag or --by, or --max-questions 0 for every question", err=True)


# Data in and out: import helpers, export, baseline (forecasts/interchange.py, forecastbench.py,
# baseline.py do the work).

PROGRESS_MIN_ITEMS = 2000


def _progress(label):
    """A progress bar over long imports and exports: on stderr, and only on a terminal."""
    def track(items, length):
        stream = sys.stderr
        if length < PROGRESS_MIN_ITEMS or not stream.isatty():
            yield from items
            return
        with click.progressbar(items, length=length, label=label, file=stream) as bar:
            yield from bar
    return track


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _imported(counts):
    return "Imported " + ", ".join(_plural(n, f"new {kind}") for kind, n in counts.items()
                                   if n or kind != "correction")


@cli.command()
@click.option("--format", "format_", type=click.Choice(["jsonl", "csv", "ics", "fatebook"]),
              default="jsonl", show_default=True,
              help="jsonl: every row, lossless; csv: one row per forecast, for spreadsheets; "
                   "ics: a calendar with each open question on its resolution date; fatebook: "
                   "one forecaster's yes/no forecasts as a CSV that Fatebook's import reads.")
@click.option("--by", help="The forecaster to export with --format fatebook (needed when the "
                           "database has several).")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (default: standard output).")
@db_option
def export(format_, by, output, db_path):
    """Export the database as JSON Lines (lossless: import gives it back), CSV or a calendar.

    JSON Lines holds every source, forecaster, question, forecast and resolution (corrections
    included) with every field; CSV has one row per forecast with its Brier score, and cells a
    spreadsheet would run as formulas are neutralised.

    \b
    Example:
        forecasts export -o backup.jsonl
        forecasts export --format csv -o forecasts.csv
        forecasts export --format ics -o forecasts.ics
        forecasts export --format fatebook --by "Ada Lovelace" -o fatebook.csv
    """
    from .exports import export_file, write_export

    store = open_store(db_path, create=False)
    if output is None:
        write_export(store, sys.stdout.buffer, format_, _progress("Exporting"),
                     os.path.abspath(db_path), by)
        return
    written = export_file(store, output, format_, _progress("Exporting"),
                          os.path.abspath(db_path), by)
    _say(f"Wrote {output}: " + _plural(written, {"jsonl": "record", "csv": "forecast row",
                                                 "ics": "event", "fatebook": "forecast row"}[
                                                     format_]))


@cli.command()
@click.argument("name")
@click.option("--constant", metavar="P",
              help="The probability given on every yes/no question: 0.5, 30%, 1/3, ...")
@click.option("--uniform", is_flag=True,
              help="1/2 on yes/no questions and 1/n on each option of a multiple-choice one.")
@click.option("--on", metavar="DATE",
              help="Date the forecasts are made (default: each question's open date).")
@click.option("--tag", help="Only questions with this tag.")
@output_options(csv=False)
@db_option
def baseline(name, constant, uniform, on, tag, as_json, db_path):
    """Add a constant forecaster NAME on every question, to score next to the real ones.

    Each question gets one forecast, made on its open date unless --on says otherwise;
    running it again adds nothing.

    \b
    Example:
        forecasts baseline "Always 0.5" --constant 0.5
        forecasts baseline "Chimp" --uniform
        forecasts score --by-tag
    """
    from .baseline import add_baseline

    if (constant is None) == (not uniform):
        raise CleanError("give one of --constant P or --uniform", exit_code=2)
    store = open_store(db_path)
    result = add_baseline(store, name, constant=constant, uniform=uniform, on=on, tag=tag)
    if as_json:
        _echo_json(result)
        return
    made = f"made on {on}" if on else "made on each question's open date"
    _say(f"Added {_plural(result['added'], 'forecast')} by {result['forecaster']} (baseline), "
         f"{made}" + (f"; {result['already_there']} already there" if result["already_there"]
                      else "") + ".")
    notes = {"multiple_choice_skipped": "multiple-choice questions skipped (--constant is for "
                                        "yes/no questions; --uniform covers both)",
             "without_a_date": "questions skipped: no open date and no forecast to date them",
             "too_late": "questions skipped: the date is not before their resolution date",
             "resolved_before_tag": "questions skipped: already resolved, so --tag could have "
                                    "been chosen knowing their outcome"}
    for key, note in notes.items():
        if result[key]:
            _say(f"{result[key]} {note}.")


@cli.command()
@click.argument("name")
@click.option("--method", type=click.Choice(["median", "mean", "geometric-mean-odds",
                                             "extremized"]), default="median",
              show_default=True, help="How the forecasts of each question are pooled.")
@click.option("--alpha", type=float, metavar="A",
              help="Extremizing power for --method extremized (default 2.5; 1 is the geometric "
                   "mean of the odds).")
@click.option("--of-kind", type=click.Choice(["person", "organisation", "crowd", "baseline",
                                              "self", "synthetic", "aggregate"]),
              help="Pool every forecaster of this kind.")
@click.option("--by", "by", multiple=True, metavar="F",
              help="Pool this forecaster (repeatable).")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--min-forecasters", default=1, show_default=True, type=click.IntRange(1),
              metavar="N", help="Only questions that at least N of them forecast.")
@output_options(csv=False)
@db_option
def aggregate(name, method, alpha, of_kind, by, tag, min_forecasters, as_json, db_path):
    """Add (or bring up to date) NAME, a forecaster pooled from others' forecasts.

    For each question, NAME forecasts the pool of each chosen forecaster's latest forecast made
    before the question's cutoff, made when the latest of them was; by default everyone but
    baselines and aggregates is pooled. Running it again adds only what changed.

    \b
    Example:
        forecasts aggregate "Superforecaster median" --method median --of-kind person
        forecasts aggregate "Extremized" --method extremized --alpha 2 --min-forecasters 3
        forecasts score --by-tag
    """
    from .aggregate import add_aggregate

    store = open_store(db_path)
    result = add_aggregate(store, name, method=method, alpha=alpha, of_kind=of_kind, by=by,
                           tag=tag, min_forecasters=min_forecasters)
    if as_json:
        _echo_json(result)
        return
    _say(f"{result['forecaster']} (aggregate): the {result['role']}.")
    _say(f"Added {_plural(result['added'], 'forecast')}"
         + (f"; {result['unchanged']} unchanged" if result["unchanged"] else "")
         + (f"; {result['too_few_forecasters']} questions with fewer than {min_forecasters} "
            "forecasters left out" if result["too_few_forecasters"] else "") + ".")


# --- extraction: an article -> draft forecasts -> review -> logged forecasts ------------------


def _draft_line(d):
    p = d["probability"]
    shown = "no value" if p is None else format_percent(to_ppm(p))
    cue = f' ("{d["scale_phrase"]}")' if d.get("scale_phrase") and d.get("cue_kind") != "numeric" else ""
    who = d["speaker"] or "(no speaker)"
    lines = [f"{d['id']}  {who} [{d['attribution']}]  {shown}{cue}  resolves: {d['resolves'] or '-'}",
             f"    \u201c{_shorten(d['quote'], 150)}\u201d (characters {d['start']}-{d['end']})",
             f"    event: {d['event'] or '-'}"]
    if d.get("conditional_on"):
        lines.append(f"    condition: {d['conditional_on']}")
    if d.get("flags"):
        lines.append(f"    flags: {', '.join(d['flags'])}")
    return "\n".join(lines)


@cli.command()
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True)
@click.option("--date", help="Article date (default: the page's date, a date in the URL, else a "
                             "dateline).")
@click.option("--url", help="Source URL of a single article (default: the page's canonical URL or "
                            "a first line that is a URL).")
@scale_option
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.3, show_default=True,
              help="Leave out drafts scoring below this (attribution x cue strength).")
@click.option("--out", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the drafts to FILE (JSON, one file for all the articles) for "
                   "`forecasts review`.")
@output_options(csv=False)
@db_option
def extract(articles, date, url, scale, min_score, out, as_json, db_path):
    """Propose draft forecasts from news articles; nothing is written to the database.

    ARTICLE is a text file, an HTML page or a PDF (HTML and PDF need the html and pdf extras),
    a folder of them, or - for standard input. Each draft names the speaker, quotes their words
    (with character offsets into the article's text), states the event in positive form, reads
    the cue through the scale and gives the resolution date the words imply. Review the drafts
    before logging them (--db is accepted for symmetry and never written).

    \b
    Example:
        forecasts extract article.txt --date 2025-12-16 --out drafts.json
        forecasts extract today/ --out drafts.json
        forecasts review drafts.json
    """
    from .extract import ExtractError
    from .extract.document import article_paths, extract_documents

    if url and len(article_paths(articles)) > 1:
        raise CleanError("--url names one article's source: give one article with it", exit_code=2)
    try:
        result = _extract_with_progress(articles, date, url, scale, min_score, extract_documents)
    except ExtractError as error:
        raise CleanError(str(error), exit_code=2) from None
    _write_drafts(out, result)
    if as_json:
        _echo_json(result)
        return
    for unread in result.get("unread", []):
        click.echo(f"Warning: left out {unread['file']}: {unread['error']}", err=True)
    for meta in result.get("articles") or [result]:
        for note in meta.get("notes", []):
            click.echo(f"Note: {note}", err=True)
        if meta["date"] is None:
            click.echo(f"Warning: no article date found for {meta['article']} (give --date): "
                       "relative horizons are left unresolved and its drafts cannot be logged "
                       "until they have one", err=True)
        source = meta["source_url"] or "no URL"
        _say(f"{sum(d.get('article') == meta['article'] for d in result['drafts'])} draft "
             f"forecasts from {meta['article']} (date {meta['date'] or 'unknown'}"
             + (f" from {meta['date_from']}" if meta["date_from"] else "")
             + f"; source: {source}; scale: {meta['scale']})")
        for d in result["drafts"]:
            if d.get("article") == meta["article"]:
                _say("")
                _say(_draft_line(d))
        _say("")
    if out:
        _say(f"Wrote the drafts to {out}. Review them with: forecasts review {out}")


def _extract_with_progress(articles, date, url, scale, min_score, extract_documents):
    """extract_documents with a progress bar on a terminal when there are several files."""
    import sys

    from .extract.document import article_paths

    count = len(article_paths(articles))
    if count < 2 or not sys.stderr.isatty():
        return extract_documents(articles, date=date, url=url, scale=scale, min_score=min_score)
    with click.progressbar(length=count, label="Reading articles", file=sys.stderr) as bar:
        return extract_documents(articles, date=date, url=url, scale=scale, min_score=min_score,
                                 progress=lambda _name: bar.update(1))


def _write_drafts(out, result):
    if not out:
        return
    from .drafts import DraftsError, check_no_review_lost, save_drafts

    try:
        check_no_review_lost(out)
        save_drafts(out, result)
    except DraftsError as error:
        raise CleanError(str(error), exit_code=2) from None


REVIEW_CHOICES = {"a": "accept", "e": "edit", "r": "reject", "s": "skip", "u": "undo",
                  "q": "quit"}
# Typed at any prompt of an edit, these leave the edit: the draft is skipped or rejected, or the
# review stops (its decisions saved).
_LEAVE_WORDS = {"skip": "s", "reject": "r", "quit": "q"}


class _Leave(Exception):
    def __init__(self, choice):
        self.choice = choice


def _ask(label, default):
    value = click.prompt(f"  {label}", default=default if default is not None else "",
                         show_default=True)
    if str(value).strip().lower() in _LEAVE_WORDS:
        raise _Leave(_LEAVE_WORDS[str(value).strip().lower()])
    return value


def _prompt_edit(draft, scale):
    from . import parse
    from .drafts import edit, probability_text

    click.echo("  (type skip, reject or quit at any prompt to leave the edit)")
    for field, label in (("event", "Event"), ("probability", "Probability"),
                         ("resolves", "Resolves (date or horizon; empty for none)"),
                         ("speaker", "Speaker"), ("made", "Date made")):
        current = probability_text(draft) if field == "probability" else draft.get(field)
        while True:
            value = _ask(label, current)
            try:
                if field == "made":
                    draft["made"] = parse.parse_date(value).isoformat()
                else:
                    edit(draft, field, str(value), scale=draft.get("scale") or scale)
            except parse.ParseError as error:
                click.echo(f"  {error}")
                continue
            break


def _show_draft(n, total, draft, previous_article):
    if draft.get("article") and draft.get("article") != previous_article:
        title = f" ({draft['title']})" if draft.get("title") else ""
        click.echo(terminal_safe(f"\n== {draft['article']}{title} =="))
    click.echo(f"\n[{n}/{total}] " + terminal_safe(_draft_line(draft)))
    context, quote = draft.get("context"), draft.get("quote") or ""
    if context and quote and quote in context and context.strip() != quote.strip():
        marked = context.replace(quote, f"\u00bb{quote}\u00ab", 1)
        click.echo("    in its paragraph: " + terminal_safe(_shorten(" ".join(marked.split()), 600)))
    from .drafts import draft_warnings

    for warning in draft_warnings(draft):
        click.echo(f"    warning: {warning}")


def _review_loop(todo, doc):
    """Prompt for each draft; returns when done or quit. Decisions are made on the drafts in
    place; 'u' undoes the last one."""
    import copy

    from .drafts import draft_problem

    history, i = [], 0
    scale = doc.get("scale") or "default"
    while i < len(todo):
        draft = todo[i]
        _show_draft(i + 1, len(todo), draft, todo[i - 1].get("article") if i else None)
        choice = click.prompt("Accept, edit, reject, skip, undo or quit? [a/e/r/s/u/q]",
                              type=click.Choice(list(REVIEW_CHOICES)), show_choices=False,
                              default="s", show_default=False)
        if choice == "u":
            if not history:
                click.echo("  Nothing to undo.")
                continue
            i, saved = history.pop()
            todo[i].clear()
            todo[i].update(saved)
            click.echo(f"  Undone: draft {todo[i]['id']} is a draft again.")
            continue
        if choice == "q":
            return
        history.append((i, copy.deepcopy(draft)))
        try:
            while choice in ("a", "e"):
                if choice == "e":
                    _prompt_edit(draft, scale)
                problem = draft_problem(draft, doc)
                if not problem:
                    draft["status"] = "edited" if draft.get("edits") else "accepted"
                    break
                click.echo(f"  Cannot log it yet: {problem}.")
                choice = click.prompt("  Edit, reject, skip or quit? [e/r/s/q]",
                                      type=click.Choice(["e", "r", "s", "q"]), show_choices=False,
                                      default="e", show_default=False)
        except _Leave as leave:
            choice = leave.choice
        if choice == "r":
            draft["status"] = "rejected"
        elif choice == "q":
            return
        i += 1


@cli.command()
@click.argument("drafts_file", metavar="DRAFTS")
@click.option("--all", "every", is_flag=True,
              help="Also go through drafts already accepted, edited or rejected.")
@click.option("--tag", "tags", multiple=True, help="Tag for new questions (repeatable).")
@db_option
def review(drafts_file, every, tags, db_path):
    """Walk through DRAFTS: accept, edit (event, probability, date, speaker) or reject each.

    Accepted drafts are logged with their source, quote and scale mapping; the decisions are
    saved back to DRAFTS, so a review can stop (q, or Ctrl-C) and resume. u undoes the last
    decision; skip, reject and quit are accepted at every prompt of an edit too. A drafts file
    of several articles is walked article by article.

    \b
    Example:
        forecasts extract article.txt --out drafts.json
        forecasts review drafts.json --tag economy
    """
    from .drafts import DraftsError, load_drafts, log_drafts, save_drafts

    doc = load_drafts(drafts_file)
    wanted = ("draft", "accepted", "edited", "rejected") if every else ("draft",)
    todo = [d for d in doc["drafts"] if d.get("status") in wanted]
    if not todo and not any(d.get("status") in ("accepted", "edited") for d in doc["drafts"]):
        click.echo(f"No drafts to review in {drafts_file}.")
        return
    store = open_store(db_path)
    try:
        _review_loop(todo, doc)
    except (KeyboardInterrupt, click.Abort):
        save_drafts(drafts_file, doc)
        click.echo(f"\nStopped: the decisions so far are saved in {drafts_file}; nothing was "
                   f"logged yet. Run `forecasts review {drafts_file}` to resume.", err=True)
        raise SystemExit(130) from None
    try:
        result = log_drafts(store, doc, tags=tags)
    except DraftsError as error:
        save_drafts(drafts_file, doc)
        raise CleanError(f"{error} (your decisions are saved in {drafts_file})") from None
    save_drafts(drafts_file, doc)
    for r in result["logged"]:
        _report_logged(r, False)
    counts = {s: sum(d.get("status") == s for d in doc["drafts"]) for s in ("rejected", "draft")}
    click.echo(f"\nLogged {len(result['logged'])}, rejected {counts['rejected']}, "
               f"{counts['draft']} left as drafts; decisions saved to {drafts_file}.")


@cli.command(name="import-drafts")
@click.argument("drafts_file", metavar="DRAFTS")
@click.option("--accept-all", is_flag=True,
              help="Log every draft not marked rejected, not only those marked accepted or edited.")
@click.option("--tag", "tags", multiple=True, help="Tag for new questions (repeatable).")
@output_options(csv=False)
@db_option
def import_drafts(drafts_file, accept_all, tags, as_json, db_path):
    """Log the accepted drafts of an edited DRAFTS file without prompts, all or nothing.

    Mark a draft "status": "accepted" (or edit its event, probability or resolves and mark it
    "edited"); "rejected" and untouched drafts are left out. Logged drafts are marked "logged"
    in DRAFTS, so importing it again adds nothing.

    \b
    Example:
        forecasts import-drafts drafts.json --tag ukraine
    """
    _log_draft_file(drafts_file, accept_all, tags, as_json, db_path)


def _log_draft_file(drafts_file, accept_all, tags, as_json, db_path):
    from .drafts import load_drafts, log_drafts, save_drafts

    doc = load_drafts(drafts_file)
    statuses = ("draft", "accepted", "edited") if accept_all else ("accepted", "edited")
    store = open_store(db_path)
    result = log_drafts(store, doc, statuses=statuses, tags=tags)
    if result["logged"] or result["already_logged"]:
        try:
            save_drafts(drafts_file, doc)
        except OSError as error:
            raise CleanError(f"logged {len(result['logged'])} draft forecasts, but {drafts_file} "
                             f"could not be marked ({error.strerror or error}); running this "
                             "again adds nothing and marks it") from None
    if as_json:
        _echo_json(result)
        return
    for r in result["logged"]:
        _report_logged(r, False)
    waiting = sum(d.get("status") == "draft" for d in doc["drafts"])
    click.echo(f"Logged {len(result['logged'])} draft forecasts from {drafts_file}"
               + (f"; {result['already_logged']} were logged before (now marked logged)"
                  if result["already_logged"] else "")
               + (f"; {waiting} still marked draft (set \"status\": \"accepted\" to log them, "
                  "or use --accept-all)" if waiting and not accept_all else ""))


PROFILE_COLUMNS = [("forecaster", "Forecaster"), ("questions", "Questions"),
                   ("remapped", "Re-mapped"), ("brier", "Brier"), ("brier_profile", "Brier ({p})"),
                   ("change", "Change"), ("rank", "Rank"), ("rank_profile", "Rank ({p})")]


def _score_under_profile(db_path, profile, tag, since, until, brier_scale, fmt):
    from .rescale import profile_comparison
    from .scales import UnknownScale

    store = open_store(db_path, create=False)
    try:
        result = profile_comparison(store, profile, tag=tag, since=since, until=until,
                                    scale=int(brier_scale))
    except UnknownScale as error:
        raise CleanError(f"--scale-profile: {error}", exit_code=2) from None
    if fmt == "json":
        _echo_json(result)
        return
    name = result["profile"]
    columns = [(key, header.format(p=name)) for key, header in PROFILE_COLUMNS]
    moved = [r for r in result["rows"] if r["rank"] != r["rank_profile"]]
    lines = [f"Brier on the {result['scale']} scale; ranks by mean Brier, 1 is best."]
    for p in result["phrases"]:
        after = f"{p['p_after']:g}" if p["status"] == "remapped" else "kept (not in the profile)"
        lines.append(f'"{p["phrase"]}": {p["p_before"]:g} -> {after} ({p["forecasts"]} '
                     f"forecast{'s' if p['forecasts'] != 1 else ''})")
    if not result["phrases"]:
        lines.append("No scored forecast was given in words, so nothing changes.")
    lines.append("Ranking changes under " + name + ": " + (
        "; ".join(f"{r['forecaster']} {r['rank']} -> {r['rank_profile']}" for r in moved)
        if moved else "none (the ranking is the same)") + ".")
    print_rows(result["rows"], columns, fmt, empty="No resolved questions to score yet.",
               footer="\n".join(lines), floatfmt=".3f")


# Trust: verify the hash chain, show a question's recorded history, back up (issue 8) --------

def _existing_database(db_path):
    import os

    if not os.path.exists(db_path):
        raise CleanError(f"no database at {db_path}")


def _when(recorded):
    """A recorded time as 'YYYY-MM-DD HH:MM:SS' (UTC) when it is an ISO time, else as stored."""
    import datetime

    try:
        moment = datetime.datetime.fromisoformat(recorded)
    except (TypeError, ValueError):
        return recorded
    if moment.tzinfo:
        moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@cli.command()
@click.option("--anchors", "anchors_file", metavar="FILE",
              help="Also check that every chain head anchored in FILE (see `forecasts anchor`) "
                   "is still in the chain at its place.")
@output_options(csv=False)
@db_option
def verify(anchors_file, as_json, db_path):
    """Check that no record was edited or deleted outside forecasts.

    Every forecaster, source, question, forecast and resolution carries a hash chained to the
    record before it. verify recomputes them all and runs SQLite's integrity check; it prints OK
    and the chain head (note it down: a later head that differs after the same records means
    history was rewritten), or names each record changed outside forecasts and exits with 1.

    \b
    Example:
        forecasts verify
    """
    from . import anchors

    anchored = anchors.read_anchors(anchors_file) if anchors_file else []
    _existing_database(db_path)
    store = open_store(db_path, create=False)
    report = store.verify()
    report["anchors_checked"] = len(anchored)
    report["problems"] += anchors.check_anchors(store.conn, anchored)
    report["ok"] = not report["problems"]
    if as_json:
        _echo_json(report)
    else:
        for problem in report["problems"]:
            where = f"{problem['table']} #{problem['id']}" if problem["id"] else problem["table"]
            _say(f"{where}: {problem['problem']}")
        if report["ok"]:
            counts = ", ".join(f"{n} {table}" for table, n in report["counts"].items())
            _say(f"OK: {report['entries']} records ({counts}) match the hash chain; none was "
                 f"edited, deleted or added outside forecasts. SQLite integrity check: "
                 f"{report['integrity']}.")
            if report["head"]:
                _say(f"Chain head: {report['head']}")
            if anchored:
                _say(f"Anchors: all {len(anchored)} in {anchors_file} are in the chain at their "
                     "places; nothing recorded before them was rewritten.")
    if not report["ok"]:
        n = len(report["problems"])
        raise CleanError(f"verification failed: {n} problem{'s' if n != 1 else ''} in "
                         f"{report['entries']} records; the records named were changed outside "
                         "forecasts")


@cli.command()
@click.option("--to", "to_file", metavar="FILE",
              help="Append the anchor to FILE, kept outside the database (default: print it, "
                   "to publish).")
@db_option
def anchor(to_file, db_path):
    """Record the chain head (its hash, its place and the UTC time) outside the database.

    Inside one file, deleting the newest records with their chain entries, or hashing every
    record again, leaves a chain that verify finds consistent. An anchor kept elsewhere (a
    file in another place, a message, a commit) shows it: `forecasts verify --anchors FILE`
    checks that every anchored head is still in the chain at its place.

    \b
    Example:
        forecasts anchor --to ~/anchors.jsonl
        forecasts verify --anchors ~/anchors.jsonl
    """
    from . import anchors

    _existing_database(db_path)
    store = open_store(db_path, create=False)
    taken = anchors.take_anchor(store.conn)
    if not to_file:
        click.echo(anchors.anchor_line(taken), nl=False)
        return
    anchors.append_anchor(to_file, taken, database=db_path)
    _say(f"Anchored {taken['entries']} records (chain head {taken['head'][:12]}) at "
         f"{taken['time']} in {to_file}")


NOT_SCORED_BECAUSE = {"retracted": "retracted", "late": "made on/after the resolution date",
                      "recorded_late": "recorded after the question was resolved"}


def _log_event(entry):
    """One line saying what a history entry recorded."""
    if entry["event"] == "asked":
        return f"asked; resolves {entry['resolves'] or '-'}"
    if entry["event"] == "forecast":
        reasons = "; ".join(NOT_SCORED_BECAUSE[reason] for reason in entry["not_scored"])
        flag = " [recorded after the outcome became known: counted; --strict-recorded leaves " \
            "it out]" if entry.get("recorded_after_known") else ""
        return (f"{entry['forecaster']}: {entry['probability']}, made {entry['made']}"
                + (f" [not scored: {reasons}]" if reasons else flag))
    if entry["record"] == "correction":
        from .corrections import describe

        return (f"{describe(entry['correction'])}, by {entry['author'] or '-'}: "
                f"{entry['reason']}")
    word = "correction" if entry["event"] == "corrected" else "resolved"
    return f"{word}: {entry['outcome']}, known {entry['resolved']}"


LOG_COLUMNS = [("when", "Recorded (UTC)"), ("record_id", "Record"), ("what", "What"),
               ("hash_prefix", "Hash")]


@cli.command()
@click.argument("question")
@output_options(csv=False)
@db_option
def log(question, as_json, db_path):
    """Show the recorded history of QUESTION: every forecast and resolution, with hashes.

    Records are listed in the order they were recorded, corrections and late forecasts
    included, each with the first 12 hex digits of its hash.

    \b
    Example:
        forecasts log 1
    """
    store = open_store(db_path, create=False)
    result = tracker.question_log(store, question)
    for entry in result["entries"]:
        entry["what"] = _log_event(entry)
    if as_json:
        _echo_json(result)
        return
    q = result["question"]
    _say(f"#{q['id']} {q['text']} ({q['slug']})")
    for entry in result["entries"]:
        entry["when"] = _when(entry["recorded"])
        entry["record_id"] = f"{entry['record']} #{entry['id']}"
        entry["hash_prefix"] = (entry["hash"] or "")[:12] or "-"
        if not entry["in_chain"]:
            entry["hash_prefix"] += " (not in the chain)"
    click.echo(render(result["entries"], LOG_COLUMNS))
    click.echo("\nEach hash covers the record and the hash before it, so it fixes everything "
               "recorded earlier; `forecasts verify` checks them all.")


@cli.command()
@click.argument("file", metavar="FILE")
@db_option
def backup(file, db_path):
    """Copy the database to the new file FILE with SQLite's online backup.

    The copy is consistent even while other processes write, and is verified after writing.

    \b
    Example:
        forecasts backup predictions-2026-01-05.db
    """
    _existing_database(db_path)
    store = open_store(db_path, create=False)
    report = tracker.backup(store, file)
    state = "verified OK" if not report["problems"] else (
        f"{len(report['problems'])} problems found by verify (the original has them too)")
    _say(f"Backed up {db_path} to {file}: {report['entries']} records, {state}"
         + (f", chain head {report['head'][:12]}" if report["head"] else ""))


@cli.group()
def user():
    """Accounts for `forecasts serve`: add, token, revoke.

    \b
    Example:
        forecasts user add alice --role resolver
        forecasts user token alice
    """


@user.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(["member", "resolver", "admin"]), default="member",
              show_default=True, help="member: forecast and ask; resolver: also resolve and "
                                      "correct; admin: also manage accounts.")
@db_option
def user_add(name, role, db_path):
    """Create the account NAME (and its forecaster); prints a one-time password last.

    \b
    Example:
        forecasts user add alice --role member
    """
    from . import team

    password = team.add_user(open_store(db_path), name, role)
    _say(f"Added {role} {name}; give them this one-time password (it is not stored):")
    click.echo(password)


@user.command(name="token")
@click.argument("name")
@db_option
def user_token(name, db_path):
    """Make a new API token for NAME; prints it last (only its hash is stored).

    \b
    Example:
        forecasts user token alice
    """
    from . import team

    token = team.new_token(open_store(db_path), name)
    _say(f"API token for {name} (send it as 'Authorization: Bearer TOKEN'; shown only now):")
    click.echo(token)


@user.command(name="revoke")
@click.argument("name")
@db_option
def user_revoke(name, db_path):
    """Revoke NAME: their password and every API token stop working at once.

    \b
    Example:
        forecasts user revoke alice
    """
    from . import team

    team.revoke(open_store(db_path), name)
    _say(f"Revoked {name}: their password and API tokens no longer work")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface: put TLS in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--public", is_flag=True,
              help="Serve only public questions, read-only and without login.")
@click.option("--behind-tls", is_flag=True,
              help="Browsers reach the server over HTTPS (a proxy in front): the login cookie "
                   "is sent only over HTTPS and browsers are told to keep to it.")
@db_option
def serve(host, port, public, behind_tls, db_path):
    """Serve the database to a team in the browser, with a JSON API under /api/.

    Needs the serve extra: pip install "forecasts[serve]". Accounts come from `forecasts user`.

    \b
    Example:
        forecasts user add alice
        forecasts serve --port 8000
    """
    try:
        import uvicorn

        from .web.server import create_app
    except ImportError as error:
        raise CleanError(f'forecasts serve needs the serve extra ({error.name} is missing): '
                         'pip install "forecasts[serve]"') from None
    open_store(db_path).close()
    app = create_app(db_path, public=public, behind_tls=behind_tls)
    mode = "public questions, read-only" if public else "log in at /login"
    click.echo(terminal_safe(f"Serving {db_path} on http://{host}:{port}/ ({mode}); "
                             "Ctrl-C stops"), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


# Corrections: each is a new record in the hash chain (forecasts/corrections.py); none edits one.

def correction_options(reason_required=True):
    def decorate(fn):
        fn = click.option("--who", "author", metavar="NAME",
                          help="Who records the correction (default: your login name).")(fn)
        return click.option("--reason", required=reason_required,
                            help="Why the correction is made (kept with it)."
                            + ("" if reason_required else " Optional."))(fn)
    return decorate


@cli.command()
@click.argument("forecast_ref", metavar="FORECAST")
@correction_options()
@click.option("--undo", is_flag=True, help="Take back an earlier retraction (a new record).")
@output_options(csv=False)
@db_option
def retract(forecast_ref, reason, author, undo, as_json, db_path):
    """Retract FORECAST (its number in `forecasts show`) before its question resolves.

    The forecast stays in the history, struck through, and is never scored. Once the question
    is resolved a retraction is refused: that would be hindsight. --undo restores it.

    \b
    Example:
        forecasts retract 3 --reason "typed 80% for 8%"
        forecasts retract 3 --undo --reason "it was 80% after all"
    """
    from . import corrections

    _existing_database(db_path)
    store = open_store(db_path, create=False)
    act = corrections.unretract if undo else corrections.retract
    result = act(store, forecast_ref, reason=reason, author=author)
    if as_json:
        _echo_json(result)
    elif not result["recorded"]:
        _say(f"Forecast #{result['forecast_id']} is already retracted "
             f"({result['reason']}): nothing recorded")
    elif undo:
        _say(f"Restored forecast #{result['forecast_id']} on question #{result['question_id']}:"
             " it counts again (the retraction stays in the history)")
    else:
        _say(f"Retracted forecast #{result['forecast_id']} on question #{result['question_id']}:"
             " it stays in the history and is not scored")


@cli.command()
@click.argument("question")
@click.option("--text", help="The question's corrected text.")
@click.option("--criteria", help="The corrected resolution criteria ('' clears them).")
@click.option("--resolves", help="The corrected resolution date or horizon.")
@click.option("--add-tag", "add_tags", multiple=True, metavar="TAG", help="Add a tag (repeatable).")
@click.option("--remove-tag", "remove_tags", multiple=True, metavar="TAG",
              help="Remove a tag (repeatable).")
@correction_options()
@output_options(csv=False)
@db_option
def amend(question, text, criteria, resolves, add_tags, remove_tags, reason, author, as_json,
          db_path):
    """Amend QUESTION: its text, criteria, resolution date or tags, with the reason.

    The amendment is a new record holding each value before and after; `forecasts show` lists
    the amendments, and flags a resolution date moved after forecasts were made.

    \b
    Example:
        forecasts amend 1 --text "Russia accepts the Berlin peace framework by June" \\
            --reason "typo in the question"
        forecasts amend 1 --resolves 2026-09-30 --reason "the summit moved"
    """
    from . import corrections

    _existing_database(db_path)
    store = open_store(db_path, create=False)
    result = corrections.amend(store, question, reason=reason, text=text, criteria=criteria,
                               resolves=resolves, add_tags=add_tags, remove_tags=remove_tags,
                               author=author)
    if as_json:
        _echo_json(result)
        return
    _say(f"Amended question #{result['question_id']}: "
         + corrections.describe({"action": "amend", "changes": result["changes"]})
         .removeprefix("amended: "))
    if result["moved_after_forecasts"]:
        click.echo(f"Note: the resolution date moved after "
                   f"{_plural(result['moved_after_forecasts'], 'forecast')} were made; "
                   "`forecasts show` flags it", err=True)


@cli.command()
@click.argument("forecast_ref", metavar="FORECAST")
@click.option("--to", "to", required=True, metavar="NAME",
              help="The forecaster who really made it (created when new).")
@new_forecaster_option
@correction_options()
@output_options(csv=False)
@db_option
def reassign(forecast_ref, to, new_forecaster, reason, author, as_json, db_path):
    """Give FORECAST to the forecaster who really made it (the wrong --by was given).

    \b
    Example:
        forecasts reassign 4 --to "Keir Giles" --reason "quote is his, not Lutsevych's"
    """
    from . import corrections

    _existing_database(db_path)
    store = open_store(db_path, create=False)
    result = corrections.reassign(store, forecast_ref, to, reason=reason, author=author,
                                  new_forecaster=new_forecaster)
    if as_json:
        _echo_json(result)
        return
    _say(f"Forecast #{result['forecast_id']} is now {result['to']}'s (was {result['from']})"
         + (f" [new forecaster {result['to']}]" if result["new_forecaster"] else ""))


@cli.group(name="forecaster")
def forecaster_group():
    """Rename forecasters, merge two that are one, and undo a merge.

    \b
    Example:
        forecasts forecaster rename "Putin" "Vladimir Putin"
        forecasts forecaster merge "V. Putin" into "Vladimir Putin"
        forecasts forecaster list
    """


@forecaster_group.command(name="list")
@output_options()
@db_option
def forecaster_list(as_json, as_csv, db_path):
    """Every forecaster: name, kind, forecasts, other names and merges."""
    from . import corrections

    fmt = _format(as_json, as_csv)
    rows = corrections.forecaster_list(open_store(db_path, create=False))
    if fmt == "json":
        _echo_json(rows)
        return
    print_rows(rows, [("id", "#"), ("name", "Forecaster"), ("kind", "Kind"),
                      ("forecasts", "Forecasts"), ("also_known_as", "Also found as"),
                      ("merged_into", "Merged into")], fmt, empty="No forecasters yet.")


@forecaster_group.command(name="rename")
@click.argument("old")
@click.argument("new")
@correction_options(reason_required=False)
@click.option("--confirm-lookalike", is_flag=True,
              help="Confirm a NEW name that looks like another forecaster's (the same letters "
                   "from another script, say): they are different people.")
@db_option
def forecaster_rename(old, new, reason, author, confirm_lookalike, db_path):
    """Rename forecaster OLD to NEW; OLD still finds them (imports, `add --by`)."""
    from . import corrections

    _existing_database(db_path)
    result = corrections.rename_forecaster(open_store(db_path, create=False), old, new,
                                           reason=reason, author=author,
                                           confirm_lookalike=confirm_lookalike)
    _say(f"Renamed {result['from']} to {result['to']}; the old name still finds them")


@forecaster_group.command(name="merge")
@click.argument("names", nargs=-1, required=True, metavar="A into B")
@correction_options(reason_required=False)
@db_option
def forecaster_merge(names, reason, author, db_path):
    """Merge forecaster A into B: one forecaster under two names.

    A's forecasts count as B's and the name A finds B. `forecasts forecaster unmerge A` undoes
    it with a new record.

    \b
    Example:
        forecasts forecaster merge "Putin" into "Vladimir Putin"
    """
    from . import corrections

    if len(names) == 3 and names[1].lower() == "into":
        names = (names[0], names[2])
    if len(names) != 2:
        raise CleanError('give two forecasters: forecasts forecaster merge "A" into "B"',
                         exit_code=2)
    _existing_database(db_path)
    result = corrections.merge_forecasters(open_store(db_path, create=False), *names,
                                           reason=reason, author=author)
    _say(f"Merged {result['from']} into {result['into']}: their forecasts count as "
         f"{result['into']}'s; undo with: forecasts forecaster unmerge \"{result['from']}\"")


@forecaster_group.command(name="unmerge")
@click.argument("name")
@correction_options(reason_required=False)
@db_option
def forecaster_unmerge(name, reason, author, db_path):
    """Undo the merge of forecaster NAME: their forecasts are their own again."""
    from . import corrections

    _existing_database(db_path)
    result = corrections.unmerge_forecaster(open_store(db_path, create=False), name,
                                            reason=reason, author=author)
    _say(f"{result['name']} is no longer merged into {result['was_merged_into']}")
