/*
 * test_hostile.c - programs that misbehave: floods of output, lines with no
 * end, a stranger that gets a PID forkscope remembered, a child forkscope
 * may not signal, a tree 2,000 processes wide.  Each runs the real program
 * (or the real session) and checks what the issue promised: bounded
 * memory, visible cuts, no stranger touched, a bounded teardown, nothing
 * hidden and everything paused.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "session.h"

TestSuite(hostile, .timeout = 90, .fini = helpers_cleanup);

static double clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident memory of pid in KiB, from /proc/PID/status. */
static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "forkscope %d is gone", (int)pid);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* ---- floods ---------------------------------------------------------- */

/* What forkscope may hold with --memory 4: the 4 MiB, plus the program and
 * its libraries, far below this. */
static long flood_limit_kib(void)
{
	long limit = 32 * 1024;
#ifdef __SANITIZE_ADDRESS__
	/* ASan keeps freed memory in quarantine and adds its shadow: measure
	 * what forkscope holds, not the tool, and allow for the shadow */
	char opts[512];
	snprintf(opts, sizeof(opts), "%s:quarantine_size_mb=0",
	         getenv("ASAN_OPTIONS") ? getenv("ASAN_OPTIONS") : "");
	setenv("ASAN_OPTIONS", opts, 1);
	limit *= 2;
#endif
	return limit;
}

CASE(hostile, an_output_flood_stays_within_the_cap_and_ends_at_once)
{
	struct run r;
	long limit_kib = flood_limit_kib();
	run_start(&r, (const char *const[]){ "--json", "--memory", "4", "--", "yes", NULL });
	/* the cap is reached within seconds: yes prints as fast as it is read */
	cr_assert(run_read_until(&r, "\"event\":\"dropped\"", 1, 30),
	          "no dropped event; stdout ends with:\n%s", r.out + (r.olen > 600 ? r.olen - 600 : 0));
	long first = rss_kib(r.pid);
	/* keep it flooding a while longer at the cap */
	run_read_until(&r, "never printed", 1, 2.0);
	long later = rss_kib(r.pid);
	/* 4 MiB of history, plus the program and its libraries: far below 32 */
	cr_assert_lt(later, limit_kib, "forkscope holds %ld KiB with --memory 4", later);
	cr_assert_lt(later, first + 4 * 1024, "memory grew from %ld to %ld KiB at the cap", first,
	             later);
	double t0 = clock_now();
	kill(r.pid, SIGTERM);
	r.skip_output = true;
	run_finish(&r, 30);
	double took = clock_now() - t0;
	cr_assert_eq(r.status, 128 + SIGTERM);
	cr_assert_lt(took, 3.0, "a flood kept forkscope from ending: %.2f s after SIGTERM", took);
	cr_assert_eq(run_count(&r, "dropped"), 1, "the drop is told once");
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end);
	cr_assert_gt(jint(end, "dropped"), 0);
	cr_assert_eq(jint(end, "killed"), 1);
	run_free(&r);
}

CASE(hostile, a_long_line_is_cut_with_a_visible_marker)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--", "python3", "-c",
	              "import sys; sys.stdout.write('x' * 100000 + '\\n')", NULL });
	struct json_object *line = run_output(&r, "xxxx");
	cr_assert_not_null(line, "no output line:\n%s", r.out);
	cr_assert_eq(strlen(jstr(line, "text")), 16384);
	cr_assert_eq(jint(line, "cut"), 100000 - 16384);
	cr_assert_eq(run_count(&r, "output"), 1, "one line, not pieces");
	run_free(&r);

	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--", "python3", "-c",
	              "import sys; sys.stdout.write('x' * 100000 + '\\n')", NULL });
	cr_assert(strstr(r.out, "(83.6 kB more)"), "no cut marker in:\n%.300s", r.out);
	run_free(&r);
}

CASE(hostile, a_cut_keeps_whole_characters)
{
	struct run r;
	/* 3-byte characters: 16384 is not a multiple of 3 */
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--", "python3", "-c",
	              "print('\u4e2d' * 10000)", NULL });
	struct json_object *line = run_output(&r, "\u4e2d");
	cr_assert_not_null(line, "no output line:\n%.300s", r.out);
	cr_assert_eq(strlen(jstr(line, "text")), 16383, "5461 whole characters");
	cr_assert_eq(jint(line, "cut"), 30000 - 16383);
	run_free(&r);
}

CASE(hostile, an_unfinished_line_shows_before_its_end_comes)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--", "sh", "-c",
	              "printf 'prompt> '; sleep 2; echo; echo done", NULL });
	struct json_object *prompt = run_output(&r, "prompt>");
	struct json_object *done = run_output(&r, "done");
	cr_assert_not_null(prompt, "%s", r.out);
	cr_assert_not_null(done, "%s", r.out);
	cr_assert(jbool(prompt, "partial"));
	cr_assert(!jbool(done, "partial"));
	/* the newline that ends the prompt's line makes no empty line of its own */
	cr_assert_eq(run_count(&r, "output"), 2, "%s", r.out);
	/* shown while the program still slept, not when the newline came */
	cr_assert_lt(jnum(prompt, "t"), jnum(done, "t") - 1.0, "prompt at %.3f, done at %.3f",
	             jnum(prompt, "t"), jnum(done, "t"));
	run_free(&r);
}

/* ---- a stranger with a PID forkscope remembered ---------------------- */

/* Starts a process outside forkscope's tree with exactly this PID
 * (clone3 with set_tid, root only), which forks two children and holds a
 * pipe: a stranger forkscope must never walk, probe or read. */
static pid_t start_stranger(pid_t want)
{
	pid_t pid = fork_with_pid(want);
	if (pid == 0) {
		setpgid(0, 0);      /* so the test ends it and its children at once */
		int p[2];
		if (pipe(p) != 0 || write(p[1], "stranger", 8) != 8)
			_exit(1);
		for (int i = 0; i < 2; i++)
			if (fork() == 0) {
				execl("/bin/sleep", "sleep", "30", (char *)NULL);
				_exit(1);
			}
		struct timespec ts = { 30, 0 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	return pid;
}

static bool gone(void *arg)
{
	return proc_state(*(pid_t *)arg) == 0;
}

CASE(hostile, a_stranger_with_a_remembered_pid_is_never_walked)
{
	struct run r;
	char victim[256];
	snprintf(victim, sizeof(victim), "%s/victim", TEST_PROGS);
	/* readings 3 s apart: the victim is seen at 3 s, dies at 4 s, and the
	 * stranger has its PID when the reading at 6 s comes */
	run_start(&r, (const char *const[]){ "--json", "--interval", "3000", "--", victim, "4", "4",
	          NULL });
	cr_assert(run_read_until(&r, "doomed ", 1, 20), "no victim:\n%s", r.out);
	pid_t v = (pid_t)atoi(strstr(r.out, "doomed ") + 7);
	char seen[64];
	snprintf(seen, sizeof(seen), "\"event\":\"spawn\",\"pid\":%d,", (int)v);
	cr_assert(run_read_until(&r, seen, 1, 20), "victim %d not seen:\n%s", (int)v, r.out);
	cr_assert_gt(v, 0);
	cr_assert(wait_until(gone, &v, 10), "victim %d did not end", (int)v);
	pid_t stranger = start_stranger(v);
	run_finish(&r, 30);
	for (size_t i = 0; i < r.nev; i++) {
		struct json_object *ev = r.ev[i];
		const char *type = jstr(ev, "event");
		if (strcmp(type, "spawn") == 0)
			cr_assert_neq(jint(ev, "ppid"), v, "a child of the stranger was reported: %s",
			              json_object_to_json_string(ev));
		if (strcmp(type, "queue") == 0)
			cr_assert(!strstr(json_object_to_json_string(ev), "pipe"),
			          "the stranger's pipe was probed: %s", json_object_to_json_string(ev));
		cr_assert(!(jint(ev, "pid") == v && strcmp(type, "spawn") != 0 &&
		            strcmp(type, "exit") != 0 && strcmp(type, "reap") != 0 &&
		            strcmp(type, "title") != 0 && strcmp(type, "blocked") != 0),
		          "an event about the stranger: %s", json_object_to_json_string(ev));
	}
	cr_assert_eq(jint(run_event(&r, "end", 0), "processes"), 2, "the victim and its parent");
	/* the stranger is the test's own: end it and its children */
	kill(-stranger, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	run_free(&r);
}

/* ---- a child forkscope may not signal -------------------------------- */

static void copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	cr_assert(in >= 0 && out >= 0, "cannot copy %s to %s", from, to);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	cr_assert_eq(chmod(to, mode), 0);
}

CASE(hostile, a_child_that_refuses_signals_ends_the_teardown_in_bounded_time)
{
	char dir[] = "/tmp/fs-test-suid-XXXXXX", fs[128], sleeper[128], src[256];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(fs, sizeof(fs), "%s/forkscope", dir);
	snprintf(sleeper, sizeof(sleeper), "%s/setuid-sleep", dir);
	snprintf(src, sizeof(src), "%s/setuid-sleep", TEST_PROGS);
	copy_file(FORKSCOPE_BIN, fs, 0755);
	copy_file(src, sleeper, 04755);   /* owned by root: the test runs as root */

	int out[2], err[2];
	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(err), 0);
	pid_t fsp = fork();
	if (fsp == 0) {
		/* forkscope as an ordinary user, its program set-user-ID root */
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(125);
		/* (a copy of forkscope alone, without its Python hook: not
		 * wanted here, and not said) */
		execl(fs, fs, "--json", "--no-python-hook", "--", sleeper, "60", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	struct run r;
	memset(&r, 0, sizeof(r));
	r.pid = fsp;
	r.fd_out = out[0];
	r.fd_err = err[0];
	r.out = calloc(1, 1);
	r.err = calloc(1, 1);
	cr_assert(run_read_until(&r, "root now", 1, 20), "the setuid program did not start:\n%s%s",
	          r.out, r.err);
	double t0 = clock_now();
	kill(fsp, SIGTERM);
	run_finish(&r, 30);
	double took = clock_now() - t0;
	cr_assert_eq(r.status, 1, "exit %d; stderr: %s", r.status, r.err);
	cr_assert_lt(took, 10.0, "teardown took %.1f s", took);
	cr_assert(strstr(r.err, "could not end") && strstr(r.err, "setuid-sleep") &&
	          strstr(r.err, "not allowed"), "stderr: %s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end, "%s", r.out);
	cr_assert_eq(jint(end, "killed"), 0, "it was not killed");
	cr_assert_eq(jint(end, "unkillable"), 1);
	/* the test is root: it ends what forkscope could not */
	struct json_object *spawn = run_event(&r, "spawn", 0);
	pid_t left = (pid_t)jint(spawn, "pid");
	cr_assert_eq(proc_state(left) != 0, true, "the setuid program should still run");
	kill(left, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	run_free(&r);
	unlink(fs);
	unlink(sleeper);
	rmdir(dir);
}

/* ---- 2,000 children -------------------------------------------------- */

CASE(hostile, two_thousand_children_are_all_seen)
{
	struct run r;
	char fan[256];
	snprintf(fan, sizeof(fan), "%s/fan", TEST_PROGS);
	run_start(&r, (const char *const[]){ "--json", "--", fan, "2000", "60", NULL });
	/* fan holds its children until told: every one must have been seen */
	cr_assert(run_read_until(&r, "\"event\":\"spawn\"", 2001, 60),
	          "not all 2,000 children were seen");
	cr_assert(run_read_until(&r, "fan: 2000 children forked", 1, 30));
	pid_t fanpid = (pid_t)atoi(strstr(r.out, "\"pid\":") + 6);
	kill(fanpid, SIGUSR1);
	r.skip_output = true;
	run_finish(&r, 60);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end);
	cr_assert_eq(jint(end, "processes"), 2001);
	cr_assert_eq(jint(end, "max_alive"), 2001, "all 2,000 alive at one reading, with fan");
	run_free(&r);
}

struct fan_state {
	pid_t fan;
	char want;        /* 'T': all stopped; 0: none stopped */
};

static bool fan_is(void *arg)
{
	struct fan_state *st = arg;
	static pid_t kids[4096];
	size_t n = children_of(st->fan, 1, kids, 4096);
	if (n != 2000)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = proc_state(kids[i]);
		if (st->want == 'T' ? c != 'T' : c == 'T')
			return false;
	}
	return true;
}

CASE(hostile, pause_stops_all_two_thousand_children_and_resume_continues_them)
{
	char fan[256], err[256] = "", n[] = "2000", secs[] = "60";
	snprintf(fan, sizeof(fan), "%s/fan", TEST_PROGS);
	char *argv[] = { fan, n, secs, NULL };
	struct session_opts o = { .interval = 0.1, .tombstone_secs = 3, .cols = 80, .rows = 24 };
	struct session *s = session_start(argv, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	struct tracker_stats st;
	double until = clock_now() + 60;
	do {
		session_step(s, 0.1, -1);
		tracker_stats(session_tracker(s), &st);
	} while (st.running < 2001 && clock_now() < until);
	cr_assert_eq(st.running, 2001, "only %d of 2001 seen", st.running);
	struct fan_state fs = { session_root(s), 'T' };
	session_pause(s);
	cr_assert(wait_until(fan_is, &fs, 10), "not every child of 2,000 was stopped");
	cr_assert_eq(proc_state(fs.fan), 'T');
	session_resume(s);
	fs.want = 0;
	cr_assert(wait_until(fan_is, &fs, 10), "some children stayed stopped after resume");
	session_free(s);
}

/* ---- a tree that forks while it is paused ----------------------------- */

/* Every process below pid, breadth first, into out (up to max). */
static size_t tree_of(pid_t pid, pid_t *out, size_t max)
{
	size_t n = children_of(pid, 0, out, max);
	for (size_t i = 0; i < n; i++)
		n += children_of(out[i], 0, out + n, max - n);
	return n;
}

static bool tree_is_frozen(void *arg)
{
	static pid_t all[8192];
	pid_t root = *(pid_t *)arg;
	size_t n = tree_of(root, all, 8192);
	char c = proc_state(root);
	if (c != 'T')
		return false;
	for (size_t i = 0; i < n; i++) {
		c = proc_state(all[i]);
		if (c && c != 'T' && c != 'Z')
			return false;
	}
	return true;
}

CASE(hostile, pause_stops_a_tree_that_is_still_forking)
{
	char prog[256], err[256] = "", depth[] = "10";
	snprintf(prog, sizeof(prog), "%s/breeder", TEST_PROGS);
	char *argv[] = { prog, depth, NULL };
	struct session_opts o = { .interval = 0.05, .tombstone_secs = 3, .cols = 80, .rows = 24 };
	struct session *s = session_start(argv, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	struct tracker_stats st;
	double until = clock_now() + 30;
	do {
		session_step(s, 0.05, -1);
		tracker_stats(session_tracker(s), &st);
	} while (st.running < 40 && clock_now() < until);
	cr_assert_geq(st.running, 40, "the tree did not grow");
	/* paused in the middle of its growth: forks are in flight */
	session_pause(s);
	pid_t root = session_root(s);
	cr_assert(wait_until(tree_is_frozen, &root, 5), "a process forked during the pause runs on");
	/* the session's own reading of the frozen tree, then the same check */
	session_step(s, 0.2, -1);
	cr_assert(tree_is_frozen(&root), "the tree grew after the pause");
	session_resume(s);
	session_free(s);
}

/* ---- stepping once the cap has dropped events ------------------------ */

CASE(hostile, a_step_after_the_cap_dropped_events_goes_on)
{
	char err[256] = "", yes[] = "yes";
	char *argv[] = { yes, NULL };
	struct session_opts o = { .interval = 0.05, .tombstone_secs = 3, .cols = 80, .rows = 24,
	                          .memory = 4u << 20 };
	struct session *s = session_start(argv, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	unsigned long events = 0, output, lines;
	double until = clock_now() + 30;
	/* until yes is seen waiting on its terminal: after that it only prints */
	const struct proc_record *r;
	do {
		session_step(s, 0.05, -1);
		r = tracker_find(session_tracker(s), session_root(s));
	} while ((!r || r->told.on == ON_NONE) && clock_now() < until);
	cr_assert(r && r->told.on != ON_NONE, "yes never waited on its terminal");
	/* a step that does not end while only output comes, over the drops */
	session_step_event(s);
	while (events == 0 && clock_now() < until) {
		session_step(s, 0.05, -1);
		session_dropped(s, &events, &output, &lines);
	}
	cr_assert_gt(events, 0, "the cap was never reached");
	for (int i = 0; i < 20; i++)
		session_step(s, 0.05, -1);
	cr_assert(session_stepping(s), "no lifecycle event came, so the step goes on");
	session_free(s);
}

/* ---- teardown with readings seconds apart ---------------------------- */

CASE(hostile, teardown_with_a_long_interval_kills_what_ignores_sigterm)
{
	struct run r;
	/* SIG_IGN for SIGTERM is inherited through exec: three processes that
	 * only SIGKILL ends */
	run_start(&r, (const char *const[]){ "--json", "--interval", "5000", "--", "sh", "-c",
	          "trap '' TERM; sleep 60 & sleep 60 & echo ready; wait", NULL });
	/* the output line (not the command line that holds the word), and the
	 * two sleeps seen by a reading: all three are known to be running */
	cr_assert(run_read_until(&r, "\"text\":\"ready\"", 1, 20), "%s", r.out);
	cr_assert(run_read_until(&r, "\"comm\":\"sleep\"", 2, 20), "%s", r.out);
	kill(r.pid, SIGTERM);
	run_finish(&r, 30);
	cr_assert_eq(r.status, 128 + SIGTERM, "exit %d: %s", r.status, r.err);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end, "%s", r.out);
	cr_assert_eq(jint(end, "unkillable"), 0, "SIGKILL ended them: %s", r.err);
	cr_assert_eq(jint(end, "killed"), 3);
	cr_assert_lt(jnum(end, "seconds"), 5.0 + 4.0, "SIGKILL waited for a reading 5 s away");
	run_free(&r);
}

/* ---- long lines in a flood ------------------------------------------- */

CASE(hostile, a_flood_of_long_lines_stays_within_the_cap)
{
	struct run r;
	long limit_kib = flood_limit_kib();
	run_start(&r, (const char *const[]){ "--json", "--memory", "4", "--", "python3", "-c",
	          "import sys\nwhile True: sys.stdout.write('x' * 16000 + '\\n')", NULL });
	cr_assert(run_read_until(&r, "\"event\":\"dropped\"", 1, 60), "no dropped event");
	run_read_until(&r, "never printed", 1, 3.0);
	long rss = rss_kib(r.pid);
	cr_assert_lt(rss, limit_kib, "forkscope holds %ld KiB with --memory 4", rss);
	kill(r.pid, SIGTERM);
	r.skip_output = true;
	run_finish(&r, 30);
	run_free(&r);
}

/* ---- bytes a terminal or a JSON reader must not get raw --------------- */

CASE(hostile, nul_del_and_c1_in_output_are_escaped_in_json)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){ "--json", "--", "sh", "-c",
	              "printf 'a\\000b\\177c\\302\\233d\\n'", NULL });
	struct json_object *line = run_output(&r, "a");
	cr_assert_not_null(line, "%s", r.out);
	cr_assert_str_eq(jstr(line, "text"), "a^@b\x7f" "c\xc2\x9b" "d", "the whole line, NUL shown");
	cr_assert_null(memchr(r.out, 0x7f, r.olen), "a raw DEL in the JSON");
	cr_assert_null(strstr(r.out, "\xc2\x9b"), "a raw C1 CSI in the JSON");
	cr_assert(strstr(r.out, "\\u009b") && strstr(r.out, "\\u007f"), "%s", r.out);
	run_free(&r);
}

/* ---- more processes than descriptors --------------------------------- */

CASE(hostile, a_tree_wider_than_the_open_files_limit_is_seen_whole)
{
	char fan[256];
	snprintf(fan, sizeof(fan), "%s/fan", TEST_PROGS);
	int out[2], err[2];
	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(err), 0);
	pid_t fsp = fork();
	if (fsp == 0) {
		/* a hard limit of 512 descriptors: 1,000 processes cannot each
		 * keep one */
		struct rlimit rl = { 512, 512 };
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			_exit(125);
		execl(FORKSCOPE_BIN, FORKSCOPE_BIN, "--json", "--", fan, "1000", "60", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	struct run r;
	memset(&r, 0, sizeof(r));
	r.pid = fsp;
	r.fd_out = out[0];
	r.fd_err = err[0];
	r.out = calloc(1, 1);
	r.err = calloc(1, 1);
	cr_assert(run_read_until(&r, "\"event\":\"spawn\"", 1001, 60),
	          "not all 1,000 children were seen: %s", r.err);
	cr_assert(run_read_until(&r, "fan: 1000 children forked", 1, 30));
	pid_t fanpid = (pid_t)atoi(strstr(r.out, "\"pid\":") + 6);
	kill(fanpid, SIGUSR1);
	r.skip_output = true;
	run_finish(&r, 60);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	struct json_object *end = run_event(&r, "end", 0);
	cr_assert_not_null(end);
	cr_assert_eq(jint(end, "processes"), 1001);
	cr_assert_eq(jint(end, "max_alive"), 1001, "max_alive %ld", jint(end, "max_alive"));
	cr_assert_eq(run_count(&r, "spawn"), 1001, "nobody reported twice");
	run_free(&r);
}
