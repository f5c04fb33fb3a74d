"""instance/secret_key under concurrent first starts and after a crash: never an empty key.

Real files and real processes: gunicorn workers and several installs start at the same time, and
whoever loses the race must read the winner's whole key, not a file still being written.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.config import MIN_SECRET_KEY_CHARS, SecretKeyError, secret_key

# One starter whose write of the key is slow (a busy disk, a descheduled process): it says when
# it has begun writing, then takes a second. Prints the key it ends up with.
SLOW_WRITER = """
import os, sys, time
from pathlib import Path
real_write = os.write
def slow_write(fd, data):
    Path(sys.argv[2]).touch()
    time.sleep(1.0)
    return real_write(fd, data)
os.write = slow_write
from server.config import secret_key
print(secret_key(sys.argv[1]))
"""

STARTER = "import sys; from server.config import secret_key; print(secret_key(sys.argv[1]))"


def run_starters(folder: Path, count: int) -> list[str]:
    procs = [subprocess.Popen([sys.executable, "-c", STARTER, str(folder)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(count)]
    keys = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        keys.append(out.strip())
    return keys


def test_a_starter_racing_a_slow_writer_gets_the_same_whole_key(tmp_path):
    folder, writing = tmp_path / "instance", tmp_path / "writing"
    slow = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(folder), str(writing)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not writing.exists():
            assert time.monotonic() < deadline and slow.poll() is None, slow.stderr.read()
            time.sleep(0.01)
        ours = secret_key(str(folder))  # while the other is in the middle of writing its key
    finally:
        out, err = slow.communicate(timeout=30)
    assert slow.returncode == 0, err
    assert len(ours) == 64
    assert out.strip() == ours
    assert (folder / "secret_key").read_text() == ours
    assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_concurrent_first_starts_agree_on_one_key(tmp_path):
    keys = run_starters(tmp_path / "instance", 8)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_an_empty_key_file_left_by_a_crash_is_replaced_once(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir()
    (folder / "secret_key").write_text("")  # created, then the process died before writing
    keys = run_starters(folder, 6)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (folder / "secret_key").read_text() == keys[0]
    assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key(str(folder)) == keys[0]  # kept from then on


@pytest.mark.parametrize("content", ["abc\n", "x" * (MIN_SECRET_KEY_CHARS - 1)])
def test_a_short_key_file_is_refused_not_used_or_replaced(tmp_path, content):
    (tmp_path / "secret_key").write_text(content)
    with pytest.raises(SecretKeyError, match="SECRET_KEY") as raised:
        secret_key(str(tmp_path))
    assert "at least 32" in str(raised.value)
    assert (tmp_path / "secret_key").read_text() == content  # left for its owner to decide


def test_a_kept_key_is_read_back_as_written(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 40 + "\n")
    assert secret_key(str(tmp_path)) == "k" * 40


# Several starters on a filesystem without hard links (os.link fails with EPERM): each one's
# os.link is replaced before secret_key runs.
NO_LINK_STARTER = """
import errno, os, sys
def no_link(*args, **kwargs):
    raise PermissionError(errno.EPERM, "Operation not permitted")
os.link = no_link
from server.config import secret_key
print(secret_key(sys.argv[1]))
"""


def test_a_filesystem_without_hard_links_still_gets_a_key(tmp_path, monkeypatch):
    import errno
    import os

    def no_link(*_args, **_kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    folder = tmp_path / "instance"
    key = secret_key(str(folder))
    assert len(key) == 64
    path = folder / "secret_key"
    assert path.read_text() == key and path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary file left behind
    assert secret_key(str(folder)) == key  # kept from then on


def test_concurrent_first_starts_without_hard_links_agree_on_one_key(tmp_path):
    folder = tmp_path / "instance"
    procs = [subprocess.Popen([sys.executable, "-c", NO_LINK_STARTER, str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    keys = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        keys.append(out.strip())
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert (folder / "secret_key").read_text() == keys[0]


@pytest.mark.parametrize("key, accepted", [("short", False), ("x" * (MIN_SECRET_KEY_CHARS - 1), False),
                                           ("k" * MIN_SECRET_KEY_CHARS, True)])
def test_an_operators_short_secret_key_is_refused(tmp_path, monkeypatch, key, accepted):
    """A SECRET_KEY from the environment signs moderator sessions and keys API-key hashes: a short
    one is refused with what to do, as a short key file is."""
    from server import create_app

    monkeypatch.setenv("SECRET_KEY", key)
    config = {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "PRELOAD_ANALYZER": False}
    if accepted:
        assert create_app(config).config["SECRET_KEY"] == key
    else:
        with pytest.raises(SecretKeyError, match=f"SECRET_KEY has {len(key)} characters; at least 32"):
            create_app(config)


@pytest.mark.parametrize("key, accepted", [(b"_5#y2L\"F4Q8z\n\xec]/", True), (b"0123456789", False)])
def test_a_bytes_key_in_config_py_counts_its_random_bytes(key, accepted):
    """Flask's docs show SECRET_KEY = b'_5#y2L"F4Q8z\\n\\xec]/' (16 random bytes): accepted."""
    from server.config import check_secret_key

    if accepted:
        assert check_secret_key(key) == key
    else:
        with pytest.raises(SecretKeyError, match="10 bytes"):
            check_secret_key(key)


def test_the_cli_says_what_to_do_about_a_short_key(monkeypatch):
    from click.testing import CliRunner

    from server.cli import serve

    def run_simple(*args, **kwargs):
        raise AssertionError("the server started with a short key")

    monkeypatch.setattr("werkzeug.serving.run_simple", run_simple)
    monkeypatch.setenv("SECRET_KEY", "short")
    result = CliRunner().invoke(serve, ["--port", "1"])
    assert result.exit_code == 1
    assert "Error: SECRET_KEY has 5 characters" in result.output and "token_hex" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
