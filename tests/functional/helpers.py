"""Shared steps of the browser tests."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    """Give the browser a signed-in session for `user` (as if they had used the login page)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def assert_accessible(axe) -> None:
    """axe-core finds no serious or critical violations on the current page."""
    serious = [v for v in axe() if v["impact"] in {"serious", "critical"}]
    assert serious == [], [(v["id"], [n["html"][:300] for n in v["nodes"]]) for v in serious]
