"""Benchmark scenarios, run inside ``odoo-bin shell`` (``env`` is given) by bench/run.py.

With SCS installed each order line carries its booking and passenger (a composite
order); native Odoo syncs the same plain lines.

The same code runs on a database with native Odoo only and on one with the SCS
add-ons installed on top, so the difference is what our add-ons cost. Nothing
is committed: every scenario runs in the shell's transaction, rolled back.
Prints one ``BENCH {json}`` line per measurement.
"""

import json
import statistics
import time
import uuid

import odoo
from odoo import Command, fields

REPEAT = 9


def _setup(env):
    company = env.company
    Journal = env["account.journal"]
    cash = Journal.create({"name": "Bench cash", "code": "BCSH", "type": "cash"})
    bank = Journal.create({"name": "Bench card", "code": "BCRD", "type": "bank"})
    sales = Journal.create({"name": "Bench POS", "code": "BPOS", "type": "general"})
    pm_cash = env["pos.payment.method"].create({"name": "Bench cash", "journal_id": cash.id})
    pm_card = env["pos.payment.method"].create({"name": "Bench card", "journal_id": bank.id})
    config = env["pos.config"].create(
        {
            "name": "Bench desk",
            "journal_id": sales.id,
            "payment_method_ids": [Command.set([pm_cash.id, pm_card.id])],
        }
    )
    tax = env["account.tax"].create(
        {"name": "Bench VAT 22% incl.", "amount": 22, "price_include_override": "tax_included"}
    )
    product = env["product.product"].create(
        {
            "name": "Bench seat selection",
            "type": "service",
            "list_price": 1220.0,
            "available_in_pos": True,
            "taxes_id": [Command.set(tax.ids)],
        }
    )
    user = env["res.users"].create(
        {
            "name": "Bench cashier",
            "login": f"bench.{uuid.uuid4().hex[:8]}",
            "email": "bench.cashier@example.com",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [
                Command.set(
                    [env.ref("base.group_user").id, env.ref("point_of_sale.group_pos_user").id]
                )
            ],
        }
    )
    if "scs.role.limit" in env:
        # the bench cashier is an SCS cashier allowed any refund: the refund scenario
        # measures the refund checks, not an approval
        user.groups_id += env.ref("scs_pos.group_scs_cashier")
        limit = env["scs.role.limit"].search(
            [
                ("group_id", "=", env.ref("scs_pos.group_scs_cashier").id),
                ("company_id", "=", company.id),
            ]
        ) or env["scs.role.limit"].create(
            {"group_id": env.ref("scs_pos.group_scs_cashier").id, "company_id": company.id}
        )
        limit.no_refund_limit = True
    if "scs.office" in env:
        # with SCS the desk belongs to an office: session close posts per service
        # with analytics (the SCS path), native Odoo posts its standard entry
        plan = env["account.analytic.plan"].create({"name": "Bench office"})
        office = env["scs.office"].create(
            {
                "name": "Bench office",
                "code": "BENCH",
                "analytic_account_id": env["account.analytic.account"]
                .create({"name": "Bench office", "plan_id": plan.id})
                .id,
            }
        )
        config.scs_office_id = office
    config.with_user(user).open_ui()
    return {
        "config": config,
        "session": config.current_session_id,
        "product": product,
        "tax": tax,
        "pm_cash": pm_cash,
        "pm_card": pm_card,
        "user": user,
    }


def _booking_fields(env, index):
    """Booking data of a composite order's line; none on native Odoo."""
    if "scs_booking_ref" not in env["pos.order.line"]._fields:
        return {}
    pax = index % 9 + 1
    return {
        "scs_booking_ref": "BENCH1",
        "scs_passenger_id": f"P{pax}",
        "scs_passenger_name": f"PASSENGER {pax}",
        "scs_passenger_ptc": "ADT",
        "scs_document_number": f"555240{index:07d}",
    }


def _payment(ctx, pm, amount):
    vals = {"amount": amount, "name": fields.Datetime.now(), "payment_method_id": pm.id}
    if "scs_rrn" in pm.env["pos.payment"]._fields and pm == ctx["pm_card"] and amount > 0:
        # SCS keeps the card slip's details on the payment
        vals.update(scs_rrn=f"{uuid.uuid4().int % 10**12:012d}", scs_auth_code="A1B2C3")
    return (0, 0, vals)


def _order(ctx, n_lines, card=False, payments=None, refund_of=None):
    price = 1220.0
    total = price * n_lines
    pm = ctx["pm_card"] if card else ctx["pm_cash"]
    order_uuid = str(uuid.uuid4())
    sign = -1 if refund_of else 1
    total *= sign
    return {
        "amount_paid": total,
        "amount_return": 0,
        "amount_tax": round(total - total / 1.22, 2),
        "amount_total": total,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "fiscal_position_id": False,
        "pricelist_id": ctx["config"].pricelist_id.id,
        "name": f"Order {order_uuid}",
        "last_order_preparation_change": "{}",
        "lines": [
            (
                0,
                0,
                {
                    "product_id": ctx["product"].id,
                    "qty": sign,
                    "price_unit": price,
                    "price_subtotal": sign * round(price / 1.22, 2),
                    "price_subtotal_incl": sign * price,
                    "discount": 0,
                    "tax_ids": [(6, 0, ctx["tax"].ids)],
                    "pack_lot_ids": [],
                    **_booking_fields(ctx["product"].env, i),
                    **({"refunded_orderline_id": refund_of[i].id} if refund_of else {}),
                },
            )
            for i in range(n_lines)
        ],
        "partner_id": False,
        "session_id": ctx["session"].id,
        "sequence_number": 1,
        "payment_ids": [_payment(ctx, p, amount) for p, amount in payments or [(pm, total)]],
        "uuid": order_uuid,
        "user_id": ctx["user"].id,
        "to_invoice": False,
        "state": "paid",
    }


def _measure(fn):
    env.invalidate_all()  # noqa: F821
    q0 = odoo.sql_db.sql_counter
    t0 = time.perf_counter()
    fn()
    env.flush_all()  # noqa: F821
    return time.perf_counter() - t0, odoo.sql_db.sql_counter - q0


def _emit(scenario, samples):
    times = [s[0] for s in samples]
    queries = [s[1] for s in samples]
    print(  # noqa: T201
        "BENCH "
        + json.dumps(
            {
                "scenario": scenario,
                "ms": round(statistics.median(times) * 1000, 1),
                "queries": int(statistics.median(queries)),
                "runs": len(samples),
            }
        ),
        flush=True,
    )


def run(env):
    ctx = _setup(env)
    PosOrder = env["pos.order"].with_user(ctx["user"])
    # warm the registry caches once, so the first measured sync is not a cold start
    PosOrder.sync_from_ui([_order(ctx, 1)])
    for n_lines in (1, 10, 100):
        samples = [
            _measure(lambda n=n_lines: PosOrder.sync_from_ui([_order(ctx, n)]))
            for _ in range(REPEAT)
        ]
        _emit(f"sync 1 paid composite order, {n_lines} lines", samples)

    # refund of a 50-line order paid by 5 tenders (3 cards, 2 cash): the same refund
    # payload on both; SCS links each refund payment to its tender and checks the caps
    tenders = [20000.0, 15000.0, 10000.0, 10000.0, 6000.0]
    methods = [ctx["pm_card"]] * 3 + [ctx["pm_cash"]] * 2
    samples = []
    for _ in range(REPEAT):
        paid = list(zip(methods, tenders, strict=True))
        original = PosOrder.browse(
            PosOrder.sync_from_ui([_order(ctx, 50, payments=paid)])["pos.order"][0]["id"]
        )
        refund = _order(
            ctx,
            50,
            payments=[(m, -amount) for m, amount in paid],
            refund_of=original.lines.sorted("id"),
        )
        samples.append(_measure(lambda r=refund: PosOrder.sync_from_ui([r])))
    _emit("refund a 50-line order paid by 5 tenders", samples)

    # a fresh session with 200 orders, half cash, half card, then close it
    ctx["session"].post_closing_cash_details(ctx["session"].cash_register_balance_end)
    ctx["session"].close_session_from_ui()
    ctx["config"].with_user(ctx["user"]).open_ui()
    ctx["session"] = ctx["config"].current_session_id
    orders = [_order(ctx, 2, card=bool(i % 2)) for i in range(200)]
    PosOrder.sync_from_ui(orders)
    session = ctx["session"].with_user(ctx["user"])

    def close():
        session.post_closing_cash_details(session.cash_register_balance_end)
        result = session.close_session_from_ui()
        assert result.get("successful", True), result
        assert session.state == "closed", session.state

    _emit("close session of 200 orders (cash+card)", [_measure(close)])
    env.cr.rollback()


run(env)  # noqa: F821
