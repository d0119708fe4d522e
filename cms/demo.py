"""The demo's part from this app: the Wagtail site and home page everything hangs under."""

from __future__ import annotations

from cms.site import ensure_site
from portal import demo


@demo.step(5, "site")
def seed_site() -> None:
    ensure_site()
