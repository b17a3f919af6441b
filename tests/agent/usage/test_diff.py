"""Growth between two real scans (`usage --since`), found exactly, and bad earlier files."""

import io
import json
from pathlib import Path

import pytest

from homelab_agent.cli import main
from tests.agent.usage.namespace import needs_namespace, run_in_namespace

MiB = 1 << 20
ENV = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "usage-test"}

TWO_SCANS = """
root, earlier = sys.argv[1], sys.argv[2]
mount_tmpfs(root)
write(root + "/srv/frigate/recordings/cam1.mp4", 2 * 2**20)
write(root + "/srv/tmp/cache.bin", 3 * 2**20)
write(root + "/home/me/notes.txt", 4096)
with open(earlier, "w") as handle:
    handle.write(json.dumps(scan_json(root)))
write(root + "/srv/frigate/recordings/cam2.mp4", 5 * 2**20)
os.truncate(root + "/srv/tmp/cache.bin", 2**20)
since = scan_json(root, "--since", earlier)
code, text = usage(root, "--since", earlier)
print(json.dumps({"since": since, "text": text}))
"""


@needs_namespace
def test_growth_between_two_scans_is_found_exactly_growers_first(tmp_path: Path) -> None:
    root = str(tmp_path / "fs")
    result = run_in_namespace(TWO_SCANS, root, str(tmp_path / "earlier.json"))

    assert result["since"]["growth"] == [
        {"path": f"{root}/srv/frigate", "bytes_then": 2 * MiB, "bytes_now": 7 * MiB,
         "change": 5 * MiB},
        {"path": f"{root}/srv/frigate/recordings", "bytes_then": 2 * MiB, "bytes_now": 7 * MiB,
         "change": 5 * MiB},
        {"path": root, "bytes_then": 5 * MiB + 4096, "bytes_now": 8 * MiB + 4096,
         "change": 3 * MiB},
        {"path": f"{root}/srv", "bytes_then": 5 * MiB, "bytes_now": 8 * MiB, "change": 3 * MiB},
        {"path": f"{root}/srv/tmp", "bytes_then": 3 * MiB, "bytes_now": MiB, "change": -2 * MiB},
    ]  # fmt: skip
    lines = result["text"].splitlines()
    scanned = json.loads((tmp_path / "earlier.json").read_text())["started_at"]
    since = lines.index(f"since {tmp_path / 'earlier.json'} (scanned {scanned}):")
    # People read each change once, where it happened (as the hub's alert and What grew name
    # it): the recordings, not their parents nor the total; the JSON keeps every change.
    assert lines[since + 1 :] == [
        f"   +5.0 MiB  {root}/srv/frigate/recordings  (2.0 MiB → 7.0 MiB)",
        f"   -2.0 MiB  {root}/srv/tmp  (3.0 MiB → 1.0 MiB)",
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read it"),
        ("not json", "not a JSON scan"),
        ('[{"path": "/srv"}]', "not a scan (no 'directories' list)"),
        ('{"directories": [{"path": "/srv", "bytes": "12"}]}', "a whole 'bytes'"),
    ],
)
def test_an_earlier_file_that_is_no_scan_is_refused_before_scanning(
    tmp_path: Path, content: str | None, says: str, caplog: pytest.LogCaptureFixture
) -> None:
    earlier = tmp_path / "earlier.json"
    if content is not None:
        earlier.write_text(content)
    out = io.StringIO()

    code = main(["usage", str(tmp_path), "--since", str(earlier)], env=ENV, out=out)

    assert code == 2 and out.getvalue() == ""
    assert says in caplog.text


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["relative/dir"], "must be an absolute path, not 'relative/dir'"),
        (["/srv", "--time-budget", "0"], "--time-budget must be greater than 0"),
        (["/srv", "--entry-budget", "0"], "--entry-budget at least 1"),
    ],
)
def test_a_relative_mount_or_a_budget_out_of_range_is_refused(
    argv: list[str], says: str, caplog: pytest.LogCaptureFixture
) -> None:
    out = io.StringIO()
    assert main(["usage", *argv], env=ENV, out=out) == 2
    assert out.getvalue() == ""
    assert says in caplog.text


def test_a_mount_that_is_not_a_directory_is_an_error_in_the_scan_object(tmp_path: Path) -> None:
    out = io.StringIO()
    code = main(["usage", str(tmp_path / "absent"), "--json"], env=ENV, out=out)
    scan = json.loads(out.getvalue())
    assert code == 1
    assert scan["error"].startswith("cannot scan: No such file or directory")
    assert scan["directories"] == [] and scan["request_id"] is None
