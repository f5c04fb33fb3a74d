"""Login lock-out per (account, client address): brute force is held back, but nobody can lock
a moderator out of their own account.

Counting failures per account alone let anyone who knows a moderator's email lock them out,
and every try during the lock-out doubled it (up to a day). So failures count per account *and*
client address (`server.limits.client_address`: an IPv6 client by its /64):
MODERATION_MAX_FAILED_LOGINS failures in a row from one address lock that address out of that
account for MODERATION_LOCKOUT_SECONDS, doubled for each further lock-out of the same pair
within a day (at most a day). Tries during a lock-out are refused unchecked and neither count
nor extend it. The owner, from their own address, is not affected by a stranger's failures;
guessing from many addresses costs a lock-out per address, and the per-address login rate
limit (MODERATION_LOGIN_LIMIT) applies on top.

The counters are short-lived and name client addresses, so they live in the rate-limit storage
(RATELIMIT_STORAGE_URI: memory:// counts per process, Redis is shared by all workers), not in
the database. The account's password hash is part of the key: a password reset starts afresh.
If the storage fails, logins go on without this throttle (as the rate limit does: a storage
outage must not lock every moderator out), and it is logged.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import current_app
from limits.storage import Storage, storage_from_string

from server.limits import client_address
from server.store.models import utcnow

from .models import Moderator

log = logging.getLogger("server.moderation")

DAY = 86400


def storage() -> Storage:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get("moderation_lockout")
    if store is None:
        store = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
                                    **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
        store = app.extensions.setdefault("moderation_lockout", store)
    return store


def _key(kind: str, moderator: Moderator) -> str:
    account = hashlib.sha256(moderator.password_hash.encode()).hexdigest()[:16]
    return f"reliability/moderation-login/{kind}/{moderator.id}/{account}/{client_address()}"


def lock_seconds(strike: int) -> int:
    """How long the `strike`-th lock-out of one (account, address) within a day lasts."""
    base = int(current_app.config["MODERATION_LOCKOUT_SECONDS"])
    return min(base * 2 ** min(max(strike, 1) - 1, 10), DAY)


def locked(moderator: Moderator) -> bool:
    """Whether this client address is locked out of the account."""
    try:
        return storage().get(_key("lock", moderator)) > 0
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.warning("moderation: lock-out storage unavailable (%s)", type(exc).__name__)
        return False


def failed(moderator: Moderator) -> datetime | None:
    """Count a failure from this address; the end of the lock-out it starts, if it starts one."""
    try:
        store = storage()
        fail_key = _key("fail", moderator)
        if store.incr(fail_key, DAY) < int(current_app.config["MODERATION_MAX_FAILED_LOGINS"]):
            return None
        store.clear(fail_key)  # the next lock-out needs as many failures again
        seconds = lock_seconds(store.incr(_key("strikes", moderator), DAY))
        store.incr(_key("lock", moderator), seconds)
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.warning("moderation: lock-out storage unavailable (%s)", type(exc).__name__)
        return None
    return utcnow() + timedelta(seconds=seconds)


def succeeded(moderator: Moderator) -> None:
    """The right password from this address: its failures are forgotten."""
    try:
        store = storage()
        store.clear(_key("fail", moderator))
        store.clear(_key("strikes", moderator))
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.warning("moderation: lock-out storage unavailable (%s)", type(exc).__name__)
