"""Provides the signing screens: the certificates on this device (import a PKCS#12 or
point at one, remove, the expiry warning) and the signing of a document (its summary and
hash, the capacity, a certificate, the agent or CryptoPro, its signatures and status, the
export zip and the check of a received pair).

What is and is not qualified is said on both screens: only the CryptoPro hand-off with a
qualified certificate makes a qualified signature; the built-in PKCS#12 signing (and the
signing agent holding a PKCS#12) makes an unqualified one.
"""
