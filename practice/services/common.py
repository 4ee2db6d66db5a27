"""Helpers every app's services share."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def _full_clean(instance: models.Model) -> None:
    instance.full_clean(validate_unique=False)


def model_update(
    *,
    instance: ModelT,
    fields: Iterable[str],
    data: Mapping[str, Any],
    clean: Callable[[ModelT], None] | None = None,
    save: bool = True,
) -> tuple[ModelT, list[str]]:
    """Set those of ``fields`` that ``data`` holds and whose value differs, validate, and
    save only what changed (with ``updated_at`` when the model has it).

    Returns the instance and the names of the changed fields, in the order of ``fields``;
    when nothing changed, nothing is validated or written. ``clean`` replaces the default
    validation (``full_clean`` without the uniqueness check): services pass their own, which
    skips the relations they resolved through scoped lookups. ``save=False`` only sets the
    fields, for a caller whose save must do more (catch a constraint, insert a new row)."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed and save:
        (clean or _full_clean)(instance)
        update_fields = list(changed)
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changed
