# attack: Resources: ignore SIGINT, then loop forever, so every later cell would wait its full limit
# status: partly graded: a cell ran past
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
