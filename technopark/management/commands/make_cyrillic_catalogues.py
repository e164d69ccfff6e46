import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from technopark import cyrillic_catalogues


class Command(BaseCommand):
    help = (
        "Generate the Uzbek Cyrillic catalogues (locale uz_Cyrl) from every Uzbek Latin one — "
        "locale/, locale/packages/ (with Django's own Uzbek) and each app's locale/ — and compile them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            help="Write the .po files under this directory instead of the project (nothing is compiled).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail when a generated catalogue is not current."
        )

    def handle(self, *args, output_dir=None, check=False, **options):
        base = Path(settings.BASE_DIR)
        generated = cyrillic_catalogues.build()
        if check:
            stale = [str(p) for p, text in generated.items() if not _same(base / p, text)]
            if stale:
                raise CommandError("Not current (run manage.py make_cyrillic_catalogues): " + ", ".join(stale))
            self.stdout.write(f"{len(generated)} Cyrillic catalogues are current.")
            return
        root = Path(output_dir) if output_dir else base
        written = cyrillic_catalogues.write(generated, root)
        if not output_dir:
            for relative in generated:
                po = base / relative
                mo = po.with_suffix(".mo")
                if po in written or not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime:
                    try:
                        cyrillic_catalogues.compile_po(po)
                    except subprocess.CalledProcessError as error:
                        raise CommandError(f"msgfmt refused {relative}:\n{error.stderr}") from error
        entries = sum(text.count("\nmsgid ") for text in generated.values())
        self.stdout.write(f"{len(generated)} catalogues ({entries} entries), {len(written)} changed.")


def _same(path: Path, text: str) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == text
