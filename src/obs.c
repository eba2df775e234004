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
	};

	/* a value from outside the enum (a corrupted struct) names itself as
	 * such rather than reading past the table */
	if ((unsigned)type >= OBS_COUNT)
		return "unknown";
	return names[type];
}
