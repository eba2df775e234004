/*
 * pysource.c - a Unix stream socket the Python hook connects to, one line a message.
 */
#include "pysource.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "i18n.h"
#include "pymodel.h"
#include "util.h"

/* The connections kept at most: one per Python process that spoke, so a
 * run's worth; past it a new one is refused (closed) until one ends. */
enum { PYSOURCE_CONNS_MAX = 1024 };

/* One process's connection: the kernel said who made it (SO_PEERCRED);
 * its bytes are cut into lines, one message each. */
struct pyconn {
	int fd;
	pid_t pid;
	size_t len;                 /* bytes of the line begun */
	bool skipping;              /* the line begun is too long: dropped */
	char buf[PY_MSG_MAX + 1];
};

struct pysource {
	int fd;                     /* the listening socket */
	char dir[PATH_MAX];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct pyconn **conns;
	size_t nconns;
	size_t most;                /* connections kept at most: an eighth of the
	                             * descriptors forkscope may have, the rest
	                             * are the readings' */
};

struct pysource *pysource_open(char *err, size_t errlen)
{
	struct pysource *ps = xcalloc(1, sizeof(*ps));
	const char *tmp = getenv("TMPDIR");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	ps->fd = -1;
	struct rlimit rl;
	ps->most = PYSOURCE_CONNS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 8 < ps->most)
		ps->most = (size_t)(rl.rlim_cur / 8);
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(ps->dir, sizeof(ps->dir), "%s/forkscope-XXXXXX", tmp);
	if (!mkdtemp(ps->dir)) {
		snprintf(err, errlen, _("cannot make a folder for the Python hook in %s (%s): set "
		         "TMPDIR to one you can write to, or use --no-python-hook"),
		         tmp, strerror(errno));
		ps->dir[0] = '\0';
		goto fail;
	}
	int n = snprintf(ps->path, sizeof(ps->path), "%s/hook", ps->dir);
	if (n < 0 || (size_t)n >= sizeof(ps->path)) {
		snprintf(err, errlen, _("the folder %s is too deep for the Python hook's socket: "
		         "set TMPDIR to a shorter one, or use --no-python-hook"), ps->dir);
		ps->path[0] = '\0';
		goto fail;
	}
	str_copy(sa.sun_path, sizeof(sa.sun_path), ps->path);
	ps->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ps->fd < 0 || bind(ps->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ps->fd, SOMAXCONN) < 0) {
		snprintf(err, errlen, _("cannot open a socket for the Python hook (%s): use "
		         "--no-python-hook"), strerror(errno));
		goto fail;
	}
	return ps;
fail:
	pysource_free(ps);
	return NULL;
}

static void conn_close(struct pysource *ps, size_t i)
{
	close(ps->conns[i]->fd);
	free(ps->conns[i]);
	ps->conns[i] = ps->conns[--ps->nconns];
}

void pysource_free(struct pysource *ps)
{
	if (!ps)
		return;
	while (ps->nconns)
		conn_close(ps, 0);
	free(ps->conns);
	if (ps->fd >= 0)
		close(ps->fd);
	if (ps->path[0])
		unlink(ps->path);
	if (ps->dir[0])
		rmdir(ps->dir);
	free(ps);
}

const char *pysource_path(const struct pysource *ps)
{
	return ps->path;
}

int pysource_fd(const struct pysource *ps)
{
	return ps ? ps->fd : -1;
}

/* Takes the connections waiting, each with the PID the kernel gives for
 * the process that made it. */
static void accept_all(struct pysource *ps)
{
	for (;;) {
		int fd = accept4(ps->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;     /* EAGAIN: no more now */
		}
		struct ucred cred;
		socklen_t len = sizeof(cred);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid <= 0) {
			close(fd);
			continue;
		}
		/* one connection a process: a new one replaces the one it had
		 * (the hook reconnects after a line went half) */
		for (size_t i = 0; i < ps->nconns; i++)
			if (ps->conns[i]->pid == cred.pid) {
				conn_close(ps, i);
				break;
			}
		if (ps->nconns >= ps->most) {
			close(fd);
			continue;
		}
		struct pyconn *c = xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->pid = cred.pid;
		ps->conns = xreallocarray(ps->conns, ps->nconns + 1, sizeof(*ps->conns));
		ps->conns[ps->nconns++] = c;
	}
}

/* Hands over the whole lines in c's buffer; keeps a line begun. */
static size_t cut_lines(struct pyconn *c, char *from, size_t n,
                        void (*got)(void *ctx, pid_t pid, const char *text, size_t len), void *ctx)
{
	size_t told = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = from[i];
		if (ch == '\n') {
			if (!c->skipping && c->len > 0) {
				c->buf[c->len] = '\0';
				got(ctx, c->pid, c->buf, c->len);
				told++;
			}
			c->len = 0;
			c->skipping = false;
		} else if (c->skipping || ch == '\0') {
			c->skipping = true;   /* not a message: dropped to its end */
		} else if (c->len == PY_MSG_MAX) {
			c->skipping = true;
		} else {
			c->buf[c->len++] = ch;
		}
	}
	return told;
}

size_t pysource_drain(struct pysource *ps, size_t max,
                      void (*got)(void *ctx, pid_t pid, const char *text, size_t len),
                      void *ctx)
{
	char chunk[4096];     /* (small: max is kept within a few dozen) */
	size_t n = 0;

	accept_all(ps);
	for (size_t i = 0; i < ps->nconns && n < max;) {
		struct pyconn *c = ps->conns[i];
		ssize_t got_bytes = read(c->fd, chunk, sizeof(chunk));
		if (got_bytes > 0) {
			n += cut_lines(c, chunk, (size_t)got_bytes, got, ctx);
			continue;      /* the same connection again, until it is dry */
		}
		if (got_bytes < 0 && (errno == EINTR))
			continue;
		if (got_bytes < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			i++;
			continue;
		}
		/* the process closed it (it ended, or its hook gave up): a line
		 * left unfinished is dropped */
		conn_close(ps, i);
	}
	return n;
}

bool pysource_hook_dir(const char *demodir, char *out, size_t outlen)
{
	char file[PATH_MAX];

	bool found = util_shipped("hook/sitecustomize.py", "hook/sitecustomize.py", demodir, R_OK,
	                          file, sizeof(file));
	/* the folder, for PYTHONPATH (or the one that was looked in) */
	char *slash = strrchr(file, '/');
	if (slash)
		*slash = '\0';
	str_copy(out, outlen, file);
	return found;
}

char **pysource_env(char *const env[], const char *hook_dir, const char *path)
{
	size_t n = 0;

	while (env && env[n])
		n++;
	char **out = xcalloc(n + 3, sizeof(*out));
	size_t k = 0;
	const char *old = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(env[i], "PYTHONPATH=", 11) == 0) {
			old = env[i] + 11;
			continue;
		}
		if (strncmp(env[i], "FORKSCOPE_HOOK=", 15) == 0)
			continue;
		size_t len = strlen(env[i]) + 1;
		out[k++] = memcpy(xcalloc(1, len), env[i], len);
	}
	size_t len = strlen(hook_dir) + (old ? strlen(old) : 0) + 16;
	out[k] = xcalloc(1, len);
	snprintf(out[k++], len, "PYTHONPATH=%s%s%s", hook_dir, old && old[0] ? ":" : "",
	         old ? old : "");
	len = strlen(path) + 32;
	out[k] = xcalloc(1, len);
	snprintf(out[k++], len, "FORKSCOPE_HOOK=%s", path);
	out[k] = NULL;
	return out;
}

void pysource_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}
