"""Billing in the admin: staff set the rates per appointment type and the practice's VAT
and payment term, follow invoices and move them on (sent, paid). Invoices are never
edited or deleted here: their numbers and amounts are fixed once given."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext

from practice.admin_scoping import PracticeScopedAdmin, ReadOnlyAdminMixin
from practice.errors import DomainError
from scheduling.models import BillingSettings, Invoice, InvoiceItem, InvoiceNumberCounter, SessionRate
from scheduling.services.invoices import invoice_mark_paid, invoice_send


@admin.register(SessionRate)
class SessionRateAdmin(PracticeScopedAdmin):
    list_display = ["appointment_type", "amount", "currency", "description", "practice", "updated_at"]
    list_filter = ["appointment_type", "practice"]
    list_select_related = ["practice"]
    search_fields = ["description", "practice__name"]
    autocomplete_fields = ["practice"]
    readonly_fields = ["id", "created_at", "updated_at"]


@admin.register(BillingSettings)
class BillingSettingsAdmin(PracticeScopedAdmin):
    list_display = ["practice", "vat_rate", "payment_term_days", "vat_exemption_note"]
    list_select_related = ["practice"]
    search_fields = ["practice__name"]
    autocomplete_fields = ["practice"]
    readonly_fields = ["id", "created_at", "updated_at"]


@admin.register(InvoiceNumberCounter)
class InvoiceNumberCounterAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    list_display = ["practice", "year", "last_number"]
    list_filter = ["year", "practice"]
    list_select_related = ["practice"]
    search_fields = ["practice__name"]


class InvoiceItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InvoiceItem
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(PracticeScopedAdmin):
    list_display = [
        "invoice_number",
        "issue_date",
        "client",
        "therapist",
        "kind",
        "status",
        "total_amount",
        "currency",
        "due_date",
        "paid_date",
    ]
    list_filter = ["status", "kind", "practice", ("issue_date", admin.DateFieldListFilter)]
    list_select_related = ["client", "therapist", "practice"]
    search_fields = ["invoice_number", "client__first_name", "client__last_name", "client__email"]
    autocomplete_fields = ["client", "therapist", "practice"]
    date_hierarchy = "issue_date"
    show_full_result_count = False
    ordering = ["-issue_date", "-sequence"]
    inlines = [InvoiceItemInline]
    actions = ["send_to_client", "mark_paid"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Every field is read-only (no Save button); the list's actions still need the permission.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def _apply(self, request, queryset: QuerySet[Invoice], service, done: str) -> None:
        changed, refused = 0, []
        for invoice in queryset:
            try:
                service(actor=request.user, invoice=invoice)
                changed += 1
            except DomainError as exc:
                refused.append(f"{invoice.invoice_number}: {exc.message}")
        if changed:
            self.message_user(
                request,
                done % {"count": changed},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Send to the client (draft invoices)", permissions=["change"])
    def send_to_client(self, request, queryset):
        self._apply(request, queryset, invoice_send, gettext("%(count)s invoice(s) sent."))

    @admin.action(description="Mark as paid today (sent invoices)", permissions=["change"])
    def mark_paid(self, request, queryset):
        self._apply(request, queryset, invoice_mark_paid, gettext("%(count)s invoice(s) marked paid."))
