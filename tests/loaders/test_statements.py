"""Golden spans for statements and their speakers: one rule each, a sentence or two in, the
statements (speaker, words) out."""
from __future__ import annotations

import pytest

from tests.loaders.test_rules import run, statements

# -- a source marker that opens the sentence ---------------------------------------------


@pytest.mark.parametrize("lang, text, said", [
    ("fr", "Selon la DGST, ils comptaient s'en prendre à des patrouilles de la gendarmerie.",
     "ils comptaient s'en prendre à des patrouilles de la gendarmerie"),
    ("fr", "La DGST a indiqué que six hommes ont été arrêtés à Tanger. Selon la même source, "
           "les quatre individus avaient prêté allégeance à l'EI.",
     "les quatre individus avaient prêté allégeance à l'EI"),
    ("en", "The DGST said on Monday that six men were arrested in Tangier. According to the "
           "statement, the network was run by a 49-year-old man from Fez.",
     "the network was run by a 49-year-old man from Fez"),
])
def test_an_opening_source_marker_reports_what_follows_its_comma(lang, text, said):
    assert ("agency:dgst-ma", said) in statements(run(text, lang))


def test_a_source_marker_between_commas_reports_the_quote_after_it():
    out = run("Ceux-là, selon le communiqué de la DGST, « étaient en contact permanent avec un "
              "responsable de l'organisation ».", "fr")
    assert statements(out) == [
        ("agency:dgst-ma", "étaient en contact permanent avec un responsable de l'organisation")]


def test_an_unnamed_source_is_no_speaker():
    out = run("La DGST a démantelé une cellule à Tanger. Selon une source sécuritaire, les "
              "suspects projetaient des attentats.", "fr")
    assert statements(out) == []


# -- quotes before an anaphor or a pronoun -----------------------------------------------

def test_a_quote_before_the_statement_said_is_the_agency_s():
    out = run('The DGST said on Monday that six men were arrested in Tangier. "Preliminary '
              'investigations have shown that the members stored weapons," the statement said.',
              "en")
    assert ("agency:dgst-ma", "Preliminary investigations have shown that the members stored "
            "weapons") in statements(out)


@pytest.mark.parametrize("lang, text", [
    ("fr", "Le chercheur Driss Benchekroun a déclaré que la menace persiste au Sahel. « La "
           "difficulté, c'est que les recrues sont de plus en plus jeunes », a-t-il précisé."),
    ("en", 'The researcher Driss Benchekroun said that the threat persists in the Sahel. "The '
           'difficulty is that the recruits are younger and younger," he said.'),
])
def test_a_pronoun_speaker_is_the_person_named_last(lang, text):
    said = [(speaker, words) for speaker, words in statements(run(text, lang))
            if words.startswith(("La difficulté", "The difficulty"))]
    assert [speaker for speaker, _ in said] == ["person:driss-benchekroun"]


def test_a_long_speaker_phrase_after_the_quote():
    out = run('Police arrested three men in Brussels on Monday. "The elements gathered were '
              'sufficient to act," federal prosecutor\'s office spokesman Kristof Verhaegen told '
              "reporters in Brussels.", "en")
    assert ("person:kristof-verhaegen", "The elements gathered were sufficient to act") \
        in statements(out)


def test_a_surname_alone_speaks_for_the_person_named_before():
    out = run("Kristof Verhaegen, the prosecutor's spokesman, spoke in Brussels on Monday. "
              "The searches were conducted by the judicial police, Verhaegen said.", "en")
    assert ("person:kristof-verhaegen", "The searches were conducted by the judicial police") \
        in statements(out)


# -- announcements and short quotes after the verb ---------------------------------------

@pytest.mark.parametrize("lang, text, said", [
    ("fr", "La DGST a annoncé lundi le démantèlement d'une cellule terroriste à Tanger.",
     "le démantèlement d'une cellule terroriste à Tanger"),
    ("fr", "La DGST a annoncé jeudi, dans un communiqué, le démantèlement d'une cellule à Fès.",
     "le démantèlement d'une cellule à Fès"),
])
def test_an_agency_s_announcement_is_its_statement(lang, text, said):
    assert statements(run(text, lang)) == [("agency:dgst-ma", said)]


def test_the_body_that_issued_the_communique_speaks_not_the_one_named_before():
    out = run("فككت القوات الأمنية خلية إرهابية بمدينة تطوان. وذكر البيان الصادر عن المكتب "
              "المركزي للأبحاث القضائية أن أفراد الخلية كانوا يخططون لصناعة عبوات ناسفة.", "ar")
    assert [speaker for speaker, _ in statements(out)] == ["agency:bcij-ma"]


@pytest.mark.parametrize("lang, text, speaker", [
    ("en", "Raids were carried out in Melilla and Nador, according to sources from Spain's "
           "Interior Ministry.", "agency:interior-es"),
    ("fr", "Selon des sources au sein de la DGSN, la cellule préparait des attentats à Fès.",
     "agency:dgsn-ma"),
    ("ar", "وقالت مصادر من المديرية العامة للأمن الوطني إن الخلية كانت تخطط لهجمات في فاس.",
     "agency:dgsn-ma"),
])
def test_sources_from_a_body_speak_for_it(lang, text, speaker):
    assert [s for s, _ in statements(run(text, lang))] == [speaker]


@pytest.mark.parametrize("lang, text", [
    ("en", "The cell planned attacks in Fez, according to sources close to the investigation."),
    ("ar", "وقالت مصادر مطلعة إن الخلية كانت تخطط لهجمات في فاس."),
])
def test_unnamed_sources_still_speak_for_nobody(lang, text):
    assert statements(run(text, lang)) == []


def test_a_quote_a_few_words_after_the_verb():
    out = run("La DGST a fait état de « lourdes pertes dans les rangs de l'ennemi ».", "fr")
    assert statements(out) == [("agency:dgst-ma", "lourdes pertes dans les rangs de l'ennemi")]


def test_a_closing_attribution_may_go_on_with_a_participle():
    out = run("Five suspects were arrested in Tangier and Fez, the DGST said, adding that one of "
              "the detainees was in direct contact with a commander.", "en")
    assert statements(out) == [
        ("agency:dgst-ma", "Five suspects were arrested in Tangier and Fez"),
        ("agency:dgst-ma", "one of the detainees was in direct contact with a commander")]


def test_a_bare_subject_opens_the_words_only_right_after_the_verb():
    out = run("Six men were arrested, the DGST said in its weekly operational report.", "en")
    assert all(words != "its weekly operational report" for _, words in statements(out))


def test_an_arabic_adjective_in_ta_marbuta_is_no_speech_verb():
    out = run('أعلن الجيش المالي تفكيك شبكة تموين تابعة لـ"نصرة الإسلام والمسلمين".', "ar")
    assert all(words != "نصرة الإسلام والمسلمين" for _, words in statements(out))


# -- interviews --------------------------------------------------------------------------

def test_each_answer_of_an_interview_is_the_interviewee_s():
    text = ("Interview with Nadia Lahlou\n\n"
            "We asked the researcher Nadia Lahlou what the case tells us.\n"
            "Q: What is new in this case?\n"
            "Lahlou: The profile of the suspects is not new at all. The rest is.\n"
            "Q: Is that credible?\n"
            "It is consistent with what we see elsewhere in the Sahel.\n")
    said = statements(run(text, "en"))
    assert ("person:nadia-lahlou", "The profile of the suspects is not new at all. The rest is") \
        in said
    assert ("person:nadia-lahlou", "It is consistent with what we see elsewhere in the Sahel") \
        in said
    assert all(not words.startswith("What is new") for _, words in said)


# -- which speaker -----------------------------------------------------------------------

def test_an_anaphor_next_to_the_verb_beats_an_agency_named_before_it():
    out = run("The Moroccan Interior Ministry said on Monday that six men were arrested. They "
              "were detained in an operation by the DGST in Tangier, the ministry said.", "en")
    assert ("agency:interior-ma", "They were detained in an operation by the DGST in Tangier") \
        in statements(out)


def test_an_anaphor_names_the_agency_with_its_head_word():
    out = run("فككت المديرية العامة لمراقبة التراب الوطني خلية إرهابية بطنجة. وأكد المكتب "
              "المركزي للأبحاث القضائية أن الخلية كانت تخطط لهجمات. ويأتي هذا التدخل، حسب "
              "المديرية، في إطار \"الجهود المتواصلة للتصدي للتهديدات الإرهابية\".", "ar")
    assert ("agency:dgst-ma", "الجهود المتواصلة للتصدي للتهديدات الإرهابية") in statements(out)


@pytest.mark.parametrize("lang, text", [
    ("en", "The DGST said on Monday that six men were arrested in Tangier. Investigators say "
           "the trio was led by a Spanish national."),
    ("ar", "أكدت المديرية العامة لمراقبة التراب الوطني أن الخلية كانت تخطط لهجمات. ويذكر أن "
           "المغرب فكك عشرات الخلايا منذ سنة 2002."),
])
def test_a_verb_with_a_subject_of_its_own_or_an_impersonal_one_has_no_speaker(lang, text):
    assert len(statements(run(text, lang))) == 1


def test_a_relative_clause_after_an_opening_source_is_skipped():
    out = run("Selon la DGST, qui s'est saisie de l'enquête, les deux jeunes avaient prêté "
              "allégeance à l'État islamique.", "fr")
    assert statements(out) == [
        ("agency:dgst-ma", "les deux jeunes avaient prêté allégeance à l'État islamique")]


def test_a_quote_of_several_sentences_before_its_speaker():
    out = run("La DGST a démantelé une cellule à Tanger.\n« Cette affaire illustre le "
              "rajeunissement des profils. Les recruteurs ciblent des mineurs », a réagi Claire "
              "Dubreuil, chercheuse spécialiste du jihadisme.", "fr")
    assert ("person:claire-dubreuil", "Cette affaire illustre le rajeunissement des profils. "
            "Les recruteurs ciblent des mineurs") in statements(out)


def test_a_headline_person_colon_words_is_that_person_s_statement():
    out = run("الباحث حسن بنعيسى: الخلية كشفت انتقال داعش إلى التجنيد عبر الألعاب\n\n"
              "فككت المديرية العامة لمراقبة التراب الوطني خلية إرهابية بمدينة تيفلت.", "ar")
    assert ("person:hsn-bnisi-1d4bde", "الخلية كشفت انتقال داعش إلى التجنيد عبر الألعاب") \
        in statements(out)


def test_a_relative_after_an_anaphor_goes_on_with_its_speaker():
    out = run("La DGST a démantelé une cellule à Tanger, indique le communiqué, qui salue « "
              "l'excellence de la coopération avec les services espagnols ».", "fr")
    assert ("agency:dgst-ma", "l'excellence de la coopération avec les services espagnols") \
        in statements(out)


def test_said_without_that_and_the_subject_before_it():
    out = run("In October, the Nigerian Army said troops of Operation Fansan Yamma had arrested "
              "15 suspects in Sokoto.", "en")
    assert statements(out) == [
        ("agency:army-ng", "troops of Operation Fansan Yamma had arrested 15 suspects in Sokoto")]


@pytest.mark.parametrize("lang, text, said", [
    ("fr", "Une cellule terroriste a été démantelée mardi à Fès par le BCIJ, indique un "
           "communiqué du ministère de l’Intérieur.",
     "Une cellule terroriste a été démantelée mardi à Fès par le BCIJ"),
    ("en", "A terrorist cell was dismantled in Fez by the BCIJ, said a statement from the "
           "Interior Ministry.", "A terrorist cell was dismantled in Fez by the BCIJ"),
])
def test_a_closing_attribution_s_subject_comes_after_its_verb(lang, text, said):
    # (the body named before the comma is what the words are about, not who says them)
    assert statements(run(text, lang)) == [("agency:interior-ma", said)]


def test_a_subject_anaphor_before_said_is_the_speaker_not_the_body_after_it():
    out = run("The Interior Ministry said on Friday that a cell was broken up in Kasserine.\n"
              "In a statement, the ministry said the arrests were made by the National Guard "
              "after weeks of surveillance.", "en")
    assert any(text == "the arrests were made by the National Guard after weeks of surveillance"
               for _, text in statements(out))
    assert all(s != "agency:national-guard-tn" for s, _ in statements(out))


def test_said_without_that_keeps_a_quote_further_in_the_words():
    out = run("In October, the Nigerian Army said troops had arrested 15 suspects in Sokoto "
              "with two men it described as \"couriers\" from Niger.", "en")
    assert statements(out) == [("agency:army-ng", "troops had arrested 15 suspects in Sokoto "
                                "with two men it described as \"couriers\" from Niger")]


def test_a_closing_attribution_followed_by_a_relative_clause():
    out = run("Tous avaient prêté allégeance à l'État islamique dans des vidéos, indique le "
              "parquet national antiterroriste, qui évoque un projet avancé.", "fr")
    assert any(text == "Tous avaient prêté allégeance à l'État islamique dans des vidéos"
               for _, text in statements(out))


def test_according_to_a_document_opens_the_claim():
    out = run("The Ministry of National Defence said the army arrested five men.\n"
              "According to the report, the suspects had hidden weapons near Tebessa.", "en")
    assert any(text == "the suspects had hidden weapons near Tebessa"
               for _, text in statements(out))


def test_a_source_marker_inside_a_relative_clause_reports_the_clause():
    out = run("La Garde nationale a arrêté Wassim Jelassi, chef de la cellule, qui selon "
              "l'accusation coordonnait les préparatifs depuis Sousse.", "fr")
    assert any(text == "coordonnait les préparatifs depuis Sousse"
               for _, text in statements(out))


def test_an_interview_answer_is_one_statement_of_all_its_sentences():
    out = run("Entretien avec Nadia Belkheir, chercheuse.\n\nLa cellule visait-elle le Maroc ?\n"
              "Le JNIM a une autre stratégie au Sahel. Il ne cherche pas à frapper l'Europe "
              "ni le Maghreb.\n\nEt les États sahéliens ?\nIls manquent de moyens dans les "
              "campagnes du centre.", "fr")
    assert ("person:nadia-belkheir", "Le JNIM a une autre stratégie au Sahel. Il ne cherche "
            "pas à frapper l'Europe ni le Maghreb") in statements(out)


# -- closing attributions ('..., the ministry said.') ----------------------------------

def test_an_attribution_closing_the_sentence_reports_the_words_before_it():
    out = run("Police broke up a jihadist cell planning attacks in Spain, the Interior Ministry "
              "said on Tuesday.", "en")
    assert statements(out) == [("agency:interior-es",
                                "Police broke up a jihadist cell planning attacks in Spain")]


def test_a_closing_attribution_that_goes_on_is_not_read_backwards():
    out = run("Police broke up a jihadist cell planning attacks in Spain, the Interior Ministry "
              "said, adding details later.", "en")
    assert all(not text.startswith("Police broke up") for _, text in statements(out))


def test_a_closing_attribution_by_an_anaphor_speaks_for_the_agency_named_before():
    out = run("The Spanish Interior Ministry announced the operation on Wednesday.\n"
              "Police carried out nine searches in Ceuta on Sunday morning, the ministry said in "
              "a statement.", "en")
    assert ("agency:interior-es", "Police carried out nine searches in Ceuta on Sunday morning") \
        in statements(out)


def test_a_closing_attribution_with_its_speaker_after_the_verb():
    out = run("Les gendarmes ont interpellé quatre suspects à Skikda, indique le ministère de "
              "l'Intérieur (MI) mercredi.", "fr")
    assert [text for _, text in statements(out)] == [
        "Les gendarmes ont interpellé quatre suspects à Skikda"]
