/*
 * launcher.c - fork, pty, execv, and the end of every process we started.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#include "i18n.h"
#include "intmap.h"
#include "limit.h"
#include "procfs.h"
#include "util.h"

struct launcher {
	pid_t pid;
	struct rlimit nofile;       /* the open-files limit before it was raised */
	bool raised;
	int master;                 /* -1 once the output has ended */
	char *line;                 /* the line being read: LAUNCHER_LINE_KEEP bytes */
	size_t len;
	unsigned long long cut;     /* bytes of this line past the cap, not kept */
	double line_at;             /* when this line's first byte came */
	double last_at;             /* when the last byte came */
	bool last_was_cr;
	bool after_partial;         /* the last line went out unfinished */
	bool held;                  /* started stopped at its first instruction */
	struct limit *limit;        /* the ceiling on its processes (--limit); NULL */
	bool pid1;                  /* pid is init of a PID namespace (pidns.h) */
	int alive;                  /* init's: the write end of a pipe init reads
	                             * as hung up if forkscope was gone before
	                             * PR_SET_PDEATHSIG took; -1 */
};

bool launcher_become_subreaper(char *err, size_t errlen)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
		return true;
	snprintf(err, errlen, _("cannot become a child subreaper (%s): "
	         "Linux 3.4 or later is needed"),
	         strerror(errno));
	return false;
}

/* Whether path can be executed; else why not, in words. */
static bool check_file(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			/* TRANSLATORS: why a program cannot be run, said after
			 * "cannot run 'NAME': " (as the other reasons below) */
			snprintf(why, whylen, "%s", _("no such file"));
		else
			snprintf(why, whylen, "%s", _("cannot be read"));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "%s", _("is a directory"));
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
		snprintf(why, whylen, "%s",
		         _("is not executable (chmod +x, or run it with its interpreter)"));
		return false;
	}
	return true;
}

bool launcher_resolve(const char *name, char *out, size_t outlen, char *why, size_t whylen)
{
	char scratch[320];

	if (!why) {
		why = scratch;
		whylen = sizeof(scratch);
	}
	if (!name || !name[0]) {
		snprintf(why, whylen, "%s", _("is an empty name"));
		return false;
	}
	if (strchr(name, '/')) {
		str_copy(out, outlen, name);
		return check_file(name, why, whylen);
	}
	const char *path = getenv("PATH");
	if (!path || !path[0])
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t dirlen = end ? (size_t)(end - path) : strlen(path);
		char buf[PATH_MAX];
		int n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)dirlen, path,
		                 dirlen ? "/" : "", name);
		if (n > 0 && (size_t)n < sizeof(buf) && check_file(buf, scratch, sizeof(scratch))) {
			str_copy(out, outlen, buf);
			return true;
		}
		path += dirlen + (end ? 1 : 0);
	}
	if (access(name, F_OK) == 0)
		snprintf(why, whylen, _("no such program in PATH (for the file here, write ./%s)"),
		         name);
	else
		snprintf(why, whylen, "%s", _("no such program in PATH (check the name)"));
	return false;
}

/* What to do when a pty or a file cannot be opened. */
static const char *what_to_do(int e)
{
	if (e == EMFILE || e == ENFILE)
		/* TRANSLATORS: what to do, said after "cannot open a
		 * pseudo-terminal (REASON): " (as the next one) */
		return _("too many open files; raise the limit (ulimit -n) and try again");
	return _("check that /dev/pts is mounted");
}

/* Writes the decimal digits of v just before end and returns where they
 * start: snprintf is not async-signal-safe. */
static char *put_int_ul(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* What the child writes on the pipe, besides an errno, when it will stop
 * at its exec for forkscope to hold it (launcher_start()'s held). */
enum { CHILD_TRACED = INT_MAX };
/* ...and before an errno, when it could not enter its limit (limit.h). */
enum { CHILD_NO_LIMIT = INT_MAX - 1 };

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_setup(pid_t parent, const char *slave_name, int errfd, const char *path,
                        char *const argv[], char *const envp[], int cols, int rows,
                        const struct rlimit *nofile, bool held, const struct limit *limit)
{
	sigset_t none;
	int e;

	/* If forkscope is killed outright (SIGKILL), take the root with it;
	 * and if that already happened, do not start at all. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* inside the limit before its first instruction, so before its first
	 * fork; or not at all */
	if (limit && (e = limit_enter(limit)) != 0) {
		int why[2] = { CHILD_NO_LIMIT, e };
		if (write(errfd, why, sizeof(why)) < 0)
			_exit(126);
		_exit(127);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A program starts with default signals, whatever forkscope ignored or
	 * caught (an ignored SIGCHLD would even hide the zombies). */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* nothing of forkscope's leaks into the program past exec, not even
	 * the open-files limit it raised for itself */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (nofile)
		setrlimit(RLIMIT_NOFILE, nofile);
	/* Its own session, so its process groups are its own; but no controlling
	 * terminal (O_NOCTTY): when the root exits first, a controlling terminal
	 * would send SIGHUP to the processes it leaves behind, and kill the very
	 * orphans we want to show.  The pty still makes stdio line-buffered. */
	setsid();
	int slave = open(slave_name, O_RDWR | O_NOCTTY);
	int null = open("/dev/null", O_RDONLY);
	if (slave < 0 || null < 0)
		goto fail;
	struct termios tio;
	if (tcgetattr(slave, &tio) == 0) {
		/* no "\r\n" translation and no echo: we want the bytes as printed */
		tio.c_oflag &= ~(tcflag_t)OPOST;
		tio.c_lflag &= ~(tcflag_t)(ECHO | ECHOCTL);
		tcsetattr(slave, TCSANOW, &tio);
	}
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	ioctl(slave, TIOCSWINSZ, &ws);
	if (dup2(null, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		goto fail;
	if (slave > 2)
		close(slave);
	if (null > 2)
		close(null);
	/* To be held from its first instruction: traced, the exec stops it
	 * (SIGTRAP) until forkscope lets go of the trace, leaving it stopped.
	 * Where tracing is not allowed, it simply starts. */
	if (held && ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0) {
		int traced = CHILD_TRACED;
		if (write(errfd, &traced, sizeof(traced)) < 0)
			_exit(126);
	}
	/* execv, not execvp: execvp hands a file that is not a program to
	 * /bin/sh, and nothing here runs through a shell */
	execve(path, argv, envp ? envp : environ);
	e = errno;              /* exec failed: errno as it is */
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
fail:
	e = -errno;             /* setting up failed, before exec: negative */
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

/* The program stopped at its exec under the trace (held): the trace let
 * go, and the program left stopped (SIGSTOP) at its first instruction.
 * False when it did not stop there (it is let run then). */
static bool hold_at_exec(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return false;
	if (!WIFSTOPPED(status))
		return false;
	/* detached with a stop: it stays stopped, as any held process */
	return ptrace(PTRACE_DETACH, pid, NULL, (void *)(long)SIGSTOP) == 0;
}

/* ---- PID 1 of a namespace of our own (pidns.h) ---- */

/* Writes text to a /proc/self file, whole; false when it could not. */
static bool write_self(const char *name, const char *text, size_t len)
{
	char path[64] = "/proc/self/";
	size_t used = strlen(path);

	for (size_t i = 0; name[i] && used + 1 < sizeof(path); i++)
		path[used++] = name[i];
	path[used] = '\0';
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* "ID ID 1\n": the one ID of forkscope's user, the same inside. */
static size_t id_map(char *buf, size_t len, unsigned long id)
{
	char num[24];
	char *digits = put_int_ul(num + sizeof(num), id);
	size_t n = (size_t)(num + sizeof(num) - digits), used = 0;

	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < n && used + 1 < len; i++)
			buf[used++] = digits[i];
		if (used + 1 < len)
			buf[used++] = ' ';
	}
	if (used + 2 < len) {
		buf[used++] = '1';
		buf[used++] = '\n';
	}
	return used;
}

/* The namespace's init, PID 1, between clone and its end: only
 * async-signal-safe calls, as in child_setup().  It forks the program
 * (PID 2, child_setup()), then reaps every child, orphans included, until
 * none is left, and exits with the program's status. */
static _Noreturn void run_init(bool userns, uid_t uid, gid_t gid, const char *slave_name,
                               int errfd, const int alive[2], const char *path,
                               char *const argv[], char *const envp[], int cols, int rows,
                               const struct rlimit *nofile, const struct limit *limit)
{
	sigset_t none;
	char map[64];

	/* forkscope gone (even SIGKILLed): init goes, and the kernel ends the
	 * whole namespace with it.  Gone already, before this took (getppid()
	 * is 0 in a namespace's init either way): its end of alive hung up. */
	close(alive[1]);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	struct pollfd hup = { .fd = alive[0], .events = POLLIN };
	if (poll(&hup, 1, 0) > 0)
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* forkscope's handlers are not init's: with none, PID 1 ignores
	 * every signal but SIGKILL and SIGSTOP from outside, and every one
	 * from inside (the kernel's rule for a namespace's init) */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* nothing of forkscope's stays open in init (its terminal, the pty's
	 * master, the kernel's news): only the pipe that says how the exec went,
	 * and the limit's door for the program to go through (--limit) */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	int lo = errfd, hi = limit_fd(limit);
	if (hi >= 0 && hi < lo) {
		lo = hi;
		hi = errfd;
	}
	if (lo > 3)
		close_range(3, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)(hi > lo ? hi : lo) + 1, ~0U, 0);
	setsid();
	if (userns) {
		/* forkscope's user is itself inside too, so files and /proc
		 * read the same */
		size_t n = id_map(map, sizeof(map), uid);
		bool ok = write_self("uid_map", map, n) && write_self("setgroups", "deny", 4);
		n = id_map(map, sizeof(map), gid);
		if (!ok || !write_self("gid_map", map, n)) {
			int e = -EPERM;
			if (write(errfd, &e, sizeof(e)) < 0)
				_exit(126);
			_exit(127);
		}
	}
	prctl(PR_SET_NAME, "init");
	pid_t program = fork();
	if (program < 0) {
		int e = -errno;
		if (write(errfd, &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	if (program == 0)
		child_setup(1, slave_name, errfd, path, argv, envp, cols, rows, nofile, false, limit);
	close(errfd);
	int status = 0, got;
	for (;;) {
		pid_t pid = waitpid(-1, &got, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;          /* ECHILD: the namespace is empty */
		if (pid == program)
			status = got;
	}
	if (WIFSIGNALED(status))
		_exit(128 + WTERMSIG(status));
	_exit(WEXITSTATUS(status));
}

/* Forks into a new PID namespace (and a user namespace of its own when
 * forkscope is not root, or root is not allowed one alone): 0 in the
 * child, which is PID 1 there; -1 with errno when the kernel refuses.
 * *userns says whether a user namespace was made. */
static pid_t clone_pid1(bool *userns)
{
	struct clone_args args;
	bool root = geteuid() == 0;

	for (int round = root ? 0 : 1; round < 2; round++) {
		memset(&args, 0, sizeof(args));
		args.flags = CLONE_NEWPID | (round ? CLONE_NEWUSER : 0);
		args.exit_signal = SIGCHLD;
		*userns = round == 1;
#ifdef SYS_clone3
		long pid = syscall(SYS_clone3, &args, CLONE_ARGS_SIZE_VER0);
#else
		long pid = -1;
		errno = ENOSYS;
#endif
		/* no clone3 (before Linux 5.3, or a container's seccomp profile
		 * that says ENOSYS so that programs fall back): clone as fork
		 * does it, with the namespace flags (s390 takes the stack first) */
		if (pid < 0 && errno == ENOSYS) {
			unsigned long flags = (unsigned long)args.flags | SIGCHLD;
#if defined(__s390__) || defined(__s390x__)
			pid = syscall(SYS_clone, 0UL, flags, NULL, NULL, 0UL);
#else
			pid = syscall(SYS_clone, flags, 0UL, NULL, NULL, 0UL);
#endif
		}
		if (pid >= 0 || errno != EPERM)
			return (pid_t)pid;
	}
	return -1;
}

/* Why a PID namespace could not be had, as a sentence's end. */
static void refused_why(int e, char *buf, size_t len)
{
	if (e == ENOSYS)
		snprintf(buf, len, "%s", _("the kernel is older than Linux 5.3"));
	else if (e == ENOSPC || e == EUSERS)
		snprintf(buf, len, "%s", _("the limit of namespaces is reached "
		         "(/proc/sys/user/max_pid_namespaces)"));
	else
		/* TRANSLATORS: %s is the system's reason (EPERM's words) */
		snprintf(buf, len, _("the kernel refused it (%s; no user namespaces here, as in "
		         "many containers)"), strerror(e));
}

bool launcher_pid1_possible(char *why, size_t whylen)
{
	bool userns;
	pid_t pid = clone_pid1(&userns);

	if (pid == 0)
		_exit(0);       /* init of a namespace that ends at once */
	if (pid < 0) {
		refused_why(errno, why, whylen);
		return false;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return true;
}

struct launcher *launcher_start(char *const argv[], char *const envp[], int cols, int rows,
                                bool held, int max_procs, char *err, size_t errlen)
{
	return launcher_start_pid1(argv, envp, cols, rows, held, max_procs, NULL, 0, err, errlen);
}

struct launcher *launcher_start_pid1(char *const argv[], char *const envp[], int cols,
                                     int rows, bool held, int max_procs, char *refused,
                                     size_t refusedlen, char *err, size_t errlen)
{
	int master = -1, slave = -1, pipefd[2] = { -1, -1 }, alive[2] = { -1, -1 };
	char slave_name[128], path[PATH_MAX];
	pid_t pid;

	char why[320];
	if (!launcher_resolve(argv[0], path, sizeof(path), why, sizeof(why))) {
		snprintf(err, errlen, _("cannot run '%s': %s"), argv[0], why);
		return NULL;
	}
	struct limit *limit = NULL;
	if (max_procs > 0 && !(limit = limit_new(max_procs, err, errlen)))
		return NULL;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, slave_name, sizeof(slave_name)) != 0) {
		/* TRANSLATORS: the system's reason, then what to do */
		snprintf(err, errlen, _("cannot open a pseudo-terminal (%s): %s"), strerror(errno),
		         what_to_do(errno));
		goto fail;
	}
	/* Hold the slave open until the program has it, so reading the master
	 * never sees a hang-up before the program even started. */
	slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, _("cannot open the program's terminal (%s): %s"),
		         strerror(errno),
		         what_to_do(errno));
		goto fail;
	}
	/* forkscope keeps a /proc descriptor per watched process: as many as
	 * the hard limit allows; the program gets the limit it would have had */
	struct rlimit nofile, raised;
	bool have_nofile = getrlimit(RLIMIT_NOFILE, &nofile) == 0;
	if (have_nofile) {
		raised = nofile;
		raised.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &raised);
	}
	fflush(NULL);
	pid_t self = getpid();
	bool pid1 = false, userns = false;
	if (refused && pipe2(alive, O_CLOEXEC) < 0) {
		snprintf(err, errlen, _("cannot open the program's terminal (%s): %s"),
		         strerror(errno), what_to_do(errno));
		goto fail;
	}
	if (refused) {
		refused[0] = '\0';
		pid = clone_pid1(&userns);
		pid1 = pid >= 0;
		if (!pid1)
			refused_why(errno, refused, refusedlen);
	}
	if (refused && pid == 0)
		run_init(userns, getuid(), getgid(), slave_name, pipefd[1], alive, path, argv, envp,
		         cols, rows, have_nofile ? &nofile : NULL, limit);
	if (alive[0] >= 0)
		close(alive[0]);
	if (!pid1 && alive[1] >= 0) {
		close(alive[1]);
		alive[1] = -1;
	}
	if (!pid1)
		pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, _("cannot fork (%s): too many processes are "
		         "running; end some and try again"), strerror(errno));
		goto fail;
	}
	/* a set-user-ID program would run without its privileges when
	 * traced; under init, init would be its tracer: it just starts */
	struct stat st;
	if (pid1 || (held && stat(path, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID))))
		held = false;
	if (pid == 0)
		child_setup(self, slave_name, pipefd[1], path, argv, envp, cols, rows,
		            have_nofile ? &nofile : NULL, held, limit);
	close(pipefd[1]);
	pipefd[1] = -1;

	int child_errno = 0;
	bool traced = false;
	ssize_t got;
	for (;;) {
		do
			got = read(pipefd[0], &child_errno, sizeof(child_errno));
		while (got < 0 && errno == EINTR);
		if (got <= 0 || child_errno != CHILD_TRACED)
			break;
		traced = true;
	}
	int limit_errno = 0;
	if (got > 0 && child_errno == CHILD_NO_LIMIT &&
	    read(pipefd[0], &limit_errno, sizeof(limit_errno)) <= 0)
		limit_errno = EIO;
	close(pipefd[0]);
	pipefd[0] = -1;
	if (got > 0) {
		/* exec failed: the pipe was not closed by a successful exec */
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (child_errno == CHILD_NO_LIMIT)
			snprintf(err, errlen, _("cannot put the program inside its limit of %d "
			         "processes (%s): run the bounded fork-bomb instead"), limit_max(limit),
			         strerror(limit_errno));
		else if (child_errno < 0)
			snprintf(err, errlen, _("cannot set up the program's terminal (%s): %s"),
			         strerror(-child_errno), what_to_do(-child_errno));
		else if (child_errno == ENOEXEC)
			snprintf(err, errlen, _("cannot run '%s': it is not a program "
			         "(a script needs a #! line)"), argv[0]);
		else if (child_errno == ENOENT)
			snprintf(err, errlen, _("cannot run '%s': the interpreter "
			         "on its #! line is missing"), argv[0]);
		else
			snprintf(err, errlen, _("cannot run '%s': exec failed (%s); check that it "
			         "is a program for this machine"), argv[0], strerror(child_errno));
		goto fail;
	}
	close(slave);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

	struct launcher *l = xcalloc(1, sizeof(*l));
	l->held = traced && hold_at_exec(pid);
	l->pid1 = pid1;
	l->alive = alive[1];
	alive[1] = -1;
	l->pid = pid;
	l->master = master;
	l->line = xcalloc(LAUNCHER_LINE_KEEP + 1, 1);
	l->nofile = nofile;
	l->raised = have_nofile;
	l->limit = limit;
	return l;
fail:
	limit_free(limit);
	if (alive[1] >= 0)
		close(alive[1]);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	return NULL;
}

void launcher_free(struct launcher *l)
{
	if (!l)
		return;
	/* the limit's door shut first, so that the sweep below is the last */
	limit_kill(l->limit);
	launcher_kill_all();
	limit_free(l->limit);
	if (l->master >= 0)
		close(l->master);
	if (l->alive >= 0)
		close(l->alive);
	/* the next run starts from the limit the user had, and gives it on */
	if (l->raised)
		setrlimit(RLIMIT_NOFILE, &l->nofile);
	free(l->line);
	free(l);
}

bool launcher_held(const struct launcher *l)
{
	return l->held;
}

bool launcher_pid1(const struct launcher *l)
{
	return l && l->pid1;
}

pid_t launcher_pid(const struct launcher *l)
{
	return l ? l->pid : 0;
}

int launcher_fd(const struct launcher *l)
{
	return l ? l->master : -1;
}

static void flush_line(struct launcher *l, bool partial, launcher_line_fn line, void *ctx)
{
	l->line[l->len] = '\0';
	line(ctx, l->line, l->cut, partial);
	l->len = 0;
	l->cut = 0;
	l->after_partial = partial;
}

static void keep_one(struct launcher *l, char c);

static void keep_byte(struct launcher *l, char c)
{
	/* a NUL would end the line's text early: kept as the caret form the
	 * views use for every other control character */
	if (c == '\0') {
		if (!l->cut && l->len + 2 <= LAUNCHER_LINE_KEEP) {
			keep_one(l, '^');
			keep_one(l, '@');
		} else {
			l->cut++;      /* no room for both: the NUL is the first byte cut */
		}
		return;
	}
	keep_one(l, c);
}

/* Keeps c in the line, or counts it as cut once the line is full.  The
 * kept part ends on a whole UTF-8 character: the bytes of one cut in two
 * are counted with the cut. */
static void keep_one(struct launcher *l, char c)
{
	if (l->cut) {
		l->cut++;
		return;
	}
	if (l->len < LAUNCHER_LINE_KEEP) {
		l->line[l->len++] = c;
		return;
	}
	/* where the last character starts, and whether it is whole */
	size_t keep = l->len - 1;
	while (keep > 0 && l->len - keep < 4 && ((unsigned char)l->line[keep] & 0xC0) == 0x80)
		keep--;
	unsigned char lead = (unsigned char)l->line[keep];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (keep + need <= l->len)
		keep = l->len;
	l->cut = l->len - keep + 1;
	l->len = keep;
}

size_t launcher_read(struct launcher *l, size_t max_bytes, double now, launcher_line_fn line,
                     void *ctx)
{
	char buf[4096];
	size_t want = max_bytes < sizeof(buf) ? max_bytes : sizeof(buf);
	ssize_t n;

	if (l->master < 0 || want == 0)
		return 0;
	do
		n = read(l->master, buf, want);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		/* EIO: every holder of the pty's other side has closed it */
		if (l->len || l->cut)
			flush_line(l, false, line, ctx);
		close(l->master);
		l->master = -1;
		return 0;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = buf[i];
		if (c == '\n' || c == '\r') {
			/* "\r\n" ends one line, not two; nor does the end of a line
			 * already shown unfinished make an empty one */
			bool empty = l->len == 0 && !l->cut;
			if (!(empty && ((c == '\n' && l->last_was_cr) || l->after_partial)))
				flush_line(l, false, line, ctx);
			l->after_partial = false;
			l->last_was_cr = c == '\r';
			continue;
		}
		if (l->len == 0 && !l->cut)
			l->line_at = now;
		l->last_was_cr = false;
		keep_byte(l, c);
	}
	l->last_at = now;
	return (size_t)n;
}

void launcher_flush_idle(struct launcher *l, double now, launcher_line_fn line, void *ctx)
{
	if (!l || (!l->len && !l->cut))
		return;
	/* A program that stopped mid-line (a prompt, a progress dot) is shown
	 * as a terminal would show it; one that floods a line with no end is
	 * shown once a second, cut. */
	if (now - l->last_at >= LAUNCHER_IDLE_FLUSH || (l->cut && now - l->line_at >= 1.0))
		flush_line(l, true, line, ctx);
}

bool launcher_reap(struct frame *f)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (f)
				frame_add_reap(f, pid, status);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		return !(pid < 0 && errno == ECHILD);
	}
}


/* How many sweeps a pause may take before it gives up on a tree that
 * forks faster than it can be stopped. */
enum { STOP_ROUNDS = 200 };

/* What one sweep does and finds. */
struct sweep {
	int sig;
	bool unstopped_only;        /* SIGSTOP only to those not stopped yet */
	struct intmap *sent;        /* (pid, start) already sent it by an earlier
	                             * sweep of the same pause; NULL: none */
	struct stopped_set *set;    /* where those stopped are kept; NULL */
	struct pidvec *denied;
	size_t signalled;
};

static void set_add(struct stopped_set *set, pid_t pid, unsigned long long start, bool group)
{
	if (!set)
		return;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->pid = xreallocarray(set->pid, set->cap, sizeof(*set->pid));
		set->start = xreallocarray(set->start, set->cap, sizeof(*set->start));
		set->group = xreallocarray(set->group, set->cap, sizeof(*set->group));
	}
	set->pid[set->n] = pid;
	set->group[set->n] = group;
	set->start[set->n++] = start;
}

void stopped_set_free(struct stopped_set *set)
{
	free(set->pid);
	free(set->start);
	free(set->group);
	memset(set, 0, sizeof(*set));
}

/* Signals pid, the child of parent (a process already confirmed), only once
 * it is confirmed to be that: a pidfd taken first pins the process, its
 * stat (read through a /proc descriptor opened after) must name parent or
 * forkscope (which adopts orphans) as its parent, and the pidfd's process
 * must still be there after that read, so the two are one process.  Then
 * the pidfd is signalled: never a PID that was handed to someone else in
 * between.  A group leader's whole process group gets the signal too
 * (through the same pidfd): the kernel lets no fork that races a group
 * signal slip through.  Returns the /proc descriptor of the confirmed
 * process (for its children list), or -1. */
static int signal_confirmed(pid_t pid, pid_t parent, pid_t self, struct sweep *sw)
{
	unsigned long long start = 0;
	struct procfs_stat st;
	int pidfd = util_pidfd_open(pid);

	if (pidfd < 0 && errno != ENOSYS)
		return -1;       /* gone */
	int dir = procfs_open(pid, &start, &st);
	bool ours = dir >= 0 && (st.ppid == parent || st.ppid == self);
	if (ours && pidfd >= 0)
		ours = util_pidfd_signal(pidfd, 0, 0) == 0 || errno == EPERM;
	if (!ours) {
		if (dir >= 0)
			close(dir);
		if (pidfd >= 0)
			close(pidfd);
		return -1;
	}
	/* a zombie has nothing to stop; a stopped one is stopped already; one
	 * sent SIGSTOP by an earlier sweep has it pending (in the kernel, 'D',
	 * it may stay so a long while): once is enough */
	unsigned long long key = (st.start << 22 | (unsigned long long)pid) + 1;
	bool skip = sw->unstopped_only && (st.state == 'T' || st.state == 't' || st.state == 'Z' ||
	                                   st.state == 'X' || intmap_get(sw->sent, key) >= 0);
	/* one the program has just sent SIGSTOP (pending, not acted on yet)
	 * is the program's to stop: not kept to be continued */
	if (!skip && sw->set && procfs_stop_pending_at(dir))
		skip = true;
	if (!skip) {
		/* no pidfd on this kernel: kill() right after the check */
		int rc = pidfd >= 0 ? util_pidfd_signal(pidfd, sw->sig, 0) : kill(pid, sw->sig);
		bool ok = rc == 0;
		if (ok) {
			sw->signalled++;
			if (sw->sent)
				intmap_put(sw->sent, key, 1);
		}
		else if (errno == EPERM && sw->denied)
			pidvec_push(sw->denied, pid);
		/* EINVAL before 6.9: no matter.  Not when what is stopped is
		 * kept to be continued: a member the program stopped itself
		 * would be continued with its group; the sweeps, repeated until
		 * none finds a process running, stop each one by itself. */
		bool group = pidfd >= 0 && st.pgrp == pid && !sw->set &&
		             util_pidfd_signal(pidfd, sw->sig, PIDFD_SIGNAL_PROCESS_GROUP) == 0;
		if (ok && sw->sig == SIGSTOP)
			set_add(sw->set, pid, st.start, group);
	}
	if (pidfd >= 0)
		close(pidfd);
	return dir;
}

/* One breadth-first sweep from forkscope; the lists grow while they are
 * walked. */
static void sweep_tree(struct sweep *sw)
{
	struct pidvec todo = { 0 }, parents = { 0 }, kids = { 0 };
	pid_t self = getpid();
	unsigned long long start = 0;

	int dir = procfs_open(self, &start, NULL);
	if (dir < 0)
		return;
	procfs_children_at(dir, self, 0, &kids);
	close(dir);
	for (size_t k = 0; k < kids.n; k++) {
		pidvec_push(&todo, kids.v[k]);
		pidvec_push(&parents, self);
	}
	for (size_t i = 0; i < todo.n; i++) {
		dir = signal_confirmed(todo.v[i], parents.v[i], self, sw);
		if (dir < 0)
			continue;
		kids.n = 0;
		procfs_children_at(dir, todo.v[i], 0, &kids);
		close(dir);
		for (size_t k = 0; k < kids.n; k++) {
			pidvec_push(&todo, kids.v[k]);
			pidvec_push(&parents, todo.v[i]);
		}
	}
	pidvec_free(&todo);
	pidvec_free(&parents);
	pidvec_free(&kids);
}

size_t launcher_signal_tree(int sig, struct pidvec *denied)
{
	struct sweep sw = { .sig = sig, .denied = denied };

	sweep_tree(&sw);
	return sw.signalled;
}

/* Sends sig to pid through a pidfd taken before its start time is
 * checked, so the signal reaches the process that started at start or
 * nobody. */
static bool signal_if_same(pid_t pid, unsigned long long start, int sig, bool group)
{
	unsigned long long now = start;
	int pidfd = util_pidfd_open(pid);

	if (pidfd < 0 && errno != ENOSYS)
		return false;
	int dir = procfs_open(pid, &now, NULL);
	bool ok = dir >= 0;
	if (ok)
		ok = (pidfd >= 0 ? util_pidfd_signal(pidfd, sig, 0) : kill(pid, sig)) == 0;
	if (ok && group && pidfd >= 0)
		util_pidfd_signal(pidfd, sig, PIDFD_SIGNAL_PROCESS_GROUP);
	if (dir >= 0)
		close(dir);
	if (pidfd >= 0)
		close(pidfd);
	return ok;
}

bool launcher_stop_one(pid_t pid, unsigned long long start, struct stopped_set *set)
{
	if (pid <= 0 || !start || !signal_if_same(pid, start, SIGSTOP, false))
		return false;
	set_add(set, pid, start, false);
	return true;
}

void launcher_continue(struct stopped_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		signal_if_same(set->pid[i], set->start[i], SIGCONT, set->group[i]);
	set->n = 0;
}

bool launcher_stop_tree(struct stopped_set *set)
{
	/* A fork in flight when its parent is stopped still makes a child, and
	 * that child runs: sweep again until a sweep finds nothing running. */
	struct intmap sent = { 0 };
	bool all = false;
	for (int round = 0; round < STOP_ROUNDS && !all; round++) {
		struct sweep sw = { .sig = SIGSTOP, .unstopped_only = true, .sent = &sent,
		                    .set = set };
		sweep_tree(&sw);
		all = sw.signalled == 0;
		struct timespec nap = { 0, 2 * 1000 * 1000 };   /* for the stops to land */
		if (!all)
			nanosleep(&nap, NULL);
	}
	intmap_free(&sent);
	return all;
}

/* Writes the decimal digits of v at the end of buf[..end) and returns where
 * they start: snprintf is not async-signal-safe. */
static char *put_int(char *end, long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);   /* async-signal-safe */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void launcher_kill_all(void)
{
	char path[64], num[24];
	int saved = errno;
	pid_t self = getpid();

	/* "/proc/SELF/task/SELF/children": forkscope is single-threaded */
	char *p = path;
	const char *parts[] = { "/proc/", NULL, "/task/", NULL, "/children" };
	for (int i = 0; i < 5; i++) {
		const char *s = parts[i] ? parts[i] : put_int(num + sizeof(num) - 1, self);
		num[sizeof(num) - 1] = '\0';
		while (*s && p < path + sizeof(path) - 1)
			*p++ = *s++;
	}
	*p = '\0';

	/* Kill our children; theirs are then re-parented to us (we are the
	 * subreaper) and die in the next round.  Our own children's PIDs cannot
	 * go to anyone else before we reap them, so kill() by PID is safe here.
	 * Done when no child is left, when every child left refuses the signal,
	 * or after LAUNCHER_KILL_WAIT seconds: never a wait without end. */
	pid_t kids[512];
	double until = mono_now() + LAUNCHER_KILL_WAIT;
	for (;;) {
		int status;
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
		size_t n = procfs_children_file(path, kids, 0, sizeof(kids) / sizeof(kids[0]));
		size_t refused = 0;
		for (size_t i = 0; i < n; i++)
			if (kill(kids[i], SIGKILL) != 0 && errno == EPERM)
				refused++;
		if (waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD)
			break;
		/* all refused: done, unless the list filled kids and more follow */
		bool whole = n < sizeof(kids) / sizeof(kids[0]);
		if ((n > 0 && whole && refused == n) || mono_now() >= until)
			break;
		struct timespec nap = { 0, 5 * 1000 * 1000 };
		nanosleep(&nap, NULL);
	}
	errno = saved;
}
