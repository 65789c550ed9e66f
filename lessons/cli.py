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
    class_lesson = ""
    if args.class_:
        lesson = (Path.cwd() / (args.path or "")).resolve()
        if lesson.suffix != ".ipynb" or not lesson.is_file():
            print("mastery present --class: give the lesson's .ipynb file the class will take.", file=sys.stderr)
            return 2
        class_lesson = lesson.relative_to(show.root.resolve()).as_posix()
        from lessons.store import Store, StoreError

        try:  # opened (and migrated) here first, so a wrong --db is one line, before the server loads
            with Store(args.db) as store:
                if args.resume and store.open_class_of(class_lesson) is None:
                    raise ValueError(f"no class of {class_lesson} is open to take up again: leave out --resume")
        except (StoreError, ValueError) as error:
            print(f"mastery present --class: {error}", file=sys.stderr)
            return 2
    elif args.resume:
        print("mastery present --resume: give --class too (it takes up a class of that lesson).", file=sys.stderr)
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
        class_lesson=class_lesson,
        class_db=args.db,
        class_resume=args.resume,
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


def _classes(args: argparse.Namespace) -> int:
    from lessons.store import command

    return command(args.action, db=args.db, class_id=getattr(args, "id", None), out=getattr(args, "out", None))


def _record(args: argparse.Namespace) -> int:
    from lessons.study import command

    return command(args.id, names=args.names, out=args.out, db=args.db)


def _worksheet(args: argparse.Namespace) -> int:
    from lessons.paper import command

    return command(
        args.lesson, variants=args.variants, seed=args.seed, paper=args.paper, out=args.out, plan_only=args.plan
    )


def _lite(args: argparse.Namespace) -> int:
    from lessons.lite import SITE, command

    return command(args.out or SITE)


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


def _versions(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of versions (1 to 60)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    from lessons.paper import PAPERS  # light: matplotlib waits until a page is drawn

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
        "--class",
        dest="class_",
        action="store_true",
        help="run a class of this lesson: pupils join with a code, their work is kept, the teacher has a dashboard",
    )
    present.add_argument(
        "--resume",
        action="store_true",
        help="with --class: take up this lesson's class again after the server stopped (same code; pupils get "
        "their boards back when they reload)",
    )
    present.add_argument(
        "--db",
        metavar="URL",
        help="with --class: the class's database, postgresql://... or a SQLite file (default: one in your data folder)",
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

    kept = commands.add_parser(
        "classes",
        help="list, export or delete what classes recorded (pupils' names, boards and answers)",
        description="What classes recorded, kept on this computer (or the school's database) until their retention "
        "period ends.",
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", help="postgresql://... or a SQLite file (default: the kit's own file)")
    actions = kept.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[db], help="every class kept, newest first")
    export = actions.add_parser("export", parents=[db], help="everything kept about a class, as JSON")
    export.add_argument("id", type=int, help="the class's number (mastery classes list)")
    export.add_argument("--out", metavar="FILE", help="write the JSON to FILE (default: print it)")
    delete = actions.add_parser("delete", parents=[db], help="delete a class and everything its pupils did")
    delete.add_argument("id", type=int, help="the class's number (mastery classes list)")
    actions.add_parser("expire", parents=[db], help="delete the classes past their retention period")
    kept.set_defaults(run=_classes)

    recorded = commands.add_parser(
        "record",
        parents=[db],
        help="write a class's research lesson record: pupils' work against the plan, as one HTML file",
        description="The research lesson's record, for the discussion after it: the plan's anticipated responses, "
        "the pupils whose work matched each and the work that matched none, the sequence shown, observers' notes "
        "and the exit ticket. One HTML file that opens offline and prints; pupils are numbered unless --names.",
    )
    recorded.add_argument("id", type=int, metavar="CLASS", help="the class's number (mastery classes list)")
    recorded.add_argument("--names", action="store_true", help="name pupils (by default: Pupil 1, Pupil 2, ...)")
    recorded.add_argument("--out", metavar="FILE", help="the file to write (default record-CLASS.html)")
    recorded.set_defaults(run=_record)

    worksheet = commands.add_parser(
        "worksheet",
        help="print a lesson: its worksheet and answer sheet as a PDF (or, with --plan, its lesson plan)",
        description="Write a lesson's worksheet as a PDF: title and objective, the picture's boards, the practice "
        "and exit-ticket questions with room to answer, the problem; then an answer sheet.",
    )
    worksheet.add_argument("lesson", help="the lesson's .ipynb")
    worksheet.add_argument(
        "--variants",
        type=_versions,
        default=0,
        help="print N versions with different numbers, for a lesson whose numbers vary (default: once, with "
        "the lesson's own numbers)",
    )
    worksheet.add_argument("--seed", type=_count, default=0, help="the versions' seed: the same seed prints them again")
    worksheet.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default a4)")
    worksheet.add_argument("--out", help="the PDF to write (default: beside the lesson, ending -worksheet.pdf)")
    worksheet.add_argument("--plan", action="store_true", help="print the teacher's lesson plan, with its boards")
    worksheet.set_defaults(run=_worksheet)

    lite = commands.add_parser(
        "lite",
        help="build the pupil edition as a static site that runs Python in the browser (no server needed)",
        description="Build the pupil edition as a static site (JupyterLite with the Pyodide kernel): publish the "
        "folder on any web server; the pupils' browsers run the lessons and keep their work.",
    )
    lite.add_argument("--out", help="the folder to write (default lite-site)")
    lite.set_defaults(run=_lite)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
