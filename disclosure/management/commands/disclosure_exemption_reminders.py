from disclosure import jobs

from ._jobcommand import JobCommand


class Command(JobCommand):
    help = "Remind organisations of exemption reviews coming due (R11)."
    job = staticmethod(jobs.send_exemption_reminders)
