# attack: Resources: children started with start_new_session (and a double fork) to outlive grading
import os, subprocess, sys
subprocess.Popen(["sleep", "4242"], start_new_session=True)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(4242)", "HOSTILE-4242"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "4242"])
    os._exit(0)
