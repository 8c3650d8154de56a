# attack: Cross-student: a numpy.py submitted beside the notebook shadows numpy and silences its checks
# beside: numpy.py
import numpy
# --- beside ---
class testing:
    @staticmethod
    def assert_allclose(*args, **kwargs):
        return None
