"""Usage scans: what agents send (docs/adr/0005), what the hub orders and what the API answers.

A usage scan is one filesystem's directory tree, sized in allocated bytes, to a depth of four
below the mount point, with only the largest children of each directory kept. The hub keeps the
last few scans per filesystem and answers which directories grew between the latest two.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from homelab_cmd.domain.usage import GrowthBasis, RequestedBy, StoppedBy, UsageScanState
from homelab_cmd.schemas.common import Text

# A path's length, as Linux's PATH_MAX: the one bound for mount points, devices and scan paths
# (schemas/heartbeat.py takes it from here).
MAX_PATH_CHARS = 4096
# The agent keeps at most 1,000 directories a scan; the hub takes up to twice that.
MAX_DIRECTORIES = 2000
MAX_SCANS_PER_HEARTBEAT = 4
MAX_ERROR_CHARS = 2000
MAX_REQUEST_ID_CHARS = 64
MAX_COUNT = 2**63 - 1
# Directories below the mount point a scan lists (the agent's depth): a deeper one is refused,
# so no agent can hand the hub a tree thousands of levels deep to walk.
MAX_DEPTH = 4
# A scan longer than a week is no scan the agent runs: its budget stops it long before.
MAX_DURATION_SECONDS = 7 * 86400.0

Path = Annotated[Text, Field(min_length=1, max_length=MAX_PATH_CHARS)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
RequestId = Annotated[Text, Field(min_length=1, max_length=MAX_REQUEST_ID_CHARS)]


def _utc(value: datetime) -> datetime:
    # As the heartbeat's timestamp: a time without a zone is UTC; off the calendar is a 422.
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("started_at is outside the representable range") from exc


UtcInstant = Annotated[datetime, AfterValidator(_utc)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


def depth_below(path: str, mount_point: str) -> int:
    """How many levels `path` lies below `mount_point` (0 for the mount point itself); `path`
    is under it (is_under)."""
    rest = path[len(mount_point) :].strip("/")
    return rest.count("/") + 1 if rest else 0


def is_under(path: str, mount_point: str) -> bool:
    """Whether `path` is the mount point or below it, on path boundaries (/srv2 is not /srv)."""
    if path == mount_point:
        return True
    prefix = mount_point if mount_point.endswith("/") else mount_point + "/"
    return path.startswith(prefix)


class UsageDirectory(_Wire):
    """One directory of a scan: its whole subtree, and the part not in any listed child."""

    path: Path = Field(..., examples=["/srv/frigate/recordings"])
    bytes: Count = Field(..., description="Allocated bytes of the whole subtree")
    other_bytes: Count = Field(
        ...,
        description="The part of `bytes` in no listed child: the directory's own files and the "
        "children not kept",
    )


class UsageScanReport(_Wire):
    """One finished (or refused) scan, sent in a heartbeat after it ran (ADR 0005)."""

    mount_point: Path = Field(..., examples=["/srv"])
    request_id: RequestId | None = Field(
        None, description="The hub's request this answers; null for a scan nobody asked for"
    )
    started_at: UtcInstant
    duration_seconds: float = Field(..., ge=0, le=MAX_DURATION_SECONDS)
    entries: Count = Field(..., description="Directory entries examined")
    unreadable: Count = Field(0, description="Directories that could not be read")
    stopped_by: StoppedBy | None = Field(
        None, description="Null: complete; otherwise the budget that stopped it (partial)"
    )
    links_over_budget: Count = Field(
        0,
        description="Hard-linked files counted at each link, past the agent's budget for "
        "remembering them: sizes may be too large (0 for older agents)",
    )
    error: Annotated[Text, Field(max_length=MAX_ERROR_CHARS)] | None = Field(
        None, description="Why the scan could not run at all; directories are then empty"
    )
    total_bytes: Count = 0
    directories: list[UsageDirectory] = Field(
        default_factory=list,
        max_length=MAX_DIRECTORIES,
        description="Root first, parents before children, at most 4 levels below the mount "
        "point (a deeper directory is a 422)",
    )

    @model_validator(mode="after")
    def _directories_under_mount(self) -> "UsageScanReport":
        for directory in self.directories:
            if not is_under(directory.path, self.mount_point):
                raise ValueError(
                    f"usage scan of {self.mount_point!r}: directory {directory.path!r} is not "
                    "under its mount point"
                )
            if depth_below(directory.path, self.mount_point) > MAX_DEPTH:
                shown = directory.path if len(directory.path) <= 200 else directory.path[:200] + "…"
                raise ValueError(
                    f"usage scan of {self.mount_point!r}: directory {shown!r} lies more than "
                    f"{MAX_DEPTH} levels below its mount point"
                )
        return self


class UsageScanRunning(_Wire):
    """The scan in progress, for the progress shown while it runs."""

    mount_point: Path
    request_id: RequestId | None = None
    started_at: UtcInstant
    entries: Count = 0


class UsageScanOrder(BaseModel):
    """A scan the hub asks an agent for, in its answer to a heartbeat."""

    id: str = Field(..., examples=["9f2c0d4be1a07f63"])
    mount_point: str = Field(..., examples=["/srv"])


# --- The API ------------------------------------------------------------------------------


class UsageScanCreate(BaseModel):
    """Ask for a scan of one filesystem of the server's latest snapshot."""

    model_config = ConfigDict(extra="forbid")

    mount_point: Path = Field(..., examples=["/srv"])


class UsageScanRequest(BaseModel):
    """A scan the hub asked for, and where it stands."""

    id: str
    mount_point: str
    requested_at: datetime
    requested_by: RequestedBy
    state: UsageScanState


class UsageScanProgress(UsageScanRequest):
    """An open request with the agent's progress (null until the agent says it started)."""

    started_at: datetime | None = None
    entries: int | None = None


class UsageScanSummary(BaseModel):
    """A kept scan, in the list of scans."""

    taken_at: datetime = Field(
        ...,
        description="The timestamp of the heartbeat that brought the scan's result (the agent's "
        "clock, checked against the hub's)",
    )
    duration_seconds: float
    entries: int
    stopped_by: StoppedBy | None
    links_over_budget: int = Field(
        0, description="Hard-linked files the agent may have counted twice (see growth_basis)"
    )
    error: str | None


class UsageScanHead(UsageScanSummary):
    """A scan without its tree."""

    started_at: datetime
    unreadable: int
    total_bytes: int


class UsageScanRead(UsageScanHead):
    """A scan with its tree: root first, parents before children."""

    directories: list[UsageDirectory]


class UsageGrowth(BaseModel):
    """How one directory changed between the previous scan and the latest."""

    path: str
    bytes_then: int
    bytes_now: int
    change: int = Field(..., description="bytes_now - bytes_then; negative when it shrank")


class FilesystemUsage(BaseModel):
    """A filesystem's latest scan, what grew since the one before, and the open request."""

    mount_point: str
    latest: UsageScanRead | None = Field(
        None, description="The newest kept scan that has directories; null before one"
    )
    previous: UsageScanHead | None = Field(
        None,
        description="The newest complete scan with directories before `latest`, when `latest` "
        "is complete: growth is against it; null otherwise",
    )
    growth: list[UsageGrowth] = Field(
        default_factory=list,
        description="Growers first, largest change first, then shrinkers; a directory one "
        "scan did not keep is not listed (unknown is not zero). Only two complete scans are "
        "compared (no budget stopped them, no hard links past the agent's budget): a partial "
        "scan's sizes are bounds, not sizes, so growth is empty while the latest is partial",
    )
    growth_basis: GrowthBasis = Field(
        GrowthBasis.NOT_SCANNED,
        description="complete: `growth` compares `latest` with `previous`; latest_partial: the "
        "latest scan is partial, nothing is compared; no_baseline: no complete scan before "
        "the latest; not_scanned: no scan with directories yet",
    )
    growth_note: str | None = Field(
        None, description="Why `growth` is empty when nothing was compared, in words"
    )
    request: UsageScanProgress | None = Field(None, description="The open request, if any")
    scans: list[UsageScanSummary] = Field(
        default_factory=list, description="The kept scans, newest first (failed ones too)"
    )
