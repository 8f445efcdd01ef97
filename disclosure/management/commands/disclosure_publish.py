from disclosure import jobs

from qujing_disclosure.core.jobcommand import JobCommand


class Command(JobCommand):
    help = "Publish approved items that are due (R16 window; prompt items at once)."
    job = staticmethod(jobs.publish_due_items)
