"""client/identifiers.py: ИНН, КПП, ОГРН(ИП), БИК, accounts and СНИЛС, as in the reference §8.

Every example of the reference is here; one worked checksum is shown by hand per identifier.
"""

from __future__ import annotations

import pytest

from core.identifiers import (
    check_account,
    check_bik,
    check_corr_account,
    check_inn,
    check_kpp,
    check_ogrn,
    check_ogrnip,
    check_snils,
    format_snils,
)
from core.validation import InvalidInput


def refused(check, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check(*args, **kwargs)
    return caught.value


# --- ИНН -------------------------------------------------------------------------------------


# 7707083893, weights 2,4,10,3,5,9,4,6,8 over the first nine digits:
#   7·2 + 7·4 + 0·10 + 7·3 + 0·5 + 8·9 + 3·4 + 8·6 + 9·8
#   = 14 + 28 + 0 + 21 + 0 + 72 + 12 + 48 + 72 = 267;
#   267 mod 11 = 3 (11·24 = 264); 3 mod 10 = 3 = digit 10 → valid, so 7707083894 is not.
# 7719617469: 14 + 28 + 10 + 27 + 30 + 9 + 28 + 24 + 48 = 218; 218 mod 11 = 9 → 9 ✓.
@pytest.mark.parametrize("inn", ["7707083893", "7719617469"])
def test_valid_organisation_inn(inn):
    assert check_inn(inn) == inn
    assert check_inn(inn, kind="org") == inn


# 500100732259:
#   c11 = 5·7 + 0·2 + 0·4 + 1·10 + 0·3 + 0·5 + 7·9 + 3·4 + 2·6 + 2·8
#       = 35 + 10 + 63 + 12 + 12 + 16 = 148; 148 mod 11 = 5 (11·13 = 143); mod 10 = 5 = d11 ✓
#   c12 = 5·3 + 0·7 + 0·2 + 1·4 + 0·10 + 0·3 + 7·5 + 3·9 + 2·4 + 2·6 + 5·8
#       = 15 + 4 + 35 + 27 + 8 + 12 + 40 = 141; 141 mod 11 = 9 (11·12 = 132); mod 10 = 9 = d12 ✓
# 123456789047: c11 = 257 mod 11 = 4 ✓; c12 = 282 mod 11 = 7 ✓.
@pytest.mark.parametrize("inn", ["500100732259", "123456789047"])
def test_valid_person_inn(inn):
    assert check_inn(inn) == inn
    assert check_inn(inn, kind="person") == inn


def test_inn_spaces_are_dropped():
    assert check_inn(" 7707 083 893 ") == "7707083893"
    assert check_inn("5001\u00a0007\u00a032259") == "500100732259"


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # Σ mod 11 mod 10 = 3, not 4
        "500100732258",  # d12: c12 = 9, not 8
        "500100732269",  # d11: c11 = 5, not 6 (c12 becomes 149 mod 11 = 6, too)
        "123456789048",
    ],
)
def test_inn_with_a_wrong_check_digit(inn):
    assert refused(check_inn, inn).key == "validation.inn_checksum"


@pytest.mark.parametrize(
    ("inn", "kind", "expected"),
    [
        ("770708389", None, "10 или 12"),
        ("77070838933", None, "10 или 12"),
        ("770708389A", None, "10 или 12"),
        ("７７０７０８３８９３", None, "10 или 12"),  # full-width digits are not digits here
        ("", None, "10 или 12"),
        ("500100732259", "org", 10),
        ("7707083893", "person", 12),
    ],
)
def test_inn_with_a_wrong_length(inn, kind, expected):
    error = refused(check_inn, inn, kind=kind)
    assert error.key == "validation.inn_digits"
    assert error.params == {"expected": expected}


# --- КПП -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kpp"),
    [("771901001", "771901001"), ("7719AB001", "7719AB001"), (" 7719ab 001", "7719AB001")],
)
def test_valid_kpp(typed, kpp):
    assert check_kpp(typed) == kpp


@pytest.mark.parametrize(
    "kpp", ["77190100", "7719ab00X", "7719010010", "77AB01001", "7719АВ001", ""]
)
def test_invalid_kpp(kpp):
    # "7719АВ001" has Cyrillic А and В: only Latin capitals are allowed.
    assert refused(check_kpp, kpp).key == "validation.kpp"


# --- ОГРН and ОГРНИП -------------------------------------------------------------------------


# 1027700132195: 102770013219 mod 11 = 102770013219 − 11·9342728474 = 5; 5 mod 10 = 5 = digit 13.
# 1022200525819: 102220052581 mod 11 = 9 → 9 ✓.
@pytest.mark.parametrize("ogrn", ["1027700132195", "1022200525819"])
def test_valid_ogrn(ogrn):
    assert check_ogrn(ogrn) == ogrn


def test_ogrn_with_a_wrong_check_digit():
    assert refused(check_ogrn, "1027700132196").key == "validation.ogrn_checksum"


@pytest.mark.parametrize("ogrn", ["102770013219", "10277001321955", "3027700132195", "abc"])
def test_ogrn_with_a_wrong_shape(ogrn):
    assert refused(check_ogrn, ogrn).key == "validation.ogrn_digits"


# 304500116000157: 30450011600015 = 13·2342308584616 + 7; 7 mod 10 = 7 = digit 15.
# 385768585948949: 38576858594894 mod 13 = 9 → 9 ✓.
# 304500116000191: 30450011600019 = 13·2342308584616 + 11; 11 mod 10 = 1 = digit 15
#   (mapping only 10 → 0 would demand 11 here and reject this valid number).
@pytest.mark.parametrize("ogrnip", ["304500116000157", "385768585948949", "304500116000191"])
def test_valid_ogrnip(ogrnip):
    assert check_ogrnip(ogrnip) == ogrnip


@pytest.mark.parametrize("ogrnip", ["304500116000158", "304500116000190"])
def test_ogrnip_with_a_wrong_check_digit(ogrnip):
    assert refused(check_ogrnip, ogrnip).key == "validation.ogrnip_checksum"


@pytest.mark.parametrize("ogrnip", ["30450011600015", "1027700132195", "104500116000157"])
def test_ogrnip_with_a_wrong_shape(ogrnip):
    assert refused(check_ogrnip, ogrnip).key == "validation.ogrnip_digits"


# --- БИК -------------------------------------------------------------------------------------


def test_valid_bik():
    assert check_bik(" 044525225 ") == "044525225"


@pytest.mark.parametrize("bik", ["04452522", "0445252250", "144525225", "04452522X", ""])
def test_invalid_bik(bik):
    assert refused(check_bik, bik).key == "validation.bik"


# --- Settlement account ----------------------------------------------------------------------


# 40702810300180001774 / БИК 044525311: key = "311" + account (23 digits), weights 7,1,3,…,7,1:
#   3·7 1·1 1·3 | 4·7 0·1 7·3 0·7 2·1 8·3 1·7 0·1 3·3 0·7 0·1 1·3 8·7 0·1 0·3 0·7 1·1 7·3 7·7 4·1
#   = 21+1+3 + 28+0+21+0+2+24+7+0+9+0+0+3+56+0+0+0+1+21+49+4 = 250; 250 mod 10 = 0 → valid.
# 40817810099910004312 / 044525225: the same sum with key digit 0 is 256 (mod 10 = 6), so the
#   digit 9 (weight 3) must be 8: 256 + 8·3 = 280 → 40817810899910004312 is the valid one.
@pytest.mark.parametrize(
    ("account", "bik"),
    [
        ("40702810300180001774", "044525311"),
        ("40702810123111111114", "044525352"),  # Σ = 170
        ("40702810267020000630", "047102651"),  # Σ = 240
        ("40817810899910004312", "044525225"),  # Σ = 280
        # ЦБ letter of 08.09.1997 No. 515, example 3: prefix "746", Σ = 190.
        ("40602810700000000025", "049805746"),
        ("4070 2810 3001 8000 1774", "044525311"),
    ],
)
def test_valid_settlement_account(account, bik):
    assert check_account(account, bik) == account.replace(" ", "")


def test_account_at_a_bank_of_russia_division_uses_the_rkc_prefix():
    # БИК 044525000 (digits 7–9 = 000, an РКЦ/ЦБ division): prefix "0" + "25" = "025", Σ = 190;
    # with the ordinary prefix "000" the sum would end in 3.
    assert check_account("40101810045250010041", "044525000") == "40101810045250010041"
    # БИК 045004001 (001, a ГРКЦ): prefix "004", Σ = 110; with "001" it would end in 1.
    assert check_account("40101810900000010001", "045004001") == "40101810900000010001"


@pytest.mark.parametrize(
    ("account", "bik"),
    [
        ("40817810099910004312", "044525225"),  # the often-quoted one: Σ = 256
        ("40702810300180001775", "044525311"),
        ("40702810300180001774", "044525225"),  # right account, another bank
    ],
)
def test_settlement_account_with_a_wrong_key(account, bik):
    assert refused(check_account, account, bik).key == "validation.account_checksum"


@pytest.mark.parametrize(
    "account", ["4070281030018000177", "407028103001800017745", "4070281030018000177X"]
)
def test_settlement_account_with_a_wrong_length(account):
    assert refused(check_account, account, "044525311").key == "validation.account_digits"


def test_account_with_a_malformed_bik():
    assert refused(check_account, "40702810300180001774", "04452531").key == "validation.bik"


# --- Correspondent account -------------------------------------------------------------------


# 30101810400000000225 / БИК 044525225: prefix "0" + БИК[4:6] = "0" + "25" = "025":
#   0·7 2·1 5·3 | 3·7 0·1 1·3 0·7 1·1 8·3 1·7 0·1 4·3 (zeros…) 2·3 2·7 5·1
#   = 0+2+15 + 21+0+3+0+1+24+7+0+12 + 6+14+5 = 110; 110 mod 10 = 0 → valid.
@pytest.mark.parametrize(
    ("account", "bik"),
    [
        ("30101810400000000225", "044525225"),
        # ЦБ letter No. 515, example 1: prefix "005", Σ = 150.
        ("30101810800000000746", "049805746"),
    ],
)
def test_valid_corr_account(account, bik):
    assert check_corr_account(account, bik) == account


@pytest.mark.parametrize(
    "account",
    [
        "30101810400000000226",  # last digit changed: Σ = 111; also no longer ends with 225
        "30101810500000000225",  # key digit changed: Σ = 113
        "30101810400000000325",  # ends with 325, not the БИК's 225
    ],
)
def test_corr_account_with_a_wrong_key_or_ending(account):
    assert refused(check_corr_account, account, "044525225").key == (
        "validation.corr_account_checksum"
    )


@pytest.mark.parametrize(
    "account", ["3010181040000000022", "40702810400000000225", "3010181040000000022X"]
)
def test_corr_account_with_a_wrong_shape(account):
    assert refused(check_corr_account, account, "044525225").key == (
        "validation.corr_account_digits"
    )


# --- СНИЛС -----------------------------------------------------------------------------------


# 112-233-445 95: S = 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1
#   = 9 + 8 + 14 + 12 + 15 + 12 + 12 + 8 + 5 = 95; S < 100, so the check is 95 ✓ (96 is not).
# 087-654-303 00: S = 0 + 64 + 49 + 36 + 25 + 16 + 9 + 0 + 3 = 202; 202 mod 101 = 0 → 00 ✓.
@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("112-233-445 95", "11223344595"),
        ("11223344595", "11223344595"),
        ("087-654-303 00", "08765430300"),
        (" 087 654 303 00 ", "08765430300"),
        ("112\u2013233\u2013445 95", "11223344595"),  # en dashes from a word processor
    ],
)
def test_valid_snils(typed, digits):
    assert check_snils(typed) == digits


def test_snils_up_to_001_001_998_is_not_checked():
    # 001-001-998: S = 0+0+7+0+0+4+27+18+8 = 64, so the check would be 64, yet 00 is accepted.
    assert check_snils("001-001-998 00") == "00100199800"
    # One more (S = 65) and the check applies.
    assert refused(check_snils, "001-001-999 00").key == "validation.snils_checksum"


def test_snils_with_a_wrong_check_number():
    assert refused(check_snils, "112-233-445 96").key == "validation.snils_checksum"


@pytest.mark.parametrize("typed", ["112-233-445 9", "112-233-445 955", "112-233-44A 95", ""])
def test_snils_with_a_wrong_length(typed):
    assert refused(check_snils, typed).key == "validation.snils_digits"


def test_format_snils():
    assert format_snils("11223344595") == "112-233-445 95"
    assert format_snils(check_snils("08765430300")) == "087-654-303 00"


# --- Treasury requisites (ЕНП) ----------------------------------------------------------------


# Казначейство России (ФНС России): БИК 017003983 (ОПЕРУ-1 Банка России//Межрегиональное ОУ ФК),
# treasury account 03100643000000018500, ЕКС 40102810445370000059, ИНН 7727406020,
# КПП 770801001.
def test_treasury_bik_is_accepted():
    assert check_bik("017003983") == "017003983"
    assert check_bik("004525988") == "004525988"  # УФК по г. Москве


@pytest.mark.parametrize("bik", ["034525225", "054525225", "914525225"])
def test_bik_with_another_prefix_is_still_refused(bik):
    assert refused(check_bik, bik).key == "validation.bik"


def test_treasury_account_is_accepted_without_the_key():
    # "983" + account: Σ = 165, "003" + account: Σ = 94 — no prefix gives a multiple of 10,
    # so the control key is not applied to a 03… account at a ТОФК.
    assert check_account("03100643000000018500", "017003983") == "03100643000000018500"


def test_treasury_account_with_a_wrong_length_is_refused():
    assert refused(check_account, "0310064300000001850", "017003983").key == (
        "validation.account_digits"
    )


def test_ordinary_account_at_a_bank_is_still_key_checked():
    # The same 03… number at a bank's БИК goes through the key: "225" + account is not 0 mod 10.
    assert refused(check_account, "03100643000000018500", "044525225").key == (
        "validation.account_checksum"
    )


# ЕКС 40102810445370000059 / БИК 017003983: prefix "0" + БИК[4:6] = "003"; products with the
# weights 7,1,3,…,7,1 over "003" + account:
#   0 0 9 | 28 0 3 0 2 24 7 0 12 28 5 9 49 0 0 0 0 0 35 9 → Σ = 220; 220 mod 10 = 0 → valid.
# The ending 059 is not the БИК's 983: a ЕКС is not tied to the БИК like a 301… к/с.
def test_single_treasury_account_is_accepted_as_the_corr_account():
    assert check_corr_account("40102810445370000059", "017003983") == "40102810445370000059"


@pytest.mark.parametrize(
    ("account", "key"),
    [
        ("40102810445370000058", "validation.corr_account_checksum"),  # Σ = 219
        ("30101810445370000059", "validation.corr_account_digits"),
    ],
)
def test_treasury_corr_account_refusals(account, key):
    assert refused(check_corr_account, account, "017003983").key == key


def test_treasury_inn_and_kpp():
    # 7727406020: 7·2+7·4+2·10+7·3+4·5+0·9+6·4+0·6+2·8 = 143; 143 mod 11 = 0 → digit 10 is 0.
    assert check_inn("7727406020", "org") == "7727406020"
    assert check_kpp("770801001") == "770801001"
