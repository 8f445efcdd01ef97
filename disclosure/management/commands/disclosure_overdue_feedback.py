from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Record a finding for each feedback not answered within its working-day deadline (R18, R20)."
    job = staticmethod(jobs.record_overdue_feedback)
