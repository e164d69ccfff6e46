"""Load exchange rates from a file in the Central Bank of Uzbekistan's JSON format.

The bank publishes https://cbu.uz/uz/arkhiv-kursov-valyut/json/ (today) and
.../json/all/YYYY-MM-DD/ (a given day): a list of objects such as
``{"Ccy": "USD", "Nominal": "1", "Rate": "12940.00", "Date": "18.04.2025", ...}``.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from incubator.services import exchange_rates_load


class Command(BaseCommand):
    help = "Load exchange rates (UZS per unit) from a Central Bank of Uzbekistan JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--currency", action="append", help="Only these currencies (repeatable), e.g. USD")

    def handle(self, *args, file: Path, currency=None, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not a UTF-8 text file, so not the Central Bank's JSON.") from exc
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from exc
        if isinstance(rows, dict):
            rows = [rows]
        try:
            created, updated = exchange_rates_load(
                rows=rows, currencies={c.upper() for c in currency} if currency else None
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Exchange rates: {created} created, {updated} updated.")
