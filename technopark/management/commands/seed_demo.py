from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

SEED_MODULES = ["technopark.seed", "programs.seed", "incubator.seed", "fablab.seed"]


class Command(BaseCommand):
    help = "Load the demo data (idempotent): the press-release data set, or N times it with --scale N."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Create N times the people-related demo data.")

    def handle(self, *args, scale, **options):
        from technopark.seed import DEMO_PASSWORD, STAFF, YOUTH_EMAIL

        self.stdout.write("Loading demo data…")
        for name in SEED_MODULES:
            module = import_module(name)
            with transaction.atomic():
                module.run(stdout=self.stdout, scale=scale)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in STAFF:
            self.stdout.write(f"  {email:<28} {role or 'superuser'}")
        self.stdout.write(f"  {YOUTH_EMAIL:<28} young person")
