from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Archive items whose display ended, never before 15 days (R17)."
    job = staticmethod(jobs.archive_ended_items)
