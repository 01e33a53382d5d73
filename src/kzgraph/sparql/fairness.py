"""Each client's share of the query processes: a query-time budget over a sliding window and a
cap on queries in flight, as the Wikidata Query Service does (docs/decisions/0016).

A client is an address: the peer's, or the last entry of a header set by a trusted proxy
(``KZGRAPH_CLIENT_HEADER``). The time a query took is charged when it ends; a client whose
charges within the window reach the budget gets 429 with ``Retry-After`` until enough of them
fall out of the window. A client's queries beyond ``max_in_flight`` wait for one of its slots
(429 if none frees within the query timeout), so one client cannot take every worker. Everything
here runs on the event loop: no locks.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FairnessPolicy:
    budget_seconds: float = 30.0  # query time a client may use within the window
    window_seconds: float = 60.0
    max_in_flight: int = 4  # queries of one client running at once; more wait their turn
    max_clients: int = 100_000  # clients remembered; the least recently seen are forgotten


class Throttled(Exception):
    """The client has used its share; ``retry_after`` is in whole seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass
class _Account:
    slots: asyncio.Semaphore
    charges: deque[tuple[float, float]] = field(default_factory=deque)  # (ended at, seconds)
    spent: float = 0.0
    in_flight: int = 0  # admitted or waiting


class ClientLedger:
    def __init__(self, policy: FairnessPolicy, clock: Callable[[], float] = time.monotonic):
        self.policy = policy
        self._clock = clock
        self._accounts: OrderedDict[str, _Account] = OrderedDict()

    def _account(self, client: str) -> _Account:
        account = self._accounts.get(client)
        if account is None:
            account = self._accounts[client] = _Account(
                asyncio.Semaphore(self.policy.max_in_flight)
            )
            while len(self._accounts) > self.policy.max_clients:
                oldest = next(iter(self._accounts))
                if self._accounts[oldest].in_flight:
                    break
                del self._accounts[oldest]
        else:
            self._accounts.move_to_end(client)
        horizon = self._clock() - self.policy.window_seconds
        while account.charges and account.charges[0][0] <= horizon:
            account.spent -= account.charges.popleft()[1]
        if not account.charges:
            account.spent = 0.0  # no drift from float sums
        return account

    async def admit(self, client: str, wait: float) -> None:
        """Take one of ``client``'s slots, waiting up to ``wait`` seconds for one, or raise
        Throttled (budget spent, or no slot in time)."""
        policy = self.policy
        account = self._account(client)
        if account.spent >= policy.budget_seconds:
            raise Throttled(
                f"query-time budget spent: this client used {account.spent:.1f} s of query time "
                f"in the last {policy.window_seconds:g} s, and {policy.budget_seconds:g} s is the "
                "share of one client",
                self._retry_after(account),
            )
        account.in_flight += 1
        if not account.slots.locked():  # a free slot: taken at once, without a timer task
            await account.slots.acquire()
            return
        try:
            await asyncio.wait_for(account.slots.acquire(), wait)
        except TimeoutError:
            account.in_flight -= 1
            raise Throttled(
                f"too many queries at once: {policy.max_in_flight} from this client ran for "
                f"{wait:g} s while this one waited; send fewer at a time",
                1,
            ) from None

    def release(self, client: str, seconds: float) -> None:
        """The query of ``client`` admitted earlier has ended after ``seconds``."""
        account = self._account(client)
        account.in_flight = max(account.in_flight - 1, 0)
        account.slots.release()
        if seconds > 0:  # an answer from the cache costs nothing and is not recorded
            account.charges.append((self._clock(), seconds))
            account.spent += seconds

    def spent(self, client: str) -> float:
        return self._account(client).spent

    def _retry_after(self, account: _Account) -> int:
        """Seconds until the charges still in the window fall under the budget."""
        excess = account.spent - self.policy.budget_seconds
        now = self._clock()
        for ended, seconds in account.charges:
            excess -= seconds
            if excess < 0:
                return max(1, math.ceil(ended + self.policy.window_seconds - now))
        return max(1, math.ceil(self.policy.window_seconds))
