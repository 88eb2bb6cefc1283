/*
 * bearpass - 6PN address discovery.
 *
 * "ListenAddress 6pn" listens on the instance's address in the private
 * network (SixPNPrefix, fdaa::/16 by default), found in this order:
 *
 *  1. /etc/hosts: the IPv6 addresses named "fly-local-6pn" (in any name
 *     position of a line, compared case-insensitively).  Entries outside
 *     the prefix are ignored with a warning: bearpass never listens
 *     outside the prefix.  If at least one entry is inside, the hosts
 *     file wins and interfaces are not consulted.
 *  2. /proc/net/if_inet6: the interface addresses inside the prefix,
 *     except tentative (IFA_F_TENTATIVE, DAD still running: bind() would
 *     fail with EADDRNOTAVAIL, the caller retries until SixPNWait) and
 *     DAD-failed (IFA_F_DADFAILED) ones, and link-local scope ones
 *     (listening on them needs a scope id).
 *
 * The unspecified address "::" and multicast addresses are never a
 * result, whatever the prefix: there is no wildcard fallback.  Results
 * keep file order and are deduplicated.  More than BP_SIXPN_MAX_ADDRS
 * distinct results (or more than the caller's max) is an error, not a
 * silent truncation.  Malformed, overlong and IPv4 lines are skipped,
 * as the C library's resolver does.
 *
 * Pure: file contents are passed in; nothing here opens a file.
 */
#ifndef BP_SIXPN_H
#define BP_SIXPN_H

#include <stddef.h>

#include "bp_error.h"
#include "config.h"

#define BP_SIXPN_HOSTS_NAME   "fly-local-6pn"
#define BP_SIXPN_MAX_FILE     (1024 * 1024) /* either file, whole */
#define BP_SIXPN_MAX_LINE     1024          /* hosts line, without newline */
#define BP_SIXPN_MAX_IF_LINE  128           /* if_inet6 line, without newline */
#define BP_SIXPN_MAX_ADDRS    8             /* results */

/* /proc/net/if_inet6 flags (linux/if_addr.h) */
#define BP_SIXPN_IFA_F_DADFAILED  0x08
#define BP_SIXPN_IFA_F_TENTATIVE  0x40
/* /proc/net/if_inet6 scope of link-local addresses (IPV6_ADDR_LINKLOCAL) */
#define BP_SIXPN_SCOPE_LINK       0x20

struct bp_sixpn_addr {
	unsigned char addr[16];  /* IPv6, network byte order */
};

/* Called with a one-line message (no newline) about a skipped entry the
 * operator should know about; may be NULL. */
typedef void (*bp_sixpn_warn_fn)(void *ctx, const char *msg);

/*
 * The IPv6 addresses named BP_SIXPN_HOSTS_NAME in an /etc/hosts buffer,
 * whatever the prefix (:: and multicast excluded).  *n is cleared first;
 * out is written only on success.  Warns about a line naming the entry
 * whose address is IPv4, invalid or unusable, and about overlong lines.
 * Returns BP_OK (also when there is no entry), BP_ERR_TOO_LONG for an
 * oversized file or too many addresses, BP_ERR_INTERNAL for bad arguments.
 */
enum bp_error bp_sixpn_parse_hosts(const char *buf, size_t len,
		struct bp_sixpn_addr *out, size_t max, size_t *n,
		bp_sixpn_warn_fn warn, void *ctx);

/*
 * The usable addresses within prefix (an AF_INET6 prefix, matched with
 * bp_prefix_match) in /proc/net/if_inet6 contents.  Lines are
 * "ADDR IFINDEX PREFIXLEN SCOPE FLAGS IFNAME": 32 hex digits, four hex
 * numbers and an interface name.  *n is cleared first; out is written
 * only on success.  Returns as bp_sixpn_parse_hosts.
 */
enum bp_error bp_sixpn_parse_if_inet6(const char *buf, size_t len,
		const struct bp_prefix *prefix,
		struct bp_sixpn_addr *out, size_t max, size_t *n);

/*
 * The 6PN addresses to listen on, by the precedence rule above.  Either
 * buffer may be NULL (file missing).  *n is cleared first; out is written
 * only on success.  Returns BP_OK with *n >= 1, BP_ERR_NO_6PN when no
 * address was found (yet: the caller may retry), or the error of a
 * parser (an oversized file, too many addresses).
 */
enum bp_error bp_sixpn_discover(const char *hosts, size_t hosts_len,
		const char *if_inet6, size_t if_inet6_len,
		const struct bp_prefix *prefix,
		struct bp_sixpn_addr *out, size_t max, size_t *n,
		bp_sixpn_warn_fn warn, void *ctx);

#endif /* BP_SIXPN_H */
