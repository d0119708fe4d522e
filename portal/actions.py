"""Staff actions as objects: one pipeline for every change a person makes to a row.

Shaped like Wagtail's own actions (`wagtail/actions/unpublish.py`: an object with
`check()` and `execute()`, a `PermissionDenied` subclass, an audit log entry). An action
is built with its target, the person acting and its parameters; `execute()` then runs,
always in this order:

1. `clean()`: what needs no database (someone is logged in, a required text is given).
2. In one transaction:
   `lock()` the rows it changes (`select_for_update`, in primary-key order), so it reads
   committed state and two people acting at once are served one after the other;
   `check()` the person's rights and the row's state on those fresh, locked rows;
   `perform()` the write; `record()` the audit rows;
   `side_effects()`: e-mails and search updates. Those are only queued here: e-mail is
   rendered now, in the language and with the state the person acted in, and sent on
   commit (`portal.emails.queue_email`); index updates run on commit too
   (`portal.invalidation.reindex`). A refused or rolled-back action sends nothing.
3. `sync_caller()`: the object the caller passed in shows the new state, so a view can
   keep using it.

A refusal raises `ActionNotAllowed` (the state does not allow it) or
`ActionPermissionDenied` (the person may not), with a message meant for that person,
and changes nothing. `check()` may also be called on its own, without a lock, to ask
whether an action would be allowed now.

Apps subclass `Action` once for their model (locking, the audit log), then once per
action, one module per family of actions. This module knows no app.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connections, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from portal.models import User

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")


class ActionNotAllowed(ValueError):
    """The action is not possible in the target's current state (or with these inputs)."""


class ActionPermissionDenied(PermissionDenied):
    """The person may not do this to this target."""


def refusal_message(refused: Exception) -> str:
    """The message a refusal carries for the person who was refused."""
    return str(refused.args[0]) if refused.args else str(refused)


def lock_rows(
    model: type[M], pks: Collection[Any], *, touch: str, select_related: Iterable[str] = ()
) -> dict[Any, M]:
    """Lock rows in primary-key order and return fresh copies, by primary key.

    Call inside `transaction.atomic()`. Locking in one order means two actions locking
    the same pair of rows can never deadlock. SQLite ignores SELECT ... FOR UPDATE: two
    transactions that both read and then write would deadlock and one would fail, so
    there a no-op write of the `touch` field takes the database write lock first; the
    second transaction then waits (busy timeout) until the first commits and reads the
    committed state.
    """
    manager = model._default_manager
    if connections[manager.db].vendor == "sqlite":
        manager.filter(pk__in=pks).update(**{touch: F(touch)})
    rows = (
        manager.select_for_update(of=("self",))
        .select_related(*select_related)
        .filter(pk__in=pks)
        .order_by("pk")
    )
    locked = {row.pk: row for row in rows}
    missing = set(pks) - set(locked)
    if missing:
        raise model.DoesNotExist(f"{model.__name__} {sorted(missing)} no longer exists.")
    return locked


def refresh_caller_copy(original: M, fresh: M) -> M:
    """Copy `fresh`'s state onto the caller's `original` and return `fresh`."""
    original.__dict__.update(
        {
            key: value
            for key, value in fresh.__dict__.items()
            if key not in ("_state", "_prefetched_objects_cache")
        }
    )
    # Related objects cached on the caller's copy (an owner, a merge target) may be
    # stale now; take the fresh ones, and drop prefetched sets.
    original._state.fields_cache = dict(fresh._state.fields_cache)
    original.__dict__.pop("_prefetched_objects_cache", None)
    return fresh


class Action(Generic[M, R]):
    """One change by one person to one target row; see the module docstring.

    Subclasses set `model` and `lock_touch_field`, and override the hooks they need;
    every hook but `execute()` may be overridden.
    """

    model: ClassVar[type[models.Model]]
    # A field a no-op write may touch to take SQLite's write lock (see `lock_rows`).
    lock_touch_field: ClassVar[str]
    # Related rows read with the locked target, so checks and e-mails need no query.
    lock_select_related: ClassVar[tuple[str, ...]] = ()
    # Whether the caller's object is brought up to date after the action.
    updates_caller: ClassVar[bool] = True
    # The refusal raised for rights; an app may raise a subclass it already exposes.
    permission_denied: ClassVar[type[ActionPermissionDenied]] = ActionPermissionDenied

    def __init__(self, target: M, *, by: User) -> None:
        self.target = target
        self.by = by
        # The row as `check()` sees it: the caller's copy until `execute()` locks it.
        self.locked: M = target

    # --- The pipeline ---------------------------------------------------------------------

    def execute(self) -> R:
        """Run the whole pipeline (see the module docstring); raise on refusal."""
        self.clean()
        with transaction.atomic():
            self.locked = self.lock()
            self.check()
            if self.changes_anything():
                self.perform()
                self.record()
                self.side_effects()
        if self.updates_caller:
            self.sync_caller()
        return self.result()

    # --- Hooks --------------------------------------------------------------------------

    def clean(self) -> None:
        """Check the inputs that need no database, before any lock: by default, that
        someone is logged in. Subclasses normalise their texts here too."""
        if self.by is None or not self.by.is_authenticated:
            raise self.permission_denied(_("You must be logged in to do this."))

    def lock(self) -> M:
        """Lock the target row and return a fresh copy of it."""
        return self.lock_rows([self.target.pk])[self.target.pk]

    def lock_rows(self, pks: Collection[Any]) -> dict[Any, M]:
        return lock_rows(
            self.model,  # type: ignore[arg-type]
            pks,
            touch=self.lock_touch_field,
            select_related=self.lock_select_related,
        )

    def check(self) -> None:
        """Raise `ActionPermissionDenied` or `ActionNotAllowed` if the action may not run."""

    def changes_anything(self) -> bool:
        """False when the target already is as asked: nothing is written or recorded."""
        return True

    def perform(self) -> None:
        """The write itself, on `self.locked`."""

    def record(self) -> None:
        """Write the audit rows of what `perform()` did."""

    def side_effects(self) -> None:
        """Queue what leaves the database (e-mail, search updates) to run on commit."""

    def sync_caller(self) -> None:
        refresh_caller_copy(self.target, self.locked)

    def result(self) -> R:
        """What `execute()` returns: by default the fresh, changed target."""
        return self.locked  # type: ignore[return-value]


def execute_each(
    actions: Iterable[Action[Any, Any]],
) -> Iterator[tuple[Action[Any, Any], Exception | None]]:
    """Execute actions one after another, each in its own transaction.

    Yields each action with its refusal (None when it succeeded); `refusal_message`
    turns a refusal into words for the person. A refusal does not stop or undo the
    others; anything else (a programming error) propagates.
    """
    for action in actions:
        try:
            action.execute()
        except (ActionNotAllowed, PermissionDenied) as refused:
            yield action, refused
        else:
            yield action, None
