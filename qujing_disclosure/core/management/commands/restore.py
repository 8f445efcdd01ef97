from django.core.management.base import BaseCommand, CommandError

from qujing_disclosure.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load an archive written by `backup` into an empty database and an empty upload storage."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(archive, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"restored the database and {manifest['media']['count']} uploads from {archive} (taken {manifest['created']})"))
