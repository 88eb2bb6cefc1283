#!/usr/bin/env python3
"""Reference packets for tests/unit/dbtest_ciphers.c, computed with an
implementation independent of libsodium, libtomcrypt and gcm-aesni.c:
python3-cryptography (OpenSSL), following OpenSSH's PROTOCOL.chacha20poly1305
and RFC 5647 / PROTOCOL (aes*-gcm@openssh.com).

    python3 tests/unit/mkciphervectors.py > tests/unit/dbtest_ciphers_vectors.h

writes the C initialisers dbtest_ciphers.c includes.
"""
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.poly1305 import Poly1305


def chacha(key, seq, counter, data):
    # the original ChaCha20: 64-bit block counter, 64-bit nonce; OpenSSL's
    # 16-byte IV is the counter (little-endian) then the nonce, the same
    # state words while the counter fits 32 bits
    iv = counter.to_bytes(8, "little") + seq.to_bytes(8, "big")
    return Cipher(algorithms.ChaCha20(key, iv), None).encryptor().update(data)


def chachapoly_packet(k1, k2, seq, packet):
    """packet = 4-byte length || rest; returns ciphertext || tag"""
    polykey = chacha(k1, seq, 0, bytes(32))
    ct = chacha(k2, seq, 0, packet[:4]) + chacha(k1, seq, 1, packet[4:])
    return ct + Poly1305.generate_tag(polykey, ct)


def gcm_packet(key, iv, packet):
    # the length is authenticated, not encrypted
    return packet[:4] + AESGCM(key).encrypt(iv, packet[4:], packet[:4])


def plain_packet(n, fill):
    """an SSH binary packet of n bytes after the length field"""
    body = bytes([4]) + bytes((fill + i * 7) & 0xff for i in range(n - 1))
    return n.to_bytes(4, "big") + body


def c(name, data):
    hexes = ["0x%02x" % b for b in data]
    lines = [", ".join(hexes[i:i + 12]) for i in range(0, len(hexes), 12)]
    print("static const unsigned char %s[%d] = {\n\t%s\n};" % (name, len(data), ",\n\t".join(lines)))


print("/* made by tests/unit/mkciphervectors.py (python3-cryptography); do not edit */")
k1 = bytes(range(0x80, 0xa0))
k2 = bytes(range(0xa0, 0xc0))
p1 = plain_packet(28, 1)
p2 = plain_packet(300, 2)
c("cp_key", k1 + k2)
c("cp_plain1", p1)
c("cp_cipher1", chachapoly_packet(k1, k2, 0x12345678, p1))
c("cp_plain2", p2)
c("cp_cipher2", chachapoly_packet(k1, k2, 0, p2))

# RFC 8439 appendix A.2 #2 inside an SSH packet: K_1 = 00..01, nonce
# 00..02 = sequence number 2; K_2 = 0 (A.1 #5 is its keystream)
rfc_text = (b"Any submission to the IETF intended by the Contributor for publication as all or part of an IETF "
            b"Internet-Draft or RFC and any statement made within the context of an IETF activity is considered "
            b"an \"IETF Contribution\". Such statements include oral statements in IETF sessions, as well as "
            b"written and electronic communications made at any time or place, which are addressed to")
rfc_k1 = bytes(31) + b"\x01"
rfc_pkt = len(rfc_text).to_bytes(4, "big") + rfc_text
c("cp_rfc_tag", chachapoly_packet(rfc_k1, bytes(32), 2, rfc_pkt)[-16:])

for bits, key in ((128, bytes(range(0x10, 0x20))), (256, bytes(range(0x20, 0x40)))):
    iv = bytes.fromhex("0a0b0c0d" "00000000000000ff")  # the invocation counter carries
    iv2 = bytes.fromhex("0a0b0c0d" "0000000000000100")
    c("gcm%d_key" % bits, key)
    c("gcm%d_cipher1" % bits, gcm_packet(key, iv, p1))
    c("gcm%d_cipher2" % bits, gcm_packet(key, iv2, p2))
print("static const unsigned char gcm_iv[12] = {0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 0, 0, 0, 0, 0xff};")
