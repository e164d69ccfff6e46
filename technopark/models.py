"""The site-wide core: people, districts of Andijan region and news."""

import datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .search import search_indexes, stored_search_vector
from .uploads import validate_image_upload

phone_validator = RegexValidator(
    regex=r"^\+998\d{9}$",
    message=_("Enter the phone number as +998 followed by 9 digits, e.g. +998901234567."),
)


MINOR_AGE = 16


class District(models.Model):
    """A city or district of Andijan region."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_city = models.BooleanField(_("city"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("The email must be set")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person with an account: a young person, or staff. Logs in by e-mail."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=13, blank=True, validators=[phone_validator])
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    organisation = models.CharField(_("school or organisation"), max_length=200, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, default="uz")
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    # People under 16 at sign-up give a parent's or guardian's name and phone and their consent.
    guardian_name = models.CharField(_("parent or guardian"), max_length=150, blank=True)
    guardian_phone = models.CharField(
        _("parent's or guardian's phone"), max_length=13, blank=True, validators=[phone_validator]
    )
    guardian_consent_at = models.DateTimeField(_("guardian's consent given at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=r"^\+998[0-9]{9}$"),
                name="user_phone_uz_format",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        """Under 16 today (the age for which a guardian's consent is recorded)."""
        age = self.age
        return age is not None and age < MINOR_AGE

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class NewsArticle(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body"))
    cover = models.ImageField(_("cover image"), upload_to="news/", blank=True, validators=[validate_image_upload])
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    is_published = models.BooleanField(_("published"), default=True)
    # Site search (technopark.search): kept current by PostgreSQL, one per language.
    search_uz = stored_search_vector("uz", title_uz="A", lead_uz="B", body_uz="C")
    search_ru = stored_search_vector("ru", title_ru="A", lead_ru="B", body_ru="C")
    search_en = stored_search_vector("en", title_en="A", lead_en="B", body_en="C")

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        indexes = search_indexes("technopark_news", uz="title_uz", ru="title_ru", en="title_en")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news_detail", kwargs={"slug": self.slug})


class TransliterationOverride(models.Model):
    """A staff correction of the Uzbek Cyrillic the rules generate (technopark/text.py): wherever
    ``latin`` (whole words) appears on an ``uz-cyrl`` page or in a message, ``cyrillic`` is shown —
    also where an interface string already arrives in Cyrillic from the generated catalogues.
    Saving or deleting one makes every cached page stale (technopark/transliteration.py)."""

    latin = models.CharField(
        _("Uzbek (Latin)"), max_length=300, unique=True, help_text=_("A word or phrase as it is written in Latin.")
    )
    cyrillic = models.CharField(_("Uzbek (Cyrillic)"), max_length=300, help_text=_("How to write it in Cyrillic."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["latin"]
        verbose_name = _("Cyrillic spelling")
        verbose_name_plural = _("Cyrillic spellings")

    def __str__(self):
        return f"{self.latin} → {self.cyrillic}"

    def save(self, *args, **kwargs):
        from technopark.text import fold_uzbek_apostrophes

        self.latin = fold_uzbek_apostrophes(" ".join(self.latin.split()))
        self.cyrillic = " ".join(self.cyrillic.split())
        super().save(*args, **kwargs)
