"""`manage.py municipal_home <slug> [--hostname H] [--port P]`: give a municipality its
own part of the site (see challenges.municipal_sites and docs/regional.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from challenges.municipal_sites import MunicipalSiteError, ensure_home
from portal.municipalities import Municipality


class Command(BaseCommand):
    help = (
        "Create a municipality's home page and challenge index below /<slug>/, and with "
        "--hostname a Wagtail site of its own. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="The municipality's slug, e.g. fjordvik.")
        parser.add_argument("--hostname", default="", help="Its own hostname, if any.")
        parser.add_argument("--port", type=int, default=80, help="The port of that hostname.")

    def handle(self, *args, slug: str, hostname: str, port: int, **options) -> None:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality has the slug “{slug}”.")
        try:
            home = ensure_home(municipality, hostname=hostname, port=port)
        except MunicipalSiteError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{municipality.name}: {home.url_path} (page {home.pk})")
        if hostname:
            self.stdout.write(f"Own site: {hostname}:{port}")
