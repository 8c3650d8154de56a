# attack: Resources: a CPU-time burner that ignores SIGINT, stopped by the CPU-time limit before any wall-clock limit
# status: partly graded: the kernel was killed by SIGXCPU (CPU time limit)
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
