"""Provides the ledger mode: the journal, the entry form, the chart of accounts and the
counterparties."""
