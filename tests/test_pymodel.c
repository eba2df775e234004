/*
 * test_pymodel.c - what the Python hook's messages become, without a
 * program: parsing (what is refused), the tracker's names and tasks, the
 * identity check, the lookups the probe and the wait classifier use, and
 * the bounds.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "blocked.h"
#include "history.h"
#include "pymodel.h"
#include "tracker.h"

static bool parse(const char *text, struct py_msg *m)
{
	return pymodel_parse(text, strlen(text), m);
}

Test(pymodel, parses_what_the_hook_sends_and_refuses_the_rest)
{
	struct py_msg m;

	cr_assert(parse("{\"e\":\"name\",\"pid\":5,\"start\":77,\"mono\":12.5,\"name\":\"dongGe\","
	                "\"role\":\"process\"}", &m));
	cr_assert_eq(m.kind, PYM_NAME);
	cr_assert_str_eq(m.name, "dongGe");
	cr_assert_eq(m.role, PY_ROLE_PROCESS);
	cr_assert_eq(m.start, 77);
	cr_assert_float_eq(m.mono, 12.5, 1e-9);
	cr_assert(parse("{\"e\":\"queue\",\"name\":\"q\",\"kind\":\"Queue\",\"pipe\":123,"
	                "\"maxsize\":3,\"sem\":4096,\"locks\":[8192,0,\"x\"]}", &m));
	cr_assert_eq(m.pipe, 123);
	cr_assert_eq(m.maxsize, 3);
	cr_assert_eq(m.sems[0], 4096);
	cr_assert_eq(m.sems[1], 8192);
	cr_assert_eq(m.sems[2], 0, "what is not an address is left out");
	cr_assert(parse("{\"e\":\"mqueue\",\"ref\":\"7f00aa\",\"fill\":2}", &m));
	cr_assert_eq(m.ref, 0x7f00aa);
	/* not JSON, not an object, an unknown kind, what a kind needs missing,
	 * trailing bytes */
	const char *bad[] = { "", "name", "[1,2]", "{\"e\":\"launch\"}", "{\"e\":\"name\"}",
	                      "{\"e\":\"queue\",\"name\":\"q\"}", "{\"e\":\"task\"} x",
	                      "{\"e\":\"conn\",\"socket\":5}", NULL };
	for (size_t i = 0; bad[i]; i++)
		cr_assert_not(parse(bad[i], &m), "accepted %s", bad[i]);
}

/* A tracker with forkscope (1), the program (10) and its child (11). */
static struct tracker *two(struct history *h)
{
	struct tracker *tr = tracker_new(1, 10, NULL);
	struct frame f;

	frame_init(&f);
	f.self = 1;
	f.root = 10;
	f.t = 0.1;
	const pid_t pids[] = { 1, 10, 11 }, ppids[] = { 0, 1, 10 };
	for (int i = 0; i < 3; i++) {
		struct proc_sample *p = frame_add_proc(&f);
		p->pid = pids[i];
		p->ppid = ppids[i];
		p->start = 100 + (unsigned long long)i;
		p->state = 'S';
		p->nlwp = 1;
		p->syscall = -1;
		p->timeout_left = -1;
		snprintf(p->comm, sizeof(p->comm), "python3");
		snprintf(p->cmd, sizeof(p->cmd), "python3 pool.py");
	}
	frame_sort(&f);
	tracker_apply(tr, &f, h);
	frame_release(&f);
	return tr;
}

static bool hook(struct tracker *tr, pid_t pid, const char *text, struct history *h)
{
	return tracker_hook(tr, pid, text, strlen(text), 0.2, h);
}

Test(pymodel, names_and_tasks_are_titles_of_the_confirmed_process)
{
	struct history *h = history_new(0);
	struct tracker *tr = two(h);
	size_t before = history_count(h);

	/* another process's start time: not this one's message */
	cr_assert_not(hook(tr, 11, "{\"e\":\"name\",\"start\":999,\"name\":\"Process-1\"}", h));
	/* a PID not in the tree */
	cr_assert_not(hook(tr, 42, "{\"e\":\"name\",\"name\":\"Process-1\"}", h));
	cr_assert_eq(history_count(h), before);
	cr_assert(hook(tr, 11, "{\"e\":\"name\",\"start\":102,\"name\":\"ForkPoolWorker-1\","
	                       "\"role\":\"pool-worker\"}", h));
	cr_assert_str_eq(tracker_name(tracker_find(tr, 11)), "ForkPoolWorker-1");
	cr_assert(hook(tr, 11, "{\"e\":\"task\",\"start\":102,\"task\":\"worker(7)\"}", h));
	cr_assert_str_eq(tracker_name(tracker_find(tr, 11)), "ForkPoolWorker-1: worker(7)");
	cr_assert(hook(tr, 11, "{\"e\":\"task\",\"start\":102,\"task\":\"\"}", h));
	cr_assert_str_eq(tracker_name(tracker_find(tr, 11)), "ForkPoolWorker-1");
	cr_assert_eq(tracker_find(tr, 11)->pyrole, PY_ROLE_POOL_WORKER);
	/* two titles: the name, the task (back to idle is no event: the
	 * next task is) */
	cr_assert_eq(history_count(h), before + 2);
	const struct event *ev = history_at(h, before + 1);
	cr_assert_eq(ev->type, EV_TITLE);
	cr_assert_str_eq(ev->text, "ForkPoolWorker-1: worker(7)");
	cr_assert_str_eq(ev->what, "task");
	cr_assert_str_eq(history_at(h, before)->what, "name");
	tracker_free(tr);
	history_free(h);
}

Test(pymodel, futexes_and_pipes_are_the_objects_the_hook_named)
{
	struct history *h = history_new(0);
	struct tracker *tr = two(h);

	hook(tr, 10, "{\"e\":\"queue\",\"start\":101,\"name\":\"q\",\"kind\":\"Queue\","
	             "\"pipe\":555,\"maxsize\":3,\"sem\":4096,\"locks\":[8192]}", h);
	hook(tr, 11, "{\"e\":\"sync\",\"start\":102,\"name\":\"ready\",\"kind\":\"Event\","
	             "\"sems\":[12288]}", h);
	const struct pymodel *py = tracker_py(tr);
	const struct py_queue *q = pymodel_queue(py, 555);
	cr_assert_not_null(q);
	cr_assert_str_eq(q->name, "q");
	cr_assert_eq(pymodel_queue_sem(py, 555, 10, 101), 4096);
	cr_assert_eq(pymodel_queue_sem(py, 555, 10, 555), 0, "another process with PID 10");
	cr_assert_eq(pymodel_queue_sem(py, 555, 11, 102), 0, "11 did not say where it has it");
	struct py_futex fx;
	cr_assert(pymodel_futex(py, 10, 4096, &fx));
	cr_assert(fx.queue && fx.put);
	cr_assert(pymodel_futex(py, 10, 8192, &fx));
	cr_assert(fx.queue && !fx.put, "the queue's lock: a get waiting its turn");
	cr_assert_not(pymodel_futex(py, 11, 4096, &fx), "an address is one process's");
	cr_assert(pymodel_futex(py, 11, 12288, &fx));
	cr_assert_str_eq(fx.kind, "Event");

	/* the classifier: a futex on the semaphore is a put on q */
	struct proc_sample p = { .pid = 10, .state = 'S', .timeout_left = 1.5, .poll_fd = -1 };
	struct frame f;
	frame_init(&f);
	p.syscall = 202;     /* futex on x86_64 */
	p.args[0] = 4096;
	struct blocked b;
	blocked_classify(&p, &f, blocked_arch("x86_64"), py, &b);
	cr_assert_eq(b.on, ON_QUEUE_PUT);
	cr_assert_str_eq(b.channel, "q");
	cr_assert_float_eq(b.timeout_left, 1.5, 1e-9);
	p.pid = 11;
	p.args[0] = 12288;
	blocked_classify(&p, &f, blocked_arch("x86_64"), py, &b);
	cr_assert_eq(b.on, ON_EVENT);
	cr_assert_str_eq(b.channel, "ready");
	frame_release(&f);
	tracker_free(tr);
	history_free(h);
}

Test(pymodel, what_it_keeps_is_bounded)
{
	struct pymodel *m = pymodel_new();
	struct py_msg msg;
	char text[256];

	for (int i = 1; i <= PY_MAX_ITEMS + 100; i++) {
		snprintf(text, sizeof(text), "{\"e\":\"queue\",\"name\":\"q%d\",\"pipe\":%d}", i, i);
		cr_assert(pymodel_parse(text, strlen(text), &msg));
		pymodel_apply(m, 10, 0, &msg);
	}
	cr_assert_not_null(pymodel_queue(m, PY_MAX_ITEMS));
	cr_assert_null(pymodel_queue(m, PY_MAX_ITEMS + 1), "past the cap, nothing is kept");
	size_t bytes = pymodel_bytes(m);
	cr_assert_lt(bytes, (size_t)PY_MAX_ITEMS * 4 * sizeof(struct py_queue));
	/* what a process said goes with it */
	snprintf(text, sizeof(text), "{\"e\":\"wait\",\"what\":\"pool-join\",\"name\":\"po\"}");
	cr_assert(pymodel_parse(text, strlen(text), &msg));
	pymodel_apply(m, 10, 0, &msg);
	cr_assert_not_null(pymodel_wait(m, 10));
	pymodel_forget(m, 10);
	cr_assert_null(pymodel_wait(m, 10));
	pymodel_free(m);
}
