"""API tokens for scripts and scrapers: create (the secret shown once), list, revoke."""

from fastapi import APIRouter, Request, status

from homelab_cmd.api.deps import AdminAuth, SessionDep, VerifierDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.domain.access import Role
from homelab_cmd.errors import Forbidden, TokenNotFound, Unauthorized
from homelab_cmd.schemas.token import TokenCreate, TokenCreated, TokenList, TokenRead
from homelab_cmd.services import audit
from homelab_cmd.services.access import tokens

router = APIRouter(
    prefix="/tokens", tags=["tokens"], responses=error_responses(Unauthorized, Forbidden)
)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(
    principal: AdminAuth, request: Request, body: TokenCreate, session: SessionDep
) -> TokenCreated:
    """A new read or admin token; its secret is in this answer and nowhere else."""
    token, secret = tokens.create_token(
        session,
        body.name,
        Role(body.role),
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
    return TokenCreated.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": secret}
    )


@router.get("")
def list_tokens(_: AdminAuth, session: SessionDep) -> TokenList:
    """Every valid token, agent tokens included; never their secrets."""
    data = [TokenRead.model_validate(t) for t in tokens.list_tokens(session)]
    return TokenList(data=data, count=len(data))


@router.delete(
    "/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(TokenNotFound),
)
def revoke_token(
    principal: AdminAuth,
    request: Request,
    token_id: int,
    session: SessionDep,
    verifier: VerifierDep,
) -> None:
    """Revoke a token: requests carrying it get 401 from now on, on this hub at once and on
    every other hub on the database within one revocation poll (docs/security.md)."""
    tokens.revoke_token(
        session,
        token_id,
        verifier.forget_token,
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
