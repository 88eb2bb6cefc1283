#!/usr/bin/python3
"""Hostile clients for tests/load/run.sh: loopback only, bounded in count
and in time, every socket closed before exit.

  hostile.py flood PORT READYFILE STOPFILE
      200 connections (50 from each of 127.0.0.2 .. 127.0.0.5) that send a
      banner and then idle.  A connection the server closes is reopened at
      most once a second (bounded).  Writes READYFILE once every connection
      was attempted, holds until STOPFILE exists (at most 60 s), closes all
      and prints "flood: opened N, held H, reopened R".

  hostile.py attempts PORT COUNT
      COUNT short hostile attempts (garbage, oversized packet lengths, 1 MB
      of random bytes, drops mid key exchange) from 8 workers, each on its
      own source address 127.0.1.W (one connection at a time per source,
      so Dropbear's per-source limit never refuses them), plus 5 slow
      clients (one banner byte a second, about 5 s each) on 127.0.2.S.
      Prints "attempts: done N, kinds {...}".

  hostile.py hold PORT SRC COUNT READYFILE STOPFILE
      COUNT connections from SRC, one after another, each sending a banner
      and waiting (at most 5 s) for the server's banner or for the server
      to close it.  Writes "hold: served S, refused R" to READYFILE, holds
      the served ones (unauthenticated) until STOPFILE exists (at most
      60 s), then closes them.
"""
import os
import random
import selectors
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
BANNER = b"SSH-2.0-bearpass-hostile\r\n"


def connect(port, src, timeout=10.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect((HOST, port))
    return s


# --- flood -----------------------------------------------------------------

def flood(port, readyfile, stopfile):
    sources = ["127.0.0.%d" % i for i in range(2, 6)]
    per_source = 50
    deadline = time.monotonic() + 60
    max_reopen = 4000
    sel = selectors.DefaultSelector()
    socks = {}          # fd -> (sock, src)
    opened = reopened = 0
    closed_by_server = []   # sources whose connection the server closed

    def open_one(src):
        nonlocal opened
        try:
            s = connect(port, src, timeout=5)
            s.sendall(BANNER)
            s.setblocking(False)
        except OSError:
            closed_by_server.append((time.monotonic(), src))
            return
        opened += 1
        socks[s.fileno()] = (s, src)
        sel.register(s, selectors.EVENT_READ)

    for src in sources:
        for _ in range(per_source):
            open_one(src)
    with open(readyfile, "w") as f:
        f.write("ready\n")
    while time.monotonic() < deadline and not os.path.exists(stopfile):
        for key, _ in sel.select(timeout=0.1):
            s, src = socks[key.fd]
            try:
                data = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:    # the server closed it: reopen, at most 1/s
                sel.unregister(s)
                del socks[key.fd]
                s.close()
                closed_by_server.append((time.monotonic(), src))
        now = time.monotonic()
        while closed_by_server and closed_by_server[0][0] + 1.0 <= now \
                and reopened < max_reopen:
            _, src = closed_by_server.pop(0)
            reopened += 1
            open_one(src)
    held = len(socks)
    for s, _ in list(socks.values()):
        sel.unregister(s)
        s.close()
    sel.close()
    print("flood: opened %d, held %d, reopened %d" % (opened, held, reopened))
    return 0


# --- hold --------------------------------------------------------------------

def hold(port, src, count, readyfile, stopfile):
    deadline = time.monotonic() + 60
    held = []
    served = refused = 0
    for _ in range(count):
        try:
            s = connect(port, src, timeout=5)
            s.sendall(BANNER)
            data = s.recv(256)
        except OSError:
            data = b""
            s = None
        if data.startswith(b"SSH-2.0-"):
            served += 1
            held.append(s)
        else:
            refused += 1
            if s is not None:
                s.close()
    with open(readyfile + ".tmp", "w") as f:
        f.write("hold: served %d, refused %d\n" % (served, refused))
    os.rename(readyfile + ".tmp", readyfile)
    while time.monotonic() < deadline and not os.path.exists(stopfile):
        time.sleep(0.05)
    for s in held:
        s.close()
    return 0


# --- hostile attempts --------------------------------------------------------

def drain(s, limit=1.0):
    """Read what the server says until it closes or limit seconds pass."""
    end = time.monotonic() + limit
    try:
        while time.monotonic() < end:
            s.settimeout(max(0.01, end - time.monotonic()))
            if not s.recv(65536):
                return
    except OSError:
        return


def kind_garbage(s, rnd):
    s.sendall(os.urandom(rnd.randint(1, 4096)))


def kind_garbage_after_banner(s, rnd):
    s.sendall(BANNER + os.urandom(rnd.randint(1, 4096)))


def kind_huge_length(s, rnd):
    # packet_length 0xffffffff, then a little padding
    s.sendall(BANNER + struct.pack(">I", 0xFFFFFFFF) + os.urandom(64))


def kind_big_length(s, rnd):
    # a plausible-looking but oversized packet length (1 MB)
    s.sendall(BANNER + struct.pack(">IB", 1 << 20, 4) + b"\x14" + os.urandom(256))


def kind_megabyte(s, rnd):
    s.sendall(BANNER + os.urandom(1 << 20))


def kind_mid_kex(s, rnd):
    # read the server's banner, send ours and a KEXINIT-shaped packet full of
    # garbage, then drop the connection
    try:
        s.recv(256)
    except OSError:
        pass
    body = b"\x14" + os.urandom(16) + os.urandom(rnd.randint(10, 600))
    pad = 4 + (-(len(body) + 5 + 4) % 8)
    pkt = struct.pack(">IB", len(body) + pad + 1, pad) + body + b"\0" * pad
    s.sendall(BANNER + pkt)


def kind_drop_after_banner(s, rnd):
    s.sendall(BANNER)


def kind_connect_close(s, rnd):
    pass


KINDS = [kind_garbage, kind_garbage_after_banner, kind_huge_length,
         kind_big_length, kind_mid_kex, kind_drop_after_banner,
         kind_connect_close]


def attempts(port, count):
    workers = 8
    deadline = time.monotonic() + 100
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "megabytes": 0}
    kinds = {}

    def one(src, rnd, i):
        # a few 1 MB blasts, the rest cheap
        k = kind_megabyte if i % 100 == 7 else KINDS[i % len(KINDS)]
        try:
            s = connect(port, src, timeout=5)
        except OSError:
            k = None
        else:
            try:
                k(s, rnd)
                s.shutdown(socket.SHUT_WR)
                drain(s, 0.5 if k is not kind_megabyte else 2.0)
            except OSError:
                pass        # the server cut us off: expected
            finally:
                s.close()
        name = k.__name__[5:] if k else "connect_failed"
        with lock:
            kinds[name] = kinds.get(name, 0) + 1
            state["done"] += 1

    def worker(w):
        rnd = random.Random(w)
        src = "127.0.1.%d" % (w + 1)
        while time.monotonic() < deadline:
            with lock:
                i = state["next"]
                if i >= count:
                    return
                state["next"] += 1
            one(src, rnd, i)

    def slow(n):
        # one byte of a banner a second, about 5 s, then hang up
        src = "127.0.2.%d" % (n + 1)
        try:
            s = connect(port, src, timeout=5)
            for b in BANNER[:5]:
                s.sendall(bytes([b]))
                time.sleep(1)
            s.close()
        except OSError:
            pass
        with lock:
            kinds["slow"] = kinds.get("slow", 0) + 1
            state["done"] += 1

    threads = [threading.Thread(target=slow, args=(n,), daemon=True) for n in range(5)]
    count -= len(threads)
    threads += [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1, deadline + 10 - time.monotonic()))
    print("attempts: done %d, kinds %s" % (state["done"], dict(sorted(kinds.items()))))
    return 0


def main(argv):
    if argv[1] == "flood":
        return flood(int(argv[2]), argv[3], argv[4])
    if argv[1] == "attempts":
        return attempts(int(argv[2]), int(argv[3]))
    if argv[1] == "hold":
        return hold(int(argv[2]), argv[3], int(argv[4]), argv[5], argv[6])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
