from django.core.management.base import BaseCommand

from portal.ratelimit import clear_expired_counters


class Command(BaseCommand):
    help = "Delete rate-limit counters whose window has ended. Run it daily from cron."

    def handle(self, *args, **options) -> None:
        deleted = clear_expired_counters()
        self.stdout.write(f"Deleted {deleted} expired rate-limit counters.")
