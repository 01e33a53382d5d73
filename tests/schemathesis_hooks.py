"""Schemathesis hooks for the fuzz run (loaded by the CLI through SCHEMATHESIS_HOOKS).

A query body (``application/sparql-query``) is sent as the text it is, like ``text/plain``.

Like the built-in ``not_a_server_error``, but a 503 is allowed when it is the service's query
timeout: a JSON body giving ``timeout_seconds``, answered no sooner than that deadline. A 503 that
comes early (a query worker that died, reported as a timeout) is a server error.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

schemathesis.serializer.alias("application/sparql-query", "text/plain")


@schemathesis.check
def no_server_error_but_the_timeout(ctx: Any, response: Any, case: Any) -> None:
    status: int = response.status_code
    if status < 500:
        return
    if status == 503:
        try:
            body = json.loads(response.content)
        except ValueError:
            body = {}
        limit = body.get("timeout_seconds") if isinstance(body, dict) else None
        if isinstance(limit, int | float) and response.elapsed >= 0.9 * limit:
            return
    raise AssertionError(
        f"server error {status} after {response.elapsed:.3f} s: {response.content[:500]!r}"
    )
