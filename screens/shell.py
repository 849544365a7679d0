"""Provides the names the app opens the shell's modes by that live elsewhere: «Поддержка»
is screens.support.centre.SupportScreen («Задачи» is screens.tasks.list.TasksScreen).
«Сводка» is screens.dashboard.view.DashboardScreen (named here too for the tests that
look for it where it was).
"""

from __future__ import annotations

from screens.dashboard.view import DashboardScreen as DashboardScreen
from screens.support.centre import SupportScreen as SupportScreen
