import pytest
from django.core.exceptions import ImproperlyConfigured

from mhsip.config import settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_get_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)

    assert settings.get_env_bool("SOME_FLAG") is expected


def test_get_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)

    assert settings.get_env_bool("SOME_FLAG", default=True) is True


def test_get_env_bool_with_nonsense_raises(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        settings.get_env_bool("SOME_FLAG")


def test_get_env_var_prefers_the_environment(monkeypatch):
    monkeypatch.setenv("SOME_SETTING", "from-env")

    assert settings.get_env_var("SOME_SETTING", dev_default="dev") == "from-env"


def test_get_env_var_uses_dev_default_only_in_debug(monkeypatch):
    monkeypatch.delenv("SOME_SETTING", raising=False)
    monkeypatch.setattr(settings, "DEBUG", True)
    assert settings.get_env_var("SOME_SETTING", dev_default="dev") == "dev"

    monkeypatch.setattr(settings, "DEBUG", False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SETTING is not set"):
        settings.get_env_var("SOME_SETTING", dev_default="dev")


def test_argon2_is_the_first_password_hasher():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
