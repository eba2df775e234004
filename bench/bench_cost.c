/*
 * bench_cost.c - what watching a tree costs, against what a full scan of
 * /proc costs and what htop costs (when it is installed), in one run.
 *
 * A tree of 64 sleeping processes is watched by forkscope --headless --json
 * at 10 readings a second, with 0 and 2,000 other sleeping processes on the
 * machine.  Its CPU time (utime + stime from /proc/PID/stat, in clock
 * ticks) over a few seconds is divided by the readings taken; the same is
 * done for a full scan of every /proc/PID/stat (what top and htop read per
 * refresh), done here 10 times a second, and for `htop -d 1 -t` in tmux.
 * It prints a table and one JSON line per row.  A report: nothing here
 * fails on a time.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { TREE = 64, SECONDS = 3, READINGS_PER_SEC = 10 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The watched tree: this program again, as n sleeping processes. */
static int tree(int n)
{
	for (int i = 1; i < n; i++)
		if (fork() == 0)
			break;
	while (pause() < 0 || true)
		;
	return 0;
}

/* utime + stime of pid, in clock ticks; -1 when unreadable. */
static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	unsigned long ut, st;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* Sleepers: n processes in a group of their own, ended by killpg. */
static pid_t others(int n)
{
	if (n == 0)
		return 0;
	pid_t leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		for (int i = 1; i < n; i++)
			if (fork() == 0)
				break;
		for (;;)
			pause();
	}
	setpgid(leader, leader);
	nap(0.5 + n / 4000.0);    /* (they are forked by then) */
	return leader;
}

static void end_group(pid_t leader)
{
	if (leader <= 0)
		return;
	killpg(leader, SIGKILL);
	while (waitpid(-leader, NULL, 0) > 0 || errno == EINTR)
		;
}

/* A full scan: every /proc/PID/stat read once. */
static void full_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[300], buf[1024];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
		close(fd);
	}
	closedir(d);
}

/* This process's own CPU time, in clock ticks. */
static double own_ticks(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	return s * (double)sysconf(_SC_CLK_TCK);
}

static double scan_cost(void)
{
	double t0 = own_ticks(), end = now() + SECONDS;
	int n = 0;
	while (now() < end) {
		full_scan();
		n++;
		nap(1.0 / READINGS_PER_SEC);
	}
	return (own_ticks() - t0) / n;
}

/* forkscope --headless --json watching the tree: ticks per reading. */
static double forkscope_cost(const char *fs, const char *self)
{
	char n[16], a0[PATH_MAX + 32], a1[] = "--headless", a2[] = "--json", a3[] = "--",
	     a5[] = "--tree", a4[PATH_MAX];
	snprintf(n, sizeof(n), "%d", TREE);
	snprintf(a0, sizeof(a0), "%s", fs);
	snprintf(a4, sizeof(a4), "%s", self);
	char *argv[] = { a0, a1, a2, a3, a4, a5, n, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, fs, &fa, NULL, argv, environ) != 0)
		return -1;
	posix_spawn_file_actions_destroy(&fa);
	nap(1.5);                          /* the tree is up */
	long t0 = cpu_ticks(pid);
	nap(SECONDS);
	long t1 = cpu_ticks(pid);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return t0 < 0 || t1 < 0 ? -1 : (double)(t1 - t0) / (SECONDS * READINGS_PER_SEC);
}

/* Whether name is a program in PATH. */
static bool on_path(const char *name)
{
	const char *path = getenv("PATH");
	char file[PATH_MAX];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)n, path, name);
		if (n && access(file, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Runs argv (no shell), its output into out (NULL: /dev/null); its status. */
static int run(char *const argv[], char *out, size_t outlen)
{
	int p[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = -1;

	if (pipe(p) < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	char sink[256];
	while ((n = read(p[0], out && got + 1 < outlen ? out + got : sink,
	                 out && got + 1 < outlen ? outlen - got - 1 : sizeof(sink))) > 0)
		if (out && got + 1 < outlen)
			got += (size_t)n;
	if (out)
		out[got] = '\0';
	close(p[0]);
	if (rc != 0)
		return -1;
	waitpid(pid, &status, 0);
	return status;
}

/* htop -d 1 -t in tmux, when both are installed: ticks per refresh. */
static double htop_cost(void)
{
	char tmux[] = "tmux", l[] = "-L", sock[] = "fs-bench", ns[] = "new-session", d[] = "-d",
	     x[] = "-x", cols[] = "120", y[] = "-y", rows[] = "40", cmd[] = "htop -d 1 -t",
	     lp[] = "list-panes", f[] = "-F", fmt[] = "#{pane_pid}", ks[] = "kill-server";
	char *start[] = { tmux, l, sock, ns, d, x, cols, y, rows, cmd, NULL };
	char *panes[] = { tmux, l, sock, lp, f, fmt, NULL };
	char *stop[] = { tmux, l, sock, ks, NULL };
	char out[64];

	if (!on_path("htop") || !on_path("tmux") || run(start, NULL, 0) != 0)
		return -1;
	nap(1.5);
	double cost = -1;
	int pid = run(panes, out, sizeof(out)) == 0 ? atoi(out) : 0;
	if (pid > 0) {
		long t0 = cpu_ticks(pid);
		nap(SECONDS);
		long t1 = cpu_ticks(pid);
		if (t0 >= 0 && t1 >= 0)
			cost = (double)(t1 - t0) / (SECONDS * READINGS_PER_SEC);
	}
	run(stop, NULL, 0);
	return cost;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--tree") == 0)
		return tree(atoi(argv[2]));
	char self[PATH_MAX], fs[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	/* build/bench/bench_cost: forkscope is build/forkscope */
	snprintf(fs, sizeof(fs), "%.4000s", self);
	char *slash = strrchr(fs, '/');
	if (slash)
		*slash = '\0';
	slash = strrchr(fs, '/');
	if (slash)
		strcpy(slash, "/forkscope");
	if (access(fs, X_OK) != 0) {
		fprintf(stderr, "bench_cost: %s is not built (run make)\n", fs);
		return 1;
	}
	const int loads[] = { 0, 2000 };
	printf("What a reading costs, in clock ticks (1/%ld s) of CPU, a tree of %d sleeping "
	       "processes watched %d times a second:\n", sysconf(_SC_CLK_TCK), TREE,
	       READINGS_PER_SEC);
	printf("  %-16s %12s %12s %12s %14s %14s\n", "other processes", "forkscope", "full scan",
	       "htop", "scan/forkscope", "htop/forkscope");
	char json[8][256];
	int lines = 0;
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
		pid_t group = others(loads[i]);
		double f = forkscope_cost(fs, self), s = scan_cost(), h = htop_cost();
		end_group(group);
		char hs[32] = "not installed", hr[32] = "-";
		if (h >= 0) {
			snprintf(hs, sizeof(hs), "%.3f", h);
			snprintf(hr, sizeof(hr), "%.1f", f > 0 ? h / f : 0);
		}
		printf("  %-16d %12.3f %12.3f %12s %14.1f %14s\n", loads[i], f, s, hs,
		       f > 0 ? s / f : 0, hr);
		snprintf(json[lines++], sizeof(json[0]),
		         "{\"bench\":\"cost\",\"others\":%d,\"tree\":%d,\"forkscope\":%.4f,"
		         "\"full_scan\":%.4f,\"htop\":%s}", loads[i], TREE, f, s, h >= 0 ? hs : "null");
	}
	if (!on_path("htop"))
		printf("  (htop: install it to compare, e.g. sudo apt-get install htop)\n");
	for (int i = 0; i < lines; i++)
		printf("%s\n", json[i]);
	return 0;
}
