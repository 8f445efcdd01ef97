from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Remind organisations on the 25th and the 8th of entries due but not scheduled."
    job = staticmethod(jobs.send_window_reminders)
