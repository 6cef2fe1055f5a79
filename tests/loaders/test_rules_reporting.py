"""Golden spans for the rules learnt from real reporting (issue 9): one rule each, a sentence
or two in, what the rule must (or must not) produce out."""
from __future__ import annotations

from tests.loaders.test_rules import edges, mentions, node_ids, run, statements

# -- agencies ------------------------------------------------------------------------------


def test_a_body_name_several_countries_use_goes_to_the_article_s_country():
    """The vocabulary knows "الإدارة العامة للأمن الوطني" as Tunisia's; in a story set in
    Mauritania, with no Tunisian place, it is Mauritania's national security."""
    out = run("نواكشوط: توقيف ثلاثة أشخاص\n\nأوقفت الأجهزة الأمنية الموريتانية ثلاثة أشخاص في "
              "نواكشوط والنعمة، وفق ما أعلنته الإدارة العامة للأمن الوطني في بيان. وقال البيان "
              "إن التوقيفات جرت في نواكشوط.", "ar")
    assert "agency:dgsn-mr" in node_ids(out, "Agency")
    assert "agency:dgsn-tn" not in node_ids(out, "Agency")


def test_the_vocabulary_body_keeps_its_country_where_that_country_is_named():
    out = run("أعلنت الإدارة العامة للأمن الوطني توقيف عنصرين تكفيريين في ولاية القصرين "
              "بتونس.", "ar")
    assert "agency:dgsn-tn" in node_ids(out, "Agency")


# -- speakers ------------------------------------------------------------------------------


def test_an_office_s_communique_is_that_office_s_even_after_a_generic_body():
    out = run("فكك المكتب المركزي للأبحاث القضائية خلية إرهابية بتطوان، في إطار جهود المصالح "
              "الأمنية المغربية. وأفاد بلاغ للمكتب أن عمليات التوقيف جرت بشكل متزامن.", "ar")
    assert ("agency:bcij-ma", "عمليات التوقيف جرت بشكل متزامن") in statements(out)


def test_a_subjectless_verb_after_a_setting_speaks_for_the_person_just_introduced():
    """"وقال في تصريح للجريدة إن": the verb's own pronoun, for the researcher named in the
    sentence before, not for the agency whose communiqué was quoted earlier."""
    out = run("وأكد بلاغ المديرية العامة لمراقبة التراب الوطني أن الخلية كانت تستعد لتنفيذ "
              "هجمات. وتوقف الباحث في الشؤون الأمنية عبد الحق بنعيسى عند دلالات العملية. وقال "
              "في تصريح للجريدة إن \"التنظيمات المتطرفة تراهن على الهشاشة الاجتماعية\".", "ar")
    said = dict((words, who) for who, words in statements(out))
    assert said["التنظيمات المتطرفة تراهن على الهشاشة الاجتماعية"].startswith("person:")
    assert "agency" not in said["التنظيمات المتطرفة تراهن على الهشاشة الاجتماعية"]


def test_a_participle_goes_on_with_the_communique_not_with_a_body_named_in_its_words():
    out = run("فكك المكتب المركزي للأبحاث القضائية خلية إرهابية بتطوان. وأكد البلاغ أن هذه "
              "العملية تمت بتنسيق وثيق مع المديرية العامة لمراقبة التراب الوطني، مبرزا أنه \"تم "
              "إخضاع المشتبه فيهم لتدبير الحراسة النظرية\".", "ar")
    assert ("agency:bcij-ma", "تم إخضاع المشتبه فيهم لتدبير الحراسة النظرية") in statements(out)


def test_a_person_named_in_what_a_source_marker_reports_is_not_its_speaker():
    out = run("فكك المكتب المركزي للأبحاث القضائية خلية إرهابية بسلا. وحسب المعطيات ذاتها، "
              "فإن زعيم الخلية، المدعو رضوان الشرقاوي، يشتغل بائعا متجولا.", "ar")
    speakers = {who for who, _ in statements(out)}
    assert speakers == {"agency:bcij-ma"}


def test_a_communique_followed_by_its_body_names_that_body():
    out = run("La DGST a démantelé une cellule à Fnideq. Selon le communiqué du ministère "
              "espagnol de l'Intérieur, le groupe « diffusait la propagande de Daech ».", "fr")
    assert ("agency:interior-es", "diffusait la propagande de Daech") in statements(out)


# -- persons -------------------------------------------------------------------------------


def test_a_name_after_an_institution_word_is_no_person():
    out = run("وقال الباحث عبد الحق بنعيسى، الأستاذ بجامعة عبد المالك السعدي، إن الخلية "
              "خطيرة.", "ar")
    assert "عبد الحق بنعيسى" in mentions(out, "Person")
    assert "عبد المالك السعدي" not in mentions(out, "Person")


def test_a_title_followed_by_a_relative_clause_names_nobody():
    out = run("ويوضح الباحث، الذي أصدر العام الماضي دراسة عن التجنيد، أن الجماعات تبحث عن "
              "موطئ قدم.", "ar")
    assert mentions(out, "Person") == []


def test_no_name_is_read_after_a_long_run_of_skipped_words():
    out = run("جرت التحقيقات تحت إشراف قاضي التحقيق المركزي بالمحكمة الوطنية في مدريد، وأن "
              "العملية تعد \"ثمرة جديدة للتعاون\".", "ar")
    assert mentions(out, "Person") == []


# -- places --------------------------------------------------------------------------------


def test_white_weapons_are_no_white_city():
    """"أسلحة بيضاء" (bladed weapons): neither Casablanca (البيضاء needs its context) nor
    Bayda in Libya."""
    out = run("فككت المصالح الأمنية خلية إرهابية بتطوان، وحجزت الأسلحة البيضاء وقنينات "
              "غاز.", "ar")
    assert "البيضاء" not in mentions(out, "Region")


def test_a_target_ends_where_the_arrests_begin():
    out = run("DSS foils Ansaru plot on Abuja, arrests six in Kogi and Nasarawa\n\nThe "
              "Department of State Services (DSS) said it dismantled a six-man cell of the "
              "Ansaru terrorist group.", "en")
    targeted = {target for _, target in edges(out, "TARGETED")}
    operated = {target for _, target in edges(out, "OPERATED_IN")}
    assert any("abuja" in t for t in targeted)
    assert not any("kogi" in t or "nasarawa" in t for t in targeted)
    assert any("kogi" in t for t in operated)


def test_an_attack_plan_against_a_place_is_targeted():
    out = run("The Spanish police dismantled a jihadist cell in Barcelona. The ministry said "
              "the members had discussed carrying out an attack against a crowded location in "
              "Catalonia.", "en")
    assert any("catalonia" in t for _, t in edges(out, "TARGETED"))


def test_names_listed_after_a_list_opener_are_places():
    out = run("أوقفت قوات الدرك المالية ستة متهمين في كل من تاكوندي ودوينتزا بمنطقة موبتي، بعد "
              "أشهر من المراقبة.", "ar")
    assert {"تاكوندي", "دوينتزا", "موبتي"} <= set(mentions(out, "Region"))


def test_a_list_of_places_ends_at_its_last_conjunction():
    """"بكل من تمنراست وعين قزام، وحجزت مركبات": what follows the comma is another clause."""
    out = run("أوقفت مفارز مشتركة 14 مهربا بكل من تمنراست وعين قزام، وحجزت مركبات وأجهزة كشف "
              "عن المعادن.", "ar")
    regions = mentions(out, "Region")
    assert "تمنراست" in regions
    assert not any("مركبات" in r or "أجهزة" in r for r in regions)


def test_a_list_opener_outside_arrests_names_no_places():
    out = run("وتحدث الخبير في كل من مقالاته ومحاضراته عن التهديد.", "ar")
    assert mentions(out, "Region") == []


def test_the_outskirts_of_an_unknown_place_name_it():
    out = run("فككت المصالح الأمنية المغربية خلية بتطوان، وحددت مخبأ بمنطقة جبلية بضواحي واد لاو "
              "كان أعضاء الخلية يستعملونه.", "ar")
    assert "واد لاو" in mentions(out, "Region")


def test_a_name_listed_among_places_of_the_cell_is_no_person():
    """"ينشطون في سيدي مومن في الدار البيضاء، واد زم، وأولاد سعيد": Sidi Moumen is a district
    and Ouled Said a commune, not men called Sidi and Said."""
    out = run("فكك المكتب المركزي للأبحاث القضائية خلية من 9 أفراد ينشطون في سيدي مومن في الدار "
              "البيضاء، بوجنيبة، وأولاد سعيد الواد ناحية قصبة تادلة.", "ar")
    assert mentions(out, "Person") == []


def test_a_name_after_in_outside_arrests_and_activity_is_still_a_person():
    out = run("وقال الخبير الأمني محمد الطيبي في تصريح إن الخلية خطيرة.", "ar")
    assert "محمد الطيبي" in mentions(out, "Person")


def test_a_far_place_after_the_arrests_is_no_target_either():
    out = run("Un attentat a été déjoué après l'arrestation de sept hommes à Strasbourg et à "
              "Marseille, a annoncé la DGSI.", "fr")
    assert edges(out, "TARGETED") == []
    assert {t for _, t in edges(out, "OPERATED_IN")} >= {"region:fr-strasbourg",
                                                         "region:fr-marseille"}


def test_an_agency_s_headquarters_is_not_where_the_cell_operated():
    out = run("The Nigerian Army headquarters in Abuja said troops arrested 26 suspected "
              "members of Boko Haram in Borno State.", "en")
    operated = {t for _, t in edges(out, "OPERATED_IN")}
    assert "region:borno" in operated
    assert not any("abuja" in t for t in operated)


# -- aliases -------------------------------------------------------------------------------


def test_aliases_are_stored_without_attached_prepositions():
    out = run("تمكن المكتب المركزي للأبحاث القضائية التابع للمديرية العامة لمراقبة التراب الوطني "
              "من تفكيك خلية إرهابية بتطوان، بتنسيق مع المديرية العامة لمراقبة التراب الوطني.",
              "ar")
    dgst = next(n for n in out["nodes"] if n["id"] == "agency:dgst-ma")
    assert dgst["aliases"] == ["المديرية العامة لمراقبة التراب الوطني"]
    assert {m["text"] for m in dgst["mentions"]} >= {"للمديرية العامة لمراقبة التراب الوطني"}


def test_clean_aliases_keep_names_that_begin_like_a_clitic():
    from ctkg.loaders.assemble import clean_aliases

    assert clean_aliases(["وبروكسل", "بروكسل"], ("بروكسل",)) == ["بروكسل"]
    assert clean_aliases(["باماكو"], ("باماكو",)) == ["باماكو"]
    assert clean_aliases(["بالاييارا"]) == ["بالاييارا"]  # not a known ب + name
    assert clean_aliases(["للجيش الوطني الشعبي"]) == ["الجيش الوطني الشعبي"]


def test_an_arabic_dismantling_verb_makes_an_incident():
    out = run("فككت المديرية العامة للأمن الوطني خلية إرهابية بطنجة.", "ar")
    incidents = [n for n in out["nodes"] if n["label"] == "Incident"]
    assert [n["kind"] for n in incidents] == ["dismantlement"]


def test_french_guillemets_with_their_space_mark_a_quote():
    out = run("« Les suspects préparaient des attentats », a déclaré Mohamed Alaoui, "
              "porte-parole de la DGSN.", "fr")
    said = [n for n in out["nodes"] if n["label"] == "Statement"]
    assert [(n["quoted"], n["text"]) for n in said] == [
        (True, "Les suspects préparaient des attentats")]


def test_this_said_on_a_day_refers_back_and_opens_no_words():
    out = run("Troops arrested six ISWAP suppliers in Monguno. The Director of Defence Media "
              "Operations, Major General Sani Abdullahi Kwaru, disclosed this on Thursday in "
              "Abuja while briefing journalists.", "en")
    assert statements(out) == []
