"""Reading the environment for settings.

Every malformed value stops start-up with a message that names the variable, so an operator never
has to guess which of thirty variables is wrong.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean; use 1/0, true/false or yes/no."
    )


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a whole number."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} must be >= {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    value = os.environ.get(name, default)
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not valid: {exc}"
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} names no known database."
        )
    return config


def env_cache(name: str, default: str) -> dict:
    """A cache from a URL: redis://host:port/db, locmem://name or db://table."""
    value = os.environ.get(name, default)
    scheme, _, rest = value.partition("://")
    if scheme in {"redis", "rediss"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": value,
            "OPTIONS": {"socket_timeout": 3, "socket_connect_timeout": 3},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    if scheme == "db" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a cache URL; use redis://host:6379/1, "
        "locmem:// or db://table_name."
    )
