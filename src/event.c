/*
 * event.c - empty events and the names of event types.
 */
#include "event.h"

#include <string.h>

#include "blocked.h"

struct event event_make(enum event_type type, double t)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.t = t;
	ev.status = ev.signal = -1;
	ev.timeout = -1;
	ev.comm = ev.pcomm = ev.text = ev.syscall = ev.what = "";
	return ev;
}

const char *event_type_name(enum event_type type)
{
	static const char *const names[EV_COUNT] = {
		[EV_SPAWN] = "spawn", [EV_EXEC] = "exec", [EV_TITLE] = "title",
		[EV_EXIT] = "exit", [EV_REAP] = "reap", [EV_REPARENT] = "reparent",
		[EV_OUTPUT] = "output", [EV_QUEUE] = "queue", [EV_BLOCKED] = "blocked",
		[EV_DROPPED] = "dropped", [EV_END] = "end", [EV_LOST] = "lost",
		[EV_POLLING] = "polling",
	};
	return type < EV_COUNT ? names[type] : "?";
}

bool event_tellable(const struct event *ev)
{
	return ev->type != EV_OUTPUT && !(ev->type == EV_BLOCKED && ev->on == ON_SLEEP);
}

bool event_lifecycle(const struct event *ev)
{
	switch (ev->type) {
	case EV_SPAWN:
	case EV_EXEC:
	case EV_TITLE:
	case EV_EXIT:
	case EV_REAP:
	case EV_REPARENT:
	case EV_END:
		return true;
	default:
		return false;
	}
}
