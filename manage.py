#!/usr/bin/env python
import contextlib
import os
import sys
from typing import Any


def clock() -> contextlib.AbstractContextManager[Any]:
    """``TANDEM_AS_OF=2027-12-25`` runs the command with the clock at that moment (London time),
    ticking from there: ``make demo AS_OF=...`` loads and serves the demo as a newcomer would see
    it on that day. Development only: the production profile refuses it."""
    text = os.environ.get("TANDEM_AS_OF", "").strip()
    if not text:
        return contextlib.nullcontext()
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if settings.PRODUCTION:
        raise ImproperlyConfigured("TANDEM_AS_OF moves the clock and is for development only.")
    from tandem.core.clock import parse_as_of

    try:
        moment = parse_as_of(text)
    except ValueError as error:
        raise ImproperlyConfigured(f"TANDEM_AS_OF: {error}") from None
    import time_machine

    return time_machine.travel(moment, tick=True)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        with clock():
            execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: one plain line, no traceback.
        sys.stderr.write(f"Tandem cannot start: {error}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
