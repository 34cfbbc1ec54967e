"""The engines' errors: a code and its parameters, so the caller can word them."""


class CodedError(ValueError):
    """``code`` names what went wrong, ``params`` fill the message.

    ``str()`` is the English message from ``MESSAGES``; the Odoo layer maps the
    code to a translated one.
    """

    MESSAGES = {}

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code].format(**params))
