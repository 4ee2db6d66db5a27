"""Demo data for the core domain: two practices, their people and clients.

``manage.py seed_demo`` runs the ``seed`` function of each app's ``demo`` module in
order, passing one ``DemoContext``; later modules build on what earlier ones made."""

import base64
import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone
from PIL import Image, ImageDraw

from practice.models import AuditEvent, Client, EmergencyContact, Practice, Therapist, TwoFactorDevice, User
from practice.services.profile import profile_photo_set

DEMO_PRACTICE = "Demo Practice"
OTHER_PRACTICE = "Other Practice"

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Chloe",
    "Daan",
    "Emma",
    "Finn",
    "Gwen",
    "Hugo",
    "Iris",
    "Jesse",
    "Kim",
    "Lars",
    "Maud",
    "Noah",
    "Olivia",
    "Pim",
    "Quinn",
    "Rosa",
    "Sem",
    "Tess",
    "Umar",
    "Vera",
    "Wout",
    "Xena",
    "Yara",
    "Zoe",
    "Ahmed",
    "Bo",
    "Cas",
    "Dewi",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
]
RELATIONSHIPS = ["partner", "mother", "father", "sister", "brother", "friend", "daughter", "son"]


@dataclass
class DemoContext:
    rng: random.Random
    password: str
    now: datetime
    today: date
    practice: Practice | None = None
    other_practice: Practice | None = None
    staff: User | None = None
    therapists: list[User] = field(default_factory=list)
    other_therapist: User | None = None
    clients: list[Client] = field(default_factory=list)
    other_clients: list[Client] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def practices(self) -> list[Practice]:
        return [p for p in (self.practice, self.other_practice) if p is not None]

    @property
    def all_therapists(self) -> list[User]:
        return [*self.therapists, *([self.other_therapist] if self.other_therapist else [])]


def demo_practices():
    return Practice.objects.filter(name__in=[DEMO_PRACTICE, OTHER_PRACTICE])


def is_seeded() -> bool:
    return demo_practices().exists()


def reset() -> None:
    """Remove the core demo data (later apps remove theirs first)."""
    practices = list(demo_practices())
    if not practices:
        return
    # Audit entries refuse deletion through the ORM by design; the demo reset is the one
    # operator action that wipes a whole demo practice, trail included.
    AuditEvent.objects.filter(practice__in=practices)._raw_delete(connection.alias)
    storage = User._meta.get_field("profile_photo").storage
    for name in (
        User.objects.filter(practice__in=practices).exclude(profile_photo="").values_list("profile_photo", flat=True)
    ):
        storage.delete(name)
    EmergencyContact.objects.filter(client__practice__in=practices).delete()
    Client.objects.filter(practice__in=practices).delete()
    User.objects.filter(practice__in=practices).delete()
    Practice.objects.filter(pk__in=[p.pk for p in practices]).delete()


def _user(ctx: DemoContext, practice: Practice, email: str, first: str, last: str, role: str) -> User:
    user = User.objects.create_user(
        email=email,
        password=ctx.password,
        first_name=first,
        last_name=last,
        role=role,
        practice=practice,
        is_staff=role == User.Role.STAFF,
    )
    if role == User.Role.THERAPIST:
        Therapist.objects.create(
            user=user,
            license_number=f"BIG-{ctx.rng.randint(10_000_000, 99_999_999)}",
            specialties=ctx.rng.sample(["anxiety", "depression", "trauma", "couples", "CBT", "EMDR", "grief"], 2),
            bio=f"{first} {last} is a registered psychologist.",
        )
    return user


def demo_photo(seed: int) -> bytes:
    """A portrait placeholder (head and shoulders on a coloured background), the same for
    the same seed."""
    rng = random.Random(seed)
    background = tuple(rng.randint(120, 210) for _ in range(3))
    skin = rng.choice([(241, 194, 167), (224, 172, 105), (198, 134, 66), (141, 85, 36)])
    shirt = tuple(rng.randint(30, 120) for _ in range(3))
    image = Image.new("RGB", (480, 480), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 300, 390, 640), fill=shirt)
    draw.ellipse((160, 90, 320, 270), fill=skin)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _give_photo(user: User, seed: int) -> None:
    content = demo_photo(seed)
    profile_photo_set(actor=user, upload=io.BytesIO(content), size=len(content))


def _clients(ctx: DemoContext, practice: Practice, therapists: list[User], count: int, prefix: str) -> list[Client]:
    clients = []
    for index in range(count):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        status = (
            Client.Status.ACTIVE if index % 10 else ctx.rng.choice([Client.Status.WAITLIST, Client.Status.INACTIVE])
        )
        client = Client.objects.create(
            practice=practice,
            first_name=first,
            last_name=last,
            email=f"{prefix}.client{index + 1:02d}@example.com",
            phone=f"+3161{ctx.rng.randint(1_000_000, 9_999_999)}",
            date_of_birth=date(ctx.rng.randint(1960, 2005), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)),
            profile_photo_url=f"https://images.example.com/clients/{prefix}-{index + 1:02d}.jpg",
            status=status,
            # Most clients follow the practice's language; some asked for English emails.
            preferred_language="en" if index % 5 == 4 else "",
        )
        primary = therapists[index % len(therapists)]
        client.therapists.add(primary)
        if len(therapists) > 1 and index % 8 == 0:
            client.therapists.add(therapists[(index + 1) % len(therapists)])
        if index % 4 != 3:
            EmergencyContact.objects.create(
                client=client,
                name=f"{ctx.rng.choice(FIRST_NAMES)} {last}",
                relationship=ctx.rng.choice(RELATIONSHIPS),
                phone=f"+3162{ctx.rng.randint(1_000_000, 9_999_999)}",
                email=f"contact.{prefix}{index + 1:02d}@example.com",
            )
        clients.append(client)
    return clients


def seed(ctx: DemoContext) -> None:
    ctx.practice = Practice.objects.create(
        name=DEMO_PRACTICE, timezone="Europe/Amsterdam", currency="EUR", country="NL", default_language="nl"
    )
    ctx.other_practice = Practice.objects.create(
        name=OTHER_PRACTICE, timezone="Europe/London", currency="GBP", country="GB", default_language="en"
    )
    ctx.staff = _user(ctx, ctx.practice, "staff@demo.example", "Sam", "Staff", User.Role.STAFF)
    staff_group, _ = Group.objects.get_or_create(name="Practice staff")
    staff_group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["practice", "scheduling"]).exclude(
            codename__in=["add_auditevent", "change_auditevent", "delete_auditevent"]
        )
        | Permission.objects.filter(content_type__app_label="clinical", codename__endswith="sessiontemplate")
    )
    ctx.staff.groups.add(staff_group)
    names = [("Tara", "Therapist"), ("Theo", "de Jong"), ("Thea", "Verhoeven")]
    ctx.therapists = [
        _user(ctx, ctx.practice, f"therapist{i}@demo.example", first, last, User.Role.THERAPIST)
        for i, (first, last) in enumerate(names, start=1)
    ]
    ctx.other_therapist = _user(
        ctx, ctx.other_practice, "therapist@other.example", "Olive", "Other", User.Role.THERAPIST
    )
    # Two therapists with a profile photo, so the frontend shows one; the third has none.
    for index, therapist in enumerate(ctx.therapists[:2], start=1):
        _give_photo(therapist, seed=index)
    ctx.clients = _clients(ctx, ctx.practice, ctx.therapists, 40, "demo")
    ctx.other_clients = _clients(ctx, ctx.other_practice, [ctx.other_therapist], 6, "other")
    ctx.log.append(
        f"practice: 2 practices, {2 + len(ctx.therapists)} users, {len(ctx.clients) + len(ctx.other_clients)} clients,"
        " 2 profile photos"
    )


def demo_users():
    return User.objects.filter(practice__in=demo_practices()).order_by("email")


def demo_two_factor_secret(email: str) -> str:
    """The fixed TOTP secret ``seed_demo --with-2fa`` gives a demo user: the same on every
    machine, so a tester can sign in without an authenticator app."""
    return base64.b32encode(hashlib.sha256(f"demo-two-factor:{email}".encode()).digest()[:20]).decode()


def enable_two_factor() -> list[tuple[str, str]]:
    """Turn on two-factor authentication for every demo user with their fixed secret
    (idempotent). Returns (email, secret) pairs."""
    enabled = []
    for user in demo_users():
        secret = demo_two_factor_secret(user.email)
        device = TwoFactorDevice.objects.filter(user=user).first()
        if device is None or not device.enabled or device.secret != secret:
            TwoFactorDevice.objects.filter(user=user).delete()
            device = TwoFactorDevice(user=user, enabled=True, confirmed_at=timezone.now())
            device.secret = secret
            device.save()
        enabled.append((user.email, secret))
    return enabled
