"""Course helpers for Performance Engineering for ML Systems.

The modules of this package are the notebook runtime, which ships to students in the student
edition: ``timing``, ``testing``, ``gpu``, ``plotting``, ``profiling``, ``cudatrace``, ``colab``
(the set-up cell), ``check`` and ``runner`` (the self-check), ``config``. The instructor tooling
lives in ``utils.instructor`` and never ships; the runtime never imports it. ``python -m utils``
reaches both (``check`` only, in the student edition). Importing any module has no side effects.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
