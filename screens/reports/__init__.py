"""Provides the reports: the menu, the trial balance, the account card and analysis, the
statements and the УСН tax, one module each (base and dialogs are what they share).

The app opens them through ``ReportsScreen`` (the menu).
"""

from screens.reports.menu import ReportsScreen

__all__ = ["ReportsScreen"]
