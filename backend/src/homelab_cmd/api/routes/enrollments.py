"""Adding hosts: enrollment codes, the legacy shared key, and what install.sh downloads."""

from datetime import timedelta

from fastapi import APIRouter, Request, status
from fastapi.responses import FileResponse, PlainTextResponse

from homelab_cmd.api.deps import (
    AdminAuth,
    AgentBundleDep,
    EnrollmentThrottled,
    HubUrlDep,
    LegacyUsersDep,
    PlainHttpDep,
    ReadAuth,
    ServerDep,
    SessionDep,
    SettingsDep,
    VerifierDep,
    client_address,
)
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import (
    AgentWheelMissing,
    EnrollmentConflict,
    EnrollmentRefused,
    Forbidden,
    ServerLimitReached,
    ServerNotFound,
    TooManyAttempts,
    Unauthorized,
)
from homelab_cmd.schemas.enrollment import (
    EnrollmentCode,
    EnrollmentCreate,
    EnrollRequest,
    EnrollResponse,
    LegacyKeyStatus,
    PlainHttpServers,
    SeenServer,
)
from homelab_cmd.services import audit
from homelab_cmd.services.access import legacy_key
from homelab_cmd.services.enrollment import codes as enrollment
from homelab_cmd.services.enrollment.agent_bundle import (
    CertificatePins,
    install_commands,
    loopback_warning,
    render_install_script,
)

router = APIRouter(tags=["enrollment"])
install_router = APIRouter(tags=["enrollment"])


def _pins(request: Request) -> CertificatePins | None:
    pins: CertificatePins | None = request.app.state.certificate_pins
    return pins


def code_answer(request: Request, hub_url: str, new: enrollment.NewCode) -> EnrollmentCode:
    """The code with the commands that use it."""
    install, enroll = install_commands(hub_url, new.code, _pins(request))
    return EnrollmentCode(
        code=new.code,
        expires_at=new.expires_at,
        server_id=new.server_id,
        install_command=install,
        enroll_command=enroll,
        hub_url_warning=loopback_warning(hub_url),
    )


@router.post(
    "/enrollments",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(Unauthorized, Forbidden),
)
def create_enrollment(
    _: AdminAuth,
    request: Request,
    session: SessionDep,
    hub_url: HubUrlDep,
    body: EnrollmentCreate | None = None,
) -> EnrollmentCode:
    """A single-use code for adding one host (1 h by default), with its install command."""
    lifetime = timedelta(minutes=(body or EnrollmentCreate()).expires_in_minutes)
    return code_answer(request, hub_url, enrollment.create_code(session, lifetime))


@router.post(
    "/agents/enroll",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        TooManyAttempts, EnrollmentRefused, EnrollmentConflict, ServerLimitReached
    ),
)
def enroll(
    _: EnrollmentThrottled,
    request: Request,
    body: EnrollRequest,
    session: SessionDep,
    settings: SettingsDep,
    verifier: VerifierDep,
) -> EnrollResponse:
    """Trade a single-use code for this host's server and agent token (`homelab-agent enroll`).

    The code is the credential: no other is needed, and it works once. Only a code from
    rotating a server's token enrolls a host as an existing server (revoking its earlier
    token); a plain code with the server_guid of an enrolled server is refused (409), unused.
    """
    done = enrollment.enroll(
        session,
        body.code,
        body.hostname,
        body.server_guid,
        settings.max_servers,
        forget=verifier.forget_token,
        source=client_address(request),
    )
    verifier.forget_legacy_server(done.server_id)
    return EnrollResponse(
        server_id=done.server_id, display_name=done.display_name, token=done.token
    )


@router.post(
    "/servers/{server_id}/token",
    responses=error_responses(Unauthorized, Forbidden, ServerNotFound),
)
def rotate_server_token(
    principal: AdminAuth,
    *,
    request: Request,
    server: ServerDep,
    session: SessionDep,
    verifier: VerifierDep,
    hub_url: HubUrlDep,
) -> EnrollmentCode:
    """Revoke the server's agent token now; the answer's code enrolls the host again as this
    same server (run its enroll or install command on the host)."""
    new = enrollment.rotate(
        session,
        server,
        forget=verifier.forget_token,
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
    return code_answer(request, hub_url, new)


@router.get("/legacy-key", responses=error_responses(Unauthorized, Forbidden))
def legacy_key_status(
    _: AdminAuth, session: SessionDep, verifier: VerifierDep, users: LegacyUsersDep
) -> LegacyKeyStatus:
    """Whether the old shared key still works for heartbeats, which servers still use it, and
    which it may still report for (those that never enrolled)."""
    return legacy_key.status(session, verifier.legacy_key_enabled, users.servers())


@router.get("/agents/plain-http", responses=error_responses(Unauthorized, Forbidden))
def plain_http_servers(_: ReadAuth, plain: PlainHttpDep) -> PlainHttpServers:
    """Servers reporting over plain http from another machine: their tokens and data cross the
    network readable (serve the hub over https, docs/security.md)."""
    return PlainHttpServers(
        servers=[SeenServer(server_id=s, last_heartbeat_at=at) for s, at in plain.servers()]
    )


@router.delete(
    "/legacy-key",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(Unauthorized, Forbidden),
)
def disable_legacy(
    principal: AdminAuth,
    request: Request,
    session: SessionDep,
    verifier: VerifierDep,
    settings: SettingsDep,
) -> None:
    """Stop accepting the old shared key, on every hub of the database within one revocation
    poll and after restarts (its file is renamed too)."""
    legacy_key.turn_off(
        session, settings.data_dir, audit.actor_of(principal), client_address(request)
    )
    verifier.disable_legacy_key()


@install_router.get(
    "/install.sh", response_class=PlainTextResponse, responses=error_responses(AgentWheelMissing)
)
def install_sh(request: Request, agent_bundle: AgentBundleDep, hub_url: HubUrlDep) -> str:
    """The installer a new host runs: `curl -fsSL HUB/install.sh | sh -s -- --code CODE`.

    Public: it holds no secret; the enrollment code is what admits a host.
    """
    wheel = agent_bundle.wheel().name
    return render_install_script(hub_url, wheel, _pins(request))


@install_router.get(
    "/install/{filename}",
    response_class=FileResponse,
    responses=error_responses(AgentWheelMissing),
)
def install_file(filename: str, agent_bundle: AgentBundleDep) -> FileResponse:
    """The agent wheel, the versions of its dependencies (constraints.txt), its systemd unit."""
    path = agent_bundle.file(filename)
    return FileResponse(path, filename=path.name)
