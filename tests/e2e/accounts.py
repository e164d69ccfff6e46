"""Browser helpers for the sign-up journeys: confirm the address from the captured e-mail, log in."""

import re

from django.conf import settings
from django.core import mail

from tests.conftest import run_tasks

CONFIRM_LINK = re.compile(r"https?://\S+/account/confirm/[^/\s]+/")


def confirmation_link(email: str, site: str) -> str:
    """Run the task worker and return the confirmation link sent to ``email``, on the live server."""
    run_tasks()
    messages = [m for m in mail.outbox if m.to == [email]]
    assert messages, f"no e-mail to {email}"
    link = CONFIRM_LINK.search(messages[-1].body).group(0)
    return link.replace(settings.SITE_URL.rstrip("/"), site)


def confirm_and_log_in(page, site: str, email: str, password: str, *, expect_message: str = "") -> None:
    """Open the link from the e-mail, then log in on the page it leads to (in the e-mail's language)."""
    page.goto(confirmation_link(email, site))
    if expect_message:
        from playwright.sync_api import expect

        expect(page.get_by_role("alert")).to_have_text(expect_message)
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
