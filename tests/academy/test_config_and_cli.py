"""Settings from the environment, and the CLI that `make run` relies on."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.config import Config
from academy.extensions import db
from tests.support import log_in


def test_production_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_ENV", "production")
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="ACADEMY_SECRET_KEY"):
        Config(tmp_path)


def test_production_with_keys_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_ENV", "production")
    monkeypatch.setenv("ACADEMY_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ACADEMY_DATA_KEY", "d" * 40)
    config = Config(tmp_path)
    assert config.SECRET_KEY == "s" * 40 and not (tmp_path / "secret_key").exists()


def test_development_keeps_one_generated_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    monkeypatch.delenv("ACADEMY_ENV", raising=False)
    assert Config(tmp_path).SECRET_KEY == Config(tmp_path).SECRET_KEY
    assert len((tmp_path / "secret_key").read_text()) == 64


def test_demo_city_users_can_log_in(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["academy", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "grid-academy-demo" in result.output
    names = set(db.session.scalars(sa.select(User.username)))
    assert {"admin", "hr", "instructor", "trainee", "dispatcher", "department", "viewer"} <= names
    client = app.test_client()
    log_in(client, "trainee", app.config["DEMO_PASSWORD"])
    again = runner.invoke(args=["academy", "demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output


def test_create_user_command_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["academy", "create-user", "root", "--role", "admin"], input="12345678\n12345678\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(User).where(User.username == "root")) is None
