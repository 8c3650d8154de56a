"""Run a grading kernel inside bubblewrap, with limits, and execute a notebook that may be hostile.

``SandboxKernelManager`` wraps the kernel command in ``bwrap`` (https://github.com/containers/
bubblewrap, Debian/Ubuntu package ``bubblewrap``): new PID, network, IPC, UTS and user
namespaces, a private ``/tmp``, Python and the system libraries read-only, a read-only copy of the
course runtime (``utils/`` without ``utils/instructor``) at ``/course``, the connection file
read-only, and the kernel's sockets on a 1 MiB tmpfs of their own (``IPC_DIR``): nothing in the
sandbox writes to the host's disk. The course root, the gradebook, the instructor notebooks and
other students' files are not in the sandbox at all.
Inside, ``prlimit`` sets the memory, process, CPU-time and file-size limits before Python starts.
The kernel talks to the grader over ZMQ's ``ipc`` transport (sockets on that tmpfs, which the
grader reaches through ``/proc/<pid>/root``), so it needs no network. When bwrap dies, its PID
namespace dies: nothing the notebook started survives.

``GuardedExecute`` is nbgrader's ``Execute`` with what a hostile notebook needs on top:

- canary cells, run in the same kernel between the graded cells, that must fail (a plain failing
  ``assert``, ``np.testing.assert_allclose`` and the course's ``assert_raises`` on wrong values)
  and a probe of the IPython shell (custom exception handlers, ``run_cell`` patches, input and AST
  transformers, event hooks). A canary that does not fail, or a probe that finds a hook, holds the
  submission for review; the canaries are removed again before scoring;
- a guard of the set-up names: what the names bound by the chapter's locked set-up cells hold
  (helpers and constants the grade cells call, such as ``assert_matmul_close``) is recorded after
  those cells run, and a cell before each grade cell checks that no answer cell has rebound one
  (``setup_names``, taken from the instructor notebook, lists the names no answer is meant to bind);
- a dead or hung kernel ends the run: the grade cells already run keep their outputs, the ones
  after it get an error output naming the cause, so they score 0 and the rest is kept;
- a cell that ignores the interrupt sent at its time limit, or a notebook past its wall-clock
  budget, is treated as a hung kernel and killed;
- outputs are capped in bytes per cell while the cell runs (``process_message``): past the cap
  they are dropped as they arrive, so a flood never piles up in the grader's memory.

What happened is written as JSON to ``report_path`` for the grading task to read.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import secrets
import site
import sys
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Float, Integer, List, Unicode

BWRAP = "/usr/bin/bwrap"
#: Files of /etc a Python kernel reads (dynamic linker, users, fonts, time zone, locale).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "passwd", "group", "nsswitch.conf", "fonts",
             "localtime", "timezone", "mime.types", "alternatives")
CANARY_TAG = "course-grading-canary"
#: Where the kernel's ZMQ ipc sockets live inside the sandbox: a tmpfs of ``IPC_BYTES``, reached
#: from the grader through ``/proc/<pid>/root`` of a process in the sandbox.
IPC_DIR, IPC_BYTES = "/ipc", 1 << 20


def available() -> str | None:
    """Why the sandbox cannot run here, or ``None`` if it can."""
    if not os.access(BWRAP, os.X_OK):
        return f"{BWRAP} not found: install bubblewrap (apt-get install bubblewrap)"
    return None


def python_roots() -> list[str]:
    """Folders the kernel's Python needs read-only: its prefixes and site-packages."""
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots.update(os.path.realpath(p) for p in site.getsitepackages() if os.path.isdir(p))
    # A folder inside another is covered by it.
    return sorted(r for r in roots if not any(r != o and r.startswith(o + os.sep) for o in roots))


def bwrap_prefix(work_dir: str, runtime_dir: str, limits: dict, env: dict[str, str]) -> list[str]:
    """The ``bwrap ... prlimit ... --`` words that go in front of the kernel command."""
    cmd = [BWRAP, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--hostname", "grading", "--proc", "/proc", "--dev", "/dev",
           "--size", str(int(limits.get("tmp_bytes", 1 << 30))), "--tmpfs", "/tmp"]
    for folder in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin"):
        if os.path.islink(folder):
            cmd += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            cmd += ["--ro-bind", folder, folder]
    for name in ETC_FILES:
        cmd += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for root in python_roots():
        if not any(root == f or root.startswith(f + "/") for f in ("/usr", "/lib", "/lib64", "/bin")):
            cmd += ["--ro-bind", root, root]
    # the connection file is read-only; the kernel's sockets go on a small tmpfs of their own
    cmd += ["--ro-bind", runtime_dir, "/course", "--ro-bind", work_dir, work_dir,
            "--size", str(IPC_BYTES), "--tmpfs", IPC_DIR, "--chdir", "/tmp"]
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "COURSE_ROOT": "/course",
            "MPLCONFIGDIR": "/tmp", "NUMBA_CACHE_DIR": "/tmp", "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    for key, value in {**base, **env}.items():
        cmd += ["--setenv", key, value]
    cmd += ["--", "/usr/bin/prlimit",
            f"--as={int(limits['memory_bytes'])}", f"--nproc={int(limits['processes'])}",
            f"--cpu={int(limits['cpu_s'])}:{int(limits['cpu_s']) + 5}", f"--fsize={int(limits['file_bytes'])}", "--"]
    return cmd


PIDS_CGROUPS = "/sys/fs/cgroup/pids"


def pids_cgroup(limit: int) -> str | None:
    """A fresh cgroup (v1 pids controller) holding at most ``limit`` tasks, when the grader runs as
    root: the kernel never counts root's processes against ``RLIMIT_NPROC``, so there ``prlimit``
    alone does not stop a fork bomb. ``None`` when not root, or no writable pids controller."""
    if not limit or os.geteuid() != 0 or not os.access(PIDS_CGROUPS, os.W_OK):
        return None
    path = os.path.join(PIDS_CGROUPS, f"course-grading-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.mkdir(path)
        Path(path, "pids.max").write_text(str(limit))
    except OSError:
        return None
    return path


def remove_cgroup(path: str | None) -> None:
    """Remove a cgroup from ``pids_cgroup`` once the processes in it are gone (a few tries)."""
    for _ in range(50):
        if not path or not os.path.isdir(path):
            return
        try:
            os.rmdir(path)
            return
        except OSError:
            time.sleep(0.1)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs under ``bwrap`` with resource limits (see module doc)."""

    work_dir = Unicode(help="writable folder bound at the same path inside: connection file and sockets").tag(config=True)
    runtime_dir = Unicode(help="folder holding the read-only runtime utils/, seen as /course").tag(config=True)
    limits = Dict(help="memory_bytes, processes, cpu_s, file_bytes, tmp_bytes").tag(config=True)
    kernel_env = Dict(help="environment variables of the kernel").tag(config=True)
    isolate = Bool(True, help="run the kernel under bwrap; False only for trusted notebooks (demo)").tag(config=True)
    message_bytes = Integer(64 << 20, help="largest kernel message the grader accepts; a bigger one drops the "
                            "connection (ZMQ_MAXMSGSIZE), which GuardedExecute treats as a crash").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not self.work_dir:
            raise ValueError("SandboxKernelManager needs work_dir")
        self.transport = "ipc"
        self.ip = IPC_DIR + "/kernel" if self.isolate else os.path.join(self.work_dir, "kernel")
        self.connection_file = os.path.join(self.work_dir, "kernel.json")
        self.cache_ports = False
        self.pids_cgroup = None

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if os.path.basename(cmd[0]).startswith("python"):
            cmd[0] = sys.executable
            # no cwd or script folder on sys.path, no user site: nothing beside the notebook shadows a module
            cmd[1:1] = ["-P", "-s"]
        if not self.isolate:
            return cmd
        cmd = bwrap_prefix(self.work_dir, self.runtime_dir, self.limits, self.kernel_env) + cmd
        self.pids_cgroup = pids_cgroup(int(self.limits.get("processes", 0) or 0))
        if self.pids_cgroup:  # the shell joins the cgroup, then becomes bwrap: all it starts stays inside
            cmd = ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', self.pids_cgroup, *cmd]
        return cmd

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        import subprocess

        # nothing a notebook prints to its own stdout or stderr reaches the grader's terminal
        kw.update(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        if not self.isolate:  # the environment bwrap would have set, with the runtime copy in place of /course
            env = dict(kw.get("env") or os.environ)
            env.pop("JPY_PARENT_PID", None)
            env.update({**self.kernel_env, "COURSE_ROOT": self.runtime_dir})
            kw["env"] = env
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.isolate:  # from here on the grader's side reaches the sockets through the sandbox's root
            self.ip = f"/proc/{await self._sandbox_pid()}/root{IPC_DIR}/kernel"

    async def _sandbox_pid(self) -> int:
        """bwrap's child: a process inside the sandbox's mount namespace for as long as it lives."""
        pid = self.provisioner.process.pid
        for _ in range(200):
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            if children:
                return int(children[0])
            await asyncio.sleep(0.025)
        raise RuntimeError("the sandbox did not start (bwrap started no process)")

    def client(self, **kwargs):
        """A client on a context of its own whose sockets refuse messages over ``message_bytes``,
        so no single message from the kernel can swell the grader's memory."""
        import zmq
        import zmq.asyncio

        self.client_context = zmq.asyncio.Context()
        self.client_context.setsockopt(zmq.MAXMSGSIZE, int(self.message_bytes))
        self.client_context.setsockopt(zmq.RCVHWM, 16)  # messages waiting here; the kernel's side queues the rest
        return super().client(**{"context": self.client_context, **kwargs})

    async def _async_interrupt_kernel(self):
        # bwrap does not pass SIGINT on, so ask the kernel over its control channel.
        self.kernel_spec.interrupt_mode = "message"
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel


def sandbox_tasks(pid: int) -> int:
    """Threads of every process below ``pid`` (the sandbox's bwrap), counted from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, todo = 0, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        try:
            total += len(os.listdir(f"/proc/{child}/task"))
        except OSError:
            pass
    return total


class KernelGone(Exception):
    """The kernel died, hung or ran out of time; ``cause`` says which."""

    def __init__(self, cause: str):
        super().__init__(cause)
        self.cause = cause


def _canary_sources(nonce: str) -> dict[str, str]:
    """Cells that must fail (or, for the probe, print what it finds) when run in the kernel."""
    probe = f'''
def _probe_{nonce}():
    import inspect, json, os, sys
    trusted = tuple(os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, "/course"))
    def foreign(obj):
        """Defined outside Python's installation and the course runtime: in the notebook or a file it wrote."""
        obj = getattr(obj, "__func__", obj)
        try:
            path = inspect.getfile(obj if inspect.isfunction(obj) or inspect.isclass(obj) else type(obj))
        except TypeError:
            return False  # built into the interpreter
        return not os.path.realpath(path).startswith(trusted)
    ip = get_ipython()
    found = []
    if ip.custom_exceptions:
        found.append("a custom exception handler (set_custom_exc)")
    for name in ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback", "transform_cell",
                 "transform_ast", "should_run_async"):
        if name in vars(ip) or foreign(getattr(type(ip), name, None)):
            found.append("a patched " + name)
    if foreign(getattr(ip, "_showtraceback", None)) or foreign(getattr(type(ip), "_showtraceback", None)):
        found.append("a patched _showtraceback")
    k = getattr(ip, "kernel", None)
    if k is not None:
        for name in ("do_execute", "execute_request", "dispatch_shell", "process_one", "send_response",
                     "_publish_execute_input", "_publish_status"):
            if name in vars(k) or foreign(getattr(type(k), name, None)):
                found.append("a patched kernel." + name)
        handlers = getattr(k, "shell_handlers", {{}})
        if any(foreign(h) for h in handlers.values()):
            found.append("a replaced shell handler")
        session = getattr(k, "session", None)
        for name in ("send", "serialize", "sign"):
            if session is not None and (name in vars(session) or foreign(getattr(type(session), name, None))):
                found.append("a patched session." + name)
    if any(foreign(t) for t in ip.ast_transformers):
        found.append("an AST transformer")
    if any(foreign(t) for t in list(ip.input_transformers_cleanup) + list(ip.input_transformers_post)):
        found.append("an input transformer")
    for event, callbacks in ip.events.callbacks.items():
        if any(foreign(cb) for cb in callbacks):
            found.append("a " + event + " hook")
    print("{nonce}" + json.dumps(found))
_probe_{nonce}()
del _probe_{nonce}
'''
    baseline = f'''
_ip = get_ipython()
_base_{nonce} = {{"cleanup": len(_ip.input_transformers_cleanup), "post": len(_ip.input_transformers_post),
    "events": {{k: len(v) for k, v in _ip.events.callbacks.items()}}}}
del _ip
'''
    return {
        "baseline": "pass",
        "assert": f'assert 0 == 1, "{nonce}"',
        "allclose": f'import numpy.testing as _npt_{nonce}\n_npt_{nonce}.assert_allclose([1.0], [2.0], err_msg="{nonce}")',
        "helpers": (f'import sys\nsys.path.append("/course")\nfrom utils.testing import assert_raises as _ar_{nonce}\ntry:\n    _ar_{nonce}(ValueError, int, "1")\n'
                    f'except AssertionError:\n    raise AssertionError("{nonce}") from None'),
        "probe": probe,
    }


def bound_names(source: str) -> set[str]:
    """Top-level names a cell's code binds: definitions, imports and assignment targets."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _is_setup(cell) -> bool:
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("grade") and not meta.get("solution")


def setup_names(source_nb) -> list[str]:
    """Names the locked set-up cells of the instructor notebook bind, that its grade cells read,
    and that no unlocked cell binds: the set-up helpers and constants the checks rely on."""
    setup: set[str] = set()
    others: set[str] = set()
    read: set[str] = set()
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            continue
        if _is_setup(cell):
            setup |= bound_names(cell.source)
        elif not _meta(cell).get("locked"):
            others |= bound_names(cell.source)
        if _meta(cell).get("grade"):
            read |= loaded_names(cell.source)
    return sorted((setup & read) - others - {"_", "__", "___"})  # IPython rebinds these after each result


def loaded_names(source: str) -> set[str]:
    """Every name a cell's code reads, at any depth."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def runtime_modules(source_nb) -> list[str]:
    """The course runtime modules (``utils.*``) the locked cells of the instructor notebook import."""
    mods: set[str] = set()
    for cell in source_nb.cells:
        if cell.cell_type != "code" or not _meta(cell).get("locked"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("utils.") and not node.level:
                mods.add(node.module)
            elif isinstance(node, ast.Import):
                mods.update(a.name for a in node.names if a.name.startswith("utils."))
    return sorted(mods)


def _guard_sources(nonce: str) -> tuple[str, str]:
    """Two cells: one records what set-up names hold (``NAMES``) and, the first time, the functions
    and classes of the runtime modules (``MODS``); one, before each grade cell, puts back whatever
    an answer changed since. Both print, after the nonce, the ids of what is recorded, so that the
    grader sees a record altered in the kernel."""
    record = f'''
def _record_{nonce}(names, mods):
    import builtins, importlib, json, types
    def code_like(x):
        return builtins.callable(x) or builtins.isinstance(x, (builtins.property, builtins.staticmethod, builtins.classmethod))
    g = builtins.globals()
    held = g.setdefault("_guard_{nonce}", {{}})
    for n in names:
        if n in g:
            v = g[n]
            held[n] = (v, builtins.getattr(v, "__code__", None), builtins.getattr(v, "__defaults__", None), builtins.getattr(v, "__kwdefaults__", None))
    for m in mods:
        if "module:" + m not in held:
            mod = importlib.import_module(m)
            kept = {{k: v for k, v in builtins.vars(mod).items() if code_like(v) and not builtins.isinstance(v, types.ModuleType)}}
            classes = {{k: {{a: x for a, x in builtins.vars(v).items() if code_like(x)}} for k, v in kept.items()
                       if builtins.isinstance(v, builtins.type) and builtins.getattr(v, "__module__", "") == m}}
            held["module:" + m] = (mod, kept, classes)
    builtins.print("{nonce}" + json.dumps({{n: [builtins.id(x) for x in rec] for n, rec in held.items()}}))
_record_{nonce}(NAMES, MODS)
del _record_{nonce}
'''
    check = f'''
def _check_{nonce}():
    import builtins, json
    def code_like(x):
        return builtins.callable(x) or builtins.isinstance(x, (builtins.property, builtins.staticmethod, builtins.classmethod))
    g = builtins.globals()
    held = g.get("_guard_{nonce}", {{}})
    restored, patched = [], []
    for n, rec in held.items():
        if n.startswith("module:"):
            mod, kept, classes = rec
            now = builtins.vars(mod)
            for k, v in kept.items():
                if now.get(k) is not v:
                    builtins.setattr(mod, k, v)
                    patched.append(n[7:] + "." + k)
            for k, attrs in classes.items():
                cls = kept[k]
                for a, v in attrs.items():
                    if builtins.vars(cls).get(a) is not v:
                        builtins.setattr(cls, a, v)
                        patched.append(n[7:] + "." + k + "." + a)
                for a in [a for a, x in builtins.vars(cls).items() if a not in attrs and code_like(x)]:
                    builtins.delattr(cls, a)
                    patched.append(n[7:] + "." + k + "." + a)
            continue
        v, code, defaults, kwdefaults = rec
        if n not in g or g[n] is not v:
            g[n] = v
            restored.append(n)
        for attr, old in (("__code__", code), ("__defaults__", defaults), ("__kwdefaults__", kwdefaults)):
            if old is not None and builtins.getattr(v, attr, None) is not old:
                builtins.setattr(v, attr, old)
                patched.append(n + "." + attr)
    ids = {{n: [builtins.id(x) for x in rec] for n, rec in held.items()}}
    builtins.print("{nonce}" + json.dumps({{"restored": restored, "patched": patched, "held": ids}}))
_check_{nonce}()
del _check_{nonce}
'''
    return record, check


def _canary(kind: str, source: str) -> NotebookNode:
    cell = new_code_cell(source)
    cell.metadata[CANARY_TAG] = kind
    return cell


def no_partial_credit(cell: NotebookNode) -> None:
    """Show a grade cell's results as plain displays, so only errors and stderr decide its score.

    nbgrader reads a grade cell's first ``execute_result`` as its score (a number: partial credit;
    anything else: full marks, whatever follows). The course's grade cells never end on a value,
    and a student's code can publish a result of its own from inside a grade cell, so no result
    may count.
    """
    for out in cell.get("outputs", []):
        if out.get("output_type") == "execute_result":
            out["output_type"] = "display_data"
            out.pop("execution_count", None)


def cap_outputs(cell: NotebookNode, max_bytes: int) -> bool:
    """Cut the cell's outputs to ``max_bytes`` of text in all; True if anything was cut."""
    budget, cut = max_bytes, False
    for out in cell.get("outputs", []):
        fields = []
        if out.get("output_type") == "stream":
            fields = [(out, "text")]
        elif out.get("output_type") in ("execute_result", "display_data"):
            fields = [(out.data, k) for k in list(out.get("data", {}))]
        elif out.get("output_type") == "error":
            out["traceback"] = [t[:max_bytes] for t in out.get("traceback", [])][:50]
            out["evalue"] = str(out.get("evalue", ""))[:max_bytes]
        for holder, key in fields:
            value = holder[key]
            if key != "text" and not key.startswith("text/"):
                size = len(json.dumps(value))
                if size > budget:
                    del holder[key]
                    holder["text/plain"] = f"[{key} output of {size} bytes dropped: over the {max_bytes}-byte cap]"
                    cut = True
                budget -= min(size, max(budget, 0))
                continue
            text = value if isinstance(value, str) else json.dumps(value) if not isinstance(value, list) else "".join(value)
            size = len(text.encode("utf-8", "replace"))
            if size > budget:
                holder[key] = text.encode("utf-8", "replace")[:max(budget, 0)].decode("utf-8", "ignore") + \
                    f"\n[output cut: {size} bytes, {max_bytes} kept per cell]\n" if isinstance(value, (str, list)) else ""
                cut = True
            budget -= min(size, max(budget, 0))
    return cut


def _message_bytes(msg: dict) -> int:
    """About how many bytes a kernel message would add to the stored outputs (strings and buffers)."""
    total, todo = 0, [msg.get("content")]
    while todo:
        item = todo.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)):
            todo.extend(item)
    return total + sum(len(b) for b in msg.get("buffers") or [])


#: Messages that decide a score and are always kept (cut to the cap): an error, and that stderr was written.
_KEEP = ("error",)


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` for notebooks that may be hostile (see module doc)."""

    notebook_budget_s = Float(600.0, help="wall-clock limit for the whole notebook, seconds").tag(config=True)
    interrupt_grace_s = Float(10.0, help="how long a timed-out cell may take to answer its interrupt").tag(config=True)
    output_bytes = Integer(1_000_000, help="bytes of output kept per cell").tag(config=True)
    report_path = Unicode("", help="where to write what happened (JSON)").tag(config=True)
    setup_names = List(Unicode(), help="set-up names put back before each grade cell (see ``setup_names``)").tag(config=True)
    guard_modules = List(Unicode(), help="runtime modules whose functions and classes are put back before each "
                         "grade cell, and an answer that changed them held (see ``runtime_modules``)").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        # a cell's output must end (status idle) within this long after its reply, or it was lost
        kwargs.setdefault("iopub_timeout", 30)
        super().__init__(*args, **kwargs)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        left = self._deadline - time.monotonic() if getattr(self, "_deadline", None) else None
        if left is not None:
            if left <= 0:
                raise KernelGone(f"the notebook ran past its {self.notebook_budget_s:.0f} s budget")
            timeout = max(1, int(min(timeout or left, left)))
        return timeout

    async def _async_handle_timeout(self, timeout, cell=None):
        if self._deadline and time.monotonic() >= self._deadline - 0.5:
            raise KernelGone(f"the notebook ran past its {self.notebook_budget_s:.0f} s budget")
        await self.km.interrupt_kernel()
        try:  # a kernel that honours the interrupt answers the timed-out request now
            await asyncio.wait_for(self.kc.shell_channel.get_msg(timeout=self.interrupt_grace_s),
                                   self.interrupt_grace_s + 1)
        except Exception:  # noqa: BLE001 - Empty or a timeout: the interrupt was ignored
            raise KernelGone(f"a cell ran past its {timeout} s limit and ignored the interrupt") from None
        self._timeouts.append(self._current)
        return {"content": {**self.error_on_timeout, "status": "error"}}

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self._current = cell
        try:
            out = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            if cell.cell_type == "code" and cell.source.strip() and id(cell) not in self._idle \
                    and cell not in self._timeouts:
                mib = self.km.message_bytes / 2**20
                raise KernelGone(f"the kernel's output was lost (a message over the {mib:.0f} MiB cap?)")
            return out
        except KernelGone:
            raise
        except Exception as exc:  # noqa: BLE001
            from nbclient.exceptions import DeadKernelError

            if isinstance(exc, DeadKernelError):
                raise KernelGone(self._death_cause()) from None
            raise

    execute_cell = run_sync(async_execute_cell)  # nbclient binds the base class's coroutine otherwise

    def process_message(self, msg, cell, cell_index):
        """Store outputs only up to the per-cell byte cap while the cell runs, so a flood of
        output (or widget messages) never piles up in the grader; an error is always kept, cut to
        the cap, and a stderr stream past the cap leaves one line saying stderr was written."""
        kind = msg["msg_type"]
        if kind == "status" and msg["content"].get("execution_state") == "idle":
            self._idle.add(id(cell))
        if kind in ("status", "execute_input") or kind.startswith("comm_info"):
            return super().process_message(msg, cell, cell_index)
        used = self._cell_bytes.get(id(cell), 0)
        size = _message_bytes(msg)
        if used + size <= self.output_bytes:
            self._cell_bytes[id(cell)] = used + size
            return super().process_message(msg, cell, cell_index)
        content = msg["content"]
        if kind in _KEEP:
            content["evalue"] = str(content.get("evalue", ""))[:self.output_bytes]
            content["traceback"] = [str(t)[:self.output_bytes] for t in content.get("traceback", [])[:50]]
            self._cell_bytes[id(cell)] = used + _message_bytes(msg)
            return super().process_message(msg, cell, cell_index)
        flags = self._cut_live.setdefault(id(cell), set())
        if not flags:
            cell.outputs.append(new_output("stream", name="stdout", text=(
                f"\n[output cut while the cell ran: over {self.output_bytes} bytes per cell]\n")))
        if kind == "stream" and content.get("name") == "stderr" and "stderr" not in flags:
            cell.outputs.append(new_output("stream", name="stderr", text="[stderr output cut]\n"))
            flags.add("stderr")
        flags.add("cut")
        return None

    def _death_cause(self) -> str:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = proc.poll() if proc is not None else None
        if code is None:
            return "the kernel stopped answering"
        if code < 0 or code > 128:
            import signal

            num = -code if code < 0 else code - 128
            name = signal.Signals(num).name if num in signal.Signals._value2member_map_ else str(num)
            hint = " (memory limit?)" if name == "SIGKILL" else " (CPU time limit)" if name in ("SIGXCPU",) else ""
            return f"the kernel was killed by {name}{hint}"
        return f"the kernel exited with code {code}"

    def preprocess(self, nb, resources=None, km=None):
        nonce = "chk" + secrets.token_hex(8)
        sources = _canary_sources(nonce)
        cells = [_canary("baseline", sources["baseline"])] if nb.cells else []
        guarded, mods = set(self.setup_names), list(self.guard_modules)
        record, check = _guard_sources(nonce)
        modules_recorded = not mods
        for cell in nb.cells:
            code = cell.cell_type == "code"
            grade, locked = code and bool(_meta(cell).get("grade")), code and bool(_meta(cell).get("locked"))
            if code and (grade or not locked) and not modules_recorded:  # before any answer runs
                cells.append(_canary("record", record.replace("NAMES", "[]").replace("MODS", repr(mods))))
                modules_recorded = True
            if grade and (guarded or mods):
                cells.append(_canary("guard", check))
            cells.append(cell)
            if grade:
                cells.append(_canary("assert", sources["assert"]))
            bound = bound_names(cell.source) & guarded if locked else set()
            if bound:  # the instructor's code (a set-up or grade cell) bound them: record what they hold
                cells.append(_canary("record", record.replace("NAMES", repr(sorted(bound))).replace("MODS", "[]")))
        cells += [_canary(k, sources[k]) for k in ("allclose", "helpers", "probe", "assert")]
        nb.cells = cells
        self._deadline = time.monotonic() + self.notebook_budget_s
        self._timeouts = []
        self._current = None
        self._cell_bytes, self._cut_live, self._idle = {}, {}, set()
        report = {"crash": None, "findings": [], "timeouts": [], "cut": [], "restored": []}
        try:
            nb, resources = super().preprocess(nb, resources, km=km)
        except KernelGone as gone:
            report["crash"] = {"cause": gone.cause, "cell": self._where(nb, self._current)}
        except Exception as exc:  # noqa: BLE001 - a kernel that will not start or misbehaves
            report["crash"] = {"cause": f"{type(exc).__name__}: {str(exc).strip()[:160]}",
                               "cell": self._where(nb, self._current)}
        finally:
            report["limits"] = self._limits_reached()
            self._kill_kernel()
        report["findings"] = self._read_canaries(nb, nonce, crashed=report["crash"] is not None)
        report["restored"] = self._read_guard(nb, nonce, report["findings"])
        if report["findings"]:  # a check that failed oddly at a limit: say the limit first
            report["findings"][:0] = report["limits"]
        if report["crash"]:
            self._zero_after_crash(nb, report["crash"]["cause"], self._current)
        nb.cells = [c for c in nb.cells if CANARY_TAG not in c.metadata]
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
                no_partial_credit(cell)
            cut_live = id(cell) in self._cut_live
            if cell.cell_type == "code" and (cap_outputs(cell, self.output_bytes) or cut_live):
                report["cut"].append(self._cell_name(cell))
        report["timeouts"] = [self._cell_name(c) for c in self._timeouts]
        if self.report_path:
            Path(self.report_path).write_text(json.dumps(report), encoding="utf-8")
        return nb, resources

    def create_kernel_manager(self):
        self._sandbox_km = super().create_kernel_manager()  # nbclient drops self.km at clean-up
        return self._sandbox_km

    def _limits_reached(self) -> list[str]:
        """Limits the notebook is at as it ends: its processes and threads fill the process limit."""
        km = getattr(self, "_sandbox_km", None)
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        limit = int(getattr(km, "limits", {}).get("processes", 0) or 0)
        if not limit:
            return []
        note = [f"the notebook reached its process limit ({limit})"]
        cgroup = getattr(km, "pids_cgroup", None)
        if cgroup:  # the cgroup counts the forks it refused
            try:
                events = Path(cgroup, "pids.events").read_text()
            except OSError:
                events = ""
            return note if any(w[0] == "max" and w[1] != "0" for w in map(str.split, events.splitlines())) else []
        if proc is None or proc.poll() is not None:
            return []
        return note if sandbox_tasks(proc.pid) >= limit - 2 else []

    def _kill_kernel(self):
        km = getattr(self, "_sandbox_km", None) or getattr(self, "km", None)
        self._sandbox_km = None
        if km is None:
            return
        try:
            proc = km.provisioner.process if km.provisioner else None
            if proc is not None and proc.poll() is None:
                proc.kill()  # bwrap: its PID namespace, and all the notebook started, goes with it
                proc.wait(10)
        except Exception:  # noqa: BLE001
            pass
        remove_cgroup(getattr(km, "pids_cgroup", None))
        ctx = getattr(km, "client_context", None)
        if ctx is not None:
            ctx.destroy(linger=0)

    @classmethod
    def _where(cls, nb, cell) -> str:
        """'cell X', or 'after cell X' when the grader's own check was running."""
        if cell is None or CANARY_TAG not in cell.get("metadata", {}):
            return "cell " + cls._cell_name(cell) if cell is not None else "kernel start-up"
        index = next(i for i, c in enumerate(nb.cells) if c is cell)
        earlier = [c for c in nb.cells[:index] if CANARY_TAG not in c.metadata]
        return "after cell " + cls._cell_name(earlier[-1]) if earlier else "kernel start-up"

    @staticmethod
    def _cell_name(cell) -> str:
        if cell is None:
            return "start-up"
        return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {cell.get('id', '?')}"

    @staticmethod
    def _zero_after_crash(nb, cause: str, current) -> None:
        """The grade cell that was running and every one after it get an error naming the cause."""
        start = next((i for i, c in enumerate(nb.cells) if c is current), 0)
        for cell in nb.cells[start:]:
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
                cell.outputs = [new_output("error", ename="KernelDied", evalue=f"not run: {cause}",
                                           traceback=[f"KernelDied: not run: {cause}"])]

    @staticmethod
    def _read_guard(nb, nonce: str, found: list[str]) -> list[str]:
        """Names the guard put back (a note); a changed runtime function or an altered record is
        added to ``found``."""
        recorded: dict = {}
        restored: list[str] = []

        def answer(cell):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            marker = text.find(nonce)
            try:
                return json.loads(text[marker + len(nonce):].splitlines()[0]) if marker >= 0 else None
            except (ValueError, IndexError):
                return None

        def flag(what):
            if what not in found:
                found.append(what)

        for cell in nb.cells:
            kind = cell.metadata.get(CANARY_TAG)
            if kind not in ("record", "guard") or cell.get("execution_count") is None:
                continue
            got = answer(cell)
            if not isinstance(got, dict):
                flag("the guard of the set-up names was altered")
            elif kind == "record":
                recorded.update(got)
            else:
                if got.get("held") != recorded:
                    flag("the record of the set-up names was altered")
                if got.get("patched"):
                    flag("an answer changed the course's checking code: " + ", ".join(got["patched"])[:200])
                restored += [n for n in got.get("restored", []) if n not in restored]
        return restored

    @staticmethod
    def _read_canaries(nb, nonce: str, crashed: bool) -> list[str]:
        found: list[str] = []
        for cell in nb.cells:
            kind = cell.metadata.get(CANARY_TAG)
            if kind is None or kind in ("baseline", "record", "guard"):
                continue
            if cell.get("execution_count") is None:
                if crashed:
                    continue  # not reached: the crash already costs the cells after it
                found.append(f"a grading check did not run ({kind})")
                continue
            outs = cell.get("outputs", [])
            if kind == "probe":
                text = "".join(o.get("text", "") for o in outs if o.get("output_type") == "stream")
                marker = text.find(nonce)
                if marker < 0:
                    found.append("the shell probe printed nothing")
                    continue
                try:
                    found += json.loads(text[marker + len(nonce):].splitlines()[0])
                except ValueError:
                    found.append("the shell probe's answer was altered")
                continue
            failed = any(o.get("output_type") == "error" and o.get("ename") == "AssertionError"
                         and nonce in str(o.get("evalue", "")) for o in outs)
            if not failed:
                what = {"assert": "a failing assert did not fail",
                        "allclose": "np.testing.assert_allclose passed on wrong values",
                        "helpers": "the course's assert_raises passed when nothing was raised"}[kind]
                if what not in found:
                    found.append(what)
        return found
