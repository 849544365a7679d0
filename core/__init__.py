"""The rules both halves of Buhta share: the wire contract, money, identifiers,
validation and document arithmetic.

``client`` and ``server`` import this package; it imports neither of them, nor
textual, httpx, fastapi or sqlalchemy (an import-linter contract checks it).
"""
