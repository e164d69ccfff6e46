import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from technopark.roles import FABLAB_MANAGER
from tests.factories import UserFactory

from .factories import EquipmentFactory


@pytest.fixture(autouse=True)
def _fablab_settings(settings):
    settings.FABLAB_OPEN_HOUR = 9
    settings.FABLAB_CLOSE_HOUR = 18
    settings.FABLAB_MAX_BOOKING_HOURS = 4
    settings.FABLAB_MIN_LEAD_HOURS = 2


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
