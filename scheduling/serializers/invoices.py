"""Invoices out (the frontend's ``Invoice`` and ``InvoiceItem`` types, snake_case; money as
numbers with two decimals and a currency) and the session page's generate-invoice body in."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from practice.serializers import TherapistRefSerializer
from scheduling.models import Invoice, InvoiceItem

MONEY = {"max_digits": 10, "decimal_places": 2}


class InvoiceItemSerializer(serializers.ModelSerializer):
    appointment_id = serializers.UUIDField(read_only=True, allow_null=True)
    quantity = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    unit_price = serializers.DecimalField(**MONEY, read_only=True)
    total = serializers.DecimalField(**MONEY, read_only=True, help_text="Before VAT.")
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, help_text="Percent.")

    class Meta:
        model = InvoiceItem
        fields = ["id", "description", "quantity", "unit_price", "total", "tax_rate", "appointment_id"]
        read_only_fields = fields


class InvoiceClientSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice with everything a printed one shows: number, dates, parties, lines, VAT
    (or the exemption note) and totals."""

    client_id = serializers.UUIDField(read_only=True)
    therapist_id = serializers.UUIDField(read_only=True)
    appointment_id = serializers.UUIDField(read_only=True)
    client = InvoiceClientSerializer(read_only=True)
    therapist = TherapistRefSerializer(read_only=True)
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    subtotal = serializers.DecimalField(**MONEY, read_only=True)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, help_text="Percent.")
    tax_amount = serializers.DecimalField(**MONEY, read_only=True)
    total_amount = serializers.DecimalField(**MONEY, read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "invoice_number",
            "kind",
            "status",
            "client_id",
            "therapist_id",
            "appointment_id",
            "client",
            "therapist",
            "practice_name",
            "issue_date",
            "due_date",
            "sent_at",
            "paid_date",
            "currency",
            "subtotal",
            "tax_rate",
            "tax_amount",
            "total_amount",
            "tax_exemption_note",
            "notes",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(InvoiceItemSerializer(many=True))
    def get_items(self, invoice: Invoice):
        items = getattr(invoice, "item_list", None)
        if items is None:
            items = invoice.items.order_by("id")
        return InvoiceItemSerializer(items, many=True).data


class SessionInvoiceInputSerializer(serializers.Serializer):
    """What the session page sends after ending a session. The amount comes from the
    practice's rate for the appointment's type, never from the body: ``sessionDuration``
    and ``sessionType`` are accepted and not used."""

    appointment_id = serializers.UUIDField(required=False, allow_null=True, help_text="The session's appointment.")
    client_id = serializers.UUIDField(required=False, allow_null=True, help_text="The session's client.")
    session_duration = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=24 * 60, help_text="Minutes; not used."
    )
    session_type = StrictCharField(required=False, allow_blank=True, max_length=100, help_text="Not used.")
    auto_send = StrictBooleanField(
        default=False, help_text="Also email the invoice to the client (when they have an email address)."
    )
