"""A quiet room on Redis says nothing in the logs.

channels-redis waits for a doorbell with a 5 s blocking pop, again and again; redis-py 8
gives every socket a 5 s read timeout by default, so each wait used to end in a timeout
error ("channel layer receive failed" every 5 s, and a second of deafness after each).
Two and a half of those waits prove the point without a full minute; the deployment
test (test_deployment.py) keeps a room quiet for a whole minute behind nginx.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.conftest import needs
from tests.workshops.live.client import join

pytestmark = pytest.mark.django_db(transaction=True)

QUIET_SECONDS = 12.5  # two and a half of channels-redis's 5 s blocking pops


async def test_a_quiet_room_on_redis_logs_no_error_or_warning(workshop, caplog):
    needs("redis")
    ada = await join(workshop.code, "Ada")
    with caplog.at_level(logging.WARNING):
        await asyncio.sleep(QUIET_SECONDS)
    await ada.close()
    assert [record.getMessage() for record in caplog.records] == []
