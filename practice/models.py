"""Core domain: the practice (tenant), its users, therapists, clients and emergency contacts,
and the tamper-evident audit trail every clinical read and write goes through."""

import json
import uuid
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone.")


class TimeStampedModel(models.Model):
    """UUID primary key (the public id) plus creation and update timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Language(models.TextChoices):
    """The languages the API, emails and admin speak."""

    DUTCH = "nl", _("Nederlands")
    ENGLISH = "en", _("English")


class Practice(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. Europe/Amsterdam: the admin and every local date and time use it."),
    )
    default_language = models.CharField(
        _("default language"),
        max_length=2,
        choices=Language.choices,
        default=Language.DUTCH,
        help_text=_(
            "For users without a preferred language whose browser does not say, and for clients' emails "
            "when the client's language is not known."
        ),
    )
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code.")
    country = models.CharField(
        max_length=2, default="NL", help_text="ISO 3166 code; the default region for phone numbers."
    )
    require_two_factor_for_staff = models.BooleanField(
        default=False,
        help_text="Staff must set up two-factor authentication before using the API (therapists always must).",
    )

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


#: Where profile photos are stored (under MEDIA_ROOT, or the bucket), each under a random name.
PROFILE_PHOTO_DIRECTORY = "profile-photos/"


def person_full_name(first_name: str, last_name: str) -> str:
    """A person's name as shown everywhere: first and last name, either may be empty."""
    return f"{first_name} {last_name}".strip()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.STAFF)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a therapist or a member of the practice staff.

    ``is_staff`` is Django's flag for admin access; ``role`` is the practice role."""

    class Role(models.TextChoices):
        THERAPIST = "therapist", _("therapist")
        STAFF = "staff", _("staff")

    Language = Language

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.THERAPIST)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    phone = PhoneNumberField(blank=True, help_text="E.164.")
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: the browser's language, else the practice's default language."),
    )
    profile_photo = models.ImageField(
        upload_to=PROFILE_PHOTO_DIRECTORY,
        blank=True,
        max_length=200,
        help_text="Re-encoded by the upload service (metadata stripped); served by GET /api/profile/photo/{id}.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the admin.")
    email_verified = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        indexes = [models.Index(fields=["practice", "role"])]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return person_full_name(self.first_name, self.last_name)

    @property
    def display_language(self) -> str:
        """The user's own language, else the practice's default (``practice.i18n``)."""
        if self.preferred_language:
            return self.preferred_language
        return self.practice.default_language if self.practice_id else Language.ENGLISH

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def is_practice_staff(self) -> bool:
        return self.role == self.Role.STAFF


class Therapist(TimeStampedModel):
    """Professional profile of a therapist user. Everywhere in the API a therapist is
    identified by their user id."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="therapist_profile")
    license_number = models.CharField(max_length=64, blank=True, help_text="Registration number (e.g. BIG).")
    specialties = models.JSONField(default=list, blank=True, help_text="List of strings.")
    bio = models.TextField(blank=True)
    qualifications = models.JSONField(
        default=list, blank=True, help_text="List of {degree, institution, year}, as the profile page edits them."
    )
    languages = models.JSONField(default=list, blank=True, help_text="List of strings.")
    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    insurance_accepted = models.JSONField(default=list, blank=True, help_text="List of insurer names.")
    session_types = models.JSONField(default=list, blank=True, help_text="List of strings.")
    target_age_groups = models.JSONField(default=list, blank=True, help_text="List of strings.")
    availability_days = models.JSONField(default=list, blank=True, help_text="List of weekday names.")
    availability_hours = models.CharField(max_length=100, blank=True, help_text="Free text, e.g. 9:00-17:00.")
    address_street = models.CharField(max_length=200, blank=True)
    address_postal_code = models.CharField(max_length=20, blank=True)
    address_city = models.CharField(max_length=100, blank=True)
    address_country = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("therapist profile")
        verbose_name_plural = _("therapist profiles")

    def __str__(self) -> str:
        return str(self.user)


class Client(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WAITLIST = "waitlist", _("Waitlist")
        INACTIVE = "inactive", _("Inactive")
        DISCHARGED = "discharged", _("Discharged")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        EMERGENCY = "emergency", _("Emergency")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True, help_text="Postal address, as the client gave it.")
    profile_photo_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    urgency_level = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("The language of the client's emails; empty: the practice's default language."),
    )
    help_requests = models.JSONField(
        default=list,
        blank=True,
        help_text="The client's requests for help (hulpvragen) recorded at intake, one per line.",
    )
    therapists = models.ManyToManyField(
        User,
        related_name="assigned_clients",
        blank=True,
        limit_choices_to={"role": User.Role.THERAPIST},
        help_text="The therapists assigned to this client; only they read clinical records.",
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["practice", "status"]),
            models.Index(Lower("last_name"), "practice", name="client_practice_lastname_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return person_full_name(self.first_name, self.last_name)


class EmergencyContact(TimeStampedModel):
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="emergency_contact")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    phone = PhoneNumberField()
    alternate_phone = PhoneNumberField(blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


class AuditEventQuerySet(models.QuerySet):
    def naming_client(self, client_id):
        """Entries about this client's record: its own entries and the list entries that
        name it among several clients (``client_ids``)."""
        client_id = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
        # client_ids holds the canonical text form (with hyphens), as the writer stores it.
        return self.filter(Q(client_id=client_id) | Q(client_ids__has_element=str(client_id)))

    def update(self, **kwargs):
        raise PermissionError("Audit entries are never edited.")

    def delete(self):
        raise PermissionError("Audit entries are never deleted.")


class AuditEventManager(models.Manager.from_queryset(AuditEventQuerySet)):
    def sealed(self):
        """Entries linked into their practice's chain (``sequence`` set)."""
        return self.filter(sequence__isnull=False)

    def unsealed(self):
        """Entries written but not yet linked into the chain."""
        return self.filter(sequence__isnull=True)

    def seal(self, entries) -> int:
        """Write the chain fields (``sequence``, ``prev_hash``, ``hash``) of entries not yet
        sealed, as set on ``entries`` by ``practice.services.audit.audit_seal``.

        The one write audit entries allow, and the narrowest: only those three fields, only
        on rows whose ``sequence`` is still NULL; a sealed row is never touched, so calling
        this on a sealed entry changes nothing. Returns the number of rows sealed. Its caller
        holds the practice's chain lock (``audit_seal`` does), so that two sealers never
        hand out one position twice."""
        if not entries:
            return 0
        conn = connections[router.db_for_write(self.model)]
        meta = self.model._meta
        id_field = meta.pk
        columns = {name: conn.ops.quote_name(meta.get_field(name).column) for name in ("sequence", "prev_hash", "hash")}
        sql = (
            f"UPDATE {conn.ops.quote_name(meta.db_table)} "  # noqa: S608 (names from the model only)
            f"SET {columns['sequence']} = %s, {columns['prev_hash']} = %s, {columns['hash']} = %s "
            f"WHERE {conn.ops.quote_name(id_field.column)} = %s AND {columns['sequence']} IS NULL"
        )
        rows = [
            (entry.sequence, entry.prev_hash, entry.hash, id_field.get_db_prep_value(entry.pk, conn))
            for entry in entries
        ]
        with conn.cursor() as cursor:
            cursor.executemany(sql, rows)
            return cursor.rowcount


class AuditEvent(models.Model):
    """One read or change of clinical data, or one no-show/fee.

    Entries form one hash chain per practice: ``hash`` covers the entry's own fields and
    the previous entry's hash, so editing or removing a row breaks every later link
    (``manage.py verify_audit_trail``). Field *names* that changed are kept, never values.

    One entry names one record, or, for the records of one kind a list page shows, all of
    them: ``record_ids`` then holds their ids (``record_id`` is empty), and ``client_ids``
    their clients when they are of several (``client`` is then NULL), so that a page costs
    one row and still names every client whose record was shown (NEN 7513).

    A request writes its entries *unsealed* (``sequence``, ``prev_hash`` and ``hash`` NULL),
    without a lock; ``manage.py seal_audit_trail`` links them into the chain afterwards,
    in the order it seals them (``practice.services.audit.audit_seal``)."""

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")

    class RecordType(models.TextChoices):
        """The parts of a client's record (and the other records) an entry may be about,
        each with the label the access log and the admin show."""

        ACCESS_LOG = "access_log", _("access log")
        APPOINTMENT_PREPARATION = "appointment_preparation", _("appointment preparation")
        AUDIT_TRAIL = "audit_trail", _("audit trail")
        CHALLENGE_ASSIGNMENT = "challenge_assignment", _("assigned challenge")
        EMERGENCY_CONTACT = "emergency_contact", _("emergency contact")
        INVOICE = "invoice", _("invoice")
        MEDICAL_HISTORY = "medical_history", _("medical history")
        MESSAGE = "message", _("message")
        NO_SHOW_RECORD = "no_show_record", _("no-show")
        RESOURCE_ASSIGNMENT = "resource_assignment", _("assigned resource")
        SESSION = "session", _("session")
        SESSION_NOTE = "session_note", _("session note")
        SESSION_SUMMARY = "session_summary", _("session summary")
        SURVEY_ASSIGNMENT = "survey_assignment", _("assigned questionnaire")
        SURVEY_RESPONSE = "survey_response", _("questionnaire answers")
        THERAPY_GOAL = "therapy_goal", _("therapy goal")
        THERAPY_GOAL_LIST = "therapy_goal_list", _("therapy goals")
        TWO_FACTOR = "two_factor", _("two-factor authentication")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of their own on the three keys: the composite indexes below lead with them,
    # and every entry written (and sealed) updates each index the table has.
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="audit_events", db_index=False)
    sequence = models.PositiveBigIntegerField(
        _("sequence"),
        null=True,
        blank=True,
        help_text=_("Position in the practice's chain; empty until the entry is sealed into it."),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
        verbose_name=_("by"),
        db_index=False,
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    record_type = models.CharField(_("record part"), max_length=64, choices=RecordType.choices)
    record_id = models.CharField(_("record id"), max_length=64)
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
        verbose_name=_("client"),
        db_index=False,
    )
    record_ids = models.JSONField(
        _("record ids"),
        default=list,
        blank=True,
        help_text=_("The records a list page showed; empty when the entry names one record."),
    )
    client_ids = models.JSONField(
        _("clients"),
        default=list,
        blank=True,
        help_text=_("The clients of those records when they are of several; empty otherwise."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    # NULL (with ``sequence``) until sealed: a NULL, not "", so that the check below holds.
    prev_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    objects = AuditEventManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        # Newest first: unsealed entries (the newest) before the chain, on every database.
        ordering = ["practice", models.F("sequence").desc(nulls_first=True), "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "sequence"], name="audit_practice_sequence_uniq"),
            models.CheckConstraint(
                condition=Q(sequence__isnull=True, prev_hash__isnull=True, hash__isnull=True)
                | Q(sequence__isnull=False, prev_hash__isnull=False, hash__isnull=False),
                name="audit_sealed_all_or_nothing",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
            # What the sealer looks for, in the order it seals: small, as it holds only the
            # entries of the last minute or so.
            models.Index(
                fields=["practice", "created_at", "id"],
                condition=Q(sequence__isnull=True),
                name="audit_unsealed_idx",
            ),
        ]

    def __str__(self) -> str:
        position = f"#{self.sequence}" if self.sequence is not None else "#-"
        record = f"{len(self.record_ids)} records" if self.record_ids else self.record_id
        return f"{position} {self.action} {self.record_type} {record}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are never deleted.")

    @property
    def named_record_ids(self) -> list[str]:
        """Every record the entry names: the one, or all of a list page's."""
        return list(self.record_ids) or [self.record_id]

    @property
    def named_client_ids(self) -> list[uuid.UUID]:
        """Every client whose record the entry names (none for a record of no client)."""
        if self.client_ids:
            return [uuid.UUID(value) for value in self.client_ids]
        return [self.client_id] if self.client_id else []


class JSONArrayHasElement(models.Lookup):
    """``field__has_element=value``: the JSON array holds the string ``value``. On
    PostgreSQL a containment test (``@>``) on a non-empty array, for ``client_ids`` the
    condition of the partial GIN index ``audit_client_ids_gin`` (migration 0013) that
    serves the access log; elsewhere (SQLite) a scan of the array with ``json_each``."""

    lookup_name = "has_element"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608 (lhs is a column)
        return sql, [*params, str(self.rhs)]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return (
            f"({lhs} <> '[]'::jsonb AND {lhs} @> %s::jsonb)",
            [*params, *params, json.dumps([str(self.rhs)])],
        )


AuditEvent._meta.get_field("client_ids").register_lookup(JSONArrayHasElement)
AuditEvent._meta.get_field("record_ids").register_lookup(JSONArrayHasElement)


class AuditChainAnchor(models.Model):
    """Where a practice's audit chain starts after entries past the retention period
    (``AUDIT_RETENTION_DAYS``) were removed by ``manage.py prune_audit_trail``.

    The first remaining entry links to ``through_hash``, the hash of the last removed one
    (entry ``through_sequence``). The removal is itself an entry of the chain (record type
    ``audit_trail``, action ``delete``, record id ``through_sequence``), written before the
    removal, so an anchor nobody wrote into the chain does not verify."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="audit_anchors")
    through_sequence = models.PositiveBigIntegerField(help_text=_("The last removed entry."))
    through_hash = models.CharField(max_length=64, help_text=_("The hash of the last removed entry."))
    removed_count = models.PositiveBigIntegerField()
    removed_before = models.DateTimeField(help_text=_("Entries older than this were removed."))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit chain anchor")
        verbose_name_plural = _("audit chain anchors")
        ordering = ["practice", "-through_sequence"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "through_sequence"], name="audit_anchor_practice_seq_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.practice}: from #{self.through_sequence + 1}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are never deleted.")


class RevokedTokenFamily(models.Model):
    """A refresh-token family that may no longer be used.

    Every login starts a family (the ``fam`` claim), kept through each rotation. When a
    refresh token that was already rotated is presented again, the token was copied: the
    whole family is revoked, so neither the thief nor the user can refresh with it any
    more and the user signs in again."""

    family = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="revoked_token_families", null=True)
    reason = models.CharField(max_length=100)
    revoked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("revoked token family")
        verbose_name_plural = _("revoked token families")

    def __str__(self) -> str:
        return f"{self.family} ({self.reason})"


class TwoFactorDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238).

    Created pending by the setup step and enabled once the user proves it with a code. The
    secret is stored encrypted (``practice.two_factor_crypto``). ``last_used_step`` is the
    last accepted TOTP time step: a code is accepted only for a later step, so no code is
    ever accepted twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    encrypted_secret = models.TextField(help_text="The base32 TOTP secret, Fernet-encrypted.")
    enabled = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="When setup was completed.")
    last_used_step = models.BigIntegerField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"{self.user} ({'enabled' if self.enabled else 'pending'})"

    @property
    def secret(self) -> str:
        from practice.two_factor_crypto import decrypt_secret

        return decrypt_secret(self.encrypted_secret)

    @secret.setter
    def secret(self, value: str) -> None:
        from practice.two_factor_crypto import encrypt_secret

        self.encrypted_secret = encrypt_secret(value)


class TwoFactorRecoveryCode(models.Model):
    """A one-time recovery code: only a salted SHA-256 digest is kept; ``used_at`` is set
    by the one conditional update that accepts it."""

    device = models.ForeignKey(TwoFactorDevice, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor recovery code")
        verbose_name_plural = _("two-factor recovery codes")

    def __str__(self) -> str:
        return f"recovery code of {self.device.user} ({'used' if self.used_at else 'unused'})"


class TwoFactorChallenge(models.Model):
    """The second step of a sign-in with two-factor authentication: the ``tempToken`` a
    correct password earns. Only its SHA-256 digest is stored; it expires after
    ``TWO_FACTOR_TEMP_TOKEN_SECONDS`` and is used at most once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_challenges")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor sign-in")
        verbose_name_plural = _("two-factor sign-ins")

    def __str__(self) -> str:
        return f"sign-in challenge of {self.user}"


class RefreshTokenRotation(models.Model):
    """What rotating a refresh token produced, kept for the grace window
    (``AUTH_REFRESH_GRACE_SECONDS``): the same rotated token presented again within it
    (another browser tab refreshing at the same moment) answers with the same successor
    instead of counting as reuse."""

    previous_jti = models.CharField(max_length=255, unique=True)
    successor = models.ForeignKey("token_blacklist.OutstandingToken", on_delete=models.CASCADE, related_name="+")
    access_token = models.TextField()
    rotated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("refresh token rotation")
        verbose_name_plural = _("refresh token rotations")

    def __str__(self) -> str:
        return f"{self.previous_jti} -> {self.successor_id}"


class UserNotification(models.Model):
    """An in-app notification for one user (the bell), written by the domain in the same
    transaction as the event it reports (``practice.services.notifications.user_notify``).

    ``message`` may name a client or hold other health information: it is shown to the
    recipient only and never logged."""

    class Kind(models.TextChoices):
        APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
        APPOINTMENT_MOVED = "appointment_moved", _("Appointment moved")
        APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
        APPOINTMENT_NO_SHOW = "appointment_no_show", _("No-show recorded")
        MESSAGE_RECEIVED = "message_received", _("New message")
        SURVEY_FLAGGED = "survey_flagged", _("Survey response flagged")
        CHALLENGE_COMPLETED = "challenge_completed", _("Challenge completed")
        RESOURCE_COMPLETED = "resource_completed", _("Resource completed")
        SYSTEM = "system", _("System")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="user_notifications")
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    title = models.CharField(max_length=200)
    message = models.TextField(max_length=2000, blank=True)
    action_url = models.CharField(max_length=300, blank=True, help_text="A path of the frontend, e.g. /therapist/…")
    related_entity_type = models.CharField(max_length=32, blank=True)
    related_entity_id = models.UUIDField(null=True, blank=True)
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("in-app notification")
        verbose_name_plural = _("in-app notifications")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["recipient", "is_read", "created_at"], name="usernotif_recipient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_read=False, read_at__isnull=True) | Q(is_read=True, read_at__isnull=False),
                name="usernotif_read_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    #: The broad categories the bell shows an icon for.
    TYPES = ("appointment", "message", "survey", "challenge", "resource", "system")

    @property
    def type(self) -> str:
        """The broad category of ``kind`` (one of ``TYPES``)."""
        head = self.kind.split("_", 1)[0]
        return head if head in self.TYPES else "system"


class Message(TimeStampedModel):
    """A message between two members (staff or therapists) of one practice. Only its sender
    and recipient read it; ``read_at`` is the read receipt. The body is health
    information: it is never logged, and every read is in the audit trail."""

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="messages")
    sender = models.ForeignKey(User, on_delete=models.PROTECT, related_name="messages_sent")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="messages_received")
    subject = models.CharField(max_length=200, blank=True)
    content = models.TextField(max_length=20_000)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, related_name="replies", null=True, blank=True, help_text="Replied to."
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="message_recipient_idx"),
            models.Index(fields=["sender", "recipient", "created_at"], name="message_pair_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="message_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
