"""Provides the bank: the statement import and its rules."""
