"""Pure-Python engines of scs_pos: no ``import odoo``, no database.

The model layer converts records to plain data, calls an engine and writes the
result back; the engines are tested with plain pytest (tests/engine/).
"""
