"""The management-command shape of every sweep: `--dry-run` and `--date` call the same code as Celery."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from .jobs import run_job


class JobCommand(BaseCommand):
    """Subclass with `job = staticmethod(<app>.jobs.<sweep>)` and a `help` text."""

    job = None  # a sweep: job(*, today=None, dry_run=False) -> JobResult

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
        parser.add_argument("--date", help="judge as if today were this date (YYYY-MM-DD, China time)")

    def handle(self, *args, dry_run=False, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        result = run_job(type(self).job, today=today, dry_run=dry_run)
        self.stdout.write(str(result))
        if dry_run and result.ids:
            self.stdout.write("ids: " + ", ".join(str(pk) for pk in result.ids[:50]) + (" …" if result.count > 50 else ""))
