"""SSRF: a webhook never reaches a loopback, link-local, private, CGNAT, multicast or
reserved address (IPv4, IPv6, IPv4-mapped), not through a DNS name resolving to one,
and the check is made on the address connected to, when sending."""

from __future__ import annotations

import ipaddress

import pytest

from server.services.notifications import ssrf

FORBIDDEN = [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link_local"), ("fe80::1", "link_local"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("100.64.0.1", "cgnat"), ("100.127.255.254", "cgnat"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("0.0.0.0", "reserved"), ("::", "reserved"),
    ("192.0.2.10", "private"),  # TEST-NET-1 (documentation)
    # IPv4-mapped, 6to4 and Teredo IPv6: judged by the IPv4 address inside.
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link_local"), ("::ffff:100.64.0.1", "cgnat"),
    ("2002:0a00:0001::1", "private"),
]


@pytest.mark.parametrize(("address", "reason"), FORBIDDEN)
def test_every_forbidden_class_is_refused(address, reason):
    assert ssrf.classify(ipaddress.ip_address(address)) == reason
    url = f"https://[{address}]/hook" if ":" in address else f"https://{address}/hook"
    with pytest.raises(ssrf.Refused) as refused:
        ssrf.check(url)
    assert refused.value.reason == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_a_public_address_is_allowed(address):
    assert ssrf.classify(ipaddress.ip_address(address)) is None


def test_the_test_setting_allows_loopback_only():
    allow = {"allow_loopback": True}
    assert ssrf.classify(ipaddress.ip_address("127.0.0.1"), **allow) is None
    assert ssrf.classify(ipaddress.ip_address("::ffff:127.0.0.1"), **allow) is None
    for address in ("10.0.0.1", "169.254.169.254", "100.64.0.1", "::ffff:192.168.0.1"):
        assert ssrf.classify(ipaddress.ip_address(address), **allow) is not None


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ["10.1.2.3"])
    with pytest.raises(ssrf.Refused) as refused:
        ssrf.check("https://hooks.example.ru/in")
    assert (refused.value.reason, refused.value.address) == ("private", "10.1.2.3")


def test_one_forbidden_address_among_several_refuses(monkeypatch):
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ["93.184.216.34", "127.0.0.1"])
    with pytest.raises(ssrf.Refused) as refused:
        ssrf.check("https://hooks.example.ru/in")
    assert refused.value.reason == "loopback"


def test_the_checked_address_is_the_one_connected_to(monkeypatch):
    seen: list[tuple[str, int]] = []

    def resolver(host, port):
        seen.append((host, port))
        return ["93.184.216.34"]

    monkeypatch.setattr(ssrf, "resolve", resolver)
    target = ssrf.check("https://hooks.example.ru:8443/in?x=1")
    assert seen == [("hooks.example.ru", 8443)]
    assert (target.host, target.address) == ("hooks.example.ru", "93.184.216.34")


def test_a_name_that_does_not_resolve_is_refused(monkeypatch):
    def fail(host, port):
        raise OSError("no such name")

    monkeypatch.setattr(ssrf, "resolve", fail)
    with pytest.raises(ssrf.Refused) as refused:
        ssrf.check("https://nowhere.example.ru/")
    assert refused.value.reason == "dns_failed"


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "ftp://93.184.216.34/",
                                 "https://user:pw@93.184.216.34/"])
def test_only_plain_https_urls(url):
    with pytest.raises(ssrf.Refused):
        ssrf.check(url)


def test_post_to_a_forbidden_address_never_connects(monkeypatch):
    import httpx

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(httpx.Client, "send", no_connection)
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ["192.168.0.10"])
    with pytest.raises(ssrf.Refused):
        ssrf.post("https://intranet.example.ru/", b"{}", {}, timeout=1)
