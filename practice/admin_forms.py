"""Form fields the admin edits with: lists of strings one item per line."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class LinesWidget(forms.Textarea):
    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return super().format_value(value)


class LinesField(forms.Field):
    """A JSON list of strings, edited as text with one item per line: blank lines and
    surrounding spaces are dropped."""

    widget = LinesWidget

    def __init__(self, *, max_length: int | None = 500, **kwargs):
        kwargs.setdefault("help_text", _("One item per line."))
        self.max_length = max_length
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("rows", 5)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if self.max_length:
            for item in value:
                if len(item) > self.max_length:
                    raise forms.ValidationError(
                        _("Each line holds at most %(max)s characters.") % {"max": self.max_length}, code="max_length"
                    )

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)
