from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the comment policy (a django-comments-xtd moderator) for Idea, and
        # the system checks of the attachment settings.
        from django.db.models.signals import post_delete, post_save
        from django_comments import get_model as get_comment_model

        from ideas import checks, comments  # noqa: F401

        # Framework boundary: comments are saved by django-comments-xtd, whose views and
        # moderation write them; idea pages cached under the IDEAS version show them.
        def comments_changed(**kwargs) -> None:
            from portal import versions

            versions.bump(versions.IDEAS)

        model = get_comment_model()
        post_save.connect(comments_changed, sender=model, dispatch_uid="ideas_comment_saved")
        post_delete.connect(comments_changed, sender=model, dispatch_uid="ideas_comment_deleted")
