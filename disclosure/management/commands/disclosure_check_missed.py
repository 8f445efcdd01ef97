from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "The 11th check: findings for due catalogue entries with nothing published in the window."
    job = staticmethod(jobs.check_missed_entries)
