"""The default stall and block rules (working days); the admin can change them afterwards."""

from django.db import migrations

STALL = {
    "submitted": (3, 2), "intake": (10, 5), "elaboration": (30, 10),
    "plan_submitted": (10, 5), "ready": (20, 10), "in_progress": (60, 20), "paused": (40, 20),
}
BLOCK = {
    "request_overdue": (0, 5), "declined_no_follow_up": (10, 5),
    "conversation_no_meeting": (5, 5), "no_broker": (5, 3),
}


def create_defaults(apps, schema_editor):
    StallRule = apps.get_model("monitoring", "StallRule")
    BlockRule = apps.get_model("monitoring", "BlockRule")
    for state, (days, escalation) in STALL.items():
        StallRule.objects.get_or_create(state=state, defaults={
            "working_days": days, "escalation_working_days": escalation})
    for kind, (days, escalation) in BLOCK.items():
        BlockRule.objects.get_or_create(kind=kind, defaults={
            "working_days": days, "escalation_working_days": escalation})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
