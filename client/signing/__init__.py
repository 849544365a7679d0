"""Provides electronic signing on the user's own device: certificates with their private
keys (PKCS#12) kept in the data folder and never uploaded, detached CMS signatures, the
CryptoPro hand-off for qualified signatures, and the signing agent's protocol.

What is and is not qualified: only a signature made by a certified tool (CryptoPro CSP,
``cryptcp``) with a qualified certificate is a qualified electronic signature (КЭП,
63-ФЗ ст. 5 ч. 4). A signature made here from a PKCS#12 file by ``cryptography`` is an
unqualified one — «усиленная неквалифицированная» at most, and valid between parties
that agreed to it.
"""

from client.signing.errors import SigningError

__all__ = ["SigningError"]
