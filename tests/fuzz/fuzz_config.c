/*
 * bearpass - libFuzzer target for plugin/config.c: any bytes as a
 * bearpass.conf.  Aborts if the error count and the number of messages
 * differ, or a message does not start with "file:line: ".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct diag_count {
	int n;
};

static void diag(void *ctx, const char *msg) {
	struct diag_count *c = ctx;

	if (strncmp(msg, "f.conf:", 7) != 0 || strchr(msg, '\n') != NULL) {
		abort();
	}
	c->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct bp_config cfg;
	struct diag_count c = { 0 };
	int errors;

	errors = bp_config_parse(&cfg, "f.conf", (const char *)data, size, diag, &c);
	if (errors != c.n) {
		abort();
	}
	bp_config_free(&cfg);
	return 0;
}
