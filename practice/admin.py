import uuid
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .admin_access_log import AccessLogAdminMixin
from .admin_scoping import PracticeScopedAdmin, PracticeScopedAdminMixin, ReadOnlyAdminMixin
from .api.request import client_ip
from .errors import AccountLockedError
from .models import AuditEvent, Client, EmergencyContact, Message, Practice, Therapist, User, UserNotification
from .selectors import user_two_factor_enabled
from .services import two_factor
from .services.lockout import lockout_check, lockout_clear, lockout_record_failure

admin.site.site_header = _("Practice administration")
admin.site.site_title = _("Practice admin")
admin.site.index_title = _("Practice management")
# "View site" leads to the therapist frontend when its address is configured, else it is hidden.
admin.site.site_url = settings.FRONTEND_URL or None


@admin.register(Practice)
class PracticeAdmin(PracticeScopedAdmin):
    practice_path = ""
    list_display = ["name", "timezone", "default_language", "currency", "country", "created_at"]
    search_fields = ["name"]
    list_filter = ["currency", "country"]
    readonly_fields = ["id", "created_at", "updated_at"]


class PracticeUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class PracticeUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PracticeScopedAdminMixin, DjangoUserAdmin):
    form = PracticeUserChangeForm
    add_form = PracticeUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "practice", "is_active", "is_staff", "two_factor_on", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "practice"]
    list_select_related = ["practice", "two_factor"]
    actions = ["reset_two_factor"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["practice"]
    readonly_fields = ["id", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["id", "email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone", "preferred_language", "role", "practice"]}),
        (
            _("Access"),
            {"fields": ["is_active", "email_verified", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "therapist":
            # The autocomplete of any "therapist" field offers therapists only.
            queryset = queryset.filter(role=User.Role.THERAPIST)
        return queryset, may_have_duplicates

    @admin.display(boolean=True, description=_("2FA"))
    def two_factor_on(self, obj) -> bool:
        return user_two_factor_enabled(obj)

    @admin.action(description=_("Reset two-factor authentication (the user sets it up again)"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """For a lost phone: the authenticator and recovery codes are removed, and the user
        sets up a new one at their next sign-in. Each reset is written to the audit trail."""
        reset = [
            user
            for user in queryset.select_related("practice")
            if two_factor.two_factor_reset(actor=request.user, user=user, ip_address=client_ip(request))
        ]
        self.message_user(
            request,
            gettext("Two-factor authentication reset for %(len)s user(s).") % {"len": len(reset)}
            if reset
            else gettext("None of the selected users had two-factor authentication."),
            messages.SUCCESS if reset else messages.WARNING,
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Practice staff manage their colleagues' accounts, not anyone's privileges.
            fields += ["is_superuser", "groups", "user_permissions"]
        return fields

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "practice", "password1", "password2"],
            },
        )
    ]


@admin.register(Therapist)
class TherapistAdmin(PracticeScopedAdmin):
    practice_path = "user__practice"
    list_fields = (
        "specialties",
        "languages",
        "insurance_accepted",
        "session_types",
        "target_age_groups",
        "availability_days",
    )
    list_display = ["user", "license_number", "created_at"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "license_number"]
    list_filter = ["user__practice"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["id", "created_at", "updated_at"]


class EmergencyContactInline(admin.StackedInline):
    model = EmergencyContact
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Client)
class ClientAdmin(AccessLogAdminMixin, PracticeScopedAdmin):
    list_display = ["full_name", "email", "phone", "status", "practice", "created_at"]
    list_fields = ("help_requests",)
    list_filter = ["status", "practice"]
    list_select_related = ["practice"]
    search_fields = ["first_name", "last_name", "email"]
    autocomplete_fields = ["practice", "therapists"]
    readonly_fields = ["id", "access_log_link", "created_at", "updated_at"]
    inlines = [EmergencyContactInline]


@admin.register(EmergencyContact)
class EmergencyContactAdmin(PracticeScopedAdmin):
    practice_path = "client__practice"
    list_display = ["name", "relationship", "phone", "client"]
    search_fields = ["name", "client__first_name", "client__last_name"]
    list_select_related = ["client"]
    list_filter = ["client__practice"]
    autocomplete_fields = ["client"]
    readonly_fields = ["id", "created_at", "updated_at"]


class AuditClientFilter(admin.SimpleListFilter):
    """Entries about one client (``?client=<id>``), list entries that name the client among
    others included. A practice has thousands of clients, so the sidebar never lists them:
    it names the selected client only. Pick one by clicking a client in the list, after
    searching by the client's name or email if need be."""

    title = _("client")
    parameter_name = "client"

    def _selected_id(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.value()) if self.value() else None
        except ValueError:
            return None

    def lookups(self, request, model_admin):
        if self.value() is None:
            return []
        client_id = self._selected_id()
        clients = Client.objects.filter(pk=client_id)
        if not request.user.is_superuser:
            clients = clients.filter(practice_id=request.user.practice_id)
        client = clients.first() if client_id else None
        return [(self.value(), str(client) if client else "Unknown client")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        client_id = self._selected_id()
        return queryset.naming_client(client_id) if client_id else queryset.none()


class AuditActorFilter(admin.SimpleListFilter):
    """Entries by one user, chosen among the users of the viewer's own practice (a
    superuser: among everyone)."""

    title = _("by")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        users = User.objects.order_by("email").only("id", "email", "first_name", "last_name")
        if not request.user.is_superuser:
            users = users.filter(practice_id=request.user.practice_id)
        return [(str(user.pk), f"{user} <{user.email}>") for user in users]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            return queryset.filter(actor_id=uuid.UUID(self.value()))
        except ValueError:
            return queryset.none()


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    """The audit trail, read-only: nobody adds, edits or deletes entries here. Practice staff
    see their own practice's trail only; superusers see every practice's."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "record_type",
        "client_link",
        "ip_address",
        "chain_position",
        "practice",
    ]
    list_filter = [
        "action",
        "record_type",
        AuditClientFilter,
        AuditActorFilter,
        "practice",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["practice", "actor", "client"]
    search_fields = ["record_id", "actor__email", "client__first_name", "client__last_name", "client__email"]
    autocomplete_fields = ["actor", "client"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    ordering = ["-created_at", "-sequence"]

    def get_search_results(self, request, queryset, search_term):
        # A record id also finds the list pages that showed the record (``record_ids``).
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(record_ids__has_element=search_term.strip())
        return found, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        # The detail page shows the position the way the list does (the field itself would
        # show an entry not yet sealed as "-").
        return ["chain_position" if name == "sequence" else name for name in super().get_readonly_fields(request, obj)]

    @admin.display(description=_("sequence"), ordering="sequence")
    def chain_position(self, obj):
        """The entry's place in the practice's hash chain, once ``seal_audit_trail`` sealed it."""
        return obj.sequence if obj.sequence is not None else gettext("not yet sealed")

    @admin.display(description=_("client"), ordering="client__last_name")
    def client_link(self, obj):
        """The client, linking to this client's entries; for a list entry about several
        clients, how many (the detail page names them)."""
        if obj.client_ids:
            return ngettext("%(count)d client", "%(count)d clients", len(obj.client_ids)) % {
                "count": len(obj.client_ids)
            }
        if obj.client_id is None:
            return "-"
        return format_html('<a href="?{}">{}</a>', urlencode({"client": obj.client_id}), obj.client)


@admin.register(UserNotification)
class UserNotificationAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    """In-app notifications, read-only. The text may name a client, so neither the list
    nor the detail page shows it: who, what kind and whether it was read."""

    list_display = ["created_at", "recipient", "kind", "priority", "is_read", "practice"]
    list_filter = ["kind", "is_read", "practice", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["recipient", "practice"]
    search_fields = ["recipient__email", "recipient__last_name"]
    fields = ["id", "practice", "recipient", "kind", "priority", "is_read", "read_at", "created_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    """Messages, read-only and without their subject or body: only their two participants
    read those (through the API, audited). The admin shows who wrote to whom, when, and the
    read receipt."""

    list_display = ["created_at", "sender", "recipient", "priority", "read_at", "practice"]
    list_filter = ["priority", "practice", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["sender", "recipient", "practice"]
    search_fields = ["sender__email", "recipient__email"]
    fields = ["id", "practice", "sender", "recipient", "priority", "parent", "read_at", "created_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in counts against the same account lockout as the API's: failures
    here and there add up, and a locked account is refused here too, even with the right
    password."""

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if email:
            try:
                lockout_check(email)
            except AccountLockedError as exc:
                raise forms.ValidationError(exc.message, code="account_locked") from None
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if email and exc.code == "invalid_login":
                lockout_record_failure(email)
            raise
        if email:
            lockout_clear(email)
        return cleaned


admin.site.login_form = LockoutAdminAuthenticationForm
