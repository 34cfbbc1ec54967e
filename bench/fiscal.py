"""Fiscal engine benchmark: FFD 1.2 receipts built per second, and queue throughput
against the local ATOL Online emulator. Plain Python, no database; native Odoo has no
fiscal documents to compare with.

    .work/venv/bin/python bench/fiscal.py [--receipts N] [--documents N]
"""

import argparse
import datetime
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (the add-ons' engines as plain packages)

from scs_fiscal.adapters.atol_client import AtolClient  # noqa: E402
from scs_fiscal.emulators.atol_server import AtolApp, serve_in_thread  # noqa: E402
from scs_fiscal.engine import atol, ffd, queue  # noqa: E402

NOW = datetime.datetime(2026, 3, 10, 14, 5, 9)
COMPANY = atol.Company("3811098765", "kassa@scs-airlines.example", "Irkutsk, Airport, desk 1")


def _receipt(n_items):
    items = tuple(
        ffd.Item(f"Service {i}", 122000 + i, Decimal(1), "vat22", user_data=f"555240{i:07d}")
        if i % 3
        else ffd.Item(
            f"Insurance {i}",
            89000,
            Decimal(1),
            "none",
            agent=ffd.Agent(64, "Insurer JSC", "3811012348", ("+73952000000",)),
        )
        for i in range(n_items)
    )
    total = sum(ffd.item_sum(item.price, item.quantity) for item in items)
    return ffd.Receipt(
        operation=ffd.SALE,
        tax_system="osn",
        day=NOW.date(),
        items=items,
        payments=ffd.Payments(cash=total // 2, electronic=total - total // 2),
        cashier="Anna Smirnova",
        cashier_inn="381101234567",
    )


def bench_build(count, n_items):
    receipt = _receipt(n_items)
    t0 = time.perf_counter()
    for n in range(count):
        atol.request(ffd.build(receipt), f"b-{n}", COMPANY, NOW)
    seconds = time.perf_counter() - t0
    return count / seconds


def bench_queue(count):
    app = AtolApp(done_after=1)
    server, url = serve_in_thread(app)
    try:
        client = AtolClient(url, app.group_code, app.login, app.password, timeout=5)
        document = ffd.build(_receipt(5))
        t0 = time.perf_counter()
        for n in range(count):
            entry = queue.Entry(f"q-{n}")
            while entry.state in queue.OPEN_STATES:
                entry = queue.advance(entry, client, document, COMPANY, NOW)
            assert entry.state == queue.DONE_STATE, entry
        seconds = time.perf_counter() - t0
    finally:
        server.shutdown()
    assert set(app.copies().values()) == {1}
    return count / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--receipts", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    tracemalloc.start()
    rows = [
        ("FFD receipt + ATOL body, 5 items", f"{bench_build(args.receipts, 5):,.0f} receipts/s"),
        (
            "FFD receipt + ATOL body, 50 items",
            f"{bench_build(args.receipts // 10, 50):,.0f} receipts/s",
        ),
        (
            "queue to done via the emulator (submit + report)",
            f"{bench_queue(args.documents):,.0f} documents/s",
        ),
    ]
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")  # noqa: T201
    print(f"{'peak traced memory':<{width}}  {peak:.1f} MiB")  # noqa: T201


if __name__ == "__main__":
    main()
