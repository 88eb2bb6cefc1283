/*
 * bearpass - a plugin of an older API minor (OLD_MINOR, 3 or 4) for
 * tests/integration: bearpass's own plugin (its plugin_new renamed
 * bearpass_plugin_new when compiled for this test) with the minor version
 * lowered to OLD_MINOR and every member that a later minor appended
 * pointing at a trap.  Dropbear must treat those members as absent: a
 * call logs "oldminor: ... called" and aborts.
 */
#include "includes.h"
#include "pubkeyapi.h"

#ifndef OLD_MINOR
#define OLD_MINOR 3
#endif

struct PluginInstance *bearpass_plugin_new(int verbose, const char *options,
		const char *addrstring);

static void trap(const char *member) {
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "oldminor: API 1.%d plugin: member %s called\n",
			OLD_MINOR, member);

	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* aborting anyway */
	}
	abort();
}

#if OLD_MINOR < 4
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
#endif

static int t_host_keys(struct PluginInstance *instance,
		struct PluginHostKey *keys, unsigned int max) {
	(void)instance;
	(void)keys;
	(void)max;
	trap("host_keys");
	return 0;
}

struct PluginInstance *plugin_new(int verbose, const char *options,
		const char *addrstring) {
	struct PluginInstance *instance = bearpass_plugin_new(verbose, options, addrstring);

	if (instance != NULL) {
		instance->api_version[1] = OLD_MINOR;
#if OLD_MINOR < 4
		instance->session_limits = t_session_limits;
		instance->session_expired = t_session_expired;
		instance->forward_request = t_forward_request;
		instance->max_unauth_per_source = t_max_unauth_per_source;
#endif
		instance->host_keys = t_host_keys;
	}
	return instance;
}
