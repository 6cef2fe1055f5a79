"""Dates with their precision: metadata strings, datelines and dates in the text."""
from __future__ import annotations

import pytest

from ctkg.loaders.dates import DateValue, find_date, incident_date, parse_date


@pytest.mark.parametrize("value, lang, iso, precision", [
    ("12 septembre 2024", "fr", "2024-09-12", "day"),  # was sliced to "12 septemb"
    ("septembre 2024", "fr", "2024-09", "month"),
    ("2024", "fr", "2024", "year"),  # was given month precision
    ("الثلاثاء 18 فبراير 2025", "ar", "2025-02-18", "day"),
    ("فبراير 2025", "ar", "2025-02", "month"),
    ("٢٠٢٥", "ar", "2025", "year"),
    ("Tue, 10 Mar 2026 08:00:00 GMT", "en", "2026-03-10", "day"),
    ("March 2026", "en", "2026-03", "month"),
    ("2026", "en", "2026", "year"),
    ("2026-03-10T23:30:00-05:00", None, "2026-03-10", "day"),  # the day where it was written
    ("2024-03", None, "2024-03", "month"),
])
def test_a_metadata_date_with_its_precision(value, lang, iso, precision):
    assert parse_date(value, lang) == DateValue(iso, precision)


@pytest.mark.parametrize("value", [None, "", "   ", "hier", "lundi", "yesterday", "أمس",
                                   "2024-13-45", "not a date"])
def test_what_is_not_a_publication_date(value):
    assert parse_date(value, "fr") is None


@pytest.mark.parametrize("lang, text, iso, precision, said", [
    ("ar", "الرباط - يوم الإثنين 10 مارس 2025، تمكنت المصالح الأمنية من تفكيك خلية إرهابية.",
     "2025-03-10", "day", "10 مارس 2025"),
    ("ar", "فككت الأجهزة الأمنية في مارس 2024 خلية إرهابية بمدينة فاس.",
     "2024-03", "month", "مارس 2024"),
    ("ar", "أعلنت الوزارة يوم 16 ماي 2003 عن اعتقال المشتبه فيهم.",  # Maghreb month name
     "2003-05-16", "day", "16 ماي 2003"),
    ("fr", "Rabat, le 12 septembre 2024 - La police a démantelé une cellule terroriste.",
     "2024-09-12", "day", "12 septembre 2024"),
    ("fr", "En mars 2024, une cellule de quatre membres a été démantelée à Tanger.",
     "2024-03", "month", "mars 2024"),
    ("fr", "La cellule a été démantelée le 1er mars 2024 à Tanger.",
     "2024-03-01", "day", "1er mars 2024"),
    ("en", "On 3 March 2025 police arrested three men in Tangier.",
     "2025-03-03", "day", "3 March 2025"),
    ("en", "Police said on March 3rd, 2025 that a cell had been dismantled.",
     "2025-03-03", "day", "March 3rd, 2025"),
    ("en", "In March 2024 a cell of twelve members was dismantled in Fez.",
     "2024-03", "month", "March 2024"),
])
def test_the_first_explicit_date_in_a_text(lang, text, iso, precision, said):
    found = find_date(text, lang)
    assert (found.iso, found.precision) == (iso, precision)
    assert text[found.start:found.end] == said


@pytest.mark.parametrize("lang, text", [
    ("ar", "يوم الإثنين تمكنت المصالح الأمنية من تفكيك خلية تتكون من 4 عناصر."),
    ("ar", "تمكن المكتب المركزي للأبحاث القضائية، صباح اليوم، من تفكيك خلية إرهابية."),
    ("fr", "Lundi, la police a arrêté trois personnes, dont 2 femmes âgées de 25 ans."),
    ("en", "On Monday police arrested 3 suspects aged 25 in 12 raids."),
    ("ar", "اعتقل 12 مارس شخصا"),  # no year and no base: not a date
])
def test_relative_words_and_bare_numbers_are_not_dates(lang, text):
    assert find_date(text, lang) is None


def test_a_day_and_month_without_year_take_the_year_of_the_publication_day():
    base = parse_date("2024-10-02")
    found = find_date("RABAT, 12 septembre (MAP) - Une cellule a été démantelée.", "fr", base)
    assert (found.iso, found.precision) == ("2024-09-12", "day")
    # the last such day before publication: a January article's "31 décembre" is last year's
    found = find_date("Rabat, 31 décembre - arrestations.", "fr", parse_date("2025-01-05"))
    assert found.iso == "2024-12-31"


DATELINE = "Rabat, le 12 septembre 2024 - La police a démantelé une cellule terroriste."


@pytest.mark.parametrize("published, iso, precision", [
    (None, "2024-09-12", "day"),  # no metadata: the dateline
    ("2024-09", "2024-09-12", "day"),  # the dateline is finer and within the published month
    ("2024", "2024-09-12", "day"),
    ("2024-09-14", "2024-09-12", "day"),  # two days before publication: the operation's day
    ("2024-11-20", "2024-11-20", "day"),  # too far from publication: the text's date is not it
    ("2025", "2025", "year"),  # another year: the metadata wins
])
def test_the_incident_date(published, iso, precision):
    got = incident_date(published, DATELINE, "fr")
    assert (got.iso, got.precision) == (iso, precision)


def test_a_background_date_far_from_the_incident_is_not_its_date():
    text = ("تمكن المكتب المركزي للأبحاث القضائية، بتنسيق وثيق مع المديرية العامة لمراقبة "
            "التراب الوطني، من تفكيك خلية إرهابية موالية لتنظيم داعش تتكون من أربعة عناصر "
            "تتراوح أعمارهم بين 22 و35 سنة، كانوا ينشطون بمدينة طنجة ونواحيها. "
            "ويذكر أن المغرب عرف منذ تفجيرات 16 ماي 2003 بالدار البيضاء تحولا في مقاربته الأمنية، "
            "وهو ما يفسر الإعلان عن تفكيك عشرات الخلايا خلال السنوات الأخيرة.")
    assert text.index("16 ماي") > 200  # past the dateline
    assert find_date(text, "ar") is not None  # the date is there...
    assert incident_date(None, text, "ar", sentence=(0, text.index(".") + 1)) is None  # ...not here


def test_the_incident_node_carries_the_normalised_date_and_its_id_uses_it():
    from ctkg.loaders.articles import RawArticle
    from ctkg.loaders.extractor import extract

    text = ("Le Bureau central d'investigations judiciaires a démantelé une cellule terroriste "
            "composée de quatre membres à Tanger, selon un communiqué.")
    incidents = {}
    for published in ("12 septembre 2024", "2024-09-12", "2024"):
        batch = extract(RawArticle(text=text, path="in/fr.txt", lang="fr", published=published))
        [node] = [n for n in batch.nodes if n.label == "Incident"]
        incidents[published] = node
    day = incidents["12 septembre 2024"]
    assert (day.props["date"], day.props["date_precision"]) == ("2024-09-12", "day")
    assert day.id == incidents["2024-09-12"].id  # one date, however it was written
    year = incidents["2024"]
    assert (year.props["date"], year.props["date_precision"]) == ("2024", "year")
