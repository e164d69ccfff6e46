"""The page list of pages.py: what it leaves out really is no page.

The POST-only actions answer a GET with 405 (Method Not Allowed) even for the superuser, who passes
every sign-in and permission check in front of it, and the redirects answer a GET with a redirect.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse
from django.utils import translation

from .pages import POST_ONLY, REDIRECTS, url_names

EXAMPLE_VALUE = {
    converters.IntConverter: 1,
    converters.UUIDConverter: uuid.UUID(int=1),
}


def url_converters() -> dict[str, dict]:
    """URL name -> {argument: converter} of every named URL outside the admin."""
    found = {}

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                if not ns.startswith("admin"):
                    walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                found.setdefault(":".join(filter(None, [namespace, p.name])), p.pattern.converters)

    walk(get_resolver().url_patterns, "")
    return found


def example_path(name: str, arguments: dict) -> str:
    kwargs = {arg: EXAMPLE_VALUE.get(type(converter), "demo") for arg, converter in arguments.items()}
    with translation.override("uz"):
        return reverse(name, kwargs=kwargs or None)


def test_the_lists_name_real_addresses():
    names = {name for name, _takes_args in url_names()}
    assert sorted((POST_ONLY | REDIRECTS) - names) == []


@pytest.mark.django_db
def test_post_only_actions_answer_a_get_with_405(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="root@example.uz", password="x"))
    arguments = url_converters()
    answers = {name: client.get(example_path(name, arguments[name])).status_code for name in sorted(POST_ONLY)}
    assert {name: code for name, code in answers.items() if code != 405} == {}


@pytest.mark.django_db
def test_redirects_answer_a_get_with_a_redirect(client):
    arguments = url_converters()
    answers = {name: client.get(example_path(name, arguments[name])).status_code for name in sorted(REDIRECTS)}
    assert {name: code for name, code in answers.items() if code not in (301, 302, 303)} == {}
