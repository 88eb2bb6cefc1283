/*
 * bearpass - m_trim_stack() (patch 0033), linked with a Dropbear build's
 * objects: after a deep call, the pages that call used below the caller
 * are no longer resident (mincore()), the caller's own frames keep their
 * contents, and the stack grows there again as usual.
 */
#include "includes.h"
#include "dbutil.h"

#include <sys/mman.h>

#include "t.h"
#include "dbexit.h"

#define DEEP_BYTES (32 * 1024)

static uintptr_t deep_lo, deep_hi;
static long pagesize;

/* Use DEEP_BYTES of stack below the caller and record where they were. */
static __attribute__((noinline)) unsigned deep(unsigned char seed) {
	volatile unsigned char buf[DEEP_BYTES];
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = (unsigned char)(seed + i);
	}
	for (i = 0; i < sizeof(buf); i += 512) {
		sum += buf[i];
	}
	deep_lo = (uintptr_t)&buf[0];
	deep_hi = (uintptr_t)&buf[sizeof(buf) - 1];
	return sum;
}

static unsigned expected_sum(unsigned char seed) {
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < DEEP_BYTES; i += 512) {
		sum += (unsigned char)(seed + i);
	}
	return sum;
}

/* resident pages of the whole pages inside [lo, hi]; -1 on error */
static int resident(uintptr_t lo, uintptr_t hi, int *pages) {
	uintptr_t start = (lo + (uintptr_t)pagesize - 1) & ~((uintptr_t)pagesize - 1);
	uintptr_t end = (hi + 1) & ~((uintptr_t)pagesize - 1);
	unsigned char vec[DEEP_BYTES / 4096 + 2];
	size_t n, i;
	int count = 0;

	if (end <= start) {
		*pages = 0;
		return 0;
	}
	n = (end - start) / (uintptr_t)pagesize;
	if (n > sizeof(vec) || mincore((void *)start, end - start, vec) != 0) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		count += vec[i] & 1;
	}
	*pages = (int)n;
	return count;
}

/* a caller with a frame of its own that must survive the trim */
static __attribute__((noinline)) int trim_keeps_frame(void) {
	volatile unsigned char mine[6000];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(mine); i++) {
		mine[i] = (unsigned char)(i * 7);
	}
	m_trim_stack();
	for (i = 0; i < sizeof(mine); i++) {
		ok &= mine[i] == (unsigned char)(i * 7);
	}
	return ok;
}

static void test_trim(void) {
	int pages = 0, before, after;

	/* the deep call's pages are resident once it returns */
	CHECK(deep(1) == expected_sum(1));
	before = resident(deep_lo, deep_hi, &pages);
	CHECKF(pages >= 6 && before == pages, "%d of %d pages resident", before, pages);

	/* all but at most the two pages next to this frame are dropped */
	m_trim_stack();
	after = resident(deep_lo, deep_hi, &pages);
	CHECKF(after >= 0 && after <= 2, "%d of %d pages still resident", after, pages);

	/* the stack grows there again, with the usual contents */
	CHECK(deep(9) == expected_sum(9));
	after = resident(deep_lo, deep_hi, &pages);
	CHECKF(after == pages, "%d of %d pages resident after regrowing", after, pages);

	/* twice in a row is harmless */
	m_trim_stack();
	m_trim_stack();
	CHECK(deep(3) == expected_sum(3));

	/* the frames above the call keep their contents */
	CHECK(trim_keeps_frame());
	CHECK(deep(5) == expected_sum(5));
}

int main(void) {
	_dropbear_exit = test_exit;
	_dropbear_log = test_log;
	pagesize = sysconf(_SC_PAGESIZE);
	CHECK(pagesize > 0 && pagesize <= 16384);

	test_trim();

	return T_DONE("dbtest_stack");
}
