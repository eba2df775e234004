/*
 * fuzz_recording.c - libFuzzer on the recording reader.
 *
 * Any bytes, read as a file through rec_open_stream() and rec_read(), must
 * end in observations or one clean error: never a crash, a sanitizer report
 * or a leak.  And what the reader accepts must survive the writer: each
 * observation is encoded again, decoded, and encoded once more, and the two
 * lines must be the same.  Built and run by make fuzz (and briefly by make
 * test), never linked into forkscope.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The codecs of the round trip: one to encode what was read, one to decode
 * that, one to encode it again. */
struct again {
	struct rec_codec *enc, *dec, *enc2;
};

static void round_trip(struct again *a, const struct obs *o)
{
	char err[256];
	struct obs back;
	size_t len, len2;

	char *line = rec_encode(a->enc, o, &len);
	if (!rec_decode(a->dec, line, len, &back, err, sizeof(err))) {
		fprintf(stderr, "the reader refuses what the writer wrote: %s\n%s\n", err, line);
		abort();
	}
	char *line2 = rec_encode(a->enc2, &back, &len2);
	if (len != len2 || memcmp(line, line2, len) != 0) {
		fprintf(stderr, "not the same line again:\n%s\n%s\n", line, line2);
		abort();
	}
	free(line);
	free(line2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct again a = { rec_codec_new(), rec_codec_new(), rec_codec_new() };
	struct rec_header h;
	struct obs o;
	char err[512];

	/* a copy of our own: fmemopen wants a buffer it may call its own, and
	 * ASan then sees every byte read past the end */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	FILE *f = fmemopen(buf, size, "r");
	if (f) {
		struct rec_reader *r = rec_open_stream(f, "fuzz", &h, err, sizeof(err));
		int got = -1;
		if (r) {
			while ((got = rec_read(r, &o, err, sizeof(err))) == 1)
				round_trip(&a, &o);
			rec_reader_free(r);
		}
		/* an error is one line, naming the stream */
		if (got < 0 && (strchr(err, '\n') || strncmp(err, "fuzz: ", 6) != 0)) {
			fprintf(stderr, "a bad message: %s\n", err);
			abort();
		}
		rec_header_free(&h);
		fclose(f);
	}
	free(buf);
	rec_codec_free(a.enc);
	rec_codec_free(a.dec);
	rec_codec_free(a.enc2);
	return 0;
}
