"""What the public and personal pages show, exactly, and their fixed query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fablab import selectors, services
from fablab.models import Booking, Clearance
from technopark.roles import EDITOR
from tests.conftest import make_staff
from tests.incubator.factories import StartupFactory

from .factories import (
    BookingFactory,
    ClearanceFactory,
    EngineeringSolutionFactory,
    EquipmentCategoryFactory,
    EquipmentFactory,
    FundingProjectFactory,
    SolutionPhotoFactory,
    slot,
)


@pytest.mark.django_db
def test_catalogue_card_shows_model_purpose_status_clearance_and_funding(client):
    laser = EquipmentCategoryFactory(name_en="Laser", slug="laser", order=2)
    printing = EquipmentCategoryFactory(name_en="3D printing", slug="printing", order=1)
    project = FundingProjectFactory(name_en="Rural Entrepreneurship", slug="rural")
    EquipmentFactory(
        category=laser,
        name_en="Trotec Speedy 400",
        model="Speedy 400",
        purpose_en="Engraving wood and acrylic",
        requires_clearance=True,
        funding_project=project,
    )
    EquipmentFactory(category=printing, name_en="Prusa MK4")
    EquipmentFactory(category=printing, name_en="Old printer", slug="old-printer", status="retired")
    page = client.get(reverse("fablab:index")).content.decode()
    # Grouped by category, in the categories' order.
    assert page.index(">3D printing</h2>") < page.index(">Laser</h2>")
    card = page[page.index("Trotec Speedy 400") :]
    card = card[: card.index("</article>")]
    for text in ("Model: Speedy 400", "Available", "Safety clearance required", "Engraving wood and acrylic"):
        assert text in card
    assert f'href="{project.get_absolute_url()}">Rural Entrepreneurship</a>' in card
    # A retired machine is not public (fablab.selectors.public_equipment): not listed, its page is 404.
    assert "Old printer" not in page
    assert client.get(reverse("fablab:equipment_detail", args=["old-printer"])).status_code == 404
    narrowed = client.get(reverse("fablab:index") + "?category=laser")
    assert [e.name for e in narrowed.context["page_obj"]] == ["Trotec Speedy 400"]


@pytest.mark.django_db
def test_solution_page_shows_team_equipment_photos_and_startup(client):
    startup = StartupFactory(name="SpaceAgro", slug="spaceagro")
    lathe = EquipmentFactory(name_en="Lathe", slug="lathe")
    solution = EngineeringSolutionFactory(
        title_en="Solar apricot dryer",
        slug="dryer",
        team="Otabek Rahimov, Sardor Aliyev",
        completed_on=datetime.date(2025, 2, 11),
        startup=startup,
        machines=[lathe],
    )
    SolutionPhotoFactory(solution=solution, caption_en="The frame")
    page = client.get(reverse("fablab:solution_detail", kwargs={"slug": "dryer"})).content.decode()
    assert '<h1 class="h2">Solar apricot dryer</h1>' in page
    assert "Completed: 11.02.2025" in page
    assert f'<a href="{startup.get_absolute_url()}">SpaceAgro</a>' in page
    assert "Otabek Rahimov, Sardor Aliyev" in page
    assert f'<a href="{lathe.get_absolute_url()}">Lathe</a>' in page
    assert '<figcaption class="small text-muted">The frame</figcaption>' in page
    assert client.get(reverse("fablab:solution_detail", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_funding_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        EquipmentFactory.create_batch(2, funding_project=FundingProjectFactory())
    with django_assert_num_queries(4):
        response = client.get(reverse("fablab:funding_list"))
    assert [p.equipment_count for p in response.context["page_obj"]] == [2] * count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_my_bookings_query_count_is_fixed_and_only_mine(
    client, django_assert_num_queries, user, other_user, machine, count
):
    for i in range(count):
        BookingFactory(equipment=EquipmentFactory(), user=user, start=slot(days=3 + i)[0])
    BookingFactory(equipment=machine, user=other_user)
    client.force_login(user)
    client.get(reverse("fablab:my_bookings"))  # warm the session and user
    with django_assert_num_queries(6):
        response = client.get(reverse("fablab:my_bookings"))
    assert [b.user for b in response.context["page_obj"]] == [user] * count
    assert response.content.decode().count('data-testid="booking-row"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_staff_day_query_count_is_fixed(client, django_assert_num_queries, manager, count):
    """1x and 10x the day's data: machines, bookings in every state the page shows (requested,
    confirmed, checked in, checked out, a startup's), maintenance windows."""
    for i in range(count):
        machine = EquipmentFactory()
        start = slot(days=2, hour=9 + i % 8)[0]
        kind = i % 4
        booking = BookingFactory(
            equipment=machine,
            start=start,
            status=Booking.Status.REQUESTED if kind == 0 else Booking.Status.CONFIRMED,
            startup=StartupFactory() if kind == 1 else None,
        )
        if kind >= 2:  # checked in (and, for the last kind, out again)
            Booking.objects.filter(pk=booking.pk).update(
                checked_in_at=start, checked_out_at=start + datetime.timedelta(minutes=30) if kind == 3 else None
            )
        services.maintenance_schedule(
            equipment=machine, start=slot(days=2, hour=17)[0], end=slot(days=2, hour=18)[0], reason="Belt"
        )
    client.force_login(manager)
    day = timezone.localdate() + datetime.timedelta(days=2)
    url = reverse("fablab:staff_day") + f"?date={day}"
    client.get(url)
    # (+1: the personal-data access record, security.audit, on the request's connection)
    with django_assert_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('data-testid="staff-booking"') == count
    assert html.count('data-testid="confirm-') == len([i for i in range(count) if i % 4 == 0])
    assert html.count('data-testid="check-in-') == len([i for i in range(count) if i % 4 == 1])
    assert html.count('data-testid="check-out-') == len([i for i in range(count) if i % 4 == 2])
    assert html.count('data-testid="checked-in-') == len([i for i in range(count) if i % 4 >= 2])
    assert html.count("Maintenance: Belt") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 4])
def test_dashboard_context_is_two_queries_and_only_mine(django_assert_num_queries, user, other_user, count):
    for i in range(count):
        BookingFactory(equipment=EquipmentFactory(), user=user, start=slot(days=3 + i)[0])
        ClearanceFactory(user=user)
    BookingFactory(user=other_user)
    ClearanceFactory(user=other_user)
    with django_assert_num_queries(2):
        context = selectors.dashboard_context(user)
        names = [(b.equipment.name, b.equipment.category.name) for b in context["fablab_bookings"]]
        categories = [c.category.name for c in context["fablab_clearances"]]
    assert len(names) == len(categories) == count
    assert {b.user_id for b in context["fablab_bookings"]} == {user.pk}


@pytest.mark.django_db
def test_usage_page_ladder(client, user, manager):
    url = reverse("fablab:staff_usage")
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(make_staff(EDITOR))
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url + "?year=2025")
    assert response.context["year"] == 2025
    assert "2025" in response.content.decode()


@pytest.mark.django_db
def test_admin_revokes_clearances(client, manager, user, other_user):
    active = ClearanceFactory(user=user)
    revoked = ClearanceFactory(user=other_user, revoked_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(manager)
    response = client.post(
        reverse("admin:fablab_clearance_changelist"),
        {"action": "revoke", "_selected_action": [active.pk, revoked.pk]},
        follow=True,
    )
    assert "1 clearance revoked." in response.content.decode()
    active.refresh_from_db()
    assert active.revoked_at is not None
    assert not Clearance.objects.valid().exists()
