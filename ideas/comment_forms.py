"""The comment form: text, "notify me of replies", the parent for replies, a honeypot."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ideas.comment_services import MAX_COMMENT_LENGTH
from portal.forms import HoneypotMixin


def comment_text_field(*, label: Promise, help_text: Promise) -> forms.CharField:
    """The text of a comment, new or edited: the same limit and the same message when
    it is left empty as the service's (`comment_services._clean_text`)."""
    return forms.CharField(
        label=label,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"required": _("Write a comment before sending.")},
    )


class CommentForm(HoneypotMixin, forms.Form):
    comment = comment_text_field(
        label=_("Your comment"),
        help_text=_("Be kind and stay on topic. You can use simple Markdown."),
    )
    notify_replies = forms.BooleanField(
        label=_("Send me an e-mail when someone replies"), required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parent_id: int | None = None, **kwargs) -> None:
        if parent_id is not None:
            # Each reply form on the page needs its own element ids.
            kwargs.setdefault("auto_id", f"id_reply{parent_id}_%s")
            kwargs.setdefault("initial", {})["parent"] = parent_id
        super().__init__(*args, **kwargs)
        if parent_id is not None:
            self.fields["comment"].label = _("Your reply")
        self.parent_id = parent_id


class CommentEditForm(forms.Form):
    """The text of one's own comment, to correct it. Opened with the text as it is."""

    comment = comment_text_field(
        # Not "Your comment": that names the field for a new comment on the same page.
        label=_("Edit your comment"),
        help_text=_("You can use simple Markdown."),
    )

    def __init__(self, *args, comment_id: int, **kwargs) -> None:
        # Each of a person's comments on the page has its own form, with its own ids.
        kwargs.setdefault("auto_id", f"id_edit{comment_id}_%s")
        super().__init__(*args, **kwargs)
        self.comment_id = comment_id
