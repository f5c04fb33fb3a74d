"""The instance folder is made only when something is kept there."""

from __future__ import annotations

from server.config import database_url, secret_key


def test_nothing_kept_no_folder(tmp_path):
    folder = tmp_path / "instance"
    assert database_url("postgresql://db.example/labels", str(folder)).startswith("postgresql+psycopg://")
    assert database_url("sqlite:////srv/labels.sqlite3", str(folder)) == "sqlite:////srv/labels.sqlite3"
    assert not folder.exists()


def test_default_database_and_secret_make_it(tmp_path):
    folder = tmp_path / "instance"
    assert database_url(None, str(folder)) == f"sqlite:///{folder}/reliability.sqlite3"
    assert folder.is_dir()
    key = secret_key(str(tmp_path / "other"))
    assert len(key) == 64 and secret_key(str(tmp_path / "other")) == key
    assert (tmp_path / "other" / "secret_key").stat().st_mode & 0o777 == 0o600
