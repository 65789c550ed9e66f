"""The tooling around lessons: presenting them in the classroom (and, later, indexing,
checking and creating them). It serves manipulatives; it never draws one."""
