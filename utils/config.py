"""Course-wide settings that course staff change in one place."""

#: GitHub ``owner/name`` of the student edition, the public repository that
#: ``python -m utils publish`` fills. Colab badges open its notebooks and the Colab set-up cell
#: clones it; the instructor repository (solutions, hidden tests, chapter sources) stays private.
STUDENT_REPO = "perf-eng-ml/perf-engineering-student"

#: The student edition's branch that Colab badges open and the Colab set-up cell fetches.
STUDENT_BRANCH = "main"

#: Where the Colab set-up cell puts its copy of the student edition.
COLAB_CHECKOUT = "/content/perf-engineering-course"
