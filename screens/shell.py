"""Provides the placeholder modes of the shell: Dashboard, Tasks, Support.

Each says what will be there; the shell's keys work as everywhere (tui.shell).
"""

from __future__ import annotations

from tui.shell import ShellScreen


class DashboardScreen(ShellScreen):
    MODE = "dashboard"


class TasksScreen(ShellScreen):
    MODE = "tasks"


class SupportScreen(ShellScreen):
    MODE = "support"
