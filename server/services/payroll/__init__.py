"""Provides the monthly payroll: compute a draft, approve (post), pay, payslips, quarters.

The package by step: ``figures`` (the computation of a month), ``service`` (``Payroll``:
the use cases, approving into the books and paying with payment orders), ``payslip``
(text and PDF), ``quarter`` (the quarter's figures) and ``shapes`` (wire shapes).

Rules kept here (the figures come from ``server.domain.payroll_rules`` and
``server.domain.work_calendar``; nothing of them is re-implemented):
- a month has one run per organisation; computing the month again replaces its draft
  (an approved or paid run is refused with 409 ``payroll.not_draft``), and a month before
  an approved later month is refused too (its НДФЛ would be cumulated in the wrong order);
- the cumulative figures since 1 January (income, deductions, НДФЛ, contribution base) are
  those of the organisation's APPROVED (or paid) runs of the year before this month;
  a draft of an earlier month is not counted;
- salary is pro rata to the working days worked (the production calendar), excluding the
  days of sick leave and vacation; hired or dismissed inside the month counts only the
  employed days;
- the advance (first half) is the salary pro rata to the working days worked from the 1st
  to the 15th over the month's working days (time actually worked, ст. 136 ТК); bonuses,
  one-off payments, sick and vacation pay go with the final payment (a simplification:
  in practice vacation pay is paid 3 days before the leave);
- НДФЛ by the income date: salary income arises on the last day of the month it is for
  (НК ст. 223 п. 2) and the tax is withheld on payment (ст. 226 п. 4), so an advance paid
  inside the month withholds nothing (no ЕНП order for it) and the final payment withholds
  the whole month's tax; an advance paid on the month's last day withholds its own tax
  (``payroll_rules.advance_is_taxed``, re-split for the actual pay day). The tax is on the
  cumulative income with the month's child deduction, in whole roubles (НК ст. 52 п. 6);
- contributions on the month's pay minus sick pay (not subject, ст. 422 НК) on the
  cumulative base; the SME rate when the run's settings allow it (``sme_rate_applies``);
  the director's minimum base for an ООО (``Organisation.kind == "ooo"``);
- settings live on the run (``sme``, ``sme_priority``, ``injury_rate``, the pay days);
  a run computed without them takes those of the organisation's latest run, else defaults;
- approving posts one entry dated the month's last day: Дт 20/26/44 Кт 70 (per cost
  account), Дт 20/26/44 Кт 69.09 and Кт 69.11 (closed months are refused by the ledger's
  check) — no НДФЛ, which is posted when withheld;
- paying a part posts Дт 70 Кт 51 (card) / Кт 50.01 (cash) and Дт 70 Кт 68.01 (the НДФЛ
  withheld from it) on the pay date and makes the payment orders (one per card employee,
  the payee from the employee's card; one ЕНП order for the НДФЛ withheld and, with the
  final part, the month's contributions; with the final part and the СФР requisites, the
  injury-contributions order); the answer names the НДФЛ notice period (1st–22nd /
  23rd–month end, ``payroll_rules.ndfl_notice``) and warns when the cash to pay exceeds
  account 50 (``preview`` answers the same and changes nothing); non-residents are not
  supported (422).
"""

from __future__ import annotations

from server.services.payroll.figures import pay_days
from server.services.payroll.payslip import build_payslip, render_payslip_pdf
from server.services.payroll.service import Payroll
from server.services.payroll.shapes import line_out

__all__ = ["Payroll", "build_payslip", "line_out", "pay_days", "render_payslip_pdf"]
