"""Mechanics shared by the five yardstick corpus generators (quality-, holdout-, examples-,
longtail- and prefixed-corpus.py).

Only mechanics live here: random strings, checksums and encodings that standards and
providers document (base62 with GitHub's and npm's CRC-32 tail, BIP-173 Bech32, base64,
line wrapping, UUID layout), writing a corpus's files and manifest, file encodings (CRLF, a
UTF-8 byte order mark, UTF-16LE), running git for the history corpora, and the command
line (`gen OUT_DIR MANIFEST [--seed N]`, `gen-repo`, `--self-check`). No token format,
kind, host-file style, name or decoy is here: each generator keeps its own, written apart
from the rule packs and from the other generators, so the yardsticks stay independent of
one another. A helper that draws from an RNG draws exactly what the code it replaced drew,
in the same order, so every corpus is byte-for-byte what it was before the helpers were
shared.

The generators are run as `python3 scripts/X-corpus.py ...` from any directory; each puts
its own directory on sys.path to import this module.
"""
import base64
import json
import os
import subprocess
import sys
import zlib

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # GitHub's base62 digit order
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


# ---------------------------------------------------------------------------------------
# Random strings and encodings.
def rs(rng, alphabet, n):
    """n characters drawn one by one from `alphabet` (n calls of rng.choice)."""
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64(data):
    return base64.b64encode(data).decode()


def b64url(data):
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def chunks(s, width=64):
    """`s` cut into lines of `width` characters (PEM bodies), as a list."""
    return [s[i : i + width] for i in range(0, len(s), width)]


def wrap(s, width=64):
    return "\n".join(chunks(s, width))


def ssh_string(b):
    """An SSH wire-format string (RFC 4251): a 4-byte big-endian length, then the bytes."""
    return len(b).to_bytes(4, "big") + b


def uuid_from_hex(h, variant):
    """The RFC 4122 version-4 layout of 32 hex digits: the version nibble set to 4, the
    variant nibble to `variant` (one of 8, 9, a, b), hyphens at 8-4-4-4-12."""
    h = h[:12] + "4" + h[13:16] + variant + h[17:]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid4(rng):
    """A version-4 UUID: 32 hex digits drawn one by one, then the variant."""
    return uuid_from_hex(rs(rng, "0123456789abcdef", 32), rng.choice("89ab"))


# ---------------------------------------------------------------------------------------
# GitHub's (2021) and npm's checksummed tokens: a prefix, random base62 characters, and the
# CRC-32 of those characters as 6 base62 digits, zero-padded.
def base62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def crc_token(rng, prefix, body=30, alphabet=B62):
    """`prefix`, `body` characters drawn from `alphabet`, and their CRC-32 in base62."""
    entropy = rs(rng, alphabet, body)
    return prefix + entropy + base62(zlib.crc32(entropy.encode()), 6)


def crc32_le_hex(text):
    """The CRC-32 of `text` (UTF-8) as 4 little-endian bytes in hex, 8 characters."""
    return zlib.crc32(text.encode()).to_bytes(4, "little").hex()


def crc32_le_tail_valid(tok):
    """True when what follows the last `_` is crc32_le_hex of what precedes it."""
    body, _, crc = tok.rpartition("_")
    return crc == crc32_le_hex(body)


def crc_token_valid(tok):
    """True when what follows the first `_` is 30 characters and their 6-digit CRC-32."""
    _, _, rest = tok.partition("_")
    if len(rest) != 36:
        return False
    return base62(zlib.crc32(rest[:30].encode()), 6) == rest[30:]


# ---------------------------------------------------------------------------------------
# Bech32 (BIP-173), as age's identities use it.
def bech32_polymod(values):
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bech32_hrp_expand(hrp):
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_encode(hrp, data):
    """`hrp`, "1", the 5-bit `data` and its 6-character checksum, in lower case."""
    pm = bech32_polymod(bech32_hrp_expand(hrp) + data + [0] * 6) ^ 1
    return hrp + "1" + "".join(BECH32[d] for d in data + [(pm >> 5 * (5 - i)) & 31 for i in range(6)])


def bech32_valid(s):
    s = s.lower()
    hrp, _, data = s.rpartition("1")
    return bech32_polymod(bech32_hrp_expand(hrp) + [BECH32.index(c) for c in data]) == 1


def to_5bit(raw):
    """Bytes regrouped into 5-bit values, the last one padded with zero bits."""
    acc = bits = 0
    data = []
    for byte in raw:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    return data


# ---------------------------------------------------------------------------------------
# Files: the corpus on disk, its manifest, and how Windows tooling encodes some files.
def encode(text, encoding):
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode()
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode()
    if encoding == "utf-16le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode()


def decode(data, encoding, crlf_after_bom=False):
    """The text of `encode(text, encoding)`; with `crlf_after_bom`, CRLF is folded to LF in a
    file with a byte order mark too (the hold-out corpus's reading)."""
    if encoding == "utf-16le":
        return data[2:].decode("utf-16-le")
    if encoding == "utf-8-bom":
        return data[3:].decode().replace("\r\n", "\n") if crlf_after_bom else data[3:].decode()
    return data.decode().replace("\r\n", "\n")


def write_file(root, rel, data):
    """Writes `data` (bytes, or text as UTF-8 with no newline translation) at root/rel."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_corpus(out, files, manifest_path, items, indent=0, manifest_dir=False):
    """Writes {relative path: bytes or text} under `out` and the manifest's items as JSON
    (`manifest_dir`: create the manifest's directory first)."""
    for rel, data in files.items():
        write_file(out, rel, data)
    if manifest_dir:
        os.makedirs(os.path.dirname(os.path.abspath(manifest_path)), exist_ok=True)
    return write_manifest(manifest_path, items, indent)


def write_manifest(path, items, indent=0):
    with open(path, "w") as fh:
        json.dump(items, fh, indent=indent)
    return items


def git(repo, *args, who, date=None, stdin=None):
    """Runs git in `repo` as `who` (name, email), with no user or system configuration, at
    `date` (author and committer) when given, quietly; fails on an error."""
    name, email = who
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
               GIT_COMMITTER_EMAIL=email, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", repo, *args], env=env, check=True, input=stdin,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Repo:
    """A new git repository at `path` on branch main, committing as `who` (name, email) on a
    clock that starts at `start` (Unix seconds) and moves `step` seconds a commit: fixed
    dates, so the commit ids are the same every run."""

    def __init__(self, path, who, start, step):
        self.path, self.who, self.t, self.step = path, who, start, step
        os.makedirs(path)
        self.git("init", "-q", "-b", "main")

    def git(self, *args, date=None):
        git(self.path, *args, who=self.who, date=date)

    @property
    def date(self):
        """The clock's time, as git takes it: that of the last commit."""
        return f"@{self.t} +0000"

    def commit(self, msg):
        """Commits all that changed (or nothing: the commit may be empty)."""
        self.t += self.step
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", msg, date=self.date)


def first_per_key(items, quota):
    """Copies of the first quota(item) items of each kind (or decoy category), in order."""
    picked, seen = [], {}
    for it in items:
        key = it["kind"] or it["decoy"]
        if seen.get(key, 0) < quota(it):
            seen[key] = seen.get(key, 0) + 1
            picked.append(dict(it))
    return picked


# ---------------------------------------------------------------------------------------
# Self-checks and the command line.
def build_twice(build, problems, other_seed=None, says="a different seed gives the same corpus"):
    """build()'s (items, files), with a problem noted when a second build differs, or (with
    `other_seed`) when build(other_seed) makes the same files."""
    items, files = build()
    items_b, files_b = build()
    if files != files_b or json.dumps(items) != json.dumps(items_b):
        problems.append("two runs with the same seed differ")
    if other_seed is not None and build(other_seed)[1] == files:
        problems.append(says)
    return items, files


def report(problems, ok, limit=None):
    """Prints the problems (the first `limit`) or, with none, "self-check: ok (OK)"; the
    exit status."""
    for p in problems[:limit]:
        print("self-check:", p, file=sys.stderr)
    if not problems:
        print(f"self-check: ok ({ok})")
    return 1 if problems else 0


def seed_arg(argv, default):
    return int(argv[argv.index("--seed") + 1]) if "--seed" in argv else default


def main(argv, doc, default_seed, self_check, commands):
    """`--self-check`, or COMMAND OUT MANIFEST [--seed N] where `commands` maps COMMAND
    ("gen", "gen-repo") to a function (out, manifest, seed) returning the line to print;
    anything else prints `doc` and returns 2."""
    if argv[:1] == ["--self-check"]:
        return self_check()
    if argv[:1] and argv[0] in commands and len(argv) >= 3:
        print(commands[argv[0]](argv[1], argv[2], seed_arg(argv, default_seed)))
        return 0
    print(doc, file=sys.stderr)
    return 2
