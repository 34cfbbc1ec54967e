"""What the benchmark scripts run inside ``odoo-bin shell`` share: bench/run.py puts
this folder on their ``sys.path``.

``emit`` prints one ``BENCH {json}`` row, ``Memory`` measures a block's peak RSS,
``money`` draws a random amount, ``user`` makes a bench user of some groups,
``insert_paid_orders`` writes a scratch table's rows as paid POS orders by SQL.
"""

import gc
import json
import re
import resource
from decimal import Decimal
from pathlib import Path

from psycopg2 import sql

from odoo import Command

KOPECK = Decimal("0.01")


def emit(scenario, side, **facts):
    print("BENCH " + json.dumps({"scenario": scenario, "side": side, **facts}), flush=True)  # noqa: T201


def status_kib(key):
    """A figure of /proc/self/status, in KiB (VmRSS, VmHWM...)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1))


class Memory:
    """The process's peak RSS over a block: VmHWM reset on entry (clear_refs 5), or
    ru_maxrss, which cannot be reset, when /proc does not let us."""

    def __enter__(self):
        gc.collect()
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.rss0 = status_kib("VmRSS")
        return self

    def __exit__(self, *exc):
        peak = status_kib("VmHWM")
        if not self.reset:
            peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        self.facts = {
            "peak_mib": round(peak / 1024),
            "growth_mib": round((peak - self.rss0) / 1024),
            "rss_before_mib": round(self.rss0 / 1024),
            "peak_reset": self.reset,
        }


def money(rnd, low, high):
    """A random amount of roubles and kopecks in [low, high)."""
    return (Decimal(rnd.randrange(low * 100, high * 100)) / 100).quantize(KOPECK)


def user(env, bench, login, groups, **values):
    """A user of the bench ``bench`` in the current company, with ``groups``."""
    company = env.company
    return env["res.users"].create(
        {
            "name": f"Bench {login}",
            "login": f"bench.{bench}.{login}",
            "email": f"bench.{bench}.{login}@example.com",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([env.ref(g).id for g in ("base.group_user", *groups)])],
            **values,
        }
    )


def insert_paid_orders(cr, source, tag, params):
    """One paid POS order per row (n, at_utc, amount) of the scratch table ``source``.

    ``params``: session, config, company, office, pricelist, uid; ``tag`` keeps the
    orders' uuids apart between benchmarks. Too many orders for the ORM's create.
    """
    cr.execute(
        sql.SQL(
            """
        INSERT INTO pos_order (
            name, pos_reference, session_id, config_id, company_id, scs_office_id, user_id,
            state, date_order, amount_tax, amount_total, amount_paid, amount_return,
            sequence_number, uuid, pricelist_id, to_invoice, create_uid, write_uid,
            create_date, write_date)
        SELECT 'Bench/' || lpad(b.n::text, 6, '0'), 'Bench ' || b.n, %(session)s, %(config)s,
               %(company)s, %(office)s, %(uid)s, 'paid', b.at_utc, 0, b.amount, b.amount, 0,
               b.n, md5(%(tag)s || b.n), %(pricelist)s, false, %(uid)s, %(uid)s,
               b.at_utc, b.at_utc
          FROM {source} b
         ORDER BY b.n
        """
        ).format(source=sql.Identifier(source)),
        dict(params, tag=f"bench-{tag}-"),
    )
