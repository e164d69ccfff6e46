"""Content in three languages (issue 15, item 5): every translated field of every object the demo
data creates has an Uzbek, a Russian and an English value, and they differ where a translation is
expected (a machine's brand name, a startup's name, a person's name stay as they are)."""

import pytest
from modeltranslation.translator import translator

pytestmark = pytest.mark.django_db

# (model label, field): the same text in every language is right (proper names, brand names).
SAME_IN_EVERY_LANGUAGE = {
    ("fablab.Equipment", "name"),  # brand and model: "Bambu Lab X1 Carbon"
    ("incubator.Competition", "name"),  # a competition's or fund's own name: "President Tech Award", "EcoExpo 2025"
    # A fund's, a company's or a person's own name ("Aloqa Venture", "Farhod Yoʻldoshev"); the agencies'
    # and ministries' names are translated (tests/incubator/test_seed.py checks them).
    ("incubator.Investor", "name"),
    ("incubator.Competition", "organiser"),
}


def is_acronym(value: str) -> bool:
    """ "SMM", "IT": written the same in Uzbek, Russian and English."""
    return value.isupper() and " " not in value


LANGUAGES = ("uz", "ru", "en")


def untranslated():
    problems = []
    for model in translator.get_registered_models(abstract=False):
        label = model._meta.label
        fields = translator.get_options_for_model(model).fields
        for obj in model._default_manager.all():
            for field in fields:
                values = {lang: (getattr(obj, f"{field}_{lang}") or "").strip() for lang in LANGUAGES}
                if not any(values.values()):
                    continue  # an optional field left empty in every language
                empty = [lang for lang, value in values.items() if not value]
                if empty:
                    problems.append(f"{label}.{field} #{obj.pk} empty in {empty}: {values['uz'][:50]!r}")
                elif (
                    (label, field) not in SAME_IN_EVERY_LANGUAGE
                    and not is_acronym(values["uz"])
                    and len(set(values.values())) < 3
                ):
                    problems.append(f"{label}.{field} #{obj.pk} the same in two languages: {values}")
    return problems


def test_every_seeded_text_is_in_three_languages(demo_data):
    from django.apps import apps

    assert apps.get_model("incubator.InvestorDay").objects.exists()
    problems = untranslated()
    for problem in problems:
        print(problem[:300])
    assert problems == []


EXPORTS = [
    "/admin/programs/enrolment/export/",
    "/admin/incubator/application/export/",
    "/admin/incubator/review/export/",
    "/admin/incubator/investment/export/",
    "/admin/fablab/booking/export/",
]


@pytest.mark.parametrize("lang", ["uz", "ru"])
def test_export_pages_name_their_fields_in_the_language(client, demo_data, lang):
    """The export page's field checkboxes (import-export titles them "Full Name", "Email", "Phone" in
    English) show the model fields' names in the person's language (technopark.exports.LabelledExportForm)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="admin@technopark.uz"))
    english = {}
    labels = {}
    for prefix, store in (("/en", english), ("" if lang == "uz" else f"/{lang}", labels)):
        for path in EXPORTS:
            response = client.get(prefix + path)
            assert response.status_code == 200, path
            form = response.context["form"]
            store[path] = {n: str(f.label) for n, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    assert english["/admin/programs/enrolment/export/"]["enrolmentresource_full_name"] == "Full name"
    untranslated = [
        (path, name, label)
        for path, fields in labels.items()
        for name, label in fields.items()
        if label == english[path][name] and label != "ID"
    ]
    assert sum(len(fields) for fields in labels.values()) >= 30
    assert untranslated == []
