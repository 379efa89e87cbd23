"""English must be complete and correct: every Dutch string has an English translation with
the same placeholders, the compiled catalogues match their sources, and a resident who asks
for English gets it on the API and on the web pages.

Fix a failure with `manage.py makemessages -l en` (from the repository root), translate the
empty msgstr entries, then `manage.py compilemessages -l en -i .venv` and commit .po and .mo.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
LOKET = ROOT / "loket"
CATALOGUES = sorted(LOKET.glob("**/locale/en/LC_MESSAGES/django.po"))

# printf style (%(name)s, %(score).2f, %s, %d) and str.format style ({name}); %% is a literal.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?"
                         r"[sdifrx]|\{[A-Za-z_]\w*\}")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r'\\(.)', lambda m: escapes.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader (msgctxt, plurals, flags, obsolete entries): no extra dependency."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = Entry(msgid="")
        key: str | None = None
        values: dict[str, str] = {}
        for raw in block.splitlines():
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                continue
            if line.startswith("#") or not line.strip():
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
            if match:
                key = match.group(1)
                values[key] = _unquote(match.group(2))
            else:
                assert key is not None, f"{path}: cannot read {raw!r}"
                values[key] += _unquote(line.strip())
        if "msgid" not in values:
            continue
        entry.msgid = values["msgid"]
        entry.msgid_plural = values.get("msgid_plural")
        entry.msgctxt = values.get("msgctxt")
        for key, value in values.items():
            if key == "msgstr":
                entry.msgstr[0] = value
            elif key.startswith("msgstr["):
                entry.msgstr[int(key[7:-1])] = value
        entries.append(entry)
    return entries


def live_entries(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid and not e.obsolete]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


# -- the parser and the checks themselves ------------------------------------------------------

def test_po_reader_reads_plurals_flags_escapes_and_obsolete_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
                  '#, fuzzy, python-format\nmsgid "Hallo %(naam)s"\nmsgstr "Hello %(naam)s"\n\n'
                  'msgid "een \\"citaat\\""\n"\\n vervolg"\nmsgstr ""\n\n'
                  'msgid "%(n)s ding"\nmsgid_plural "%(n)s dingen"\n'
                  'msgstr[0] "%(n)s thing"\nmsgstr[1] "%(n)s things"\n\n'
                  '#~ msgid "oud"\n#~ msgstr "old"\n', encoding="utf-8")
    fuzzy, quoted, plural, old = [*live_entries(po), parse_po(po)[-1]]
    assert fuzzy.flags == {"fuzzy", "python-format"} and fuzzy.msgstr == {0: "Hello %(naam)s"}
    assert quoted.msgid == 'een "citaat"\n vervolg' and quoted.msgstr == {0: ""}
    assert plural.msgid_plural == "%(n)s dingen" and plural.msgstr[1] == "%(n)s things"
    assert old.obsolete and len(live_entries(po)) == 3
    assert placeholders("%(a)s, %(b).2f, %d, {c} en 100%%") == Counter(
        ["%(a)s", "%(b).2f", "%d", "{c}"])


def test_the_catalogues_are_where_django_looks_for_them() -> None:
    assert LOKET / "locale/en/LC_MESSAGES/django.po" in CATALOGUES
    assert Path(settings.LOCALE_PATHS[0]) == LOKET / "locale"
    for path in CATALOGUES:  # an app-level catalogue belongs to an installed app
        app = ".".join(path.relative_to(ROOT).parts[:-4])
        assert app == "loket" or app in settings.INSTALLED_APPS, path


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_has_an_english_translation(path: Path) -> None:
    missing = [e.msgid for e in live_entries(path)
               if "fuzzy" in e.flags or not e.msgstr or any(not s.strip()
                                                             for s in e.msgstr.values())]
    assert not missing, (f"{len(missing)} untranslated or fuzzy in {path.relative_to(ROOT)} "
                         f"(translate them, then compilemessages):\n" + "\n".join(missing))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_the_placeholders_of_the_dutch(path: Path) -> None:
    wrong = []
    for e in live_entries(path):
        for index, text in e.msgstr.items():
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            if text and placeholders(text) != placeholders(source):
                wrong.append(f"{e.msgid!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_a_msgid_in_two_catalogues_has_one_translation() -> None:
    seen: dict[tuple, tuple[str, dict[int, str]]] = {}
    conflicts = []
    for path in CATALOGUES:
        for e in live_entries(path):
            key = (e.msgctxt, e.msgid, e.msgid_plural)
            if key in seen and seen[key][1] != e.msgstr:
                conflicts.append(f"{e.msgid!r}: {seen[key][1]} ({seen[key][0]}) vs {e.msgstr}")
            seen.setdefault(key, (str(path.relative_to(ROOT)), e.msgstr))
    assert not conflicts, "same Dutch, different English:\n" + "\n".join(conflicts)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_its_source(path: Path) -> None:
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in live_entries(path):
        if "fuzzy" in e.flags:
            continue
        msgid = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural is None:
            if e.msgstr.get(0):
                expected[msgid] = e.msgstr[0]
        else:
            expected.update({(msgid, i): s for i, s in e.msgstr.items() if s})
    actual = {k: v for k, v in compiled.items() if k != ""}
    assert actual == expected, f"run compilemessages: {path.with_suffix('.mo')} is stale"


# -- every translatable string in the source is in a catalogue -----------------------------------

GETTEXT_CALLS = {"_", "_g", "gettext", "gettext_lazy", "gettext_noop", "pgettext",
                 "pgettext_lazy", "ngettext", "ngettext_lazy"}
TEMPLATE_TRANSLATE = re.compile(r"""{%\s*trans(?:late)?\s+(?:"((?:[^"\\]|\\.)*)"|'([^']*)')""")
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b([^%]*)%}(.*?){%\s*endblocktrans(?:late)?\s*%}",
                   re.S)


def _python_msgids(path: Path) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args]
        if name.startswith("pgettext") and len(args) >= 2 and args[0] and args[1]:
            found.add((args[0], args[1]))
        elif args and args[0]:
            found.add((None, args[0]))
    return found


def _template_msgids(path: Path) -> set[tuple[str | None, str]]:
    text = path.read_text(encoding="utf-8")
    found = {(None, a or b) for a, b in TEMPLATE_TRANSLATE.findall(text)}
    for options, body in BLOCK.findall(text):
        if "{% plural" in body or "context" in options:
            body = body.split("{% plural")[0]
        if "trimmed" in options:
            body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
        body = body.replace("%", "%%")
        found.add((None, re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body)))
    return found


def test_every_translatable_string_in_the_source_is_in_a_catalogue() -> None:
    known = {(e.msgctxt, e.msgid) for path in CATALOGUES for e in live_entries(path)}
    sources = [p for p in LOKET.rglob("*") if p.suffix in {".py", ".html", ".txt"}
               and "migrations" not in p.parts and "locale" not in p.parts]
    missing = set()
    for path in sources:
        msgids = _python_msgids(path) if path.suffix == ".py" else _template_msgids(path)
        missing |= {(str(path.relative_to(ROOT)), m) for c, m in msgids if (c, m) not in known}
    assert not missing, ("not in any catalogue: run `manage.py makemessages -l en`, translate, "
                         "compilemessages:\n" + "\n".join(f"{p}: {m!r}" for p, m in
                                                          sorted(missing)))


# -- what a resident sees --------------------------------------------------------------------

def _catalogue() -> dict[str, str]:
    return {e.msgid: e.msgstr[0] for path in CATALOGUES for e in live_entries(path)
            if e.msgid_plural is None}


@pytest.mark.django_db
def test_an_api_error_comes_in_english_when_asked_for() -> None:
    client = Client()
    dutch = client.post("/api/v1/initiatives", data="{}", content_type="application/json")
    english = client.post("/api/v1/initiatives", data="{}", content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert dutch.status_code == english.status_code == 400
    assert english["Content-Type"].startswith("application/problem+json")
    assert english["Content-Language"] == "en"
    nl, en = dutch.json(), english.json()
    assert en["title"] == "The request contains errors."
    assert en["detail"] == "The input is not valid."
    assert {p["name"] for p in en["invalid_params"]} == {p["name"] for p in nl["invalid_params"]}
    assert "This field is required." in {p["reason"] for p in en["invalid_params"]}
    translations = _catalogue()
    for nl_param, en_param in zip(nl["invalid_params"], en["invalid_params"], strict=True):
        assert en_param["reason"] == translations[nl_param["reason"]], nl_param


@pytest.mark.django_db
def test_a_web_page_comes_in_english_with_the_language_cookie() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert '<html lang="en"' in page
    for english in ("Do you have an idea for your neighbourhood?", "Skip to content",
                    "Submit an initiative", "Staff log-in"):
        assert english in page
    for dutch in ("Heeft u een idee voor uw buurt?", "Direct naar de inhoud", "Welkom"):
        assert dutch not in page


@pytest.mark.django_db
def test_the_intake_form_is_english_after_choosing_english_with_set_language() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/initiatief/nieuw").content.decode()
    assert "What would you like to do?" in page and "Wat wilt u doen?" not in page
