import datetime
import io

import pytest

from fablab import seed
from fablab.models import Booking, Clearance, EngineeringSolution, Equipment, FundingProject, TimeBlock
from technopark import seed as core


@pytest.mark.django_db
def test_seed_is_the_press_release_data_and_idempotent():
    core.run(stdout=io.StringIO())
    seed.run(stdout=io.StringIO())
    counts = (Equipment.objects.count(), Booking.objects.count(), Clearance.objects.count(), TimeBlock.objects.count())
    out = io.StringIO()
    seed.run(stdout=out)
    assert (
        Equipment.objects.count(),
        Booking.objects.count(),
        Clearance.objects.count(),
        TimeBlock.objects.count(),
    ) == counts
    assert "new: 0 clearances, 0 bookings, 0 maintenance windows" in out.getvalue()

    project = FundingProject.objects.get(name_en="Development of Rural Entrepreneurship in the Fergana Valley")
    assert project.funder_en == "International Bank for Reconstruction and Development"
    assert project.equipment.count() == 15
    assert Equipment.objects.filter(funding_project__isnull=True).count() == 6
    assert (
        EngineeringSolution.objects.filter(
            completed_on__gte=datetime.date(2025, 1, 1), completed_on__lte=datetime.date(2025, 6, 30)
        ).count()
        == 12
    )
    youth = list(
        Booking.objects.filter(user__email="youth@technopark.uz").order_by("start").values_list("status", flat=True)
    )
    assert youth == ["completed", "confirmed"]
    assert Clearance.objects.filter(user__email="youth@technopark.uz", category__slug="laser").count() == 1
    people = Booking.objects.values("user").distinct().count()
    assert people == 101  # youth_pool(100, offset=5900) and youth@technopark.uz
    assert Booking.objects.filter(status__in=["requested", "confirmed"]).count() > 100


@pytest.mark.django_db
def test_seed_scale_two_repeats_the_people_rows_with_other_people():
    core.run(stdout=io.StringIO())
    seed.run(stdout=io.StringIO())
    one = {
        "bookings": Booking.objects.count(),
        "clearances": Clearance.objects.count(),
        "people": Booking.objects.values("user").distinct().count(),
    }
    out = io.StringIO()
    seed.run(stdout=out, scale=2)  # the first block exists: only the second one is added
    new_bookings = Booking.objects.count() - one["bookings"]
    assert f"new: {Clearance.objects.count() - one['clearances']} clearances, {new_bookings} bookings" in out.getvalue()
    # The second block: 100 other people (youth_pool offset 105900), about as many bookings, half a
    # year further back, so all of them are over (completed, cancelled or rejected).
    second = Booking.objects.filter(user__email__startswith="youth105")
    assert second.values("user").distinct().count() == 100
    assert second.count() == new_bookings
    assert 0.8 * one["bookings"] < new_bookings < 1.2 * one["bookings"]
    assert not second.filter(status__in=["requested", "confirmed"]).exists()
    assert Booking.objects.values("user").distinct().count() == one["people"] + 100
    # The machines, the IBRD project and the solutions are not repeated.
    assert (Equipment.objects.count(), EngineeringSolution.objects.count()) == (21, 12)
    # And a third run at scale 2 changes nothing.
    counts = (Booking.objects.count(), Clearance.objects.count(), TimeBlock.objects.count())
    seed.run(stdout=io.StringIO(), scale=2)
    assert (Booking.objects.count(), Clearance.objects.count(), TimeBlock.objects.count()) == counts
