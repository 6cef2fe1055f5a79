"""A real HTTP server on 127.0.0.1 for the refresh tests, in a thread: feeds and pages we
write, with ETag/Last-Modified handling, failing and hanging routes, and a request log."""
from __future__ import annotations

import hashlib
import threading
from collections import Counter
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Mon, 02 Mar 2026 08:00:00 GMT"


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, tuple] = {}
        self.hits: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.agents: set[str] = set()
        self.release = threading.Event()  # lets hanging requests go at the end
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.hits[self.path] += 1
                site.agents.add(self.headers.get("User-Agent", ""))
                route = site.routes.get(self.path, ("status", 404))
                if route[0] == "hang":
                    site.release.wait(30)
                    return
                if route[0] == "status":
                    self.send_error(route[1])
                    return
                _, body, ctype = route
                etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
                if self.headers.get("If-None-Match") == etag:
                    site.not_modified[self.path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # -- content -----------------------------------------------------------------------
    def serve(self, path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8"):
        self.routes[path] = ("ok", body.encode("utf-8") if isinstance(body, str) else body,
                             ctype)

    def fail(self, path: str, status: int = 500) -> None:
        self.routes[path] = ("status", status)

    def hang(self, path: str) -> None:
        self.routes[path] = ("hang",)

    def page(self, path: str, text: str) -> str:
        """An article page: its first line is the headline, the rest paragraphs."""
        title, _, body = text.strip().partition("\n")
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
        self.serve(path, f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                         f"<title>{escape(title)}</title></head><body><nav>Home | World</nav>"
                         f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
                         f"<footer>(c) Test Wire</footer></body></html>")
        return self.url + path

    def rss(self, path: str, links: list[str]) -> str:
        items = "".join(f"<item><title>item {i}</title><link>{escape(link)}</link>"
                        f"<guid>{escape(link)}</guid></item>" for i, link in enumerate(links))
        self.serve(path, f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                         f"<title>Test Wire</title><link>{self.url}/</link>"
                         f"<description>tests</description>{items}</channel></rss>",
                   "application/rss+xml")
        return self.url + path

    def atom(self, path: str, entries: list[tuple[str, str]]) -> str:
        """(link, updated) entries."""
        body = "".join(f"<entry><title>entry {i}</title><id>{escape(link)}</id>"
                       f"<link href='{escape(link)}'/><updated>{updated}</updated></entry>"
                       for i, (link, updated) in enumerate(entries))
        self.serve(path, f"<?xml version='1.0' encoding='utf-8'?>"
                         f"<feed xmlns='http://www.w3.org/2005/Atom'><title>Test Atom</title>"
                         f"<id>{self.url}{path}</id><updated>2026-03-02T08:00:00Z</updated>"
                         f"{body}</feed>", "application/atom+xml")
        return self.url + path
