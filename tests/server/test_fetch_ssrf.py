"""SSRF: hostile DNS answers and IP literals are refused before any connection is attempted.

The real resolver path is used with a test resolver (the hostile DNS server); an audit hook
records every socket.connect and getaddrinfo in the process, so "no connection attempted" is
asserted, not assumed.
"""

from __future__ import annotations

import ipaddress

import pytest

from server.errors import Problem
from server.fetch import FetchPolicy, Fetcher, address_refusal
from server.urls import check_url

HOSTILE = {
    "loopback.test": ["127.0.0.1"],
    "loopback-high.test": ["127.255.255.254"],
    "private10.test": ["10.1.2.3"],
    "private172.test": ["172.16.5.4"],
    "private192.test": ["192.168.0.1"],
    "linklocal.test": ["169.254.1.1"],
    "metadata.test": ["169.254.169.254"],
    "metadata-ecs.test": ["169.254.170.2"],
    "alibaba.test": ["100.100.100.200"],
    "cgnat.test": ["100.64.0.1"],
    "zero.test": ["0.0.0.0"],
    "thisnet.test": ["0.1.2.3"],
    "multicast.test": ["224.0.0.1"],
    "reserved.test": ["240.0.0.1"],
    "broadcast.test": ["255.255.255.255"],
    "docs.test": ["192.0.2.10"],
    "benchmark.test": ["198.18.0.1"],
    "v6-loopback.test": ["::1"],
    "v6-unspecified.test": ["::"],
    "v6-linklocal.test": ["fe80::1"],
    "v6-ula.test": ["fc00::1"],
    "v6-metadata.test": ["fd00:ec2::254"],
    "v6-multicast.test": ["ff02::1"],
    "mapped-loopback.test": ["::ffff:127.0.0.1"],
    "mapped-private.test": ["::ffff:10.0.0.1"],
    "mapped-metadata.test": ["::ffff:169.254.169.254"],
    "compat-loopback.test": ["::127.0.0.1"],
    "6to4-loopback.test": ["2002:7f00:1::1"],
    "6to4-private.test": ["2002:c0a8:101::1"],
    "teredo-loopback.test": ["2001:0:4136:e378:8000:63bf:80ff:fffe"],
    "nat64-loopback.test": ["64:ff9b::7f00:1"],
    "nat64-private.test": ["64:ff9b::a00:1"],
    "nat64-local.test": ["64:ff9b:1::a00:1"],
    "nat64-local-public.test": ["64:ff9b:1::808:808"],  # local-use prefix: refused whatever it embeds
    "nat64-local-mid.test": ["64:ff9b:1:808:8:800::"],  # a /48 prefix puts the IPv4 in the middle
    "v6-sitelocal.test": ["fec0::1"],
    "v6-sitelocal-high.test": ["feff:ffff::1"],
    "rebinding.test": ["93.184.216.34", "10.0.0.1"],  # one public, one private: refuse all
    "rebinding-v6.test": ["2606:2800:220:1:248:1893:25c8:1946", "::1"],
}


def hostile_resolver(host: str, port: int) -> list[str]:
    return HOSTILE[host]


@pytest.mark.parametrize("host", sorted(HOSTILE))
def test_hostile_dns_answer_refused_without_connecting(host, network):
    fetcher = Fetcher(FetchPolicy(), resolver=hostile_resolver)
    with pytest.raises(Problem) as info:
        fetcher.fetch(f"http://{host}/article")
    assert (info.value.status, info.value.kind) == (422, "forbidden-destination")
    assert network.connects() == []
    assert network.lookups() == []  # the test resolver stood in for DNS: no real lookup either


@pytest.mark.parametrize("host", ["private10.test", "metadata.test", "mapped-private.test",
                                  "nat64-private.test", "cgnat.test", "v6-ula.test"])
def test_loopback_switch_lets_nothing_else_private_through(host, network):
    fetcher = Fetcher(FetchPolicy(allow_loopback=True), resolver=hostile_resolver)
    with pytest.raises(Problem) as info:
        fetcher.fetch(f"http://{host}/")
    assert info.value.kind == "forbidden-destination"
    assert network.connects() == []


LITERALS = [
    # url, problem kind
    ("http://127.0.0.1/", "forbidden-destination"),
    ("http://127.0.0.1:8080/", "forbidden-destination"),
    ("http://2130706433/", "ambiguous-host"),
    ("http://017700000001/", "ambiguous-host"),
    ("http://0x7f000001/", "ambiguous-host"),
    ("http://0x7f.0x0.0x0.0x1/", "ambiguous-host"),
    ("http://0177.0.0.1/", "ambiguous-host"),
    ("http://127.1/", "ambiguous-host"),
    ("http://127.0.1/", "ambiguous-host"),
    ("http://0/", "ambiguous-host"),
    ("http://10.0.0.1/", "forbidden-destination"),
    ("http://012.0.0.1/", "ambiguous-host"),
    ("http://169.254.169.254/latest/meta-data/", "forbidden-destination"),
    ("http://0xa9fea9fe/", "ambiguous-host"),
    ("http://2852039166/", "ambiguous-host"),
    ("http://100.100.100.200/", "forbidden-destination"),
    ("http://[::1]/", "forbidden-destination"),
    ("http://[0:0:0:0:0:0:0:1]/", "forbidden-destination"),
    ("http://[::ffff:127.0.0.1]/", "forbidden-destination"),
    ("http://[::ffff:7f00:1]/", "forbidden-destination"),
    ("http://[::ffff:a9fe:a9fe]/", "forbidden-destination"),
    ("http://[fd00:ec2::254]/", "forbidden-destination"),
    ("http://[64:ff9b::a9fe:a9fe]/", "forbidden-destination"),
    ("http://[2002:a9fe:a9fe::]/", "forbidden-destination"),
    ("http://[fe80::1%25eth0]/", "ambiguous-host"),
    ("http://256.1.1.1/", "ambiguous-host"),
    ("http://1.2.3.4.5/", "ambiguous-host"),
    ("http://example.123/", "ambiguous-host"),
    ("http://[::1/", "invalid-url"),
]


@pytest.mark.parametrize("url,kind", LITERALS, ids=[u for u, _ in LITERALS])
def test_ip_literals_in_every_notation(url, kind, network):
    fetcher = Fetcher(FetchPolicy())
    with pytest.raises(Problem) as info:
        fetcher.fetch(url)
    assert info.value.kind == kind, info.value.detail
    assert info.value.status == 422
    assert network.connects() == []
    assert network.lookups() == []


@pytest.mark.parametrize("url,kind", LITERALS[:12], ids=[u for u, _ in LITERALS[:12]])
def test_ip_literals_refused_by_the_api(sqlite_client, url, kind, network):
    response = sqlite_client.post("/api/v1/analyses", json={"url": url})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/" + kind)
    assert network.connects() == []


def test_port_outside_80_443_refused_before_connecting(network):
    fetcher = Fetcher(FetchPolicy(), resolver=lambda h, p: ["93.184.216.34"])
    with pytest.raises(Problem) as info:
        fetcher.fetch("http://news.test:22/")
    assert (info.value.status, info.value.kind) == (422, "forbidden-port")
    assert network.connects() == []


def test_redirect_to_hostile_name_rechecked(web, network):
    """A public-looking first hop that redirects to a name resolving to metadata: refused."""
    def resolver(host, port):
        return {"metadata.test": ["169.254.169.254"]}.get(host, ["127.0.0.1"])

    fetcher = Fetcher(FetchPolicy(allow_loopback=True), resolver=resolver)
    with pytest.raises(Problem) as info:
        fetcher.fetch(web.url("/redirect?to=http://metadata.test/latest/"))
    assert (info.value.status, info.value.kind) == (502, "redirect-forbidden-destination")
    # one connection: to the first hop (loopback, allowed by the switch); none to the metadata
    assert [c for c in network.connects() if "169.254" in c[1]] == []
    assert len(network.connects()) == 1


def test_connects_to_the_checked_address_only(web, network):
    """DNS is asked once; the connection goes to the address that was checked."""
    calls = []

    def resolver(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    fetcher = Fetcher(FetchPolicy(allow_loopback=True), resolver=resolver)
    result = fetcher.fetch(f"http://news.test:{web.port}/article")
    assert result.status == 200
    assert calls == ["news.test"]
    assert network.lookups() == []
    assert len(network.connects()) == 1 and "127.0.0.1" in network.connects()[0][1]
    assert web.server.headers_seen[-1]["Host"] == f"news.test:{web.port}"


def test_unresolvable_host_is_502(network):
    def resolver(host, port):
        raise OSError("no such host")

    with pytest.raises(Problem) as info:
        Fetcher(FetchPolicy(), resolver=resolver).fetch("http://nowhere.test/")
    assert (info.value.status, info.value.kind) == (502, "upstream-dns-failure")
    assert network.connects() == []


@pytest.mark.parametrize("address,refused", [
    ("8.8.8.8", False), ("2606:4700:4700::1111", False), ("93.184.216.34", False),
    ("127.0.0.1", True), ("::ffff:8.8.8.8", False), ("64:ff9b::808:808", False),
    ("2002:808:808::1", False), ("100.63.255.255", False), ("100.64.0.0", True),
    ("100.127.255.255", True), ("100.128.0.0", False),
    ("fec0::1", True), ("feff:ffff::1", True), ("fec0::ffff:808:808", True),
    ("64:ff9b:1::808:808", True), ("64:ff9b:1:ffff::1", True), ("64:ff9b:1:808:8:800::", True),
    ("64:ff9b::808:808", False), ("64:ff9b::a00:1", True),
    ("192.88.99.1", True), ("3fff::1", True), ("3fff:fff:ffff::1", True), ("2001:4860:4860::8888", False),
])
def test_address_policy_table(address, refused):
    assert (address_refusal(ipaddress.ip_address(address)) is not None) == refused


def test_check_url_keeps_public_literals():
    checked = check_url("http://93.184.216.34/x")
    assert str(checked.ip) == "93.184.216.34"


def test_slow_dns_is_bounded(network):
    import threading
    import time

    release = threading.Event()

    def slow_resolver(host, port):
        release.wait(10)
        return ["93.184.216.34"]

    fetcher = Fetcher(FetchPolicy(connect_timeout=0.5, total_timeout=1.0), resolver=slow_resolver)
    started = time.monotonic()
    try:
        with pytest.raises(Problem) as info:
            fetcher.fetch("http://slow-dns.test/")
    finally:
        release.set()
    assert (info.value.status, info.value.kind) == (504, "upstream-timeout")
    assert time.monotonic() - started < 2
    assert network.connects() == []


def test_stuck_lookups_do_not_pin_the_dns_pool(network):
    """A timed-out lookup keeps its slot until it really ends; when every slot is taken a new
    lookup is refused at once (503 dns-busy), not queued behind stuck ones; slots come back."""
    import threading
    import time

    from server import fetch

    slots = getattr(fetch, "DNS_MAX_IN_FLIGHT", 8)
    release = threading.Event()

    def resolver(host, port):
        if host.startswith("stuck"):
            release.wait(10)
        return ["93.184.216.34"]

    fetcher = Fetcher(FetchPolicy(connect_timeout=0.2, total_timeout=1.0), resolver=resolver)
    errors = []

    def stuck(i):
        try:
            fetcher.check_destination(check_url(f"http://stuck{i}.test/"), 0)
        except Problem as exc:
            errors.append((exc.status, exc.kind))

    try:
        threads = [threading.Thread(target=stuck, args=(i,)) for i in range(slots)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(5)
        assert errors == [(504, "upstream-timeout")] * slots
        started = time.monotonic()
        with pytest.raises(Problem) as info:
            fetcher.check_destination(check_url("http://fine.test/"), 0)
        assert (info.value.status, info.value.kind) == (503, "dns-busy")
        assert info.value.headers.get("Retry-After")
        assert time.monotonic() - started < 0.1  # refused at once, not after a timeout
    finally:
        release.set()
    deadline = time.monotonic() + 5
    while True:  # the stuck lookups end, their slots return
        try:
            assert [str(a) for a in fetcher.check_destination(check_url("http://fine.test/"), 0)] == ["93.184.216.34"]
            break
        except Problem:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert network.connects() == []
