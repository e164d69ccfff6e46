from django.utils.functional import SimpleLazyObject


def unread_messages(request):
    """``unread_messages``: the signed-in person's unread count, queried only if a template asks."""
    user = getattr(request, "user", None)

    def count():
        if user is None or not user.is_authenticated:
            return 0
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_messages": SimpleLazyObject(count)}
