"""English is the second language: pages switch to it on request, and the catalogue stays complete.

Simplified Chinese is the source language of every gettext string; `locale/en/LC_MESSAGES/django.po`
holds the English. The catalogue tests below fail as soon as someone marks a new string and nobody
runs `make messages` and translates it (or leaves a fuzzy guess behind).
"""
import ast
import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories as f

ROOT = Path(settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The directories makemessages skips (see the Makefile), plus tests: test strings are no interface.
NOT_SCANNED = {".venv", "var", "staticfiles", "test-artifacts", "bench", "tests", "locale", "node_modules", ".git"}

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
TAG = re.compile(r"<[^>]+>")


# --- a small .po reader (no polib in the project) ------------------------------------------------


def _unquote(line):
    body = line.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (list), flags, obsolete."""
    entries, entry, field = [], None, None

    def start():
        return {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}

    entry = start()
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line.strip():
            if entry["msgid"] is not None:
                entries.append(entry)
            entry, field = start(), None
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        entry["obsolete"] = entry["obsolete"] or obsolete
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = value
            else:
                field = (keyword, None)
                entry[keyword] = value
        elif line.startswith('"') and field:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"unreadable line in {path.name}: {raw!r}")
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return read_po(PO_FILE)


def _live(entries):
    return [e for e in entries if not e["obsolete"] and e["msgid"] != ""]


# --- the catalogue --------------------------------------------------------------------------------


def test_po_header_declares_english_plural_forms(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "")
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"][0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header["msgstr"][0]


def test_every_po_entry_is_translated(po_entries):
    untranslated = [
        e["msgid"] for e in _live(po_entries)
        if not e["msgstr"] or any(not text.strip() for text in e["msgstr"].values())
        or (e["msgid_plural"] is not None and sorted(e["msgstr"]) != [0, 1])
    ]
    assert untranslated == []
    assert len(_live(po_entries)) > 1000  # the whole interface, not a stub


def test_no_po_entry_is_fuzzy(po_entries):
    """Django ignores fuzzy entries, so a fuzzy guess from msgmerge would show Chinese."""
    assert [e["msgid"] for e in po_entries if "fuzzy" in e["flags"] and e["msgid"] != ""] == []
    assert [e["msgid"] for e in po_entries if e["msgid"] == "" and "fuzzy" in e["flags"]] == []


def test_no_english_string_still_contains_chinese(po_entries):
    assert [e["msgid"] for e in _live(po_entries) if any(CJK.search(s) for s in e["msgstr"].values())] == []


PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdif]|\{\w*\}|%[sd]")


def test_english_keeps_every_placeholder(po_entries):
    broken = []
    for e in _live(po_entries):
        wanted = set(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if set(PLACEHOLDER.findall(text)) != wanted:
                broken.append((e["msgid"], text))
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The .mo is committed: it must hold exactly the translations of the .po (run compilemessages)."""
    with MO_FILE.open("rb") as fh:
        catalog = gnu_gettext.GNUTranslations(fh)._catalog
    expected = {}
    for e in _live(po_entries):
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            expected[key] = e["msgstr"][0]
        else:
            for index, text in e["msgstr"].items():
                expected[(key, index)] = text
    compiled = {k: v for k, v in catalog.items() if k != ""}
    assert compiled == expected


# --- every marked source string is in the catalogue ------------------------------------------------

GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
TEMPLATE_TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>[^%]*)%\}""")


def _source_files(suffix):
    for path in ROOT.rglob(f"*{suffix}"):
        if not NOT_SCANNED.intersection(path.relative_to(ROOT).parts):
            yield path


def _python_msgids(path):
    source = path.read_text(encoding="utf-8")
    if "django.utils.translation" not in source:
        return
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        first = node.args[0]
        if name in GETTEXT_FUNCTIONS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


BLOCK_TRANSLATE = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.DOTALL
)
PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _template_msgids(path):
    text = path.read_text(encoding="utf-8")
    for match in TEMPLATE_TRANSLATE.finditer(text):
        if "context" not in match.group("rest"):
            yield match.group("text")
    # {% blocktranslate %}: the singular, as Django's templatize writes it (%% escaped, {{ x }} → %(x)s).
    for match in BLOCK_TRANSLATE.finditer(text):
        if "context" in match.group("args"):
            continue
        singular = PLURAL_TAG.split(match.group("body"))[0].replace("%", "%%")
        singular = TEMPLATE_VARIABLE.sub(r"%(\1)s", singular)
        if "trimmed" in match.group("args").split():
            singular = re.sub(r"\s*\n\s*", " ", singular.strip())
        yield singular


def test_every_marked_string_in_the_code_is_in_the_catalogue(po_entries):
    """Catches strings added since the last `make messages` (Python gettext calls and {% translate %} tags).

    If a string is still missing after makemessages, xgettext cannot see the call: a gettext call inside
    an f-string is the usual cause — translate into a variable first, then put the variable in the f-string.
    """
    known = {e["msgid"] for e in _live(po_entries)}
    missing = set()
    for path in _source_files(".py"):
        missing |= {(str(path.relative_to(ROOT)), m) for m in _python_msgids(path) if m and m not in known}
    for path in _source_files(".html"):
        missing |= {(str(path.relative_to(ROOT)), m) for m in _template_msgids(path) if m and m not in known}
    assert sorted(missing) == []


# --- pages in English -----------------------------------------------------------------------------


@pytest.fixture
def site(org):
    return f.DesignationFactory(organization=org)


@pytest.fixture
def data_words(db):
    """Names typed in by people (places, units, rounds) stay as they were entered."""
    from sites.models import Jurisdiction, Organization, Round

    words = {"简体中文"}  # the language switch names each language in its own script
    for model, field in ((Jurisdiction, "name"), (Organization, "name"), (Round, "name")):
        words |= set(model.objects.values_list(field, flat=True))
    return sorted(words, key=len, reverse=True)


def _visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", TAG.sub(" ", html))


def _leftover_chinese(response, data_words):
    text = _visible_text(response)
    for word in data_words:
        text = text.replace(word, " ")
    return sorted(set(CJK.findall(text)))


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_home_page_is_chinese_without_a_preference(client, site):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    text = _visible_text(response)
    assert "示范点名录" in text
    assert "曲靖市党务公开工作示范点" in text
    assert "Demonstration site directory" not in text


def test_home_page_in_english_with_the_language_cookie(client, site, data_words):
    response = _english(client).get("/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    text = _visible_text(response)
    assert "Qujing Party-Affairs Disclosure Demonstration Sites" in text
    assert "Demonstration site directory" in text
    assert "Verify a plaque" in text
    assert "Latest plaque awards" in text
    assert "All dates and times are China time (UTC+8)." in text
    assert "示范点名录" not in text
    assert "核验牌匾" not in text
    assert _leftover_chinese(response, data_words) == []


def test_site_list_in_english_with_accept_language_header(client, site, data_words):
    response = client.get("/sites/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = _visible_text(response)
    assert "All Party-Affairs Disclosure Demonstration Sites, including those whose titles have been revoked." in text
    assert "All levels" in text
    assert "County-level" in text
    assert "1 demonstration site in total" in text  # plural form 1
    assert "全部级别" not in text
    assert "示范点名录" not in text
    assert _leftover_chinese(response, data_words) == []


def test_site_list_counts_use_the_english_plural(client, site, county):
    f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county))
    text = _visible_text(_english(client).get("/sites/"))
    assert "2 demonstration sites in total" in text


def test_site_list_is_chinese_by_default(client, site):
    text = _visible_text(client.get("/sites/"))
    assert "全部级别" in text
    assert "All levels" not in text


def test_login_page_in_english(client, data_words):
    response = _english(client).get("/portal/login/")
    assert response.status_code == 200
    text = _visible_text(response)
    assert "Log in to the dashboard" in text
    assert "Username" in text
    assert "Password" in text
    assert "After 5 wrong passwords in a row the account is locked for 30 minutes" in text
    assert "登录工作台" not in text
    assert "密码" not in text
    assert _leftover_chinese(response, data_words) == []


def test_county_dashboard_in_english(client, open_round, county_user, data_words):
    client.force_login(county_user)
    response = _english(client).get("/portal/")
    assert response.status_code == 200
    text = _visible_text(response)
    assert "Dashboard" in text
    assert "Rounds accepting applications" in text
    assert "New application" in text
    assert "Slots: 2" in text
    assert "Applications in this jurisdiction (by status)" in text
    assert "Log out" in text
    assert "正在申报的轮次" not in text
    assert "工作台" not in text
    assert _leftover_chinese(response, data_words) == []


def test_county_dashboard_is_chinese_by_default(client, open_round, county_user):
    client.force_login(county_user)
    text = _visible_text(client.get("/portal/"))
    assert "正在申报的轮次" in text
    assert "Rounds accepting applications" not in text


def test_language_switch_link_sets_english_and_returns(client, db):
    response = client.get("/i18n/switch/", {"language": "en", "next": "/sites/"})
    assert response.status_code == 302
    assert response["Location"] == "/sites/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Demonstration site directory" in _visible_text(client.get("/sites/"))


def test_django_setlang_post_sets_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/login/"})
    assert response.status_code == 302
    text = _visible_text(client.get("/portal/login/"))
    assert "Log in to the dashboard" in text
    assert "登录工作台" not in text


def test_switching_back_to_chinese(client, db):
    _english(client)
    client.get("/i18n/switch/", {"language": "zh-hans", "next": "/"})
    text = _visible_text(client.get("/portal/login/"))
    assert "登录工作台" in text


def test_domain_error_with_the_r2_limit_comes_out_in_english(open_round, county, county_user):
    """A service's message names the rule and the limit in the active language, placeholders filled in."""
    from django.utils import translation

    from qujing_disclosure.core.errors import DomainError
    from sites import services
    from sites.enums import ApplicationState

    for _n in range(4):  # quota 2 × ratio 2 = 4 recommendations already used
        f.ApplicationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=county),
                             state=ApplicationState.RECOMMENDED)
    fifth = f.ApplicationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=county),
                                 state=ApplicationState.SUBMITTED)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.application_recommend(actor=county_user, application_id=fifth.pk)
    assert str(caught.value) == (
        "At 2:1, with a quota of 2 in this round, 麒麟区 may recommend at most 4; "
        "4 have already been recommended, so no more can be recommended."
    )
