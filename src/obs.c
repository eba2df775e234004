/*
 * obs.c - the names of the kinds of observation, as a recording spells them.
 */
#include "obs.h"

const char *obs_type_name(enum obs_type type)
{
	static const char *const names[OBS_COUNT] = {
		[OBS_READING] = "reading",
		[OBS_OUTPUT] = "output",
		[OBS_KILL] = "kill",
		[OBS_END] = "end",
		[OBS_PROC] = "proc",
		[OBS_LOST] = "lost",
		[OBS_HOOK] = "hook",
	};

	/* a value from outside the enum (a corrupted struct) names itself as
	 * such rather than reading past the table */
	if ((unsigned)type >= OBS_COUNT)
		return "unknown";
	return names[type];
}

const char *news_kind_name(enum news_kind kind)
{
	static const char *const names[NEWS_COUNT] = {
		[NEWS_FORK] = "fork",
		[NEWS_EXEC] = "exec",
		[NEWS_EXIT] = "exit",
		[NEWS_COMM] = "comm",
		[NEWS_REAP] = "reap",
	};

	if ((unsigned)kind >= NEWS_COUNT)
		return "unknown";
	return names[kind];
}
