"""Admin for staff: no-show policies, the fee history and the notification outbox.

Staff who are not superusers see only their own practice's rows."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext

from practice.admin_scoping import PracticeScopedAdmin, ReadOnlyAdminMixin
from practice.errors import DomainError
from scheduling.models import NoShowPolicy, NoShowRecord, Notification
from scheduling.services.invoices import invoice_create_for_no_show
from scheduling.services.notifications import notifications_retry_now


@admin.register(NoShowPolicy)
class NoShowPolicyAdmin(PracticeScopedAdmin):
    list_display = ["name", "practice", "is_active", "default_fee", "maximum_fee", "grace_minutes", "notify_by_default"]
    list_filter = ["is_active", "notify_by_default", "practice"]
    list_select_related = ["practice"]
    search_fields = ["name", "practice__name"]
    autocomplete_fields = ["practice"]
    readonly_fields = ["id", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["practice", "name", "is_active"]}),
        ("Fees", {"fields": ["default_fee", "maximum_fee", "grace_minutes"]}),
        ("Client email", {"fields": ["notify_by_default", "email_subject", "email_body"]}),
        ("Dates", {"fields": ["id", "created_at", "updated_at"]}),
    ]


@admin.register(NoShowRecord)
class NoShowRecordAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    """The fee history: recorded through the API only, never edited here."""

    list_display = ["applied_at", "client", "fee_amount", "currency", "applied_by", "practice", "reason"]
    list_filter = ["practice", ("applied_at", admin.DateFieldListFilter), "currency"]
    list_select_related = ["client", "applied_by", "practice"]
    search_fields = ["client__first_name", "client__last_name", "client__email", "reason"]
    autocomplete_fields = ["client", "applied_by", "practice", "policy"]
    date_hierarchy = "applied_at"
    show_full_result_count = False
    ordering = ["-applied_at"]
    actions = ["invoice_fee"]

    @admin.action(description="Invoice the fee (one invoice per no-show)", permissions=["invoice"])
    def invoice_fee(self, request, queryset: QuerySet[NoShowRecord]):
        for record in queryset:
            try:
                invoice = invoice_create_for_no_show(actor=request.user, appointment_id=record.appointment_id)
            except DomainError as exc:
                self.message_user(
                    request,
                    gettext("%(client)s: %(message)s") % {"client": record.client, "message": exc.message},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("Invoice %(invoice_number)s created.") % {"invoice_number": invoice.invoice_number},
                    messages.SUCCESS,
                )

    def has_invoice_permission(self, request) -> bool:
        # The fee history stays read-only; invoicing a fee needs the right to add invoices.
        return request.user.has_perm("scheduling.add_invoice")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    """The outbox. Undelivered rows can be sent again at once with "Retry now"."""

    list_display = ["created_at", "kind", "channel", "status", "attempts", "next_attempt_at", "sent_at", "client"]
    list_filter = ["status", "kind", "channel", "practice", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["client", "practice"]
    search_fields = ["to_address", "subject", "client__first_name", "client__last_name"]
    autocomplete_fields = ["client", "practice", "no_show_record"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    ordering = ["-created_at"]
    actions = ["retry_now"]

    @admin.action(description="Retry now (send the selected undelivered notifications)", permissions=["retry"])
    def retry_now(self, request, queryset: QuerySet[Notification]):
        count = notifications_retry_now(ids=queryset.values_list("pk", flat=True))
        if count:
            self.message_user(
                request,
                gettext("%(count)s notification(s) queued; sending them now.") % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, gettext("Nothing to retry: the selected notifications were already sent."))

    def has_retry_permission(self, request) -> bool:
        # Rows stay read-only; retrying needs the model's change permission.
        return request.user.has_perm("scheduling.change_notification")
