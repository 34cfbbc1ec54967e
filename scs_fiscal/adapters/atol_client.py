"""The HTTP client of an ATOL Online v5 style service: the cloud fiscal driver.

Every call returns an ``engine.atol.Outcome``: the fiscal queue decides from
its ``action`` and never from an exception, so that a lost answer is always
treated as an unknown fate (asked about, never resent under a new id).
"""

import json
import threading
import time
from decimal import Decimal

import requests

from ..engine import atol
from .driver import FiscalDriver


def _json_default(value):
    if isinstance(value, Decimal):
        # exact on the wire: two places for money, three for quantities
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


class AtolClient(FiscalDriver):
    """One group of cloud registers; the token is cached for its 24-hour life."""

    TOKEN_LIFE = 23 * 3600
    manages_shifts = True

    def __init__(self, base_url, group_code, login, password, timeout=10, session=None):
        self.base_url = base_url.rstrip("/") + "/"
        self.group_code = group_code
        self.login = login
        self.password = password
        self.timeout = timeout
        self.session = session or requests.Session()
        self._token = None
        self._token_until = 0
        self._lock = threading.Lock()

    # transport

    def _call(self, method, path, body=None, token=True):
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            headers["Token"] = self.token()
        data = None
        if body is not None:
            data = json.dumps(body, default=_json_default, ensure_ascii=False).encode()
        try:
            response = self.session.request(
                method, self.base_url + path, data=data, headers=headers, timeout=self.timeout
            )
        except requests.RequestException:
            return None, None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        return response.status_code, answer

    def token(self, refresh=False):
        with self._lock:
            if refresh or not self._token or time.time() > self._token_until:
                status, answer = self._call(
                    "POST", "getToken", {"login": self.login, "pass": self.password}, token=False
                )
                if status != 200 or not isinstance(answer, dict) or not answer.get("token"):
                    self._token = None
                    return ""
                self._token = answer["token"]
                self._token_until = time.time() + self.TOKEN_LIFE
            return self._token

    def _with_token(self, method, path, body=None):
        result = atol.outcome(*self._call(method, path, body))
        if result.action == atol.TOKEN:
            self.token(refresh=True)
            result = atol.outcome(*self._call(method, path, body))
        return result

    # FiscalDriver

    def submit(self, document, external_id, company, moment):
        operation, body = atol.request(document, external_id, company, moment)
        return self._with_token("POST", f"{self.group_code}/{operation}", body)

    def status(self, uuid):
        return self._with_token("GET", f"{self.group_code}/report/{uuid}")
