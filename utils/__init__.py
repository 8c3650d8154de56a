"""Course helpers for Performance Engineering for ML Systems.

The instructor command line lives in ``utils.__main__`` (``python -m utils --help``). Notebook
helpers: ``utils.timing``, ``utils.testing``, ``utils.gpu``, ``utils.plotting``. Importing this
package has no side effects.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
