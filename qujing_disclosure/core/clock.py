"""China time, the one clock every date rule is judged by (TIME_ZONE = Asia/Shanghai)."""
import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in China time (a job passes its own `today` for `--date` runs)."""
    return timezone.localdate()
