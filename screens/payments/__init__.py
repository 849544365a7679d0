"""Provides the payment orders: the month's list and the form of a new order."""
