from base64 import b32encode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from . import twofactor
from .forms import CodeForm, SetupCodeForm


def _staff(request):
    if not (request.user.is_staff or request.user.is_superuser):
        raise Http404


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _codes_page(request, codes):
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})


@never_cache
@login_required
def setup(request):
    """Scan the QR code, type a code to confirm; recovery codes are shown once."""
    _staff(request)
    verified = request.user.is_verified()
    if user_has_device(request.user) and not verified:
        # A password alone never enrols a new authenticator: the second factor comes first.
        return redirect(f"{reverse('security:verify')}?next={reverse('security:setup')}")
    device = twofactor.pending_device(request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return _codes_page(request, codes)
        form.add_error("code", _("This code is not right. Check the time on your phone and type the newest code."))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "security/setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "replacing": verified,
            "next": _next(request),
            "required": settings.STAFF_REQUIRE_2FA,
        },
    )


@never_cache
@login_required
def verify(request):
    """The second step of a staff sign-in: a code from the app or a recovery code."""
    _staff(request)
    if not user_has_device(request.user):
        return redirect(f"{reverse('security:setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.code_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("This code is not right, or was used already. Wait for a new code and try again."))
    return render(
        request,
        "security/verify.html",
        {"form": form, "next": _next(request), "recovery_left": twofactor.recovery_codes_left(request.user)},
    )


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working); only after signing in with two factors."""
    _staff(request)
    if not request.user.is_verified():
        raise Http404
    return _codes_page(request, twofactor.recovery_codes_renew(user=request.user))
