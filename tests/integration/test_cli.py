"""The `mhsip` command: analyst commands dispatch without Django; the rest go to Django."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from mhsip import cli
from tests.conftest import REPO_ROOT


def run_mhsip(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python -m mhsip` (what the `mhsip` console script runs) in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "mhsip", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production server: no DEBUG, real secrets, a real host name."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests run (tests/functional/conftest.py)
    # and would, rightly, fail the deploy checks.
    unwanted = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PSEUDONYMISATION_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mhsip.example.org",
    }
    return env | extra


def main(argv):
    """A stand-in analyst command, registered by test_analyst_command_is_dispatched."""
    return len(argv)


def test_help_lists_analyst_commands_and_mentions_django(capsys):
    assert cli.main(["--help"]) == 0

    out = capsys.readouterr().out
    assert "mhsip spc" in out
    assert "Django management commands are also available" in out


def test_no_arguments_prints_help(capsys):
    assert cli.main([]) == 0

    assert capsys.readouterr().out.startswith("usage: mhsip")


def test_analyst_command_is_dispatched(monkeypatch):
    monkeypatch.setitem(cli.ANALYST_COMMANDS, "fake", __name__)

    assert cli.main(["fake", "a", "b"]) == 2


@pytest.mark.parametrize("name", sorted(cli.ANALYST_COMMANDS))
def test_analyst_command_module_has_main(name):
    module_name = cli.ANALYST_COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        pytest.skip(f"{module_name} is not written yet")

    assert callable(module.main)


def test_help_does_not_import_django():
    code = "import sys; from mhsip.cli import main; main(['--help']); sys.exit('django' in sys.modules)"

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT
    )

    assert result.returncode == 0, "`mhsip --help` imported Django"


def test_other_commands_go_to_django(capsys):
    assert cli.main(["check"]) == 0

    assert "System check identified no issues" in capsys.readouterr().out


def test_django_errors_become_exit_codes(capsys):
    assert cli.main(["no-such-command"]) == 1

    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err


def test_production_settings_pass_the_deploy_checks():
    result = run_mhsip("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_mhsip("check", env=env)

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is not set" in result.stderr


def test_production_static_files_collect(tmp_path):
    if not (REPO_ROOT / "assets" / "dist" / "nhsuk").is_dir():
        pytest.skip("assets/dist not built: run `make assets`")

    result = run_mhsip("collectstatic", "--no-input", env=production_env(STATIC_ROOT=str(tmp_path)))

    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "nhsuk/nhsuk-frontend.min.css" in manifest
    assert "web/init.js" in manifest


def test_gunicorn_serves_the_production_site(tmp_path):
    """The production way to run mhsip: gunicorn, production settings, behind an HTTPS proxy."""
    import socket
    import time
    import urllib.request

    if not (REPO_ROOT / "assets" / "dist" / "nhsuk").is_dir():
        pytest.skip("assets/dist not built: run `make assets`")
    static = tmp_path / "static"
    env = production_env(
        STATIC_ROOT=str(static),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_HTTPS_PROXY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert run_mhsip("collectstatic", "--no-input", env=env).returncode == 0
    assert run_mhsip("migrate", "--no-input", env=env).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gunicorn = REPO_ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}", "mhsip.config.wsgi"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/health", headers={"X-Forwarded-Proto": "https"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer: " + server.stderr.read1(4000).decode())
        assert '"status": "ok"' in body
        assert "Strict-Transport-Security" in headers
        assert "Content-Security-Policy" in headers
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
