/*
 * test_rstr.c - shared strings: cut like str_copy(), one copy for all who
 * hold it, and never changed under a holder.
 */
#include <string.h>

#include "helpers.h"
#include "rstr.h"
#include "util.h"

TestSuite(rstr, .timeout = 10, .fini = helpers_cleanup);

CASE(rstr, cuts_where_str_copy_cuts)
{
	/* "é" is two bytes: a cut never leaves half of one */
	const char *in[] = { "", "a", "abcdef", "abc\xc3\xa9", "ab\xc3\xa9x", "\xc3\xa9\xc3\xa9" };
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++)
		for (size_t max = 1; max < 8; max++) {
			char want[8];
			const char *got = rstr_empty;
			str_copy(want, max, in[i]);
			rstr_set(&got, in[i], max);
			cr_assert_str_eq(got, want, "'%s' cut at %zu", in[i], max);
			rstr_drop(&got);
			cr_assert_eq(got, rstr_empty);
		}
}

CASE(rstr, a_shared_string_outlives_its_first_holder)
{
	const char *a = rstr_empty, *b = rstr_empty;

	rstr_set(&a, "python3 worker.py", 256);
	rstr_share(&b, a);
	cr_assert_eq(a, b, "shared, not copied");
	/* one copy, its cost split between the two */
	cr_assert_lt(rstr_cost(a) + rstr_cost(b), 2 * rstr_cost(a) + 1);
	const char *was = a;
	rstr_set(&a, "python3 worker.py", 256);
	cr_assert_eq(a, was, "the same string again: nothing new is made");
	/* a holder that changes points elsewhere; the other keeps its own */
	rstr_set(&a, "sleep 3", 256);
	cr_assert_str_eq(a, "sleep 3");
	cr_assert_str_eq(b, "python3 worker.py");
	rstr_drop(&a);
	cr_assert_str_eq(b, "python3 worker.py", "still there for its last holder");
	cr_assert_gt(rstr_cost(b), strlen(b));
	rstr_drop(&b);
	cr_assert_eq(rstr_cost(b), 0);
}
