"""`import forecasts`: the library a script uses, as the README shows it."""

import re
from pathlib import Path

import pytest

import forecasts

ROOT = Path(__file__).resolve().parents[1]


def readme_python_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using forecasts from Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs_and_scores(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(readme_python_example(), namespace)
    scores = {row["forecaster"]: row for row in namespace["forecasts"].scores(namespace["db"])}
    # very likely is 0.9 on the default scale, 60% as given; both said yes and it happened
    assert scores["Keir Giles"]["brier"] == pytest.approx(0.01)
    assert scores["Ann Analyst"]["brier"] == pytest.approx(0.16)
    assert (tmp_path / "predictions.db").exists()
    kinds = [entry["event"] for entry in namespace["history"]["entries"]]
    assert kinds == ["asked", "forecast", "forecast", "resolved"]


def test_every_name_in_all_is_there_and_documented():
    for name in forecasts.__all__:
        value = getattr(forecasts, name)
        assert value.__doc__, name


def test_the_library_raises_its_own_errors(tmp_path):
    db = forecasts.open_db(str(tmp_path / "t.db"))
    with pytest.raises(forecasts.InputError) as raised:
        forecasts.add(db, "Event", by="A", probabilities=["150%"], on="2025-01-01")
    assert "--" not in str(raised.value)  # fields, not command-line flags
    with pytest.raises(forecasts.InputError) as raised:
        forecasts.add(db, "Event", by="A", probabilities=["50%"], on="2999-01-01")
    assert raised.value.field == "made" and str(raised.value).startswith("made 2999-01-01")
    with pytest.raises(forecasts.NotFound):
        forecasts.resolve(db, 42, "yes")
    assert forecasts.list_questions(db) == []  # nothing was written


def test_the_calibration_module_keeps_its_name():
    import forecasts.calibration as module

    assert hasattr(module, "grouped_calibration")
    assert forecasts.calibration_report.__module__ == "forecasts.tracker"


def test_every_public_function_has_type_hints():
    import inspect

    functions = [getattr(forecasts, name) for name in forecasts.__all__
                 if inspect.isfunction(getattr(forecasts, name))] + [forecasts.Store.open]
    assert len(functions) >= 12
    for function in functions:
        signature = inspect.signature(function)
        unannotated = [p.name for p in signature.parameters.values()
                       if p.annotation is inspect.Parameter.empty and p.name not in ("cls",)]
        assert not unannotated, f"{function.__name__}: {unannotated}"
        assert signature.return_annotation is not inspect.Signature.empty, function.__name__
