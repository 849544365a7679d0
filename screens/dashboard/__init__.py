"""The «Сводка» mode: one organisation's state at a glance, and one line per organisation.

The app opens these screens by module path (tui.app MODE_SCREENS); nothing is re-exported.
"""
