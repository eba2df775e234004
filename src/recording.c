/*
 * recording.c - a run written as JSON lines and read back (recording.h).
 *
 * json-c builds and parses every line; this file only decides what goes in
 * them and checks, strictly, what comes out: a recording is read from a file
 * anybody may have written, so a broken line is reported, never trusted.
 * It touches nothing but the files it is given.
 *
 * The keys, format version 3 (see recording.h for the header line):
 *
 *   {"o":"reading","t":1.25,
 *    "procs":[{"pid":7,"start":9901,"ppid":6,"pgrp":6,"sid":5,"state":"S",
 *              "nlwp":1,"exit":0,"code":94371,"comm":"sleep","cmd":"sleep 3",
 *              "exe":"/usr/bin/sleep","wchan":"hrtimer_nanosleep","sys":230,
 *              "args":[0,0,0,0,0,0],"tleft":-1,"pollfd":-1},  a new process: every key
 *             {"pid":8,"state":"Z","exit":768}],       a changed one: "pid" and
 *                                                      what changed, no "start"
 *    "gone":[9,10],                  PIDs of the previous reading not there now
 *    "reaped":[[8,768]],             [pid, waitpid status], when there are any
 *    "incomplete":true,              only when some process could not be read
 *    "held":true,                    only when slow motion held the tree still
 *    "channels_only":true,           only for the channels read again alone, at
 *                                    the exit of a process that held one: its
 *                                    processes say nothing (version 5)
 *    "begun":1.24,                   when the reading began (0 < begun < t)
 *    "channels":[{"kind":"pipe","id":4321,"name":"pipe:[4321]","fill":12,
 *                 "cap":65536,"bytes":true,"holders":[[7,"r"],[8,"w"]]},
 *                {"kind":"pipe","id":4322,"name":"q","fill":3,"cap":3,"bytes":false,
 *                 "what":"Queue","holders":[[7,"b"]]},        named by the Python hook
 *                {"kind":"pipe",...,"internal":true}],        multiprocessing's own
 *    "chan_fds":[{"pid":7,"fd":3,"chan":0}],           "chan": index in channels
 *    "threads":[{"pid":7,"tid":7,"state":"S","comm":"sleep"}]}
 *   {"o":"output","t":1.3,"text":"hello","cut":0,"partial":false}
 *   {"o":"proc","t":1.25,"news":"fork","pid":7,"ppid":6,"start":9901,
 *    "comm":"sh","cmd":"sh -c x","exe":"/usr/bin/dash"}
 *   {"o":"proc","t":1.3,"news":"exec","pid":7,"comm":"true","cmd":"/bin/true",
 *    "exe":"/usr/bin/true","code":94371}
 *   {"o":"proc","t":1.31,"news":"exit","pid":7,"status":0}
 *   {"o":"proc","t":1.32,"news":"comm","pid":7,"comm":"worker",
 *    "cmd":"worker 1: task 7"}
 *   {"o":"proc","t":1.33,"news":"reap","pid":8,"ppid":7}  8 was gone when 7's
 *                                                       exit was told
 *   {"o":"lost","t":2,"count":12}                     "count":null: not known
 *   {"o":"hook","t":2.1,"pid":8,"msg":"{\"e\":\"name\",...}"}  the Python hook's
 *                                                       message, as sent (pymodel.h)
 *   {"o":"kill","t":5.2}
 *   {"o":"end","t":5.4,"killed":2,"unkillable":0}
 *
 * "kind" is "mqueue", "pipe" or "sysv"; an end is "r", "w" or "b" (both).
 * "procs", "gone" and "reaped" are left out when empty.  "channels",
 * "chan_fds" and "threads" come together, whole, when any of them changed
 * since the previous reading; without them a reading keeps the previous
 * ones.  A PID back with another start time is another process: written as
 * new, it replaces the old one.  Text is the program's bytes: json-c escapes
 * quotes, backslashes and control characters and leaves every other byte as
 * it is, UTF-8 or not.  A number is written in the fewest digits that read
 * back as the same double.  A "proc" line has the keys of its "news" (fork,
 * exec, exit or comm) and no others.  Unknown keys in an observation are
 * errors (a misspelt key in a difference would silently drop a change); the
 * header's are ignored, so a later version 2 may add to it.
 *
 * "kind" may also be "manager" (a queue a Python manager holds); "what"
 * and "internal" are left out when empty or false.
 *
 * Version 2 is read too: it has no "hook" lines (one is an error), its
 * processes no "pollfd" (read as -1), its channels no "what" or
 * "internal".  Version 1 besides: its header has no "news" and "polling"
 * (the lifecycle came from polling alone), and a "proc" or "lost" line in
 * it is an error.
 */
#include "recording.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "i18n.h"
#include "outfile.h"
#include "pymodel.h"
#include "util.h"

/* Past these a line is not a recording of this world but an attack on the
 * reader's memory: refused with a message. */
enum {
	REC_LINE_MAX = 64 << 20,        /* bytes in one line */
	REC_ARRAY_MAX = 1000000,        /* elements in one array (processes...) */
	REC_DEPTH = 8,                  /* JSON nesting; the format needs 5 */
};

/* the generic field code below copies pids as ints */
_Static_assert(sizeof(pid_t) == sizeof(int), "pid_t is an int");

struct rec_codec {
	struct frame prev;      /* the last reading encoded or decoded */
	struct frame next;      /* scratch: a reading is built here, then swapped in */
	double t;               /* decoding: the last observation's time */
	bool ended;             /* decoding: the end was read; nothing may follow */
	int version;            /* decoding: the stream's format (RECORDING_VERSION
	                         * unless its header said older) */
	char *text;             /* decoding: the last output's text */
	struct news news;       /* decoding: the last news */
	locale_t numeric;       /* numbers in JSON's "C" form whatever the user's locale */
};

/* ---- small helpers --------------------------------------------------- */

/* Where a decoder writes what is wrong. */
struct dec {
	char *err;
	size_t errlen;
};

static bool fail(struct dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct dec *d, const char *fmt, ...)
{
	va_list ap;

	if (d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Text from a file, made safe to quote in a one-line message: printable
 * ASCII kept, anything else '?', cut at 32 bytes with "...". */
static const char *shown(const char *s, size_t len, char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < size; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i == 32) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		buf[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	buf[n] = '\0';
	return buf;
}

static char *dup_bytes(const char *s, size_t n)
{
	char *d = xcalloc(n + 1, 1);

	memcpy(d, s, n);
	return d;
}

static void frame_swap(struct frame *a, struct frame *b)
{
	struct frame t = *a;

	*a = *b;
	*b = t;
}

/* ---- numbers and text, both ways ------------------------------------- */

/* The fewest digits that read back as exactly d: %.17g always does, but
 * writes 0.1 as 0.10000000000000001.  Anything of at most 15 significant
 * digits comes out whole from %.15g, which drops trailing zeros.  In the
 * "C" locale: a user's LC_NUMERIC may want a comma, which is not JSON. */
static void shortest(locale_t numeric, double d, char *buf, size_t size)
{
	locale_t old = uselocale(numeric);

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	uselocale(old);
	/* "-0" would read back as the integer 0 */
	if (d == 0 && signbit(d))
		snprintf(buf, size, "-0.0");
}

static struct json_object *new_number(locale_t numeric, double d)
{
	char buf[40];

	if (!isfinite(d))
		die(_("internal error: a recording got the number %g (please report this)"), d);
	shortest(numeric, d, buf, sizeof(buf));
	return json_object_new_double_s(d, buf);
}

static struct json_object *new_text(const char *s, size_t size)
{
	return json_object_new_string_len(s, (int)strnlen(s, size));
}

static struct json_object *new_char(char ch)
{
	return json_object_new_string_len(&ch, ch ? 1 : 0);
}

/* A JSON integer within [lo, hi].  json-c reads a number beyond 64 bits as
 * the nearest bound, so only the bounds themselves can be checked. */
static bool get_signed(struct json_object *v, long long lo, long long hi, long long *out)
{
	if (!json_object_is_type(v, json_type_int))
		return false;
	int64_t i = json_object_get_int64(v);
	/* json-c keeps numbers above INT64_MAX unsigned, and says INT64_MAX */
	if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
		return false;
	if (i < lo || i > hi)
		return false;
	*out = i;
	return true;
}

static bool get_unsigned(struct json_object *v, unsigned long long hi, unsigned long long *out)
{
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return false;
	uint64_t u = json_object_get_uint64(v);
	if (u > hi)
		return false;
	*out = u;
	return true;
}

/* The decoders below say which object they look at in ctx: "process 12: "
 * or "" for the line itself. */
static bool dec_signed(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                       long long lo, long long hi, long long *out)
{
	if (!get_signed(v, lo, hi, out))
		/* TRANSLATORS: what is wrong in a recording's line.  The first %s
		 * says where, as "process 12: " (or is empty); the key in quotes
		 * is the file's own word, left as it is (as in the messages
		 * below) */
		return fail(d, _("%s\"%s\" is not a whole number from %lld to %lld"),
		            ctx, key, lo, hi);
	return true;
}

static bool dec_int(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                    int lo, int *out)
{
	long long x = 0;

	if (!dec_signed(d, v, ctx, key, lo, INT_MAX, &x))
		return false;
	*out = (int)x;
	return true;
}

static bool dec_pid(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                    pid_t *out)
{
	long long x = 0;

	if (!get_signed(v, 1, INT_MAX, &x))
		return fail(d, _("%s\"%s\" is not a PID (a whole number above 0)"), ctx, key);
	*out = (pid_t)x;
	return true;
}

static bool dec_unsigned(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                         unsigned long long hi, unsigned long long *out)
{
	if (!get_unsigned(v, hi, out))
		return fail(d, _("%s\"%s\" is not a whole number from 0 to %llu"), ctx, key, hi);
	return true;
}

static bool dec_number(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                       double *out)
{
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return fail(d, _("%s\"%s\" is not a number"), ctx, key);
	double x = json_object_get_double(v);
	if (!isfinite(x))
		return fail(d, _("%s\"%s\" is not a finite number"), ctx, key);
	*out = x;
	return true;
}

static bool dec_bool(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                     bool *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return fail(d, _("%s\"%s\" is not true or false"), ctx, key);
	*out = json_object_get_boolean(v);
	return true;
}

/* A string with no NUL in it (the fields are C strings), its bytes in *s. */
static bool dec_string(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                       const char **s, size_t *len)
{
	if (!json_object_is_type(v, json_type_string))
		return fail(d, _("%s\"%s\" is not a string"), ctx, key);
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	if (memchr(*s, '\0', *len))
		return fail(d, _("%s\"%s\" holds a NUL byte"), ctx, key);
	return true;
}

/* Into a fixed field: longer is an error, not a silent cut, since the
 * writer never writes more than a field holds. */
static bool dec_text(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                     char *dst, size_t size)
{
	const char *s;
	size_t len;

	if (!dec_string(d, v, ctx, key, &s, &len))
		return false;
	if (len >= size)
		return fail(d, _("%s\"%s\" is longer than %zu bytes"), ctx, key, size - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

static bool dec_state(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                      char *out)
{
	const char *s;
	size_t len;

	if (!dec_string(d, v, ctx, key, &s, &len))
		return false;
	if (len != 1 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return fail(d, _("%s\"%s\" is not a letter (R, S, D, Z, T...)"), ctx, key);
	*out = s[0];
	return true;
}

/* An array of at most max elements. */
static bool dec_array(struct dec *d, struct json_object *v, const char *ctx, const char *key,
                      size_t max, size_t *n)
{
	if (!json_object_is_type(v, json_type_array))
		return fail(d, _("%s\"%s\" is not an array"), ctx, key);
	*n = json_object_array_length(v);
	if (*n > max)
		return fail(d, _("%s\"%s\" has %zu elements, more than %zu"), ctx, key, *n, max);
	return true;
}

/* The value of a key every such object has, in *v.  A null value is
 * there (json-c's NULL): the type checks reject it, naming the key. */
static bool need(struct dec *d, struct json_object *obj, const char *ctx, const char *key,
                 struct json_object **v)
{
	if (!json_object_object_get_ex(obj, key, v))
		return fail(d, _("%sno \"%s\""), ctx, key);
	return true;
}

static struct json_object *maybe(struct json_object *obj, const char *key, bool *present)
{
	struct json_object *v = NULL;

	*present = json_object_object_get_ex(obj, key, &v);
	return v;
}

/* False, naming it, when obj has a key not in keys (NULL-terminated). */
static bool only_keys(struct dec *d, struct json_object *obj, const char *ctx,
                      const char *const *keys)
{
	struct json_object_iterator it = json_object_iter_begin(obj);
	struct json_object_iterator end = json_object_iter_end(obj);
	char buf[48];

	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *k = json_object_iter_peek_name(&it);
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k) != 0)
			i++;
		if (!keys[i])
			return fail(d, _("%sunknown key \"%s\""),
			            ctx, shown(k, strlen(k), buf, sizeof(buf)));
	}
	return true;
}

static bool dec_object(struct dec *d, struct json_object *v, const char *what)
{
	if (!json_object_is_type(v, json_type_object))
		return fail(d, _("%s is not an object"), what);
	return true;
}

/* ---- the fields of a process and of news, for writing and reading --- */

enum field_kind { F_PID0, F_INT, F_LONG, F_ULONG, F_TICKS, F_STATE, F_TEXT, F_ARGS, F_SECONDS };

/* A field of a record (a process, a piece of news): its key, how it is
 * written, and where it is in the struct. */
struct field {
	const char *key;
	enum field_kind kind;
	size_t off, size;
};

#define PROC_FIELD(key, kind, member)                                   \
	{ key, kind, offsetof(struct proc_sample, member),              \
	  sizeof(((struct proc_sample *)0)->member) }

/* "pid" is the key of an entry, not a field; "start" must stay first: a
 * changed process never has it. */
static const struct field proc_fields[] = {
	PROC_FIELD("start", F_TICKS, start),
	PROC_FIELD("ppid", F_PID0, ppid),
	PROC_FIELD("pgrp", F_PID0, pgrp),
	PROC_FIELD("sid", F_PID0, sid),
	PROC_FIELD("state", F_STATE, state),
	PROC_FIELD("nlwp", F_INT, nlwp),
	PROC_FIELD("exit", F_INT, exit_code),
	PROC_FIELD("code", F_ULONG, code_start),
	PROC_FIELD("comm", F_TEXT, comm),
	PROC_FIELD("cmd", F_TEXT, cmd),
	PROC_FIELD("exe", F_TEXT, exe),
	PROC_FIELD("wchan", F_TEXT, wchan),
	PROC_FIELD("sys", F_LONG, syscall),
	PROC_FIELD("args", F_ARGS, args),
	PROC_FIELD("tleft", F_SECONDS, timeout_left),
	PROC_FIELD("pollfd", F_INT, poll_fd),      /* version 3 on */
	PROC_FIELD("host", F_PID0, host),          /* version 5: only when not 0 */
};
/* Fields a new process may lack (pollfd came with version 3; host is
 * written only for a process of a PID namespace): their indexes. */
enum { FIELD_POLLFD = 15, FIELD_HOST = 16 };
enum { NFIELDS = sizeof(proc_fields) / sizeof(proc_fields[0]) };
_Static_assert(NFIELDS < 32, "fields seen are a bit mask");

#define NEWS_FIELD(key, kind, member)                                   \
	{ key, kind, offsetof(struct news, member), sizeof(((struct news *)0)->member) }
#define NEWS_OF(kind) (1u << (kind))

/* The fields of a piece of news after its "pid", in the order written, and
 * the kinds of news each belongs to: a line has those and no others. */
static const struct news_field {
	struct field f;
	unsigned kinds;         /* NEWS_OF() bits */
} news_fields[] = {
	{ NEWS_FIELD("ppid", F_PID0, ppid), NEWS_OF(NEWS_FORK) | NEWS_OF(NEWS_REAP) },
	{ NEWS_FIELD("start", F_TICKS, start), NEWS_OF(NEWS_FORK) },
	{ NEWS_FIELD("comm", F_TEXT, comm),
	  NEWS_OF(NEWS_FORK) | NEWS_OF(NEWS_EXEC) | NEWS_OF(NEWS_COMM) },
	{ NEWS_FIELD("cmd", F_TEXT, cmd),
	  NEWS_OF(NEWS_FORK) | NEWS_OF(NEWS_EXEC) | NEWS_OF(NEWS_COMM) },
	{ NEWS_FIELD("exe", F_TEXT, exe), NEWS_OF(NEWS_FORK) | NEWS_OF(NEWS_EXEC) },
	{ NEWS_FIELD("code", F_ULONG, code), NEWS_OF(NEWS_EXEC) },
	{ NEWS_FIELD("status", F_INT, status), NEWS_OF(NEWS_EXIT) },
};
enum { NNEWS_FIELDS = sizeof(news_fields) / sizeof(news_fields[0]) };
_Static_assert(NEWS_COUNT <= 32, "kinds of news are a bit mask");

static bool field_equal(const struct proc_sample *a, const struct proc_sample *b,
                        const struct field *f)
{
	const char *x = (const char *)a + f->off, *y = (const char *)b + f->off;

	/* text: what follows the NUL is not the field's */
	if (f->kind == F_TEXT)
		return strncmp(x, y, f->size) == 0;
	/* bits, not ==: a double's -0 and 0 are two values to keep */
	return memcmp(x, y, f->size) == 0;
}

static struct json_object *field_to_json(locale_t numeric, const void *rec,
                                         const struct field *f)
{
	const char *at = (const char *)rec + f->off;
	struct json_object *a;
	int i;
	long l;
	unsigned long ul, args[6];
	unsigned long long ull;
	double x;

	switch (f->kind) {
	case F_PID0:
	case F_INT:
		memcpy(&i, at, sizeof(i));
		return json_object_new_int(i);
	case F_LONG:
		memcpy(&l, at, sizeof(l));
		return json_object_new_int64(l);
	case F_ULONG:
		memcpy(&ul, at, sizeof(ul));
		return json_object_new_uint64(ul);
	case F_TICKS:
		memcpy(&ull, at, sizeof(ull));
		return json_object_new_uint64(ull);
	case F_STATE:
		return new_char(*at);
	case F_TEXT:
		return new_text(at, f->size);
	case F_ARGS:
		memcpy(args, at, sizeof(args));
		a = json_object_new_array_ext(6);
		for (int k = 0; k < 6; k++)
			json_object_array_add(a, json_object_new_uint64(args[k]));
		return a;
	case F_SECONDS:
		memcpy(&x, at, sizeof(x));
		/* a garbled deadline is no deadline: the sampler writes -1 */
		return new_number(numeric, isfinite(x) ? x : -1);
	}
	return NULL;
}

static bool dec_args(struct dec *d, struct json_object *v, const char *ctx, unsigned long *args)
{
	unsigned long long x = 0;

	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) != 6)
		return fail(d, _("%s\"args\" is not an array of 6 whole numbers"), ctx);
	for (size_t k = 0; k < 6; k++) {
		if (!dec_unsigned(d, json_object_array_get_idx(v, k), ctx, "args", ULONG_MAX, &x))
			return false;
		args[k] = (unsigned long)x;
	}
	return true;
}

static bool field_from_json(struct dec *d, struct json_object *v, const char *ctx, void *rec,
                            const struct field *f)
{
	char *at = (char *)rec + f->off;
	long long s = 0;
	unsigned long long u = 0;
	unsigned long args[6];
	int i;
	long l;
	unsigned long ul;
	double x;

	switch (f->kind) {
	case F_PID0:
		/* 0: a parent, group or session outside our PID namespace */
		if (!get_signed(v, 0, INT_MAX, &s))
			return fail(d, _("%s\"%s\" is not a PID (a whole number, 0 or more)"),
			            ctx, f->key);
		i = (int)s;
		memcpy(at, &i, sizeof(i));
		return true;
	case F_INT:
		if (!dec_signed(d, v, ctx, f->key, INT_MIN, INT_MAX, &s))
			return false;
		i = (int)s;
		memcpy(at, &i, sizeof(i));
		return true;
	case F_LONG:
		if (!dec_signed(d, v, ctx, f->key, LONG_MIN, LONG_MAX, &s))
			return false;
		l = (long)s;
		memcpy(at, &l, sizeof(l));
		return true;
	case F_ULONG:
		if (!dec_unsigned(d, v, ctx, f->key, ULONG_MAX, &u))
			return false;
		ul = (unsigned long)u;
		memcpy(at, &ul, sizeof(ul));
		return true;
	case F_TICKS:
		if (!dec_unsigned(d, v, ctx, f->key, ULLONG_MAX, &u))
			return false;
		memcpy(at, &u, sizeof(u));
		return true;
	case F_STATE:
		return dec_state(d, v, ctx, f->key, at);
	case F_TEXT:
		return dec_text(d, v, ctx, f->key, at, f->size);
	case F_ARGS:
		if (!dec_args(d, v, ctx, args))
			return false;
		memcpy(at, args, sizeof(args));
		return true;
	case F_SECONDS:
		if (!dec_number(d, v, ctx, f->key, &x))
			return false;
		memcpy(at, &x, sizeof(x));
		return true;
	}
	return false;
}

static const struct field *field_named(const char *key)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(proc_fields[i].key, key) == 0)
			return &proc_fields[i];
	return NULL;
}

/* ---- encoding -------------------------------------------------------- */

static const char *const kind_names[] = {
	[CHAN_MQUEUE] = "mqueue",
	[CHAN_PIPE] = "pipe",
	[CHAN_SYSV] = "sysv",
	[CHAN_MANAGER] = "manager",
};
enum { NKINDS = sizeof(kind_names) / sizeof(kind_names[0]) };

static struct json_object *new_pair(int a, struct json_object *b)
{
	struct json_object *p = json_object_new_array_ext(2);

	json_object_array_add(p, json_object_new_int(a));
	json_object_array_add(p, b);
	return p;
}

static struct json_object *proc_new_json(locale_t numeric, const struct proc_sample *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(p->pid));
	for (size_t i = 0; i < NFIELDS; i++)
		if (i != FIELD_HOST || p->host)
			json_object_object_add(o, proc_fields[i].key,
			                       field_to_json(numeric, p, &proc_fields[i]));
	return o;
}

/* What changed from was to now, or NULL when nothing did. */
static struct json_object *proc_change_json(locale_t numeric, const struct proc_sample *was,
                                            const struct proc_sample *now)
{
	struct json_object *o = NULL;

	for (size_t i = 1; i < NFIELDS; i++) {
		if (field_equal(was, now, &proc_fields[i]))
			continue;
		if (!o) {
			o = json_object_new_object();
			json_object_object_add(o, "pid", json_object_new_int(now->pid));
		}
		json_object_object_add(o, proc_fields[i].key, field_to_json(numeric, now, &proc_fields[i]));
	}
	return o;
}

/* Adds key: arr when arr has anything, frees it otherwise. */
static void add_nonempty(struct json_object *o, const char *key, struct json_object *arr)
{
	if (json_object_array_length(arr))
		json_object_object_add(o, key, arr);
	else
		json_object_put(arr);
}

static void add_procs(struct json_object *o, locale_t numeric, const struct frame *was,
                      const struct frame *now)
{
	struct json_object *procs = json_object_new_array();
	struct json_object *gone = json_object_new_array();

	for (size_t i = 0; i < now->nprocs; i++) {
		const struct proc_sample *p = &now->procs[i];
		const struct proc_sample *q = frame_find(was, p->pid);
		struct json_object *e = !q || q->start != p->start ? proc_new_json(numeric, p)
		                                                  : proc_change_json(numeric, q, p);
		if (e)
			json_object_array_add(procs, e);
	}
	for (size_t i = 0; i < was->nprocs; i++)
		if (!frame_find(now, was->procs[i].pid))
			json_object_array_add(gone, json_object_new_int(was->procs[i].pid));
	add_nonempty(o, "procs", procs);
	add_nonempty(o, "gone", gone);
}

static bool channel_equal(const struct channel *a, const struct channel *b)
{
	if (a->kind != b->kind || a->id != b->id || strncmp(a->name, b->name, CHAN_NAME_MAX) ||
	    a->fill != b->fill || a->capacity != b->capacity || a->bytes != b->bytes ||
	    a->nholders != b->nholders || strncmp(a->what, b->what, sizeof(a->what)) ||
	    a->internal != b->internal)
		return false;
	for (int k = 0; k < a->nholders && k < CHAN_HOLDERS_MAX; k++)
		if (a->holders[k] != b->holders[k] || a->ends[k] != b->ends[k])
			return false;
	return true;
}

/* Whether the channels, their descriptors or the threads changed. */
static bool extras_changed(const struct frame *a, const struct frame *b)
{
	if (a->nchannels != b->nchannels || a->nchan_fds != b->nchan_fds ||
	    a->nthreads != b->nthreads)
		return true;
	for (size_t i = 0; i < a->nchannels; i++)
		if (!channel_equal(&a->channels[i], &b->channels[i]))
			return true;
	for (size_t i = 0; i < a->nchan_fds; i++) {
		const struct chan_fd *x = &a->chan_fds[i], *y = &b->chan_fds[i];
		if (x->pid != y->pid || x->fd != y->fd || x->channel != y->channel)
			return true;
	}
	for (size_t i = 0; i < a->nthreads; i++) {
		const struct thread_sample *x = &a->threads[i], *y = &b->threads[i];
		if (x->pid != y->pid || x->tid != y->tid || x->state != y->state ||
		    strncmp(x->comm, y->comm, PROC_COMM_MAX))
			return true;
	}
	return false;
}

static struct json_object *channel_json(const struct channel *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *holders = json_object_new_array();

	if ((unsigned)c->kind >= NKINDS)
		die(_("internal error: a channel of kind %d (please report this)"), (int)c->kind);
	json_object_object_add(o, "kind", json_object_new_string(kind_names[c->kind]));
	json_object_object_add(o, "id", json_object_new_uint64(c->id));
	json_object_object_add(o, "name", new_text(c->name, CHAN_NAME_MAX));
	json_object_object_add(o, "fill", json_object_new_int64(c->fill));
	json_object_object_add(o, "cap", json_object_new_int64(c->capacity));
	json_object_object_add(o, "bytes", json_object_new_boolean(c->bytes));
	/* version 3: what Python's hook says it is, when it says */
	if (c->what[0])
		json_object_object_add(o, "what", new_text(c->what, sizeof(c->what)));
	if (c->internal)
		json_object_object_add(o, "internal", json_object_new_boolean(1));
	for (int k = 0; k < c->nholders && k < CHAN_HOLDERS_MAX; k++)
		json_object_array_add(holders, new_pair(c->holders[k], new_char(c->ends[k])));
	json_object_object_add(o, "holders", holders);
	return o;
}

static void add_extras(struct json_object *o, const struct frame *f)
{
	struct json_object *channels = json_object_new_array_ext((int)f->nchannels);
	struct json_object *fds = json_object_new_array_ext((int)f->nchan_fds);
	struct json_object *threads = json_object_new_array_ext((int)f->nthreads);

	for (size_t i = 0; i < f->nchannels; i++)
		json_object_array_add(channels, channel_json(&f->channels[i]));
	for (size_t i = 0; i < f->nchan_fds; i++) {
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "pid", json_object_new_int(f->chan_fds[i].pid));
		json_object_object_add(e, "fd", json_object_new_int(f->chan_fds[i].fd));
		json_object_object_add(e, "chan", json_object_new_uint64(f->chan_fds[i].channel));
		json_object_array_add(fds, e);
	}
	for (size_t i = 0; i < f->nthreads; i++) {
		const struct thread_sample *th = &f->threads[i];
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "pid", json_object_new_int(th->pid));
		json_object_object_add(e, "tid", json_object_new_int(th->tid));
		json_object_object_add(e, "state", new_char(th->state));
		json_object_object_add(e, "comm", new_text(th->comm, PROC_COMM_MAX));
		json_object_array_add(threads, e);
	}
	json_object_object_add(o, "channels", channels);
	json_object_object_add(o, "chan_fds", fds);
	json_object_object_add(o, "threads", threads);
}

static void encode_reading(struct rec_codec *c, struct json_object *o, const struct frame *f)
{
	struct frame *now = &c->next;

	/* a copy, sorted and indexed: the caller's frame may have no index,
	 * and this one becomes the next reading's "previous" */
	frame_copy(now, f);
	add_procs(o, c->numeric, &c->prev, now);
	if (now->nreaped) {
		struct json_object *reaped = json_object_new_array_ext((int)now->nreaped);
		for (size_t i = 0; i < now->nreaped; i++)
			json_object_array_add(reaped, new_pair(now->reaped[i].pid,
			                                       json_object_new_int(now->reaped[i].status)));
		json_object_object_add(o, "reaped", reaped);
	}
	if (now->incomplete)
		json_object_object_add(o, "incomplete", json_object_new_boolean(true));
	if (now->held)
		json_object_object_add(o, "held", json_object_new_boolean(true));
	if (now->channels_only)
		json_object_object_add(o, "channels_only", json_object_new_boolean(true));
	if (now->begun > 0 && now->begun < now->t)
		json_object_object_add(o, "begun", new_number(c->numeric, now->begun));
	if (extras_changed(&c->prev, now))
		add_extras(o, now);
	frame_swap(&c->prev, &c->next);
}

static void encode_news(locale_t numeric, struct json_object *o, const struct news *n)
{
	if ((unsigned)n->kind >= NEWS_COUNT)
		die(_("internal error: news of kind %d (please report this)"), (int)n->kind);
	json_object_object_add(o, "news", json_object_new_string(news_kind_name(n->kind)));
	json_object_object_add(o, "pid", json_object_new_int(n->pid));
	for (size_t i = 0; i < NNEWS_FIELDS; i++)
		if (news_fields[i].kinds & NEWS_OF(n->kind))
			json_object_object_add(o, news_fields[i].f.key,
			                       field_to_json(numeric, n, &news_fields[i].f));
	/* version 5: the host's PID of a namespace's process, when known */
	if (n->host)
		json_object_object_add(o, "host", json_object_new_int(n->host));
}

static char *json_line(struct json_object *o, size_t *len)
{
	size_t n;
	const char *s = json_object_to_json_string_length(
	        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	if (!s)
		die(_("out of memory (close other programs and try again)"));
	char *line = dup_bytes(s, n);
	if (len)
		*len = n;
	return line;
}

char *rec_encode(struct rec_codec *c, const struct obs *o, size_t *len)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "o", json_object_new_string(obs_type_name(o->type)));
	json_object_object_add(j, "t", new_number(c->numeric, o->t));
	switch (o->type) {
	case OBS_READING:
		if (!o->frame)
			die(_("internal error: a reading with no frame (please report this)"));
		encode_reading(c, j, o->frame);
		break;
	case OBS_OUTPUT:
		json_object_object_add(j, "text", json_object_new_string(o->text ? o->text : ""));
		json_object_object_add(j, "cut", json_object_new_uint64(o->cut));
		json_object_object_add(j, "partial", json_object_new_boolean(o->partial));
		break;
	case OBS_KILL:
		break;
	case OBS_END:
		json_object_object_add(j, "killed", json_object_new_int(o->killed));
		json_object_object_add(j, "unkillable", json_object_new_int(o->unkillable));
		break;
	case OBS_PROC:
		if (!o->news)
			die(_("internal error: a \"proc\" with no news (please report this)"));
		encode_news(c->numeric, j, o->news);
		break;
	case OBS_LOST:
		/* null: the kernel did not say how many */
		json_object_object_add(j, "count", o->lost < 0 ? NULL : json_object_new_int64(o->lost));
		break;
	case OBS_HOOK:
		json_object_object_add(j, "pid", json_object_new_int(o->pid));
		json_object_object_add(j, "msg", json_object_new_string(o->text ? o->text : ""));
		break;
	default:
		die(_("internal error: observation of type %d (please report this)"), (int)o->type);
	}
	char *line = json_line(j, len);
	json_object_put(j);
	return line;
}

/* ---- decoding -------------------------------------------------------- */

/* One line as a JSON object, or NULL (err says why).  *incomplete: the
 * text ended in the middle of a value, as a line cut short does. */
static struct json_object *parse_object(struct dec *d, const char *line, size_t len,
                                        bool *incomplete)
{
	*incomplete = false;
	/* no bytes may come with no buffer: memchr(NULL, ...) is undefined */
	if (len == 0) {
		fail(d, _("not JSON (an empty line)"));
		return NULL;
	}
	if (len > REC_LINE_MAX) {
		fail(d, _("longer than 64 MiB"));
		return NULL;
	}
	/* json-c would stop at a NUL and call the rest fine */
	if (memchr(line, '\0', len)) {
		fail(d, _("not JSON (it holds a NUL byte)"));
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(REC_DEPTH);
	if (!tok)
		die(_("out of memory (close other programs and try again)"));
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	struct json_object *j = json_tokener_parse_ex(tok, line, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!j) {
		*incomplete = e == json_tokener_continue;
		if (*incomplete)
			fail(d, _("not JSON (it ends in the middle of a value)"));
		else
			fail(d, _("not JSON (%s at byte %zu)"),
			     json_tokener_error_desc(e), end + 1);
		return NULL;
	}
	while (end < len && (line[end] == ' ' || line[end] == '\t' || line[end] == '\r' ||
	                     line[end] == '\n'))
		end++;
	if (end < len || !json_object_is_type(j, json_type_object)) {
		fail(d, end < len ? _("not JSON (more after the object)") : _("not a JSON object"));
		json_object_put(j);
		return NULL;
	}
	return j;
}

/* What became of each process of the previous reading. */
enum { KEPT, GONE, REPLACED, CHANGED };

/* The place of pid in the previous reading, or SIZE_MAX. */
static size_t prev_place(const struct frame *prev, pid_t pid)
{
	const struct proc_sample *q = frame_find(prev, pid);

	return q ? (size_t)(q - prev->procs) : SIZE_MAX;
}

static bool dec_gone(struct dec *d, struct json_object *gone, const struct frame *prev,
                     unsigned char *mark)
{
	size_t n;
	pid_t pid;

	if (!dec_array(d, gone, "", "gone", REC_ARRAY_MAX, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!dec_pid(d, json_object_array_get_idx(gone, i), "", "gone", &pid))
			return false;
		size_t at = prev_place(prev, pid);
		if (at == SIZE_MAX)
			return fail(d, _("\"gone\" has process %d, which the "
			            "previous reading did not have"),
			            pid);
		if (mark[at] != KEPT)
			return fail(d, _("process %d is named twice"), pid);
		mark[at] = GONE;
	}
	return true;
}

/* A new process's entry: every field.  Or a changed one's, applied to the
 * copy of the previous reading in next. */
static bool dec_proc(struct dec *d, struct json_object *e, const struct frame *prev,
                     struct frame *next, unsigned char *mark)
{
	char ctx[40];
	pid_t pid;
	bool is_new;

	/* TRANSLATORS: what is not an object, said before "is not an
	 * object"; "procs" is the file's own word */
	if (!dec_object(d, e, _("an element of \"procs\"")))
		return false;
	struct json_object *v;
	const char *which = _("a process: ");
	if (!need(d, e, which, "pid", &v) || !dec_pid(d, v, which, "pid", &pid))
		return false;
	/* TRANSLATORS: where in a recording's line something is wrong, at the
	 * start of a message (as "channel 2: ", "a reading: " and the others
	 * ending in ": ") */
	snprintf(ctx, sizeof(ctx), _("process %d: "), pid);
	maybe(e, "start", &is_new);
	size_t at = prev_place(prev, pid);
	struct proc_sample fresh = { .pid = pid, .poll_fd = -1 };
	struct proc_sample *p = &fresh;
	if (at != SIZE_MAX && mark[at] != KEPT)
		return fail(d, _("process %d is named twice"), pid);
	if (!is_new) {
		if (at == SIZE_MAX)
			return fail(d, _("process %d changed, but the previous reading did not "
			            "have it (a new process has \"start\")"), pid);
		mark[at] = CHANGED;
		p = &next->procs[at];
	}

	unsigned seen = 0;
	struct json_object_iterator it = json_object_iter_begin(e);
	struct json_object_iterator end = json_object_iter_end(e);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		const char *key = json_object_iter_peek_name(&it);
		const struct field *f = field_named(key);
		char buf[48];
		if (strcmp(key, "pid") == 0)
			continue;
		if (!f)
			return fail(d, _("%sunknown key \"%s\""),
			            ctx, shown(key, strlen(key), buf, sizeof(buf)));
		if (!field_from_json(d, json_object_iter_peek_value(&it), ctx, p, f))
			return false;
		seen |= 1u << (f - proc_fields);
	}
	if (!is_new)
		return true;
	for (size_t i = 0; i < NFIELDS; i++)
		if (!(seen & (1u << i)) && i != FIELD_POLLFD && i != FIELD_HOST)
			return fail(d, _("%snew, but has no \"%s\""), ctx, proc_fields[i].key);
	if (at != SIZE_MAX) {
		if (prev->procs[at].start == fresh.start)
			return fail(d, _("%snew, but with the start time it already had"), ctx);
		mark[at] = REPLACED;
	}
	*frame_add_proc(next) = fresh;
	return true;
}

static bool dec_procs(struct dec *d, struct json_object *j, const struct frame *prev,
                      struct frame *next)
{
	bool has_procs, has_gone;
	struct json_object *procs = maybe(j, "procs", &has_procs);
	struct json_object *gone = maybe(j, "gone", &has_gone);
	unsigned char *mark = xcalloc(prev->nprocs, 1);
	bool ok = true;
	size_t n = 0;

	if (has_gone)
		ok = dec_gone(d, gone, prev, mark);
	if (ok && has_procs)
		ok = dec_array(d, procs, "", "procs", REC_ARRAY_MAX, &n);
	for (size_t i = 0; ok && i < n; i++)
		ok = dec_proc(d, json_object_array_get_idx(procs, i), prev, next, mark);
	if (ok) {
		/* the previous reading's processes first, in place: drop the gone
		 * and the replaced; the new ones follow */
		size_t w = 0;
		for (size_t i = 0; i < next->nprocs; i++)
			if (i >= prev->nprocs || mark[i] == KEPT || mark[i] == CHANGED)
				next->procs[w++] = next->procs[i];
		next->nprocs = w;
	}
	free(mark);
	if (!ok)
		return false;
	if (next->nprocs > REC_ARRAY_MAX)
		return fail(d, _("more than %d processes"), REC_ARRAY_MAX);
	frame_sort(next);
	/* two new entries with one PID: the index keeps the first */
	for (size_t i = 0; i < next->nprocs; i++)
		if (frame_find(next, next->procs[i].pid) != &next->procs[i])
			return fail(d, _("process %d is there twice"), next->procs[i].pid);
	return true;
}

/* [a, b]: a pair's two elements, or false. */
static bool dec_pair(struct dec *d, struct json_object *v, const char *what,
                     struct json_object **a, struct json_object **b)
{
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) != 2)
		return fail(d, _("%s is not a pair [PID, ...]"), what);
	*a = json_object_array_get_idx(v, 0);
	*b = json_object_array_get_idx(v, 1);
	return true;
}

static bool dec_reaped(struct dec *d, struct json_object *j, struct frame *next)
{
	bool present;
	struct json_object *reaped = maybe(j, "reaped", &present);
	struct json_object *a, *b;
	size_t n;
	pid_t pid;
	int status;

	next->nreaped = 0;
	if (!present)
		return true;
	if (!dec_array(d, reaped, "", "reaped", REC_ARRAY_MAX, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!dec_pair(d, json_object_array_get_idx(reaped, i),
		              _("an element of \"reaped\""), &a, &b) ||
		    !dec_pid(d, a, "", "reaped", &pid) ||
		    !dec_int(d, b, _("a reap note: "), "status", INT_MIN, &status))
			return false;
		frame_add_reap(next, pid, status);
	}
	return true;
}

static bool dec_holders(struct dec *d, struct json_object *v, const char *ctx,
                        struct channel *c)
{
	struct json_object *a, *b;
	const char *end;
	size_t n, len;

	if (!dec_array(d, v, ctx, "holders", CHAN_HOLDERS_MAX, &n))
		return false;
	for (size_t k = 0; k < n; k++) {
		if (!dec_pair(d, json_object_array_get_idx(v, k), _("a holder"), &a, &b) ||
		    !dec_pid(d, a, ctx, "holders", &c->holders[k]) ||
		    !dec_string(d, b, ctx, "holders", &end, &len))
			return false;
		if (len != 1 || !strchr("rwb", end[0]))
			return fail(d, _("%sa holder's end is not \"r\", \"w\" or \"b\""), ctx);
		c->ends[k] = end[0];
	}
	c->nholders = (int)n;
	return true;
}

static bool dec_channel(struct dec *d, struct json_object *e, size_t i, struct frame *next)
{
	static const char *const keys[] = { "kind", "id", "name", "fill", "cap", "bytes",
	                                    "holders", "what", "internal", NULL };
	struct json_object *v[7];
	struct channel c = { 0 };
	char ctx[48], buf[48];
	unsigned long long id;
	long long fill, cap;
	const char *kind;
	size_t len;

	snprintf(ctx, sizeof(ctx), _("channel %zu: "), i);
	if (!dec_object(d, e, _("an element of \"channels\"")) || !only_keys(d, e, ctx, keys))
		return false;
	for (size_t k = 0; k < 7; k++)
		if (!need(d, e, ctx, keys[k], &v[k]))
			return false;
	if (!dec_string(d, v[0], ctx, "kind", &kind, &len))
		return false;
	size_t k = 0;
	while (k < NKINDS && strcmp(kind_names[k], kind) != 0)
		k++;
	if (k == NKINDS)
		return fail(d, _("%sunknown kind \"%s\" (mqueue, pipe, sysv or manager)"), ctx,
		            shown(kind, len, buf, sizeof(buf)));
	c.kind = (enum chan_kind)k;
	if (!dec_unsigned(d, v[1], ctx, "id", ULONG_MAX, &id) ||
	    !dec_text(d, v[2], ctx, "name", c.name, sizeof(c.name)) ||
	    !dec_signed(d, v[3], ctx, "fill", 0, LONG_MAX, &fill) ||
	    !dec_signed(d, v[4], ctx, "cap", 0, LONG_MAX, &cap) ||
	    !dec_bool(d, v[5], ctx, "bytes", &c.bytes) || !dec_holders(d, v[6], ctx, &c))
		return false;
	struct json_object *what, *internal;
	if (json_object_object_get_ex(e, "what", &what) &&
	    !dec_text(d, what, ctx, "what", c.what, sizeof(c.what)))
		return false;
	if (json_object_object_get_ex(e, "internal", &internal) &&
	    !dec_bool(d, internal, ctx, "internal", &c.internal))
		return false;
	c.id = (unsigned long)id;
	c.fill = (long)fill;
	c.capacity = (long)cap;
	size_t before = next->nchannels;
	struct channel *slot = frame_channel(next, c.kind, c.id);
	if (next->nchannels == before)
		return fail(d, _("channel %s %lu is there twice"), kind_names[c.kind], c.id);
	*slot = c;
	return true;
}

static bool dec_chan_fd(struct dec *d, struct json_object *e, size_t i, struct frame *next)
{
	static const char *const keys[] = { "pid", "fd", "chan", NULL };
	struct json_object *v[3];
	char ctx[48];
	unsigned long long chan;
	pid_t pid;
	int fd;

	snprintf(ctx, sizeof(ctx), _("descriptor %zu: "), i);
	if (!dec_object(d, e, _("an element of \"chan_fds\"")) || !only_keys(d, e, ctx, keys))
		return false;
	for (size_t k = 0; k < 3; k++)
		if (!need(d, e, ctx, keys[k], &v[k]))
			return false;
	if (!dec_pid(d, v[0], ctx, "pid", &pid) || !dec_int(d, v[1], ctx, "fd", 0, &fd) ||
	    !dec_unsigned(d, v[2], ctx, "chan", ULLONG_MAX, &chan))
		return false;
	if (chan >= next->nchannels)
		return fail(d, _("%s\"chan\" is %llu, past the %zu channels"),
		            ctx, chan, next->nchannels);
	if (frame_fd_channel(next, pid, fd))
		return fail(d, _("%sdescriptor %d of process %d is there twice"), ctx, fd, pid);
	frame_add_chan_fd(next, pid, fd, (size_t)chan);
	return true;
}

static bool dec_thread(struct dec *d, struct json_object *e, size_t i, struct frame *next)
{
	static const char *const keys[] = { "pid", "tid", "state", "comm", NULL };
	struct json_object *v[4];
	struct thread_sample th = { 0 };
	char ctx[48];

	snprintf(ctx, sizeof(ctx), _("thread %zu: "), i);
	if (!dec_object(d, e, _("an element of \"threads\"")) || !only_keys(d, e, ctx, keys))
		return false;
	for (size_t k = 0; k < 4; k++)
		if (!need(d, e, ctx, keys[k], &v[k]))
			return false;
	if (!dec_pid(d, v[0], ctx, "pid", &th.pid) || !dec_pid(d, v[1], ctx, "tid", &th.tid) ||
	    !dec_state(d, v[2], ctx, "state", &th.state) ||
	    !dec_text(d, v[3], ctx, "comm", th.comm, sizeof(th.comm)))
		return false;
	*frame_add_thread(next) = th;
	return true;
}

/* "channels", "chan_fds" and "threads": all three or none (then the
 * previous reading's, already in next, stay). */
static bool dec_extras(struct dec *d, struct json_object *j, struct frame *next)
{
	static const char *const keys[] = { "channels", "chan_fds", "threads" };
	static bool (*const each[])(struct dec *, struct json_object *, size_t, struct frame *) = {
		dec_channel, dec_chan_fd, dec_thread,
	};
	struct json_object *v[3];
	bool present[3];
	size_t n;

	for (int k = 0; k < 3; k++)
		v[k] = maybe(j, keys[k], &present[k]);
	if (!present[0] && !present[1] && !present[2])
		return true;
	if (!present[0] || !present[1] || !present[2])
		return fail(d, _("\"channels\", \"chan_fds\" and \"threads\" come together"));
	/* emptied: the frame's adders see the indexes are past them */
	next->nchannels = next->nchan_fds = next->nthreads = 0;
	for (int k = 0; k < 3; k++) {
		if (!dec_array(d, v[k], "", keys[k], REC_ARRAY_MAX, &n))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!each[k](d, json_object_array_get_idx(v[k], i), i, next))
				return false;
	}
	/* a file written by hand may have them in another order */
	frame_sort_channels(next);
	return true;
}

static bool dec_reading(struct rec_codec *c, struct dec *d, struct json_object *j, double t)
{
	static const char *const keys[] = { "o", "t", "procs", "gone", "reaped", "incomplete",
	                                    "held", "begun", "channels", "chan_fds", "threads",
	                                    "channels_only", NULL };
	struct frame *next = &c->next;
	bool present;

	if (!only_keys(d, j, _("a reading: "), keys))
		return false;
	frame_copy(next, &c->prev);
	next->t = t;
	next->incomplete = false;
	struct json_object *inc = maybe(j, "incomplete", &present);
	if (present && !dec_bool(d, inc, "", "incomplete", &next->incomplete))
		return false;
	next->held = false;
	struct json_object *held = maybe(j, "held", &present);
	if (present && !dec_bool(d, held, "", "held", &next->held))
		return false;
	next->channels_only = false;
	struct json_object *only = maybe(j, "channels_only", &present);
	if (present && !dec_bool(d, only, "", "channels_only", &next->channels_only))
		return false;
	next->begun = 0;
	struct json_object *begun = maybe(j, "begun", &present);
	if (present && !dec_number(d, begun, "", "begun", &next->begun))
		return false;
	if (next->begun < 0 || next->begun > t)
		return fail(d, _("\"begun\" is not a time from 0 to \"t\""));
	return dec_procs(d, j, &c->prev, next) && dec_reaped(d, j, next) && dec_extras(d, j, next);
}

static bool dec_output(struct dec *d, struct json_object *j, struct obs *o, char **text)
{
	static const char *const keys[] = { "o", "t", "text", "cut", "partial", NULL };
	struct json_object *v[3];
	const char *s;
	size_t len;

	if (!only_keys(d, j, _("an output: "), keys))
		return false;
	for (size_t k = 0; k < 3; k++)
		if (!need(d, j, _("an output: "), keys[k + 2], &v[k]))
			return false;
	if (!dec_string(d, v[0], "", "text", &s, &len) ||
	    !dec_unsigned(d, v[1], "", "cut", ULLONG_MAX, &o->cut) ||
	    !dec_bool(d, v[2], "", "partial", &o->partial))
		return false;
	*text = dup_bytes(s, len);
	return true;
}

static bool dec_end(struct dec *d, struct json_object *j, struct obs *o)
{
	static const char *const keys[] = { "o", "t", "killed", "unkillable", NULL };
	struct json_object *killed, *unkillable;

	return only_keys(d, j, _("an end: "), keys) &&
	       need(d, j, _("an end: "), "killed", &killed) &&
	       need(d, j, _("an end: "), "unkillable", &unkillable) &&
	       dec_int(d, killed, "", "killed", 0, &o->killed) &&
	       dec_int(d, unkillable, "", "unkillable", 0, &o->unkillable);
}

/* A piece of news: its kind says which keys the line has, every one of
 * them and no other. */
static bool dec_news(struct dec *d, struct json_object *j, struct news *n)
{
	const char *keys[5 + NNEWS_FIELDS + 1] = { "o", "t", "news", "pid", "host" };
	size_t nkeys = 5;
	struct json_object *v;
	char ctx[32], buf[48];
	const char *s;
	size_t len;
	int k = 0;

	if (!need(d, j, _("a proc: "), "news", &v) || !dec_string(d, v, "", "news", &s, &len))
		return false;
	while (k < NEWS_COUNT && strcmp(s, news_kind_name((enum news_kind)k)) != 0)
		k++;
	if (k == NEWS_COUNT)
		return fail(d, _("unknown news \"%s\" (fork, exec, exit, comm or reap)"),
		            shown(s, len, buf, sizeof(buf)));
	n->kind = (enum news_kind)k;
	snprintf(ctx, sizeof(ctx), _("news \"%s\": "), news_kind_name(n->kind));
	for (size_t i = 0; i < NNEWS_FIELDS; i++)
		if (news_fields[i].kinds & NEWS_OF(n->kind))
			keys[nkeys++] = news_fields[i].f.key;
	keys[nkeys] = NULL;
	if (!only_keys(d, j, ctx, keys) || !need(d, j, ctx, "pid", &v) ||
	    !dec_pid(d, v, "", "pid", &n->pid))
		return false;
	for (size_t i = 0; i < NNEWS_FIELDS; i++) {
		const struct field *f = &news_fields[i].f;
		if ((news_fields[i].kinds & NEWS_OF(n->kind)) &&
		    !(need(d, j, ctx, f->key, &v) && field_from_json(d, v, "", n, f)))
			return false;
	}
	bool has_host;
	v = maybe(j, "host", &has_host);
	n->host = 0;
	return !has_host || dec_pid(d, v, ctx, "host", &n->host);
}

/* What Python's hook said (version 3): who said it, and the message as it
 * came (pymodel.h reads it). */
static bool dec_hook(struct dec *d, struct json_object *j, struct obs *o, char **text)
{
	static const char *const keys[] = { "o", "t", "pid", "msg", NULL };
	struct json_object *pid, *msg;
	const char *s, *ctx = _("a hook message: ");
	size_t len;

	if (!only_keys(d, j, ctx, keys) || !need(d, j, ctx, "pid", &pid) ||
	    !need(d, j, ctx, "msg", &msg) || !dec_pid(d, pid, "", "pid", &o->pid) ||
	    !dec_string(d, msg, "", "msg", &s, &len))
		return false;
	if (len > PY_MSG_MAX || memchr(s, '\0', len))
		return fail(d, _("\"msg\" is longer than %d bytes or holds a NUL"), PY_MSG_MAX);
	*text = dup_bytes(s, len);
	return true;
}

static bool dec_lost(struct dec *d, struct json_object *j, long *lost)
{
	static const char *const keys[] = { "o", "t", "count", NULL };
	struct json_object *v;
	long long x = 0;

	if (!only_keys(d, j, _("a loss: "), keys) || !need(d, j, _("a loss: "), "count", &v))
		return false;
	/* null: the kernel did not say how many */
	if (json_object_is_type(v, json_type_null)) {
		*lost = -1;
		return true;
	}
	if (!get_signed(v, 0, LONG_MAX, &x))
		return fail(d, _("\"count\" is not a whole number from 0 to "
		            "%ld, or null (not known)"),
		            LONG_MAX);
	*lost = (long)x;
	return true;
}

static bool dec_type(struct dec *d, struct json_object *j, enum obs_type *type)
{
	struct json_object *v;
	const char *s;
	char buf[48];
	size_t len;

	if (!json_object_object_get_ex(j, "o", &v))
		return fail(d, _("no \"o\" (what the line observed)"));
	if (!dec_string(d, v, "", "o", &s, &len))
		return false;
	for (int k = 0; k < OBS_COUNT; k++) {
		if (strcmp(s, obs_type_name((enum obs_type)k)) == 0) {
			*type = (enum obs_type)k;
			return true;
		}
	}
	return fail(d, _("unknown observation \"%s\""), shown(s, len, buf, sizeof(buf)));
}

static bool dec_time(struct rec_codec *c, struct dec *d, struct json_object *j, double *t)
{
	char was[40], now[40];
	struct json_object *v;

	if (!need(d, j, "", "t", &v) || !dec_number(d, v, "", "t", t))
		return false;
	if (*t < 0)
		return fail(d, _("\"t\" is negative (%g)"), *t);
	if (*t < c->t) {
		shortest(c->numeric, *t, now, sizeof(now));
		shortest(c->numeric, c->t, was, sizeof(was));
		return fail(d, _("time goes backwards: \"t\" is %s after %s"), now, was);
	}
	return true;
}

/* Decodes into scratch and o, touching the codec's state only on success. */
static bool dec_obs(struct rec_codec *c, struct dec *d, struct json_object *j, struct obs *o)
{
	struct news news = { 0 };
	char *text = NULL;
	bool ok;

	if (!dec_type(d, j, &o->type))
		return false;
	/* the kernel's news came with version 2 */
	if ((o->type == OBS_PROC || o->type == OBS_LOST) && c->version < 2)
		return fail(d, _("a \"%s\" line in a version %d recording"), obs_type_name(o->type),
		            c->version);
	/* and the Python hook's with version 3 */
	if (o->type == OBS_HOOK && c->version < 3)
		return fail(d, _("a \"%s\" line in a version %d recording"), obs_type_name(o->type),
		            c->version);
	if (!dec_time(c, d, j, &o->t))
		return false;
	if (c->ended)
		return fail(d, _("a \"%s\" after the end (\"end\" is the "
		            "last line of a recording)"),
		            obs_type_name(o->type));
	switch (o->type) {
	case OBS_READING:
		ok = dec_reading(c, d, j, o->t);
		if (ok) {
			frame_swap(&c->prev, &c->next);
			o->frame = &c->prev;
		}
		break;
	case OBS_OUTPUT:
		ok = dec_output(d, j, o, &text);
		if (ok) {
			free(c->text);
			o->text = c->text = text;
		}
		break;
	case OBS_KILL:
		ok = only_keys(d, j, _("a kill: "), (const char *const[]){ "o", "t", NULL });
		break;
	case OBS_END:
		ok = dec_end(d, j, o);
		break;
	case OBS_PROC:
		ok = dec_news(d, j, &news);
		if (ok) {
			c->news = news;
			o->news = &c->news;
		}
		break;
	case OBS_LOST:
		ok = dec_lost(d, j, &o->lost);
		break;
	case OBS_HOOK:
		ok = dec_hook(d, j, o, &text);
		if (ok) {
			free(c->text);
			o->text = c->text = text;
		}
		break;
	default:
		ok = false;
	}
	if (ok) {
		c->t = o->t;
		c->ended = o->type == OBS_END;
	}
	return ok;
}

bool rec_decode(struct rec_codec *c, const char *line, size_t len, struct obs *o, char *err,
                size_t errlen)
{
	struct dec d = { err, errlen };
	struct obs got = { 0 };
	bool incomplete;

	struct json_object *j = parse_object(&d, line, len, &incomplete);
	if (!j)
		return false;
	bool ok = dec_obs(c, &d, j, &got);
	json_object_put(j);
	if (ok)
		*o = got;
	return ok;
}

/* ---- the codec ------------------------------------------------------- */

struct rec_codec *rec_codec_new(void)
{
	struct rec_codec *c = xcalloc(1, sizeof(*c));

	frame_init(&c->prev);
	frame_init(&c->next);
	c->version = RECORDING_VERSION;
	c->numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!c->numeric)
		die(_("out of memory (close other programs and try again)"));
	return c;
}

void rec_codec_free(struct rec_codec *c)
{
	if (!c)
		return;
	frame_release(&c->prev);
	frame_release(&c->next);
	free(c->text);
	freelocale(c->numeric);
	free(c);
}

void rec_codec_copy(struct rec_codec *dst, const struct rec_codec *src)
{
	if (dst == src)
		return;
	frame_copy(&dst->prev, &src->prev);
	dst->t = src->t;
	dst->ended = src->ended;
	dst->version = src->version;
}

/* ---- the header ------------------------------------------------------ */

void rec_header_free(struct rec_header *h)
{
	if (!h)
		return;
	free(h->attached);
	h->attached = NULL;
	h->nattached = 0;
	if (!h->command)
		return;
	for (char **a = h->command; *a; a++)
		free(*a);
	free(h->command);
	h->command = NULL;
}

static struct json_object *header_json(locale_t numeric, const struct rec_header *h)
{
	struct json_object *o = json_object_new_object();
	struct json_object *cmd = json_object_new_array();

	json_object_object_add(o, "forkscope", json_object_new_string("recording"));
	json_object_object_add(o, "version", json_object_new_int(RECORDING_VERSION));
	json_object_object_add(o, "program", new_text(h->program, sizeof(h->program)));
	json_object_object_add(o, "kernel", new_text(h->kernel, sizeof(h->kernel)));
	json_object_object_add(o, "arch", new_text(h->arch, sizeof(h->arch)));
	json_object_object_add(o, "started", new_number(numeric, h->started));
	json_object_object_add(o, "scenario",
	                       h->scenario[0] ? new_text(h->scenario, sizeof(h->scenario)) : NULL);
	for (char *const *a = h->command; a && *a; a++)
		json_object_array_add(cmd, json_object_new_string(*a));
	json_object_object_add(o, "command", cmd);
	json_object_object_add(o, "tempo", new_number(numeric, h->tempo));
	json_object_object_add(o, "interval", new_number(numeric, h->interval));
	json_object_object_add(o, "cols", json_object_new_int(h->cols));
	json_object_object_add(o, "rows", json_object_new_int(h->rows));
	json_object_object_add(o, "memory", json_object_new_uint64(h->memory));
	json_object_object_add(o, "self", json_object_new_int(h->self));
	json_object_object_add(o, "root", json_object_new_int(h->root));
	json_object_object_add(o, "news", json_object_new_boolean(h->news));
	json_object_object_add(o, "polling", new_text(h->polling, sizeof(h->polling)));
	struct json_object *att = json_object_new_array();
	for (size_t i = 0; i < h->nattached; i++)
		json_object_array_add(att, json_object_new_int(h->attached[i]));
	json_object_object_add(o, "attached", att);
	json_object_object_add(o, "pidns", json_object_new_boolean(h->pidns));
	return o;
}

static bool dec_command(struct dec *d, struct json_object *v, struct rec_header *h)
{
	const char *s;
	size_t n, len;

	if (!dec_array(d, v, "", "command", REC_ARRAY_MAX, &n))
		return false;
	h->command = xcalloc(n + 1, sizeof(*h->command));
	for (size_t i = 0; i < n; i++) {
		if (!dec_string(d, json_object_array_get_idx(v, i), "", "command", &s, &len))
			return false;
		h->command[i] = dup_bytes(s, len);
	}
	return true;
}

static bool dec_seconds(struct dec *d, struct json_object *v, const char *key, double *out)
{
	if (!dec_number(d, v, "", key, out))
		return false;
	if (*out < 0)
		return fail(d, _("\"%s\" is negative"), key);
	return true;
}

/* The fields after "forkscope" and "version", into h (whose command the
 * caller frees, even on failure), each checked in the order written.  A
 * version 1 header has no "news" and "polling" (any there are ignored, as
 * every unknown key of a header): the lifecycle came from polling alone. */
static bool dec_header(struct dec *d, struct json_object *j, long long version,
                       struct rec_header *h)
{
	struct json_object *v;
	unsigned long long memory = 0;
	long long self = 0, root = 0;

	if (!(need(d, j, "", "program", &v) &&
	      dec_text(d, v, "", "program", h->program, sizeof(h->program)) &&
	      need(d, j, "", "kernel", &v) &&
	      dec_text(d, v, "", "kernel", h->kernel, sizeof(h->kernel)) &&
	      need(d, j, "", "arch", &v) && dec_text(d, v, "", "arch", h->arch, sizeof(h->arch)) &&
	      need(d, j, "", "started", &v) && dec_seconds(d, v, "started", &h->started) &&
	      need(d, j, "", "scenario", &v)))
		return false;
	/* null: the run was a command, not a scenario */
	if (!json_object_is_type(v, json_type_null) &&
	    !dec_text(d, v, "", "scenario", h->scenario, sizeof(h->scenario)))
		return false;
	if (!(need(d, j, "", "command", &v) && dec_command(d, v, h) &&
	      need(d, j, "", "tempo", &v) && dec_seconds(d, v, "tempo", &h->tempo) &&
	      need(d, j, "", "interval", &v) && dec_seconds(d, v, "interval", &h->interval) &&
	      need(d, j, "", "cols", &v) && dec_int(d, v, "", "cols", 0, &h->cols) &&
	      need(d, j, "", "rows", &v) && dec_int(d, v, "", "rows", 0, &h->rows) &&
	      need(d, j, "", "memory", &v) && dec_unsigned(d, v, "", "memory", SIZE_MAX, &memory) &&
	      need(d, j, "", "self", &v) && dec_signed(d, v, "", "self", 1, INT_MAX, &self) &&
	      need(d, j, "", "root", &v) && dec_signed(d, v, "", "root", 0, INT_MAX, &root)))
		return false;
	h->memory = (size_t)memory;
	h->self = (pid_t)self;
	h->root = (pid_t)root;
	h->news = false;
	h->polling[0] = '\0';
	if (version < 2)
		return true;
	if (!(need(d, j, "", "news", &v) && dec_bool(d, v, "", "news", &h->news) &&
	      need(d, j, "", "polling", &v) &&
	      dec_text(d, v, "", "polling", h->polling, sizeof(h->polling))))
		return false;
	if (version < 4)
		return true;
	size_t n;
	if (!(need(d, j, "", "attached", &v) && dec_array(d, v, "", "attached", REC_ARRAY_MAX, &n)))
		return false;
	h->attached = xcalloc(n ? n : 1, sizeof(*h->attached));
	for (size_t i = 0; i < n; i++) {
		long long pid;
		if (!dec_signed(d, json_object_array_get_idx(v, i), "", "attached", 1, INT_MAX, &pid))
			return false;
		h->attached[h->nattached++] = (pid_t)pid;
	}
	h->pidns = false;
	if (version < 5)
		return true;
	return need(d, j, "", "pidns", &v) && dec_bool(d, v, "", "pidns", &h->pidns);
}

/* ---- writing --------------------------------------------------------- */

struct rec_writer {
	int fd;
	char *path;             /* as given: a file made and never written is removed */
	char *name;             /* the path, made fit for a message */
	struct rec_codec *codec;
	char *buf;              /* whole lines waiting to be written */
	size_t len, cap;
	double flushed;         /* CLOCK_MONOTONIC at the last write */
	int error;              /* errno of the write that failed, or 0 */
	bool created;           /* the file was made by rec_create() (not --force's) */
	bool header;            /* the header line is written */
};

/* A recording is written to a regular file only: a FIFO or a device could
 * block the run, or lose it. */
struct rec_writer *rec_create(const char *path, bool force, char *err, size_t errlen)
{
	/* an existing file is not truncated until the run has begun
	 * (rec_write_header()), so one that never begins leaves it whole */
	bool created;
	int fd = outfile_create(path, force, OUTFILE_RECORDING, &created, err, errlen);

	if (fd < 0)
		return NULL;
	struct rec_writer *w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	w->path = strdup(path);
	w->name = outfile_shown(path);
	w->created = created;
	w->codec = rec_codec_new();
	w->flushed = now_seconds();
	return w;
}

static bool write_error(struct rec_writer *w, char *err, size_t errlen)
{
	if (w->error == ENOSPC || w->error == EDQUOT || w->error == EFBIG)
		snprintf(err, errlen, _("cannot write the recording %s: %s (free some space, or "
		         "record elsewhere)"), w->name, strerror(w->error));
	else
		snprintf(err, errlen, _("cannot write the recording %s: %s"), w->name,
		         strerror(w->error));
	return false;
}

/* Writes what waits: whole lines only, so a crash leaves no line cut in
 * the file (a write(2) of a regular file is not cut by a signal). */
static void flush_lines(struct rec_writer *w)
{
	size_t done = 0;

	while (!w->error && done < w->len) {
		ssize_t n = write(w->fd, w->buf + done, w->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			w->error = n < 0 ? errno : EIO;
		else
			done += (size_t)n;
	}
	w->len = 0;
	w->flushed = now_seconds();
}

/* Adds one line to what waits; written at once when flush, or when a
 * second has passed since the last write, or when much waits. */
static bool write_line(struct rec_writer *w, const char *line, size_t len, bool flush, char *err,
                       size_t errlen)
{
	if (!w->error) {
		if (w->len + len + 1 > w->cap) {
			size_t cap = w->cap ? w->cap : 65536;
			while (cap < w->len + len + 1)
				cap *= 2;
			w->buf = xreallocarray(w->buf, cap, 1);
			w->cap = cap;
		}
		memcpy(w->buf + w->len, line, len);
		w->buf[w->len + len] = '\n';
		w->len += len + 1;
	}
	if (!w->error && (flush || w->len >= 65536 || now_seconds() - w->flushed >= 1.0))
		flush_lines(w);
	return w->error ? write_error(w, err, errlen) : true;
}

void rec_poll(struct rec_writer *w)
{
	if (w && w->len && !w->error && now_seconds() - w->flushed >= 1.0)
		flush_lines(w);
}

bool rec_write_header(struct rec_writer *w, const struct rec_header *h, char *err,
                      size_t errlen)
{
	if (w->header) {
		snprintf(err, errlen, _("internal error: the header of %s written twice"), w->name);
		return false;
	}
	/* the run has begun: an existing file (--force) is replaced only now */
	if (!w->created && ftruncate(w->fd, 0) != 0) {
		w->error = errno;
		return write_error(w, err, errlen);
	}
	struct json_object *j = header_json(w->codec->numeric, h);
	size_t len;
	char *line = json_line(j, &len);
	json_object_put(j);
	w->header = true;
	/* flushed at once: even a run that dies at its start is a recording */
	bool ok = write_line(w, line, len, true, err, errlen);
	free(line);
	return ok;
}

bool rec_write(struct rec_writer *w, const struct obs *o, char *err, size_t errlen)
{
	if (!w->header) {
		snprintf(err, errlen, _("internal error: %s written before its header"), w->name);
		return false;
	}
	size_t len;
	char *line = rec_encode(w->codec, o, &len);
	bool ok = write_line(w, line, len, false, err, errlen);
	free(line);
	return ok;
}

bool rec_write_line(struct rec_writer *w, const char *line, size_t len, char *err,
                    size_t errlen)
{
	if (!w->header) {
		snprintf(err, errlen, _("internal error: %s written before its header"), w->name);
		return false;
	}
	return write_line(w, line, len, false, err, errlen);
}

bool rec_close(struct rec_writer *w, char *err, size_t errlen)
{
	if (!w)
		return true;
	if (w->header)
		flush_lines(w);
	else if (w->created)
		unlink(w->path);    /* made for a run that never began: nothing to keep */
	if (close(w->fd) != 0 && !w->error && w->header)
		w->error = errno;
	bool ok = w->error ? (err ? write_error(w, err, errlen) : false) : true;
	rec_codec_free(w->codec);
	free(w->buf);
	free(w->path);
	free(w->name);
	free(w);
	return ok;
}

/* ---- reading --------------------------------------------------------- */

struct rec_reader {
	FILE *f;
	bool own;               /* rec_open's stream: closed with the reader */
	char *name;             /* the file, made fit for a message */
	char *line;
	size_t cap;
	unsigned long lineno;
	struct rec_codec *codec;
	char broken[512];       /* once broken, what every later read says */
};

enum line_end { LINE_OK, LINE_EOF, LINE_CUT, LINE_LONG, LINE_FAILED };

/* The next line, without its '\n', into r->line.  Byte by byte rather than
 * getline(): getline would take a runaway line whole into memory before
 * its length could be checked. */
static enum line_end read_line(struct rec_reader *r, size_t *len)
{
	size_t n = 0;

	r->lineno++;
	for (;;) {
		int ch = getc_unlocked(r->f);
		if (ch == '\n' || ch == EOF) {
			*len = n;
			if (ch == '\n')
				return LINE_OK;
			if (ferror(r->f))
				return LINE_FAILED;
			return n ? LINE_CUT : LINE_EOF;
		}
		if (n == REC_LINE_MAX)
			return LINE_LONG;
		if (n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 4096;
			if (r->cap > REC_LINE_MAX)
				r->cap = REC_LINE_MAX;
			r->line = xreallocarray(r->line, r->cap, 1);
		}
		r->line[n++] = (char)ch;
	}
}

/* Marks r broken with the message, and gives it in err. */
static int broken(struct rec_reader *r, char *err, size_t errlen, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int broken(struct rec_reader *r, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->broken, sizeof(r->broken), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s", r->broken);
	return -1;
}

/* A line that could not be read whole: 0 when it was the end (for line 1,
 * that the file is empty), else -1 with the message. */
static int line_trouble(struct rec_reader *r, enum line_end how, char *err, size_t errlen)
{
	switch (how) {
	case LINE_EOF:
		if (r->lineno == 1)
			return broken(r, err, errlen, _("%s: empty (not a forkscope recording)"),
			              r->name);
		return 0;
	case LINE_CUT:
		return broken(r, err, errlen, _("%s: line %lu: truncated (the "
		              "recording was cut short)"),
		              r->name, r->lineno);
	case LINE_LONG:
		return broken(r, err, errlen, _("%s: line %lu: longer than 64 MiB"),
		              r->name, r->lineno);
	case LINE_FAILED:
		if (errno == EISDIR)
			return broken(r, err, errlen, _("%s: is a folder, not a recording"),
			              r->name);
		return broken(r, err, errlen, _("%s: line %lu: cannot read it: %s"),
		              r->name, r->lineno,
		              strerror(errno));
	case LINE_OK:
		break;
	}
	return 1;
}

/* Line 1: is it a recording this forkscope reads, and what run is it. */
static bool read_header(struct rec_reader *r, struct rec_header *h, char *err, size_t errlen)
{
	static const char cut_header[] = "{\"forkscope\":\"recording\"";
	char why[256];
	struct dec d = { why, sizeof(why) };
	bool incomplete = false;
	size_t len;

	errno = 0;
	enum line_end how = read_line(r, &len);
	if (how == LINE_EOF || how == LINE_FAILED)
		return line_trouble(r, how, err, errlen) > 0;
	struct json_object *j = how == LINE_LONG ? NULL : parse_object(&d, r->line, len, &incomplete);
	struct json_object *v = NULL;
	const char *what = NULL;
	long long version;

	if (!j && how == LINE_CUT && incomplete && len >= sizeof(cut_header) - 1 &&
	    memcmp(r->line, cut_header, sizeof(cut_header) - 1) == 0)
		return line_trouble(r, LINE_CUT, err, errlen) > 0;
	if (j && json_object_object_get_ex(j, "forkscope", &v) &&
	    json_object_is_type(v, json_type_string))
		what = json_object_get_string(v);
	if (!what || strcmp(what, "recording") != 0) {
		json_object_put(j);
		broken(r, err, errlen, _("%s: line 1: not a forkscope recording"), r->name);
		return false;
	}
	bool ok = json_object_object_get_ex(j, "version", &v) && get_signed(v, 1, INT_MAX, &version);
	if (!ok)
		broken(r, err, errlen, _("%s: line 1: no format version "
		       "(not a forkscope recording)"),
		       r->name);
	else if (version > RECORDING_VERSION)
		broken(r, err, errlen, _("%s: line 1: format version %lld is newer than this "
		       "forkscope reads (%d); update forkscope"),
		       r->name, version, RECORDING_VERSION);
	else if (how == LINE_CUT)
		line_trouble(r, LINE_CUT, err, errlen);
	else if (!dec_header(&d, j, version, h))
		broken(r, err, errlen, _("%s: line 1: %s"), r->name, why);
	else
		h->version = r->codec->version = (int)version;
	json_object_put(j);
	return !r->broken[0];
}

static struct rec_reader *open_reader(FILE *f, bool own, const char *name,
                                      struct rec_header *h, char *err, size_t errlen)
{
	struct rec_reader *r = xcalloc(1, sizeof(*r));

	r->f = f;
	r->own = own;
	r->name = outfile_shown(name);
	r->codec = rec_codec_new();
	memset(h, 0, sizeof(*h));
	if (!read_header(r, h, err, errlen)) {
		rec_header_free(h);
		memset(h, 0, sizeof(*h));
		rec_reader_free(r);
		return NULL;
	}
	return r;
}

struct rec_reader *rec_open_stream(FILE *f, const char *name, struct rec_header *h, char *err,
                                   size_t errlen)
{
	return open_reader(f, false, name, h, err, errlen);
}

struct rec_reader *rec_open(const char *path, struct rec_header *h, char *err, size_t errlen)
{
	char *name = outfile_shown(path);
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	FILE *f = NULL;

	memset(h, 0, sizeof(*h));
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			snprintf(err, errlen, _("%s: no such file (check the name)"), name);
		else if (e == EACCES)
			snprintf(err, errlen, _("%s: not allowed to read "
			         "it (check its permissions)"), name);
		else
			snprintf(err, errlen, _("%s: cannot open it: %s"), name, strerror(e));
	} else if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, _("%s: is a folder, not a recording"), name);
	} else if (!(f = fdopen(fd, "r"))) {
		snprintf(err, errlen, _("%s: cannot open it: %s"), name, strerror(errno));
	}
	free(name);
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	return open_reader(f, true, path, h, err, errlen);
}

int rec_read(struct rec_reader *r, struct obs *o, char *err, size_t errlen)
{
	char why[256];
	size_t len;

	if (r->broken[0]) {
		snprintf(err, errlen, "%s", r->broken);
		return -1;
	}
	errno = 0;
	enum line_end how = read_line(r, &len);
	if (how != LINE_OK)
		return line_trouble(r, how, err, errlen);
	if (!rec_decode(r->codec, r->line, len, o, why, sizeof(why)))
		return broken(r, err, errlen, _("%s: line %lu: %s"), r->name, r->lineno, why);
	return 1;
}

void rec_reader_free(struct rec_reader *r)
{
	if (!r)
		return;
	if (r->own)
		fclose(r->f);
	rec_codec_free(r->codec);
	free(r->name);
	free(r->line);
	free(r);
}
