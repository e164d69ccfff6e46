from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from notifications.channels import telegram_call


class Command(BaseCommand):
    help = "Register the bot's webhook with Telegram (SITE_URL + the webhook path, with the secret token)."

    def handle(self, *args, **options):
        if not (settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_WEBHOOK_SECRET):
            raise CommandError("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.")
        url = settings.SITE_URL.rstrip("/") + reverse("telegram_webhook")
        telegram_call(
            "setWebhook",
            {
                "url": url,
                "secret_token": settings.TELEGRAM_WEBHOOK_SECRET,
                "allowed_updates": ["message", "my_chat_member"],
            },
        )
        self.stdout.write(f"Webhook set to {url}")
