"""The tooling around lessons: the curriculum, the checker and the template (`mastery check`,
`mastery new`), the classroom server (`mastery present`) and the pupil edition for Binder.
It serves manipulatives; it never draws one."""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Jupyter Server finds the home page extension (Binder) through this."""
    return [{"module": "lessons.extension"}]
