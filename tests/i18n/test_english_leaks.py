"""No English from Django or the packages on an Uzbek or Russian page (issue 15, item 1).

Every public, signed-in and staff page (found from the URL resolver, see pages.py) and the
admin's index, app pages, changelists, add/change/history/delete pages and export pages are
rendered in Uzbek and Russian, as the visitor, the demo young person, the superuser and the role
that uses them. The visible text (text nodes, title/alt/placeholder/aria-label, button values)
must not show any msgid of Django's or the packages' English catalogues (english.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from .english import english_leaks
from .pages import EXAMPLES, NOT_PAGES, Page, admin_pages, site_pages, url_names
from .visible_text import visible_lines

LANGUAGES = ["uz", "ru"]
PASSWORD = "Asaka-Robotics-2025"


def check(client, pages, lang):
    users = {u.email: u for u in get_user_model().objects.filter(email__in={e for p in pages for e in p.users if e})}
    leaks, checked, skipped = {}, 0, []
    for user_email in sorted({e for p in pages for e in p.users}, key=lambda e: e or ""):
        client.logout()
        if user_email:
            client.force_login(users[user_email])
        for page in pages:
            if user_email not in page.users:
                continue
            path = page.path_in(lang)
            response = getattr(client, page.method)(path, dict(page.data))
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                skipped.append((user_email, path, response.status_code))
                continue
            checked += 1
            for line, msgid in english_leaks(visible_lines(response.content.decode()), lang):
                leaks.setdefault((path, line), (user_email, msgid))
    for (path, line), (who, msgid) in sorted(leaks.items()):
        print(f"LEAK {lang} {path} [{who or 'anonymous'}] {line[:100]!r} <- {msgid[:60]!r}")
    print(f"\n{lang}: {checked} page views checked; not HTML or not 200 (redirect, 403, 404): {len(skipped)}")
    return leaks, checked, skipped


def test_every_page_is_covered():
    """A new page with URL arguments needs an example (pages.EXAMPLES) or a place in NOT_PAGES."""
    missing = [
        name for name, takes_args in url_names() if takes_args and name not in EXAMPLES | dict.fromkeys(NOT_PAGES)
    ]
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_site_pages_show_no_english(client, demo_data, lang):
    pages = site_pages()
    leaks, checked, _skipped = check(client, pages, lang)
    assert checked >= 100
    assert leaks == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_admin_pages_show_no_english(client, demo_data, lang):
    pages = admin_pages()
    leaks, checked, _skipped = check(client, pages, lang)
    assert checked >= 150
    assert leaks == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_with_errors_show_no_english(client, demo_data, lang):
    """Error states: the sign-up form refusing a common password, an empty admin add form, the
    admin's delete-selected confirmation and an added object's success message."""
    from technopark.models import District, NewsArticle

    prefix = "" if lang == "uz" else f"/{lang}"
    pages = [
        Page(
            "signup",
            "/account/signup/",
            (None,),
            "post",
            (
                ("full_name", "Kamola Yusupova"),
                ("email", "kamola@example.uz"),
                ("password1", "password"),
                ("password2", "password"),
                ("phone", "+99890"),
                ("birth_date", "2999-01-01"),
            ),
        ),  # fmt: skip
        Page(
            "password_change", "/account/password/change/", ("youth@technopark.uz",), "post", (("old_password", "x"),)
        ),
        Page("admin:add", "/admin/technopark/district/add/", ("admin@technopark.uz",), "post", ()),
        Page(
            "admin:delete_selected",
            "/admin/technopark/newsarticle/",
            ("admin@technopark.uz",),
            "post",
            (("action", "delete_selected"), ("_selected_action", NewsArticle.objects.first().pk)),
        ),
    ]
    leaks, checked, skipped = check(client, pages, lang)
    assert (checked, skipped) == (4, [])
    assert leaks == {}

    # The admin's success message after a change ("The … “…” was changed successfully").
    district = District.objects.order_by("pk").first()
    client.force_login(get_user_model().objects.get(email="admin@technopark.uz"))
    response = client.get(f"{prefix}/admin/technopark/district/{district.pk}/change/")
    form = response.context["adminform"].form
    # Unticked boxes and empty values are left out; a 0 (the first district's "order") is kept:
    # `0 in (None, False)` is true, and the form refused the change without it.
    data = {
        name: ("on" if value is True else value)
        for name, value in form.initial.items()
        if value is not None and value is not False
    }
    response = client.post(f"{prefix}/admin/technopark/district/{district.pk}/change/", data, follow=True)
    with translation.override(lang):
        lines = visible_lines(response.content.decode())
    assert [m.message for m in response.context["messages"]]  # a message was shown
    assert english_leaks(lines, lang) == []
