# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translated messages for the refund policy of the engine."""


def refund_message(env, error):
    """``engine.refund.RefundError`` in the user's language."""
    messages = {
        "amount": env._("%(amount)s is not an amount in kopecks greater than zero"),
        "line_qty": env._("%(qty)s of %(line)s cannot be refunded: %(left)s left to refund"),
        "line_amount": env._("%(amount)s for %(line)s is more than the %(left)s left to refund"),
        "exceeds_paid": env._(
            "A refund of %(amount)s is more than the %(left)s the order's tenders still hold"
        ),
        "tender_exceeded": env._(
            "%(amount)s back to %(tender)s is more than the %(left)s it still holds"
        ),
        "split_total": env._("The split adds up to %(split)s, the refund is %(amount)s"),
        "unknown_tender": env._("%(tender)s is not a payment of the refunded order"),
        "not_cashable": env._("Money paid by %(tender)s cannot be given back as cash"),
        "unknown_kind": env._("No refund rule for the tender kind %(kind)s"),
        "wrong_tender": env._("A %(kind)s refund cannot give back money paid by %(tender)s"),
        "no_tender": env._(
            "%(amount)s back by %(kind)s: no %(kind)s payment of the order has it left"
        ),
    }
    params = {key: str(value) for key, value in error.params.items()}
    if "kind" in params:
        kinds = env["pos.payment.method"]._fields["scs_tender_kind"]._description_selection(env)
        params["kind"] = dict(kinds).get(params["kind"], params["kind"])
    return messages[error.code] % params
