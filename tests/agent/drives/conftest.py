"""The smart corpus (../shared/corpus/smart beside the checkout) and a fake smartctl on PATH."""

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
SMART_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "smart"


def corpus_file(name: str) -> Path:
    """One saved smartctl output of the corpus."""
    return SMART_CORPUS / name


@dataclass
class FakeSmartctl:
    """The fake's path, its spec, and the argv of every call so far."""

    path: Path
    log: Path

    def configure(self, scan: list[tuple[str, str | None]], devices: dict[str, Any]) -> None:
        spec = {"scan": scan, "devices": devices, "log": str(self.log)}
        Path(str(self.path) + ".spec.json").write_text(json.dumps(spec), encoding="utf-8")

    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def calls_for(self, device: str) -> list[list[str]]:
        return [c for c in self.calls() if c and c[-1] == device and "--scan-open" not in c]


def install_fake_smartctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSmartctl:
    """Put a `smartctl` first on PATH that answers from a spec the test writes."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "smartctl"
    source = (Path(__file__).parent / "fake_smartctl.py").read_text(encoding="utf-8")
    script.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ.get('PATH', '')}")
    fake = FakeSmartctl(script, tmp_path / "smartctl.log")
    fake.configure([], {})
    return fake


@pytest.fixture
def fake_smartctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSmartctl]:
    """A `smartctl` first on PATH that answers from a spec the test writes."""
    yield install_fake_smartctl(tmp_path, monkeypatch)
