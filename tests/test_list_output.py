"""list: its CSV and TSV write tags as export --format csv does; one status filter at a time."""

import csv
import io
import json

import pytest

TAGS = ["it's", 'say "hi", ok', "work"]


@pytest.fixture
def tagged(forecasts):
    forecasts.ok("add", "Tags test", "--by", "Eve", "-p", "90%", "--on", "2025-01-01",
                 "--resolves", "2025-06-30", *(arg for tag in TAGS for arg in ("--tag", tag)))
    forecasts.ok("add", "No tags", "--by", "Eve", "-p", "10%", "--on", "2025-01-01",
                 "--resolves", "2099-06-30")
    return forecasts


def test_list_csv_writes_tags_as_a_json_list(tagged):
    assert tagged.ok("list", "--csv").stdout == (
        "#,Question,Resolves,Status,Forecasts,Tags\n"
        '1,Tags test,2025-06-30,due,1,"[""it\'s"", ""say \\""hi\\"", ok"", ""work""]"\n'
        "2,No tags,2099-06-30,open,1,[]\n")


@pytest.mark.parametrize("flag, dialect", [("--csv", "excel"), ("--tsv", "excel-tab")])
def test_list_tags_cell_is_the_one_export_writes(tagged, flag, dialect):
    listed = list(csv.DictReader(io.StringIO(tagged.ok("list", flag).stdout), dialect=dialect))
    exported = list(csv.DictReader(io.StringIO(tagged.ok("export", "--format", "csv").stdout)))
    assert [row["Tags"] for row in listed] == [row["tags"] for row in exported]
    assert [json.loads(row["Tags"]) for row in listed] == [TAGS, []]


@pytest.mark.parametrize("flags, named", [
    (["--open", "--resolved"], "--open or --resolved"),
    (["--due", "--resolved"], "--due or --resolved"),
    (["--resolved", "--due"], "--due or --resolved"),
    (["--open", "--due"], "--open or --due")])
def test_list_refuses_two_status_filters(tagged, flags, named):
    result = tagged("list", *flags)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: use just one of {named}\n"


@pytest.mark.parametrize("flag, ids", [("--open", [1, 2]), ("--due", [1]), ("--resolved", [])])
def test_list_takes_one_status_filter(tagged, flag, ids):
    assert [row["id"] for row in tagged.json("list", flag)] == ids
