"""What a query process may do: no network, no life after its parent, no inherited descriptors,
a memory ceiling (docs/decisions/0015-query-sandbox.md).

pyoxigraph evaluates ``SERVICE`` by making HTTP requests, and a token scanner in front of it can
always be fooled by the next parser trick. So the processes that evaluate queries are made unable
to open a socket at all: a seccomp filter makes ``socket()`` (every address family) and
``io_uring_setup`` fail with ``EACCES``. It is installed with ``PR_SET_NO_NEW_PRIVS`` and needs no
privilege; it is inherited by every process forked afterwards and cannot be removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import platform
import resource
import signal
import stat
import struct
from collections.abc import Iterable

_PR_SET_PDEATHSIG = 1
_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000

# (audit architecture, syscall numbers refused, lowest number of a foreign ABI on this arch)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 425), 0x40000000),  # socket, io_uring_setup; x32 ABI above
    "aarch64": (0xC00000B7, (198, 425), None),
}

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


class SandboxUnavailable(RuntimeError):
    """The platform cannot confine a query process (not Linux on x86_64 or aarch64)."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, *args: int) -> None:
    words = [ctypes.c_ulong(a) for a in (*args, 0, 0, 0, 0)[:4]]
    if _libc().prctl(ctypes.c_int(option), *words) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl({option}): {os.strerror(code)}")


def _filter_program(machine: str) -> bytes:
    """The BPF program: refuse the listed syscalls (and any syscall of a foreign ABI)."""
    if machine not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp filter for the {machine} architecture")
    arch, refused, foreign = _ARCHES[machine]
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    body: list[tuple[int, int, int, int]] = []
    # each instruction: (code, jump-if-true, jump-if-false, k); jumps count instructions skipped
    checks = [(_JEQ_K, nr) for nr in refused]
    if foreign is not None:
        checks.insert(0, (_JGE_K, foreign))
    n = len(checks)
    body.append((_LD_W_ABS, 0, 0, 4))  # seccomp_data.arch
    body.append((_JEQ_K, 1, 0, arch))  # our ABI: go on; else fall into "deny"
    body.append((_RET_K, 0, 0, deny))
    body.append((_LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    for i, (code, k) in enumerate(checks):
        body.append((code, n - i, 0, k))  # match: jump to the final "deny"
    body.append((_RET_K, 0, 0, _SECCOMP_RET_ALLOW))
    body.append((_RET_K, 0, 0, deny))
    return b"".join(struct.pack("=HBBI", *ins) for ins in body)


def forbid_network() -> None:
    """Make every later ``socket()`` and ``io_uring_setup`` of this process (and of its future
    children) fail with EACCES. Existing descriptors keep working: a query process still talks
    to its parent over the socket pair it already holds."""
    if platform.system() != "Linux":
        raise SandboxUnavailable("query processes can be confined on Linux only")
    program = _filter_program(platform.machine())
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    _prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def die_with_parent(expected_parent: int) -> None:
    """Be killed when the process that forked this one dies (even by SIGKILL); exit now if it
    already has."""
    if platform.system() == "Linux":
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != expected_parent:
        os._exit(1)


def neutralise_inherited(keep: Iterable[int]) -> int:
    """Point every inherited descriptor except stdin/out/err and ``keep`` at /dev/null: listening
    and client sockets, pipes of other workers, the event loop's. The numbers stay taken, so an
    object that later closes "its" descriptor cannot close one of ours. Returns how many."""
    kept = {0, 1, 2, *keep}
    null = os.open(os.devnull, os.O_RDWR)
    kept.add(null)
    count = 0
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in kept:
            continue
        try:
            os.fstat(fd)
        except OSError:
            continue  # the descriptor of the listing itself, already gone
        os.dup2(null, fd)
        count += 1
    return count


def is_socket(fd: int) -> bool:
    try:
        return stat.S_ISSOCK(os.fstat(fd).st_mode)
    except OSError:
        return False


def address_space() -> int:
    """This process's virtual memory size in bytes (VmSize)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(extra_bytes: int) -> int:
    """Cap this process's address space at its current size plus ``extra_bytes``; an allocation
    past it fails (a Rust allocation failure aborts the process). Returns the cap."""
    cap = address_space() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def lower_priority(pid: int) -> None:
    """Put every thread of a process in the SCHED_IDLE class: it runs only on CPU time nothing
    else wants (a nice value, the fallback, belongs to a thread on Linux, and the worker
    evaluates on a thread of its own)."""
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        threads = [pid]
    for tid in threads:
        try:
            os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
        except OSError:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, tid, 19)
