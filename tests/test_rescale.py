"""score --scale-profile: the same worded forecasts re-read under another verbal scale."""

import pytest


def test_score_scale_profile_shows_the_ranking(forecasts):
    forecasts.ok("add", "A happens", "--by", "Worder", "-p", "unlikely", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "Numbers", "-p", "30%", "--on", "2025-01-01")
    forecasts.ok("resolve", "1", "no", "--on", "2025-02-01")
    result = forecasts.json("score", "--scale-profile", "icd203")
    rows = {r["forecaster"]: r for r in result["rows"]}
    assert rows["Worder"]["brier"] == pytest.approx(0.04)
    assert rows["Worder"]["brier_profile"] == pytest.approx(0.325 ** 2)
    assert rows["Worder"]["rank"] == 1 and rows["Worder"]["rank_profile"] == 2
    assert result["ranking_changed"] is True
    text = forecasts.ok("score", "--scale-profile", "icd203").output
    assert "Worder 1 -> 2" in text and '"unlikely": 0.2 -> 0.325' in text
    bad = forecasts("score", "--scale-profile", "icd203", "--by-tag")
    assert bad.exit_code == 2
