"""The processes that evaluate queries, and the one that forks them (docs/decisions/0015).

Once the store is loaded the server forks a *zygote*: it holds the store (copy-on-write, no second
copy), points every descriptor it inherited at /dev/null, forbids itself the network
(kzgraph.sparql.sandbox) and forks a worker whenever the server asks, handing the server its end
of the worker's socket pair. It exits when the server does; its workers die with it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle

import pyoxigraph as ox

from kzgraph.sparql.sandbox import (
    SandboxUnavailable,
    die_with_parent,
    forbid_network,
    limit_memory,
    neutralise_inherited,
)

Serve = Callable[[ox.Store, Connection], None]
WORKER_STACK_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class WorkerLimits:
    """What one query process may use: memory beyond what it had when forked."""

    memory_bytes: int = 2 * 1024**3


def _worker_main(
    store: ox.Store, conn: Connection, limits: WorkerLimits, zygote: int, serve: Serve
) -> None:
    """Serve jobs on a thread with a large stack: pyoxigraph's parser and evaluator recurse, and
    long flat chains (``!!!…``, ``1+1+…``, long paths) would overflow a default 8 MiB stack."""
    try:
        die_with_parent(zygote)
        neutralise_inherited(keep={conn.fileno()})
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.environ["RUST_BACKTRACE"] = "0"  # an allocation failure logs one line, not a trace
        limit_memory(limits.memory_bytes + WORKER_STACK_BYTES)
        threading.stack_size(WORKER_STACK_BYTES)
        thread = threading.Thread(target=serve, args=(store, conn))
        thread.start()
        thread.join()
    finally:
        os._exit(0)


def _fork(child: Callable[[Connection, int], None]) -> tuple[int, Connection]:
    """Fork a process that runs ``child(its end of a new socket pair, this process's pid)`` and
    never returns; here, its pid and our end."""
    ours, theirs = multiprocessing.Pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        child(theirs, parent)  # each child ends in os._exit
    theirs.close()
    return pid, ours


def _reap(children: set[int]) -> None:
    for pid in list(children):
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                children.discard(pid)


def _zygote_main(
    store: ox.Store, ctl: Connection, limits: WorkerLimits, parent: int, serve: Serve
) -> None:
    """The process that forks query workers: forked from the server once the store is loaded, it
    drops every inherited descriptor (listening and client sockets), forbids itself the network
    (kzgraph.sparql.sandbox) and forks a worker on request, handing the server its end of the
    worker's socket pair. It exits when the server does (EOF on ``ctl``, or a new parent), and
    its workers die with it (PR_SET_PDEATHSIG)."""
    try:
        neutralise_inherited(keep={ctl.fileno()})
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forbid_network()
        except (SandboxUnavailable, OSError) as exc:
            ctl.send(("error", f"query processes cannot be confined: {exc}"))
            return
        ctl.send(("ready", os.getpid()))
        children: set[int] = set()
        while True:
            _reap(children)
            if not ctl.poll(1.0):
                if os.getppid() != parent:
                    break
                continue
            try:
                command, arg = ctl.recv()
            except (EOFError, OSError):
                break
            if command == "spawn":
                pid, ours = _fork(lambda conn, me: _worker_main(store, conn, limits, me, serve))
                children.add(pid)
                ctl.send(pid)
                send_handle(ctl, ours.fileno(), parent)
                ours.close()
            elif command == "kill":
                if arg in children:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(arg, signal.SIGKILL)
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(arg, 0)
                    children.discard(arg)
                ctl.send(True)
            else:  # "exit"
                break
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    finally:
        os._exit(0)


class Zygote:
    """The server's handle on its worker-forking process; ``serve(store, conn)`` is what each
    worker runs (it answers jobs on ``conn`` until EOF)."""

    def __init__(self, store: ox.Store, limits: WorkerLimits, serve: Serve):
        pid, ours = _fork(lambda ctl, parent: _zygote_main(store, ctl, limits, parent, serve))
        self.pid, self._ctl, self._lock = pid, ours, threading.Lock()
        if not ours.poll(30):
            self.close()
            raise RuntimeError("the query process did not start")
        status, detail = ours.recv()
        if status != "ready":
            self.close()
            raise RuntimeError(detail)

    def spawn(self) -> tuple[int, Connection]:
        with self._lock:
            self._ctl.send(("spawn", None))
            pid: int = self._ctl.recv()
            return pid, Connection(recv_handle(self._ctl))

    def kill(self, pid: int) -> None:
        with self._lock:
            self._ctl.send(("kill", pid))
            self._ctl.recv()

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError, ValueError):
            self._ctl.send(("exit", None))
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._ctl.close()
