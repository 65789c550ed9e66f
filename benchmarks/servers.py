"""The servers a benchmark measures, on loopback: our classroom server and stock Voila, and their memory."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "benchmarks" / "fixtures"
LESSON = "units/y7-09-directed-number/01-zero-pairs.ipynb"
FLOOR = "benchmarks/fixtures/floor.ipynb"
MANY = "benchmarks/fixtures/many.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str  # http://127.0.0.1:PORT, no slash
    process: subprocess.Popen
    log: Path
    page_prefix: str  # "/voila/render/" on a server of many notebooks; "" when it shows one, at its root

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def page(self, relpath: str) -> str:
        """The address of a notebook on this server."""
        return f"{self.url}{self.page_prefix}{relpath}" if self.page_prefix else f"{self.url}/"

    def processes(self) -> list[psutil.Process]:
        """The server and everything it started (its kernels)."""
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        for proc in self.processes()[1:]:
            with contextlib.suppress(psutil.Error):
                if any(kernel_id in part for part in proc.cmdline()):
                    return proc
        return None

    def memory(self) -> dict[str, float]:
        """MB: the server's own RSS, and the total RSS and PSS (shared pages counted once) with its kernels."""
        rss = pss = own = 0.0
        kernels = 0
        for n, proc in enumerate(self.processes()):
            with contextlib.suppress(psutil.Error):
                info = proc.memory_full_info()
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                if n == 0:
                    own = info.rss
                else:
                    kernels += 1
        mb = 2**20
        return {"server_rss_mb": own / mb, "total_rss_mb": rss / mb, "total_pss_mb": pss / mb, "kernels": kernels}

    def wait_quiet(self, timeout: float = 900, idle: float = 0.1, span: float = 2.0) -> None:
        """Wait until the server and its kernels use less than `idle` of one core for `span` seconds:
        every pre-heated kernel has run its notebook (Voila's "pool is filled" comes before that)."""
        deadline = time.monotonic() + timeout

        def cpu() -> float:
            total = 0.0
            for proc in self.processes():
                with contextlib.suppress(psutil.Error):
                    times = proc.cpu_times()
                    total += times.user + times.system
            return total

        before, since = cpu(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(span / 4)
            now, at = cpu(), time.monotonic()
            if at - since >= span:
                if (now - before) / (at - since) < idle:
                    return
                before, since = now, at
        raise TimeoutError(f"{self.name} was still busy after {timeout:g} s")

    def shutdown(self, kernel_id: str) -> None:
        """Shut a kernel down as Voila's page does when it closes (the same token in cookie and header)."""
        token = uuid.uuid4().hex
        request = urllib.request.Request(
            f"{self.url}/voila/api/shutdown/{kernel_id}",
            data=b"",
            method="POST",
            headers={"Cookie": f"_xsrf={token}", "X-XSRFToken": token},
        )
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=30).read()

    def count(self, text: str) -> int:
        return self.log_text().count(text)

    def wait_for(self, text: str, times: int = 1, timeout: float = 600) -> None:
        """Wait until the log says text (at least `times` times)."""
        deadline = time.monotonic() + timeout
        while self.count(text) < times:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped:\n{self.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} never said {text!r} {times} times:\n{self.log_text()[-3000:]}")
            time.sleep(0.2)


@contextlib.contextmanager
def _run(
    name: str, argv: list[str], ready: str, url: str, page_prefix: str, env: dict | None = None
) -> Iterator[Server]:
    log = Path(tempfile.mkstemp(prefix=f"mastery-bench-{name}-", suffix=".log")[1])
    with open(log, "w") as out:
        process = subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    server = Server(name, url, process, log, page_prefix)
    try:
        server.wait_for(ready, timeout=180)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=10).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield server
    finally:
        started = server.processes()[1:]  # its kernels, to be sure none outlives it
        process.send_signal(signal.SIGINT)  # Voila shuts its kernels down on Ctrl+C, twice to skip the question
        time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for proc in started:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        log.unlink(missing_ok=True)


def pool_filled(relpath: str) -> str:
    """What Voila logs when a notebook's pool of pre-heated kernels is full."""
    return f"Kernel pool of {relpath} is filled"


@contextlib.contextmanager
def classroom(preheat: list[str] = (), pool: int = 1, per_device: int | None = 1000) -> Iterator[Server]:
    """`mastery present` serving this repository, with `pool` pre-heated kernels for each notebook in preheat.

    per_device: kernels one address may hold. The benchmark's pupils all come from 127.0.0.1, so by default
    it is no limit; the soak gives each pupil an address of its own and keeps the classroom's own (None).
    """
    port = free_port()
    argv = [sys.executable, "-m", "lessons.cli", "present", str(ROOT), "--port", str(port), "--no-browser"]
    argv += ["--cull-minutes", "0", "--pool", str(pool), "--also", "benchmarks/fixtures"]  # served when named
    argv += ["--kernels-per-client", str(per_device)] if per_device is not None else []
    for relpath in preheat if pool else ():
        argv += ["--preheat", relpath]
    with _run("classroom", argv, "lesson plans (teacher)", f"http://127.0.0.1:{port}", "/voila/render/") as server:
        for relpath in preheat if pool else ():
            server.wait_for(f"mastery: {pool} of {pool} kernels ready for {relpath}", timeout=900)
        server.wait_quiet()
        yield server


@contextlib.contextmanager
def stock_voila(notebook: str, pool: int = 0) -> Iterator[Server]:
    """Stock Voila (its own command, its lab template, Nagle left on) showing one notebook at its root URL."""
    port = free_port()
    argv = [sys.executable, "-m", "voila", str(ROOT / notebook), f"--port={port}", "--no-browser"]
    argv += ["--Voila.ip=127.0.0.1"]
    if pool:
        argv += ["--preheat_kernel=True", f"--pool_size={pool}"]
    # The classroom template is found through JUPYTER_PATH: keep it out, so this is Voila as shipped.
    env = {"JUPYTER_PATH": ""}
    with _run("stock-voila", argv, "is running at", f"http://127.0.0.1:{port}", "", env=env) as server:
        if pool:
            server.wait_for("Kernel pool of", timeout=900)
            server.wait_quiet()  # stock Voila does not say when its pool's kernels have run the notebook
        yield server


def kernel_started(server: Server) -> int:
    """How many kernels the server has started so far (pre-heated or not)."""
    return len(re.findall(r"Kernel started: ", server.log_text()))
