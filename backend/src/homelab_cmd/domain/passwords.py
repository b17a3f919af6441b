"""What makes an acceptable username and password; no storage, no hashing here."""

MIN_PASSWORD_CHARS = 10
# argon2 reads the whole password; a cap keeps a huge one from costing more than a normal one.
MAX_PASSWORD_CHARS = 1024
MAX_USERNAME_CHARS = 64


def username_problem(username: str) -> str | None:
    """Why a username is not acceptable, or None."""
    if not username or len(username) > MAX_USERNAME_CHARS:
        return f"a username has 1 to {MAX_USERNAME_CHARS} characters"
    if username != username.strip() or not username.isprintable():
        return "a username has no leading or trailing spaces and no control characters"
    return None


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"a password has at least {MIN_PASSWORD_CHARS} characters"
    if len(password) > MAX_PASSWORD_CHARS:
        return f"a password has at most {MAX_PASSWORD_CHARS} characters"
    if "\x00" in password:
        return "a password has no NUL character"
    return None
