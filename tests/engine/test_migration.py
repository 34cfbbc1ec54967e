import datetime
import io
from decimal import Decimal

import openpyxl

from scs_loyalty.engine import codes, migration
from scs_loyalty.engine.migration import (
    Known,
    KnownCard,
    KnownDesk,
    KnownPoints,
)

D = Decimal
TODAY = datetime.date(2026, 6, 1)

SERVICES = (
    "code;name;kind;price;vat;supplier_inn;booking_code\n"
    "SEAT;Seat selection;own;1 220,00;22;;0B5\n"
    "INS;Travel insurance;agent;890.00;none;3811012348;\n"
    "MUG;Branded mug;goods;450;22;;\n"
)
CUSTOMERS = (
    "legacy_id,name,phone,email\nC1,Ivanova Anna,+79161234567,Anna@example.com\nC2,Petrov Pavel,,\n"
)
CERTIFICATES = (
    "code;balance;issued;expires;nominal;vat_rate;customer_id;customer_name\n"
    "GC-000123;3000,00;01.02.2026;;5000;22;C1;ivanova  anna\n"
    "GC000124;1500;2026-03-01;2027-03-01;;;;\n"
)
VOUCHERS = (
    "code;balance;issued;customer_id;reason\nV-77;2500;2026-05-01;C2;Flight SU 1234 cancelled\n"
)
POINTS = "customer_id;points;accrued\nC1;120;2025-07-01\nC1;80;2026-01-10\nC2;50;2026-05-30\n"
CASH = "desk;day;balance\nVVO desk 1;2026-06-01;15 000,00\n"


def _files(**overrides):
    files = {
        "services.csv": SERVICES,
        "customers.csv": CUSTOMERS,
        "certificates.csv": CERTIFICATES,
        "vouchers.csv": VOUCHERS,
        "points.csv": POINTS,
        "cash_openings.csv": CASH,
    }
    files.update({(k if "." in k else f"{k}.csv"): v for k, v in overrides.items()})
    return [
        (name, text.encode() if isinstance(text, str) else text)
        for name, text in files.items()
        if text is not None
    ]


def _known(**values):
    known = Known(suppliers={"3811012348"}, desks={"VVO desk 1": KnownDesk()})
    for key, value in values.items():
        setattr(known, key, value)
    return known


def _plan(files=None, known=None):
    batch = migration.read_files(files or _files(), "VVO", TODAY)
    return migration.plan(batch, known or _known(), TODAY)


def _reasons(plan):
    return [(i.file, i.line, i.column, i.code) for i in plan.issues]


def test_clean_files_plan_everything():
    plan = _plan()
    assert plan.ok, [str(i) for i in plan.issues]
    assert plan.created == {
        "services": 3,
        "customers": 2,
        "certificates": 2,
        "vouchers": 1,
        "points": 3,
        "cash_openings": 1,
    }
    seat = plan.create["services"][0]
    assert (seat.code, seat.price, seat.vat, seat.booking_code) == (
        "SEAT",
        D("1220.00"),
        "22",
        "0B5",
    )
    first, second = plan.create["certificates"]
    assert (first.code, first.legacy, first.balance, first.nominal) == (
        "GC000123",
        True,
        D("3000.00"),
        D("5000"),
    )
    assert first.vat_amount == D("540.98")  # 3000 * 22 / 122
    assert second.nominal == second.balance and second.vat_amount == 0
    assert plan.create["customers"][0].email == "anna@example.com"
    lots = [(p.customer_id, p.number, p.points) for p in plan.create["points"]]
    assert lots == [("C1", 1, D(120)), ("C1", 2, D(80)), ("C2", 1, D(50))]
    totals = migration.file_totals(plan.batch)
    assert (totals["certificates"].count, totals["certificates"].amount) == (2, D("4500.00"))
    assert (totals["points"].count, totals["points"].amount) == (3, D(250))
    assert totals["cash_openings"].amount == D("15000.00")


def test_scs_codes_stay_ours():
    code = codes.generate()
    shown = codes.display(code).lower()
    plan = _plan(_files(certificates=f"code;balance;issued\n{shown};100;2026-01-01\n"))
    card = plan.create["certificates"][0]
    assert (card.code, card.legacy) == (code, False)


def test_cp1251_bom_and_xlsx():
    cp1251 = "legacy_id;name\nC1;Иванова Анна\n".encode("cp1251")
    bom = b"\xef\xbb\xbf" + "legacy_id,name\nC2,Петров Павел\n".encode()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["customer_id", "points", "accrued"])
    sheet.append(["C1", 10.0, datetime.datetime(2026, 1, 5)])
    sheet.append([None, None, None])
    sheet.append(["C2", 7, "05.02.2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    files = [
        ("customers.csv", cp1251),
        ("customers_2.csv", bom),
        ("points.xlsx", buffer.getvalue()),
    ]
    plan = _plan(files)
    assert plan.ok, [str(i) for i in plan.issues]
    assert [c.name for c in plan.create["customers"]] == ["Иванова Анна", "Петров Павел"]
    assert [(p.accrued, p.points, p.line) for p in plan.create["points"]] == [
        (datetime.date(2026, 1, 5), D(10), 2),
        (datetime.date(2026, 2, 5), D(7), 4),
    ]


def test_every_bad_cell_is_reported_with_file_line_column():
    services = (
        "code;name;kind;price;vat;supplier_inn\n"
        "A;Svc;own;12,345;22;\n"  # three decimals
        "B;Svc;rented;10;22;\n"
        "C;Svc;agent;10;none;\n"  # no supplier
        "D;Svc;agent;10;none;1234567890\n"  # bad INN
        "E;Svc;own;-5;18;\n"
    )
    certificates = (
        "code;balance;issued;expires;currency\n"
        "GC1;0;2026-01-01;;\n"
        "GC2;-10;2026-01-01;;\n"
        "GC3;10;2027-01-01;;\n"  # issued in the future
        "GC4;10;2025-01-01;2026-01-01;\n"  # expired
        "GC5;10;2026-01-01;;USD\n"
        "G!;10;2026-01-01;;\n"
        "GC7;10;32.01.2026;;\n"
    )
    points = "customer_id;points;accrued\nC1;1.5;2026-01-01\nC1;10;2026-07-01\nC9;10;2026-01-01\n"
    plan = _plan(_files(services=services, certificates=certificates, points=points))
    found = set(_reasons(plan))
    expected = {
        ("services.csv", 2, "price", "money"),
        ("services.csv", 3, "kind", "choice"),
        ("services.csv", 4, "supplier_inn", "supplier"),
        ("services.csv", 5, "supplier_inn", "inn"),
        ("services.csv", 6, "price", "negative"),
        ("services.csv", 6, "vat", "choice"),
        ("certificates.csv", 2, "balance", "not_positive"),
        ("certificates.csv", 3, "balance", "negative"),
        ("certificates.csv", 4, "issued", "future"),
        ("certificates.csv", 5, "expires", "expired"),
        ("certificates.csv", 6, "currency", "currency"),
        ("certificates.csv", 7, "code", "code"),
        ("certificates.csv", 8, "issued", "date"),
        ("points.csv", 3, "accrued", "future"),
        ("points.csv", 4, "customer_id", "customer_unknown"),
    }
    assert expected <= found, expected - found
    assert not plan.ok
    issue = next(i for i in plan.issues if i.code == "currency")
    assert (
        str(issue) == "certificates.csv:6 [currency]: currency USD: only roubles (RUB) are imported"
    )
    # points with decimals are taken to the hundredth
    assert ("points.csv", 2, "points", "points") not in found


def test_headers_unknown_missing_and_wide_rows():
    plan = _plan(
        _files(
            customers="legacy_id;nmae\nC1;X\n",
            vouchers="code;balance;issued;customer_id\nV100;1;2026-01-01;C2;extra\n",
            points="",
        )
    )
    found = set(_reasons(plan))
    assert ("customers.csv", 1, "nmae", "unknown_column") in found
    assert ("customers.csv", 1, "name", "missing_column") in found
    assert ("points.csv", 0, "", "empty") in found
    assert ("vouchers.csv", 2, "", "width") in found


def test_file_names_and_types():
    batch = migration.read_files([("clients.csv", b"x"), ("customers.pdf", b"x")], "VVO", TODAY)
    assert [(i.file, i.code) for i in batch.issues] == [
        ("clients.csv", "file_kind"),
        ("customers.pdf", "file_type"),
    ]
    assert migration.kind_of("cash_openings_vvo.xlsx") == "cash_openings"
    assert migration.kind_of("dir/Customers-2.csv") == "customers"
    bad = migration.read_files([("customers.xlsx", b"not a zip")], "VVO", TODAY)
    assert [i.code for i in bad.issues] == ["xlsx"]
    assert [i.code for i in migration.read_files([], "V V", TODAY).issues] == ["source", "no_files"]


def test_duplicates_within_a_file():
    plan = _plan(_files(customers=CUSTOMERS + "C1,Ivanova Anna,+79161234567,anna@example.com\n"))
    assert _reasons(plan) == [("customers.csv", 4, "", "duplicate")]
    assert "C1 is already on line 2 of this file" in str(plan.issues[0])


def test_customer_in_two_files():
    same = _plan(_files(**{"customers_2.csv": "legacy_id,name\nC2,Petrov Pavel\n"}))
    assert same.ok and same.created["customers"] == 2
    other = _plan(_files(**{"customers_2.csv": "legacy_id,name\nC2,Petrov Petr\n"}))
    assert _reasons(other) == [("customers_2.csv", 2, "", "other_file")]
    named = _plan(
        _files(
            vouchers="code;balance;issued;customer_id;customer_name\nV100;5;2026-01-01;C2;Sidorov\n"
        )
    )
    assert _reasons(named) == [("vouchers.csv", 2, "customer_name", "customer_name")]


def test_a_code_both_certificate_and_voucher():
    plan = _plan(_files(vouchers="code;balance;issued;customer_id\nGC 000 124;5;2026-01-01;C2\n"))
    assert _reasons(plan) == [("vouchers.csv", 2, "", "card_kind")]


def test_rerun_is_unchanged_and_a_changed_balance_a_conflict():
    first = _plan()
    known = _known(
        services={s.code: s for s in first.create["services"]},
        customers={c.legacy_id: c for c in first.create["customers"]},
        cards={
            c.code: KnownCard(c.kind, c.balance, c.issued, c.expires, c.customer_id)
            for kind in ("certificates", "vouchers")
            for c in first.create[kind]
        },
        points={"C1": KnownPoints(D(200), 2), "C2": KnownPoints(D(50), 1)},
        desks={"VVO desk 1": KnownDesk(first_day=TODAY, first_opening=D(15000))},
    )
    again = migration.plan(migration.read_files(_files(), "VVO", TODAY), known, TODAY)
    assert again.ok, [str(i) for i in again.issues]
    assert sum(again.created.values()) == 0
    assert sum(again.unchanged.values()) == 12
    before = migration.known_totals(again.batch, known)
    assert migration.file_totals(again.batch)["certificates"] == before["certificates"]
    text = migration.render(again, before, before)
    assert "0 created, 12 unchanged" in text
    changed = CERTIFICATES.replace("3000,00", "3100,00")
    points = POINTS.replace("C2;50", "C2;55")
    cash = CASH.replace("15 000,00", "14 000,00")
    conflict = migration.plan(
        migration.read_files(
            _files(certificates=changed, points=points, cash_openings=cash), "VVO", TODAY
        ),
        known,
        TODAY,
    )
    assert _reasons(conflict) == [
        ("cash_openings.csv", 2, "desk", "desk_started"),
        ("certificates.csv", 2, "balance", "conflict"),
        ("points.csv", 4, "points", "points_conflict"),
    ]
    assert "balance 3000.00" in str(conflict.issues[1])


def test_database_conflicts():
    known = _known(
        services={"SEAT": migration.Service("SEAT", "Seat", "own", D(1000), "22")},
        customers={"C2": migration.Customer("C2", "Petrov Pavel", phone="+7 900")},
        cards={"GC000124": KnownCard("certificate", None)},
        desks={"VVO desk 1": KnownDesk(count=2)},
        suppliers=set(),
    )
    plan = _plan(known=known)
    assert _reasons(plan) == [
        ("cash_openings.csv", 2, "desk", "desk_ambiguous"),
        ("certificates.csv", 3, "code", "code_taken"),
        ("customers.csv", 3, "", "conflict"),
        ("services.csv", 2, "", "conflict"),
        ("services.csv", 3, "supplier_inn", "supplier_unknown"),
    ]
    named = _plan(
        _files(
            services=SERVICES.replace("3811012348;", "3811012348;")
            .replace("supplier_inn;booking_code", "supplier_inn;booking_code;supplier_name")
            .replace("3811012348;\n", "3811012348;;Insurer JSC\n")
        ),
        known=_known(suppliers=set()),
    )
    assert named.ok, [str(i) for i in named.issues]
    assert named.new_suppliers == {"3811012348": "Insurer JSC"}


def test_batch_key_ignores_names_and_order():
    a = migration.read_files(_files(), "VVO", TODAY)
    renamed = list(reversed(_files()))
    b = migration.read_files(renamed, "VVO", TODAY)
    c = migration.read_files(_files(), "KHV", TODAY)
    assert a.key == b.key != c.key
    keys = a.keys()
    assert keys["customers"] == {"C1", "C2"}
    assert keys["cards"] == {"GC000123", "GC000124", "V77"}


def test_program_validity_fills_and_checks_expiry():
    batch = migration.read_files(_files(), "VVO", TODAY)
    plan = migration.plan(batch, _known(), TODAY, {"certificate": 12, "voucher": 6, "points": 6})
    found = _reasons(plan)
    # GC-000123 (1 February 2026) runs to 1 February 2027; points of 1 July 2025 expired
    assert found == [("points.csv", 2, "expires", "expired_default")]
    assert plan.create["certificates"][0].expires == datetime.date(2027, 2, 1)
    assert plan.create["certificates"][1].expires == datetime.date(2027, 3, 1)  # from the file
    assert plan.create["vouchers"][0].expires == datetime.date(2026, 11, 1)
    assert migration.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert migration.add_months(datetime.date(2025, 12, 15), 14) == datetime.date(2027, 2, 15)
    key = migration.files_key("VVO", list(reversed(_files())))
    assert key == batch.key
