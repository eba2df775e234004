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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "procfs.h"
#include "util.h"

enum { LINE_MAX_BYTES = 4096 };

struct launcher {
	pid_t pid;
	int master;                 /* -1 once the output has ended */
	char line[LINE_MAX_BYTES];
	size_t len;
	bool last_was_cr;
};

bool launcher_become_subreaper(char *err, size_t errlen)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
		return true;
	snprintf(err, errlen, "cannot become a child subreaper (%s): Linux 3.4 or later is needed",
	         strerror(errno));
	return false;
}

/* Whether path can be executed; else why not, in words. */
static bool check_file(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(why, whylen, "%s", errno == ENOENT ? "no such file" : "cannot be read");
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, "is a directory");
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
		snprintf(why, whylen, "is not executable (chmod +x, or run it with its interpreter)");
		return false;
	}
	return true;
}

bool launcher_resolve(const char *name, char *out, size_t outlen, char *why, size_t whylen)
{
	char scratch[160];

	if (!why) {
		why = scratch;
		whylen = sizeof(scratch);
	}
	if (!name || !name[0]) {
		snprintf(why, whylen, "is an empty name");
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
		snprintf(why, whylen, "no such program in PATH (for the file here, write ./%s)", name);
	else
		snprintf(why, whylen, "no such program in PATH (check the name)");
	return false;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_setup(pid_t parent, const char *slave_name, int errfd, const char *path,
                        char *const argv[], int cols, int rows)
{
	sigset_t none;
	int e;

	/* If forkscope is killed outright (SIGKILL), take the root with it;
	 * and if that already happened, do not start at all. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A program starts with default signals, whatever forkscope ignored or
	 * caught (an ignored SIGCHLD would even hide the zombies). */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	/* nothing of forkscope's leaks into the program past exec */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
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
	/* execv, not execvp: execvp hands a file that is not a program to
	 * /bin/sh, and nothing here runs through a shell */
	execv(path, argv);
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

struct launcher *launcher_start(char *const argv[], int cols, int rows, char *err, size_t errlen)
{
	int master = -1, slave = -1, pipefd[2] = { -1, -1 };
	char slave_name[128], path[PATH_MAX];
	pid_t pid;

	char why[160];
	if (!launcher_resolve(argv[0], path, sizeof(path), why, sizeof(why))) {
		snprintf(err, errlen, "cannot run '%s': %s", argv[0], why);
		return NULL;
	}

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, slave_name, sizeof(slave_name)) != 0) {
		snprintf(err, errlen, "cannot open a pseudo-terminal (%s): is /dev/pts mounted?",
		         strerror(errno));
		goto fail;
	}
	/* Hold the slave open until the program has it, so reading the master
	 * never sees a hang-up before the program even started. */
	slave = open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot open the program's terminal (%s): check that /dev/pts "
		         "is mounted and that forkscope may open files", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	pid_t self = getpid();
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork (%s): too many processes are running; end some "
		         "and try again", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child_setup(self, slave_name, pipefd[1], path, argv, cols, rows);
	close(pipefd[1]);
	pipefd[1] = -1;

	int child_errno = 0;
	ssize_t got;
	do
		got = read(pipefd[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	pipefd[0] = -1;
	if (got > 0) {
		/* exec failed: the pipe was not closed by a successful exec */
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (child_errno < 0)
			snprintf(err, errlen, "cannot set up the program's terminal (%s): check that "
			         "/dev/pts is mounted", strerror(-child_errno));
		else if (child_errno == ENOEXEC)
			snprintf(err, errlen, "cannot run '%s': it is not a program (a script needs "
			         "a #! line)", argv[0]);
		else if (child_errno == ENOENT)
			snprintf(err, errlen, "cannot run '%s': the interpreter on its #! line is "
			         "missing", argv[0]);
		else
			snprintf(err, errlen, "cannot run '%s': exec failed (%s); check that it is a "
			         "program for this machine", argv[0], strerror(child_errno));
		goto fail;
	}
	close(slave);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

	struct launcher *l = xcalloc(1, sizeof(*l));
	l->pid = pid;
	l->master = master;
	return l;
fail:
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
	launcher_kill_all();
	if (l->master >= 0)
		close(l->master);
	free(l);
}

pid_t launcher_pid(const struct launcher *l)
{
	return l->pid;
}

int launcher_fd(const struct launcher *l)
{
	return l->master;
}

static void flush_line(struct launcher *l, void (*line)(void *, const char *), void *ctx)
{
	l->line[l->len] = '\0';
	line(ctx, l->line);
	l->len = 0;
}

void launcher_read(struct launcher *l, void (*line)(void *ctx, const char *text), void *ctx)
{
	char buf[4096];
	size_t total = 0;

	/* at most 64 KiB a call: a program that floods its output must not keep
	 * the screen from being drawn */
	while (l->master >= 0 && total < 64 * 1024) {
		ssize_t n = read(l->master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* EIO: every holder of the pty's other side has closed it */
			if (l->len)
				flush_line(l, line, ctx);
			close(l->master);
			l->master = -1;
			return;
		}
		total += (size_t)n;
		for (ssize_t i = 0; i < n; i++) {
			char c = buf[i];
			if (c == '\n' || c == '\r') {
				/* "\r\n" ends one line, not two */
				if (!(c == '\n' && l->last_was_cr && l->len == 0))
					flush_line(l, line, ctx);
				l->last_was_cr = c == '\r';
				continue;
			}
			l->last_was_cr = false;
			if (l->len + 1 >= sizeof(l->line))
				flush_line(l, line, ctx);
			l->line[l->len++] = c;
		}
	}
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

size_t launcher_signal_tree(int sig)
{
	pid_t *all = NULL;
	size_t n = 0, cap = 256, sent = 0;

	/* breadth first from forkscope; the list grows while it is walked */
	all = xcalloc(cap, sizeof(*all));
	n = procfs_children(getpid(), 0, all, cap);
	for (size_t i = 0; i < n; i++) {
		if (cap - n < 1024) {
			cap *= 2;
			all = xreallocarray(all, cap, sizeof(*all));
		}
		n += procfs_children(all[i], 0, all + n, cap - n);
	}
	for (size_t i = 0; i < n; i++)
		if (kill(all[i], sig) == 0)
			sent++;
	free(all);
	return sent;
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
	 * subreaper) and die in the next round.  Done when no child is left. */
	pid_t kids[512];
	for (int round = 0; round < 100000; round++) {
		size_t n = procfs_children_file(path, kids, 0, sizeof(kids) / sizeof(kids[0]));
		for (size_t i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		int status;
		pid_t got = waitpid(-1, &status, 0);
		if (got < 0 && errno == ECHILD)
			break;
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
	}
	errno = saved;
}
