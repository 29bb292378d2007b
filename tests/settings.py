"""The project's settings, for tests: as config.settings, with cheaper password hashing.

pytest-django exports DJANGO_SETTINGS_MODULE, so the servers the tests start (daphne in
tests/e2e) read this module too. Hashing a password at full strength (PBKDF2, a million
rounds) takes about a quarter of a second, and the fixtures create a user, or sign one in,
for most tests; MD5 makes that instant (healthchecks' tests do the same). PBKDF2 stays
available for a server that runs the production settings (tests/deploy).
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Tests advance schedules themselves (services.schedule_advance), when they choose to: a
# ticker thread would touch the database behind their backs. A server a test starts
# can turn it on with the environment variable.
SCHEDULE_EVERY = envint("SCHEDULE_EVERY", 0)  # noqa: F405
