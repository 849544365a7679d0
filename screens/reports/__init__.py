"""Provides the reports, one module each: the menu (ReportsScreen, which the app opens), the
trial balance, the account card and analysis, the statements and the УСН tax; base and
dialogs hold what they share.
"""
