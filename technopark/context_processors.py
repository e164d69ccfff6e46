from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def site(request):
    """The language switcher as plain links to the same page in each language, each language
    named in itself ("Русский" on the Uzbek page too), so a reader finds their own."""
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native = str(name)
        links.append({"code": code, "name": native, "url": translate_url(path, code)})
    return {
        "language_links": links,
        "SITE_URL": settings.SITE_URL,
        "LOCKOUT_MINUTES": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
