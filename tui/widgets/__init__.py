"""Provides the widget library of the screens, one family per module: form rows (form),
dates (dates), amounts (money), short texts (text), the account look-up (accounts) and
the counterparty look-up (counterparties)."""
