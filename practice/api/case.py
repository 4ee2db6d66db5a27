"""camelCase spelling of names, for the places the wire uses it: request field paths in
error messages, the seed's payloads (``CamelCaseFieldsMixin``), the envelope's own keys and
error context. Nothing converts whole responses: each serializer declares its names."""

from django.utils.encoding import force_str
from django.utils.functional import Promise
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel

# Names repeat on every item of every page; converting each distinct one once is cheap.
# Bounded, since JSON fields may carry arbitrary keys.
_CAMEL_KEYS: dict[str, str] = {}
_CAMEL_KEYS_MAX = 10_000
_SCALARS = (str, int, float, bool, type(None))


def camel_key(key: str) -> str:
    """``target_date`` -> ``targetDate``."""
    try:
        return _CAMEL_KEYS[key]
    except KeyError:
        camel = camelize_re.sub(underscore_to_camel, key) if "_" in key else key
        if len(_CAMEL_KEYS) < _CAMEL_KEYS_MAX:
            _CAMEL_KEYS[key] = camel
        return camel


def camelize_path(path: str) -> str:
    """``goals.0.target_date`` -> ``goals.0.targetDate``."""
    return ".".join(camel_key(part) for part in path.split("."))


def camelize(data):
    """camelCase every dict key, recursively (lazy strings forced, other iterables become
    lists)."""
    if isinstance(data, _SCALARS):
        return data
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if isinstance(key, Promise):
                key = force_str(key)
            result[camel_key(key) if isinstance(key, str) else key] = (
                value if isinstance(value, _SCALARS) else camelize(value)
            )
        return result
    if isinstance(data, list | tuple):
        return [item if isinstance(item, _SCALARS) else camelize(item) for item in data]
    if isinstance(data, Promise):
        return force_str(data)
    try:
        items = iter(data)
    except TypeError:
        return data
    return [camelize(item) for item in items]
