"""The time the tool writes into files, read in one place.

``SOURCE_DATE_EPOCH`` (reproducible-builds.org) fixes it, so a rebuild of the
same inputs gives the same bytes; without it, the current minute in UTC.

May import: nothing from the package.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def fixed_time() -> datetime | None:
    """The time ``SOURCE_DATE_EPOCH`` names, or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return None


def now() -> datetime:
    return fixed_time() or datetime.now(UTC).replace(second=0, microsecond=0)


def po_stamp(when: datetime | None = None) -> str:
    """A PO header date: ``2026-03-21 00:00+0000``."""
    return (when or now()).strftime("%Y-%m-%d %H:%M+0000")


def today() -> str:
    """The date written into history lines: ``2026-03-21``."""
    return now().strftime("%Y-%m-%d")


def edition_date(revisions) -> datetime:
    """The date an edition carries: ``SOURCE_DATE_EPOCH``, else the newest
    ``PO-Revision-Date`` among ``revisions`` (so a rebuild of the same
    catalogs is byte-identical), else 2000-01-01."""
    fixed = fixed_time()
    if fixed is not None:
        return fixed.replace(tzinfo=None)
    stamps = []
    for rev in revisions:
        try:
            stamps.append(datetime.strptime(rev[:16], "%Y-%m-%d %H:%M"))
        except ValueError:
            pass
    return max(stamps) if stamps else datetime(2000, 1, 1)
