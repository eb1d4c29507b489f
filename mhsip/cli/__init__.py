"""The `mhsip` command: analyst commands over the pure core, and Django's management commands.

Analyst commands run without Django (no settings, no database), so an analyst can chart a CSV
on a laptop. Any other first argument is handed to Django, so `mhsip migrate`,
`mhsip runserver` and `mhsip check --deploy` work as `manage.py` would.
"""

import importlib
import os
import sys

# Command name -> module. Each module is imported only when its command runs and exposes
# `main(argv: list[str]) -> int`.
ANALYST_COMMANDS = {
    "equity": "mhsip.cli.equity",
    "funnel": "mhsip.cli.funnel",
    "spc": "mhsip.cli.spc",
}

DJANGO_SETTINGS_MODULE = "mhsip.config.settings"

USAGE = """\
usage: mhsip <command> [options]

Analyst commands (no database or web server needed):
{analyst}

Django management commands are also available, for example:
  mhsip migrate              create or update the database tables
  mhsip runserver            run the development web server
  mhsip check --deploy       check the production settings
  mhsip help                 list every Django command

Run `mhsip <command> --help` for a command's options.
"""


def main(argv: list[str] | None = None) -> int:
    """Run one `mhsip` command and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return 0

    command, *rest = args
    if command in ANALYST_COMMANDS:
        module = importlib.import_module(ANALYST_COMMANDS[command])
        return module.main(rest)
    return run_django(args)


def usage() -> str:
    analyst = "\n".join(f"  mhsip {name}" for name in sorted(ANALYST_COMMANDS))
    return USAGE.format(analyst=analyst).rstrip()


def run_django(args: list[str]) -> int:
    """Run a Django management command, returning its exit code instead of exiting."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DJANGO_SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["mhsip", *args])
    except SystemExit as exit_:
        # Django exits on errors (and `--version`); report the code rather than exiting, so
        # callers such as the tests get an int back like from any other command.
        return _exit_code(exit_.code)
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    # sys.exit("message") prints the message and exits 1.
    print(code, file=sys.stderr)
    return 1
