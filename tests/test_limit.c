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

/* forkscope in a mount namespace with /sys/fs/cgroup unmounted, and
 * somewhere nobody may be (run_how's before()). */
static bool no_cgroups(const void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWNS) == 0 && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       umount2("/sys/fs/cgroup", MNT_DETACH) == 0 && chdir("/") == 0;
}

/* forkscope as uid and gid 65534, who may write in no cgroup. */
static bool as_nobody(const void *arg)
{
	(void)arg;
	return setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 &&
	       setresuid(65534, 65534, 65534) == 0 && chdir("/") == 0;
}

/* Runs forkscope with argv so changed, in English, to its end (killed
 * and failed after timeout seconds). */
static void run_changed(struct run *r, bool (*change)(const void *), const char *const *argv,
                        double timeout)
{
	run_start_how(r, argv, &(struct run_how){ .env = (const char *const[]){ "LANGUAGE=en", NULL },
	                                         .before = change });
	run_finish(r, timeout);
	cr_assert_neq(r->status, 126, "the test could not set up the run");
}

/* Root with no cgroup to write in: RLIMIT_NPROC would not hold for root,
 * so the wall cannot be built, and the run is refused before it starts. */
CASE(limit, refused_where_no_limit_can_be_had)
{
	struct run r;
	const char *argv[] = { "--json", "--limit", "8", "fork-bomb", NULL };
	run_changed(&r, no_cgroups, argv, 20);
	cr_assert_eq(r.status, 2, "exit %d; stderr: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.err), 1, "one line: %s", r.err);
	cr_assert(strstr(r.err, "no process limit can be set here"), "%s", r.err);
	cr_assert(strstr(r.err, "RLIMIT_NPROC does not hold for root"), "%s", r.err);
	cr_assert_str_eq(r.out, "", "nothing started");
	run_free(&r);
}

/* An ordinary user, who may write in no cgroup: RLIMIT_NPROC in a user
 * namespace of the demo's own is the wall, at exactly N. */
CASE(limit, ordinary_user_gets_rlimit_nproc)
{
	struct run r;
	const char *argv[] = { "--json", "--events", "poll", "--tempo", "0.2", "--limit", "12",
	                       "fork-bomb", NULL };
	run_changed(&r, as_nobody, argv, 60);
	cr_assert_eq(r.status, 0, "exit %d; stderr: %s", r.status, r.err);
	cr_assert(strstr(r.out, "EAGAIN) at 12 processes"), "the wall at 12:\n%s", r.out);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_eq(jint(end, "max_alive"), 12, "at most 12 alive: %s",
	             end ? json_object_to_json_string(end) : r.out);
	run_free(&r);
}
