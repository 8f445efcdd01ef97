from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Remind organisations of exemption reviews coming due (R11)."
    job = staticmethod(jobs.send_exemption_reminders)
