"""Faults degrade, never break: the cache server and the database server are stopped and started
under a running gunicorn, and every answer is counted (issue 14, item 9)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.factories import NewsArticleFactory
from tests.programs.factories import CourseFactory

from .conftest import Client, copy_database, database_url

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


def _pages():
    course = CourseFactory(title_en="Robotics for beginners")
    NewsArticleFactory(title_en="Open day", title_uz="Ochiq eshiklar kuni")
    return ["/", "/en/programmes/", f"/en/programmes/courses/{course.slug}/", "/en/news/", "/en/fablab/", "/about/"]


def _fire(base: str, paths: list[str], rounds: int) -> list[int]:
    """Every path ``rounds`` times, four at a time (two workers with two threads each)."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda path: Client(base).get(path).status, paths * rounds))


def test_a_cache_outage_serves_pages_uncached_and_recovers_by_itself(redis_server, gunicorn_factory):
    paths = _pages()
    server = gunicorn_factory(database_url(connection.settings_dict), redis_url=redis_server.url)
    client = Client(server.base)
    for path in paths:
        client.get(path)
    assert [client.get(path).headers["X-Page-Cache"] for path in paths] == ["hit"] * len(paths)

    redis_server.stop()
    statuses = _fire(server.base, [*paths, "/healthz"], rounds=5)
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(200) == len(statuses)
    down = client.get("/healthz")
    assert (down.status, down.json()) == (200, {"status": "degraded", "database": "ok", "cache": "unavailable"})
    page = client.get("/en/news/")
    assert page.status == 200 and "Open day" in page.text
    assert page.headers["X-Page-Cache"] is None  # rendered afresh, not stored

    redis_server.start()  # empty, as after a restart
    deadline = time.monotonic() + 15
    states = []
    while time.monotonic() < deadline:
        states = [client.get(path).headers["X-Page-Cache"] for path in paths]
        if states == ["hit"] * len(paths):
            break
        time.sleep(0.3)
    assert states == ["hit"] * len(paths)  # stored and served again without a restart of gunicorn
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert [s for s in _fire(server.base, paths, rounds=3) if s >= 500] == []
    assert "Traceback" not in server.log_text()


def test_a_database_restart_costs_no_request_an_error(postgres_cluster, gunicorn_factory):
    paths = _pages()
    url = copy_database(connection.settings_dict, postgres_cluster, "tp_fault")
    # No page cache: every request reads the database through the workers' persistent connections.
    server = gunicorn_factory(url, DB_CONN_MAX_AGE="600")
    warm = _fire(server.base, paths, rounds=4)  # every worker thread holds an open connection
    assert warm == [200] * len(warm)

    postgres_cluster.stop()
    down = Client(server.base).get("/healthz")
    assert down.status == 503
    assert down.json()["database"] == "unavailable"

    postgres_cluster.start()
    after = _fire(server.base, [*paths, "/healthz"], rounds=5)
    assert [s for s in after if s >= 500] == []
    assert after == [200] * len(after)
    assert "connection already closed" not in server.log_text()
