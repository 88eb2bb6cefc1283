#!/usr/bin/python3
"""A client that floods requests during a rekey, for tests/load/run.sh.

  rekey_flood.py PORT USER KEY CERT COUNT

Logs in to 127.0.0.1:PORT with the certificate, then sends SSH_MSG_IGNORE
packets until the server starts a key exchange of its own (Dropbear rekeys
after KEX_REKEY_DATA, 1 GB of traffic).  It never answers the server's
KEXINIT: it sends COUNT global requests that want a reply instead.  The
server may not send those replies before the key exchange ends, so it
queues them.  A bounded server closes the connection; an unbounded one
keeps queueing.

Prints one line and exits 0 if the server closed the connection within
30 s of the flood, 1 if the connection was still open, 2 if the server
never started a key exchange (after 1.25 GB).
"""
import asyncio
import logging
import sys
import time

import asyncssh
from asyncssh.packet import Boolean, String

MSG_IGNORE = 2
MSG_KEXINIT = 20
MSG_GLOBAL_REQUEST = 80
CHUNK = 32000                   # below Dropbear's 32 KiB payload limit
MAX_PUSH = 5 << 28              # 1.25 GB
HIGH_WATER = 4 << 20            # bytes buffered in the transport


async def run(port, user, key, cert, count):
    kexinit = asyncio.Event()
    closed = asyncio.Event()

    class Client(asyncssh.SSHClient):
        def connection_lost(self, exc):
            closed.set()

    # the client itself must not start a key exchange
    conn, _ = await asyncssh.create_connection(
        Client, "127.0.0.1", port, username=user,
        client_keys=[(key, cert)], known_hosts=None,
        rekey_bytes=1 << 40, rekey_seconds=1 << 30)

    def on_kexinit(self, _pkttype, _pktid, _packet):
        kexinit.set()        # and no KEXINIT of ours, ever

    handlers = dict(conn._packet_handlers)
    handlers[MSG_KEXINIT] = on_kexinit
    conn._packet_handlers = handlers
    transport = conn._transport

    pushed = 0
    filler = String(bytes(CHUNK))
    while not kexinit.is_set() and not closed.is_set() and pushed < MAX_PUSH:
        if transport.get_write_buffer_size() > HIGH_WATER:
            await asyncio.sleep(0.002)      # flow control, not a wait
            continue
        conn.send_packet(MSG_IGNORE, filler)
        pushed += CHUNK
    if not kexinit.is_set() and not closed.is_set():
        try:    # what is still buffered reaches the server
            await asyncio.wait_for(kexinit.wait(), 60)
        except asyncio.TimeoutError:
            pass
    if not kexinit.is_set():
        what = "connection closed" if closed.is_set() else "no KEXINIT"
        print("rekey-flood: %s after %d MB pushed" % (what, pushed >> 20))
        return 2

    sent = 0
    request = (String(b"bearpass-rekey-flood@test"), Boolean(True))
    while sent < count and not closed.is_set():
        if transport.is_closing():
            break
        if transport.get_write_buffer_size() > HIGH_WATER:
            await asyncio.sleep(0.002)
            continue
        conn.send_packet(MSG_GLOBAL_REQUEST, *request)
        sent += 1
        if sent % 100 == 0:
            await asyncio.sleep(0)
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(closed.wait(), 30)
    except asyncio.TimeoutError:
        pass
    state = ("closed by the server" if closed.is_set()
             else "still open after %d s" % (time.monotonic() - t0))
    print("rekey-flood: server KEXINIT after %d MB, %d requests sent, "
          "connection %s" % (pushed >> 20, sent, state))
    conn.abort()
    return 0 if closed.is_set() else 1


def main():
    logging.disable(logging.CRITICAL)
    port, user, key, cert, count = sys.argv[1:6]
    key = asyncssh.read_private_key(key)
    cert = asyncssh.read_certificate(cert)
    sys.exit(asyncio.run(run(int(port), user, key, cert, int(count))))


if __name__ == "__main__":
    main()
