"""FFD 1.2 documents, built and checked without Odoo."""
