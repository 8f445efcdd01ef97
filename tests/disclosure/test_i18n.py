"""English-friendly formatting: Chinese punctuation and separators around values live inside
translatable strings, so the English catalogue can replace them (`：` → `: `, `（…）` → ` (…)`, `、` → `, `)."""
import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from disclosure import services
from disclosure.enums import Form
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
TRANSLATED_IN_TEMPLATE = re.compile(
    r"{%\s*translate\s+(\"[^\"]*\"|'[^']*')[^%]*%}"
    r"|{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}"
    r"|_\((\"[^\"]*\"|'[^']*')\)"
    r"|{#.*?#}",
    re.DOTALL,
)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "pgettext_lazy", "ngettext_lazy"}
# Content, not interface: demo data, and the API documentation's bilingual tag names.
PYTHON_EXEMPT = {"disclosure/demo.py", "disclosure/api.py:TAG", "disclosure/api.py:TAG_PUBLIC"}

# The English of the separators and formats these tests need (the real ones come from locale/en).
ENGLISH = {
    "、": ", ",
    "%(kind)s：%(name)s（%(location)s）": "%(kind)s: %(name)s (%(location)s)",
    "%(kind)s：%(name)s": "%(kind)s: %(name)s",
    "%(date)s（北京时间）": "%(date)s (China time)",
}


def _name(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def _untranslated_chinese_in_template(path):
    source = path.read_text(encoding="utf-8")
    blanked = TRANSLATED_IN_TEMPLATE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    return [f"{_name(path)}:{n}: {text}" for n, line in enumerate(blanked.splitlines(), 1)
            for text in CJK.findall(line)]


def test_disclosure_templates_have_no_chinese_outside_translatable_strings():
    found = []
    for path in sorted((ROOT / "templates" / "disclosure").rglob("*.html")):
        found += _untranslated_chinese_in_template(path)
    assert found == []


def _untranslated_chinese_in_python(path):
    relative = _name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_NAMES:
            allowed |= {id(n) for n in ast.walk(node)}
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            allowed.add(id(node.body[0].value))  # docstrings
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and f"{relative}:{node.targets[0].id}" in PYTHON_EXEMPT:
            allowed |= {id(n) for n in ast.walk(node)}
    return [f"{relative}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
            and id(node) not in allowed]


def test_disclosure_code_has_no_chinese_outside_gettext():
    found = []
    for path in sorted((ROOT / "disclosure").rglob("*.py")):
        if "migrations" in path.parts or str(path.relative_to(ROOT)) in PYTHON_EXEMPT:
            continue
        found += _untranslated_chinese_in_python(path)
    assert found == []


def test_the_scanners_catch_hard_coded_punctuation(tmp_path):
    template = tmp_path / "probe.html"
    template.write_text('{% load i18n %}{{ c.kind }}：{{ c.name }}{% translate "公开栏" %}', encoding="utf-8")
    assert [line.rsplit(": ", 1)[1] for line in _untranslated_chinese_in_template(template)] == ["："]
    module = tmp_path / "probe.py"
    module.write_text('from django.utils.translation import gettext as _\nA = "、".join([])\nB = _("、")\n',
                      encoding="utf-8")
    assert [line.rsplit(": ", 1)[1] for line in _untranslated_chinese_in_python(module)] == ["'、'"]


@pytest.fixture
def english(monkeypatch):
    catalog = trans_real.translation("en")._catalog._catalogs[0]
    for msgid, msgstr in ENGLISH.items():
        monkeypatch.setitem(catalog, msgid, msgstr)
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_public_carrier_line_reads_as_english(client, org, entry, english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "Disclosure board: 办公楼大厅公开栏 (办公楼一楼大厅)" in body
    assert "：" not in body.split("Disclosure board", 1)[1].split("</li>", 1)[0]


@pytest.mark.django_db
def test_public_carrier_line_stays_chinese_by_default(client, org, entry):
    body = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "公开栏：办公楼大厅公开栏（办公楼一楼大厅）" in body


@pytest.mark.django_db
def test_forms_are_listed_with_the_language_separator(entry, english):
    item = df.ItemFactory(entry=entry, forms=[Form.BOARD, Form.WEBSITE])
    assert item.get_forms_display() == "Disclosure board, Website/web page"
    with translation.override("zh-hans"):
        assert item.get_forms_display() == "公开栏、网站/网页"


@pytest.mark.django_db
def test_domain_error_lists_forms_with_the_language_separator(org_user, entry, english):
    entry.forms = []
    entry.save(update_fields=["forms"])
    with pytest.raises(DomainError) as exc:
        services.item_create(actor=org_user, entry_id=entry.pk, title="t", content="c", scope="internal",
                             forms=["board", "website"], carrier_ids=[], publish_on=datetime.date(2099, 1, 2),
                             display_until=datetime.date(2099, 1, 31))
    assert "Disclosure board, Website/web page" in str(exc.value.message)


@pytest.mark.django_db
def test_portal_item_dates_say_china_time_in_english(client, org_user, entry, english):
    item = df.ItemFactory(entry=entry, publish_on=datetime.date(2099, 1, 2), display_until=datetime.date(2099, 1, 31))
    client.force_login(org_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("disclosure_portal:item_detail", args=[item.pk])).content.decode()
    assert "2099-01-02 (China time)" in body
