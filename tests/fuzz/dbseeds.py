#!/usr/bin/env python3
"""Seed corpora for Dropbear's own fuzz harnesses, from the test fixtures.

    dbseeds.py FIXTURES CORPUS_DIR

Writes CORPUS_DIR/fuzzer-{preauth,preauth_nomaths,pubkey,verify}/seed-*:

- fuzzer-verify: string algorithm, string key or certificate, signature
  (a well-formed signature that does not verify), for every certificate
  algorithm userauth accepts (patch 0004) and for the plain keys;
- fuzzer-pubkey: string authorized_keys line, string key blob; the
  certificates too (never looked up in authorized_keys, but their
  embedded key is read);
- fuzzer-preauth*: the client side of a session as the fuzzers read it
  (key exchange in clear, then packets without cipher or MAC after
  NEWKEYS), ending with a publickey query and a signed request for a
  certificate, so the fuzzers start from the certificate path.
"""
import base64
import glob
import os
import struct
import sys


def string(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def read_pub(path):
    """(type, blob, line) of an OpenSSH one-line public key file"""
    with open(path) as f:
        line = f.read().strip()
    parts = line.split()
    return parts[0], base64.b64decode(parts[1]), line


# signature name and length of a signature made with each key type
SIG = {
    "ssh-ed25519": ("ssh-ed25519", 64),
    "ecdsa-sha2-nistp256": ("ecdsa-sha2-nistp256", 72),
    "ecdsa-sha2-nistp384": ("ecdsa-sha2-nistp384", 104),
    "ecdsa-sha2-nistp521": ("ecdsa-sha2-nistp521", 139),
}


def offers(certtype):
    """algorithm names a client offers a certificate of this type with,
    and the signature algorithm of each"""
    if certtype == "ssh-rsa-cert-v01@openssh.com":
        return [("rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-256"),
                ("rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-512"),
                (certtype, "ssh-rsa")]
    plain = certtype[:-len("-cert-v01@openssh.com")]
    return [(certtype, SIG[plain][0])]


def signature(sigalgo, nbytes=256):
    length = SIG.get(sigalgo, (sigalgo, nbytes))[1]
    return string(string(sigalgo) + string(b"\x5a" * length))


def packet(payload, block=16):
    pad = block - (5 + len(payload)) % block
    if pad < 4:
        pad += block
    return struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + b"\0" * pad


def namelist(*names):
    return string(",".join(names))


def session(user, algo, blob, sigalgo, variant):
    """the harness seeds its random choices (short reads, EINTR, resets)
    from the first 16 bytes of the input: the version string differs per
    variant, so that some variants get through"""
    kexinit = (b"\x14" + b"\x11" * 16
               + namelist("curve25519-sha256", "curve25519-sha256@libssh.org")
               + namelist("ssh-ed25519", "rsa-sha2-256")
               + namelist("aes128-ctr") * 2
               + namelist("hmac-sha2-256") * 2
               + namelist("none") * 2
               + namelist() * 2 + b"\0" + struct.pack(">I", 0))
    ecdh = b"\x1e" + string(bytes(range(1, 33)))
    newkeys = b"\x15"
    service = b"\x05" + string("ssh-userauth")
    head = b"\x32" + string(user) + string("ssh-connection")
    none = head + string("none")
    query = head + string("publickey") + b"\0" + string(algo) + string(blob)
    signed = (head + string("publickey") + b"\1" + string(algo) + string(blob)
              + signature(sigalgo))
    return (b"SSH-2.0-s%07d OpenSSH_9.2p1\r\n" % variant
            + b"".join(packet(p) for p in (kexinit, ecdh, newkeys, service,
                                            none, query, signed)))


# sessions per certificate or key, with different version strings
VARIANTS = 2
# certificates the preauth seeds log in with (a session is slow to run,
# so that the short runs of make check get through their seeds): every
# key type and CA type once, a refused principal, options
PREAUTH_CERTS = ("m_ed25519_ed25519", "m_p256_p384", "m_p384_p521", "m_p521_rsa512",
                 "m_rsa_p256", "m_ed25519_rsa256", "alice", "force", "selected")


def main():
    fix, out = sys.argv[1], sys.argv[2]
    seeds = {}

    def add(target, name, data):
        seeds.setdefault(target, []).append((name, data))

    certs = sorted(glob.glob(os.path.join(fix, "*-cert.pub")))
    for path in certs:
        name = os.path.basename(path)[:-len("-cert.pub")]
        certtype, blob, line = read_pub(path)
        for algo, sigalgo in offers(certtype):
            tag = name + "-" + algo.split("-cert")[0]
            add("fuzzer-verify", tag, string(algo) + string(blob) + signature(sigalgo))
            add("fuzzer-pubkey", tag, string(line) + string(blob))
            if name in PREAUTH_CERTS:
                for v in range(VARIANTS):
                    for target in ("fuzzer-preauth", "fuzzer-preauth_nomaths"):
                        add(target, "%s-%d" % (tag, v),
                            session("root", algo, blob, sigalgo, len(seeds.get(target, []))))

    for path in sorted(glob.glob(os.path.join(fix, "user_*.pub"))):
        name = os.path.basename(path)[:-len(".pub")]
        keytype, blob, line = read_pub(path)
        sigalgo = "rsa-sha2-256" if keytype == "ssh-rsa" else keytype
        # fuzzer-verify reads the key's fields in place (no outer string);
        # an RSA key is followed by a byte choosing SHA-256 or SHA-1
        flag = b"\x01" if keytype == "ssh-rsa" else b""
        add("fuzzer-verify", name, blob + flag + signature(sigalgo))
        for opts in ("", 'no-pty,command="/bin/true",from="10.0.0.0/8" ',
                     'restrict,permitopen="localhost:22" '):
            add("fuzzer-pubkey", name + "-" + str(len(opts)),
                string(opts + line) + string(blob))
        for v in range(VARIANTS):
            for target in ("fuzzer-preauth", "fuzzer-preauth_nomaths"):
                add(target, "%s-%d" % (name, v),
                    session("root", sigalgo, blob, sigalgo, len(seeds.get(target, []))))

    for target, items in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, data in items:
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
