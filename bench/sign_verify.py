"""Sign + verify time for a 1-page PDF: a detached CMS made on the device and verified as
the server does it (chain to the root, revocation by the CRL, revocation_mode=require).

Baseline, measured in the same run: a plain SHA-256 of the same bytes. Prints, per key
kind, ``sign_ms``, ``verify_ms`` (medians of --runs) and their ratios to the baseline.

    python bench/sign_verify.py [--runs 20]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fpdf import FPDF

from client.signing.cms import sign_detached
from server.services.signatures.trust import TrustSet, load_certificates, load_crls
from server.services.signatures.verify import verify_detached
from tests.signing_pki import NOW, pki


def one_page_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for i in range(45):
        pdf.cell(0, 5, f"Line {i + 1}: services rendered under contract No. 15, 1 234.50 RUB",
                 new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    data = one_page_pdf()
    p = pki()
    trust = TrustSet(roots=load_certificates(p.root.der),
                     intermediates=load_certificates(p.intermediate.der),
                     crls=load_crls(p.crl) + load_crls(p.root_crl))
    base = median_ms(lambda: hashlib.sha256(data).digest(), args.runs)
    print(f"pdf_bytes={len(data)} baseline_sha256_ms={base:.4f}")
    for name in ("good", "rsa"):
        user = getattr(p, name)
        sig = sign_detached(data, user.key, user.cert)
        verify_detached(data, sig, trust, NOW)  # warm the imports
        sign = median_ms(lambda u=user: sign_detached(data, u.key, u.cert), args.runs)
        verify = median_ms(lambda s=sig: verify_detached(data, s, trust, NOW), args.runs)
        kind = "ecdsa_p256" if name == "good" else "rsa_2048"
        print(f"{kind}: sign_ms={sign:.2f} verify_ms={verify:.2f} "
              f"sign_ratio={sign / base:.0f} verify_ratio={verify / base:.0f}")


if __name__ == "__main__":
    main()
