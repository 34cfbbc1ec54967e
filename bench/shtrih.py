"""Local fiscal register benchmark: one 20-line sale on the Shtrih-M register emulator over
a pty, the emulator pacing its bytes to the baud rate, measured twice in one run:

- driver: the Shtrih-M driver called in-process;
- route: the hardware proxy as the office PC runs it (odoo-bin, no database), from the
  POS's call of ``/scs/fiscal/receipt`` to its answer, journal and two-phase commit included.

Each is shown against the wire time of the bytes it exchanged with the register (8N1:
10 bits a byte), the physical floor. No database.

    .work/venv/bin/python bench/shtrih.py [--sales N] [--baud 115200] [--lines 20]
        [--reply-delay 0.05]
"""

import argparse
import datetime
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (the add-ons' engines as plain packages)

from scs_fiscal.engine import ffd  # noqa: E402
from scs_hw_proxy.adapters.shtrih_driver import ShtrihRegister  # noqa: E402
from scs_hw_proxy.emulators.shtrih_register import (  # noqa: E402
    RegisterProcess,
    ShtrihRegisterEmulator,
)
from scs_hw_proxy.engine import shtrih  # noqa: E402

DAY = datetime.date(2026, 3, 10)


def sale(lines):
    """A desk's long order: own services, and every third line an insurer's policy as agent."""
    items = tuple(
        ffd.Item(f"Услуга {i}: место", 122000 + i, Decimal(1), "vat22", user_data=f"555{i:010d}")
        if i % 3
        else ffd.Item(
            f"Страховка {i}",
            89000,
            Decimal(1),
            "none",
            agent=ffd.Agent(64, "АО «Страхование»", "3811012348", ("+73952000000",)),
        )
        for i in range(lines)
    )
    total = sum(ffd.item_sum(item.price, item.quantity) for item in items)
    return ffd.build(
        ffd.Receipt(
            operation=ffd.SALE,
            tax_system="osn",
            day=DAY,
            items=items,
            payments=ffd.Payments(cash=total // 2, electronic=total - total // 2),
            cashier="Кассир Иванова А.",
            cashier_inn="381101234567",
        )
    )


def bench_driver(document, args):
    emulator = ShtrihRegisterEmulator(
        baud=args.baud, pace=True, reply_delay=args.reply_delay
    ).start()
    register = ShtrihRegister(emulator.slave_path, baud=args.baud)
    try:
        assert register.open_shift("Кассир Иванова А.", "381101234567")["status"] == "done"
        register.print_receipt(document)  # warm-up
        seconds, exchanged = [], []
        for _ in range(args.sales):
            before = emulator.bytes_in + emulator.bytes_out
            t0 = time.perf_counter()
            result = register.print_receipt(document)
            seconds.append(time.perf_counter() - t0)
            exchanged.append(emulator.bytes_in + emulator.bytes_out - before)
            assert result["status"] == "done", result
    finally:
        register.close()
        emulator.stop()
    return seconds, exchanged


def bench_route(document, args):
    """The same sale through the proxy's route; the emulator in its own process."""
    import tempfile

    from proxy.harness import Proxy, free_port

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        register = RegisterProcess(
            folder, free_port(), pace=True, baud=args.baud, reply_delay=args.reply_delay
        )
        proxy = Proxy(
            folder / "proxy",
            {
                "scs_hw_proxy_journal": str(folder / "journal.sqlite3"),
                "scs_hw_proxy_register": str(register.link),
                "scs_hw_proxy_register_baud": str(args.baud),
                "log_level": "warn",
            },
        )
        payload = ffd.to_json(document)
        try:
            proxy.start()
            seconds, exchanged = [], []
            for number in range(args.sales + 1):
                before = register.state()
                t0 = time.perf_counter()
                status, body = proxy.call(
                    "/scs/fiscal/receipt", {"external_id": f"bench-{number}", "document": payload}
                )
                elapsed = time.perf_counter() - t0
                after = register.state()
                assert status == 200 and body["result"]["status"] == "done", body
                if number:  # the first one opens the shift and warms up
                    seconds.append(elapsed)
                    exchanged.append(
                        after["bytes_in"] + after["bytes_out"]
                        - before["bytes_in"] - before["bytes_out"]
                    )  # fmt: skip
        finally:
            proxy.stop()
            register.stop()
    return seconds, exchanged


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=20)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument(
        "--reply-delay",
        type=float,
        default=0.0,
        help="seconds the register waits before each ACK or answer (P116: one byte time-out)",
    )
    args = parser.parse_args()
    document = sale(args.lines)
    frames = shtrih.receipt_frames(document, 30)
    print(  # noqa: T201
        f"{args.lines}-line sale: {len(frames)} receipt frames + status commands, "
        f"{args.sales} sales each, register emulator paced at {args.baud} baud"
    )
    rows = [("", "median", "min", "bytes", "wire time", "x wire")]
    for name, bench in (("driver", bench_driver), ("route", bench_route)):
        seconds, exchanged = bench(document, args)
        median = statistics.median(seconds)
        count = statistics.median(exchanged)
        wire = count * 10 / args.baud
        rows.append(
            (
                name,
                f"{median * 1000:.1f} ms",
                f"{min(seconds) * 1000:.1f} ms",
                f"{count:,.0f}",
                f"{wire * 1000:.1f} ms",
                f"{median / wire:.2f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=False)))  # noqa: T201


if __name__ == "__main__":
    main()
