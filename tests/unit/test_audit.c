/*
 * bearpass - unit tests of plugin/audit.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "audit.h"
#include "t.h"

#define S(x) (x), (sizeof(x) - 1)

/* ---- RFC 3339 timestamps ---- */

static const struct {
	long long t;
	const char *want;
} time_cases[] = {
	{ 0LL,            "1970-01-01T00:00:00Z" },
	{ 1LL,            "1970-01-01T00:00:01Z" },
	{ -1LL,           "1969-12-31T23:59:59Z" },
	{ 951782400LL,    "2000-02-29T00:00:00Z" },   /* leap day of a /400 year */
	{ 951868799LL,    "2000-02-29T23:59:59Z" },
	{ 951868800LL,    "2000-03-01T00:00:00Z" },
	{ 1735689599LL,   "2024-12-31T23:59:59Z" },   /* end of a leap year */
	{ 1735689600LL,   "2025-01-01T00:00:00Z" },
	{ 1795922066LL,   "2026-11-29T03:14:26Z" },
	{ 2147483647LL,   "2038-01-19T03:14:07Z" },
	{ 2147483648LL,   "2038-01-19T03:14:08Z" },
	{ 4102444800LL,   "2100-01-01T00:00:00Z" },   /* 2100 is no leap year */
	{ 4107456000LL,   "2100-02-28T00:00:00Z" },
	{ 4107542400LL,   "2100-03-01T00:00:00Z" },
	{ 13574606400LL,  "2400-02-29T12:00:00Z" },
	{ -2203891200LL,  "1900-03-01T00:00:00Z" },
	{ -62167219200LL, "0000-01-01T00:00:00Z" },   /* earliest */
	{ -62167219201LL, "0000-01-01T00:00:00Z" },   /* clamped */
	{ 253402300799LL, "9999-12-31T23:59:59Z" },   /* latest */
	{ 253402300800LL, "9999-12-31T23:59:59Z" },   /* clamped */
	{ LLONG_MAX,      "9999-12-31T23:59:59Z" },
	{ LLONG_MIN,      "0000-01-01T00:00:00Z" },
};

static void test_time(void) {
	char buf[21];
	char want[64];
	struct tm tm;
	size_t i;
	long long t;
	time_t tt;
	int mismatches = 0;

	for (i = 0; i < sizeof(time_cases) / sizeof(time_cases[0]); i++) {
		if (sizeof(time_t) < 8 && (time_cases[i].t > LONG_MAX
				|| time_cases[i].t < LONG_MIN)) {
			continue;
		}
		bp_audit_format_time(buf, (time_t)time_cases[i].t);
		CHECKF(strcmp(buf, time_cases[i].want) == 0, "t=%lld: %s, want %s",
				time_cases[i].t, buf, time_cases[i].want);
	}

	/* against the C library over years 1000..9999 */
	for (t = -30610224000LL; t <= 253402300799LL; t += 7777777LL + 13) {
		tt = (time_t)t;
		if (gmtime_r(&tt, &tm) == NULL) {
			continue;
		}
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		bp_audit_format_time(buf, tt);
		if (strcmp(buf, want) != 0) {
			if (mismatches++ < 5) {
				CHECKF(0, "t=%lld: %s, gmtime says %s", t, buf, want);
			}
		}
	}
	CHECK(mismatches == 0);
}

/* ---- whole records ---- */

static void test_events(void) {
	struct bp_audit_rec r;
	char line[BP_AUDIT_MAX_LINE + 1];
	const char *pline = line;   /* CHECK_STREQ wants a pointer */
	size_t n;

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_AUTH_ACCEPT;
	r.ts = (time_t)1795922066;
	r.pid = 4242;
	r.peer = "[fdaa:0:1::3]:51234";
	r.peer_len = strlen(r.peer);
	r.user = "root";
	r.user_len = 4;
	r.key_id = "alice@org";
	r.key_id_len = 9;
	r.has_serial = 1;
	r.serial = 17;
	r.principal = "root";
	r.principal_len = 4;
	r.ca_fp = "SHA256:Ykxvlt9Jp8G0CpOLVGbwy2OcZrV3VtY5H0EwJ1rvXAQ";
	r.ca_fp_len = strlen(r.ca_fp);
	r.key_fp = "SHA256:abc+/def";
	r.key_fp_len = strlen(r.key_fp);
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"2026-11-29T03:14:26Z\",\"event\":\"auth_accept\","
		"\"pid\":4242,\"peer\":\"[fdaa:0:1::3]:51234\",\"user\":\"root\","
		"\"key_id\":\"alice@org\",\"serial\":17,\"principal\":\"root\","
		"\"ca_fp\":\"SHA256:Ykxvlt9Jp8G0CpOLVGbwy2OcZrV3VtY5H0EwJ1rvXAQ\","
		"\"key_fp\":\"SHA256:abc+/def\"}\n");
	CHECK(n == strlen(line));

	/* reject: reason from the fixed list, serial is a u64, no principal */
	r.event = BP_AUDIT_EV_AUTH_REJECT;
	r.serial = 18446744073709551615ULL;
	r.principal = NULL;
	r.reason = BP_ERR_CERT_EXPIRED;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"2026-11-29T03:14:26Z\",\"event\":\"auth_reject\","
		"\"pid\":4242,\"peer\":\"[fdaa:0:1::3]:51234\",\"user\":\"root\","
		"\"key_id\":\"alice@org\",\"serial\":18446744073709551615,"
		"\"ca_fp\":\"SHA256:Ykxvlt9Jp8G0CpOLVGbwy2OcZrV3VtY5H0EwJ1rvXAQ\","
		"\"key_fp\":\"SHA256:abc+/def\",\"reason\":\"certificate expired\"}\n");
	CHECK(n == strlen(line));

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_SESSION_START;
	r.ts = (time_t)0;
	r.pid = 7;
	r.peer = "[127.0.0.1]:40000";
	r.peer_len = strlen(r.peer);
	r.user = "fly";
	r.user_len = 3;
	r.key_id = "bob";
	r.key_id_len = 3;
	r.command = "ls -la '/tmp'";
	r.command_len = strlen(r.command);
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"1970-01-01T00:00:00Z\",\"event\":\"session_start\","
		"\"pid\":7,\"peer\":\"[127.0.0.1]:40000\",\"user\":\"fly\","
		"\"key_id\":\"bob\",\"command\":\"ls -la '/tmp'\"}\n");
	CHECK(n == strlen(line));

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_EXEC_FAIL;
	r.ts = (time_t)951782400;
	r.pid = 99;
	r.peer = "[::1]:22";
	r.peer_len = 8;
	r.user = "root";
	r.user_len = 4;
	r.has_exit_status = 1;
	r.exit_status = 127;
	r.path = "/bin/sh";
	r.path_len = 7;
	r.error = "No such file or directory";
	r.error_len = strlen(r.error);
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"2000-02-29T00:00:00Z\",\"event\":\"exec_fail\","
		"\"pid\":99,\"peer\":\"[::1]:22\",\"user\":\"root\",\"exit_status\":127,"
		"\"path\":\"/bin/sh\",\"error\":\"No such file or directory\"}\n");
	CHECK(n == strlen(line));

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_SESSION_END;
	r.ts = (time_t)4102444800LL;
	r.pid = 100;
	r.peer = "[::1]:22";
	r.peer_len = 8;
	r.user = "root";
	r.user_len = 4;
	r.has_exit_status = 1;
	r.exit_status = 0;
	r.has_duration = 1;
	r.duration_s = 3600;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"2100-01-01T00:00:00Z\",\"event\":\"session_end\","
		"\"pid\":100,\"peer\":\"[::1]:22\",\"user\":\"root\",\"exit_status\":0,"
		"\"duration_s\":3600}\n");
	CHECK(n == strlen(line));

	/* killed by a signal: no exit status, a signal name */
	r.has_exit_status = 0;
	r.exit_signal = "TERM";
	r.exit_signal_len = 4;
	r.duration_s = 0;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"2100-01-01T00:00:00Z\",\"event\":\"session_end\","
		"\"pid\":100,\"peer\":\"[::1]:22\",\"user\":\"root\",\"exit_signal\":\"TERM\","
		"\"duration_s\":0}\n");
	CHECK(n == strlen(line));

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_CONN_REJECT;
	r.ts = (time_t)1735689599;
	r.pid = LONG_MIN;
	r.peer = "[203.0.113.9]:1";
	r.peer_len = strlen(r.peer);
	r.reason = BP_ERR_PEER_NOT_ALLOWED;
	n = bp_audit_format(line, sizeof(line), &r);
	if (sizeof(long) == 8) {
		CHECK_STREQ(pline, "{\"ts\":\"2024-12-31T23:59:59Z\",\"event\":\"conn_reject\","
			"\"pid\":-9223372036854775808,\"peer\":\"[203.0.113.9]:1\","
			"\"reason\":\"peer address not allowed\"}\n");
	}
	CHECK(n == strlen(line));

	/* forwarding records: forward, host, port after the identity */
	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_FORWARD_REJECT;
	r.pid = 7;
	r.user = "root";
	r.user_len = 4;
	r.key_id = "alice";
	r.key_id_len = 5;
	r.has_serial = 1;
	r.serial = 3;
	r.reason = BP_ERR_FWD_CERT_PORT;
	r.forward = "remote";
	r.forward_len = 6;
	r.host = "127.0.0.1";
	r.host_len = 9;
	r.has_port = 1;
	r.port = 8080;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"1970-01-01T00:00:00Z\",\"event\":\"forward_reject\","
		"\"pid\":7,\"user\":\"root\",\"key_id\":\"alice\",\"serial\":3,"
		"\"reason\":\"certificate lacks permit-port-forwarding\","
		"\"forward\":\"remote\",\"host\":\"127.0.0.1\",\"port\":8080}\n");
	CHECK(n == strlen(line));
	r.event = BP_AUDIT_EV_FORWARD_ACCEPT;
	r.reason = BP_OK;
	r.forward = "agent";
	r.forward_len = 5;
	r.host = NULL;
	r.has_port = 0;
	bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"1970-01-01T00:00:00Z\",\"event\":\"forward_accept\","
		"\"pid\":7,\"user\":\"root\",\"key_id\":\"alice\",\"serial\":3,"
		"\"forward\":\"agent\"}\n");
	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_SESSION_EXPIRE;
	r.reason = BP_ERR_SESSION_TIME;
	r.has_duration = 1;
	r.duration_s = 3600;
	bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"1970-01-01T00:00:00Z\",\"event\":\"session_expire\","
		"\"pid\":0,\"reason\":\"maximum session time reached\",\"duration_s\":3600}\n");

	/* minimal record: only what is always there */
	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_CONN_REJECT;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK_STREQ(pline, "{\"ts\":\"1970-01-01T00:00:00Z\",\"event\":\"conn_reject\","
		"\"pid\":0}\n");
	CHECK(n == strlen(line));

	/* invalid events format nothing */
	r.event = BP_AUDIT_EV_NONE;
	line[0] = 'x';
	CHECK(bp_audit_format(line, sizeof(line), &r) == 0);
	CHECK(line[0] == '\0');
	r.event = BP_AUDIT_EV_COUNT;
	CHECK(bp_audit_format(line, sizeof(line), &r) == 0);
	r.event = (enum bp_audit_event)-1;
	CHECK(bp_audit_format(line, sizeof(line), &r) == 0);
	CHECK(bp_audit_event_name(BP_AUDIT_EV_EXEC_FAIL) != NULL);
	CHECK_STREQ(bp_audit_event_name(BP_AUDIT_EV_EXEC_FAIL), "exec_fail");
	CHECK(bp_audit_event_name(BP_AUDIT_EV_NONE) == NULL);
}

/* ---- string escaping ---- */

static const struct {
	const char *in;
	size_t len;
	const char *want;   /* the JSON value between the quotes */
} esc_cases[] = {
	{ S("alice@org"),             "alice@org" },
	{ S(""),                      "" },
	{ S("a\"b"),                  "a\\\"b" },
	{ S("a\\b"),                  "a\\\\b" },
	{ S("a\nb"),                  "a\\u000ab" },
	{ S("\r\t\b\f"),              "\\u000d\\u0009\\u0008\\u000c" },
	{ S("a\0b"),                  "a\\u0000b" },        /* NUL inside (ptr,len) */
	{ S("\x1f\x20"),              "\\u001f " },
	{ S("\x7f"),                  "\\u007f" },          /* DEL */
	{ S("/etc/passwd"),           "/etc/passwd" },       /* '/' not escaped */
	{ S("caf\xc3\xa9"),           "caf\xc3\xa9" },       /* U+00E9 passes */
	{ S("\xe2\x82\xac"),          "\xe2\x82\xac" },      /* U+20AC */
	{ S("\xf0\x9f\x94\x91"),      "\xf0\x9f\x94\x91" },  /* U+1F511 */
	{ S("\xf4\x8f\xbf\xbf"),      "\xf4\x8f\xbf\xbf" },  /* U+10FFFF */
	{ S("\xef\xbf\xbf"),          "\xef\xbf\xbf" },      /* U+FFFF */
	{ S("\xe2\x80\xa8|\xe2\x80\xa9"), "\\u2028|\\u2029" }, /* JS line breaks */
	{ S("\xe2\x80\xa7"),          "\xe2\x80\xa7" },      /* U+2027 passes */
	{ S("\xc2\x85"),              "\xc2\x85" },          /* U+0085 (NEL) valid */
	{ S("\x80"),                  "\\u0080" },           /* stray continuation */
	{ S("\xff\xfe"),              "\\u00ff\\u00fe" },
	{ S("\xc3"),                  "\\u00c3" },           /* truncated */
	{ S("\xc3" "A"),              "\\u00c3A" },
	{ S("\xc0\xaf"),              "\\u00c0\\u00af" },    /* overlong '/' */
	{ S("\xc1\xbf"),              "\\u00c1\\u00bf" },
	{ S("\xe0\x80\xaf"),          "\\u00e0\\u0080\\u00af" }, /* overlong */
	{ S("\xed\xa0\x80"),          "\\u00ed\\u00a0\\u0080" }, /* surrogate */
	{ S("\xf0\x80\x80\xaf"),      "\\u00f0\\u0080\\u0080\\u00af" },
	{ S("\xf4\x90\x80\x80"),      "\\u00f4\\u0090\\u0080\\u0080" }, /* > U+10FFFF */
	{ S("\xf5\x80\x80\x80"),      "\\u00f5\\u0080\\u0080\\u0080" },
	{ S("\xe2\x82"),              "\\u00e2\\u0082" },    /* truncated 3-byte */
	{ S("\xe2\x28\xa1"),          "\\u00e2(\\u00a1" },
	{ S("x\"}\n{\"event\":\"auth_accept"),
		"x\\\"}\\u000a{\\\"event\\\":\\\"auth_accept" },  /* injection */
};

static void test_escaping(void) {
	struct bp_audit_rec r;
	char line[BP_AUDIT_MAX_LINE + 1];
	char want[BP_AUDIT_MAX_LINE + 1];
	size_t i, n;
	const char *prefix = "{\"ts\":\"1970-01-01T00:00:00Z\","
		"\"event\":\"auth_reject\",\"pid\":1,\"key_id\":\"";

	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.event = BP_AUDIT_EV_AUTH_REJECT;
		r.pid = 1;
		r.key_id = esc_cases[i].in;
		r.key_id_len = esc_cases[i].len;
		n = bp_audit_format(line, sizeof(line), &r);
		strcpy(want, prefix);
		strcat(want, esc_cases[i].want);
		strcat(want, "\"}\n");
		CHECKF(n == strlen(want) && strcmp(line, want) == 0,
				"case %zu: got %s", i, line);
	}
}

/* ---- bounds ---- */

static void fill(char *p, char c, size_t n) {
	memset(p, c, n);
}

static void test_truncation(void) {
	struct bp_audit_rec r;
	char line[BP_AUDIT_MAX_LINE + 1];
	char in[1024];
	char want[2048];
	const char *v, *end;
	size_t n;

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_AUTH_REJECT;
	r.key_id = in;

	/* exactly at the bound: untouched */
	fill(in, 'a', BP_AUDIT_MAX_VALUE);
	r.key_id_len = BP_AUDIT_MAX_VALUE;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK(n > 0);
	v = strstr(line, "\"key_id\":\"") + 10;
	end = strchr(v, '"');
	CHECK((size_t)(end - v) == BP_AUDIT_MAX_VALUE);
	CHECK(strncmp(end - 3, "aaa", 3) == 0);

	/* one over: cut and marked, still 256 bytes */
	r.key_id_len = BP_AUDIT_MAX_VALUE + 1;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK(n > 0);
	v = strstr(line, "\"key_id\":\"") + 10;
	end = strchr(v, '"');
	CHECK((size_t)(end - v) == BP_AUDIT_MAX_VALUE);
	fill(want, 'a', BP_AUDIT_MAX_VALUE - 3);
	memcpy(want + BP_AUDIT_MAX_VALUE - 3, "...", 4);
	CHECK(strncmp(v, want, BP_AUDIT_MAX_VALUE) == 0);

	/* an escape straddling the cut is dropped whole */
	fill(in, 'a', 252);
	in[252] = '\n';
	fill(in + 253, 'b', 10);
	r.key_id_len = 263;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK(n > 0);
	v = strstr(line, "\"key_id\":\"") + 10;
	end = strchr(v, '"');
	CHECK((size_t)(end - v) == 255);
	CHECK(strncmp(end - 4, "a...", 4) == 0);
	CHECK(strstr(line, "\\u") == NULL);

	/* so is a multi-byte character */
	fill(in, 'a', 252);
	memcpy(in + 252, "\xc3\xa9", 2);
	fill(in + 254, 'b', 10);
	r.key_id_len = 264;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK(n > 0);
	CHECK(strstr(line, "\xc3") == NULL);
	CHECK(strstr(line, "a...\"}\n") != NULL);

	/* escapes are counted after escaping: 100 NULs make 600 bytes */
	memset(in, 0, 100);
	r.key_id_len = 100;
	n = bp_audit_format(line, sizeof(line), &r);
	v = strstr(line, "\"key_id\":\"") + 10;
	end = strchr(v, '"');
	CHECK((size_t)(end - v) == 42 * 6 + 3);
	CHECK(strncmp(end - 9, "\\u0000...", 9) == 0);

	/* a long but harmless value of only escapes that fits */
	memset(in, '"', 128);
	r.key_id_len = 128;
	n = bp_audit_format(line, sizeof(line), &r);
	v = strstr(line, "\"key_id\":\"") + 10;
	CHECK(strlen(v) == 256 + 3);
}

static void test_worst_case(void) {
	struct bp_audit_rec r;
	char line[BP_AUDIT_MAX_LINE + 1];
	char *big;
	char *small;
	size_t n, len, outlen, got;
	int bad = 0;

	big = malloc(100000);
	CHECK(big != NULL);
	if (big == NULL) {
		return;
	}
	memset(big, 0x01, 100000);

	memset(&r, 0, sizeof(r));
	r.event = BP_AUDIT_EV_SESSION_START;
	r.ts = (time_t)-1;
	r.pid = LONG_MIN;
	r.peer = big;
	r.peer_len = 100000;
	r.user = big;
	r.user_len = 100000;
	r.key_id = big;
	r.key_id_len = 100000;
	r.has_serial = 1;
	r.serial = ~0ULL;
	r.principal = big;
	r.principal_len = 100000;
	r.ca_fp = big;
	r.ca_fp_len = 100000;
	r.key_fp = big;
	r.key_fp_len = 100000;
	r.reason = BP_ERR_CERT_SIG_ALGO;
	r.has_exit_status = 1;
	r.exit_status = INT_MIN;
	r.exit_signal = big;
	r.exit_signal_len = 100000;
	r.has_duration = 1;
	r.duration_s = ~0ULL;
	r.command = big;
	r.command_len = 100000;
	r.path = big;
	r.path_len = 100000;
	r.error = big;
	r.error_len = 100000;
	r.new_path = big;
	r.new_path_len = 100000;
	r.has_bytes = 1;
	r.bytes = ~0ULL;
	r.forward = big;
	r.forward_len = 100000;
	r.host = big;
	r.host_len = 100000;
	r.has_port = 1;
	r.port = ~0U;
	n = bp_audit_format(line, sizeof(line), &r);
	CHECK(n > 0);
	CHECK(n <= BP_AUDIT_MAX_LINE);
	CHECK(n == strlen(line));
	CHECK(n >= 2 && strcmp(line + n - 2, "}\n") == 0);
	CHECK(strchr(line, '\n') == line + n - 1);
	CHECK(strstr(line, "\"error\":\"") != NULL);   /* nothing dropped */
	CHECK(strstr(line, "\"port\":4294967295}") != NULL);
	CHECK(strstr(line, "\"duration_s\":18446744073709551615") != NULL);
	len = n;

	/* every buffer size: the whole line or nothing, never past outlen */
	for (outlen = 0; outlen <= len + 1; outlen++) {
		small = malloc(outlen ? outlen : 1);
		if (small == NULL) {
			bad++;
			break;
		}
		got = bp_audit_format(outlen ? small : NULL, outlen, &r);
		if (outlen == len + 1) {
			if (got != len || strcmp(small, line) != 0) {
				bad++;
			}
		} else if (got != 0 || (outlen > 0 && small[0] != '\0')) {
			bad++;
		}
		free(small);
	}
	CHECK(bad == 0);

	/* random bytes: never a raw control character inside the line */
	srand(1);
	bad = 0;
	for (outlen = 0; outlen < 2000; outlen++) {
		for (n = 0; n < 600; n++) {
			big[n] = (char)(rand() & 0xff);
		}
		r.key_id_len = (size_t)(rand() % 600);
		r.user_len = (size_t)(rand() % 600);
		got = bp_audit_format(line, sizeof(line), &r);
		if (got == 0 || got > BP_AUDIT_MAX_LINE) {
			bad++;
			continue;
		}
		for (n = 0; n + 1 < got; n++) {
			if ((unsigned char)line[n] < 0x20 || line[n] == 0x7f) {
				bad++;
				break;
			}
		}
	}
	CHECK(bad == 0);
	free(big);
}

/* ---- peers ---- */

static void test_peer(void) {
	unsigned char a6[16], a4[4];
	char buf[BP_AUDIT_MAX_PEER];
	const char *pbuf = buf;     /* CHECK_STREQ wants a pointer */
	size_t n;

	CHECK(inet_pton(AF_INET6, "fdaa:0:1:a7b:1f5:8c2e:d1c3:2", a6) == 1);
	n = bp_audit_format_peer(buf, sizeof(buf), AF_INET6, a6, 51234);
	CHECK_STREQ(pbuf, "[fdaa:0:1:a7b:1f5:8c2e:d1c3:2]:51234");
	CHECK(n == strlen(buf));

	CHECK(inet_pton(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", a6) == 1);
	n = bp_audit_format_peer(buf, sizeof(buf), AF_INET6, a6, 65535);
	CHECK(n > 0 && n < BP_AUDIT_MAX_PEER);
	CHECK(inet_pton(AF_INET6, "::ffff:255.255.255.255", a6) == 1);
	n = bp_audit_format_peer(buf, sizeof(buf), AF_INET6, a6, 65535);
	CHECK_STREQ(pbuf, "[::ffff:255.255.255.255]:65535");

	CHECK(inet_pton(AF_INET, "127.0.0.1", a4) == 1);
	n = bp_audit_format_peer(buf, sizeof(buf), AF_INET, a4, 0);
	CHECK_STREQ(pbuf, "[127.0.0.1]:0");
	CHECK(n == 13);

	CHECK(bp_audit_format_peer(buf, sizeof(buf), AF_INET, a4, 65536) == 0);
	CHECK(bp_audit_format_peer(buf, sizeof(buf), AF_INET, a4, -1) == 0);
	CHECK(bp_audit_format_peer(buf, sizeof(buf), AF_UNIX, a4, 22) == 0);
	CHECK(bp_audit_format_peer(buf, 13, AF_INET, a4, 0) == 0);
	CHECK(buf[0] == '\0');
	CHECK(bp_audit_format_peer(buf, 14, AF_INET, a4, 0) == 13);
}

int main(void) {
	test_time();
	test_events();
	test_escaping();
	test_truncation();
	test_worst_case();
	test_peer();
	return T_DONE("audit");
}
