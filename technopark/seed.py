"""Demo data of the core: districts, the press-release article, staff and demo accounts.

Every app has a ``seed.py`` with ``run(*, stdout, scale=1)``; ``manage.py seed_demo`` calls
them in order. Each ``run`` is idempotent: running it twice leaves the same data.
"""

import datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from .models import District, NewsArticle, User
from .roles import EDITOR, FABLAB_MANAGER, INCUBATOR_MANAGER, PROGRAMME_COORDINATOR, REVIEWER

DEMO_PASSWORD = "technopark-demo-2025"
DEMO_DIR = Path(__file__).resolve().parent / "demo"

# (Uzbek, Russian, English, is_city, demo weight: roughly the share of the region's young
# people, with the city nearest the technopark over-represented)
# English names: the Uzbek Latin name (with its oʻ/gʻ) and "city" or "district" — "Xonobod city",
# "Boʻz district" — except Andijan, whose English name is established (the region, the city, the
# technopark's own name). Russian uses the customary Russian names.
DISTRICTS = [
    ("Andijon shahri", "город Андижан", "Andijan city", True, 18),
    ("Xonobod shahri", "город Ханабад", "Xonobod city", True, 1),
    ("Andijon tumani", "Андижанский район", "Andijan district", False, 9),
    ("Asaka tumani", "Асакинский район", "Asaka district", False, 8),
    ("Baliqchi tumani", "Балыкчинский район", "Baliqchi district", False, 5),
    ("Boʻz tumani", "Бозский район", "Boʻz district", False, 3),
    ("Buloqboshi tumani", "Булакбашинский район", "Buloqboshi district", False, 4),
    ("Izboskan tumani", "Избасканский район", "Izboskan district", False, 7),
    ("Jalaquduq tumani", "Джалакудукский район", "Jalaquduq district", False, 5),
    ("Xoʻjaobod tumani", "Ходжаабадский район", "Xoʻjaobod district", False, 5),
    ("Qoʻrgʻontepa tumani", "Кургантепинский район", "Qoʻrgʻontepa district", False, 5),
    ("Marhamat tumani", "Мархаматский район", "Marhamat district", False, 5),
    ("Oltinkoʻl tumani", "Алтынкульский район", "Oltinkoʻl district", False, 5),
    ("Paxtaobod tumani", "Пахтаабадский район", "Paxtaobod district", False, 5),
    ("Shahrixon tumani", "Шахриханский район", "Shahrixon district", False, 8),
    ("Ulugʻnor tumani", "Улугнорский район", "Ulugʻnor district", False, 2),
]

# (email, full name, role or None for superuser)
STAFF = [
    ("admin@technopark.uz", "Dilshod Karimov", None),
    ("coordinator@technopark.uz", "Nodira Yusupova", PROGRAMME_COORDINATOR),
    ("innox@technopark.uz", "Jasur Rahimov", INCUBATOR_MANAGER),
    ("reviewer@technopark.uz", "Malika Ergasheva", REVIEWER),
    ("reviewer2@technopark.uz", "Sherzod Tursunov", REVIEWER),
    ("reviewer3@technopark.uz", "Gulnora Qodirova", REVIEWER),
    ("fablab@technopark.uz", "Bekzod Aliyev", FABLAB_MANAGER),
    ("editor@technopark.uz", "Zarina Xolmatova", EDITOR),
]
YOUTH_EMAIL = "youth@technopark.uz"

FIRST_NAMES_M = [
    "Aziz",
    "Bobur",
    "Doston",
    "Eldor",
    "Farrux",
    "Islom",
    "Javohir",
    "Jahongir",
    "Kamron",
    "Mirjalol",
    "Nodir",
    "Otabek",
    "Sardor",
    "Shohruh",
    "Temur",
    "Ulugʻbek",
    "Xurshid",
    "Yusuf",
    "Zafar",
    "Abdulloh",
]
FIRST_NAMES_F = [
    "Aziza",
    "Dilnoza",
    "Feruza",
    "Gulnoza",
    "Kamola",
    "Laylo",
    "Madina",
    "Mohinur",
    "Nilufar",
    "Oygul",
    "Robiya",
    "Sabina",
    "Sevara",
    "Shahnoza",
    "Umida",
    "Xadicha",
    "Yulduz",
    "Zilola",
    "Malika",
    "Mohira",
]
SURNAMES = [
    "Abdullayev",
    "Karimov",
    "Rahimov",
    "Tursunov",
    "Yusupov",
    "Qodirov",
    "Ergashev",
    "Aliyev",
    "Xolmatov",
    "Mirzayev",
    "Sobirov",
    "Nazarov",
    "Olimov",
    "Haydarov",
    "Islomov",
    "Joʻrayev",
    "Nurmatov",
    "Usmonov",
]


def analyze(app_label: str) -> None:
    """Refresh PostgreSQL's planner statistics for an app's tables after bulk inserts.

    Without it the planner may still believe tables hold the handful of rows it last saw
    and pick nested loops that take minutes on thousands of rows (seen in the test suite).
    ANALYZE also works inside a transaction and sees that transaction's own rows.
    """
    tables = {m._meta.db_table for m in apps.get_app_config(app_label).get_models(include_auto_created=True)}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))


def seed_districts():
    for order, (uz, ru, en, is_city, _weight) in enumerate(DISTRICTS):
        District.objects.update_or_create(  # found by its Uzbek name, which never changed
            name_uz=uz,
            defaults={"name": uz, "name_ru": ru, "name_en": en, "is_city": is_city, "order": order},
        )


def seed_news():
    tz = timezone.get_current_timezone()
    texts = {}
    for lang in ("en", "uz", "ru"):
        lines = (DEMO_DIR / f"press_release.{lang}.txt").read_text(encoding="utf-8").strip().splitlines()
        title, body = lines[0].strip(), [line.strip() for line in lines[2:] if line.strip()]
        texts[lang] = {"title": title, "lead": body[0], "body": "\n\n".join(body[1:])}
    NewsArticle.objects.update_or_create(
        slug="press-tour-andijan-youth-technopark",
        defaults={
            "published_at": datetime.datetime(2025, 7, 16, 19, 30, tzinfo=tz),
            "is_published": True,
            **{f"{field}_{lang}": texts[lang][field] for lang in texts for field in ("title", "lead", "body")},
            "title": texts["uz"]["title"],
            "lead": texts["uz"]["lead"],
            "body": texts["uz"]["body"],
        },
    )


def seed_staff():
    password = make_password(DEMO_PASSWORD)
    for email, name, role in STAFF:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"full_name": name, "is_staff": True, "is_superuser": role is None, "password": password},
        )
        if role:
            user.groups.set([Group.objects.get(name=role)])
    User.objects.update_or_create(
        email=YOUTH_EMAIL,
        defaults={
            "full_name": "Aziza Abdullayeva",
            "password": password,
            "phone": "+998901234567",
            "birth_date": datetime.date(2006, 3, 14),
            "gender": User.Gender.FEMALE,
            "district": District.objects.get(name_en="Andijan city"),
            "organisation": "Andijan State University",
            # the demo account is for trying the portal: its address counts as confirmed, so it
            # may enrol, apply and book at once (a new account confirms by the link it is sent)
            "email_confirmed_at": datetime.datetime(2025, 7, 1, 9, 0, tzinfo=datetime.UTC),
        },
    )


def youth_pool(count: int, *, offset: int = 0) -> list[User]:
    """Demo young people ``youth00001@demo.technopark.uz`` … created once and reused.

    Apps take their people from disjoint ranges of this pool (see each app's seed.py), so the
    number of distinct people who took part is predictable.
    """
    wanted = [f"youth{i:05d}@demo.technopark.uz" for i in range(offset, offset + count)]
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    by_name = {d.name_en: d for d in District.objects.all()}
    # Each district repeated by its weight; person i takes place (i * 7) mod the total, a
    # deterministic spread in the districts' proportions.
    weighted = [by_name[en] for _uz, _ru, en, _city, weight in DISTRICTS for _ in range(weight) if en in by_name]
    today = datetime.date(2025, 7, 1)
    new = []
    for i in range(offset, offset + count):
        email = f"youth{i:05d}@demo.technopark.uz"
        if email in existing:
            continue
        female = i % 5 in (1, 3)  # about 40 % young women
        first = (FIRST_NAMES_F if female else FIRST_NAMES_M)[i % 20]
        surname = SURNAMES[(i // 20) % len(SURNAMES)] + ("a" if female else "")
        age = 12 + (i * 7) % 17  # 12–28
        new.append(
            User(
                email=email,
                full_name=f"{first} {surname}",
                password="!demo",  # unusable: demo people cannot log in
                phone=f"+99890{i:07d}",
                birth_date=today.replace(year=today.year - age) - datetime.timedelta(days=(i * 37) % 365),
                gender=User.Gender.FEMALE if female else User.Gender.MALE,
                district=weighted[(i * 7) % len(weighted)],
                organisation=f"{(i % 60) + 1}-maktab" if age < 18 else "Andijon davlat universiteti",
                date_joined=timezone.make_aware(datetime.datetime(2020, 9, 1)) + datetime.timedelta(hours=i * 7),
            )
        )
    User.objects.bulk_create(new, batch_size=1000)
    if new:
        analyze("technopark")
    return list(User.objects.filter(email__in=wanted).order_by("email"))


def run(*, stdout, scale: int = 1):
    seed_districts()
    seed_news()
    seed_staff()
    stdout.write(f"  core: {District.objects.count()} districts, {NewsArticle.objects.count()} news, staff accounts")
