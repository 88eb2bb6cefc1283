/*
 * bearpass - dbtest_*: hooks for Dropbear's _dropbear_exit and
 * _dropbear_log in tests linked with Dropbear's objects.  main() points
 * them at test_exit and test_log; a dropbear_exit() then counts in exits
 * and longjmp()s to exit_jmp (setjmp() it before calling Dropbear); log
 * lines are dropped.
 */
#ifndef BP_DBEXIT_H
#define BP_DBEXIT_H

#include <setjmp.h>
#include <stdarg.h>

static jmp_buf exit_jmp;
static int exits;

/* noreturn: Dropbear's own headers declare _dropbear_exit so */
static __attribute__((noreturn)) void test_exit(int code, const char *format,
		va_list param) {
	(void)code;
	(void)format;
	(void)param;
	exits++;
	longjmp(exit_jmp, 1);
}

static void test_log(int priority, const char *format, va_list param) {
	(void)priority;
	(void)format;
	(void)param;
}

#endif /* BP_DBEXIT_H */
