"""Writes concerning accounts and municipalities' people. Views validate input and call
these."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.absolute_urls import absolute_url
from portal.emails import queue_email
from portal.models import Municipality, User
from portal.ratelimit import account_email_allowed
from portal.tokens import email_confirmation_token


def confirmation_url(*, user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return absolute_url(
        reverse("accounts:confirm_email", kwargs={"uidb64": uidb64, "token": token})
    )


def user_signup(*, email: str, password: str, display_name: str) -> User | None:
    """Create an inactive account and send the confirmation link after commit.

    The account becomes active only through `user_confirm_email`, so nobody can
    participate with an address they do not control. If the address already has an
    account, nothing is created: its owner gets an e-mail pointing to log-in and
    password reset instead, and the visitor sees the same answer either way, so the
    form cannot be used to find out who has an account. Returns the new user or None.

    Account e-mails to one address are capped per hour (`account_email_allowed`), so
    the form cannot be used to flood someone's inbox; above the cap nothing is sent.
    """
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User(email=email, display_name=display_name.strip(), is_active=False)
            user.set_password(password)
            user.save()
    except IntegrityError:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and account_email_allowed(existing.email):
            queue_email(
                template="portal/emails/already_registered",
                context={
                    "user": existing,
                    "login_url": absolute_url(reverse("accounts:login")),
                    "reset_url": absolute_url(reverse("accounts:password_reset")),
                },
                to=[existing.email],
            )
        return None
    if account_email_allowed(user.email):
        queue_email(
            template="portal/emails/confirm_email",
            context={"user": user, "url": confirmation_url(user=user)},
            to=[user.email],
        )
    return user


def user_resend_confirmation(*, email: str) -> bool:
    """Send a new confirmation link to an unconfirmed account, if there is one.

    Returns whether a link was sent (not above the hourly cap of account e-mails to the
    address); callers must not reveal that to the visitor, so that the form cannot be
    used to find out who has an account.
    """
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True
    ).first()
    if user is None or not account_email_allowed(user.email):
        return False
    queue_email(
        template="portal/emails/confirm_email",
        context={"user": user, "url": confirmation_url(user=user)},
        to=[user.email],
    )
    return True


def user_confirm_email(*, user: User, token: str) -> bool:
    """Activate the account if the token is valid. Returns whether it was confirmed."""
    if not email_confirmation_token.check_token(user, token):
        return False
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email_confirmed_at is not None:
            return False
        locked.email_confirmed_at = timezone.now()
        locked.is_active = True
        locked.save(update_fields=["email_confirmed_at", "is_active"])
    user.refresh_from_db()
    return True


def user_update_profile(*, user: User, display_name: str, first_name: str, last_name: str) -> User:
    user.display_name = display_name.strip()
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["display_name", "first_name", "last_name"])
    return user


# --- A municipality's people in the Wagtail admin (docs/regional.md, "People") ------------

# Page permissions on the municipality's subtree. Editors write and submit for
# moderation, as the platform's own Editors group does; administrators also publish,
# lock and delete.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
ADMINISTRATOR_PAGE_PERMISSIONS = (
    *EDITOR_PAGE_PERMISSIONS,
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
# Collection permissions on the municipality's collection (and the ones below it).
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
)
ADMINISTRATOR_COLLECTION_PERMISSIONS = (
    *EDITOR_COLLECTION_PERMISSIONS,
    ("wagtailcore", "add_collection"),
    ("wagtailcore", "change_collection"),
    ("wagtailcore", "delete_collection"),
)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_named(group: Group | None, name: str, *, fallback: str) -> Group:
    """The municipality's group (made if missing), named `name`, or `fallback` if
    another group already has that name (group names are unique)."""
    taken = Group.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        name = fallback
    if group is None:
        return Group.objects.create(name=name)
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def _collection_for(municipality: Municipality) -> Collection:
    collection = municipality.collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=municipality.name)
    elif collection.name != municipality.name:
        collection.name = municipality.name
        collection.save(update_fields=["name"])
    return collection


def _grant(
    group: Group,
    *,
    root_page: Page | None,
    page_codenames: tuple[str, ...],
    collection: Collection,
    collection_permissions: tuple[tuple[str, str], ...],
) -> None:
    """Give `group` exactly these permissions: whatever it had elsewhere goes (a
    municipality's group never reaches another municipality's pages or files)."""
    group.permissions.set([_permission("wagtailadmin", "access_admin")])
    GroupPagePermission.objects.filter(group=group).exclude(page=root_page).delete()
    if root_page is not None:
        GroupPagePermission.objects.filter(group=group, page=root_page).exclude(
            permission__codename__in=page_codenames
        ).delete()
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission("wagtailcore", codename)
            )
    wanted = [_permission(app, codename) for app, codename in collection_permissions]
    GroupCollectionPermission.objects.filter(group=group).exclude(
        collection=collection, permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


@transaction.atomic
def municipality_groups_update(
    *, municipality: Municipality, root_page: Page | None = None
) -> tuple[Group, Group]:
    """Make or bring up to date the municipality's Wagtail groups and collection.

    Returns `(administrators, editors)`. Both groups reach the Wagtail admin, add, edit
    and choose images and documents in the municipality's own collection (made here,
    named after it), and edit the pages below `root_page` (the municipality's home
    page; None: no pages yet, and any page permission they had is taken away).
    Administrators also publish pages and manage the collection; being in the
    administrators group is what makes someone the municipality's administrator
    (`portal.roles`). Safe to run again: after renaming the municipality or moving its
    home page, the groups, the collection and the permissions follow. Members are
    never touched.
    """
    caller_copy = municipality
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    collection = _collection_for(municipality)
    # Named in the site's language, whoever runs this: a name must not change with the
    # language of the request that happened to run it.
    with translation.override(settings.LANGUAGE_CODE):
        administrators_name = _("%(municipality)s: administrators")
        editors_name = _("%(municipality)s: editors")
    administrators = _group_named(
        municipality.administrators_group,
        administrators_name % {"municipality": municipality.name},
        fallback=f"{municipality.slug}: administrators",
    )
    editors = _group_named(
        municipality.editors_group,
        editors_name % {"municipality": municipality.name},
        fallback=f"{municipality.slug}: editors",
    )
    _grant(
        administrators,
        root_page=root_page,
        page_codenames=ADMINISTRATOR_PAGE_PERMISSIONS,
        collection=collection,
        collection_permissions=ADMINISTRATOR_COLLECTION_PERMISSIONS,
    )
    _grant(
        editors,
        root_page=root_page,
        page_codenames=EDITOR_PAGE_PERMISSIONS,
        collection=collection,
        collection_permissions=EDITOR_COLLECTION_PERMISSIONS,
    )
    workflow = _workflow_for(municipality, administrators=administrators, root_page=root_page)
    municipality.administrators_group = administrators
    municipality.editors_group = editors
    municipality.collection = collection
    municipality.workflow = workflow
    fields = ["administrators_group", "editors_group", "collection", "workflow"]
    municipality.save(update_fields=fields)
    for name in fields:
        setattr(caller_copy, name, getattr(municipality, name))
    return administrators, editors


# The names of a municipality's page workflow and its one task, stored in the site's
# language (Wagtail has one name); `english_workflow_names` gives them in English, for
# `cms` to store beside them (cms.workflow_names).
WORKFLOW_NAME = gettext_noop("%(municipality)s: page approval")
TASK_NAME = gettext_noop("%(municipality)s: administrators approve")


def workflow_names(municipality: Municipality, language: str) -> tuple[str, str]:
    """(workflow name, task name) of the municipality's page workflow in `language`."""
    with translation.override(language):
        return (
            _(WORKFLOW_NAME) % {"municipality": municipality.name},
            _(TASK_NAME) % {"municipality": municipality.name},
        )


def _workflow_for(
    municipality: Municipality, *, administrators: Group, root_page: Page | None
) -> Workflow:
    """The municipality's page workflow: one task, approved by its administrators, on
    its home page (`root_page`), so what its editors submit below it goes to its own
    administrators rather than to the platform's moderators. Wagtail takes the nearest
    workflow above a page, so the rest of the site keeps its default one."""
    name, task_name = workflow_names(municipality, settings.LANGUAGE_CODE)
    workflow = municipality.workflow
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
    elif (workflow.name, workflow.active) != (name, True):
        workflow.name, workflow.active = name, True
        workflow.save(update_fields=["name", "active"])
    step = WorkflowTask.objects.filter(workflow=workflow).select_related("task").first()
    if step is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        task = step.task.specific
        if task.name != task_name:
            task.name = task_name
            task.save(update_fields=["name"])
    # A task an administrator has replaced by another kind is theirs to keep.
    if isinstance(task, GroupApprovalTask):
        task.groups.set([administrators])
    WorkflowPage.objects.filter(workflow=workflow).exclude(page=root_page).delete()
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    return workflow
