"""People's accounts, managed by admins: list, add with a role, change role or password, delete."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, status

from homelab_cmd.api.deps import AdminAuth, PasswordGateDep, SessionDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.domain.access import Principal
from homelab_cmd.errors import (
    AccountNotFound,
    Forbidden,
    InvalidAccount,
    LastAdmin,
    PasswordChecksBusy,
    Unauthorized,
    UsernameTaken,
)
from homelab_cmd.schemas.user import UserCreate, UserList, UserRead, UserUpdate
from homelab_cmd.services import audit
from homelab_cmd.services.access import accounts

router = APIRouter(
    prefix="/users", tags=["users"], responses=error_responses(Unauthorized, Forbidden)
)


def _actor(principal: Principal, request: Request) -> accounts.Actor:
    return accounts.Actor(audit.actor_of(principal), client_address(request))


@router.get("")
def list_users(_: AdminAuth, session: SessionDep) -> UserList:
    """Every account, oldest first."""
    data = [UserRead.model_validate(u) for u in accounts.list_users(session)]
    return UserList(data=data, count=len(data))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(InvalidAccount, UsernameTaken, PasswordChecksBusy),
)
def create_user(
    principal: AdminAuth,
    *,
    request: Request,
    body: UserCreate,
    session: SessionDep,
    passwords: PasswordGateDep,
) -> UserRead:
    """A new account: `read` sees everything and changes nothing, `admin` may do anything."""
    user = accounts.create_user(
        session,
        body.username,
        body.password,
        body.role,
        actor=_actor(principal, request),
        passwords=passwords,
    )
    return UserRead.model_validate(user)


@router.patch(
    "/{user_id}",
    responses=error_responses(AccountNotFound, InvalidAccount, LastAdmin, PasswordChecksBusy),
)
def update_user(
    principal: AdminAuth,
    *,
    request: Request,
    user_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: UserUpdate,
    session: SessionDep,
    passwords: PasswordGateDep,
) -> UserRead:
    """Change the role and/or set a new password; either signs the account's sessions out.
    The last admin cannot be made read-only (409)."""
    user = accounts.update_user(
        session,
        user_id,
        role=body.role,
        password=body.password,
        actor=_actor(principal, request),
        passwords=passwords,
    )
    return UserRead.model_validate(user)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(AccountNotFound, LastAdmin),
)
def delete_user(
    principal: AdminAuth,
    request: Request,
    user_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
) -> None:
    """Delete an account and end its sessions; the last admin cannot be deleted (409)."""
    accounts.delete_user(session, user_id, actor=_actor(principal, request))
