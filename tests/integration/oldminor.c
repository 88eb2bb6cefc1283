/*
 * bearpass - a plugin of API 1.3 for tests/integration: bearpass's own
 * plugin (its plugin_new renamed bearpass_plugin_new when compiled for
 * this test) with the minor version lowered to 3 and every member that
 * API 1.4 appended pointing at a trap.  Dropbear must treat those members
 * as absent: a call logs "oldminor: ... called" and aborts.
 */
#include "includes.h"
#include "pubkeyapi.h"

struct PluginInstance *bearpass_plugin_new(int verbose, const char *options,
		const char *addrstring);

static void trap(const char *member) {
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "oldminor: API 1.4 member %s called\n", member);

	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* aborting anyway */
	}
	abort();
}

static void t_session_limits(struct PluginInstance *instance,
		struct PluginSession *session, struct PluginSessionLimits *limits) {
	(void)instance;
	(void)session;
	(void)limits;
	trap("session_limits");
}

static void t_session_expired(struct PluginInstance *instance,
		struct PluginSession *session) {
	(void)instance;
	(void)session;
	trap("session_expired");
}

static void t_forward_request(struct PluginInstance *instance,
		struct PluginSession *session, const struct PluginForward *forward) {
	(void)instance;
	(void)session;
	(void)forward;
	trap("forward_request");
}

static unsigned int t_max_unauth_per_source(struct PluginInstance *instance) {
	(void)instance;
	trap("max_unauth_per_source");
	return 0;
}

struct PluginInstance *plugin_new(int verbose, const char *options,
		const char *addrstring) {
	struct PluginInstance *instance = bearpass_plugin_new(verbose, options, addrstring);

	if (instance != NULL) {
		instance->api_version[1] = 3;
		instance->session_limits = t_session_limits;
		instance->session_expired = t_session_expired;
		instance->forward_request = t_forward_request;
		instance->max_unauth_per_source = t_max_unauth_per_source;
	}
	return instance;
}
