"""The append-only audit log: who, when, what, before/after. Entries are only ever added."""

from __future__ import annotations

from typing import Any

from server.store import db
from server.store.models import utcnow

from .models import AuditEntry


def record(actor: Any, action: str, target_type: str, target_id: Any = None,
           target_label: str | None = None, *, before: dict | None = None,
           after: dict | None = None, detail: str | None = None) -> AuditEntry:
    """Add an entry to the current transaction (the caller commits with its change)."""
    entry = AuditEntry(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        target_label=(target_label or None) and target_label[:2048],
        before=before,
        after=after,
        detail=detail,
    )
    db.session.add(entry)
    return entry
