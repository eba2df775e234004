/*
 * helpers.c - running forkscope under test, and the survivors check.
 */
#include "helpers.h"

#include <errno.h>
#include <linux/sched.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launcher.h"
#include "procfs.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void helpers_subreaper(void)
{
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0, "cannot become a subreaper");
}

size_t children_of(pid_t pid, int threads, pid_t *kids, size_t max)
{
	unsigned long long start = 0;
	struct pidvec pv = { 0 };
	int dir = procfs_open(pid, &start, NULL);

	if (dir < 0)
		return 0;
	procfs_children_at(dir, pid, threads, &pv);
	close(dir);
	size_t n = pv.n < max ? pv.n : max;
	if (n)
		memcpy(kids, pv.v, n * sizeof(*kids));
	pidvec_free(&pv);
	return n;
}

void helpers_cleanup(void)
{
	launcher_kill_all();
}

void helpers_assert_nothing_left(void)
{
	pid_t kids[256];
	int status;

	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	size_t n = children_of(getpid(), 0, kids, 256);
	char names[1024] = "";
	for (size_t i = 0; i < n; i++) {
		char path[64], comm[64] = "";
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)kids[i]);
		FILE *f = fopen(path, "r");
		if (f) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		size_t len = strlen(names);
		snprintf(names + len, sizeof(names) - len, " %d(%s)", (int)kids[i], comm);
		kill(kids[i], SIGKILL);
	}
	while (waitpid(-1, &status, 0) > 0)
		;
	cr_assert_eq(n, 0, "processes of ours survived the run:%s", names);
}

/* Appends to a buffer that doubles as it grows: a flood of output is read
 * in linear time, sanitizers included. */
static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void parse_lines(struct run *r)
{
	char *save = NULL, *copy = strdup(r->out);

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (r->skip_output && strstr(line, "\"event\":\"output\""))
			continue;
		struct json_object *o = json_tokener_parse(line);
		if (!o || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			continue;
		}
		r->ev = realloc(r->ev, (r->nev + 1) * sizeof(*r->ev));
		r->ev[r->nev++] = o;
	}
	free(copy);
}

void run_start(struct run *r, const char *const *argv)
{
	run_start_env(r, argv, NULL);
}

/* Whether the environment entry entry ("NAME=VALUE") is named by change
 * ("NAME=..." or "NAME"). */
static bool env_names(const char *entry, const char *change)
{
	size_t n = strcspn(change, "=");
	return strncmp(entry, change, n) == 0 && entry[n] == '=';
}

char **env_with(const char *const *changes)
{
	extern char **environ;
	size_t have = 0, more = 0, n = 0;

	while (environ[have])
		have++;
	while (changes && changes[more])
		more++;
	char **env = calloc(have + more + 1, sizeof(*env));
	cr_assert_not_null(env);
	for (size_t i = 0; i < have; i++) {
		bool changed = false;
		for (size_t k = 0; k < more && !changed; k++)
			changed = env_names(environ[i], changes[k]);
		if (!changed)
			env[n++] = strdup(environ[i]);
	}
	for (size_t k = 0; k < more; k++)
		if (strchr(changes[k], '='))
			env[n++] = strdup(changes[k]);
	env[n] = NULL;
	return env;
}

void env_free(char **env)
{
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

void run_program(struct run *r, const char *const *argv, const struct run_how *how)
{
	static const struct run_how plain = { 0 };
	int out[2], err[2];
	char *args[64];
	size_t n = 0;

	if (!how)
		how = &plain;
	memset(r, 0, sizeof(*r));
	const char *slash = strrchr(argv[0], '/');
	snprintf(r->what, sizeof(r->what), "%s", slash ? slash + 1 : argv[0]);
	r->text = how->text;
	/* exec wants writable strings: copies, made before the fork, as the
	 * environment is (the child must not allocate) */
	for (; argv[n] && n < 63; n++)
		args[n] = strdup(argv[n]);
	args[n] = NULL;
	char **envp = env_with(how->env);
	char slave[128] = "";
	if (how->tty) {
		out[0] = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		out[1] = -1;
		cr_assert_geq(out[0], 0);
		cr_assert_eq(grantpt(out[0]), 0);
		cr_assert_eq(unlockpt(out[0]), 0);
		cr_assert_eq(ptsname_r(out[0], slave, sizeof(slave)), 0);
		struct winsize ws = { .ws_row = 24, .ws_col = 80 };
		cr_assert_eq(ioctl(out[0], TIOCSWINSZ, &ws), 0);
	} else {
		cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	}
	cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork failed");
	if (pid == 0) {
		if (how->tty) {
			setsid();   /* the pty becomes its controlling terminal */
			int fd = open(slave, O_RDWR | O_CLOEXEC);
			if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
				_exit(126);
		} else if (dup2(out[1], 1) < 0) {
			_exit(126);
		}
		if (dup2(how->merged ? 1 : err[1], 2) < 0)
			_exit(126);
		if (how->before && !how->before(how->arg))
			_exit(126);
		execvpe(args[0], args, envp);
		_exit(127);
	}
	r->pid = pid;
	env_free(envp);
	for (size_t i = 0; i < n; i++)
		free(args[i]);
	if (out[1] >= 0)
		close(out[1]);
	close(err[1]);
	r->fd_out = out[0];
	r->fd_err = err[0];
	r->out = calloc(1, 1);
	r->err = calloc(1, 1);
	r->ocap = r->ecap = 1;
}

/* argv with FORKSCOPE_BIN before it, in words (room for 64). */
static void with_forkscope(const char *const *argv, const char **words)
{
	size_t n = 0;

	words[n++] = FORKSCOPE_BIN;
	for (; argv[n - 1] && n < 63; n++)
		words[n] = argv[n - 1];
	words[n] = NULL;
}

void run_start_how(struct run *r, const char *const *argv, const struct run_how *how)
{
	const char *words[64];

	with_forkscope(argv, words);
	run_program(r, words, how);
}

void run_start_env(struct run *r, const char *const *argv, const char *const *env)
{
	run_start_how(r, argv, &(struct run_how){ .env = env });
}

/* Reads what is there until deadline or until done(r) holds or both pipes
 * end; returns whether done held. */
static bool pump(struct run *r, double deadline, bool (*done)(const struct run *, void *),
                 void *arg)
{
	struct pollfd p[2] = { { .fd = r->fd_out, .events = POLLIN }, { .fd = r->fd_err, .events = POLLIN } };

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (done && done(r, arg))
			return true;
		double left = deadline - now();
		if (left <= 0)
			return false;
		if (poll(p, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return false;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t got = read(p[i].fd, buf, sizeof(buf));
			if (got <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (i == 0) {
				append(&r->out, &r->olen, &r->ocap, buf, (size_t)got);
			} else {
				append(&r->err, &r->elen, &r->ecap, buf, (size_t)got);
			}
		}
		r->fd_out = p[0].fd;
		r->fd_err = p[1].fd;
	}
	return done ? done(r, arg) : true;
}

struct wanted {
	const char *needle;
	int count;
	int found;
	size_t from;        /* scanned up to here: each byte is looked at once */
};

static bool has_count(const struct run *r, void *arg)
{
	struct wanted *want = arg;
	size_t len = strlen(want->needle);

	for (const char *s = r->out + want->from; (s = strstr(s, want->needle)); s++) {
		want->found++;
		want->from = (size_t)(s - r->out) + 1;
	}
	/* a needle cut at the end of what came so far is found next time */
	if (r->olen >= len && r->olen - len + 1 > want->from)
		want->from = r->olen - len + 1;
	return want->found >= want->count;
}

bool run_read_until(struct run *r, const char *needle, int count, double timeout)
{
	struct wanted want = { needle, count, 0, 0 };

	return pump(r, now() + timeout, has_count, &want);
}

void run_finish(struct run *r, double timeout)
{
	bool ended = pump(r, now() + timeout, NULL, NULL) && r->fd_out < 0 && r->fd_err < 0;

	if (!ended)
		kill(r->pid, SIGKILL);
	if (r->fd_out >= 0)
		close(r->fd_out);
	if (r->fd_err >= 0)
		close(r->fd_err);
	r->fd_out = r->fd_err = -1;
	int status;
	while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (!r->text)
		parse_lines(r);
	cr_assert(ended, "%s ran longer than %.0f s; stdout so far:\n%s", r->what, timeout, r->out);
}

void run_forkscope(struct run *r, double timeout, const char *const *argv)
{
	run_start(r, argv);
	run_finish(r, timeout);
}

void run_forkscope_env(struct run *r, double timeout, const char *const *argv,
                       const char *const *env)
{
	run_start_env(r, argv, env);
	run_finish(r, timeout);
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nev; i++)
		json_object_put(r->ev[i]);
	free(r->ev);
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

struct json_object *run_event(const struct run *r, const char *type, size_t i)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), type) == 0 && i-- == 0)
			return r->ev[k];
	return NULL;
}

size_t run_count(const struct run *r, const char *type)
{
	size_t n = 0;

	for (size_t k = 0; k < r->nev; k++)
		n += strcmp(jstr(r->ev[k], "event"), type) == 0;
	return n;
}

struct json_object *run_find(const struct run *r, const char *type, const char *key, long value)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), type) == 0 && jint(r->ev[k], key) == value)
			return r->ev[k];
	return NULL;
}

struct json_object *run_output(const struct run *r, const char *needle)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), "output") == 0 &&
		    strstr(jstr(r->ev[k], "text"), needle))
			return r->ev[k];
	return NULL;
}

long jint(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return -1;
	return (long)json_object_get_int64(v);
}

double jnum(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return -1;
	return json_object_get_double(v);
}

bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && v && json_object_get_boolean(v);
}

const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

bool wait_until(bool (*cond)(void *arg), void *arg, double timeout)
{
	double deadline = now() + timeout;

	for (;;) {
		if (cond(arg))
			return true;
		if (now() > deadline)
			return false;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

char proc_state(pid_t pid)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

pid_t fork_with_pid(pid_t want)
{
	struct clone_args args;
	pid_t tid = want;

	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	args.set_tid = (unsigned long long)(uintptr_t)&tid;
	args.set_tid_size = 1;
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		return 0;
	cr_assert_eq(pid, want, "clone3 with set_tid %d failed (%s): the test needs root", (int)want,
	             strerror(errno));
	return (pid_t)pid;
}

void temp_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/forkscope-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
}

void remove_dir(const char *dir)
{
	char cmd[512];
	/* the folder is ours, made by mkdtemp: its files are the case's */
	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		buf = strdup("");
		n = 0;
	}
	if (len)
		*len = (size_t)n;
	return buf;
}
