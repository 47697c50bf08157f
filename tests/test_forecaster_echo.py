"""forecast --by finds a forecaster however the name is typed, and says the name it is stored
under: "ALICE" logs to Alice and echoes Alice."""


def briers(forecasts):
    return {row["forecaster"]: round(row["brier"], 6) for row in forecasts.json("score")}


def test_forecast_echoes_the_stored_name(forecasts):
    forecasts.ok("add", "Q one", "--by", "Alice", "-p", "30%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    result = forecasts.ok("forecast", "1", "--by", "ALICE", "-p", "25%", "--on", "2025-01-02")
    assert result.stdout == ("Logged forecast #2 on question #1 (q-one): Alice 25%, made "
                             "2025-01-02, resolves 2025-02-01\n")
    logged = forecasts.json("forecast", "1", "--by", "  alice ", "-p", "20%", "--on",
                            "2025-01-03")
    assert (logged["forecaster"], logged["new_forecaster"]) == ("Alice", False)
    forecasts.ok("resolve", "1", "no", "--on", "2025-02-01")
    # one forecaster, scored on the latest forecast: 0.2^2
    assert briers(forecasts) == {"Alice": 0.04}


def test_forecast_by_a_merged_name_echoes_the_forecaster_it_counts_as(forecasts):
    forecasts.ok("add", "Q one", "--by", "Vladimir Putin", "-p", "30%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "Putin", "-p", "10%", "--on", "2025-01-02")
    forecasts.ok("forecaster", "merge", "Putin", "into", "Vladimir Putin")
    result = forecasts.ok("forecast", "1", "--by", "putin", "-p", "40%", "--on", "2025-01-03")
    assert result.stdout == ("Logged forecast #3 on question #1 (q-one): Vladimir Putin 40%, "
                             "made 2025-01-03, resolves 2025-02-01\n")


def test_add_echoes_the_stored_name_too(forecasts):
    forecasts.ok("add", "Q one", "--by", "Alice", "-p", "30%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    logged = forecasts.json("add", "Q two", "--by", "ALICE", "-p", "60%", "--on", "2025-01-02",
                            "--resolves", "2025-02-01")
    assert (logged["forecaster"], logged["new_forecaster"]) == ("Alice", False)
    assert "Alice 10%" in forecasts.ok("add", "Q three", "--by", "alice", "-p", "10%",
                                       "--on", "2025-01-02", "--resolves", "2025-02-01").stdout
