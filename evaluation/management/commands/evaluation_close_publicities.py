from evaluation import jobs
from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Close every publicity whose last day has passed (R8, China time)."
    job = staticmethod(jobs.close_due_publicities)
