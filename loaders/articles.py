"""Article files into RawArticles: plain text, HTML (trafilatura), JSON and JSON Lines records.

Offsets reported later point into `RawArticle.text`: the file as decoded for .txt, the
extracted text for HTML, the record's text field for JSON.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ctkg.errors import CtkgError
from ctkg.graph.ids import text_sha256
from ctkg.loaders.language import identify, normalise

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
_TEXT_FIELDS = ("text", "body", "content", "article")


class ArticleError(CtkgError):
    """An input that cannot be read as an article; the batch goes on without it."""


@dataclass
class RawArticle:
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    lang: str | None = None

    @property
    def id(self) -> str:
        return text_sha256(self.text)

    @property
    def locator(self) -> str:
        return self.url or self.path or self.id


def detect_language(text: str) -> str | None:
    """The text's language code (loaders/language.py), or None when it cannot be told."""
    return identify(text)


def _language(item: RawArticle) -> str | None:
    """The language given with the article wins; else the one identified from its text."""
    return normalise(item.lang) or detect_language(item.text)


def _split_headline(text: str) -> str | None:
    """A first line followed by a blank line, short and not a full paragraph, is a headline."""
    m = re.match(r"([^\r\n]{1,250})\r?\n[ \t]*\r?\n", text)
    if not m:
        return None
    line = m.group(1).strip()
    return line if line and not line.endswith((".", "،")) else None


def _decode(path: Path) -> str:
    """The file as decoded, line endings untouched (offsets count "\r" too)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError(f"{path}: not UTF-8 text") from None


def read_text(path: Path) -> RawArticle:
    text = _decode(path)
    return RawArticle(text=text, path=str(path), title=_split_headline(text))


def read_html(path: Path) -> RawArticle:
    import trafilatura

    raw = path.read_bytes().decode("utf-8", errors="replace")
    result = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                         favor_precision=True)
    if result is None:
        raise ArticleError(f"{path}: no article text found in the HTML")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    if not (data.get("text") or "").strip():
        raise ArticleError(f"{path}: no article text found in the HTML")
    return RawArticle(text=data["text"], path=str(path), url=data.get("url"),
                      title=data.get("title"), published=data.get("date"),
                      source=data.get("sitename") or data.get("hostname"))


def from_record(record: dict, origin: str) -> RawArticle:
    if not isinstance(record, dict):
        raise ArticleError(f"{origin}: a record must be a JSON object")
    text = next((record[f] for f in _TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if not text or not text.strip():
        raise ArticleError(f"{origin}: record has no text (expected one of {', '.join(_TEXT_FIELDS)})")
    return RawArticle(text=text, path=origin, url=record.get("url"), title=record.get("title"),
                      published=record.get("published") or record.get("date"),
                      source=record.get("source"), lang=record.get("lang"))


def read_json(path: Path) -> list[RawArticle]:
    try:
        data = json.loads(_decode(path))
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{path}: invalid JSON ({exc.msg}, line {exc.lineno})") from None
    records = data if isinstance(data, list) else [data]
    return [from_record(r, f"{path}#{i}" if len(records) > 1 else str(path))
            for i, r in enumerate(records)]


def iter_jsonl(path: Path) -> Iterator[RawArticle | ArticleError]:
    """Each line a record; a bad line yields its error and the rest goes on."""
    for n, line in enumerate(_decode(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield from_record(json.loads(line), f"{path}:{n}")
        except json.JSONDecodeError as exc:
            yield ArticleError(f"{path}:{n}: invalid JSON ({exc.msg})")
        except ArticleError as exc:
            yield exc


def iter_articles(paths: list[str | Path]) -> Iterator[RawArticle | ArticleError]:
    """Every article under the given files/folders, in a stable order. Errors are yielded,
    not raised, so that one bad file does not stop the batch."""
    for path in _expand(paths):
        try:
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                for item in iter_jsonl(path):
                    if isinstance(item, RawArticle):
                        item.lang = _language(item)
                    yield item
                continue
            if suffix in JSON_SUFFIXES:
                items = read_json(path)
            elif suffix in HTML_SUFFIXES:
                items = [read_html(path)]
            else:
                items = [read_text(path)]
            for item in items:
                if not item.text.strip():
                    raise ArticleError(f"{path}: empty article")
                item.lang = _language(item)
                yield item
        except ArticleError as exc:
            yield exc
        except OSError as exc:
            yield ArticleError(f"{path}: {exc.strerror or exc}")


def _expand(paths: list[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # Gold annotations (<id>.json beside <id>.txt) are not articles.
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not _is_gold(child):
                    yield child
        elif path.exists():
            yield path
        else:
            yield path  # read fails with a clear "No such file" error


def _is_gold(path: Path) -> bool:
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").exists()
