"""The notebook helpers in utils: timing, GPU choice, grade-cell helpers, chapter names."""

from __future__ import annotations

import warnings

import pytest

from utils import gpu, testing, timing
from utils.instructor import course

pytestmark = pytest.mark.pipeline


def test_measure_runs_warmup_then_repeats():
    """Does measure call the function warmup + repeats times and time only the repeats?"""
    calls = []
    result, times = timing.measure(lambda: calls.append(1) or len(calls), repeats=3, warmup=2)
    assert len(calls) == 5 and result == 5 and len(times) == 3 and all(t >= 0 for t in times)


@pytest.mark.parametrize("repeats, warmup", [(0, 1), (3, -1), (2.5, 0)])
def test_measure_rejects_bad_counts(repeats, warmup):
    with pytest.raises(ValueError, match="repeats|warmup"):
        timing.measure(lambda: None, repeats=repeats, warmup=warmup)


def test_speedup_counts_work_not_the_clock():
    """Is a function doing 50x the work at least several times slower (a ratio, not a time)?"""
    small = lambda: sum(range(2_000))  # noqa: E731
    big = lambda: sum(range(100_000))  # noqa: E731
    assert timing.speedup(small, big, repeats=5) > 5


def test_gpu_choice_rejects_unknown_values():
    with pytest.raises(ValueError, match="COURSE_GPU='tpu'"):
        gpu.choose("tpu")


def test_gpu_sim_sets_the_simulator_flag_in_the_given_environment():
    env: dict[str, str] = {}
    assert gpu.configure("sim", env=env) == "sim" and env == {"NUMBA_ENABLE_CUDASIM": "1"}


def test_quiet_swallows_warnings_and_stderr_but_not_errors(capsys):
    """Does quiet() hide noise, yet let an exception through?"""
    import sys

    with testing.quiet():
        warnings.warn("noise")
        print("noise", file=sys.stderr)
    assert capsys.readouterr().err == ""
    with pytest.raises(ZeroDivisionError), testing.quiet():
        1 / 0


def test_assert_raises_explains_what_happened():
    with pytest.raises(AssertionError, match="returned normally; expected it to raise ValueError"):
        testing.assert_raises(ValueError, lambda: None)
    with pytest.raises(AssertionError, match="raised TypeError"):
        testing.assert_raises(ValueError, int, [])
    with pytest.raises(AssertionError, match="not implemented yet"):
        testing.assert_raises(ValueError, lambda: (_ for _ in ()).throw(NotImplementedError()))
    exc = testing.assert_raises(ValueError, int, "x", match="invalid literal")
    assert isinstance(exc, ValueError)


def test_chapters_resolve_by_id_number_or_topic():
    ids = [ch.id for ch in course.chapters()]
    first = ids[0]
    assert [c.id for c in course.resolve([first[:2]])] == [first]
    assert [c.id for c in course.resolve([str(int(first[:2]))])] == [first]
    assert [c.id for c in course.resolve([first.split("_", 1)[1]])] == [first]
    with pytest.raises(ValueError, match="unknown chapter 'zz'"):
        course.resolve(["zz"])


def test_forbidden_switches_callables_off_and_restores_them():
    """Does forbidden() refuse a call by dotted name, by pair and through an alias, then restore all?"""
    import numpy as np

    original_dot, original_broadcast = np.dot, np.broadcast_to
    namespace = {"dot": np.dot, "unrelated": len}
    with testing.forbidden("numpy.dot", (np, "broadcast_to"), "notinstalled_pkg.thing",
                           namespace=namespace, reason="write the loop"):
        with pytest.raises(testing.ForbiddenCall, match="numpy.dot is not allowed.*write the loop"):
            np.dot([1.0], [2.0])
        with pytest.raises(AssertionError, match="broadcast_to is not allowed"):
            np.broadcast_to(1.0, (2,))
        with pytest.raises(testing.ForbiddenCall):
            namespace["dot"]([1.0], [2.0])
        assert namespace["unrelated"] is len
        assert float(np.multiply(2.0, 3.0)) == 6.0  # everything else still works
    assert np.dot is original_dot and np.broadcast_to is original_broadcast and namespace["dot"] is np.dot


def test_forbidden_restores_on_error_and_keeps_inherited_methods():
    """Is a method inherited by a class put back as inherited, also when the block raises?"""

    class Base:
        def shortcut(self):
            return "base"

    class Child(Base):
        pass

    with pytest.raises(ZeroDivisionError), testing.forbidden((Child, "shortcut")):
        with pytest.raises(testing.ForbiddenCall):
            Child().shortcut()
        1 / 0
    assert "shortcut" not in Child.__dict__ and Child().shortcut() == "base"


def test_forbidden_names_what_it_cannot_replace():
    """Does forbidding a method of a built-in type fail with a clear TypeError?"""
    import numpy as np

    with pytest.raises(TypeError, match=r"cannot forbid ndarray\.sum"):
        with testing.forbidden((np.ndarray, "sum")):
            pass
    assert np.ndarray.sum is not None and np.ones(3).sum() == 3.0
