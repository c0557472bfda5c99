"""The address a request came from, for the sign-in lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy REMOTE_ADDR is the proxy's own address for everyone, so a lockout keyed on it would
lock a username out for every user at once. Each proxy appends the address it was sent the request by to
X-Forwarded-For; with TRUSTED_PROXY_COUNT proxies of our own in front, the entry that many places from the
right was written by our first proxy and is the client's. Entries further left came from the client and
can say anything, so they are never used.
"""

import ipaddress

from django.conf import settings


def client_ip_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < count:  # not through all our proxies (or a header they did not write): do not trust it
        return remote
    return _address(forwarded[-count]) or remote


def _address(entry: str) -> str | None:
    """The IP address in an X-Forwarded-For entry ("203.0.113.5", "203.0.113.5:4711", "[2001:db8::1]:4711"),
    or None if it holds none."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:
        candidates.append(entry.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
