import secrets

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import accounts, privacy, registry
from .forms import DeleteAccountForm, ProfileForm, SignUpForm
from .models import NewsArticle

NEWS_PER_PAGE = 10


def home(request):
    latest_news = NewsArticle.objects.published().only("title", "slug", "lead", "cover", "published_at")[:3]
    return render(request, "technopark/home.html", {"latest_news": latest_news, **registry.home_context()})


def about(request):
    return render(request, "technopark/about.html")


def news_list(request):
    articles = NewsArticle.objects.published().only("title", "slug", "lead", "cover", "published_at")
    page = Paginator(articles, NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "technopark/news_list.html", {"page_obj": page})


def news_detail(request, slug):
    article = get_object_or_404(NewsArticle.objects.published(), slug=slug)
    return render(request, "technopark/news_detail.html", {"article": article})


def signup(request):
    """The same answer for a new and a known address: "check your e-mail". A new account gets the
    confirmation link; the owner of a known address is told that someone tried to sign up."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.signup(form)
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("signup_done")
    return render(request, "registration/signup.html", {"form": form})


def signup_done(request):
    return render(request, "registration/signup_done.html", {"email": request.session.get("signup_email", "")})


def confirm_email(request, token):
    user = accounts.confirm_email(token)
    if user is None:
        return render(request, "registration/confirm_email_invalid.html", status=400)
    messages.success(request, _("Thank you, your e-mail address is confirmed."))
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect(f"{reverse('login')}?next={reverse('dashboard')}")


@login_required
@require_POST
def resend_confirmation(request):
    try:
        accounts.resend_confirmation(request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("We have sent you a new confirmation link."))
    return redirect("dashboard")


@login_required
def dashboard(request):
    """ "My technopark": the panels the installed apps registered (``registry.register_dashboard_panel``)."""
    return render(request, "technopark/dashboard.html", {"dashboard_panels": registry.dashboard_panels()})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the point of the endpoint is to report any database failure
        return "unavailable"
    return "ok"


def _cache_status() -> str:
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)  # technopark.cache.ResilientRedisCache asks Redis itself
    try:
        if ping is not None:
            return "ok" if ping() else "unavailable"
        token = secrets.token_hex(8)
        cache.set("healthz", token, 10)
        return "ok" if cache.get("healthz") == token else "unavailable"
    except Exception:  # report, never raise
        return "unavailable"


@never_cache
@require_GET
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would need the database before the view runs
def healthz(request):
    """Database and cache reported separately; 503 only when the database is unreachable
    (without the cache, pages are served uncached: degraded, not down)."""
    database, cache = _database_status(), _cache_status()
    status = "error" if database != "ok" else ("ok" if cache == "ok" else "degraded")
    return JsonResponse(
        {"status": status, "database": database, "cache": cache}, status=503 if database != "ok" else 200
    )


def csrf_failure(request, reason=""):
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


@login_required
def my_data(request):
    """Download everything the portal holds about me, or ask for my account to be deleted."""
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        privacy.erase_person(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for being with us."))
        return redirect("home")
    return render(request, "registration/my_data.html", {"form": form})


@login_required
@require_GET
def my_data_export(request):
    response = HttpResponse(privacy.export_json(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-technopark-data.json"'
    response["Cache-Control"] = "no-store"
    return response
