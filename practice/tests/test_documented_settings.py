"""Every setting the code reads from the environment is documented in the README and
listed in .env.example."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
READ = re.compile(r"""(?:os\.environ\.get|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _read_in_settings() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "practice" / "settings").glob("*.py"):
        names |= set(READ.findall(path.read_text()))
    source = (ROOT / "practice" / "settings" / "base.py").read_text()
    if "THROTTLE_RATE_{_scope.upper()}" in source:
        names |= {f"THROTTLE_RATE_{scope.upper()}" for scope in settings.THROTTLE_RATES}
    return names


def test_every_environment_setting_is_documented():
    names = _read_in_settings()
    assert {"DB_CONN_MAX_AGE", "LOG_LEVEL", "AUDIT_RETENTION_DAYS"} <= names
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    throttles = {name for name in names if name.startswith("THROTTLE_RATE_")}
    assert sorted(name for name in names - throttles if f"`{name}`" not in readme) == []
    assert sorted(name for name in names if not re.search(rf"^# {name}=", example, re.M)) == []
