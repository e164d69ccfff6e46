import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import registry, services
from .forms import PreferencesForm
from .models import Notification, TelegramLink

PER_PAGE = 20


@login_required
def centre(request):
    """The person's messages, newest first; opening the page marks them read."""
    notifications = Notification.objects.filter(recipient=request.user).only(
        "subject", "text", "url", "created_at", "read_at", "kind"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "notifications/centre.html", {"page_obj": page, "unread_ids": set(unread)})
    if unread:
        services.mark_all_read(request.user)
    return response


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.choices())
        messages.success(request, _("Your message settings have been saved."))
        return redirect("notifications:preferences")
    link = TelegramLink.objects.filter(user=request.user).first()
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "telegram": link if link and link.is_linked else None,
            "telegram_enabled": bool(settings.TELEGRAM_BOT_USERNAME),
            "topics": registry.TOPICS,
        },
    )


@login_required
@require_POST
def telegram_link(request):
    """Create a one-time deep link and show it: the person opens it in Telegram and presses Start."""
    url = services.telegram_deep_link(request.user)
    return render(request, "notifications/telegram_link.html", {"deep_link": url})


@login_required
@require_POST
def telegram_unlink(request):
    services.telegram_unlink(request.user)
    messages.success(request, _("Telegram is unlinked. Your messages will come by e-mail."))
    return redirect("notifications:preferences")


@csrf_exempt
@require_POST
def telegram_webhook(request):
    """Telegram's calls to the bot. Only Telegram knows the secret token set with setWebhook."""
    expected = settings.TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        return HttpResponseForbidden("forbidden")
    try:
        update = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse("ignored")
    return HttpResponse(services.telegram_handle_update(update))
