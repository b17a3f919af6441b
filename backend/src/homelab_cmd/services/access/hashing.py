"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name costs as long as a wrong password and
# the answer time does not tell which names exist.
_DUMMY_HASH = _hasher.hash("no user has this password, it only burns the same time")


def hash_password(password: str) -> str:
    """The argon2id hash to store, parameters and salt included."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; None (no such user) is checked against a dummy hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)
