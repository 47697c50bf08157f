"""forecasts serve refuses what it cannot read as sent, over real HTTP against a live server on
a temporary database: JSON fields of the wrong type, unknown or conflicting fields, too many
tags; each is a 422 naming the field, and nothing is written."""

import sqlite3

import pytest
from conftest import Forecasts, LiveServer
from test_serve import browser, csrf_of

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")


def last_line(result):
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """A database with a member and a resolver, served live."""
    db = tmp_path_factory.mktemp("input") / "team.db"
    cli = Forecasts(db)
    accounts = {}
    for name, role in (("mia", "member"), ("rex", "resolver")):
        password = last_line(cli.ok("user", "add", name, "--role", role))
        accounts[name] = {"password": password, "token": last_line(cli.ok("user", "token", name))}
    with LiveServer(db) as server:
        yield {"db": db, "cli": cli, "url": server.url, **accounts}


def api(team, path, name="rex", method="POST", **kwargs):
    headers = {"Authorization": f"Bearer {team[name]['token']}", **kwargs.pop("headers", {})}
    return httpx.request(method, team["url"] + path, headers=headers, timeout=30, **kwargs)


def new_question(team, text, **fields):
    response = api(team, "/api/questions", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def counts(db):
    con = sqlite3.connect(db)
    found = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("questions", "forecasts", "resolutions", "forecasters", "tags",
                       "question_access")}
    con.close()
    return found


def refused(response, error):
    assert response.status_code == 422, response.text
    assert response.json() == {"error": error}


@pytest.mark.parametrize("sent", ["false", "no", "0", "off", "true", 0, 1, [], {}])
def test_boolean_fields_take_json_booleans_only(team, sent):
    qid = new_question(team, f"Booleans are booleans {sent!r}")
    api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes"})
    before = counts(team["db"])
    shown = '"' + sent + '"' if isinstance(sent, str) else str(sent).lower()
    refused(api(team, f"/api/questions/{qid}/resolution", json={"outcome": "no", "correct": sent}),
            f"correct: give true or false (a JSON boolean), not {shown}")
    refused(api(team, "/api/questions", json={"text": "Hidden?", "hide_forecasts": sent}),
            f"hide_forecasts: give true or false (a JSON boolean), not {shown}")
    assert counts(team["db"]) == before


def test_json_booleans_and_null_still_work(team):
    shown = api(team, "/api/questions", json={"text": "Shown", "hide_forecasts": False}).json()
    hidden = api(team, "/api/questions", json={"text": "Hidden", "hide_forecasts": True}).json()
    nulled = api(team, "/api/questions", json={"text": "Nulled", "hide_forecasts": None}).json()
    assert (shown["hide_forecasts"], hidden["hide_forecasts"], nulled["hide_forecasts"]) == (
        False, True, False)
    api(team, f"/api/questions/{shown['id']}/resolution", json={"outcome": "yes"})
    kept = api(team, f"/api/questions/{shown['id']}/resolution",
               json={"outcome": "no", "correct": False})
    assert kept.status_code == 422 and "correction" in kept.json()["error"]
    fixed = api(team, f"/api/questions/{shown['id']}/resolution",
                json={"outcome": "no", "correct": True})
    assert fixed.status_code == 201 and fixed.json()["correction"] is True


def test_text_fields_take_json_strings_only(team):
    qid = new_question(team, "Text is text")
    before = counts(team["db"])
    for body in ({"text": 123}, {"text": "Fine", "criteria": 5}, {"text": "Fine", "resolves": 2031},
                 {"text": "Fine", "visibility": True}, {"text": ["a"]}):
        name = next(k for k, v in body.items() if v != "Fine")
        error = api(team, "/api/questions", json=body).json()["error"]
        assert error.startswith(f"{name}: give a JSON string, not "), body
    for body in ({"p": "0.4", "by": 5}, {"p": "0.4", "quote": 5}, {"p": "0.4", "source": 1.5},
                 {"p": "0.4", "on": 20250101}, {"p": True}, {"p": ["0.5"]}):
        response = api(team, f"/api/questions/{qid}/forecasts", json=body)
        assert response.status_code == 422, body
    refused(api(team, f"/api/questions/{qid}/forecasts", json={"p": "0.4", "by": 5}),
            "by: give a JSON string, not 5")
    refused(api(team, f"/api/questions/{qid}/resolution", json={"outcome": 1}),
            "outcome: give a JSON string, not 1")
    refused(api(team, "/api/questions", json={"text": "Tagged", "tags": ["a", 1]}),
            'tags: give a list of JSON strings, not ["a", 1]')
    assert counts(team["db"]) == before
    assert api(team, f"/api/questions/{qid}/forecasts", json={"p": 0.4}).status_code == 201


def test_unknown_and_conflicting_fields_are_refused(team):
    qid = new_question(team, "Fields are known")
    before = counts(team["db"])
    refused(api(team, "/api/questions", json={"text": "Typo", "hide_forcasts": True}),
            '"hide_forcasts": not a field of this request (it takes text, resolves, visibility,'
            ' tags, criteria, hide_forecasts, options)')
    refused(api(team, f"/api/questions/{qid}/forecasts", json={"p": 0.3, "probability": 0.7}),
            "p: give p or probability, not both")
    refused(api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes", "date": "x"}),
            '"date": not a field of this request (it takes outcome, evidence, note, on, correct)')
    assert counts(team["db"]) == before
    assert api(team, f"/api/questions/{qid}/forecasts",
               json={"probability": 0.7, "p": None}).status_code == 201


def test_tags_are_capped(team):
    before = counts(team["db"])
    refused(api(team, "/api/questions", json={"text": "Many tags",
                                              "tags": [f"t{n}" for n in range(5000)]}),
            "tags: at most 50 (got 5000)")
    refused(api(team, "/api/questions", json={"text": "Many tags",
                                              "tags": " ".join(f"t{n}" for n in range(51))}),
            "tags: at most 50 (got 51)")
    client = browser(team, "mia")
    page = client.get("/questions/new")
    form = client.post("/questions", data={"text": "Many tags", "csrf_token": csrf_of(page),
                                           "tags": ", ".join(f"t{n}" for n in range(51))})
    assert form.status_code == 422 and "tags: at most 50 (got 51)" in form.text
    assert counts(team["db"]) == before
    fifty = api(team, "/api/questions", json={"text": "Fifty tags",
                                              "tags": [f"t{n}" for n in range(50)]})
    assert fifty.status_code == 201 and len(fifty.json()["tags"]) == 50


def test_errors_about_the_date_name_the_field_sent(team):
    qid = new_question(team, "Dates are on")
    refused(api(team, f"/api/questions/{qid}/forecasts", json={"p": "0.4", "on": "garbage"}),
            "on: not a date: 'garbage' (use YYYY-MM-DD)")
    refused(api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes", "on": "never"}),
            "on: not a date: 'never' (use YYYY-MM-DD)")
    future = api(team, f"/api/questions/{qid}/forecasts", json={"p": "0.4", "on": "2999-01-01"})
    assert future.status_code == 422 and future.json()["error"].startswith(
        "on 2999-01-01 is in the future")


def test_form_checkboxes_take_their_own_value_only(team):
    client = browser(team, "rex")
    page = client.get("/questions/new")
    before = counts(team["db"])
    for value in ("false", "0", "off"):
        response = client.post("/questions", data={"text": f"Checkbox {value}",
                                                    "hide_forecasts": value,
                                                    "csrf_token": csrf_of(page)})
        assert response.status_code == 422, value
        assert "hide_forecasts: tick the box or leave it empty" in response.text
    assert counts(team["db"]) == before
    ticked = client.post("/questions", data={"text": "Checkbox ticked", "hide_forecasts": "1",
                                             "csrf_token": csrf_of(page)})
    assert ticked.status_code == 303
    qid = int(ticked.headers["location"].rsplit("/", 1)[1])
    assert api(team, f"/api/questions/{qid}", method="GET").json()["question"][
        "hide_forecasts"] in (1, True)


def test_deeply_nested_json_is_422_not_a_server_failure(team, capfd):
    qid = new_question(team, "Nested bodies")
    for path in ("/api/questions", f"/api/questions/{qid}/forecasts",
                 f"/api/questions/{qid}/resolution"):
        for body in (b"[" * 100000 + b"]" * 100000, b'{"text": ' + b"[" * 50000 + b"]" * 50000
                     + b"}"):
            response = api(team, path, content=body,
                           headers={"Content-Type": "application/json"})
            assert response.status_code == 422, path
            assert response.json() == {"error": "body: send a JSON object"}
    assert "Traceback" not in capfd.readouterr().err


def test_a_body_over_a_megabyte_is_refused_before_it_is_read(team):
    import socket
    import time
    from urllib.parse import urlsplit

    qid = new_question(team, "Large bodies")
    before = counts(team["db"])
    big = b'{"text": "' + b"x" * (1024 * 1024) + b'"}'
    for path in ("/api/questions", f"/api/questions/{qid}/forecasts"):
        response = api(team, path, content=big)
        assert response.status_code == 413 and response.json() == {
            "error": "the request body is over 1 MB: nothing was read or recorded"}

    def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(3):
            yield b"x" * (512 * 1024)

    streamed = api(team, "/api/questions", content=chunks())
    assert streamed.status_code == 413
    client = browser(team, "mia")
    page = client.get("/questions/new")
    form = client.post("/questions", data={"text": "x" * (1024 * 1024),
                                           "csrf_token": csrf_of(page)})
    assert form.status_code == 413 and "the request body is over 1 MB" in form.text
    # a 200 MB Content-Length is answered at once, with none of the body sent
    host, port = urlsplit(team["url"]).hostname, urlsplit(team["url"]).port
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(b"POST /api/questions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                     + team["rex"]["token"].encode() + b"\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 209715200\r\n\r\n")
        assert conn.recv(4096).startswith(b"HTTP/1.1 413 ")
    assert time.monotonic() - started < 5
    assert counts(team["db"]) == before
    largest = {"text": "é" * 2000, "criteria": "\u2028" * 2000, "resolves": "2031-01-01",
               "tags": [f"tag{n}" for n in range(50)], "visibility": "team"}
    assert api(team, "/api/questions", json=largest).status_code == 201


def read_only_copy(source, target):
    """``target``, a copy of the database ``source`` that cannot be written: immutable where
    chattr works (as root, whom file modes do not stop), else mode 444. Returns how to undo it."""
    import os
    import shutil
    import subprocess

    shutil.copy(source, target)
    try:
        made = subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode == 0
    except OSError:
        made = False
    if made:
        return lambda: subprocess.run(["chattr", "-i", str(target)], check=True)
    os.chmod(target, 0o444)
    if os.access(target, os.W_OK):
        pytest.skip("cannot make a file read-only here")
    return lambda: os.chmod(target, 0o644)


@pytest.mark.parametrize("served_before", [True, False])
def test_a_read_only_database_refuses_writes_in_one_line(tmp_path, capfd, served_before):
    cli = Forecasts(tmp_path / "live.db")
    cli.ok("add", "Seeded", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01")
    password = last_line(cli.ok("user", "add", "rex", "--role", "resolver"))
    team = {"rex": {"password": password, "token": last_line(cli.ok("user", "token", "rex"))}}
    if served_before:  # the session secret is stored
        with LiveServer(cli.db):
            pass
        con = sqlite3.connect(cli.db)  # into the file that is copied
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        con = sqlite3.connect(cli.db)
        assert con.execute("SELECT count(*) FROM server_settings").fetchone() == (1,)
        con.close()
    undo = read_only_copy(cli.db, tmp_path / "frozen.db")
    try:
        capfd.readouterr()
        with LiveServer(tmp_path / "frozen.db") as server:
            team["url"] = server.url
            assert "frozen.db is read-only: its pages and reads are served, every write is " \
                   "refused" in capfd.readouterr().err
            writes = [("/api/questions", {"text": "New"}),
                      ("/api/questions/1/forecasts", {"p": "0.6"}),
                      ("/api/questions/1/resolution", {"outcome": "yes"})]
            for path, body in writes:
                response = api(team, path, json=body)
                assert response.status_code == 503, path
                assert response.json() == {
                    "error": "the database is read-only: nothing was recorded"}
            assert api(team, "/api/questions/1", method="GET").status_code == 200
            client = browser(team, "rex")
            page = client.get("/questions/1")
            assert page.status_code == 200
            form = client.post("/questions/1/resolution", data={
                "outcome": "yes", "evidence": "x", "csrf_token": csrf_of(page)})
            assert form.status_code == 503
            assert "the database is read-only: nothing was recorded" in form.text
        assert "Traceback" not in capfd.readouterr().err
    finally:
        undo()
    assert counts(tmp_path / "frozen.db") == counts(cli.db)


def test_the_same_outcome_again_is_no_correction(team):
    qid = new_question(team, "Resolved twice the same")
    first = api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes"})
    assert first.status_code == 201 and first.json()["correction"] is False
    for body in ({"outcome": "yes"}, {"outcome": "YES", "correct": True}):
        again = api(team, f"/api/questions/{qid}/resolution", json=body)
        assert again.status_code == 200, body
        assert (again.json()["recorded"], again.json()["correction"]) == (False, False)
    assert len(api(team, f"/api/questions/{qid}", method="GET").json()["resolutions"]) == 1


def test_no_resolution_before_the_question_was_created(team):
    import datetime

    today = datetime.date.today().isoformat()
    qid = new_question(team, "Created today, no forecast yet")
    before = counts(team["db"])
    refused(api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes",
                                                                 "on": "1990-01-01"}),
            f"on 1990-01-01 is before the question was created ({today})")
    assert counts(team["db"]) == before
    done = api(team, f"/api/questions/{qid}/resolution", json={"outcome": "yes", "on": today})
    assert done.status_code == 201
    # a forecast dated back opens the question earlier: its open date is the rule then
    dated = new_question(team, "Forecast from before it was asked here")
    api(team, f"/api/questions/{dated}/forecasts", json={"p": "0.5", "on": "2025-01-01"})
    refused(api(team, f"/api/questions/{dated}/resolution", json={"outcome": "no",
                                                                   "on": "2024-12-31"}),
            "on 2024-12-31 is before the question opened (2025-01-01): no forecast on it could"
            " then be scored")
    assert api(team, f"/api/questions/{dated}/resolution",
               json={"outcome": "no", "on": "2025-02-01"}).status_code == 201


def test_the_library_refuses_it_too():
    from forecasts import tracker
    from forecasts.errors import InputError
    from forecasts.store import Store

    store = Store.open(":memory:")
    question = tracker.new_question(store, "Asked with no forecast")
    with pytest.raises(InputError, match=r"^resolved 1990-01-01 is before the question was "
                                         r"created \(\d{4}-\d\d-\d\d\)$"):
        tracker.resolve(store, str(question["id"]), "yes", on="1990-01-01")
    assert tracker.resolve(store, str(question["id"]), "yes")["recorded"]


def test_logging_out_ends_the_session_cookie(team):
    client, other = browser(team, "mia"), browser(team, "mia")
    cookie = client.cookies["forecasts_session"]
    replay = httpx.Client(base_url=team["url"], cookies={"forecasts_session": cookie})
    tokens = {}
    for stale in (replay, other):
        page = stale.get("/questions")
        assert page.status_code == 200
        tokens[stale] = csrf_of(page)
    before = counts(team["db"])
    page = client.get("/questions")
    assert client.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 303
    assert client.get("/questions").status_code == 303
    for stale in (replay, other):  # the cookie from before, and the account's other browser
        forged = stale.post("/questions", data={"text": "After logout",
                                                "csrf_token": tokens[stale]})
        assert forged.status_code == 401 and "log in first" in forged.text
        response = stale.get("/questions")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert counts(team["db"]) == before
    again = browser(team, "mia")
    assert again.get("/questions").status_code == 200
    assert api(team, "/api/questions", "mia", method="GET").status_code == 200  # tokens stay


def test_an_unknown_status_filter_is_refused_on_the_page_as_in_the_api(team):
    client = browser(team, "mia")
    page = client.get("/questions", params={"status": "bogus"})
    assert page.status_code == 422 and "status: give open, due or resolved" in page.text
    assert api(team, "/api/questions?status=bogus", method="GET").status_code == 422
    assert client.get("/questions", params={"status": "open"}).status_code == 200


def test_the_one_time_password_page_is_not_cached(tmp_path):
    cli = Forecasts(tmp_path / "admin.db")
    password = last_line(cli.ok("user", "add", "ava", "--role", "admin"))
    with LiveServer(cli.db) as server:
        client = browser({"url": server.url, "ava": {"password": password}}, "ava")
        page = client.get("/users")
        added = client.post("/users", data={"name": "neo", "role": "member",
                                            "csrf_token": csrf_of(page)})
        assert added.status_code == 200 and 'class="password"' in added.text
        assert added.headers["cache-control"] == "no-store"
