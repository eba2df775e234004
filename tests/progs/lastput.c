/*
 * lastput.c - a writer that puts its last message and exits in the same
 * moment, as the notes' writer may: the parent makes a POSIX queue
 * (/fs-lastput-PID), forks a writer that naps DELAY_MS (default 1200),
 * sends 3 messages and exits at once; the parent reaps it, keeps the queue
 * open HOLD_MS more (default 1000), removes it and exits.
 * Usage: lastput [DELAY_MS [HOLD_MS]]
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
	while (nanosleep(&ts, &ts) != 0)
		;
}

int main(int argc, char **argv)
{
	long delay_ms = argc > 1 ? atol(argv[1]) : 1200;
	long hold_ms = argc > 2 ? atol(argv[2]) : 1000;
	char name[64];
	struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = 16 };

	snprintf(name, sizeof(name), "/fs-lastput-%d", (int)getpid());
	mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q == (mqd_t)-1) {
		perror("lastput: mq_open");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("lastput: fork");
		mq_unlink(name);
		return 1;
	}
	if (pid == 0) {
		nap_ms(delay_ms);
		for (int i = 0; i < 3; i++)
			if (mq_send(q, "x", 1, 0) != 0)
				_exit(1);
		_exit(0);       /* the last put, and at once the exit */
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	nap_ms(hold_ms);
	mq_close(q);
	mq_unlink(name);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
