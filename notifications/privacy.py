"""What the messages app does when a person asks for deletion (technopark.privacy runs it last)."""

from .models import Notification, Preference, TelegramLink


def erase(user) -> None:
    """Messages, preferences and the Telegram link go: they are about the person only."""
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    TelegramLink.objects.filter(user=user).delete()
