/*
 * test_replay.c - record and replay from the command line: a replay prints
 * the live run's events, the same ones in the same order; a broken
 * recording or a bad place to record to is refused before anything starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(replay, .timeout = 120, .fini = helpers_cleanup);

static void put_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* Records argv (a scenario or "--" and a command) to file, then replays
 * it: both print the same JSON lines, and both exit 0. */
static void record_then_replay(const char *file, const char *const *what)
{
	const char *live_argv[16] = { "--headless", "--json", "--tempo", "0.1", "--record", file };
	size_t n = 6;
	for (size_t i = 0; what[i]; i++)
		live_argv[n++] = what[i];
	live_argv[n] = NULL;
	struct run live, replay;
	run_forkscope(&live, 60, live_argv);
	cr_assert_eq(live.status, 0, "%s: exit %d: %s", what[0], live.status, live.err);
	cr_assert_gt(run_count(&live, "spawn"), 0, "%s: the live run saw something", what[0]);
	const char *replay_argv[] = { "--headless", "--json", "--replay", file, NULL };
	run_forkscope(&replay, 30, replay_argv);
	cr_assert_eq(replay.status, 0, "%s: replay exit %d: %s", what[0], replay.status, replay.err);
	cr_assert_str_eq(replay.out, live.out, "%s: the replay prints what the live run printed",
	                 what[0]);
	cr_assert_eq(run_count(&replay, "end"), 1, "%s: the recorded end", what[0]);
	run_free(&live);
	run_free(&replay);
}

CASE(replay, every_fork_scenario_replays_with_the_same_events)
{
	static const char *const scenarios[] = {
		"fork", "getpid", "fork-data", "fork-twice", "fork-nested", "fork-bomb",
		"zombie", "orphan",
	};
	char dir[64], file[128];

	temp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		snprintf(file, sizeof(file), "%s/%s.jsonl", dir, scenarios[i]);
		const char *what[] = { scenarios[i], NULL };
		record_then_replay(file, what);
	}
	remove_dir(dir);
}

CASE(replay, a_command_and_its_output_replay_the_same)
{
	char dir[64], file[128];

	temp_dir(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/cmd.jsonl", dir);
	const char *what[] = { "--", "sh", "-c",
	                       "echo one; sleep 0.3 & wait; printf 'no end of line'; sleep 0.4; "
	                       "echo; exit 3", NULL };
	record_then_replay(file, what);
	remove_dir(dir);
}

/* Replays file expecting a refusal: exit 2, nothing on stdout, one line on
 * stderr holding each of the needles. */
static void refused(const char *file, const char *needle1, const char *needle2)
{
	struct run r;
	const char *argv[] = { "--headless", "--json", "--replay", file, NULL };

	run_forkscope(&r, 20, argv);
	cr_assert_eq(r.status, 2, "%s: exit %d (%s)", needle1, r.status, r.err);
	cr_assert_str_eq(r.out, "", "nothing printed for a broken recording");
	cr_assert(strstr(r.err, needle1) && (!needle2 || strstr(r.err, needle2)),
	          "the message names '%s'%s%s: %s", needle1, needle2 ? " and " : "",
	          needle2 ? needle2 : "", r.err);
	char *nl = strchr(r.err, '\n');
	cr_assert(nl && nl[1] == '\0', "one line: %s", r.err);
	run_free(&r);
}

CASE(replay, broken_recordings_are_refused_naming_file_and_line)
{
	char dir[64], good[128], path[160];

	temp_dir(dir, sizeof(dir));
	snprintf(good, sizeof(good), "%s/good.jsonl", dir);
	struct run live;
	const char *argv[] = { "--headless", "--json", "--tempo", "0.1", "--record", good,
	                       "fork", NULL };
	run_forkscope(&live, 30, argv);
	cr_assert_eq(live.status, 0, "%s", live.err);
	run_free(&live);
	char *text = slurp(good, NULL);
	/* line 1 is the header; find where line 4 begins and ends */
	char *l4 = text;
	for (int i = 0; i < 3; i++)
		l4 = strchr(l4, '\n') + 1;
	size_t upto4 = (size_t)(l4 - text);
	size_t len4 = strcspn(l4, "\n");

	snprintf(path, sizeof(path), "%s/truncated.jsonl", dir);
	put_file(path, text, upto4 + len4 / 2);
	refused(path, path, "line 4: truncated");

	snprintf(path, sizeof(path), "%s/notjson.jsonl", dir);
	char buf[65536];
	snprintf(buf, sizeof(buf), "%.*s{\"o\":\"reading\", this is not JSON\n", (int)upto4, text);
	put_file(path, buf, strlen(buf));
	refused(path, path, "line 4: not JSON");

	snprintf(path, sizeof(path), "%s/type.jsonl", dir);
	snprintf(buf, sizeof(buf), "%.*s{\"o\":\"output\",\"t\":\"soon\",\"text\":\"x\"}\n",
	         (int)upto4, text);
	put_file(path, buf, strlen(buf));
	refused(path, path, "line 4:");

	snprintf(path, sizeof(path), "%s/unknown.jsonl", dir);
	snprintf(buf, sizeof(buf), "%.*s{\"o\":\"teleport\",\"t\":99}\n", (int)upto4, text);
	put_file(path, buf, strlen(buf));
	refused(path, path, "teleport");

	snprintf(path, sizeof(path), "%s/newer.jsonl", dir);
	snprintf(buf, sizeof(buf), "{\"forkscope\":\"recording\",\"version\":99}\n");
	put_file(path, buf, strlen(buf));
	refused(path, path, "version 99");

	snprintf(path, sizeof(path), "%s/empty.jsonl", dir);
	put_file(path, "", 0);
	refused(path, path, "empty");

	refused(dir, dir, "folder");

	snprintf(path, sizeof(path), "%s/binary.jsonl", dir);
	static const char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
	put_file(path, binary, sizeof(binary) - 1);
	refused(path, path, "line 1");

	snprintf(path, sizeof(path), "%s/missing.jsonl", dir);
	refused(path, path, "no such file");
	free(text);
	remove_dir(dir);
}

/* forkscope with argv must refuse before starting anything: exit 2, one
 * line on stderr holding needle. */
static void refused_at_start(const char *const *argv, const char *needle)
{
	struct run r;

	run_forkscope(&r, 20, argv);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert_not_null(strstr(r.err, needle), "'%s' in: %s", needle, r.err);
	run_free(&r);
}

CASE(replay, a_bad_place_to_record_is_refused_before_anything_starts)
{
	char dir[64], path[160], link[160];

	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/no/such/folder/run.jsonl", dir);
	const char *missing[] = { "--headless", "--record", path, "zombie", NULL };
	refused_at_start(missing, "no such folder");

	snprintf(path, sizeof(path), "%s/there.jsonl", dir);
	put_file(path, "precious\n", 9);
	const char *exists[] = { "--headless", "--record", path, "zombie", NULL };
	refused_at_start(exists, "--force");
	char *kept = slurp(path, NULL);
	cr_assert_str_eq(kept, "precious\n", "the existing file is left as it was");
	free(kept);

	snprintf(link, sizeof(link), "%s/link.jsonl", dir);
	cr_assert_eq(symlink(path, link), 0);
	const char *through[] = { "--headless", "--record", link, "--force", "zombie", NULL };
	refused_at_start(through, "symbolic link");
	kept = slurp(path, NULL);
	cr_assert_str_eq(kept, "precious\n", "nothing written through the link");
	free(kept);

	/* with --force a plain file is replaced by the recording */
	struct run r;
	const char *force[] = { "--headless", "--json", "--tempo", "0.1", "--record", path,
	                        "--force", "fork", NULL };
	run_forkscope(&r, 30, force);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	kept = slurp(path, NULL);
	cr_assert(strncmp(kept, "{\"forkscope\":\"recording\"", 24) == 0, "replaced: %.60s", kept);
	free(kept);
	remove_dir(dir);
}

CASE(replay, options_that_do_not_go_with_a_replay)
{
	const char *scenario[] = { "--headless", "--replay", "x.jsonl", "zombie", NULL };
	refused_at_start(scenario, "'zombie' is not run");
	const char *both[] = { "--headless", "--replay", "x.jsonl", "--record", "y.jsonl", NULL };
	refused_at_start(both, "use one of them");
	const char *tempo[] = { "--headless", "--replay", "x.jsonl", "--tempo", "2", NULL };
	refused_at_start(tempo, "--tempo");
	const char *memory[] = { "--headless", "--replay", "x.jsonl", "--memory", "8", NULL };
	refused_at_start(memory, "--memory");
	const char *force[] = { "--headless", "--force", "zombie", NULL };
	refused_at_start(force, "--record FILE");
	const char *nothing[] = { "--headless", "--record", "y.jsonl", NULL };
	refused_at_start(nothing, "needs a scenario or a command");
	const char *history[] = { "--headless", "--history", "0", "zombie", NULL };
	refused_at_start(history, "--history");
	const char *twice[] = { "--headless", "--replay", "a.jsonl", "--replay", "b.jsonl", NULL };
	refused_at_start(twice, "given twice");
	const char *list[] = { "--list", "--replay", "a.jsonl", NULL };
	refused_at_start(list, "--list");
}

/* A recording made elsewhere (another machine's PIDs and paths, kept in
 * the tree) replays here: the zombie, its status and its reaper. */
CASE(replay, a_recording_from_another_machine_replays_here)
{
	struct run r;
	const char *argv[] = { "--headless", "--json", "--replay", "tests/data/zombie.jsonl", NULL };

	run_forkscope(&r, 30, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	struct json_object *exit_ev = run_event(&r, "exit", 0);
	cr_assert_not_null(exit_ev, "the child's exit");
	cr_assert(jbool(exit_ev, "zombie"), "seen as a zombie");
	cr_assert_eq(jint(exit_ev, "status"), 3, "with its status");
	struct json_object *reap = run_find(&r, "reap", "pid", jint(exit_ev, "pid"));
	cr_assert_not_null(reap, "and its reap");
	cr_assert_eq(jint(reap, "by"), jint(exit_ev, "ppid"), "by its parent");
	cr_assert_eq(run_count(&r, "end"), 1);
	run_free(&r);
}

/* Whether file holds at least n whole lines. */
static bool has_lines(const char *file, int n)
{
	char *text = slurp(file, NULL);
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	free(text);
	return lines >= n;
}

CASE(replay, a_recording_cut_by_a_crash_still_replays)
{
	char dir[64], file[128];

	temp_dir(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/crash.jsonl", dir);
	struct run r;
	run_start(&r, (const char *const[]){ "--headless", "--json", "--record", file, "--",
	                                      "sleep", "30", NULL });
	cr_assert(run_read_until(&r, "\"spawn\"", 1, 10), "the run began");
	/* the header and the first reading reach the file within a second */
	double until = 0;
	for (int i = 0; i < 60 && !has_lines(file, 2); i++)
		usleep(50 * 1000), until += 0.05;
	cr_assert(has_lines(file, 2), "lines written within a second (%.2f s)", until);
	/* SIGKILL: no orderly end; sleep dies with it (PR_SET_PDEATHSIG) */
	kill(r.pid, SIGKILL);
	run_finish(&r, 10);
	run_free(&r);
	char *text = slurp(file, NULL);
	size_t len = strlen(text);
	cr_assert(len > 0 && text[len - 1] == '\n', "only whole lines in the file:\n%s", text);
	free(text);
	const char *argv[] = { "--headless", "--json", "--replay", file, NULL };
	run_forkscope(&r, 20, argv);
	cr_assert_eq(r.status, 0, "the cut recording replays: %s", r.err);
	cr_assert_not_null(run_find(&r, "spawn", "pid", jint(run_event(&r, "spawn", 0), "pid")));
	cr_assert_eq(run_count(&r, "end"), 0, "no end was recorded");
	run_free(&r);
	remove_dir(dir);
}

CASE(replay, nothing_may_follow_the_end)
{
	char dir[64], file[128];

	temp_dir(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/good.jsonl", dir);
	struct run live;
	run_forkscope(&live, 30, (const char *const[]){ "--headless", "--tempo", "0.1", "--record",
	                                                 file, "fork", NULL });
	cr_assert_eq(live.status, 0, "%s", live.err);
	run_free(&live);
	char *text = slurp(file, NULL);
	size_t lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	char path[160];
	snprintf(path, sizeof(path), "%s/after-end.jsonl", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s{\"o\":\"kill\",\"t\":999}\n", text);
	fclose(f);
	char where[64];
	snprintf(where, sizeof(where), "line %zu:", lines + 1);
	refused(path, where, "after the end");
	free(text);
	remove_dir(dir);
}

CASE(replay, a_flood_under_a_small_cap_replays_as_it_printed)
{
	char dir[64], file[128];

	temp_dir(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/flood.jsonl", dir);
	/* 30,000 lines under --memory 4: the history drops its oldest while
	 * the live run prints them; the replay must print every one too */
	const char *what[] = { "--memory", "4", "--", "seq", "1", "30000", NULL };
	const char *live_argv[16] = { "--headless", "--json", "--record", file };
	size_t n = 4;
	for (size_t i = 0; what[i]; i++)
		live_argv[n++] = what[i];
	live_argv[n] = NULL;
	struct run live, replay;
	live.skip_output = replay.skip_output = false;
	run_forkscope(&live, 60, live_argv);
	cr_assert_eq(live.status, 0, "%s", live.err);
	cr_assert_not_null(run_output(&live, "30000"), "the last line printed live");
	run_forkscope(&replay, 60, (const char *const[]){ "--headless", "--json", "--replay", file,
	                                                   NULL });
	cr_assert_eq(replay.status, 0, "%s", replay.err);
	cr_assert_str_eq(replay.out, live.out, "the replay prints every line the live run did");
	run_free(&live);
	run_free(&replay);
	remove_dir(dir);
}
