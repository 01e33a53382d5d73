"""A real `kzgraph serve` process on 127.0.0.1 for the HTTP tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a test server process, killing it if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_server(build_dir: Path, **settings: object) -> Iterator[str]:
    with server_process(build_dir, **settings) as (url, _):
        yield url


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, within: float = 60
) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


def server_env(build_dir: Path, **settings: object) -> dict[str, str]:
    env = {
        **os.environ,
        "KZGRAPH_BUILD_DIR": str(build_dir),
        "KZGRAPH_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KZGRAPH_QUERIES_DIR": str(ROOT / "queries"),
        "KZGRAPH_DATA_DIR": str(ROOT / "data"),
        # test servers answer what they are asked, not the warm-up (on in test_answer_cache)
        "KZGRAPH_WARM_ANSWERS": "false",
    }
    env.update({f"KZGRAPH_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def run_cli(
    build_dir: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``kzgraph ARGS`` in a process of its own, over ``build_dir``, with ``env`` on top."""
    return subprocess.run(
        [sys.executable, "-m", "kzgraph.cli", *args],
        capture_output=True,
        text=True,
        env={**server_env(build_dir), **(env or {})},
        timeout=timeout,
        check=False,
    )


@contextmanager
def server_process(
    build_dir: Path, port: int | None = None, **settings: object
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A `kzgraph serve` process (on ``port``, or a free one): its URL and the process."""
    port = port or free_port()
    env = server_env(build_dir, **settings)
    log = build_dir.parent / f"server-{port}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kzgraph.cli", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process, log)
            yield url, process
        finally:
            if process.poll() is None:
                stop(process)


class Listener:
    """A loopback TCP listener that counts the connections made to it (there must be none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except TimeoutError:
                continue

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


class Headers(dict[str, str]):
    """Response headers looked up without regard to case (the last of repeated headers wins)."""

    def __init__(self, items: object) -> None:
        super().__init__((k.lower(), v) for k, v in items)  # type: ignore[attr-defined]

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    follow_redirects: bool = True,
    timeout: float = 60,
) -> tuple[int, Headers, bytes]:
    """One HTTP request to a test server: status, headers and body, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(*([] if follow_redirects else [_NoRedirect]))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, Headers(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, Headers(exc.headers.items()), exc.read()


def server_pid(url: str) -> int:
    """The process id of the test server at ``url`` (a child of this process)."""
    port = url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\x00")
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"serve" in argv and port.encode() in argv:
            return int(proc.name)
    raise LookupError(f"no server process of this test listens on {url}")
