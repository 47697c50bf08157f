"""One renderer for rows: a readable table (tabulate's "simple" format), JSON, JSON lines, CSV
or TSV.

Example::

    >>> print(render([{"forecaster": "Alice", "brier": 0.09}], [("forecaster", "Forecaster"),
    ...                                                        ("brier", "Brier")]))
    Forecaster      Brier
    ------------  -------
    Alice          0.0900
"""

import csv
import io
import json

# A spreadsheet runs a cell that starts with one of these as a formula; a leading quote stops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Cells that get a leading quote in a CSV export: formulas, and text that starts with a quote
# itself, so that an import takes exactly one quote off and gets the text back as it was.
QUOTED_STARTS = (*FORMULA_STARTS, "'")


def terminal_safe(text):
    r"""Text with control characters shown as escapes, so stored text cannot drive the terminal.

    >>> terminal_safe("bell\x07 and escape\x1b[31m")
    'bell\\x07 and escape\\x1b[31m'
    """
    if not isinstance(text, str) or text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else repr(ch)[1:-1] for ch in text)


def spreadsheet_safe(value):
    """Neutralise text that a spreadsheet would run as a formula.

    >>> spreadsheet_safe('=HYPERLINK("x")'), spreadsheet_safe(-0.5)
    ('\\'=HYPERLINK("x")', -0.5)
    """
    if isinstance(value, str) and value.startswith(QUOTED_STARTS):
        return "'" + value
    return value


def csv_cell(value):
    """A CSV cell: a float with at most 12 significant digits (no 0.029000000000000005), text
    guarded against spreadsheet formulas, numbers never quoted, a list (tags, options) as a JSON
    list, as ``export --format csv`` writes one and ``import`` reads it.

    >>> csv_cell(0.029000000000000005), csv_cell(-0.5), csv_cell("=1+1")
    (0.029, -0.5, "'=1+1")
    >>> print(csv_cell(["it's", 'say "hi"']))
    ["it's", "say \\"hi\\""]
    """
    if type(value) is float:
        return float(f"{value:.12g}")
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return spreadsheet_safe(value)


def _cell(value, floatfmt):
    kind = type(value)  # the common cases first: a table can have a hundred thousand cells
    if kind is str and value.isprintable():
        return value
    if kind is float:
        return format(value, floatfmt)
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, floatfmt)
    if isinstance(value, (list, tuple)):
        return terminal_safe(", ".join(str(v) for v in value))
    return terminal_safe(value)


def render(rows, columns, fmt="table", floatfmt=".4f", delimiter=","):
    """Render ``rows`` (dicts). ``columns`` lists (key, header) for the table and CSV (``delimiter``
    a tab for TSV); JSON keeps every key of every row, "nl" is one JSON object a line."""
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False, default=str)
    if fmt == "nl":
        return "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n", delimiter=delimiter)
        writer.writerow([header for _, header in columns])
        for row in rows:
            writer.writerow([csv_cell(row.get(key)) for key, _ in columns])
        return buffer.getvalue().rstrip("\n")
    headers = [header for _, header in columns]
    # a column is numeric when any of its cells is, so blank cells do not turn it left
    align = ["right" if any(isinstance(row.get(key), (int, float)) for row in rows) else "left"
             for key, _ in columns]
    cells = [_column_cells([row.get(key) for row in rows], floatfmt) for key, _ in columns]
    return _simple_columns(cells, headers, align)


def columns_that_fit(rows, columns, width, floatfmt=".4f"):
    """How many of ``columns``, taken in order (two at least), a table of ``rows`` shows within
    ``width`` characters.

    >>> columns_that_fit([{"a": "x" * 30, "b": 1, "c": 2}], [("a", "A"), ("b", "B"), ("c", "Long C")], 40)
    2
    """
    widths = []
    for key, header in columns:
        cells = _column_cells([row.get(key) for row in rows], floatfmt)
        widths.append(max([len(header) + 2] + [len(str(cell).strip()) for cell in cells]))
    keep = len(columns)
    while keep > 2 and sum(widths[:keep]) + 2 * (keep - 1) > width:
        keep -= 1
    return keep


def _column_cells(values, floatfmt):
    """A column's values as ``_cell`` shows them, a whole column at a time when it is all one
    kind (a calibration table can have a hundred thousand cells)."""
    kinds = set(map(type, values))
    if kinds == {float}:
        return list(map(f"{{:{floatfmt}}}".format, values))
    if kinds == {int} or kinds == {str} and "".join(values).isprintable():
        return values
    return [_cell(value, floatfmt) for value in values]


def simple_table(table, headers, align):
    """``tabulate(table, headers, disable_numparse=True, colalign=align)``: its "simple" format.

    Tables of plain ASCII text, integers and booleans (every score table) are laid out here, with
    the same result, in a small fraction of tabulate's time: a calibration table has a row per
    bin and forecaster. Anything else (wide or combining characters, line breaks, no rows) goes
    to tabulate, which is imported only then.

    >>> print(simple_table([["Alice", 3], ["Bob", 12]], ["Name", "n"], ["left", "right"]))
    Name      n
    ------  ---
    Alice     3
    Bob      12
    """
    return _simple_columns(list(zip(*table)) if table else [[] for _ in headers], headers, align)


def _simple_columns(columns, headers, align):
    """``simple_table`` of a table given column by column."""
    kinds = set()
    for column in columns:
        kinds.update(map(type, column))
    plain = bool(columns and columns[0]) and kinds <= {str, int, bool}
    if plain:
        text = [column if all(type(cell) is str for cell in column) else
                [cell if type(cell) is str else str(cell) for cell in column]
                for column in columns]
        everything = "".join(headers) + "".join("".join(column) for column in text)
        plain = everything.isascii() and everything.isprintable()
    if not plain:
        from tabulate import tabulate

        return tabulate(list(zip(*columns)), headers=headers, disable_numparse=True,
                        colalign=align)
    columns = [[s.strip() for s in column] for column in text]
    widths = [max(len(header) + 2, max(map(len, column)))
              for header, column in zip(headers, columns)]
    line = "  ".join(f"{{:{'>' if a == 'right' else '<'}{width}}}"
                     for a, width in zip(align, widths)).format
    lines = [line(*headers), "  ".join("-" * width for width in widths)]
    lines.extend(map(line, *columns))
    return "\n".join(line.rstrip() for line in lines)
