"""The one place the clinical app reacts to another app's event.

Dependencies point one way (``practice`` <- ``clinical``): the practice app cannot call
clinical services when a practice is created, so clinical listens for it and gives the new
practice its standard instruments, in the same transaction as the practice's row."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from practice.models import Practice

from .services.surveys import standard_surveys_install


@receiver(post_save, sender=Practice, dispatch_uid="clinical_install_standard_surveys")
def install_standard_surveys(sender, instance: Practice, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:  # not while loading fixtures: they carry their own rows
        standard_surveys_install(practice=instance)
