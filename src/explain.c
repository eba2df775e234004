/*
 * explain.c - events in plain words.
 */
#include "explain.h"

#include <stdio.h>
#include <string.h>

/* "1234 (child 2)", "forkscope 1233", or "1234" when the role is unknown. */
static void who(const struct tracker *tr, pid_t pid, char *buf, size_t len)
{
	const struct proc_record *r = tr ? tracker_find(tr, pid) : NULL;

	if (pid <= 0)
		snprintf(buf, len, "an unknown process");
	else if (r && r->is_self)
		snprintf(buf, len, "forkscope %d", (int)pid);
	else if (r && r->comm[0])
		snprintf(buf, len, "%d (%s)", (int)pid, r->comm);
	else
		snprintf(buf, len, "%d", (int)pid);
}

static bool by_self(const struct tracker *tr, pid_t pid)
{
	const struct proc_record *r = tr && pid > 0 ? tracker_find(tr, pid) : NULL;

	return r && r->is_self;
}

static void how_it_ended(const struct event *ev, char *buf, size_t len)
{
	if (ev->signal > 0) {
		const char *abbrev = sigabbrev_np(ev->signal);
		snprintf(buf, len, "was killed by signal %d%s%s%s%s", ev->signal,
		         abbrev ? " (SIG" : "", abbrev ? abbrev : "", abbrev ? ")" : "",
		         ev->core ? " and dumped core" : "");
	} else if (ev->status >= 0) {
		snprintf(buf, len, "exited with status %d", ev->status);
	} else {
		snprintf(buf, len, "exited");
	}
}

void explain_event(const struct event *ev, const struct tracker *tr, char *buf, size_t len)
{
	char a[96], b[96], how[96];

	switch (ev->type) {
	case EV_SPAWN: {
		const struct proc_record *parent = tr ? tracker_find(tr, ev->ppid) : NULL;
		who(tr, ev->ppid, b, sizeof(b));
		if (parent && parent->is_self)
			snprintf(buf, len, "%s started %d: %s.", b, (int)ev->pid, ev->text);
		else
			snprintf(buf, len, "%s called fork(): %d is its new child.", b, (int)ev->pid);
		break;
	}
	case EV_EXEC:
		snprintf(buf, len, "%d called exec(): same process, new program: %s.", (int)ev->pid,
		         ev->text);
		break;
	case EV_TITLE:
		snprintf(buf, len, "%d now calls itself \"%s\".", (int)ev->pid, ev->text);
		break;
	case EV_EXIT:
		who(tr, ev->pid, a, sizeof(a));
		who(tr, ev->ppid, b, sizeof(b));
		how_it_ended(ev, how, sizeof(how));
		if (ev->zombie)
			snprintf(buf, len, "%s %s, but its parent %s has not called wait() yet: "
			         "%d is a zombie.", a, how, b, (int)ev->pid);
		else
			snprintf(buf, len, "%s %s and was reaped at once.", a, how);
		break;
	case EV_REAP: {
		const struct proc_record *reaped = tr ? tracker_find(tr, ev->pid) : NULL;
		who(tr, ev->by, b, sizeof(b));
		if (ev->by <= 0)
			snprintf(buf, len, "%d left the process table.", (int)ev->pid);
		else if (by_self(tr, ev->by) && reaped && reaped->orig_ppid == ev->by)
			snprintf(buf, len, "%s, its parent, called wait() and reaped %d: it is gone.", b,
			         (int)ev->pid);
		else if (by_self(tr, ev->by))
			snprintf(buf, len, "%s adopted %d and reaped it, as init would: it is gone.", b,
			         (int)ev->pid);
		else
			snprintf(buf, len, "%s called wait() and reaped %d: the zombie is gone.", b,
			         (int)ev->pid);
		break;
	}
	case EV_REPARENT:
		who(tr, ev->ppid, b, sizeof(b));
		if (ev->orphan && ev->old_ppid > 0)
			snprintf(buf, len, "%d is an orphan: its parent %d exited first, so %s "
			         "adopted it.", (int)ev->pid, (int)ev->old_ppid, b);
		else if (ev->orphan)
			snprintf(buf, len, "%d is an orphan: its parent exited before it was seen, "
			         "and %s adopted it.", (int)ev->pid, b);
		else
			snprintf(buf, len, "%d's parent changed from %d to %s.", (int)ev->pid,
			         (int)ev->old_ppid, b);
		break;
	case EV_OUTPUT:
		snprintf(buf, len, "%s", ev->text);
		break;
	case EV_END:
		snprintf(buf, len, "All %d process%s gone after %.1f s: at most %d alive at "
		         "once, %d zombie%s, %d orphan%s.", ev->processes,
		         ev->processes == 1 ? " is" : "es are", ev->t, ev->max_alive,
		         ev->zombies, ev->zombies == 1 ? "" : "s", ev->orphans,
		         ev->orphans == 1 ? "" : "s");
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}

const char *explain_label(const struct event *ev)
{
	switch (ev->type) {
	case EV_SPAWN: return "fork";
	case EV_REPARENT: return ev->orphan ? "orphan" : "reparent";
	default: return event_type_name(ev->type);
	}
}

void explain_short(const struct event *ev, char *buf, size_t len)
{
	char how[64];

	switch (ev->type) {
	case EV_SPAWN:
		snprintf(buf, len, "%d made %d", (int)ev->ppid, (int)ev->pid);
		break;
	case EV_EXEC:
		snprintf(buf, len, "%d runs %s", (int)ev->pid, ev->text);
		break;
	case EV_TITLE:
		snprintf(buf, len, "%d is \"%s\"", (int)ev->pid, ev->text);
		break;
	case EV_EXIT: {
		const char *abbrev = ev->signal > 0 ? sigabbrev_np(ev->signal) : NULL;
		if (ev->signal > 0 && abbrev)
			snprintf(how, sizeof(how), "SIG%s", abbrev);
		else if (ev->signal > 0)
			snprintf(how, sizeof(how), "signal %d", ev->signal);
		else if (ev->status >= 0)
			snprintf(how, sizeof(how), "status %d", ev->status);
		else
			snprintf(how, sizeof(how), "status ?");
		snprintf(buf, len, "%d %s%s", (int)ev->pid, how, ev->zombie ? ": zombie" : ", reaped");
		break;
	}
	case EV_REAP:
		if (ev->by > 0)
			snprintf(buf, len, "%d by %d", (int)ev->pid, (int)ev->by);
		else
			snprintf(buf, len, "%d gone", (int)ev->pid);
		break;
	case EV_REPARENT:
		snprintf(buf, len, "%d adopted by %d", (int)ev->pid, (int)ev->ppid);
		break;
	case EV_OUTPUT:
		snprintf(buf, len, "%s", ev->text);
		break;
	case EV_END:
		snprintf(buf, len, "all %d gone", ev->processes);
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}
