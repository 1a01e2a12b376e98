"""The secrets in update-link and calendar-feed addresses kept out of the logs.

Whoever holds such an address can report on an action or read a unit's calendar, which is why
the database keeps only a hash of it. gunicorn's access log and Django's warnings for 4xx
responses would otherwise write it out in full, in the request line and in the Referer of the
requests a page makes for its stylesheet and script.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# /u/<secret>/ (but not /u/done/, the thanks page) and /calendar/<secret>.ics, anywhere in a
# text: a path, a full URL in a Referer, a request line.
_SECRET_IN_PATH = re.compile(r"(/u/)(?!done/)[A-Za-z0-9_-]+|(/calendar/)[A-Za-z0-9_-]+(?=\.ics)")


def redact(text: str) -> str:
    """TEXT with the secret of each update-link or calendar-feed address replaced."""
    return _SECRET_IN_PATH.sub(lambda m: (m.group(1) or m.group(2)) + REDACTED, text)


class RedactingAccessLogger(Logger):
    """gunicorn's logger, writing the access log without those secrets (`uptake serve` uses it)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


class RedactSecrets(logging.Filter):
    """A logging filter for the same, on Django's own messages ("Not Found: /u/…/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
