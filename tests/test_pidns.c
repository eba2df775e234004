/*
 * test_pidns.c - --pid1 on the real program: the orphan demo in a PID
 * namespace under forkscope's init.
 *
 * What is checked: the orphan is adopted and reaped by PID 1 in the
 * namespace's numbers (JSON, the text view, and what the demo itself
 * prints with getppid()); the host's PIDs beside them; the screen's tree
 * starts at PID 0, dim, above init (100x30 and 80x24), and the selection
 * never lands on it; a recording replays with the same numbers; nothing
 * is left after q, Ctrl-C or SIGTERM, neither a host PID the run reported
 * nor init; and where the kernel refuses a namespace (forkscope run in a
 * user namespace of its own with no ID mapped, where the kernel gives no
 * capability and no nested namespace: EPERM, as in a container without
 * user namespaces), one line says so and the subreaper adopts, as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"
#include "tmux.h"

TestSuite(pidns, .timeout = 90, .fini = tmux_fini);


/* ---- processes the run left: by (PID, start time) ---- */

struct seen {
	pid_t pid[256];
	unsigned long long start[256];
	size_t n;
};

static void seen_add(struct seen *s, pid_t pid)
{
	unsigned long long start = 0;
	int dir = procfs_open(pid, &start, NULL);

	if (dir < 0 || s->n >= 256)
		return;
	close(dir);
	for (size_t i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return;
	s->pid[s->n] = pid;
	s->start[s->n++] = start;
}

/* forkscope's descendants now (init and the namespace's processes). */
static void seen_tree(struct seen *s, pid_t top)
{
	pid_t kids[256];
	size_t n = children_of(top, 0, kids, 256);

	for (size_t i = 0; i < n && n < 256; i++)
		n += children_of(kids[i], 0, kids + n, 256 - n);
	for (size_t i = 0; i < n; i++)
		seen_add(s, kids[i]);
}

/* Whether every process of s is gone (its PID is free or another's). */
static bool seen_gone(void *arg)
{
	const struct seen *s = arg;

	/* init's zombie, when forkscope was killed outright, is the test's to
	 * reap: the test process is the subreaper it goes to */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	for (size_t i = 0; i < s->n; i++) {
		unsigned long long start = s->start[i];
		int dir = procfs_open(s->pid[i], &start, NULL);
		if (dir >= 0) {
			close(dir);
			return false;
		}
	}
	return true;
}

static void assert_all_gone(struct seen *s, const char *how)
{
	cr_assert_gt(s->n, 1, "%s: the run's processes were seen (%zu)", how, s->n);
	for (size_t i = 0; i < s->n; i++) {
		unsigned long long start = s->start[i];
		int dir = procfs_open(s->pid[i], &start, NULL);
		char comm[64] = "";
		if (dir >= 0) {
			struct procfs_stat st;
			if (procfs_stat_at(dir, &st))
				snprintf(comm, sizeof(comm), "%s", st.comm);
			close(dir);
		}
		cr_assert_lt(dir, 0, "%s: %d (%s) outlived forkscope", how, (int)s->pid[i], comm);
	}
}

/* Every "host_pid" of the run's events. */
static void seen_events(struct seen *s, const struct run *r)
{
	for (size_t i = 0; i < r->nev; i++) {
		long host = jint(r->ev[i], "host_pid");
		if (host <= 0)
			continue;
		bool known = false;
		for (size_t k = 0; k < s->n; k++)
			known |= s->pid[k] == (pid_t)host;
		/* one the tree walk did not meet (gone by then): it must be gone */
		if (!known && s->n < 256) {
			s->pid[s->n] = (pid_t)host;
			s->start[s->n++] = 0;
		}
	}
}

/* ---- JSON and text ---- */

CASE(pidns, the_orphan_is_adopted_and_reaped_by_pid_1)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--tempo", "0.2", "--pid1",
	                                             "orphan", NULL });
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.err, "", "nothing on stderr");

	struct json_object *init = run_find(&r, "spawn", "pid", 1);
	cr_assert_not_null(init, "%s", r.out);
	cr_assert_str_eq(jstr(init, "comm"), "init");
	cr_assert_eq(jint(init, "ppid"), r.pid, "init is forkscope's child");
	cr_assert_gt(jint(init, "host_pid"), 1);
	struct json_object *prog = run_find(&r, "spawn", "pid", 2);
	cr_assert_not_null(prog);
	cr_assert_eq(jint(prog, "ppid"), 1, "the program is init's child");
	struct json_object *child = run_find(&r, "spawn", "pid", 3);
	cr_assert_not_null(child, "%s", r.out);
	cr_assert_eq(jint(child, "ppid"), 2);
	cr_assert_neq(jint(child, "host_pid"), jint(prog, "host_pid"));

	struct json_object *adopt = run_find(&r, "reparent", "pid", 3);
	cr_assert_not_null(adopt, "%s", r.out);
	cr_assert_eq(jint(adopt, "old_ppid"), 2);
	cr_assert_eq(jint(adopt, "new_ppid"), 1, "adopted by PID 1");
	cr_assert(jbool(adopt, "orphan"));
	cr_assert_eq(run_count(&r, "reparent"), 1);
	struct json_object *reap = run_find(&r, "reap", "pid", 3);
	cr_assert_not_null(reap);
	cr_assert_eq(jint(reap, "by"), 1, "init reaped the orphan");
	reap = run_find(&r, "reap", "pid", 1);
	cr_assert_not_null(reap);
	cr_assert_eq(jint(reap, "by"), r.pid, "forkscope reaped init");
	/* the demo's own getpid() and getppid() say the same numbers */
	cr_assert_not_null(run_output(&r, "parent: pid 2,"), "%s", r.out);
	cr_assert_not_null(run_output(&r, "child: my parent is 2"), "%s", r.out);
	cr_assert_not_null(run_output(&r, "I was adopted by 1"), "%s", r.out);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_eq(jint(end, "orphans"), 1);
	run_free(&r);

	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--tempo", "0.2", "--pid1",
	                                             "orphan", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "spawn    1 (init) called fork(): 2 is its new child."), "%s", r.out);
	cr_assert(strstr(r.out, "3 is an orphan: its parent 2 exited first, so 1 (init) adopted "
	                        "it."), "%s", r.out);
	cr_assert(strstr(r.out, "1 (init) called wait() and reaped 3"), "%s", r.out);
	run_free(&r);
}

/* orphan and zombie are in a namespace unless told not to be. */
CASE(pidns, orphan_and_zombie_default_to_it_and_no_pid1_turns_it_off)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--tempo", "0.1", "zombie", NULL });
	cr_assert_eq(r.status, 0);
	struct json_object *exit = run_find(&r, "exit", "pid", 3);
	cr_assert_not_null(exit, "the zombie is 3: %s", r.out);
	cr_assert_eq(jint(exit, "ppid"), 2);
	cr_assert_eq(jint(run_find(&r, "reap", "pid", 3), "by"), 2);
	run_free(&r);

	run_forkscope(&r, 30, (const char *const[]){ "--json", "--tempo", "0.1", "--no-pid1",
	                                             "orphan", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert_null(run_find(&r, "spawn", "pid", 1), "no init: %s", r.out);
	struct json_object *adopt = run_event(&r, "reparent", 0);
	cr_assert_not_null(adopt);
	cr_assert_eq(jint(adopt, "new_ppid"), r.pid, "forkscope, the subreaper, adopts");
	cr_assert_null(strstr(r.out, "host_pid"));
	run_free(&r);

	/* a command is not, unless asked */
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--", "true", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert_gt(jint(run_event(&r, "spawn", 0), "pid"), 1);
	run_free(&r);
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--pid1", "--", "true", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(run_find(&r, "spawn", "pid", 2), "%s", r.out);
	cr_assert_eq(jint(run_find(&r, "exit", "pid", 2), "status"), 0);
	run_free(&r);
}

CASE(pidns, opposite_options_are_refused)
{
	struct run r;
	run_forkscope(&r, 10, (const char *const[]){ "--pid1", "--no-pid1", "orphan", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--pid1 and --no-pid1"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	run_free(&r);
	run_forkscope(&r, 10, (const char *const[]){ "--pid1", "-p", "1", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "drop --pid1"), "%s", r.err);
	run_free(&r);
}

CASE(pidns, a_recording_replays_the_same_numbers)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/fs-pidns-%d.jsonl", (int)getpid());
	unlink(path);
	struct run live, replay;
	run_forkscope(&live, 30, (const char *const[]){ "--json", "--tempo", "0.1", "--record",
	                                                path, "orphan", NULL });
	cr_assert_eq(live.status, 0, "%s", live.err);
	run_forkscope(&replay, 30, (const char *const[]){ "--json", "--replay", path, NULL });
	cr_assert_eq(replay.status, 0, "%s", replay.err);
	unlink(path);
	cr_assert_eq(live.nev, replay.nev);
	for (size_t i = 0; i + 1 < live.nev; i++)   /* the end's seconds may differ */
		cr_assert_str_eq(json_object_to_json_string(live.ev[i]),
		                 json_object_to_json_string(replay.ev[i]));
	cr_assert_eq(jint(run_find(&replay, "reparent", "pid", 3), "new_ppid"), 1);
	run_free(&live);
	run_free(&replay);
}

/* SIGTERM in the middle: every process the run had is gone, init too. */
CASE(pidns, nothing_is_left_after_sigterm)
{
	struct run r;
	struct seen s = { .n = 0 };
	run_start(&r, (const char *const[]){ "--json", "--tempo", "1", "--pid1", "orphan", NULL });
	cr_assert(run_read_until(&r, "my parent is 1", 1, 20), "%s", r.out);
	seen_tree(&s, r.pid);
	kill(r.pid, SIGTERM);
	run_finish(&r, 15);
	cr_assert_eq(r.status, 128 + SIGTERM);
	seen_events(&s, &r);
	cr_assert(wait_until(seen_gone, &s, 5));
	assert_all_gone(&s, "SIGTERM");
	run_free(&r);
}

/* SIGHUP is a signal forkscope handles; SIGKILL is not: init dies with
 * forkscope (PR_SET_PDEATHSIG), and the kernel ends the namespace with it. */
CASE(pidns, nothing_is_left_after_sighup_or_sigkill)
{
	static const int sigs[] = { SIGHUP, SIGKILL };

	for (size_t k = 0; k < 2; k++) {
		struct run r;
		struct seen s = { .n = 0 };
		run_start(&r, (const char *const[]){ "--json", "--tempo", "1", "--pid1", "orphan",
		                                     NULL });
		cr_assert(run_read_until(&r, "my parent is 1", 1, 20), "%s", r.out);
		seen_tree(&s, r.pid);
		kill(r.pid, sigs[k]);
		run_finish(&r, 15);
		cr_assert_eq(r.status, 128 + sigs[k]);
		cr_assert(wait_until(seen_gone, &s, 5), "signal %d", sigs[k]);
		assert_all_gone(&s, sigs[k] == SIGHUP ? "SIGHUP" : "SIGKILL");
		run_free(&r);
	}
}

/* ---- the screen, in tmux ---- */


/* PID 0 heads the tree, init under it, the orphan under init. */
static void assert_tree(const char *s, int cols)
{
	char zero[512], one[512], orphan[512];

	cr_assert(line_with(s, "0 the kernel", zero, sizeof(zero)), "%dc:\n%s", cols, s);
	cr_assert_eq(strncmp(zero, "0 the kernel", 12), 0, "PID 0 at the top: %s", zero);
	cr_assert(strstr(zero, "init's parent"), "%s", zero);
	cr_assert(line_with(s, " 1 init", one, sizeof(one)), "%s", s);
	cr_assert(strstr(s, zero) < strstr(s, one), "PID 0 above init:\n%s", s);
	cr_assert(strstr(one, "└─ 1 init") || strstr(one, "`- 1 init"), "%s", one);
	cr_assert(line_with(s, "3 child", orphan, sizeof(orphan)), "%s", s);
	cr_assert(strstr(orphan, "orphan"), "%s", orphan);
	cr_assert(strstr(s, "PID 1 (init) adopts orphans"), "%s", s);
	cr_assert_null(strstr(s, "forkscope adopts orphans"));
}

CASE(pidns, the_tree_starts_at_pid_0_above_init)
{
	static const int sizes[][2] = { { 100, 30 }, { 80, 24 } };
	struct tmux tm;

	for (size_t k = 0; k < 2; k++) {
		start(&tm, sizes[k][0], sizes[k][1],
		      (const char *const[]){ "--tempo", "0.5", "--pid1", "orphan", NULL });
		char *s = wait_screen(&tm, "adopted, was child of 2", 20);
		assert_tree(s, sizes[k][0]);
		free(s);
		/* the first process the arrows select is init, not PID 0 */
		TMUX(&tm, "send-keys", "-t", "main", "Down");
		s = wait_screen(&tm, "PID 1 init, parent 0", 5);
		cr_assert(strstr(s, "host PID"), "%s", s);
		free(s);
		quit(&tm, 10);
	}
}

/* q and Ctrl-C on the screen: nothing of the run is left, init included. */
CASE(pidns, nothing_is_left_after_q_and_ctrl_c)
{
	static const struct {
		const char *key;
		int status;
	} ways[] = { { "q", 0 }, { "C-c", 128 + SIGINT } };
	struct tmux tm;

	for (size_t k = 0; k < 2; k++) {
		struct seen s = { .n = 0 };
		start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "--pid1", "orphan", NULL });
		free(wait_screen(&tm, "adopted, was child of 2", 20));
		pid_t fs = forkscope_pid(&tm);
		seen_tree(&s, fs);
		TMUX(&tm, "send-keys", "-t", "main", ways[k].key);
		wait_exit(&tm, ways[k].status, 10);
		cr_assert(wait_until(seen_gone, &s, 5));
		assert_all_gone(&s, ways[k].key);
		finish(&tm);
	}
}

/* ---- where the kernel refuses ---- */

/* forkscope with args in a user namespace of its own with no ID mapped:
 * it has no capability there and may make no namespace (EPERM). */
static void run_unmapped(struct run *r, const char *const *args)
{
	const char *argv[32] = { "unshare", "--user", "--", FORKSCOPE_BIN };
	size_t n = 4;

	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	run_program(r, argv, NULL);    /* unshare execs forkscope: the same process */
	run_finish(r, 30);
}

CASE(pidns, a_refused_namespace_says_so_once_and_the_subreaper_adopts)
{
	struct run r;
	run_unmapped(&r, (const char *const[]){ "--json", "--events", "poll", "--tempo", "0.2",
	                                        "--pid1", "orphan", NULL });
	cr_assert_neq(r.status, 127, "unshare --user is needed here: %s", r.err);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "forkscope: no PID namespace of its own: the kernel refused it"),
	          "%s", r.err);
	cr_assert(strstr(r.err, "instead of PID 1"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	cr_assert_null(run_find(&r, "spawn", "pid", 1), "no init: %s", r.out);
	struct json_object *adopt = run_event(&r, "reparent", 0);
	cr_assert_not_null(adopt, "%s", r.out);
	cr_assert_eq(jint(adopt, "new_ppid"), r.pid, "forkscope adopts, as a subreaper");
	cr_assert_not_null(run_event(&r, "end", 0));
	cr_assert_null(strstr(r.out, "host_pid"));
	run_free(&r);
}

/* Refused on the full screen: the line on stderr goes before the screen,
 * so the screen says it too, where the caption goes. */
CASE(pidns, a_refusal_is_said_on_the_screen)
{
	struct tmux tm;
	char x[] = "100", y[] = "30", script[256];
	tmux_init(&tm);
	snprintf(script, sizeof(script), "trap : INT; \"$0\" \"$@\"; echo $? > %s", tm.status);
	int st;
	free(tmux_run(&tm, &st, (const char *const[]){ "-f", tm.conf, "new-session", "-d", "-s",
	                                               "main", "-x", x, "-y", y, "sh", "-c", script,
	                                               "unshare", "--user", "--", FORKSCOPE_BIN,
	                                               "--tempo", "0.5", "orphan", NULL }));
	cr_assert_eq(st, 0, "tmux new-session failed");
	/* the full screen (the same line on stderr shows before it starts) */
	char *s = wait_screen(&tm, "forkscope adopts orphans", 15);
	cr_assert(strstr(s, "no PID namespace of its own"), "said on the screen:\n%s", s);
	free(s);
	quit(&tm, 10);
}
