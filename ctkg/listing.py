"""What a source lists: the URLs of a feed, a sitemap or a URL list, the article files of a
folder, the records of a JSONL dump. A listing fetched before and unchanged since (304, or
the same bytes) lists nothing: its items were looked at then."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urljoin, urlsplit

from ctkg.errors import CtkgError
from ctkg.fetch import Fetcher, FetchError
from ctkg.loaders.articles import JSON_SUFFIXES, SUFFIXES, TEXT_SUFFIXES
from ctkg.sources import Source

MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index


class SourceError(CtkgError):
    """The source itself cannot be read (its feed, sitemap, list or folder)."""


@dataclass
class Candidate:
    key: str  # what identifies the item within its source: a URL, a relative path, a locator
    url: str | None = None
    path: Path | None = None
    hint: str | None = None  # the listing's date for it (feed `updated`, sitemap `lastmod`)
    title: str | None = None
    published: str | None = None


@dataclass
class Listing:
    candidates: list[Candidate]
    state: dict[str, dict]  # listing documents' new state (etag, hash), saved after the run
    complete: bool = True  # it names every item of the source (retraction may use it)
    unchanged: bool = False


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def fetch_document(fetcher: Fetcher, url: str, prev: dict | None) -> tuple[bytes | None, dict]:
    """A listing document, or None when it is unchanged since `prev` (its saved state)."""
    prev = prev or {}
    answer = fetcher.get(url, prev.get("etag"), prev.get("last_modified"))
    if answer.status == 304:
        return None, {}
    state = {"etag": answer.etag, "last_modified": answer.last_modified,
             "body_hash": sha256(answer.body), "status": "ok"}
    if state["body_hash"] == prev.get("body_hash"):
        return None, state
    return answer.body, state


def list_feed(source: Source, fetcher: Fetcher, prev: dict | None) -> Listing:
    import feedparser

    url = str(source.location)
    body, state = fetch_document(fetcher, url, prev)
    if body is None:
        return Listing([], {url: state} if state else {}, complete=False, unchanged=True)
    parsed = feedparser.parse(body)
    candidates = []
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if is_url(entry.get("id") or "") else None)
        if not link:
            continue
        link = urljoin(url, link)
        candidates.append(Candidate(key=link, url=link, title=entry.get("title"),
                                    hint=entry.get("updated") or entry.get("published"),
                                    published=entry.get("published") or entry.get("updated")))
    if parsed.bozo and not candidates:  # feedparser forgives much: fail only when nothing is left
        problem = parsed.get("bozo_exception")
        detail = getattr(problem, "getMessage", lambda: str(problem or "not a feed"))()
        raise SourceError(f"malformed feed: {detail}")
    return Listing(_unique(candidates), {url: state}, complete=False)


def list_sitemap(source: Source, fetcher: Fetcher, prev: dict | None) -> Listing:
    url = str(source.location)
    body, state = fetch_document(fetcher, url, prev)
    if body is None:
        return Listing([], {url: state} if state else {}, unchanged=True)
    root = _xml(body, "sitemap")
    if _local(root.tag) == "sitemapindex":
        candidates = []
        for child in _locs(root, "sitemap")[:MAX_SITEMAPS]:
            candidates += _sitemap_urls(_xml(fetcher.get(child[0]).body, "sitemap"))
    else:
        candidates = _sitemap_urls(root)
    return Listing(_unique(candidates), {url: state})


def _sitemap_urls(root) -> list[Candidate]:
    return [Candidate(key=loc, url=loc, hint=lastmod) for loc, lastmod in _locs(root, "url")]


def _locs(root, element: str) -> list[tuple[str, str | None]]:
    out = []
    for node in root:
        if _local(node.tag) != element:
            continue
        fields = {_local(c.tag): (c.text or "").strip() for c in node}
        if fields.get("loc"):
            out.append((fields["loc"], fields.get("lastmod") or None))
    return out


def _xml(body: bytes, what: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"malformed {what}: {exc}") from None
    if root is None:
        raise SourceError(f"malformed {what}: empty document")
    return root


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def list_urls(source: Source, fetcher: Fetcher, prev: dict | None) -> Listing:
    if isinstance(source.location, tuple):
        return Listing(_unique([Candidate(key=u, url=u) for u in source.location]), {})
    location = source.location
    state: dict = {}
    if is_url(location):
        body, doc_state = fetch_document(fetcher, location, prev)
        state = {location: doc_state} if doc_state else {}
        if body is None:
            return Listing([], state, unchanged=True)
        text = body.decode("utf-8", errors="replace")
    else:
        try:
            text = Path(location).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot read the URL list {location}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
    urls = [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    return Listing(_unique([Candidate(key=u, url=u) for u in urls]), state)


def list_folder(source: Source) -> Listing:
    root = Path(str(source.location)).expanduser()
    if not root.is_dir():
        raise SourceError(f"{root}: not a folder")
    return Listing([Candidate(key=str(p.relative_to(root)), path=p) for p in walk(root)], {})


def walk(root: Path) -> Iterator[Path]:
    """Every regular file under root, in a stable order; hidden entries are left out and
    symbolic links are not followed into folders (no loops)."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise SourceError(f"{root}: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def is_article_file(path: Path) -> bool:
    """Article files as `ctkg ingest` reads them; gold annotations (<id>.json beside <id>.txt)
    are not articles."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return False
    return not (suffix in JSON_SUFFIXES
                and any(path.with_suffix(s).exists() for s in TEXT_SUFFIXES))


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """The first of each key (a feed may list a URL twice)."""
    seen: dict[str, Candidate] = {}
    for c in candidates:
        seen.setdefault(c.key, c)
    return list(seen.values())


LISTERS = {"feed": list_feed, "sitemap": list_sitemap, "urls": list_urls}


def list_source(source: Source, fetcher: Fetcher, prev: dict | None) -> Listing:
    """The source's candidates. Raises SourceError (or FetchError) when it cannot be read."""
    if source.kind == "folder":
        return list_folder(source)
    if source.kind == "jsonl":
        return Listing([Candidate(key=str(source.location),
                                  url=source.location if is_url(source.location) else None,
                                  path=None if is_url(source.location)
                                  else Path(source.location).expanduser())], {})
    try:
        return LISTERS[source.kind](source, fetcher, prev)
    except FetchError as exc:
        raise SourceError(str(exc)) from None
