"""Provides the payroll mode, one module each: the month's run (runs: PayrollScreen, which the
app opens), its dialogs, the payslip, the quarter's 6-НДФЛ / РСВ figures, the employee list
and card; common holds what they share.
"""
