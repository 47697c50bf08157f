"""The checked-in command reference matches the commands' real --help text."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    spec = importlib.util.spec_from_file_location(
        "generate_cli_reference", ROOT / "docs" / "generate_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == module.cli_reference(), (
        "docs/cli.md is out of date: run python docs/generate_cli_reference.py")


def test_readme_shows_the_two_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install . && forecasts demo' in readme
    assert 'pip install ".[test]" && ruff check . && python -m pytest' in readme


def test_ci_runs_the_readme_test_command_with_the_linter():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q ".[test]" && ruff check . && python -m pytest -q' in ci


def test_schema_reference_is_current():
    spec = importlib.util.spec_from_file_location(
        "generate_schema_reference", ROOT / "docs" / "generate_schema_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == module.schema_reference(), (
        "docs/schema.md is out of date: run python docs/generate_schema_reference.py")
