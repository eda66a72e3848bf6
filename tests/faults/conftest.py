"""Fault fixtures: services the tests start and stop themselves on spare loopback ports.

Never the machine's shared PostgreSQL (5432) or Redis (6379): a fault test stops what it started, nothing else.
"""

import contextlib
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import pytest
import redis
from celery import current_app

from tests.worker import Worker

ROOT = Path(__file__).resolve().parents[2]


def spare_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, timeout=30, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class PrivateRedis:
    """``redis-server`` on a spare port, in memory only; ``stop()`` and ``start()`` again at will."""

    def __init__(self, tmp_path):
        self.port = spare_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (Debian: apt-get install redis-server)")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: port_open(self.port), timeout=10), "private Redis did not start"
        return self

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        assert wait_for(lambda: not port_open(self.port), timeout=5)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


@contextlib.contextmanager
def celery_broker(url):
    """Point this process's Celery producer at ``url`` (and back afterwards)."""
    app = current_app._get_current_object()

    def reset():
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    old, old_env = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url = old
        if old_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = old_env
        reset()


PG_BIN = Path("/usr/lib/postgresql")


def postgres_bin(name):
    versions = sorted(PG_BIN.glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if not versions:
        pytest.fail("PostgreSQL server binaries are not installed (Debian: apt-get install postgresql)")
    return str(versions[-1] / name)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a spare port (initdb in /tmp); ``stop()`` and ``start()`` at will."""

    def __init__(self):
        self.port = spare_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ocop-fault-pg-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/ocop"

    def _run(self, *args):
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, timeout=120)

    def init(self):
        self._run(
            postgres_bin("initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--no-locale",
        )
        self.start()
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc", "CREATE DATABASE ocop"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        return self

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )
        assert wait_for(lambda: port_open(self.port), timeout=20)

    def stop(self):
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        assert wait_for(lambda: not port_open(self.port), timeout=20)

    def destroy(self):
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateSite:
    """A private PostgreSQL cluster (migrated) and Redis, and the environment every process of a test runs with:
    ``manage.py`` commands, scripts for ``manage.py shell`` and real Celery workers."""

    def __init__(self, tmp_path):
        self.pg = PrivatePostgres().init()
        self.redis = PrivateRedis(tmp_path).start()
        self.env = {
            "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test",
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": f"{self.redis.url}/0",
            "CELERY_BROKER_URL": f"{self.redis.url}/1",
            "OCOP_PRIVATE_STORAGE_ROOT": str(tmp_path / "private"),
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        }
        self.broker = redis.Redis.from_url(self.env["CELERY_BROKER_URL"])
        self.workers = []
        self.db = None

    def manage(self, *args, script=None, marker=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            input=script,
            capture_output=True,
            text=True,
            timeout=480,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        if marker:
            line = next(line for line in result.stdout.splitlines() if line.startswith(marker))
            return json.loads(line.removeprefix(marker))
        return result.stdout

    def worker(self, **extra):
        self.workers.append(Worker({**self.env, **extra}).start())
        return self.workers[-1]

    def query(self, sql, params=()):
        """Rows of ``sql`` on the private database, read from this process (cheap enough to poll)."""
        if self.db is None:
            self.db = psycopg2.connect(self.pg.url.replace("postgres://", "postgresql://"))
            self.db.autocommit = True
        with self.db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def states(self, ids):
        rows = self.query("SELECT render_state FROM certificates_certificate WHERE id = ANY(%s)", [ids])
        return [state for (state,) in rows]

    def close(self):
        if self.db is not None:
            self.db.close()
        for w in self.workers:
            w.kill()
        self.redis.stop()
        self.pg.destroy()


@pytest.fixture
def private_site(tmp_path):
    site = PrivateSite(tmp_path)
    try:
        site.manage("migrate", "--noinput", "-v0")
        yield site
    finally:
        site.close()


class Portal:
    def __init__(self, database_url, tmp):
        self.port = spare_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ocop_portal.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": "",  # process memory: this test is about the database alone
            "CELERY_BROKER_URL": "",
            "OCOP_PRIVATE_STORAGE_ROOT": str(tmp / "private"),
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        }
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def manage(self, *args, script=None):
        command = [sys.executable, "manage.py", *args]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, input=script, capture_output=True, text=True, timeout=480
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def serve(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "ocop_portal.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", "1", "-t", "30"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: port_open(self.port), timeout=30), "gunicorn did not start"

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def request(self, path, data=None):
        url = f"http://127.0.0.1:{self.port}{path}"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
