"""Helpers every app's services share."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(
    *, instance: ModelT, fields: Iterable[str], data: Mapping[str, Any], clean_exclude: Iterable[str] = ()
) -> tuple[ModelT, list[str]]:
    """Set those of ``fields`` that ``data`` holds, validate, and save only what changed.

    Returns the instance and the names of the fields whose value changed (empty when
    nothing did: nothing is written then). ``updated_at`` is saved with the changes when
    the model has it. ``clean_exclude`` names fields ``full_clean`` skips (relations the
    caller resolved through scoped lookups)."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean(exclude=list(clean_exclude), validate_unique=False)
        update_fields = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changed
