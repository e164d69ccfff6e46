import datetime
import json as jsonlib
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the public and private media (tar) into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="a new or empty directory (default var/backups/<date-time>)")
        parser.add_argument("--json", action="store_true", help="print the manifest's summary as JSON")

    def handle(self, *args, output=None, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(output) if output else Path(settings.BASE_DIR) / "var" / "backups" / stamp
        started = time.perf_counter()
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        summary = {
            "directory": str(target),
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(manifest["files"]),
            "bytes": manifest["sizes"],
            "seconds": round(seconds, 1),
        }
        if options["json"]:
            self.stdout.write(jsonlib.dumps(summary))
        else:
            self.stdout.write(
                f"Backed up {summary['rows']:,} rows in {summary['tables']} tables and {summary['files']} files "
                f"to {target} in {seconds:.1f} s."
            )
