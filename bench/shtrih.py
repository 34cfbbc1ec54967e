"""Local fiscal register benchmark: one 20-line sale printed through the Shtrih-M driver
on the register emulator over a pty, the emulator pacing its bytes to the baud rate.
Shows the median time per sale against the wire time of the bytes it exchanged (8N1:
10 bits a byte). Plain Python, no database.

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
from scs_hw_proxy.emulators.shtrih_register import ShtrihRegisterEmulator  # noqa: E402
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
    median = statistics.median(seconds)
    count = statistics.median(exchanged)
    wire = count * 10 / args.baud
    rows = [
        ("sale", f"{args.lines} lines, {len(frames)} receipt frames + 3 status commands"),
        ("median time per sale", f"{median * 1000:.1f} ms (min {min(seconds) * 1000:.1f})"),
        ("bytes exchanged (both ways)", f"{count:,.0f}"),
        (f"wire time at {args.baud} baud", f"{wire * 1000:.1f} ms"),
        ("time / wire time", f"{median / wire:.2f}x"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")  # noqa: T201


if __name__ == "__main__":
    main()
