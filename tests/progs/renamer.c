/*
 * renamer.c - a storm of renames for the tests: names itself "name-00" to
 * "name-19" with prctl(PR_SET_NAME), one right after another, then exits.
 * Usage: renamer
 */
#include <stdio.h>
#include <sys/prctl.h>

int main(void)
{
	for (int i = 0; i < 20; i++) {
		char name[16];
		snprintf(name, sizeof(name), "name-%02d", i);
		if (prctl(PR_SET_NAME, name) != 0) {
			perror("renamer: prctl");
			return 1;
		}
	}
	return 0;
}
