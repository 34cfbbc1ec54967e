#!/usr/bin/env python3
"""A fake Sberbank UPOS ``sb_pilot`` for tests and the demo: run it in a UPOS folder.

    sb_pilot.py 1 150000 0 /q=0a1b2c3d            sale
    sb_pilot.py 3 50000 0 QSELECT <RRN> /q=...    refund by reference
    sb_pilot.py 8 150000 0 QSELECT <RRN> /q=...   cancel a sale of the current day
    sb_pilot.py 7 | 9 0 | 9 1 | 52 <request id>    day close, report, status

Like the real one it ignores its exit code, answers in ``e`` (``<code>,<text>``
then one field a line, the request id echoed on line 19) and prints the slip
(two copies split by a ``======`` line) in ``p``, both in the folder's
encoding, and refuses to run while another run holds the pinpad (99). It
keeps its journal in ``emulator_state.json``: transactions by RRN, results by
request id, the day's totals since the last day close.

``pinpad.ini`` in the folder: the real keys (``ComPort=``...) and ours:
``Encoding=`` (KOI8-R, CP866 or CP1251; default KOI8-R), ``TerminalId=``,
``Delay=`` (seconds the customer takes at the pinpad) and ``SlipCut=1`` (a
0x01 byte after the copy separator too).

Faults: ``faults.json`` holds a list of names, one taken per run:
``declined`` (4451), ``pin_timeout`` (2002), ``no_link`` (4119),
``card_not_read`` (4334) (the card faults apply to sales, refunds and
cancels; ``no_link`` to any operation), ``no_result`` (the operation is done and recorded,
but no ``e`` is written) and ``hang`` (done and recorded, then the process
sleeps for an hour: money taken, answer never given).

Standard library only: it runs as a script, outside the add-on.
"""

import codecs
import datetime
import hashlib
import json
import os
import sys
import time
from pathlib import Path

STATE_FILE = "emulator_state.json"
FAULTS_FILE = "faults.json"
INI_FILE = "pinpad.ini"
LOCK_FILE = "sb_pilot.lock"
HANG_SECONDS = 3600
RRN_BASE = 600_000_000_000

CARD = {
    "pan": "2202201234561234",  # never written: only its mask and hash leave the emulator
    "mask": "220220******1234",
    "expiry": "12/28",
    "type": "МИР",
    "sberbank": "1",
}
MERCHANT_ID = "780000123456"

APPROVED = (0, "Одобрено")
FAULT_CODES = {
    "declined": (4451, "Недостаточно средств"),
    "pin_timeout": (2002, "Истекло время ввода ПИН"),
    "no_link": (4119, "Нет связи с банком"),
    "card_not_read": (4334, "Карта не считана"),
}
FAULTS = (*FAULT_CODES, "no_result", "hang")
NOT_FOUND = (4118, "Операция не найдена")
NOT_PERFORMED = (4311, "Операция не выполнена")
BAD_AMOUNT = (4413, "Неверная сумма")
NO_PARAMETERS = (4300, "Не заданы параметры")
BAD_OPERATION = (4301, "Неверный тип операции")
BUSY = (99, "Нет связи с пинпадом: порт занят")

TITLES = {"sale": "ОПЛАТА", "refund": "ВОЗВРАТ", "cancel": "ОТМЕНА"}


# --- helpers for tests and the demo ------------------------------------------------------------


def prepare(folder, encoding="KOI8-R", terminal_id="00982134", delay=0.0, slip_cut=False):
    """Make ``folder`` a UPOS folder with a fresh journal."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "ComPort=99",
        "Speed=115200",
        f"Encoding={encoding}",
        f"TerminalId={terminal_id}",
        f"Delay={delay}",
        f"SlipCut={1 if slip_cut else 0}",
    ]
    (folder / INI_FILE).write_text("\n".join(lines) + "\n", encoding="ascii")
    for name in (STATE_FILE, FAULTS_FILE, LOCK_FILE):
        (folder / name).unlink(missing_ok=True)


def inject(folder, *faults):
    """Queue faults for the next runs, one a run, in order."""
    unknown = set(faults) - set(FAULTS)
    if unknown:
        raise ValueError(f"unknown faults {sorted(unknown)}")
    path = Path(folder) / FAULTS_FILE
    queued = json.loads(path.read_text()) if path.exists() else []
    path.write_text(json.dumps(queued + list(faults)))


def load_state(folder):
    path = Path(folder) / STATE_FILE
    if not path.exists():
        return _new_state()
    return json.loads(path.read_text(encoding="utf-8"))


# --- configuration, journal, lock --------------------------------------------------------------


def _config(folder):
    config = {"encoding": "KOI8-R", "terminalid": "00982134", "delay": "0", "slipcut": "0"}
    path = folder / INI_FILE
    if path.exists():
        for line in path.read_bytes().decode("latin-1").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                config[key.strip().lower()] = value.strip()
    config["codec"] = codecs.lookup(config["encoding"]).name
    return config


def _new_state():
    totals = {kind: {"count": 0, "amount": 0} for kind in TITLES}
    return {
        "last_number": 0,
        "batch": 1,
        "transactions": {},
        "requests": {},
        "totals": totals,
        "closed_days": [],
        "runs": [],
    }


def _save_state(folder, state):
    # the hang and no_result faults are judged by this journal: never leave it half written
    tmp = folder / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / STATE_FILE)


def _take_fault(folder):
    path = folder / FAULTS_FILE
    if not path.exists():
        return None
    queued = json.loads(path.read_text() or "[]")
    if not queued:
        return None
    path.write_text(json.dumps(queued[1:]))
    return queued[0]


def _alive(pid):
    if os.name == "nt":
        return True  # os.kill would terminate it there; a stale lock is removed by hand
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock(folder):
    """Hold the pinpad: False when another live run holds it (a killed run's lock is stale)."""
    path = folder / LOCK_FILE
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(path.read_text() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                return False
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as lock:
            lock.write(str(os.getpid()))
        return True
    return False


# --- result files ------------------------------------------------------------------------------


def _e_lines(answer, config, request_id="", card=None, txn=None, moment=""):
    code, text = answer
    lines = [""] * 20
    lines[0] = f"{code},{text}"
    if card:
        lines[1], lines[2], lines[5], lines[6] = card["mask"], card["expiry"], card["type"], "1"
        lines[10] = hashlib.sha1(card["pan"].encode()).hexdigest().upper()
    if txn:
        lines[3], lines[4], lines[9] = txn["auth_code"], txn["number"], txn["rrn"]
        lines[13] = MERCHANT_ID
    lines[7] = config["terminalid"]
    lines[8] = moment
    lines[19] = request_id
    return lines


def _money(kopecks):
    return f"{kopecks // 100}.{kopecks % 100:02d}"


def _slip_head(config, moment):
    when = datetime.datetime.strptime(moment, "%Y%m%d%H%M%S")
    return [
        "         ПАО СБЕРБАНК",
        "    SCS Airlines, касса",
        f"{when:%d.%m.%Y}  {when:%H:%M:%S}",
        f"Терминал: {config['terminalid']}",
        f"Мерчант: {MERCHANT_ID}",
    ]


def _txn_slip(config, kind, amount, answer, moment, txn=None, card=None):
    body = [TITLES[kind]]
    if card:
        body += [f"Карта: {card['type']}", "**** **** **** " + card["mask"][-4:]]
    body.append(f"Сумма (Руб): {_money(amount)}")
    if txn:
        body += [
            f"Код авторизации: {txn['auth_code']}",
            f"Номер операции: {txn['number']}",
            f"RRN: {txn['rrn']}",
            "ОДОБРЕНО",
            "Подпись клиента не требуется",
        ]
        copies = ("Экземпляр клиента", "Экземпляр кассира")
    else:
        body += [f"ОТКАЗ: {answer[1]}", f"Код ответа: {answer[0]}"]
        copies = ("Экземпляр клиента",)
    return [[*_slip_head(config, moment), *body, copy] for copy in copies]


def _totals_slip(config, state, moment, title, full):
    lines = [*_slip_head(config, moment), title, f"Смена: {state['batch']}"]
    net = 0
    for kind, label in TITLES.items():
        count, amount = state["totals"][kind]["count"], state["totals"][kind]["amount"]
        lines.append(f"{label}: {count} на сумму {_money(amount)}")
        net += amount if kind == "sale" else -amount
    lines.append(f"ИТОГО: {_money(net)}")
    if full:
        lines.append("Операции:")
        for rrn, txn in state["transactions"].items():
            if txn["batch"] == state["batch"]:
                lines.append(f"{txn['number']} {TITLES[txn['op']]} {_money(txn['amount'])} {rrn}")
    return [lines]


def _write(folder, name, lines, config):
    newline = "\n" if config["codec"] == "koi8-r" else "\r\n"  # Linux or Windows build
    text = newline.join(lines) + newline
    (folder / name).write_bytes(text.encode(config["codec"], errors="replace"))


def _write_slip(folder, copies, config):
    newline = "\n" if config["codec"] == "koi8-r" else "\r\n"
    cut = "\x01" if config["slipcut"] == "1" else ""
    separator = f"{newline}======{newline}{cut}"
    text = separator.join(newline.join(copy) for copy in copies) + newline
    (folder / "p").write_bytes(text.encode(config["codec"], errors="replace"))


# --- operations --------------------------------------------------------------------------------


def _parse(args):
    """``(op, amount, rrn, request_id)``; ValueError for parameters missing or malformed."""
    request_id = ""
    plain = []
    for arg in args:
        if arg.startswith("/q="):
            request_id = arg[3:].lower()
        elif not arg.startswith("/"):
            plain.append(arg)
    if not plain:
        raise ValueError("no operation")
    op, rest = plain[0], plain[1:]
    amount, rrn = None, ""
    if op in ("1", "3", "8"):
        amount = int(rest[0])
        if amount <= 0:
            raise ValueError("amount")
        if op in ("3", "8"):
            if len(rest) < 4 or rest[2].upper() != "QSELECT":
                raise ValueError("no reference")
            rrn = rest[3]
    elif op == "52":
        request_id = rest[0].lower()
    return op, amount, rrn, request_id


def _new_txn(state, kind, amount, request_id, moment, original=""):
    state["last_number"] += 1
    number = state["last_number"]
    txn = {
        "op": kind,
        "amount": amount,
        "refunded": 0,
        "cancelled": False,
        "original": original,
        "request_id": request_id,
        "rrn": f"{RRN_BASE + number:012d}",
        "number": f"{number:04d}",
        "auth_code": f"{(number * 7919 + 104729) % 1_000_000:06d}",
        "moment": moment,
        "batch": state["batch"],
    }
    state["transactions"][txn["rrn"]] = txn
    state["totals"][kind]["count"] += 1
    state["totals"][kind]["amount"] += amount
    return txn


def _refusal(state, op, amount, rrn):
    """Why a refund or cancel of ``rrn`` cannot be done, or None."""
    original = state["transactions"].get(rrn)
    if not original or original["op"] != "sale":
        return NOT_FOUND
    if op == "3":
        left = 0 if original["cancelled"] else original["amount"] - original["refunded"]
        return BAD_AMOUNT if amount > left else None
    # a cancel is the whole sale, of the day not yet closed, before any refund
    if original["cancelled"] or original["batch"] != state["batch"] or original["refunded"]:
        return NOT_FOUND
    return BAD_AMOUNT if amount != original["amount"] else None


def _financial(state, config, op, amount, rrn, request_id, fault, moment):
    """``(e lines, slip copies)`` of a sale, refund or cancel; recorded under its request id."""
    kind = {"1": "sale", "3": "refund", "8": "cancel"}[op]
    # refunds and cancels go by reference: only a sale reads the card
    card = CARD if op == "1" and fault not in ("card_not_read", "no_link") else None
    answer = FAULT_CODES.get(fault) or (_refusal(state, op, amount, rrn) if rrn else None)
    txn = None
    if answer is None:
        answer = APPROVED
        txn = _new_txn(state, kind, amount, request_id, moment, original=rrn)
        if op == "3":
            state["transactions"][rrn]["refunded"] += amount
        elif op == "8":
            state["transactions"][rrn]["cancelled"] = True
    lines = _e_lines(answer, config, request_id, card, txn, moment)
    if request_id:
        state["requests"][request_id] = lines
    return lines, _txn_slip(config, kind, amount, answer, moment, txn, card)


def _operate(state, config, args, fault, moment):
    try:
        op, amount, rrn, request_id = _parse(args)
    except (ValueError, IndexError):
        return _e_lines(NO_PARAMETERS, config, moment=moment), None
    if fault == "no_link" and op not in ("1", "3", "8"):
        return _e_lines(FAULT_CODES[fault], config, moment=moment), None
    if op in ("1", "3", "8"):
        return _financial(state, config, op, amount, rrn, request_id, fault, moment)
    if op == "7":
        slip = _totals_slip(config, state, moment, "СВЕРКА ИТОГОВ", full=False)
        state["closed_days"].append({"batch": state["batch"], "totals": state["totals"]})
        state["totals"] = _new_state()["totals"]
        state["batch"] += 1
        return _e_lines((0, "Сверка итогов выполнена"), config, moment=moment), slip
    if op == "9":
        full = args[1:2] == ["1"]
        title = "ПОЛНЫЙ ОТЧЕТ" if full else "КРАТКИЙ ОТЧЕТ"
        slip = _totals_slip(config, state, moment, title, full)
        return _e_lines((0, "Отчет сформирован"), config, moment=moment), slip
    if op == "52":
        stored = state["requests"].get(request_id)
        return stored or _e_lines(NOT_PERFORMED, config, request_id, moment=moment), None
    return _e_lines(BAD_OPERATION, config, moment=moment), None


def main(args, folder=None):
    folder = Path(folder or os.getcwd())
    config = _config(folder)
    if not _lock(folder):
        _write(folder, "e", _e_lines(BUSY, config), config)
        return 0
    try:
        started = time.time()
        fault = _take_fault(folder)
        time.sleep(float(config["delay"]))
        state = load_state(folder)
        moment = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
        lines, slip = _operate(state, config, args, fault, moment)
        state["runs"] = [*state["runs"][-99:], [" ".join(args), started, time.time(), fault]]
        _save_state(folder, state)
        if fault == "hang":
            time.sleep(HANG_SECONDS)  # killed here by the bridge: done, but never answered
        if fault == "no_result":
            return 0
        if slip:
            _write_slip(folder, slip, config)
        _write(folder, "e", lines, config)
    finally:
        (folder / LOCK_FILE).unlink(missing_ok=True)
    return 0  # like the real one: the exit code says nothing


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
