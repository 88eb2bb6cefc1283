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

#endif /* BP_T_H */
