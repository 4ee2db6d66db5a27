import phonenumber_field.modelfields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practice', '0003_client_urgency_and_help_requests'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='phone',
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, help_text='E.164.', max_length=128, region=None),
        ),
        migrations.AddField(
            model_name='user',
            name='preferred_language',
            field=models.CharField(choices=[('nl', 'Nederlands'), ('en', 'English')], default='nl', max_length=2),
        ),
    ]
