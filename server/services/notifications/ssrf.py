"""Provides the webhook's safe POST: an address check at send time and a connection pinned
to the address checked.

Forbidden: loopback, link-local, private (RFC 1918, ULA fc00::/7), CGNAT (100.64.0.0/10),
multicast, reserved and unspecified addresses, and anything else not globally routable,
IPv4 and IPv6; an IPv4-mapped (``::ffff:10.0.0.1``), 6to4 or Teredo IPv6 address is judged
by the IPv4 address inside. The name is resolved when sending (``resolve``), every
address it resolves to must be allowed, and the connection goes to the first of them
(the URL's host replaced by the IP, ``Host`` and TLS SNI/certificate check kept on the
name), so a DNS answer that changes between the check and the connection cannot move the
request. Redirects are never followed (a 3xx is a failed delivery).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass

import httpx

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CGNAT = ipaddress.ip_network("100.64.0.0/10")


class Refused(Exception):
    """The URL may not be reached; ``reason`` is a catalogue key suffix."""

    def __init__(self, reason: str, address: str = "") -> None:
        super().__init__(f"{reason} {address}".strip())
        self.reason = reason
        self.address = address


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (tests replace this function)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def classify(ip: IpAddress, *, allow_loopback: bool = False) -> str | None:
    """Why ``ip`` may not be reached (``loopback``, ``private`` …), or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return classify(inner, allow_loopback=allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_unspecified:
        return "reserved"
    if ip.is_link_local:
        return "link_local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT:
        return "cgnat"
    if ip.is_multicast:
        return "multicast"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


@dataclass(frozen=True)
class Target:
    url: httpx.URL
    host: str
    address: str


def check(url: str, *, allow_loopback: bool = False) -> Target:
    """Resolve ``url``'s host now and check every address; the one to connect to."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        raise Refused("url_invalid") from None
    if parsed.scheme != "https" or not parsed.host:
        raise Refused("url_not_https")
    if parsed.userinfo:
        raise Refused("url_invalid")
    host = parsed.host
    port = parsed.port or 443
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            raise Refused("dns_failed", host) from None
        if not addresses:
            raise Refused("dns_failed", host)
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            raise Refused("reserved", address) from None
        if reason := classify(ip, allow_loopback=allow_loopback):
            raise Refused(reason, address)
    return Target(url=parsed, host=host, address=addresses[0])


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float,
         allow_loopback: bool = False, ca_file: str | None = None) -> httpx.Response:
    """POST ``body`` to ``url`` through the checked, pinned address; no redirects."""
    target = check(url, allow_loopback=allow_loopback)
    pinned = target.url.copy_with(host=target.address)
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(ca_file)
    netloc = target.host if target.url.port is None else f"{target.host}:{target.url.port}"
    if ":" in target.host and not target.host.startswith("["):
        netloc = f"[{target.host}]" if target.url.port is None else \
            f"[{target.host}]:{target.url.port}"
    with httpx.Client(verify=context, timeout=timeout, follow_redirects=False,
                      trust_env=False) as client:
        request = client.build_request(
            "POST", pinned, content=body,
            headers={**headers, "Host": netloc, "Content-Type": "application/json"},
            extensions={"sni_hostname": target.host},
        )
        return client.send(request)


__all__ = ["Refused", "check", "classify", "post", "resolve"]
