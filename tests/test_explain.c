/*
 * test_explain.c - the sentences a teacher would say, from events alone.
 */
#include <string.h>

#include "describe.h"
#include "explain.h"
#include "helpers.h"

TestSuite(explain, .timeout = 10, .fini = helpers_cleanup);

static struct event make(enum event_type type, pid_t pid, const char *comm)
{
	struct event ev = event_make(type, 0);

	ev.pid = pid;
	ev.comm = comm;
	return ev;
}

static void says(const struct event *ev, const char *want)
{
	char buf[1024];

	explain_event(ev, buf, sizeof(buf));
	cr_assert(strstr(buf, want), "'%s' should contain '%s'", buf, want);
}

static void never_says(const struct event *ev, const char *bad)
{
	char buf[1024];

	explain_event(ev, buf, sizeof(buf));
	cr_assert_null(strstr(buf, bad), "'%s' should not contain '%s'", buf, bad);
}

CASE(explain, zombie_exit_names_the_parent_that_has_not_waited)
{
	struct event ev = make(EV_EXIT, 1236, "child");
	ev.ppid = 1233;
	ev.pcomm = "parent";
	ev.status = 3;
	ev.zombie = true;
	says(&ev, "1236 (child) exited with status 3, but its parent 1233 (parent) has not "
	          "called wait() yet: 1236 is a zombie.");
}

CASE(explain, a_reap_after_no_zombie_speaks_of_no_zombie)
{
	struct event ev = make(EV_REAP, 1236, "child");
	ev.by = 1233;
	ev.pcomm = "parent";
	ev.zombie = false;
	says(&ev, "1233 (parent) called wait() and reaped 1236: it is gone.");
	never_says(&ev, "zombie");
	ev.zombie = true;
	says(&ev, "the zombie is gone.");
}

CASE(explain, forkscope_reaps_its_child_or_an_orphan)
{
	struct event ev = make(EV_REAP, 1234, "parent");
	ev.by = 1233;
	ev.pself = true;
	ev.pcomm = "forkscope";
	says(&ev, "forkscope 1233, its parent, called wait() and reaped 1234");
	ev.orphan = true;
	says(&ev, "forkscope 1233 adopted 1234 and reaped it, as init would");
}

CASE(explain, orphans_with_and_without_a_known_parent)
{
	struct event ev = make(EV_REPARENT, 1237, "child");
	ev.old_ppid = 1233;
	ev.ppid = 1230;
	ev.pself = true;
	ev.orphan = true;
	says(&ev, "1237 is an orphan: its parent 1233 exited first, so forkscope 1230 adopted it.");
	ev.old_ppid = 0;
	says(&ev, "its parent exited before forkscope first saw it");
	never_says(&ev, "1233");
}

CASE(explain, spawns)
{
	struct event ev = make(EV_SPAWN, 1234, "parent");
	ev.ppid = 1233;
	ev.pself = true;
	ev.text = "parent";
	says(&ev, "forkscope 1233 started 1234 (parent).");
	ev.text = "sleep 3";
	says(&ev, "forkscope 1233 started 1234: sleep 3.");
	ev.orphan = true;
	says(&ev, "1234 (parent) appeared already adopted by forkscope 1233");
	ev = make(EV_SPAWN, 1235, "parent");
	ev.ppid = 1234;
	ev.pcomm = "sh";
	says(&ev, "1234 (sh) called fork(): 1235 is its new child.");
}

CASE(explain, signals_and_the_end)
{
	struct event ev = make(EV_EXIT, 1236, "gen 2");
	ev.signal = 9;
	says(&ev, "was killed by signal 9 (SIGKILL) and was reaped at once.");
	ev = make(EV_END, 0, "");
	ev.t = 4.5;
	ev.processes = 1;
	ev.max_alive = 1;
	says(&ev, "The run is over after 4.5 s: 1 process in all, at most 1 alive at once, "
	          "0 zombies seen waiting, 0 orphans.");
	never_says(&ev, "Stopped early");
	ev.killed = 4;
	ev.processes = 4;
	says(&ev, "Stopped early: forkscope killed the 4 processes still running.");
}

CASE(explain, short_forms_fit_a_half_screen)
{
	struct event ev = make(EV_REPARENT, 1237, "child");
	ev.ppid = 1230;
	ev.orphan = true;
	char buf[256];
	explain_short(&ev, buf, sizeof(buf));
	cr_assert_str_eq(explain_label(&ev), "orphan");
	cr_assert_str_eq(buf, "1237 adopted by 1230");
	ev = make(EV_EXIT, 1236, "child");
	ev.status = 3;
	ev.zombie = true;
	explain_short(&ev, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1236 status 3: zombie");
}

CASE(explain, the_kernels_exit_says_when_the_zombie_ends_and_its_signal)
{
	struct event ev = make(EV_EXIT, 1236, "python3");
	ev.ppid = 1233;
	ev.pcomm = "python3";
	ev.zombie = true;
	ev.kernel = true;
	ev.signal = 15;
	says(&ev, "1236 (python3) was killed by signal 15 (SIGTERM): a zombie until its parent "
	          "1233 (python3) reaps it with wait().");
	/* the kernel tells it as it happens: whether the parent waits already
	 * is not known, so nothing is said about it */
	never_says(&ev, "has not called wait() yet");
	never_says(&ev, "reaped at once");
	ev.signal = -1;
	ev.status = 0;
	says(&ev, "exited with status 0: a zombie until its parent");
}

CASE(explain, a_loss_and_polling_say_what_may_be_missing)
{
	struct event ev = make(EV_LOST, 0, "");
	ev.lost = 12;
	says(&ev, "12 messages (for the whole machine) were lost");
	says(&ev, "forkscope read /proc again and goes on");
	ev.lost = 1;
	says(&ev, "1 message (for the whole machine) was lost");
	ev.lost = -1;
	says(&ev, "some was lost");
	never_says(&ev, "-1");

	ev = make(EV_POLLING, 0, "");
	ev.text = "asked with --events poll";
	says(&ev, "No news from the kernel (asked with --events poll)");
	says(&ev, "a process that lives less than one reading may be missed");
}

/* A pool's queues as the hook names them are translated by their part;
 * any other name is the program's own and stays as it is. */
CASE(explain, a_pools_queue_names_its_part_and_other_names_stay)
{
	char buf[128];
	cr_assert_str_eq(describe_channel("po tasks", buf, sizeof(buf)), "po tasks");
	cr_assert_eq(describe_channel("po tasks", buf, sizeof(buf)), buf);
	cr_assert_str_eq(describe_channel("Pool-1 results", buf, sizeof(buf)), "Pool-1 results");
	const char *own[] = { "/fs-pool-tasks-12", "my own tasks", " tasks", "tasks", "q1", "" };
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		cr_assert_eq(describe_channel(own[i], buf, sizeof(buf)), own[i], "%s", own[i]);
	struct event ev = make(EV_QUEUE, 1234, "pool.py");
	ev.text = "po tasks";
	ev.what = "tasks";
	ev.fill = 3;
	explain_short(&ev, buf, sizeof(buf));
	cr_assert_str_eq(buf, "po tasks 3");
}

/* A wait forkscope has no word for is said with its call and, for the
 * calls a class meets, what it waits for: not "blocked 1234 other". */
CASE(explain, a_wait_in_another_call_says_what_it_waits_for)
{
	char buf[256];
	struct event ev = make(EV_BLOCKED, 1234, "python3");
	ev.on = ON_OTHER;
	ev.syscall = "futex";
	says(&ev, "is waiting in futex(): for a lock or another thread.");
	explain_short(&ev, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1234 waits in futex()");
	ev.syscall = "ioctl";     /* nothing more to say than its name */
	says(&ev, "is waiting in ioctl().");
	ev.syscall = "";
	explain_short(&ev, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1234 waits");

	struct blocked b = { .on = ON_OTHER };
	strcpy(b.syscall, "epoll_wait");
	describe_blocked(&b, buf, sizeof(buf));
	cr_assert_str_eq(buf, "waits in epoll_wait(): input on its files");
	cr_assert_null(describe_call("ioctl"));
	cr_assert_null(describe_call(""));
}
