"""Provides the signed-in user's own screens: the devices and the mailbox of codes."""
