from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practice', '0004_user_phone_preferred_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='profile_photo',
            field=models.ImageField(blank=True, help_text='Re-encoded by the upload service (metadata stripped); served by GET /api/profile/photo/{id}.', max_length=200, upload_to='profile-photos/'),
        ),
    ]
