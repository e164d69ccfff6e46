# ruff: noqa: E501  (the demo data tables read best one row per line)
"""Demo data of this app; called by ``manage.py seed_demo``. Idempotent.

People: ``youth_pool(5300, offset=0)``. Every one of them has at least one enrolment:
154 of them (plus the demo account youth@technopark.uz) are enrolled in intakes running now
(exactly 155 current students), the others in finished 2024–2025 intakes (completed, with
certificates, or dropped). "Professions of the Future": 38 partner schools (8 vocational,
30 general-education), 27 masterclasses in 2024–2025 reaching exactly 2,430 students, and two
upcoming ones.
"""

import datetime
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from technopark.models import District, User
from technopark.seed import YOUTH_EMAIL, analyze, youth_pool

from .models import (
    Attendance,
    Certificate,
    Course,
    Direction,
    Enrolment,
    Intake,
    Masterclass,
    MasterclassAttendance,
    PartnerSchool,
    Session,
)

POOL_SIZE = 5300
CURRENT_FROM_POOL = 154  # + youth@technopark.uz = 155 students currently enrolled
MASTERCLASS_STUDENTS = 2430

# slug, icon, (uz, ru, en) name, (uz, ru, en) description
DIRECTIONS = [
    (
        "web-programming",
        "</>",
        ("Veb dasturlash", "Веб-программирование", "Web Programming"),
        (
            "Saytlar va veb-ilovalar yaratish: HTML va CSS dan tortib Python, Django va React gacha.",
            "Создание сайтов и веб-приложений: от HTML и CSS до Python, Django и React.",
            "Building websites and web applications: from HTML and CSS to Python, Django and React.",
        ),
    ),
    (
        "smm",
        "#",
        ("SMM", "SMM", "SMM"),
        (
            "Ijtimoiy tarmoqlarda brend yuritish, kontent rejasi, target reklama va natijalarni oʻlchash.",
            "Продвижение брендов в соцсетях, контент-план, таргетированная реклама и аналитика.",
            "Running brands on social media: content plans, targeted advertising and analytics.",
        ),
    ),
    (
        "graphic-web-design",
        "✎",
        ("Grafik va veb dizayn", "Графический и веб-дизайн", "Graphic and Web Design"),
        (
            "Logotip, afisha, interfeys va animatsiya: dizaynerning zamonaviy vositalari bilan amaliy mashgʻulotlar.",
            "Логотипы, афиши, интерфейсы и анимация: практика в современных инструментах дизайнера.",
            "Logos, posters, interfaces and animation: hands-on work with a designer's modern tools.",
        ),
    ),
    (
        "computer-literacy",
        "⌨",
        ("Kompyuter savodxonligi", "Компьютерная грамотность", "Computer Literacy"),
        (
            "Kompyuter bilan ishonchli ishlash, ofis dasturlari, davlat elektron xizmatlari va internetda xavfsizlik.",
            "Уверенная работа с компьютером, офисные программы, электронные госуслуги и безопасность в сети.",
            "Confident computer use, office software, e-government services and staying safe online.",
        ),
    ),
    (
        "robotics",
        "⚙",
        ("Robototexnika", "Робототехника", "Robotics"),
        (
            "LEGO, Arduino va sensorlar bilan robotlar yigʻish va dasturlash, musobaqalarga tayyorgarlik.",
            "Сборка и программирование роботов на LEGO, Arduino и датчиках, подготовка к соревнованиям.",
            "Building and programming robots with LEGO, Arduino and sensors, and preparing for competitions.",
        ),
    ),
    (
        "cybersecurity",
        "🔒",
        ("Kiberxavfsizlik", "Кибербезопасность", "Cybersecurity"),
        (
            "Tarmoqlar, Linux, tahdidlarni aniqlash va himoya: CTF musobaqalari uslubidagi amaliyot.",
            "Сети, Linux, обнаружение угроз и защита: практика в формате соревнований CTF.",
            "Networks, Linux, threat detection and defence: practice in the style of CTF competitions.",
        ),
    ),
    (
        "mobile-development",
        "📱",
        ("Mobil ilovalar yaratish", "Разработка мобильных приложений", "Mobile App Development"),
        (
            "Android va iOS uchun ilovalar: Flutter va Kotlin, dizayndan Play Marketga joylashgacha.",
            "Приложения для Android и iOS: Flutter и Kotlin, от дизайна до публикации в Play Market.",
            "Apps for Android and iOS: Flutter and Kotlin, from design to publishing on Google Play.",
        ),
    ),
    (
        "3d-modelling",
        "◆",
        ("3D modellashtirish", "3D-моделирование", "3D Modelling"),
        (
            "Blender va SAPR dasturlarida modellar yaratish, FabLabʼdagi 3D printerlarda chop etish.",
            "Создание моделей в Blender и САПР, печать на 3D-принтерах FabLab.",
            "Creating models in Blender and CAD software, and printing them on the FabLab's 3D printers.",
        ),
    ),
    (
        "ai-basics",
        "AI",
        ("Sunʼiy intellekt asoslari", "Основы искусственного интеллекта", "Artificial Intelligence Basics"),
        (
            "Python, mashinali oʻqitish va generativ sunʼiy intellekt vositalaridan toʻgʻri foydalanish.",
            "Python, машинное обучение и грамотное использование инструментов генеративного ИИ.",
            "Python, machine learning and using generative AI tools well.",
        ),
    ),
    (
        "english-for-it",
        "EN",
        ("IT uchun ingliz tili", "Английский язык для IT", "English for IT"),
        (
            "Texnik hujjatlarni oʻqish, xalqaro jamoada muloqot va IELTS ga tayyorgarlik.",
            "Чтение технической документации, общение в международной команде и подготовка к IELTS.",
            "Reading technical documentation, working in an international team and preparing for IELTS.",
        ),
    ),
    (
        "data-analytics",
        "∑",
        ("Maʼlumotlar tahlili", "Анализ данных", "Data Analytics"),
        (
            "Excel, SQL va Power BI yordamida maʼlumotlarni yigʻish, tozalash va vizuallashtirish.",
            "Сбор, очистка и визуализация данных в Excel, SQL и Power BI.",
            "Collecting, cleaning and visualising data with Excel, SQL and Power BI.",
        ),
    ),
    (
        "entrepreneurship",
        "★",
        ("Tadbirkorlik", "Предпринимательство", "Entrepreneurship"),
        (
            "Gʻoyadan startapgacha: mijozni oʻrganish, MVP, moliya asoslari va InnoX inkubatoriga tayyorgarlik.",
            "От идеи до стартапа: изучение клиента, MVP, основы финансов и подготовка к инкубатору InnoX.",
            "From idea to startup: customer discovery, MVP, finance basics and preparing for the InnoX incubator.",
        ),
    ),
]

BEG, MID, ADV = Course.Level.BEGINNER, Course.Level.INTERMEDIATE, Course.Level.ADVANCED
# direction slug, course slug, (uz, ru, en) title, level, min age, max age, language, hours, fee, min attendance %
COURSES = [
    ("web-programming", "web-frontend-basics", ("Frontend asoslari: HTML, CSS va JavaScript", "Основы фронтенда: HTML, CSS и JavaScript", "Frontend basics: HTML, CSS and JavaScript"), BEG, 14, 25, "uz", 96, 0, 70),
    ("web-programming", "web-backend-python", ("Python va Django bilan backend", "Бэкенд на Python и Django", "Backend with Python and Django"), MID, 16, 30, "uz", 120, 0, 70),
    ("web-programming", "web-react", ("React bilan zamonaviy veb-ilovalar", "Современные веб-приложения на React", "Modern web apps with React"), ADV, 17, 30, "ru", 96, 0, 70),
    ("smm", "smm-basics", ("SMM asoslari: Instagram va Telegram", "Основы SMM: Instagram и Telegram", "SMM basics: Instagram and Telegram"), BEG, 15, 30, "uz", 48, 0, 60),
    ("smm", "smm-content", ("Kontent yaratish va mobilografiya", "Создание контента и мобилография", "Content creation and mobile photography"), BEG, 14, 28, "uz", 48, 0, 60),
    ("smm", "smm-targeting", ("Target reklama va analitika", "Таргетированная реклама и аналитика", "Targeted advertising and analytics"), MID, 17, 30, "ru", 60, 0, 60),
    ("graphic-web-design", "design-graphic", ("Grafik dizayn: Photoshop va Illustrator", "Графический дизайн: Photoshop и Illustrator", "Graphic design: Photoshop and Illustrator"), BEG, 14, 28, "uz", 72, 0, 70),
    ("graphic-web-design", "design-ui-ux", ("UI/UX dizayn va Figma", "UI/UX-дизайн и Figma", "UI/UX design with Figma"), MID, 16, 30, "uz", 72, 0, 70),
    ("graphic-web-design", "design-motion", ("Motion dizayn asoslari", "Основы моушн-дизайна", "Motion design basics"), MID, 16, 30, "ru", 60, 0, 70),
    ("computer-literacy", "literacy-basics", ("Kompyuter savodxonligi asoslari", "Основы компьютерной грамотности", "Computer literacy basics"), BEG, 12, 30, "uz", 36, 0, 0),
    ("computer-literacy", "literacy-office", ("Ofis dasturlari: Word, Excel, PowerPoint", "Офисные программы: Word, Excel, PowerPoint", "Office software: Word, Excel, PowerPoint"), BEG, 13, 30, "uz", 48, 0, 60),
    ("computer-literacy", "literacy-digital-services", ("Raqamli xizmatlar va internet xavfsizligi", "Цифровые услуги и безопасность в интернете", "Digital services and online safety"), BEG, 12, 30, "ru", 24, 0, 0),
    ("robotics", "robotics-lego", ("LEGO robototexnikasi", "Робототехника LEGO", "LEGO robotics"), BEG, 10, 15, "uz", 48, 0, 60),
    ("robotics", "robotics-arduino", ("Arduino va elektronika", "Arduino и электроника", "Arduino and electronics"), MID, 13, 25, "uz", 72, 0, 70),
    ("robotics", "robotics-iot", ("Narsalar interneti (IoT)", "Интернет вещей (IoT)", "Internet of Things (IoT)"), ADV, 16, 30, "ru", 72, 0, 70),
    ("cybersecurity", "cyber-basics", ("Kiberxavfsizlik asoslari", "Основы кибербезопасности", "Cybersecurity fundamentals"), BEG, 15, 30, "uz", 60, 0, 70),
    ("cybersecurity", "cyber-networks", ("Kompyuter tarmoqlari va Linux", "Компьютерные сети и Linux", "Computer networks and Linux"), MID, 16, 30, "ru", 72, 0, 70),
    ("cybersecurity", "cyber-ethical-hacking", ("Etik xakerlik va pentest", "Этичный хакинг и пентест", "Ethical hacking and penetration testing"), ADV, 18, 30, "en", 96, 0, 80),
    ("mobile-development", "mobile-flutter", ("Flutter bilan mobil ilovalar", "Мобильные приложения на Flutter", "Mobile apps with Flutter"), MID, 15, 30, "uz", 96, 0, 70),
    ("mobile-development", "mobile-android-kotlin", ("Kotlin bilan Android dasturlash", "Android-разработка на Kotlin", "Android development with Kotlin"), MID, 16, 30, "ru", 96, 0, 70),
    ("3d-modelling", "3d-blender", ("Blender bilan 3D modellashtirish", "3D-моделирование в Blender", "3D modelling with Blender"), BEG, 13, 28, "uz", 60, 0, 60),
    ("3d-modelling", "3d-cad-printing", ("SAPR va 3D bosib chiqarish", "САПР и 3D-печать", "CAD and 3D printing"), MID, 15, 30, "uz", 60, 0, 60),
    ("ai-basics", "ai-python-ml", ("Python va mashinali oʻqitish asoslari", "Python и основы машинного обучения", "Python and machine learning basics"), MID, 16, 30, "uz", 96, 0, 70),
    ("ai-basics", "ai-generative-tools", ("Generativ sunʼiy intellekt vositalari", "Инструменты генеративного ИИ", "Generative AI tools"), BEG, 14, 30, "uz", 24, 0, 0),
    ("english-for-it", "english-it-a2", ("IT uchun ingliz tili (A2–B1)", "Английский для IT (A2–B1)", "English for IT (A2–B1)"), BEG, 14, 30, "en", 72, 0, 70),
    ("english-for-it", "english-it-ielts", ("IELTS ga tayyorlov", "Подготовка к IELTS", "IELTS preparation"), MID, 16, 30, "en", 96, 450000, 80),
    ("data-analytics", "data-excel-sql", ("Excel va SQL bilan maʼlumotlar tahlili", "Анализ данных в Excel и SQL", "Data analysis with Excel and SQL"), BEG, 16, 30, "uz", 60, 0, 70),
    ("data-analytics", "data-power-bi", ("Power BI bilan vizualizatsiya", "Визуализация в Power BI", "Visualisation with Power BI"), MID, 17, 30, "ru", 48, 0, 70),
    ("entrepreneurship", "biz-startup-basics", ("Startap asoslari: gʻoyadan MVP gacha", "Основы стартапа: от идеи до MVP", "Startup basics: from idea to MVP"), BEG, 16, 30, "uz", 36, 0, 60),
    ("entrepreneurship", "biz-digital-marketing", ("Kichik biznes uchun raqamli marketing", "Цифровой маркетинг для малого бизнеса", "Digital marketing for small business"), BEG, 17, 30, "uz", 36, 0, 60),
]  # fmt: skip

INSTRUCTORS = [
    "Sardor Mirzayev",
    "Dilnoza Sobirova",
    "Otabek Nazarov",
    "Kamola Haydarova",
    "Jahongir Olimov",
    "Nilufar Usmonova",
    "Bekzod Nurmatov",
    "Shahnoza Islomova",
    "Farrux Joʻrayev",
    "Madina Qodirova",
    "Ulugʻbek Ergashev",
    "Sevara Tursunova",
]

# (uz, ru, en, weekdays)
SCHEDULES = [
    ("Du, Chor, Ju 15:00–17:00", "Пн, Ср, Пт 15:00–17:00", "Mon, Wed, Fri 15:00–17:00", (0, 2, 4)),
    ("Se, Pay, Sha 10:00–12:00", "Вт, Чт, Сб 10:00–12:00", "Tue, Thu, Sat 10:00–12:00", (1, 3, 5)),
    ("Du, Chor 17:00–19:00", "Пн, Ср 17:00–19:00", "Mon, Wed 17:00–19:00", (0, 2)),
]

PAST_STARTS = [
    datetime.date(2024, 1, 15),
    datetime.date(2024, 5, 13),
    datetime.date(2024, 9, 16),
    datetime.date(2025, 1, 13),
    datetime.date(2025, 5, 12),
    datetime.date(2025, 9, 15),
]
PAST_CAPACITY = 30

# Intakes running now: course slug → enrolled people from the pool (154 in all).
RUNNING = [
    ("web-backend-python", 24),
    ("smm-basics", 22),  # + youth@technopark.uz
    ("design-graphic", 20),
    ("literacy-office", 25),
    ("cyber-networks", 18),
    ("mobile-flutter", 23),
    ("ai-python-ml", 22),
]
RUNNING_CAPACITY = 25
YOUTH_RUNNING = "smm-basics"
YOUTH_COMPLETED = ("design-graphic", datetime.date(2025, 9, 15))

VOCATIONAL = [
    ("Andijon shahar 1-son kasb-hunar maktabi", "Профессиональная школа №1 г. Андижана", "Vocational School No. 1, Andijan city", "Andijan city"),
    ("Andijon axborot texnologiyalari texnikumi", "Андижанский техникум информационных технологий", "Andijan Information Technology Technical College", "Andijan city"),
    ("Andijon mashinasozlik texnikumi", "Андижанский машиностроительный техникум", "Andijan Mechanical Engineering Technical College", "Andijan city"),
    ("Xonobod shahar kasb-hunar maktabi", "Профессиональная школа г. Ханабада", "Xonobod City Vocational School", "Xonobod city"),
    ("Asaka tumani kasb-hunar maktabi", "Профессиональная школа Асакинского района", "Asaka District Vocational School", "Asaka district"),
    ("Shahrixon tumani kasb-hunar maktabi", "Профессиональная школа Шахриханского района", "Shahrixon District Vocational School", "Shahrixon district"),
    ("Qoʻrgʻontepa tumani kasb-hunar maktabi", "Профессиональная школа Кургантепинского района", "Qoʻrgʻontepa District Vocational School", "Qoʻrgʻontepa district"),
    ("Marhamat tumani kasb-hunar maktabi", "Профессиональная школа Мархаматского района", "Marhamat District Vocational School", "Marhamat district"),
]  # fmt: skip

# Masterclass topics per direction: (uz, ru, en)
MASTERCLASS_TOPICS = {
    "web-programming": [
        ("Birinchi saytingizni 90 daqiqada yarating", "Первый сайт за 90 минут", "Your first website in 90 minutes"),
        (
            "Veb dasturchi kasbi: bir kunlik ish",
            "Профессия веб-разработчика: один рабочий день",
            "A web developer's working day",
        ),
        ("JavaScript bilan interaktiv oʻyin", "Интерактивная игра на JavaScript", "An interactive game in JavaScript"),
    ],
    "graphic-web-design": [
        ("Logotip yaratish sirlari", "Секреты создания логотипа", "The secrets of logo design"),
        ("Figmaʼda mobil ilova dizayni", "Дизайн мобильного приложения в Figma", "Designing a mobile app in Figma"),
        ("Afisha va plakat dizayni", "Дизайн афиш и плакатов", "Poster and flyer design"),
    ],
    "smm": [
        ("Telegram kanalini noldan yuritish", "Telegram-канал с нуля", "Running a Telegram channel from scratch"),
        ("Smartfon bilan Reels suratga olish", "Съёмка Reels на смартфон", "Shooting Reels on a smartphone"),
        ("SMM mutaxassisi kasbi", "Профессия SMM-специалиста", "The SMM specialist's profession"),
    ],
}
MASTERCLASS_DIRECTIONS = ["web-programming", "graphic-web-design", "smm"]
MASTERCLASS_INSTRUCTORS = {
    "web-programming": ["Sardor Mirzayev", "Otabek Nazarov"],
    "graphic-web-design": ["Kamola Haydarova", "Dilnoza Sobirova"],
    "smm": ["Nilufar Usmonova", "Shahnoza Islomova"],
}
TECHNOPARK_VENUE = ("Andijon yoshlar texnoparki", "Андижанский молодёжный технопарк", "Andijan Youth Technopark")


def _tz_datetime(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_catalogue() -> dict[str, Course]:
    directions = {}
    for order, (slug, icon, names, descriptions) in enumerate(DIRECTIONS):
        directions[slug], _created = Direction.objects.update_or_create(
            slug=slug,
            defaults={
                "icon": icon,
                "order": order,
                "name": names[0],
                "description": descriptions[0],
                **{f"name_{lang}": names[i] for i, lang in enumerate(("uz", "ru", "en"))},
                **{f"description_{lang}": descriptions[i] for i, lang in enumerate(("uz", "ru", "en"))},
            },
        )
    courses = {}
    for row in COURSES:
        direction_slug, slug, titles, level, min_age, max_age, language, hours, fee, min_attendance = row
        direction = directions[direction_slug]
        descriptions = (
            f"«{titles[0]}» — {direction.name_uz.lower()} yoʻnalishidagi {hours} soatlik amaliy kurs. "
            f"Mashgʻulotlar texnoparkning jihozlangan xonalarida kichik guruhlarda oʻtadi; har bir mavzu "
            f"real loyiha bilan mustahkamlanadi. Kurs oxirida yakuniy loyiha himoya qilinadi va sertifikat beriladi.",
            f"«{titles[1]}» — практический курс направления «{direction.name_ru}» на {hours} часов. "
            f"Занятия проходят в оборудованных классах технопарка в небольших группах; каждая тема закрепляется "
            f"реальным проектом. В конце курса — защита итогового проекта и сертификат.",
            f"“{titles[2]}” is a {hours}-hour hands-on course in {direction.name_en}. Classes take place in "
            f"small groups in the technopark's equipped classrooms, and every topic ends in a real project. "
            f"The course closes with the defence of a final project and a certificate.",
        )
        courses[slug], _created = Course.objects.update_or_create(
            slug=slug,
            defaults={
                "direction": direction,
                "title": titles[0],
                "description": descriptions[0],
                **{f"title_{lang}": titles[i] for i, lang in enumerate(("uz", "ru", "en"))},
                **{f"description_{lang}": descriptions[i] for i, lang in enumerate(("uz", "ru", "en"))},
                "level": level,
                "min_age": min_age,
                "max_age": max_age,
                "language": language,
                "hours": hours,
                "fee": Decimal(fee),
                "min_attendance_percent": min_attendance,
                "is_active": True,
            },
        )
    return courses


def _schedule_fields(index: int) -> dict:
    uz, ru, en, _days = SCHEDULES[index % len(SCHEDULES)]
    return {"schedule": uz, "schedule_uz": uz, "schedule_ru": ru, "schedule_en": en}


def _intake(course: Course, course_index: int, *, start, end, status, capacity, lookup=None, **extra) -> Intake:
    defaults = {
        "instructor_name": INSTRUCTORS[course_index % len(INSTRUCTORS)],
        "start_date": start,
        "end_date": end,
        "capacity": capacity,
        "status": status,
        **_schedule_fields(course_index),
        **extra,
    }
    intake, _created = Intake.objects.get_or_create(
        course=course, **(lookup or {"start_date": start}), defaults=defaults
    )
    return intake


def _add_enrolments(rows: list[Enrolment]) -> int:
    """Insert the (user, intake) pairs that are not there yet; idempotent."""
    intake_ids = {row.intake_id for row in rows}
    existing = set(Enrolment.objects.filter(intake_id__in=intake_ids).values_list("user_id", "intake_id"))
    new = [row for row in rows if (row.user_id, row.intake_id) not in existing]
    Enrolment.objects.bulk_create(new, batch_size=2000)
    return len(new)


def seed_past(courses: dict[str, Course], people: list[User], *, shift_days: int = 0) -> int:
    """Finished intakes of 2024–2025 holding ``people``: 7 in 8 completed, 1 in 8 dropped."""
    intakes = []
    for course_index, course in enumerate(courses.values()):
        for start in PAST_STARTS:
            start = start + datetime.timedelta(days=course_index % 5 + shift_days)
            end = start + datetime.timedelta(weeks=11)
            intakes.append(
                _intake(
                    course, course_index, start=start, end=end, status=Intake.Status.FINISHED, capacity=PAST_CAPACITY
                )
            )
    rows = []
    per_intake, extra = divmod(len(people), len(intakes))
    position = 0
    for n, intake in enumerate(intakes):
        size = per_intake + (1 if n < extra else 0)
        for person in people[position : position + size]:
            dropped = (position % 8) == 0
            rows.append(
                Enrolment(
                    user_id=person.pk,
                    intake_id=intake.pk,
                    status=Enrolment.Status.DROPPED if dropped else Enrolment.Status.COMPLETED,
                    created_at=_tz_datetime(intake.start_date - datetime.timedelta(days=10 + position % 9)),
                    decided_at=_tz_datetime(
                        intake.start_date + datetime.timedelta(days=20) if dropped else intake.end_date, 18
                    ),
                )
            )
            position += 1
    return _add_enrolments(rows)


def seed_certificates() -> int:
    missing = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, certificate__isnull=True).select_related(
        "intake"
    )
    certificates = [
        Certificate(enrolment=e, issued_at=_tz_datetime(e.intake.end_date + datetime.timedelta(days=3), 12))
        for e in missing
    ]
    Certificate.objects.bulk_create(certificates, batch_size=2000)
    return len(certificates)


def seed_now(courses: dict[str, Course], pool: list[User], youth: User | None) -> None:
    today = timezone.localdate()
    slugs = list(courses)
    running_people = pool[:CURRENT_FROM_POOL]
    position = 0
    rows = []
    running_intakes = []
    for n, (slug, count) in enumerate(RUNNING):
        course = courses[slug]
        start = today - datetime.timedelta(weeks=5 + n % 3)
        intake = _intake(
            course,
            slugs.index(slug),
            start=start,
            end=start + datetime.timedelta(weeks=12),
            status=Intake.Status.RUNNING,
            capacity=RUNNING_CAPACITY,
            lookup={"status": Intake.Status.RUNNING},
        )
        running_intakes.append(intake)
        members = [p.pk for p in running_people[position : position + count]]
        position += count
        if youth and slug == YOUTH_RUNNING:
            members.append(youth.pk)
        for k, user_id in enumerate(members):
            moment = _tz_datetime(intake.start_date - datetime.timedelta(days=14 - k % 10))
            rows.append(
                Enrolment(
                    user_id=user_id,
                    intake_id=intake.pk,
                    status=Enrolment.Status.ENROLLED,
                    created_at=moment,
                    decided_at=moment,
                )
            )
    _add_enrolments(rows)
    _seed_sessions(running_intakes, today)

    # The popular course: an intake starting soon, full, with a waitlist.
    popular = courses["web-frontend-basics"]
    start = today + datetime.timedelta(days=9)
    full = _intake(
        popular,
        slugs.index("web-frontend-basics"),
        start=start,
        end=start + datetime.timedelta(weeks=12),
        status=Intake.Status.ENROLLING,
        capacity=20,
        lookup={"status": Intake.Status.ENROLLING},
    )
    # People from the pool who finished earlier courses sign up again (ages 14–25 fit the course).
    candidates = [p for p in pool[CURRENT_FROM_POOL:] if p.birth_date and 14 <= p.age_on(start) <= 25]
    rows = []
    for k, person in enumerate(candidates[:26]):
        waitlisted = k >= 20
        moment = timezone.now() - datetime.timedelta(days=12, hours=-k * 5)
        rows.append(
            Enrolment(
                user_id=person.pk,
                intake_id=full.pk,
                status=Enrolment.Status.WAITLISTED if waitlisted else Enrolment.Status.ENROLLED,
                created_at=moment,
                decided_at=None if waitlisted else moment,
            )
        )
    # An intake with free seats open now, and one that needs a coordinator's approval.
    arduino = courses["robotics-arduino"]
    start = today + datetime.timedelta(days=16)
    open_intake = _intake(
        arduino,
        slugs.index("robotics-arduino"),
        start=start,
        end=start + datetime.timedelta(weeks=10),
        status=Intake.Status.ENROLLING,
        capacity=16,
        lookup={"status": Intake.Status.ENROLLING},
    )
    cyber = courses["cyber-basics"]
    start = today + datetime.timedelta(days=23)
    approval = _intake(
        cyber,
        slugs.index("cyber-basics"),
        start=start,
        end=start + datetime.timedelta(weeks=10),
        status=Intake.Status.ENROLLING,
        capacity=15,
        requires_approval=True,
        lookup={"status": Intake.Status.ENROLLING},
    )
    others = [p for p in pool[CURRENT_FROM_POOL + 400 :] if p.birth_date and 16 <= p.age_on(start) <= 25]
    for k, person in enumerate(others[:9]):
        intake = open_intake if k < 5 else approval
        status = Enrolment.Status.ENROLLED if k < 5 else Enrolment.Status.APPLIED
        moment = timezone.now() - datetime.timedelta(days=3, hours=k)
        rows.append(
            Enrolment(
                user_id=person.pk,
                intake_id=intake.pk,
                status=status,
                created_at=moment,
                decided_at=moment if status == Enrolment.Status.ENROLLED else None,
            )
        )
    _add_enrolments(rows)
    # A planned intake for next year.
    ai = courses["ai-generative-tools"]
    start = datetime.date(today.year + 1, 2, 2)
    _intake(
        ai,
        slugs.index("ai-generative-tools"),
        start=start,
        end=start + datetime.timedelta(weeks=4),
        status=Intake.Status.PLANNED,
        capacity=20,
        lookup={"status": Intake.Status.PLANNED},
    )


def _seed_sessions(intakes: list[Intake], today: datetime.date) -> None:
    if Session.objects.filter(intake__in=intakes).exists():
        return
    slugs = [row[1] for row in COURSES]
    sessions = []
    for intake in intakes:
        days = _session_days(intake, slugs, today - datetime.timedelta(days=1))
        for number, day in enumerate(days, start=1):
            sessions.append(Session(intake=intake, date=day, topic=f"#{number}"))
    Session.objects.bulk_create(sessions)
    enrolments = {}
    for e in Enrolment.objects.filter(intake__in=intakes, status=Enrolment.Status.ENROLLED):
        enrolments.setdefault(e.intake_id, []).append(e.pk)
    rows = []
    for s_index, session in enumerate(sessions):
        for e_index, enrolment_id in enumerate(enrolments.get(session.intake_id, [])):
            present = (s_index * 7 + e_index * 3) % 10 != 0  # about nine in ten present
            rows.append(Attendance(session=session, enrolment_id=enrolment_id, present=present))
    Attendance.objects.bulk_create(rows, batch_size=5000)


def _session_days(intake: Intake, slugs: list[str], until: datetime.date) -> list[datetime.date]:
    """The intake's lesson days (its schedule's weekdays) from the start up to ``until``, inclusive."""
    weekdays = SCHEDULES[slugs.index(intake.course.slug) % len(SCHEDULES)][3]
    days, day = [], intake.start_date
    while day <= until:
        if day.weekday() in weekdays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def seed_past_attendance() -> int:
    """Sessions and attendance for the finished intakes that have none yet (idempotent).

    Every lesson day of the schedule is a session. People who completed the course attended
    about nine sessions in ten (above every course's minimum); people who dropped out attended
    about two in three of the sessions before they left and have no rows after that, as
    ``attendance_mark`` records only current students. Returns the attendance rows created.

    The ~140,000 attendance rows (per 5,300 people) are one INSERT … SELECT of sessions × the
    intake's people: building that many model instances for ``bulk_create`` took 10–15 s.
    """
    slugs = [row[1] for row in COURSES]
    intakes = list(
        Intake.objects.filter(status=Intake.Status.FINISHED)
        .exclude(models.Exists(Session.objects.filter(intake=models.OuterRef("pk"))))
        .select_related("course")
        .order_by("pk")
    )
    if not intakes:
        return 0
    sessions = [
        Session(intake=intake, date=day, topic=f"#{number}")
        for intake in intakes
        for number, day in enumerate(_session_days(intake, slugs, intake.end_date), start=1)
    ]
    Session.objects.bulk_create(sessions, batch_size=5000)
    sql = f"""
        INSERT INTO {Attendance._meta.db_table} (session_id, enrolment_id, present)
        SELECT s.id, e.id,
               CASE WHEN e.status = %(completed)s THEN (s.id * 7 + e.id * 3) %% 10 <> 0
                    ELSE (s.id + e.id) %% 3 <> 0 END
          FROM {Session._meta.db_table} s
          JOIN {Enrolment._meta.db_table} e ON e.intake_id = s.intake_id
         WHERE s.intake_id = ANY(%(intakes)s)
           AND (e.status = %(completed)s OR (e.status = %(dropped)s AND s.date < e.decided_at::date))
        ON CONFLICT DO NOTHING
    """  # noqa: S608 — table names from the models, values as parameters
    params = {
        "completed": Enrolment.Status.COMPLETED.value,
        "dropped": Enrolment.Status.DROPPED.value,
        "intakes": [intake.pk for intake in intakes],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def seed_youth_completed(courses: dict[str, Course], youth: User) -> None:
    slug, start = YOUTH_COMPLETED
    course = courses[slug]
    start = start + datetime.timedelta(days=list(courses).index(slug) % 5)
    intake = Intake.objects.get(course=course, start_date=start)
    _add_enrolments(
        [
            Enrolment(
                user_id=youth.pk,
                intake_id=intake.pk,
                status=Enrolment.Status.COMPLETED,
                created_at=_tz_datetime(start - datetime.timedelta(days=12)),
                decided_at=_tz_datetime(intake.end_date, 18),
            )
        ]
    )


def seed_schools() -> list[PartnerSchool]:
    districts = {d.name_en: d for d in District.objects.all()}
    ordered = list(District.objects.order_by("order"))
    schools = []
    for uz, ru, en, district in VOCATIONAL:
        school, _created = PartnerSchool.objects.update_or_create(  # by the Uzbek name (the English changed)
            name_uz=uz,
            defaults={
                "name": uz,
                "name_en": en,
                "name_ru": ru,
                "kind": PartnerSchool.Kind.VOCATIONAL,
                "district": districts[district],
            },
        )
        schools.append(school)
    for i in range(30):
        district = ordered[i % len(ordered)]
        number = 4 + i * 3
        uz = f"{district.name_uz}, {number}-son umumtaʼlim maktabi"
        ru = f"{district.name_ru}, общеобразовательная школа №{number}"
        en = f"General Education School No. {number}, {district.name_en}"
        school, _created = PartnerSchool.objects.update_or_create(  # by the Uzbek name (the English changed)
            name_uz=uz,
            defaults={
                "name": uz,
                "name_en": en,
                "name_ru": ru,
                "kind": PartnerSchool.Kind.GENERAL,
                "district": district,
            },
        )
        schools.append(school)
    return schools


def _masterclass_plan() -> list[tuple[int, list[tuple[int, int]]]]:
    """27 masterclasses: (index, [(school index, headcount)]), headcounts summing to 2,430."""
    plan = []
    for m in range(27):
        width = 4 if m % 2 == 0 else 3
        plan.append((m, [((m * 3 + k) % 38, 18 + (m * 7 + k * 11) % 15) for k in range(width)]))
    total = sum(h for _m, rows in plan for _s, h in rows)
    difference = MASTERCLASS_STUDENTS - total
    cells = [(m, k) for m, rows in plan for k in range(len(rows))]
    step = 1 if difference > 0 else -1
    for n in range(abs(difference)):
        m, k = cells[n % len(cells)]
        school, headcount = plan[m][1][k]
        plan[m][1][k] = (school, headcount + step)
    return plan


def seed_masterclasses(directions: dict[str, Direction], schools: list[PartnerSchool]) -> None:
    first = datetime.date(2024, 2, 15)
    for m, rows in _masterclass_plan():
        slug = MASTERCLASS_DIRECTIONS[m % 3]
        topic = MASTERCLASS_TOPICS[slug][(m // 3) % 3]
        day = first + datetime.timedelta(days=m * 26)
        host = schools[rows[0][0]] if m % 4 else None
        masterclass = _masterclass(directions[slug], topic, day, host, MASTERCLASS_INSTRUCTORS[slug][m % 2])
        for school_index, headcount in rows:
            MasterclassAttendance.objects.update_or_create(
                masterclass=masterclass, school=schools[school_index], defaults={"headcount": headcount}
            )
    today = timezone.localdate()
    for n, slug in enumerate(("web-programming", "smm")):
        day = today + datetime.timedelta(days=12 + 7 * n)
        topic = MASTERCLASS_TOPICS[slug][0]
        if not Masterclass.objects.filter(title_en=topic[2], date__gt=today).exists():
            _masterclass(directions[slug], topic, day, schools[8 + n * 5], MASTERCLASS_INSTRUCTORS[slug][0])


def _masterclass(direction, topic, day, host, instructor) -> Masterclass:
    description = (
        "Kasb-hunar va umumtaʼlim maktablari oʻquvchilari uchun amaliy mahorat darsi.",
        "Практический мастер-класс для учащихся профессиональных и общеобразовательных школ.",
        "A hands-on masterclass for students of vocational and general-education schools.",
    )
    venue = ("", "", "") if host else TECHNOPARK_VENUE
    masterclass, _created = Masterclass.objects.update_or_create(
        title_en=topic[2],
        date=day,
        defaults={
            "title": topic[0],
            "title_uz": topic[0],
            "title_ru": topic[1],
            "direction": direction,
            "host_school": host,
            "venue": venue[0],
            "venue_uz": venue[0],
            "venue_ru": venue[1],
            "venue_en": venue[2],
            "instructor": instructor,
            "description": description[0],
            "description_uz": description[0],
            "description_ru": description[1],
            "description_en": description[2],
        },
    )
    return masterclass


def run(*, stdout, scale: int = 1):
    courses = seed_catalogue()
    pool = youth_pool(POOL_SIZE, offset=0)
    youth = User.objects.filter(email=YOUTH_EMAIL).first()
    seed_past(courses, pool[CURRENT_FROM_POOL:])
    for k in range(1, scale):
        seed_past(courses, youth_pool(POOL_SIZE, offset=100000 * k), shift_days=k)
    seed_now(courses, pool, youth)
    if youth:
        seed_youth_completed(courses, youth)
    seed_certificates()
    seed_past_attendance()
    schools = seed_schools()
    seed_masterclasses({d.slug: d for d in Direction.objects.all()}, schools)
    analyze("programs")
    stdout.write(
        f"  programs: {Direction.objects.count()} directions, {Course.objects.count()} courses, "
        f"{Intake.objects.count()} intakes, {Enrolment.objects.count()} enrolments "
        f"({Enrolment.objects.current().count()} current, {Enrolment.objects.values('user').distinct().count()} people), "
        f"{Session.objects.count()} sessions with {Attendance.objects.count()} attendance marks, "
        f"{Certificate.objects.count()} certificates, {PartnerSchool.objects.count()} partner schools, "
        f"{Masterclass.objects.count()} masterclasses"
    )
