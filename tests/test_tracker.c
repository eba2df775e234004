/*
 * test_tracker.c - synthetic frames in, events out.
 *
 * No process is started here: every frame is written by hand, as a sampler
 * would have read it, so each lifecycle rule can be checked exactly.
 */
#include <string.h>
#include <sys/wait.h>

#include <seccomp.h>

#include "helpers.h"
#include "history.h"
#include "moment.h"
#include "tracker.h"

enum { SELF = 100, ROOT = 200 };

/* Nothing here may take long: a loop that never ends is a failure. */
TestSuite(tracker, .timeout = 10, .fini = helpers_cleanup);

struct fixture {
	struct tracker *tr;
	struct history *h;
	struct frame f;
	size_t seen;      /* events already looked at */
};

static void fx_init(struct fixture *x)
{
	x->tr = tracker_new(SELF, ROOT, NULL);
	x->h = history_new(0);
	frame_init(&x->f);
	x->seen = 0;
}

static void fx_free(struct fixture *x)
{
	tracker_free(x->tr);
	history_free(x->h);
	frame_release(&x->f);
}

/* Starts a new frame at time t with forkscope itself in it. */
static void begin(struct fixture *x, double t);

static struct proc_sample *put(struct fixture *x, pid_t pid, pid_t ppid,
                               unsigned long long start, char state, const char *comm)
{
	struct proc_sample *p = frame_add_proc(&x->f);
	p->pid = pid;
	p->ppid = ppid;
	p->start = start;
	p->state = state;
	p->nlwp = 1;
	p->exit_code = -1;
	p->code_start = 0x1000;
	p->syscall = -1;            /* not in a system call */
	strcpy(p->comm, comm);
	strcpy(p->cmd, comm);
	return p;
}

static void begin(struct fixture *x, double t)
{
	frame_clear(&x->f);
	x->f.t = t;
	x->f.self = SELF;
	x->f.root = ROOT;
	put(x, SELF, 1, 1, 'S', "forkscope");
}

/* Sorts and applies the frame; returns how many events it added. */
static size_t apply(struct fixture *x)
{
	size_t before = history_count(x->h);

	frame_sort(&x->f);
	tracker_apply(x->tr, &x->f, x->h);
	return history_count(x->h) - before;
}

/* The next event not looked at yet; fails when there is none. */
static const struct event *next(struct fixture *x)
{
	cr_assert_lt(x->seen, history_count(x->h), "expected another event");
	return history_at(x->h, x->seen++);
}

static const struct event *expect(struct fixture *x, enum event_type type, pid_t pid)
{
	const struct event *ev = next(x);
	cr_assert_eq(ev->type, type, "event %zu is %s, expected %s", x->seen - 1,
	             event_type_name(ev->type), event_type_name(type));
	cr_assert_eq(ev->pid, pid, "%s event for %d, expected %d", event_type_name(type),
	             (int)ev->pid, (int)pid);
	return ev;
}

static void expect_no_more(struct fixture *x)
{
	cr_assert_eq(x->seen, history_count(x->h), "unexpected %s event",
	             x->seen < history_count(x->h) ?
	             event_type_name(history_at(x->h, x->seen)->type) : "");
}

CASE(tracker, spawn_parent_first)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, 201, ROOT, 11, 'S', "child");   /* listed first, born later */
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	const struct event *ev = expect(&x, EV_SPAWN, ROOT);
	cr_assert_eq(ev->ppid, SELF);
	cr_assert_eq(ev->t, 0.1);
	ev = expect(&x, EV_SPAWN, 201);
	cr_assert_eq(ev->ppid, ROOT);
	expect_no_more(&x);
	/* the same frame again: nothing new happened */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	cr_assert_eq(apply(&x), 0);
	fx_free(&x);
}

CASE(tracker, zombie_exit_status_then_reap)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'R', "child");
	apply(&x);
	x.seen = history_count(x.h);

	begin(&x, 0.5);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'Z', "child")->exit_code = 3 << 8;
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, 201);
	cr_assert_eq(ev->status, 3);
	cr_assert_eq(ev->signal, -1);
	cr_assert(ev->zombie);
	cr_assert_eq(ev->ppid, ROOT);
	const struct proc_record *r = tracker_find(x.tr, 201);
	cr_assert_eq(r->phase, PHASE_ZOMBIE);
	cr_assert_eq(r->died, 0.5);
	expect_no_more(&x);

	/* still a zombie: no new event */
	begin(&x, 1.0);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'Z', "child")->exit_code = 3 << 8;
	cr_assert_eq(apply(&x), 0);

	begin(&x, 2.5);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	ev = expect(&x, EV_REAP, 201);
	cr_assert_eq(ev->by, ROOT);
	cr_assert_eq(ev->t, 2.5);
	expect_no_more(&x);
	r = tracker_find(x.tr, 201);
	cr_assert_eq(r->phase, PHASE_REAPED);
	cr_assert_eq(r->exit_status, 3);

	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.zombies, 1);
	cr_assert_eq(st.processes, 2);
	fx_free(&x);
}

CASE(tracker, killed_by_signal)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'R', "child");
	apply(&x);
	x.seen = history_count(x.h);
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'Z', "child")->exit_code = SIGKILL;
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, 201);
	cr_assert_eq(ev->signal, SIGKILL);
	cr_assert_eq(ev->status, -1);
	fx_free(&x);
}

CASE(tracker, orphan_reparented_to_forkscope)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	apply(&x);
	x.seen = history_count(x.h);

	/* the parent left (forkscope reaped it) and the child now hangs under forkscope */
	begin(&x, 0.3);
	put(&x, 201, SELF, 11, 'S', "child");
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, ROOT);
	cr_assert_not(ev->zombie, "never seen as a zombie");
	expect(&x, EV_REAP, ROOT);
	ev = expect(&x, EV_REPARENT, 201);
	cr_assert_eq(ev->old_ppid, ROOT);
	cr_assert_eq(ev->ppid, SELF);
	cr_assert(ev->orphan);
	expect_no_more(&x);
	const struct proc_record *r = tracker_find(x.tr, 201);
	cr_assert(r->orphan);
	cr_assert_eq(r->orig_ppid, ROOT);
	cr_assert_eq(r->ppid, SELF);
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.orphans, 1);
	fx_free(&x);
}

CASE(tracker, ppid_one_is_not_orphanhood)
{
	struct fixture x;
	fx_init(&x);
	/* a process first seen as a child of PID 1 (say, attached to) is no orphan */
	begin(&x, 0.1);
	put(&x, 300, 1, 10, 'S', "daemon");
	apply(&x);
	const struct event *ev = expect(&x, EV_SPAWN, 300);
	cr_assert_eq(ev->ppid, 1);
	expect_no_more(&x);
	cr_assert_not(tracker_find(x.tr, 300)->orphan);

	/* its parent changes while its original parent (PID 1) is alive: not orphaned
	 * either (PID 1 is not in our frames, so its fate is unknown: gone) */
	fx_free(&x);
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	apply(&x);
	x.seen = history_count(x.h);
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, 150, 11, 'S', "child");   /* moved while ROOT lives */
	apply(&x);
	ev = expect(&x, EV_REPARENT, 201);
	cr_assert_not(ev->orphan, "its original parent is still alive");
	cr_assert_not(tracker_find(x.tr, 201)->orphan);
	fx_free(&x);
}

CASE(tracker, adopted_before_first_seen)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 205, SELF, 12, 'S', "orphan");
	apply(&x);
	expect(&x, EV_SPAWN, ROOT);
	expect(&x, EV_SPAWN, 205);
	const struct event *ev = expect(&x, EV_REPARENT, 205);
	cr_assert(ev->orphan);
	cr_assert_eq(ev->old_ppid, 0, "the original parent is unknown");
	expect_no_more(&x);
	cr_assert_not(tracker_find(x.tr, ROOT)->orphan, "the root is forkscope's own child");
	fx_free(&x);
}

CASE(tracker, pid_reuse_is_a_new_process)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "first");
	apply(&x);
	x.seen = history_count(x.h);
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 50, 'S', "second");   /* same PID, later start */
	apply(&x);
	expect(&x, EV_EXIT, 201);
	const struct event *ev = expect(&x, EV_REAP, 201);
	cr_assert_eq(ev->by, ROOT);
	ev = expect(&x, EV_SPAWN, 201);
	cr_assert_str_eq(ev->comm, "second");
	expect_no_more(&x);
	size_t n;
	const struct proc_record *rec = tracker_records(x.tr, &n);
	int with_pid = 0;
	for (size_t i = 0; i < n; i++)
		with_pid += rec[i].pid == 201;
	cr_assert_eq(with_pid, 2, "the old one is a tombstone beside the new one");
	cr_assert_eq(tracker_find(x.tr, 201)->start, 50);
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.processes, 3);
	fx_free(&x);
}

CASE(tracker, vanished_between_reads)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'R', "child");
	apply(&x);
	x.seen = history_count(x.h);
	/* gone without ever being read as a zombie */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, 201);
	cr_assert_not(ev->zombie);
	cr_assert_eq(ev->status, -1, "the status is unknown");
	ev = expect(&x, EV_REAP, 201);
	cr_assert_eq(ev->by, ROOT);
	expect_no_more(&x);
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.zombies, 0);
	fx_free(&x);
}

CASE(tracker, forkscope_reaps_its_own_child)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	x.seen = history_count(x.h);
	/* read as a zombie, then forkscope's waitpid() reaped it in the same tick */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'Z', "parent")->exit_code = 7 << 8;
	frame_add_reap(&x.f, ROOT, 7 << 8);
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, ROOT);
	cr_assert_eq(ev->status, 7);
	cr_assert_not(ev->zombie, "nobody could watch a zombie reaped at once");
	ev = expect(&x, EV_REAP, ROOT);
	cr_assert_eq(ev->by, SELF);
	expect_no_more(&x);
	/* next tick it is simply absent: nothing more to say */
	begin(&x, 0.3);
	cr_assert_eq(apply(&x), 0);
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.zombies, 0);
	cr_assert_eq(st.alive, 0);
	fx_free(&x);
}

CASE(tracker, reap_note_gives_status_of_unseen_exit)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	x.seen = history_count(x.h);
	/* read alive, died and was reaped by forkscope before the tick ended */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'R', "parent");
	frame_add_reap(&x.f, ROOT, SIGTERM);
	apply(&x);
	const struct event *ev = expect(&x, EV_EXIT, ROOT);
	cr_assert_eq(ev->signal, SIGTERM);
	ev = expect(&x, EV_REAP, ROOT);
	cr_assert_eq(ev->by, SELF);
	expect_no_more(&x);
	fx_free(&x);
}

CASE(tracker, exec_and_title)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "sh");
	apply(&x);
	x.seen = history_count(x.h);

	begin(&x, 0.2);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "sleep");
	p->code_start = 0x2000;     /* a new program image */
	strcpy(p->cmd, "sleep 3");
	apply(&x);
	const struct event *ev = expect(&x, EV_EXEC, ROOT);
	cr_assert_str_eq(ev->text, "sleep 3");
	cr_assert_str_eq(ev->comm, "sleep");
	expect_no_more(&x);

	begin(&x, 0.3);
	p = put(&x, ROOT, SELF, 10, 'S', "worker 2");
	p->code_start = 0x2000;     /* same image: it renamed itself */
	apply(&x);
	ev = expect(&x, EV_TITLE, ROOT);
	cr_assert_str_eq(ev->text, "worker 2");
	expect_no_more(&x);
	fx_free(&x);
}

/* A copy of the model (a checkpoint) shares the records' names with it:
 * what the model learns later, or its end, leaves the copy as it was. */
CASE(tracker, a_clone_keeps_its_names_whatever_the_model_does)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "sh");
	put(&x, 300, ROOT, 20, 'S', "sh");
	apply(&x);
	struct tracker *copy = tracker_clone(x.tr);

	begin(&x, 0.2);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "sleep");
	p->code_start = 0x2000;
	strcpy(p->cmd, "sleep 3");
	apply(&x);
	cr_assert_str_eq(tracker_find(x.tr, ROOT)->cmd, "sleep 3");
	/* the model ends (300 reaped, every record freed): the copy is whole */
	begin(&x, 0.3);
	apply(&x);
	fx_free(&x);
	const struct proc_record *r = tracker_find(copy, ROOT);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->cmd, "sh");
	cr_assert_str_eq(r->comm, "sh");
	cr_assert_str_eq(r->title, "");
	cr_assert_str_eq(tracker_find(copy, 300)->comm, "sh");
	tracker_free(copy);
}

CASE(tracker, exec_caught_halfway_is_told_whole)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "sh");
	apply(&x);
	x.seen = history_count(x.h);
	/* the new image is mapped, its command line not readable yet */
	begin(&x, 0.2);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'R', "sleep");
	p->code_start = 0x2000;
	p->cmd[0] = '\0';
	cr_assert_eq(apply(&x), 0, "no half-told exec, and no title either");
	begin(&x, 0.3);
	p = put(&x, ROOT, SELF, 10, 'S', "sleep");
	p->code_start = 0x2000;
	strcpy(p->cmd, "sleep 3");
	apply(&x);
	const struct event *ev = expect(&x, EV_EXEC, ROOT);
	cr_assert_str_eq(ev->text, "sleep 3");
	expect_no_more(&x);
	fx_free(&x);
}

CASE(tracker, events_name_the_other_process_as_it_was)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "sh");
	apply(&x);
	x.seen = history_count(x.h);
	/* in one tick the shell forked, then exec'd sleep */
	begin(&x, 0.2);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "sleep");
	p->code_start = 0x2000;
	strcpy(p->cmd, "sleep 3");
	put(&x, 201, ROOT, 11, 'S', "sh");
	apply(&x);
	const struct event *ev = expect(&x, EV_SPAWN, 201);
	cr_assert_str_eq(ev->pcomm, "sh", "it forked as sh, not as sleep");
	cr_assert_not(ev->pself);
	expect(&x, EV_EXEC, ROOT);
	expect_no_more(&x);
	/* the root's own spawn names forkscope */
	cr_assert(history_at(x.h, 0)->pself);
	cr_assert_str_eq(history_at(x.h, 0)->pcomm, "forkscope");
	fx_free(&x);
}

CASE(tracker, deaths_are_told_children_first)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	put(&x, 202, 201, 12, 'S', "grandchild");
	put(&x, 203, ROOT, 13, 'S', "child 2");
	apply(&x);
	x.seen = history_count(x.h);
	/* the grandchild and both children ended between two ticks */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	expect(&x, EV_EXIT, 202);
	const struct event *ev = expect(&x, EV_REAP, 202);
	cr_assert_eq(ev->by, 201);
	cr_assert_str_eq(ev->pcomm, "child");
	cr_assert_not(ev->zombie);
	/* then the children, in the order they were born */
	expect(&x, EV_EXIT, 201);
	expect(&x, EV_REAP, 201);
	expect(&x, EV_EXIT, 203);
	expect(&x, EV_REAP, 203);
	expect_no_more(&x);
	fx_free(&x);
}

CASE(tracker, teardown_tells_no_orphans)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	apply(&x);
	x.seen = history_count(x.h);
	tracker_set_teardown(x.tr);
	/* forkscope killed the parent: the child is adopted on the way out */
	begin(&x, 0.2);
	put(&x, 201, SELF, 11, 'S', "child");
	put(&x, 205, SELF, 12, 'S', "late");   /* first seen now, adopted */
	apply(&x);
	for (size_t i = x.seen; i < history_count(x.h); i++)
		cr_assert_neq(history_at(x.h, i)->type, EV_REPARENT, "no orphan story in teardown");
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.orphans, 0);
	cr_assert_eq(st.processes, 3, "the late one still counts as a process");
	fx_free(&x);
}

CASE(tracker, tombstones_stay_and_a_moment_shows_them_a_while)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child");
	apply(&x);
	begin(&x, 1.0);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	const struct proc_record *r = tracker_find(x.tr, 201);
	cr_assert_not_null(r, "a tombstone right after the reap");
	cr_assert_eq(r->phase, PHASE_REAPED);
	cr_assert_eq(r->reaped, 1.0);
	begin(&x, 4.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	r = tracker_find(x.tr, 201);
	cr_assert_not_null(r, "the model keeps it: the end of a run shows every process");
	struct moment m = { .tracker = x.tr, .tombstone_secs = 3.0, .t = 3.9 };
	cr_assert(moment_shows(&m, r), "drawn 2.9 s after the reap");
	m.t = 4.1;
	cr_assert_not(moment_shows(&m, r), "not drawn 3.1 s after it");
	m.final = true;
	cr_assert(moment_shows(&m, r), "drawn again at the end of the run");
	fx_free(&x);
}

CASE(tracker, keeps_the_newest_tombstones_only)
{
	struct fixture x;
	fx_init(&x);
	/* twice the tombstones kept, one reaped per reading */
	for (int i = 0; i < 2 * TRACKER_KEEP_REAPED + 1; i++) {
		begin(&x, 0.1 * (i + 1));
		put(&x, ROOT, SELF, 10, 'S', "parent");
		if (i < 2 * TRACKER_KEEP_REAPED)
			put(&x, 1000 + i, ROOT, 20 + (unsigned long long)i, 'S', "child");
		apply(&x);
	}
	size_t n, reaped = 0;
	const struct proc_record *rec = tracker_records(x.tr, &n);
	double oldest = 1e9;
	for (size_t i = 0; i < n; i++)
		if (rec[i].phase == PHASE_REAPED) {
			reaped++;
			if (rec[i].reaped < oldest)
				oldest = rec[i].reaped;
		}
	cr_assert_geq(reaped, TRACKER_KEEP_REAPED, "%zu kept", reaped);
	cr_assert_leq(reaped, TRACKER_KEEP_REAPED + TRACKER_KEEP_REAPED / 4, "%zu kept", reaped);
	cr_assert_gt(oldest, 0.1 * TRACKER_KEEP_REAPED / 2, "the oldest went first (%.1f)", oldest);
	cr_assert_not_null(tracker_find(x.tr, 1000 + 2 * TRACKER_KEEP_REAPED - 1), "the newest stays");
	fx_free(&x);
}

CASE(tracker, max_alive_counts_the_peak)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "a");
	put(&x, 201, ROOT, 11, 'S', "b");
	put(&x, 202, ROOT, 12, 'S', "c");
	apply(&x);
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "a");
	put(&x, 202, ROOT, 12, 'Z', "c")->exit_code = 0;
	apply(&x);
	struct tracker_stats st;
	tracker_stats(x.tr, &st);
	cr_assert_eq(st.max_alive, 3);
	cr_assert_eq(st.alive, 2, "the living one and the zombie are still in /proc");
	fx_free(&x);
}

CASE(tracker, tree_order_and_depth)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'S', "child 1");
	put(&x, 203, 201, 12, 'S', "grandchild");
	put(&x, 202, ROOT, 13, 'S', "child 2");
	apply(&x);
	size_t n;
	const struct proc_record *rec = tracker_records(x.tr, &n);
	struct tree_row rows[8];
	cr_assert_eq(tracker_tree(x.tr, NULL, rows), 5);
	pid_t want_pid[] = { SELF, ROOT, 201, 203, 202 };
	int want_depth[] = { 0, 1, 2, 3, 2 };
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(rec[rows[i].index].pid, want_pid[i], "row %d", i);
		cr_assert_eq(rows[i].depth, want_depth[i], "row %d", i);
	}
	fx_free(&x);
}

CASE(tracker, parent_cycle_and_missing_parent_never_hang)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, 401, 402, 10, 'S', "a");    /* a and b name each other as parent */
	put(&x, 402, 401, 10, 'S', "b");
	put(&x, 403, 403, 11, 'S', "self-parent");
	put(&x, 404, 999, 12, 'S', "lost");  /* parent never seen */
	apply(&x);
	begin(&x, 0.2);
	put(&x, 401, 402, 10, 'S', "a");
	put(&x, 402, 401, 10, 'S', "b");
	put(&x, 403, 403, 11, 'S', "self-parent");
	put(&x, 404, 999, 12, 'S', "lost");
	apply(&x);
	size_t n;
	tracker_records(x.tr, &n);
	cr_assert_eq(n, 5);
	struct tree_row rows[8];
	cr_assert_eq(tracker_tree(x.tr, NULL, rows), n, "every record is shown exactly once");
	bool seen[8] = { false };
	for (size_t i = 0; i < n; i++) {
		cr_assert_lt(rows[i].index, n);
		cr_assert_not(seen[rows[i].index], "a record shown twice");
		seen[rows[i].index] = true;
	}
	fx_free(&x);
}

CASE(tracker, blocked_events_tell_what_a_process_waits_for)
{
	struct fixture x;
	fx_init(&x);
	int wait4_nr = seccomp_syscall_resolve_name("wait4");
	int send_nr = seccomp_syscall_resolve_name("mq_timedsend");
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent")->syscall = wait4_nr;
	put(&x, 201, ROOT, 11, 'S', "worker_1");
	apply(&x);
	const struct event *ev = NULL;
	for (size_t i = 0; i < history_count(x.h); i++)
		if (history_at(x.h, i)->type == EV_BLOCKED)
			ev = history_at(x.h, i);
	cr_assert_not_null(ev, "the parent's join is told");
	cr_assert_eq(ev->pid, ROOT);
	cr_assert_eq(ev->on, ON_WAIT_CHILD);
	cr_assert_str_eq(ev->syscall, "wait4");
	cr_assert_eq(ev->by, 201, "the only child is the one join waits for");
	cr_assert_str_eq(ev->pcomm, "worker_1");
	x.seen = history_count(x.h);
	/* still waiting: no news; running for a moment, then waiting again: no news */
	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent")->syscall = wait4_nr;
	put(&x, 201, ROOT, 11, 'S', "worker_1");
	cr_assert_eq(apply(&x), 0);
	begin(&x, 0.3);
	put(&x, ROOT, SELF, 10, 'R', "parent");
	put(&x, 201, ROOT, 11, 'S', "worker_1");
	cr_assert_eq(apply(&x), 0);
	begin(&x, 0.4);
	put(&x, ROOT, SELF, 10, 'S', "parent")->syscall = wait4_nr;
	put(&x, 201, ROOT, 11, 'S', "worker_1");
	cr_assert_eq(apply(&x), 0);
	/* now putting into a full queue: its descriptor 3 is the queue */
	begin(&x, 0.5);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "parent");
	p->syscall = send_nr;
	p->args[0] = 3;
	put(&x, 201, ROOT, 11, 'S', "worker_1");
	struct channel *c = frame_channel(&x.f, CHAN_MQUEUE, 77);
	strcpy(c->name, "/fs-queue-200");
	c->fill = 3;
	c->capacity = 3;
	frame_add_chan_fd(&x.f, ROOT, 3, 0);
	apply(&x);
	ev = expect(&x, EV_QUEUE, 0);
	cr_assert_str_eq(ev->text, "/fs-queue-200");
	cr_assert_eq(ev->fill, 3);
	cr_assert_eq(ev->capacity, 3);
	ev = expect(&x, EV_BLOCKED, ROOT);
	cr_assert_eq(ev->on, ON_QUEUE_PUT);
	cr_assert_str_eq(ev->syscall, "mq_timedsend");
	cr_assert_str_eq(ev->text, "/fs-queue-200");
	expect_no_more(&x);
	fx_free(&x);
}

CASE(tracker, queue_events_only_when_the_fill_changes)
{
	struct fixture x;
	fx_init(&x);
	long fills[] = { 0, 1, 1, 2, 0 };
	size_t told = 0;
	for (size_t i = 0; i < 5; i++) {
		begin(&x, 0.1 * (double)(i + 1));
		put(&x, ROOT, SELF, 10, 'S', "parent");
		struct channel *c = frame_channel(&x.f, CHAN_PIPE, 4321);
		strcpy(c->name, "pipe:[4321]");
		c->bytes = true;
		c->fill = fills[i];
		c->capacity = 65536;
		apply(&x);
		for (size_t k = x.seen; k < history_count(x.h); k++)
			if (history_at(x.h, k)->type == EV_QUEUE) {
				told++;
				cr_assert_eq(history_at(x.h, k)->fill, fills[i]);
			}
		x.seen = history_count(x.h);
	}
	cr_assert_eq(told, 4, "first sight and three changes, not the repeat: %zu", told);
	fx_free(&x);
}

CASE(tracker, a_title_longer_than_comm_is_named_whole)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "worker 2: task ");
	strcpy(p->cmd, "worker 2: task 7");      /* the kernel cut comm at 15 */
	apply(&x);
	const struct event *ev = expect(&x, EV_SPAWN, ROOT);
	cr_assert_str_eq(ev->comm, "worker 2: task 7");
	cr_assert_str_eq(tracker_name(tracker_find(x.tr, ROOT)), "worker 2: task 7");
	cr_assert_str_eq(tracker_name(tracker_find(x.tr, SELF)), "forkscope");
	fx_free(&x);
}

/* A title in Chinese: the demo cut comm where a character ends (14 bytes,
 * not 15 and a third of "："), and it is still the title's start. */
CASE(tracker, a_title_cut_at_a_character_is_named_whole)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	struct proc_sample *p = put(&x, ROOT, SELF, 10, 'S', "工作进程 1");
	strcpy(p->cmd, "工作进程 1：任务 6");
	cr_assert_eq(strlen(p->comm), 14);
	struct proc_sample *q = put(&x, ROOT + 1, SELF, 10, 'S', "工作进程");
	strcpy(q->cmd, "工作进程 1：任务 6");  /* 12 bytes: not where a cut falls */
	apply(&x);
	cr_assert_str_eq(tracker_name(tracker_find(x.tr, ROOT)), "工作进程 1：任务 6");
	cr_assert_str_eq(tracker_name(tracker_find(x.tr, ROOT + 1)), "工作进程");
	fx_free(&x);
}

/* A zombie read in the middle of its reap shows parent 0: that is no
 * adoption, and its parent is still the one that reaps it. */
CASE(tracker, a_zombie_read_while_reaped_is_not_reparented)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, ROOT, 11, 'Z', "child")->exit_code = 0;
	apply(&x);
	x.seen = history_count(x.h);

	begin(&x, 0.2);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	put(&x, 201, 0, 11, 'Z', "child")->exit_code = 0;
	cr_assert_eq(apply(&x), 0, "no reparent to nobody");

	begin(&x, 0.3);
	put(&x, ROOT, SELF, 10, 'S', "parent");
	apply(&x);
	const struct event *ev = expect(&x, EV_REAP, 201);
	cr_assert_eq(ev->by, ROOT, "reaped by its parent, not by nobody");
	expect_no_more(&x);
	fx_free(&x);
}

/* Held still by forkscope (a pause, slow motion: frame.held), a process
 * read in state T is shown as it was: its state and what it waited for. */
CASE(tracker, a_held_process_keeps_its_state_and_its_wait)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "parent")->syscall = 61;   /* wait4 on x86_64 */
	apply(&x);
	const struct proc_record *r = tracker_find(x.tr, ROOT);
	cr_assert_eq(r->blocked.on, ON_WAIT_CHILD);
	begin(&x, 0.2);
	x.f.held = true;
	put(&x, ROOT, SELF, 10, 'T', "parent");
	apply(&x);
	r = tracker_find(x.tr, ROOT);
	cr_assert_eq(r->state, 'S', "shown as it was, not stopped");
	cr_assert_eq(r->blocked.on, ON_WAIT_CHILD, "still waiting for its child");
	/* a stop that is not forkscope's doing is a stop */
	begin(&x, 0.3);
	put(&x, ROOT, SELF, 10, 'T', "parent");
	apply(&x);
	cr_assert_eq(tracker_find(x.tr, ROOT)->state, 'T');
	fx_free(&x);
}

/* The channels read again alone say their fills and nothing of the
 * processes: a process missing from such a reading has not ended. */
CASE(tracker, a_reading_of_the_channels_alone_tells_no_exit)
{
	struct fixture x;
	fx_init(&x);
	begin(&x, 0.1);
	put(&x, ROOT, SELF, 10, 'S', "writer");
	apply(&x);
	expect(&x, EV_SPAWN, ROOT);
	x.seen = history_count(x.h);
	/* no process in it at all, a queue at 3 */
	frame_clear(&x.f);
	x.f.t = 0.2;
	x.f.self = SELF;
	x.f.root = ROOT;
	x.f.channels_only = true;
	struct channel *c = frame_channel(&x.f, CHAN_MQUEUE, 42);
	strcpy(c->name, "/q");
	c->fill = 3;
	c->capacity = 10;
	apply(&x);
	const struct event *ev = next(&x);
	cr_assert_eq(ev->type, EV_QUEUE);
	cr_assert_eq(ev->fill, 3);
	expect_no_more(&x);
	cr_assert_eq(tracker_find(x.tr, ROOT)->phase, PHASE_ALIVE);
	fx_free(&x);
}
