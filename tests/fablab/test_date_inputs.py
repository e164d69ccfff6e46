"""Every date and time input of the project renders a value the browser accepts, in every language.

``<input type="date">`` takes only ``2026-12-03``: a value of ``03.12.2026`` (Django's Uzbek and
Russian format) shows an empty field. Each form of the project with a date or time field is
found by scanning the apps' ``forms`` modules, so a new one cannot slip past this test.
"""

import datetime
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

DAY = datetime.date(2026, 12, 3)
TIME = datetime.time(10, 0)
LATER = datetime.time(11, 30)
MOMENT = datetime.datetime(2026, 12, 3, 10, 0)
LANGUAGES = ["uz", "ru", "en"]
DATE_FIELDS = (forms.DateField, forms.TimeField, forms.DateTimeField)
EXPECTED = {"date": "2026-12-03", "time": {"10:00", "11:30"}, "datetime-local": "2026-12-03T10:00"}

# Forms used only inside the Django admin, whose own widgets (a text box with a calendar
# and a clock) replace the form's, and read and write the language's format.
ADMIN_ONLY = {
    "fablab.forms.ClearanceAdminForm",
    "fablab.forms.MaintenanceAdminForm",
}


def _sign_up(initial):
    from technopark.forms import SignUpForm

    return SignUpForm(initial=initial)


def _profile(initial):
    from technopark.forms import ProfileForm

    return ProfileForm(initial=initial)


def _team_sign_up(initial):
    from incubator.forms import TeamInvitationSignUpForm

    return TeamInvitationSignUpForm(initial=initial, email="member@example.com")


def _plain(dotted, initial):
    """A form built with nothing but its initial values."""
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(initial=initial)


def _booking(initial):
    from fablab.forms import BookingForm

    return BookingForm(initial=initial)


def _session(initial):
    from programs.forms import SessionForm

    return SessionForm(initial=initial)


# dotted name -> how to build it with initial values for its date/time fields.
BUILDERS = {
    "technopark.forms.SignUpForm": _sign_up,
    "technopark.forms.ProfileForm": _profile,
    "incubator.forms.TeamInvitationSignUpForm": _team_sign_up,
    "incubator.forms.OfficeHourSlotForm": lambda initial: _plain("incubator.forms.OfficeHourSlotForm", initial),
    "incubator.forms.MilestoneForm": lambda initial: _plain("incubator.forms.MilestoneForm", initial),
    "fablab.forms.BookingForm": _booking,
    "fablab.forms.FaultMaintenanceForm": lambda initial: _plain("fablab.forms.FaultMaintenanceForm", initial),
    "fablab.forms.StaffBookingForm": lambda initial: _plain("fablab.forms.StaffBookingForm", initial),
    "programs.forms.SessionForm": _session,
}


def project_forms_with_dates() -> set[str]:
    found = set()
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(base) or ".venv" in Path(config.path).parts:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            if any(isinstance(f, DATE_FIELDS) for f in cls.base_fields.values()):
                found.add(f"{module.__name__}.{name}")
    return found


def initial_for(form_class) -> dict:
    initial = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateTimeField):
            initial[name] = MOMENT
        elif isinstance(field, forms.DateField):
            initial[name] = DAY
        elif isinstance(field, forms.TimeField):
            initial[name] = LATER if "end" in name or "close" in name else TIME
    return initial


def test_every_form_with_a_date_or_time_field_is_checked():
    assert project_forms_with_dates() - set(BUILDERS) - ADMIN_ONLY == set()
    assert "fablab.forms.BookingForm" in project_forms_with_dates()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dotted", sorted(BUILDERS))
def test_date_and_time_inputs_render_iso_in_every_language(dotted, language):
    build = BUILDERS[dotted]
    with translation.override(language):
        probe = build({})
        initial = initial_for(type(probe))
        form = build(initial)
        date_fields = [n for n, f in form.fields.items() if isinstance(f, DATE_FIELDS)]
        assert date_fields
        for name in date_fields:
            html = str(form[name])
            kind = re.search(r'type="([^"]+)"', html).group(1)
            value = re.search(r'value="([^"]*)"', html).group(1)
            assert kind in EXPECTED, f"{dotted}.{name} renders type={kind}"
            expected = EXPECTED[kind]
            assert value in expected if isinstance(expected, set) else value == expected, (dotted, name, html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_iso_values_are_read_in_every_language(language):
    class Probe(forms.Form):
        day = forms.DateField()
        at = forms.TimeField()
        moment = forms.DateTimeField()

    with translation.override(language):
        form = Probe({"day": "2026-12-03", "at": "10:00", "moment": "2026-12-03T10:00"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY
    assert form.cleaned_data["at"] == TIME
    assert form.cleaned_data["moment"].replace(tzinfo=None) == MOMENT


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_form_from_the_calendar_link_shows_an_iso_day(client, user, machine, language):
    client.force_login(user)
    prefix = "" if language == "uz" else f"/{language}"
    response = client.get(f"{prefix}/fablab/equipment/{machine.slug}/book/?day=2026-12-03&hour=10")
    html = response.content.decode()
    assert 'type="date" name="day" value="2026-12-03"' in html
    assert 'name="start_time" value="10:00"' in html
    assert 'name="end_time" value="11:00"' in html
