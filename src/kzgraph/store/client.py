"""HTTP to a remote SPARQL store with the standard library (urllib): POST (and the Graph Store
Protocol's PUT, GET and DELETE), no redirects
followed (to any host), no proxies, credentials from the URL's user-info or from
``KZGRAPH_STORE_USER``/``KZGRAPH_STORE_PASSWORD`` (Basic or Digest), and the password never shown
in a message."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any, NoReturn
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from kzgraph.formats import URL_ENCODED

MAX_MESSAGE = 2_000  # characters of a store's error message kept
MAX_HEADERS = 100_000  # headers of one answer (a dataset graph each, on Virtuoso)
PROBE_ABOVE = 32 * 1024  # bytes of body above which credentials are sent with the first request


class StoreError(Exception):
    """The store could not be reached, or did not answer as a SPARQL store should."""


class StoreHTTPError(StoreError):
    """The store answered with an HTTP error status."""

    def __init__(self, url: str, status: int, message: str):
        super().__init__(f"{url} answered HTTP {status}: {message or '(no message)'}")
        self.url = url
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Endpoint:
    """A store URL with any user-info taken out of it (``shown`` is safe to print)."""

    url: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = host + (f":{parts.port}" if parts.port else "")
        bare = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(bare, user, password)

    def login(self, user: str | None, password: str | None) -> Endpoint:
        """This endpoint with ``user`` and ``password`` (those of the settings), when given."""
        if user is None:
            return self
        return Endpoint(self.url, user, password)

    @property
    def shown(self) -> str:
        if self.user is None:
            return self.url
        parts = urlsplit(self.url)
        netloc = f"{quote(self.user, safe='')}:***@{parts.netloc}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def _opener(endpoint: Endpoint) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({}), _NoRedirect()]
    if endpoint.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, endpoint.url, endpoint.user, endpoint.password or "")
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def _message(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read(MAX_MESSAGE * 4).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        text = ""
    finally:
        error.close()
    return " ".join(text.split())[:MAX_MESSAGE]


def _fail(endpoint: Endpoint, error: urllib.error.HTTPError) -> NoReturn:
    if 300 <= error.code < 400:
        raise StoreError(
            f"{endpoint.shown} redirected (HTTP {error.code}) to {error.headers.get('Location')}: "
            "kzgraph follows no redirects; put the final URL in KZGRAPH_STORE"
        )
    raise StoreHTTPError(endpoint.shown, error.code, _message(error))


def _allow_many_headers() -> None:
    """Let a store answer with many headers: Virtuoso echoes one ``X-SPARQL-named-graph`` per
    ``named-graph-uri``, one per report, past http.client's limit of 100 (it then refuses the
    answer). The limit is the standard library's module setting, raised once for the process."""
    if getattr(http.client, "_MAXHEADERS", MAX_HEADERS) < MAX_HEADERS:
        setattr(http.client, "_MAXHEADERS", MAX_HEADERS)  # noqa: B010


def _authorize_first(endpoint: Endpoint, request: urllib.request.Request, timeout: float) -> None:
    """Give ``request`` its Digest ``Authorization`` before its body is sent: a server that
    answers 401 at once and closes (Virtuoso) would otherwise break the upload of a large body
    with a broken pipe. The challenge comes from a HEAD to the same URL (an unauthorised request
    does nothing); a Basic challenge, or none, is left to the usual handlers."""
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        _opener(Endpoint(endpoint.url)).open(probe, timeout=max(timeout, 0.001)).close()
        return
    except urllib.error.HTTPError as exc:
        status, challenge = exc.code, exc.headers.get("WWW-Authenticate", "")
        exc.close()
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return
    scheme, _, rest = challenge.partition(" ")
    if status != 401 or scheme.lower() != "digest":
        return
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
    passwords.add_password(None, endpoint.url, endpoint.user or "", endpoint.password or "")
    handler = urllib.request.HTTPDigestAuthHandler(passwords)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
    authorization = handler.get_authorization(request, fields)
    if authorization:
        request.add_unredirected_header("Authorization", f"Digest {authorization}")


def post(
    endpoint: Endpoint,
    body: bytes,
    content_type: str,
    accept: str,
    timeout: float,
    params: Sequence[tuple[str, str]] = (),
) -> Any:
    """POST ``body``; the open response (an ``http.client.HTTPResponse``) on a 2xx answer.

    Raises ``TimeoutError`` when the socket times out, :class:`StoreHTTPError` on an error status
    and :class:`StoreError` when the store cannot be reached or redirects.
    """
    return send(endpoint, "POST", body, content_type, accept, timeout, params)


def post_form(
    endpoint: Endpoint,
    field: str,
    text: str,
    accept: str,
    timeout: float,
    params: Sequence[tuple[str, str]] = (),
) -> Any:
    """POST ``text`` as the form field ``field`` (``query`` or ``update``), the dataset
    parameters in the same form body (the SPARQL 1.1 Protocol's URL-encoded POST)."""
    body = urlencode([(field, text), *params]).encode("ascii")
    return send(endpoint, "POST", body, URL_ENCODED.media, accept, timeout)


def send(
    endpoint: Endpoint,
    method: str,
    body: bytes | None,
    content_type: str | None,
    accept: str,
    timeout: float,
    params: Sequence[tuple[str, str]] = (),
) -> Any:
    """One request; the open response on a 2xx answer (errors as :func:`post` says)."""
    url = endpoint.url
    if params:
        url += ("&" if urlsplit(url).query else "?") + urlencode(params)
    headers = {"Accept": accept}
    if content_type is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    _allow_many_headers()
    if endpoint.user is not None and body is not None and len(body) > PROBE_ABOVE:
        _authorize_first(endpoint, request, timeout)
    try:
        return _opener(endpoint).open(request, timeout=max(timeout, 0.001))
    except urllib.error.HTTPError as exc:
        _fail(endpoint, exc)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TimeoutError() from None
        raise StoreError(f"cannot reach {endpoint.shown}: {exc.reason}") from None
    except TimeoutError:
        raise
    except http.client.RemoteDisconnected:
        raise StoreError(f"{endpoint.shown} closed the connection without answering") from None
    except (OSError, http.client.HTTPException) as exc:
        raise StoreError(f"cannot reach {endpoint.shown}: {exc}") from None
