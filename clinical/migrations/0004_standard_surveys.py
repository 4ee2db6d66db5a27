"""Every existing practice gets the built-in PHQ-9 and GAD-7 (new practices get them when
they are created, see clinical/receivers.py). Reversing leaves them: they may already have
responses, and the previous migration's reversal drops the table anyway."""

from django.db import migrations


def install(apps, schema_editor):
    from clinical import scoring
    from clinical.services.surveys import standard_survey_fields

    Practice = apps.get_model("practice", "Practice")
    Survey = apps.get_model("clinical", "Survey")
    for practice in Practice.objects.all():
        existing = set(Survey.objects.filter(practice=practice, is_standard=True).values_list("instrument", flat=True))
        Survey.objects.bulk_create(
            [
                Survey(practice=practice, **standard_survey_fields(spec))
                for code, spec in scoring.INSTRUMENTS.items()
                if code not in existing
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("clinical", "0003_surveys"), ("practice", "0002_revoked_token_family")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
