"""The notification centre, message settings and the staff's view of every message."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from notifications.models import Delivery, Notification, Preference
from technopark.roles import INCUBATOR_MANAGER
from tests.factories import UserFactory
from tests.notifications.messages import say_hello

pytestmark = pytest.mark.django_db


def test_the_centre_lists_only_my_messages_and_marks_them_read(client, django_assert_num_queries):
    me, other = UserFactory(preferred_language="en"), UserFactory()
    for _ in range(3):
        say_hello(me)
    say_hello(other)
    client.force_login(me)
    with translation.override("en"):
        url = reverse("notifications:centre")
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Telegram is linked") == 3
    assert len(response.context["unread_ids"]) == 3
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("count", [3, 30])
def test_the_centre_costs_the_same_queries_for_3_and_30_messages(client, django_assert_num_queries, count):
    me = UserFactory()
    for _ in range(count):
        say_hello(me)
    client.force_login(me)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(7):
        client.get(reverse("notifications:centre"))


def test_the_dashboard_shows_the_last_messages_and_the_unread_count(client):
    me = UserFactory(preferred_language="en")
    for _ in range(7):
        say_hello(me)
    client.force_login(me)
    with translation.override("en"):
        content = client.get(reverse("dashboard")).content.decode()
    assert "7 new" in content
    assert content.count("Telegram is linked") == 5


def test_preferences_are_saved_per_topic_and_required_topics_are_not_offered(client):
    me = UserFactory()
    client.force_login(me)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "tests__email" in page
    assert "account__email" not in page  # confirmation and password reset always go by e-mail
    client.post(url, {"tests__telegram": "on"})
    preference = Preference.objects.get(user=me, topic="tests")
    assert (preference.email, preference.telegram) == (False, True)


def test_staff_see_every_delivery_and_resend_a_failed_one(admin_client, tasks):
    person = UserFactory()
    say_hello(person)
    delivery = Delivery.objects.get()
    delivery.status = Delivery.Status.FAILED
    delivery.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    delivery.save()
    changelist = admin_client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert person.email in changelist and "SMTPServerDisconnected" in changelist
    admin_client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "resend", "_selected_action": [delivery.pk]},
    )
    tasks()
    assert list(Delivery.objects.order_by("id").values_list("status", flat=True)) == ["failed", "sent"]


def test_a_manager_without_the_permission_cannot_open_the_outbox(client):
    manager = UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name=INCUBATOR_MANAGER))
    client.force_login(manager)
    assert client.get(reverse("admin:notifications_delivery_changelist")).status_code == 403
