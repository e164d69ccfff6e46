from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from technopark import registry


class _BarWriter:
    """Lets seed modules write their one-line summaries without breaking the progress bar."""

    def __init__(self, stdout, bar_file):
        self.stdout = stdout
        self.bar_file = bar_file

    def write(self, msg="", *args, **kwargs):
        with tqdm.external_write_mode(file=self.bar_file):
            self.stdout.write(msg, *args, **kwargs)


class Command(BaseCommand):
    help = "Load the demo data (idempotent): the press-release data set, or N times it with --scale N."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Create N times the people-related demo data.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args, scale, no_progress=False, **options):
        from technopark.seed import DEMO_PASSWORD, STAFF, YOUTH_EMAIL

        if scale < 1:
            scale = 1
        self.stdout.write(f"Loading demo data (scale {scale})…")
        writer = _BarWriter(self.stdout, self.stderr)
        # Each installed app registers its part (registry.register_seed), in dependency order.
        bar = tqdm(registry.seed_steps(), desc="seed_demo", unit="app", disable=no_progress, file=self.stderr)
        for step in bar:
            bar.set_postfix_str(step.key)
            with transaction.atomic():
                step.run(stdout=writer, scale=scale)
        bar.close()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self._print_figures()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in STAFF:
            self.stdout.write(f"  {email:<28} {role or 'superuser'}")
        self.stdout.write(f"  {YOUTH_EMAIL:<28} young person")

    def _print_figures(self):
        """What the apps report after loading (registry.register_seed_report), e.g. the impact
        page's headline figures."""
        for report in registry.seed_reports():
            for label, value in report():
                shown = f"{value:,.0f}" if isinstance(value, int | float) or hasattr(value, "quantize") else value
                self.stdout.write(f"  {label:<60} {shown}")
