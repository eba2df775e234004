"""forkscope's hook: names for what Python's multiprocessing does.

forkscope puts this file's folder on PYTHONPATH, and the path of a socket it
listens on in FORKSCOPE_HOOK, for the program it starts (and so for all of
that program's Python children). Python imports a module called
`sitecustomize` when it starts; this is it. What it does to a program:

- Nothing at all when FORKSCOPE_HOOK is unset or empty, but hand over to the
  program's own sitecustomize if there is one.
- Otherwise it takes its folder off sys.path (PYTHONPATH itself is left as it
  is, for the children), runs the sitecustomize the program would have run
  without forkscope (the next one on sys.path, if any; its errors show as they
  always do), and adds an import finder that looks at nothing but a few
  module names: `multiprocessing.process`, `.queues`, `.synchronize`, `.pool`,
  `.managers`, `.forkserver` and `.resource_tracker`. A program that never
  imports multiprocessing runs exactly as before.
- When one of those modules is imported, right after it has run, a few of its
  functions are wrapped: the wrapper calls the original one with the same
  arguments and returns what it returns, and before or after that it sends
  forkscope a short note. The program's own results and exceptions go through
  unchanged (from Python 3.11 on their tracebacks too; before, a traceback
  that passes through a wrapper shows its line); an error inside a note is
  dropped. It never prints, never starts a thread and never imports
  multiprocessing itself.
- In a process that multiprocessing starts (never in the main one) it also
  sets the process's name as `ps` and `top` show it (`/proc/PID/comm`) to the
  name multiprocessing gave it, cut to the 15 bytes the kernel keeps:
  "Process-1", "PoolWorker-2", "SyncManager-1", "forkserver".
- In a Pool's worker, the worker's task queue is handed to it through a
  small stand-in that notes each task it takes (forkscope sees the worker
  idle again when it waits on that queue). In a Manager's server, the queues it makes for `Queue` and
  `JoinableQueue` note how full they are after each put and get.
- A queue's or lock's name (the variable the program keeps it in) reaches the
  children that are started with "spawn" or "forkserver" inside the
  process's own settings (`current_process()._config`), which multiprocessing
  already hands to every child.

Each process that has something to say connects once to forkscope's Unix
stream socket (forkscope learns its PID from the connection) and writes one
JSON object per line, at most 2048 bytes, without ever waiting: if forkscope
is busy a note waits for the next one (a newer note about the same thing
replaces it), if forkscope is gone the program goes on without it. (A
datagram socket at FORKSCOPE_HOOK gets one note per datagram.) Every note
has "e" (what it is), "pid", "start" (the process's start time, field 22 of
/proc/self/stat) and "mono" (when it was sent, on the monotonic clock).
The kinds:

  name   a process multiprocessing started: its name, "role" (process,
         pool-worker, manager, forkserver, resource-tracker), "method"
         (fork, spawn, forkserver) and, for a manager, its "address"
  task   what a Pool worker is doing: "worker(7)" ("" when it is idle:
         not sent by this hook, which leaves that to forkscope's reading)
  queue  a multiprocessing queue this process holds: "name", "kind" (Queue,
         JoinableQueue, SimpleQueue, tasks, results, internal), "pipe" (the
         inode of its pipe), "maxsize", "sem" and "locks" (sem_t addresses)
  sync   a Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event or
         Barrier the program made: "name", "kind" and "sems" (the sem_t
         addresses a wait on it sleeps in)
  wait   what the process waits for: "join" (with "child"), "pool-join"
         or "result" (a Pool's result; with the pool's "name"), or "" when
         the wait is over
  mqueue a Manager's queue, from the manager: "ref", "kind", "maxsize", "fill"
  conn   a proxy's connection to a manager: "socket" (inode), "address"
  call   a proxy calling its manager: "ref", "method"
  mref   a manager object the program made: "ref", "name", "typeid"
  hello  this process imported multiprocessing (nothing else)
"""

import os
import sys

_HOOK_FILE = os.path.realpath(__file__)
_HOOK_DIR = os.path.dirname(_HOOK_FILE)
_SOCKET_PATH = os.environ.get('FORKSCOPE_HOOK', '')
_G = globals()          # to tell this module's own frames apart


# -- Loading ----------------------------------------------------------------

def _without_hook_dir(paths):
    """sys.path without this module's own folder."""
    def is_hook_dir(p):
        try:
            return os.path.realpath(p or os.curdir) == _HOOK_DIR
        except (TypeError, ValueError):
            return False
    return [p for p in paths if not is_hook_dir(p)]


def _run_next_sitecustomize():
    """Run the sitecustomize the program would have had without forkscope,
    as the module `sitecustomize`. Its exceptions go up to site.py, which
    shows them as it always does."""
    import _frozen_importlib
    import _frozen_importlib_external
    spec = _frozen_importlib_external.PathFinder.find_spec(
        'sitecustomize', sys.path)
    if spec is None or spec.loader is None:
        return
    if spec.origin and os.path.realpath(spec.origin) == _HOOK_FILE:
        return
    module = _frozen_importlib.module_from_spec(spec)
    sys.modules['sitecustomize'] = module
    spec.loader.exec_module(module)


_WATCHED = {
    'multiprocessing.process': '_patch_process',
    'multiprocessing.queues': '_patch_queues',
    'multiprocessing.synchronize': '_patch_synchronize',
    'multiprocessing.pool': '_patch_pool',
    'multiprocessing.managers': '_patch_managers',
    'multiprocessing.forkserver': '_patch_forkserver',
    'multiprocessing.resource_tracker': '_patch_resource_tracker',
}


class _Finder:
    """A sys.meta_path finder that finds nothing itself: for the watched
    names it asks the other finders and wraps the loader they give, so that
    the module's patch runs right after the module."""

    def find_spec(self, name, path=None, target=None):
        if name not in _WATCHED or not _load_hook():
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                    spec.loader = _Loader(spec.loader, _G[_WATCHED[name]])
                return spec
        return None

    def invalidate_caches(self):
        pass


class _Loader:
    """Runs the module with its own loader, then patches it."""

    def __init__(self, loader, patch):
        self._forkscope_loader = loader
        self._forkscope_patch = patch

    def create_module(self, spec):
        return self._forkscope_loader.create_module(spec)

    def exec_module(self, module):
        self._forkscope_loader.exec_module(module)
        _quietly(self._forkscope_patch, module)

    def __getattr__(self, name):
        if name.startswith('_forkscope_'):
            raise AttributeError(name)
        return getattr(self._forkscope_loader, name)


def _quietly(fn, *args):
    """fn(*args), with any error in it dropped: a note is never worth
    breaking the program for."""
    try:
        return fn(*args)
    except Exception:
        return None


def _load_hook():
    """Compile and run the hook proper (below) in this module, once."""
    if '_send' not in _G:
        source = '\n' * (_HOOK_FIRST_LINE - 1) + _HOOK_SOURCE
        _quietly(lambda: exec(compile(source, __file__, 'exec'), _G))
    return '_send' in _G


def _install():
    sys.path[:] = _without_hook_dir(sys.path)
    if not _SOCKET_PATH:
        return
    sys.meta_path.insert(0, _Finder())
    for name, patch in _WATCHED.items():     # imported before us: rare
        if name in sys.modules and _load_hook():
            _quietly(_G[patch], sys.modules[name])


# -- The hook proper ----------------------------------------------------------
#
# Everything below, down to the end of this string, runs in this module only
# when the program first imports a watched module. Python compiles a module
# whole before it runs it, and keeps the compiled form only where it may
# write (not with PYTHONDONTWRITEBYTECODE, nor in a read-only install):
# compiling all of this costs 20 ms on a slow machine, which every Python
# program forkscope starts would pay, multiprocessing or not. The line
# numbers of what is compiled are this file's.

_HOOK_SOURCE = r'''
# -- State of this process -----------------------------------------------------

import _thread
import time

_NOTE_MAX = 2048

# Reset in a forked child by _after_fork_in_child.
_sock = None            # the connection notes leave by, made on first use
_stream = True          # False: forkscope listens on a datagram socket
_connects = 0           # connections tried by this process
_gone = False           # forkscope is not there: no more tries
_pid_start = None       # (PID, start time) of this process, read on first use
_forked = False         # this process came from os.fork()
_in_forkserver = False  # this process is (or was forked from) the forkserver
_manager = None         # the manager's process object, until its server is up

# Queues and locks this process holds: id -> [weakref, category, kind, name].
# A name of None means "unpickled here, not named yet" (see _name_pending).
_registry = {}
# Names the program gave queues and locks, by a key that is the same in
# every process (a pipe's inode, a semaphore's name); travels to spawned
# children in current_process()._config[_NAMES_KEY].
_NAMES_KEY = 'forkscope_names'
_names = {}
_counters = {}          # kind -> how many were named "<kind>-N" so far
_pool_names = {}        # id(pool) -> name
_constructing = set()   # ids of objects inside a wrapped __init__
_name_cache = {}        # (code, offset) -> variable name or None


def _after_fork_in_child():
    global _sock, _connects, _gone, _pid_start, _forked, _send_lock
    _send_lock = _thread.RLock()    # another thread may have held it
    sock, _sock = _sock, None       # forkscope knows a connection's maker
    _connects = 0
    _gone = False
    _pid_start = None
    _forked = True
    _backlog.clear()                # the parent's own notes: it sends them
    if sock is not None:
        _quietly(sock.close)


def _me():
    """This process's PID and start time (read once)."""
    global _pid_start
    if _pid_start is None:
        with open('/proc/self/stat', 'rb') as f:
            stat = f.read()
        # Fields from the third on follow the last ')'; field 22 is starttime.
        _pid_start = (os.getpid(), int(stat.rsplit(b')', 1)[1].split()[19]))
    return _pid_start


# -- Sending notes ------------------------------------------------------------
#
# Each process connects once, when it first has something to say, to the
# Unix stream socket forkscope listens on (forkscope learns the process's
# PID from the connection), and writes one JSON object per line. Nothing
# waits: a note that finds the connection full waits in _backlog for the
# next one; a line that went out half closes the connection (forkscope drops
# the half) and the note goes whole on a new one. Past _CONNECTS_MAX tries,
# or when nothing listens, the process says no more.

_CONNECTS_MAX = 3
_CONNECT_LATER = object()       # the listener's queue is full: try later


def _socket():
    """The connection (made now if need be), None if forkscope is not
    there, or _CONNECT_LATER. With _send_lock held."""
    global _sock, _stream, _connects, _gone
    if _sock is not None or _gone:
        return _sock
    if _connects >= _CONNECTS_MAX:
        _gone = True
        return None
    import errno
    import socket
    _connects += 1
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        sock.connect(_SOCKET_PATH)
        _stream = True
    except OSError as e:
        sock.close()
        if e.errno in (errno.EAGAIN, errno.EINPROGRESS):
            return _CONNECT_LATER
        if e.errno != errno.EPROTOTYPE:
            _gone = True
            return None
        # A datagram socket: one note per datagram, no connection.
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        _stream = False
    _sock = sock
    if _connects == 1:
        import atexit
        atexit.register(_close_socket)
    return _sock


def _drop_connection():
    global _sock
    sock, _sock = _sock, None
    if sock is not None:
        _quietly(sock.close)


def _close_socket():
    """At exit: what waits goes if it can, and the connection closes."""
    with _send_lock:
        _quietly(_flush_backlog)
        _drop_connection()


_SEND_FLAGS = None


def _deliver(data):
    """Send one note without waiting: False if it should go later, True if
    it went or never will."""
    global _SEND_FLAGS
    import errno
    import socket
    if _SEND_FLAGS is None:     # (an int: or-ing the enum each time is slow)
        _SEND_FLAGS = int(socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
    sock = _socket()
    if sock is None:
        return True
    if sock is _CONNECT_LATER:
        return False
    try:
        if not _stream:
            sock.sendto(data, _SEND_FLAGS, _SOCKET_PATH)
            return True
        line = data + b'\n'
        sent = sock.send(line, _SEND_FLAGS)
    except OSError as e:
        if e.errno in (errno.EAGAIN, errno.ENOBUFS):
            return False
        _drop_connection()      # forkscope closed it: a new one next time
        return False
    if sent == len(line):
        return True
    _drop_connection()          # half a line went: forkscope drops it
    return False


_ENCODER = None     # one, made once: a new one per note costs


def _encode(note):
    """The note as UTF-8 JSON of at most _NOTE_MAX bytes: the longest text
    field is cut until it fits."""
    global _ENCODER
    if _ENCODER is None:
        import json
        _ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'))
    while True:
        data = _ENCODER.encode(note).encode('utf-8', 'replace')
        if len(data) <= _NOTE_MAX:
            return data
        texts = [k for k, v in note.items() if k != 'e' and isinstance(v, str) and v]
        if not texts:
            return None
        longest = max(texts, key=lambda k: len(note[k]))
        value = note[longest]
        note[longest] = value[:max(0, len(value) - (len(data) - _NOTE_MAX) - 1)]


def _send(event, **fields):
    if _gone:
        return
    pid, start = _me()
    note = {'e': event, 'pid': pid, 'start': start,
            'mono': time.monotonic()}
    note.update(fields)
    data = _encode(note)
    if data is None:
        return
    with _send_lock:
        _flush_backlog()
        if _backlog or not _deliver(data):   # behind what already waits
            key = _backlog_key(note)
            if key is not None:
                _backlog.pop(key, None)
                _backlog[key] = data
                while len(_backlog) > _BACKLOG_MAX:
                    del _backlog[next(iter(_backlog))]


# Threads share the connection and the backlog; reentrant for a signal
# handler that sends a note while the main thread is sending one.
_send_lock = _thread.RLock()

# Notes that found forkscope busy, oldest first, sent before the next note.
# A note that says what something is now replaces the older one about the
# same thing; a "call" note is only news while it happens, and is dropped.
_backlog = {}
_BACKLOG_MAX = 256


def _backlog_key(note):
    event = note['e']
    if event in ('task', 'wait', 'name', 'hello'):
        return (event,)
    if event in ('mqueue', 'mref'):
        return (event, note['ref'])
    if event == 'queue':
        return (event, note['pipe'])
    if event == 'sync':
        return (event, tuple(note['sems']))
    if event == 'conn':
        return (event, note['socket'])
    return None


def _flush_backlog():
    while _backlog and not _gone:
        key = next(iter(_backlog))
        if not _deliver(_backlog[key]):
            return
        del _backlog[key]
    if _gone:
        _backlog.clear()


def _note(event, **fields):
    _quietly(lambda: _send(event, **fields))


# -- Names --------------------------------------------------------------------

def _module_of(frame):
    return frame.f_globals.get('__name__') or ''


def _in_multiprocessing(frame):
    name = _module_of(frame)
    return name == 'multiprocessing' or name.startswith('multiprocessing.')


def _creator_frame(obj):
    """The frame of the code that made obj, or None when multiprocessing
    made it for its own use (a Queue's locks, a Pool's queues).

    Skipped on the way out: this module, multiprocessing.context (whose
    Queue(), Lock()... only pass the call on) and the __init__ methods of
    obj itself (a subclass's __init__ calling its base's).
    """
    f = sys._getframe(1)
    while f is not None:
        if f.f_globals is _G or _module_of(f) == 'multiprocessing.context':
            pass
        elif f.f_code.co_name == '__init__' and f.f_locals.get('self') is obj:
            pass
        elif _in_multiprocessing(f):
            return None
        else:
            return f
        f = f.f_back
    return None


def _outside_frame():
    """The innermost frame that is neither this module nor multiprocessing."""
    f = sys._getframe(1)
    while f is not None and (f.f_globals is _G or _in_multiprocessing(f)):
        f = f.f_back
    return f


def _variable_name(frame):
    """The variable the frame stores the result of the call it is making in
    ("q" for `q = Queue()`, `self.q = Queue()` or `with Pool() as q`), or
    None."""
    if frame is None:
        return None
    key = (frame.f_code, frame.f_lasti)
    if key not in _name_cache:
        _name_cache[key] = _quietly(_stored_name, *key)
    return _name_cache[key]


_STORES = ('STORE_NAME', 'STORE_FAST', 'STORE_GLOBAL', 'STORE_DEREF',
           'STORE_FAST_LOAD_FAST', 'STORE_FAST_STORE_FAST')
_WITH = ('SETUP_WITH', 'BEFORE_WITH', 'SETUP_ASYNC_WITH', 'BEFORE_ASYNC_WITH')


def _stored_name(code, offset):
    import dis
    ins = [i for i in dis.get_instructions(code)
           if i.opname not in ('CACHE', 'EXTENDED_ARG', 'NOP')]
    at = [k for k, i in enumerate(ins) if i.offset <= offset]
    if not at:
        return None
    rest = ins[at[-1] + 1:at[-1] + 12]
    if rest and rest[0].opname in _WITH:            # with X() as name (to 3.13)
        rest = rest[1:]
    elif (rest and rest[0].opname == 'COPY'         # with X() as name (3.14)
          and any(i.opname == 'LOAD_SPECIAL' for i in rest[:3])):
        calls = [k for k, i in enumerate(rest) if i.opname == 'CALL']
        rest = rest[calls[0] + 1:] if calls else []
    if not rest:
        return None
    first = rest[0]
    if first.opname in _STORES:
        name = first.argval
        return name[0] if isinstance(name, tuple) else name
    if (first.opname.startswith('LOAD_') and len(rest) > 1
            and rest[1].opname == 'STORE_ATTR'):   # self.q = Queue()
        return rest[1].argval
    return None


def _counted_name(kind):
    _counters[kind] = _counters.get(kind, 0) + 1
    return '%s-%d' % (kind, _counters[kind])


# -- Queues and locks -------------------------------------------------------

_KINDS = ('JoinableQueue', 'Queue', 'SimpleQueue', 'Lock', 'RLock',
          'BoundedSemaphore', 'Semaphore', 'Condition', 'Event', 'Barrier')


def _kind_of(obj):
    """The multiprocessing class obj is, or derives from."""
    for cls in type(obj).__mro__:
        if cls.__name__ in _KINDS and cls.__module__.startswith('multiprocessing.'):
            return cls.__name__
    return type(obj).__name__


def _category(kind):
    return 'queue' if kind.endswith('Queue') else 'sync'


def _handle(semlock_owner):
    return semlock_owner._semlock.handle


def _condition_parts(cond):
    return [cond._lock, cond._wait_semaphore, cond._sleeping_count,
            cond._woken_count]


def _semlocks(obj, kind):
    """The multiprocessing SemLocks a wait on obj can sleep in."""
    if kind == 'Condition':
        parts = _condition_parts(obj)
    elif kind == 'Event':
        parts = _condition_parts(obj._cond) + [obj._flag]
    elif kind == 'Barrier':
        parts = _condition_parts(obj._cond)
    else:
        parts = [obj]
    return [p for p in parts if hasattr(p, '_semlock')]


def _pipe_inode(queue):
    """The inode of the queue's pipe, from whichever end is still open."""
    try:
        return os.fstat(queue._reader.fileno()).st_ino
    except (AttributeError, OSError):
        return os.fstat(queue._writer.fileno()).st_ino


def _key(obj, category, kind):
    """A key that names obj in every process that holds it, or None."""
    if category == 'queue':
        return 'p%d' % _pipe_inode(obj)
    # The last SemLock is the object's very own (a Condition's lock may be
    # a Lock of the program's); the class tells a Condition from its last
    # Semaphore.
    semlocks = _semlocks(obj, kind)
    name = semlocks[-1]._semlock.name if semlocks else None
    return 's%s:%s' % (_kind_of(obj), name) if name else None


def _report(obj, category, kind, name):
    if category == 'queue':
        sem = getattr(obj, '_sem', None)
        locks = [getattr(obj, '_rlock', None), getattr(obj, '_wlock', None)]
        _send('queue', name=name, kind=kind, pipe=_pipe_inode(obj),
              maxsize=getattr(obj, '_maxsize', 0),
              sem=_handle(sem) if hasattr(sem, '_semlock') else 0,
              locks=[_handle(x) for x in locks if hasattr(x, '_semlock')])
    else:
        _send('sync', name=name, kind=kind,
              sems=[_handle(x) for x in _semlocks(obj, kind)])


def _remember(obj, category, kind, name):
    """Add obj to this process's registry (name None: not named yet); the
    entry, and the name kept for children, go when obj does."""
    import weakref
    ident = id(obj)
    key = _quietly(_key, obj, category, kind)

    def forget(ref):
        entry = _registry.get(ident)
        if entry is not None and entry[0] is ref:
            del _registry[ident]
            _names.pop(key, None)
    _registry[ident] = [weakref.ref(obj, forget), category, kind, name]
    if key and name:
        _names[key] = (name, kind)
    return key


def _adopt(obj, category, kind, name):
    """Register obj under name, tell forkscope, and keep the name for the
    children that will unpickle it."""
    _remember(obj, category, kind, name)
    _quietly(_report, obj, category, kind, name)


def _made(obj):
    """After a wrapped __init__: register obj if the program made it."""
    kind = _kind_of(obj)
    frame = _creator_frame(obj)
    if frame is None:                   # multiprocessing's own
        entry = _registry.get(id(obj))
        if entry is not None and entry[0]() is obj:
            del _registry[id(obj)]      # a Barrier's __init__ unpickles itself
        return
    name = _variable_name(frame) or _counted_name(kind)
    _adopt(obj, _category(kind), kind, name)


def _unpickled(obj):
    """After a wrapped __setstate__: obj came from the parent (spawn or
    forkserver); it is named and reported when the process starts."""
    if id(obj) not in _registry:
        kind = _kind_of(obj)
        _remember(obj, _category(kind), kind, None)


_PART_ATTRS = ('_rlock', '_wlock', '_sem', '_unfinished_tasks', '_cond',
               '_lock', '_wait_semaphore', '_sleeping_count', '_woken_count',
               '_flag')


def _part_ids(obj, depth=0):
    """ids of the queues' and locks' inner locks and conditions."""
    ids = set()
    for attr in _PART_ATTRS:
        part = obj.__dict__.get(attr) if hasattr(obj, '__dict__') else None
        if part is not None and depth < 3:
            ids.add(id(part))
            ids |= _part_ids(part, depth + 1)
    return ids


def _name_pending():
    """Name what was unpickled in this process: with the name the parent
    gave it, else "Lock-1"...; inner parts of a queue or lock are dropped."""
    pending = [(e[0](), e) for e in list(_registry.values()) if e[3] is None]
    parts = set()
    for obj, _ in pending:
        if obj is not None:
            parts |= _quietly(_part_ids, obj) or set()
    for obj, (_, category, kind, _) in pending:
        if obj is None:
            continue
        key = _quietly(_key, obj, category, kind)
        if key in _names:
            name, kind = _names[key]
        elif id(obj) in parts:
            _registry.pop(id(obj), None)
            continue
        else:
            name = _counted_name(kind)
        _remember(obj, category, kind, name)


def _report_all():
    """Tell forkscope about every queue and lock this process holds."""
    _name_pending()
    for entry in list(_registry.values()):
        obj = entry[0]()
        if obj is not None:
            _quietly(_report, obj, entry[1], entry[2], entry[3])


# -- Wrapping -----------------------------------------------------------------

# From Python 3.11 on, a bare `raise` re-raises an exception with its own
# __traceback__, so a stand-in can take its own line out of the traceback.
_CAN_HIDE_FRAME = sys.version_info >= (3, 11)


def _hide_own_frame(exc):
    """Take the stand-in's own entry off exc's traceback (3.11 and later),
    so that a traceback reads as it would without forkscope."""
    tb = exc.__traceback__
    if _CAN_HIDE_FRAME and tb is not None and tb.tb_frame.f_globals is _G:
        exc.__traceback__ = tb.tb_next


def _wrap(owner, attr, before=None, after=None, ensure=None):
    """Replace owner.attr (a function of that class or module) by a
    stand-in that calls it with the same arguments and returns what it
    returns or raises what it raises, and around the call:

        state = before(*args)             before it
        ensure(state, *args)              after it, however it ended
        after(state, result, *args)       after it, if it returned

    (args without the keyword arguments). Errors in these three are dropped.
    """
    import functools
    original = owner.__dict__.get(attr)
    if not callable(original) or getattr(original, '_forkscope', False):
        return

    @functools.wraps(original)
    def stand_in(*args, **kwargs):
        state = _quietly(before, *args) if before else None
        try:
            result = original(*args, **kwargs)
        except BaseException as exc:
            if ensure:
                _quietly(ensure, state, *args)
            _hide_own_frame(exc)
            raise
        if ensure:
            _quietly(ensure, state, *args)
        if after:
            _quietly(after, state, result, *args)
        return result
    stand_in._forkscope = True
    setattr(owner, attr, stand_in)


def _caller_frame():
    """The frame that called the function that is wrapped."""
    f = sys._getframe(1)
    while f is not None and f.f_globals is _G:
        f = f.f_back
    return f


# -- Queues and locks: where they are made ------------------------------------

def _init_begins(obj, *args):
    """True for the outermost of the __init__ calls that make obj (a
    JoinableQueue's __init__ calls Queue's)."""
    if id(obj) in _constructing:
        return False
    _constructing.add(id(obj))
    return True


def _init_ends(outermost, obj, *args):
    if outermost:
        _constructing.discard(id(obj))


def _init_done(outermost, result, obj, *args):
    if outermost:
        _made(obj)


def _setstate_done(state, result, obj, *args):
    _unpickled(obj)


def _patch_queues(mod):
    for cls in (mod.Queue, mod.JoinableQueue, mod.SimpleQueue):
        _wrap(cls, '__init__', _init_begins, _init_done, _init_ends)
        _wrap(cls, '__setstate__', after=_setstate_done)


def _patch_synchronize(mod):
    for name in ('Lock', 'RLock', 'Semaphore', 'BoundedSemaphore',
                 'Condition', 'Event', 'Barrier'):
        _wrap(getattr(mod, name), '__init__', _init_begins, _init_done,
              _init_ends)
    for name in ('SemLock', 'Condition', 'Event', 'Barrier'):
        _wrap(getattr(mod, name), '__setstate__', after=_setstate_done)
    if '__setstate__' not in mod.Event.__dict__:
        mod.Event.__setstate__ = _event_setstate


def _event_setstate(self, state):
    """An Event is unpickled from its __dict__; this does what pickle does
    without it, and registers the Event."""
    slots = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
    if state:
        self.__dict__.update(state)
    for key, value in (slots or {}).items():
        setattr(self, key, value)
    _quietly(_unpickled, self)


# -- Processes ----------------------------------------------------------------

def _patch_process(mod):
    # Every child gets a copy of its parent's _config; the names go with it.
    mod._current_process._config.setdefault(_NAMES_KEY, _names)
    _wrap(mod.BaseProcess, '_bootstrap', before=_child_starts,
          ensure=_child_ends)
    _wrap(mod.BaseProcess, 'join', before=_join_begins, ensure=_join_ends)
    # this process uses multiprocessing: the pipes it shares with the
    # others that do are multiprocessing's own, unless named
    _note('hello')


def _join_begins(proc, *args):
    """The program (not multiprocessing itself) joins a child: note it."""
    if _in_multiprocessing(_caller_frame()):
        return None
    child = proc.pid
    if child is not None:
        _send('wait', what='join', child=child)
    return child


def _join_ends(child, *args):
    if child is not None:
        _send('wait', what='')


def _role(target):
    module = getattr(target, '__module__', None)
    name = getattr(target, '__name__', None)
    if module == 'multiprocessing.pool' and name == 'worker':
        return 'pool-worker'
    if module == 'multiprocessing.managers' and name == '_run_server':
        return 'manager'
    return 'process'


def _start_method():
    if _in_forkserver:
        return 'forkserver'
    return 'fork' if _forked else 'spawn'


def _comm_name(name):
    """name as the kernel keeps it: 15 bytes, "ForkPoolWorker-2" as
    "PoolWorker-2"."""
    data = name.encode('utf-8', 'replace')
    if len(data) > 15:
        for prefix in ('ForkServer', 'Forkserver', 'Spawn', 'Fork'):
            if name.startswith(prefix) and len(name) > len(prefix):
                data = name[len(prefix):].encode('utf-8', 'replace')
                break
    return data[:15].decode('utf-8', 'ignore').encode('utf-8')


def _set_process_name(name):
    """prctl(PR_SET_NAME), by writing /proc/self/comm: the kernel does the
    same (and tells its process connector) without ctypes to load."""
    comm = _comm_name(name)
    try:
        with open('/proc/self/comm', 'wb') as f:
            f.write(comm)
    except OSError:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, ctypes.c_char_p(comm), 0, 0, 0)


def _child_starts(proc, *args):
    """In a child, at the start of BaseProcess._bootstrap."""
    global _names, _in_forkserver, _manager
    inherited = getattr(proc, '_config', {}).get(_NAMES_KEY)
    if isinstance(inherited, dict) and inherited is not _names:
        for key, value in _names.items():   # made here while spawning
            inherited.setdefault(key, value)
        _names = inherited
    method = _start_method()
    _in_forkserver = False
    role = _role(proc._target)
    # the name is told before the rename, so forkscope tells it whole
    # rather than the 15 bytes the kernel keeps
    if role == 'manager':
        _manager = (proc, method)   # noted once its server has an address
        _quietly(_serve_reporting_queues, proc)
    else:
        _note('name', name=proc.name, role=role, method=method)
    _quietly(_set_process_name, proc.name)
    _report_all()
    if role == 'pool-worker':
        args = tuple(proc._args)
        if len(args) >= 2:
            proc._args = (_TaskQueue(args[0]),) + args[1:]


def _child_ends(state, proc, *args):
    """The child's work is done (it exits next, without atexit)."""
    with _send_lock:
        _flush_backlog()


def _forkserver_starts(*args):
    global _in_forkserver
    _in_forkserver = True
    _send('name', name='forkserver', role='forkserver')
    _quietly(_set_process_name, 'forkserver')


def _resource_tracker_starts(*args):
    _send('name', name='resource_tracker', role='resource-tracker')
    _quietly(_set_process_name, 'resource_tracker')


def _patch_forkserver(mod):
    _wrap(mod, 'main', before=_forkserver_starts)


def _patch_resource_tracker(mod):
    _wrap(mod, 'main', before=_resource_tracker_starts)


# -- Pools --------------------------------------------------------------------

def _pool_name(pool):
    name = _pool_names.get(id(pool))
    if name is None:
        name = _pool_names[id(pool)] = _counted_name('Pool')
    return name


def _name_pool(pool, *args):
    _pool_names[id(pool)] = (_variable_name(_creator_frame(pool))
                             or _counted_name('Pool'))


def _adopt_pool_queue(pool, attr, kind):
    queue = pool.__dict__.get(attr)
    if queue is None or not hasattr(queue, '_reader'):
        return                  # a ThreadPool's queues are not pipes
    entry = _registry.get(id(queue))
    if entry is not None and entry[2] == kind:
        return
    _adopt(queue, 'queue', kind, '%s %s' % (_pool_name(pool), kind))


def _pool_queues_made(state, result, pool, *args):
    # Named before the first worker is forked, so that it inherits them.
    _adopt_pool_queue(pool, '_inqueue', 'tasks')
    _adopt_pool_queue(pool, '_outqueue', 'results')


def _pool_fills(pool, *args):
    _adopt_pool_queue(pool, '_change_notifier', 'internal')


def _pool_join_begins(pool, *args):
    _send('wait', what='pool-join', name=_pool_name(pool))


def _pool_join_ends(state, pool, *args):
    _send('wait', what='')


def _result_wait_begins(result, *args):
    """apply(), map(), get() or an imap's next() waits for a worker's
    result (unless it is already there)."""
    pool = result.__dict__.get('_pool')
    if pool is None or (hasattr(result, 'ready') and result.ready()) or \
            getattr(result, '_items', None):
        return None
    _send('wait', what='result', name=_pool_name(pool))
    return True


def _result_wait_ends(waited, result, *args):
    if waited:
        _send('wait', what='')


def _patch_pool(mod):
    _wrap(mod.Pool, '__init__', before=_name_pool)
    _wrap(mod.Pool, '_setup_queues', after=_pool_queues_made)
    _wrap(mod.Pool, '_repopulate_pool', before=_pool_fills)
    _wrap(mod.Pool, 'join', before=_pool_join_begins, ensure=_pool_join_ends)
    _wrap(mod.ApplyResult, 'wait', before=_result_wait_begins,
          ensure=_result_wait_ends)
    for attr in ('next', '__next__'):
        _wrap(mod.IMapIterator, attr, before=_result_wait_begins,
              ensure=_result_wait_ends)


class _TaskQueue:
    """Stands for a pool worker's task queue: notes each task taken."""

    def __init__(self, queue):
        self._forkscope_queue = queue

    def get(self, *args, **kwargs):
        try:
            task = self._forkscope_queue.get(*args, **kwargs)
        except BaseException as exc:
            _hide_own_frame(exc)
            raise
        if task is not None:
            _note('task', task=_quietly(_task_text, task) or '?')
        return task

    def __getattr__(self, name):
        return getattr(self._forkscope_queue, name)


def _task_text(task):
    """"worker(7)" for a task; "worker(3) … 4 tasks" for a map's chunk."""
    _, _, func, args, kwargs = task
    if getattr(func, '__module__', None) == 'multiprocessing.pool' and \
            getattr(func, '__name__', None) in ('mapstar', 'starmapstar'):
        real, chunk = args[0]
        chunk = tuple(chunk)
        first = chunk[0] if chunk else ()
        if func.__name__ == 'mapstar':
            first = (first,)
        text = _call_text(real, tuple(first), {})
        return text if len(chunk) == 1 else '%s … %d tasks' % (text, len(chunk))
    return _call_text(func, tuple(args), dict(kwargs or {}))


def _call_text(func, args, kwargs):
    name = getattr(func, '__name__', None) or type(func).__name__
    shown = [_short(a) for a in args[:8]]
    shown += ['%s=%s' % (k, _short(v)) for k, v in list(kwargs.items())[:4]]
    inner = ', '.join(shown)
    if len(args) > 8 or len(kwargs) > 4:
        inner += ', …'
    room = 80 - len(name) - 2
    if len(inner) > room:
        inner = inner[:max(0, room - 1)] + '…'
    return '%s(%s)' % (name, inner)


_PLAIN = (bool, float, complex, type(None))


def _short(value, limit=20):
    """A short repr that never runs the program's own code: plain values
    and containers of them as repr shows them, anything else as <Type>."""
    text = _plain_repr(value, 2)
    return text if len(text) <= limit else text[:limit - 1] + '…'


def _plain_repr(value, depth):
    kind = type(value)
    if kind in _PLAIN:
        return repr(value)
    if kind is int:
        return repr(value) if value.bit_length() < 200 else '<int>'
    if kind in (str, bytes):
        text = repr(value[:24])
        return text + '…' if len(value) > 24 else text
    if kind in (tuple, list, set, frozenset, dict) and depth > 0:
        import itertools    # (the first four, not a copy of all)
        items = list(itertools.islice(value.items() if kind is dict else value, 4))
        if kind is dict:
            inner = ', '.join('%s: %s' % (_plain_repr(k, depth - 1),
                                          _plain_repr(v, depth - 1))
                              for k, v in items)
        else:
            inner = ', '.join(_plain_repr(v, depth - 1) for v in items)
        if len(value) > 4:
            inner += ', …'
        if kind is tuple:
            return '(%s%s)' % (inner, ',' if len(value) == 1 else '')
        if kind is list:
            return '[%s]' % inner
        if kind is dict or value:
            return '{%s}' % inner
        return '%s()' % kind.__name__
    return _object_name(value) or '<%s>' % kind.__name__


def _object_name(value):
    """The name of a queue, a lock or a manager's object the program made
    ("q"), or None."""
    entry = _registry.get(id(value))
    if entry and entry[0]() is value and entry[3]:
        return entry[3]
    managers = sys.modules.get('multiprocessing.managers')
    if managers is not None and isinstance(value, managers.BaseProxy):
        token = value.__dict__.get('_token')
        found = _names.get(('mref', getattr(token, 'id', None)))
        return found[0] if found else None
    return None


# -- Managers -----------------------------------------------------------------

def _patch_managers(mod):
    _wrap(mod.Server, '__init__', after=_manager_serving)
    _wrap(mod.BaseManager, '_create', after=_manager_object_made)
    _wrap(mod.BaseProxy, '_connect', after=_proxy_connected)
    _wrap(mod.BaseProxy, '_callmethod', before=_proxy_calls)


def _proxy_calls(proxy, methodname, *args):
    _send('call', ref=proxy._token.id, method=str(methodname))


def _manager_serving(state, result, server, *args):
    """In the manager's process, once its server listens: its name note."""
    global _manager
    if _manager is None:
        return
    proc, method = _manager
    _manager = None
    _send('name', name=proc.name, role='manager', method=method,
          address=str(server.address))


def _serve_reporting_queues(proc):
    """In the manager's process: its Queue and JoinableQueue make queues
    that note how full they are."""
    args = tuple(proc._args)
    registry = dict(args[0])
    for typeid in ('Queue', 'JoinableQueue'):
        if typeid in registry and registry[typeid][0] is not None:
            entry = tuple(registry[typeid])
            registry[typeid] = (_reporting_maker(entry[0], typeid),) + entry[1:]
    proc._args = (registry,) + args[1:]


def _reporting_maker(make, typeid):
    def make_queue(*args, **kwargs):
        queue = make(*args, **kwargs)
        _quietly(_report_fill_of, queue, typeid)
        return queue
    return make_queue


def _report_fill_of(queue, typeid):
    """Wrap the queue's _put and _get (they run with its mutex held) to note
    its fill after each."""
    import weakref
    if not (hasattr(queue, '_put') and hasattr(queue, '_get')
            and hasattr(queue, '_qsize')):
        return
    ref = '%x' % id(queue)           # the id Server.create gives it
    me = weakref.ref(queue)
    put, get = type(queue)._put, type(queue)._get

    def note_fill():
        q = me()
        if q is not None:
            _send('mqueue', ref=ref, kind=typeid,
                  maxsize=getattr(q, 'maxsize', 0), fill=q._qsize())

    def _put(item):
        put(me(), item)
        _quietly(note_fill)

    def _get():
        item = get(me())
        _quietly(note_fill)
        return item
    queue._put = _put
    queue._get = _get
    note_fill()


def _manager_object_made(state, result, *args):
    token = result[0]
    name = _variable_name(_outside_frame())
    if name:
        # (kept for the children too: a task's text names the proxy)
        _names[('mref', token.id)] = (name, token.typeid)
        _send('mref', ref=token.id, name=name, typeid=token.typeid)


def _proxy_connected(state, result, proxy, *args):
    conn = proxy._tls.connection
    _send('conn', socket=os.fstat(conn.fileno()).st_ino,
          address=str(proxy._token.address))


# Forked children start with fresh per-process state.
os.register_at_fork(after_in_child=_after_fork_in_child)
'''
_HOOK_FIRST_LINE = sys._getframe().f_lineno - _HOOK_SOURCE.count('\n') - 1


# -- Start --------------------------------------------------------------------

_install()
_run_next_sitecustomize()
