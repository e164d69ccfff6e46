import time

from django.core.management.base import BaseCommand, CommandError

from security.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media roots "
        "(empty ones, or --clean), then check the row counts and file checksums against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--clean", action="store_true", help="drop what the database and media hold first")

    def handle(self, *args, directory, clean=False, **options):
        started = time.perf_counter()
        try:
            result = restore(directory, clean=clean)
        except (BackupError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result['rows']:,} rows in {result['tables']} tables and {result['files']} files "
            f"in {time.perf_counter() - started:.1f} s; counts and checksums match the backup."
        )
