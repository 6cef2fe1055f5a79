"""Golden spans for agency and place recall (loaders/entities.py, loaders/gazetteer.py): a
sentence or two in, the Agency and Region nodes a rule must (or must not) produce out."""
from __future__ import annotations

import pytest

from ctkg.loaders.gazetteer import load_gazetteer
from ctkg.loaders.phrases import Phrases
from ctkg.loaders.tokens import shared_tokenizer
from tests.loaders.test_rules import edges, mentions, node_ids, run

# -- generic located bodies: named with a nationality, or the article's country's -----------


@pytest.mark.parametrize("lang, text, mention, agency", [
    # named with a nationality: that country's body
    ("en", "The Spanish authorities arrested three men in Ceuta on Tuesday.",
     "Spanish authorities", "agency:authorities-es"),
    ("en", "Moroccan security services dismantled a terrorist cell in Tangier.",
     "Moroccan security services", "agency:security-services-ma"),
    ("fr", "Les autorités espagnoles ont arrêté trois hommes à Ceuta mardi.",
     "autorités espagnoles", "agency:authorities-es"),
    ("fr", "Les services de sécurité français ont démantelé une cellule terroriste à Lyon.",
     "services de sécurité français", "agency:security-services-fr"),
    ("ar", "تمكنت الأجهزة الأمنية الجزائرية من تفكيك خلية إرهابية بولاية باتنة.",
     "الأجهزة الأمنية الجزائرية", "agency:security-services-dz"),
    ("ar", "أعلنت السلطات الإسبانية توقيف ثلاثة أشخاص في سبتة.",
     "السلطات الإسبانية", "agency:authorities-es"),
    # no nationality: the body of the article's country
    ("fr", "La police belge a arrêté trois hommes à Liège. Le juge d'instruction les a placés "
           "sous mandat d'arrêt.", "juge d'instruction", "agency:investigating-judge-be"),
    ("en", "Tunisian police arrested four men in Sousse. The investigating judge ordered their "
           "detention.", "investigating judge", "agency:investigating-judge-tn"),
    ("ar", "أوقفت الشرطة البلجيكية ثلاثة أشخاص في بروكسل، وأحيلوا على قاضي التحقيق.",
     "قاضي التحقيق", "agency:investigating-judge-be"),
    ("fr", "Les suspects arrêtés à Oran ont été présentés devant le procureur de la République "
           "près le tribunal de Sidi M'hamed, en Algérie.",
     "procureur de la République", "agency:prosecution-dz"),
    ("en", "The General Staff of the Malian army said soldiers arrested six men near Mopti, Mali.",
     "General Staff", "agency:general-staff-ml"),
])
def test_a_generic_body_is_that_of_the_article_s_country(lang, text, mention, agency):
    out = run(text, lang)
    assert mention in mentions(out, "Agency")
    assert agency in node_ids(out, "Agency")


def test_a_generic_body_takes_the_existing_body_of_its_kind():
    """"le parquet général" in a Moroccan story is Morocco's public prosecution."""
    out = run("Le parquet général a ordonné l'ouverture d'une enquête après l'arrestation de "
              "trois suspects à Tanger, au Maroc.", "fr")
    assert "agency:prosecution-ma" in node_ids(out, "Agency")


def test_a_nationality_after_a_generic_body_of_the_same_country_joins_its_mention():
    out = run("Les services de sécurité français ont démantelé une cellule terroriste à Lyon.",
              "fr")
    assert mentions(out, "Agency") == ["services de sécurité français"]
    assert node_ids(out, "Agency") == ["agency:security-services-fr"]


@pytest.mark.parametrize("lang, text", [
    ("ar", "تمكنت الأجهزة الأمنية من تفكيك خلية إرهابية بمدينة طنجة."),
    ("en", "The authorities arrested three men in Ceuta on Tuesday."),
])
def test_bare_security_bodies_and_authorities_stay_no_agency(lang, text):
    assert node_ids(run(text, lang), "Agency") == []


# -- named bodies of the vocabulary --------------------------------------------------------

@pytest.mark.parametrize("lang, text, agency", [
    ("fr", "L'Agence nationale de renseignement (ANR) a démantelé une cellule à Ouagadougou.",
     "agency:anr-bf"),
    ("fr", "Le service central de lutte contre le terrorisme (SCLCT) a interpellé deux suspects "
           "à Niamey.", "agency:sclct-ne"),
    ("en", "Officers from Counter Terrorism Policing North East and West Yorkshire Police arrested "
           "the man in Leeds.", "agency:ctp-gb"),
    ("en", "The Department of State Services (DSS) arrested five suspects in Kaduna State.",
     "agency:dss-ng"),
    ("ar", "أوقفت الشرطة القضائية الفيدرالية أربعة أشخاص في لييج.", "agency:fjp-be"),
])
def test_lesser_known_national_bodies_are_found(lang, text, agency):
    assert agency in node_ids(run(text, lang), "Agency")


def test_a_short_name_that_needs_context_counts_where_its_country_is_named():
    out = run("Spain's National Court sentenced five men for belonging to a jihadist cell.", "en")
    assert "agency:audiencia-nacional-es" in node_ids(out, "Agency")


def test_a_short_name_that_needs_context_stays_out_without_its_country():
    out = run("The National Court sentenced five men for belonging to a jihadist cell.", "en")
    assert "agency:audiencia-nacional-es" not in node_ids(out, "Agency")


# -- places the gazetteer knows ----------------------------------------------------------------

def test_a_region_is_preferred_to_a_commune_that_needs_a_place_word():
    """"Sahel" is also a Moroccan rural commune, which counts only after a place word."""
    out = run("The cell in Casablanca was in contact with Islamic State commanders in the Sahel, "
              "Moroccan police said.", "en")
    assert "region:sahel" in node_ids(out, "Region")


def test_one_span_under_two_alias_forms_keeps_both_readings():
    matcher = Phrases()
    matcher.add("Sidi Bouzid", "tn", case_sensitive=True)
    matcher.add("Sidi Bouzid", "dz")
    [(refs, match)] = matcher.find(shared_tokenizer()("à Sidi Bouzid"))
    assert sorted(refs) == ["dz", "tn"] and match.text == "Sidi Bouzid"


@pytest.mark.parametrize("name, entry", [
    ("Düsseldorf", "region:de-dusseldorf"),
    ("Tillabéri", "region:ne-tillaberi"),
    ("Duisburg", "region:de-duisburg"),
])
def test_latin_town_names_with_accents_match(name, entry):
    found = load_gazetteer().matcher.find(shared_tokenizer()(f"Arrests in {name} on Monday"))
    assert any(m.text == name and entry in [r.id for r in refs] for refs, m in found)


def test_a_month_is_no_town():
    out = run("Police arrested three men in Brussels in March, Belgian prosecutors said.", "en")
    assert "March" not in mentions(out, "Region")


# -- places no gazetteer knows, in French and English --------------------------------------

@pytest.mark.parametrize("lang, text, place", [
    ("en", "Soldiers arrested four suspects in Dogofry, Mali, on Tuesday.", "Dogofry"),
    ("en", "Police arrested the men in Ayorou, Ouallam and Gorouol, Niger.", "Gorouol"),
    ("fr", "Trois hommes ont été interpellés dans le cercle de Ténenkou, au Mali.", "Ténenkou"),
    ("fr", "Les suspects ont été arrêtés à Barsalogho, dans la province du Sanmatenga, au "
           "Burkina Faso.", "Barsalogho"),
    ("en", "The militants were active in Gudu area, in Sokoto, Nigeria.", "Gudu"),
])
def test_an_unknown_capitalised_place_is_a_locality(lang, text, place):
    out = run(text, lang)
    assert place in mentions(out, "Region")


def test_the_locality_is_where_the_cell_operated():
    out = run("A terrorist cell was dismantled in Dogofry, Mali; its four members were arrested.",
              "en")
    assert any(target.endswith("dogofry") for _, target in edges(out, "OPERATED_IN"))


@pytest.mark.parametrize("lang, text, not_a_place", [
    ("en", "He was arrested in Bradford, and Kamran Aziz, 31, from Dewsbury, was charged.",
     "Kamran"),
    ("fr", "Le groupe, dirigé par un Marocain résidant à Figueres, Khalid Amrani, se réclamait "
           "de Daech.", "Khalid Amrani"),
    ("en", "Four men were arrested in the Catalan city of Girona, in Spain.", "Catalan"),
    ("en", "They planned an attack in Düsseldorf around the New Year holidays, police said.",
     "New Year"),
    ("fr", "Ils envisageaient une action violente sur la Grand-Place de Bruxelles, selon le "
           "parquet belge.", "Grand"),
    ("en", "He was arrested in Ahmed's house in Rabat, Morocco.", "Ahmed's"),
])
def test_persons_adjectives_and_cut_names_are_no_localities(lang, text, not_a_place):
    assert not_a_place not in mentions(run(text, lang), "Region")


def test_an_unknown_name_without_a_country_in_the_article_is_left_alone():
    out = run("Les suspects ont été arrêtés à Barsalogho mardi.", "fr")
    assert mentions(out, "Region") == []


# -- small places in Arabic ------------------------------------------------------------------

def test_a_town_with_its_province_in_brackets_is_part_of_it():
    out = run("فككت المصالح الأمنية خلية إرهابية بمنطقة تينزولين (إقليم زاكورة) تتكون من ثلاثة "
              "عناصر.", "ar")
    assert "تينزولين" in mentions(out, "Region")
    assert "region:ma-tinzulin-c23c63" in node_ids(out, "Region")


@pytest.mark.parametrize("text, place", [
    ("تحصن الإرهابيون بجبل شيليا بولاية خنشلة.", "شيليا"),
    ("تم توقيف المشتبه فيه بدوار الخلايفية التابع لجماعة سيدي رحال بإقليم قلعة السراغنة.",
     "الخلايفية"),
])
def test_a_name_after_a_locality_word_is_a_locality(text, place):
    assert place in mentions(run(text, "ar"), "Region")


def test_a_commune_read_from_its_place_word_keeps_to_the_sentence_s_country():
    """"بني صالح" is also a Moroccan commune; in a sentence about El Tarf it is a local forest."""
    out = run("أوقفت عناصر الدرك الوطني ثلاثة إرهابيين بغابة بني صالح بولاية الطارف.", "ar")
    assert "region:dz-bni-salh-d7b917" in node_ids(out, "Region")
    assert not any(i.startswith("region:ma") for i in node_ids(out, "Region"))


@pytest.mark.parametrize("lang, text, mention", [
    ("ar", "أعلنت الأجهزة الموريتانية توقيف ثلاثة عناصر في نواكشوط.", "الأجهزة الموريتانية"),
    ("en", "The Malian Air Force struck a column of militants near Diabaly, Mali.",
     "Malian Air Force"),
])
def test_more_generic_bodies_take_their_nationality(lang, text, mention):
    assert mention in mentions(run(text, lang), "Agency")


# -- Arabic localities: three-letter place words, duals, names met before; no "ك" places ------


@pytest.mark.parametrize("text, place", [
    # "بحي" keeps its clitic (too short to strip)
    ("كان يشتغل بائعا متجولا بحي لازاري بوجدة.", "لازاري"),
    # a dual place word names two places, the second after "و"
    ("أوقفت السلطات تسعة أشخاص في حيي طلاجي وكوارا تيغي بنيامي.", "طلاجي"),
    ("أوقفت السلطات تسعة أشخاص في حيي طلاجي وكوارا تيغي بنيامي.", "كوارا تيغي"),
    ("أوقفت الشرطة الإسبانية خمسة أشخاص بمدينتي بالما دي مايوركا وإنكا بإسبانيا.", "إنكا"),
])
def test_arabic_locality_after_short_or_dual_place_word(text, place):
    assert place in mentions(run(text, "ar"), "Region")


def test_a_locality_met_before_is_not_run_on_into_the_next_word():
    out = run("أوقفت الشرطة المتهم بحي النور بمدينة القصرين، وحجزت بمنزله بحي النور كمية من "
              "الأدوية.", "ar")
    assert mentions(out, "Region").count("النور") == 2
    assert "النور كمية" not in mentions(out, "Region")


@pytest.mark.parametrize("text, word", [
    ("نفذت الجماعة كمينا ضد قافلة عسكرية قرب نارا بمالي.", "مينا"),  # an ambush, not Minna
    ("كانوا يخططون لمهاجمة كنيس يهودي في مونبلييه بفرنسا.", "نيس"),  # a synagogue, not Nice
    ("لا يزال العنصر الخامس فارا في الجزائر.", "العنصر"),  # "the element", not El Ancer
    ("إن القاسم المشترك بين القضيتين واضح في المغرب.", "القاسم"),
])
def test_ordinary_arabic_words_are_no_places(text, word):
    assert word not in mentions(run(text, "ar"), "Region")


@pytest.mark.parametrize("text, mention, region", [
    ("كانت الخلية تتلقى الأموال من وسيط في شمال مالي.", "شمال مالي", "region:ml-northern"),
    ("كانوا يعملون على إعادة تنظيم صفوف التنظيم في الجنوب الليبي.", "الجنوب الليبي",
     "region:ly-southern"),
])
def test_a_compass_word_names_part_of_a_country(text, mention, region):
    out = run(text, "ar")
    assert mention in mentions(out, "Region")
    assert region in node_ids(out, "Region")


def test_a_compass_word_after_a_place_only_locates_it():
    out = run("يتلقون تعليمات من قيادي ينشط في منطقة تمبكتو شمال مالي.", "ar")
    assert "region:ml-northern" not in node_ids(out, "Region")


@pytest.mark.parametrize("text, mention", [
    ("فككت وحدات الدرك الوطني خلية بمدينة تمنراست بالتنسيق مع مفارز حرس الحدود في الجزائر.",
     "حرس الحدود"),
    ("دفع الدفاع ببطلان محاضر الضابطة القضائية أمام محكمة الاستئناف بالرباط في المغرب.",
     "الضابطة القضائية"),
    ("وبحسب قرار دائرة الاتهام بتونس، اعترف المتهم بانتمائه إلى تنظيم داعش.", "دائرة الاتهام"),
])
def test_generic_arabic_bodies_are_the_article_country_s(text, mention):
    assert any(mention in m for m in mentions(run(text, "ar"), "Agency"))


def test_a_generic_place_name_between_countries_is_that_place():
    """"المثلث الحدودي" needs context: "بين" and a country give it (a supra-region has no
    country of its own to fit)."""
    out = run("لم يعد نشاط التنظيم محصورا في المثلث الحدودي بين النيجر ومالي وبوركينا فاسو.", "ar")
    assert "region:liptako-gourma" in node_ids(out, "Region")
