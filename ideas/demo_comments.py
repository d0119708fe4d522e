"""Comment threads for the demo municipality: questions, replies and the unit's answers.

Runs after the demo ideas exist and before the lifecycle closes some of them (comments
close when an idea is concluded). Idempotent: ideas that already have comments are left
alone.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_comments_xtd.models import XtdComment

from ideas.comment_services import comment_post
from ideas.comments import comment_policy
from ideas.models import Idea
from portal.demo import BUSINESS_MEMBERS, CITIZENS
from portal.models import User

COMMENTS = [
    "Godt forslag! Dette har vi savnet i nabolaget vårt i flere år.",
    "Har dere tenkt på hvordan dette kan fungere for dem som ikke bruker smarttelefon?",
    "Vi i velforeningen vil gjerne være med og prøve dette ut i liten skala først.",
    "Kan dette kobles til det som allerede finnes på biblioteket? Da slipper vi å starte fra null.",
    "Jeg støtter ideen, men lurer på hva det vil koste å drifte over tid.",
    "Flott at noen tar tak i dette. Hvem i kommunen bør vi snakke med for å komme videre?",
    "I nabokommunen prøvde de noe lignende i fjor – det kan være lurt å høre hva de lærte.",
    "Viktig å ta med ungdommene selv når dette skal utformes.",
]
REPLIES = [
    "Takk! Ja, en liten pilot først høres klokt ut.",
    "Godt poeng – det tar jeg med når ideen skal utvikles videre.",
    "Det vet jeg ikke ennå, men jeg tar gjerne en prat med dem.",
    "Enig, det må være enkelt for alle å bruke.",
]
UNIT_ANSWERS = [
    "Takk for innspillet. Vi ser på dette sammen med de andre ideene om samme tema og "
    "kommer tilbake med svar.",
    "Vi har tatt ideen med i planarbeidet for neste år. Følg ideen for å få beskjed når "
    "det skjer noe.",
    "Dette henger sammen med et prosjekt vi allerede har startet. Vi tar kontakt for å høre mer.",
]


def seed(*, every: int = 3) -> int:
    """Give every `every`-th demo idea a thread. Returns the number of comments posted."""
    participants = list(
        User.objects.filter(
            email__in=[email for email, *_ in CITIZENS] + [email for email, *_ in BUSINESS_MEMBERS]
        ).order_by("email")
    )
    if not participants:
        return 0
    idea_type = ContentType.objects.get_for_model(Idea)
    already = set(
        XtdComment.objects.filter(content_type=idea_type).values_list("object_pk", flat=True)
    )
    # All of Fjordvik's demo ideas, whatever their status, so that the choice of ideas is
    # the same on every run (the neighbours' ideas, and those on the joint challenge
    # Fjordvik leads, come later, in ideas.demo_region); ideas already closed for
    # comments are skipped below.
    ideas = (
        Idea.objects.filter(author__in=participants, municipality__slug="fjordvik")
        .exclude(challenge__partner_municipalities__isnull=False)
        .select_related("author", "owning_unit")
        .order_by("reference")
    )
    posted = 0
    queued_before = len(connection.run_on_commit)
    for number, idea in enumerate(ideas):
        if number % every or str(idea.pk) in already:
            continue
        commenter = next(
            person
            for person in participants[number % len(participants) :] + participants
            if person.pk != idea.author_id
        )
        if not comment_policy.can_post(commenter, idea):
            continue
        comment = comment_post(idea=idea, author=commenter, text=COMMENTS[number % len(COMMENTS)])
        posted += 1
        if number % 2 == 0:
            comment_post(
                idea=idea, author=idea.author, text=REPLIES[number % len(REPLIES)], parent=comment
            )
            posted += 1
        staff = idea.owning_unit.staff.order_by("pk").first() if idea.owning_unit else None
        if staff is not None and number % 3 == 0:
            comment_post(idea=idea, author=staff, text=UNIT_ANSWERS[number % len(UNIT_ANSWERS)])
            posted += 1
    # Nobody should get e-mail about demo comments; the search seeder indexes everything
    # at the end, so the per-comment index updates are dropped as well.
    del connection.run_on_commit[queued_before:]
    return posted
