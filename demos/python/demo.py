"""demo.py - the one small helper shared by the Python twins of the
forkscope demos, as demos/lib/demo.c is for the C demos.

    from demo import TEMPO, sleep, _, ngettext

TEMPO     the pause multiplier, from the command line: --tempo X (or
          --tempo=X), a number from 0 to 10, the same range forkscope
          accepts (default 1 = classroom pace, 0.2 = five times faster,
          0 = no pauses).  -h or --help prints a usage text and exits 0.
          Anything else prints one line to stderr, such as
              pool.py: --tempo must be a number from 0 to 10 (got '11')
          and exits with status 2.
sleep(s)  sleeps s * TEMPO seconds, in 50 ms slices.
_(text)   the line in the class's language, from forkscope's catalogue
          (gettext, language from LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
          forkscope --lang sets LANGUAGE for the demos it runs); ngettext
          the same with a count.  The catalogue is looked for in
          $FORKSCOPE_LOCALEDIR, then in build/locale beside build/demos
          (the scripts run from build/demos/python/), then where make
          install puts it (PREFIX/share/locale beside PREFIX/libexec/
          forkscope/python/); with none, the lines stay in English.

Importing it also makes stdout line buffered.

Only the main process reads the command line, and it leaves TEMPO in the
environment, in FORKSCOPE_DEMO_TEMPO, for the processes multiprocessing
starts.  A child made by fork has its own copy of this module, TEMPO and
all.  But spawn starts a new Python whose __main__ is multiprocessing's
own bootstrap (python -c ...): it runs the script again, as __mp_main__,
and so imports this module again.  The forkserver (or, in older Pythons,
each child it forks) does the same, and there sys.argv need not be the
script's.  In those processes __main__ has no __file__, and TEMPO comes
from the environment instead.
"""
import __main__
import gettext
import os
import sys
import time

_ENV = "FORKSCOPE_DEMO_TEMPO"


def _localedir():
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.environ.get("FORKSCOPE_LOCALEDIR"),
              os.path.join(here, "..", "..", "locale"),
              os.path.join(here, "..", "..", "..", "share", "locale")):
        if d and os.path.isdir(d):
            return d
    return None


# forkscope's catalogue, the one the C demos read (fallback: English)
_catalogue = gettext.translation("forkscope", localedir=_localedir(), fallback=True)
_ = _catalogue.gettext
ngettext = _catalogue.ngettext

_PROG = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "demo"

USAGE = _("""usage: %s [--tempo X]
  --tempo X   pause multiplier from 0 to 10 (default 1):
              1 = classroom pace, 0.2 = five times faster,
              0 = no pauses
  -h, --help  show this text""")


def _fail(message):
    # one line on stderr and exit status 2, like the C demos
    sys.stderr.write("%s: %s\n" % (_PROG, message))
    sys.exit(2)


def _tempo_value(text):
    try:
        tempo = float(text)
    except ValueError:
        tempo = -1.0
    if not 0 <= tempo <= 10:        # also refuses nan and inf
        _fail(_("--tempo must be a number from 0 to 10 (got '%s')") % text)
    return tempo


def _parse(args):
    tempo = 1.0
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            print(USAGE % _PROG)
            sys.exit(0)
        elif arg == "--tempo":
            if i + 1 == len(args):
                _fail(_("--tempo needs a value"))
            i += 1
            tempo = _tempo_value(args[i])
        elif arg.startswith("--tempo="):
            tempo = _tempo_value(arg[len("--tempo="):])
        else:
            _fail(_("unknown option '%s' (try --help)") % arg)
        i += 1
    return tempo


if getattr(__main__, "__file__", None) is not None:
    # the main process: __main__ is the demo script
    TEMPO = _parse(sys.argv[1:])
    os.environ[_ENV] = repr(TEMPO)
else:
    # a spawn child or the forkserver (see above)
    TEMPO = float(os.environ.get(_ENV, "1"))

# Each line is written at once and whole, even when stdout is a pipe (as
# in the C demos), so that the lines of different processes do not mix.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def sleep(seconds):
    """time.sleep(seconds * TEMPO), in 50 ms slices like the C demos, so
    that while forkscope pauses the tree (SIGSTOP) this clock stops too."""
    left = seconds * TEMPO
    while left > 0:
        time.sleep(min(left, 0.05))
        left -= 0.05
