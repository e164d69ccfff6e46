import datetime

import factory
from django.utils import timezone

from technopark.models import District, NewsArticle, User

PASSWORD = "a-Strong-pass-2025"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")
    name_uz = factory.LazyAttribute(lambda o: o.name)
    name_ru = factory.LazyAttribute(lambda o: f"Район {o.name}")
    name_en = factory.LazyAttribute(lambda o: o.name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.uz")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    phone = factory.Sequence(lambda n: f"+99890{n:07d}")
    birth_date = datetime.date(2007, 5, 17)
    gender = User.Gender.FEMALE
    district = factory.SubFactory(DistrictFactory)
    organisation = "School No. 1"
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class NewsArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsArticle

    title = factory.Sequence(lambda n: f"News {n}")
    title_uz = factory.LazyAttribute(lambda o: f"Yangilik {o.title}")
    title_ru = factory.LazyAttribute(lambda o: f"Новость {o.title}")
    title_en = factory.LazyAttribute(lambda o: o.title)
    slug = factory.Sequence(lambda n: f"news-{n}")
    lead = "Lead"
    body = "Body"
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
