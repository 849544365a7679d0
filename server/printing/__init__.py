"""Provides the printable forms of primary documents (PDF), rendered from the wire models."""
