"""Demo data of the FabLab; called by ``manage.py seed_demo``. Idempotent.

The equipment of a FabLab of this kind, 15 pieces of it delivered by the IBRD-supported project
"Development of Rural Entrepreneurship in the Fergana Valley"; safety clearances; bookings over
the past months (completed, a few cancelled or rejected) and the coming weeks (requested or
confirmed) that respect opening hours and the exclusion constraints; maintenance windows; and
12 engineering solutions completed between January and June 2025.

People: ``youth_pool(100, offset=5900)`` plus youth@technopark.uz. With ``scale`` N > 1 the
people-related rows (clearances, bookings) are made N times, with extra people from
``youth_pool(100, offset=100000 * k + 5900)`` and bookings further back in time.
"""

import datetime
import io
import zlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from technopark.models import User
from technopark.seed import STAFF, YOUTH_EMAIL, analyze, youth_pool

from .hours import hours_for
from .models import (
    Booking,
    Clearance,
    EngineeringSolution,
    Equipment,
    EquipmentCategory,
    FundingProject,
    MaintenanceWindow,
    OpeningException,
    SolutionPhoto,
    TimeBlock,
    TrainingSession,
    TrainingSignup,
    WeeklyHours,
)

YOUTH_OFFSET = 5900
YOUTH_COUNT = 100
TODAY = datetime.date(2026, 11, 28)  # the demo's "today": bookings are laid out around it
PAST_FROM = datetime.date(2026, 6, 1)
FUTURE_UNTIL = datetime.date(2026, 12, 23)

# slug, uz, ru, en, order
CATEGORIES = [
    ("high-precision-prototyping", "Yuqori aniqlikdagi prototiplash", "Высокоточное прототипирование",
     "High-precision prototyping", 1),
    ("3d-printing", "3D bosib chiqarish", "3D-печать", "3D printing", 2),
    ("metalworking", "Metallga ishlov berish", "Металлообработка", "Metalworking", 3),
    ("laser", "Lazerli kesish va gravyura", "Лазерная резка и гравировка", "Laser cutting and engraving", 4),
    ("cnc-milling", "CNC frezalash", "Фрезерование с ЧПУ", "CNC milling", 5),
    ("electronics", "Elektronika", "Электроника", "Electronics", 6),
]  # fmt: skip

IBRD = {
    "slug": "rural-entrepreneurship-fergana-valley",
    "name_uz": "Fargʻona vodiysida qishloq tadbirkorligini rivojlantirish",
    "name_ru": "Развитие сельского предпринимательства в Ферганской долине",
    "name_en": "Development of Rural Entrepreneurship in the Fergana Valley",
    "funder_uz": "Xalqaro tiklanish va taraqqiyot banki",
    "funder_ru": "Международный банк реконструкции и развития",
    "funder_en": "International Bank for Reconstruction and Development",
    "description_uz": (
        "Xalqaro tiklanish va taraqqiyot banki koʻmagidagi loyiha Fargʻona vodiysi qishloqlarida kichik biznes va "
        "ishlab chiqarishni qoʻllab-quvvatlaydi. Loyiha doirasida Andijon yoshlar texnoparki FabLabiga 15 ta yangi "
        "uskuna yetkazib berildi: 3D printerlar, lazer stanoklari, CNC frezer, tokarlik stanogi, payvandlash posti "
        "va elektronika stollari."
    ),
    "description_ru": (
        "Проект при поддержке Международного банка реконструкции и развития помогает малому бизнесу и "
        "производству в сёлах Ферганской долины. В рамках проекта FabLab Андижанского молодёжного технопарка "
        "получил 15 единиц нового оборудования: 3D-принтеры, лазерные станки, фрезер с ЧПУ, токарный станок, "
        "сварочный пост и столы электроники."
    ),
    "description_en": (
        "A project supported by the International Bank for Reconstruction and Development that helps small "
        "businesses and manufacturing in the villages of the Fergana Valley. Through it the FabLab of the Andijan "
        "Youth Technopark received 15 new pieces of equipment: 3D printers, laser machines, a CNC mill, a lathe, "
        "a welding station and electronics benches."
    ),
    "start": datetime.date(2019, 6, 1),
    "end": None,
}

# slug, category, model, (uz, ru, en) name, (uz, ru, en) purpose, clearance, IBRD, acquired, status
EQUIPMENT = [
    ("raise3d-pro3-plus", "3d-printing", "Raise3D Pro3 Plus",
     ("Raise3D Pro3 Plus 3D printeri", "3D-принтер Raise3D Pro3 Plus", "Raise3D Pro3 Plus 3D printer"),
     ("Katta hajmli FDM bosma: korpuslar, qoliplar, funksional detallar (300×300×605 mm).",
      "Крупная FDM-печать: корпуса, оснастка, функциональные детали (300×300×605 мм).",
      "Large FDM prints: housings, jigs and functional parts (300×300×605 mm)."),
     False, True, datetime.date(2024, 9, 12), "available"),
    ("bambu-x1-carbon-1", "3d-printing", "Bambu Lab X1 Carbon",
     ("Bambu Lab X1 Carbon 3D printeri №1", "3D-принтер Bambu Lab X1 Carbon №1", "Bambu Lab X1 Carbon 3D printer #1"),
     ("Tez va koʻp rangli bosma, uglerod tolali plastiklar.",
      "Быстрая многоцветная печать, углепластиковые филаменты.",
      "Fast multi-colour printing, carbon-fibre filaments."),
     False, True, datetime.date(2024, 9, 12), "available"),
    ("bambu-x1-carbon-2", "3d-printing", "Bambu Lab X1 Carbon",
     ("Bambu Lab X1 Carbon 3D printeri №2", "3D-принтер Bambu Lab X1 Carbon №2", "Bambu Lab X1 Carbon 3D printer #2"),
     ("Tez va koʻp rangli bosma, uglerod tolali plastiklar.",
      "Быстрая многоцветная печать, углепластиковые филаменты.",
      "Fast multi-colour printing, carbon-fibre filaments."),
     False, True, datetime.date(2024, 9, 12), "available"),
    ("formlabs-form-3-plus", "3d-printing", "Formlabs Form 3+",
     ("Formlabs Form 3+ polimer printeri", "Фотополимерный принтер Formlabs Form 3+", "Formlabs Form 3+ resin printer"),
     ("Juda mayda detallar: zargarlik, tibbiy modellar, stomatologiya, aniq qoliplar.",
      "Очень мелкие детали: ювелирка, медицинские модели, стоматология, точные формы.",
      "Very fine detail: jewellery, medical models, dentistry, precise moulds."),
     True, True, datetime.date(2024, 10, 3), "available"),
    ("trotec-speedy-400", "laser", "Trotec Speedy 400",
     ("Trotec Speedy 400 lazer gravyorlash stanogi", "Лазерный гравёр Trotec Speedy 400",
      "Trotec Speedy 400 laser engraver"),
     ("Yogʻoch, akril, teri, qogʻozni gravyura va kesish (1000×610 mm).",
      "Гравировка и резка дерева, акрила, кожи, бумаги (1000×610 мм).",
      "Engraving and cutting wood, acrylic, leather and paper (1000×610 mm)."),
     True, True, datetime.date(2024, 10, 3), "available"),
    ("epilog-fusion-pro-32", "laser", "Epilog Fusion Pro 32",
     ("Epilog Fusion Pro 32 lazer kesish stanogi", "Лазерный резак Epilog Fusion Pro 32",
      "Epilog Fusion Pro 32 laser cutter"),
     ("Qalin akril va fanerni kesish, seriyali gravyura.",
      "Резка толстого акрила и фанеры, серийная гравировка.",
      "Cutting thick acrylic and plywood, batch engraving."),
     True, True, datetime.date(2024, 10, 3), "available"),
    ("roland-mdx-50", "high-precision-prototyping", "Roland DGA MDX-50",
     ("Roland MDX-50 stol frezer stanogi", "Настольный фрезер Roland MDX-50", "Roland MDX-50 benchtop mill"),
     ("Plastik va yengil metallardan aniq prototiplar (±0,01 mm).",
      "Точные прототипы из пластика и лёгких металлов (±0,01 мм).",
      "Precise prototypes in plastics and light metals (±0.01 mm)."),
     True, True, datetime.date(2024, 11, 20), "available"),
    ("haas-mini-mill", "cnc-milling", "Haas Mini Mill",
     ("Haas Mini Mill CNC frezer stanogi", "Фрезерный станок с ЧПУ Haas Mini Mill",
      "Haas Mini Mill CNC milling machine"),
     ("Poʻlat va alyuminiydan detallar, uch oʻqli frezalash.",
      "Детали из стали и алюминия, трёхосевое фрезерование.",
      "Steel and aluminium parts, three-axis milling."),
     True, True, datetime.date(2024, 11, 20), "available"),
    ("optimum-d280-lathe", "metalworking", "Optimum D 280x700",
     ("Optimum D 280×700 tokarlik stanogi", "Токарный станок Optimum D 280×700", "Optimum D 280×700 lathe"),
     ("Vallar, vtulkalar, rezbalar: qishloq xoʻjaligi texnikasi uchun ehtiyot qismlar.",
      "Валы, втулки, резьба: запчасти для сельхозтехники.",
      "Shafts, bushings and threads: spare parts for farm machinery."),
     True, True, datetime.date(2024, 11, 20), "available"),
    ("einscan-pro-hd", "high-precision-prototyping", "Shining 3D EinScan Pro HD",
     ("EinScan Pro HD 3D skaneri", "3D-сканер EinScan Pro HD", "EinScan Pro HD 3D scanner"),
     ("Buyumlarni raqamlashtirish, teskari muhandislik, nusxa koʻchirish.",
      "Оцифровка предметов, реверс-инжиниринг, копирование.",
      "Digitising objects, reverse engineering, replicas."),
     False, True, datetime.date(2024, 12, 5), "available"),
    ("roland-gs2-24", "high-precision-prototyping", "Roland CAMM-1 GS2-24",
     ("Roland GS2-24 vinil kesish plotteri", "Режущий плоттер Roland GS2-24", "Roland GS2-24 vinyl cutter"),
     ("Stikerlar, trafaretlar, kiyimga termotransfer.",
      "Наклейки, трафареты, термоперенос на одежду.",
      "Stickers, stencils and heat-transfer for clothing."),
     False, True, datetime.date(2024, 12, 5), "available"),
    ("electronics-bench-1", "electronics", "Rigol DS1054Z + Weller WE 1010",
     ("Elektronika stoli №1 (ossillograf, kavsharlash stansiyasi)",
      "Стол электроники №1 (осциллограф, паяльная станция)",
      "Electronics bench #1 (oscilloscope, soldering station)"),
     ("Platalarni yigʻish, kavsharlash va sozlash; Arduino va ESP32 loyihalari.",
      "Сборка, пайка и отладка плат; проекты на Arduino и ESP32.",
      "Assembling, soldering and debugging boards; Arduino and ESP32 projects."),
     False, True, datetime.date(2024, 12, 5), "available"),
    ("electronics-bench-2", "electronics", "Rigol DS1054Z + Weller WT 1014",
     ("Elektronika stoli №2 (ossillograf, kavsharlash stansiyasi)",
      "Стол электроники №2 (осциллограф, паяльная станция)",
      "Electronics bench #2 (oscilloscope, soldering station)"),
     ("Platalarni yigʻish, kavsharlash va sozlash; sensorlar va IoT qurilmalari.",
      "Сборка, пайка и отладка плат; датчики и IoT-устройства.",
      "Assembling, soldering and debugging boards; sensors and IoT devices."),
     False, True, datetime.date(2024, 12, 5), "available"),
    ("lpkf-protomat-s64", "electronics", "LPKF ProtoMat S64",
     ("LPKF ProtoMat S64 bosma plata frezeri", "Фрезер печатных плат LPKF ProtoMat S64",
      "LPKF ProtoMat S64 PCB milling machine"),
     ("Bir va ikki qatlamli bosma platalarni bir kunda tayyorlash.",
      "Одно- и двухслойные печатные платы за один день.",
      "Single- and double-sided circuit boards in a day."),
     True, True, datetime.date(2025, 1, 15), "available"),
    ("lincoln-speedtec-200c", "metalworking", "Lincoln Electric Speedtec 200C",
     ("Lincoln Speedtec 200C payvandlash posti", "Сварочный пост Lincoln Speedtec 200C",
      "Lincoln Speedtec 200C welding station"),
     ("MIG/MAG, TIG va elektrod bilan payvandlash: ramalar, konstruksiyalar.",
      "Сварка MIG/MAG, TIG и электродом: рамы, конструкции.",
      "MIG/MAG, TIG and stick welding: frames and structures."),
     True, True, datetime.date(2025, 1, 15), "available"),
    # From other sources (the technopark's own budget).
    ("prusa-mk4-1", "3d-printing", "Original Prusa MK4",
     ("Prusa MK4 3D printeri №1", "3D-принтер Prusa MK4 №1", "Prusa MK4 3D printer #1"),
     ("Boshlovchilar uchun ishonchli FDM printer: PLA, PETG.",
      "Надёжный FDM-принтер для начинающих: PLA, PETG.",
      "A reliable FDM printer for beginners: PLA, PETG."),
     False, False, datetime.date(2023, 9, 1), "available"),
    ("prusa-mk4-2", "3d-printing", "Original Prusa MK4",
     ("Prusa MK4 3D printeri №2", "3D-принтер Prusa MK4 №2", "Prusa MK4 3D printer #2"),
     ("Boshlovchilar uchun ishonchli FDM printer: PLA, PETG.",
      "Надёжный FDM-принтер для начинающих: PLA, PETG.",
      "A reliable FDM printer for beginners: PLA, PETG."),
     False, False, datetime.date(2023, 9, 1), "maintenance"),
    ("stepcraft-d840", "cnc-milling", "Stepcraft D.840",
     ("Stepcraft D.840 CNC frezer", "Фрезер с ЧПУ Stepcraft D.840", "Stepcraft D.840 CNC router"),
     ("Yogʻoch va plastik panellarni frezalash, mebel detallari.",
      "Фрезерование дерева и пластика, детали мебели.",
      "Milling wood and plastic panels, furniture parts."),
     True, False, datetime.date(2023, 9, 1), "available"),
    ("jet-band-saw", "metalworking", "JET HBS-814GH",
     ("JET lentali arra", "Ленточная пила JET", "JET band saw"),
     ("Metall prokatni oʻlchamga kesish.", "Резка металлопроката в размер.", "Cutting metal stock to length."),
     True, False, datetime.date(2023, 9, 1), "available"),
    ("optimum-drill-press", "metalworking", "Optimum B 23 Pro",
     ("Optimum B 23 Pro parmalash stanogi", "Сверлильный станок Optimum B 23 Pro", "Optimum B 23 Pro drill press"),
     ("Metall va yogʻochda aniq teshiklar.", "Точные отверстия в металле и дереве.",
      "Accurate holes in metal and wood."),
     True, False, datetime.date(2023, 9, 1), "available"),
    ("creality-cr10-s5", "3d-printing", "Creality CR-10 S5",
     ("Creality CR-10 S5 3D printeri", "3D-принтер Creality CR-10 S5", "Creality CR-10 S5 3D printer"),
     ("Eski katta formatli printer; Raise3D bilan almashtirildi.",
      "Старый крупноформатный принтер; заменён на Raise3D.",
      "An old large-format printer, replaced by the Raise3D."),
     False, False, datetime.date(2021, 3, 1), "retired"),
]  # fmt: skip

# (completed_on, slug, (uz, ru, en) title, (uz, ru, en) description, team, equipment slugs, startup name)
SOLUTIONS = [
    (datetime.date(2025, 1, 24), "smart-drip-irrigation-controller",
     ("Aqlli tomchilatib sugʻorish boshqaruvchisi", "Умный контроллер капельного полива",
      "Smart drip irrigation controller"),
     ("Tuproq namligi sensorlari boʻyicha klapanlarni ochadigan ESP32 boshqaruvchi; Asaka tumanidagi fermer "
      "xoʻjaligida sinovdan oʻtdi, suv sarfi 30 % kamaydi.",
      "Контроллер на ESP32 открывает клапаны по датчикам влажности почвы; испытан в фермерском хозяйстве "
      "Асакинского района, расход воды снизился на 30 %.",
      "An ESP32 controller that opens valves from soil-moisture sensors; tested on a farm in Asaka district, "
      "it cut water use by 30%."),
     "Javohir Karimov, Laylo Tursunova", ["electronics-bench-1", "lpkf-protomat-s64", "bambu-x1-carbon-1"],
     "SpaceAgro"),
    (datetime.date(2025, 2, 11), "solar-apricot-dryer",
     ("Quyosh energiyasidagi oʻrik quritgich", "Солнечная сушилка для абрикосов", "Solar apricot dryer"),
     ("Payvandlangan poʻlat rama va polikarbonat qoplamali quyosh quritgichi: bir sikl 40 kg meva.",
      "Солнечная сушилка на сварной стальной раме с поликарбонатом: 40 кг фруктов за цикл.",
      "A solar dryer on a welded steel frame with polycarbonate panels: 40 kg of fruit per cycle."),
     "Otabek Rahimov, Sardor Aliyev", ["lincoln-speedtec-200c", "jet-band-saw", "optimum-drill-press"], None),
    (datetime.date(2025, 2, 27), "printed-child-prosthetic-hand",
     ("Bola uchun 3D bosma protez qoʻl", "Напечатанный протез кисти для ребёнка", "3D-printed prosthetic hand"),
     ("9 yoshli bola uchun skaner qilingan oʻlchamlar asosida bosilgan mexanik protez.",
      "Механический протез для 9-летнего ребёнка, напечатанный по данным 3D-сканирования.",
      "A mechanical prosthetic hand for a nine-year-old, printed from a 3D scan."),
     "Madina Yusupova, Mohinur Qodirova", ["einscan-pro-hd", "formlabs-form-3-plus", "raise3d-pro3-plus"], None),
    (datetime.date(2025, 3, 14), "agro-drone-frame",
     ("Qishloq xoʻjaligi droni ramasi", "Рама сельскохозяйственного дрона", "Agricultural drone frame"),
     ("Uglerod tolali plastikdan yengil rama va purkagich moslamasi.",
      "Лёгкая рама из углепластика и крепление распылителя.",
      "A light carbon-fibre frame with a sprayer mount."),
     "SpaceAgro team", ["bambu-x1-carbon-1", "bambu-x1-carbon-2", "haas-mini-mill"], "SpaceAgro"),
    (datetime.date(2025, 3, 28), "silk-cocoon-sorter",
     ("Pilla saralash qurilmasi prototipi", "Прототип сортировщика коконов", "Silk cocoon sorter prototype"),
     ("Pillalarni oʻlchami boʻyicha saralovchi barabanli qurilma; detallar frezerlangan va tokarlikda ishlangan.",
      "Барабанный сортировщик коконов по размеру; детали фрезерованы и выточены на токарном станке.",
      "A drum sorter that grades silk cocoons by size; parts milled and turned in the lab."),
     "Farrux Nazarov, Shohruh Olimov", ["haas-mini-mill", "optimum-d280-lathe"], None),
    (datetime.date(2025, 4, 8), "laser-cut-robotics-kit",
     ("Lazerda kesilgan robototexnika toʻplami", "Набор по робототехнике из лазерной резки",
      "Laser-cut robotics kit"),
     ("Maktablar uchun fanerdan yigʻiladigan robot toʻplami; 30 ta toʻplam tayyorlandi.",
      "Сборный робот из фанеры для школ; изготовлено 30 наборов.",
      "A plywood robot kit for schools; 30 kits were made."),
     "Dilnoza Haydarova, Temur Islomov", ["trotec-speedy-400", "epilog-fusion-pro-32"], None),
    (datetime.date(2025, 4, 22), "school-weather-station",
     ("Maktab meteostansiyasi", "Школьная метеостанция", "School weather station"),
     ("Harorat, namlik va shamolni oʻlchaydigan stansiya; maʼlumotlar maktab saytiga uzatiladi.",
      "Станция измеряет температуру, влажность и ветер и передаёт данные на сайт школы.",
      "A station that measures temperature, humidity and wind and posts the data to the school website."),
     "Aziz Usmonov, Sabina Mirzayeva", ["electronics-bench-2", "prusa-mk4-1"], None),
    (datetime.date(2025, 5, 6), "loom-spare-gear",
     ("Toʻquv dastgohi uchun ehtiyot tishli gʻildirak", "Запасная шестерня для ткацкого станка",
      "Spare gear for a weaving loom"),
     ("Andijondagi toʻqimachilik sexi uchun chet eldan kelmaydigan tishli gʻildirakni tiklash.",
      "Восстановление шестерни для текстильного цеха в Андижане вместо импортной.",
      "A replacement gear for a textile workshop in Andijan instead of an imported part."),
     "Eldor Sobirov", ["einscan-pro-hd", "haas-mini-mill", "optimum-d280-lathe"], None),
    (datetime.date(2025, 5, 16), "tactile-map-of-andijan",
     ("Andijonning taktil xaritasi", "Тактильная карта Андижана", "Tactile map of Andijan"),
     ("Koʻzi ojiz oʻquvchilar uchun Brayl yozuvli boʻrtma xarita.",
      "Рельефная карта со шрифтом Брайля для незрячих школьников.",
      "A relief map with Braille labels for blind pupils."),
     "Kamola Joʻrayeva, Nilufar Nurmatova", ["formlabs-form-3-plus", "trotec-speedy-400"], None),
    (datetime.date(2025, 5, 30), "hydroponic-fodder-unit",
     ("Gidroponik yem yetishtirish qurilmasi", "Гидропонная установка для кормов", "Hydroponic fodder unit"),
     ("Chorva uchun arpa koʻkati yetishtiradigan koʻp qavatli qurilma.",
      "Многоярусная установка для выращивания зелёного ячменя на корм скоту.",
      "A multi-tier unit that grows green barley as fodder for livestock."),
     "Bobur Ergashev, Zafar Xolmatov", ["lincoln-speedtec-200c", "optimum-drill-press", "electronics-bench-1"],
     None),
    (datetime.date(2025, 6, 13), "smart-beehive-monitor",
     ("Aqlli asalari uyasi monitori", "Умный монитор улья", "Smart beehive monitor"),
     ("Uyaning ogʻirligi, harorati va shovqinini kuzatib, asalarichiga SMS yuboradi.",
      "Следит за весом, температурой и шумом улья и отправляет SMS пчеловоду.",
      "Tracks a hive's weight, temperature and sound and texts the beekeeper."),
     "Umida Abdullayeva, Yusuf Karimov", ["lpkf-protomat-s64", "electronics-bench-2", "bambu-x1-carbon-2"],
     None),
    (datetime.date(2025, 6, 27), "museum-artefact-replica",
     ("Muzey eksponatining nusxasi", "Копия музейного экспоната", "Museum artefact replica"),
     ("Andijondagi muzey uchun qadimiy sopol idishni skanerlash va aniq nusxasini bosish.",
      "Сканирование старинного керамического сосуда для андижанского музея и печать точной копии.",
      "Scanning an old ceramic vessel for a museum in Andijan and printing an exact replica."),
     "Robiya Islomova, Doston Tursunov", ["einscan-pro-hd", "raise3d-pro3-plus", "formlabs-form-3-plus"], None),
]  # fmt: skip

PURPOSES = [
    "Korpus prototipi",
    "Diplom ishi uchun detal",
    "Startap uchun namunaviy partiya",
    "Robot uchun qism",
    "Maktab loyihasi",
    "Ehtiyot qism",
]
# (start hour, length in hours) of the day's possible slots; at most one per slot per machine.
DAY_SLOTS = [(9, 2), (11, 2), (14, 3), (17, 1)]

# The usual week: Monday to Saturday 9:00–18:00 (the old FABLAB_OPEN_HOUR/CLOSE_HOUR defaults),
# Sunday closed.
WEEK_OPENS, WEEK_CLOSES = datetime.time(9), datetime.time(18)

# Uzbekistan's public holidays for the rest of 2026 and for 2027 (days off by the Labour Code,
# art. 132). The two Hayit dates follow the lunar calendar and are fixed by decree each year;
# 10 March and 17 May 2027 are the demo's assumed dates, to be checked against the announcement.
# date, kind, uz, ru, en; one shortened day as an example of special hours.
HOLIDAYS = [
    (datetime.date(2026, 12, 8), "holiday", "Konstitutsiya kuni", "День Конституции", "Constitution Day"),
    (datetime.date(2026, 12, 31), "hours", "Yangi yil arafasi (qisqartirilgan kun)",
     "Канун Нового года (сокращённый день)", "New Year's Eve (shortened day)"),
    (datetime.date(2027, 1, 1), "holiday", "Yangi yil", "Новый год", "New Year's Day"),
    (datetime.date(2027, 3, 8), "holiday", "Xalqaro xotin-qizlar kuni", "Международный женский день",
     "International Women's Day"),
    (datetime.date(2027, 3, 10), "holiday", "Ramazon hayiti", "Рамазан хайит", "Ramadan Hayit (Eid al-Fitr)"),
    (datetime.date(2027, 3, 21), "holiday", "Navroʻz bayrami", "Праздник Навруз", "Navruz"),
    (datetime.date(2027, 5, 9), "holiday", "Xotira va qadrlash kuni", "День памяти и почестей",
     "Day of Remembrance and Honour"),
    (datetime.date(2027, 5, 17), "holiday", "Qurbon hayiti", "Курбан хайит", "Qurbon Hayit (Eid al-Adha)"),
    (datetime.date(2027, 9, 1), "holiday", "Mustaqillik kuni", "День независимости", "Independence Day"),
    (datetime.date(2027, 10, 1), "holiday", "Oʻqituvchi va murabbiylar kuni", "День учителя и наставника",
     "Teachers' and Mentors' Day"),
    (datetime.date(2027, 12, 8), "holiday", "Konstitutsiya kuni", "День Конституции", "Constitution Day"),
]  # fmt: skip
SHORT_DAY = (datetime.time(9), datetime.time(14))


def seed_opening_hours() -> int:
    """The usual week (rows the migration has not made) and the holidays; returns how many new."""
    for weekday in range(7):
        open_day = weekday < 6
        WeeklyHours.objects.get_or_create(
            weekday=weekday,
            defaults={"opens": WEEK_OPENS if open_day else None, "closes": WEEK_CLOSES if open_day else None},
        )
    created = 0
    for day, kind, uz, ru, en in HOLIDAYS:
        times = SHORT_DAY if kind == "hours" else (None, None)
        _exception, new = OpeningException.objects.get_or_create(
            date=day,
            defaults={"kind": kind, "name": uz, "name_uz": uz, "name_ru": ru, "name_en": en,
                      "opens": times[0], "closes": times[1]},
        )  # fmt: skip
        created += new
    return created


def _png(text: str, seed: int) -> ContentFile:
    """A small placeholder picture (Pillow-drawn PNG) with a colour from ``seed``."""
    from PIL import Image, ImageDraw

    colours = [(11, 83, 148), (241, 194, 50), (56, 118, 29), (153, 0, 0), (103, 78, 167), (69, 129, 142)]
    image = Image.new("RGB", (320, 200), colours[seed % len(colours)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 307, 187), outline=(255, 255, 255), width=3)
    draw.text((24, 90), text[:40], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_catalogue() -> dict:
    categories = {}
    for slug, uz, ru, en, order in CATEGORIES:
        categories[slug], _ = EquipmentCategory.objects.update_or_create(
            slug=slug, defaults={"name": uz, "name_uz": uz, "name_ru": ru, "name_en": en, "order": order}
        )
    project, _ = FundingProject.objects.update_or_create(
        slug=IBRD["slug"],
        defaults={
            **{k: v for k, v in IBRD.items() if k != "slug"},
            "name": IBRD["name_uz"],
            "funder": IBRD["funder_uz"],
            "description": IBRD["description_uz"],
        },
    )
    machines = {}
    for i, (slug, category, model, names, purposes, clearance, ibrd, acquired, status) in enumerate(EQUIPMENT):
        machine, created = Equipment.objects.update_or_create(
            slug=slug,
            defaults={
                "category": categories[category],
                "model": model,
                "name": names[0],
                "name_uz": names[0],
                "name_ru": names[1],
                "name_en": names[2],
                "purpose": purposes[0],
                "purpose_uz": purposes[0],
                "purpose_ru": purposes[1],
                "purpose_en": purposes[2],
                "requires_clearance": clearance,
                "funding_project": project if ibrd else None,
                "acquired_on": acquired,
                "status": status,
            },
        )
        if not machine.photo:
            machine.photo.save(f"{slug}.png", _png(model, i), save=True)
        machines[slug] = machine
    return {"categories": categories, "machines": machines, "project": project}


def seed_solutions(machines: dict) -> int:
    from incubator.models import Startup

    for i, (day, slug, titles, descriptions, team, equipment, startup_name) in enumerate(SOLUTIONS):
        startup = Startup.objects.filter(name__iexact=startup_name).first() if startup_name else None
        solution, created = EngineeringSolution.objects.update_or_create(
            slug=slug,
            defaults={
                "title": titles[0],
                "title_uz": titles[0],
                "title_ru": titles[1],
                "title_en": titles[2],
                "description": descriptions[0],
                "description_uz": descriptions[0],
                "description_ru": descriptions[1],
                "description_en": descriptions[2],
                "completed_on": day,
                "team": team,
                "startup": startup,
            },
        )
        solution.equipment.set([machines[s] for s in equipment])
        if i % 4 != 3 and not solution.photos.exists():  # every fourth solution has no photo
            photo = SolutionPhoto(solution=solution, caption=titles[0], caption_uz=titles[0], caption_ru=titles[1])
            photo.caption_en = titles[2]
            photo.image.save(f"{slug}.png", _png(titles[2], i + 2), save=True)
    return len(SOLUTIONS)


def _manager():
    email = next(e for e, _name, role in STAFF if role == "FabLab manager")
    return User.objects.filter(email=email).first()


def seed_people(machines: dict, categories: dict, *, people: list, youth, shift_days: int, first_run: bool):
    """Clearances, maintenance windows and bookings for one set of people.

    Bookings are laid out per machine and day on fixed slots, skipping maintenance, so neither
    the booking constraint nor the time-block constraint is ever hit.
    """
    manager = _manager()
    now = timezone.now()
    cleared_categories = [slug for slug, cat in categories.items() if any(
        m.requires_clearance and m.category_id == cat.pk for m in machines.values()
    )]  # fmt: skip
    granted = _aware(PAST_FROM - datetime.timedelta(days=30 + shift_days), 10)
    clearances = []
    holders = {slug: [] for slug in cleared_categories}
    for i, person in enumerate(people):
        # Two of every three people hold a clearance for one or two categories.
        if i % 3 == 2:
            continue
        for k, slug in enumerate(cleared_categories):
            if (i + k) % len(cleared_categories) in (0, 3):
                holders[slug].append(person)
                clearances.append(
                    Clearance(
                        user=person,
                        category=categories[slug],
                        granted_at=granted,
                        expires_on=TODAY + datetime.timedelta(days=365 - (i % 7) * 30),
                        granted_by=manager,
                    )
                )
    if youth is not None:
        clearances.append(
            Clearance(
                user=youth,
                category=categories["laser"],
                granted_at=_aware(datetime.date(2026, 10, 1), 11),
                expires_on=datetime.date(2027, 9, 30),
                granted_by=manager,
            )
        )
    Clearance.objects.bulk_create(clearances)

    taken = {slug: set() for slug in machines}  # (day, slot index) per machine
    bookings = []

    def add(machine, person, day, slot_index, status, purpose):
        hour, length = DAY_SLOTS[slot_index]
        start = _aware(day, hour)
        decided = status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED, Booking.Status.REJECTED)
        bookings.append(
            Booking(
                equipment=machine,
                user=person,
                start=start,
                end=start + datetime.timedelta(hours=length),
                purpose=purpose,
                status=status,
                decided_by=manager if decided else None,
                decided_at=start - datetime.timedelta(days=1) if decided else None,
            )
        )
        taken[machine.slug].add((day, slot_index))

    windows = []
    if first_run:
        # Maintenance: a past service of the laser engraver, a whole upcoming day on the Haas mill,
        # and the Prusa #2 that is under maintenance now.
        for slug, day, start_h, end_h, reason in [
            ("trotec-speedy-400", datetime.date(2026, 9, 15), 9, 13, "Linzalar va koʻzgularni tozalash, kalibrlash"),
            ("haas-mini-mill", datetime.date(2026, 12, 3), 9, 18, "Shpindelni rejali texnik koʻrikdan oʻtkazish"),
            ("prusa-mk4-2", datetime.date(2026, 11, 25), 9, 18, "Ekstruder va soploni almashtirish"),
            ("raise3d-pro3-plus", datetime.date(2026, 12, 10), 14, 18, "Stolni tekislash va kalibrlash"),
        ]:
            windows.append((machines[slug], _aware(day, start_h), _aware(day, end_h), reason))
            for index, (hour, length) in enumerate(DAY_SLOTS):
                if hour < end_h and hour + length > start_h:
                    taken[slug].add((day, index))
        if youth is not None:
            add(machines["trotec-speedy-400"], youth, datetime.date(2026, 12, 2), 1, "confirmed",
                "Texnopark koʻrgazmasi uchun akril lavha")  # fmt: skip
            add(machines["bambu-x1-carbon-1"], youth, datetime.date(2026, 11, 10), 2, "completed",
                "Dron uchun kamera ushlagichi")  # fmt: skip

    bookable = [m for m in machines.values() if m.status == Equipment.Status.AVAILABLE]
    first_day = PAST_FROM - datetime.timedelta(days=shift_days)
    last_day = FUTURE_UNTIL if shift_days == 0 else TODAY - datetime.timedelta(days=shift_days)
    opening = hours_for(first_day + datetime.timedelta(days=n) for n in range((last_day - first_day).days + 1))
    day = first_day
    while day <= last_day:
        if opening[day].is_open:  # Monday to Saturday, not on a holiday
            for machine in bookable:
                for slot_index in range(len(DAY_SLOTS)):
                    # Deterministic "random": about one slot in three is booked.
                    h = zlib.crc32(f"{machine.slug}{day}{slot_index}{shift_days}".encode())
                    if h % 3 or (day, slot_index) in taken[machine.slug]:
                        continue
                    hour, length = DAY_SLOTS[slot_index]
                    if not opening[day].contains(_aware(day, hour), _aware(day, hour + length)):
                        continue  # a shortened day
                    pool = holders.get(machine.category.slug, []) if machine.requires_clearance else people
                    if not pool:
                        continue
                    person = pool[h % len(pool)]
                    start = _aware(day, DAY_SLOTS[slot_index][0])
                    if start < now:
                        status = ("completed",) * 8 + ("cancelled", "rejected")
                        status = status[h % 10]
                    else:
                        status = "confirmed" if h % 2 else "requested"
                    add(machine, person, day, slot_index, status, PURPOSES[h % len(PURPOSES)])
        day += datetime.timedelta(days=1)

    with transaction.atomic():
        created = Booking.objects.bulk_create(bookings, batch_size=2000)
        TimeBlock.objects.bulk_create(
            [
                TimeBlock(equipment=b.equipment, start=b.start, end=b.end, kind=TimeBlock.Kind.BOOKING, booking=b)
                for b in created
                if b.status in Booking.BLOCKING_STATUSES
            ],
            batch_size=2000,
        )
        for machine, start, end, reason in windows:
            window = MaintenanceWindow.objects.create(
                equipment=machine, start=start, end=end, reason=reason, created_by=manager
            )
            TimeBlock.objects.create(
                equipment=machine, start=start, end=end, kind=TimeBlock.Kind.MAINTENANCE, maintenance=window
            )
    return len(clearances), len(created), len(windows)


# Safety trainings, days from the day of the seed run (so the machine pages always show sessions
# to come): category, days, hours, capacity, place, sign-ups. The place is a room number (the same
# in every language). Sign-ups: statuses in order, for people of the pool without a clearance for
# the category; "youth" is the demo young person.
TRAININGS = [
    ("laser", -7, (10, 12), 6, "FabLab, 204", ["passed", "passed", "passed", "failed", "absent", "signed_up"]),
    ("3d-printing", 4, (14, 16), 4, "FabLab, 112",
     ["youth", "signed_up", "signed_up", "signed_up", "waitlisted", "waitlisted"]),
    ("laser", 9, (10, 12), 8, "FabLab, 204", ["signed_up", "signed_up"]),
]  # fmt: skip


def seed_trainings(categories: dict, *, people: list, youth) -> tuple[int, int]:
    """Safety training sessions given by the FabLab manager: one a week ago with its results
    marked (those who passed hold the clearance), one to come that is full with a waitlist (the
    demo young person has a seat) and one to come with seats left. Made once; returns (sessions,
    clearances) made."""
    manager = _manager()
    if manager is None or TrainingSession.objects.exists():
        return 0, 0
    today = timezone.localdate()
    sessions = clearances = 0
    for slug, days, (start_h, end_h), capacity, place, statuses in TRAININGS:
        category = categories[slug]
        day = today + datetime.timedelta(days=days)
        session = TrainingSession.objects.create(
            category=category,
            start=_aware(day, start_h),
            end=_aware(day, end_h),
            trainer=manager,
            capacity=capacity,
            place=place,
        )
        sessions += 1
        active = Clearance.objects.filter(category=category, revoked_at__isnull=True)
        cleared = set(active.values_list("user", flat=True))
        # every seventh person of the pool from a different start: a spread of names per session
        pool = iter(p for p in dict.fromkeys(people[sessions::7] + people) if p.pk not in cleared)
        signed_up_at = session.start - datetime.timedelta(days=10)
        for n, status in enumerate(statuses):
            person = youth if status == "youth" else next(pool, None)
            if person is None:
                continue
            signup = TrainingSignup(
                session=session,
                user=person,
                status="signed_up" if status == "youth" else status,
                created_at=signed_up_at + datetime.timedelta(hours=n),
            )
            if status in TrainingSignup.MARKED_STATUSES:
                signup.marked_at = session.end
                signup.marked_by = manager
            if status == TrainingSignup.Status.PASSED:
                signup.clearance = Clearance.objects.create(
                    user=person,
                    category=category,
                    granted_at=session.end,
                    expires_on=day + datetime.timedelta(days=category.clearance_valid_days),
                    granted_by=manager,
                )
                clearances += 1
            signup.save()
    return sessions, clearances


def run(*, stdout, scale: int = 1):
    # The untranslated field names (name, title, …) write to the active language's column:
    # seed in the default language so they fill the Uzbek one, whatever the caller activated.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        _run(stdout=stdout, scale=scale)
    analyze("fablab")


def _run(*, stdout, scale: int):
    catalogue = seed_catalogue()
    machines, categories = catalogue["machines"], catalogue["categories"]
    holidays = seed_opening_hours()
    solutions = seed_solutions(machines)
    totals = [0, 0, 0]
    for k in range(scale):
        offset = YOUTH_OFFSET if k == 0 else 100000 * k + YOUTH_OFFSET
        people = youth_pool(YOUTH_COUNT, offset=offset)
        if Booking.objects.filter(user__in=people[:5]).exists() or Clearance.objects.filter(user__in=people).exists():
            continue  # this block was seeded already
        youth = User.objects.filter(email=YOUTH_EMAIL).first() if k == 0 else None
        counts = seed_people(machines, categories, people=people, youth=youth, shift_days=k * 182, first_run=(k == 0))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    trainings = seed_trainings(
        categories,
        people=youth_pool(YOUTH_COUNT, offset=YOUTH_OFFSET),
        youth=User.objects.filter(email=YOUTH_EMAIL).first(),
    )
    ibrd = catalogue["project"].equipment.count()
    stdout.write(
        f"  fablab: {len(categories)} categories, {len(machines)} machines ({ibrd} from the IBRD project), "
        f"{solutions} engineering solutions; new: {totals[0]} clearances, {totals[1]} bookings, "
        f"{totals[2]} maintenance windows (max {settings.FABLAB_MAX_BOOKING_HOURS} h a booking), "
        f"{holidays} holidays and opening exceptions, {trainings[0]} safety training sessions "
        f"({trainings[1]} clearances from them)"
    )
