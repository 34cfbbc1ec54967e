# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Moving an office onto SCS: the files checked by the engine, then written in one
transaction, in bulk (an office brings 50,000 customers and 200,000 points lines)."""

import logging
import time
from collections import defaultdict
from decimal import Decimal

import psycopg2
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every

from ..engine import codes, ledger, migration

_logger = logging.getLogger(__name__)

ADMIN = "scs_pos.group_scs_admin"
KOPECK = Decimal("0.01")
#: a service's VAT column and the chart's sales tax
VAT_TAXES = {
    "22": "ru_vat_sale_22",
    "20": "ru_vat_sale_20",
    "10": "ru_vat_sale_10",
    "0": "ru_vat_sale_0",
    "none": "ru_vat_sale_none",
}
#: a file's kind and the SCS program kind it is imported into
PROGRAM_KINDS = {
    migration.CERTIFICATES: "certificate",
    migration.VOUCHERS: "voucher",
    migration.POINTS: "points",
}
_PAGE = 5000
_CARD_INSERT = """
    INSERT INTO loyalty_card (
        program_id, company_id, partner_id, code, active, points, scs_kind, scs_balance,
        scs_nominal, scs_state, scs_reason, create_uid, write_uid, create_date, write_date)
    VALUES %s
    RETURNING code, id
"""
_ENTRY_INSERT = """
    INSERT INTO scs_loyalty_entry (
        key, card_id, program_id, scs_kind, company_id, kind, date, day, amount, balance,
        value, remaining, expires, vat_rate, vat_amount, user_id, note, create_uid,
        write_uid, create_date, write_date)
    VALUES %s
"""


def dec(value):
    return Decimal(str(value or 0)).quantize(KOPECK)


class ScsMigration(models.AbstractModel):
    _name = "scs.migration"
    _description = "Office Migration"

    @api.model
    def _scs_check_access(self):
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only an SCS administrator imports an office's data."))

    @api.model
    def scs_run(self, files, source, dry_run=True, programs=None):
        """Check ``files`` ((name, bytes) pairs) of the old system ``source`` and,
        unless ``dry_run`` or any row is bad, write them all in this transaction.
        ``programs``: program kind -> loyalty.program, when a company has several.
        Returns the ``scs.migration.run`` that records it."""
        self._scs_check_access()
        started = time.monotonic()
        company = self.env.company
        today = fields.Date.context_today(self)
        batch = migration.read_files(files, source, today)
        programs, program_issues = self._scs_programs(batch, company, programs or {})
        known = self._scs_known(batch, company, programs)
        validity = {kind: p.scs_validity_months for kind, p in programs.items()}
        plan = migration.plan(batch, known, today, validity)
        plan.issues[:0] = program_issues
        before = migration.known_totals(batch, known)
        after, failure = None, ""
        state = "checked" if plan.ok else "failed"
        if plan.ok and not dry_run:
            try:
                with self.env.cr.savepoint():
                    self._scs_apply(plan, company, programs)
                    self.env.flush_all()
            except (UserError, ValidationError, psycopg2.Error) as err:
                self.env.invalidate_all()
                failure, state = str(err), "failed"
            else:
                state = "done"
                after = migration.known_totals(batch, self._scs_known(batch, company, programs))
        report = migration.render(plan, before, after, self._scs_labels())
        if failure:
            report += "\n" + self.env._(
                "The import failed and wrote nothing: %(error)s", error=failure
            )
        return self._scs_record(batch, plan, state, dry_run, report, before, after, started)

    def _scs_labels(self):
        _ = self.env._
        return {
            "kind": _("Kind"),
            "files": _("In the files"),
            "before": _("In SCS before"),
            "after": _("In SCS after"),
            "created": _("Created"),
            "to_create": _("To create"),
            "unchanged": _("Unchanged"),
            migration.SERVICES: _("Services"),
            migration.CUSTOMERS: _("Customers"),
            migration.CERTIFICATES: _("Certificates"),
            migration.VOUCHERS: _("Vouchers"),
            migration.POINTS: _("Points lines"),
            migration.CASH_OPENINGS: _("Cash openings"),
        }

    def _scs_record(self, batch, plan, state, dry_run, report, before, after, started):
        Run = self.env["scs.migration.run"].with_context(scs_migration=True)
        previous = Run.search(
            [("key", "=", batch.key), ("state", "=", "done"), ("created_count", ">", 0)],
            order="id",
            limit=1,
        )
        files = migration.file_totals(batch)

        def plain(totals):
            return (
                {kind: [t.count, str(t.amount)] for kind, t in totals.items()} if totals else None
            )

        now = fields.Datetime.now()
        run = Run.create(
            {
                "name": f"{batch.source} {fields.Datetime.to_string(now)}",
                "source": batch.source,
                "company_id": self.env.company.id,
                "user_id": self.env.uid,
                "dry_run": dry_run,
                "state": state,
                "key": batch.key,
                "files": "\n".join(
                    f"{f.name}\t{f.kind}\t{f.rows}\t{f.sha256}" for f in batch.files
                ),
                "error_count": len(plan.issues),
                "created_count": sum(plan.created.values()) if state == "done" else 0,
                "unchanged_count": sum(plan.unchanged.values()),
                "report": report,
                "totals": {"files": plain(files), "before": plain(before), "after": plain(after)},
                "duration": time.monotonic() - started,
                "previous_run_id": previous.id,
            }
        )
        run.message_post(
            body=self.env._(
                "%(user)s: %(what)s, %(errors)s bad rows, %(created)s created, "
                "%(unchanged)s unchanged.",
                user=self.env.user.name,
                what=dict(run._fields["state"].selection)[state],
                errors=run.error_count,
                created=run.created_count,
                unchanged=run.unchanged_count,
            )
        )
        _logger.info("scs migration %s (%s): %s", run.name, state, report.splitlines()[-1])
        return run.with_env(self.env)

    # -- the database's side ------------------------------------------------------

    def _scs_programs(self, batch, company, given):
        """kind -> the program its files go to; issues when none or several fit."""
        Program = self.env["loyalty.program"].sudo()
        found, issues = {}, []
        for file_kind, kind in PROGRAM_KINDS.items():
            mine = [f for f in batch.files if f.kind == file_kind]
            if not mine:
                continue
            program = given.get(kind)
            if not program:
                program = Program.search(
                    [("scs_kind", "=", kind), ("company_id", "in", (False, company.id))]
                )
            if len(program) == 1:
                found[kind] = program
                continue
            code = "program_many" if program else "program_none"
            params = {"kind": kind, "count": len(program)}
            issues.append(migration.Issue(mine[0].name, 0, "", code, params))
        return found, issues

    def _scs_known(self, batch, company, programs):
        """What the database holds of the files' keys, in a few queries."""
        self.env.flush_all()
        keys = batch.keys()
        known = migration.Known()
        cr = self.env.cr
        prefix = f"{batch.source}:"
        if keys[migration.SERVICES]:
            known.services = self._scs_known_services(keys[migration.SERVICES], company)
        if keys["suppliers"]:
            cr.execute(
                SQL(
                    "SELECT DISTINCT vat FROM res_partner WHERE vat = ANY(%s) AND active",
                    list(keys["suppliers"]),
                )
            )
            known.suppliers = {vat for (vat,) in cr.fetchall()}
        if keys[migration.CUSTOMERS]:
            cr.execute(
                SQL(
                    """
                    SELECT scs_legacy_key, name, phone, email, vat
                      FROM res_partner WHERE scs_legacy_key = ANY(%s)
                    """,
                    [prefix + k for k in keys[migration.CUSTOMERS]],
                )
            )
            for key, name, phone, email, vat in cr.fetchall():
                legacy_id = key[len(prefix) :]
                known.customers[legacy_id] = migration.Customer(
                    legacy_id, name or "", phone or "", email or "", vat or ""
                )
        if keys["cards"]:
            cr.execute(
                SQL(
                    """
                    SELECT c.code, p.scs_kind, e.amount, e.day, e.expires, c.partner_id,
                           rp.scs_legacy_key
                      FROM loyalty_card c
                      JOIN loyalty_program p ON p.id = c.program_id
                      LEFT JOIN scs_loyalty_entry e ON e.card_id = c.id AND e.kind = 'opening'
                      LEFT JOIN res_partner rp ON rp.id = c.partner_id
                     WHERE c.code = ANY(%s)
                    """,
                    list(keys["cards"]),
                )
            )
            for code, kind, amount, day, expires, partner, legacy in cr.fetchall():
                if legacy and legacy.startswith(prefix):
                    customer = legacy[len(prefix) :]
                else:
                    customer = legacy or (f"#{partner}" if partner else "")
                known.cards[code] = migration.KnownCard(
                    kind or "", dec(amount) if amount is not None else None, day, expires, customer
                )
        if keys[migration.POINTS] and "points" in programs:
            cr.execute(
                SQL(
                    """
                    SELECT rp.scs_legacy_key, SUM(e.amount), COUNT(*)
                      FROM res_partner rp
                      JOIN loyalty_card c ON c.partner_id = rp.id AND c.program_id = %s
                      JOIN scs_loyalty_entry e ON e.card_id = c.id AND e.kind = 'opening'
                     WHERE rp.scs_legacy_key = ANY(%s)
                     GROUP BY rp.scs_legacy_key
                    """,
                    programs["points"].id,
                    [prefix + k for k in keys[migration.POINTS]],
                )
            )
            for key, points, lines in cr.fetchall():
                known.points[key[len(prefix) :]] = migration.KnownPoints(dec(points), lines)
        if keys[migration.CASH_OPENINGS]:
            known.desks = self._scs_known_desks(keys[migration.CASH_OPENINGS], company)
        return known

    def _scs_vat_codes(self, company):
        """tax id -> the VAT column's code, in ``company``."""
        chart = self.env["account.chart.template"].with_company(company)
        result = {}
        for code, xmlid in VAT_TAXES.items():
            tax = chart.ref(xmlid, raise_if_not_found=False)
            if tax:
                result[tax.id] = code
        return result

    def _scs_known_services(self, service_codes, company):
        templates = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("default_code", "in", list(service_codes))])
        )
        vat_of = self._scs_vat_codes(company)
        by_code = defaultdict(list)
        for template in templates:
            by_code[template.default_code].append(template)
        services = {}
        for code, found in by_code.items():
            template = found[0]
            taxes = template.taxes_id.filtered(lambda t: t.company_id == company)
            vat = "+".join(sorted(vat_of.get(t.id, t.name) for t in taxes))
            kind = "goods" if template.is_storable else template.scs_service_kind or ""
            services[code] = migration.Service(
                code=code,
                name=template.name if len(found) == 1 else f"{len(found)} products",
                kind=kind,
                price=dec(template.list_price),
                vat=vat,
                supplier_inn=template.scs_supplier_id.vat or "",
                booking_code=template.scs_booking_code or "",
                barcode=template.barcode or "",
            )
        return services

    def _scs_known_desks(self, names, company):
        configs = (
            self.env["pos.config"]
            .sudo()
            .with_context(active_test=False)
            .search([("name", "in", list(names)), ("company_id", "=", company.id)])
        )
        Sheet = self.env["scs.cash.book.day"].sudo()
        desks = {}
        for name in names:
            mine = configs.filtered(lambda c, n=name: c.name == n)
            if len(mine) != 1:
                desks[name] = migration.KnownDesk(count=len(mine))
                continue
            first = Sheet.search([("config_id", "=", mine.id)], order="day", limit=1)
            desks[name] = migration.KnownDesk(
                has_office=bool(mine.scs_office_id),
                first_day=first.day or None,
                first_opening=dec(first.opening) if first else None,
            )
        return desks

    # -- writing ------------------------------------------------------------------------

    def _scs_apply(self, plan, company, programs):
        """Write what ``plan`` creates: nothing is looked up row by row."""
        # one office at a time: two imports of the same customers never race
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('scs.migration'))"))
        create = plan.create
        source = plan.batch.source
        self._scs_write_services(create[migration.SERVICES], plan.new_suppliers, company)
        self._scs_write_customers(create[migration.CUSTOMERS], source)
        self.env.flush_all()
        referenced = {
            r.customer_id
            for kind in (migration.CERTIFICATES, migration.VOUCHERS, migration.POINTS)
            for r in create[kind]
            if r.customer_id
        }
        partners = self._scs_partner_ids(source, referenced)
        touched = set()
        for file_kind in (migration.CERTIFICATES, migration.VOUCHERS):
            cards = create[file_kind]
            if cards:
                program = programs[PROGRAM_KINDS[file_kind]]
                touched |= self._scs_write_cards(cards, program, partners, source)
        if create[migration.POINTS]:
            touched |= self._scs_write_points(
                create[migration.POINTS], programs["points"], partners, source
            )
        if touched:
            self._scs_partner_balances(touched)
        self._scs_write_cash_openings(create[migration.CASH_OPENINGS], company, source)
        self.env.invalidate_all()

    def _scs_write_services(self, services, new_suppliers, company):
        if not services:
            return
        Partner = self.env["res.partner"].sudo()
        if new_suppliers:
            Partner.create(
                [
                    {"name": name, "vat": vat, "is_company": True}
                    for vat, name in new_suppliers.items()
                ]
            )
        inns = {s.supplier_inn for s in services if s.supplier_inn}
        supplier_of = {}
        for partner in Partner.search([("vat", "in", list(inns))], order="id"):
            supplier_of.setdefault(partner.vat, partner.id)
        tax_of = {code: tax_id for tax_id, code in self._scs_vat_codes(company).items()}
        values = []
        for service in services:
            goods = service.kind == "goods"
            tax = tax_of.get(service.vat)
            if not tax:
                raise UserError(
                    self.env._(
                        "%(company)s has no %(vat)s sales tax for service %(code)s.",
                        company=company.name,
                        vat=service.vat,
                        code=service.code,
                    )
                )
            values.append(
                {
                    "name": service.name,
                    "default_code": service.code,
                    "type": "consu" if goods else "service",
                    "is_storable": goods,
                    "list_price": float(service.price),
                    "taxes_id": [fields.Command.set([tax])],
                    "available_in_pos": True,
                    "sale_ok": True,
                    "scs_service_kind": "agent" if service.kind == "agent" else "own",
                    "scs_supplier_id": supplier_of.get(service.supplier_inn, False),
                    "scs_ffd_item_subject": "1" if goods else "4",
                    "scs_booking_code": service.booking_code or False,
                    "barcode": service.barcode or False,
                }
            )
        self.env["product.template"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True
        ).create(values)

    def _scs_write_customers(self, customers, source):
        Partner = (
            self.env["res.partner"]
            .sudo()
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
            )
        )
        for chunk in split_every(_PAGE, customers):
            Partner.create(
                [
                    {
                        "name": c.name,
                        "phone": c.phone or False,
                        "email": c.email or False,
                        "vat": c.inn or False,
                        "is_company": len(c.inn) == 10,
                        "scs_legacy_key": f"{source}:{c.legacy_id}",
                    }
                    for c in chunk
                ]
            )
            # 50,000 customers: keep the ORM's cache small
            self.env.flush_all()
            self.env.invalidate_all()

    def _scs_partner_ids(self, source, legacy_ids):
        if not legacy_ids:
            return {}
        prefix = f"{source}:"
        self.env.cr.execute(
            SQL(
                "SELECT scs_legacy_key, id FROM res_partner WHERE scs_legacy_key = ANY(%s)",
                [prefix + k for k in legacy_ids],
            )
        )
        return {key[len(prefix) :]: pid for key, pid in self.env.cr.fetchall()}

    def _scs_stamp(self):
        return self.env.uid, self.env.uid, self.env.cr.now(), self.env.cr.now()

    def _scs_insert_cards(self, rows):
        """loyalty.card rows; returns code -> id."""
        return dict(
            execute_values(self.env.cr._obj, _CARD_INSERT, rows, page_size=_PAGE, fetch=True)
        )

    def _scs_insert_entries(self, rows):
        execute_values(self.env.cr._obj, _ENTRY_INSERT, rows, page_size=_PAGE)

    def _scs_write_cards(self, cards, program, partners, source):
        """Certificates or vouchers with their codes, each with its opening lot."""
        stamp = self._scs_stamp()
        company = program.company_id.id or None
        kind = program.scs_kind
        ids = self._scs_insert_cards(
            [
                (
                    program.id,
                    company,
                    partners.get(c.customer_id),
                    c.code,
                    True,
                    float(c.balance),
                    kind,
                    c.balance,
                    c.nominal,
                    "active",
                    c.reason or None,
                    *stamp,
                )
                for c in cards
            ]
        )
        note = self.env._("Opening balance from %(system)s", system=source)
        now = self.env.cr.now()
        self._scs_insert_entries(
            (
                f"migration:card:{c.code}",
                ids[c.code],
                program.id,
                kind,
                company,
                "opening",
                now,
                c.issued,
                c.balance,
                c.balance,
                c.balance,
                c.balance,
                c.expires,
                c.vat_rate,
                c.vat_amount,
                self.env.uid,
                note,
                *stamp,
            )
            for c in cards
        )
        return {partners[c.customer_id] for c in cards if c.customer_id}

    def _scs_write_points(self, lots, program, partners, source):
        """Each customer's points account (opened when it has none) and its lots with
        their accrual days: spending takes the oldest first, expiry goes by them."""
        cr = self.env.cr
        stamp = self._scs_stamp()
        company = program.company_id.id or None
        customer_ids = sorted({partners[lot.customer_id] for lot in lots})
        cr.execute(
            SQL(
                """
                SELECT partner_id, id, scs_balance FROM loyalty_card
                 WHERE program_id = %s AND partner_id = ANY(%s) AND active
                   AND scs_kind = 'points'
                """,
                program.id,
                customer_ids,
            )
        )
        accounts = {pid: (cid, dec(balance)) for pid, cid, balance in cr.fetchall()}
        missing = [pid for pid in customer_ids if pid not in accounts]
        new_codes = {}
        for pid in missing:
            new_codes[pid] = codes.generate()
        ids = self._scs_insert_cards(
            [
                (
                    program.id,
                    company,
                    pid,
                    new_codes[pid],
                    True,
                    0.0,
                    "points",
                    0,
                    0,
                    "active",
                    None,
                    *stamp,
                )
                for pid in missing
            ]
        )
        for pid in missing:
            accounts[pid] = (ids[new_codes[pid]], Decimal(0))
        value = Decimal(str(program.scs_point_value))
        note = self.env._("Opening balance from %(system)s", system=source)
        now = cr.now()
        balances = {pid: balance for pid, (_cid, balance) in accounts.items()}
        rows = []
        for lot in sorted(lots, key=lambda p: (p.customer_id, p.accrued, p.number)):
            pid = partners[lot.customer_id]
            balances[pid] += lot.points
            rows.append(
                (
                    f"migration:points:{source}:{lot.customer_id}:{lot.number}",
                    accounts[pid][0],
                    program.id,
                    "points",
                    company,
                    "opening",
                    now,
                    lot.accrued,
                    lot.points,
                    balances[pid],
                    ledger.points_money(lot.points, value),
                    lot.points,
                    lot.expires,
                    0,
                    0,
                    self.env.uid,
                    note,
                    *stamp,
                )
            )
            if len(rows) >= _PAGE * 4:
                self._scs_insert_entries(rows)
                rows = []
        self._scs_insert_entries(rows)
        execute_values(
            cr._obj,
            """
            UPDATE loyalty_card AS c
               SET scs_balance = v.balance, points = v.balance
              FROM (VALUES %s) AS v(id, balance)
             WHERE c.id = v.id
            """,
            [(accounts[pid][0], balance) for pid, balance in balances.items()],
            template="(%s, %s::numeric)",
            page_size=_PAGE,
        )
        return set(customer_ids)

    def _scs_partner_balances(self, partner_ids):
        """The customers' stored loyalty figures (``res.partner._compute_scs_loyalty``),
        in one statement rather than 50,000 recomputations."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS p
                   SET scs_loyalty_code = s.code, scs_points_balance = s.points,
                       scs_money_balance = s.money
                  FROM (
                        SELECT partner_id,
                               (array_agg(code ORDER BY id)
                                    FILTER (WHERE scs_kind = 'points'))[1] AS code,
                               COALESCE(SUM(scs_balance)
                                    FILTER (WHERE scs_kind = 'points'), 0) AS points,
                               COALESCE(SUM(scs_balance)
                                    FILTER (WHERE scs_kind IN ('certificate', 'voucher')
                                            AND scs_state = 'active'), 0) AS money
                          FROM loyalty_card
                         WHERE partner_id = ANY(%s) AND active AND scs_kind IS NOT NULL
                         GROUP BY partner_id
                       ) AS s
                 WHERE p.id = s.partner_id
                """,
                sorted(partner_ids),
            )
        )

    def _scs_write_cash_openings(self, openings, company, source):
        """The desk's first cash book sheet (KO-4), opening with the cash it holds: the
        book carries it on from there, and the first session expects it."""
        if not openings:
            return
        configs = (
            self.env["pos.config"]
            .sudo()
            .search([("name", "in", [o.desk for o in openings]), ("company_id", "=", company.id)])
        )
        by_name = {config.name: config for config in configs}
        Sheet = self.env["scs.cash.book.day"].sudo()
        for opening in openings:
            config = by_name[opening.desk]
            self.env.cr.execute(
                SQL("SELECT id FROM pos_config WHERE id = %s FOR UPDATE", config.id)
            )
            if Sheet.search_count([("config_id", "=", config.id)], limit=1):
                raise UserError(
                    self.env._(
                        "Cash desk %(desk)s started its cash book meanwhile.", desk=config.name
                    )
                )
            sheet = Sheet.create(
                {
                    "config_id": config.id,
                    "office_id": config.scs_office_id.id,
                    "day": opening.day,
                    "number": 1,
                    "opening": float(opening.balance),
                    "closing": float(opening.balance),
                }
            )
            balance = f"{opening.balance:.2f}"  # no f-string inside the translated call
            sheet.message_post(
                body=self.env._(
                    "Opening balance %(balance)s carried over from %(system)s.",
                    balance=balance,
                    system=source,
                )
            )
