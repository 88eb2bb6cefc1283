/*
 * bearpass - session policy decided after login: the time limit of a
 * connection (MaxSessionTime, DisconnectExpiredCert) and the reason a
 * refused forwarding request is audited with.
 *
 * Pure: the current time and every setting are parameters.
 */
#ifndef BP_POLICY_H
#define BP_POLICY_H

#include <stdint.h>

#include "bp_error.h"
#include "config.h"

/* A certificate that is valid for longer than this (e.g. "forever") sets
 * no time limit: ten years, which still fits a 32-bit long. */
#define BP_LIMIT_MAX_SECS (10UL * 366UL * 86400UL)

/*
 * The time limit of a connection authenticated at now (seconds since the
 * epoch): max_session_time seconds (0: none) and, when
 * disconnect_expired_cert is set and the login was a certificate's
 * (is_cert), the certificate's valid_before.  Sets *secs to the seconds
 * until the earlier of the two (at least 1) and returns the reason that
 * limit ends the connection with: BP_ERR_SESSION_TIME or
 * BP_ERR_CERT_EXPIRED (the certificate's when both fall on the same
 * second).  With no limit, *secs is 0 and BP_OK is returned.
 */
enum bp_error bp_session_limit(unsigned int max_session_time,
		int disconnect_expired_cert, int is_cert, uint64_t valid_before,
		uint64_t now, unsigned long *secs);

/* Which forwarding a refusal is about */
enum bp_fwd_kind {
	BP_FWD_KIND_PORT = 0,   /* TCP (-L, -R, -W, -D) and Unix-socket forwarding */
	BP_FWD_KIND_AGENT       /* agent forwarding (-A) */
};

/*
 * The reason a refused forwarding request is audited with.  by_server:
 * the server's own options refused it (Dropbear's -j/-k, or a forced
 * command for Unix-socket forwarding).  Otherwise the key's restrictions
 * refused it, and the reason names the setting behind them: the
 * configuration keyword (policy BP_FWD_NO), the certificate's missing
 * permit-* extension (policy BP_FWD_CERTIFICATE, a certificate login
 * whose flags lack it), or else the key's other restrictions
 * (authorized_keys options, a forced command).
 */
enum bp_error bp_forward_refusal(enum bp_fwd_kind kind,
		enum bp_fwd_policy policy, int is_cert, unsigned int cert_flags,
		int by_server);

#endif /* BP_POLICY_H */
