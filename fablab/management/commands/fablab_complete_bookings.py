"""Mark confirmed FabLab bookings whose time is over as completed. The scheduler runs the same service
hourly (job ``fablab.complete_past_bookings``, fablab/jobs.py); this command is for a run by hand.

The usage figures count completed hours, and a completed booking keeps its time block.
"""

from django.core.management.base import BaseCommand

from fablab import services


class Command(BaseCommand):
    help = "Mark confirmed FabLab bookings that have ended as completed."

    def handle(self, *args, **options):
        done = services.booking_complete_past()
        self.stdout.write(f"fablab: {done} booking(s) marked completed")
