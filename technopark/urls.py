from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from notifications import views as notifications_views
from programs.urls import certificate_urlpatterns

from . import views
from .feeds import NewsAtomFeed, NewsFeed
from .files import private_file
from .forms import EmailAuthenticationForm, OutboxPasswordResetForm
from .search import search_view
from .sitemaps import SITEMAPS, robots_txt

handler400 = "technopark.views.error_400"
handler403 = "technopark.views.error_403"
handler404 = "technopark.views.error_404"
handler500 = "technopark.views.error_500"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("files/<path:name>", private_file, name="private_file"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("telegram/webhook/", notifications_views.telegram_webhook, name="telegram_webhook"),
]

account_patterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup_done"),
    path("confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export.json", views.my_data_export, name="my_data_export"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("news/", views.news_list, name="news_list"),
    path("news/feed/rss/", NewsFeed(), name="news_feed_rss"),
    path("news/feed/atom/", NewsAtomFeed(), name="news_feed_atom"),
    path("news/<slug:slug>/", views.news_detail, name="news_detail"),
    path("search/", search_view, name="search"),
    path("account/", include(account_patterns)),
    path("account/two-step/", include("security.urls")),
    path("my/", views.dashboard, name="dashboard"),
    path("my/messages/", include("notifications.urls")),
    path("programmes/", include("programs.urls")),
    path("certificates/", include((certificate_urlpatterns, "certificates"))),
    path("innox/", include("incubator.urls")),
    path("fablab/", include("fablab.urls")),
    path("impact/", include("impact.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
