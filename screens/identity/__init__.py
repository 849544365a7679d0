"""Provides the identity screens: sign in (login), register, recover a password (recover),
confirm an e-mail (confirm), one module each.

Nothing is imported here: the login screen is the first frame, and start-up loads only it.
"""
