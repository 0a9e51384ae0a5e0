"""Whether a case is due for review: its last review is older than ``casebook_stale_after`` on the build date.

The build date is today, or ``SOURCE_DATE_EPOCH`` when it is set, so that a build can be
reproduced (and tested) on any day.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from casebook_ext.config import settings_of
from casebook_ext.dates import parse_age, review_due
from casebook_ext.model import Case

if TYPE_CHECKING:
    from sphinx.config import Config


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def stale_after_months(config: Config) -> int:
    return parse_age(settings_of(config).stale_after) or 0


def is_due(config: Config, case: Case) -> bool:
    return review_due(case.last_reviewed, stale_after_months(config), build_date())
