/*
 * test_bench_cost.c - the benchmark's own code (bench/bench_cost.c), on its
 * small case, so that `make test` keeps it working.
 *
 * It runs `bench_cost --quick` (a tree of 4 and a fork bomb of 8, no other
 * processes, one short run, no htop) and checks its JSON lines: each
 * parses, has the fields a script reads, and holds sane values.  Never a
 * timing: a number is checked to be there and finite, not how large it is.
 * CASE() checks that nothing the benchmark started is left.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(bench_cost, .timeout = 90, .fini = helpers_cleanup);

/* The JSON lines of one --quick run; the whole output for messages. */
struct quick {
	char *out;
	struct json_object *line[64];
	size_t n;
	int status;
};

static void run_quick(struct quick *q)
{
	int fds[2];

	memset(q, 0, sizeof(*q));
	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(BENCH_DIR "/bench_cost", "bench_cost", "--quick", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t len = 0, cap = 1 << 16;
	q->out = malloc(cap);
	ssize_t got;
	/* the benchmark's own children never hold this pipe past its end: it
	 * gives them /dev/null or files, so the read ends when it exits */
	while ((got = read(fds[0], q->out + len, cap - len - 1)) > 0 || (got < 0 && errno == EINTR)) {
		len += got > 0 ? (size_t)got : 0;
		if (cap - len < 4096)
			q->out = realloc(q->out, cap *= 2);
	}
	q->out[len] = '\0';
	close(fds[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	q->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	char *save = NULL, *copy = strdup(q->out);
	for (char *l = strtok_r(copy, "\n", &save); l && q->n < 64; l = strtok_r(NULL, "\n", &save)) {
		if (l[0] != '{')
			continue;
		struct json_object *o = json_tokener_parse(l);
		cr_assert_not_null(o, "a JSON line that does not parse: %s", l);
		q->line[q->n++] = o;
	}
	free(copy);
}

static void quick_free(struct quick *q)
{
	for (size_t i = 0; i < q->n; i++)
		json_object_put(q->line[i]);
	free(q->out);
}

static size_t count(const struct quick *q, const char *bench)
{
	size_t n = 0;

	for (size_t i = 0; i < q->n; i++)
		n += strcmp(jstr(q->line[i], "bench"), bench) == 0;
	return n;
}

static struct json_object *nth(const struct quick *q, const char *bench, size_t k)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(jstr(q->line[i], "bench"), bench) == 0 && k-- == 0)
			return q->line[i];
	return NULL;
}

/* key is there, and a finite number greater than 0. */
static void assert_positive(struct json_object *o, const char *key, const char *out)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no %s in %s\n%s", key,
	          json_object_to_json_string(o), out);
	cr_assert(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int),
	          "%s is not a number in %s", key, json_object_to_json_string(o));
	double d = json_object_get_double(v);
	cr_assert(isfinite(d) && d > 0, "%s is %g in %s", key, d, json_object_to_json_string(o));
}

/* key is there: null or a finite number >= 0. */
static void assert_null_or_number(struct json_object *o, const char *key)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(o, key, &v), "no %s in %s", key,
	          json_object_to_json_string(o));
	if (v == NULL)
		return;
	double d = json_object_get_double(v);
	cr_assert(isfinite(d) && d >= 0, "%s is %g in %s", key, d, json_object_to_json_string(o));
}

CASE(bench_cost, quick_run_prints_every_row)
{
	struct quick q;

	run_quick(&q);
	cr_assert_eq(q.status, 0, "bench_cost --quick exited %d:\n%s", q.status, q.out);
	cr_assert(strstr(q.out, "tree") && strstr(q.out, "Goals"), "no table:\n%s", q.out);

	/* the cost table: the tree of 4 and the bomb of 8, no others */
	cr_assert_eq(count(&q, "cost"), 2, "cost rows:\n%s", q.out);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *r = nth(&q, "cost", i);
		cr_assert_eq(jint(r, "tree"), i == 0 ? 4 : 8);
		cr_assert_eq(jint(r, "others"), 0);
		cr_assert_eq(jint(r, "runs"), 1);
		/* what is measured here is there, a cost, and its ratios finite */
		assert_positive(r, "headless_us", q.out);
		assert_positive(r, "full_scan_us", q.out);
		assert_positive(r, "full_scan_x", q.out);
		/* tmux and htop may be missing: null then, never NaN */
		assert_null_or_number(r, "fullscreen_us");
		assert_null_or_number(r, "fullscreen_x");
		struct json_object *h;
		cr_assert(json_object_object_get_ex(r, "htop_us", &h) && h == NULL,
		          "--quick measures no htop: %s", json_object_to_json_string(r));
	}
	/* tmux is a test dependency (test_tui): the full screen was measured */
	assert_positive(nth(&q, "cost", 0), "fullscreen_us", q.out);

	struct json_object *rss = nth(&q, "rss", 0);
	cr_assert_not_null(rss, "no rss line:\n%s", q.out);
	assert_positive(rss, "peak_rss_mib", q.out);
	cr_assert_eq(jint(rss, "processes"), 200);
	/* every round shows up: two spawns and a line of output at least */
	cr_assert_geq(jint(rss, "events"), 300, "%s", json_object_to_json_string(rss));
	cr_assert(jbool(rss, "complete"), "%s", json_object_to_json_string(rss));

	cr_assert_eq(count(&q, "caught"), 2);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *c = nth(&q, "caught", i);
		cr_assert_str_eq(jstr(c, "events"), i == 0 ? "connector" : "poll");
		cr_assert_eq(jint(c, "of"), 300);
		assert_null_or_number(c, "caught");
		cr_assert_leq(jint(c, "caught"), 300, "%s", json_object_to_json_string(c));
	}
	/* polling has nothing to refuse: it always runs */
	cr_assert_geq(jint(nth(&q, "caught", 1), "caught"), 0, "%s", q.out);

	/* every goal is printed; with no others and no htop only the memory
	 * one can be judged, and it is, one way or the other */
	cr_assert_eq(count(&q, "goal"), 7, "%s", q.out);
	for (size_t i = 0; i < 7; i++) {
		struct json_object *g = nth(&q, "goal", i), *met;
		cr_assert(strlen(jstr(g, "goal")) > 0 && strlen(jstr(g, "target")) > 0);
		cr_assert(json_object_object_get_ex(g, "met", &met));
		if (strstr(jstr(g, "goal"), "RSS"))
			cr_assert(json_object_is_type(met, json_type_boolean), "%s",
			          json_object_to_json_string(g));
		else
			cr_assert_null(met, "judged without the numbers: %s",
			               json_object_to_json_string(g));
	}
	quick_free(&q);
}

CASE(bench_cost, refuses_an_unknown_option)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(BENCH_DIR "/bench_cost", "bench_cost", "--quik", (char *)NULL);
		_exit(127);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 2, "status %d", st);
}
