/*
 * test_limit.c - the fork bomb that hits a wall (forkscope --limit N
 * fork-bomb), through the real forkscope, headless JSON: it reaches its
 * limit and never passes it, its forks fail with EAGAIN, and nothing is
 * left after it (no process, no cgroup folder), even after SIGTERM in the
 * middle of the run.  And the refusals of --limit (exit 2), the refusal
 * where no limit can be had (root with the cgroups unmounted, in a mount
 * namespace of the test's), and RLIMIT_NPROC for an ordinary user (uid
 * 65534).
 *
 * They need what CI has: root, and a pids cgroup (v1 or v2) forkscope may
 * write in.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(limit, .timeout = 90, .fini = helpers_cleanup);

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The folder of the cgroup forkscope (PID fs) made, from the cgroup of a
 * process inside it (pid); false when pid is in none of forkscope's. */
static bool cgroup_folder(pid_t fs, pid_t pid, char *out, size_t len)
{
	char path[64], line[PATH_MAX], mark[48];

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	snprintf(mark, sizeof(mark), "/forkscope-%d-", (int)fs);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *rel = strchr(line, ':');
		rel = rel ? strchr(rel + 1, ':') : NULL;
		if (!rel || !strstr(rel, mark))
			continue;
		rel++;
		/* where the hierarchies are mounted on a machine like CI's */
		static const char *const roots[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup",
		                                     "/sys/fs/cgroup/unified" };
		for (size_t i = 0; i < 3 && !found; i++) {
			snprintf(out, len, "%s%s/pids.max", roots[i], rel);
			if (access(out, F_OK) == 0) {
				snprintf(out, len, "%s%s", roots[i], rel);
				found = true;
			}
		}
	}
	fclose(f);
	return found;
}

static long read_number(const char *dir, const char *file)
{
	char path[PATH_MAX + 32];
	long v = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* The first process of the bomb: forkscope's child. */
static pid_t bomb_root(pid_t fs)
{
	pid_t kids[4];

	return children_of(fs, 1, kids, 4) == 1 ? kids[0] : 0;
}

/* Whether the cgroup folder dir is still there. */
static bool folder_left(const char *dir)
{
	return access(dir, F_OK) == 0;
}

/* Checks a whole run of the limited bomb with a limit of n. */
static void check_wall(const struct run *r, long n)
{
	cr_assert_eq(r->status, 0, "exit code %d; stderr: %s", r->status, r->err);
	struct json_object *end = r->ev[r->nev - 1];
	cr_assert_str_eq(jstr(end, "event"), "end");
	/* every process the bomb had, alive at once at the wall, and never one
	 * more: the demo keeps none for itself */
	cr_assert_eq(jint(end, "max_alive"), n, "at most %ld alive, got %ld", n,
	             jint(end, "max_alive"));
	cr_assert_eq(run_count(r, "spawn"), (size_t)n, "%ld processes made, got %zu", n,
	             run_count(r, "spawn"));
	cr_assert_eq(run_count(r, "spawn"), run_count(r, "reap"), "every one reaped");
	/* the first fork() that failed says so, and at exactly n */
	struct json_object *wall = run_output(r, "EAGAIN");
	cr_assert_not_null(wall, "a failed fork() is printed: %s", r->out);
	char want[64];
	snprintf(want, sizeof(want), "at %ld processes", n);
	cr_assert(strstr(jstr(wall, "text"), want), "'%s' should say '%s'", jstr(wall, "text"),
	          want);
	cr_assert_not_null(run_output(r, "not even a shell"), "what a real bomb does");
	cr_assert_not_null(run_output(r, "all children reaped, done"));
}

/* Starts forkscope with argv and waits until the bomb stands at its wall
 * (a fork() failed): dir gets the cgroup folder forkscope made for it. */
static void start_at_wall(struct run *r, const char *const *argv, char *dir, size_t len)
{
	run_start(r, argv);
	cr_assert(run_read_until(r, "EAGAIN", 1, 30), "no fork() failed: %s", r->out);
	pid_t root = bomb_root(r->pid);
	cr_assert_gt(root, 0);
	cr_assert(cgroup_folder(r->pid, root, dir, len), "the bomb is in a cgroup of forkscope's");
}

CASE(limit, bomb_reaches_its_limit_and_no_more)
{
	struct run r;
	/* (--no-pid1: the wall alone, the bomb under forkscope itself) */
	const char *argv[] = { "--json", "--no-pid1", "--tempo", "0.2", "--limit", "16", "fork-bomb",
	                       NULL };
	char dir[PATH_MAX];
	/* while it stands at the wall: the cgroup holds 16, its ceiling */
	start_at_wall(&r, argv, dir, sizeof(dir));
	cr_assert_eq(read_number(dir, "pids.max"), 16);
	long now = read_number(dir, "pids.current");
	cr_assert(now >= 1 && now <= 16, "pids.current %ld", now);
	run_finish(&r, 60);
	check_wall(&r, 16);
	cr_assert_not(folder_left(dir), "%s is removed after the run", dir);
	run_free(&r);
}

CASE(limit, fork_wall_has_64_by_default)
{
	struct run r;
	const char *argv[] = { "--json", "--no-pid1", "--tempo", "0.1", "fork-wall", NULL };
	run_forkscope(&r, 60, argv);
	check_wall(&r, 64);
	run_free(&r);
}

CASE(limit, sigterm_at_the_wall_leaves_nothing)
{
	struct run r;
	const char *argv[] = { "--json", "--no-pid1", "--tempo", "1", "--limit", "32", "fork-bomb",
	                       NULL };
	char dir[PATH_MAX];
	start_at_wall(&r, argv, dir, sizeof(dir));
	cr_assert_eq(read_number(dir, "pids.current"), 32, "the bomb stands at its wall");
	kill(r.pid, SIGTERM);
	run_finish(&r, 30);
	cr_assert_eq(r.status, 128 + SIGTERM, "exit %d, stderr: %s", r.status, r.err);
	/* CASE() fails on any process left; and the cgroup is gone */
	cr_assert_not(folder_left(dir), "%s is removed after SIGTERM", dir);
	run_free(&r);
}

/* Whether the process *(long *)arg is gone or a zombie (dead, waiting to
 * be reaped by the test, forkscope's subreaper). */
static bool dead(void *arg)
{
	char st = proc_state((pid_t)*(long *)arg);
	return st == 0 || st == 'Z';
}

/* The bomb with no bound runs in a PID namespace of its own by default:
 * even forkscope killed outright (SIGKILL, no teardown at all) leaves none
 * of it, since init dies with forkscope and the kernel ends the namespace. */
CASE(limit, sigkill_at_the_wall_leaves_nothing_in_a_namespace)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "1", "fork-wall", NULL };
	run_start(&r, argv);
	cr_assert(run_read_until(&r, "EAGAIN", 1, 30), "no fork() failed: %s", r.out);
	kill(r.pid, SIGKILL);
	run_finish(&r, 30);
	cr_assert_eq(r.status, 128 + SIGKILL);
	struct json_object *first = run_event(&r, "spawn", 0);
	cr_assert(first && jint(first, "host_pid") > 0, "in a namespace: host PIDs beside");
	cr_assert_gt(run_count(&r, "spawn"), 32, "the bomb stood at its wall");
	/* every process the run told of, by its host PID, is gone (CASE()
	 * also fails on any process left under the test) */
	for (size_t i = 0; i < r.nev; i++) {
		long host = jint(r.ev[i], "host_pid");
		if (host > 0 && strcmp(jstr(r.ev[i], "event"), "spawn") == 0)
			cr_assert(wait_until(dead, &host, 5), "%ld outlived forkscope", host);
	}
	run_free(&r);
}

static void expect_refused(const char *want, const char *const *argv)
{
	struct run r;
	run_forkscope(&r, 10, argv);
	cr_assert_eq(r.status, 2, "exit code %d; stderr: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.err), 1, "one line on stderr, got:\n%s", r.err);
	cr_assert(strncmp(r.err, "forkscope: ", 11) == 0, "%s", r.err);
	cr_assert(strstr(r.err, want), "stderr '%s' should say '%s'", r.err, want);
	cr_assert_str_eq(r.out, "", "nothing ran, nothing printed");
	run_free(&r);
}

CASE(limit, refusals)
{
	const char *other[] = { "--json", "--limit", "16", "zombie", NULL };
	expect_refused("--limit is for the fork-bomb scenario, not 'zombie'", other);
	const char *one[] = { "--json", "--limit", "1", "fork-bomb", NULL };
	expect_refused("from 2 to 512, not '1'", one);
	const char *big[] = { "--json", "--limit", "513", "fork-bomb", NULL };
	expect_refused("from 2 to 512, not '513'", big);
	const char *word[] = { "--json", "--limit", "lots", "fork-bomb", NULL };
	expect_refused("not 'lots'", word);
	const char *command[] = { "--json", "--limit", "16", "--", "true", NULL };
	expect_refused("not a command", command);
	const char *none[] = { "--json", "--limit", "16", NULL };
	expect_refused("--limit is for the fork-bomb scenario: name it", none);
	const char *rounds[] = { "--json", "--limit", "16", "--generations", "3", "fork-bomb",
	                         NULL };
	expect_refused("use one of them", rounds);
	const char *attach[] = { "--json", "--limit", "16", "-p", "1", NULL };
	expect_refused("not for -p", attach);
}

/* How forkscope is started by run_changed(). */
enum change {
	NO_CGROUPS,       /* in a mount namespace with /sys/fs/cgroup unmounted */
	AS_NOBODY,        /* as uid and gid 65534 (no cgroup it may write) */
};

/* Runs forkscope with argv (after argv[0]) changed so, stdout and stderr
 * into out and err (as much as fits); returns its exit code, or -1 when
 * it did not end within timeout seconds (it is killed then). */
static int run_changed(enum change how, const char *const *argv, char *out, size_t outlen,
                       char *err, size_t errlen, double timeout)
{
	int po[2], pe[2];
	char *args[16] = { NULL };
	size_t n = 0;

	args[n++] = strdup(FORKSCOPE_BIN);
	for (; argv[n - 1] && n < 15; n++)
		args[n] = strdup(argv[n - 1]);
	args[n] = NULL;
	/* set here: a child must not allocate (setenv() does) */
	setenv("LANGUAGE", "en", 1);
	cr_assert_eq(pipe(po), 0);
	cr_assert_eq(pipe(pe), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (how == NO_CGROUPS &&
		    (unshare(CLONE_NEWNS) != 0 ||
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		     umount2("/sys/fs/cgroup", MNT_DETACH) != 0))
			_exit(99);
		if (how == AS_NOBODY && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
		                         setresuid(65534, 65534, 65534) != 0))
			_exit(99);
		/* somewhere nobody may be */
		if (chdir("/") != 0)
			_exit(99);
		execv(FORKSCOPE_BIN, args);
		_exit(98);
	}
	for (size_t i = 0; i < n; i++)
		free(args[i]);
	close(po[1]);
	close(pe[1]);
	size_t got_out = 0, got_err = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* read both to their end: the program closes them when it exits */
	for (int open_fds = 2; open_fds > 0;) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 > timeout) {
			kill(pid, SIGKILL);
			break;
		}
		fd_set rd;
		FD_ZERO(&rd);
		if (po[0] >= 0)
			FD_SET(po[0], &rd);
		if (pe[0] >= 0)
			FD_SET(pe[0], &rd);
		struct timeval tv = { 0, 100000 };
		if (select((po[0] > pe[0] ? po[0] : pe[0]) + 1, &rd, NULL, NULL, &tv) <= 0)
			continue;
		int *fds[2] = { &po[0], &pe[0] };
		char *bufs[2] = { out, err };
		size_t *gots[2] = { &got_out, &got_err }, lens[2] = { outlen, errlen };
		for (int i = 0; i < 2; i++) {
			if (*fds[i] < 0 || !FD_ISSET(*fds[i], &rd))
				continue;
			char chunk[4096];
			ssize_t r = read(*fds[i], chunk, sizeof(chunk));
			if (r <= 0) {
				close(*fds[i]);
				*fds[i] = -1;
				open_fds--;
				continue;
			}
			size_t room = lens[i] - 1 - *gots[i];
			size_t take = (size_t)r < room ? (size_t)r : room;
			memcpy(bufs[i] + *gots[i], chunk, take);
			*gots[i] += take;
		}
	}
	out[got_out] = '\0';
	err[got_err] = '\0';
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cr_assert(!(WIFEXITED(status) && WEXITSTATUS(status) >= 98),
	          "the test could not set up the run (%d)", WEXITSTATUS(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Root with no cgroup to write in: RLIMIT_NPROC would not hold for root,
 * so the wall cannot be built, and the run is refused before it starts. */
CASE(limit, refused_where_no_limit_can_be_had)
{
	static char out[4096], err[4096];
	const char *argv[] = { "--json", "--limit", "8", "fork-bomb", NULL };
	int rc = run_changed(NO_CGROUPS, argv, out, sizeof(out), err, sizeof(err), 20);
	cr_assert_eq(rc, 2, "exit %d; stderr: %s", rc, err);
	cr_assert_eq(count_lines(err), 1, "one line: %s", err);
	cr_assert(strstr(err, "no process limit can be set here"), "%s", err);
	cr_assert(strstr(err, "RLIMIT_NPROC does not hold for root"), "%s", err);
	cr_assert_str_eq(out, "", "nothing started");
}

/* An ordinary user, who may write in no cgroup: RLIMIT_NPROC in a user
 * namespace of the demo's own is the wall, at exactly N. */
CASE(limit, ordinary_user_gets_rlimit_nproc)
{
	static char out[1 << 20], err[4096];
	const char *argv[] = { "--json", "--events", "poll", "--tempo", "0.2", "--limit", "12",
	                       "fork-bomb", NULL };
	int rc = run_changed(AS_NOBODY, argv, out, sizeof(out), err, sizeof(err), 60);
	cr_assert_eq(rc, 0, "exit %d; stderr: %s", rc, err);
	cr_assert(strstr(out, "EAGAIN) at 12 processes"), "the wall at 12:\n%s", out);
	cr_assert(strstr(out, "\"max_alive\":12,"), "at most 12 alive:\n%s",
	          strstr(out, "\"event\":\"end\"") ? strstr(out, "\"event\":\"end\"") : out);
}
