from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practice', '0005_user_profile_photo'),
    ]

    operations = [
        migrations.AddField(
            model_name='therapist',
            name='address_city',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='therapist',
            name='address_country',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name='therapist',
            name='address_postal_code',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='therapist',
            name='address_street',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='therapist',
            name='availability_days',
            field=models.JSONField(blank=True, default=list, help_text='List of weekday names.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='availability_hours',
            field=models.CharField(blank=True, help_text='Free text, e.g. 9:00-17:00.', max_length=100),
        ),
        migrations.AddField(
            model_name='therapist',
            name='insurance_accepted',
            field=models.JSONField(blank=True, default=list, help_text='List of insurer names.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='languages',
            field=models.JSONField(blank=True, default=list, help_text='List of strings.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='qualifications',
            field=models.JSONField(blank=True, default=list, help_text='List of {degree, institution, year}, as the profile page edits them.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='session_types',
            field=models.JSONField(blank=True, default=list, help_text='List of strings.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='target_age_groups',
            field=models.JSONField(blank=True, default=list, help_text='List of strings.'),
        ),
        migrations.AddField(
            model_name='therapist',
            name='years_of_experience',
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='therapist',
            name='license_number',
            field=models.CharField(blank=True, help_text='Registration number (e.g. BIG).', max_length=64),
        ),
        migrations.AlterField(
            model_name='therapist',
            name='specialties',
            field=models.JSONField(blank=True, default=list, help_text='List of strings.'),
        ),
    ]
