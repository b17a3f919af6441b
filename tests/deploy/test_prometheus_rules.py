"""The alert rules shipped in deploy/prometheus/ are valid and behave as their unit tests say."""

from pathlib import Path

from tests.prometheus_tools import promtool

RULES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def test_rules_file_passes_promtool_check_rules() -> None:
    result = promtool("check", "rules", str(RULES_DIR / "homelab-rules.yml"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 9 rules found" in result.stdout


def test_rules_pass_their_promtool_unit_tests() -> None:
    result = promtool("test", "rules", str(RULES_DIR / "homelab-rules.test.yml"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_drive_rules_file_passes_promtool_check_rules() -> None:
    result = promtool("check", "rules", str(RULES_DIR / "homelab-drive-rules.yml"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 6 rules found" in result.stdout


def test_drive_rules_pass_their_promtool_unit_tests() -> None:
    result = promtool("test", "rules", str(RULES_DIR / "homelab-drive-rules.test.yml"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
