"""Provides electronic signatures of documents: canonical bytes, CMS verification (RSA,
ECDSA through pyhanko-certvalidator; GOST R 34.10-2012 through gostcrypto), the record
of who signed which version, and the export for sending."""

from server.services.signatures.service import Signatures

__all__ = ["Signatures"]
