"""Course-wide settings that course staff change in one place."""

#: GitHub ``owner/name`` of the course repository; Colab badges and the Colab set-up cell use it.
COURSE_REPO = "perf-eng-ml/perf-engineering-course"

#: The branch that Colab badges open and the Colab set-up cell fetches.
COURSE_BRANCH = "main"

#: Where the Colab set-up cell puts its copy of the course.
COLAB_CHECKOUT = "/content/perf-engineering-course"
