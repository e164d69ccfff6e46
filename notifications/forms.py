from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Preference


class PreferencesForm(forms.Form):
    """Per topic, one box per channel. Topics that must go by e-mail are shown, not editable."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {p.topic: p for p in Preference.objects.filter(user=user)}
        self.rows = []
        for code, topic in registry.TOPICS.items():
            if topic.required_email:
                continue
            preference = stored.get(code)
            self.fields[f"{code}__email"] = forms.BooleanField(
                label=_("E-mail"), required=False, initial=preference.email if preference else True
            )
            self.fields[f"{code}__telegram"] = forms.BooleanField(
                label=_("Telegram"), required=False, initial=preference.telegram if preference else True
            )
            self.rows.append((topic, self[f"{code}__email"], self[f"{code}__telegram"]))

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            topic.code: {
                "email": self.cleaned_data[f"{topic.code}__email"],
                "telegram": self.cleaned_data[f"{topic.code}__telegram"],
            }
            for topic, _email, _telegram in self.rows
        }
