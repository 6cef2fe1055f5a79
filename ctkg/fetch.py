"""Polite HTTP: conditional GET (ETag, Last-Modified), a timeout, retries with exponential
backoff for transient failures (timeouts, refused connections, 429, 5xx), a minimum interval
between two requests to one host, and a User-Agent."""
from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ctkg.errors import CtkgError

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024  # larger answers are refused, not read into memory
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class FetchError(CtkgError):
    """A URL that could not be read (after the retries); str() is the reason."""


@dataclass
class Response:
    url: str
    status: int  # 200, or 304 (not modified)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Fetcher:
    def __init__(self, user_agent: str, timeout: float = 20.0, retries: int = 3,
                 backoff: float = 2.0, per_host_interval: float = 1.0,
                 sleep=time.sleep, clock=time.monotonic) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.per_host_interval = per_host_interval
        self._sleep, self._clock = sleep, clock
        self._next_slot: dict[str, float] = {}
        self._lock = threading.Lock()
        self.requests = 0

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """The URL's answer: 200 with a body, or 304 when the conditions say it is unchanged.
        Raises FetchError with the reason once the retries are spent."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url}")
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._once(url, headers)
            except _Transient as exc:
                if attempt >= self.retries:
                    tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
                    raise FetchError(f"{exc} ({tries})") from None
                delay = self.backoff * 2 ** attempt
                log.debug("%s: %s; retrying in %.1fs", url, exc, delay)
                self._sleep(delay)
                attempt += 1

    def _once(self, url: str, headers: dict) -> Response:
        self._wait_turn(urlsplit(url).netloc)
        self.requests += 1
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = answer.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"larger than {MAX_BYTES // 2**20} MB")
                return Response(answer.geturl(), answer.status, body, _lower(answer.headers))
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return Response(url, 304, b"", _lower(exc.headers))
            if exc.code in _TRANSIENT:
                raise _Transient(f"HTTP {exc.code} {exc.reason}") from None
            raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _Transient(f"timed out after {self.timeout:g}s") from None
            if isinstance(exc.reason, (ConnectionError, socket.gaierror)):
                raise _Transient(f"cannot connect: {_describe(exc.reason)}") from None
            raise FetchError(f"cannot fetch: {_describe(exc.reason)}") from None
        except (TimeoutError, socket.timeout):
            raise _Transient(f"timed out after {self.timeout:g}s") from None
        except (ConnectionError, http.client.HTTPException) as exc:
            raise _Transient(f"connection lost: {_describe(exc)}") from None

    def _wait_turn(self, host: str) -> None:
        """At most one request per `per_host_interval` seconds to each host."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.per_host_interval
        if slot > now:
            self._sleep(slot - now)


class _Transient(Exception):
    """Worth another attempt."""


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in (headers or {}).items()}


def _describe(reason) -> str:
    return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
