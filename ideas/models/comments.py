"""What authors changed in their comments: one row per edit or deletion.

The comment itself is django-comments-xtd's row, which holds what is shown now and has
no place for "edited when". Rather than widen a third-party table, each change by the
author leaves a row here: the latest edit's time is the "edited" marker on the idea
page, and the text as it was before stays for the moderators (a reported comment
edited or deleted afterwards can still be judged).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentRevision(models.Model):
    class Kind(models.TextChoices):
        EDITED = "edited", _("Edited by its author")
        DELETED = "deleted", _("Deleted by its author")

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("comment"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    previous_text = models.TextField(_("text before the change"))
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")
        ordering = ["comment", "created_at", "pk"]
        constraints = [
            # A comment is deleted once; the idea page and the services rely on it.
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(kind="deleted"),
                name="ideas_commentrevision_one_deletion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.comment_id}"
