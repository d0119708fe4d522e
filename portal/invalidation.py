"""Which rows feed which cached pages and search documents: one registry for all writes.

Cached pages are correct only if every write that changes what they show bumps the
right version (`portal.versions`), re-checks the search documents it touches and keeps
derived counts equal to their rows. Left to each write path, that is a convention, and
conventions get forgotten: a rename in an admin, a cascade when a user is deleted, a
third-party action. So each app says here, once, in its `AppConfig.ready()`, what its
models feed:

    invalidation.register(Theme, versions=(versions.LABELS,))
    invalidation.register(Vote, versions=(versions.SUPPORT,), recount=recount_support)
    invalidation.register(Theme, reindex=documents_of_theme)   # by the search app

and the registry connects `post_save`, `post_delete` and `m2m_changed` for every model
in it. Those are framework signals, sent by the ORM whoever writes: our services, the
Wagtail admin, django-taggit, django-comments-xtd, cascades. A write path added later
cannot forget what it has no say in. Queryset `.update()` sends no signal: registered
models that the admin or our code update in bulk use `InvalidatingQuerySet` as their
manager, and ideas keep their own (`ideas.models.IdeaWritesQuerySet`).

For one change the registry, in this order:
1. runs `recount` callbacks at once, in the writing transaction (derived counts);
2. bumps `versions` (at once and on commit, see `portal.versions.bump`);
3. hands `reindex` results, (model label, pk) pairs, to the reindexer the search app
   installed with `set_reindexer`; it queues index updates on commit.

Dependencies stay one way: portal knows nothing of the apps that register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import versions as versions_module

SAVED, DELETED, RELATED = "saved", "deleted", "related"

_M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}


@dataclass(frozen=True)
class Change:
    """One write the ORM reported."""

    model: type[models.Model]
    instance: models.Model  # the row saved or deleted; for m2m, the object whose set changed
    kind: Literal["saved", "deleted", "related"]
    created: bool = False
    update_fields: frozenset[str] | None = None  # None: every field may have changed
    related_pks: frozenset = frozenset()  # m2m: pks of the other side (empty on clear)
    reverse: bool = False  # m2m: changed from the other side of the relation
    origin: object = None  # delete: the instance or queryset whose deletion caused this

    def touches(self, fields: Iterable[str]) -> bool:
        return self.update_fields is None or bool(self.update_fields.intersection(fields))


VersionsSpec = tuple[str, ...] | Callable[[Change], Iterable[str]]
Keys = Iterable[tuple[str, int]]


@dataclass
class Rule:
    versions: VersionsSpec = ()
    reindex: Callable[[Change], Keys] | None = None
    recount: Callable[[Change], None] | None = None
    fields: frozenset[str] | None = None  # saves touching none of these change nothing

    def applies_to(self, change: Change) -> bool:
        return change.kind != SAVED or self.fields is None or change.touches(self.fields)

    def versions_for(self, change: Change) -> Iterable[str]:
        return self.versions(change) if callable(self.versions) else self.versions

    def keys_for(self, change: Change) -> Keys:
        return self.reindex(change) if self.reindex is not None else ()


@dataclass
class _Entry:
    model: type[models.Model]
    rules: list[Rule] = field(default_factory=list)


_registry: dict[type[models.Model], _Entry] = {}
_reindexer: Callable[[Keys], None] | None = None


def register(
    model: type[models.Model],
    *,
    versions: VersionsSpec = (),
    reindex: Callable[[Change], Keys] | None = None,
    recount: Callable[[Change], None] | None = None,
    fields: Iterable[str] | None = None,
) -> None:
    """Declare what writes to `model` change; connect the ORM's signals for it.

    `versions`: the version names to bump, or a callable choosing them per change.
    `reindex`: returns the (model label, pk) of the search documents to re-check.
    `recount`: updates derived data in the writing transaction.
    `fields`: a save whose `update_fields` names none of these is ignored (deletes and
    m2m changes never are).
    A model may be registered by several apps; every rule applies.
    """
    entry = _registry.get(model)
    if entry is None:
        entry = _registry[model] = _Entry(model)
        uid = f"portal_invalidation_{model._meta.label_lower}"
        # Connected per model: a receiver without a sender would stop Django from
        # deleting any other model's rows in one statement.
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "_saved", weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "_deleted", weak=False)
        # m2m_changed is sent with the through model as sender: registering a through
        # model (e.g. `Unit.staff.through`) covers `.add()`, `.remove()` and `.clear()`.
        m2m_changed.connect(_related, sender=model, dispatch_uid=uid + "_related", weak=False)
    entry.rules.append(
        Rule(
            versions=versions,
            reindex=reindex,
            recount=recount,
            fields=frozenset(fields) if fields is not None else None,
        )
    )


def set_reindexer(reindexer: Callable[[Keys], None]) -> None:
    """Install what queues search index updates (the search app does, in its ready())."""
    global _reindexer
    _reindexer = reindexer


def reindex(*instances: models.Model) -> None:
    """Have these objects' search documents re-checked after commit.

    For writes the ORM reports no signal for (queryset `update()`), and for services
    that change what a document shows through another model's rows. Apps below the
    search app call this instead of importing it; without a reindexer installed it
    does nothing.
    """
    if _reindexer is not None and instances:
        _reindexer(sorted({(obj._meta.label_lower, obj.pk) for obj in instances}))


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def rules_for(model: type[models.Model]) -> list[Rule]:
    entry = _registry.get(model)
    return list(entry.rules) if entry else []


def handle(change: Change) -> None:
    """Apply every rule registered for `change.model` (what the signal receivers do)."""
    entry = _registry.get(change.model)
    if entry is None:
        return
    rules = [rule for rule in entry.rules if rule.applies_to(change)]
    # Counts first: the versions bumped next must describe the recounted rows.
    _recount(rules, change)
    _bump(rules, change)
    _queue_reindex(rules, change)


def _recount(rules: list[Rule], change: Change) -> None:
    for rule in rules:
        if rule.recount is not None:
            rule.recount(change)


def _bump(rules: list[Rule], change: Change) -> None:
    names = {name for rule in rules for name in rule.versions_for(change)}
    if names:
        versions_module.bump(*sorted(names))


def _queue_reindex(rules: list[Rule], change: Change) -> None:
    if _reindexer is None:
        return
    keys = {key for rule in rules for key in rule.keys_for(change)}
    if keys:
        _reindexer(sorted(keys))


class InvalidatingQuerySet(models.QuerySet):
    """A queryset whose `.update()` reaches the registry like a save of each row.

    Django sends no signal for `update()` (`delete()` sends post_delete per row whenever
    a receiver is connected, so it needs nothing here). Worth one extra query for the
    small tables that use it: themes, units, organisations.
    """

    def update(self, **kwargs) -> int:
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        if updated and self.model in _registry:
            for instance in self.model._base_manager.filter(pk__in=pks):
                handle(
                    Change(
                        model=self.model,
                        instance=instance,
                        kind=SAVED,
                        update_fields=frozenset(kwargs),
                    )
                )
        return updated


def _saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    handle(
        Change(
            model=sender,
            instance=instance,
            kind=SAVED,
            created=created,
            update_fields=frozenset(update_fields) if update_fields is not None else None,
        )
    )


def _deleted(sender, instance, origin=None, **kwargs) -> None:
    handle(Change(model=sender, instance=instance, kind=DELETED, origin=origin))


def _related(sender, instance, action, reverse, pk_set=None, **kwargs) -> None:
    if action not in _M2M_ACTIONS:
        return
    handle(
        Change(
            model=sender,
            instance=instance,
            kind=RELATED,
            related_pks=frozenset(pk_set or ()),
            reverse=reverse,
        )
    )
