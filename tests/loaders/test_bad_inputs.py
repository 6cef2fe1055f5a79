"""Bad inputs at the boundary: each is one ArticleError naming `file[:line|#index]`, and the rest
of the folder, file and batch goes on (issue 12, item 1).

Every case is a function below, registered with @case: it makes its input under a folder
and says which errors reading it must give. To add a bad input found in the field, add a
function; the tests below run it through the reader and through `ctkg extract`.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

from ctkg.loaders.articles import ArticleError, Limits, RawArticle, iter_articles

GOOD = ("La police a démantelé une cellule terroriste à Tanger, a annoncé le ministère de "
        "l'Intérieur dans un communiqué publié mardi.")
# Small limits, so that "too large" needs only a few bytes.
LIMITS = Limits(max_article_bytes=4096, max_json_bytes=8192, max_json_depth=16)
NOBODY = 65534


class Case:
    def __init__(self, make: Callable, unprivileged: bool = False) -> None:
        self.make, self.name, self.unprivileged = make, make.__name__, unprivileged


CASES: list[Case] = []


def case(fn=None, *, unprivileged: bool = False):
    """Register a bad input: fn(folder) -> (paths to read, [(where, reason pattern)])."""
    def register(fn):
        CASES.append(Case(fn, unprivileged))
        return fn
    return register(fn) if fn else register


def record(**fields) -> str:
    return json.dumps({"text": GOOD, **fields}, ensure_ascii=False)


def jsonl(folder: Path, *lines: str, name: str = "feed.jsonl") -> Path:
    """A JSON Lines file whose line 1 and last line are good records around `lines`."""
    path = folder / name
    path.write_text("\n".join([record(url="https://example.org/first"), *lines,
                               record(url="https://example.org/last")]) + "\n",
                    encoding="utf-8")
    return path


def bad_field(name: str, value, reason: str):
    """A case: one JSON Lines record with a wrong field between two good ones."""
    def make(folder):
        fields = {name: value} if name in ("text", "body") else {"text": GOOD, name: value}
        path = jsonl(folder, json.dumps(fields))
        return [path], [(f"{path}:2", reason)]
    make.__name__ = f"field_{name}_{type(value).__name__}"
    return make


# -- paths ----------------------------------------------------------------------------------
@case
def missing_file(folder):
    path = folder / "nowhere.txt"
    return [path], [(str(path), "No such file or directory")]


@case
def a_file_used_as_a_folder(folder):
    (folder / "plain.txt").write_text(GOOD, encoding="utf-8")
    path = folder / "plain.txt" / "inside.txt"
    return [path], [(str(path), "Not a directory")]


@case
def dangling_link_given_by_name(folder):
    path = folder / "gone.txt"
    path.symlink_to(folder / "removed.txt")
    return [path], [(str(path), r"dangling symbolic link \(to .*removed\.txt, which does not "
                                r"exist\)")]


@case
def dangling_link_in_a_folder(folder):
    (folder / "in").mkdir()
    (folder / "in" / "gone.html").symlink_to(folder / "removed.html")
    (folder / "in" / "notes.csv").symlink_to(folder / "removed.csv")  # not an article: skipped
    return [folder / "in"], [(str(folder / "in" / "gone.html"), "dangling symbolic link")]


@case
def link_to_itself(folder):
    path = folder / "self.txt"
    path.symlink_to(path)
    return [path], [(str(path), "symbolic link loop")]


@case
def folder_link_loop(folder):
    (folder / "in" / "sub").mkdir(parents=True)
    (folder / "in" / "sub" / "up").symlink_to(folder / "in")
    return [folder / "in"], [(str(folder / "in" / "sub" / "up"), "symbolic link loop")]


@case
def fifo_given_by_name(folder):
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return [path], [(str(path), r"not a regular file \(a FIFO\)")]


@case
def fifo_in_a_folder(folder):
    (folder / "in").mkdir()
    os.mkfifo(folder / "in" / "pipe.jsonl")
    os.mkfifo(folder / "in" / "pipe.csv")  # not an article name: not read, not reported
    return [folder / "in"], [(str(folder / "in" / "pipe.jsonl"), r"not a regular file \(a FIFO\)")]


@case
def dev_zero(folder):
    return [Path("/dev/zero")], [("/dev/zero", r"not a regular file \(a character device\)")]


@case
def dev_null(folder):
    return [Path("/dev/null")], [("/dev/null", r"not a regular file \(a character device\)")]


@case
def socket_in_a_folder(folder):
    (folder / "in").mkdir()
    path = folder / "in" / "sock.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return [folder / "in"], [(str(path), r"not a regular file \(a socket\)")]


@case(unprivileged=True)
def unreadable_file(folder):
    path = folder / "secret.txt"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    return [path], [(str(path), "Permission denied")]


@case(unprivileged=True)
def a_path_inside_an_unreadable_folder(folder):
    (folder / "closed").mkdir()
    (folder / "closed" / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "closed").chmod(0)
    path = folder / "closed" / "a.txt"
    return [path], [(str(path), "Permission denied")]


@case(unprivileged=True)
def unreadable_subfolder(folder):
    (folder / "in" / "closed").mkdir(parents=True)
    (folder / "in" / "closed" / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "in" / "closed").chmod(0)
    return [folder / "in"], [(str(folder / "in" / "closed"),
                              "cannot list the folder: Permission denied")]


# -- sizes ----------------------------------------------------------------------------------
@case
def oversized_text_file(folder):
    path = folder / "big.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    return [path], [(str(path), r"too large \([\d,]+ bytes; the limit is 4,096, setting "
                                r"max_article_bytes\)")]


@case
def oversized_html_file(folder):
    path = folder / "big.html"
    path.write_text(f"<html><body><p>{GOOD * 100}</p></body></html>", encoding="utf-8")
    return [path], [(str(path), "too large .* setting max_article_bytes")]


@case
def oversized_json_file(folder):
    path = folder / "big.json"
    path.write_text(json.dumps([{"text": GOOD}] * 100), encoding="utf-8")
    return [path], [(str(path), "too large .* setting max_json_bytes")]


@case
def oversized_record_text(folder):
    path = folder / "big-record.json"
    path.write_text(json.dumps([{"text": "é" * 2100}, {"text": GOOD}], ensure_ascii=False),
                    encoding="utf-8")
    return [path], [(f"{path}#0", r"text too large \(4,200 bytes; .* max_article_bytes\)")]


@case
def oversized_jsonl_line(folder):
    path = jsonl(folder, record(title="x" * 5000))
    return [path], [(f"{path}:2", "line longer than 4,096 bytes .*max_article_bytes")]


@case
def endless_jsonl_line(folder):
    path = folder / "endless.jsonl"
    path.write_bytes(b"[" * 50_000 + b"\n" + record().encode() + b"\n")
    return [path], [(f"{path}:1", "line longer than 4,096 bytes")]


# -- encodings ------------------------------------------------------------------------------
@case
def latin1_text(folder):
    path = folder / "latin1.txt"
    path.write_bytes("Démantèlement d'une cellule à Tanger".encode("latin-1"))
    return [path], [(str(path), "not UTF-8 text")]


@case
def latin1_json(folder):
    path = folder / "latin1.json"
    path.write_bytes(json.dumps({"text": "Démantèlement"}, ensure_ascii=False).encode("latin-1"))
    return [path], [(str(path), "not UTF-8 text")]


@case
def latin1_jsonl_line(folder):
    path = folder / "mixed.jsonl"
    path.write_bytes(record().encode() + b"\n"
                     + json.dumps({"text": "Démantèlement"}, ensure_ascii=False).encode("latin-1")
                     + b"\n" + record(url="https://example.org/3").encode() + b"\n")
    return [path], [(f"{path}:2", "not UTF-8 text")]


@case
def lone_surrogate_in_text(folder):
    path = jsonl(folder, '{"text": "Tanger \\ud800 cellule"}')
    return [path], [(f"{path}:2", r"field 'text' is not valid Unicode \(a lone surrogate "
                                  r"U\+D800 at character 7\)")]


@case
def lone_surrogate_in_title(folder):
    path = jsonl(folder, '{"text": "Tanger", "title": "\\udfff"}')
    return [path], [(f"{path}:2", "field 'title' is not valid Unicode")]


# -- JSON -----------------------------------------------------------------------------------
@case
def invalid_json_line(folder):
    path = jsonl(folder, '{"text": "broken')
    return [path], [(f"{path}:2", "invalid JSON")]


@case
def empty_json_file(folder):
    path = folder / "empty.json"
    path.write_bytes(b"")
    return [path], [(str(path), "invalid JSON")]


@case
def deeply_nested_json(folder):
    path = folder / "deep.json"
    path.write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    return [path], [(str(path), r"JSON nested deeper than 16 levels \(setting max_json_depth\)")]


@case
def deeply_nested_jsonl_line(folder):
    path = jsonl(folder, '{"text": "x", "extra": ' + "[" * 1000 + "]" * 1000 + "}")
    return [path], [(f"{path}:2", "JSON nested deeper than 16 levels")]


@case
def brackets_inside_strings_are_no_nesting(folder):
    """Not a bad input: a text full of brackets is read (the depth check skips strings)."""
    path = folder / "brackets.json"
    path.write_text(json.dumps({"text": GOOD + " [[[[{{{{" * 50 + ' \\" [['}), encoding="utf-8")
    return [path], []


@case
def integer_of_5000_digits(folder):
    path = folder / "digits.json"
    path.write_text('{"text": "x", "published": ' + "9" * 5000 + "}", encoding="utf-8")
    return [path], [(str(path), "invalid JSON .*digits")]


@case
def json_string_at_the_top(folder):
    path = folder / "string.json"
    path.write_text('"just a string"', encoding="utf-8")
    return [path], [(str(path), "a record must be a JSON object, not a string")]


@case
def jsonl_line_that_is_a_list(folder):
    path = jsonl(folder, "[1, 2]")
    return [path], [(f"{path}:2", "a record must be a JSON object, not a list")]


@case
def json_array_with_one_bad_record(folder):
    path = folder / "many.json"
    path.write_text(json.dumps([{"text": GOOD}, {"text": 5}, {"title": "no text"},
                                {"text": GOOD + " Deux suspects."}]), encoding="utf-8")
    return [path], [(f"{path}#1", "field 'text' must be a string, not a number"),
                    (f"{path}#2", "record has no text")]


# -- record fields --------------------------------------------------------------------------
for _name, _value, _reason in [
    ("published", 2025, "field 'published' must be a string or null, not a number"),
    ("published", ["2025-02-18"], "field 'published' must be a string or null, not a list"),
    ("date", 20250218, "field 'date' must be a string or null, not a number"),
    ("url", 5, "field 'url' must be a string or null, not a number"),
    ("url", ["https://a", "https://b"], "field 'url' must be a string or null, not a list"),
    ("url", "https://example.org/a\nb", "field 'url' contains white space or control characters"),
    ("title", ["a", "b"], "field 'title' must be a string or null, not a list"),
    ("source", {"name": "Le Desk"}, "field 'source' must be a string or null, not an object"),
    ("lang", True, "field 'lang' must be a string or null, not a boolean"),
    ("text", 42, "field 'text' must be a string, not a number"),
    ("text", "   \n ", r"record has no text \(field 'text' is empty\)"),
    ("body", ["a", "list"], "field 'body' must be a string, not a list"),
]:
    case(bad_field(_name, _value, _reason))


@case
def text_that_is_nan(folder):
    path = jsonl(folder, '{"text": NaN}')
    return [path], [(f"{path}:2", "field 'text' must be a string, not a number")]


@case
def record_without_text(folder):
    path = jsonl(folder, json.dumps({"title": "no text here"}))
    return [path], [(f"{path}:2", "record has no text")]


@case
def empty_text_file(folder):
    path = folder / "empty.txt"
    path.write_text(" \n\n ", encoding="utf-8")
    return [path], [(str(path), "empty article")]


@case
def html_without_an_article(folder):
    path = folder / "nav.html"
    path.write_text("<html><head><title>Accueil</title></head><body><header><nav><ul>"
                    "<li><a href='/'>Accueil</a></li><li><a href='/sport'>Sport</a></li>"
                    "</ul></nav></header><footer><p>Tous droits réservés</p></footer>"
                    "</body></html>", encoding="utf-8")
    return [path], [(str(path), "no article text found in the HTML")]


BAD = [c for c in CASES if c.name != "brackets_inside_strings_are_no_nesting"]


# -- running a case -------------------------------------------------------------------------
def read(paths, limits=LIMITS) -> list:
    return list(iter_articles(paths, limits))


def _nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def run_unprivileged(fn, *args):
    """fn(*args) in a child process that has dropped root (root reads any file): the
    permission cases are real refusals of the kernel, not mocks. Without root, in-process."""
    if os.geteuid() != 0:
        return fn(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(read_end)
            _nobody()
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(fn(*args), out)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as inp:
        data = inp.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and data, "the unprivileged child failed"
    return pickle.loads(data)


@pytest.fixture
def folder():
    """A folder others may enter (the unprivileged cases read it as nobody)."""
    path = Path(tempfile.mkdtemp(prefix="ctkg-bad-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir() and not sub.is_symlink():
            sub.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


def good_file(folder: Path) -> Path:
    path = folder / "zz-good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def check(c: Case, folder: Path) -> None:
    paths, expected = c.make(folder)
    good = good_file(folder)
    got = (run_unprivileged if c.unprivileged else (lambda f, *a: f(*a)))(read, [*paths, good])
    errors = [x for x in got if isinstance(x, ArticleError)]
    assert len(errors) == len(expected), [str(e) for e in errors]
    for err, (where, reason) in zip(errors, expected):
        assert err.where == where, str(err)
        assert re.fullmatch(reason, err.reason) or re.match(reason, err.reason), str(err)
        assert "\n" not in str(err)
    articles = [x for x in got if isinstance(x, RawArticle)]
    assert articles and articles[-1].path == str(good)  # the batch went on after it
    assert all(isinstance(a.text, str) and a.text.strip() for a in articles)
    for a in articles:  # every field a RawArticle carries is of its declared type
        assert all(v is None or isinstance(v, str) for v in
                   (a.path, a.url, a.title, a.published, a.source, a.lang))


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_a_bad_input_is_one_error_and_the_rest_goes_on(c, folder):
    check(c, folder)


def test_good_records_around_bad_ones_are_all_kept(folder):
    path = jsonl(folder, record(published=2025), record(url=5), record(title="kept"))
    got = read([path])
    assert [type(x).__name__ for x in got] == ["RawArticle", "ArticleError", "ArticleError",
                                               "RawArticle", "RawArticle"]
    assert [x.path for x in got if isinstance(x, RawArticle)] == [
        f"{path}:1", f"{path}:4", f"{path}:5"]


def test_an_error_survives_a_worker_process_with_its_where(folder):
    err = ArticleError("/odd: name.txt", "not UTF-8 text")
    back = pickle.loads(pickle.dumps(err))
    assert (back.where, back.reason) == ("/odd: name.txt", "not UTF-8 text")


def test_limits_are_settings(folder, monkeypatch, tmp_path):
    from ctkg.config import ConfigError, input_limits

    monkeypatch.setenv("CTKG_CONFIG", str(tmp_path / "config.toml"))
    for var in ("CTKG_MAX_ARTICLE_BYTES", "CTKG_MAX_JSON_BYTES", "CTKG_MAX_JSON_DEPTH"):
        monkeypatch.delenv(var, raising=False)
    assert input_limits() == Limits()
    (tmp_path / "config.toml").write_text("[input]\nmax_article_bytes = 100\n"
                                          "max_json_depth = 3\n")
    assert input_limits() == Limits(max_article_bytes=100, max_json_depth=3)
    monkeypatch.setenv("CTKG_MAX_JSON_DEPTH", "5")
    assert input_limits().max_json_depth == 5
    for bad in ("0", "-1", "ten"):
        monkeypatch.setenv("CTKG_MAX_JSON_DEPTH", bad)
        with pytest.raises(ConfigError, match="max_json_depth .* must be a whole number above 0"):
            input_limits()
    monkeypatch.delenv("CTKG_MAX_JSON_DEPTH")
    (tmp_path / "config.toml").write_text("[input]\nmax_article_bites = 100\n")
    with pytest.raises(ConfigError, match=r"unknown keys in \[input\]: max_article_bites"):
        input_limits()


# -- the command line -----------------------------------------------------------------------
def test_extract_gives_one_error_line_per_bad_input_and_never_hangs(folder, tmp_path):
    """Every (privileged) case at once through `ctkg extract`: one `error:` line each, no
    traceback, the good article printed, in well under the timeout (a FIFO would hang)."""
    expected = []
    paths = []
    for n, c in enumerate(c for c in BAD if not c.unprivileged):
        sub = folder / f"case-{n:02d}"
        sub.mkdir()
        got_paths, errors = c.make(sub)
        paths += got_paths
        expected += errors
    good = good_file(folder)
    config = tmp_path / "config.toml"
    config.write_text("[input]\nmax_article_bytes = 4096\nmax_json_bytes = 8192\n"
                      "max_json_depth = 16\n")
    env = {**os.environ, "CTKG_CONFIG": str(config)}
    proc = subprocess.run([sys.executable, "-m", "ctkg", "extract", *map(str, paths), str(good)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr
    assert len(lines) == len(expected), proc.stderr
    for line, (where, reason) in zip(lines, expected):
        assert line.startswith(f"error: {where}: "), line
        assert re.match(reason, line[len(f"error: {where}: "):]), line
    printed = [json.loads(line)["article"]["path"] for line in proc.stdout.splitlines()]
    assert printed[-1] == str(good)
