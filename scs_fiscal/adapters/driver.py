"""What a fiscal driver does for the fiscal queue: the cloud one and the local one alike.

A driver is handed an FFD document (``engine.ffd.build``) with the queue's
stable external id and answers ``engine.atol.Outcome`` values. It never raises
for an answer it got or did not get: a lost answer is ``ASK``, and the queue
then calls ``status`` (or submits again with the same external id, which the
driver must treat as a question, never as a second document).
"""

from abc import ABC, abstractmethod


class FiscalDriver(ABC):
    @abstractmethod
    def submit(self, document, external_id, company, moment):
        """Register ``document`` under ``external_id``; an ``Outcome``."""

    @abstractmethod
    def status(self, uuid):
        """The fate of the document the driver knows as ``uuid``; an ``Outcome``."""
