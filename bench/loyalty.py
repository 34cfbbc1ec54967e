"""Loyalty benchmark, run inside ``odoo-bin shell`` (``env`` is given) by bench/run.py.

One clone of the SCS template holds both sides: SCS's points ledger and native
pos_loyalty (installed underneath it), measured in the same database, same run.

1. Balance of a customer with 1,000,000 ledger entries (target: under 50 ms).
   SCS: ``scs_loyalty_entry`` rows bulk-inserted for one points account (and
   200,000 for 200 other customers), then what the POS asks (``scs_pos_lookup``),
   the balance read through the ORM, the last entry's balance by SQL over the
   ``(card_id, id DESC)`` index, and for contrast the SUM of the 1M amounts.
   Native: a pos_loyalty loyalty card with as many ``loyalty_history`` rows; what
   its POS asks (``search_read`` of the customer's card), ``loyalty.card.points``,
   and the SUM over its history.
2. Points of a paid 100-line order. SCS: ``pos.order._scs_accrue`` (rules, ledger
   entry, account lock) and the bare engine ``ledger.accrue``. Native: the browser
   computes the points and the server applies them with ``confirm_coupon_programs``
   (then a second RPC, ``add_loyalty_history_lines``, writes the history line).

Nothing is committed: the writes run in the shell's transaction, each timed write
inside a savepoint rolled back after it. Prints one ``BENCH {json}`` line per
measurement: scenario, side (native / scs), ms (median), queries (median).
"""

import json
import statistics
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal

import odoo
from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.scs_loyalty.engine import ledger

HEAVY_ENTRIES = 1_000_000
OTHER_CUSTOMERS = 200
OTHER_ENTRIES = 1_000
OPEN_LOTS = 50  # accruals not yet spent, at the end of each ledger
SPAN_DAYS = 3 * 365
VALIDITY_MONTHS = 12
RATE = 0.05  # points per rouble, on both sides
N_LINES = 100
REPEAT = 25
ENGINE_REPEAT = 200
TARGET_MS = 50

# One customer's ledger, row i = 1..n: accruals (odd i) and redemptions (even i)
# alternate, pair k = (i + 1) / 2. Up to pair ``head`` every redemption spends the
# accrual before it, so those lots are used up (remaining 0); each of the last
# ``open`` pairs accrues 100 and redeems 1, which first-in first-out takes from the
# first of those lots: it keeps 100 - open, the others keep 100, and the balance
# 99 x pairs is what the open lots hold. Days run evenly over ``span`` days to today.
_SERIES = """
    SELECT c.card_id, g.i, d.day, m.amount, m.balance, m.remaining
      FROM unnest(%(cards)s::int[]) AS c(card_id)
     CROSS JOIN generate_series(1, %(n)s) AS g(i)
     CROSS JOIN LATERAL (
            SELECT (g.i + 1) / 2 AS k, %(n)s / 2 - %(open)s AS head, g.i %% 2 = 1 AS credit
           ) p
     CROSS JOIN LATERAL (
            SELECT current_date - %(span)s + (g.i::bigint * %(span)s / %(n)s)::int AS day
           ) d
     CROSS JOIN LATERAL (
            SELECT CASE WHEN p.k <= p.head AND p.credit THEN 50 + p.k %% 37
                        WHEN p.k <= p.head THEN -(50 + p.k %% 37)
                        WHEN p.credit THEN 100
                        ELSE -1 END AS amount,
                   CASE WHEN p.k <= p.head AND p.credit THEN 50 + p.k %% 37
                        WHEN p.k <= p.head THEN 0
                        WHEN p.credit THEN 99 * (p.k - p.head - 1) + 100
                        ELSE 99 * (p.k - p.head) END AS balance,
                   CASE WHEN NOT p.credit THEN NULL
                        WHEN p.k <= p.head THEN 0
                        WHEN p.k = p.head + 1 THEN 100 - %(open)s
                        ELSE 100 END AS remaining
           ) m
"""

_INSERT_SCS = f"""
    INSERT INTO scs_loyalty_entry (
        key, card_id, program_id, scs_kind, company_id, kind, date, day, amount,
        balance, value, remaining, expires, user_id, create_uid, write_uid,
        create_date, write_date)
    SELECT 'bench:' || s.card_id || ':' || s.i, s.card_id, %(program)s, 'points',
           %(company)s, CASE WHEN s.amount > 0 THEN 'accrual' ELSE 'redemption' END,
           s.day + time '10:00', s.day, s.amount, s.balance, s.amount * %(value)s,
           s.remaining,
           CASE WHEN s.amount > 0 THEN s.day + %(validity)s * interval '1 month' END,
           %(uid)s, %(uid)s, %(uid)s, s.day + time '10:00', s.day + time '10:00'
      FROM ({_SERIES}) s
     ORDER BY s.card_id, s.i
"""

_INSERT_NATIVE = f"""
    INSERT INTO loyalty_history (
        card_id, description, issued, used, order_model, create_uid, write_uid,
        create_date, write_date)
    SELECT s.card_id, 'Onsite Order ' || s.i, GREATEST(s.amount, 0),
           GREATEST(-s.amount, 0), 'pos.order', %(uid)s, %(uid)s,
           s.day + time '10:00', s.day + time '10:00'
      FROM ({_SERIES}) s
     ORDER BY s.card_id, s.i
"""


# -- set-up ------------------------------------------------------------------------


def _setup(env):
    company = env.company
    Account = env["account.account"]
    liability = Account.create(
        {"code": "BNCH9801", "name": "Bench points owed", "account_type": "liability_current"}
    )
    expense = Account.create(
        {"code": "BNCH4401", "name": "Bench points expense", "account_type": "expense"}
    )
    breakage = Account.create(
        {"code": "BNCH9101", "name": "Bench points expired", "account_type": "income_other"}
    )
    Journal = env["account.journal"]
    misc = Journal.create({"name": "Bench loyalty", "code": "BLYT", "type": "general"})
    program = env["loyalty.program"].create(
        {
            "name": "Bench miles",
            "company_id": company.id,
            "scs_kind": "points",
            "scs_journal_id": misc.id,
            "scs_liability_account_id": liability.id,
            "scs_expense_account_id": expense.id,
            "scs_breakage_account_id": breakage.id,
            "scs_point_value": 1.0,
            "scs_accrual_rate": RATE,
            "scs_max_share": 50.0,
            "scs_min_balance": 100.0,
            "scs_validity_months": VALIDITY_MONTHS,
        }
    )
    # native pos_loyalty: a loyalty card earning the same points per rouble spent
    native = env["loyalty.program"].create(
        {
            "name": "Bench native loyalty",
            "company_id": company.id,
            "program_type": "loyalty",
            "rule_ids": [
                Command.create(
                    {"reward_point_mode": "money", "reward_point_amount": RATE, "minimum_qty": 0}
                )
            ],
        }
    )
    cash = Journal.create({"name": "Bench cash", "code": "BLCS", "type": "cash"})
    points_journal = Journal.create(
        {
            "name": "Bench points",
            "code": "BLPT",
            "type": "bank",
            "default_account_id": liability.id,
        }
    )
    sales = Journal.create({"name": "Bench POS", "code": "BLPS", "type": "general"})
    pm_cash = env["pos.payment.method"].create({"name": "Bench cash", "journal_id": cash.id})
    pm_points = env["pos.payment.method"].create(
        {
            "name": "Bench points",
            "journal_id": points_journal.id,
            "scs_tender_kind": "points",
            "scs_loyalty_program_id": program.id,
            "outstanding_account_id": liability.id,
        }
    )
    plan = env["account.analytic.plan"].create({"name": "Bench office"})
    office = env["scs.office"].create(
        {
            "name": "Bench loyalty office",
            "code": "BLOYAL",
            "tz": "Europe/Moscow",
            "analytic_account_id": env["account.analytic.account"]
            .create({"name": "Bench loyalty office", "plan_id": plan.id})
            .id,
        }
    )
    # the desk has no points program while the order is synced: nothing accrues then
    config = env["pos.config"].create(
        {
            "name": "Bench loyalty desk",
            "journal_id": sales.id,
            "scs_office_id": office.id,
            "payment_method_ids": [Command.set([pm_cash.id, pm_points.id])],
        }
    )
    cashier_group = env.ref("scs_pos.group_scs_cashier")
    user = env["res.users"].create(
        {
            "name": "Bench loyalty cashier",
            "login": f"bench.loyalty.{uuid.uuid4().hex[:8]}",
            "email": "bench.loyalty@example.com",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("point_of_sale.group_pos_user").id,
                        cashier_group.id,
                    ]
                )
            ],
        }
    )
    office.user_ids = user
    # the order's discounts (5% at most) are within the cashier's own limit
    limit = env["scs.role.limit"].search(
        [("group_id", "=", cashier_group.id), ("company_id", "=", company.id)]
    ) or env["scs.role.limit"].create({"group_id": cashier_group.id, "company_id": company.id})
    limit.max_discount = max(limit.max_discount, 5.0)
    config.with_user(user).open_ui()
    Partner = env["res.partner"]
    customer = Partner.create({"name": "Bench heavy customer"})
    others = Partner.create([{"name": f"Bench customer {n}"} for n in range(OTHER_CUSTOMERS)])
    Card = env["loyalty.card"]
    account = Card._scs_points_account(customer, program)
    other_accounts = (
        Card.sudo()
        .with_context(scs_loyalty_post=True)
        .create([{"program_id": program.id, "partner_id": p.id} for p in others])
    )
    native_card = Card.create({"program_id": native.id, "partner_id": customer.id, "points": 0})
    native_others = Card.create(
        [{"program_id": native.id, "partner_id": p.id, "points": 0} for p in others]
    )
    env.cr.flush()
    return {
        "program": program,
        "native": native,
        "config": config,
        "session": config.current_session_id,
        "pm_cash": pm_cash,
        "pm_points": pm_points,
        "user": user,
        "customer": customer,
        "account": account,
        "other_accounts": other_accounts,
        "native_card": native_card,
        "native_others": native_others,
    }


def _fill_ledgers(env, ctx):
    """Bulk-insert the ledgers and set the cards' balances to their last entries."""
    cr = env.cr
    common = {
        "open": OPEN_LOTS,
        "span": SPAN_DAYS,
        "uid": env.uid,
        "program": ctx["program"].id,
        "company": env.company.id,
        "value": ctx["program"].scs_point_value,
        "validity": VALIDITY_MONTHS,
    }
    batches = [
        ([ctx["account"].id], [ctx["native_card"].id], HEAVY_ENTRIES),
        (ctx["other_accounts"].ids, ctx["native_others"].ids, OTHER_ENTRIES),
    ]
    t0 = time.perf_counter()
    for scs_cards, _native_cards, n in batches:
        cr.execute(_INSERT_SCS, {**common, "cards": scs_cards, "n": n})
    t_scs = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _scs_cards, native_cards, n in batches:
        cr.execute(_INSERT_NATIVE, {**common, "cards": native_cards, "n": n})
    t_native = time.perf_counter() - t0
    scs_ids = ctx["account"].ids + ctx["other_accounts"].ids
    cr.execute(
        """
        UPDATE loyalty_card c
           SET scs_balance = e.balance, points = e.balance
          FROM (SELECT DISTINCT ON (card_id) card_id, balance
                  FROM scs_loyalty_entry
                 WHERE card_id = ANY(%s)
              ORDER BY card_id, id DESC) e
         WHERE c.id = e.card_id
        """,
        [scs_ids],
    )
    cr.execute(
        """
        UPDATE res_partner p SET scs_points_balance = c.scs_balance
          FROM loyalty_card c
         WHERE c.partner_id = p.id AND c.id = ANY(%s)
        """,
        [scs_ids],
    )
    cr.execute(
        """
        UPDATE loyalty_card c SET points = h.points
          FROM (SELECT card_id, SUM(issued - used) AS points
                  FROM loyalty_history
                 WHERE card_id = ANY(%s)
              GROUP BY card_id) h
         WHERE c.id = h.card_id
        """,
        [ctx["native_card"].ids + ctx["native_others"].ids],
    )
    cr.execute("ANALYZE scs_loyalty_entry, loyalty_history, loyalty_card, res_partner")
    env.invalidate_all()
    cr.execute("SELECT count(*) FROM scs_loyalty_entry WHERE card_id = %s", ctx["account"].ids)
    heavy = cr.fetchone()[0]
    assert heavy == HEAVY_ENTRIES, heavy
    account = ctx["account"]
    usable = account._scs_usable(fields.Date.today())
    assert Decimal(str(account.scs_balance)) == usable == 99 * OPEN_LOTS, (
        account.scs_balance,
        usable,
    )
    return {"insert_scs_s": round(t_scs, 1), "insert_native_s": round(t_native, 1)}


def _order_payload(ctx, products):
    """A paid 100-line order for the customer as the POS sends it: varied prices,
    every tenth line an agent service (no points), a few discounts of 3-5%."""
    own, agent = products
    order_uuid = str(uuid.uuid4())
    lines = []
    total = Decimal(0)
    for i in range(N_LINES):
        product = agent if i % 10 == 9 else own[i % len(own)]
        price = Decimal(350 + (i * 137) % 4650)
        qty = 2 if i % 7 == 0 else 1
        discount = (3, 5)[i % 2] if i % 13 == 4 else 0
        incl = (price * qty * (100 - discount) / 100).quantize(Decimal("0.01"))
        total += incl
        lines.append(
            Command.create(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": float(price),
                    "discount": discount,
                    "price_subtotal": float(incl),
                    "price_subtotal_incl": float(incl),
                    "tax_ids": [Command.set([])],
                    "pack_lot_ids": [],
                }
            )
        )
    return {
        "amount_paid": float(total),
        "amount_return": 0,
        "amount_tax": 0,
        "amount_total": float(total),
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "fiscal_position_id": False,
        "pricelist_id": ctx["config"].pricelist_id.id,
        "name": f"Order {order_uuid}",
        "last_order_preparation_change": "{}",
        "lines": lines,
        "partner_id": ctx["customer"].id,
        "session_id": ctx["session"].id,
        "sequence_number": 1,
        "payment_ids": [
            Command.create(
                {
                    "amount": float(total),
                    "name": fields.Datetime.now(),
                    "payment_method_id": ctx["pm_cash"].id,
                }
            )
        ],
        "uuid": order_uuid,
        "user_id": ctx["user"].id,
        "to_invoice": False,
        "state": "paid",
    }


def _products(env):
    Product = env["product.product"]
    own = Product.create(
        [
            {
                "name": f"Bench service {n}",
                "type": "service",
                "list_price": 1000.0,
                "available_in_pos": True,
                "taxes_id": [Command.set([])],
                "scs_service_kind": "own",
            }
            for n in range(5)
        ]
    )
    supplier = env["res.partner"].create(
        {"name": "Bench insurer", "is_company": True, "vat": "3811012348"}
    )
    agent = Product.create(
        {
            "name": "Bench insurance",
            "type": "service",
            "list_price": 890.0,
            "available_in_pos": True,
            "taxes_id": [Command.set([])],
            "scs_service_kind": "agent",
            "scs_supplier_id": supplier.id,
        }
    )
    return own, agent


# -- measuring -----------------------------------------------------------------------


def _sample(env, fn, repeat=REPEAT, rollback=False):
    """Median-ready (seconds, queries) of ``fn`` run ``repeat`` times after a warm-up.

    Each run starts with an empty ORM cache and ends with the flush and the
    precommit hooks (mail tracking) that the request's commit would run. With
    ``rollback``, each run is inside a savepoint rolled back after it, so that it
    writes from the same state as the one before."""
    samples = []
    for n in range(repeat + 1):
        savepoint = env.cr.savepoint() if rollback else None
        env.invalidate_all()
        q0 = odoo.sql_db.sql_counter
        t0 = time.perf_counter()
        fn()
        env.cr.flush()
        elapsed, queries = time.perf_counter() - t0, odoo.sql_db.sql_counter - q0
        if savepoint:
            savepoint.close(rollback=True)
        if n:  # the first run warms the caches
            samples.append((elapsed, queries))
    return samples


def _explain(env, query, params=None):
    """The facts of a query's plan: node types, indexes used, heap fetches, buffers."""
    sql = query if isinstance(query, SQL) else SQL(query, *(params or ()))
    env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) %s", sql))
    plan = env.cr.fetchone()[0][0]
    nodes, indexes, heap_fetches = [], [], 0

    def walk(node):
        nonlocal heap_fetches
        nodes.append(node["Node Type"])
        if "Index Name" in node:
            indexes.append(node["Index Name"])
        heap_fetches += node.get("Heap Fetches", 0)
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan["Plan"])
    top = plan["Plan"]
    buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return {
        "nodes": nodes,
        "indexes": indexes,
        "heap_fetches": heap_fetches,
        "buffers": buffers,
        "rows": top.get("Actual Rows"),
        "exec_ms": round(plan["Execution Time"], 2),
    }


def _emit(scenario, side, samples, **extra):
    print(  # noqa: T201
        "BENCH "
        + json.dumps(
            {
                "scenario": scenario,
                "side": side,
                "ms": round(statistics.median(s[0] for s in samples) * 1000, 3),
                "queries": int(statistics.median(s[1] for s in samples)),
                "runs": len(samples),
                **extra,
            }
        ),
        flush=True,
    )


# -- scenarios ---------------------------------------------------------------------


def _balance(env, ctx):
    config, method, customer = ctx["config"], ctx["pm_points"], ctx["customer"]
    user = ctx["user"]
    program, account, native_card = ctx["program"], ctx["account"], ctx["native_card"]
    Card = env["loyalty.card"].with_user(user)
    heavy = (
        "balance, "
        + (f"{HEAVY_ENTRIES // 10**6}M" if HEAVY_ENTRIES % 10**6 == 0 else f"{HEAVY_ENTRIES:,}")
        + " entries"
    )

    def lookup():
        result = Card.scs_pos_lookup(config.id, method.id, partner_id=customer.id, order_total=5000)
        assert result["balance"] == 99 * OPEN_LOTS, result

    # the lots the lookup reads, as the ORM queries them (the partial open-lots index)
    lots = (
        env["scs.loyalty.entry"]
        .sudo()
        ._search([("card_id", "=", account.id), ("remaining", ">", 0)], order="day, id")
    )
    _emit(
        f"{heavy}: POS lookup",
        "scs",
        _sample(env, lookup),
        target_ms=TARGET_MS,
        plan=_explain(env, lots.select()),
    )
    # native pos_loyalty's POS fetches the customer's card (fetchLoyaltyCard)
    native_fields = Card._load_pos_data_fields(config.id)

    def native_lookup():
        cards = Card.search_read(
            [("partner_id", "=", customer.id), ("program_id", "=", ctx["native"].id)],
            native_fields,
            limit=1,
            load=False,
        )
        assert cards and cards[0]["points"] == 99 * OPEN_LOTS, cards

    _emit(f"{heavy}: POS lookup", "native", _sample(env, native_lookup), target_ms=TARGET_MS)

    def orm_balance():
        card = Card._scs_points_account(customer, program, create=False)
        assert card.scs_balance == 99 * OPEN_LOTS, card.scs_balance

    _emit(f"{heavy}: ORM read", "scs", _sample(env, orm_balance), target_ms=TARGET_MS)

    def native_balance():
        assert Card.browse(native_card.id).points == 99 * OPEN_LOTS

    _emit(f"{heavy}: ORM read", "native", _sample(env, native_balance), target_ms=TARGET_MS)

    # the last entry's balance over the (card_id, id DESC) index: per card, as a
    # lateral subquery; the plain form below is what the planner gets wrong
    last = (
        """
        SELECT e.balance
          FROM loyalty_card c
         CROSS JOIN LATERAL (SELECT balance FROM scs_loyalty_entry e
                              WHERE e.card_id = c.id ORDER BY e.id DESC LIMIT 1) e
         WHERE c.id = %s
        """,
        [account.id],
    )
    # the same with the card as a constant (and the ORM's search(limit=1), ordered
    # "card_id, id desc"): the statistics say 83% of the table is this card, so the
    # planner walks the primary key backwards through every newer row of the others
    plain = (
        "SELECT balance FROM scs_loyalty_entry WHERE card_id = %s ORDER BY id DESC LIMIT 1",
        [account.id],
    )
    for label, (query, params) in (("index", last), ("ORDER BY id DESC", plain)):

        def sql_last(query=query, params=params):
            env.cr.execute(query, params)
            assert env.cr.fetchone()[0] == 99 * OPEN_LOTS

        _emit(
            f"{heavy}: last entry, SQL, {label}",
            "scs",
            _sample(env, sql_last),
            target_ms=TARGET_MS,
            plan=_explain(env, query, params),
        )
    scs_sum = ("SELECT SUM(amount) FROM scs_loyalty_entry WHERE card_id = %s", [account.id])
    native_sum = (
        "SELECT SUM(issued - used) FROM loyalty_history WHERE card_id = %s",
        [native_card.id],
    )
    for side, (query, params) in (("scs", scs_sum), ("native", native_sum)):

        def total(query=query, params=params):
            env.cr.execute(query, params)
            assert env.cr.fetchone()[0] == 99 * OPEN_LOTS

        _emit(
            f"{heavy}: SUM of all (contrast)",
            side,
            _sample(env, total),
            plan=_explain(env, query, params),
        )


def _accrual(env, ctx):
    user = ctx["user"]
    payload = _order_payload(ctx, _products(env))
    PosOrder = env["pos.order"].with_user(user)
    order = PosOrder.browse(PosOrder.sync_from_ui([payload])["pos.order"][0]["id"])
    assert order.state == "paid" and len(order.lines) == N_LINES, order.state
    assert not order.scs_loyalty_entry_ids, "the desk has no points program yet"
    ctx["config"].scs_points_program_id = ctx["program"]
    env.cr.flush()
    day = order._scs_loyalty_day()
    account = ctx["account"]
    before = account.scs_balance
    scenario = f"points of a {N_LINES}-line order"

    def accrue():
        order._scs_accrue(day)

    samples = _sample(env, accrue, rollback=True)
    # what one accrual gives, checked outside the timing and rolled back too
    with_check = env.cr.savepoint()
    order._scs_accrue(day)
    earned = order.scs_points_earned
    assert account.scs_balance == before + earned > before, (account.scs_balance, earned)
    with_check.close(rollback=True)
    env.invalidate_all()
    _emit(scenario, "scs", samples, points=earned)

    # the same maths without the database: the engine on the same 100 lines
    certificate_products = (
        env["loyalty.program"].search([("scs_kind", "=", "certificate")]).scs_product_id
    )
    lines = [
        ledger.AccrualLine(
            line.id,
            Decimal(str(line.price_subtotal_incl)),
            excluded=bool(line.product_id.scs_no_points or line.product_id in certificate_products),
        )
        for line in order.lines
    ]
    rate = Decimal(str(ctx["program"].scs_accrual_rate))
    assert sum(ledger.accrue(lines, rate).values()) == earned
    engine = []
    for _ in range(ENGINE_REPEAT):
        t0 = time.perf_counter()
        ledger.accrue(lines, rate)
        engine.append((time.perf_counter() - t0, 0))
    _emit(f"{scenario}: engine only", "scs", engine)

    # native: pos_loyalty's browser computes the points (pointsForPrograms in
    # static/src/overrides/models/pos_order.js): for a rule in 'money' mode on any
    # product, round(reward_point_amount x the sum of the lines' prices with tax,
    # 0.01) -- here RATE x the order's total, agent services included, rounded on
    # the total, not floored per line as SCS does. After the sync it sends them to
    # confirm_coupon_programs (PaymentScreen._postProcessLoyalty), keyed by the
    # customer's existing card, then calls add_loyalty_history_lines.
    native_card = ctx["native_card"]
    points = float(
        (Decimal(str(RATE)) * Decimal(str(order.amount_total))).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    )
    coupon_data = {
        str(native_card.id): {
            "points": points,
            "program_id": ctx["native"].id,
            "coupon_id": native_card.id,
            "barcode": False,
            "partner_id": ctx["customer"].id,
        }
    }
    native_before = native_card.points
    native_order = order.with_user(user)

    def confirm():
        result = native_order.confirm_coupon_programs(json.loads(json.dumps(coupon_data)))
        return result

    def confirm_and_history():
        result = confirm()
        native_order.add_loyalty_history_lines(
            [{"card_id": str(native_card.id), "won": points, "spent": 0}],
            [{"id": u["id"], "old_id": u["old_id"]} for u in result["coupon_updates"]],
        )

    check = env.cr.savepoint()
    confirm_and_history()
    assert native_card.points == native_before + points, (native_card.points, points)
    check.close(rollback=True)
    env.invalidate_all()
    _emit(scenario, "native", _sample(env, confirm, rollback=True), points=points)
    _emit(
        f"{scenario}: + history line",
        "native",
        _sample(env, confirm_and_history, rollback=True),
        points=points,
    )
    _emit(f"{scenario}: + history line", "scs", samples, points=earned)


def run(env):
    t0 = time.perf_counter()
    ctx = _setup(env)
    facts = _fill_ledgers(env, ctx)
    facts["setup_s"] = round(time.perf_counter() - t0, 1)
    info = {"scenario": "set-up", "side": "info", **facts}
    print("BENCH " + json.dumps(info), flush=True)  # noqa: T201
    _balance(env, ctx)
    _accrual(env, ctx)
    env.cr.rollback()


run(env)  # noqa: F821
