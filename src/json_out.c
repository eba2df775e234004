/*
 * json_out.c - event -> one line of JSON, through json-c.
 */
#include "json_out.h"

#include <stdlib.h>

#include <json-c/json.h>

#include "blocked.h"
#include "text.h"

static void add_int(struct json_object *o, const char *key, int v)
{
	json_object_object_add(o, key, json_object_new_int(v));
}

/* A PID, or null when it is unknown (0). */
static void add_pid(struct json_object *o, const char *key, pid_t pid)
{
	json_object_object_add(o, key, pid > 0 ? json_object_new_int(pid) : NULL);
}

/* A JSON string that is valid UTF-8 whatever bytes the program gave
 * (text.h); json-c escapes the controls. */
static struct json_object *new_text(const char *s)
{
	char *clean = text_clean_dup(s, TEXT_JSON);
	struct json_object *o = json_object_new_string(clean);

	free(clean);
	return o;
}

static void add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, new_text(s));
}

static void add_exit(struct json_object *o, const struct event *ev)
{
	if (ev->signal > 0) {
		add_int(o, "signal", ev->signal);
		if (ev->core)
			json_object_object_add(o, "core", json_object_new_boolean(1));
	} else {
		json_object_object_add(o, "status",
		                       ev->status >= 0 ? json_object_new_int(ev->status) : NULL);
	}
}

/* Writes json-c's text with DEL and the C1 controls (U+0080..U+009F)
 * escaped too ("\u009b"): json-c lets them through, and a line of JSON read
 * on a terminal must not carry a CSI.  They occur only inside strings (the
 * keys are plain words), and the text is valid UTF-8 (text.h), so a C1
 * control is always the two bytes C2 80..C2 9F. */
static bool put_escaped(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int ok;
		if (*p == 0x7f) {
			ok = fputs("\\u007f", out);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			ok = fprintf(out, "\\u%04x", p[1]);
			p++;
		} else {
			ok = fputc(*p, out);
		}
		if (ok < 0)
			return false;
	}
	return true;
}

/* "pid", as the user reads it, and in a PID namespace (pidns.h) the host
 * PID it stands for, "host_pid". */
static void add_who(struct json_object *o, const struct event *ev)
{
	add_int(o, "pid", ev->pid);
	if (ev->host)
		add_int(o, "host_pid", ev->host);
}

bool json_write_event(FILE *out, const struct event *ev)
{
	struct json_object *o = json_object_new_object();
	char t[32];

	snprintf(t, sizeof(t), "%.3f", ev->t);
	json_object_object_add(o, "t", json_object_new_double_s(ev->t, t));
	add_str(o, "event", event_type_name(ev->type));
	switch (ev->type) {
	case EV_SPAWN:
		add_who(o, ev);
		add_pid(o, "ppid", ev->ppid);
		add_str(o, "comm", ev->comm);
		add_str(o, "cmd", ev->text);
		if (ev->existing)
			json_object_object_add(o, "existing", json_object_new_boolean(1));
		break;
	case EV_EXEC:
		add_who(o, ev);
		add_str(o, "comm", ev->comm);
		add_str(o, "cmd", ev->text);
		break;
	case EV_TITLE:
		add_who(o, ev);
		add_str(o, "title", ev->text);
		/* told by the Python hook: "name" or "task" */
		if (ev->what[0])
			add_str(o, "python", ev->what);
		break;
	case EV_EXIT:
		add_who(o, ev);
		add_pid(o, "ppid", ev->ppid);
		add_exit(o, ev);
		json_object_object_add(o, "zombie", json_object_new_boolean(ev->zombie));
		break;
	case EV_REAP:
		add_who(o, ev);
		add_pid(o, "by", ev->by);
		break;
	case EV_REPARENT:
		add_who(o, ev);
		add_pid(o, "old_ppid", ev->old_ppid);
		add_pid(o, "new_ppid", ev->ppid);
		json_object_object_add(o, "orphan", json_object_new_boolean(ev->orphan));
		break;
	case EV_OUTPUT:
		add_str(o, "text", ev->text);
		if (ev->cut)
			json_object_object_add(o, "cut", json_object_new_uint64(ev->cut));
		if (ev->partial)
			json_object_object_add(o, "partial", json_object_new_boolean(1));
		break;
	case EV_DROPPED:
		json_object_object_add(o, "events", json_object_new_uint64(ev->dropped_events));
		json_object_object_add(o, "output", json_object_new_uint64(ev->dropped_output));
		json_object_object_add(o, "lifelines", json_object_new_uint64(ev->dropped_lifelines));
		break;
	case EV_QUEUE: {
		static const char *const kinds[] = { [CHAN_MQUEUE] = "mqueue", [CHAN_PIPE] = "pipe",
		                                     [CHAN_SYSV] = "sysv", [CHAN_MANAGER] = "manager" };
		add_str(o, "name", ev->text);
		add_str(o, "kind", kinds[ev->kind]);
		/* what Python's hook says it is */
		if (ev->what[0])
			add_str(o, "python", ev->what);
		json_object_object_add(o, "fill", json_object_new_int64(ev->fill));
		json_object_object_add(o, "capacity",
		                       ev->capacity > 0 ? json_object_new_int64(ev->capacity) : NULL);
		add_str(o, "unit", ev->bytes ? "bytes" : "messages");
		struct json_object *holders = json_object_new_array();
		for (int i = 0; i < ev->nholders; i++)
			json_object_array_add(holders, json_object_new_int(ev->holders[i]));
		json_object_object_add(o, "holders", holders);
		break;
	}
	case EV_BLOCKED:
		add_int(o, "pid", ev->pid);
		add_str(o, "on", blocked_name((enum block_on)ev->on));
		json_object_object_add(o, "syscall",
		                       ev->syscall[0] ? new_text(ev->syscall) : NULL);
		json_object_object_add(o, "channel",
		                       ev->text[0] ? new_text(ev->text) : NULL);
		if (ev->on == ON_WAIT_CHILD && ev->by > 0)
			add_int(o, "child", ev->by);
		if (ev->what[0])
			add_str(o, "call", ev->what);
		if (ev->timeout >= 0) {
			char left[32];
			snprintf(left, sizeof(left), "%.1f", ev->timeout);
			json_object_object_add(o, "timeout", json_object_new_double_s(ev->timeout, left));
		}
		break;
	case EV_LOST:
		if (ev->lost >= 0)
			json_object_object_add(o, "count", json_object_new_int64(ev->lost));
		break;
	case EV_POLLING:
		add_str(o, "why", ev->text);
		break;
	case EV_END:
		add_int(o, "processes", ev->processes);
		add_int(o, "max_alive", ev->max_alive);
		add_int(o, "zombies", ev->zombies);
		add_int(o, "orphans", ev->orphans);
		add_int(o, "killed", ev->killed);
		add_int(o, "unkillable", ev->unkillable);
		json_object_object_add(o, "dropped", json_object_new_uint64(ev->dropped_events));
		snprintf(t, sizeof(t), "%.3f", ev->t);
		json_object_object_add(o, "seconds", json_object_new_double_s(ev->t, t));
		break;
	case EV_COUNT:
		break;
	}
	/* where it came from, where that matters: told by the kernel as it
	 * happened, at its exact time, rather than found by a reading */
	if (ev->kernel)
		json_object_object_add(o, "kernel", json_object_new_boolean(1));
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
	bool ok = put_escaped(out, s) && fputc('\n', out) != EOF && fflush(out) == 0;
	json_object_put(o);
	return ok;
}
