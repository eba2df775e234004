/*
 * bench_cost.c - what watching a tree costs, against what a full scan of
 * /proc costs and what htop costs (when it is installed), in one run; the
 * memory of a long, busy watch; the short-lived processes forkscope sees.
 *
 * Everything goes through forkscope's command line (build/forkscope beside
 * build/bench): nothing here links the engine.  It prints a table and one
 * JSON line per row ("bench": "cost", "rss", "caught", "goal"), so a script
 * can check a regression.  It reports; it never fails on a time (exit 1 only
 * when forkscope is not built).
 *
 * 1. CPU per reading.  A tree of 64 sleeping processes (and the fork bomb
 *    at 9 generations, 512) with 0, 2,000 and 5,000 other sleeping processes
 *    on the machine, watched 10 times a second by forkscope --headless --json
 *    (output to /dev/null) and by the full screen in tmux; beside them a full
 *    scan of every /proc/PID/stat done here (what top and htop read per
 *    refresh) and `htop -d 1 -t` in tmux.  CPU is the nanoseconds the
 *    kernel counts in /proc/PID/task/TID/schedstat, summed over the threads
 *    (clock ticks are 10 ms: too coarse for a few readings), over a window
 *    that starts once the tree is up and a warm-up has passed (forkscope
 *    reads a process whole in its first second).  Medians of RUNS runs; a
 *    run measures every configuration once, the watchers one after the
 *    other and the other processes made anew, so that a drift of the
 *    machine hits all alike.
 * 2. Peak memory (VmHWM) of forkscope --headless --json after as many
 *    processes as ten minutes of the busiest demo (see storm()).
 * 3. Of 300 children that exit at once, how many forkscope reports, with
 *    the kernel's process connector and by polling alone.
 *
 * `--quick` does all of it on a small case (a tree of 4, no others, one run,
 * short windows, no htop) in a few seconds: tests/test_bench_cost.c runs it
 * so that `make test` keeps this code working.  The same program is also
 * the watched trees (--tree, --bomb, --storm, --burst: see main()).
 *
 * Every process it starts is gone at its end: it is a child subreaper, so
 * what daemonizes (tmux's server) or is orphaned stays its child, and it
 * kills and reaps all of its children before it exits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

extern char **environ;

/* Set by SIGINT, SIGTERM or SIGHUP: the waits give up, and main kills and
 * reaps what it started before it exits (130). */
static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

enum { READINGS_PER_SEC = 10, MAX_RUNS = 9, MAX_PIDS = 8192 };

/* What one run of the benchmark measures. */
struct plan {
	bool quick;
	int tree;               /* the small tree's processes */
	int bomb;               /* the fork bomb's generations */
	int loads[3];           /* other processes on the machine */
	int nloads;
	int runs;               /* of each measure, for the median */
	double warmup, window;  /* seconds */
	bool htop;              /* measure htop (when installed) */
	int storm_rounds;       /* two processes each: see storm() */
	int burst;              /* short-lived children */
};

/* Paths and names one run uses. */
struct ctx {
	char self[PATH_MAX];    /* this program (the trees) */
	char fs[PATH_MAX];      /* forkscope */
	char sock[64];          /* tmux's private socket */
	char tmp[64];           /* a folder of our own: htop's config, outputs */
	bool have_tmux, have_htop;
	const struct plan *p;
};

/* ---- time and small helpers ---------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* An argument vector built from formatted strings: no string literal is
 * handed to exec as a char *. */
struct args {
	char buf[8192];
	char *v[48];
	int n;
	size_t used;
};

static void args_add(struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void args_add(struct args *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n >= 47)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(a->buf + a->used, sizeof(a->buf) - a->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->buf) - a->used)
		return;
	a->v[a->n++] = a->buf + a->used;
	a->v[a->n] = NULL;
	a->used += (size_t)n + 1;
}

/* Starts argv with stdin from /dev/null, stdout into out (NULL:
 * /dev/null), stderr to /dev/null; never a pipe, so that a daemon it
 * starts (tmux's server) holds nothing we wait on.  With group, in a
 * process group of its own from the start (killpg reaches all it forks).
 * 0 when it fails. */
static pid_t start_in(char *const argv[], const char *out, bool group)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;

	posix_spawnattr_init(&at);
	if (group) {
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
		posix_spawnattr_setpgroup(&at, 0);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc == 0 ? pid : 0;
}

static pid_t start(char *const argv[], const char *out)
{
	return start_in(argv, out, false);
}

/* Waits for pid up to timeout seconds (then kills it); its exit code,
 * 128 + signal, or -1. */
static int finish(pid_t pid, double timeout)
{
	double end = now() + timeout;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		if (now() > end || stopping) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		nap(0.01);
	}
}

/* Runs argv to its end; its output into out (NULL: none); its exit code. */
static int run(char *const argv[], const char *out)
{
	pid_t pid = start(argv, out);

	return pid ? finish(pid, 30) : -1;
}

/* A small file's text into buf; false when it cannot be read. */
static bool slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

static long file_long(const char *path)
{
	char buf[64];

	return slurp(path, buf, sizeof(buf)) ? atol(buf) : -1;
}

static bool on_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[PATH_MAX];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)n, path, name);
		if (n && access(file, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* ---- what the kernel says about a process ------------------------- */

/* Nanoseconds pid has run, summed over its threads (first field of
 * /proc/PID/task/TID/schedstat); -1 when it is gone. */
static long long cpu_ns(pid_t pid)
{
	char path[64], buf[128];
	long long sum = 0;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat", (int)pid, de->d_name);
		if (slurp(path, buf, sizeof(buf)))
			sum += atoll(buf);
	}
	closedir(d);
	return sum;
}

/* The children of every thread of pid, up to max; their count. */
static int children(pid_t pid, pid_t *kids, int max)
{
	char path[64], buf[65536];
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)pid, de->d_name);
		if (!slurp(path, buf, sizeof(buf)))
			continue;
		for (char *p = buf, *e; *p && n < max; p = e) {
			long k = strtol(p, &e, 10);
			if (e == p)
				break;
			kids[n++] = (pid_t)k;
		}
	}
	closedir(d);
	return n;
}

/* The child of pid whose name (comm) is name, or 0. */
static pid_t child_named(pid_t pid, const char *name)
{
	pid_t kids[64];
	int n = children(pid, kids, 64);
	char path[64], comm[32];

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)kids[i]);
		if (slurp(path, comm, sizeof(comm)) &&
		    strncmp(comm, name, strlen(name)) == 0 && comm[strlen(name)] == '\n')
			return kids[i];
	}
	return 0;
}

/* Waits until pid has a child named name (the tree says it is up); false
 * after timeout seconds or when pid is gone. */
static bool wait_child_named(pid_t pid, const char *name, double timeout)
{
	double end = now() + timeout;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	while (now() < end && !stopping) {
		if (child_named(pid, name))
			return true;
		if (access(path, F_OK) != 0)
			return false;
		nap(0.02);
	}
	return false;
}

/* Reaps what has already exited (a tmux server after kill-server). */
static void reap_exited(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Waits up to timeout seconds until pid has exited (gone, or a zombie
 * whoever its parent is: tmux's server, or us once the server is gone). */
static void wait_gone(pid_t pid, double timeout)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (double end = now() + timeout; now() < end; nap(0.02)) {
		reap_exited();
		if (!slurp(path, buf, sizeof(buf)))
			return;
		char *p = strrchr(buf, ')');
		if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
			return;
	}
}

/* A field of /proc/PID/status in KiB ("VmHWM"), or -1. */
static long status_kib(pid_t pid, const char *key)
{
	char path[64], buf[4096];
	size_t n = strlen(key);

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!slurp(path, buf, sizeof(buf)))
		return -1;
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, key, n) == 0 && l[n] == ':')
			return atol(l + n + 1);
	return -1;
}

/* SIGKILL to every descendant of pid: each is stopped first, so it forks
 * no more while its own are found. */
static void kill_descendants(pid_t pid, int depth)
{
	pid_t *kids = malloc(MAX_PIDS * sizeof(*kids));

	if (!kids)
		return;
	int n = children(pid, kids, MAX_PIDS);
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGSTOP);
		if (depth < 64)
			kill_descendants(kids[i], depth + 1);
		kill(kids[i], SIGKILL);
	}
	free(kids);
}

/* Kills and reaps every descendant we have left (orphans adopted as the
 * subreaper, tmux's servers): nothing outlives the benchmark.  Never waits
 * on a live process: what a dying parent leaves becomes ours, and is
 * killed in the next round. */
static void end_all_children(void)
{
	pid_t kids[16];

	for (double end = now() + 10; now() < end; nap(0.01)) {
		kill_descendants(getpid(), 0);
		reap_exited();
		if (children(getpid(), kids, 16) == 0)
			break;
	}
}

/* ---- the watched programs (this program again) ------------------- */

/* Sleep until killed, as the tree's processes do. */
static void sleep_forever(void)
{
	for (;;)
		pause();
}

/* The tree is up: every process has written its byte; then the root takes
 * the name "tree-ready", which the benchmark waits for.  Each closes the
 * pipe once done with it: a sleeper of a classroom tree holds no channel,
 * and one held would have forkscope probe it every reading. */
static int tree_settle(int fds[2], bool root, int n)
{
	char c = 1;

	if (write(fds[1], &c, 1) != 1)
		_exit(1);
	close(fds[1]);
	if (!root) {
		close(fds[0]);
		sleep_forever();
	}
	for (int got = 0; got < n;) {
		char buf[512];
		ssize_t r = read(fds[0], buf, sizeof(buf));
		if (r <= 0 && errno != EINTR)
			return 1;
		got += r > 0 ? (int)r : 0;
	}
	close(fds[0]);
	prctl(PR_SET_NAME, "tree-ready");
	sleep_forever();
	return 0;
}

/* --tree N: N sleeping processes, the root and N - 1 children. */
static int tree(int n)
{
	int fds[2];
	pid_t root = getpid();

	if (pipe(fds) < 0)
		return 1;
	for (int i = 1; i < n; i++)
		if (fork() == 0)
			break;
	return tree_settle(fds, getpid() == root, n);
}

/* --bomb G: every process forks once per generation, 2^G processes. */
static int bomb(int g)
{
	int fds[2];
	pid_t root = getpid();

	if (pipe(fds) < 0)
		return 1;
	for (int i = 0; i < g; i++)
		if (fork() < 0)
			return 1;
	return tree_settle(fds, getpid() == root, 1 << g);
}

/*
 * --storm R: what ten minutes of demos do, fast.  Each round forks A, A
 * forks B and exits at once with a status (A is a zombie until the next
 * round reaps it), B is orphaned (adopted by forkscope), every fourth B
 * execs /bin/true and the others exit with a status; the root prints a
 * line a round.  2 processes a round.  At the end the root renames itself
 * "storm-done" and sleeps, so forkscope's memory can be read while it is
 * still running.
 */
static int storm(int rounds)
{
	char truth[] = "/bin/true", *targv[] = { truth, NULL };
	pid_t prev = 0;

	for (int r = 0; r < rounds; r++) {
		int p[2];
		if (pipe(p) < 0)
			return 1;
		pid_t a = fork();
		if (a == 0) {
			if (fork() == 0) {
				char c;
				close(p[1]);
				/* EOF once A is gone: B is an orphan now */
				while (read(p[0], &c, 1) < 0 && errno == EINTR)
					;
				if (r % 4 == 0)
					execv(truth, targv);
				_exit(r % 256);
			}
			_exit(r % 256);
		}
		close(p[0]);
		close(p[1]);
		printf("round %d: %d\n", r, (int)a);
		fflush(stdout);
		if (prev > 0)
			waitpid(prev, NULL, 0);
		prev = a;
	}
	if (prev > 0)
		waitpid(prev, NULL, 0);
	prctl(PR_SET_NAME, "storm-done");
	sleep_forever();
	return 0;
}

/* --burst N: N children that exit at once (status i % 256), reaped as
 * they go. */
static int burst(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(i % 256);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	/* _exit: no exit handlers, so a sanitizer's leak check does not fork
	 * a tracer here that would count as a 301st child */
	_exit(0);
}

/* ---- the other processes on the machine ------------------------- */

/*
 * n sleepers in a process group of their own, ended by killpg.  The leader
 * forks them and says how many it got through a pipe (a machine may refuse
 * a fork: pid_max, ulimit -u, a cgroup's pids.max); *got is that count.
 * Returns the leader, or 0 when n is 0 or nothing could be started.
 */
static pid_t others(int n, int *got)
{
	int fds[2];

	*got = 0;
	if (n == 0 || pipe(fds) < 0)
		return 0;
	pid_t leader = fork();
	if (leader < 0) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (leader == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		int made = 1;
		for (; made < n; made++) {
			pid_t pid = fork();
			if (pid < 0)
				break;
			if (pid == 0) {
				close(fds[1]);
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				sleep_forever();
			}
		}
		if (write(fds[1], &made, sizeof(made)) != (ssize_t)sizeof(made))
			_exit(1);
		close(fds[1]);
		sleep_forever();
	}
	setpgid(leader, leader);
	close(fds[1]);
	ssize_t r;
	while ((r = read(fds[0], got, sizeof(*got))) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (r != (ssize_t)sizeof(*got))
		*got = 0;
	return leader;
}

static void end_group(pid_t leader)
{
	if (leader <= 0)
		return;
	killpg(leader, SIGKILL);
	/* the leader's children are ours once it dies (we are the subreaper) */
	while (waitpid(-leader, NULL, 0) > 0 || errno == EINTR)
		;
}

/* Why the machine refused n others, in a few words. */
static void limits_note(int n, int got)
{
	struct rlimit rl;
	char pids[64] = "none";

	getrlimit(RLIMIT_NPROC, &rl);
	if (!slurp("/sys/fs/cgroup/pids.max", pids, sizeof(pids)))
		strcpy(pids, "none\n");
	pids[strcspn(pids, "\n")] = '\0';
	printf("  (the machine refused more than %d of %d other processes: pid_max %ld, "
	       "ulimit -u %ld, cgroup pids.max %s; the row says how many there were)\n",
	       got, n, file_long("/proc/sys/kernel/pid_max"),
	       rl.rlim_cur == RLIM_INFINITY ? -1L : (long)rl.rlim_cur, pids);
}

/* ---- the measures -------------------------------------------------- */

/* CPU of pid over the window (after the warm-up): µs per reading at 10
 * readings a second; -1 when it could not be read. */
static double window_cost(const struct ctx *c, pid_t pid)
{
	nap(c->p->warmup);
	long long a = cpu_ns(pid);
	double t0 = now();
	nap(c->p->window);
	long long b = cpu_ns(pid);
	double t = now() - t0;
	if (a < 0 || b < a)
		return -1;
	return (double)(b - a) / 1e3 / (t * READINGS_PER_SEC);
}

/* The watched tree's arguments after "--": the small tree of that many
 * processes, or the fork bomb of the plan's generations. */
static void tree_args(const struct ctx *c, struct args *a, int tree, bool is_bomb)
{
	args_add(a, "%s", c->self);
	args_add(a, "%s", is_bomb ? "--bomb" : "--tree");
	args_add(a, "%d", is_bomb ? c->p->bomb : tree);
}

/* forkscope --headless --json watching the tree: µs per reading. */
static double headless_cost(const struct ctx *c, int tree, bool is_bomb)
{
	struct args a = { .n = 0 };

	args_add(&a, "%s", c->fs);
	args_add(&a, "--headless");
	args_add(&a, "--json");
	args_add(&a, "--interval");
	args_add(&a, "100");
	args_add(&a, "--");
	tree_args(c, &a, tree, is_bomb);
	pid_t pid = start(a.v, NULL);
	if (!pid)
		return -1;
	double cost = -1;
	if (wait_child_named(pid, "tree-ready", 60))
		cost = window_cost(c, pid);
	kill(pid, SIGTERM);
	finish(pid, 10);
	return cost;
}

/* tmux with our private socket and no configuration, then args. */
static void tmux_args(const struct ctx *c, struct args *a)
{
	args_add(a, "tmux");
	args_add(a, "-L");
	args_add(a, "%s", c->sock);
	args_add(a, "-f");
	args_add(a, "/dev/null");
}

static void tmux_kill_server(const struct ctx *c)
{
	struct args a = { .n = 0 };

	tmux_args(c, &a);
	args_add(&a, "kill-server");
	run(a.v, NULL);
	reap_exited();
}

/* Starts prog (argv after tmux's own) in a 100x30 session; the pane's
 * process (prog itself: tmux runs several arguments without a shell), or
 * 0. */
static pid_t tmux_start(const struct ctx *c, const struct args *prog)
{
	struct args a = { .n = 0 };
	char out[PATH_MAX], buf[64];

	tmux_args(c, &a);
	args_add(&a, "new-session");
	args_add(&a, "-d");
	args_add(&a, "-x");
	args_add(&a, "100");
	args_add(&a, "-y");
	args_add(&a, "30");
	args_add(&a, "-e");
	args_add(&a, "HTOPRC=%s/htoprc", c->tmp);
	args_add(&a, "-P");
	args_add(&a, "-F");
	args_add(&a, "#{pane_pid}");
	for (int i = 0; i < prog->n; i++)
		args_add(&a, "%s", prog->v[i]);
	/* the pane's PID goes to a file: tmux's server inherits the client's
	 * stdout, and a pipe would never see its end */
	snprintf(out, sizeof(out), "%s/pane", c->tmp);
	if (run(a.v, out) != 0 || !slurp(out, buf, sizeof(buf)))
		return 0;
	return (pid_t)atol(buf);
}

/* forkscope's full screen in tmux watching the tree: µs per reading. */
static double fullscreen_cost(const struct ctx *c, int tree, bool is_bomb)
{
	struct args prog = { .n = 0 };

	if (!c->have_tmux)
		return -1;
	args_add(&prog, "%s", c->fs);
	args_add(&prog, "--interval");
	args_add(&prog, "100");
	args_add(&prog, "--");
	tree_args(c, &prog, tree, is_bomb);
	pid_t pid = tmux_start(c, &prog);
	double cost = -1;
	if (pid > 0 && wait_child_named(pid, "tree-ready", 60))
		cost = window_cost(c, pid);
	if (pid > 0) {
		/* forkscope ends its tree on SIGTERM; then the server goes */
		kill(pid, SIGTERM);
		wait_gone(pid, 10);
	}
	tmux_kill_server(c);
	return cost;
}

/* A full scan: every /proc/PID/stat read once. */
static void full_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], buf[1024];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (!slurp(path, buf, sizeof(buf)))
			continue;
	}
	closedir(d);
}

static double thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* The full scan here, 10 times a second over the window: µs per scan. */
static double scan_cost(const struct ctx *c)
{
	struct timespec next;
	int n = 0;

	full_scan();
	double t0 = thread_cpu_us(), end = now() + c->p->window;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (now() < end) {
		full_scan();
		n++;
		next.tv_nsec += 1000000000L / READINGS_PER_SEC;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	return n ? (thread_cpu_us() - t0) / n : -1;
}

/* htop -d 1 -t in tmux: µs per refresh (10 a second). */
static double htop_cost(const struct ctx *c)
{
	struct args prog = { .n = 0 };

	if (!c->have_htop || !c->have_tmux || !c->p->htop)
		return -1;
	args_add(&prog, "htop");
	args_add(&prog, "-d");
	args_add(&prog, "1");
	args_add(&prog, "-t");
	pid_t pid = tmux_start(c, &prog);
	double cost = pid > 0 ? window_cost(c, pid) : -1;
	tmux_kill_server(c);
	return cost;
}

/* A standalone tree (ours, not forkscope's) for the scan and htop, so the
 * machine holds the same processes as when forkscope watches it. */
static pid_t standalone_tree(const struct ctx *c, int tree, bool is_bomb)
{
	struct args a = { .n = 0 };

	tree_args(c, &a, tree, is_bomb);
	pid_t pid = start_in(a.v, NULL, true);
	if (pid > 0) {
		/* the root renames itself once all are up */
		char path[64], comm[32] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		for (double end = now() + 60; now() < end && !stopping; nap(0.02))
			if (slurp(path, comm, sizeof(comm)) && strcmp(comm, "tree-ready\n") == 0)
				break;
	}
	return pid;
}

/* ---- the table ----------------------------------------------------- */

enum { HEADLESS, FULLSCREEN, SCAN, HTOP, NMEASURES };

struct row {
	int tree, others, others_wanted;
	double v[NMEASURES];    /* median µs per reading, -1 when not measured */
};

static double median(double *x, int n)
{
	double s[MAX_RUNS];
	int m = 0;

	for (int i = 0; i < n; i++)
		if (x[i] >= 0)
			s[m++] = x[i];
	if (m == 0)
		return -1;
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
			double t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	return m % 2 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
}

/* One run of each measure of one configuration, into x[m][r]. */
static void measure_once(const struct ctx *c, const struct row *row, bool is_bomb,
                         double x[NMEASURES][MAX_RUNS], int r)
{
	for (int m = 0; m < NMEASURES; m++)
		x[m][r] = -1;
	if (stopping)
		return;
	x[HEADLESS][r] = headless_cost(c, row->tree, is_bomb);
	x[FULLSCREEN][r] = fullscreen_cost(c, row->tree, is_bomb);
	pid_t t = standalone_tree(c, row->tree, is_bomb);
	x[SCAN][r] = scan_cost(c);
	x[HTOP][r] = htop_cost(c);
	end_group(t);
}

/* A number for the table with that many decimals, or a dash. */
static const char *cell(char *buf, size_t len, double v, int decimals)
{
	if (v < 0 || !isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

/* A number for JSON with that many decimals, or null. */
static const char *jnum(char *buf, size_t len, double v, int decimals)
{
	if (v < 0 || !isfinite(v))
		snprintf(buf, len, "null");
	else
		snprintf(buf, len, "%.*f", decimals, v);
	return buf;
}

static double ratio(double a, double b)
{
	return a >= 0 && b > 0 ? a / b : -1;
}

static void print_row(const struct row *row)
{
	char b[8][32];
	const double *v = row->v;

	printf("  %5d %7d %10s %12s %10s %10s   %8s %10s %8s\n", row->tree, row->others,
	       cell(b[0], 32, v[HEADLESS], 1), cell(b[1], 32, v[FULLSCREEN], 1),
	       cell(b[2], 32, v[SCAN], 1), cell(b[3], 32, v[HTOP], 1),
	       cell(b[4], 32, ratio(v[FULLSCREEN], v[HEADLESS]), 2),
	       cell(b[5], 32, ratio(v[SCAN], v[HEADLESS]), 1),
	       cell(b[6], 32, ratio(v[HTOP], v[HEADLESS]), 1));
}

static void json_row(const struct plan *p, const struct row *row)
{
	char b[8][32];
	const double *v = row->v;

	printf("{\"bench\":\"cost\",\"tree\":%d,\"others\":%d,\"others_wanted\":%d,\"runs\":%d,"
	       "\"window_s\":%.3g,\"headless_us\":%s,\"fullscreen_us\":%s,\"full_scan_us\":%s,"
	       "\"htop_us\":%s,\"fullscreen_x\":%s,\"full_scan_x\":%s,\"htop_x\":%s}\n",
	       row->tree, row->others, row->others_wanted, p->runs, p->window,
	       jnum(b[0], 32, v[HEADLESS], 1), jnum(b[1], 32, v[FULLSCREEN], 1),
	       jnum(b[2], 32, v[SCAN], 1), jnum(b[3], 32, v[HTOP], 1),
	       jnum(b[4], 32, ratio(v[FULLSCREEN], v[HEADLESS]), 3),
	       jnum(b[5], 32, ratio(v[SCAN], v[HEADLESS]), 3),
	       jnum(b[6], 32, ratio(v[HTOP], v[HEADLESS]), 3));
}

/* ---- peak memory after a storm ------------------------------------ */

struct rss {
	int processes;
	double peak_mib;        /* -1 when not measured */
	long events, lost, dropped;
	double seconds;
	bool complete;          /* forkscope told the storm's end in time */
};

/* Counts the lines of a file holding needle. */
static long count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	long n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!needle || strstr(line, needle))
			n++;
	fclose(f);
	return n;
}

static bool file_has(const char *path, const char *needle)
{
	return count_lines(path, needle) > 0;
}

static void rss_after_storm(const struct ctx *c, struct rss *out)
{
	struct args a = { .n = 0 };
	char file[PATH_MAX];

	*out = (struct rss){ .processes = 2 * c->p->storm_rounds, .peak_mib = -1 };
	snprintf(file, sizeof(file), "%s/storm.jsonl", c->tmp);
	args_add(&a, "%s", c->fs);
	args_add(&a, "--headless");
	args_add(&a, "--json");
	args_add(&a, "--");
	args_add(&a, "%s", c->self);
	args_add(&a, "--storm");
	args_add(&a, "%d", c->p->storm_rounds);
	double t0 = now();
	pid_t pid = start(a.v, file);
	if (!pid)
		return;
	/* forkscope has told the rename once it has handled all before it */
	for (double end = now() + 120; now() < end && !stopping; nap(0.05))
		if (file_has(file, "\"storm-done\"") || waitpid(pid, NULL, WNOHANG) == pid)
			break;
	out->seconds = now() - t0;
	/* on a machine too busy to finish in time, the peak so far, said so */
	out->complete = file_has(file, "\"storm-done\"");
	long kib = status_kib(pid, "VmHWM");
	out->peak_mib = kib > 0 ? (double)kib / 1024 : -1;
	kill(pid, SIGTERM);
	finish(pid, 10);
	out->events = count_lines(file, "\"event\"");
	out->lost = count_lines(file, "\"event\":\"lost\"");
	out->dropped = count_lines(file, "\"event\":\"dropped\"");
	unlink(file);
}

/* ---- short-lived processes caught --------------------------------- */

/* Of c->p->burst children exiting at once, how many spawn events
 * forkscope --json --events how printed (distinct PIDs whose parent is the
 * burst's root); -1 when it could not run (no connector: exit 2). */
static int caught(const struct ctx *c, const char *how)
{
	struct args a = { .n = 0 };
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/burst.jsonl", c->tmp);
	args_add(&a, "%s", c->fs);
	args_add(&a, "--headless");
	args_add(&a, "--json");
	args_add(&a, "--interval");
	args_add(&a, "100");
	args_add(&a, "--events");
	args_add(&a, "%s", how);
	args_add(&a, "--");
	args_add(&a, "%s", c->self);
	args_add(&a, "--burst");
	args_add(&a, "%d", c->p->burst);
	pid_t pid = start(a.v, file);
	if (!pid)
		return -1;
	int rc = finish(pid, 60);
	FILE *f = fopen(file, "r");
	if (rc != 0 || !f) {
		if (f)
			fclose(f);
		unlink(file);
		return -1;
	}
	static pid_t seen[MAX_PIDS];
	int nseen = 0;
	long root = -1;
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line), *ev, *p, *pp;
		if (o && json_object_object_get_ex(o, "event", &ev) &&
		    strcmp(json_object_get_string(ev), "spawn") == 0 &&
		    json_object_object_get_ex(o, "pid", &p) &&
		    json_object_object_get_ex(o, "ppid", &pp)) {
			long kid = json_object_get_int64(p), parent = json_object_get_int64(pp);
			if (parent == pid && root < 0)
				root = kid;
			else if (parent == root && nseen < MAX_PIDS) {
				bool dup = false;
				for (int i = 0; i < nseen && !dup; i++)
					dup = seen[i] == kid;
				if (!dup)
					seen[nseen++] = (pid_t)kid;
			}
		}
		json_object_put(o);
	}
	fclose(f);
	unlink(file);
	return nseen;
}

/* ---- goals ---------------------------------------------------------- */

/* The JSON lines, printed together after the tables. */
struct jsonl {
	char line[16][512];
	int n;
};

static void jsonl_add(struct jsonl *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jsonl_add(struct jsonl *j, const char *fmt, ...)
{
	va_list ap;

	if (j->n >= 16)
		return;
	va_start(ap, fmt);
	vsnprintf(j->line[j->n++], sizeof(j->line[0]), fmt, ap);
	va_end(ap);
}

/* One goal: printed with its verdict, and kept as a JSON line.  met is -1
 * when it could not be measured. */
static void goal(struct jsonl *j, const char *what, double value, const char *unit,
                 const char *target, int met)
{
	char b[32];

	printf("  %-52s %8s %-3s  %-6s %s\n", what, cell(b, sizeof(b), value, 1), unit, target,
	       met < 0 ? "not measured" : met ? "met" : "NOT MET");
	jsonl_add(j, "{\"bench\":\"goal\",\"goal\":\"%s\",\"value\":%s,\"target\":\"%s\",\"met\":%s}",
	          what, jnum(b, sizeof(b), value, 3), target, met < 0 ? "null" : met ? "true" : "false");
}

static const struct row *find_row(const struct row *rows, int n, int tree, int others)
{
	for (int i = 0; i < n; i++)
		if (rows[i].tree == tree && rows[i].others_wanted == others)
			return &rows[i];
	return NULL;
}

static void goals(struct jsonl *j, const struct plan *p, const struct row *rows, int n,
                  const struct rss *rss)
{
	const struct row *r2 = find_row(rows, n, p->tree, 2000);
	const struct row *r5 = find_row(rows, n, p->tree, 5000);
	double x;

	printf("\nGoals (issue 11, this 2-core machine):\n");
	x = r2 ? ratio(r2->v[HTOP], r2->v[HEADLESS]) : -1;
	goal(j, "htop / headless, 2,000 others (at least 50)", x, "x", ">= 50", x < 0 ? -1 : x >= 50);
	x = r2 ? ratio(r2->v[HTOP], r2->v[FULLSCREEN]) : -1;
	goal(j, "htop / full screen, 2,000 others (at least 30)", x, "x", ">= 30", x < 0 ? -1 : x >= 30);
	const char *names[] = { "headless", "full screen" };
	for (int m = HEADLESS; m <= FULLSCREEN; m++) {
		char what[96];
		/* both trees: the small one is the issue's, the bomb the same claim */
		for (int t = 0; t < 2; t++) {
			int tree = t == 0 ? p->tree : 1 << p->bomb;
			const struct row *a = find_row(rows, n, tree, 0);
			const struct row *b = t == 0 ? r5 : find_row(rows, n, tree, 5000);
			double ch = a && b && a->v[m] > 0 && b->v[m] >= 0 ? 100 * (b->v[m] / a->v[m] - 1) : NAN;
			snprintf(what, sizeof(what), "%s, tree %d: change from 0 to 5,000 others", names[m],
			         tree);
			bool ok = isfinite(ch);
			goal(j, what, ok ? fabs(ch) : -1, "%", "< 20", ok ? fabs(ch) < 20 : -1);
		}
	}
	goal(j, "peak RSS after ten minutes' worth of events", rss->peak_mib, "MiB", "< 10",
	     rss->peak_mib < 0 ? -1 : rss->peak_mib < 10);
}

/* ---- main ------------------------------------------------------------ */

/* build/bench/bench_cost: forkscope is build/forkscope. */
static bool find_programs(struct ctx *c)
{
	ssize_t n = readlink("/proc/self/exe", c->self, sizeof(c->self) - 1);

	if (n <= 0)
		return false;
	c->self[n] = '\0';
	snprintf(c->fs, sizeof(c->fs), "%s", c->self);
	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(c->fs, '/');
		if (slash)
			*slash = '\0';
	}
	size_t len = strlen(c->fs);
	snprintf(c->fs + len, sizeof(c->fs) - len, "/forkscope");
	return access(c->fs, X_OK) == 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_cost [--quick]  (make bench runs it; --quick is the small "
	                "case make test runs)\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--tree") == 0)
		return tree(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--bomb") == 0)
		return bomb(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--storm") == 0)
		return storm(atoi(argv[2]));
	if (argc == 3 && strcmp(argv[1], "--burst") == 0)
		return burst(atoi(argv[2]));
	bool quick = argc == 2 && strcmp(argv[1], "--quick") == 0;
	if (argc > 1 && !quick) {
		usage();
		return 2;
	}
	/* ten minutes of the busiest demo (fork-bomb, 9 generations: 512
	 * processes in 22 s at classroom pace) back to back is 28 runs, 14,336
	 * processes: 7,168 rounds of two */
	const struct plan full = { .tree = 64, .bomb = 9, .loads = { 0, 2000, 5000 }, .nloads = 3,
	                           .runs = 5, .warmup = 2.0, .window = 2.5, .htop = true,
	                           .storm_rounds = 7168, .burst = 300 };
	const struct plan small = { .quick = true, .tree = 4, .bomb = 3, .loads = { 0 }, .nloads = 1,
	                            .runs = 1, .warmup = 0.2, .window = 0.3, .htop = false,
	                            .storm_rounds = 100, .burst = 300 };
	struct ctx c = { .p = quick ? &small : &full };
	const struct plan *p = c.p;

	if (!find_programs(&c)) {
		fprintf(stderr, "bench_cost: %s is not built (run make)\n", c.fs);
		return 1;
	}
	snprintf(c.tmp, sizeof(c.tmp), "/tmp/fs-bench-XXXXXX");
	if (!mkdtemp(c.tmp)) {
		fprintf(stderr, "bench_cost: cannot make a folder in /tmp (%s)\n", strerror(errno));
		return 1;
	}
	snprintf(c.sock, sizeof(c.sock), "fs-bench-%d", (int)getpid());
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	setenv("TERM", "xterm-256color", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("TMUX");
	c.have_tmux = on_path("tmux");
	c.have_htop = on_path("htop");
	double t_start = now();

	printf("What a reading costs forkscope, against a full /proc scan and htop: CPU µs per "
	       "reading\n(10 readings a second; schedstat nanoseconds over %.1f s windows after a "
	       "%.1f s warm-up; median of %d run%s)\n", p->window, p->warmup, p->runs,
	       p->runs == 1 ? "" : "s");
	if (!c.have_tmux)
		printf("  (no tmux: the full screen and htop are not measured; install tmux)\n");
	else if (!c.have_htop && p->htop)
		printf("  (htop is not installed: install it to compare, e.g. apt-get install htop)\n");
	printf("\n  %5s %7s %10s %12s %10s %10s   %8s %10s %8s\n", "", "other", "forkscope",
	       "forkscope", "full", "htop", "full scr.", "full scan", "htop");
	printf("  %5s %7s %10s %12s %10s %10s   %8s %10s %8s\n", "tree", "procs", "headless",
	       "full screen", "scan", "-d 1 -t", "/headless", "/headless", "/headless");
	fflush(stdout);
	/* Run after run, every configuration once: the other processes are
	 * made again for each, so that a drift of the machine over the
	 * minutes this takes hits every row alike (the change from 0 to 5,000
	 * others is a goal), not the rows measured first. */
	enum { MAX_ROWS = 8 };
	struct row rows[MAX_ROWS];
	double x[MAX_ROWS][NMEASURES][MAX_RUNS];
	int nrows = 2 * p->nloads;
	for (int l = 0; l < p->nloads; l++)
		for (int t = 0; t < 2; t++)
			rows[2 * l + t] = (struct row){ .tree = t == 0 ? p->tree : 1 << p->bomb,
			                                .others = p->loads[l],
			                                .others_wanted = p->loads[l] };
	for (int r = 0; r < p->runs && !stopping; r++) {
		fprintf(stderr, "  (run %d of %d)\n", r + 1, p->runs);
		for (int l = 0; l < p->nloads && !stopping; l++) {
			int got = 0;
			pid_t group = others(p->loads[l], &got);
			if (got < p->loads[l] && r == 0)
				limits_note(p->loads[l], got);
			for (int t = 0; t < 2; t++) {
				struct row *row = &rows[2 * l + t];
				if (got < row->others)
					row->others = got;
				measure_once(&c, row, t == 1, x[2 * l + t], r);
			}
			end_group(group);
		}
	}
	for (int i = 0; i < nrows; i++) {
		for (int m = 0; m < NMEASURES; m++)
			rows[i].v[m] = median(x[i][m], p->runs);
		print_row(&rows[i]);
	}
	fflush(stdout);
	printf("  (tree %d: %d sleepers; tree %d: the fork bomb, %d generations; ratios are "
	       "of the medians)\n", p->tree, p->tree, 1 << p->bomb, p->bomb);

	struct rss rss = { .peak_mib = -1 };
	if (stopping)
		goto cleanup;
	rss_after_storm(&c, &rss);
	printf("\nPeak memory (VmHWM) of forkscope --headless --json, --memory default, after "
	       "%d processes\n(28 back-to-back runs of fork-bomb at 9 generations, ten minutes "
	       "at classroom pace; forks,\nexits, zombies, orphans, an exec in four) done in "
	       "%.1f s: ", rss.processes, rss.seconds);
	char b[32];
	printf("%s MiB (%ld events%s)\n", cell(b, sizeof(b), rss.peak_mib, 1), rss.events,
	       rss.lost > 0 ? ", some lost by the kernel's socket" : "");
	if (quick)
		printf("  (--quick: %d processes, not ten minutes' worth)\n", rss.processes);
	if (!rss.complete)
		printf("  (forkscope had not told the end of the storm after 120 s: the machine is "
		       "busy; this is the peak so far)\n");

	if (stopping)
		goto cleanup;
	int got_conn = caught(&c, "connector"), got_poll = caught(&c, "poll");
	printf("\nShort-lived processes caught: %d children that _exit() at once, the spawn events "
	       "in the JSON\n", p->burst);
	printf("  --events connector %5s / %d%s\n", cell(b, sizeof(b), got_conn, 0), p->burst,
	       got_conn < 0 ? "  (the connector could not be opened here)" : "");
	printf("  --events poll      %5s / %d\n", cell(b, sizeof(b), got_poll, 0), p->burst);

	struct jsonl j = { .n = 0 };
	goals(&j, p, rows, nrows, &rss);

	printf("\nJSON lines:\n");
	for (int i = 0; i < nrows; i++)
		json_row(p, &rows[i]);
	printf("{\"bench\":\"rss\",\"complete\":%s,\"processes\":%d,\"events\":%ld,\"lost\":%ld,\"dropped\":%ld,"
	       "\"seconds\":%.1f,\"peak_rss_mib\":%s}\n", rss.complete ? "true" : "false", rss.processes, rss.events, rss.lost,
	       rss.dropped, rss.seconds, jnum(b, sizeof(b), rss.peak_mib, 2));
	printf("{\"bench\":\"caught\",\"events\":\"connector\",\"caught\":%s,\"of\":%d}\n",
	       jnum(b, sizeof(b), got_conn, 0), p->burst);
	printf("{\"bench\":\"caught\",\"events\":\"poll\",\"caught\":%s,\"of\":%d}\n",
	       jnum(b, sizeof(b), got_poll, 0), p->burst);
	for (int i = 0; i < j.n; i++)
		printf("%s\n", j.line[i]);
	printf("bench_cost took %.0f s\n", now() - t_start);
	fflush(stdout);

cleanup:
	tmux_kill_server(&c);
	end_all_children();
	char path[PATH_MAX];
	/* tmux leaves its socket behind */
	const char *tdir = getenv("TMUX_TMPDIR");
	snprintf(path, sizeof(path), "%s/tmux-%d/%s", tdir && *tdir ? tdir : "/tmp", (int)getuid(),
	         c.sock);
	unlink(path);
	snprintf(path, sizeof(path), "%s/pane", c.tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/htoprc", c.tmp);
	unlink(path);
	rmdir(c.tmp);
	if (stopping) {
		fprintf(stderr, "bench_cost: stopped; everything it started is ended\n");
		return 130;
	}
	return 0;
}
