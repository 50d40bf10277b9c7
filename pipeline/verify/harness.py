"""The test harness that runs *inside* the sandbox (sent as `python -I -c HARNESS`, or as its bytecode: `BOOT`).

It reads one JSON payload from stdin: `solution`, then either `tests` (python statements run after the
solution, each top-level test statement counted) or `cases` (stdin/stdout pairs, each a fresh process), plus a
`nonce`. It reports one line `<nonce>{json}` on the original stdout; user code's own output goes elsewhere.
A solution that exits before the tests (`sys.exit(0)`, `os._exit(0)`) reports nothing and so cannot pass.
It works in a folder of its own under /tmp (the solution's cwd), removed when it reports: an unsandboxed run shares
/tmp with the runs beside it.

Asserts run in a namespace of their own that sees the solution's names, except those naming a builtin (the builtin
as it was: code 19, a solution's `def all(it): return True` passed every assert); the names the tests bind are given
to the solution's namespace too. Two known reward hacks are refused: an object equal to everything (a class whose
`__eq__`/`__ne__` the solution wrote, compared in an assert with plain values holding no such object: `eq_override`;
the `==` / `!=` of every assert is rewritten to check that first, and so are `in` / `not in` over a list, tuple, set or
dict, `<` and the others with an ordering the solution wrote, a binary operator it wrote on one side only and `abs()`
with its `__abs__`, giving a plain value: code 19, an `__sub__` returning 0 passed `abs(f(1) - 2) < 1e-9`; an `__eq__`
is the solution's unless its class existed before the solution ran with that same `__eq__`, or the tests wrote it;
code 20: in the whole test script, not only its asserts, a chain of comparisons link by link, `in` over an object with
a `__contains__` of the solution's only for a class the tests drive, over a generator item by item, the items of a
subclass of list or tuple, a deque or a `UserList`, a class's flags read past its metaclass, and unittest's
`assertEqual` and the like: code 19 passed `assert 1 < f(1) < 3`, `assert 2 in f(1)`, `ok = f(1) == 2`),
and `import __main__` to reach the harness's own report function (`__main__` is an empty module when the solution
runs). `float_tol` (the error the prompt states) is `__thinkmill_tol__` in the tests' namespace, set again before each
test statement (the solution's own assignment does not last): ingest's call-based scripts compare real numbers within
it.
The names those scripts bind in their setup (`_tm_*`: their comparison, cases and the function tested) are bound again
before each test statement, as the setup left them: a tested function rebinding them on one call does not judge the
next (the scripts themselves load them before each call).
What the harness calls after the solution (exec, compile, json.dumps, os.write) it takes before, its own functions look
builtins up in a copy of their own, and the tests are parsed and compiled before the solution runs. The modules the
tests import (and json, ast) are imported before the solution, so a module it writes into its folder (`pytest.py`)
does not replace them, and their attributes, their classes' attributes, their functions' code and their objects'
callables are put back as they were before each test, which runs with builtins as they were (code 19: a solution
patching `builtins.exec`, `json.dumps`, `ast.parse`, `compile`, `builtins.all` or `json.loads` passed every test).
An audit hook (`arm`, code 21), added right before the solution runs, refuses to all code but the harness's the
frames (`sys._getframe`, a traceback's `tb_frame`, a generator's `gi_frame`, `f_code`, trace functions), `gc`'s
object walks and the code of the tests' and the harness's functions: code 20 passed a solution reading the expected
value out of the calling test's `f_code.co_consts`, or calling `report` found through `f_back` or `gc.get_objects()`.
The checks the tests call have globals of their own (`CHECKS`), the AST rewriter keeps no functions, and ingest's
`_tm_*` helpers stay out of the solution's namespace: each led a solution to `report` or to the expected values.
Code 22 closes the other ways to a frame or to memory that code 21 left (each forged a pass): a signal handler is
called without the interrupted frame, `gc.DEBUG_SAVEALL` (frames kept in `gc.garbage`), ctypes, subinterpreters and
`/proc/<pid>/mem` are refused, and the modules that guard them are sealed (`arm`); in the sandbox the interpreter is
not readable, so this process is not dumpable (`pipeline.verify.sandbox.execute_only`).
Code 23 refuses bytecode of the solution's own (`code.__new__`, `marshal.loads`: a function reading past its frame's
locals found the hook's frame of the solution and walked `f_back` to `report`), and the solution runs as module
`__solution__` in sys.modules (loaded again from `__solution__.py` by a spawned child): pickling its functions for
worker processes (`Pool.map(_sq, xs)`) found no module, and every such right solution failed `runtime_error`.
This raises the bar; it is no proof: code written to attack this harness (ctypes the tests loaded, a module's inner
state: its C accelerator, a closure's cell) could still forge a result.
The stdin/stdout mode runs the solution in its own process, and the harness is not dumpable: a case's program cannot
read the expected outputs out of its memory (`/proc/<ppid>/mem`; code 19: one printed them and passed every case).

The output limit holds in both modes. Asserts: the solution's stdout and stderr go to the sandbox's stderr pipe,
which `sandbox.run` caps (`output_limit`). Cases: the harness drains each case's stdout and stderr together (a
program that fills one pipe while the other is read would stall into a timeout), each capped at `max_output`.
"""

# The top-level statements of an assert script that set up rather than test: not counted, and an error in one is
# `tests_setup_error`. Ingest counts a script's tests by the same rule (`pipeline.ingest.code_tests`).
SETUP_STATEMENTS = (
    "Import",
    "ImportFrom",
    "FunctionDef",
    "AsyncFunctionDef",
    "ClassDef",
    "Assign",
    "AnnAssign",
    "AugAssign",
)

# Written beside the solution as `pytest.py`, on the end of sys.path (a real pytest, if the sandbox's Python has one,
# wins): the parts of pytest that test scripts call at run time. Pytest-style scripts (KodCode's) `import pytest` for
# `raises` and `approx`; without it every response failed `tests_setup_error`.
PYTEST_STANDIN = r'''"""thinkmill's stand-in for pytest inside the sandbox: raises, approx, fail, mark, fixture."""
import math as _math
import re as _re


class _Raises:
    def __init__(self, expected, match=None):
        self.expected, self.match, self.value, self.type = expected, match, None, None

    def __enter__(self):
        return self

    def __exit__(self, etype, value, tb):
        if etype is None:
            raise AssertionError(f"DID NOT RAISE {self.expected}")
        if not issubclass(etype, self.expected):
            return False
        if self.match is not None and not _re.search(self.match, str(value)):
            raise AssertionError(f"Regex pattern {self.match!r} did not match {str(value)!r}")
        self.value, self.type = value, etype
        return True


def raises(expected, *args, match=None, **kwargs):
    if args:
        with _Raises(expected, match) as info:
            args[0](*args[1:], **kwargs)
        return info
    return _Raises(expected, match)


class approx:
    def __init__(self, expected, rel=None, abs=None):
        self.expected, self.rel, self.abs = expected, rel, abs

    def _close(self, got, want):
        if isinstance(want, dict):
            same_keys = isinstance(got, dict) and got.keys() == want.keys()
            return same_keys and all(self._close(got[k], want[k]) for k in want)
        if isinstance(want, (list, tuple)):
            return (
                isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(self._close(g, w) for g, w in zip(got, want))
            )
        if isinstance(want, bool) or not isinstance(want, (int, float)):
            return got == want
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        rel = 1e-6 if self.rel is None else self.rel
        tol = max(rel * abs(want), 1e-12 if self.abs is None else self.abs)
        return got == want or abs(got - want) <= tol

    def __eq__(self, other):
        return self._close(other, self.expected)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return f"approx({self.expected!r})"


def fail(reason=""):
    raise AssertionError(reason)


def fixture(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda f: f


class _Mark:
    def __getattr__(self, name):
        def mark(*args, **kwargs):
            if len(args) == 1 and callable(args[0]) and not kwargs:
                return args[0]
            return lambda f: f
        return mark


mark = _Mark()
'''

_HARNESS = r'''
import ast, builtins, fractions, importlib, json, operator, os, re, selectors, shutil, subprocess, sys, tempfile
import threading, traceback, _thread
import importlib.util  # `lacked`
# every code object of this harness (its functions', the checks the tests call included), by id: the audit hook
# (`arm`) lets the harness's own code read what it refuses the solution's
HARNESS_CODES, todo = set(), [sys._getframe().f_code]
while todo:
    c = todo.pop(); HARNESS_CODES.add(id(c)); todo.extend(k for k in c.co_consts if type(k) is type(c))
from decimal import Decimal
# What the harness calls after the solution ran, taken before: the solution runs in this process (asserts) and could
# patch what the harness uses. Its functions look builtins up in a copy of their own (`HARNESS_BUILTINS`), which the
# solution's `import builtins` does not reach; `BUILTINS` is builtins as they were, restored before each test.
BUILTINS = dict(vars(builtins))
HARNESS_BUILTINS = dict(BUILTINS)
globals()["__builtins__"] = HARNESS_BUILTINS  # the functions defined from here on use it
EXEC, COMPILE, WRITE, EXIT, RMTREE, DUMPS = exec, compile, os.write, os._exit, shutil.rmtree, json.dumps
OPERATORS = {  # the asserts' operators, by their AST names (`operator` patched by the solution is not these)
    "Add": operator.add, "Sub": operator.sub, "Mult": operator.mul, "MatMult": operator.matmul,
    "Div": operator.truediv, "FloorDiv": operator.floordiv, "Mod": operator.mod, "Pow": operator.pow,
    "LShift": operator.lshift, "RShift": operator.rshift, "BitOr": operator.or_, "BitXor": operator.xor,
    "BitAnd": operator.and_, "Lt": operator.lt, "LtE": operator.le, "Gt": operator.gt, "GtE": operator.ge,
}
payload = json.loads(sys.stdin.buffer.read())
nonce = payload.pop("nonce")
res_fd = os.dup(1)
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
# a folder of this run's own: an unsandboxed run (`allow_unsandboxed`) shares /tmp with the runs beside it
work = tempfile.mkdtemp(prefix="tm_", dir="/tmp")
os.chdir(work)
SOLUTION = os.path.join(work, "solution.py")
restore = lambda: None  # asserts: what the solution patched, put back (below)

def report(**kw):
    restore()  # json, as the harness found it
    WRITE(res_fd, ("\n" + nonce + DUMPS(kw) + "\n").encode())
    RMTREE(work, ignore_errors=True)
    EXIT(0)

def sealer(name):
    """What the solution calls in place of a sealed function (`_imp.create_builtin`, `gc.set_debug`, `_signal.signal`):
    the audit hook, which alone holds the original, answers it (`arm` makes it again with globals of its own)."""
    def gate(*args):
        box = []
        AUDIT("thinkmill.sealed", name, args, box)
        return box[0]
    return gate

def hider(handler):
    """A signal handler of the solution's, called without the interrupted frame (`arm` makes it again with globals
    of its own)."""
    def handle(signum, frame):
        return handler(signum, None)
    return handle

def arm():
    """Add the audit hook that keeps the solution (and the tests) out of the frames and the heap, for good: a frame
    leads to the calling test's code (its expected values, `f_code.co_consts`), its namespace and up to the
    harness's globals (`payload`, `report`); `gc` finds any object (code 20 passed a solution reading the expected
    value out of `sys._getframe(1).f_code`, walking `f_back` to `payload`, or calling `report` found by
    `gc.get_objects()`). Refused, unless the harness's own code asks: `sys._getframe` (ValueError: namedtuple, enum,
    typing and logging then go without the caller's module name, as they do where frames are unknown),
    `sys._current_frames` and `_current_exceptions`, a trace or profile function, another audit hook (it would see
    the harness's events), `gc.get_objects`, `get_referrers` and `get_referents`; a frame read off a traceback
    (`tb_frame`), a generator or coroutine (`gi_frame`, `cr_frame`, `ag_frame`) or a frame's code (`f_code`), and
    the code (`__code__`, `gi_code`) of a function or generator of the tests' or the harness's (AttributeError).
    A traceback is still printed and formatted: `traceback`'s walk over it reads its frames for a
    `StackSummary` that keeps no locals (no `capture_locals`), and `traceback.clear_frames` and unittest's
    `_is_relevant_tb_level` read theirs.
    Code 22, the other ways to a frame or to the process's memory (code 21 passed a solution forging a report through
    each): every ctypes call and the ctypes module itself (ImportError: a pointer read through a union needs no audited
    call), a subinterpreter (no hook there) and an SQLite extension; opening
    `/proc/<pid>/mem` (PermissionError; in the sandbox the kernel refuses it too: the interpreter is not readable, so
    the harness is not dumpable); `gc.set_debug(gc.DEBUG_SAVEALL)` (RuntimeError: collected frames kept in
    `gc.garbage`). A signal handler the solution sets is called without the interrupted frame (None). What guards
    these (`gc.set_debug`, `_signal.signal`, `_imp.create_builtin`, `_imp.create_dynamic`) is sealed: the modules
    hold gates (`sealer`) that ask the hook, which alone holds the originals, and `_imp` makes no new `gc`, `_signal`
    or `_imp`, none of ctypes' or CPython's test and subinterpreter modules and no extension module from /tmp.
    Code 23, bytecode of the solution's own, which reads memory out of bounds (a slot past its frame's locals held
    the hook's `caller` frame, and `f_back` led to `report`): no code object is made (`code.__new__`: `types.CodeType`,
    `code.replace`) but by `types.coroutine`, and none unmarshalled (`marshal.loads`, `marshal.load`) but a compiled
    module of the system's that importlib loads (`system_bytecode`): a `.pyc` under /tmp is refused (RuntimeError)."""
    getframe, ident, inside, tests = sys._getframe, _thread.get_ident, set(), TEST_CODES
    calls = {"sys._getframe": ValueError, "sys._current_frames": RuntimeError, "sys._current_exceptions": RuntimeError,
             "sys.settrace": RuntimeError, "sys.setprofile": RuntimeError, "sys._settraceallthreads": RuntimeError,
             "sys._setprofileallthreads": RuntimeError, "sys.addaudithook": RuntimeError,
             "sys.monitoring.register_callback": RuntimeError, "gc.get_objects": RuntimeError,
             "gc.get_referrers": RuntimeError, "gc.get_referents": RuntimeError,
             "cpython.PyInterpreterState_New": RuntimeError, "sqlite3.enable_load_extension": RuntimeError,
             "sqlite3.load_extension": RuntimeError, "open": None, "thinkmill.sealed": None,
             "code.__new__": None, "marshal.loads": None, "marshal.load": RuntimeError}
    calls.update((f"ctypes.{e}", RuntimeError) for e in (
        "addressof", "call_function", "cdata", "cdata/buffer", "create_string_buffer", "create_unicode_buffer",
        "dlopen", "dlsym", "dlsym/handle", "get_errno", "get_last_error", "set_errno", "set_last_error",
        "set_exception", "seh_exception", "string_at", "wstring_at", "PyObj_FromPtr", "call_callback"))
    import gc, _imp, _signal
    lstat, readlink, getcwd, index, callable_ = os.lstat, os.readlink, os.getcwd, operator.index, callable
    fopen, fread, fclose, RDONLY = os.open, os.read, os.close, os.O_RDONLY
    # who may make a code object (`code.__new__`: `types.CodeType`, `code.replace`) or unmarshal one: the standard
    # library's `types.coroutine` (a generator's flags, at `import asyncio`) and importlib reading a compiled module
    coroutine = getattr(getattr(sys.modules.get("types"), "coroutine", None), "__code__", None)
    unmarshal = getattr(getattr(sys.modules.get("_frozen_importlib_external"), "_compile_bytecode", None), "__code__",
                        None)
    namespace, cell, audit = type(sys.implementation), type((lambda: tests).__closure__[0]), sys.audit
    saveall = gc.DEBUG_SAVEALL
    MEMORY = re.compile(r"/proc/[^/]+(?:/task/[^/]+)?/mem")
    WRITABLE = tuple({"/tmp/", "/dev/shm/", "/var/tmp/", tempfile.gettempdir().rstrip("/") + "/", work + "/"})
    # the modules `_imp` no longer makes: a `gc` or `_signal` of the solution's would not be sealed, `_imp` would
    # make the others, ctypes reads and writes memory, CPython's test modules reach its insides, and a subinterpreter
    # runs without this hook
    UNMADE = {"gc", "_signal", "_imp", "_interpreters", "_interpchannels", "_interpqueues"}
    UNMADE_PREFIXES = ("_ctypes", "_test", "_xx")

    def resolve(path):
        """`path` made absolute with every symlink followed, as the kernel would open it (without the checks
        `posixpath.realpath` does through `os`, which the solution can patch)."""
        if path[:1] != "/":
            try:
                path = getcwd() + "/" + path
            except OSError:  # its folder removed: the kernel cannot open it either
                return path
        parts, out, links = path.split("/")[::-1], [], 0
        while parts:
            part = parts.pop()
            if part in ("", "."):
                continue
            if part == "..":
                out = out[:-1]
                continue
            here = "/" + "/".join(out + [part])
            try:
                target = readlink(here) if lstat(here).st_mode & 0o170000 == 0o120000 and links < 40 else None
            except (OSError, ValueError):
                target = None
            if target is not None:
                links += 1
                if target[:1] == "/":
                    out = []
                parts.extend(target.split("/")[::-1])
            else:
                out.append(part)
        return "/" + "/".join(out)

    def system_bytecode(fr, data):
        """Whether `data`, which importlib's `_compile_bytecode` (frame `fr`) is about to unmarshal, is a compiled
        module of the system's: what a file out of the solution's reach (not under /tmp and the like) holds after its
        16-byte header, and passed as bytes, which no thread can change between this check and the loading (the
        event's `data` is a copy). The solution can call `_compile_bytecode` itself, with any `bytecode_path`."""
        got = fr.f_locals
        path, given = got.get("bytecode_path"), got.get("data")
        if not (type(given) is bytes or (type(given) is memoryview and type(given.obj) is bytes)):
            return False
        if type(path) is not str or type(data) is not bytes:
            return False
        path = resolve(path)
        if path.startswith(WRITABLE + ("/proc/",)):
            return False
        try:
            fd = fopen(path, RDONLY)
        except (OSError, ValueError):
            return False
        chunks = []
        try:
            while True:
                chunk = fread(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            return False
        finally:
            fclose(fd)
        return b"".join(chunks)[16:] == data

    wrapped = {}  # id(the handler set) -> (it, the solution's handler)
    def unwrap(handler):
        got = wrapped.get(id(handler))
        return got[1] if got is not None and got[0] is handler else handler

    def make(spec, rest, dynamic):
        """`_imp.create_builtin(spec)` / `create_dynamic(spec, ...)`, but not for a module it must not make; the
        spec's name and origin are read once (a property could answer otherwise the second time)."""
        name, origin = getattr(spec, "name", None), getattr(spec, "origin", None)
        if type(name) is not str or (origin is not None and type(origin) is not str):
            raise ImportError("thinkmill: a module spec's name and origin must be str")
        short = name.rpartition(".")[2]
        if short in UNMADE or short.startswith(UNMADE_PREFIXES) or (
            dynamic and origin and resolve(origin).startswith(WRITABLE + ("/proc/",))
        ):
            raise ImportError(f"thinkmill: module {name} is out of the solution's reach", name=name)
        made = sealed["_imp.create_dynamic" if dynamic else "_imp.create_builtin"]
        return made(namespace(name=name, origin=origin), *rest)

    def signal(signum, handler):
        if callable_(handler):
            h = hider(handler)
            h = FUNCTION(h.__code__, {"__builtins__": {}}, "handle", None, (cell(handler),))
            wrapped[id(h)] = (h, handler)
            handler = h
        return unwrap(sealed["_signal.signal"](signum, handler))

    def set_debug(flags):
        flags = index(flags)
        if flags & saveall:
            raise RuntimeError("thinkmill: gc.DEBUG_SAVEALL is out of the solution's reach")
        return sealed["gc.set_debug"](flags)

    answers = {
        "_imp.create_builtin": lambda spec, *rest: make(spec, rest, False),
        "_imp.create_dynamic": lambda spec, *rest: make(spec, rest, True),
        "gc.set_debug": set_debug, "_signal.signal": signal,
        "_signal.getsignal": lambda signum: unwrap(sealed["_signal.getsignal"](signum)),
    }
    sealed, gate = {}, None
    for name in answers:
        module, _, attr = name.partition(".")
        module = {"_imp": _imp, "gc": gc, "_signal": _signal}[module]
        sealed[name] = getattr(module, attr)
        g = sealer(name)
        gate = g.__code__
        setattr(module, attr, FUNCTION(gate, {"__builtins__": {}, "AUDIT": audit}, attr, None, g.__closure__))
    frames = {"tb_frame", "f_code", "gi_frame", "cr_frame", "ag_frame"}
    codes = {"__code__", "gi_code", "cr_code", "ag_code"}
    readers, walkers, extract = set(), set(), None  # what reads a traceback's frames on a printer's behalf
    summary = getattr(traceback, "StackSummary", None)
    for owner, name, into in ((traceback, "clear_frames", readers), (traceback, "walk_tb", walkers),
                              (traceback, "_walk_tb_with_full_positions", walkers),
                              (sys.modules.get("unittest.result"), "TestResult._is_relevant_tb_level", readers),
                              (summary, "extract", walkers), (summary, "_extract_from_extended_frame_gen", None)):
        f = owner
        for part in name.split("."):
            f = getattr(f, part, None)
        f = getattr(f, "__func__", f)
        c = getattr(f, "__code__", None)
        if c is None:
            continue
        if into is None:
            extract = c
        else:
            into.add(id(c))
            into.update(id(k) for k in c.co_consts if type(k) is type(c))  # `extract`'s own generator
    if extract is not None and summary is not None and "_extract_from_extended_frame_gen" not in vars(summary):
        extract = None

    def printing(fr):
        """Whether frame `fr` reads a traceback's frames for a printer: a reader, or a walk consumed by
        `StackSummary` that captures no locals."""
        c = fr.f_code
        if id(c) in readers:
            return True
        while id(c) in walkers:
            fr = fr.f_back
            if fr is None:
                return False
            c = fr.f_code
        return c is extract and not fr.f_locals.get("capture_locals")

    def hook(event, args):
        if event == "object.__getattr__":
            if args[1] not in frames and args[1] not in codes:
                return
        elif event not in calls:
            return
        me = ident()
        if me in inside:  # the hook's own reads
            return
        inside.add(me)
        try:
            try:
                caller = getframe(1)
            except ValueError:  # raised from C with no Python frame under it
                caller = None
            code = None if caller is None else caller.f_code
            if event == "thinkmill.sealed":  # a gate's call, answered below (out of `inside`: it may run code)
                why = None if code is gate else RuntimeError
            elif id(code) in HARNESS_CODES:
                return
            elif event == "open":
                path = args[0]
                if type(path) is bytes:
                    path = path.decode("utf-8", "surrogateescape")
                if type(path) is not str or not MEMORY.fullmatch(resolve(path)):
                    return
                why = PermissionError
            elif event == "code.__new__":  # bytecode of its own reads memory out of bounds: a frame, `report`
                if coroutine is not None and code is coroutine:
                    return
                why = RuntimeError
            elif event == "marshal.loads":  # the same, unmarshalled (a `.pyc` it wrote, `marshal.loads`)
                if unmarshal is not None and code is unmarshal and system_bytecode(caller, args[0]):
                    return
                why = RuntimeError
            elif event != "object.__getattr__":
                why = calls[event]
            elif args[1] in codes:
                c = getattr(args[0], args[1], None)
                if id(c) not in HARNESS_CODES and id(c) not in tests:
                    return
                why = AttributeError
            elif args[1] in ("tb_frame", "f_code") and caller is not None and printing(caller):
                return
            else:
                why = AttributeError
        finally:
            inside.discard(me)
        if why is None:
            name, call, box = args
            box.append(answers[name](*call))
            return
        what = f"{event} {args[1]}" if event == "object.__getattr__" else event
        raise why(f"thinkmill: {what} is out of the solution's reach")

    sys.addaudithook(hook)

NO_MODULE = re.compile(rb"ModuleNotFoundError: No module named '([^']+)'")

def lacked(name):
    """The module an import that failed names (`numpy` of `import numpy`, `numpy.linalg`), where the sandbox's Python
    has no module of that name at the top (a missing library: `missing_module`); None for a part an installed package
    lacks (the solution's own error) or no name."""
    top = name.partition(".")[0] if isinstance(name, str) else ""
    try:
        return top if top and importlib.util.find_spec(top) is None else None
    except (ImportError, ValueError):
        return None

def drain(p, cap):
    """Read a case's stdout and stderr together until both close; None as soon as either passes `cap`."""
    bufs = {p.stdout.fileno(): bytearray(), p.stderr.fileno(): bytearray()}
    sel = selectors.DefaultSelector()
    for fd in bufs:
        sel.register(fd, selectors.EVENT_READ)
    try:
        while sel.get_map():
            for key, _ in sel.select():
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                bufs[key.fd] += chunk
                if len(bufs[key.fd]) > cap:
                    return None
    finally:
        sel.close()
    return bytes(bufs[p.stdout.fileno()]), bytes(bufs[p.stderr.fileno()])

def out_lines(s):
    """An output's lines, each without its trailing whitespace, without the blank lines at its ends."""
    lines = [l.rstrip() for l in s.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    return lines[start:]

NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
SPACE = re.compile(r"(\s+)")

def same_token(got, want, tol, any_case=False):
    """A printed word against the expected one: the same text (in any letter case where the task says so,
    `any_case`, for a word of letters: "Yes" for "YES"), or, where the expected word is a real number (written
    with a point or an exponent), a number of the same value (`0.5` for `0.500000`, as LiveCodeBench's harness
    compares them) or, when the task states the error it allows (`tol`: absolute, relative; None each), one within
    it. An expected integer is its text: `007` is not `7`, `3.0` not `3`; where the task states an error, its answer
    is a real number, and the same value printed as one passes (`2.000000` for `2`), never one within the error."""
    if got == want or (any_case and want.isalpha() and got.casefold() == want.casefold()):
        return True
    if not (NUMBER.fullmatch(got) and NUMBER.fullmatch(want)):
        return False
    if not any(c in want for c in ".eE"):
        return bool(tol) and any(c in got for c in ".eE") and Decimal(got) == Decimal(want)
    x, y = Decimal(got), Decimal(want)
    if x == y:
        return True
    if not tol:
        return False
    try:
        d = abs(x - y)
        return any(t is not None and d <= Decimal(repr(t)) * (abs(y) if i else 1) for i, t in enumerate(tol))
    except ArithmeticError:  # exponents past Decimal's range
        return False

GAP = re.compile(r"[ \t]+")

def same_line(got, want, tol, any_case=False):
    """A printed line against the expected one, word by word. The whitespace between words is compared as text,
    except where the expected line sets its words apart by single spaces, as a token checker reads them
    (Codeforces, CodeContests): there any run of spaces or tabs between two words is one gap. An indent counts."""
    if got == want:
        return True
    g, w = SPACE.split(got), SPACE.split(want)
    gaps = range(3 if w[0] == "" else 1, len(w), 2)  # the whitespace between words, not an indent
    tokens = all(w[i] == " " for i in gaps)
    return len(g) == len(w) and all(
        (a == b or (tokens and i in gaps and GAP.fullmatch(a) is not None)) if i % 2
        else same_token(a, b, tol, any_case)
        for i, (a, b) in enumerate(zip(g, w))
    )

def same_output(got, want, tol, any_case=False):
    """Whether a case's printed output is the expected one: line by line (`same_line`), leading whitespace counting,
    except on a first line the expected output does not indent (a reference stored stripped cannot tell it)."""
    got, want = out_lines(got), out_lines(want)
    if len(got) != len(want):
        return False
    if want and want[0] == want[0].lstrip():
        got[0] = got[0].lstrip()
    return all(same_line(g, w, tol, any_case) for g, w in zip(got, want))

solution = payload["solution"]
prelude = payload.get("prelude")
# the CPUs the sandbox shows (`-X cpu_count`, Python 3.13+), for a case's program too
XOPTS = ["-X", "cpu_count=%s" % sys._xoptions["cpu_count"]] if "cpu_count" in sys._xoptions else []
sys.modules["__main__"] = type(sys)("__main__")  # `import __main__` in the solution must not reach `report`
if "cases" in payload:
    # not dumpable: a case's program (the same uid) cannot read the expected outputs out of this process's memory
    # (`/proc/<ppid>/mem`); the program itself, a new executable, is dumpable again
    import ctypes
    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE, 0
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
    with open(SOLUTION, "w") as f:
        f.write(solution)
    try:
        compile(solution, "solution.py", "exec")
    except SyntaxError:
        report(status="syntax_error")
    program = [SOLUTION]
    if prelude:
        # the prelude, then the solution, in one namespace (the solution compiled on its own: its __future__
        # imports stay first)
        with open(os.path.join(work, "_tm_prelude.py"), "w") as f:
            f.write(prelude)
        with open(os.path.join(work, "_tm_main.py"), "w") as f:
            f.write("g = {'__name__': '__main__'}\n"
                    f"exec(compile(open({os.path.join(work, '_tm_prelude.py')!r}).read(), 'prelude.py', 'exec'), g)\n"
                    f"exec(compile(open({SOLUTION!r}).read(), 'solution.py', 'exec'), g)\n")
        program = [os.path.join(work, "_tm_main.py")]
    cap, timeout = payload["max_output"], payload["case_timeout"]
    passed, first, module = 0, None, None
    for case in payload["cases"]:
        # stdin is the input as a file, as judges give it: fast input reads `os.fstat(0).st_size` bytes (a pipe's is 0)
        stdin = tempfile.TemporaryFile(dir=work)
        stdin.write(case["input"].encode()); stdin.seek(0)
        p = subprocess.Popen([sys.executable, "-I", *XOPTS, *program], stdin=stdin,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work, start_new_session=True)
        stdin.close()
        timer = threading.Timer(timeout, lambda p=p: os.killpg(p.pid, 9))
        timer.start()
        got = drain(p, cap)
        if got is None:
            os.killpg(p.pid, 9); report(status="output_limit")
        out, err = got
        rc = p.wait(); timed_out = not timer.is_alive() and rc < 0; timer.cancel()
        try:
            os.killpg(p.pid, 9)
        except OSError:
            pass
        if timed_out:
            kind = "timeout"
        elif rc != 0:
            kind = "memory_limit" if b"MemoryError" in err else "runtime_error"
            named = NO_MODULE.findall(err)  # the traceback's last import that failed
            named = lacked(named[-1].decode(errors="replace")) if kind == "runtime_error" and named else None
            if named:
                kind, module = "missing_module", module or named
        elif not same_output(
            out.decode(errors="replace"), case["output"], payload.get("float_tol"), payload.get("any_case", False)
        ):
            kind = "wrong_output"
        else:
            passed += 1; continue
        first = first or kind
    report(status="ok", passed=passed, total=len(payload["cases"]), failure=first,
           module=module if first == "missing_module" else None)
else:
    with open(SOLUTION, "w") as f:
        f.write(solution)
    sys.path.insert(0, work)
    os.makedirs(os.path.join(work, "_tm_standins"))
    with open(os.path.join(work, "_tm_standins", "pytest.py"), "w") as f:
        f.write(__PYTEST_STANDIN__)
    sys.path.append(os.path.join(work, "_tm_standins"))  # last: a pytest the sandbox's Python has wins
    os.dup2(2, 1)  # the solution's prints: to the capped stderr pipe, never to the report channel
    try:
        code = compile(solution, "solution.py", "exec")
    except SyntaxError:
        report(status="syntax_error")

    class EqOverride(BaseException):  # not an Exception: a test's `except Exception` must not swallow it
        pass

    # unittest's assert methods whose arguments the rewrite checks as the operator they apply (`self.assertEqual(a, b)`
    # compares `a == b` inside unittest, out of an assert's sight): the first two arguments, or the one tested for truth
    UNITTEST = {
        **dict.fromkeys(("assertEqual", "assertEquals", "assertNotEqual", "assertNotEquals", "assertListEqual",
                         "assertTupleEqual", "assertDictEqual", "assertSetEqual", "assertSequenceEqual",
                         "assertCountEqual", "assertMultiLineEqual", "assertItemsEqual"), "Eq"),
        **dict.fromkeys(("assertAlmostEqual", "assertNotAlmostEqual", "assertAlmostEquals"), "Near"),
        **dict.fromkeys(("assertLess", "assertLessEqual", "assertGreater", "assertGreaterEqual"), "Order"),
        **dict.fromkeys(("assertIn", "assertNotIn"), "In"),
    }

    class Rewrite(ast.NodeTransformer):
        """Everywhere in the tests (an assert, a test function's `ok = x == y`, `if f(1) != 2: raise ...`, a helper):
        `x == y` / `x != y` -> `__thinkmill_eq__(x, y)` / `__thinkmill_ne__(x, y)`, `x < y` (and `<=`, `>`, `>=`,
        `in`, `not in`) -> `__thinkmill_cmp__("Lt", x, y)`, a chain `a < b < c` -> `__thinkmill_chain__(("Lt", "Lt"),
        True, a, lambda: b, lambda: c)` (each link checked as one comparison, each operand evaluated once and only
        while the chain holds; eagerly in a class body or where an operand assigns, yields or awaits), `x - y` (every
        binary operator) -> `__thinkmill_op__("Sub", x, y)`, `abs(x)` -> `__thinkmill_abs__(abs, x)`, and unittest's
        `self.assertEqual(a, b)` (the methods of `UNITTEST`) -> `self.assertEqual(*__thinkmill_args__("Eq", a, b))`.
        Code 19 rewrote only what an assert held, and left a chain as written: `assert 1 < f(1) < 3` passed an object
        less and greater than everything, `ok = f(1) == 2` one equal to everything."""

        def __init__(self):
            self.scopes = ["module"]

        def call(self, fn, args, node):
            return ast.copy_location(ast.Call(ast.Name(fn, ast.Load()), args, []), node)

        def scoped(self, kind, node):
            self.scopes.append(kind)
            try:
                return self.generic_visit(node)
            finally:
                self.scopes.pop()

        def visit_ClassDef(self, node):
            return self.scoped("class", node)

        def visit_FunctionDef(self, node):
            return self.scoped("function", node)

        visit_AsyncFunctionDef = visit_Lambda = visit_ListComp = visit_SetComp = visit_FunctionDef
        visit_DictComp = visit_GeneratorExp = visit_FunctionDef

        def visit_Compare(self, node):
            self.generic_visit(node)
            operands = [node.left, *node.comparators]
            if len(node.ops) > 1:
                ops = ast.Tuple([ast.Constant(type(o).__name__) for o in node.ops], ast.Load())
                eager = self.scopes[-1] == "class" or any(
                    isinstance(n, (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await))
                    for o in operands[1:] for n in ast.walk(o)
                )
                rest = operands[1:] if eager else [
                    ast.copy_location(ast.Lambda(ast.arguments([], [], None, [], [], None, []), o), o)
                    for o in operands[1:]
                ]
                return self.call("__thinkmill_chain__", [ops, ast.Constant(not eager), operands[0], *rest], node)
            op = node.ops[0]
            if isinstance(op, (ast.Eq, ast.NotEq)):
                return self.call("__thinkmill_eq__" if isinstance(op, ast.Eq) else "__thinkmill_ne__", operands, node)
            if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)):
                return self.call("__thinkmill_cmp__", [ast.Constant(type(op).__name__), *operands], node)
            return node

        def visit_BinOp(self, node):
            self.generic_visit(node)
            return self.call("__thinkmill_op__", [ast.Constant(type(node.op).__name__), node.left, node.right], node)

        def visit_Call(self, node):
            self.generic_visit(node)
            f, args = node.func, node.args
            if isinstance(f, ast.Name) and f.id == "abs" and len(args) == 1 and not node.keywords:
                if not isinstance(args[0], ast.Starred):
                    return self.call("__thinkmill_abs__", [f, args[0]], node)
            if isinstance(f, ast.Attribute) and f.attr in UNITTEST and args:
                if len(args) >= 2 and not any(isinstance(a, ast.Starred) for a in args[:2]):
                    checked = self.call("__thinkmill_args__", [ast.Constant(UNITTEST[f.attr]), *args[:2]], node)
                    node.args = [ast.Starred(checked, ast.Load()), *args[2:]]
            return node

    # The tests are parsed and compiled before the solution runs (it could patch `ast` or `compile`)
    try:
        tree = ast.fix_missing_locations(Rewrite().visit(ast.parse(payload["tests"])))
    except SyntaxError:
        tree = None
    # its methods' globals are the harness's (`report`), and `ast.NodeTransformer.__subclasses__()` finds the class
    for k in [k for k, v in vars(Rewrite).items() if type(v) is type(lacked)]:
        delattr(Rewrite, k)
    # the names and attribute names the tests use (`driven`)
    TEST_NAMES, TEST_ATTRS = set(), set()
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Name):
            TEST_NAMES.add(node.id)
        elif isinstance(node, ast.Attribute):
            TEST_ATTRS.add(node.attr); TEST_NAMES.add(node.attr)
        elif isinstance(node, ast.alias):
            TEST_NAMES.add((node.asname or node.name).partition(".")[0])
    NAMED = set()  # ids of what those names were bound to when the statement began
    statements = []  # (statement, its code or the error compiling it)
    TEST_CODES = set()  # the id of every code object the tests hold (their classes' `__eq__`; `statements` keeps them)
    for stmt in tree.body if tree is not None else ():
        try:
            compiled = compile(ast.Module([stmt], []), "tests.py", "exec")
        except SyntaxError as e:  # `return` outside a function: an error when run, as before
            compiled = e
        statements.append((stmt, compiled))
        todo = [compiled] if isinstance(compiled, type(code)) else []
        while todo:
            c = todo.pop()
            TEST_CODES.add(id(c))
            todo.extend(k for k in c.co_consts if isinstance(k, type(code)))

    # The modules the tests import are imported before the solution, so what the solution writes into its folder
    # (first on sys.path: a `pytest.py`) does not replace them, and their attributes are put back as they were
    # before each test (with json's and ast's, which the harness and ingest's call-based scripts use)
    wanted = ["json", "json.decoder", "json.encoder", "json.scanner", "ast"]  # modules, and names that may be
    maybe = []
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            wanted += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            wanted.append(node.module)
            maybe += [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    modules, missing = {}, set()
    for name in wanted + maybe:
        parts = name.split(".")
        if parts[0] in ("solution", "__solution__", "__main__"):
            continue
        for i in range(1, len(parts) + 1):
            sub = ".".join(parts[:i])
            if sub in modules:
                continue
            try:
                modules[sub] = importlib.import_module(sub)
            except BaseException:  # not installed (the name `from m import name` imports need be no module)
                if name in wanted:
                    missing.add(sub)
                break
    FUNCTION = type(report)
    HEAP = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class written in Python (or made at run time), not a C type
    # a class's own dict, its MRO, its flags and its name, read past a metaclass of the solution's (a `__flags__`
    # property saying 0 made its class a C type's, and its `__eq__` no override: code 19 passed it)
    TYPE_DICT, TYPE_MRO = type.__dict__["__dict__"].__get__, type.__dict__["__mro__"].__get__
    FLAGS = type.__dict__["__flags__"].__get__

    def freeze():
        """What restore() puts back: the modules' attributes, their classes' attributes, their functions' code and
        defaults, and the callables of their objects (`json._default_decoder.decode`)."""
        kept = [(vars(builtins), dict(BUILTINS), False)]
        funcs, seen = [], set()
        for m in modules.values():
            kept.append((vars(m), dict(vars(m)), False))
            for v in list(vars(m).values()):
                if id(v) in seen:
                    continue
                seen.add(id(v))
                if type(v) is FUNCTION:
                    funcs.append(v)
                elif isinstance(v, type) and TYPE_DICT(v) and FLAGS(v) & HEAP:
                    kept.append((v, dict(TYPE_DICT(v)), True))
                    for f in TYPE_DICT(v).values():
                        f = getattr(f, "__func__", f) if isinstance(f, (staticmethod, classmethod)) else f
                        if type(f) is FUNCTION and id(f) not in seen:
                            seen.add(id(f)); funcs.append(f)
                elif FLAGS(type(v)) & HEAP and isinstance(getattr(v, "__dict__", None), dict):
                    kept.append((v.__dict__, {k: x for k, x in v.__dict__.items() if callable(x)}, None))
        return kept, [(f, f.__code__, f.__defaults__, f.__kwdefaults__) for f in funcs]

    def restore_now():
        for target, was, cls in FROZEN:
            if cls:  # a class: through type's setattr (its dict is read-only); an attribute it gained goes
                now = TYPE_DICT(target)
                for k in [k for k in now if k not in was]:
                    type.__delattr__(target, k)
                for k, v in was.items():
                    if now.get(k, was) is not v:
                        type.__setattr__(target, k, v)
                continue
            for k, v in was.items():
                if target.get(k, was) is not v:
                    target[k] = v
            if cls is None:  # an object's callables: one it gained hides its class's method
                for k in [k for k, v in target.items() if k not in was and callable(v)]:
                    del target[k]
        for f, c, d, kw in FROZEN_CODE:
            if f.__code__ is not c:
                f.__code__ = c
            if f.__defaults__ is not d:
                f.__defaults__ = d
            if f.__kwdefaults__ is not kw:
                f.__kwdefaults__ = kw
        for name, m in modules.items():
            sys.modules[name] = m
        for name in missing:
            sys.modules[name] = None  # not installed: a module of that name the solution wrote is not it

    # The solution runs as a module, `__solution__`, in sys.modules: a function of its own handed to worker processes
    # (`Pool.map(_sq, xs)`) is pickled by reference, `__solution__._sq`. A spawned or forkserver child, a Python of its
    # own, imports it from the folder (the loader, `__solution__.py`: the prelude, then the solution), as Python's
    # spawn imports a script's `__main__` again. Code 22 ran it in a namespace no module held: every such right
    # solution failed `runtime_error` ("Can't pickle <function _sq>: import of module '__solution__' failed").
    with open(os.path.join(work, "__solution__.py"), "w") as f:
        f.write((f"exec(compile({prelude!r}, 'prelude.py', 'exec'), globals())\n" if prelude else "")
                + f"exec(compile(open({SOLUTION!r}).read(), 'solution.py', 'exec'), globals())\n")
    SOLUTION_MODULE = type(sys)("__solution__")
    ns = vars(SOLUTION_MODULE)
    sys.modules["__solution__"] = SOLUTION_MODULE
    if prelude:
        try:
            exec(compile(prelude, "prelude.py", "exec"), ns)
        except BaseException as e:
            report(status="tests_setup_error", error=type(e).__name__)

    def every_class():
        seen, todo = {id(object): object}, [object]
        while todo:
            for k in type.__subclasses__(todo.pop()):
                if id(k) not in seen:
                    seen[id(k)] = k; todo.append(k)
        return seen.values()

    # the methods by which an object meets a value in an assert: its equality, its ordering, its arithmetic, its abs
    EQUALITY = ("__eq__", "__ne__")
    ORDERING = EQUALITY + ("__lt__", "__le__", "__gt__", "__ge__")
    ARITHMETIC = tuple(f"__{r}{n}__" for n in ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow",
                                               "lshift", "rshift", "or", "xor", "and") for r in ("", "r"))
    METHODS = ORDERING + ARITHMETIC + ("__abs__",)
    # every class written in Python, and those methods and its `__contains__`, as they were before the solution ran
    KEPT = METHODS + ("__contains__",)
    BEFORE = {id(k): (k, {n: TYPE_DICT(k).get(n) for n in KEPT}) for k in every_class() if FLAGS(k) & HEAP}
    # no `.pyc` written for a module of the solution's (its folder's `helper.py`): the audit hook refuses bytecode
    # read from /tmp (`arm`), so a second import of it (`importlib.reload`) would fail
    sys.dont_write_bytecode = True
    arm()  # before `freeze`: what it seals (`gc.set_debug`) is put back sealed
    FROZEN, FROZEN_CODE = freeze()
    restore = restore_now
    try:
        exec(code, ns)
    except SystemExit:
        report(status="exit_before_tests")
    except MemoryError:
        report(status="memory_limit")
    except BaseException as e:
        module = lacked(e.name) if isinstance(e, ModuleNotFoundError) else None
        report(status="missing_module" if module else "runtime_error", error=type(e).__name__, module=module)
    restore()
    if tree is None:
        report(status="bad_tests")

    MOCK = ("unittest.mock",)

    def own(t, names=EQUALITY):
        """Whether one of the methods `names` (`__eq__` or `__ne__`) that instances of `t` use is the solution's: one
        written in Python (or any other callable put on a class written in Python) unless its class existed before the
        solution ran with that same function (the standard library's, the prelude's: `Fraction`), or the tests wrote
        it. Where the function says it was written (`co_filename`) decides nothing: the solution can make code with
        any file name. Objects of `unittest.mock` (`ANY`) are made to equal anything: always the solution's."""
        for name in names:
            for k in TYPE_MRO(t):
                f = TYPE_DICT(k).get(name)
                if f is None:
                    continue
                if not FLAGS(k) & HEAP:
                    break  # a C type's (int's, a numpy value's)
                if TYPE_DICT(k).get("__module__") in MOCK:
                    return True
                before = BEFORE.get(id(k))
                if before is not None and before[0] is k:
                    if f is not before[1][name]:
                        return True
                    break
                if not (type(f) is FUNCTION and id(f.__code__) in TEST_CODES):
                    return True
                break
        return False

    PLAIN = (int, float, str, bytes, bool, type(None), complex)
    PLAIN_IDS = {id(p) for p in PLAIN}  # by identity: a metaclass's `==` and hash could lie
    import collections
    # C containers whose `==`, ordering and `in` compare their items: what a subclass of one holds is read through
    # the base's own iterator (past a `__iter__` of the subclass's)
    CONTAINERS = ((dict, lambda x: [*dict.keys(x), *dict.values(x)]), (list, list.__iter__),
                  (tuple, tuple.__iter__), (set, set.__iter__), (frozenset, frozenset.__iter__),
                  (collections.deque, collections.deque.__iter__))
    OBJECT_DICT = object.__dict__["__getattribute__"]

    def inside(x, t):
        """What an object that is no plain value compares by: the items of a C container's subclass (a tuple subclass
        holding an object equal to everything met `(2,)`: code 19 looked into plain lists, tuples, sets and dicts
        alone), or the attributes of an object whose `==` a class that is not the solution's wrote in Python (the
        standard library's `UserList`, comparing `self.data`); None for any other (its own `==` is identity)."""
        mro = TYPE_MRO(t)
        for base, items in CONTAINERS:
            if base in mro:
                return items(x)
        for k in mro:
            if "__eq__" in TYPE_DICT(k):
                if not FLAGS(k) & HEAP:
                    return None
                break
        try:
            d = OBJECT_DICT(x, "__dict__")
        except BaseException:
            return None
        return list(d.values()) if type(d) is dict else None

    def owns(v, names=EQUALITY, limit=100000):
        """Whether `v` holds (through lists, tuples, sets and dicts, their subclasses, deques and the attributes of a
        `UserList` and its like; at most `limit` values) an object whose equality (or another of the methods `names`)
        the solution wrote."""
        todo, seen = [v], 0
        while todo and seen < limit:
            x = todo.pop(); seen += 1
            t = type(x)
            if t is list or t is tuple or t is set or t is frozenset:  # by identity: a metaclass's `==` lies
                todo.extend(x)
            elif t is dict:
                todo.extend(x.keys()); todo.extend(x.values())
            elif not any(t is p for p in PLAIN):
                if own(t, names):
                    return True
                more = inside(x, t)
                if more:
                    todo.extend(more)
        return False

    def compared(a, b, names=EQUALITY):
        """Refuse a comparison that only the solution's own `__eq__` could make true: an object of such a class
        against plain values (an object equal to everything, a reward hack). Two sides that both hold such objects
        (ListNode == ListNode, a subclass against its base) compare as written. The same for `<` and the others with
        the solution's own ordering (`names`)."""
        if owns(a, names) != owns(b, names):
            raise EqOverride

    def eq(a, b):
        compared(a, b)
        return a == b

    def ne(a, b):
        compared(a, b)
        return a != b

    def driven(t, obj):
        """Whether `t` is a class the tests drive (`t = Tree(); t.insert(3); assert 3 in t`): the very class a name the
        tests use was bound to when the statement began, with a method or attribute of its own or of `obj` (not a
        dunder) that the tests name (`.insert`, `.root`). A tested function's result is no such class, nor is a class
        named as the tested function (`class f:` with a `__contains__` of its own met `assert 2 in f(1)`)."""
        if id(t) not in NAMED:
            return False
        try:
            d = OBJECT_DICT(obj, "__dict__")
        except BaseException:
            d = {}
        names = [*(d if type(d) is dict else ()), *(n for k in TYPE_MRO(t) if FLAGS(k) & HEAP for n in TYPE_DICT(k))]
        return any(type(n) is str and n in TEST_ATTRS and not n.startswith("__") for n in names)

    def container(a, b):
        """Refuse `a in b` where only the solution's own code could make it true (`contains`); what answers it, as
        Python asks: its `__contains__` (None where `b` has none and is iterated)."""
        t = type(b)
        if t is list or t is tuple or t is set or t is frozenset or t is dict:
            compared(a, b)
            return list.__contains__
        holder = next((k for k in TYPE_MRO(t) if "__contains__" in TYPE_DICT(k)), None)
        if holder is not None:
            if not own(t, ("__contains__",)):
                compared(a, b)  # a C container's (a subclass of list, a deque) or the standard library's (UserList)
            elif not driven(t, b):
                raise EqOverride
        return holder

    def contains(a, b):
        """`a in b` as Python computes it, each step checked: a list's, tuple's, set's or dict's values (their
        subclasses', a deque's, a `UserList`'s too) are compared with `==` as `==` is checked; a `__contains__` the
        solution wrote answers only for a class the tests drive (`driven`), not for what a tested function returned
        (an object containing everything: code 19 passed `assert 3 in f(1)`); an object without `__contains__` is
        iterated, each item compared with `==` as `==` is checked (a generator of objects equal to everything)."""
        if container(a, b) is not None:
            return a in b
        t = type(b)
        if any("__iter__" in TYPE_DICT(k) or "__getitem__" in TYPE_DICT(k) for k in TYPE_MRO(t)):
            for x in b:
                if x is a or eq(x, a):
                    return True
            return False
        return a in b  # a TypeError, as Python raises it

    def cmp(op, a, b):
        """`a < b` (`<=`, `>`, `>=`) against the solution's own ordering, as `==` (an object less than everything);
        `a in b` (`not in`): `contains`."""
        if op == "In" or op == "NotIn":
            return contains(a, b) == (op == "In")
        compared(a, b, ORDERING)
        return OPERATORS[op](a, b)

    def chain(ops, lazy, a, *rest):
        """`a < b <= c` (any chain of comparisons): each link checked as one comparison is, each operand evaluated
        once and only while the chain holds (`lazy`: the operands after the first come as functions), as Python
        evaluates a chain; its value is the last link's or the first false one's."""
        got = True
        for name, b in zip(ops, rest):
            b = b() if lazy else b
            if name == "Eq":
                got = eq(a, b)
            elif name == "NotEq":
                got = ne(a, b)
            elif name == "Is":
                got = a is b
            elif name == "IsNot":
                got = a is not b
            else:
                got = cmp(name, a, b)
            if not got:
                return got
            a = b
        return got

    def args_(kind, a, b):
        """The two compared arguments of unittest's `assertEqual` (`Eq`), `assertAlmostEqual` (`Near`: its `==`
        and its arithmetic), `assertLess` and the like (`Order`) and `assertIn` (`In`: `a` in `b`), checked as the
        operator they apply is."""
        if kind == "In":
            container(a, b)
        else:
            compared(a, b, {"Eq": EQUALITY, "Near": METHODS, "Order": ORDERING}[kind])
        return a, b

    def op(name, a, b):
        """`a - b` (any binary operator): refused where the operator is the solution's on one side only and its
        result holds no object of the solution's: its `__sub__` or `__rsub__` returning 0 met `abs(f(1) - 2) < 1e-9`.
        Vector + Vector, Vector * 3 giving a Vector compute as written."""
        got = OPERATORS[name](a, b)
        if id(type(a)) in PLAIN_IDS and id(type(b)) in PLAIN_IDS:
            return got
        if own(type(a), ARITHMETIC) != own(type(b), ARITHMETIC) and not owns(got, METHODS):
            raise EqOverride
        return got

    def abs_(fn, x):
        """`abs(x)` where `x`'s `__abs__` is the solution's: refused where its result holds no object of the
        solution's (an `__abs__` returning 0)."""
        got = fn(x)
        if fn is BUILTINS["abs"] and own(type(x), ("__abs__",)) and not owns(got, METHODS):
            raise EqOverride
        return got

    # The checks the tests call (`__thinkmill_eq__`), moved into globals of their own, `CHECKS`: a function the tests
    # hand the solution (a lambda) has the tests' namespace for its globals, where these are, and code 20's were the
    # harness's (`report`): the solution forged a pass through `fn.__globals__['__thinkmill_eq__'].__globals__`
    CHECKS = {"__builtins__": dict(BUILTINS)}
    names = ("own", "inside", "owns", "compared", "eq", "ne", "driven", "container", "contains", "cmp", "chain",
             "args_", "op", "abs_")
    for name in names:
        todo = [globals()[name].__code__]
        while todo:
            c = todo.pop()
            todo.extend(k for k in c.co_consts if type(k) is type(c))
            for n in c.co_names:
                if n in globals() and n not in names and n not in CHECKS:
                    v = globals()[n]
                    if n in ("report", "nonce", "payload", "res_fd", "restore", "statements", "tns", "ns") or (
                        type(v) is FUNCTION
                    ):
                        raise RuntimeError(f"harness: the checks must not reach {n}")
                    CHECKS[n] = dict(v) if n == "BUILTINS" else v
    for name in names:
        f = globals()[name]
        CHECKS[name] = FUNCTION(f.__code__, CHECKS, f.__name__, f.__defaults__, f.__closure__)
    eq, ne, cmp, op, abs_, chain, args_ = (CHECKS[n] for n in ("eq", "ne", "cmp", "op", "abs_", "chain", "args_"))

    setup = tuple(getattr(ast, name) for name in __SETUP_STATEMENTS__)
    float_tol = tuple(payload["float_tol"]) if payload.get("float_tol") else None
    passed = total = 0; first = None; module = None
    kept = {}  # the `_tm_*` names of ingest's call-based scripts, as their setup left them
    # The tests run in a namespace of their own (`tns`): before each statement it sees the solution's names (its
    # functions, classes, constants), less those naming a builtin (`def all(it): return True` met the tests' `all`),
    # which resolve to the builtins as they were; the names the tests bound are theirs (the solution cannot rebind
    # their `check`) and are also given to the solution's namespace, as when both shared one.
    tns, theirs = {}, {}
    for stmt, compiled in statements:
        is_test = not isinstance(stmt, setup)
        kind = named = None
        restore()  # what the solution patched during an earlier test does not last either
        ns["__builtins__"] = dict(BUILTINS)  # the tests' builtins, as they were before the solution ran
        tns.clear()
        for k, v in list(ns.items()):
            if k not in BUILTINS or v is BUILTINS[k]:
                tns[k] = v
        tns.update(theirs)
        if is_test:
            tns.update(kept)  # what the solution rebound during an earlier test does not last
        tns["__builtins__"] = dict(BUILTINS)
        tns["__thinkmill_eq__"], tns["__thinkmill_ne__"], tns["__thinkmill_cmp__"] = eq, ne, cmp
        tns["__thinkmill_op__"], tns["__thinkmill_abs__"] = op, abs_
        tns["__thinkmill_chain__"], tns["__thinkmill_args__"] = chain, args_
        NAMED.clear()
        NAMED.update(id(v) for k, v in tns.items() if k in TEST_NAMES)
        for k, v in list(tns.items()):  # `solution.Tree`
            if k in TEST_NAMES and type(v) is type(sys):
                NAMED.update(id(x) for n, x in list(vars(v).items()) if n in TEST_NAMES)
        tns["__thinkmill_tol__"] = float_tol  # call-based scripts' real numbers (`_tm_close`); set again each time
        was = dict(tns)
        try:
            if isinstance(compiled, SyntaxError):
                raise compiled
            EXEC(compiled, tns)
        except SystemExit:
            kind = "exit_in_tests"
        except AssertionError:
            kind = "tests_failed"
        except EqOverride:
            kind = "eq_override"
        except MemoryError:
            kind = "memory_limit"
        except BaseException as e:
            named = lacked(e.name) if isinstance(e, ModuleNotFoundError) else None
            kind = "missing_module" if named and is_test else "runtime_error"
        for k, v in list(tns.items()):  # what the statement bound
            if was.get(k, was) is not v:
                theirs[k] = v
                if not k.startswith("_tm_"):  # ingest's helpers hold the expected values: never the solution's
                    ns[k] = v
        for k in [k for k in was if k not in tns]:  # what it deleted
            theirs.pop(k, None); ns.pop(k, None)
        if kind in ("exit_in_tests", "memory_limit") or (kind and not is_test):
            report(status=kind if is_test or kind != "runtime_error" else "tests_setup_error", module=named)
        if is_test:
            total += 1; passed += kind is None; first = first or kind
            module = module or (named if first == "missing_module" else None)
        else:
            kept = {k: v for k, v in tns.items() if k.startswith("_tm_")}
    report(status="ok", passed=passed, total=total, failure=first,
           module=module if first == "missing_module" else None)
'''
HARNESS = _HARNESS.replace("__SETUP_STATEMENTS__", repr(SETUP_STATEMENTS)).replace(
    "__PYTEST_STANDIN__", repr(PYTEST_STANDIN)
)

# The harness as bytecode: `python -I -c BOOT N` reads N bytes of stdin, the harness marshalled by the sandbox's own
# Python (`compile_harness`'s output; marshal's format is that interpreter's), and runs it; the payload follows on
# stdin. Compiling the ~830-line source took ~10 ms of each ~70 ms sandboxed run; `pipeline.verify.verifiers.code`
# compiles it once per process and interpreter.
BOOT = "import marshal, sys; exec(marshal.loads(sys.stdin.buffer.read(int(sys.argv[1]))))"
COMPILE = "import marshal, sys; sys.stdout.buffer.write(marshal.dumps(compile(sys.stdin.read(), '<string>', 'exec')))"
