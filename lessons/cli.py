"""`mastery`: the command line of the kit."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_PORT = 8866


def _present(args: argparse.Namespace) -> int:
    from lessons.present import PresentError, plan_presentation

    try:
        show = plan_presentation(args.path, Path.cwd(), pool=args.pool, preheat=args.preheat, also=args.also)
    except PresentError as error:
        print(f"mastery present: {error}", file=sys.stderr)
        return 2
    from lessons.server import Classroom  # heavy (Voila): imported only to serve

    argv = [
        str(show.root),
        f"--port={args.port}",
        f"--Voila.ip={'0.0.0.0' if args.lan else '127.0.0.1'}",
        f"--theme={args.theme}",
    ]
    if not args.open_browser:
        argv.append("--no-browser")
    for limit in ("kernels_per_client", "max_kernels", "cell_seconds"):  # else the classroom's own defaults
        if getattr(args, limit) is not None:
            argv.append(f"--Limits.{limit}={getattr(args, limit)}")
    Classroom.launch_instance(
        argv=argv,
        start_path=show.start_path,
        preheat=show.preheat,
        also=show.also,
        cull_minutes=args.cull_minutes,
        lab_url=args.lab_url,
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from lessons.check import command

    return command(Path(args.path), run=args.run_lessons, jobs=args.jobs)


def _new(args: argparse.Namespace) -> int:
    from lessons.new import command

    return command(args.unit, args.title)


def _pupil_edition(args: argparse.Namespace) -> int:
    from lessons.edition import EDITION, command

    return command(args.out or EDITION)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of kernels (0 or more)")
    return int(text)


def _amount(unit: str):
    """An argparse type for a number of `unit` (0 or more)."""

    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value < 100_000:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit} (0 or more)")
        return value

    return read


_minutes, _seconds = _amount("minutes"), _amount("seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mastery", description="Mastery Notebooks: manipulatives and lessons.")
    commands = parser.add_subparsers(dest="command", required=True)
    present = commands.add_parser(
        "present",
        help="serve the lessons to the classroom app",
        description="Serve the curriculum to the classroom app: the home page lists every unit and lesson.",
    )
    present.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a lesson's .ipynb, a unit folder or the kit's folder (default: the home page of this folder)",
    )
    present.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port on this computer (default {DEFAULT_PORT})"
    )
    present.add_argument("--theme", choices=["light", "dark"], default="light")
    present.add_argument("--no-browser", dest="open_browser", action="store_false", help="do not open a browser")
    present.add_argument(
        "--pool",
        type=_count,
        default=1,
        help="kernels kept warm for the lesson given as PATH (and each --preheat); for a class, one per pupil "
        "(default 1)",
    )
    present.add_argument(
        "--preheat", action="append", metavar="LESSON", help="also keep a kernel warm for this lesson (repeatable)"
    )
    present.add_argument(
        "--also",
        action="append",
        metavar="NOTEBOOK_OR_FOLDER",
        help="also serve this notebook, or the notebooks in this folder (only the curriculum and notebooks/ "
        "are served otherwise); repeatable",
    )
    present.add_argument(
        "--cull-minutes",
        type=_minutes,
        default=20,
        help="shut down a lesson's kernel after it has been idle and closed this long (default 20; 0: never)",
    )
    present.add_argument(
        "--kernels-per-client",
        type=_count,
        help="lessons one pupil's device may have open at once (default 4)",
    )
    present.add_argument(
        "--max-kernels",
        type=_count,
        help="lessons open at once on the server, all devices together (default: the pre-heated kernels + 40)",
    )
    present.add_argument(
        "--cell-seconds",
        type=_seconds,
        help="a lesson cell running longer is stopped and shown as a calm note (default 30; 0: no limit)",
    )
    present.add_argument(
        "--lan", action="store_true", help="let other computers on this network (pupils' laptops) connect"
    )
    present.add_argument(
        "--lab-url", default="http://127.0.0.1:8888", help="JupyterLab's address for the 'open in JupyterLab' links"
    )
    present.set_defaults(run=_present)

    check = commands.add_parser(
        "check",
        help="check a lesson, a unit or the whole curriculum",
        description="Check unit.toml files and lessons (tags, roles, teacher-only cells), and run each lesson.",
    )
    check.add_argument("path", nargs="?", default=".", help="a lesson's .ipynb, a unit folder, or the kit's folder")
    check.add_argument("--no-run", dest="run_lessons", action="store_false", help="check without running lessons")
    check.add_argument("--jobs", type=_count, default=2, help="lessons run at once (default 2)")
    check.set_defaults(run=_check)

    new = commands.add_parser(
        "new",
        help="make a lesson from the template in a unit",
        description="Copy notebooks/lesson-template.ipynb into the unit as its next lesson and list it in unit.toml.",
    )
    new.add_argument("unit", help="the unit's folder, like units/y7-09-directed-number")
    new.add_argument("title", help='the lesson\'s title, in quotes: "Zero pairs on a number line"')
    new.set_defaults(run=_new)

    edition = commands.add_parser(
        "pupil-edition",
        help="write the pupils' copies of the lessons, without teacher-only cells (Binder runs this)",
    )
    edition.add_argument("out", nargs="?", help="the folder to write, inside the kit's folder (default pupil-edition)")
    edition.set_defaults(run=_pupil_edition)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
