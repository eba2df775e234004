/*
 * setuid-sleep.c - for the teardown test: installed set-user-ID root, it
 * becomes root through and through (real, effective and saved IDs), so an
 * ordinary user's signals are refused (EPERM), then sleeps.
 * Usage: setuid-sleep SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 || setresuid(0, 0, 0) != 0) {
		fprintf(stderr, "setuid-sleep: needs SECONDS and the set-user-ID bit, owned by root\n");
		return 2;
	}
	printf("setuid-sleep: root now, sleeping\n");
	fflush(stdout);
	double secs = atof(argv[1]);
	struct timespec ts = { (time_t)secs, 0 };
	nanosleep(&ts, NULL);
	return 0;
}
