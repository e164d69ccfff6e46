from .models import Notification

DASHBOARD_MESSAGES = 5


def dashboard_context(user) -> dict:
    latest = Notification.objects.filter(recipient=user).only("subject", "url", "created_at", "read_at")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"latest_messages": list(latest[:DASHBOARD_MESSAGES]), "unread_count": unread}
