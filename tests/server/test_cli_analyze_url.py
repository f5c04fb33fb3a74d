"""`reliability analyze URL` fetches through the service's fetcher, with its refusals."""

from __future__ import annotations

import pytest

from heuristics import textio
from server import cli as server_cli


@pytest.mark.parametrize("url,says", [
    ("http://127.0.0.1:9/story", "loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "metadata address"),
    ("http://10.0.0.1/story", "private address"),
    ("ftp://news.example/story", "only http and https"),
])
def test_the_cli_reader_refuses_what_the_service_refuses(url, says):
    with pytest.raises(ValueError) as info:
        server_cli.fetch_for_cli(url)
    assert says in str(info.value).lower()


def test_main_installs_the_service_reader(monkeypatch):
    monkeypatch.setattr(textio, "_url_reader", None)
    monkeypatch.setattr("sys.argv", ["reliability", "--version"])
    with pytest.raises(SystemExit):
        server_cli.main()
    assert textio._url_reader is server_cli.fetch_for_cli
