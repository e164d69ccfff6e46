"""technopark.text.latin_to_cyrillic: Uzbek Latin -> Uzbek Cyrillic (issue 15, item 6).

WORDS are pairs we are sure of (the Cyrillic as Uzbek dictionaries and the 1995 correspondence
write it), grouped by the rule they exercise; the list is at least 200 entries long.
"""

import pytest

from technopark.text import latin_to_cyrillic

WORDS = [
    # plain letters
    ("Andijon", "Андижон"), ("Toshkent", "Тошкент"), ("Samarqand", "Самарқанд"),
    ("Namangan", "Наманган"), ("Buxoro", "Бухоро"), ("Xorazm", "Хоразм"), ("Navoiy", "Навоий"),
    ("Jizzax", "Жиззах"), ("Termiz", "Термиз"), ("Nukus", "Нукус"), ("Qarshi", "Қарши"),
    ("Guliston", "Гулистон"), ("texnopark", "технопарк"), ("dastur", "дастур"),
    ("dasturlash", "дастурлаш"), ("kurs", "курс"), ("kurslar", "курслар"), ("ariza", "ариза"),
    ("kirish", "кириш"), ("chiqish", "чиқиш"), ("qidiruv", "қидирув"), ("parol", "парол"),
    ("profil", "профил"), ("robototexnika", "робототехника"), ("dizayn", "дизайн"),
    ("onlayn", "онлайн"), ("maktab", "мактаб"), ("kitob", "китоб"), ("bilim", "билим"),
    ("ilm", "илм"), ("ilmiy", "илмий"), ("milliy", "миллий"), ("haqida", "ҳақида"),
    ("Biz haqimizda", "Биз ҳақимизда"), ("hafta", "ҳафта"), ("hujjat", "ҳужжат"),
    ("xabar", "хабар"), ("xizmat", "хизмат"), ("soat", "соат"), ("muallim", "муаллим"),
    ("oila", "оила"), ("shoir", "шоир"), ("vaqt", "вақт"), ("qiz", "қиз"), ("bola", "бола"),
    ("inson", "инсон"), ("hamkor", "ҳамкор"), ("jamoa", "жамоа"), ("tanlov", "танлов"),
    ("grant", "грант"), ("loyiha", "лойиҳа"), ("qiyin", "қийин"), ("bayroq", "байроқ"),
    ("mayda", "майда"), ("may", "май"), ("mart", "март"), ("avgust", "август"),
    ("telefon", "телефон"), ("internet", "интернет"), ("seminar", "семинар"),
    ("sertifikat", "сертификат"), ("tizim", "тизим"), ("hisob", "ҳисоб"), ("manzil", "манзил"),
    ("tuman", "туман"), ("viloyat", "вилоят"), ("shahar", "шаҳар"), ("Shahar", "Шаҳар"),
    ("SHAHAR", "ШАҲАР"), ("choy", "чой"), ("Choyxona", "Чойхона"), ("CHOYXONA", "ЧОЙХОНА"),
    ("chegirma", "чегирма"), ("ish", "иш"), ("ishchi", "ишчи"), ("tashkilot", "ташкилот"),
    ("mashq", "машқ"), ("bosh", "бош"), ("Bosh sahifa", "Бош саҳифа"), ("saqlash", "сақлаш"),
    ("yuborish", "юбориш"), ("tasdiqlash", "тасдиқлаш"), ("bekor qilish", "бекор қилиш"),
    ("mentor", "ментор"), ("investor", "инвестор"), ("startap", "стартап"),
    ("inkubator", "инкубатор"), ("akselerator", "акселератор"), ("mavsum", "мавсум"),
    ("tadbir", "тадбир"), ("dars", "дарс"), ("guruh", "гуруҳ"), ("ustoz", "устоз"),
    ("talaba", "талаба"), ("davomat", "давомат"), ("natija", "натижа"), ("baho", "баҳо"),
    # oʻ and gʻ
    ("Oʻzbekiston", "Ўзбекистон"), ("OʻZBEKISTON", "ЎЗБЕКИСТОН"), ("oʻquvchi", "ўқувчи"),
    ("oʻqituvchi", "ўқитувчи"), ("oʻrganish", "ўрганиш"), ("koʻp", "кўп"), ("toʻliq", "тўлиқ"),
    ("roʻyxat", "рўйхат"), ("Roʻyxatdan oʻtish", "Рўйхатдан ўтиш"), ("soʻrov", "сўров"),
    ("Fargʻona", "Фарғона"), ("Qoraqalpogʻiston", "Қорақалпоғистон"), ("togʻ", "тоғ"),
    ("bogʻ", "боғ"), ("gʻalaba", "ғалаба"), ("Gʻalaba", "Ғалаба"), ("GʻALABA", "ҒАЛАБА"),
    ("gʻoya", "ғоя"), ("Oʻzbekcha", "Ўзбекча"), ("oʻzbek", "ўзбек"), ("boʻlim", "бўлим"),
    ("toʻlov", "тўлов"), ("soʻm", "сўм"), ("oʻn", "ўн"), ("oʻyin", "ўйин"),
    ("yoʻl", "йўл"), ("yoʻq", "йўқ"), ("Yoʻnalish", "Йўналиш"), ("yoʻriqnoma", "йўриқнома"),
    # ng stays н + г
    ("yangi", "янги"), ("tong", "тонг"), ("ming", "минг"), ("singil", "сингил"),
    ("dengiz", "денгиз"), ("qoʻngʻiroq", "қўнғироқ"),
    # yo, yu, ya, ye
    ("yosh", "ёш"), ("yoshlar", "ёшлар"), ("Yoshlar texnoparki", "Ёшлар технопарки"),
    ("YOSHLAR", "ЁШЛАР"), ("yoz", "ёз"), ("ayol", "аёл"), ("dunyo", "дунё"), ("ziyoli", "зиёли"),
    ("qiyos", "қиёс"), ("yulduz", "юлдуз"), ("Yunus", "Юнус"), ("yurak", "юрак"),
    ("yaxshi", "яхши"), ("Yaxshi", "Яхши"), ("yakshanba", "якшанба"), ("yana", "яна"),
    ("daryo", "дарё"), ("kompaniya", "компания"), ("Rossiya", "Россия"), ("valyuta", "валюта"),
    ("yer", "ер"), ("yetti", "етти"), ("Yevropa", "Европа"), ("yetakchi", "етакчи"),
    ("proyekt", "проект"), ("kliyent", "клиент"),
    # e at the start of a word and after a vowel
    ("ekran", "экран"), ("eshik", "эшик"), ("ertaga", "эртага"), ("erkak", "эркак"),
    ("elektron", "электрон"), ("Ekologiya", "Экология"), ("ehtiyoj", "эҳтиёж"),
    ("poeziya", "поэзия"), ("aeroport", "аэропорт"), ("duet", "дуэт"), ("bepul", "бепул"),
    ("dekan", "декан"), ("keyin", "кейин"), ("kecha", "кеча"),
    # the tutuq belgisi
    ("maʼno", "маъно"), ("taʼlim", "таълим"), ("Taʼlim", "Таълим"), ("TAʼLIM", "ТАЪЛИМ"),
    ("sanʼat", "санъат"), ("eʼlon", "эълон"), ("Eʼlonlar", "Эълонлар"), ("maʼlumot", "маълумот"),
    ("aʼzo", "аъзо"), ("Qurʼon", "Қуръон"), ("mebʼor", "мебъор"), ("jurʼat", "журъат"),
    ("Isʼhoq", "Исҳоқ"), ("musʼhaf", "мусҳаф"),
    # ts and ц
    ("tsirk", "цирк"), ("tsex", "цех"), ("revolyutsiya", "революция"),
    ("informatsiya", "информация"), ("innovatsiya", "инновация"), ("investitsiya", "инвестиция"),
    ("prezentatsiya", "презентация"), ("konstitutsiya", "конституция"),
    ("militsiya", "милиция"), ("ratsional", "рационал"), ("potentsial", "потенциал"),
    ("litsey", "лицей"), ("dotsent", "доцент"), ("ketsa", "кетса"), ("aytsin", "айтсин"),
    ("tutsa", "тутса"), ("aksiya", "акция"), ("funksiya", "функция"), ("reaksiya", "реакция"),
    ("kolleksiya", "коллекция"), ("stansiya", "станция"), ("konferensiya", "конференция"),
    ("Fransiya", "Франция"), ("aksioner", "акционер"), ("versiya", "версия"),
    ("sessiya", "сессия"), ("missiya", "миссия"),
    # the table of exceptions
    ("sirk", "цирк"), ("sex", "цех"), ("sexi", "цехи"), ("sement", "цемент"), ("sentr", "центр"),
    ("konsert", "концерт"), ("konsertlar", "концертлар"), ("konsepsiya", "концепция"),
    ("prinsip", "принцип"), ("fransuz", "француз"), ("pensiya", "пенсия"),
    ("obyekt", "объект"), ("subyekt", "субъект"), ("kompyuter", "компьютер"),
    ("kompyuterlar", "компьютерлар"), ("intervyu", "интервью"), ("rayon", "район"),
    ("sirka", "сирка"), ("sehr", "сеҳр"), ("seksiya", "секция"),
    # months (lower case, as Uzbek writes them)
    ("yanvar", "январь"), ("fevral", "февраль"), ("aprel", "апрель"), ("iyun", "июнь"),
    ("iyul", "июль"), ("sentabr", "сентябрь"), ("oktabr", "октябрь"), ("noyabr", "ноябрь"),
    ("dekabr", "декабрь"), ("Sentabr", "Сентябрь"), ("OKTABR", "ОКТЯБРЬ"),
    ("fevraldagi", "февралдаги"), ("sentabrda", "сентябрда"), ("dekabrgacha", "декабргача"),
    ("2026-yil 30-noyabr, 15:00", "2026-йил 30-ноябрь, 15:00"),
    ("1-sentabrdan", "1-сентябрдан"),
    # names and phrases
    ("Aziza Abdullayeva", "Азиза Абдуллаева"), ("Otabek Nazarov", "Отабек Назаров"),
    ("Madina Qodirova", "Мадина Қодирова"), ("Shahnoza", "Шаҳноза"), ("Gʻayrat", "Ғайрат"),
    ("Oʻlmas", "Ўлмас"), ("Yoqubjon", "Ёқубжон"), ("Eldor", "Элдор"), ("Erkin", "Эркин"),
    ("Andijon yoshlar texnoparki", "Андижон ёшлар технопарки"),
    ("Kursga yozilish", "Курсга ёзилиш"), ("Mening texnoparkim", "Менинг технопарким"),
]  # fmt: skip

UNTOUCHED = [
    "InnoX", "FabLab", "IT", "SMM", "Python", "Django", "e-mail", "E-mail", "JavaScript",
    "HTML", "CSS", "Photoshop", "Backend", "GitHub", "Wi-Fi", "3D", "2026", "15:00",
    "info@technopark.uz", "https://technopark.uz/uz-cyrl/programmes/?age=14",
    "www.example.com", "technopark.uz", "report.pdf", "@andijan_technopark",
    "Привет, мир", "Андижон ёшлар технопарки", "Ўзбекистон",
]  # fmt: skip

APOSTROPHES = ["'", "`", "\u2018", "\u2019", "\u02bb", "\u02bc", "\u00b4"]


def test_the_word_list_is_long_enough():
    assert len(WORDS) + len(UNTOUCHED) >= 200
    assert len(WORDS) >= 200


@pytest.mark.parametrize(("latin", "cyrillic"), WORDS, ids=[w for w, _ in WORDS])
def test_word(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("text", UNTOUCHED)
def test_left_as_it_is(text):
    assert latin_to_cyrillic(text) == text


@pytest.mark.parametrize("mark", APOSTROPHES)
def test_every_apostrophe_variant_is_folded_first(mark):
    assert latin_to_cyrillic(f"O{mark}zbekiston") == "Ўзбекистон"
    assert latin_to_cyrillic(f"Farg{mark}ona") == "Фарғона"
    assert latin_to_cyrillic(f"ma{mark}lumot") == "маълумот"
    assert latin_to_cyrillic(f"Qur{mark}on") == "Қуръон"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("%(name)s kursga yozildi", "%(name)s курсга ёзилди"),
        ("%(count)d ta joy qoldi", "%(count)d та жой қолди"),
        ("%s ta ariza", "%s та ариза"),
        ("%sni tanlash", "%sни танлаш"),
        ("%(name)sning kursi", "%(name)sнинг курси"),
        ("{name} kursi", "{name} курси"),
        ("{{ course }} boshlanadi", "{{ course }} бошланади"),
        (
            '<a href="/account/login/?next=/my/" class="link">Kirish</a>',
            '<a href="/account/login/?next=/my/" class="link">Кириш</a>',
        ),
        ("<strong>Diqqat:</strong> tekshiring", "<strong>Диққат:</strong> текширинг"),
        (
            "Savollar: info@technopark.uz yoki https://t.me/technopark",
            "Саволлар: info@technopark.uz ёки https://t.me/technopark",
        ),
        ("Tanlov &amp; grant va &laquo;yangi&raquo;&nbsp;kurs", "Танлов &amp; грант ва &laquo;янги&raquo;&nbsp;курс"),
        ("50% chegirma", "50% чегирма"),
        ("InnoX inkubatoriga ariza", "InnoX инкубаторига ариза"),
        ("FabLab va IT kurslari", "FabLab ва IT курслари"),
        ("Python va Django asoslari", "Python ва Django асослари"),
        ("3D printer", "3D принтер"),
        ("masalan AYT-7K3M9Q2XPA yoki K7M3Q9XP", "масалан AYT-7K3M9Q2XPA ёки K7M3Q9XP"),
        ("FabLabda, FabLabdan va InnoXga", "FabLabда, FabLabдан ва InnoXга"),
        ("InnoXʼda", "InnoXʼда"),
        ("AQSH dollari (USD)", "АҚШ доллари (USD)"),
    ],
)
def test_placeholders_tags_and_addresses_are_untouched(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


def test_cyrillic_and_russian_are_a_fixed_point():
    russian = "Курс «Основы Python» начнётся 1 сентября. Записаться: info@technopark.uz"
    assert latin_to_cyrillic(russian) == russian
    for latin, _cyrillic in WORDS:
        once = latin_to_cyrillic(latin)
        assert latin_to_cyrillic(once) == once


def test_capitalised_digraphs():
    assert latin_to_cyrillic("Shahar SHAHAR shahar") == "Шаҳар ШАҲАР шаҳар"
    assert latin_to_cyrillic("Chorshanba CHORSHANBA") == "Чоршанба ЧОРШАНБА"
    assert latin_to_cyrillic("Yoz YOZGI Yulduz Yangi") == "Ёз ЁЗГИ Юлдуз Янги"
    assert latin_to_cyrillic("Oʻrik Gʻisht") == "Ўрик Ғишт"


def test_acronyms_and_text_in_capitals():
    assert latin_to_cyrillic("SMM va UX kurslari") == "SMM ва UX курслари"
    assert latin_to_cyrillic("YANGI KURS VA IT") == "ЯНГИ КУРС ВА IT"
    assert latin_to_cyrillic("YOZ") == "YOZ"  # alone, three capitals read as an acronym
    # Cyrillic text with Latin acronyms is not "text in capitals"
    assert latin_to_cyrillic("Веб-дастурлаш ва SMMʼдан, 10 MB") == "Веб-дастурлаш ва SMMʼдан, 10 MB"


def test_empty_and_digits():
    assert latin_to_cyrillic("") == ""
    assert latin_to_cyrillic("12:30 — 14:00") == "12:30 — 14:00"
