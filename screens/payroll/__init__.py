"""Provides the payroll mode: the month's run (runs), its dialogs, the payslip, the quarter's
6-НДФЛ / РСВ figures and the employees, one module each.

The app opens the mode through ``PayrollScreen``; everything else opens from it.
"""

from screens.payroll.runs import PayrollScreen

__all__ = ["PayrollScreen"]
