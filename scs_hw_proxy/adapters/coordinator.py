"""The proxy's devices behind one coordinator: card money and fiscal receipts in step.

Every money or fiscal step is journaled before the device is asked and after
it answered (``adapters.journal``); ``engine.twophase`` decides what an open
step found on restart still needs. The routes of ``controllers/`` call only
this class, which knows nothing of HTTP or Odoo.

``SCS_HW_PROXY_CRASH_AT`` names a step at which the process kills itself
(SIGKILL, no clean-up), for the crash tests; it is read once, at start.
"""

import logging
import os
import signal
import threading
import time

from ..engine import twophase as tp
from ..engine.requests import decode
from .shtrih_driver import SHIFT_CLOSED, SHIFT_EXPIRED

_logger = logging.getLogger(__name__)

CRASH_AT = os.environ.get("SCS_HW_PROXY_CRASH_AT", "")

#: the steps a crash test may kill the proxy at, in the order a sale passes them
CRASH_POINTS = (
    "sale:journaled",
    "sale:answered",
    "sale:recorded",
    "receipt:journaled",
    "receipt:printing",
    "receipt:frame",
    "receipt:answered",
    "receipt:printed",
    "receipt:committed",
    "cancel:journaled",
    "cancel:answered",
)


def crash(point):
    if CRASH_AT and point == CRASH_AT:
        _logger.warning("hw_proxy: killed at %s (crash test)", point)
        os.kill(os.getpid(), signal.SIGKILL)


class ProxyError(Exception):
    """A request the proxy refuses, with a code the POS shows a message for."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _terminal_data(result):
    """What the POS keeps on the payment line from a terminal answer."""
    return {
        "outcome": result.outcome,
        "code": result.code,
        "text": result.text,
        "rrn": result.rrn or "",
        "auth_code": result.auth_code or "",
        "card_mask": result.card_mask or "",
        "terminal_id": result.terminal_id or "",
        "slip": result.slip or "",
    }


class ProxyService:
    def __init__(
        self,
        journal,
        terminal=None,
        register=None,
        printer=None,
        grace_seconds=tp.DEFAULT_GRACE_SECONDS,
        clock=time.time,
    ):
        self.journal = journal
        self.terminal = terminal
        self.register = register
        self.printer = printer
        self.grace = grace_seconds
        self._clock = clock
        # one money or fiscal operation at a time: the devices serve one caller
        self._lock = threading.RLock()

    # --- card money ---------------------------------------------------------

    def _need(self, device, name):
        if device is None:
            raise ProxyError("not_configured", f"No {name} is configured on this proxy.")
        return device

    def _txn_answer(self, txn):
        data = dict(txn["result"] or {})
        data.update(request_id=txn["request_id"], state=txn["state"], amount=txn["amount"])
        return data

    def card_sale(self, request_id, order_ref, amount):
        return self._card("sale", request_id, order_ref, amount, "")

    def card_refund(self, request_id, order_ref, amount, original_rrn):
        return self._card("refund", request_id, order_ref, amount, original_rrn)

    def _card(self, kind, request_id, order_ref, amount, original_rrn):
        terminal = self._need(self.terminal, "card terminal")
        with self._lock:
            txn = self.journal.txn(request_id)
            if txn:
                if txn["order_ref"] != order_ref:
                    # 32-bit UPOS ids meet again over the years: the POS takes a new one
                    raise ProxyError(
                        "id_taken", f"Request {request_id} belongs to another order: use a new id."
                    )
                if txn["kind"] != kind or txn["amount"] != amount:
                    raise ProxyError(
                        "conflict", f"Request {request_id} was already used for another payment."
                    )
                if txn["state"] == tp.AUTHORISING:
                    self._resolve_authorising(txn)
                return self._txn_answer(self.journal.txn(request_id))
            self.journal.add_txn(request_id, kind, order_ref, amount, tp.AUTHORISING, original_rrn)
            crash("sale:journaled")
            if kind == "sale":
                result = terminal.sale(amount, request_id)
            else:
                result = terminal.refund(amount, original_rrn, request_id)
            crash("sale:answered")
            if result.outcome == "unknown":
                result = terminal.resolve(request_id)
            state = {"approved": tp.AUTHORISED, "declined": tp.DECLINED}.get(
                result.outcome, tp.AUTHORISING
            )
            self.journal.set_txn(request_id, state, _terminal_data(result), detail=result.text)
            crash("sale:recorded")
            return self._txn_answer(self.journal.txn(request_id))

    def card_status(self, request_id):
        with self._lock:
            txn = self.journal.txn(request_id)
            if not txn:
                raise ProxyError("unknown", f"No card payment {request_id} on this proxy.")
            if txn["state"] in (tp.AUTHORISING, tp.CANCELLING):
                self._recover_txn(txn)
            return self._txn_answer(self.journal.txn(request_id))

    def card_cancel(self, request_id):
        """Give the money of an authorisation back (the cashier removed the payment)."""
        with self._lock:
            txn = self.journal.txn(request_id)
            if not txn:
                raise ProxyError("unknown", f"No card payment {request_id} on this proxy.")
            if txn["state"] == tp.COMMITTED:
                raise ProxyError(
                    "committed", "The receipt of this payment is printed: make a refund instead."
                )
            if txn["state"] == tp.AUTHORISING:
                self._resolve_authorising(txn)
                txn = self.journal.txn(request_id)
            if txn["state"] in (tp.AUTHORISED, tp.CANCELLING):
                self._cancel(txn)
            return self._txn_answer(self.journal.txn(request_id))

    def _resolve_authorising(self, txn):
        result = self.terminal.resolve(txn["request_id"])
        state = {"approved": tp.AUTHORISED, "declined": tp.DECLINED}.get(result.outcome)
        if state:
            data = _terminal_data(result)
            self.journal.set_txn(txn["request_id"], state, data, detail="resolved")

    def _cancel(self, txn):
        cancel_id = txn["cancel_id"]
        if txn["state"] == tp.CANCELLING and cancel_id:
            # an earlier cancel may have gone through: ask before cancelling again
            asked = self.terminal.resolve(cancel_id)
            if asked.outcome == "approved":
                self.journal.set_txn(txn["request_id"], tp.CANCELLED, detail="cancel resolved")
                return
            if asked.outcome == "unknown":
                return
        cancel_id = f"{int(txn['request_id'], 16) ^ 0xFFFFFFFF:08x}"
        self.journal.set_txn(txn["request_id"], tp.CANCELLING, cancel_id=cancel_id)
        crash("cancel:journaled")
        rrn = (txn["result"] or {}).get("rrn", "")
        result = self.terminal.cancel(txn["amount"], rrn, cancel_id)
        crash("cancel:answered")
        if result.outcome == "unknown":
            result = self.terminal.resolve(cancel_id)
        if result.outcome == "approved":
            self.journal.set_txn(txn["request_id"], tp.CANCELLED, detail=result.text)
        elif result.outcome == "declined":
            # the terminal refused the cancel: the money still stands, a person must act
            self.journal.set_txn(
                txn["request_id"], tp.AUTHORISED, detail=f"cancel refused: {result.text}"
            )

    # --- fiscal receipts ----------------------------------------------------

    def fiscal_receipt(self, external_id, document, total, operation, txns=()):
        """Print ``document`` (FFD, int tags) once, then commit the card money it covers."""
        register = self._need(self.register, "fiscal register")
        with self._lock:
            receipt = self.journal.receipt(external_id)
            if receipt is None:
                self._check_money(txns)
                self.journal.add_receipt(external_id, operation, total, document, txns)
                crash("receipt:journaled")
                receipt = self.journal.receipt(external_id)
            elif receipt["total"] != total or receipt["operation"] != operation:
                raise ProxyError(
                    "conflict", f"Receipt {external_id} was already sent with other sums."
                )
            if receipt["state"] == tp.PENDING:
                self._check_money(receipt["txns"])
                self._print(register, receipt)
            elif receipt["state"] == tp.PRINTING:
                self._resolve_receipt(register, receipt)
            receipt = self.journal.receipt(external_id)
            if receipt["state"] == tp.PRINTED:
                self._commit(receipt)
            return self._receipt_answer(self.journal.receipt(external_id))

    def _check_money(self, txns):
        for request_id in txns:
            txn = self.journal.txn(request_id)
            if not txn or txn["state"] not in (tp.AUTHORISED, tp.COMMITTED):
                state = txn["state"] if txn else "unknown"
                raise ProxyError(
                    "no_money",
                    f"Card payment {request_id} is {state}: the receipt is not printed "
                    "for money that was not taken.",
                )

    def _print(self, register, receipt):
        external_id = receipt["external_id"]
        document = decode(receipt["document"])
        for _attempt in range(2):
            before = register.last_fd()
            if before.get("status") != "done":
                self.journal.set_receipt(external_id, tp.PENDING, before, detail="not ready")
                return
            fd_before = before["fiscal"]["document_number"]
            self.journal.set_receipt(external_id, tp.PRINTING, fd_before=fd_before)
            crash("receipt:printing")
            result = register.print_receipt(document, progress=_frame_progress)
            crash("receipt:answered")
            if result.get("status") == "ask":
                result = register.resolve(fd_before, receipt["total"], receipt["operation"])
            code = result.get("error_code")
            if result.get("status") != "retry" or code not in (SHIFT_CLOSED, SHIFT_EXPIRED):
                break
            # certainly not registered: open the shift (closing one over 24 hours), print again
            if not self._renew_shift(register, document, code):
                break
        self._after_print(receipt, result)

    def _renew_shift(self, register, document, code):
        cashier, inn = document.get(1021) or "", document.get(1203) or ""
        if code == SHIFT_EXPIRED:
            closed = register.close_shift(cashier, inn)
            self.journal.log("shift", "close_shift", closed.get("status"), "over 24 hours")
            if closed.get("status") != "done":
                return False
        opened = register.open_shift(cashier, inn)
        self.journal.log("shift", "open_shift", opened.get("status"), opened.get("error_text"))
        return opened.get("status") == "done"

    def _resolve_receipt(self, register, receipt):
        result = register.resolve(receipt["fd_before"], receipt["total"], receipt["operation"])
        self._after_print(receipt, result)

    def _after_print(self, receipt, result):
        state, action = tp.after_print(result.get("status"))
        self.journal.set_receipt(
            receipt["external_id"], state, result, detail=result.get("error_text", "")
        )
        if state == tp.PRINTED:
            crash("receipt:printed")
        if action == "cancel":
            for request_id in receipt["txns"]:
                txn = self.journal.txn(request_id)
                if txn and txn["state"] == tp.AUTHORISED:
                    self._cancel(txn)

    def _commit(self, receipt):
        for request_id in receipt["txns"]:
            txn = self.journal.txn(request_id)
            if txn and txn["state"] != tp.COMMITTED:
                self.journal.set_txn(request_id, tp.COMMITTED, detail=receipt["external_id"])
        crash("receipt:committed")
        self.journal.set_receipt(receipt["external_id"], tp.DONE)
        self._print_slips(receipt)

    def _print_slips(self, receipt):
        """The terminal's slips after the receipt: once, when the money is committed."""
        if self.printer is None:
            return
        for request_id in receipt["txns"]:
            txn = self.journal.txn(request_id)
            for copy in (txn["result"] or {}).get("slip") or ():
                try:
                    self.printer.print_text(copy.splitlines())
                except Exception as error:
                    # the sale stands; the slip is reprinted from the journal on request
                    _logger.warning("hw_proxy: slip of %s not printed: %s", request_id, error)
                    self.journal.log("slip", request_id, "failed", str(error))
                    return

    def _receipt_answer(self, receipt):
        result = receipt["result"] or {}
        return {
            "external_id": receipt["external_id"],
            "state": receipt["state"],
            "status": {tp.DONE: "done", tp.FAILED: "failed", tp.PENDING: "retry"}.get(
                receipt["state"], "ask"
            ),
            "fiscal": result.get("fiscal", {}),
            "error_code": result.get("error_code"),
            "error_text": result.get("error_text", ""),
            "txns": [self._txn_answer(self.journal.txn(t)) for t in receipt["txns"]],
        }

    def receipt_status(self, external_id):
        with self._lock:
            receipt = self.journal.receipt(external_id)
            if not receipt:
                return {"external_id": external_id, "state": "unknown", "status": "retry"}
            if receipt["state"] in tp.RECEIPT_OPEN and receipt["state"] != tp.PENDING:
                self.recover_receipt(receipt)
            return self._receipt_answer(self.journal.receipt(external_id))

    # --- shifts, reports and cash --------------------------------------------

    def shift(self, operation, cashier, cashier_inn):
        register = self._need(self.register, "fiscal register")
        with self._lock:
            if operation == "x_report":
                result = register.x_report()
            else:
                result = getattr(register, operation)(cashier, cashier_inn)
            self.journal.log("shift", operation, result.get("status", ""), result.get("error_text"))
            return result

    def cash(self, operation, external_id, amount):
        """Cash in or out once per external id: a repeated request answers the first."""
        register = self._need(self.register, "fiscal register")
        with self._lock:
            known = self.journal.receipt(external_id)
            if known:
                if known["total"] != amount or known["document"].get("type") != operation:
                    raise ProxyError("conflict", f"{external_id} was already used.")
                if known["state"] != tp.PENDING:
                    return self._receipt_answer(known)
            else:
                self.journal.add_receipt(external_id, 0, amount, {"type": operation}, ())
            self.journal.set_receipt(external_id, tp.PRINTING)
            result = getattr(register, operation)(amount)
            # a lost answer of a cash operation cannot be asked about by document
            # number (cash in/out are not fiscal documents): it stays for a person
            state = {"done": tp.DONE, "failed": tp.FAILED, "retry": tp.PENDING}.get(
                result.get("status"), tp.PRINTING
            )
            self.journal.set_receipt(external_id, state, result, detail=result.get("error_text"))
            return self._receipt_answer(self.journal.receipt(external_id))

    def day_close(self):
        terminal = self._need(self.terminal, "card terminal")
        with self._lock:
            result = terminal.day_close()
            self.journal.log("terminal", "day_close", result.outcome, result.text)
            return _terminal_data(result)

    # --- restart --------------------------------------------------------------

    def recover_receipt(self, receipt):
        if not receipt["operation"]:
            return  # cash in/out: no fiscal document to ask the register about
        action = tp.receipt_recovery(receipt["state"])
        if action == "resolve" and self.register is not None:
            self._resolve_receipt(self.register, receipt)
            receipt = self.journal.receipt(receipt["external_id"])
        if receipt["state"] == tp.PRINTED:
            self._commit(receipt)

    def _recover_txn(self, txn):
        if self.terminal is None:
            return
        covered = self._covering_receipt(txn["request_id"])
        age = self._clock() - txn["updated"]
        if covered and covered["state"] == tp.PENDING and age >= self.grace:
            # the receipt never printed within the grace time: give the money back
            self.journal.set_receipt(
                covered["external_id"], tp.FAILED, detail="not printed in time: money returned"
            )
            covered = None
        action = tp.txn_recovery(txn["state"], age, bool(covered), self.grace)
        if action == "resolve":
            self._resolve_authorising(txn)
            txn = self.journal.txn(txn["request_id"])
            if txn["state"] == tp.AUTHORISED and not covered:
                # money the POS never heard of is given back at once
                self._cancel(txn)
        elif action in ("resolve_cancel", "cancel"):
            self._cancel(txn)

    def _covering_receipt(self, request_id):
        for receipt in self.journal.receipts():
            if request_id in receipt["txns"] and receipt["state"] != tp.FAILED:
                return receipt
        return None

    def recover(self):
        """Decide every open step left in the journal (at start, then periodically)."""
        with self._lock:
            for receipt in self.journal.receipts(tp.RECEIPT_OPEN):
                try:
                    self.recover_receipt(receipt)
                except Exception:
                    _logger.exception("hw_proxy: recovery of receipt %s", receipt["external_id"])
            for txn in self.journal.txns(tp.TXN_OPEN):
                try:
                    self._recover_txn(txn)
                except Exception:
                    _logger.exception("hw_proxy: recovery of card payment %s", txn["request_id"])


def _frame_progress(index, total):
    """Called by the register driver after each frame of a receipt is answered."""
    if 0 < index < total - 1:
        crash("receipt:frame")
