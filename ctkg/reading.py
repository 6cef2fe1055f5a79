"""One listed item into articles, doing no more work than its state requires: an item seen
before is not fetched again unless its listing says it changed; a fetched page whose bytes did
not change is not extracted again; a file whose size and mtime did not change is not read."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ctkg.errors import CtkgError
from ctkg.fetch import Fetcher, FetchError
from ctkg.listing import Candidate, is_article_file, sha256
from ctkg.loaders.articles import ArticleError, RawArticle, from_record, iter_articles
from ctkg.sources import Source

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


class ItemError(CtkgError):
    """This item cannot be read; str() is the reason."""


@dataclass
class Read:
    articles: list[RawArticle | ArticleError] = field(default_factory=list)
    state: dict = field(default_factory=dict)  # fields to save for the item
    unchanged: bool = False  # the same content as last time: nothing to extract
    skipped: str | None = None  # not an article (a PDF, an image): why


def read_candidate(source: Source, cand: Candidate, prev: dict | None, fetcher: Fetcher,
                   current: bool) -> Read:
    """`current`: the item was read successfully before, by this extractor version."""
    if cand.url:
        return _read_url(source, cand, prev or {}, fetcher, current)
    return _read_file(source, cand, prev or {}, current)


def _read_url(source: Source, cand: Candidate, prev: dict, fetcher: Fetcher,
              current: bool) -> Read:
    if current and (cand.hint is None or cand.hint == prev.get("hint")):
        return Read(unchanged=True)  # seen, and its listing gives no sign of a change
    try:
        answer = fetcher.get(cand.url, *((prev.get("etag"), prev.get("last_modified"))
                                         if current else (None, None)))
    except FetchError as exc:
        raise ItemError(str(exc)) from None
    if answer.status == 304:
        return Read(state={"hint": cand.hint}, unchanged=True)
    state = {"etag": answer.etag, "last_modified": answer.last_modified, "hint": cand.hint,
             "body_hash": sha256(answer.body)}
    if current and state["body_hash"] == prev.get("body_hash"):
        return Read(state=state, unchanged=True)
    if source.kind == "jsonl":
        return Read(records(answer.body, cand.url), state)
    if answer.content_type not in PAGE_TYPES:
        raise ItemError(f"not a web page ({answer.content_type}): ctkg reads HTML and text")
    return Read([page_article(answer.body, answer.url or cand.url, cand, answer.content_type)],
                state)


def page_article(body: bytes, url: str, cand: Candidate, content_type: str) -> RawArticle:
    """A fetched page's text and metadata (trafilatura); the listing fills what it lacks."""
    text = body.decode("utf-8", errors="replace")
    if content_type == "text/plain":
        return RawArticle(text=text, url=url, title=cand.title, published=cand.published)
    import trafilatura

    doc = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else dict(doc or {})
    if not (data.get("text") or "").strip():
        raise ItemError("no article text found in the page")
    return RawArticle(text=data["text"], url=url, title=data.get("title") or cand.title,
                      published=data.get("date") or cand.published,
                      source=data.get("sitename") or data.get("hostname"),
                      lang=data.get("language"))


def same_file(path: Path | None, prev: dict) -> bool:
    """The file has the size and mtime it had when `prev` was saved."""
    try:
        stat = path.stat() if path else None
    except OSError:
        return False
    return stat is not None and (stat.st_size, stat.st_mtime_ns) == (prev.get("size"),
                                                                    prev.get("mtime_ns"))


def _read_file(source: Source, cand: Candidate, prev: dict, current: bool) -> Read:
    path = cand.path
    assert path is not None
    try:
        stat = path.stat()
    except OSError as exc:
        raise ItemError(exc.strerror or str(exc)) from None
    state = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    same_stat = all(prev.get(k) == v for k, v in state.items())
    if current and same_stat:
        return Read(unchanged=True)
    if source.kind == "folder" and not is_article_file(path):
        return Read(state=state, skipped=f"{path.suffix or 'no suffix'} is not an article "
                                         "format ctkg reads (.txt, .html, .json, .jsonl)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ItemError(exc.strerror or str(exc)) from None
    state["body_hash"] = sha256(data)
    if current and state["body_hash"] == prev.get("body_hash"):
        return Read(state=state, unchanged=True)
    if source.kind == "jsonl":
        return Read(records(data, str(path)), state)
    return Read(list(iter_articles([path])), state)


def records(data: bytes, origin: str) -> list[RawArticle | ArticleError]:
    """A JSONL dump's records; a bad line is an ArticleError naming its line."""
    out: list[RawArticle | ArticleError] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ItemError("not UTF-8 text") from None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(from_record(json.loads(line), f"{origin}:{n}"))
        except (json.JSONDecodeError, RecursionError) as exc:
            out.append(ArticleError(f"{origin}:{n}: invalid JSON ({getattr(exc, 'msg', exc)})"))
        except ArticleError as exc:
            out.append(exc)
    return out
