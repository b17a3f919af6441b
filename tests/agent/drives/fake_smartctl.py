"""A stand-in `smartctl` for agent tests: answers from a JSON spec and logs every argv.

Spec (path in the first line the test writes): `scan` (list of [name, type]), `devices` (name →
`file` of saved smartctl JSON, `behaviour`: ok | asleep_after_first | permission | hang |
unknown_power), `log` (a file each call appends its argv to, as one JSON line).
"""

import json
import sys
import time

SPEC_PATH = sys.argv[0] + ".spec.json"


def nocheck_statuses(argv: list[str]) -> list[int] | None:
    if "-n" not in argv:
        return None
    parts = argv[argv.index("-n") + 1].split(",")
    return [int(p) for p in parts[1:]] or [2]


def main() -> int:
    argv = sys.argv[1:]
    with open(SPEC_PATH, encoding="utf-8") as f:
        spec = json.load(f)
    with open(spec["log"], "a", encoding="utf-8") as log:
        log.write(json.dumps(argv) + "\n")
    if "--scan-open" in argv:
        devices = [{"name": n, "type": t, "protocol": "ATA"} for n, t in spec["scan"]]
        print(json.dumps({"smartctl": {"version": [7, 3], "exit_status": 0}, "devices": devices}))
        return 0
    device = argv[-1]
    entry = spec["devices"].get(device, {})
    behaviour = entry.get("behaviour", "ok")
    statuses = nocheck_statuses(argv)
    if behaviour == "hang":
        time.sleep(60)
    if behaviour == "permission":
        message = f"Smartctl open device: {device} failed: Permission denied"
        doc = {
            "smartctl": {
                "version": [7, 3],
                "exit_status": 2,
                "messages": [{"string": message, "severity": "error"}],
            }
        }
        print(json.dumps(doc))
        return 2
    if behaviour == "asleep_after_first" and statuses is not None:
        print(
            json.dumps(
                {
                    "smartctl": {
                        "version": [7, 3],
                        "exit_status": statuses[0],
                        "messages": [
                            {
                                "string": f"Device is in STANDBY mode, exit({statuses[0]})",
                                "severity": "information",
                            }
                        ],
                    }
                }
            )
        )
        return statuses[0]
    if behaviour == "unknown_power" and statuses is not None and len(statuses) > 1:
        return statuses[1]
    if "file" not in entry:
        doc = {
            "smartctl": {
                "version": [7, 3],
                "exit_status": 1,
                "messages": [
                    {"string": f"{device}: Unable to detect device type", "severity": "error"}
                ],
            }
        }
        print(json.dumps(doc))
        return 1
    with open(entry["file"], encoding="utf-8") as f:
        doc = json.load(f)
    doc.setdefault("smartctl", {})["version"] = [7, 3]
    print(json.dumps(doc))
    return int(doc["smartctl"].get("exit_status", 0))


if __name__ == "__main__":
    sys.exit(main())
