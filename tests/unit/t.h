/*
 * bearpass - a minimal unit-test harness.
 *
 * Each tests/unit/test_*.c is one program.  CHECK() counts a passed or
 * failed assertion and prints the failing ones with file and line;
 * T_DONE() prints "NAME: N passed, N failed" as the last line and
 * returns the exit status.
 */
#ifndef BP_T_H
#define BP_T_H

#include <stdio.h>
#include <string.h>

static int t_passed, t_failed;

#define CHECK(cond) do { \
	if (cond) { \
		t_passed++; \
	} else { \
		t_failed++; \
		fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* CHECK with a printf-style note printed on failure (e.g. a table row). */
#define CHECKF(cond, ...) do { \
	if (cond) { \
		t_passed++; \
	} else { \
		t_failed++; \
		fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

#define CHECK_STREQ(a, b) do { \
	const char *t_a_ = (a), *t_b_ = (b); \
	CHECKF(t_a_ != NULL && t_b_ != NULL && strcmp(t_a_, t_b_) == 0, \
		"\"%s\" != \"%s\"", t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
} while (0)

#define T_DONE(name) ( \
	printf("%s: %d passed, %d failed\n", (name), t_passed, t_failed), \
	t_failed ? 1 : 0)

/* hex (no blanks) into out, which holds at least strlen(hex)/2 bytes;
 * returns the number of bytes */
static inline size_t t_unhex(unsigned char *out, const char *hex) {
	size_t n = 0;
	unsigned int v;

	while (hex[0] != '\0' && hex[1] != '\0' && sscanf(hex, "%2x", &v) == 1) {
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

/* 1 if got starts with the bytes that hex (all of it valid) spells */
static inline int t_eqhex(const unsigned char *got, const char *hex) {
	unsigned char want[1024];
	size_t n;

	if (strlen(hex) / 2 > sizeof(want)) {
		return 0;
	}
	n = t_unhex(want, hex);
	return n == strlen(hex) / 2 && memcmp(got, want, n) == 0;
}

#endif /* BP_T_H */
