"""Provides the placeholder mode of the shell: Support («Задачи» is
screens.tasks.list.TasksScreen).

Each says what will be there; the shell's keys work as everywhere (tui.shell).
«Сводка» is screens.dashboard.view.DashboardScreen (named here too for the tests that
look for it where it was).
"""

from __future__ import annotations

from screens.dashboard.view import DashboardScreen as DashboardScreen
from tui.shell import ShellScreen


class SupportScreen(ShellScreen):
    MODE = "support"
