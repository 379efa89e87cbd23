"""Flag reasons become a code with parameters, rendered in the reader's language.

The Dutch sentence stored so far is kept as `legacy_reason` (the fallback for rows without a
code). Every stored sentence that can be read back exactly gets its code and parameters: the
state and due date come from the flag's cause, the answer date from `since`, the working
days and the department's name from the text, and a row is only converted when all of them
agree, so a converted flag reads in Dutch exactly as before. Anything else (older wording,
a renamed or deleted department) keeps showing its stored text.

The patterns below are frozen copies of the Dutch sentences as the scan wrote them until now;
they must not follow later changes to loket/monitoring/reasons.py.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

BATCH = 2000
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
NO_DEPARTMENT = "de afdeling"

STALLED_SUBMITTED = re.compile(
    r"Ingediend en na (?P<days>\d+) werkdagen nog niet opgepakt door een initiatiefmakelaar\.")
STALLED_INITIATORS = re.compile(
    r"Al meer dan (?P<days>\d+) werkdagen geen beweging in de status '.+'\. De "
    r"initiatiefnemers zijn aan zet; dit is geen vertraging bij de gemeente\. De makelaar kan "
    r"even contact opnemen om te horen hoe het gaat en of ze iets nodig hebben\.")
STALLED = re.compile(
    r"Staat langer dan (?P<days>\d+) werkdagen in de status '.+'; de initiatiefmakelaar is "
    r"aan zet\.")
OVERDUE = re.compile(
    r"De vraag aan (?P<department>.+) had uiterlijk (?P<date>\d{1,2} [a-z]+ \d{4}) beantwoord "
    r"moeten zijn\.")
ANSWERS = {
    "declined": re.compile(
        r"(?P<department>.+) antwoordde op (?P<date>\d{1,2} [a-z]+ \d{4}) 'niet akkoord'; na "
        r"(?P<days>\d+) werkdagen is er nog geen vervolg\. Bespreek de motivering en het "
        r"alternatief met de initiatiefnemers\."),
    "met": re.compile(
        r"Het gesprek met (?P<department>.+) stond gepland op (?P<date>\d{1,2} [a-z]+ \d{4}); "
        r"(?P<days>\d+) werkdagen later heeft de afdeling nog geen nieuw antwoord gegeven\."),
    "conversation": re.compile(
        r"(?P<department>.+) vroeg op (?P<date>\d{1,2} [a-z]+ \d{4}) om een gesprek; na "
        r"(?P<days>\d+) werkdagen is er nog geen afspraak gepland\."),
}
NO_BROKER = re.compile(
    r"Na (?P<days>\d+) werkdagen is er nog geen initiatiefmakelaar aan dit initiatief "
    r"gekoppeld\.")


def _dutch(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def read_back(kind: str, cause: str, text: str, since: datetime,
              department: str | None) -> tuple[str, dict] | None:
    """(code, parameters) of a stored Dutch reason, or None when it cannot be read exactly."""
    text = text.strip()
    parts = cause.split(":")
    if kind == "stalled" and len(parts) == 3 and parts[0] == "state":
        state = parts[1]
        for code, pattern in (("stalled_submitted", STALLED_SUBMITTED),
                              ("stalled_initiators", STALLED_INITIATORS),
                              ("stalled", STALLED)):
            match = pattern.fullmatch(text)
            if match:
                days = int(match["days"])
                if code == "stalled_submitted":
                    return (code, {"days": days}) if state == "submitted" else None
                return code, {"days": days, "state": state}
        return None
    named = department or NO_DEPARTMENT
    if kind == "overdue" and len(parts) == 3 and parts[0] == "request":
        match = OVERDUE.fullmatch(text)
        try:
            due = date.fromisoformat(parts[2])
        except ValueError:
            return None
        if match and match["department"] == named and match["date"] == _dutch(due):
            return "overdue", {"due": due.isoformat()}
        return None
    if kind == "blocked" and cause == "no_broker":
        match = NO_BROKER.fullmatch(text)
        return ("no_broker", {"days": int(match["days"])}) if match else None
    if kind == "blocked" and parts[0] in {"declined", "conversation"}:
        day = _local_date(since)
        codes = ["declined"] if parts[0] == "declined" else ["met", "conversation"]
        for code in codes:
            match = ANSWERS[code].fullmatch(text)
            if match and match["department"] == named and match["date"] == _dutch(day):
                return code, {"date": day.isoformat(), "days": int(match["days"])}
    return None


def backfill(apps, schema_editor):
    Flag = apps.get_model("monitoring", "Flag")
    rows = (Flag.objects.filter(reason_code="").exclude(legacy_reason="")
            .values_list("pk", "kind", "cause", "legacy_reason", "since", "department__name")
            .order_by("pk"))
    changed = []
    for pk, kind, cause, text, since, department in rows.iterator(chunk_size=BATCH):
        found = read_back(kind, cause, text, since, department)
        if found is not None:
            changed.append(Flag(pk=pk, reason_code=found[0], reason_params=found[1]))
        if len(changed) >= BATCH:
            Flag.objects.bulk_update(changed, ["reason_code", "reason_params"])
            changed = []
    if changed:
        Flag.objects.bulk_update(changed, ["reason_code", "reason_params"])


def write_back(apps, schema_editor):
    """Going back: flags raised with a code get their Dutch sentence as stored text."""
    from django.utils import translation

    from loket.monitoring.reasons import NAMES_DEPARTMENT, reason_text

    Flag = apps.get_model("monitoring", "Flag")
    changed = []
    with translation.override("nl"):
        for flag in (Flag.objects.filter(legacy_reason="").exclude(reason_code="")
                     .select_related("department").iterator(chunk_size=BATCH)):
            department = (flag.department.name if flag.reason_code in NAMES_DEPARTMENT
                          and flag.department is not None else None)
            flag.legacy_reason = reason_text(flag.reason_code, flag.reason_params,
                                             department=department)
            changed.append(flag)
    Flag.objects.bulk_update(changed, ["legacy_reason"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_flag_area_broker"),
    ]

    operations = [
        migrations.RenameField(model_name="flag", old_name="reason", new_name="legacy_reason"),
        migrations.AlterField(
            model_name="flag",
            name="legacy_reason",
            field=models.TextField(blank=True, default="", verbose_name="reden (oude tekst)"),
        ),
        migrations.AddField(
            model_name="flag",
            name="reason_code",
            field=models.CharField(blank=True, default="", max_length=30,
                                   verbose_name="reden (code)"),
        ),
        migrations.AddField(
            model_name="flag",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="reden (gegevens)"),
        ),
        migrations.RunPython(backfill, write_back, elidable=False),
    ]
