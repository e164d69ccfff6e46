"""Pitch decks and applications' logos uploaded before the private storage existed lie under
MEDIA_ROOT, where nginx serves them to anyone: move each into the private storage (same name).
Idempotent; a file already in the private storage, or missing from both, is left alone. A fresh
install (or the demo seed, which writes its deck into the private storage) has nothing to move."""

from django.core.files.storage import default_storage
from django.db import migrations


def move_files(apps, schema_editor):
    from technopark.storage import private_storage

    private = private_storage()
    Application = apps.get_model("incubator", "Application")
    names = set()
    for deck, logo in Application.objects.values_list("pitch_deck", "logo"):
        names.update(n for n in (deck, logo) if n)
    for name in sorted(names):
        if private.exists(name) or not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as source:
            saved = private.save(name, source)
        if saved != name:  # pragma: no cover - the private storage had no file of that name
            raise RuntimeError(f"{name} was stored as {saved}")
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("incubator", "0004_private_files_and_upload_checks")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
