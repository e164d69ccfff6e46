import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from fablab.models import OpeningException, WeeklyHours
from technopark.roles import FABLAB_MANAGER
from tests.factories import UserFactory

from .factories import EquipmentFactory


@pytest.fixture(autouse=True)
def _fablab_settings(settings):
    settings.FABLAB_MAX_BOOKING_HOURS = 4
    settings.FABLAB_MIN_LEAD_HOURS = 2


@pytest.fixture(autouse=True)
def _opening_hours(request):
    """Every day 9:00–18:00 and no holidays, so that tests do not depend on today's weekday;
    the opening-hours tests change this with ``week_hours``/``OpeningException`` rows."""
    if not (
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    ) and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("_django_db_helper")
    set_week_hours({d: (9, 18) for d in range(7)})
    OpeningException.objects.all().delete()


def set_week_hours(week: dict):
    """``{weekday: (open hour, close hour) or None}``; weekdays not given are closed."""
    WeeklyHours.objects.all().delete()
    WeeklyHours.objects.bulk_create(
        [
            WeeklyHours(weekday=d, opens=datetime.time(week[d][0]), closes=datetime.time(week[d][1]))
            if week.get(d)
            else WeeklyHours(weekday=d)
            for d in range(7)
        ]
    )


@pytest.fixture(autouse=True)
def _english():
    """Assertions read English: reverse() gives /en/ URLs and messages are English. (Changing
    settings.LANGUAGE_CODE instead would poison the URL resolver's per-language cache.)"""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def machine(db):
    return EquipmentFactory(
        name="Prusa MK4", name_uz="Prusa MK4", name_ru="Prusa MK4", name_en="Prusa MK4", slug="prusa-mk4"
    )


@pytest.fixture
def manager(db):
    staff = UserFactory(is_staff=True, full_name="Bekzod Aliyev")
    staff.groups.add(Group.objects.get(name=FABLAB_MANAGER))
    return staff


@pytest.fixture
def day_after_tomorrow():
    return timezone.localdate() + datetime.timedelta(days=2)
