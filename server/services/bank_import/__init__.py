"""Provides the bank statement import: preview, proposals, rules, posting, reconciliation.

The package by step: ``staging`` (the upload read, the file's documents as draft lines,
dedupe keys), ``proposals`` (accounts by rule or by rule of thumb, what is already in the
books), ``posting`` (the all-or-nothing posting), ``reconciliation`` (statement against
the books), ``shapes`` (wire shapes), ``batch`` (the batched inserts, updates and
upserts: one driver executemany on SQLite, COPY and ``unnest`` statements on PostgreSQL)
and ``service`` (``BankImports``, the use cases).

A 1CClientBankExchange statement (``server.domain.bank_exchange``) is uploaded and staged
(``BankImport`` with one ``BankImportLine`` per document touching the organisation's
accounts), so the preview survives and posting is one transaction. Rules kept here:
- a broken file is refused whole (422 ``bank.file`` naming the line and the reason);
- a document is ours when its payer's or payee's account is one of the organisation's bank
  accounts: money out or in; a transfer between two of our accounts is two lines (out via
  57, in via 57); a document of someone else's account is shown, never posted;
- counterparties are matched by ИНН in one query; the ones missing are created on posting
  (name, КПП and bank details from the file) for lines on 60/62/76, which carry the
  counterparty as analytics;
- accounts are proposed by the user's rules first (lowest priority first), then by what a
  Russian accountant would do (``propose``); money in from an employee (ИНН, card account,
  a 40817… account and the name, or «возврат подотчетн…») is an accountable sum returned,
  Дт 51 Кт 71.01, the employee named on the line and in the posting's memo (postings carry
  no employee column yet); a VAT payer's customer payment its unpaid sales (62.01 debit
  balance) do not cover is an advance, Дт 51 Кт 62.02, posted as the covered part to
  62.01, the rest to 62.02 with VAT on it, Дт 76.АВ Кт 68.02 (``bank_advances``);
- the mirror for suppliers, any organisation: a payment out on 60.01 that the supplier's
  unpaid поступления (60.01 credit balance on the line's date) do not cover is an advance
  paid, proposed Дт 60.02 Кт 51 and posted as the covered part to 60.01, the rest to
  60.02, with no VAT (the deduction of VAT on an advance paid, НК ст. 171 п. 12, is a
  right and is left out); a line the user pointed at any other account stays as it is;
- a line carries warnings, never a refusal for them: a counterparty account failing the
  control key against its БИК is accepted as the bank sent it (``account_key``);
- posting is all or nothing: a line dated in a closed month refuses the whole import
  (409 ``bank.period_closed`` naming the month and the line); each posted line gets a
  dedupe key (account, date, number, amount, direction, counterparty ИНН), unique per
  organisation, so the same payment is never posted twice: importing the same file again
  reports duplicates and posts nothing new;
- a line whose money movement is already booked by another path is «in the books»
  (``in_books``), shown and never posted: an outgoing payment order of ours (same payer
  account, number, date and amount) whose entry payroll made (``posted_entry_id``), or a
  posted bank_in/bank_out document of the same date, amount, direction and counterparty
  ИНН (any counterparty when the document has none), one document for one line;
- everything goes in with a few batched statements (``batch``), and the turnover
  aggregates are updated for the inserted postings in the same transaction (one upsert
  of the summed changes); the per-line state is plain dicts of plain values, which the
  cyclic garbage collector does not track (an object or tuple per line made it walk
  tens of thousands of them again and again), and the collector stays on.
"""

from __future__ import annotations

from server.services.bank_import.service import BankImports
from server.services.bank_import.staging import read_upload

__all__ = ["BankImports", "read_upload"]
