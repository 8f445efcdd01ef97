from disclosure import jobs

from ._jobcommand import JobCommand


class Command(JobCommand):
    help = "Archive items whose display ended, never before 15 days (R17)."
    job = staticmethod(jobs.archive_ended_items)
