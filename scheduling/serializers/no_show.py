"""Input and payload of ``POST /api/appointments/{id}/no-show-policy``."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField, StrictDecimalField
from practice.api.serializers import CamelCaseFieldsMixin
from scheduling.models import Notification


class NoShowApplyInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=1000, help_text="Why the appointment counts as a no-show.")
    apply_fee = StrictBooleanField(default=False, help_text="Charge the no-show fee.")
    fee_amount = StrictDecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text=(
            "The fee, at most two decimals and at most the policy's maximum. Omitted: the policy's "
            "default fee. Ignored unless applyFee is true."
        ),
    )
    notify_client = StrictBooleanField(
        required=False,
        help_text="Email the client. Omitted: the policy's notify-by-default (no email without a policy).",
    )


class NoShowAppliedBySerializer(CamelCaseFieldsMixin, serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="full_name")


class NoShowRecordSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """A recorded no-show with its fee and the state of the client's notification."""

    id = serializers.UUIDField()
    appointment_id = serializers.UUIDField()
    status = serializers.CharField(source="appointment.status", help_text="The appointment's status: no_show.")
    reason = serializers.CharField()
    fee_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0"), allow_null=True, help_text="Null when no fee."
    )
    currency = serializers.SerializerMethodField(help_text="ISO 4217 code of the fee; null when no fee.")
    applied_at = serializers.DateTimeField()
    applied_by = NoShowAppliedBySerializer()
    notification_status = serializers.ChoiceField(
        choices=Notification.Status.choices,
        allow_null=True,
        help_text="State of the client's email: pending, sent or failed; null when the client was not notified.",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_currency(self, record) -> str | None:
        return record.currency or None
