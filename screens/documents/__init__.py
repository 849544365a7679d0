"""Provides the primary documents: the list, the card, the form and its item lines."""
