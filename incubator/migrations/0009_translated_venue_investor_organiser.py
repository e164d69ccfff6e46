"""The Investor Day's venue, an investor's name and a competition's organiser become translated
(uz, ru, en). The text they held is copied into the Uzbek column, the default language, so every
page shows what it showed before until staff add the Russian and English."""

from django.db import migrations, models

# model: the fields whose value moves into the default language's column
TRANSLATED = {"InvestorDay": "venue", "Investor": "name", "Competition": "organiser"}


def copy_into_default_language(apps, schema_editor):
    for model_name, field in TRANSLATED.items():
        model = apps.get_model("incubator", model_name)
        model.objects.filter(**{f"{field}_uz__isnull": True}).update(**{f"{field}_uz": models.F(field)})


def copy_back_from_default_language(apps, schema_editor):
    """Going back: the untranslated column gets the Uzbek text again (modeltranslation writes into
    it the language that was active when the object was last saved)."""
    for model_name, field in TRANSLATED.items():
        model = apps.get_model("incubator", model_name)
        model.objects.exclude(**{f"{field}_uz__isnull": True}).exclude(**{f"{field}_uz": ""}).update(
            **{field: models.F(f"{field}_uz")}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('incubator', '0008_accelerator_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='competition',
            name='organiser_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='organiser'),
        ),
        migrations.AddField(
            model_name='competition',
            name='organiser_ru',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='organiser'),
        ),
        migrations.AddField(
            model_name='competition',
            name='organiser_uz',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='organiser'),
        ),
        migrations.AddField(
            model_name='investor',
            name='name_en',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='investor',
            name='name_ru',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='investor',
            name='name_uz',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='investorday',
            name='venue_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='venue'),
        ),
        migrations.AddField(
            model_name='investorday',
            name='venue_ru',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='venue'),
        ),
        migrations.AddField(
            model_name='investorday',
            name='venue_uz',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='venue'),
        ),
        migrations.RunPython(copy_into_default_language, copy_back_from_default_language),
    ]
