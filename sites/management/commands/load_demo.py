"""`python manage.py load_demo`: realistic demo data for every app (idempotent; run by `make run`).

Each app contributes through `<app>.demo.load(stdout=...)`; apps without a demo module are skipped.
One load is one action: every audit row it writes shares one batch id.
"""
import importlib

from django.core.management.base import BaseCommand

from qujing_disclosure.core.audit import audit_context
from sites import demo

# Order matters: evaluation and disclosure build on the places, units, rounds and users of sites.
DEMO_MODULES = ("sites.demo", "evaluation.demo", "disclosure.demo")


class Command(BaseCommand):
    help = "载入演示数据：辖区、党组织、历次示范点创建轮次、当前申报轮次和各角色演示账号（可重复运行，不产生重复数据）。"

    def handle(self, *args, **options):
        with audit_context():
            self._load()
        demo.print_logins(stdout=self.stdout)

    def _load(self):
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue  # that app has no demo data (yet)
                raise
            module.load(stdout=self.stdout)
