"""Domain errors; each carries its HTTP status and renders as {"error", "detail"}."""

from typing import ClassVar


class HomelabError(Exception):
    """Base of every error the API reports on purpose."""

    status_code: ClassVar[int] = 400
    description: ClassVar[str] = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def headers(self) -> dict[str, str]:
        """Extra response headers (Retry-After on a 503)."""
        return {}


class Unauthorized(HomelabError):
    status_code = 401
    description = "No credential, or an unknown or revoked one"


class Forbidden(HomelabError):
    status_code = 403
    description = "The credential's role does not allow this"


class InvalidCredentials(HomelabError):
    status_code = 401
    description = "Wrong username or password"


class InvalidAccount(HomelabError):
    status_code = 422
    description = "The username or password does not meet the rules"


class UsernameTaken(HomelabError):
    status_code = 409
    description = "An account with this username exists"

    def __init__(self, username: str) -> None:
        super().__init__(f"the username {username!r} is taken")


class UserNotFound(HomelabError):
    status_code = 404
    description = "No account with this username"

    def __init__(self, username: str) -> None:
        super().__init__(f"no account named {username!r}")


class SetupUnavailable(HomelabError):
    status_code = 403
    description = "The setup link is used, expired or wrong; sign in or use the CLI instead"


class TooManyAttempts(HomelabError):
    status_code = 429
    description = "Too many attempts (sign-ins, enrollments); retry after Retry-After seconds"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class PasswordChecksBusy(HomelabError):
    status_code = 503
    description = "Too many password checks at once; retry after Retry-After seconds"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class LastAdmin(HomelabError):
    status_code = 409
    description = "The hub's last admin account cannot be demoted or deleted"


class AccountNotFound(HomelabError):
    status_code = 404
    description = "No account with this id"

    def __init__(self, user_id: int) -> None:
        super().__init__(f"account {user_id} not found")


class EnrollmentRefused(HomelabError):
    status_code = 401
    description = "The enrollment code is unknown, used or expired"


class EnrollmentConflict(HomelabError):
    status_code = 409
    description = "The host is already another server than the one the code is for"


class AgentWheelMissing(HomelabError):
    status_code = 404
    description = "The hub has no agent wheel to hand out"


class TokenNotFound(HomelabError):
    status_code = 404
    description = "No valid token with this id"

    def __init__(self, token_id: int) -> None:
        super().__init__(f"token {token_id} not found or already revoked")


class ServerNotFound(HomelabError):
    status_code = 404
    description = "No server with this id"

    def __init__(self, server_id: str) -> None:
        super().__init__(f"server {server_id!r} not found")


class FilesystemNotFound(HomelabError):
    status_code = 404
    description = "The server has no filesystem at this mount point"

    def __init__(self, server_id: str, mount_point: str) -> None:
        super().__init__(f"server {server_id!r} has no filesystem mounted at {mount_point!r}")


class FilesystemNotAnswering(HomelabError):
    status_code = 409
    description = "The agent reports the filesystem as unreachable or missing: a scan would hang"

    def __init__(self, mount_point: str, state: str) -> None:
        super().__init__(f"the agent reports {mount_point} as {state}; a scan would hang")


class DriveNotFound(HomelabError):
    status_code = 404
    description = "The server has no drive with this id"

    def __init__(self, server_id: str, drive_id: int) -> None:
        super().__init__(f"server {server_id!r} has no drive {drive_id}")


class FilesystemStillReported(HomelabError):
    status_code = 409
    description = (
        "The filesystem is in the server's latest heartbeat; only a vanished one is dismissed"
    )

    def __init__(self, server_id: str, mount_point: str) -> None:
        super().__init__(
            f"server {server_id!r} still reports {mount_point!r}; only a vanished filesystem "
            "can be dismissed"
        )


class TimestampInFuture(HomelabError):
    status_code = 422
    description = "Heartbeat timestamp is ahead of the hub clock"


class PayloadTooLarge(HomelabError):
    status_code = 413
    description = "Request body over the size limit"


class TooManyFilesystems(HomelabError):
    status_code = 413
    description = "More filesystems in one heartbeat than the hub accepts"


class CollectorErrorsTooLarge(HomelabError):
    status_code = 413
    description = "More or longer collector_errors than the hub accepts"


class HeartbeatTooOld(HomelabError):
    status_code = 422
    description = "Heartbeat timestamp is further back than the hub keeps heartbeats from"


class CapacityDomainsTooDeep(HomelabError):
    status_code = 422
    description = "Capacity domains nest deeper than the hub accepts"


class ReplayTooClose(HomelabError):
    # Dropped by the agent like any 422: a spool replayed at its interval (60 s) never meets it.
    status_code = 422
    description = "A replayed heartbeat is stamped too close to one its server already has"


class HeartbeatRateLimited(HomelabError):
    # Kept by the agent (like a 5xx) and sent again after Retry-After: nothing is lost.
    status_code = 429
    description = "The server sent more heartbeats than its budget; retry after Retry-After seconds"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class ServerLimitReached(HomelabError):
    # Not a 4xx an agent drops its heartbeat on: it becomes acceptable once a server is
    # deleted or the cap raised, so the agent keeps it (409 is kept, like a 5xx).
    status_code = 409
    description = "The hub holds as many servers as it is allowed to; this one is not registered"


class ServiceUnavailable(HomelabError):
    status_code = 503
    description = "The hub could not store the data right now; retry after Retry-After seconds"

    def __init__(self, detail: str, retry_after_seconds: int = 5) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class AlertNotFound(HomelabError):
    status_code = 404
    description = "No alert with this id"

    def __init__(self, alert_id: int) -> None:
        super().__init__(f"alert {alert_id} not found")


class AlertRuleNotFound(HomelabError):
    status_code = 404
    description = "No alert setting for this mount pattern"

    def __init__(self, server_id: str, mount_pattern: str) -> None:
        super().__init__(f"server {server_id!r} has no alert setting for {mount_pattern!r}")


class SilenceNotFound(HomelabError):
    status_code = 404
    description = "No silence with this id"

    def __init__(self, silence_id: int) -> None:
        super().__init__(f"silence {silence_id} not found")


class ChannelNotFound(HomelabError):
    status_code = 404
    description = "No notification channel with this id"

    def __init__(self, channel_id: int) -> None:
        super().__init__(f"notification channel {channel_id} not found")


class InvalidChannelUrl(HomelabError):
    status_code = 422
    description = "Not an Apprise URL this hub can send to"


class NoNotificationChannel(HomelabError):
    status_code = 409
    description = "No notification channel is configured or switched on to send this to"

    def __init__(self) -> None:
        super().__init__(
            "no notification channel to send to: add one on the Notifications page "
            "(/settings/notifications, or POST /api/v1/notification-channels) or set "
            "HOMELAB_CMD_NOTIFY_URLS"
        )


class InvalidSilence(HomelabError):
    status_code = 422
    description = "A silence that would end before it starts"


class InvalidLevels(HomelabError):
    status_code = 422
    description = "A warning level past its critical level"
