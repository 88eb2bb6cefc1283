/*
 * bearpass - session time limits and forwarding refusal reasons.
 */
#include "policy.h"
#include "cert.h"

enum bp_error bp_session_limit(unsigned int max_session_time,
		int disconnect_expired_cert, int is_cert, uint64_t valid_before,
		uint64_t now, unsigned long *secs) {
	enum bp_error why = BP_OK;
	unsigned long left;

	*secs = 0;
	if (max_session_time > 0) {
		*secs = max_session_time;
		why = BP_ERR_SESSION_TIME;
	}
	if (disconnect_expired_cert && is_cert) {
		/* at least one second: the check at login was now < valid_before */
		left = valid_before > now ? (valid_before - now > BP_LIMIT_MAX_SECS
				? 0 : (unsigned long)(valid_before - now)) : 1;
		if (left > 0 && (*secs == 0 || left <= *secs)) {
			*secs = left;
			why = BP_ERR_CERT_EXPIRED;
		}
	}
	return why;
}

enum bp_error bp_forward_refusal(enum bp_fwd_kind kind,
		enum bp_fwd_policy policy, int is_cert, unsigned int cert_flags,
		int by_server) {
	unsigned int flag = kind == BP_FWD_KIND_AGENT
		? BP_CERT_PERMIT_AGENT : BP_CERT_PERMIT_PORT;

	if (by_server) {
		return BP_ERR_FWD_SERVER;
	}
	if (policy == BP_FWD_NO) {
		return BP_ERR_FWD_CONFIG;
	}
	if (policy == BP_FWD_CERTIFICATE && is_cert && !(cert_flags & flag)) {
		return kind == BP_FWD_KIND_AGENT
			? BP_ERR_FWD_CERT_AGENT : BP_ERR_FWD_CERT_PORT;
	}
	return BP_ERR_FWD_KEY;
}
