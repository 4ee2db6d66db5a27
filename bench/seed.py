"""Seed a practice group at benchmark scale with COPY.

The shape follows how a practice actually fills its calendar: every therapist has a set
of weekly slots (weekday and hour, 50 minutes) and each slot is held by one client after
another for a tenure of weeks to years, weekly or fortnightly, with gaps between clients.
Appointments therefore never overlap for a therapist (the database's exclusion constraint
is rebuilt over the loaded rows and would reject them otherwise). Past appointments are
completed, cancelled or no-shows in realistic proportions; every completed one has a
clinical session with moods, concerns and goals drawn from the client's own themes.

Runs with Django set up against the seed database. Indexes, unique, exclusion and
foreign-key constraints of the big tables are dropped during the load and rebuilt after
it, which is several times faster than maintaining them row by row and still validates
every row.
"""

import json
import random
import time
import uuid
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from .config import Config, Scale
from .db import META_TABLE, SEED_VERSION

PRACTICE_PROFILES = [
    ("Europe/Amsterdam", "EUR", "NL", "+316"),
    ("Europe/Berlin", "EUR", "DE", "+49151"),
    ("Europe/London", "GBP", "GB", "+447"),
    ("Europe/Dublin", "EUR", "IE", "+35387"),
]
# The weekly grid a therapist's slots are drawn from: weekdays x hours (local time).
GRID = [(weekday, hour) for weekday in range(5) for hour in (8, 9, 10, 11, 12, 13, 14, 15, 16, 17)]
SLOT_MINUTES = 50
# Off-grid hours for the appointments the benchmark writes to (never overlapping a slot).
IN_PROGRESS_HOUR = 19
RECURRING_POOL_HOUR = 18
SERIES_POOL_HOUR = 20
NO_SHOW_POOL_HOUR = 7
NO_SHOW_POOL_PER_USER = 40
# A session note for about one completed session in five; a few questionnaires each.
NOTE_SHARE = 0.2
SURVEYS_PER_THERAPIST = 4
SHARED_SURVEYS_PER_PRACTICE = 3
# The last therapist joined recently: a few hundred sessions against the others' thousands,
# so that the benchmark can show a page's SQL does not grow with the history.
NEWCOMER_WEEKS = 20
IN_PROGRESS_PER_USER = 40
RECURRING_POOL_PER_USER = 40
SERIES_POOL_PER_THERAPIST = 5
BENCH_USERS_MAX = 16

THEMES = [
    "anxiety",
    "Anxiety",
    "depression",
    "sleep",
    "work stress",
    "Work stress",
    "relationships",
    "self-esteem",
    "grief",
    "panic attacks",
    "anger",
    "family conflict",
    "trauma",
    "burnout",
    "loneliness",
    "perfectionism",
    "social anxiety",
    "boundaries",
    "motivation",
    "parenting",
    "substance use",
    "health worries",
    "life transition",
    "assertiveness",
    "rumination",
]
TECHNIQUES = [
    "CBT",
    "cognitive restructuring",
    "behavioural activation",
    "exposure",
    "mindfulness",
    "EMDR",
    "ACT",
    "motivational interviewing",
    "psychoeducation",
    "relaxation training",
    "schema work",
    "problem solving",
]
INTERVENTIONS = [
    "thought record",
    "breathing exercise",
    "grounding",
    "role play",
    "values clarification",
    "safety plan review",
    "sleep diary review",
    "activity scheduling",
]
HOMEWORK = [
    "Keep a thought record daily.",
    "Practise the breathing exercise twice a day.",
    "Schedule three pleasant activities.",
    "Keep a sleep diary.",
    "Write down three things that went well each day.",
    "",
]
NOTES = [
    "Client arrived on time and engaged well. Reviewed the week and the homework.",
    "Explored recent triggers; client identified two recurring patterns.",
    "Worked on reframing negative automatic thoughts with concrete examples.",
    "Client reported a difficult week; focus on stabilisation and coping skills.",
    "Good progress on the agreed goals; discussed relapse prevention.",
    "Session focused on the relationship with family and setting boundaries.",
]
GOALS = [
    "Reduce anxiety in social situations",
    "Improve sleep to seven hours a night",
    "Return to work full time",
    "Manage panic attacks without avoidance",
    "Rebuild a daily routine",
    "Communicate needs assertively at home",
    "Process the loss and resume activities",
    "Lower perfectionism at work",
]
FIRST_NAMES = ["Anna", "Bram", "Chloe", "Daan", "Eva", "Finn", "Gina", "Hugo", "Iris", "Jonas", "Kim", "Lars"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meyer", "Murphy", "Walsh", "Brown", "Schmidt"]
CANCEL_REASONS = ["Client ill", "Rescheduled by client", "Therapist unavailable", "Transport problems"]


def log_progress(message: str) -> None:
    print(f"  {message}", flush=True)


def hex_id(rng: random.Random) -> str:
    """A random UUID (version 4 layout) as text, without the cost of ``uuid.uuid4``."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _write_meta(key: str, value: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, json.dumps(value)],
        )


# --- COPY ------------------------------------------------------------------------------------------


def _column_defaults(model: type[models.Model], given: Sequence[str]) -> list[tuple[str, object]]:
    """Columns of ``model`` the seed does not set itself (added by later migrations),
    with the value the field's default gives them."""
    extra = []
    for f in model._meta.concrete_fields:
        if f.column in given or isinstance(f, models.AutoField):
            continue
        if f.has_default():
            value = f.get_default()
            if isinstance(value, list | dict):
                value = json.dumps(value)
            extra.append((f.column, value))
        elif f.null:
            extra.append((f.column, None))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra.append((f.column, timezone.now()))
        elif f.empty_strings_allowed and f.blank:
            extra.append((f.column, ""))  # an optional text field left blank
        else:
            raise RuntimeError(
                f"{model.__name__}.{f.name} has no default; teach bench/seed.py the value it should hold."
            )
    return extra


class Copier:
    """COPY rows into a model's table, reporting progress every ``every`` rows."""

    def __init__(self, cursor, model: type[models.Model], columns: Sequence[str], every: int = 100_000):
        self.model = model
        self.extra = _column_defaults(model, columns)
        names = [*columns, *(column for column, _ in self.extra)]
        self.extra_values = tuple(value for _, value in self.extra)
        self.sql = f"COPY {model._meta.db_table} ({', '.join(names)}) FROM STDIN"
        self.cursor = cursor
        self.every = every
        self.count = 0

    def __enter__(self):
        self.started = time.monotonic()
        self._copy_cm = self.cursor.copy(self.sql)
        self._copy = self._copy_cm.__enter__()
        return self

    def write(self, row: tuple) -> None:
        self._copy.write_row(row + self.extra_values if self.extra_values else row)
        self.count += 1
        if self.count % self.every == 0:
            elapsed = time.monotonic() - self.started
            log_progress(f"{self.model._meta.db_table}: {self.count:,} rows ({self.count / elapsed:,.0f}/s)")

    def __exit__(self, *exc):
        result = self._copy_cm.__exit__(*exc)
        if exc[0] is None:
            elapsed = time.monotonic() - self.started
            log_progress(f"{self.model._meta.db_table}: {self.count:,} rows in {elapsed:.1f}s")
        return result


def copy_rows(cursor, model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    with Copier(cursor, model, columns) as copier:
        for row in rows:
            copier.write(row)
    return copier.count


@dataclass
class Deferred:
    """Indexes and constraints dropped for a bulk load, to be rebuilt after it."""

    indexes: list[str] = field(default_factory=list)
    constraints: list[tuple[str, str, str, str]] = field(default_factory=list)  # table, name, type, definition
    tables: list[str] = field(default_factory=list)


def drop_for_load(cursor, tables: Sequence[str]) -> Deferred:
    """Drop every index and constraint of ``tables`` except the primary keys, and turn
    their own triggers off (the tallies' would count each pair's history without its index,
    once per row)."""
    deferred = Deferred(tables=list(tables))
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u', 'x')
        """,
        [list(tables)],
    )
    deferred.constraints = list(cursor.fetchall())
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(tables)],
    )
    index_rows = cursor.fetchall()
    deferred.indexes = [definition for _, definition in index_rows]
    for table, name, _, _ in sorted(deferred.constraints, key=lambda c: c[2] != "f"):
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in index_rows:
        cursor.execute(f"DROP INDEX {name}")
    return deferred


def restore_after_load(cursor, deferred: Deferred) -> None:
    started = time.monotonic()
    for definition in deferred.indexes:
        cursor.execute(definition)
    # Unique and exclusion constraints first (the exclusion constraint proves that no
    # therapist is double-booked), foreign keys last (they validate every reference).
    for table, name, _, definition in sorted(deferred.constraints, key=lambda c: c[2] == "f"):
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for table in deferred.tables:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    log_progress(
        f"rebuilt {len(deferred.indexes)} indexes and {len(deferred.constraints)} constraints "
        f"in {time.monotonic() - started:.1f}s"
    )


# --- The data ----------------------------------------------------------------------------------


@dataclass
class Tenure:
    """One client holding one weekly slot of a therapist for a stretch of weeks."""

    client_index: int
    first_week: int
    sessions: int
    step: int  # 1 weekly, 2 fortnightly


def plan_slot(rng: random.Random, weeks: int, long_from_start: bool) -> list[tuple[int, int, int]]:
    """The tenures of one weekly slot over ``weeks`` weeks: (first week, sessions, step)."""
    plan = []
    week = 0 if long_from_start else rng.randint(0, 20)
    first = long_from_start
    while week < weeks:
        if first:
            sessions, step = weeks, 1
            first = False
        else:
            step = 2 if rng.random() < 0.2 else 1
            sessions = rng.randint(52, 220) if rng.random() < 0.3 else rng.randint(8, 40)
        sessions = min(sessions, (weeks - week + step - 1) // step)
        plan.append((week, sessions, step))
        week += sessions * step + rng.randint(1, 12)
    return plan


@dataclass
class ClientRow:
    id: str
    practice_index: int
    therapist_index: int
    status: str
    themes: list[str]
    goal_variants: list[str] = field(default_factory=list)
    concern_variants: list[str] = field(default_factory=list)
    first_seen: date | None = None
    last_seen: date | None = None
    active: bool = False


def _json_variants(rng: random.Random, pool: Sequence[str], count: int, low: int, high: int) -> list[str]:
    return [json.dumps(rng.sample(list(pool), rng.randint(low, min(high, len(pool))))) for _ in range(count)]


def _local_datetime(day: date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz).astimezone(UTC)


@dataclass
class Seeded:
    counts: dict[str, int]
    seconds: float


SURVEY_QUESTIONS = json.dumps(
    [
        {
            "id": "q1",
            "text": "How did you sleep this week?",
            "type": "scale",
            "required": True,
            "options": None,
            "scale": {"min": 1, "max": 10},
            "scale_labels": {"min": "Badly", "max": "Well"},
        },
        {
            "id": "q2",
            "text": "What helped most?",
            "type": "text",
            "required": False,
            "options": None,
            "scale": None,
            "scale_labels": None,
        },
        {
            "id": "q3",
            "text": "How often did you practise the exercise?",
            "type": "multipleChoice",
            "required": True,
            "options": ["Never", "Once", "Several times", "Daily"],
            "scale": None,
            "scale_labels": None,
        },
    ]
)


def surveys(rng: random.Random, now: datetime, practices: list, therapist_ids: list, scale: Scale) -> Iterable:
    """Every therapist's own questionnaires and a few shared by each practice."""
    for t, uid in enumerate(therapist_ids):
        for k in range(SURVEYS_PER_THERAPIST):
            created = now - timedelta(days=30 * k + t % 30)
            practice_id = practices[t % scale.practices][0]
            yield (
                hex_id(rng),
                created,
                created,
                practice_id,
                uid,
                f"Check-in {k + 1}",
                "feedback",
                SURVEY_QUESTIONS,
                False,
            )
    for p, practice in enumerate(practices):
        for k in range(SHARED_SURVEYS_PER_PRACTICE):
            created = now - timedelta(days=90 * k)
            author = therapist_ids[p]  # therapist p works in practice p
            yield (
                hex_id(rng),
                created,
                created,
                practice[0],
                author,
                f"Intake {k + 1}",
                "assessment",
                SURVEY_QUESTIONS,
                True,
            )


def seed(config: Config) -> Seeded:
    """Build the whole data set. The caller provides an empty, migrated database."""
    from clinical.models import MedicalHistory, MoodReading, Session, SessionNote, Survey, TherapyGoal
    from clinical.services.tally import session_tally_recount
    from practice.models import Client, EmergencyContact, Practice, Therapist, User
    from scheduling.models import Appointment, SessionRate
    from scheduling.services.tally import completed_tally_recount

    scale: Scale = config.scale
    rng = random.Random(20261124)
    started = time.monotonic()
    now = timezone.now()
    today = now.date()
    weeks = scale.years * 52 + scale.weeks_ahead
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=scale.years * 52)
    password_hash = make_password(config.password)  # hashed once, shared by every seeded login
    counts: dict[str, int] = {}

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Django's foreign keys are deferred to the commit; checking them as rows arrive
        # keeps the trigger queue empty, which dropping constraints below requires.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        deferred = drop_for_load(
            cursor, [Appointment._meta.db_table, Session._meta.db_table, MoodReading._meta.db_table]
        )

        # Practices, staff and therapists.
        practices = []
        for p in range(scale.practices):
            tz_name, currency, country, _ = PRACTICE_PROFILES[p % len(PRACTICE_PROFILES)]
            practices.append((hex_id(rng), f"Bench Practice {p + 1}", tz_name, currency, country))
        rates = [
            (hex_id(rng), now, now, practice[0], kind, amount, practice[3])
            for practice in practices
            for kind, amount in (("intake", "110.00"), ("individual", "95.00"))
        ]
        counts["practices"] = copy_rows(
            cursor,
            Practice,
            ["id", "created_at", "updated_at", "name", "timezone", "currency", "country"],
            ((pid, now, now, name, tz, cur, ctry) for pid, name, tz, cur, ctry in practices),
        )
        copy_rows(
            cursor,
            SessionRate,
            ["id", "created_at", "updated_at", "practice_id", "appointment_type", "amount", "currency"],
            rates,
        )
        tzs = [zoneinfo.ZoneInfo(p[2]) for p in practices]
        user_cols = [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "email",
            "first_name",
            "last_name",
            "role",
            "practice_id",
            "is_active",
            "is_staff",
            "date_joined",
        ]
        therapist_ids = [hex_id(rng) for _ in range(scale.therapists)]
        users = [
            (
                hex_id(rng),
                password_hash,
                None,
                False,
                f"staff{p + 1}@bench.example",
                "Staff",
                f"Practice {p + 1}",
                "staff",
                practices[p][0],
                True,
                False,
                now,
            )
            for p in range(scale.practices)
        ]
        users += [
            (
                uid,
                password_hash,
                None,
                False,
                f"therapist{t + 1}@bench.example",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                "therapist",
                practices[t % scale.practices][0],
                True,
                False,
                now,
            )
            for t, uid in enumerate(therapist_ids)
        ]
        counts["users"] = copy_rows(cursor, User, user_cols, users)
        copy_rows(
            cursor,
            Therapist,
            ["id", "created_at", "updated_at", "user_id", "license_number", "specialties", "bio"],
            (
                (hex_id(rng), now, now, uid, f"BIG-{t:06d}", json.dumps(rng.sample(TECHNIQUES, 3)), "")
                for t, uid in enumerate(therapist_ids)
            ),
        )

        clients: list[ClientRow] = []
        sessions_todo: list[tuple] = []  # (appointment id, therapist index, client index, starts_at)
        appt_cols = [
            "id",
            "created_at",
            "updated_at",
            "practice_id",
            "therapist_id",
            "client_id",
            "starts_at",
            "ends_at",
            "appointment_type",
            "mode",
            "location",
            "status",
            "notes",
            "cancellation_reason",
            "cancelled_at",
            "cancelled_by_id",
            "preparation_notes",
            "review_previous_session",
            "focus_areas",
            "prepared_at",
        ]
        slot_length = timedelta(minutes=SLOT_MINUTES)
        empty_list = "[]"
        with Copier(cursor, Appointment, appt_cols) as appointments:

            def appointment(t: int, c: int, start: datetime, status: str, kind: str = "individual", focus=empty_list):
                appt_id = hex_id(rng)
                cancelled = status == "cancelled"
                created = start - timedelta(days=7)
                appointments.write(
                    (
                        appt_id,
                        created,
                        created,
                        practices[t % scale.practices][0],
                        therapist_ids[t],
                        clients[c].id,
                        start,
                        start + slot_length,
                        kind,
                        "video" if c % 5 == 0 else "in_person",
                        f"Room {t % 7 + 1}",
                        status,
                        "",
                        rng.choice(CANCEL_REASONS) if cancelled else "",
                        start - timedelta(days=1) if cancelled else None,
                        None,
                        "",
                        False,
                        focus,
                        None,
                    )
                )
                return appt_id

            newcomer = scale.therapists - 1
            for t in range(scale.therapists):
                p = t % scale.practices
                tz = tzs[p]
                joined_week = weeks - scale.weeks_ahead - NEWCOMER_WEEKS if t == newcomer else 0
                slots = sorted(rng.sample(GRID, min(scale.weekly_slots, len(GRID))))
                for s, (weekday, hour) in enumerate(slots):
                    for first_week, sessions, step in plan_slot(rng, weeks, long_from_start=s == 0):
                        c = len(clients)
                        themes = rng.sample(THEMES, rng.randint(3, 6))
                        client = ClientRow(hex_id(rng), p, t, "active", themes)
                        client.goal_variants = _json_variants(rng, themes, 4, 1, 3)
                        client.concern_variants = _json_variants(rng, themes, 4, 1, 3)
                        clients.append(client)
                        for k in range(sessions):
                            if first_week + k * step < joined_week:
                                continue
                            day = first_monday + timedelta(weeks=first_week + k * step, days=weekday)
                            start = _local_datetime(day, hour, tz)
                            if start < now:
                                r = rng.random()
                                status = "completed" if r < 0.735 else "cancelled" if r < 0.93 else "no_show"
                            else:
                                r = rng.random()
                                status = "scheduled" if r < 0.6 else "confirmed" if r < 0.9 else "cancelled"
                                client.active = True
                            focus = rng.choice(client.concern_variants) if k % 4 == 0 else empty_list
                            appt_id = appointment(t, c, start, status, "intake" if k == 0 else "individual", focus)
                            if status == "completed":
                                sessions_todo.append((appt_id, t, c, start, k / max(sessions, 1)))
                            if k == 0:
                                client.first_seen = day
                            client.last_seen = day
                        if not client.active and client.last_seen and (today - client.last_seen).days < 21:
                            client.active = True
                        client.status = "active" if client.active else rng.choice(["inactive", "discharged"])

            # Appointments the benchmark writes to, off the slot grid of the first therapists.
            bench_users = min(BENCH_USERS_MAX, scale.therapists)
            in_progress = []  # (appointment id, therapist index, client index, starts_at)
            weekdays_back = [
                today - timedelta(days=d) for d in range(1, 120) if (today - timedelta(days=d)).weekday() < 5
            ]
            weekdays_ahead = [
                today + timedelta(days=d) for d in range(1, 200) if (today + timedelta(days=d)).weekday() < 5
            ]
            long_clients: dict[int, int] = {}
            short_clients: dict[int, int] = {}
            for c, client in enumerate(clients):
                long_clients.setdefault(client.therapist_index, c)
                if client.first_seen and client.last_seen and (client.last_seen - client.first_seen).days < 100:
                    short_clients.setdefault(client.therapist_index, c)
            fixtures: dict = {"users": [], "series_pool": [], "newcomer": therapist_ids[newcomer]}
            for t in range(bench_users):
                tz = tzs[t % scale.practices]
                c = long_clients[t]
                user = {
                    "id": therapist_ids[t],
                    "email": f"therapist{t + 1}@bench.example",
                    "long_client": clients[c].id,
                    "short_client": clients[short_clients.get(t, c)].id,
                    "recurring_pool": [],
                    "no_show_pool": [],
                }
                fixtures["users"].append(user)
                for day in weekdays_back[:IN_PROGRESS_PER_USER]:
                    start = _local_datetime(day, IN_PROGRESS_HOUR, tz)
                    in_progress.append((appointment(t, c, start, "in_progress"), t, c, start))
                for day in weekdays_ahead[:RECURRING_POOL_PER_USER]:
                    start = _local_datetime(day, RECURRING_POOL_HOUR, tz)
                    user["recurring_pool"].append(appointment(t, c, start, "scheduled"))
                # Past appointments still scheduled: the ones a therapist marks as no-shows.
                for day in weekdays_back[:NO_SHOW_POOL_PER_USER]:
                    start = _local_datetime(day, NO_SHOW_POOL_HOUR, tz)
                    user["no_show_pool"].append(appointment(t, c, start, "scheduled"))
            first_week_ahead = [d for d in weekdays_ahead if d >= today + timedelta(days=7 - today.weekday())][:5]
            for t in range(scale.therapists):
                tz = tzs[t % scale.practices]
                for day in first_week_ahead[:SERIES_POOL_PER_THERAPIST]:
                    start = _local_datetime(day, SERIES_POOL_HOUR, tz)
                    fixtures["series_pool"].append(
                        {
                            "therapist": therapist_ids[t],
                            "appointment": appointment(t, long_clients[t], start, "scheduled"),
                        }
                    )
        counts["appointments"] = appointments.count

        # Clients without history yet (waitlist), up to the requested number.
        while len(clients) < scale.clients:
            t = rng.randrange(scale.therapists)
            themes = rng.sample(THEMES, 3)
            clients.append(ClientRow(hex_id(rng), t % scale.practices, t, "waitlist", themes))
        client_cols = [
            "id",
            "created_at",
            "updated_at",
            "practice_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "profile_photo_url",
            "status",
        ]
        phone_prefix = [PRACTICE_PROFILES[p % len(PRACTICE_PROFILES)][3] for p in range(scale.practices)]
        counts["clients"] = copy_rows(
            cursor,
            Client,
            client_cols,
            (
                (
                    client.id,
                    now,
                    now,
                    practices[client.practice_index][0],
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    f"client{c + 1}@mail.example",
                    f"{phone_prefix[client.practice_index]}{c:07d}",
                    date(1960 + c % 45, 1 + c % 12, 1 + c % 28),
                    f"https://cdn.example/photos/{c + 1}.jpg",
                    client.status,
                )
                for c, client in enumerate(clients)
            ),
        )
        copy_rows(
            cursor,
            Client.therapists.through,
            ["client_id", "user_id"],
            ((client.id, therapist_ids[client.therapist_index]) for client in clients),
        )
        counts["emergency_contacts"] = copy_rows(
            cursor,
            EmergencyContact,
            [
                "id",
                "created_at",
                "updated_at",
                "client_id",
                "name",
                "relationship",
                "phone",
                "alternate_phone",
                "email",
            ],
            (
                (
                    hex_id(rng),
                    now,
                    now,
                    client.id,
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    rng.choice(["partner", "parent", "sibling", "friend"]),
                    f"{phone_prefix[client.practice_index]}9{c:06d}",
                    "",
                    "",
                )
                for c, client in enumerate(clients)
                if c % 10 < 7
            ),
        )
        counts["medical_histories"] = copy_rows(
            cursor,
            MedicalHistory,
            [
                "id",
                "created_at",
                "updated_at",
                "client_id",
                "current_medications",
                "allergies",
                "previous_therapy",
                "previous_therapy_details",
                "medical_conditions",
                "hospitalizations",
                "updated_by_id",
            ],
            (
                (
                    hex_id(rng),
                    now,
                    now,
                    client.id,
                    json.dumps(["sertraline 50mg"] if c % 4 == 0 else []),
                    json.dumps(["penicillin"] if c % 9 == 0 else []),
                    c % 3 == 0,
                    "",
                    json.dumps(["asthma"] if c % 11 == 0 else []),
                    "[]",
                    therapist_ids[client.therapist_index],
                )
                for c, client in enumerate(clients)
            ),
        )

        def goals():
            for client in clients:
                if client.first_seen is None:
                    continue
                created = datetime.combine(client.first_seen, datetime.min.time(), UTC)
                for g in range(rng.randint(1, 3)):
                    if client.active and g == 0:
                        status, progress, completed = "active", rng.randint(0, 90), None
                    else:
                        status = rng.choice(["completed", "completed", "paused", "active"])
                        progress = 100 if status == "completed" else rng.randint(10, 80)
                        completed = created + timedelta(days=60) if status == "completed" else None
                    yield (
                        hex_id(rng),
                        created,
                        created,
                        client.id,
                        therapist_ids[client.therapist_index],
                        rng.choice(GOALS),
                        status,
                        progress,
                        client.first_seen + timedelta(days=180),
                        completed,
                    )

        goal_cols = ["id", "created_at", "updated_at", "client_id", "therapist_id", "goal", "status", "progress"]
        goal_cols += ["target_date", "completed_at"]
        counts["therapy_goals"] = copy_rows(cursor, TherapyGoal, goal_cols, goals())

        # Clinical sessions of the completed appointments, and the ones in progress.
        session_cols = [
            "id",
            "created_at",
            "updated_at",
            "practice_id",
            "appointment_id",
            "therapist_id",
            "client_id",
            "template_id",
            "status",
            "started_at",
            "ended_at",
            "mood_start",
            "mood_current",
            "mood_end",
            "session_goals",
            "client_concerns",
            "progress_notes",
            "goals_discussed",
            "techniques_used",
            "interventions_applied",
            "homework_assigned",
        ]
        technique_sets = _json_variants(rng, TECHNIQUES, 40, 1, 3)
        intervention_sets = _json_variants(rng, INTERVENTIONS, 40, 0, 2)
        readings = []
        notes = []
        recent = now - timedelta(days=60)
        with Copier(cursor, Session, session_cols) as session_rows:
            for appt_id, t, c, start, progress in sessions_todo:
                client = clients[c]
                sid = hex_id(rng)
                began = start + timedelta(minutes=rng.randint(0, 5))
                ended = began + timedelta(minutes=rng.randint(42, 55))
                mood_start = max(1, min(10, round(3 + 3 * progress + rng.gauss(0, 1.2))))
                mood_end = max(1, min(10, mood_start + rng.choice((-1, 0, 1, 1, 2, 2, 3))))
                session_rows.write(
                    (
                        sid,
                        began,
                        ended,
                        practices[client.practice_index][0],
                        appt_id,
                        therapist_ids[t],
                        client.id,
                        None,
                        "completed",
                        began,
                        ended,
                        mood_start,
                        mood_end,
                        mood_end,
                        rng.choice(client.goal_variants),
                        rng.choice(client.concern_variants),
                        rng.choice(NOTES),
                        client.themes[0],
                        rng.choice(technique_sets),
                        rng.choice(intervention_sets),
                        rng.choice(HOMEWORK),
                    )
                )
                if began > recent:
                    readings.append((sid, mood_start, began))
                    readings.append((sid, mood_end, ended))
                if rng.random() < NOTE_SHARE:
                    notes.append(
                        (
                            hex_id(rng),
                            ended,
                            ended,
                            practices[client.practice_index][0],
                            therapist_ids[t],
                            client.id,
                            sid,
                            appt_id,
                            began.date(),
                            round((ended - began).total_seconds() / 60),
                            max(1, min(5, (mood_start + 1) // 2)),
                            max(1, min(5, (mood_end + 1) // 2)),
                            json.dumps([client.themes[0], rng.choice(NOTES)]),
                            rng.choice(intervention_sets),
                            json.dumps([rng.choice(HOMEWORK)]),
                            rng.choice(NOTES),
                            json.dumps(client.themes[:2]),
                        )
                    )
            for appt_id, t, c, start in in_progress:
                client = clients[c]
                sid = hex_id(rng)
                fixtures["users"][t].setdefault("in_progress_sessions", []).append(sid)
                mood = rng.randint(3, 7)
                session_rows.write(
                    (
                        sid,
                        start,
                        start,
                        practices[client.practice_index][0],
                        appt_id,
                        therapist_ids[t],
                        client.id,
                        None,
                        "in_progress",
                        start,
                        None,
                        mood,
                        mood,
                        None,
                        rng.choice(client.goal_variants),
                        rng.choice(client.concern_variants),
                        "",
                        "",
                        "[]",
                        "[]",
                        "",
                    )
                )
                readings.append((sid, mood, start))
        counts["sessions"] = session_rows.count
        counts["mood_readings"] = copy_rows(cursor, MoodReading, ["session_id", "mood", "recorded_at"], readings)
        note_cols = ["id", "created_at", "updated_at", "practice_id", "therapist_id", "client_id", "session_id"]
        note_cols += ["appointment_id", "session_date", "duration", "mood_before", "mood_after", "key_points"]
        note_cols += ["interventions", "homework", "progress_notes", "tags"]
        counts["session_notes"] = copy_rows(cursor, SessionNote, note_cols, notes)
        counts["surveys"] = copy_rows(
            cursor,
            Survey,
            [
                "id",
                "created_at",
                "updated_at",
                "practice_id",
                "created_by_id",
                "title",
                "type",
                "questions",
                "is_practice_wide",
            ],
            surveys(rng, now, practices, therapist_ids, scale),
        )

        restore_after_load(cursor, deferred)
        # What the tallies' triggers, off during the load, would have counted.
        completed_tally_recount()
        session_tally_recount()
        fixtures["staff"] = [f"staff{p + 1}@bench.example" for p in range(scale.practices)]
        _write_meta("fixtures", fixtures)
        meta = {"version": SEED_VERSION, "seeded_at": now.isoformat(), "counts": counts, "scale": scale.__dict__}
        _write_meta("seed", meta)
    with connection.cursor() as cursor:
        # A production database has been vacuumed by autovacuum long since: visibility maps
        # set (index-only scans need no heap fetches) and hint bits written. Freshly copied
        # rows have neither, which would make the first plans look worse than they are.
        vacuum_started = time.monotonic()
        cursor.execute("VACUUM (FREEZE, ANALYZE)")
        log_progress(f"VACUUM (FREEZE, ANALYZE) in {time.monotonic() - vacuum_started:.1f}s")
    return Seeded(counts=counts, seconds=time.monotonic() - started)


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in counts.items())


if __name__ == "__main__":
    import django

    django.setup()
    result = seed(Config.from_env())
    print(f"Seeded in {result.seconds:.0f}s: {summary(result.counts)}", flush=True)
