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
