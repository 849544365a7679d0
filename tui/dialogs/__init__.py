"""Provides the shared dialogs: confirm (yes/no), reason (why, and on which day), the entry
view and the export dialog."""
