from django.core.management.base import BaseCommand, CommandError

from qujing_disclosure.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write one archive holding the database and every upload (docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the archive to write, e.g. /var/backups/qujing-2025-01-31.tar")

    def handle(self, *args, output, **options):
        try:
            manifest = backup(output, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"backup written to {output} ({manifest['media']['count']} uploads)"))
