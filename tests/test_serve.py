"""forecasts serve: accounts from the CLI, then a real uvicorn server on 127.0.0.1 spoken to over
real HTTP: the JSON API with tokens, the pages with login cookies and CSRF tokens, roles,
visibility, hostile input rendered inert, one clear error page, and the hash chain intact."""

import re
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import Forecasts, LiveServer

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def last_line(result):
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """A database with a question logged from the CLI and four accounts, served live."""
    db = tmp_path_factory.mktemp("team") / "team.db"
    cli = Forecasts(db)
    cli.ok("add", "Seeded from the CLI", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
           "--resolves", "2030-01-01")
    accounts = {}
    for name, role in (("alice", "member"), ("bob", "member"), ("rita", "resolver"),
                       ("ada", "admin")):
        password = last_line(cli.ok("user", "add", name, "--role", role))
        token = last_line(cli.ok("user", "token", name))
        accounts[name] = {"password": password, "token": token}
    with LiveServer(db) as server:
        yield {"db": db, "cli": cli, "url": server.url, **accounts}


def api(team, method, path, name=None, **kwargs):
    headers = {"Authorization": f"Bearer {team[name]['token']}"} if name else {}
    return httpx.request(method, team["url"] + path, headers=headers, timeout=20, **kwargs)


def new_question(team, name, text, **fields):
    response = api(team, "POST", "/api/questions", name,
                   json={"text": text, "resolves": "2031-01-01", **fields})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def browser(team, name=None):
    """An HTTP client with a cookie jar, logged in as ``name`` through the login form."""
    client = httpx.Client(base_url=team["url"], timeout=20)
    if name:
        response = client.post("/login", data={"username": name,
                                               "password": team[name]["password"],
                                               "csrf_token": csrf_of(client.get("/login"))})
        assert response.status_code == 303, response.text
    return client


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def counts(db):
    con = sqlite3.connect(db)
    found = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("questions", "forecasts", "resolutions", "recorded_by")}
    con.close()
    return found


# Accounts on the command line ------------------------------------------------------------------

def test_user_add_token_and_revoke_print_one_line_each(tmp_path):
    cli = Forecasts(tmp_path / "t.db")
    password = last_line(cli.ok("user", "add", "zoe", "--role", "resolver"))
    assert len(password) >= 16 and " " not in password
    token = last_line(cli.ok("user", "token", "zoe"))
    assert token.startswith("fc_") and len(token) > 40
    con = sqlite3.connect(cli.db)
    stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2") and password not in stored
    assert token not in repr(con.execute("SELECT * FROM api_tokens").fetchall())
    assert "Revoked zoe" in cli.ok("user", "revoke", "zoe").stdout
    again = cli("user", "token", "zoe")
    assert again.exit_code == 2 and again.stderr.startswith("Error: user 'zoe' was revoked")


def test_user_add_refuses_a_taken_name_and_an_unknown_role(tmp_path):
    cli = Forecasts(tmp_path / "t.db")
    cli.ok("user", "add", "zoe")
    before = cli.counts()
    taken = cli("user", "add", "ZOE")
    assert taken.exit_code == 2 and taken.stderr == "Error: user 'ZOE' already exists\n"
    assert cli("user", "add", "max", "--role", "king").exit_code == 2
    assert cli.counts() == before


# The API ----------------------------------------------------------------------------------------

def test_api_needs_a_live_token(team):
    assert api(team, "GET", "/api/questions").status_code == 401
    response = httpx.get(team["url"] + "/api/questions",
                         headers={"Authorization": "Bearer fc_not-a-token"})
    assert response.status_code == 401 and response.json() == {
        "error": "the API token is unknown or revoked"}
    assert api(team, "POST", "/api/questions", json={"text": "No token"}).status_code == 401


def test_a_private_question_is_invisible_to_others(team):
    qid = new_question(team, "alice", "Alice's private hunch", visibility="private")
    assert api(team, "GET", f"/api/questions/{qid}", "alice").status_code == 200
    for name in ("bob", "rita", "ada"):
        assert api(team, "GET", f"/api/questions/{qid}", name).status_code == 404
        listed = api(team, "GET", "/api/questions", name).json()["questions"]
        assert qid not in [q["id"] for q in listed]
    refused = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", json={"p": "0.4"})
    assert refused.status_code == 404
    page = browser(team, "bob").get(f"/questions/{qid}")
    assert page.status_code == 404 and "Alice's private hunch" not in page.text


def test_members_forecast_in_words_and_for_a_pundit_and_the_recorder_is_kept(team):
    qid = new_question(team, "alice", "The team question", tags=["economy"])
    mine = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", json={"p": "probably"})
    assert mine.status_code == 201 and mine.json()["forecaster"] == "bob"
    assert mine.json()["probability"] == '70% ("probably", default scale)'
    pundit = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob",
                 json={"by": "Keir Giles", "probability": "1 in 4", "quote": "unlikely"})
    assert pundit.status_code == 201
    detail = api(team, "GET", f"/api/questions/{qid}", "alice").json()
    rows = {f["forecaster"]: f for f in detail["forecasts"]}
    assert rows["Keir Giles"]["p_ppm"] == 250000 and rows["Keir Giles"]["recorded_by"] == "bob"
    assert rows["bob"]["recorded_by"] == "bob"
    assert detail["question"]["recorded_by"] == "alice"
    assert detail["question"]["tags"] == ["economy"]


def test_multiple_choice_questions_through_the_api_and_the_page(team):
    qid = new_question(team, "alice", "Which colour wins", options=["Red", "Blue", "Green"])
    logged = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob",
                 json={"p": "Red=50%; Blue=30%, Green=20%", "on": "2025-05-01"})
    assert logged.status_code == 201
    assert logged.json()["probability"] == "Red 50%, Blue 30%, Green 20%"
    wrong = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", json={"p": "0.4"})
    assert wrong.status_code == 422
    page = browser(team, "rita").get(f"/questions/{qid}")
    assert "Red=…; Blue=…; Green=…" in page.text and "<option>Blue</option>" in page.text
    done = api(team, "POST", f"/api/questions/{qid}/resolution", "rita", json={"outcome": "blue"})
    assert done.status_code == 201 and done.json()["outcome"] == "Blue"


def test_an_accounts_own_forecaster_is_theirs_alone(team):
    qid = new_question(team, "alice", "Only alice speaks for alice")
    response = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob",
                   json={"by": "alice", "p": "0.9"})
    assert response.status_code == 403
    assert response.json()["error"].startswith("'alice' is the account alice's own forecaster")


def test_bad_input_is_422_with_one_line_and_nothing_written(team):
    qid = new_question(team, "alice", "Bad input lands nowhere")
    before = counts(team["db"])
    for body in ({"p": "1.5"}, {"p": "maybe-ish-perhaps"}, {}, {"p": ["0.5"]}, {"p": True}):
        response = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", json=body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert error and "\n" not in error and "Traceback" not in error
    not_json = api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", content=b"{nope")
    assert not_json.status_code == 422 and not_json.json() == {"error": "body: send a JSON object"}
    bad = [{"text": ""}, {"text": "Fine", "visibility": "secret"},
           {"text": "Fine", "resolves": "not a date at all"}, {"text": "The team question"}]
    for body in bad:
        assert api(team, "POST", "/api/questions", "alice", json=body).status_code == 422, body
    assert counts(team["db"]) == before


def test_only_resolvers_resolve_and_a_correction_needs_correct(team):
    qid = new_question(team, "alice", "Resolved by rita")
    api(team, "POST", f"/api/questions/{qid}/forecasts", "alice",
        json={"p": "80%", "on": "2025-06-01"})
    member = api(team, "POST", f"/api/questions/{qid}/resolution", "alice",
                 json={"outcome": "yes", "evidence": "https://example.org/a"})
    assert member.status_code == 403 and "a member may not resolve" in member.json()["error"]
    done = api(team, "POST", f"/api/questions/{qid}/resolution", "rita",
               json={"outcome": "yes", "evidence": "https://example.org/a"})
    assert done.status_code == 201 and done.json()["outcome"] == "yes"
    change = api(team, "POST", f"/api/questions/{qid}/resolution", "rita", json={"outcome": "no"})
    assert change.status_code == 422 and "correction" in change.json()["error"]
    fixed = api(team, "POST", f"/api/questions/{qid}/resolution", "ada",
                json={"outcome": "no", "correct": True, "note": "misread"})
    assert fixed.status_code == 201 and fixed.json()["previous_outcome"] == "yes"
    history = api(team, "GET", f"/api/questions/{qid}", "bob").json()["resolutions"]
    assert [(r["outcome"], r["recorded_by"]) for r in history] == [("yes", "rita"), ("no", "ada")]
    scores = api(team, "GET", "/api/scores?by=alice", "bob").json()["scores"]
    assert scores[0]["forecaster"] == "alice" and scores[0]["brier"] == pytest.approx(0.64)


def test_hidden_forecasts_show_once_you_have_forecast(team):
    qid = new_question(team, "alice", "Do not anchor me", hide_forecasts=True)
    api(team, "POST", f"/api/questions/{qid}/forecasts", "alice", json={"p": "0.9"})
    before = api(team, "GET", f"/api/questions/{qid}", "bob").json()
    assert before["forecasts"] == [] and before["hidden"] == 1
    api(team, "POST", f"/api/questions/{qid}/forecasts", "bob", json={"p": "0.3"})
    after = api(team, "GET", f"/api/questions/{qid}", "bob").json()
    assert sorted(f["forecaster"] for f in after["forecasts"]) == ["alice", "bob"]


def test_a_revoked_account_stops_working_at_once(team, tmp_path):
    cli = team["cli"]
    password = last_line(cli.ok("user", "add", "temp"))
    token = last_line(cli.ok("user", "token", "temp"))
    team["temp"] = {"password": password, "token": token}
    client = browser(team, "temp")
    assert api(team, "GET", "/api/questions", "temp").status_code == 200
    assert client.get("/questions").status_code == 200
    cli.ok("user", "revoke", "temp")
    assert api(team, "GET", "/api/questions", "temp").status_code == 401
    assert client.get("/questions").status_code == 303  # back to the login page
    login = client.post("/login", data={"username": "temp", "password": password,
                                        "csrf_token": csrf_of(client.get("/login"))})
    assert login.status_code == 401


# The pages --------------------------------------------------------------------------------------

def test_login_cookie_is_signed_httponly_and_samesite(team):
    client = httpx.Client(base_url=team["url"])
    page = client.get("/login")
    assert 'name="username"' in page.text and 'name="password"' in page.text
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/questions").status_code == 303
    wrong = client.post("/login", data={"username": "alice", "password": "guess",
                                        "csrf_token": csrf_of(page)})
    assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
    right = client.post("/login", data={"username": "alice", "password": team["alice"]["password"],
                                        "csrf_token": csrf_of(page), "next": "//evil.example"})
    assert right.status_code == 303 and right.headers["location"] == "/questions"
    assert client.get("/questions").status_code == 200
    forged = httpx.Client(base_url=team["url"], cookies={"forecasts_session": "e30=.x.y"})
    assert forged.get("/questions").status_code == 303


def test_behind_tls_the_login_cookie_is_secure_and_browsers_keep_to_https(tmp_path):
    cli = Forecasts(tmp_path / "tls.db")
    cli.ok("user", "add", "tia")
    with LiveServer(cli.db) as plain:
        page = httpx.get(plain.url + "/login")
        assert "secure" not in page.headers["set-cookie"].lower()
        assert "strict-transport-security" not in page.headers
    with LiveServer(cli.db, behind_tls=True) as server:
        page = httpx.get(server.url + "/login")
        cookie = [part.strip().lower() for part in page.headers["set-cookie"].split(";")]
        assert "secure" in cookie and "httponly" in cookie
        assert page.headers["strict-transport-security"] == "max-age=31536000"


def test_forms_without_the_csrf_token_are_refused_and_write_nothing(team):
    client = browser(team, "rita")
    qid = new_question(team, "alice", "CSRF target")
    before = counts(team["db"])
    posts = [("/login", {"username": "alice", "password": team["alice"]["password"]}),
             ("/questions", {"text": "Forged question"}),
             (f"/questions/{qid}/forecasts", {"probability": "0.9"}),
             (f"/questions/{qid}/resolution", {"outcome": "yes", "evidence": "x"}),
             ("/logout", {})]
    for path, form in posts:
        for token in (None, "not-the-token"):
            data = dict(form, **({"csrf_token": token} if token else {}))
            response = client.post(path, data=data)
            assert response.status_code == 403, path
            assert "reload the page" in response.text
    assert counts(team["db"]) == before
    assert client.get("/questions").status_code == 200  # still logged in: logout was refused


def test_the_log_resolve_score_loop_through_the_forms(team):
    member, resolver = browser(team, "bob"), browser(team, "rita")
    page = member.get("/questions/new")
    created = member.post("/questions", data={
        "text": "Forms make a question", "resolves": "2031-06-30", "tags": "forms, web",
        "visibility": "team", "csrf_token": csrf_of(page)})
    assert created.status_code == 303
    path = created.headers["location"]
    page = member.get(path)
    assert "Log a forecast" in page.text and "probably: 70%" in page.text
    assert "<th>Resolution" not in page.text and 'action="' + path + '/resolution"' not in page.text
    logged = member.post(path + "/forecasts", data={"probability": "likely", "by": "",
                                                    "on": "2025-03-01",
                                                    "csrf_token": csrf_of(page)})
    assert logged.status_code == 303
    page = member.get(logged.headers["location"])
    assert "logged" in page.text and "<svg" in page.text and "likely" in page.text
    refused = member.post(path + "/resolution", data={"outcome": "yes", "evidence": "x",
                                                      "csrf_token": csrf_of(page)})
    assert refused.status_code == 403 and "a member may not resolve" in refused.text
    page = resolver.get(path)
    resolved = resolver.post(path + "/resolution", data={
        "outcome": "yes", "evidence": "https://example.org/news", "csrf_token": csrf_of(page)})
    assert resolved.status_code == 303
    page = member.get(path)
    assert "yes on " in page.text and "recorded by rita" in page.text
    board = member.get("/leaderboard")
    assert board.status_code == 200 and 'href="/forecasters/bob"' in board.text
    profile = member.get("/forecasters/bob")
    assert profile.status_code == 200 and "Forms make a question" in profile.text
    assert "<svg" in profile.text and "Calibration" in profile.text
    listed = member.get("/questions", params={"status": "resolved", "q": "forms make"})
    assert "Forms make a question" in listed.text
    assert "Forms make a question" not in member.get("/questions",
                                                     params={"status": "open"}).text
    assert "Forms make a question" in member.get("/questions", params={"tag": "web"}).text
    assert member.get("/report").status_code == 403  # the report covers private questions too


def test_hostile_text_in_every_field_is_rendered_inert(team):
    qid = new_question(team, "alice", "XSS " + XSS, tags=["t" + XSS], criteria="c " + XSS)
    api(team, "POST", f"/api/questions/{qid}/forecasts", "alice",
        json={"p": "0.5", "by": "Pundit " + XSS, "quote": "q " + XSS,
              "source": "javascript:alert(1)"})
    api(team, "POST", f"/api/questions/{qid}/resolution", "rita",
        json={"outcome": "yes", "evidence": "javascript:alert(2)", "note": "n " + XSS})
    client = browser(team, "bob")
    pages = [client.get(f"/questions/{qid}"), client.get("/questions"),
             client.get("/forecasters/Pundit " + XSS), client.get("/leaderboard"),
             client.get("/questions", params={"q": XSS, "tag": XSS, "by": XSS})]
    for page in pages:
        assert page.status_code == 200, page.url
        assert "<script>" not in page.text and "<img src=x" not in page.text
        assert 'href="javascript:' not in page.text
    assert "&lt;script&gt;" in pages[0].text


def test_one_clear_error_page(team):
    client = browser(team, "bob")
    for path, status, message in (("/questions/99999", 404, "no question &#39;99999&#39;"),
                                  ("/forecasters/Nobody%20Here", 404, "no forecaster named"),
                                  ("/no/such/page", 404, "no such page")):
        page = client.get(path)
        assert page.status_code == status and message in page.text, path
        assert 'class="error" role="alert"' in page.text and "Traceback" not in page.text
    page = client.get("/questions/new")
    bad = client.post("/questions", data={"text": "Bad date", "resolves": "someday maybe",
                                          "csrf_token": csrf_of(page)})
    assert bad.status_code == 422 and "resolves:" in bad.text
    assert client.get("/users").status_code == 403


def test_failed_logins_are_rate_limited(team):
    client = httpx.Client(base_url=team["url"])
    token = csrf_of(client.get("/login"))
    statuses = [client.post("/login", data={"username": "ada", "password": f"wrong {n}",
                                            "csrf_token": token}).status_code
                for n in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    blocked = client.post("/login", data={"username": "ada", "password": team["ada"]["password"],
                                          "csrf_token": token})
    assert blocked.status_code == 429 and "too many failed logins" in blocked.text


def test_an_admin_adds_and_revokes_accounts_in_the_browser(team):
    # ada's name is rate-limited by the test above: a second admin logs in
    password = last_line(team["cli"].ok("user", "add", "boss", "--role", "admin"))
    team["boss"] = {"password": password, "token": None}
    admin = browser(team, "boss")
    page = admin.get("/users")
    added = admin.post("/users", data={"name": "newbie", "role": "member",
                                       "csrf_token": csrf_of(page)})
    one_time = re.search(r'<code class="password">([^<]+)</code>', added.text).group(1)
    team["newbie"] = {"password": one_time, "token": None}
    assert browser(team, "newbie").get("/questions").status_code == 200
    revoked = admin.post("/users/newbie/revoke", data={"csrf_token": csrf_of(page)})
    assert revoked.status_code == 303 and "revoked" in admin.get("/users").text
    report = admin.get("/report")
    assert report.status_code == 200 and "Seeded from the CLI" in report.text
    assert "'unsafe-inline'" in report.headers["content-security-policy"]
    assert "script-src" not in report.headers["content-security-policy"]  # none at all


def test_scores_count_only_the_questions_the_reader_may_see(team):
    qid = new_question(team, "alice", "Alice's private track record", visibility="private")
    api(team, "POST", f"/api/questions/{qid}/forecasts", "alice",
        json={"p": "0.2", "by": "Secret Pundit", "on": "2025-02-01"})
    api(team, "POST", f"/api/questions/{qid}/resolution", "ada", json={"outcome": "yes"})
    assert api(team, "POST", f"/api/questions/{qid}/resolution", "ada",
               json={"outcome": "yes"}).status_code == 404  # ada cannot see it either

    def scored(name, path="/api/scores?by=Secret%20Pundit", key="scores"):
        return api(team, "GET", path, name).json()[key]

    assert scored("alice") == []  # not resolved: nobody else could resolve it
    cli = team["cli"]
    cli.ok("resolve", str(qid), "yes", "--evidence", "resolved from the command line")
    assert [(r["forecaster"], r["questions"]) for r in scored("alice")] == [("Secret Pundit", 1)]
    assert scored("bob") == []
    assert "Secret Pundit" not in [r["forecaster"] for r in
                                   scored("bob", "/api/leaderboard", "leaderboard")]
    calibration = api(team, "GET", "/api/calibration?by=Secret%20Pundit", "bob").json()
    assert calibration["bins"] == []
    page = browser(team, "bob").get("/forecasters/Secret Pundit")
    assert page.status_code == 200 and "No resolved question scores" in page.text
    assert "Alice's private track record" not in page.text


def test_everything_the_server_wrote_verifies(team):
    found = counts(team["db"])
    assert found["recorded_by"] >= found["forecasts"] - 1  # all but the CLI's forecast
    result = team["cli"]("verify")
    assert result.exit_code == 0, result.output


# The command ------------------------------------------------------------------------------------

def serve(db, *args):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    process = subprocess.Popen([sys.executable, "-m", "forecasts", "serve", "--db", str(db),
                                "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/questions", timeout=1)
            return process, url
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
    process.kill()
    raise AssertionError("forecasts serve did not answer")


def test_forecasts_serve_public_serves_public_questions_read_only(tmp_path):
    cli = Forecasts(tmp_path / "p.db")
    cli.ok("user", "add", "pia")
    token = last_line(cli.ok("user", "token", "pia"))
    with LiveServer(cli.db) as server:
        for text, visibility in (("Shown to the world", "public"), ("Team only", "team")):
            httpx.post(server.url + "/api/questions", json={"text": text, "visibility":
                       visibility}, headers={"Authorization": f"Bearer {token}"})
    process, url = serve(cli.db, "--public")
    try:
        listed = httpx.get(url + "/questions")
        assert listed.status_code == 200 and "Shown to the world" in listed.text
        assert "Team only" not in listed.text
        assert [q["text"] for q in httpx.get(url + "/api/questions").json()["questions"]] == [
            "Shown to the world"]
        assert httpx.get(url + "/api/questions/2").status_code == 404
        assert httpx.get(url + "/login").status_code == 404
        assert httpx.get(url + "/report").status_code == 404
        assert httpx.get(url + "/leaderboard").status_code == 200
        assert httpx.post(url + "/api/questions", json={"text": "x"},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 405
        assert httpx.post(url + "/api/questions/1/forecasts", json={"p": "0.5"}).status_code \
            == 404  # no write route at all
    finally:
        process.terminate()
        process.wait(10)
    assert cli.counts()["forecasts"] == 0


def test_forecasts_serve_binds_to_localhost_and_says_where(tmp_path):
    process, url = serve(tmp_path / "s.db")
    try:
        assert httpx.get(url + "/api/questions").status_code == 401
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert f"Serving {tmp_path / 's.db'} on {url}/ (log in at /login)" in err


def test_an_unexpected_failure_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    from forecasts.web import views

    def broken(*args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "question_rows", broken)
    cli = Forecasts(tmp_path / "f.db")
    password = last_line(cli.ok("user", "add", "fay"))
    token = last_line(cli.ok("user", "token", "fay"))
    with LiveServer(cli.db) as server:
        team = {"url": server.url, "fay": {"password": password, "token": token}}
        page = browser(team, "fay").get("/questions")
        assert page.status_code == 500 and 'class="error" role="alert"' in page.text
        assert "secret internals" not in page.text and "Traceback" not in page.text
        answer = api(team, "GET", "/api/questions", "fay")
        assert answer.status_code == 500 and answer.json() == {
            "error": "the server failed on this request; it was not recorded"}
