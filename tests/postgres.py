"""A real PostgreSQL server for the tests: a cluster of its own in a temporary folder, on a free loopback port.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (runuser). It listens on
127.0.0.1 only, its socket in its own folder, and it trusts local connections: it holds nothing but tests.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


class PostgresMissing(Exception):
    """PostgreSQL's server programs are not installed."""


def binaries() -> Path:
    """The folder of initdb and pg_ctl: Debian's newest /usr/lib/postgresql/N/bin, else the PATH's."""
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    found = debian[-1] if debian else shutil.which("pg_ctl")
    if not found or not (Path(found).parent / "initdb").exists():
        raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql): initdb and pg_ctl not found")
    return Path(found).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server, yield the URL of its `postgres` database, and stop it and delete its folder at the end."""
    bin_dir = binaries()
    folder = Path(tempfile.mkdtemp(prefix="mastery-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd

        postgres = pwd.getpwnam("postgres")
        os.chown(folder, postgres.pw_uid, postgres.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = folder / "data", folder / "server.log", _free_port()

    def run(*command: str | Path) -> None:
        done = subprocess.run([*as_user, *map(str, command)], capture_output=True, text=True, timeout=120)
        if done.returncode:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed:\n{done.stdout}{done.stderr}{server_log}")

    try:
        run(bin_dir / "initdb", "-D", data, "-U", "mastery", "--auth=trust", "--encoding=UTF8", "--locale=C", "-N")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=100"
        run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start")
        try:
            yield f"postgresql://mastery@127.0.0.1:{port}/postgres"
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    import psycopg

    name = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
