"""Provides the API of each area (auth, orgs, ledger, ...), one class per module.

Each method is one endpoint, typed with the wire contract (``core.contract``). The
ApiClient holds one object per area: ``api.ledger.entries(...)``,
``api.payroll.compute(...)``. A new area gets its own module here and an attribute
on ApiClient.
"""
