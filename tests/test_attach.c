/*
 * test_attach.c - forkscope -p: watching a tree the test started itself.
 *
 * The tree is a shell the test forks (so forkscope did not start it), held
 * on a pipe until forkscope has attached: then it forks, execs, exits, and
 * orphans a child.  The test process is a subreaper (CASE()), so the orphan
 * goes to it, not to forkscope: the orphan's new parent is read from /proc,
 * never assumed.  Quitting forkscope leaves the tree running, which the test
 * then ends itself.  Bad PIDs and -p with something to start are exit 2 with
 * nothing started.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(attach, .timeout = 60, .fini = helpers_cleanup);

/* A tree of the test's own: /bin/sh -c script, its stdin a pipe whose
 * write end is *go (a line on it lets the script's "read" go on). */
static pid_t start_tree(const char *script, int *go)
{
	int p[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(p[0], 0);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void say(int fd, const char *line)
{
	cr_assert_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
}

/* The parent PID of pid as /proc says now, or -1. */
static pid_t ppid_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *close_paren = strrchr(buf, ')');
	int ppid;
	char state;
	if (!close_paren || sscanf(close_paren + 2, "%c %d", &state, &ppid) != 2)
		return -1;
	return (pid_t)ppid;
}

struct pid_file {
	const char *path;
	pid_t pid;
};

static bool pid_written(void *arg)
{
	struct pid_file *pf = arg;
	FILE *f = fopen(pf->path, "r");
	int pid = 0;
	if (!f)
		return false;
	bool ok = fscanf(f, "%d", &pid) == 1 && pid > 0;
	fclose(f);
	pf->pid = pid;
	return ok;
}

static void reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The events of an attached tree: its fork, exec and exits, and its orphan
 * adopted by the system's reaper (here: the test, a subreaper) with the new
 * parent read from /proc.  Then SIGTERM: forkscope goes, the tree stays. */
static void fork_exit_orphan(const char *events)
{
	char dir[] = "/tmp/fs-attach-XXXXXX", script[512], pidstr[16], orphan_path[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(orphan_path, sizeof(orphan_path), "%s/orphan", dir);
	snprintf(script, sizeof(script),
	         "read go; sleep 0.3; sh -c 'sleep 60 & echo $! > %s; sleep 0.3; exit 3'; "
	         "read done; exit 0", orphan_path);
	int go;
	pid_t tree = start_tree(script, &go);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)tree);

	struct run r;
	run_start(&r, (const char *const[]){ "--json", "--events", events, "-p", pidstr, NULL });
	cr_assert(run_read_until(&r, "\"existing\":true", 1, 10), "forkscope never attached");
	say(go, "go\n");
	cr_assert(run_read_until(&r, "\"reparent\"", 1, 15), "no reparent event; stdout:\n%s",
	          r.out);
	struct pid_file pf = { orphan_path, 0 };
	cr_assert(wait_until(pid_written, &pf, 5));
	pid_t adopter = ppid_of(pf.pid);
	cr_assert_gt(adopter, 0);
	/* quitting: forkscope goes, the tree is not its to end */
	kill(r.pid, SIGTERM);
	run_finish(&r, 10);
	cr_assert_eq(r.status, 128 + SIGTERM, "exit %d, stderr: %s", r.status, r.err);

	struct json_object *root = run_find(&r, "spawn", "pid", tree);
	cr_assert_not_null(root, "the attached shell is told");
	cr_assert(jbool(root, "existing"));
	/* the shell's first child: sleep 0.3, exit 0 */
	size_t nspawn = run_count(&r, "spawn");
	struct json_object *first = NULL, *middle = NULL;
	for (size_t i = 0; i < nspawn; i++) {
		struct json_object *e = run_event(&r, "spawn", i);
		if (jint(e, "ppid") == tree && !jbool(e, "existing")) {
			if (!first)
				first = e;
			else if (!middle)
				middle = e;
		}
	}
	cr_assert_not_null(first, "the fork of the attached shell is told:\n%s", r.out);
	cr_assert_not_null(middle, "its second fork is told:\n%s", r.out);
	/* (a reading finds an exit the shell reaped at once without its status:
	 * the status is the kernel's news) */
	struct json_object *ex = run_find(&r, "exit", "pid", jint(first, "pid"));
	cr_assert_not_null(ex);
	if (jbool(ex, "kernel"))
		cr_assert_eq(jint(ex, "status"), 0);
	ex = run_find(&r, "exit", "pid", jint(middle, "pid"));
	cr_assert_not_null(ex, "the orphan's parent's exit:\n%s", r.out);
	if (jbool(ex, "kernel"))
		cr_assert_eq(jint(ex, "status"), 3);
	/* with the kernel's news, the tree's forks are told exactly */
	if (strcmp(events, "poll") != 0 && !strstr(r.out, "\"polling\""))
		cr_assert(jbool(first, "kernel") && jbool(ex, "kernel"), "%s", r.out);
	/* the orphan: one reparent, to whoever adopted it, as /proc says */
	struct json_object *rp = run_find(&r, "reparent", "pid", pf.pid);
	cr_assert_not_null(rp, "the orphan %d is told:\n%s", (int)pf.pid, r.out);
	cr_assert(jbool(rp, "orphan"));
	cr_assert_eq(jint(rp, "old_ppid"), jint(middle, "pid"));
	cr_assert_eq(jint(rp, "new_ppid"), adopter, "adopted by %d, told %ld", (int)adopter,
	             jint(rp, "new_ppid"));
	cr_assert_eq(run_count(&r, "reparent"), 1, "one reparent, not two:\n%s", r.out);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end);
	cr_assert_eq(jint(end, "killed"), 0);

	/* still there, and running: nothing was signalled on the way out */
	char st = proc_state(tree);
	cr_assert(st == 'S' || st == 'R', "the attached shell is '%c' after forkscope quit", st);
	st = proc_state(pf.pid);
	cr_assert(st == 'S' || st == 'R', "the orphan is '%c' after forkscope quit", st);

	/* the test ends its own tree */
	say(go, "done\n");
	close(go);
	reap(tree);
	kill(pf.pid, SIGKILL);
	reap(pf.pid);
	unlink(orphan_path);
	rmdir(dir);
	run_free(&r);
}

CASE(attach, fork_exit_and_orphan_and_quit_leaves_the_tree_running)
{
	fork_exit_orphan("auto");
}

CASE(attach, the_same_when_polling)
{
	fork_exit_orphan("poll");
}

/* The run ends by itself once every process of the tree is gone. */
CASE(attach, ends_by_itself_when_the_tree_is_gone)
{
	char pidstr[16];
	int go;
	pid_t tree = start_tree("read go; sleep 0.2; exit 4", &go);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)tree);

	struct run r;
	run_start(&r, (const char *const[]){ "--json", "-p", pidstr, NULL });
	cr_assert(run_read_until(&r, "\"existing\":true", 1, 10));
	say(go, "go\n");
	close(go);
	reap(tree);      /* its parent, the test, collects it */
	run_finish(&r, 10);
	cr_assert_eq(r.status, 0, "exit %d, stderr: %s", r.status, r.err);
	struct json_object *ex = run_find(&r, "exit", "pid", tree);
	cr_assert_not_null(ex, "%s", r.out);
	cr_assert_eq(jint(ex, "status"), 4);
	struct json_object *rp = run_find(&r, "reap", "pid", tree);
	cr_assert_not_null(rp, "%s", r.out);
	cr_assert_eq(jint(rp, "by"), getpid());
	cr_assert_not_null(run_event(&r, "end", 0));
	run_free(&r);
}

/* A PID that is not there: one line naming it, exit 2, nothing printed. */
CASE(attach, a_bad_pid_is_exit_2_with_nothing_started)
{
	pid_t gone = fork();
	cr_assert_geq(gone, 0);
	if (gone == 0)
		_exit(0);
	reap(gone);
	char pidstr[16], want[48];
	snprintf(pidstr, sizeof(pidstr), "%d", (int)gone);
	snprintf(want, sizeof(want), "-p %d: no such process", (int)gone);

	struct run r;
	run_forkscope(&r, 10, (const char *const[]){ "--json", "-p", pidstr, NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, want), "stderr: %s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	cr_assert_eq(r.out[0], '\0', "nothing on stdout: %s", r.out);
	run_free(&r);

	run_forkscope(&r, 10, (const char *const[]){ "--json", "-p", "12,x", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "-p needs process IDs"), "stderr: %s", r.err);
	run_free(&r);

	/* a zombie has nothing left to watch */
	pid_t zombie = fork();
	cr_assert_geq(zombie, 0);
	if (zombie == 0)
		_exit(0);
	while (proc_state(zombie) != 'Z')
		usleep(1000);    /* bounded by the suite's timeout: it exits at once */
	snprintf(pidstr, sizeof(pidstr), "%d", (int)zombie);
	run_forkscope(&r, 10, (const char *const[]){ "--json", "-p", pidstr, NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "has exited already"), "stderr: %s", r.err);
	run_free(&r);
	reap(zombie);
}

/* forkscope itself cannot be watched: sh execs it with its own PID. */
CASE(attach, forkscope_itself_is_refused)
{
	char cmd[512], out[] = "/tmp/fs-attach-self-XXXXXX";
	int fd = mkstemp(out);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "exec %s --json -p $$ 2>%s", FORKSCOPE_BIN, out);
	int st = system(cmd);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 2);
	FILE *f = fopen(out, "r");
	char line[512] = "";
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(out);
	cr_assert_not_null(strstr(line, "is forkscope itself"), "%s", line);
}

/* -p with something to start, a recording or slow motion: exit 2, one
 * line, and the command never runs. */
CASE(attach, p_with_a_command_a_scenario_replay_or_slow_is_exit_2)
{
	char me[16], file[] = "/tmp/fs-attach-ran-XXXXXX", cmd[128];
	int fd = mkstemp(file);
	cr_assert_geq(fd, 0);
	close(fd);
	unlink(file);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "touch %s", file);
	const char *const *cases[] = {
		(const char *const[]){ "--json", "-p", me, "--", "/bin/sh", "-c", cmd, NULL },
		(const char *const[]){ "--json", "-p", me, "zombie", NULL },
		(const char *const[]){ "--json", "-p", me, "--replay", file, NULL },
		(const char *const[]){ "--json", "-p", me, "--slow", "100", NULL },
	};
	const char *want[] = { "is not started", "is not started", "--replay", "--slow" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		run_forkscope(&r, 10, cases[i]);
		cr_assert_eq(r.status, 2, "case %zu: exit %d", i, r.status);
		cr_assert_not_null(strstr(r.err, want[i]), "case %zu: %s", i, r.err);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
		run_free(&r);
	}
	struct stat sb;
	cr_assert_neq(stat(file, &sb), 0, "the command ran");
}

/* A recording of an attached run replays the same events. */
CASE(attach, a_recording_replays_the_same_events)
{
	char dir[] = "/tmp/fs-attach-rec-XXXXXX", path[64], pidstr[16];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	int go;
	pid_t tree = start_tree("read go; sleep 0.2; sleep 0.1; exit 0", &go);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)tree);

	struct run live, replay;
	run_start(&live, (const char *const[]){ "--json", "--record", path, "-p", pidstr, NULL });
	cr_assert(run_read_until(&live, "\"existing\":true", 1, 10));
	say(go, "go\n");
	close(go);
	reap(tree);
	run_finish(&live, 10);
	cr_assert_eq(live.status, 0, "%s", live.err);
	cr_assert_geq(run_count(&live, "spawn"), 3, "%s", live.out);
	run_forkscope(&replay, 10, (const char *const[]){ "--json", "--replay", path, NULL });
	cr_assert_eq(replay.status, 0, "%s", replay.err);
	cr_assert_str_eq(replay.out, live.out);
	FILE *f = fopen(path, "r");
	char head[1024] = "";
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(head, sizeof(head), f));
	fclose(f);
	char want[48];
	snprintf(want, sizeof(want), "\"attached\":[%d]", (int)tree);
	cr_assert_not_null(strstr(head, want), "%s", head);
	run_free(&live);
	run_free(&replay);
	unlink(path);
	rmdir(dir);
}

static bool has_a_child(void *arg)
{
	pid_t kid;
	return children_of(*(pid_t *)arg, 1, &kid, 1) > 0;
}

/* A tree attached to while it forks as fast as it can: every child is
 * told, the ones forked while forkscope's first reading was under way
 * (before the kernel's news followed the tree) too. */
CASE(attach, a_tree_forking_as_it_is_attached_loses_no_child)
{
	char fan[256];
	snprintf(fan, sizeof(fan), "%s/fan", TEST_PROGS);
	pid_t tree = fork();
	cr_assert_geq(tree, 0);
	if (tree == 0) {
		setpgid(0, 0);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl(fan, "fan", "400", "60", (char *)NULL);
		_exit(127);
	}
	setpgid(tree, tree);
	cr_assert(wait_until(has_a_child, &tree, 10), "fan forked nothing");
	char pidstr[16];
	snprintf(pidstr, sizeof(pidstr), "%d", (int)tree);
	struct run r;
	run_start(&r, (const char *const[]){ "--json", "--events", "connector", "-p", pidstr,
	                                     NULL });
	/* fan and its 400 children, each told once */
	bool all = run_read_until(&r, "\"event\":\"spawn\"", 401, 60);
	pid_t kids[512];
	size_t n = children_of(tree, 1, kids, 512);
	kill(r.pid, SIGTERM);
	run_finish(&r, 10);
	killpg(tree, SIGKILL);
	while (waitpid(-tree, NULL, 0) > 0 || errno == EINTR)
		;
	cr_assert_eq(n, 400, "fan has %zu children", n);
	for (size_t i = 0; i < n; i++)
		cr_assert_not_null(run_find(&r, "spawn", "pid", kids[i]),
		                   "child %d of %zu was never told (%zu spawns)", (int)kids[i], n,
		                   run_count(&r, "spawn"));
	cr_assert(all, "%zu spawns told", run_count(&r, "spawn"));
	cr_assert_eq(run_count(&r, "spawn"), 401, "each once");
	run_free(&r);
}
