"""Provides the one catalogue of user-visible text, Russian first and English second.

This module is imported before the first frame is drawn, so it must stay light:
standard library only. The server uses the same catalogue to word the ``detail``
of its problem responses in the caller's language (``Accept-Language``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

LOCALES = ("ru", "en")

# key: (Russian, English)
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- application ------------------------------------------------------
    "app.title": ("Бухта", "Buhta"),
    "app.subtitle": ("бухгалтерия в терминале", "accounting in the terminal"),
    "app.loading": ("Загрузка…", "Loading…"),
    "app.starting_server": ("Запуск встроенного сервера…", "Starting the embedded server…"),
    "app.quit": ("Выход", "Quit"),
    "app.back": ("Назад", "Back"),
    "app.mailbox": ("Почта и SMS", "Mail & SMS"),
    "app.palette": ("Команды", "Commands"),
    # Textual's own command palette key is described as "palette".
    "palette": ("команды", "commands"),
    "palette.goto": ("Перейти: {name}", "Go to: {name}"),
    "app.session_ended": (
        "Сеанс на этом устройстве завершён. Войдите снова.",
        "The session on this device has ended. Please sign in again.",
    ),
    "app.unexpected": (
        "Непредвиденная ошибка: {error}",
        "Unexpected error: {error}",
    ),
    "app.new_message": ("{channel} для {recipient}", "{channel} to {recipient}"),
    # --- login ------------------------------------------------------------
    "login.title": ("Вход в Бухту", "Sign in to Buhta"),
    "login.email": ("Электронная почта", "E-mail"),
    "login.password": ("Пароль", "Password"),
    "login.remember": ("Запомнить меня на этом устройстве", "Remember me on this device"),
    "login.remember_hint": (
        "Не отмечайте на чужом или общем компьютере",
        "Do not tick this on someone else's or a shared computer",
    ),
    "login.submit": ("Войти", "Sign in"),
    "login.forgot": ("Забыли пароль?", "Forgot password?"),
    "login.register": ("Регистрация", "Sign up"),
    "login.confirm": ("Код из письма", "Confirm e-mail"),
    "login.signing_in": ("Входим…", "Signing in…"),
    # --- registration -----------------------------------------------------
    "register.title": ("Регистрация", "Create an account"),
    "register.phone": ("Мобильный телефон", "Mobile phone"),
    "register.phone_placeholder": ("+7 912 345-67-89", "+7 912 345-67-89"),
    "register.send_code": ("Отправить код", "Send code"),
    "register.code": ("Код из SMS", "Code from the SMS"),
    "register.password2": ("Пароль ещё раз", "Password again"),
    "register.password_hint": (
        "Не короче 8 символов; можно фразу на русском",
        "At least 8 characters; a passphrase is welcome",
    ),
    "register.submit": ("Продолжить", "Continue"),
    "register.code_sent": (
        "Код отправлен на {phone}. Он действует 10 минут.",
        "A code was sent to {phone}. It is valid for 10 minutes.",
    ),
    "register.done": (
        "Проверьте почту {email}: мы отправили письмо с кодом подтверждения.",
        "Check {email}: we have sent a message with a confirmation code.",
    ),
    # --- e-mail confirmation ---------------------------------------------
    "confirm.title": ("Подтверждение e-mail", "Confirm your e-mail"),
    "confirm.intro": (
        "Введите код из письма, отправленного на {email}.",
        "Type the code from the message sent to {email}.",
    ),
    "confirm.intro_generic": (
        "Введите код из письма с подтверждением адреса.",
        "Type the code from the confirmation message.",
    ),
    "confirm.token": ("Код из письма", "Code from the message"),
    "confirm.submit": ("Подтвердить", "Confirm"),
    "confirm.resend": ("Отправить письмо ещё раз", "Send the message again"),
    "confirm.resent": (
        "Если адрес ждёт подтверждения, мы отправили новое письмо.",
        "If the address awaits confirmation, a new message is on its way.",
    ),
    "confirm.done": (
        "Адрес подтверждён. Теперь можно войти.",
        "Address confirmed. You can sign in now.",
    ),
    # --- recovery ---------------------------------------------------------
    "recover.title": ("Восстановление пароля", "Password recovery"),
    "recover.intro": (
        "Укажите почту, на которую зарегистрирована учётная запись.",
        "Type the e-mail your account is registered with.",
    ),
    "recover.submit": ("Восстановить пароль", "Recover password"),
    "recover.sent": (
        "Если адрес зарегистрирован, на него отправлено письмо с кодом.",
        "If the address is registered, a message with a code has been sent.",
    ),
    "recover.have_code": ("У меня есть код", "I have a code"),
    "reset.title": ("Новый пароль", "New password"),
    "reset.token": ("Код из письма", "Code from the message"),
    "reset.password": ("Новый пароль", "New password"),
    "reset.password2": ("Новый пароль ещё раз", "New password again"),
    "reset.submit": ("Сменить пароль", "Change password"),
    "reset.done": (
        "Пароль изменён, все сеансы завершены. Войдите с новым паролем.",
        "Password changed and every session ended. Sign in with the new password.",
    ),
    # --- shell ------------------------------------------------------------
    "mode.dashboard": ("Сводка", "Dashboard"),
    "mode.ledger": ("Учёт", "Ledger"),
    "mode.payroll": ("Зарплата", "Payroll"),
    "mode.tasks": ("Задачи", "Tasks"),
    "mode.support": ("Поддержка", "Support"),
    "mode.dashboard.placeholder": (
        "Здесь будет состояние учёта: остатки на счетах, долги, ближайшие налоги и отчёты.",
        "The state of the books will be here: balances, debts, upcoming taxes and reports.",
    ),
    "mode.ledger.placeholder": (
        "Здесь будут план счетов, журнал проводок, документы, банк и отчёты.",
        "The chart of accounts, journal, documents, bank and reports will be here.",
    ),
    "mode.payroll.placeholder": (
        "Здесь будут сотрудники, начисление зарплаты, НДФЛ, взносы и расчётные листки.",
        "Employees, payroll, income tax, contributions and payslips will be here.",
    ),
    "mode.tasks.placeholder": (
        "Здесь будут задачи сотрудникам и напоминания о сроках.",
        "Tasks for staff and deadline reminders will be here.",
    ),
    "mode.support.placeholder": (
        "Поддержка 24/7: контакты, обращение, заказ обратного звонка.",
        "Support 24/7: contacts, a request form, ordering a call back.",
    ),
    "shell.signed_in_as": ("Вы вошли как {email}", "Signed in as {email}"),
    "shell.logout": ("Выйти", "Log out"),
    "shell.logout_confirm": ("Выйти из учётной записи?", "Log out of your account?"),
    "shell.logged_out": ("Вы вышли из учётной записи.", "You have logged out."),
    "shell.devices": ("Устройства", "Devices"),
    "common.yes": ("Да", "Yes"),
    "common.no": ("Нет", "No"),
    "common.close": ("Закрыть", "Close"),
    "app.switch_org": ("Организация", "Organisation"),
    "orgs.choose_first": (
        "Сначала выберите организацию (F6)",
        "Choose an organisation first (F6)",
    ),
    "orgs.switcher_title": ("Организации", "Organisations"),
    "orgs.switcher_hint": (
        "Enter — перейти, n — новая, a — принять приглашение, Esc — закрыть",
        "Enter to switch, n new, a accept an invitation, Esc to close",
    ),
    "orgs.none": ("Организаций пока нет", "No organisations yet"),
    "orgs.blocked": ("доступ заблокирован", "access blocked"),
    "orgs.new": ("Новая организация", "New organisation"),
    "orgs.accept": ("Принять приглашение", "Accept an invitation"),
    "orgs.accept_title": ("Принять приглашение", "Accept an invitation"),
    "orgs.accept_intro": (
        "Введите код из письма-приглашения. Войти нужно с тем адресом, на который оно пришло.",
        "Type the code from the invitation. Sign in with the address it was sent to.",
    ),
    "orgs.accept_code": ("Код приглашения", "Invitation code"),
    "orgs.joined": ("Вы в команде: {role}", "You have joined as {role}"),
    "orgs.new_title": ("Новая организация", "New organisation"),
    "orgs.card_title": ("Карточка организации", "Organisation details"),
    "orgs.first_hint": (
        "Создайте первую организацию или, если вас пригласили, примите приглашение (F5).",
        "Create your first organisation or, if you were invited, accept the invitation (F5).",
    ),
    "orgs.read_only": (
        "Реквизиты меняет бухгалтер; ваша роль — «{role}»",
        "Only an accountant edits the details; your role is “{role}”",
    ),
    "orgs.saved": ("Сохранено: {name}", "Saved: {name}"),
    "orgs.save": ("Сохранить", "Save"),
    "orgs.add_account": ("+ счёт", "+ account"),
    "orgs.remove_account": ("Убрать счёт", "Remove the account"),
    "orgs.kind": ("Вид", "Kind"),
    "orgs.kind_ooo": ("ООО (организация)", "LLC (company)"),
    "orgs.kind_ip": ("ИП", "Sole trader"),
    "orgs.full_name": ("Полное наименование", "Full name"),
    "orgs.short_name": ("Краткое наименование", "Short name"),
    "orgs.inn": ("ИНН", "ИНН (tax number)"),
    "orgs.kpp": ("КПП", "КПП (registration reason code)"),
    "orgs.ogrn": ("ОГРН / ОГРНИП", "ОГРН / ОГРНИП (registration number)"),
    "orgs.address": ("Адрес", "Address"),
    "orgs.director": ("Руководитель", "Director"),
    "orgs.chief_accountant": ("Главный бухгалтер", "Chief accountant"),
    "orgs.tax_regime": ("Налоги", "Tax regime"),
    "orgs.usn_rate": ("Ставка УСН по закону региона, %", "Regional УСН rate, %"),
    "orgs.usn_rate_hint": ("пусто — базовая 6 % / 15 %", "empty: the base 6 % / 15 %"),
    "orgs.vat_mode": ("НДС", "VAT"),
    "orgs.banks": ("Банковские счета", "Bank accounts"),
    "orgs.bik": ("БИК", "БИК (bank code)"),
    "orgs.account": ("Расчётный счёт", "Account"),
    "orgs.corr_account": ("Корр. счёт", "Correspondent account"),
    "orgs.bank_name": ("Банк", "Bank"),
    "orgs.bank_accounts": ("Банковский счёт", "Bank account"),
    "regime.usn_income": ("УСН «доходы» (6 %)", "Simplified, income (6 %)"),
    "regime.usn_income_expense": (
        "УСН «доходы минус расходы» (15 %)",
        "Simplified, income less expenses (15 %)",
    ),
    "regime.osno": ("ОСНО", "General regime"),
    "vat.none": ("Без НДС (освобождение)", "No VAT (exempt)"),
    "vat.usn_5": ("НДС 5 % (УСН)", "VAT 5 % (simplified)"),
    "vat.usn_7": ("НДС 7 % (УСН)", "VAT 7 % (simplified)"),
    "vat.general": ("НДС по общим ставкам", "VAT at the general rates"),
    "team.members": ("Команда", "Team"),
    "team.invitations": ("Приглашения", "Invitations"),
    "team.role": ("Роль", "Role"),
    "team.status": ("Доступ", "Access"),
    "team.active": ("активен", "active"),
    "team.blocked": ("заблокирован", "blocked"),
    "team.you": ("это вы", "you"),
    "team.valid_until": ("Действует до", "Valid until"),
    "team.invite": ("Пригласить", "Invite"),
    "team.invite_title": ("Пригласить в команду", "Invite to the team"),
    "team.change_role": ("Роль", "Role"),
    "team.role_title": ("Роль для {email}", "Role for {email}"),
    "team.apply": ("Применить", "Apply"),
    "team.block": ("Блок", "Block"),
    "team.remove": ("Убрать", "Remove"),
    "team.remove_confirm": ("Убрать {email} из команды?", "Remove {email} from the team?"),
    "audit.title": ("Журнал действий", "Activity log"),
    "audit.user": ("кто (почта)", "who (e-mail)"),
    "audit.all": ("все объекты", "all objects"),
    "audit.from": ("с ДД.ММ.ГГГГ", "from DD.MM.YYYY"),
    "audit.to": ("по ДД.ММ.ГГГГ", "to DD.MM.YYYY"),
    "audit.when": ("Когда", "When"),
    "audit.who": ("Кто", "Who"),
    "audit.action": ("Действие", "Action"),
    "audit.outcome": ("Итог", "Outcome"),
    "audit.denied": ("отказано", "denied"),
    "audit.empty": ("Записей нет", "No entries"),
    "audit.apply": ("Применить фильтр", "Apply filters"),
    "audit.filters": ("Фильтр", "Filter"),
    "audit.bad_date": (
        "Дата — в виде ДД.ММ.ГГГГ, например 01.03.2026",
        "Dates are DD.MM.YYYY, e.g. 01.03.2026",
    ),
    "audit.denied_action": ("⛔ отказ: {what}", "⛔ denied: {what}"),
    "perm.org.read": ("просмотр организации", "viewing the organisation"),
    "perm.org.edit": ("изменение реквизитов", "editing the details"),
    "perm.team.read": ("просмотр команды", "viewing the team"),
    "perm.team.manage": ("управление командой", "managing the team"),
    "perm.audit.read": ("журнал действий", "the activity log"),
    "perm.ledger.read": ("просмотр учёта", "viewing the books"),
    "perm.ledger.write": ("проводки", "postings"),
    "perm.documents.write": ("документы", "documents"),
    "perm.bank.write": ("банк", "bank"),
    "perm.counterparties.write": ("контрагенты", "counterparties"),
    "perm.periods.close": ("закрытие периода", "closing a period"),
    "perm.payroll.read": ("просмотр зарплаты", "viewing payroll"),
    "perm.payroll.write": ("зарплата", "payroll"),
    "perm.tasks.read_all": ("все задачи", "all tasks"),
    "perm.approve": ("согласование", "approval"),
    "object.org": ("организация", "organisation"),
    "object.member": ("участник", "member"),
    "object.invitation": ("приглашение", "invitation"),
    "object.counterparty": ("контрагент", "counterparty"),
    "action.org.create": ("создана организация", "organisation created"),
    "action.org.update": ("изменены реквизиты", "details changed"),
    "action.team.invite": ("приглашение", "invitation sent"),
    "action.team.invitation_revoke": ("приглашение отозвано", "invitation revoked"),
    "action.team.join": ("вступил в команду", "joined the team"),
    "action.team.change": ("изменены роль или доступ", "role or access changed"),
    "action.team.remove": ("убран из команды", "removed from the team"),
    "action.ledger.post": ("проводка", "entry posted"),
    "action.ledger.reverse": ("сторно", "entry reversed"),
    "action.ledger.sub_account": ("добавлен субсчёт", "sub-account added"),
    "action.ledger.close_period": ("период закрыт", "period closed"),
    "action.ledger.reopen_period": ("период открыт заново", "period reopened"),
    "action.counterparties.create": ("добавлен контрагент", "counterparty added"),
    "action.counterparties.update": ("изменён контрагент", "counterparty changed"),
    "action.counterparties.archive": ("контрагент в архиве", "counterparty archived"),
    "action.counterparties.restore": ("контрагент из архива", "counterparty restored"),
    "ledger.date": ("Дата", "Date"),
    "ledger.description": ("Содержание", "Description"),
    "ledger.debit": ("Дт", "Dr"),
    "ledger.credit": ("Кт", "Cr"),
    "ledger.amount": ("Сумма", "Amount"),
    "ledger.total": ("Итого", "Total"),
    "ledger.period": ("Период", "Period"),
    "ledger.step": ("— месяц назад / вперёд", "— month back / forward"),
    "ledger.closed": ("закрыт", "closed"),
    "ledger.empty": ("За этот месяц записей нет. n — новая операция.",
                     "No entries this month. n for a new one."),
    "ledger.new": ("Операция", "New entry"),
    "ledger.new_title": ("Операция, введённая вручную", "Manual entry"),
    "ledger.reverse": ("Сторно", "Reverse"),
    "ledger.reverse_title": ("Сторно записи №{number} на {amount}",
                             "Reverse entry {number} of {amount}"),
    "ledger.reason": ("Причина", "Reason"),
    "ledger.reversed": ("Запись сторнирована: №{number}", "Reversed by entry {number}"),
    "ledger.cannot_reverse": (
        "Эту запись сторнировать нельзя: она уже сторнирована или сама — сторно",
        "This entry cannot be reversed: it is a reversal or already reversed",
    ),
    "ledger.prev": ("Пред. месяц", "Prev. month"),
    "ledger.next": ("След. месяц", "Next month"),
    "ledger.close": ("Закрыть месяц", "Close the month"),
    "ledger.close_confirm": ("Закрыть {period}? Записи с такой датой больше не примутся.",
                             "Close {period}? Nothing dated in it will be accepted."),
    "ledger.closed_now": ("{period}: период закрыт", "{period}: period closed"),
    "ledger.post": ("Провести", "Post"),
    "ledger.add_line": ("+ строка", "+ line"),
    "ledger.posted": ("Проведено: №{number} на {amount}", "Posted: {number}, {amount}"),
    "ledger.no_account": ("Нет счёта «{code}» в плане счетов", "No account “{code}” in the chart"),
    "ledger.query_placeholder": (
        "/ Запрос: acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893",
        "/ Query: acct:51 date:2025-Q1 amt:>10000 desc:rent cp:7707083893",
    ),
    "ledger.find": ("Запрос", "Query"),
    "ledger.open": ("Открыть", "Open"),
    "ledger.clear_query": ("Сбросить запрос", "Clear the query"),
    "ledger.toggle_period": ("Весь период / месяц", "All time / month"),
    "ledger.reopen": ("К началу журнала", "Back to the start"),
    "ledger.query": ("запрос", "query"),
    "ledger.by_query": ("по запросу", "as the query says"),
    "ledger.all_time": ("весь период (m — месяц)", "all time (m for a month)"),
    "ledger.window_hint": ("↑ — к началу", "↑ to the start"),
    "ledger.reopened": ("Журнал открыт заново с начала", "The journal reopened from the start"),
    "ledger.nothing_found": ("По запросу ничего не нашлось. Esc — сбросить запрос.",
                             "Nothing matches the query. Esc clears it."),
    "ledger.empty_all": ("Записей нет. n — новая операция.", "No entries. n for a new one."),
    "ledger.amount_positive": ("Сумма проводки — больше нуля", "A posting's amount is above zero"),
    "ledger.weekdays": ("пн вт ср чт пт сб вс", "Mon Tue Wed Thu Fri Sat Sun"),
    "ledger.day_is": ("→ {weekday}, {date}", "→ {weekday} {date}"),
    "ledger.entry_title": ("Запись №{number} от {date}", "Entry {number} of {date}"),
    "ledger.reverses": ("Сторнирует запись №{number}", "Reverses entry {number}"),
    "ledger.reverses_elsewhere": ("Сторнирует запись вне загруженной части журнала",
                                  "Reverses an entry outside the loaded journal"),
    "ledger.reversed_by": ("Сторнирована записью №{number}", "Reversed by entry {number}"),
    "ledger.reversed_by_elsewhere": ("Сторнирована записью вне загруженной части журнала",
                                     "Reversed by an entry outside the loaded journal"),
    "ledger.document": ("Документ", "Document"),
    "ledger.counterparty": ("Контрагент", "Counterparty"),
    "ledger.cp_placeholder": ("имя или ИНН", "name or ИНН"),
    "ledger.account_offer": ("→ {label} (→ или Tab — выбрать)",
                             "→ {label} (→ or Tab to choose)"),
    "ledger.cp_offer": ("→ {name} (→ или Tab — выбрать)", "→ {name} (→ or Tab to choose)"),
    "ledger.cp_none": ("Контрагент «{text}» не найден", "No counterparty “{text}”"),
    "ledger.cp_not_chosen": (
        "Контрагент не выбран: → или Tab берёт подсказку, или очистите поле",
        "Counterparty not chosen: → or Tab takes the suggestion, or clear the field",
    ),
    "validation.date": (
        "Дата — ДД.ММ.ГГГГ; можно 28 (этот месяц) или 28.02",
        "A date is DD.MM.YYYY; 28 (this month) or 28.02 also work",
    ),
    "shell.card": ("Реквизиты", "Details"),
    "shell.team": ("Команда", "Team"),
    "shell.audit": ("Журнал", "Log"),
    "shell.org": (
        "Организация: {name} · ИНН {inn} · {role}",
        "Organisation: {name} · {inn} · {role}",
    ),
    "shell.no_org": ("Организация не выбрана (F6)", "No organisation chosen (F6)"),
    # --- counterparties ----------------------------------------------------
    "counterparties.title": ("Контрагенты", "Counterparties"),
    "counterparties.archive_title": ("Контрагенты — архив", "Counterparties — archive"),
    "counterparties.search": (
        "Поиск: часть названия или начало ИНН",
        "Search: part of the name or the first ИНН digits",
    ),
    "counterparties.find": ("Поиск", "Search"),
    "counterparties.new": ("Новый", "New"),
    "counterparties.open": ("Открыть", "Open"),
    "counterparties.archive": ("В архив", "Archive"),
    "counterparties.restore": ("Вернуть", "Restore"),
    "counterparties.show_archive": ("Архив", "Archive"),
    "counterparties.empty": ("Контрагентов нет", "No counterparties"),
    "counterparties.archived": ("«{name}» — в архиве", "“{name}” archived"),
    "counterparties.restored": ("«{name}» — из архива", "“{name}” restored"),
    "counterparties.saved": ("Контрагент «{name}» сохранён", "Counterparty “{name}” saved"),
    "counterparties.new_title": ("Новый контрагент", "New counterparty"),
    "counterparties.card_title": ("Карточка контрагента", "Counterparty card"),
    "counterparties.save": ("Сохранить", "Save"),
    "counterparties.bank": ("Банковские реквизиты", "Bank details"),
    "counterparties.kind": ("Вид", "Kind"),
    "counterparties.kind_org": ("ООО/организация", "Company"),
    "counterparties.kind_ip": ("ИП", "ИП (sole trader)"),
    "counterparties.kind_person": ("Физлицо", "Person"),
    "counterparties.name": ("Название", "Name"),
    "counterparties.full_name": ("Полное название", "Full name"),
    "counterparties.inn": ("ИНН", "ИНН (tax number)"),
    "counterparties.kpp": ("КПП", "КПП (registration reason code)"),
    "counterparties.inn_kpp": ("ИНН/КПП", "Tax ИНН/КПП"),
    "counterparties.address": ("Адрес", "Address"),
    "counterparties.phone": ("Телефон", "Phone"),
    "counterparties.email": ("Эл. почта", "E-mail"),
    "counterparties.contract": ("Договор", "Contract"),
    "counterparties.bik": ("БИК", "БИК (bank code)"),
    "counterparties.account": ("Расчётный счёт", "Account"),
    "counterparties.corr_account": ("Корр. счёт", "Correspondent account"),
    "counterparties.bank_name": ("Банк", "Bank"),
    # --- devices ----------------------------------------------------------
    "devices.title": ("Устройства с доступом", "Devices with access"),
    "devices.name": ("Устройство", "Device"),
    "devices.last_seen": ("Последний вход", "Last seen"),
    "devices.remembered": ("Запомнено", "Remembered"),
    "devices.current": ("это устройство", "this device"),
    "devices.revoke": ("Отозвать доступ", "Revoke"),
    "devices.revoke_confirm": (
        "Отозвать доступ устройства «{name}»?",
        "Revoke access of device “{name}”?",
    ),
    "devices.revoked": ("Доступ устройства «{name}» отозван.", "Device “{name}” revoked."),
    "devices.refresh": ("Обновить", "Refresh"),
    "devices.empty": ("Нет устройств.", "No devices."),
    # --- mailbox (embedded mode) -----------------------------------------
    "mailbox.title": ("Почта и SMS (локально)", "Mail & SMS (local)"),
    "mailbox.intro": (
        "Встроенный режим: письма и SMS не уходят наружу, а складываются сюда.",
        "Embedded mode: mail and SMS are not sent out; they are kept here.",
    ),
    "mailbox.empty": ("Сообщений пока нет.", "No messages yet."),
    "mailbox.remote": (
        "Сервер отправляет письма и SMS сам; локального ящика нет.",
        "The server sends mail and SMS itself; there is no local mailbox.",
    ),
    "channel.email": ("Письмо", "E-mail"),
    "channel.sms": ("SMS", "SMS"),
    # --- client-side validation ------------------------------------------
    "validation.email": (
        "Введите адрес почты, например ivan@example.ru",
        "Type an e-mail address, e.g. ivan@example.com",
    ),
    "validation.phone": (
        "Введите мобильный номер России, например +7 912 345-67-89",
        "Type a Russian mobile number, e.g. +7 912 345-67-89",
    ),
    "validation.password_short": (
        "Пароль должен быть не короче {min} символов",
        "The password must be at least {min} characters long",
    ),
    "validation.password_long": (
        "Пароль должен быть не длиннее {max} символов",
        "The password must be at most {max} characters long",
    ),
    "validation.password_common": (
        "Этот пароль слишком распространён — придумайте другой",
        "This password is too common; choose another one",
    ),
    "validation.password_local_part": (
        "Пароль не должен совпадать с именем из адреса почты",
        "The password must not be the name part of your e-mail",
    ),
    "validation.passwords_differ": ("Пароли не совпадают", "The passwords do not match"),
    "validation.sms_code": ("Код из SMS — 6 цифр", "The SMS code is 6 digits"),
    "validation.token": ("Введите код из письма", "Type the code from the message"),
    "validation.required": ("Заполните поле", "This field is required"),
    "validation.inn_digits": (
        "ИНН — {expected} цифр",
        "The ИНН (taxpayer number) is {expected} digits",
    ),
    "validation.inn_checksum": (
        "ИНН с ошибкой: не сходится контрольная цифра — проверьте, не перепутаны ли цифры",
        "The ИНН has a wrong check digit: look for a mistyped digit",
    ),
    "validation.kpp": (
        "КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры",
        "The КПП is 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits",
    ),
    "validation.ogrn_digits": (
        "ОГРН — 13 цифр, начинается с 1 или 5",
        "The ОГРН is 13 digits starting with 1 or 5",
    ),
    "validation.ogrn_checksum": (
        "ОГРН с ошибкой: не сходится контрольная цифра",
        "The ОГРН has a wrong check digit",
    ),
    "validation.ogrnip_digits": (
        "ОГРНИП — 15 цифр, начинается с 3",
        "The ОГРНИП is 15 digits starting with 3",
    ),
    "validation.ogrnip_checksum": (
        "ОГРНИП с ошибкой: не сходится контрольная цифра",
        "The ОГРНИП has a wrong check digit",
    ),
    "validation.bik": (
        "БИК — 9 цифр, начинается с 04",
        "The БИК (bank code) is 9 digits starting with 04",
    ),
    "validation.account_digits": ("Расчётный счёт — 20 цифр", "The account is 20 digits"),
    "validation.account_checksum": (
        "Расчётный счёт не сходится с БИК: проверьте счёт и БИК",
        "The account does not match the БИК: check both",
    ),
    "validation.corr_account_digits": (
        "Корр. счёт — 20 цифр, начинается с 301 и кончается тремя последними цифрами БИК",
        "The correspondent account is 20 digits: 301…, ending with the БИК's last 3 digits",
    ),
    "validation.corr_account_checksum": (
        "Корр. счёт не сходится с БИК",
        "The correspondent account does not match the БИК",
    ),
    "validation.snils_digits": (
        "СНИЛС — 11 цифр, например 112-233-445 95",
        "The СНИЛС is 11 digits, e.g. 112-233-445 95",
    ),
    "validation.snils_checksum": (
        "СНИЛС с ошибкой: не сходится контрольное число",
        "The СНИЛС has a wrong check number",
    ),
    "validation.amount": (
        "Сумма — число с копейками через запятую, например 1 234,56",
        "An amount is a number with kopecks, e.g. 1234.56",
    ),
    "validation.sub_account": (
        "Субсчёт — код счёта, точка и две цифры (например 60.11), с названием; "
        "такого ещё не должно быть",
        "A sub-account is the account code, a dot and two digits (e.g. 60.11), with a name, "
        "not yet taken",
    ),
    "validation.usn_rate_regime": (
        "Пониженная ставка бывает только на УСН",
        "A reduced rate exists only on the simplified regime",
    ),
    "validation.usn_rate": (
        "Пониженная ставка УСН — от 0 до {base} % (не выше базовой), до сотых",
        "A reduced УСН rate is from 0 up to {base} % (below the base), in hundredths",
    ),
    # --- outgoing messages (server) --------------------------------------
    "msg.sms_code": (
        "Бухта: код подтверждения {code}. Никому его не сообщайте.",
        "Buhta: your confirmation code is {code}. Do not share it.",
    ),
    "msg.confirm.subject": ("Подтвердите адрес почты", "Confirm your e-mail address"),
    "msg.confirm.body": (
        "Здравствуйте!\n\nКод подтверждения адреса для Бухты: {token}\n"
        "Введите его на экране «Подтверждение e-mail». Код действует {hours} ч.\n\n"
        "Если вы не регистрировались, просто удалите это письмо.",
        "Hello,\n\nYour Buhta e-mail confirmation code: {token}\n"
        "Type it on the “Confirm your e-mail” screen. It is valid for {hours} h.\n\n"
        "If you did not sign up, just delete this message.",
    ),
    "msg.taken.subject": ("Попытка регистрации с вашим адресом", "A sign-up with your address"),
    "msg.taken.body": (
        "Здравствуйте!\n\nКто-то пытался зарегистрироваться в Бухте с этим адресом, "
        "но учётная запись уже есть. Если это были вы — войдите или восстановите пароль.",
        "Hello,\n\nSomeone tried to sign up for Buhta with this address, but an account "
        "already exists. If it was you, sign in or recover your password.",
    ),
    "msg.reset.subject": ("Восстановление пароля", "Password recovery"),
    "msg.reset.body": (
        "Здравствуйте!\n\nКод для смены пароля в Бухте: {token}\n"
        "Введите его на экране «Новый пароль». Код действует {minutes} мин и "
        "подходит один раз.\n\nЕсли вы не просили сменить пароль, удалите это письмо.",
        "Hello,\n\nYour Buhta password reset code: {token}\n"
        "Type it on the “New password” screen. It is valid for {minutes} min, once.\n\n"
        "If you did not ask to reset your password, delete this message.",
    ),
    # --- organisations and team ------------------------------------------
    "role.accountant": ("Бухгалтер", "Accountant"),
    "role.primary": ("Бухгалтер по первичке", "Primary documents clerk"),
    "role.hr": ("Кадровик", "HR officer"),
    "role.director": ("Директор", "Director"),
    "role.observer": ("Наблюдатель", "Observer"),
    "msg.invite.subject": ("Приглашение в «{org}»", "An invitation to “{org}”"),
    "msg.invite.body": (
        "Здравствуйте!\n\nВас приглашают работать в Бухте с организацией «{org}» "
        "в роли «{role}».\nКод приглашения: {token}\n"
        "Войдите в Бухту (или зарегистрируйтесь с этим адресом) и введите код на экране "
        "«Принять приглашение». Код действует {days} дней и подходит один раз.",
        "Hello,\n\nYou are invited to work in Buhta with “{org}” as “{role}”.\n"
        "Invitation code: {token}\nSign in to Buhta (or sign up with this address) and "
        "type the code on the “Accept an invitation” screen. It is valid for {days} days, once.",
    ),
    "error.orgs.not_found": ("Организация не найдена", "Organisation not found"),
    "error.orgs.blocked": (
        "Ваш доступ к этой организации заблокирован",
        "Your access to this organisation is blocked",
    ),
    "error.orgs.forbidden": (
        "Вашей роли это действие не разрешено",
        "Your role is not allowed to do this",
    ),
    "error.team.already_member": (
        "Этот пользователь уже в команде",
        "This user is already in the team",
    ),
    "error.team.invitation_not_found": ("Приглашение не найдено", "Invitation not found"),
    "error.team.invitation_invalid": (
        "Код приглашения не подходит или уже использован",
        "The invitation code is wrong or has already been used",
    ),
    "error.team.invitation_expired": (
        "Срок приглашения истёк. Попросите прислать новое.",
        "The invitation has expired. Ask for a new one.",
    ),
    "error.team.invitation_other_email": (
        "Приглашение отправлено на другой адрес. Войдите с тем адресом, на который оно пришло.",
        "The invitation was sent to another address. Sign in with that address.",
    ),
    "error.team.member_not_found": ("Участник не найден", "Member not found"),
    "error.team.last_manager": (
        "Нельзя убрать или понизить последнего, кто управляет командой",
        "The last person who manages the team cannot be removed or demoted",
    ),
    "error.validation.cursor": ("Неверная позиция списка", "Invalid list position"),
    "error.validation.month": ("Месяц — в виде ГГГГ-ММ", "A month is YYYY-MM"),
    "error.ledger.period_closed": (
        "Период {period} закрыт: записи с такой датой не принимаются",
        "The period {period} is closed: nothing dated in it is accepted",
    ),
    "error.ledger.period_open": ("Период {period} не закрыт", "The period {period} is not closed"),
    "error.ledger.unknown_account": (
        "Нет таких счетов в плане счетов: {accounts}",
        "No such accounts in the chart: {accounts}",
    ),
    "error.ledger.sub_account": (
        "Субсчёт не добавлен: код — счёт, точка и две цифры, с названием, и не занят",
        "Sub-account not added: the code is the account, a dot and two digits, not taken",
    ),
    "error.ledger.entry_not_found": ("Запись не найдена", "Entry not found"),
    "error.ledger.already_reversed": (
        "Эта запись уже сторнирована",
        "This entry has already been reversed",
    ),
    "error.ledger.reversal_of_reversal": (
        "Сторно не сторнируют: сделайте новую запись",
        "A reversal is not reversed: make a new entry",
    ),
    "validation.posting_same_account": (
        "Дебет и кредит — разные счета",
        "Debit and credit are different accounts",
    ),
    "error.counterparties.not_found": ("Контрагент не найден", "Counterparty not found"),
    "error.counterparties.duplicate": (
        "Контрагент с таким ИНН и КПП уже есть: {name}",
        "A counterparty with this ИНН and КПП already exists: {name}",
    ),
    # --- errors (server codes) -------------------------------------------
    "error.auth.invalid_credentials": (
        "Неверный адрес почты или пароль",
        "Wrong e-mail or password",
    ),
    "error.auth.email_not_confirmed": (
        "Адрес почты ещё не подтверждён. Введите код из письма.",
        "The e-mail address is not confirmed yet. Type the code from the message.",
    ),
    "error.auth.rate_limited": (
        "Слишком много попыток. Повторите через {retry_after} с.",
        "Too many attempts. Try again in {retry_after} s.",
    ),
    "error.auth.sms_code_invalid": ("Неверный код из SMS", "Wrong SMS code"),
    "error.auth.sms_code_expired": (
        "Код из SMS устарел или не запрашивался. Запросите новый.",
        "The SMS code has expired or was not requested. Ask for a new one.",
    ),
    "error.auth.sms_code_attempts": (
        "Код введён неверно слишком много раз. Запросите новый.",
        "Too many wrong tries. Ask for a new code.",
    ),
    "error.auth.token_invalid": (
        "Код не подходит или уже использован",
        "The code is wrong or has already been used",
    ),
    "error.auth.token_expired": (
        "Срок действия кода истёк. Запросите новый.",
        "The code has expired. Ask for a new one.",
    ),
    "error.auth.unauthorized": ("Нужно войти в учётную запись", "Please sign in"),
    "error.auth.access_expired": ("Сеанс истёк", "The session has expired"),
    "error.auth.session_revoked": (
        "Доступ с этого устройства отозван. Войдите снова.",
        "Access from this device was revoked. Please sign in again.",
    ),
    "error.auth.password_policy": ("{reason}", "{reason}"),
    "error.devices.not_found": ("Устройство не найдено", "Device not found"),
    "error.validation.failed": ("Проверьте поля: {fields}", "Please check: {fields}"),
    "error.idempotency.key_reused": (
        "Ключ идемпотентности уже использован для другого запроса",
        "The Idempotency-Key was already used for another request",
    ),
    "error.idempotency.in_progress": (
        "Такой же запрос ещё выполняется",
        "The same request is still being processed",
    ),
    "error.not_found": ("Не найдено", "Not found"),
    "error.method_not_allowed": ("Метод не поддерживается", "Method not allowed"),
    "error.server.internal": (
        "Внутренняя ошибка сервера. Попробуйте ещё раз позже.",
        "Internal server error. Please try again later.",
    ),
    "error.network.unavailable": (
        "Нет связи с сервером. Проверьте подключение и повторите.",
        "Cannot reach the server. Check the connection and try again.",
    ),
    "error.client.bad_response": (
        "Сервер прислал непонятный ответ",
        "The server sent a response we could not read",
    ),
    "error.ledger.unknown_counterparty": (
        "Контрагент не найден в этой организации",
        "The counterparty is not one of this organisation's",
    ),
    # --- documents (keys: doc.*, error.doc.*) ---
    "doc.type.invoice": ("Счёт на оплату", "Invoice"),
    "doc.type.act": ("Акт оказанных услуг", "Services act"),
    "doc.type.sale_goods": ("Реализация (накладная, УПД)", "Sale of goods (waybill, UPD)"),
    "doc.type.purchase_goods": ("Поступление товаров", "Goods received"),
    "doc.type.purchase_services": ("Поступление услуг", "Services received"),
    "doc.type.bank_in": ("Поступление на расчётный счёт", "Bank receipt"),
    "doc.type.bank_out": ("Списание с расчётного счёта", "Bank payment"),
    "doc.type.cash_in": ("Приходный кассовый ордер", "Cash receipt order"),
    "doc.type.cash_out": ("Расходный кассовый ордер", "Cash payment order"),
    "doc.state.draft": ("Черновик", "Draft"),
    "doc.state.posted": ("Проведён", "Posted"),
    "doc.state.cancelled": ("Отменён", "Cancelled"),
    "doc.vat.none": ("Без НДС", "No VAT"),
    "doc.quantity": (
        "Количество — больше нуля, не более трёх знаков после запятой",
        "The quantity is above zero, with at most three decimals",
    ),
    "doc.price": (
        "Цена — не меньше нуля, в рублях и копейках",
        "The price is not negative, in roubles and kopecks",
    ),
    "doc.lines_required": (
        "Добавьте хотя бы одну строку",
        "Add at least one line",
    ),
    "doc.payment_lines": (
        "У платёжного документа нет строк: укажите сумму",
        "A payment has no lines: give its amount",
    ),
    "doc.amount": (
        "Сумма — больше нуля, в рублях и копейках",
        "The amount is above zero, in roubles and kopecks",
    ),
    "doc.too_large": (
        "Сумма документа слишком велика",
        "The document's total is too large",
    ),
    "doc.account": (
        "Счёт — код из плана счетов, например 62.01",
        "The account is a chart code, e.g. 62.01",
    ),
    "doc.expense_account": (
        "Услуги относят на счёт 26 или 44",
        "Services go to account 26 or 44",
    ),
    "error.doc.not_found": ("Документ не найден", "Document not found"),
    "error.doc.number_taken": (
        "Номер {number} за {year} год уже занят документом этого вида",
        "Number {number} of {year} is already taken by a document of this kind",
    ),
    "error.doc.not_draft": (
        "Документ уже проведён или отменён: изменить можно только черновик",
        "The document is already posted or cancelled: only a draft can be changed",
    ),
    "error.doc.already_cancelled": ("Документ уже отменён", "The document is already cancelled"),
    "error.doc.zero_total": (
        "Сумма документа равна нулю: проводить нечего",
        "The document's total is zero: there is nothing to post",
    ),
    # --- journal query (keys: query.*, error.query.*) ---
    "error.query.invalid": (
        "Запрос не понят: «{term}» — {reason}",
        "Query not understood: “{term}” — {reason}",
    ),
    "query.reason.field": (
        "неизвестное поле; есть счёт:, дата:, сумма:, текст:, контрагент:, не:",
        "unknown field; there are acct:, date:, amt:, desc:, cp:, not:",
    ),
    "query.reason.empty": ("после двоеточия нужно значение", "a value is needed after the colon"),
    "query.reason.quote": ("не закрыта кавычка", "an unclosed quote"),
    "query.reason.too_many": ("слишком много условий", "too many terms"),
    "query.reason.date": (
        "дата — 2025, 2025-Q1, 2025-03, 05.03.2025 или диапазон 2025-01..2025-03",
        "a date is 2025, 2025-Q1, 2025-03, 05.03.2025 or a range 2025-01..2025-03",
    ),
    "query.reason.date_order": (
        "начало диапазона позже его конца",
        "the range starts after it ends",
    ),
    "query.reason.amount": (
        "сумма — число с условием: >10000, <=1 234,56, =500",
        "an amount is a number with a condition: >10000, <=1234.56, =500",
    ),
    "query.reason.account": (
        "счёт — код из плана счетов: 51, 60.01",
        "an account is a code from the chart: 51, 60.01",
    ),
    "query.help": (
        "счёт:51 дата:2025-Q1 сумма:>10000 текст:аренда контрагент:ИНН или имя; "
        "не:счёт:51 — кроме; пробел в значении — в кавычках",
        "acct:51 date:2025-Q1 amt:>10000 desc:rent cp:INN or name; "
        "not:acct:51 excludes; quote a value with spaces",
    ),
    # --- chart of accounts screen (keys: chart.*) ---
    "chart.title": ("План счетов", "Chart of accounts"),
    "chart.count": ("План счетов: {shown} из {total}", "Chart of accounts: {shown} of {total}"),
    "chart.filter": ("/ Код или название счёта", "/ Account code or name"),
    "chart.find": ("Поиск", "Find"),
    "chart.add": ("Субсчёт", "Sub-account"),
    "chart.code": ("Код", "Code"),
    "chart.name": ("Название", "Name"),
    "chart.kind": ("Вид", "Kind"),
    "chart.analytics": ("Аналитика", "Analytics"),
    "chart.kind_active": ("А", "A"),
    "chart.kind_passive": ("П", "L"),
    "chart.kind_active_passive": ("А-П", "A-L"),
    "chart.kind_active_long": ("активный", "asset (debit balance)"),
    "chart.kind_passive_long": ("пассивный", "liability (credit balance)"),
    "chart.kind_active_passive_long": ("активно-пассивный", "asset or liability"),
    "chart.analytics_counterparty": ("контрагенты", "counterparties"),
    "chart.analytics_contract": ("договоры", "contracts"),
    "chart.analytics_employee": ("сотрудники", "employees"),
    "chart.analytics_item": ("номенклатура", "items"),
    "chart.analytics_line": ("аналитика: {analytics}", "analytics: {analytics}"),
    "chart.own": ("(свой)", "(own)"),
    "chart.own_long": ("субсчёт организации", "the organisation's own sub-account"),
    "chart.nothing": ("Нет счетов по этому фильтру. Esc — сбросить.",
                      "No accounts match. Esc clears the filter."),
    "chart.add_title": ("Новый субсчёт к счёту {code} «{name}»",
                        "New sub-account of {code} “{name}”"),
    "chart.save": ("Добавить", "Add"),
    "chart.added": ("Субсчёт {code} «{name}» добавлен", "Sub-account {code} “{name}” added"),
    "chart.bad_parent": ("К счёту {code} субсчёт не открыть: только к счетам плана счетов",
                         "No sub-account under {code}: only chart accounts take them"),
    "chart.bad_code": ("Код субсчёта — {parent}.NN: две цифры, не 00 (например {parent}.21)",
                       "A sub-account code is {parent}.NN: two digits, not 00 (e.g. {parent}.21)"),
    "chart.taken": ("Код {code} уже есть в плане счетов",
                    "The code {code} is already in the chart"),
    "chart.bad_name": ("Название — обязательно, до 200 знаков",
                       "A name is required, up to 200 characters"),
    # --- printable forms (keys: print.*) ---
    "error.doc.not_printable": (
        "Печатная форма есть только у счёта и акта",
        "Only an invoice and an act have a printable form",
    ),
    # --- turnovers and trial balance, card, analysis (keys: tb.*, error.report.*) ---
    "tb.totals": ("Итого", "Total"),
    "tb.no_counterparty": ("<без контрагента>", "<no counterparty>"),
    "error.report.period": (
        "Начало периода ({date_from}) позже его конца ({date_to})",
        "The period starts ({date_from}) after it ends ({date_to})",
    ),
    # --- statements and УСН (keys: stmt.*, usn.*) ---
    "error.report.not_usn": (
        "Организация не применяет УСН: книги доходов и расходов и налога УСН у неё нет",
        "The organisation is not on the simplified tax system: it has no УСН book or tax",
    ),
    # --- report screens (keys: reports.*) ---
    "reports.title": ("Отчёты", "Reports"),
    "reports.choose": ("Выбрать", "Choose"),
    "reports.menu.tb": ("Оборотно-сальдовая ведомость", "Trial balance"),
    "reports.menu.tb_cp": ("ОСВ по контрагентам", "Trial balance by counterparty"),
    "reports.menu.card": ("Карточка счёта", "Account card"),
    "reports.menu.analysis": ("Анализ счёта", "Account analysis"),
    "reports.menu.balance_sheet": ("Бухгалтерский баланс", "Balance sheet"),
    "reports.menu.financial_results": ("Отчёт о финансовых результатах", "Income statement"),
    "reports.menu.usn": ("КУДиР и налог УСН", "Income book (КУДиР) and simplified tax (УСН)"),
    "reports.menu_hint": ("Цифра или ↑↓ и Enter — открыть; [ ] { } t c — период",
                          "A digit or ↑↓ and Enter opens; [ ] { } t c change the period"),
    "reports.period_line": ("Период: {period}   [ ] шаг  {{ }} длина  t текущий  c даты",
                            "Period: {period}   [ ] step  {{ }} length  t current  c dates"),
    "reports.keys_hint": ("[ ] { } t c — период", "[ ] { } t c — period"),
    "reports.title_line": ("{title} за {period}", "{title} for {period}"),
    "reports.period_dates": ("Период: {title} ({start} – {end})",
                             "Period: {title} ({start} – {end})"),
    "reports.computed": ("сформирован {when}", "computed {when}"),
    "reports.inn": ("ИНН", "INN"),
    "reports.months": (
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
        "January February March April May June July August September October November "
        "December",
    ),
    "reports.period_quarter": ("{n} квартал {year}", "Q{n} {year}"),
    "reports.period_half": ("{n} полугодие {year}", "H{n} {year}"),
    "reports.period_nine": ("9 месяцев {year}", "9 months {year}"),
    "reports.period_year": ("{year} год", "Year {year}"),
    "reports.bad_range": ("Дата «по» раньше даты «с»", "The end date is before the start date"),
    "reports.prev": ("Предыдущий период", "Previous period"),
    "reports.next": ("Следующий период", "Next period"),
    "reports.shrink": ("Период короче", "Shorter period"),
    "reports.grow": ("Период длиннее", "Longer period"),
    "reports.this_period": ("Текущий период", "Current period"),
    "reports.custom": ("Свои даты", "Custom dates"),
    "reports.export": ("Экспорт", "Export"),
    "reports.open_card": ("Карточка", "Card"),
    "reports.open_entry": ("Запись", "Entry"),
    "reports.analysis_short": ("Анализ", "Analysis"),
    "reports.view": ("Вид", "View"),
    "reports.toggle": ("Субсчета", "Sub-accounts"),
    "reports.expand": ("Раскрыть", "Expand"),
    "reports.collapse": ("Свернуть", "Collapse"),
    "reports.toggle_all": ("Раскрыть или свернуть все", "Expand or collapse all"),
    "reports.view_turnover": ("Вид: обороты за период", "View: turnover"),
    "reports.view_balances": ("Вид: сальдо на начало и на конец",
                              "View: opening and closing balances"),
    "reports.view_all": ("Вид: все графы (← → — прокрутка)", "View: all columns (← → scroll)"),
    "reports.tb": ("Оборотно-сальдовая ведомость", "Trial balance"),
    "reports.tb_by_cp": ("ОСВ по контрагентам", "Trial balance by counterparty"),
    "reports.card": ("Карточка счёта", "Account card"),
    "reports.card_of": ("Карточка счёта {account}", "Account card {account}"),
    "reports.analysis": ("Анализ счёта", "Account analysis"),
    "reports.analysis_of": ("Анализ счёта {account}", "Account analysis {account}"),
    "reports.balance_sheet": ("Бухгалтерский баланс", "Balance sheet"),
    "reports.financial_results": ("Отчёт о финансовых результатах", "Income statement"),
    "reports.usn": ("Налог УСН", "Simplified tax (УСН)"),
    "reports.kudir": ("КУДиР", "Income and expense book (КУДиР)"),
    "reports.file.report": ("Отчёт", "Report"),
    "reports.file.tb": ("ОСВ", "TB"),
    "reports.file.tb_cp": ("ОСВ_контрагенты", "TB_counterparties"),
    "reports.file.card": ("Карточка", "Card"),
    "reports.file.analysis": ("Анализ", "Analysis"),
    "reports.file.balance_sheet": ("Баланс", "Balance_sheet"),
    "reports.file.financial_results": ("ОФР", "Income_statement"),
    "reports.file.usn": ("УСН", "USN_tax"),
    "reports.file.kudir": ("КУДиР", "KUDiR"),
    "reports.total": ("Итого", "Total"),
    "reports.counterparty": ("Контрагент", "Counterparty"),
    "reports.side_debit": ("Д", "Dr"),
    "reports.side_credit": ("К", "Cr"),
    "reports.side_debit_long": ("Дт", "debit"),
    "reports.side_credit_long": ("Кт", "credit"),
    "reports.tb.account": ("Счёт", "Account"),
    "reports.tb.name": ("Наименование", "Name"),
    "reports.tb.opening_debit": ("Нач. Дт", "Open Dr"),
    "reports.tb.opening_credit": ("Нач. Кт", "Open Cr"),
    "reports.tb.debit": ("Оборот Дт", "Turnover Dr"),
    "reports.tb.credit": ("Оборот Кт", "Turnover Cr"),
    "reports.tb.closing_debit": ("Кон. Дт", "Close Dr"),
    "reports.tb.closing_credit": ("Кон. Кт", "Close Cr"),
    "reports.tb.opening_debit_long": ("Сальдо на начало, Дт", "Opening balance, debit"),
    "reports.tb.opening_credit_long": ("Сальдо на начало, Кт", "Opening balance, credit"),
    "reports.tb.debit_long": ("Оборот, Дт", "Turnover, debit"),
    "reports.tb.credit_long": ("Оборот, Кт", "Turnover, credit"),
    "reports.tb.closing_debit_long": ("Сальдо на конец, Дт", "Closing balance, debit"),
    "reports.tb.closing_credit_long": ("Сальдо на конец, Кт", "Closing balance, credit"),
    "reports.tb.figures": ("нач. {opening} · оборот Дт {debit} Кт {credit} · кон. {closing}",
                           "opening {opening} · turnover Dr {debit} Cr {credit} · "
                           "closing {closing}"),
    "reports.tb.empty": ("За период нет ни остатков, ни оборотов",
                         "No balances and no turnover in the period"),
    "reports.card.date": ("Дата", "Date"),
    "reports.card.corr": ("Корр.", "Contra"),
    "reports.card.corr_long": ("Корр. счёт", "Contra account"),
    "reports.card.text": ("Содержание", "Details"),
    "reports.card.debit": ("Дебет", "Debit"),
    "reports.card.credit": ("Кредит", "Credit"),
    "reports.card.balance": ("Сальдо", "Balance"),
    "reports.card.side": ("Д/К", "Dr/Cr"),
    "reports.card.number": ("№ записи", "Entry №"),
    "reports.card.document": ("Документ", "Document"),
    "reports.card.description": ("Содержание", "Description"),
    "reports.card.opening": ("{account} · сальдо на {date}: {balance}",
                             "{account} · balance at {date}: {balance}"),
    "reports.card.closing": ("Обороты: Дт {debit}, Кт {credit} · сальдо на {date}: {balance}",
                             "Turnover: Dr {debit}, Cr {credit} · balance at {date}: "
                             "{balance}"),
    "reports.card.opening_row": ("Сальдо на начало", "Opening balance"),
    "reports.card.closing_row": ("Обороты и сальдо на конец", "Turnover and closing balance"),
    "reports.card.entry": ("Запись №{number} от {date}", "Entry №{number} of {date}"),
    "reports.card.empty": ("За период проводок нет", "No postings in the period"),
    "reports.analysis.corr": ("Корр.", "Contra"),
    "reports.analysis.corr_long": ("Корр. счёт", "Contra account"),
    "reports.analysis.debit": ("Оборот Дт", "Turnover Dr"),
    "reports.analysis.credit": ("Оборот Кт", "Turnover Cr"),
    "reports.analysis.debit_long": ("Оборот по дебету", "Debit turnover"),
    "reports.analysis.credit_long": ("Оборот по кредиту", "Credit turnover"),
    "reports.analysis.closing": ("Сальдо на {date}: {balance}", "Balance at {date}: {balance}"),
    "reports.analysis.hint": (
        "Оборот Дт — счёт в дебете, корр. счёт в кредите; ↵ — карточка счёта",
        "Turnover Dr: the account debited, the contra account credited; ↵ opens the card",
    ),
    "reports.analysis.opening_row": ("Сальдо на начало", "Opening balance"),
    "reports.analysis.closing_row": ("Сальдо на конец", "Closing balance"),
    "reports.stmt.at": ("На {date}", "At {date}"),
    "reports.stmt.code": ("Код", "Code"),
    "reports.stmt.line": ("Показатель", "Line"),
    "reports.stmt.empty": ("Отчёт пуст", "The report is empty"),
    "reports.stmt.units": ("Единица измерения: руб.", "Amounts in roubles"),
    "reports.usn.kudir_key": ("КУДиР", "Book"),
    "reports.usn.period": ("Период", "Period"),
    "reports.usn.income": ("Доходы", "Income"),
    "reports.usn.expense": ("Расходы", "Expenses"),
    "reports.usn.base": ("База", "Base"),
    "reports.usn.tax": ("Налог", "Tax"),
    "reports.usn.contributions": ("Взносы", "Contrib."),
    "reports.usn.reduction": ("Уменьш.", "Reduction"),
    "reports.usn.minimum_tax": ("Мин. налог", "Min. tax"),
    "reports.usn.due": ("К уплате", "Due"),
    "reports.usn.due_date": ("Срок", "Due date"),
    "reports.usn.income_long": ("Доходы нарастающим итогом", "Income, cumulative"),
    "reports.usn.expense_long": ("Расходы нарастающим итогом", "Expenses, cumulative"),
    "reports.usn.base_long": ("Налоговая база", "Tax base"),
    "reports.usn.tax_long": ("Налог исчисленный", "Tax computed"),
    "reports.usn.contributions_long": ("Страховые взносы уплаченные", "Contributions paid"),
    "reports.usn.reduction_long": ("Уменьшение налога на взносы",
                                   "Tax reduced by contributions"),
    "reports.usn.minimum_tax_long": ("Минимальный налог", "Minimum tax"),
    "reports.usn.due_long": ("К уплате", "Due"),
    "reports.usn.p.Q1": ("1 квартал", "Q1"),
    "reports.usn.p.H1": ("Полугодие", "Half-year"),
    "reports.usn.p.9M": ("9 месяцев", "9 months"),
    "reports.usn.p.Y": ("Год", "Year"),
    "reports.usn.detail": ("{period}: доходы {income}, база {base}, ставка {rate} %, "
                           "налог {tax}",
                           "{period}: income {income}, base {base}, rate {rate} %, tax {tax}"),
    "reports.usn.contributions_line": ("взносы {paid}, учтено {applied}",
                                       "contributions {paid}, applied {applied}"),
    "reports.usn.minimum_line": ("минимальный налог {amount}", "minimum tax {amount}"),
    "reports.usn.due_line": ("К уплате за {period}: {amount} до {date}",
                             "Due for {period}: {amount} by {date}"),
    "reports.usn.nothing": ("Налога к уплате нет", "No tax due"),
    "reports.usn.document": ("Документ", "Document"),
    "reports.usn.kudir_hint": ("Книга учёта доходов и расходов; k — назад к налогу",
                               "The income and expense book; k returns to the tax"),
    "reports.usn.kudir_empty": ("Записей в книге нет", "The book has no records"),
    "reports.usn.regime.usn_income": ("УСН «доходы», ставка {rate} %",
                                      "USN on income, rate {rate} %"),
    "reports.usn.regime.usn_income_expense": ("УСН «доходы минус расходы», ставка {rate} %",
                                              "USN on income less expenses, rate {rate} %"),
    "reports.custom_title": ("Период: свои даты", "Period: custom dates"),
    "reports.date_from": ("С", "From"),
    "reports.date_to": ("По", "To"),
    "reports.show": ("Показать", "Show"),
    "reports.export_title": ("Сохранить отчёт в файл (.xlsx или .csv)",
                             "Save the report to a file (.xlsx or .csv)"),
    "reports.export_hint": ("Имя на .csv — файл CSV для Excel (разделитель «;»), иначе XLSX",
                            "A name ending in .csv writes CSV for Excel (separated by «;»), "
                            "otherwise XLSX"),
    "reports.save": ("Сохранить", "Save"),
    "reports.exported": ("Отчёт сохранён: {path}", "Report saved: {path}"),
    "reports.export_failed": ("Не удалось записать {path}: {error}",
                              "Could not write {path}: {error}"),
    "reports.nothing_to_export": ("Отчёт ещё не загружен", "The report has not loaded yet"),
    "reports.account": ("Счёт", "Account"),
    "reports.account_placeholder": ("код или название: 62, касса", "code or name: 62, cash"),
    # --- export (keys: export.*) ---
    "export.header.title": ("Бухта: журнал проводок для {tool}",
                            "Buhta: the journal of entries for {tool}"),
    "export.header.org": ("Организация: {name}, ИНН {inn}", "Organisation: {name}, ИНН {inn}"),
    "export.header.generated": ("Сформирован: {at}", "Generated: {at}"),
    "export.header.signs": (
        "Суммы в рублях: дебет со знаком плюс, кредит со знаком минус, сторно — обратным знаком",
        "Amounts in roubles: debit plus, credit minus, a reversal (сторно) with the sign turned",
    ),
    "export.header.tags": (
        "Метки: doc — первичный документ, reverses — номер сторнируемой записи, "
        "cp — контрагент (ИНН)",
        "Tags: doc is the primary document, reverses the number of the entry reversed, "
        "cp the counterparty (ИНН)",
    ),
    "error.export.format": ("Формат выгрузки «{format}» не поддерживается: ledger или hledger",
                            "No export format «{format}»: ledger or hledger"),
    "export.cli.help": ("Выгрузить журнал проводок для ledger-cli или hledger",
                        "Export the journal of entries for ledger-cli or hledger"),
    "export.no_device": (
        "Войдите в приложении с отметкой «Запомнить меня», затем повторите",
        "Sign in in the app with «Remember me» ticked, then try again",
    ),
    "export.session_ended": (
        "Запомненный вход больше не действует. Войдите в приложении с отметкой "
        "«Запомнить меня», затем повторите",
        "The remembered sign-in is no longer valid. Sign in in the app with «Remember me» "
        "ticked, then try again",
    ),
    "export.no_orgs": ("Организаций нет: создайте её в приложении",
                       "No organisations: create one in the app"),
    "export.ambiguous_org": (
        "Организаций несколько, укажите нужную: --org ИНН или часть названия. Ваши: {orgs}",
        "You have several organisations, name one: --org ИНН or a part of its name. "
        "Yours: {orgs}",
    ),
    "export.org_not_found": (
        "Организация «{org}» не найдена. Ваши: {orgs}",
        "No organisation «{org}». Yours: {orgs}",
    ),
    "export.org_many_match": (
        "Под «{org}» подходят несколько организаций: {orgs}. Укажите ИНН",
        "Several organisations match «{org}»: {orgs}. Give the ИНН",
    ),
    "export.written": ("Журнал «{org}» записан в {path}: записей {entries}",
                       "The journal of «{org}» is written to {path}: {entries} entries"),
    "export.failed": ("Не удалось выгрузить журнал: {error}",
                      "Could not export the journal: {error}"),
    "export.write_failed": ("Не удалось записать {path}: {error}",
                            "Could not write {path}: {error}"),
    # --- bank exchange format and payment orders (keys: pay.*, error.pay.*, error.bank_file.*) ---
    # --- statement import (keys: bank.*, error.bank.*) ---
    # --- payroll rules (keys: payroll_rules.*) ---
    # --- employees and payroll server (keys: payroll.*, error.payroll.*, error.employee.*) ---
    # --- payroll screens (keys: pscreen.*) ---
    # --- document screens (keys: docs.*) ---
    "docs.title": ("Документы", "Documents"),
    "docs.short.invoice": ("Счёт", "Invoice"),
    "docs.short.act": ("Акт", "Act"),
    "docs.short.sale_goods": ("Реализация", "Sale"),
    "docs.short.purchase_goods": ("Пост. товаров", "Goods in"),
    "docs.short.purchase_services": ("Пост. услуг", "Services in"),
    "docs.short.bank_in": ("Банк +", "Bank in"),
    "docs.short.bank_out": ("Банк −", "Bank out"),
    "docs.short.cash_in": ("ПКО", "Cash in"),
    "docs.short.cash_out": ("РКО", "Cash out"),
    "docs.type.invoice": ("Счёт на оплату", "Invoice"),
    "docs.type.act": ("Акт оказанных услуг", "Act of services rendered"),
    "docs.type.sale_goods": ("Реализация товаров (накладная, УПД)", "Sale of goods (waybill)"),
    "docs.type.purchase_goods": ("Поступление товаров", "Goods received"),
    "docs.type.purchase_services": ("Поступление услуг", "Services received"),
    "docs.type.bank_in": ("Поступление на расчётный счёт", "Money into the bank account"),
    "docs.type.bank_out": ("Списание с расчётного счёта", "Money out of the bank account"),
    "docs.type.cash_in": ("Приходный кассовый ордер", "Cash receipt order"),
    "docs.type.cash_out": ("Расходный кассовый ордер", "Cash payment order"),
    "docs.state.draft": ("черновик", "draft"),
    "docs.state.posted": ("проведён", "posted"),
    "docs.state.issued": ("выставлен", "issued"),
    "docs.state.cancelled": ("отменён", "cancelled"),
    "docs.find": ("Поиск", "Search"),
    "docs.new": ("Новый", "New"),
    "docs.open": ("Открыть", "Open"),
    "docs.post": ("Провести", "Post"),
    "docs.cancel": ("Отменить", "Cancel it"),
    "docs.pdf": ("PDF", "Save PDF"),
    "docs.filter": ("Тип", "Type"),
    "docs.search": (
        "Поиск: контрагент, его ИНН или номер документа",
        "Search: counterparty, its ИНН or the document's number",
    ),
    "docs.date": ("Дата", "Date"),
    "docs.type": ("Вид", "Kind"),
    "docs.counterparty": ("Контрагент", "Counterparty"),
    "docs.amount": ("Сумма", "Amount"),
    "docs.state": ("Статус", "State"),
    "docs.all_types": ("все", "all"),
    "docs.period_line": (
        "Документы · {month} · вид: {type}    [ ] месяц  f вид",
        "Documents · {month} · kind: {type}    [ ] month  f kind",
    ),
    "docs.empty": (
        "Документов за этот месяц нет. n — новый документ.",
        "No documents this month. n makes a new one.",
    ),
    "docs.posted": ("Проведён: {title} на {amount}", "Posted: {title}, {amount}"),
    "docs.cancelled": ("Отменён: {title}", "Cancelled: {title}"),
    "docs.pdf_only": (
        "PDF печатается только для счёта и акта",
        "Only an invoice or an act is printed to PDF",
    ),
    "docs.pdf_saved": ("PDF сохранён: {path}", "PDF saved: {path}"),
    "docs.export_failed": (
        "Не удалось записать {path}: {error}",
        "Could not write {path}: {error}",
    ),
    "docs.choose": ("Выбрать вид", "Choose the kind"),
    "docs.choose_title": ("Новый документ: какой?", "New document: which kind?"),
    "docs.choose_hint": (
        "↑↓ и Enter или цифра; Esc — назад",
        "↑↓ and Enter, or the digit; Esc goes back",
    ),
    "docs.cancel_title": ("Отменить {title} на {amount}?", "Cancel {title}, {amount}?"),
    "docs.cancel_hint": (
        "Проводки документа будут сторнированы; документ останется отменённым.",
        "The document's postings are reversed; it stays, marked cancelled.",
    ),
    "docs.reason": ("Причина", "Reason"),
    "docs.reason_required": ("Укажите причину отмены", "Say why it is cancelled"),
    "docs.new_title": ("{type} — новый", "{type}: new"),
    "docs.auto": ("авто", "auto"),
    "docs.cp_hint": ("название или ИНН", "name or ИНН"),
    "docs.cp_hint_optional": ("название или ИНН (можно пусто)", "name or ИНН (may be empty)"),
    "docs.cp_hint_long": (
        "Начните вводить название или ИНН; ↑↓ и Enter — выбрать",
        "Start typing the name or ИНН; ↑↓ and Enter choose",
    ),
    "docs.cp_none_found": (
        "Таких контрагентов нет (k в главном окне — справочник)",
        "No such counterparty (k in the main window opens the list)",
    ),
    "docs.inn": ("ИНН", "ИНН (tax number)"),
    "docs.cp_required": ("выберите контрагента", "choose the counterparty"),
    "docs.contract": ("Договор", "Contract"),
    "docs.basis": ("Основание", "Basis"),
    "docs.purpose": ("Назначение", "Purpose"),
    "docs.account": ("Корр. счёт", "Offset account"),
    "docs.expense_account": ("Счёт затрат", "Expense account"),
    "docs.vat_included": ("Цены включают НДС", "Prices include VAT"),
    "docs.line_name": ("Наименование", "Item"),
    "docs.qty": ("Кол-во", "Qty"),
    "docs.unit": ("Ед.", "Unit"),
    "docs.price": ("Цена", "Price"),
    "docs.vat": ("НДС", "VAT"),
    "docs.vat_none": ("без", "none"),
    "docs.vat_cycle": ("Ставка НДС", "VAT rate"),
    "docs.vat_cycle_hint": (
        "без, 0, 5, 7, 10, 20, 22; пробел — следующая",
        "none, 0, 5, 7, 10, 20, 22; space for the next",
    ),
    "docs.next_match": ("Следующий", "Next match"),
    "docs.prev_match": ("Предыдущий", "Previous match"),
    "docs.bad_vat": (
        "Ставка НДС: без, 0, 5, 7, 10, 20 или 22",
        "VAT rate: none, 0, 5, 7, 10, 20 or 22",
    ),
    "docs.bad_number": (
        "Номер — целое число от 1 до 999999 (пусто — следующий по порядку)",
        "The number is a whole number 1 to 999999 (empty: the next one)",
    ),
    "docs.name_required": ("впишите наименование в строке", "type the item's name"),
    "docs.lines_required": ("добавьте хотя бы одну строку", "add at least one line"),
    "docs.total": ("Итого", "Total"),
    "docs.vat_in": ("в т.ч. НДС", "incl. VAT"),
    "docs.vat_on_top": ("НДС сверху", "VAT on top"),
    "docs.no_vat": ("без НДС", "no VAT"),
    "docs.to_post": ("Чтобы провести: {why}", "To post it: {why}"),
    "docs.post_key": ("Провести", "Post"),
    "docs.draft": ("Черновик", "Save draft"),
    "docs.add_line": ("+ строка", "+ line"),
    "docs.remove_line": ("− строка", "− line"),
    "docs.saved_draft": (
        "Черновик сохранён: {title} на {amount}", "Draft saved: {title}, {amount}",
    ),
    "docs.saved_posted": ("Проведён: {title} на {amount}", "Posted: {title}, {amount}"),
}


def detect_locale(env: Mapping[str, str] | None = None) -> str:
    """Return ``"en"`` or ``"ru"`` from BUHTA_LANG, then the POSIX locale variables."""
    env = os.environ if env is None else env
    for var in ("BUHTA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(var) or "").strip().lower()
        if not value or value in ("c", "posix", "c.utf-8"):
            continue
        return "en" if value.startswith("en") else "ru"
    return "ru"


_current = detect_locale()


def set_locale(locale: str) -> None:
    """Switch the catalogue language for this process (``ru`` or ``en``)."""
    global _current
    _current = "en" if locale.lower().startswith("en") else "ru"


def get_locale() -> str:
    return _current


def t(key: str, /, *, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` and fill ``{params}``; an unknown key is returned as is."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry[1] if (lang or _current) == "en" else entry[0]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def pick_language(accept_language: str | None) -> str:
    """Choose ``ru`` or ``en`` from an Accept-Language header (Russian by default)."""
    if not accept_language:
        return "ru"
    best, best_q = "ru", Decimal(-1)
    for part in accept_language.split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = Decimal(1)
        for p in pieces[1:]:
            p = p.strip()
            if p.startswith("q="):
                try:
                    q = Decimal(p[2:])
                except InvalidOperation:
                    q = Decimal(0)
        lang = "en" if tag.startswith("en") else "ru" if tag.startswith("ru") else None
        # q=0 means "not acceptable" (RFC 9110), never a choice.
        if lang and q > 0 and q > best_q:
            best, best_q = lang, q
    return best
