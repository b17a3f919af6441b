"""The alert rules shipped in deploy/prometheus/ are valid and behave as their unit tests say.

Rules, their unit tests and the example config live in separate places, so each promtool command
an operator types over a folder (`promtool check rules deploy/prometheus/rules/*`) sees only the
files it understands.
"""

import shutil
from pathlib import Path

import yaml

from tests.prometheus_tools import promtool

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
RULES_DIR = DEPLOY / "rules"
TESTS_DIR = DEPLOY / "tests"


def test_every_file_of_the_rules_folder_passes_promtool_check_rules() -> None:
    files = sorted(RULES_DIR.iterdir())

    result = promtool("check", "rules", *map(str, files))

    assert result.returncode == 0, result.stdout + result.stderr
    assert [f.name for f in files] == ["homelab-drive-rules.yml", "homelab-rules.yml"]
    assert "SUCCESS: 6 rules found" in result.stdout
    assert "SUCCESS: 9 rules found" in result.stdout


def test_every_rule_test_passes_and_every_rules_file_has_one() -> None:
    tests = sorted(TESTS_DIR.iterdir())

    result = promtool("test", "rules", *map(str, tests))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(tests)
    tested = {
        (TESTS_DIR / name).resolve()
        for test in tests
        for name in yaml.safe_load(test.read_text())["rule_files"]
    }
    assert tested == {f.resolve() for f in RULES_DIR.iterdir()}


def test_the_example_config_passes_promtool_check_config_with_every_rule(tmp_path: Path) -> None:
    # The example as an operator installs it: the config with rules/ beside it, and the token
    # file it names (here in the temporary folder instead of /etc/prometheus).
    shutil.copytree(DEPLOY, tmp_path / "prometheus")
    config_path = tmp_path / "prometheus" / "prometheus.yml"
    config = yaml.safe_load(config_path.read_text())
    token = tmp_path / "homelab-token"
    token.write_text("a-read-token\n")
    config["scrape_configs"][0]["authorization"]["credentials_file"] = str(token)
    config_path.write_text(yaml.safe_dump(config))

    result = promtool("check", "config", str(config_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 6 rules found" in result.stdout
    assert "SUCCESS: 9 rules found" in result.stdout
