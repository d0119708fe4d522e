"""Bring the tags already on ideas into their one form (`ideas.tags.normalise_tag`).

Tags typed before the rule may differ only in case or spacing ("Sykkel", "sykkel",
"SYKKEL"), or be no tag at all ("<script>", "a"). For each form one tag is kept (the
one already written that way, else the oldest): it takes the form as its name and the
slug taggit gives that name, and the ideas and routing rules of the other spellings
move onto it without any idea carrying it twice. Tags that cannot be a tag are taken
off their ideas and deleted, with any routing rule on them (no idea can carry such a
tag any more, so the rule could never match).

Every statement works on sets of rows, so the cost grows with the number of tags, not
with the number of tagged ideas. Historical models send no signals, so the cached
figures are told here (portal.versions); search documents show the old names until
`manage.py reconcile_counts_and_index` runs (see README). Reversing does nothing: the
old spellings are not kept, and the earlier code reads the normalised tags as they are.

The rule is called, not copied: `ideas.tags` imports no models, so it is the same
rule the forms and services apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db import migrations
from django.db.models import Min
from django.utils.text import slugify

from ideas.tags import normalise_tag
from portal import versions

BATCH = 500  # ids per statement: well inside SQLite's limit on query parameters


def _batches(items: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _merge(TaggedIdea, RoutingRule, db: str, keep: int, others: list[int]) -> None:
    """Move the ideas and routing rules of the tags `others` onto the tag `keep`."""
    rows = TaggedIdea.objects.using(db).filter(tag_id__in=others)
    # An idea that already has the kept tag just loses the other spellings...
    already = TaggedIdea.objects.using(db).filter(tag_id=keep).values("content_object_id")
    rows.filter(content_object_id__in=already).delete()
    # ... and one with several other spellings keeps one of them (unique per idea).
    first = rows.values("content_object_id").annotate(first=Min("pk")).values("first")
    rows.exclude(pk__in=first).delete()
    rows.update(tag_id=keep)
    RoutingRule.objects.using(db).filter(tag_id__in=others).update(tag_id=keep)


def _slugs(kept: dict[int, tuple[str, str]]) -> dict[int, str]:
    """Each kept tag's slug: the one taggit gives its name (`TagBase.slugify`, without
    TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING), with taggit's `_<n>` when two names give the
    same one. Slugs that are already that stay as they are."""
    natural = {pk: slugify(name, allow_unicode=True) for pk, (name, _slug) in kept.items()}
    final = {pk: slug for pk, (_name, slug) in kept.items() if slug == natural[pk]}
    used = set(final.values())
    for pk in sorted(kept.keys() - final.keys()):
        slug, n = natural[pk], 0
        while slug in used:
            n += 1
            slug = f"{natural[pk]}_{n}"
        final[pk] = slug
        used.add(slug)
    return final


def normalise_existing_tags(apps, schema_editor) -> None:
    IdeaTag = apps.get_model("ideas", "IdeaTag")
    TaggedIdea = apps.get_model("ideas", "TaggedIdea")
    RoutingRule = apps.get_model("ideas", "RoutingRule")
    db = schema_editor.connection.alias

    by_form: dict[str, list[tuple[int, str, str]]] = {}
    invalid: list[int] = []
    for pk, name, slug in (
        IdeaTag.objects.using(db).order_by("pk").values_list("pk", "name", "slug")
    ):
        try:
            form = normalise_tag(name)
        except ValidationError:
            invalid.append(pk)
            continue
        by_form.setdefault(form, []).append((pk, name, slug))

    changed = bool(invalid)
    for batch in _batches(invalid):
        # Deleting the tags deletes their TaggedIdea rows and routing rules (CASCADE).
        IdeaTag.objects.using(db).filter(pk__in=batch).delete()

    kept: dict[int, tuple[str, str, str]] = {}  # pk -> (form, name, slug)
    for form, tags in by_form.items():
        pk, name, slug = next((tag for tag in tags if tag[1] == form), tags[0])
        others = [other for other, _name, _slug in tags if other != pk]
        if others:
            _merge(TaggedIdea, RoutingRule, db, pk, others)
            IdeaTag.objects.using(db).filter(pk__in=others).delete()
            changed = True
        kept[pk] = (form, name, slug)

    slugs = _slugs({pk: (form, slug) for pk, (form, _name, slug) in kept.items()})
    renamed = [pk for pk, (form, name, slug) in kept.items() if (form, slugs[pk]) != (name, slug)]
    if renamed:
        changed = True
        # Slugs are unique and may move from one kept tag to another ("sykkel_1" taking
        # "sykkel"), so all move through a placeholder no slug has ("~" is never in one)
        # and then to their place. Names cannot clash: after the merges each form is
        # carried by one tag only.
        placeholders = [IdeaTag(pk=pk, slug=f"~{pk}") for pk in renamed]
        IdeaTag.objects.using(db).bulk_update(placeholders, ["slug"], batch_size=BATCH)
        final = [IdeaTag(pk=pk, name=kept[pk][0], slug=slugs[pk]) for pk in renamed]
        IdeaTag.objects.using(db).bulk_update(final, ["name", "slug"], batch_size=BATCH)

    if changed:
        # What a save or delete of a tag bumps (see ideas.apps): counts per tag, the tag
        # filter's choices and every card that shows tags.
        versions.bump(versions.IDEAS, versions.PUBLIC_IDEAS, versions.LABELS)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0005_idea_hidden_reason"),
    ]

    operations = [
        migrations.RunPython(normalise_existing_tags, migrations.RunPython.noop, elidable=True),
    ]
