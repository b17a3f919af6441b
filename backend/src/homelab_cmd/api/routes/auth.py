"""Signing in and out with a username and password; the session travels as a cookie."""

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from homelab_cmd.api.deps import (
    SESSION_COOKIE,
    LoginThrottleDep,
    OriginPolicyDep,
    PasswordGateDep,
    ReadAuth,
    SessionDep,
    SettingsDep,
    SetupGateDep,
    VerifierDep,
    client_address,
)
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.config import Settings
from homelab_cmd.errors import (
    Forbidden,
    InvalidAccount,
    InvalidCredentials,
    PasswordChecksBusy,
    SetupUnavailable,
    TooManyAttempts,
    Unauthorized,
    UsernameTaken,
)
from homelab_cmd.schemas.auth import BrowserSession, LoginRequest, Me, SetupRequest
from homelab_cmd.services.access import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


def _set_cookie(
    request: Request, response: Response, settings: Settings, opened: accounts.NewSession
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        opened.secret,
        max_age=settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _client(request: Request) -> str:
    return client_address(request) or "unknown"


@router.post(
    "/login",
    responses=error_responses(InvalidCredentials, Forbidden, TooManyAttempts, PasswordChecksBusy),
)
def login(
    *,
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
    passwords: PasswordGateDep,
    origin: OriginPolicyDep,
) -> Me:
    """Check the password and set the session cookie (HttpOnly, SameSite=Strict).

    After a burst of failures for this username from this address, from this address, or for
    this username from an address it never signed in from, answers 429 with Retry-After
    without looking at the password; while the hub checks as many passwords as it allows at
    once, 503 with Retry-After (docs/security.md).
    """
    origin.check_sign_in(request.headers)
    user, opened = accounts.sign_in(
        session,
        (throttle, passwords),
        _client(request),
        (body.username, body.password),
        timedelta(hours=settings.session_hours),
    )
    _set_cookie(request, response, settings, opened)
    return Me(name=user.username, role=user.role, kind="session", expires_at=opened.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, session: SessionDep) -> None:
    """End this browser's session (if any) and clear its cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        accounts.close_session(session, secret, _client(request))
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


@router.get("/me", responses=error_responses(Unauthorized, Forbidden))
def me(principal: ReadAuth, request: Request) -> Me:
    """Who is signed in (or whose token this is)."""
    kind = "session" if principal.user_id is not None else "token"
    return Me(name=principal.name, role=principal.role, kind=kind)


@router.get("/session")
def browser_session(request: Request, gate: SetupGateDep, verifier: VerifierDep) -> BrowserSession:
    """Who this browser's session cookie signs in (null if none or ended), and whether the hub
    waits for its first admin. Always 200, so a fresh visit logs no failed request."""
    secret = request.cookies.get(SESSION_COOKIE)
    principal = verifier.session(secret) if secret else None
    user = None
    if principal is not None:
        user = Me(name=principal.name, role=principal.role, kind="session")
    return BrowserSession(user=user, setup_open=gate.open)


@router.post(
    "/setup",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        SetupUnavailable, InvalidAccount, UsernameTaken, Forbidden, PasswordChecksBusy
    ),
)
def setup(
    *,
    body: SetupRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    gate: SetupGateDep,
    passwords: PasswordGateDep,
    origin: OriginPolicyDep,
) -> Me:
    """Create the first admin with the setup link's token, and sign in as that admin."""
    origin.check_sign_in(request.headers)
    user = gate.redeem(
        session,
        body.token,
        (body.username, body.password),
        source=_client(request),
        passwords=passwords,
    )
    opened = accounts.open_session(session, user, timedelta(hours=settings.session_hours))
    _set_cookie(request, response, settings, opened)
    return Me(name=user.username, role=user.role, kind="session", expires_at=opened.expires_at)
