"""`mastery lite`: the pupil edition as a static site where Python runs in the pupil's browser.

The site is JupyterLite (JupyterLab and Jupyter Notebook as static pages) with the Pyodide kernel. Every
file it needs is put in it here, at build time, so at run time it asks nothing of any other host:

- the Pyodide runtime from the `pyodide` npm package (node_modules/pyodide: package.json pins it). That
  package is the runtime alone: none of the wheels its pyodide-lock.json names are in it;
- the wheels the kernel and the kit import in the browser, fetched from PyPI now: the kernel's own
  (piplite, pyodide-kernel and its ipykernel and widgetsnbextension stand-ins, from the
  jupyterlite-pyodide-kernel package), micropip, IPython and jedi at the versions this Pyodide was
  released with, the widget stack at the versions binder/requirements.txt pins, and the kit itself;
- the front ends (the kernel's, ipywidgets', anywidget's) from those same wheels.

The site's pyodide-lock.json lists exactly those wheels and the kernel loads them all as it starts, so
no package is looked up anywhere else. anywidget's Python and its front end come from the same wheel;
the build still checks that the versions agree and refuses a mismatch, which is what breaks
anywidget under JupyterLite.
"""

from __future__ import annotations

import contextlib
import email.parser
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import quote

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from lessons.curriculum import find_root

SITE = "lite-site"  # the default output folder
PYODIDE = Path("node_modules") / "pyodide"  # from npm (package.json pins the version)
PINS = Path("binder") / "requirements.txt"  # anywidget and the widget stack: one pin for Binder and the site
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"

# Pins of what the browser needs beyond binder/requirements.txt and Pyodide's own list, exact for a
# reproducible site.
EXTRA_PINS = {
    "comm": "0.2.3",
    "ipython-pygments-lexers": "1.1.1",
    "jupyterlab-widgets": "3.0.17",
    "psygnal": "0.16.1",
}

# The kit's requirements that only the server imports (the classroom app, the notebook's server side).
SERVER_ONLY = {"voila", "jupyterlab", "numpy", "matplotlib", "tomli"}

# What the browser's kernel imports first: the kernel and its shell, then the kit's widgets.
ROOTS = ["piplite", "pyodide-kernel", "ipykernel", "comm", "ipython", "jedi", "micropip", "mastery-notebooks"]

# The site's apps: Jupyter Notebook opens a lesson alone, JupyterLab for tinkering beside it, and the file
# list that Notebook's logo and File > Open lead to.
APPS = ["lab", "notebooks", "tree"]


class LiteError(Exception):
    """The site cannot be built: the message names what is missing or wrong, and the fix."""


@dataclass
class Wheel:
    path: Path
    name: str  # canonical
    version: str
    requires: list[Requirement]
    imports: list[str]

    @classmethod
    def read(cls, path: Path) -> Wheel:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            meta_name = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
            meta = email.parser.Parser().parsestr(archive.read(meta_name).decode("utf-8"))
            top = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
            imports = archive.read(top).decode().split() if top else []
        if not imports:  # the top-level folders and modules, but not the wheel's own metadata
            tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
            imports = sorted(t.removesuffix(".py") for t in tops if t.endswith(".py") or "." not in t)
        requires = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
        return cls(path, canonicalize_name(meta["Name"]), meta["Version"], requires, sorted(imports))

    def needs(self, browser: dict[str, str]) -> list[str]:
        """The names this wheel requires in the browser's Python (markers evaluated for Emscripten)."""
        wanted = []
        for requirement in self.requires:
            if requirement.marker is None or requirement.marker.evaluate({**browser, "extra": ""}):
                wanted.append(canonicalize_name(requirement.name))
        return wanted


def _browser_environment(lock_info: dict) -> dict[str, str]:
    """PEP 508 marker values of Pyodide's Python, from its lock file."""
    full = lock_info["python"]
    env = default_environment()
    env.update(
        python_version=".".join(full.split(".")[:2]),
        python_full_version=full,
        sys_platform="emscripten",
        platform_system="Emscripten",
        platform_machine="wasm32",
        os_name="posix",
        implementation_name="cpython",
        platform_python_implementation="CPython",
    )
    return env


def _read_pins(root: Path) -> dict[str, str]:
    pins = {}
    for line in (root / PINS).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, _, pinned = line.partition("==")
            pins[canonicalize_name(name)] = pinned.strip()
    return pins


def _pip(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    if done.returncode:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise LiteError(f"pip {args[0]} failed (the wheels are fetched at build time: is PyPI reachable?):\n{tail}")


def _kernel_wheels() -> tuple[Path, Path]:
    """The Pyodide kernel's labextension (its front end) and the folder of its own wheels, as installed."""
    try:
        kernel_version = version("jupyterlite-pyodide-kernel")
    except PackageNotFoundError:
        raise LiteError(
            "jupyterlite-pyodide-kernel is not installed: install the kit with its lite extra, pip install -e '.[lite]'"
        ) from None
    ext = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension"
    if not (ext / "static" / "pypi").is_dir():
        raise LiteError(f"the Pyodide kernel {kernel_version}'s front end is missing from {ext}: reinstall it")
    return ext, ext / "static" / "pypi"


def _gather_wheels(root: Path, pyodide_lock: dict, kernel_pypi: Path, into: Path) -> dict[str, Wheel]:
    """Every wheel the browser imports, resolved from ROOTS with their requirements evaluated for Pyodide."""
    browser = _browser_environment(pyodide_lock["info"])
    pinned = {name: entry["version"] for name, entry in pyodide_lock["packages"].items()}
    pinned.update(EXTRA_PINS)
    pinned.update(_read_pins(root))
    wheels: dict[str, Wheel] = {}
    for path in sorted(kernel_pypi.glob("*.whl")):
        wheel = Wheel.read(path)
        # two stand-ins for widgetsnbextension: the newer, for ipywidgets 8
        if wheel.name not in wheels or Version(wheel.version) > Version(wheels[wheel.name].version):
            wheels[wheel.name] = wheel
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(into), str(root))
    kit = next(into.glob("mastery_notebooks-*.whl"))
    wheels["mastery-notebooks"] = Wheel.read(kit)
    wanted, seen = list(ROOTS), set()
    while wanted:
        fetch = []
        for name in wanted:
            if name in seen:
                continue
            seen.add(name)
            if name not in wheels:
                if name not in pinned:
                    raise LiteError(f"{name} is needed in the browser but has no exact version: add it to EXTRA_PINS")
                fetch.append(f"{name}=={pinned[name]}")
        if fetch:
            # pure-Python wheels only: what Pyodide can import without a build for WebAssembly
            pure = ["--only-binary=:all:", "--platform", "any", "--abi", "none", "--implementation", "py"]
            _pip("download", "--quiet", "--no-deps", *pure, "--python-version", browser["python_version"],
                 "--dest", str(into), *fetch)  # fmt: skip
            for path in into.glob("*.whl"):
                wheel = Wheel.read(path)
                wheels.setdefault(wheel.name, wheel)
        missing = [f for f in fetch if f.split("==")[0] not in wheels]
        if missing:
            raise LiteError(f"PyPI has no pure-Python wheel of {', '.join(missing)}: Pyodide cannot import it")
        wanted = [
            need
            for name in list(seen)
            for need in wheels[name].needs(browser)
            if need not in seen and not (name == "mastery-notebooks" and need in SERVER_ONLY)
        ]
    return {name: wheels[name] for name in sorted(seen)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_pyodide(pyodide: Path, wheels: dict[str, Wheel], lock: dict, into: Path) -> None:
    """Pyodide's runtime and a lock file naming only the wheels beside it: nothing to look up elsewhere."""
    into.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.js"):
        shutil.copy(pyodide / name, into / name)
    packages = {}
    for name, wheel in wheels.items():
        shutil.copy(wheel.path, into / wheel.path.name)
        depends = [need for need in wheel.needs(_browser_environment(lock["info"])) if need in wheels]
        packages[name] = {
            "name": name,
            "version": wheel.version,
            "file_name": wheel.path.name,
            "install_dir": "site",
            "sha256": _sha256(wheel.path),
            "package_type": "package",
            "imports": wheel.imports,
            "depends": sorted(set(depends)),
            "unvendored_tests": False,
        }
    (into / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": packages}, indent=1))


def _lite_config(wheels: dict[str, Wheel]) -> dict:
    kernel = {
        "disablePyPIFallback": True,  # a package not in the site is an error, never a download
        "pipliteUrls": [],
        # Loaded as the kernel starts, from the site's own lock: the kernel then installs nothing more.
        "loadPyodideOptions": {"packages": list(wheels)},
    }
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Mastery Notebooks",
            "litePluginSettings": {KERNEL_PLUGIN: kernel},
            # Pupils' work stays in the browser (IndexedDB), JupyterLite's own storage.
            "enableMemoryStorage": False,
        },
    }


# One click to keep a copy: a "Download" button on every notebook's toolbar (JupyterLab and Notebook).
_OVERRIDES = {
    "@jupyterlab/notebook-extension:panel": {
        "toolbar": [{"name": "download", "command": "docmanager:download", "label": "Download", "rank": 5}]
    }
}


def _check_anywidget(site: Path, wheels: dict[str, Wheel]) -> str:
    """anywidget's front end in the site must be the version of its Python, or widgets stay blank."""
    python = wheels.get("anywidget")
    front = site / "extensions" / "anywidget" / "package.json"
    if python is None or not front.exists():
        raise LiteError("anywidget is missing from the site (its Python or its front end): the widgets cannot show")
    front_version = json.loads(front.read_text(encoding="utf-8"))["version"]
    if front_version != python.version:
        raise LiteError(
            f"the site's anywidget is {python.version} in Python but {front_version} in the browser: they must be "
            f"the same version. Pin one exact anywidget in {PINS} and build again."
        )
    return front_version


class _SiteUrls:
    """The lesson index's links, relative to the site's root: Notebook for a lesson, JupyterLab beside it."""

    home = "./"

    def lesson(self, relpath: str) -> str:
        return f"notebooks/index.html?path={quote(relpath, safe='/')}"

    def lab(self, relpath: str) -> str:
        return f"lab/index.html?path={quote(relpath, safe='/')}"

    def unit(self, slug: str) -> str:
        return f"#{slug}"


def _write_index(root: Path, site: Path) -> None:
    """The lesson index as the site's front page, keeping the root's config block (its apps read it)."""
    from lessons.pages import render_home

    built = (site / "index.html").read_text(encoding="utf-8")
    config = re.search(r'<script id="jupyter-config-data".*?</script>', built, re.S)
    if config is None:
        raise LiteError("JupyterLite's front page has no jupyter-config-data block: is its version the pinned one?")
    page = render_home(root, urls=_SiteUrls(), lead="Choose a lesson. Your work stays in this browser.")
    (site / "index.html").write_text(page.replace("</head>", config.group(0) + "\n</head>", 1), encoding="utf-8")


class _StaticFiles(http.server.SimpleHTTPRequestHandler):
    # What any static host sends: WebAssembly and JavaScript modules with their own types.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
    }

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site from Python's plain static file server on a loopback port, in a thread; yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StaticFiles, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build(root: Path, out: Path, *, log=print) -> dict[str, object]:
    """Build the site of root's pupil edition into out; return what went in (versions, sizes)."""
    from lessons.edition import build as build_edition

    if out.exists() and any(out.iterdir()) and not (out / "jupyter-lite.json").exists():
        raise LiteError(f"{out} is a folder with other files in it: give --out a new folder (or an old site's)")
    pyodide = root / PYODIDE
    if not (pyodide / "pyodide-lock.json").exists():
        raise LiteError(f"the Pyodide runtime is missing ({PYODIDE}): run `npm ci` in {root} first")
    kernel_front_end, kernel_pypi = _kernel_wheels()
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="mastery-lite-") as tmp:
        work = Path(tmp)
        # The edition is written inside the kit's folder (its links are relative to it), then moved.
        edition = Path(tempfile.mkdtemp(prefix=".lite-edition-", dir=root))
        try:
            lessons = build_edition(root, edition)
            shutil.move(edition, work / "files")
        finally:
            shutil.rmtree(edition, ignore_errors=True)
        log(f"pupil edition: {lessons} lessons")
        wheels = _gather_wheels(root, lock, kernel_pypi, work / "wheels")
        log(f"wheels: {len(wheels)} ({', '.join(f'{n} {w.version}' for n, w in wheels.items())})")
        lite = work / "lite"
        _write_pyodide(pyodide, wheels, lock, lite / "static" / "pyodide")
        (lite / "jupyter-lite.json").write_text(json.dumps(_lite_config(wheels), indent=1))
        (lite / "overrides.json").write_text(json.dumps(_OVERRIDES, indent=1))
        extensions = [wheels[name].path for name in ("anywidget", "jupyterlab-widgets")]
        target = work / "site"
        command = [
            *(sys.executable, "-m", "jupyterlite_core", "build"),
            *("--lite-dir", str(lite), "--output-dir", str(target), "--contents", str(work / "files")),
            *(f"--apps={app}" for app in APPS),
            "--no-sourcemaps",
            "--no-unused-shared-packages",
            # Only the front ends named here, not every extension of the building Python.
            "--ignore-sys-prefix",
            *(f"--LiteBuildConfig.federated_extensions={path}" for path in [*extensions, kernel_front_end]),
        ]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if done.returncode:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise LiteError(f"JupyterLite's build failed:\n{tail}")
        anywidget = _check_anywidget(target, wheels)
        _write_index(root, target)
        if out.exists():
            shutil.rmtree(out)
        shutil.move(target, out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"lessons": lessons, "wheels": len(wheels), "anywidget": anywidget, "bytes": size}


def command(out: str) -> int:
    """`mastery lite [--out DIR]`: build the site, or say why not."""
    from lessons.edition import Refused

    root = find_root(Path.cwd())
    target = Path(out).resolve()
    try:
        made = build(root, target)
    except Refused as refused:
        for problem in refused.problems:
            print(problem)
        print(f"mastery lite: built nothing: fix the {len(refused.problems)} problem(s) above.")
        return 1
    except (LiteError, OSError) as error:
        print(f"mastery lite: {error}")
        return 1
    print(
        f"Wrote the static site of {made['lessons']} lessons to {target} ({made['bytes'] / 1e6:.0f} MB, "
        f"anywidget {made['anywidget']}). Publish the folder on any web server (README: 'The static site')."
    )
    return 0
