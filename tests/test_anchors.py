"""Issue 19: `forecasts anchor` publishes the chain head outside the database, and `verify
--anchors` shows history rewritten before it, which the file alone cannot show."""

import json
import sqlite3

import pytest


@pytest.fixture
def three(forecasts):
    for i in range(3):
        forecasts.ok("add", f"Ev {i}", "--by", "Ann", "-p", "0.4", "--on", "2025-01-01",
                     "--resolves", "2025-02-01")
    return forecasts


def outside(db, *statements):
    """Edit the file as a careful tamperer: triggers dropped, then put back."""
    con = sqlite3.connect(db)
    triggers = con.execute("select name, sql from sqlite_master where type = 'trigger'"
                           ).fetchall()
    for name, _ in triggers:
        con.execute(f'drop trigger "{name}"')
    for statement in statements:
        con.execute(statement)
    for _, sql in triggers:
        con.execute(sql)
    con.commit()
    con.close()


def test_anchor_appends_a_line_and_verify_checks_it(three, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    result = three.ok("anchor", "--to", str(anchors))
    (line,) = anchors.read_text().splitlines()
    anchor = json.loads(line)
    assert anchor["entries"] == 7 and len(anchor["head"]) == 64
    assert anchor["time"].endswith("+00:00")
    assert result.stdout == (f"Anchored 7 records (chain head {anchor['head'][:12]}) at "
                             f"{anchor['time']} in {anchors}\n")
    three.ok("forecast", "1", "--by", "Bo", "-p", "0.3", "--on", "2025-01-02")
    three.ok("anchor", "--to", str(anchors))
    assert [json.loads(x)["entries"] for x in anchors.read_text().splitlines()] == [7, 9]
    printed = json.loads(three.ok("anchor").stdout)  # to publish
    assert printed["entries"] == 9
    verified = three.ok("verify", "--anchors", str(anchors)).stdout
    assert verified.endswith(f"Anchors: all 2 in {anchors} are in the chain at their places; "
                             "nothing recorded before them was rewritten.\n")


def test_deleting_the_newest_records_with_their_chain_entries_is_caught(three, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    three.ok("anchor", "--to", str(anchors))
    anchor = json.loads(anchors.read_text())
    outside(three.db, "delete from hash_chain where seq = (select max(seq) from hash_chain)",
            "delete from forecasts where id = (select max(id) from forecasts)")
    assert three("verify").exit_code == 0  # the file alone looks sound
    result = three("verify", "--anchors", str(anchors))
    assert result.exit_code == 1
    assert result.stdout == (f"anchor: {anchor['time']} (7 records, head {anchor['head'][:12]}):"
                             " its chain entry is gone: records recorded before the anchor were"
                             " deleted, with their chain entries\n")


def test_rewriting_a_record_and_rehashing_the_chain_is_caught(three, tmp_path):
    from forecasts import chain

    anchors = tmp_path / "anchors.jsonl"
    three.ok("anchor", "--to", str(anchors))
    # the forger changes a probability and hashes every record again, as the tool would
    con = sqlite3.connect(three.db)
    rows = con.execute("select seq, row_table, row_id from hash_chain order by seq").fetchall()
    con.close()
    statements = ["update forecasts set p_ppm = 990000 where id = 1"]
    con = sqlite3.connect(three.db)
    previous = chain.GENESIS_HASH
    hashes = []
    for seq, table, row_id in rows:
        content = chain.record_contents(con, table, [row_id])[row_id]
        if table == "forecasts" and row_id == 1:
            content["p_ppm"] = 990000
        previous = chain.record_hash(previous, table, row_id, content)
        hashes.append((seq, table, row_id, previous))
    con.close()
    for seq, table, row_id, digest in hashes:
        statements.append(f"update hash_chain set hash = '{digest}' where seq = {seq}")
        if table in ("forecasts", "resolutions"):
            statements.append(f"update {table} set hash = '{digest}' where id = {row_id}")
    outside(three.db, *statements)
    assert three("verify").exit_code == 0
    result = three("verify", "--anchors", str(anchors))
    assert result.exit_code == 1
    assert "the chain holds another hash there: history before the anchor was rewritten" in \
        result.stdout


@pytest.mark.parametrize("content, message", [
    ("not json\n", "line 1 is not an anchor"),
    ('{"head": "abc", "entries": 1, "time": "x"}\n', "line 1 is not an anchor"),
    ("", "holds no anchors"),
])
def test_a_bad_anchors_file_is_one_clean_error(three, tmp_path, content, message):
    path = tmp_path / "anchors.jsonl"
    path.write_text(content)
    result = three("verify", "--anchors", str(path))
    assert result.exit_code == 2 and message in result.stderr
    result = three("anchor", "--to", str(path))
    assert result.exit_code == 2 and path.read_text() == content


def test_anchor_never_writes_over_the_database_and_needs_records(three, tmp_path):
    before = three.counts()
    result = three("anchor", "--to", three.db)
    assert result.exit_code == 2 and "is the database" in result.stderr
    assert three.counts() == before
    from conftest import Forecasts

    empty = Forecasts(tmp_path / "new.db")
    empty.ok("list")
    result = empty("anchor")
    assert result.exit_code == 1 and "no database at" in result.stderr
