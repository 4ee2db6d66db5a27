from django.db import migrations

from practice.db.statistics import dependency_statistics

# A therapist works in one practice, so "therapist = X AND practice = P" selects exactly
# the therapist's appointments. PostgreSQL multiplies the two selectivities as if they were
# independent and, expecting a few dozen rows where a page needs fifty, reads the
# therapist's whole history through two intersected indexes and sorts it instead of
# walking appt_therapist_start_idx from today and stopping at the page.


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0010_model_names_and_labels")]

    operations = [
        dependency_statistics(
            "scheduling_appointment_therapist_practice_dep", "scheduling_appointment", ("therapist_id", "practice_id")
        )
    ]
