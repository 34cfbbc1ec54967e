"""An in-memory local fiscal register behind the hardware proxy, for tests and the demo.

It plays what a register and its proxy do together as the fiscal queue sees
them: shifts on the register's own clock (which may run in another time zone
than the server), the 24-hour shift limit, document numbers, counters for the
X and Z reports, cash in/out, and a proxy journal that answers a repeated
external id with the document it already printed. ``fail_next`` makes the
next call lose its answer after printing, as a dropped USB or network link
does.
"""

import datetime
import hashlib
import itertools
import threading

from ..adapters.driver import SHIFT_CLOSED, SHIFT_EXPIRED, FiscalDriver
from ..engine.atol import ASK, DONE, RETRY, Outcome

FN_NUMBER = "9999078902004567"
SHIFT_LIMIT = datetime.timedelta(hours=24)


class RegisterEmulator(FiscalDriver):
    takes_cash_movements = True

    def __init__(self, utc_offset_hours=3, now=None):
        self.offset = datetime.timedelta(hours=utc_offset_hours)
        self._now = now or (lambda: datetime.datetime.now(datetime.UTC).replace(tzinfo=None))
        self.shift_number = 0
        self.shift_opened = None  # register time
        self.journal = {}  # external id -> Outcome
        self.printed = []  # (external id, document) in print order
        self.counters = {}
        self.cash = 0
        self.lose_answers = 0
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def clock(self):
        return self._now() + self.offset

    def fail_next(self, count=1):
        self.lose_answers += count

    def _answer(self, outcome):
        if self.lose_answers:
            self.lose_answers -= 1
            return Outcome(ASK, error_text="no answer from the register")
        return outcome

    def _fiscal(self, **extra):
        number = next(self._numbers)
        moment = self.clock()
        sign = int(hashlib.sha256(f"{FN_NUMBER}:{number}".encode()).hexdigest()[:8], 16)
        return {
            "fn_number": FN_NUMBER,
            "document_number": number,
            "fiscal_sign": str(sign),
            "shift_number": self.shift_number,
            "moment": moment,
            **extra,
        }

    def _shift_refusal(self):
        if self.shift_opened is None:
            return Outcome(RETRY, error_code=SHIFT_CLOSED, error_text="shift is closed")
        if self.clock() - self.shift_opened >= SHIFT_LIMIT:
            return Outcome(RETRY, error_code=SHIFT_EXPIRED, error_text="shift is over 24 hours")
        return None

    def submit(self, document, external_id, company, moment):
        with self._lock:
            if external_id in self.journal:
                return self._answer(self.journal[external_id])
            refusal = self._shift_refusal()
            if refusal:
                return self._answer(refusal)
            kind = document.get("type")
            if kind in ("cash_in", "cash_out"):
                self.cash += document["sum"] if kind == "cash_in" else -document["sum"]
                key, total = kind, document["sum"]
            else:
                key, total = document[1054], document[1020]
            count, amount = self.counters.get(key, (0, 0))
            self.counters[key] = (count + 1, amount + total)
            outcome = Outcome(DONE, external_id, self._fiscal(total=total))
            self.journal[external_id] = outcome
            self.printed.append((external_id, document))
            return self._answer(outcome)

    def status(self, uuid):
        with self._lock:
            if uuid in self.journal:
                return self.journal[uuid]
            return Outcome(RETRY, error_code=30, error_text="unknown document")

    def open_shift(self, cashier, cashier_inn):
        with self._lock:
            if self.shift_opened is None:
                self.shift_number += 1
                self.shift_opened = self.clock()
                self.counters = {}
            return self._answer(Outcome(DONE, fiscal=self._fiscal(opened=self.shift_opened)))

    def close_shift(self, cashier, cashier_inn):
        with self._lock:
            if self.shift_opened is None:
                return Outcome(RETRY, error_code=SHIFT_CLOSED, error_text="shift is closed")
            fiscal = self._fiscal(counters=dict(self.counters))
            self.shift_opened = None
            return self._answer(Outcome(DONE, fiscal=fiscal))

    def x_report(self):
        with self._lock:
            if self.shift_opened is None:
                return Outcome(RETRY, error_code=SHIFT_CLOSED, error_text="shift is closed")
            return Outcome(DONE, fiscal={"counters": dict(self.counters), "cash": self.cash})
