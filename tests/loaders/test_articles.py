"""Article readers: txt (with or without headline), HTML, JSON, JSON Lines; errors yielded."""
from __future__ import annotations

import json

import pytest

from ctkg.loaders.articles import (ArticleError, RawArticle, detect_language, iter_articles,
                                   read_text)

from tests.conftest import ROOT

SEED = ROOT / "examples" / "seed-ar-001.txt"

HEADLINE = "تفكيك خلية إرهابية موالية لداعش بطنجة"
BODY = ("تمكن المكتب المركزي للأبحاث القضائية من تفكيك خلية إرهابية موالية لتنظيم داعش، "
        "تتكون من أربعة عناصر ينشطون بمدينة طنجة.\n"
        "وأفاد بلاغ للمديرية العامة لمراقبة التراب الوطني أن التفتيش أسفر عن حجز أسلحة بيضاء.\n")

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>تفكيك خلية إرهابية بطنجة | جريدة المساء</title>
<meta property="og:title" content="تفكيك خلية إرهابية موالية لداعش بطنجة">
<meta name="description" content="أخبار وطنية">
</head>
<body>
<header><nav><ul>
<li><a href="/">الرئيسية</a></li><li><a href="/politique">سياسة</a></li>
<li><a href="/sport">رياضة</a></li><li><a href="/contact">اتصل بنا</a></li>
</ul></nav></header>
<div class="sidebar"><h3>الأكثر قراءة</h3><ul>
<li><a href="/a1">أسعار المحروقات ترتفع من جديد</a></li>
<li><a href="/a2">نتائج مباريات البطولة الوطنية</a></li></ul></div>
<main><article>
<h1>تفكيك خلية إرهابية موالية لداعش بطنجة</h1>
<p class="date">الثلاثاء 18 فبراير 2025</p>
<p>تمكن المكتب المركزي للأبحاث القضائية، صباح اليوم الثلاثاء، من تفكيك خلية إرهابية موالية لتنظيم داعش، تتكون من أربعة عناصر تتراوح أعمارهم بين 22 و35 سنة، ينشطون بمدينة طنجة.</p>
<p>وأفاد بلاغ للمديرية العامة لمراقبة التراب الوطني أن عمليات التفتيش المنجزة أسفرت عن حجز أسلحة بيضاء ومواد كيميائية يشتبه في استعمالها في صناعة المتفجرات.</p>
<p>وقد تم إخضاع المشتبه فيهم لبحث قضائي تحت إشراف النيابة العامة المكلفة بقضايا الإرهاب، للكشف عن جميع ارتباطاتهم المحتملة داخل المغرب وخارجه.</p>
</article></main>
<footer><p>جميع الحقوق محفوظة © 2025 جريدة المساء</p>
<p><a href="/privacy">سياسة الخصوصية</a> | <a href="/terms">شروط الاستخدام</a></p></footer>
</body>
</html>
"""


def read_all(*paths) -> list[RawArticle | ArticleError]:
    return list(iter_articles(list(paths)))


def test_txt_with_headline(tmp_path):
    path = tmp_path / "a.txt"
    content = f"{HEADLINE}\n\n{BODY}"
    path.write_text(content, encoding="utf-8")
    [art] = read_all(path)
    assert isinstance(art, RawArticle)
    assert art.title == HEADLINE
    assert art.text == content  # the text is the file, headline included: offsets stay valid
    assert art.path == str(path)
    assert art.lang == "ar"


def test_txt_without_headline():
    [art] = read_all(SEED)
    assert art.title is None
    assert art.text == SEED.read_text(encoding="utf-8")
    assert art.lang == "ar"


def test_a_first_sentence_followed_by_a_blank_line_is_not_a_headline(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("فككت المصالح الأمنية خلية إرهابية.\n\n" + BODY, encoding="utf-8")
    assert read_text(path).title is None


def test_html_gives_the_article_body_and_title(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    [art] = read_all(path)
    assert isinstance(art, RawArticle), art
    assert art.title and art.title.startswith("تفكيك خلية إرهابية")
    for sentence in ("تمكن المكتب المركزي للأبحاث القضائية، صباح اليوم الثلاثاء",
                     "أسفرت عن حجز أسلحة بيضاء ومواد كيميائية",
                     "داخل المغرب وخارجه."):
        assert sentence in art.text
    for boilerplate in ("الرئيسية", "اتصل بنا", "الأكثر قراءة", "أسعار المحروقات",
                        "جميع الحقوق محفوظة", "سياسة الخصوصية"):
        assert boilerplate not in art.text
    assert art.lang == "ar"
    assert art.path == str(path)


def test_html_without_an_article_is_an_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>Accueil</title></head><body><header><nav><ul>"
                    "<li><a href='/'>Accueil</a></li><li><a href='/sport'>Sport</a></li>"
                    "</ul></nav></header><footer><p>Tous droits réservés</p></footer>"
                    "</body></html>", encoding="utf-8")
    [err] = read_all(path)
    assert isinstance(err, ArticleError)
    assert str(err) == f"{path}: no article text found in the HTML"


def test_json_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "Démantèlement", "text": "Une cellule a été démantelée.",
                                "url": "https://example.org/a", "published": "2025-02-18",
                                "source": "Le Desk", "lang": "fr"}), encoding="utf-8")
    [art] = read_all(path)
    assert (art.text, art.title, art.url, art.published, art.source, art.lang) == (
        "Une cellule a été démantelée.", "Démantèlement", "https://example.org/a",
        "2025-02-18", "Le Desk", "fr")
    assert art.path == str(path)
    assert art.locator == "https://example.org/a"


def test_json_list(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(json.dumps([
        {"body": BODY, "date": "2025-02-18"},
        {"content": "The cell was dismantled by the police in the north of the country."},
    ], ensure_ascii=False), encoding="utf-8")
    got = read_all(path)
    assert all(isinstance(a, RawArticle) for a in got), got
    assert [a.path for a in got] == [f"{path}#0", f"{path}#1"]
    assert [a.lang for a in got] == ["ar", "en"]
    assert got[0].text == BODY and got[0].published == "2025-02-18"


def test_jsonl_with_one_bad_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": BODY}, ensure_ascii=False),
        '{"text": "broken',
        "",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "La police a arrêté trois suspects dans la région de Tanger."}),
    ]) + "\n", encoding="utf-8")
    got = read_all(path)
    assert [type(x).__name__ for x in got] == ["RawArticle", "ArticleError", "ArticleError",
                                               "RawArticle"]
    assert str(got[1]).startswith(f"{path}:2: invalid JSON")
    assert str(got[2]).startswith(f"{path}:4: record has no text")
    assert [got[0].path, got[3].path] == [f"{path}:1", f"{path}:5"]
    assert got[0].text == BODY


@pytest.mark.parametrize("name, content", [
    ("latin1.txt", "Démantèlement d'une cellule à Tanger".encode("latin-1")),
    ("latin1.json", json.dumps({"text": "Démantèlement à Tanger"},
                               ensure_ascii=False).encode("latin-1")),
    ("latin1.jsonl", (json.dumps({"text": "Démantèlement à Tanger"},
                                 ensure_ascii=False) + "\n").encode("latin-1")),
], ids=["txt", "json", "jsonl"])
def test_a_non_utf8_file_is_one_clear_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    got = read_all(path)  # must not raise: the batch goes on
    assert len(got) == 1 and isinstance(got[0], ArticleError), got
    where = f"{path}:1" if name.endswith(".jsonl") else str(path)  # JSON Lines: line by line
    assert str(got[0]).startswith(f"{where}: ")
    assert "utf-8" in str(got[0]).lower()


def test_a_missing_file_is_one_clear_error(tmp_path):
    path = tmp_path / "nowhere.txt"
    [err] = read_all(path)
    assert isinstance(err, ArticleError)
    assert str(err) == f"{path}: No such file or directory"


def test_errors_do_not_stop_the_batch(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00broken")
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    got = read_all(bad, tmp_path / "missing.txt", good)
    assert [type(x).__name__ for x in got] == ["ArticleError", "ArticleError", "RawArticle"]
    assert got[2].text == BODY


def test_a_folder_skips_gold_annotations(tmp_path):
    (tmp_path / "ar-001.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "ar-001.json").write_text('{"entities": [], "relations": []}', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    got = read_all(tmp_path)
    assert [a.path for a in got] == [str(tmp_path / "ar-001.txt")]


def test_an_empty_article_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n ", encoding="utf-8")
    [err] = read_all(path)
    assert isinstance(err, ArticleError)
    assert str(err) == f"{path}: empty article"


@pytest.mark.parametrize("text, lang", [
    (BODY, "ar"),
    ("Le Bureau central d'investigations judiciaires a démantelé une cellule terroriste "
     "composée de quatre membres dans la région de Tanger, selon un communiqué.", "fr"),
    ("Morocco's Central Bureau of Judicial Investigation dismantled a terrorist cell in "
     "Tangier on Tuesday, the interior ministry said in a statement.", "en"),
    ("أعلن المكتب المركزي للأبحاث القضائية (BCIJ) تفكيك خلية تابعة لـ ISIS في طنجة", "ar"),
], ids=["ar", "fr", "en", "ar-with-acronyms"])
def test_detect_language(text, lang):
    assert detect_language(text) == lang
