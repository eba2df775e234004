/*
 * event.c - names of event types.
 */
#include "event.h"

const char *event_type_name(enum event_type type)
{
	static const char *const names[EV_COUNT] = {
		[EV_SPAWN] = "spawn", [EV_EXEC] = "exec", [EV_TITLE] = "title",
		[EV_EXIT] = "exit", [EV_REAP] = "reap", [EV_REPARENT] = "reparent",
		[EV_OUTPUT] = "output", [EV_QUEUE] = "queue", [EV_BLOCKED] = "blocked",
		[EV_END] = "end",
	};
	return type < EV_COUNT ? names[type] : "?";
}
