"""Article files into RawArticles: plain text, HTML (trafilatura), JSON and JSON Lines records.

Offsets reported later point into `RawArticle.text`: the file as decoded for .txt, the
extracted text for HTML, the record's text field for JSON.

Every input is checked here, at the boundary, before anything else sees it: a path must be a
readable regular file (no FIFO, device, dangling or looping link) no larger than the limits,
JSON no deeper than they allow, and a record's fields of the type the contract says. What
fails is one ArticleError naming `file`, `file:line` (JSON Lines) or `file#index` (a JSON
array), and the rest of the folder, file and batch goes on.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
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
# Metadata fields of a record: each a string or null (`date` is another name for `published`).
_META_FIELDS = ("url", "title", "published", "date", "source", "lang")
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large an input may be: the `[input]` settings (ctkg.config.input_limits)."""

    max_article_bytes: int = 10 * MiB  # a .txt or HTML file, a JSON Lines line, a record's text
    max_json_bytes: int = 256 * MiB    # a whole .json file
    max_json_depth: int = 64           # nesting of arrays and objects in JSON


DEFAULT_LIMITS = Limits()


class ArticleError(CtkgError):
    """An input that cannot be read as an article; the batch goes on without it.

    `where` is the file (`file:line`, `file#index` for a record), `reason` says what is wrong;
    str() is "where: reason"."""

    def __init__(self, where: str, reason: str | None = None) -> None:
        if reason is None:  # one "where: reason" message
            where, _, reason = where.partition(": ")
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # to a worker process and back, `where` intact
        return type(self), (self.where, self.reason)


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


# -- files ----------------------------------------------------------------------------------
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _not_regular(path: Path, mode: int) -> ArticleError:
    kind = next((name for test, name in _KINDS if test(mode)), "something else")
    return ArticleError(str(path), f"not a regular file ({kind})")


def _oserror(path: Path, exc: OSError) -> ArticleError:
    if exc.errno == errno.ELOOP:
        return ArticleError(str(path), "symbolic link loop")
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return ArticleError(str(path), f"dangling symbolic link (to {os.readlink(path)}, "
                                       "which does not exist)")
    return ArticleError(str(path), exc.strerror or str(exc))


def _too_large(size: int, limit: int, setting: str) -> str:
    return f"too large ({size:,} bytes; the limit is {limit:,}, setting {setting})"


def _open_regular(path: Path):
    """(file, size) of a regular file opened for reading. Opened without blocking and checked
    on the open descriptor, so that a FIFO never hangs and a device (/dev/zero) is never read,
    even when the path changed since it was listed."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _oserror(path, exc) from None
    fh = os.fdopen(fd, "rb")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        fh.close()
        raise _not_regular(path, info.st_mode)
    return fh, info.st_size


def _read_bytes(path: Path, limit: int, setting: str) -> bytes:
    """A regular file's bytes; ArticleError when there are more than `limit`."""
    fh, size = _open_regular(path)
    with fh:
        if size > limit:
            raise ArticleError(str(path), _too_large(size, limit, setting))
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise _oserror(path, exc) from None
    if len(data) > limit:  # it grew while being read
        raise ArticleError(str(path), _too_large(len(data), limit, setting))
    return data


def _decode(data: bytes, where: str, encoding: str = "utf-8") -> str:
    """The bytes as decoded, line endings untouched (offsets count "\r" too)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ArticleError(where, "not UTF-8 text") from None


def read_text(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawArticle:
    text = _decode(_read_bytes(path, limits.max_article_bytes, "max_article_bytes"), str(path))
    return RawArticle(text=text, path=str(path), title=_split_headline(text))


def read_html(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawArticle:
    import trafilatura

    # Its "discarding data" warnings would only repeat the one error line below.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    raw = _read_bytes(path, limits.max_article_bytes, "max_article_bytes")
    result = trafilatura.bare_extraction(raw.decode("utf-8", errors="replace"),
                                         with_metadata=True, include_comments=False,
                                         favor_precision=True)
    if result is None:
        raise ArticleError(str(path), "no article text found in the HTML")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    if not (data.get("text") or "").strip():
        raise ArticleError(str(path), "no article text found in the HTML")
    return RawArticle(text=data["text"], path=str(path), url=data.get("url"),
                      title=data.get("title"), published=data.get("date"),
                      source=data.get("sitename") or data.get("hostname"))


# -- records --------------------------------------------------------------------------------
def _type_name(value) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "an object", str: "a string"}.get(type(value), type(value).__name__)


def _unicode_problem(value: str) -> str | None:
    """Why a string cannot be stored (a lone surrogate from a `\\ud800` escape), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"is not valid Unicode (a lone surrogate U+{ord(value[exc.start]):04X} at " \
               f"character {exc.start})"
    return None


def _string_field(record: dict, name: str, where: str) -> str | None:
    """A metadata field: a string (surrounding white space dropped, empty as None) or null."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleError(where, f"field {name!r} must be a string or null, "
                                  f"not {_type_name(value)}")
    problem = _unicode_problem(value)
    if problem:
        raise ArticleError(where, f"field {name!r} {problem}")
    value = value.strip()
    if name == "url" and re.search(r"[\s\x00-\x1f\x7f]", value):
        raise ArticleError(where, "field 'url' contains white space or control characters")
    return value or None


def from_record(record, origin: str, limits: Limits = DEFAULT_LIMITS) -> RawArticle:
    """A JSON record as a RawArticle, every field checked: the text (the first of text, body,
    content, article that is present) a non-empty string within max_article_bytes, and url,
    title, published (or date), source and lang each a string or null."""
    if not isinstance(record, dict):
        raise ArticleError(origin, f"a record must be a JSON object, not {_type_name(record)}")
    field = next((f for f in _TEXT_FIELDS if record.get(f) is not None), None)
    if field is None:
        raise ArticleError(origin, "record has no text (expected one of "
                                   f"{', '.join(_TEXT_FIELDS)})")
    text = record[field]
    if not isinstance(text, str):
        raise ArticleError(origin, f"field {field!r} must be a string, not {_type_name(text)}")
    if not text.strip():
        raise ArticleError(origin, f"record has no text (field {field!r} is empty)")
    problem = _unicode_problem(text)
    if problem:
        raise ArticleError(origin, f"field {field!r} {problem}")
    size = len(text.encode("utf-8"))
    if size > limits.max_article_bytes:
        raise ArticleError(origin, "text " + _too_large(size, limits.max_article_bytes,
                                                        "max_article_bytes"))
    meta = {name: _string_field(record, name, origin) for name in _META_FIELDS}
    return RawArticle(text=text, path=origin, url=meta["url"], title=meta["title"],
                      published=meta["published"] or meta["date"], source=meta["source"],
                      lang=meta["lang"])


def json_depth(value) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in value)
    return deepest


def parse_json(text: str, where: str, limits: Limits = DEFAULT_LIMITS):
    """A JSON text's value; ArticleError when it is not JSON or nests too deeply."""
    too_deep = ArticleError(where, f"JSON nested deeper than {limits.max_json_depth} levels "
                                   "(setting max_json_depth)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(where, f"invalid JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:  # deeper than the parser goes: deeper than any limit
        raise too_deep from None
    except ValueError as exc:  # e.g. an integer of 5,000 digits
        raise ArticleError(where, f"invalid JSON ({exc})") from None
    if json_depth(value) > limits.max_json_depth:
        raise too_deep
    return value


def iter_json(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawArticle | ArticleError]:
    """A JSON file: one record, or an array of records each checked on its own (`file#i`)."""
    data = _read_bytes(path, limits.max_json_bytes, "max_json_bytes")
    value = parse_json(_decode(data, str(path), "utf-8-sig"), str(path), limits)
    if not isinstance(value, list):
        yield from_record(value, str(path), limits)
        return
    for i, record in enumerate(value):
        try:
            yield from_record(record, f"{path}#{i}", limits)
        except ArticleError as exc:
            yield exc


def jsonl_records(lines, origin: str,
                  limits: Limits = DEFAULT_LIMITS) -> Iterator[RawArticle | ArticleError]:
    """JSON Lines records from (line number, bytes) pairs: each line checked on its own, a
    bad one yields its ArticleError (`origin:line`) and the rest goes on."""
    for n, raw in lines:
        where = f"{origin}:{n}"
        if raw is None:
            yield ArticleError(where, f"line longer than {limits.max_article_bytes:,} bytes "
                                      "(setting max_article_bytes)")
            continue
        if not raw.strip():
            continue
        try:
            text = _decode(raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw, where)
            yield from_record(parse_json(text, where, limits), where, limits)
        except ArticleError as exc:
            yield exc


def _lines(path: Path, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) of each line of a regular file, split on "\\n" only; a line longer than
    `limit` is (number, None), skipped without being held in memory."""
    fh, _ = _open_regular(path)
    with fh:
        n = 0
        while line := fh.readline(limit + 1):
            n += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # the rest of the long line
                    line = fh.readline(MiB)
                yield n, None
            else:
                yield n, line.rstrip(b"\r\n")


def iter_jsonl(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawArticle | ArticleError]:
    """Each line a record; a bad line yields its error and the rest goes on."""
    yield from jsonl_records(_lines(path, limits.max_article_bytes), str(path), limits)


# -- folders --------------------------------------------------------------------------------
def _is_gold(path: Path) -> bool:
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").exists()


def _walk(folder: Path, ancestors: tuple[tuple[int, int], ...],
          seen: set[tuple[int, int]]) -> Iterator[Path | ArticleError]:
    """Article files under a folder, by name, depth first; symbolic links are followed, a
    link back to a folder above is reported as a loop, a folder reached twice is read once."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield ArticleError(str(folder), f"cannot list the folder: {exc.strerror or exc}")
        return
    for entry in entries:
        path = Path(entry.path)
        article = path.suffix.lower() in SUFFIXES
        try:
            info = entry.stat()  # follows a symbolic link
        except OSError as exc:
            if entry.is_symlink() and path.suffix and not article:
                continue  # a broken link to something that would not be read anyway
            yield _oserror(path, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield ArticleError(str(path), "symbolic link loop (it leads back to a folder "
                                              "above it)")
            elif key not in seen:
                seen.add(key)
                yield from _walk(path, ancestors + (key,), seen)
        elif article and not _is_gold(path):
            yield path if stat.S_ISREG(info.st_mode) else _not_regular(path, info.st_mode)


def _expand(paths: list[str | Path]) -> Iterator[Path | ArticleError]:
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            yield _oserror(path, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            # Gold annotations (<id>.json beside <id>.txt) are not articles.
            yield from _walk(path, (key,), {key})
        else:
            # Given by name: read whatever its suffix, if it is a file.
            yield path if stat.S_ISREG(info.st_mode) else _not_regular(path, info.st_mode)


def _read(path: Path, limits: Limits) -> Iterator[RawArticle | ArticleError]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from iter_jsonl(path, limits)
    elif suffix in JSON_SUFFIXES:
        yield from iter_json(path, limits)
    elif suffix in HTML_SUFFIXES:
        yield read_html(path, limits)
    else:
        yield read_text(path, limits)


def iter_articles(paths: list[str | Path],
                  limits: Limits = DEFAULT_LIMITS) -> Iterator[RawArticle | ArticleError]:
    """Every article under the given files/folders, in a stable order. Errors are yielded,
    not raised, so that one bad file, record or line does not stop the batch."""
    for path in _expand(paths):
        if isinstance(path, ArticleError):
            yield path
            continue
        try:
            for item in _read(path, limits):
                if isinstance(item, RawArticle):
                    if not item.text.strip():
                        item = ArticleError(item.path or str(path), "empty article")
                    else:
                        item.lang = _language(item)
                yield item
        except ArticleError as exc:
            yield exc
        except OSError as exc:
            yield _oserror(path, exc)
