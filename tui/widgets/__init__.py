"""Provides the widget library of the screens, one family per module: form rows (form),
dates (dates), amounts (money), short texts (text), the account look-up (accounts), the
counterparty look-up (counterparties) and the server-paged table (paged_table)."""
