"""`mastery`: the command line of the kit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_PORT = 8866
SHARE = Path(__file__).parent / "share" / "jupyter"  # the classroom template, found by Voila


def _present(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not (path.is_dir() or (path.suffix == ".ipynb" and path.is_file())):
        print(
            f"mastery present: there is no notebook or folder at {path}; give a lesson's .ipynb file or a folder.",
            file=sys.stderr,
        )
        return 2
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE), os.environ.get("JUPYTER_PATH")]))
    from voila.app import Voila  # heavy: imported only to serve

    argv = [
        str(path),
        f"--port={args.port}",
        "--Voila.ip=127.0.0.1",
        f"--theme={args.theme}",
        "--template=classroom",
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    if not args.open_browser:
        argv.append("--no-browser")
    print(f"mastery: presenting {path} at http://127.0.0.1:{args.port}/ (Ctrl+C stops it)", flush=True)
    Voila.launch_instance(argv=argv)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mastery", description="Mastery Notebooks: manipulatives and lessons.")
    commands = parser.add_subparsers(dest="command", required=True)
    present = commands.add_parser("present", help="show a lesson or board in the classroom app")
    present.add_argument(
        "path", nargs="?", default="notebooks/counters.ipynb", help="the notebook, or a folder of them, to show"
    )
    present.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port on this computer (default {DEFAULT_PORT})"
    )
    present.add_argument("--theme", choices=["light", "dark"], default="light")
    present.add_argument("--no-browser", dest="open_browser", action="store_false", help="do not open a browser")
    present.set_defaults(run=_present)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
