# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""50 concurrent authorizations, each on its own connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from emulator_support import SVC_ID, is_token

WORKERS = 50


def test_fifty_concurrent_authorizations(api):
    barrier = threading.Barrier(WORKERS, timeout=30)

    def authorize(index):
        with requests.Session() as session:
            barrier.wait()
            assert index < WORKERS
            response = api.authorize(session=session, scope="certificate:manage,revoke")
            return response.status_code, response.json()

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(authorize, range(WORKERS)))

    assert [status for status, body in results] == [200] * WORKERS, results
    bodies = [body for status, body in results]
    access = {body["access_token"] for body in bodies}
    refresh = {body["refresh_token"] for body in bodies}
    assert len(access) == WORKERS and len(refresh) == WORKERS
    assert not access & refresh
    assert all(is_token(token) for token in access | refresh)
    assert {body["identity"] for body in bodies} == {SVC_ID}
    assert {body["scope"] for body in bodies} == {"certificate:manage,revoke"}
    stats = api.stats()
    assert stats["requests"] == {"POST /vedauth/authorize/oauth": WORKERS}
    assert stats["active_grants"] == WORKERS
    # every token really is a live grant of its own
    assert all(api.is_valid(token) for token in sorted(access)[:5])


def test_concurrent_refresh_of_one_token_succeeds_once(api):
    body = api.token()
    barrier = threading.Barrier(10, timeout=30)

    def refresh(index):
        with requests.Session() as session:
            barrier.wait()
            assert index < 10
            return api.refresh(body["refresh_token"], session=session).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(refresh, range(10)))
    assert sorted(statuses) == [200] + [400] * 9
    assert api.stats()["active_grants"] == 1
