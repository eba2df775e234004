/*
 * pymodel.c - the Python hook's messages, parsed and kept.
 *
 * Small arrays searched in order: a class's program has a few queues and
 * a few processes, and each array is capped (PY_MAX_ITEMS).
 */
#include "pymodel.h"

#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* An address in one process's memory that the hook named. */
struct py_handle {
	pid_t pid;
	unsigned long long start;   /* the process said it: its identity */
	unsigned long addr;
	bool queue;                 /* a queue's (pipe below), else a sync's */
	bool sem;                   /* the queue's semaphore, not a lock */
	unsigned long pipe;
	char name[PY_NAME_MAX];     /* a sync's name and kind */
	char kind[PY_KIND_MAX];
};

struct py_conn {
	pid_t pid;
	unsigned long socket;
	char address[PY_ADDR_MAX];
};

struct py_proc {
	pid_t pid;
	enum py_role role;
	char name[PY_NAME_MAX];
	struct py_wait wait;
	unsigned long call_ref;
	char call[PY_KIND_MAX];
};

struct py_ref {
	unsigned long ref;
	char name[PY_NAME_MAX];
};

#define VEC(T) struct { T *v; size_t n, cap; }

struct pymodel {
	VEC(struct py_queue) queues;
	VEC(struct py_handle) handles;
	VEC(struct py_conn) conns;
	VEC(struct py_proc) procs;
	VEC(struct py_manager) managers;
	VEC(struct py_mqueue) mqueues;
	VEC(struct py_ref) refs;
	VEC(pid_t) hooked;          /* every process that said something */
};

/* A new zeroed element at the end of vec, or NULL past the cap. */
#define VEC_ADD(vec) \
	((vec).n >= PY_MAX_ITEMS ? NULL : \
	 ((vec).n == (vec).cap ? \
	  ((vec).cap = (vec).cap ? (vec).cap * 2 : 8, \
	   (vec).v = xreallocarray((vec).v, (vec).cap, sizeof(*(vec).v))) : (vec).v, \
	  memset(&(vec).v[(vec).n], 0, sizeof(*(vec).v)), &(vec).v[(vec).n++]))

static const char *const role_names[PY_ROLE_COUNT] = {
	[PY_ROLE_NONE] = "",
	[PY_ROLE_PROCESS] = "process",
	[PY_ROLE_POOL_WORKER] = "pool-worker",
	[PY_ROLE_MANAGER] = "manager",
	[PY_ROLE_FORKSERVER] = "forkserver",
	[PY_ROLE_RESOURCE_TRACKER] = "resource-tracker",
};

const char *py_role_name(enum py_role role)
{
	return role >= 0 && role < PY_ROLE_COUNT ? role_names[role] : "";
}

/* ---- parsing ---------------------------------------------------------- */

static void get_str(struct json_object *o, const char *key, char *buf, size_t len)
{
	struct json_object *v;

	buf[0] = '\0';
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		str_copy(buf, len, json_object_get_string(v));
}

static bool get_num(struct json_object *o, const char *key, long long *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

static unsigned long get_ulong(struct json_object *o, const char *key)
{
	long long n;

	return get_num(o, key, &n) && n > 0 ? (unsigned long)n : 0;
}

/* A manager's id of an object: hexadecimal text, or a number. */
static unsigned long get_ref(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoul(json_object_get_string(v), NULL, 16);
	return get_ulong(o, key);
}

static void get_addrs(struct json_object *o, const char *key, unsigned long *out, size_t *n,
                      size_t max)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return;
	size_t len = json_object_array_length(v);
	for (size_t i = 0; i < len && *n < max; i++) {
		struct json_object *a = json_object_array_get_idx(v, i);
		if (json_object_is_type(a, json_type_int) && json_object_get_int64(a) > 0)
			out[(*n)++] = (unsigned long)json_object_get_int64(a);
	}
}

static const struct {
	const char *name;
	enum py_msg_kind kind;
} msg_kinds[] = {
	{ "name", PYM_NAME }, { "task", PYM_TASK }, { "queue", PYM_QUEUE }, { "sync", PYM_SYNC },
	{ "wait", PYM_WAIT }, { "mqueue", PYM_MQUEUE }, { "conn", PYM_CONN }, { "call", PYM_CALL },
	{ "mref", PYM_MREF }, { "hello", PYM_HELLO },
};

bool pymodel_parse(const char *text, size_t len, struct py_msg *out)
{
	char e[16];
	long long n;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > PY_MSG_MAX)
		return false;
	struct json_tokener *tok = json_tokener_new();
	/* text that is not UTF-8 is not a message (and would not be JSON in
	 * a recording) */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	/* one object, and nothing after it */
	bool whole = json_tokener_get_error(tok) == json_tokener_success &&
	             json_tokener_get_parse_end(tok) == len;
	json_tokener_free(tok);
	if (!o || !whole || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return false;
	}
	get_str(o, "e", e, sizeof(e));
	bool known = false;
	for (size_t i = 0; i < sizeof(msg_kinds) / sizeof(msg_kinds[0]) && !known; i++)
		if (strcmp(e, msg_kinds[i].name) == 0) {
			out->kind = msg_kinds[i].kind;
			known = true;
		}
	if (get_num(o, "start", &n) && n > 0)
		out->start = (unsigned long long)n;
	struct json_object *mono;
	if (json_object_object_get_ex(o, "mono", &mono) &&
	    (json_object_is_type(mono, json_type_double) || json_object_is_type(mono, json_type_int)))
		out->mono = json_object_get_double(mono);
	get_str(o, "name", out->name, sizeof(out->name));
	get_str(o, "kind", out->kind_name, sizeof(out->kind_name));
	get_str(o, "address", out->address, sizeof(out->address));
	get_str(o, "task", out->task, sizeof(out->task));
	get_str(o, "what", out->what, sizeof(out->what));
	get_str(o, "method", out->method, sizeof(out->method));
	char role[PY_KIND_MAX];
	get_str(o, "role", role, sizeof(role));
	for (int r = 1; r < PY_ROLE_COUNT; r++)
		if (strcmp(role, role_names[r]) == 0)
			out->role = (enum py_role)r;
	if (out->kind == PYM_NAME && out->role == PY_ROLE_NONE)
		out->role = PY_ROLE_PROCESS;
	if (get_num(o, "child", &n) && n > 0 && n < (1LL << 31))
		out->child = (pid_t)n;
	out->pipe = get_ulong(o, "pipe");
	out->socket = get_ulong(o, "socket");
	out->ref = get_ref(o, "ref");
	out->maxsize = get_num(o, "maxsize", &n) && n > 0 ? (long)n : 0;
	out->fill = get_num(o, "fill", &n) && n > 0 ? (long)n : 0;
	size_t ns = 0;
	if (out->kind == PYM_QUEUE) {
		unsigned long sem = get_ulong(o, "sem");
		/* the semaphore first, always: 0 when there is none */
		out->sems[ns++] = sem;
		get_addrs(o, "locks", out->sems, &ns, PY_SEMS_MAX);
	} else {
		get_addrs(o, "sems", out->sems, &ns, PY_SEMS_MAX);
	}
	json_object_put(o);
	/* what each kind cannot do without */
	switch (out->kind) {
	case PYM_NAME: return known && out->name[0];
	case PYM_QUEUE: return known && out->pipe && out->name[0];
	case PYM_SYNC: return known && out->name[0];
	case PYM_MQUEUE: case PYM_CALL: case PYM_MREF: return known && out->ref;
	case PYM_CONN: return known && out->socket && out->address[0];
	default: return known;
	}
}

/* ---- the model -------------------------------------------------------- */

struct pymodel *pymodel_new(void)
{
	return xcalloc(1, sizeof(struct pymodel));
}

#define VEC_FREE(vec) free((vec).v)

void pymodel_free(struct pymodel *m)
{
	if (!m)
		return;
	VEC_FREE(m->queues);
	VEC_FREE(m->handles);
	VEC_FREE(m->conns);
	VEC_FREE(m->procs);
	VEC_FREE(m->managers);
	VEC_FREE(m->mqueues);
	VEC_FREE(m->refs);
	VEC_FREE(m->hooked);
	free(m);
}

#define VEC_COPY(dst, src) \
	do { \
		(dst).n = (dst).cap = (src).n; \
		(dst).v = (src).n ? xcalloc((src).n, sizeof(*(src).v)) : NULL; \
		if ((src).n) \
			memcpy((dst).v, (src).v, (src).n * sizeof(*(src).v)); \
	} while (0)

struct pymodel *pymodel_clone(const struct pymodel *m)
{
	struct pymodel *c = pymodel_new();

	VEC_COPY(c->queues, m->queues);
	VEC_COPY(c->handles, m->handles);
	VEC_COPY(c->conns, m->conns);
	VEC_COPY(c->procs, m->procs);
	VEC_COPY(c->managers, m->managers);
	VEC_COPY(c->mqueues, m->mqueues);
	VEC_COPY(c->refs, m->refs);
	VEC_COPY(c->hooked, m->hooked);
	return c;
}

#define VEC_BYTES(vec) ((vec).cap * sizeof(*(vec).v))

size_t pymodel_bytes(const struct pymodel *m)
{
	return sizeof(*m) + VEC_BYTES(m->queues) + VEC_BYTES(m->handles) + VEC_BYTES(m->conns) +
	       VEC_BYTES(m->procs) + VEC_BYTES(m->managers) + VEC_BYTES(m->mqueues) +
	       VEC_BYTES(m->refs) + VEC_BYTES(m->hooked);
}

static struct py_proc *proc_of(struct pymodel *m, pid_t pid, bool add)
{
	for (size_t i = 0; i < m->procs.n; i++)
		if (m->procs.v[i].pid == pid)
			return &m->procs.v[i];
	if (!add)
		return NULL;
	struct py_proc *p = VEC_ADD(m->procs);
	if (p)
		p->pid = pid;
	return p;
}

/* The handle of pid at addr, added when new (NULL past the cap). */
static struct py_handle *handle_at(struct pymodel *m, pid_t pid, unsigned long long start,
                                   unsigned long addr)
{
	for (size_t i = 0; i < m->handles.n; i++)
		if (m->handles.v[i].pid == pid && m->handles.v[i].addr == addr) {
			m->handles.v[i].start = start;
			return &m->handles.v[i];
		}
	struct py_handle *h = VEC_ADD(m->handles);
	if (h) {
		h->pid = pid;
		h->start = start;
		h->addr = addr;
	}
	return h;
}

static const char *ref_name(const struct pymodel *m, unsigned long ref)
{
	for (size_t i = 0; i < m->refs.n; i++)
		if (m->refs.v[i].ref == ref)
			return m->refs.v[i].name;
	return NULL;
}

static void apply_queue(struct pymodel *m, pid_t pid, unsigned long long start,
                        const struct py_msg *msg)
{
	struct py_queue *q = NULL;

	for (size_t i = 0; i < m->queues.n && !q; i++)
		if (m->queues.v[i].pipe == msg->pipe)
			q = &m->queues.v[i];
	if (!q)
		q = VEC_ADD(m->queues);
	if (!q)
		return;
	/* the last word on a queue wins: a Pool names its queues after
	 * they were made */
	q->pipe = msg->pipe;
	str_copy(q->name, sizeof(q->name), msg->name);
	str_copy(q->kind, sizeof(q->kind), msg->kind_name[0] ? msg->kind_name : "Queue");
	q->maxsize = msg->maxsize;
	for (size_t i = 0; i < PY_SEMS_MAX; i++) {
		if (!msg->sems[i])
			continue;
		struct py_handle *h = handle_at(m, pid, start, msg->sems[i]);
		if (!h)
			return;
		h->queue = true;
		h->sem = i == 0;
		h->pipe = msg->pipe;
		str_copy(h->name, sizeof(h->name), q->name);
		str_copy(h->kind, sizeof(h->kind), q->kind);
	}
}

static void apply_sync(struct pymodel *m, pid_t pid, unsigned long long start,
                       const struct py_msg *msg)
{
	for (size_t i = 0; i < PY_SEMS_MAX && msg->sems[i]; i++) {
		struct py_handle *h = handle_at(m, pid, start, msg->sems[i]);
		if (!h)
			return;
		h->queue = false;
		str_copy(h->name, sizeof(h->name), msg->name);
		str_copy(h->kind, sizeof(h->kind), msg->kind_name[0] ? msg->kind_name : "Lock");
	}
}

static void apply_mqueue(struct pymodel *m, pid_t pid, const struct py_msg *msg)
{
	struct py_mqueue *q = NULL;

	for (size_t i = 0; i < m->mqueues.n && !q; i++)
		if (m->mqueues.v[i].ref == msg->ref && m->mqueues.v[i].server == pid)
			q = &m->mqueues.v[i];
	if (!q) {
		q = VEC_ADD(m->mqueues);
		if (!q)
			return;
		q->ref = msg->ref;
		q->server = pid;
		const char *name = ref_name(m, msg->ref);
		q->named = name != NULL;
		if (name)
			str_copy(q->name, sizeof(q->name), name);
		else
			snprintf(q->name, sizeof(q->name), "%s-%lx",
			         msg->kind_name[0] ? msg->kind_name : "Queue", msg->ref & 0xfff);
	}
	str_copy(q->kind, sizeof(q->kind), msg->kind_name[0] ? msg->kind_name : "Queue");
	q->maxsize = msg->maxsize;
	q->fill = msg->fill;
}

static void apply_mref(struct pymodel *m, const struct py_msg *msg)
{
	if (!msg->name[0])
		return;
	struct py_ref *r = NULL;
	for (size_t i = 0; i < m->refs.n && !r; i++)
		if (m->refs.v[i].ref == msg->ref)
			r = &m->refs.v[i];
	if (!r)
		r = VEC_ADD(m->refs);
	if (!r)
		return;
	r->ref = msg->ref;
	str_copy(r->name, sizeof(r->name), msg->name);
	/* the queue may have been told of first, by the server */
	for (size_t i = 0; i < m->mqueues.n; i++)
		if (m->mqueues.v[i].ref == msg->ref) {
			str_copy(m->mqueues.v[i].name, sizeof(m->mqueues.v[i].name), msg->name);
			m->mqueues.v[i].named = true;
		}
}

void pymodel_apply(struct pymodel *m, pid_t pid, unsigned long long start,
                   const struct py_msg *msg)
{
	if (!pymodel_hooked(m, pid)) {
		pid_t *h = VEC_ADD(m->hooked);
		if (h)
			*h = pid;
	}
	switch (msg->kind) {
	case PYM_NAME: {
		struct py_proc *p = proc_of(m, pid, true);
		if (p) {
			p->role = msg->role;
			str_copy(p->name, sizeof(p->name), msg->name);
		}
		if (msg->role == PY_ROLE_MANAGER && msg->address[0]) {
			struct py_manager *mg = NULL;
			for (size_t i = 0; i < m->managers.n && !mg; i++)
				if (m->managers.v[i].pid == pid)
					mg = &m->managers.v[i];
			if (!mg)
				mg = VEC_ADD(m->managers);
			if (!mg)
				return;
			mg->pid = pid;
			str_copy(mg->name, sizeof(mg->name), msg->name);
			str_copy(mg->address, sizeof(mg->address), msg->address);
		}
		break;
	}
	case PYM_TASK:
		break;
	case PYM_QUEUE:
		apply_queue(m, pid, start, msg);
		break;
	case PYM_SYNC:
		apply_sync(m, pid, start, msg);
		break;
	case PYM_HELLO:
		break;
	case PYM_WAIT: {
		struct py_proc *p = proc_of(m, pid, msg->what[0] != '\0');
		if (!p)
			return;
		memset(&p->wait, 0, sizeof(p->wait));
		str_copy(p->wait.what, sizeof(p->wait.what), msg->what);
		p->wait.child = msg->child;
		str_copy(p->wait.name, sizeof(p->wait.name), msg->name);
		break;
	}
	case PYM_MQUEUE:
		apply_mqueue(m, pid, msg);
		break;
	case PYM_CONN: {
		for (size_t i = 0; i < m->conns.n; i++)
			if (m->conns.v[i].pid == pid && m->conns.v[i].socket == msg->socket)
				return;
		struct py_conn *c = VEC_ADD(m->conns);
		if (!c)
			return;
		c->pid = pid;
		c->socket = msg->socket;
		str_copy(c->address, sizeof(c->address), msg->address);
		break;
	}
	case PYM_CALL: {
		struct py_proc *p = proc_of(m, pid, true);
		if (!p)
			return;
		p->call_ref = msg->ref;
		str_copy(p->call, sizeof(p->call), msg->method);
		break;
	}
	case PYM_MREF:
		apply_mref(m, msg);
		break;
	}
}

/* Removes the elements of vec for which gone(element) holds. */
#define VEC_REMOVE_IF(vec, gone) \
	do { \
		size_t kept_ = 0; \
		for (size_t i_ = 0; i_ < (vec).n; i_++) \
			if (!(gone)) \
				(vec).v[kept_++] = (vec).v[i_]; \
		(vec).n = kept_; \
	} while (0)

static bool queue_held(const struct pymodel *m, unsigned long pipe)
{
	for (size_t i = 0; i < m->handles.n; i++)
		if (m->handles.v[i].queue && m->handles.v[i].pipe == pipe)
			return true;
	return false;
}

void pymodel_forget(struct pymodel *m, pid_t pid)
{
	VEC_REMOVE_IF(m->handles, m->handles.v[i_].pid == pid);
	/* a queue no live process said it holds is forgotten (each says so of
	 * its semaphore or its locks): the cap counts the living, not the run */
	VEC_REMOVE_IF(m->queues, !queue_held(m, m->queues.v[i_].pipe));
	VEC_REMOVE_IF(m->conns, m->conns.v[i_].pid == pid);
	VEC_REMOVE_IF(m->procs, m->procs.v[i_].pid == pid);
	VEC_REMOVE_IF(m->managers, m->managers.v[i_].pid == pid);
	VEC_REMOVE_IF(m->mqueues, m->mqueues.v[i_].server == pid);
	VEC_REMOVE_IF(m->hooked, m->hooked.v[i_] == pid);
}

/* ---- lookups ---------------------------------------------------------- */

const struct py_queue *pymodel_queue(const struct pymodel *m, unsigned long pipe)
{
	for (size_t i = 0; m && i < m->queues.n; i++)
		if (m->queues.v[i].pipe == pipe)
			return &m->queues.v[i];
	return NULL;
}

unsigned long pymodel_queue_sem(const struct pymodel *m, unsigned long pipe, pid_t pid,
                                unsigned long long start)
{
	for (size_t i = 0; m && i < m->handles.n; i++) {
		const struct py_handle *h = &m->handles.v[i];
		/* the process that said so, not another with its PID since */
		if (h->pid == pid && h->start == start && h->queue && h->sem && h->pipe == pipe)
			return h->addr;
	}
	return 0;
}

bool pymodel_futex(const struct pymodel *m, pid_t pid, unsigned long addr, struct py_futex *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; m && i < m->handles.n; i++) {
		const struct py_handle *h = &m->handles.v[i];
		/* the futex is the semaphore's value word: its first 8 bytes
		 * hold it on every ABI glibc has */
		if (h->pid != pid || addr < h->addr || addr >= h->addr + 8)
			continue;
		out->queue = h->queue;
		out->put = h->queue && h->sem;
		str_copy(out->name, sizeof(out->name), h->name);
		str_copy(out->kind, sizeof(out->kind), h->kind);
		return true;
	}
	return false;
}

const struct py_wait *pymodel_wait(const struct pymodel *m, pid_t pid)
{
	for (size_t i = 0; m && i < m->procs.n; i++)
		if (m->procs.v[i].pid == pid)
			return m->procs.v[i].wait.what[0] ? &m->procs.v[i].wait : NULL;
	return NULL;
}

static const struct py_manager *manager_at(const struct pymodel *m, const char *address)
{
	for (size_t i = 0; i < m->managers.n; i++)
		if (strcmp(m->managers.v[i].address, address) == 0)
			return &m->managers.v[i];
	return NULL;
}

const struct py_manager *pymodel_conn(const struct pymodel *m, pid_t pid, unsigned long socket)
{
	for (size_t i = 0; m && i < m->conns.n; i++)
		if (m->conns.v[i].pid == pid && m->conns.v[i].socket == socket)
			return manager_at(m, m->conns.v[i].address);
	return NULL;
}

size_t pymodel_clients(const struct pymodel *m, const struct py_manager *mg, pid_t *pids,
                       size_t max)
{
	size_t n = 0;

	for (size_t i = 0; m && mg && i < m->conns.n && n < max; i++) {
		if (strcmp(m->conns.v[i].address, mg->address) != 0)
			continue;
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = pids[k] == m->conns.v[i].pid;
		if (!seen)
			pids[n++] = m->conns.v[i].pid;
	}
	return n;
}

const struct py_mqueue *pymodel_mqueue_at(const struct pymodel *m, size_t i)
{
	return m && i < m->mqueues.n ? &m->mqueues.v[i] : NULL;
}

const struct py_mqueue *pymodel_mqueue(const struct pymodel *m, unsigned long ref)
{
	for (size_t i = 0; m && i < m->mqueues.n; i++)
		if (m->mqueues.v[i].ref == ref)
			return &m->mqueues.v[i];
	return NULL;
}

const struct py_manager *pymodel_manager_of(const struct pymodel *m, pid_t server)
{
	for (size_t i = 0; m && i < m->managers.n; i++)
		if (m->managers.v[i].pid == server)
			return &m->managers.v[i];
	return NULL;
}

const char *pymodel_call(const struct pymodel *m, pid_t pid, unsigned long *ref)
{
	for (size_t i = 0; m && i < m->procs.n; i++)
		if (m->procs.v[i].pid == pid && m->procs.v[i].call[0]) {
			*ref = m->procs.v[i].call_ref;
			return m->procs.v[i].call;
		}
	return NULL;
}

enum py_role pymodel_role(const struct pymodel *m, pid_t pid, const char **name)
{
	for (size_t i = 0; m && i < m->procs.n; i++)
		if (m->procs.v[i].pid == pid) {
			if (name)
				*name = m->procs.v[i].name;
			return m->procs.v[i].role;
		}
	return PY_ROLE_NONE;
}

bool pymodel_hooked(const struct pymodel *m, pid_t pid)
{
	for (size_t i = 0; m && i < m->hooked.n; i++)
		if (m->hooked.v[i] == pid)
			return true;
	return false;
}
