/*
 * limit.c - a pids cgroup, or RLIMIT_NPROC in a user namespace, around the
 * program forkscope starts: the wall a fork bomb hits.
 */
#include "limit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

struct limit {
	enum limit_kind kind;
	int max;
	char dir[PATH_MAX + 64];    /* the cgroup's folder; "" for RLIMIT_NPROC */
	char rel[PATH_MAX + 128];   /* its path as /proc/PID/cgroup names it */
	int procs;                  /* its cgroup.procs, open for the child to
	                             * write itself into; -1 */
};


/* The whole of a small file, NUL-terminated; false when it cannot be read. */
static bool read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return false;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return true;
}

/* Writes text into a cgroup file; 0 or the errno. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = n == (ssize_t)strlen(text) ? 0 : n < 0 ? errno : EIO;
	close(fd);
	return e;
}

/* Whether word is one of the comma-separated words of list. */
static bool has_word(const char *list, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (size_t i = 0; i < len;) {
		size_t n = strcspn(list + i, ",");
		if (n > len - i)
			n = len - i;
		if (n == wl && memcmp(list + i, word, wl) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* Whether word is one of the blank-separated words of text
 * (cgroup.subtree_control: "cpu io pids"). */
static bool has_word_sp(const char *text, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = text; (p = strstr(p, word)); p += wl)
		if ((p == text || p[-1] == ' ') && (!p[wl] || p[wl] == ' ' || p[wl] == '\n'))
			return true;
	return false;
}

/* forkscope's own cgroup in the pids hierarchy of version v (1 or 2), as
 * /proc/self/cgroup names it, into rel. */
static bool own_cgroup(int v, char *rel, size_t len)
{
	char buf[8192];

	if (!read_small("/proc/self/cgroup", buf, sizeof(buf)))
		return false;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		/* ID:CONTROLLERS:PATH */
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		bool match = v == 2 ? c2 == c1 + 1 && strncmp(line, "0:", 2) == 0
		                    : has_word(c1 + 1, (size_t)(c2 - c1 - 1), "pids");
		if (match) {
			str_copy(rel, len, c2 + 1);
			return true;
		}
	}
	return false;
}

/* The folder of forkscope's own cgroup in the pids hierarchy of version v,
 * from where that hierarchy is mounted (/proc/self/mountinfo) and the
 * cgroup's path in it. */
static bool own_folder(int v, char *dir, size_t len, char *rel, size_t rellen)
{
	char buf[32768];

	if (!own_cgroup(v, rel, rellen) || !read_small("/proc/self/mountinfo", buf, sizeof(buf)))
		return false;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - TYPE SOURCE SUPER */
		char root[PATH_MAX], point[PATH_MAX], type[32], super[512];
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(dash + 3, "%31s %*s %511s", type, super) != 2)
			continue;
		if (v == 2 ? strcmp(type, "cgroup2") != 0
		           : strcmp(type, "cgroup") != 0 || !has_word(super, strlen(super), "pids"))
			continue;
		/* the mount shows the hierarchy from root down: our cgroup must
		 * be inside it (mountinfo escapes odd bytes; a cgroup's name
		 * with a space is not ours to find) */
		size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(rel, root, rl) != 0 || (rel[rl] != '/' && rel[rl] != '\0'))
			continue;
		int n = snprintf(dir, len, "%s%s", point, rel + rl);
		if (n < 0 || (size_t)n >= len)
			return false;
		/* "/sys/fs/cgroup/pids/" for the root: no trailing slash */
		if (n > 1 && dir[n - 1] == '/')
			dir[n - 1] = '\0';
		return true;
	}
	return false;
}

/* Removes empty folders named forkscope-PID-K in dir whose PID is gone: a
 * forkscope killed outright could not remove its own. */
static void sweep_stale(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int pid, k, end = 0;
		if (sscanf(e->d_name, "forkscope-%d-%d%n", &pid, &k, &end) != 2 ||
		    e->d_name[end] || pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			rmdir(path);    /* not empty: someone is in it; left */
	}
	closedir(d);
}

/* A pids cgroup under forkscope's own, in hierarchy v; false with why. */
static bool make_cgroup(struct limit *l, int v, char *why, size_t whylen)
{
	char parent[PATH_MAX], rel[PATH_MAX], path[PATH_MAX + 96], buf[512];

	if (!own_folder(v, parent, sizeof(parent), rel, sizeof(rel))) {
		snprintf(why, whylen, v == 2 ? _("no cgroup v2 hierarchy is mounted")
		                             : _("no cgroup v1 pids hierarchy is mounted"));
		return false;
	}
	if (v == 2) {
		/* a child's pids.max exists only when pids is enabled below us;
		 * not enabled here by forkscope: that would change it for every
		 * cgroup beside ours, for good */
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", parent);
		if (!read_small(path, buf, sizeof(buf)) || !has_word_sp(buf, "pids")) {
			snprintf(why, whylen, _("the pids controller is not enabled in %s"), path);
			return false;
		}
	}
	if (access(parent, W_OK) != 0) {
		snprintf(why, whylen, _("%s is not writable (%s)"), parent, strerror(errno));
		return false;
	}
	sweep_stale(parent);
	for (int k = 1;; k++) {
		snprintf(l->dir, sizeof(l->dir), "%s/forkscope-%d-%d", parent, (int)getpid(), k);
		if (mkdir(l->dir, 0755) == 0)
			break;
		if (errno != EEXIST || k == 100) {
			snprintf(why, whylen, _("cannot make %s (%s)"), l->dir, strerror(errno));
			l->dir[0] = '\0';
			return false;
		}
	}
	snprintf(l->rel, sizeof(l->rel), "%s/%s", strcmp(rel, "/") == 0 ? "" : rel,
	         strrchr(l->dir, '/') + 1);
	char max[16];
	snprintf(max, sizeof(max), "%d", l->max);
	snprintf(path, sizeof(path), "%s/pids.max", l->dir);
	int e = write_file(path, max);
	snprintf(path, sizeof(path), "%s/cgroup.procs", l->dir);
	if (!e) {
		l->procs = open(path, O_WRONLY | O_CLOEXEC);
		e = l->procs < 0 ? errno : 0;
	}
	if (e) {
		snprintf(why, whylen, _("cannot set up %s (%s)"), l->dir, strerror(e));
		rmdir(l->dir);
		l->dir[0] = '\0';
		return false;
	}
	l->kind = v == 2 ? LIMIT_CGROUP_V2 : LIMIT_CGROUP_V1;
	return true;
}

/* Whether RLIMIT_NPROC would hold for our processes: not for root, nor
 * with CAP_SYS_RESOURCE (24) or CAP_SYS_ADMIN (21). */
static bool nproc_enforced(void)
{
	char buf[4096];
	unsigned long long caps = 0;

	if (getuid() == 0 || geteuid() == 0)
		return false;
	if (read_small("/proc/self/status", buf, sizeof(buf))) {
		const char *p = strstr(buf, "\nCapEff:");
		if (p)
			caps = strtoull(p + 8, NULL, 16);
	}
	return !(caps & (1ULL << 24 | 1ULL << 21));
}

/* Whether a child may make a user namespace of its own here (a Debian
 * sysctl, a distribution's policy or a seccomp filter may forbid it). */
static bool userns_works(void)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The limit, made (make) or only looked for. */
static bool find_limit(struct limit *l, bool make, char *err, size_t errlen)
{
	char v2[320], v1[320];

	if (make && make_cgroup(l, 2, v2, sizeof(v2)))
		return true;
	if (make && make_cgroup(l, 1, v1, sizeof(v1)))
		return true;
	if (!make) {
		/* the same tests, with nothing made: the folder must be
		 * writable and, for v2, pids enabled (or enableable) below it */
		char dir[PATH_MAX], rel[PATH_MAX], path[PATH_MAX + 96], buf[512];
		if (own_folder(2, dir, sizeof(dir), rel, sizeof(rel))) {
			snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
			bool on = read_small(path, buf, sizeof(buf)) && has_word_sp(buf, "pids");
			if (on && access(dir, W_OK) == 0)
				return true;
			snprintf(v2, sizeof(v2), _("the pids controller is not enabled in %s"), path);
		} else {
			snprintf(v2, sizeof(v2), "%s", _("no cgroup v2 hierarchy is mounted"));
		}
		if (own_folder(1, dir, sizeof(dir), rel, sizeof(rel))) {
			if (access(dir, W_OK) == 0)
				return true;
			snprintf(v1, sizeof(v1), _("%s is not writable (%s)"), dir, strerror(errno));
		} else {
			snprintf(v1, sizeof(v1), "%s", _("no cgroup v1 pids hierarchy is mounted"));
		}
	}
	if (!nproc_enforced()) {
		snprintf(err, errlen, _("no process limit can be set here: %s; %s; and "
		         "RLIMIT_NPROC does not hold for root (run forkscope as root on a machine "
		         "with a pids cgroup, or as an ordinary user)"), v2, v1);
		return false;
	}
	if (!userns_works()) {
		snprintf(err, errlen, _("no process limit can be set here: %s; %s; and a user "
		         "namespace cannot be made for RLIMIT_NPROC (allow them: sysctl "
		         "kernel.unprivileged_userns_clone=1, or run forkscope as root)"), v2, v1);
		return false;
	}
	l->kind = LIMIT_NPROC;
	return true;
}

bool limit_check(char *why, size_t whylen)
{
	struct limit l = { .procs = -1 };

	return find_limit(&l, false, why, whylen);
}

struct limit *limit_new(int max, char *err, size_t errlen)
{
	struct limit *l = xcalloc(1, sizeof(*l));

	l->procs = -1;
	l->max = max < LIMIT_MIN ? LIMIT_MIN : max > LIMIT_MAX ? LIMIT_MAX : max;
	if (!find_limit(l, true, err, errlen)) {
		free(l);
		return NULL;
	}
	return l;
}

enum limit_kind limit_kind(const struct limit *l)
{
	return l->kind;
}

int limit_max(const struct limit *l)
{
	return l->max;
}

const char *limit_path(const struct limit *l)
{
	return l->dir;
}

int limit_enter(const struct limit *l)
{
	if (l->kind == LIMIT_NPROC) {
		/* a user namespace of its own: the kernel counts the processes
		 * of each (namespace, uid), so the count starts here, at 1 */
		struct rlimit rl = { (rlim_t)l->max, (rlim_t)l->max };
		if (unshare(CLONE_NEWUSER) != 0 || setrlimit(RLIMIT_NPROC, &rl) != 0)
			return errno;
		return 0;
	}
	/* "0": the process that writes it */
	if (write(l->procs, "0", 1) != 1)
		return errno ? errno : EIO;
	return 0;
}

int limit_fd(const struct limit *l)
{
	return l && l->kind != LIMIT_NPROC ? l->procs : -1;
}

int limit_count(const struct limit *l)
{
	char path[PATH_MAX + 96], buf[32];

	if (l->kind == LIMIT_NPROC)
		return -1;
	snprintf(path, sizeof(path), "%s/pids.current", l->dir);
	if (!read_small(path, buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}


/* Whether pid is (still) in l's cgroup, by its /proc/PID/cgroup. */
static bool inside(const struct limit *l, pid_t pid)
{
	char path[64], buf[8192];

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (!read_small(path, buf, sizeof(buf)))
		return false;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || strcmp(c2 + 1, l->rel) != 0)
			continue;
		if (l->kind == LIMIT_CGROUP_V2 ? c2 == c1 + 1
		                               : has_word(c1 + 1, (size_t)(c2 - c1 - 1), "pids"))
			return true;
	}
	return false;
}

/* SIGKILL to every process listed in the cgroup now; how many were listed. */
static int kill_listed(const struct limit *l)
{
	char path[PATH_MAX + 96];
	int listed = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", l->dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	int pid;
	while (fscanf(f, "%d", &pid) == 1) {
		listed++;
		/* the pidfd pins the process first: when the PID was handed to
		 * another since the list was read, the check below fails or the
		 * pidfd's (gone) process refuses the signal */
		int pidfd = util_pidfd_open(pid);
		if (pidfd < 0)
			continue;
		if (inside(l, pid) && util_pidfd_signal(pidfd, 0, 0) == 0)
			util_pidfd_signal(pidfd, SIGKILL, 0);
		close(pidfd);
	}
	fclose(f);
	return listed;
}

int limit_kill(struct limit *l)
{
	char path[PATH_MAX + 96];

	if (!l || l->kind == LIMIT_NPROC || !l->dir[0])
		return 0;
	/* no more forks: one sweep then reaches every process there is (a
	 * fork already past its check may still add one: the launcher's own
	 * sweep, which follows, takes every descendant) */
	snprintf(path, sizeof(path), "%s/pids.max", l->dir);
	write_file(path, "0");
	return kill_listed(l);
}

void limit_free(struct limit *l)
{
	if (!l)
		return;
	if (l->procs >= 0)
		close(l->procs);
	if (l->dir[0]) {
		/* the folder goes once its last process is reaped (by forkscope,
		 * the subreaper: launcher_kill_all()); not waited for forever */
		double until = now_seconds() + LIMIT_WAIT;
		limit_kill(l);
		while (rmdir(l->dir) != 0 && errno == EBUSY && now_seconds() < until) {
			struct timespec nap = { 0, 5 * 1000 * 1000 };
			nanosleep(&nap, NULL);
			kill_listed(l);
		}
	}
	free(l);
}
