#!/usr/bin/env python3
"""An independent yardstick for secret detection (issue 12, item 5).

Fake but well-formed secrets are generated from each provider's *documented* token
grammar (prefix, alphabet, length, checksum where one is documented), never from the
examples or regexes of any rule pack (ours or another project's), and planted in 40+
realistic host-file styles; decoys in 15+ categories that a scanner must stay quiet on are
planted beside them. Everything is drawn from a fixed seed, so the corpus is the same
every run.

    quality-corpus.py gen OUT_DIR MANIFEST [--seed N]
    quality-corpus.py gen-repo REPO_DIR MANIFEST [--seed N]
    quality-corpus.py score MANIFEST [--root=DIR] [--json=OUT] [--misses=TOOL] TOOL=FINDINGS_FILE...
                      (TOOL: ours|gitleaks|betterleaks|kingfisher)
    quality-corpus.py --self-check

A planted secret is found when a tool reports its file and, since every tool here reports
lines, a line within the secret's range (one line, or several for a PEM key or a service
account's key fields), or a finding in that file whose reported secret text is the planted
value (a composite finding reported at its companion's line: an AWS key id paired with the
secret key beside it). A companion alone (the key id, a Twilio account SID) does not count
for the secret next to it. A decoy file is flagged when a tool reports anything in it: the
host templates around a decoy are benign. Every file sits in its own opaquely named
directory, secrets and decoys shuffled, so no path hints at what a file holds.

The formats were written from the providers' documentation (token format pages,
changelogs such as GitHub's 2021 token format post, API references) and the file formats'
specifications; no scanner's rules, regexes or examples were read to write them.
"""
import base64
import binascii
import json
import os
import random
import string
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common
from corpus_common import (BECH32, Repo, b64, b64url, build_twice, chunks, crc32_le_hex, crc32_le_tail_valid, crc_token,
                           decode, encode, first_per_key, report, rs, ssh_string, write_corpus, write_file, write_manifest)
from corpus_common import bech32_encode as bech32

SEED = 20261203

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
BASE32 = string.ascii_uppercase + "234567"
UPPER_ALNUM = string.ascii_uppercase + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits


# ---------------------------------------------------------------------------------------
# Checksummed tokens. GitHub's 2021 token format (github.blog, "Behind GitHub's new
# authentication token formats") and npm's (github.blog changelog 2021-09-23): a prefix,
# 30 random base62 characters, then the CRC32 of those 30 characters in base62, padded to
# 6 characters with leading zeros (corpus_common.crc_token; bech32 is BIP-173's encoding).
def crc_token_valid(token):
    """Checks a token independently of how it was made: decode the 6-character tail."""
    tail, body = token[-6:], token.split("_", 1)[1][:-6]
    n = 0
    for c in tail:
        n = n * 62 + B62.index(c)
    return len(body) == 30 and n == binascii.crc32(body.encode())


# ---------------------------------------------------------------------------------------
# Generators. Each returns a dict: value (the secret as it appears), and optionally
# `context` (a companion line such as an account id or a user name that shows where the
# secret belongs), `names` (variable names it usually sits under).
def pem(rng, label, nbytes, lead=b""):
    body = b64(lead + rng.randbytes(nbytes - len(lead)))
    return "\n".join([f"-----BEGIN {label}-----"] + chunks(body) + [f"-----END {label}-----"])


def der_seq(rng, n):
    # A DER SEQUENCE header with a 2-byte length (what every RSA/PKCS#8 key starts with:
    # the base64 then begins "MII").
    return bytes([0x30, 0x82, (n - 4) >> 8, (n - 4) & 0xFF]) + rng.randbytes(n - 4)


# The fixed fields at the start of each key encoding, from the formats' specifications:
# RFC 8017 A.1.2 (RSAPrivateKey: version 0, then the 2048-bit modulus' INTEGER header),
# RFC 5208/5958 (PKCS#8: version 0 and the rsaEncryption AlgorithmIdentifier), RFC 5915
# (SEC1 ECPrivateKey, P-256), OpenSSH's PROTOCOL.key ("openssh-key-v1", unencrypted).
RSA_LEAD = bytes.fromhex("308204a4020100028201010000")
PKCS8_LEAD = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a3020100028201010000")


def sec1_p256(rng):
    return (bytes.fromhex("30770201010420") + rng.randbytes(32) + bytes.fromhex("a00a06082a8648ce3d030107a144034200")
            + b"\x04" + rng.randbytes(64))


def openssh_ed25519(rng):
    pub = ssh_string(b"ssh-ed25519") + ssh_string(rng.randbytes(32))
    check = rng.randbytes(4)
    priv = check + check + pub + ssh_string(rng.randbytes(64)) + ssh_string(b"deploy@acme")
    priv += bytes(range(1, 1 + (-len(priv)) % 8))
    return (b"openssh-key-v1\x00" + ssh_string(b"none") + ssh_string(b"none") + ssh_string(b"")
            + (1).to_bytes(4, "big") + ssh_string(pub) + ssh_string(priv))


def pem_blob(label, blob):
    return "\n".join([f"-----BEGIN {label}-----"] + chunks(b64(blob)) + [f"-----END {label}-----"])


def rsa_key(rng):
    return pem_blob("RSA PRIVATE KEY", RSA_LEAD + rng.randbytes(1192 - len(RSA_LEAD)))


def password(rng):
    # What people type: words, digits and punctuation, 14-22 characters, not a dictionary
    # placeholder.
    words = ["Maple", "river", "Quartz", "tiger", "Orbit", "lemon", "Falcon", "cobalt", "Nimbus", "pepper"]
    p = rng.choice(words) + rs(rng, string.digits, 2) + rng.choice("!#%&*-_.@") + rng.choice(words).lower()
    return p + rs(rng, ALNUM, rng.randint(3, 8))


def user(rng):
    return rng.choice(["svc_deploy", "app", "ci-bot", "backend", "reporting", "etl_user", "admin_ops"])


def host_name(rng):
    return rng.choice(["db.internal.acme-corp.net", "10.2.14.7", "pg-prod-01.cluster.local", "mysql.svc.acme.io"])


def jwt(rng, claims=None):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    iat = 1_700_000_000 + rng.randint(0, 50_000_000)
    payload = claims or {"sub": str(rng.randint(10_000, 99_999_999)), "name": user(rng), "iat": iat, "exp": iat + 3600}
    payload = b64url(json.dumps(payload, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url(rng.randbytes(32))}"


def k8s_sa_jwt(rng):
    iat = 1_700_000_000 + rng.randint(0, 50_000_000)
    claims = {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "default",
              "kubernetes.io/serviceaccount/service-account.name": "deployer", "sub": "system:serviceaccount:default:deployer", "iat": iat}
    header = b64url(json.dumps({"alg": "RS256", "kid": rs(rng, B64URL, 43)}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url(rng.randbytes(256))}"


def aws_key_id(rng, prefix="AKIA"):
    # Access key ids: a 4-letter type prefix (AKIA long-term, ASIA temporary) and 16
    # base32 characters (IAM user guide, "Understanding unique ID prefixes"). Keys issued
    # since 2019 carry the account id in their first 48 bits (a set top bit, the 12-digit
    # account in bits 46-7, as published by the researchers who decoded it), which is why
    # their fifth character is one of Q-Z or 2-7.
    account = rng.randint(10**11, 10**12 - 1)
    head = (1 << 47) | (account << 7) | rng.getrandbits(7)
    return prefix + base64.b32encode(head.to_bytes(6, "big") + rng.randbytes(4)).decode()


def aws_secret(rng):
    return rs(rng, B64, 40)


KINDS = {}


# Kinds whose token names its provider by itself (a documented prefix or structure): these
# are sometimes planted under a neutral variable name, so that a tool gets credit only if
# it knows the format, not merely a keyword next to it.
PREFIXED = set()
NEUTRAL_NAMES = ["UPSTREAM_VALUE", "PRIMARY", "SETTING_1", "CONFIG_VALUE", "DATA"]
NEUTRAL_SHARE = 0.25


def kind(name, names, hosts="token", prefixed=False):
    def deco(fn):
        KINDS[name] = {"gen": fn, "names": names, "hosts": hosts}
        if prefixed:
            PREFIXED.add(name)
        return fn
    return deco


@kind("github-classic-pat", ["GITHUB_TOKEN", "GH_TOKEN"], prefixed=True)
def _(rng):
    return {"value": crc_token(rng, "ghp_")}


@kind("github-oauth", ["GITHUB_OAUTH_TOKEN"], prefixed=True)
def _(rng):
    return {"value": crc_token(rng, "gho_")}


@kind("github-app-token", ["GITHUB_APP_TOKEN"], prefixed=True)
def _(rng):
    return {"value": crc_token(rng, rng.choice(["ghu_", "ghs_", "ghr_"]))}


@kind("github-fine-grained-pat", ["GITHUB_PAT"], prefixed=True)
def _(rng):
    return {"value": "github_pat_" + rs(rng, B62, 22) + "_" + rs(rng, B62, 59)}


@kind("npm-token", ["NPM_TOKEN"], prefixed=True)
def _(rng):
    return {"value": crc_token(rng, "npm_")}


@kind("aws-access-key-id", ["AWS_ACCESS_KEY_ID"], prefixed=True)
def _(rng):
    return {"value": aws_key_id(rng)}


@kind("aws-secret-access-key", ["AWS_SECRET_ACCESS_KEY"])
def _(rng):
    return {"value": aws_secret(rng), "context": ("AWS_ACCESS_KEY_ID", aws_key_id(rng))}


@kind("aws-session-token", ["AWS_SESSION_TOKEN"])
def _(rng):
    # STS session tokens are long base64; current ones open with the encoding of the
    # token's version header ("IQoJb3JpZ2luX2Vj", i.e. "!\n\torigin_ec").
    return {"value": "IQoJb3JpZ2luX2Vj" + rs(rng, B64, rng.randint(300, 420)) + "==",
            "context": ("AWS_ACCESS_KEY_ID", aws_key_id(rng, "ASIA"))}


@kind("slack-bot-token", ["SLACK_BOT_TOKEN"], prefixed=True)
def _(rng):
    return {"value": f"xoxb-{rs(rng, string.digits, 11)}-{rs(rng, string.digits, 13)}-{rs(rng, ALNUM, 24)}"}


@kind("slack-user-token", ["SLACK_TOKEN"], prefixed=True)
def _(rng):
    return {"value": f"xoxp-{rs(rng, string.digits, 11)}-{rs(rng, string.digits, 12)}-{rs(rng, string.digits, 13)}-{rs(rng, HEX, 32)}"}


@kind("slack-legacy-token", ["SLACK_LEGACY_TOKEN"], prefixed=True)
def _(rng):
    p = rng.choice(["xoxa-2", "xoxs", "xoxa"])
    return {"value": f"{p}-{rs(rng, string.digits, 11)}-{rs(rng, string.digits, 12)}-{rs(rng, string.digits, 12)}-{rs(rng, HEX, 64)}"}


@kind("slack-webhook", ["SLACK_WEBHOOK_URL"], prefixed=True)
def _(rng):
    return {"value": f"https://hooks.slack.com/services/T{rs(rng, UPPER_ALNUM, 8)}/B{rs(rng, UPPER_ALNUM, 10)}/{rs(rng, ALNUM, 24)}"}


@kind("stripe-live-key", ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"], prefixed=True)
def _(rng):
    p = rng.choice(["sk_live_", "rk_live_"])
    return {"value": p + rs(rng, ALNUM, rng.choice([24, 99]))}


@kind("stripe-webhook-secret", ["STRIPE_WEBHOOK_SECRET"], prefixed=True)
def _(rng):
    return {"value": "whsec_" + rs(rng, ALNUM, 32)}


@kind("google-api-key", ["GOOGLE_API_KEY", "MAPS_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "AIza" + rs(rng, B64URL, 35)}


@kind("twilio-auth-token", ["TWILIO_AUTH_TOKEN"])
def _(rng):
    return {"value": rs(rng, HEX, 32), "context": ("TWILIO_ACCOUNT_SID", "AC" + rs(rng, HEX, 32))}


@kind("twilio-api-key", ["TWILIO_API_SECRET"])
def _(rng):
    return {"value": rs(rng, ALNUM, 32), "context": ("TWILIO_API_KEY", "SK" + rs(rng, HEX, 32))}


@kind("sendgrid-api-key", ["SENDGRID_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "SG." + rs(rng, B64URL, 22) + "." + rs(rng, B64URL, 43)}


@kind("pypi-token", ["PYPI_TOKEN", "TWINE_PASSWORD"], prefixed=True)
def _(rng):
    # A version 2 binary macaroon (libmacaroons doc/format.txt: version byte, location
    # "pypi.org", identifier, EOS, no caveats, EOS, 32-byte signature) in base64url, as PyPI
    # issues them; the same random draws as before, so the rest of the corpus is unchanged.
    raw = rng.randbytes(rng.randint(110, 150))
    ident, sig = raw[32:], raw[:32]
    field = lambda t, d: bytes([t, len(d)]) + d
    mac = b"\x02" + field(1, b"pypi.org") + field(2, ident) + b"\x00\x00" + field(6, sig)
    return {"value": "pypi-" + b64url(mac)}


@kind("gitlab-pat", ["GITLAB_TOKEN", "CI_JOB_PAT"], prefixed=True)
def _(rng):
    return {"value": "glpat-" + rs(rng, B64URL, 20)}


@kind("openai-api-key", ["OPENAI_API_KEY"], prefixed=True)
def _(rng):
    if rng.random() < 0.5:
        return {"value": "sk-proj-" + rs(rng, B64URL, 74) + "T3BlbkFJ" + rs(rng, B64URL, 74)}
    return {"value": "sk-" + rs(rng, ALNUM, 20) + "T3BlbkFJ" + rs(rng, ALNUM, 20)}


@kind("anthropic-api-key", ["ANTHROPIC_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "sk-ant-api03-" + rs(rng, B64URL, 93) + "AA"}


@kind("azure-storage-key", ["AZURE_STORAGE_KEY", "AccountKey"])
def _(rng):
    return {"value": b64(rng.randbytes(64)), "context": ("AZURE_STORAGE_ACCOUNT", "acme" + rs(rng, LOWER_ALNUM, 8))}


@kind("azure-connection-string", ["AZURE_STORAGE_CONNECTION_STRING"], prefixed=True)
def _(rng):
    return {"value": f"DefaultEndpointsProtocol=https;AccountName=acme{rs(rng, LOWER_ALNUM, 8)};AccountKey={b64(rng.randbytes(64))};EndpointSuffix=core.windows.net"}


@kind("azure-sas-url", ["AZURE_BLOB_SAS_URL"], prefixed=True)
def _(rng):
    sig = b64(rng.randbytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    return {"value": f"https://acme{rs(rng, LOWER_ALNUM, 6)}.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig={sig}"}


@kind("azure-ad-client-secret", ["AZURE_CLIENT_SECRET"])
def _(rng):
    # Entra ID client secrets: 3 characters, a "8Q~"-style marker, then 31 more.
    return {"value": rs(rng, ALNUM, 3) + rng.choice("5678") + "Q~" + rs(rng, ALNUM + "-_.~", 34),
            "context": ("AZURE_CLIENT_ID", "%s-%s-%s-%s-%s" % (rs(rng, HEX, 8), rs(rng, HEX, 4), rs(rng, HEX, 4), rs(rng, HEX, 4), rs(rng, HEX, 12)))}


@kind("gcp-service-account", [], hosts="gcp")
def _(rng):
    return {"value": pem_blob("PRIVATE KEY", PKCS8_LEAD + rng.randbytes(1217 - len(PKCS8_LEAD))).replace("\n", "\\n") + "\\n",
            "key_id": rs(rng, HEX, 40)}


@kind("private-key-rsa", [], hosts="pem")
def _(rng):
    return {"value": rsa_key(rng)}


@kind("private-key-ec", [], hosts="pem")
def _(rng):
    return {"value": pem_blob("EC PRIVATE KEY", sec1_p256(rng))}


@kind("private-key-openssh", [], hosts="pem")
def _(rng):
    return {"value": pem_blob("OPENSSH PRIVATE KEY", openssh_ed25519(rng))}


@kind("private-key-pkcs8", [], hosts="pem")
def _(rng):
    return {"value": pem_blob("PRIVATE KEY", PKCS8_LEAD + rng.randbytes(1217 - len(PKCS8_LEAD)))}


@kind("jwt", ["ACCESS_TOKEN", "AUTH_TOKEN", "ID_TOKEN"], prefixed=True)
def _(rng):
    return {"value": jwt(rng)}


@kind("generic-password", ["DB_PASSWORD", "password", "ADMIN_PASSWORD", "SMTP_PASSWORD", "redis_password"])
def _(rng):
    return {"value": password(rng)}


@kind("generic-secret", ["CLIENT_SECRET", "api_secret", "SECRET_KEY", "APP_SECRET", "signing_secret"])
def _(rng):
    return {"value": rs(rng, ALNUM, rng.choice([32, 40, 48]))}


@kind("generic-api-token", ["API_TOKEN", "api_key", "SERVICE_TOKEN", "access_token", "AUTH_KEY"])
def _(rng):
    return {"value": rs(rng, rng.choice([HEX, ALNUM]), rng.choice([32, 40, 64]))}


@kind("db-url-postgres", ["DATABASE_URL"], prefixed=True)
def _(rng):
    return {"value": f"postgres://{user(rng)}:{password(rng).replace('@', '_')}@{host_name(rng)}:5432/orders"}


@kind("db-url-mysql", ["MYSQL_URL"], prefixed=True)
def _(rng):
    return {"value": f"mysql://{user(rng)}:{password(rng).replace('@', '_')}@{host_name(rng)}:3306/shop"}


@kind("db-url-mongodb", ["MONGODB_URI"], prefixed=True)
def _(rng):
    return {"value": f"mongodb+srv://{user(rng)}:{password(rng).replace('@', '_')}@cluster0.{rs(rng, LOWER_ALNUM, 5)}.mongodb.net/app?retryWrites=true&w=majority"}


@kind("odbc-connection-string", ["ConnectionStrings__Default", "DB_CONNECTION"], prefixed=True)
def _(rng):
    return {"value": f"Server=tcp:{host_name(rng)},1433;Database=Billing;User Id={user(rng)};Password={password(rng).replace(';', '')};Encrypt=True;"}


@kind("redis-url", ["REDIS_URL"], prefixed=True)
def _(rng):
    return {"value": f"redis://default:{rs(rng, ALNUM, 32)}@redis-{rs(rng, string.digits, 5)}.cache.acme.io:6379/0"}


@kind("amqp-url", ["RABBITMQ_URL", "CELERY_BROKER_URL"], prefixed=True)
def _(rng):
    return {"value": f"amqps://{user(rng)}:{password(rng).replace('@', '_')}@mq.acme-corp.net:5671/prod"}


@kind("basic-auth-url", ["ARTIFACT_REPO_URL", "REGISTRY_URL"], prefixed=True)
def _(rng):
    return {"value": f"https://{user(rng)}:{password(rng).replace('@', '_')}@artifacts.acme-corp.net/repository/maven-releases/"}


@kind("authorization-basic", [], hosts="http")
def _(rng):
    return {"value": "Basic " + b64(f"{user(rng)}:{password(rng)}".encode())}


@kind("authorization-bearer", [], hosts="http")
def _(rng):
    return {"value": "Bearer " + rs(rng, ALNUM, rng.choice([40, 48, 64]))}


@kind("k8s-secret-data", [], hosts="k8s-secret")
def _(rng):
    return {"value": b64(password(rng).encode())}


@kind("dockerconfigjson", [], hosts="docker-auth")
def _(rng):
    return {"value": b64(f"{user(rng)}:{password(rng)}".encode())}


@kind("kubeconfig-token", [], hosts="kubeconfig")
def _(rng):
    return {"value": k8s_sa_jwt(rng) if rng.random() < 0.5 else rs(rng, LOWER_ALNUM, 6) + "." + rs(rng, LOWER_ALNUM, 16)}


@kind("kubeconfig-client-key", [], hosts="kubeconfig-key")
def _(rng):
    return {"value": b64(rsa_key(rng).encode())}


@kind("facebook-access-token", ["FACEBOOK_ACCESS_TOKEN", "FB_PAGE_TOKEN"])
def _(rng):
    return {"value": "EAA" + rng.choice("BGI") + rs(rng, ALNUM, rng.randint(150, 190))}


@kind("facebook-app-secret", ["FACEBOOK_APP_SECRET"])
def _(rng):
    return {"value": rs(rng, HEX, 32), "context": ("FACEBOOK_APP_ID", rs(rng, string.digits, 15))}


@kind("okta-api-token", ["OKTA_API_TOKEN"])
def _(rng):
    return {"value": "00" + rs(rng, B64URL, 40), "context": ("OKTA_ORG_URL", f"https://acme-{rs(rng, string.digits, 7)}.okta.com")}


@kind("nuget-api-key", ["NUGET_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "oy2" + rs(rng, LOWER_ALNUM, 43)}


@kind("snyk-token", ["SNYK_TOKEN"])
def _(rng):
    return {"value": "%s-%s-4%s-%s%s-%s" % (rs(rng, HEX, 8), rs(rng, HEX, 4), rs(rng, HEX, 3), rng.choice("89ab"), rs(rng, HEX, 3), rs(rng, HEX, 12))}


@kind("sonarqube-token", ["SONAR_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["squ_", "sqp_", "sqa_"]) + rs(rng, HEX, 40)}


@kind("vault-token", ["VAULT_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["hvs.", "hvb."]) + rs(rng, B64URL, rng.choice([24, 91]))}


@kind("terraform-cloud-token", ["TFE_TOKEN", "TF_TOKEN_app_terraform_io"], prefixed=True)
def _(rng):
    return {"value": rs(rng, ALNUM, 14) + ".atlasv1." + rs(rng, ALNUM, 67)}


@kind("newrelic-key", ["NEW_RELIC_API_KEY", "NEW_RELIC_LICENSE_KEY"])
def _(rng):
    r = rng.random()
    if r < 0.4:
        return {"value": "NRAK-" + rs(rng, UPPER_ALNUM, 27)}
    if r < 0.7:
        return {"value": "NRII-" + rs(rng, B64URL, 32)}
    return {"value": rs(rng, HEX, 36) + "NRAL"}


@kind("cloudflare-api-token", ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"])
def _(rng):
    return {"value": rs(rng, B64URL, 40)}


@kind("cloudflare-global-key", ["CLOUDFLARE_API_KEY", "CF_API_KEY"])
def _(rng):
    return {"value": rs(rng, HEX, 37), "context": ("CLOUDFLARE_EMAIL", "ops@acme-corp.net")}


@kind("heroku-api-key", ["HEROKU_API_KEY"])
def _(rng):
    if rng.random() < 0.5:
        return {"value": "HRKU-" + rs(rng, B64URL, 60)}
    return {"value": "%s-%s-%s-%s-%s" % (rs(rng, HEX, 8), rs(rng, HEX, 4), rs(rng, HEX, 4), rs(rng, HEX, 4), rs(rng, HEX, 12))}


@kind("mailgun-api-key", ["MAILGUN_API_KEY"])
def _(rng):
    if rng.random() < 0.5:
        return {"value": "key-" + rs(rng, HEX, 32)}
    return {"value": f"{rs(rng, HEX, 32)}-{rs(rng, HEX, 8)}-{rs(rng, HEX, 8)}"}


@kind("mailchimp-api-key", ["MAILCHIMP_API_KEY"])
def _(rng):
    return {"value": rs(rng, HEX, 32) + "-us" + str(rng.randint(1, 21))}


@kind("datadog-api-key", ["DD_API_KEY", "DATADOG_API_KEY"])
def _(rng):
    return {"value": rs(rng, HEX, 32)}


@kind("datadog-app-key", ["DD_APP_KEY", "DATADOG_APP_KEY"])
def _(rng):
    return {"value": rs(rng, HEX, 40)}


@kind("sentry-auth-token", ["SENTRY_AUTH_TOKEN"], prefixed=True)
def _(rng):
    if rng.random() < 0.5:
        return {"value": "sntryu_" + rs(rng, HEX, 64)}
    claims = {"iat": 1_700_000_000 + rng.randint(0, 50_000_000), "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}
    return {"value": "sntrys_" + b64(json.dumps(claims, separators=(",", ":")).encode()).rstrip("=") + "_" + rs(rng, B64URL, 43)}


@kind("shopify-token", ["SHOPIFY_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["shpat_", "shpca_", "shppa_", "shpss_"]) + rs(rng, HEX, 32)}


@kind("square-token", ["SQUARE_ACCESS_TOKEN"])
def _(rng):
    r = rng.random()
    if r < 0.5:
        return {"value": "EAAA" + rs(rng, B64URL, 60)}
    if r < 0.75:
        return {"value": "sq0atp-" + rs(rng, B64URL, 22)}
    return {"value": "sq0csp-" + rs(rng, B64URL, 43)}


@kind("braintree-access-token", ["BRAINTREE_ACCESS_TOKEN", "PAYPAL_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": f"access_token$production${rs(rng, LOWER_ALNUM, 16)}${rs(rng, HEX, 32)}"}


@kind("discord-bot-token", ["DISCORD_BOT_TOKEN"])
def _(rng):
    snowflake = str(rng.randint(10**17, 10**19 - 1))
    return {"value": b64(snowflake.encode()).rstrip("=") + "." + rs(rng, B64URL, 6) + "." + rs(rng, B64URL, 38)}


@kind("discord-webhook", ["DISCORD_WEBHOOK_URL"], prefixed=True)
def _(rng):
    return {"value": f"https://discord.com/api/webhooks/{rng.randint(10**17, 10**19 - 1)}/{rs(rng, B64URL, 68)}"}


@kind("telegram-bot-token", ["TELEGRAM_BOT_TOKEN"], prefixed=True)
def _(rng):
    return {"value": f"{rng.randint(10**8, 10**10 - 1)}:AA{rs(rng, B64URL, 33)}"}


@kind("dropbox-token", ["DROPBOX_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["sl.", "sl.u."]) + rs(rng, B64URL, 136)}


@kind("atlassian-api-token", ["JIRA_API_TOKEN", "CONFLUENCE_API_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "ATATT3xFfGF0" + rs(rng, B64URL, 171) + "=" + rs(rng, HEXU, 8)}


@kind("digitalocean-token", ["DIGITALOCEAN_ACCESS_TOKEN", "DO_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["dop_v1_", "doo_v1_", "dor_v1_"]) + rs(rng, HEX, 64)}


@kind("doppler-token", ["DOPPLER_TOKEN"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["dp.st.prd.", "dp.pt.", "dp.sa.", "dp.ct."]) + rs(rng, ALNUM, 43)}


@kind("pulumi-token", ["PULUMI_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "pul-" + rs(rng, HEX, 40)}


@kind("postman-api-key", ["POSTMAN_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "PMAK-" + rs(rng, HEX, 24) + "-" + rs(rng, HEX, 34)}


@kind("linear-api-key", ["LINEAR_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "lin_api_" + rs(rng, ALNUM, 40)}


@kind("notion-token", ["NOTION_TOKEN"], prefixed=True)
def _(rng):
    if rng.random() < 0.5:
        return {"value": "secret_" + rs(rng, ALNUM, 43)}
    return {"value": "ntn_" + rs(rng, string.digits, 11) + rs(rng, ALNUM, 35)}


@kind("airtable-pat", ["AIRTABLE_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "pat" + rs(rng, ALNUM, 14) + "." + rs(rng, HEX, 64)}


@kind("huggingface-token", ["HF_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "hf_" + rs(rng, string.ascii_letters, 34)}


@kind("databricks-token", ["DATABRICKS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "dapi" + rs(rng, HEX, 32)}


@kind("grafana-service-account-token", ["GRAFANA_TOKEN"], prefixed=True)
def _(rng):
    # The suffix is the CRC-32 of "glsa_<secret>", least significant byte first (Grafana's
    # pkg/components/satokengen); 8 hex digits are still drawn so the corpus is unchanged.
    key = "glsa_" + rs(rng, ALNUM, 32)
    rs(rng, HEX, 8)
    return {"value": key + "_" + crc32_le_hex(key)}


@kind("age-secret-key", ["SOPS_AGE_KEY"], prefixed=True)
def _(rng):
    # Bech32 (BIP-173) of a 32-byte key: 52 data characters (the last one's 4 padding bits
    # zero) and the 6-character checksum (C2SP age.md); 58 characters are still drawn so the
    # rest of the corpus is unchanged.
    data = [BECH32.index(c) for c in rs(rng, BECH32, 58)[:52]]
    data[-1] &= 16
    return {"value": bech32("age-secret-key-", data).upper()}


@kind("supabase-token", ["SUPABASE_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "sbp_" + rs(rng, HEX, 40)}


@kind("planetscale-token", ["PLANETSCALE_SERVICE_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "pscale_tok_" + rs(rng, B64URL, 43)}


@kind("mapbox-secret-token", ["MAPBOX_SECRET_TOKEN"], prefixed=True)
def _(rng):
    head = b64url(json.dumps({"u": "acme-maps", "a": rs(rng, LOWER_ALNUM, 25)}, separators=(",", ":")).encode())
    return {"value": f"sk.{head}.{rs(rng, B64URL, 22)}"}


# The long tail: providers with one documented token shape each.
@kind("gitlab-other-token", ["GITLAB_DEPLOY_TOKEN", "RUNNER_TOKEN", "GITLAB_TRIGGER_TOKEN"], prefixed=True)
def _(rng):
    p = rng.choice(["gldt-", "glrt-", "glptt-", "glcbt-", "glsoat-", "glft-"])
    return {"value": p + rs(rng, B64URL, 20 if p != "glptt-" else 40)}


@kind("bitbucket-app-password", ["BITBUCKET_APP_PASSWORD"], prefixed=True)
def _(rng):
    return {"value": "ATBB" + rs(rng, ALNUM, 32)}


@kind("dockerhub-pat", ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD"], prefixed=True)
def _(rng):
    return {"value": "dckr_pat_" + rs(rng, B64URL, 27)}


@kind("buildkite-token", ["BUILDKITE_API_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "bkua_" + rs(rng, HEX, 40)}


@kind("circleci-token", ["CIRCLECI_TOKEN", "CIRCLE_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "CCIPAT_" + rs(rng, ALNUM, 22) + "_" + rs(rng, HEX, 40)}


@kind("netlify-token", ["NETLIFY_AUTH_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "nfp_" + rs(rng, ALNUM, 36)}


@kind("tailscale-key", ["TS_AUTHKEY", "TAILSCALE_API_KEY"], prefixed=True)
def _(rng):
    return {"value": f"tskey-{rng.choice(['auth', 'api', 'client'])}-{rs(rng, ALNUM, 12)}CNTRL-{rs(rng, ALNUM, 33)}"}


@kind("onepassword-service-account", ["OP_SERVICE_ACCOUNT_TOKEN"], prefixed=True)
def _(rng):
    claims = {"signInAddress": "acme.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000,
              "salt": rs(rng, B64URL, 22)}, "email": rs(rng, LOWER_ALNUM, 13) + "@1passwordserviceaccounts.com",
              "srpX": rs(rng, HEX, 64), "muk": {"alg": "A256GCM", "ext": True, "k": rs(rng, B64URL, 43), "key_ops": ["encrypt", "decrypt"],
              "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + rs(rng, UPPER_ALNUM, 6) + "-" + rs(rng, UPPER_ALNUM, 11), "deviceUuid": rs(rng, LOWER_ALNUM, 26)}
    return {"value": "ops_" + b64url(json.dumps(claims, separators=(",", ":")).encode())}


@kind("contentful-pat", ["CONTENTFUL_MANAGEMENT_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "CFPAT-" + rs(rng, B64URL, 43)}


@kind("shippo-token", ["SHIPPO_API_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "shippo_live_" + rs(rng, HEX, 40)}


@kind("dynatrace-token", ["DT_API_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "dt0c01." + rs(rng, UPPER_ALNUM, 24) + "." + rs(rng, UPPER_ALNUM, 64)}


@kind("rubygems-key", ["GEM_HOST_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "rubygems_" + rs(rng, HEX, 48)}


@kind("clojars-token", ["CLOJARS_PASSWORD"], prefixed=True)
def _(rng):
    return {"value": "CLOJARS_" + rs(rng, HEX, 60)}


@kind("readme-key", ["README_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "rdme_" + rs(rng, HEX, 70)}


@kind("replicate-token", ["REPLICATE_API_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "r8_" + rs(rng, ALNUM, 37)}


@kind("groq-key", ["GROQ_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "gsk_" + rs(rng, ALNUM, 52)}


@kind("perplexity-key", ["PERPLEXITY_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "pplx-" + rs(rng, ALNUM, 48)}


@kind("xai-key", ["XAI_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "xai-" + rs(rng, ALNUM, 80)}


@kind("google-oauth-client-secret", ["GOOGLE_CLIENT_SECRET"], prefixed=True)
def _(rng):
    return {"value": "GOCSPX-" + rs(rng, B64URL, 28),
            "context": ("GOOGLE_CLIENT_ID", f"{rs(rng, string.digits, 12)}-{rs(rng, LOWER_ALNUM, 32)}.apps.googleusercontent.com")}


@kind("azure-service-bus-connection", ["SERVICEBUS_CONNECTION_STRING"], prefixed=True)
def _(rng):
    return {"value": f"Endpoint=sb://acme-{rs(rng, LOWER_ALNUM, 6)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={b64(rng.randbytes(32))}"}


@kind("azure-cosmos-connection", ["COSMOS_CONNECTION_STRING"], prefixed=True)
def _(rng):
    return {"value": f"AccountEndpoint=https://acme-{rs(rng, LOWER_ALNUM, 6)}.documents.azure.com:443/;AccountKey={b64(rng.randbytes(64))};"}


@kind("slack-app-token", ["SLACK_APP_TOKEN"], prefixed=True)
def _(rng):
    return {"value": f"xapp-1-A{rs(rng, UPPER_ALNUM, 10)}-{rs(rng, string.digits, 13)}-{rs(rng, HEX, 64)}"}


@kind("twitter-bearer-token", ["TWITTER_BEARER_TOKEN", "X_BEARER_TOKEN"])
def _(rng):
    return {"value": "A" * 22 + rs(rng, ALNUM, 15) + "%3D" + rs(rng, ALNUM, 50)}


@kind("brevo-key", ["BREVO_API_KEY", "SENDINBLUE_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "xkeysib-" + rs(rng, HEX, 64) + "-" + rs(rng, ALNUM, 16)}


@kind("artifactory-api-key", ["ARTIFACTORY_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "AKCp" + rs(rng, ALNUM, 69)}


@kind("posthog-personal-key", ["POSTHOG_PERSONAL_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "phx_" + rs(rng, ALNUM, 43)}


@kind("render-key", ["RENDER_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "rnd_" + rs(rng, ALNUM, 32)}


@kind("cloudinary-url", ["CLOUDINARY_URL"], prefixed=True)
def _(rng):
    return {"value": f"cloudinary://{rs(rng, string.digits, 15)}:{rs(rng, B64URL, 27)}@acme-{rs(rng, LOWER_ALNUM, 5)}"}


@kind("teams-webhook", ["TEAMS_WEBHOOK_URL"], prefixed=True)
def _(rng):
    return {"value": f"https://acme.webhook.office.com/webhookb2/{uuid4(rng)}@{uuid4(rng)}/IncomingWebhook/{rs(rng, HEX, 32)}/{uuid4(rng)}"}


@kind("launchdarkly-key", ["LAUNCHDARKLY_SDK_KEY", "LD_API_KEY"], prefixed=True)
def _(rng):
    return {"value": rng.choice(["sdk-", "api-"]) + uuid4(rng)}


@kind("razorpay-key", ["RAZORPAY_KEY_SECRET"])
def _(rng):
    return {"value": rs(rng, ALNUM, 24), "context": ("RAZORPAY_KEY_ID", "rzp_live_" + rs(rng, ALNUM, 14))}


@kind("adafruit-io-key", ["ADAFRUIT_IO_KEY"], prefixed=True)
def _(rng):
    return {"value": "aio_" + rs(rng, ALNUM, 28)}


@kind("prefect-key", ["PREFECT_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "pnu_" + rs(rng, ALNUM, 36)}


@kind("easypost-key", ["EASYPOST_API_KEY"], prefixed=True)
def _(rng):
    return {"value": "EZAK" + rs(rng, ALNUM, 54)}


@kind("duffel-token", ["DUFFEL_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "duffel_live_" + rs(rng, B64URL, 43)}


@kind("flutterwave-key", ["FLW_SECRET_KEY"], prefixed=True)
def _(rng):
    return {"value": "FLWSECK-" + rs(rng, HEX, 32) + "-X"}


@kind("asana-pat", ["ASANA_ACCESS_TOKEN"])
def _(rng):
    return {"value": f"{rng.choice(['1', '2'])}/{rs(rng, string.digits, 16)}:{rs(rng, HEX, 32)}"}


@kind("confluent-api-secret", ["CONFLUENT_CLOUD_API_SECRET"])
def _(rng):
    return {"value": rs(rng, B64, 64), "context": ("CONFLUENT_CLOUD_API_KEY", rs(rng, UPPER_ALNUM, 16))}


@kind("elastic-api-key", ["ELASTIC_API_KEY", "ES_API_KEY"])
def _(rng):
    return {"value": b64(f"{rs(rng, B64URL, 20)}:{rs(rng, B64URL, 22)}".encode())}


@kind("algolia-admin-key", ["ALGOLIA_ADMIN_API_KEY"])
def _(rng):
    return {"value": rs(rng, HEX, 32), "context": ("ALGOLIA_APP_ID", rs(rng, UPPER_ALNUM, 10))}


@kind("azure-devops-pat", ["AZURE_DEVOPS_PAT", "AZDO_PERSONAL_ACCESS_TOKEN"])
def _(rng):
    return {"value": rs(rng, "abcdefghijklmnopqrstuvwxyz234567", 52)}


@kind("salesforce-token", ["SALESFORCE_ACCESS_TOKEN", "SF_ACCESS_TOKEN"], prefixed=True)
def _(rng):
    return {"value": "00D" + rs(rng, ALNUM, 12) + "!" + rs(rng, ALNUM + "._", 96)}


@kind("framework-secret-key", [], hosts="framework")
def _(rng):
    return {"value": ""}  # made in structured_files: each framework has its own shape


@kind("base64-wrapped-env", ["ENV_FILE_B64", "CONFIG_BASE64", "DOTENV_B64"])
def _(rng):
    # A whole dotenv file base64-encoded into one CI variable: only a decoder sees the
    # token inside (issue 12 item 3).
    inner = rng.choice([crc_token(rng, "ghp_"), "sk_live_" + rs(rng, ALNUM, 24), "xoxb-%s-%s-%s" % (rs(rng, string.digits, 11), rs(rng, string.digits, 13), rs(rng, ALNUM, 24)),
                        "glpat-" + rs(rng, B64URL, 20)])
    env = f"APP_ENV=production\nLOG_LEVEL=info\nAPI_TOKEN={inner}\n"
    return {"value": b64(env.encode())}


@kind("netrc-password", [], hosts="netrc")
def _(rng):
    return {"value": password(rng)}


@kind("git-credentials", [], hosts="git-credentials")
def _(rng):
    return {"value": crc_token(rng, "ghp_") if rng.random() < 0.5 else rs(rng, ALNUM, 40)}


@kind("maven-settings-password", [], hosts="maven")
def _(rng):
    return {"value": password(rng)}


# ---------------------------------------------------------------------------------------
# Host files for a one-line value under a variable name. Each returns (file name, text,
# line of the value) where the text contains the token "@@" once for the value. Names come
# in SCREAMING_SNAKE and are recased for each language's habits.
def camel(n):
    parts = n.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


def pascal(n):
    return "".join(p.title() for p in n.lower().split("_"))


def snake(n):
    return n.lower()


def dotted(n):
    return n.lower().replace("_", ".")


def kebab(n):
    return n.lower().replace("_", "-")


# (style, file name, template with {V} for the value line's name and @@ for the value).
# A context line (an account id beside its token) is written as {C} = {CV} in the same
# syntax on the line before the value.
TOKEN_HOSTS = [
    ("python", "settings.py", snake, "import os\n\nDEBUG = False\n{CTX}{V} = \"@@\"\nTIMEOUT = 30\n", '{C} = "{CV}"\n'),
    ("python-dict", "config.py", snake, "CONFIG = {\n    \"region\": \"eu-west-1\",\n{CTX}    \"{V}\": \"@@\",\n    \"retries\": 3,\n}\n", '    "{C}": "{CV}",\n'),
    ("javascript", "client.js", camel, "'use strict';\n\nconst axios = require('axios');\n{CTX}const {V} = '@@';\n\nmodule.exports = { {V} };\n", "const {C} = '{CV}';\n"),
    ("typescript", "config.ts", camel, "export const config = {\n  baseUrl: 'https://api.acme-corp.net',\n{CTX}  {V}: \"@@\",\n  timeoutMs: 5000,\n};\n", '  {C}: "{CV}",\n'),
    ("go", "main.go", camel, "package main\n\nimport \"fmt\"\n\nconst (\n{CTX}\t{V} = \"@@\"\n)\n\nfunc main() { fmt.Println(\"ready\") }\n", '\t{C} = "{CV}"\n'),
    ("java", "Config.java", str, "package com.acme.billing;\n\npublic final class Config {\n{CTX}    public static final String {V} = \"@@\";\n    private Config() {}\n}\n", '    public static final String {C} = "{CV}";\n'),
    ("csharp", "Settings.cs", pascal, "namespace Acme.Billing\n{\n    public static class Settings\n    {\n{CTX}        public const string {V} = \"@@\";\n    }\n}\n", '        public const string {C} = "{CV}";\n'),
    ("kotlin", "Env.kt", camel, "package com.acme\n\nobject Env {\n{CTX}    const val {V} = \"@@\"\n}\n", '    const val {C} = "{CV}"\n'),
    ("ruby", "initializer.rb", snake, "Acme.configure do |config|\n  config.region = 'eu-west-1'\n{CTX}  config.{V} = '@@'\nend\n", "  config.{C} = '{CV}'\n"),
    ("php", "config.php", snake, "<?php\n\nreturn [\n    'debug' => false,\n{CTX}    '{V}' => '@@',\n];\n", "    '{C}' => '{CV}',\n"),
    ("rust", "config.rs", str, "//! Service settings.\n\n{CTX}pub const {V}: &str = \"@@\";\npub const TIMEOUT_SECS: u64 = 30;\n", 'pub const {C}: &str = "{CV}";\n'),
    ("swift", "Keys.swift", camel, "import Foundation\n\nenum Keys {\n{CTX}    static let {V} = \"@@\"\n}\n", '    static let {C} = "{CV}"\n'),
    ("shell-export", "deploy.sh", str, "#!/usr/bin/env bash\nset -euo pipefail\n\n{CTX}export {V}=@@\n./bin/release --env production\n", "export {C}={CV}\n"),
    ("shell-quoted", "run.sh", str, "#!/bin/sh\nset -e\ncd \"$(dirname \"$0\")\"\n{CTX}{V}=\"@@\"\nexec ./server\n", '{C}="{CV}"\n'),
    ("powershell", "setup.ps1", str, "$ErrorActionPreference = 'Stop'\n{CTX}$env:{V} = \"@@\"\n& ./deploy.ps1\n", '$env:{C} = "{CV}"\n'),
    ("makefile", "Makefile", str, ".PHONY: deploy\n\nREGION ?= eu-west-1\n{CTX}{V} ?= @@\n\ndeploy:\n\t./scripts/deploy $(REGION)\n", "{C} ?= {CV}\n"),
    ("dotenv", ".env", str, "APP_ENV=production\nLOG_LEVEL=info\n{CTX}{V}=@@\nPORT=8080\n", "{C}={CV}\n"),
    ("dotenv-quoted", ".env.production", str, "NODE_ENV=production\n{CTX}{V}=\"@@\"\n", '{C}="{CV}"\n'),
    ("envrc", ".envrc", str, "use nix\n{CTX}export {V}=\"@@\"\n", 'export {C}="{CV}"\n'),
    ("yaml", "config.yaml", snake, "service:\n  name: billing\n  replicas: 3\n{CTX}  {V}: @@\n  region: eu-west-1\n", "  {C}: {CV}\n"),
    ("yaml-quoted", "application.yml", kebab, "spring:\n  application:\n    name: orders\nacme:\n{CTX}  {V}: \"@@\"\n", '  {C}: "{CV}"\n'),
    ("compose-list", "docker-compose.yml", str, "services:\n  api:\n    image: acme/api:1.4.2\n    environment:\n      - LOG_LEVEL=info\n{CTX}      - {V}=@@\n    ports:\n      - \"8080:8080\"\n", "      - {C}={CV}\n"),
    ("compose-map", "compose.yaml", str, "services:\n  worker:\n    image: acme/worker:2.0.1\n    environment:\n      LOG_LEVEL: info\n{CTX}      {V}: \"@@\"\n", '      {C}: "{CV}"\n'),
    ("k8s-env", "deployment.yaml", str, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1.4.2\n          env:\n{CTX}            - name: {V}\n              value: \"@@\"\n", '            - name: {C}\n              value: "{CV}"\n'),
    ("k8s-stringdata", "secret.yaml", str, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-credentials\ntype: Opaque\nstringData:\n{CTX}  {V}: \"@@\"\n", '  {C}: "{CV}"\n'),
    ("helm-values", "values.yaml", camel, "replicaCount: 2\nimage:\n  repository: acme/api\n  tag: 1.4.2\nsecrets:\n{CTX}  {V}: @@\n", "  {C}: {CV}\n"),
    ("ansible-vars", "group_vars/all.yml", snake, "---\napp_user: deploy\n{CTX}{V}: \"@@\"\n", '{C}: "{CV}"\n'),
    ("terraform", "terraform.tfvars", snake, "region = \"eu-west-1\"\n{CTX}{V} = \"@@\"\ninstance_count = 2\n", '{C} = "{CV}"\n'),
    ("hcl-provider", "main.tf", snake, "provider \"acme\" {\n  region = \"eu-west-1\"\n{CTX}  {V} = \"@@\"\n}\n", '  {C} = "{CV}"\n'),
    ("json", "appsettings.json", camel, "{\n  \"logging\": { \"level\": \"info\" },\n{CTX}  \"{V}\": \"@@\",\n  \"port\": 8080\n}\n", '  "{C}": "{CV}",\n'),
    ("toml", "config.toml", snake, "[server]\nport = 8080\n\n[credentials]\n{CTX}{V} = \"@@\"\n", '{C} = "{CV}"\n'),
    ("ini", "settings.ini", snake, "[server]\nport = 8080\n\n[credentials]\n{CTX}{V} = @@\n", "{C} = {CV}\n"),
    ("properties", "application.properties", dotted, "server.port=8080\nspring.application.name=orders\n{CTX}{V}=@@\n", "{C}={CV}\n"),
    ("xml-appsettings", "Web.config", pascal, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <appSettings>\n    <add key=\"Environment\" value=\"Production\" />\n{CTX}    <add key=\"{V}\" value=\"@@\" />\n  </appSettings>\n</configuration>\n", '    <add key="{C}" value="{CV}" />\n'),
    ("xml-element", "config.xml", camel, "<?xml version=\"1.0\"?>\n<config>\n  <region>eu-west-1</region>\n{CTX}  <{V}>@@</{V}>\n</config>\n", "  <{C}>{CV}</{C}>\n"),
    ("jupyter", "analysis.ipynb", str, "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [\n    \"import os\\n\",\n{CTX}    \"os.environ[\\\"{V}\\\"] = \\\"@@\\\"\\n\"\n   ]\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n", '    "os.environ[\\"{C}\\"] = \\"{CV}\\"\\n",\n'),
    ("markdown", "SETUP.md", str, "# Setup\n\nExport the credentials before running the sync:\n\n```sh\n{CTX}export {V}=@@\n./sync.sh\n```\n", "export {C}={CV}\n"),
    ("github-actions", ".github/workflows/deploy.yml", str, "name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n{CTX}      {V}: @@\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./deploy.sh\n", "      {C}: {CV}\n"),
    ("gitlab-ci", ".gitlab-ci.yml", str, "stages: [deploy]\nvariables:\n{CTX}  {V}: \"@@\"\ndeploy:\n  stage: deploy\n  script:\n    - ./deploy.sh\n", '  {C}: "{CV}"\n'),
    ("jenkinsfile", "Jenkinsfile", str, "pipeline {\n  agent any\n  environment {\n{CTX}    {V} = '@@'\n  }\n  stages { stage('Deploy') { steps { sh './deploy.sh' } } }\n}\n", "    {C} = '{CV}'\n"),
    ("dockerfile-env", "Dockerfile", str, "FROM python:3.12-slim\nWORKDIR /app\n{CTX}ENV {V}=@@\nCOPY . .\nCMD [\"python\", \"main.py\"]\n", "ENV {C}={CV}\n"),
    ("dockerfile-arg", "build.Dockerfile", str, "FROM node:20-alpine\n{CTX}ARG {V}=@@\nRUN npm ci\n", "ARG {C}={CV}\n"),
    ("cli-flag", "sync.sh", kebab, "#!/bin/sh\nset -e\n{CTX}acme-cli sync --{V} @@ --region eu-west-1\n", "acme-cli config set {C} {CV}\n"),
    ("sql", "seed.sql", snake, "CREATE TABLE IF NOT EXISTS integrations (name TEXT, setting TEXT, value TEXT);\n{CTX}INSERT INTO integrations (name, setting, value) VALUES ('billing', '{V}', '@@');\n", "INSERT INTO integrations (name, setting, value) VALUES ('billing', '{C}', '{CV}');\n"),
    ("log", "app.log", snake, "2026-03-14T09:12:01Z INFO  starting worker pid=4121\n{CTX}2026-03-14T09:12:02Z DEBUG loaded settings {V}=@@ region=eu-west-1\n2026-03-14T09:12:02Z INFO  ready\n", "2026-03-14T09:12:02Z DEBUG loaded settings {C}={CV}\n"),
    ("csv", "integrations.csv", snake, "service,setting,value,owner\nbilling,region,eu-west-1,ops\n{CTX}billing,{V},@@,ops\n", "billing,{C},{CV},ops\n"),
    ("json-minified", "bootstrap.json", camel, "{CTX}{\"env\":\"prod\",\"features\":[\"billing\",\"search\"],\"{V}\":\"@@\",\"timeoutMs\":5000,\"retries\":3}\n", '{"{C}":"{CV}"}\n'),
    ("url-query", "report.py", snake, "import urllib.request\n\n{CTX}URL = \"https://api.acme-corp.net/v2/report?format=csv&{V}=@@&days=30\"\nurllib.request.urlopen(URL)\n", '{C} = "{CV}"\n'),
    ("k8s-args", "job.yaml", kebab, "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: sync\nspec:\n  template:\n    spec:\n      containers:\n        - name: sync\n          image: acme/sync:3.1.0\n{CTX}          args: [\"--region\", \"eu-west-1\", \"--{V}\", \"@@\"]\n", '          env: [{name: {C}, value: "{CV}"}]\n'),
]

# Hosts for kinds whose usual home is a particular file.
SPECIAL_HOSTS = {
    # Where passwords live in practice, each in its own file format.
    "generic-password": [
        ("pgpass", ".pgpass", "db.internal.acme-corp.net:5432:orders:svc_orders:@@\n", 1),
        ("my-cnf", ".my.cnf", "[client]\nuser = reporting\npassword = @@\nhost = mysql.svc.acme.io\n", 3),
        ("wp-config", "wp-config.php", "<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', '@@' );\n", 4),
        ("django-settings", "settings/production.py", "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'USER': 'app',\n        'PASSWORD': '@@',\n    }\n}\n", 5),
        ("spring-datasource", "application-prod.properties", "spring.datasource.url=jdbc:postgresql://db:5432/orders\nspring.datasource.username=orders\nspring.datasource.password=@@\n", 3),
        ("tomcat-users", "tomcat-users.xml", "<tomcat-users>\n  <role rolename=\"manager-gui\"/>\n  <user username=\"deploy\" password=\"@@\" roles=\"manager-gui\"/>\n</tomcat-users>\n", 3),
        ("ansible-inventory", "inventory.ini", "[web]\nweb01.acme-corp.net ansible_user=deploy ansible_password=@@\n", 2),
        ("docker-login", "ci/publish.sh", "#!/bin/sh\nset -e\ndocker login -u ci-bot -p @@ registry.acme-corp.net\ndocker push registry.acme-corp.net/api:latest\n", 3),
        ("mysql-cli", "backup.sh", "#!/bin/sh\nmysqldump -u backup -p'@@' --all-databases > /var/backups/all.sql\n", 2),
        ("sshpass", "deploy-legacy.sh", "#!/bin/sh\nsshpass -p '@@' scp build.tar.gz deploy@10.2.14.7:/srv/\n", 2),
        ("npmrc-password", ".npmrc", "registry=https://npm.acme-corp.net/\n//npm.acme-corp.net/:username=ci\n//npm.acme-corp.net/:_password={B64}\n", 3),
        ("pip-conf", "pip.conf", "[global]\nindex-url = https://ci:@@@pypi.acme-corp.net/simple/\n", 2),
        ("smtp-yaml", "mailer.yml", "smtp:\n  host: smtp.acme-corp.net\n  port: 587\n  user: notifications\n  pass: \"@@\"\n", 5),
    ],
    "npm-token": [("npmrc", ".npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=@@\n", 2)],
    "pypi-token": [("pypirc", ".pypirc", "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = @@\n", 7)],
    "aws-secret-access-key": [("aws-credentials", ".aws/credentials", "[default]\naws_access_key_id = {CV}\naws_secret_access_key = @@\nregion = eu-west-1\n", 3),
                              ("aws-sts-json", "sts-output.json", "{\n    \"Credentials\": {\n        \"AccessKeyId\": \"{CV}\",\n        \"SecretAccessKey\": \"@@\",\n        \"Expiration\": \"2026-03-14T10:12:02Z\"\n    }\n}\n", 4)],
    "aws-session-token": [("aws-credentials", ".aws/credentials", "[profile-sso]\naws_access_key_id = {CV}\naws_secret_access_key = {SK}\naws_session_token = @@\n", 4)],
    "azure-storage-key": [("azure-conn-in-json", "local.settings.json", "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"DefaultEndpointsProtocol=https;AccountName={CV};AccountKey=@@;EndpointSuffix=core.windows.net\"\n  }\n}\n", 4)],
    "github-classic-pat": [("git-credentials-url", "clone.sh", "#!/bin/sh\ngit clone https://x-access-token:@@@github.com/acme/private-repo.git\n", 2)],
}

REAL_NAMES = {"AccountKey": "AZURE_STORAGE_ACCOUNT_KEY"}


def token_files(rng, kname, spec, hosts_per_kind):
    """Places a one-line token in `hosts_per_kind` host styles (a rotation through the
    list, so every style is used across kinds) plus its kind's special homes."""
    out = []
    idx = list(range(len(TOKEN_HOSTS)))
    rng.shuffle(idx)
    for i in idx[:hosts_per_kind]:
        style, fname, case, tpl, ctx_tpl = TOKEN_HOSTS[i]
        s = spec["gen"](rng)
        name = rng.choice(spec["names"])
        name = REAL_NAMES.get(name, name)
        neutral = kname in PREFIXED and rng.random() < NEUTRAL_SHARE
        if neutral:
            name = rng.choice(NEUTRAL_NAMES)
        # Environment-style hosts keep the conventional SCREAMING_SNAKE name.
        v = case(name) if case is not str else name.upper()
        ctx = ""
        if "context" in s:
            c, cv = s["context"]
            cc = case(c) if case is not str else c
            ctx = ctx_tpl.replace("{C}", cc).replace("{CV}", cv)
        text = tpl.replace("{CTX}", ctx).replace("{V}", v)
        line = text[: text.index("@@")].count("\n") + 1
        # Only the secret's own line counts: a tool that reports the companion id (an
        # access key id, an account SID) has not found the secret beside it.
        out.append((style, fname, text.replace("@@", s["value"]), line, line, s["value"], neutral))
    for style, fname, tpl, line in SPECIAL_HOSTS.get(kname, []):
        s = spec["gen"](rng)
        cv = s.get("context", ("", ""))[1]
        text = tpl.replace("{CV}", cv).replace("{SK}", aws_secret(rng))
        if "{B64}" in text:
            # npm keeps the password base64-encoded: the planted value is what is on the line.
            s["value"] = b64(s["value"].encode())
            text = text.replace("{B64}", "@@")
        out.append((style, fname, text.replace("@@", s["value"]), line, line, s["value"]))
    return out


def structured_files(rng, kname, spec):
    """Hosts for kinds with a shape of their own (keys, headers, manifests)."""
    h = spec["hosts"]
    out = []
    if h == "pem":
        for style, fname, pre, post in [
            ("pem-file", "id_key.pem", "", ""),
            ("pem-in-yaml", "tls.yaml", "tls:\n  cert_file: /etc/tls/server.crt\n  private_key: |\n", "  ciphers: modern\n"),
            ("pem-in-python", "signing.py", "SIGNING_KEY = \"\"\"\n", "\"\"\"\n"),
            ("pem-in-terraform", "keys.tf", "resource \"acme_key\" \"deploy\" {\n  private_key = <<EOT\n", "EOT\n}\n"),
        ]:
            s = spec["gen"](rng)
            ind = "    " if style == "pem-in-yaml" else ""
            body = "\n".join(ind + l for l in s["value"].split("\n")) + "\n"
            first = pre.count("\n") + 1
            last = first + s["value"].count("\n")
            out.append((style, fname, pre + body + post, first, last, s["value"].split("\n")[0]))
        # One key inside a JSON string, as secret managers export them.
        s = spec["gen"](rng)
        esc = s["value"].replace("\n", "\\n")
        out.append(("pem-in-json", "vault-export.json", "{\n  \"name\": \"deploy-key\",\n  \"key\": \"" + esc + "\\n\"\n}\n", 3, 3, esc[:40]))
    elif h == "gcp":
        for fname in ["service-account.json", "gcp-key.json", "credentials/ci-runner.json"]:
            s = spec["gen"](rng)
            proj = "acme-" + rs(rng, LOWER_ALNUM, 6)
            doc = ("{\n  \"type\": \"service_account\",\n  \"project_id\": \"%s\",\n  \"private_key_id\": \"%s\",\n"
                   "  \"private_key\": \"%s\",\n  \"client_email\": \"deployer@%s.iam.gserviceaccount.com\",\n"
                   "  \"client_id\": \"%s\",\n  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n"
                   "  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}\n") % (proj, s["key_id"], s["value"], proj, rs(rng, string.digits, 21))
            out.append(("gcp-json", fname, doc, 4, 5, s["key_id"]))
    elif h == "http":
        for style, fname, tpl, line in [
            ("curl", "call.sh", "#!/bin/sh\ncurl -sS \\\n  -H \"Authorization: @@\" \\\n  https://api.acme-corp.net/v1/orders\n", 3),
            ("http-dump", "request.http", "GET /v1/orders HTTP/1.1\nHost: api.acme-corp.net\nAuthorization: @@\nAccept: application/json\n", 3),
            ("python-requests", "fetch.py", "import requests\n\nresp = requests.get(\n    \"https://api.acme-corp.net/v1/orders\",\n    headers={\"Authorization\": \"@@\"},\n)\n", 5),
            ("js-fetch", "fetch.js", "await fetch('https://api.acme-corp.net/v1/orders', {\n  headers: { Authorization: '@@' },\n});\n", 2),
            ("nginx", "proxy.conf", "location /api/ {\n    proxy_pass https://backend.internal;\n    proxy_set_header Authorization \"@@\";\n}\n", 3),
            ("log", "access.log", "2026-03-14T09:12:02Z DEBUG outgoing request headers={'Authorization': '@@', 'Accept': '*/*'}\n", 1),
            ("postman", "collection.json", "{\n  \"request\": {\n    \"method\": \"GET\",\n    \"header\": [{ \"key\": \"Authorization\", \"value\": \"@@\" }],\n    \"url\": \"https://api.acme-corp.net/v1/orders\"\n  }\n}\n", 4),
        ]:
            s = spec["gen"](rng)
            out.append((style, fname, tpl.replace("@@", s["value"]), line, line, s["value"]))
        if kname == "authorization-basic":
            pw = password(rng)
            out.append(("curl-user", "upload.sh", f"#!/bin/sh\ncurl -u {user(rng)}:{pw} -T build.tar.gz https://artifacts.acme-corp.net/upload/\n", 2, 2, pw))
    elif h == "k8s-secret":
        for i, key in enumerate(["password", "db-password", "api-token", "client-secret"]):
            s = spec["gen"](rng)
            doc = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-%d\n  namespace: prod\ntype: Opaque\ndata:\n"
                   "  username: %s\n  %s: %s\n") % (i, b64(user(rng).encode()), key, s["value"])
            out.append(("k8s-secret-data", f"k8s/secret-{i}.yaml", doc, 9, 9, s["value"]))
    elif h == "docker-auth":
        s = spec["gen"](rng)
        doc = "{\n  \"auths\": {\n    \"registry.acme-corp.net\": {\n      \"auth\": \"@@\"\n    }\n  }\n}\n"
        out.append(("docker-config", ".docker/config.json", doc.replace("@@", s["value"]), 4, 4, s["value"]))
        for i in range(2):
            s = spec["gen"](rng)
            inner = doc.replace("@@", s["value"]).replace("\n", "").replace("  ", "")
            enc = b64(inner.encode())
            man = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred-%d\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
                   "  .dockerconfigjson: %s\n") % (i, enc)
            out.append(("k8s-dockerconfigjson", f"k8s/regcred-{i}.yaml", man, 7, 7, enc[:40]))
    elif h in ("kubeconfig", "kubeconfig-key"):
        for i in range(3):
            s = spec["gen"](rng)
            field = "token" if h == "kubeconfig" else "client-key-data"
            extra = "" if h == "kubeconfig" else "    client-certificate-data: %s\n" % b64(b"-----BEGIN CERTIFICATE-----\n" + b64(rng.randbytes(600)).encode() + b"\n-----END CERTIFICATE-----\n")
            doc = ("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://k8s.acme-corp.net:6443\n  name: prod\n"
                   "contexts:\n- context:\n    cluster: prod\n    user: deployer\n  name: prod\ncurrent-context: prod\nusers:\n"
                   "- name: deployer\n  user:\n%s    %s: %s\n") % (extra, field, s["value"])
            line = doc.count("\n")
            out.append(("kubeconfig", f"kube/config-{i}" if i else ".kube/config", doc, line, line, s["value"][:40]))
    elif h == "framework":
        # Web frameworks' signing keys, each in the shape its generator produces.
        django = rs(rng, string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)", 50)
        for style, fname, line, value in [
            ("django-secret-key", "mysite/settings.py", "SECRET_KEY = '{V}'", django),
            ("rails-secrets", "config/secrets.yml", "production:\n  secret_key_base: {V}", rs(rng, HEX, 128)),
            ("laravel-env", ".env", "APP_NAME=Shop\nAPP_ENV=production\nAPP_KEY=base64:{V}", b64(rng.randbytes(32))),
            ("symfony-env", ".env.prod", "APP_ENV=prod\nAPP_SECRET={V}", rs(rng, HEX, 32)),
            ("flask-config", "app/__init__.py", "app = Flask(__name__)\napp.secret_key = b'{V}'", rs(rng, HEX, 48)),
            ("express-session", "server.js", "app.use(session({\n  secret: '{V}',\n  resave: false,\n}));", rs(rng, ALNUM, 40)),
            ("nextauth-env", ".env.local", "NEXTAUTH_URL=https://app.acme-corp.net\nNEXTAUTH_SECRET={V}", b64(rng.randbytes(32))),
            ("phoenix-config", "config/prod.secret.exs", "config :shop, ShopWeb.Endpoint,\n  secret_key_base: \"{V}\"", b64(rng.randbytes(48))),
            ("jwt-secret-yaml", "auth.yaml", "auth:\n  issuer: acme\n  jwt_secret: \"{V}\"", rs(rng, ALNUM, 48)),
        ]:
            text = line.replace("{V}", value)
            n = text[: text.index(value)].count("\n") + 1
            out.append((style, fname, text + "\n", n, n, value))
    elif h == "netrc":
        for fname in [".netrc", "ci/netrc", "_netrc"]:
            s = spec["gen"](rng)
            doc = f"machine api.acme-corp.net\n  login {user(rng)}\n  password {s['value']}\n"
            out.append(("netrc", fname, doc, 3, 3, s["value"]))
    elif h == "git-credentials":
        for fname in [".git-credentials", "ci/git-credentials"]:
            s = spec["gen"](rng)
            doc = f"https://{user(rng)}:{s['value']}@github.com\n"
            out.append(("git-credentials", fname, doc, 1, 1, s["value"]))
    elif h == "maven":
        for fname in ["settings.xml", ".m2/settings.xml"]:
            s = spec["gen"](rng)
            doc = ("<settings>\n  <servers>\n    <server>\n      <id>acme-releases</id>\n      <username>%s</username>\n"
                   "      <password>%s</password>\n    </server>\n  </servers>\n</settings>\n") % (user(rng), s["value"])
            out.append(("maven-settings", fname, doc, 6, 6, s["value"]))
    return out


# ---------------------------------------------------------------------------------------
# Decoys: values a scanner must not report. Each generator returns (name, value) for a
# one-line placement or a whole (file name, text) via DECOY_FILES.
def uuid4(rng):
    return "%s-%s-4%s-%s%s-%s" % (rs(rng, HEX, 8), rs(rng, HEX, 4), rs(rng, HEX, 3), rng.choice("89ab"), rs(rng, HEX, 3), rs(rng, HEX, 12))


DECOYS = {
    "placeholder": lambda rng: (rng.choice(["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "CLIENT_SECRET", "STRIPE_SECRET_KEY"]),
                                rng.choice(["changeme", "xxxxxxxxxxxxxxxx", "<your-api-key>", "YOUR_API_KEY_HERE", "REPLACE_ME",
                                            "<insert token here>", "********", "your-secret-here", "TODO", "put-your-password-here",
                                            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAXXXXXXXXXXXXXXXX"])),
    "env-reference": lambda rng: (rng.choice(["API_KEY", "DB_PASSWORD", "AWS_SECRET_ACCESS_KEY", "CLIENT_SECRET"]),
                                  rng.choice(["${API_KEY}", "$DB_PASSWORD", "${{ secrets.DEPLOY_TOKEN }}", "{{ .Values.password }}",
                                              "%DB_PASSWORD%", "${env:CLIENT_SECRET}", "$(cat /run/secrets/db_password)", "{{ vault_db_password }}"])),
    "doc-example-aws": lambda rng: rng.choice([("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                               ("aws_access_key_id", "AKIAI44QH8DHBEXAMPLE"), ("aws_secret_access_key", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")]),
    "low-entropy": lambda rng: (rng.choice(["password", "api_key", "secret", "token"]),
                                rng.choice(["aaaabbbbccccdddd", "1111222233334444", "abababababababab", "passwordpassword", "secretsecretsecret", "00000000000000000000000000000000"])),
    "repeated-sequential": lambda rng: (rng.choice(["API_TOKEN", "SECRET_KEY", "password"]),
                                        rng.choice(["0123456789abcdef0123456789abcdef", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWX",
                                                    "zzzzzzzzzzzzzzzzzzzzzzzz", "1234567890123456789012345678901234567890", "qwertyuiopasdfghjkl"])),
    "test-fixture": lambda rng: (rng.choice(["FAKE_API_KEY", "TEST_TOKEN", "DUMMY_PASSWORD", "MOCK_SECRET"]),
                                 rng.choice(["fake-api-key-for-tests", "dummy-password", "test-token-not-real", "mock_secret_value", "not-a-real-secret",
                                             "example-token-123", "fake_" + "0" * 20])),
    "hash-digest": lambda rng: (rng.choice(["checksum", "sha256", "content_hash", "digest"]), rs(rng, HEX, 64)),
    "git-sha": lambda rng: (rng.choice(["commit", "revision", "GIT_SHA", "base_ref"]), rs(rng, HEX, 40)),
    "uuid-id": lambda rng: (rng.choice(["request_id", "correlation_id", "build_id", "order_id", "invoice_id"]), uuid4(rng)),
    "trace-id": lambda rng: (rng.choice(["trace_id", "span_id", "x_request_id"]), rs(rng, HEX, rng.choice([16, 32]))),
    "function-call": lambda rng: (rng.choice(["password", "api_key", "secret", "token"]),
                                  rng.choice(["get_secret('db/password')", "os.getenv('API_KEY')", "vault.read('secret/data/app')",
                                              "fetchToken()", "config.get(\"secret\")", "Secrets.load(\"CLIENT_SECRET\")"])),
    "empty-value": lambda rng: (rng.choice(["password", "API_KEY", "SECRET_KEY", "token"]), ""),
    "version-string": lambda rng: (rng.choice(["version", "image_tag", "VERSION"]),
                                   rng.choice([f"{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}-rc.{rng.randint(1, 9)}+build.{rs(rng, HEX, 7)}",
                                               f"v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}", f"2026.03.{rng.randint(10, 28)}-{rs(rng, HEX, 8)}"])),
    "secret-reference": lambda rng: (rng.choice(["DB_PASSWORD_ARN", "secret_name", "password_path"]),
                                     rng.choice([f"arn:aws:secretsmanager:eu-west-1:{rs(rng, string.digits, 12)}:secret:prod/db-{rs(rng, ALNUM, 6)}",
                                                 "secret/data/prod/database", "projects/acme/secrets/db-password/versions/latest",
                                                 "https://acme-vault.vault.azure.net/secrets/db-password"])),
    "i18n-label": lambda rng: (rng.choice(["password_label", "token_hint", "api_key_placeholder", "secret_help"]),
                               rng.choice(["Enter your password", "Paste your API token here", "Your secret key (keep it private)",
                                           "Mot de passe oublié ?", "Passwort eingeben", "Token expired, please sign in again"])),
    "masked-value": lambda rng: (rng.choice(["STRIPE_SECRET_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "password"]),
                                 rng.choice(["sk_live_" + "*" * 20 + rs(rng, string.digits, 4), "ghp_" + "*" * 32 + rs(rng, ALNUM, 4),
                                             "[REDACTED]", "<redacted>", "****" + rs(rng, string.digits, 4), "********************",
                                             "AKIA" + "*" * 12 + rs(rng, UPPER_ALNUM, 4)])),
    "public-identifier": lambda rng: rng.choice([
        ("STRIPE_PUBLISHABLE_KEY", "pk_live_" + rs(rng, ALNUM, 24)),
        ("GOOGLE_CLIENT_ID", f"{rs(rng, string.digits, 12)}-{rs(rng, LOWER_ALNUM, 32)}.apps.googleusercontent.com"),
        ("STRIPE_ACCOUNT", "acct_" + rs(rng, ALNUM, 16)),
        ("AZURE_TENANT_ID", uuid4(rng)),
        ("SLACK_CHANNEL_ID", "C" + rs(rng, UPPER_ALNUM, 10)),
        ("ALGOLIA_APP_ID", rs(rng, UPPER_ALNUM, 10)),
    ]),
    "password-hash": lambda rng: (rng.choice(["password_hash", "PASSWORD_DIGEST", "admin_password_bcrypt"]),
                                  rng.choice(["$2b$12$" + rs(rng, B64.replace("+", "."), 53), "$argon2id$v=19$m=65536,t=3,p=4$" + b64(rng.randbytes(16)).rstrip("=") + "$" + b64(rng.randbytes(32)).rstrip("="),
                                              "$6$" + rs(rng, ALNUM, 16) + "$" + rs(rng, ALNUM + "./", 86), "pbkdf2_sha256$600000$" + rs(rng, ALNUM, 22) + "$" + b64(rng.randbytes(32))])),
    # A GitHub/npm-shaped token whose CRC32 does not match: no such token can have been
    # issued (the checksum is documented precisely so that scanners can drop these).
    "checksum-invalid": lambda rng: (rng.choice(["GITHUB_TOKEN", "NPM_TOKEN", "GH_TOKEN"]), bad_checksum(rng)),
}


def bad_checksum(rng):
    tok = crc_token(rng, rng.choice(["ghp_", "gho_", "npm_"]))
    while crc_token_valid(tok):
        tok = tok[:-6] + rs(rng, B62, 6)
    return tok


DECOYS_MORE = {
    "content-address": lambda rng: rng.choice([
        ("docker-compose.yml", f"services:\n  api:\n    image: acme/api@sha256:{rs(rng, HEX, 64)}\n"),
        ("index.html", f'<script src="https://cdn.acme-corp.net/app.js" integrity="sha384-{b64(rng.randbytes(48))}" crossorigin="anonymous"></script>\n'),
        ("known_hosts.txt", f"# github.com host key fingerprint\nSHA256:{b64(rng.randbytes(32)).rstrip('=')}\n"),
        ("ipfs.json", '{\n  "cid": "bafybei' + rs(rng, "abcdefghijklmnopqrstuvwxyz234567", 52) + '"\n}\n'),
    ]),
}

# Decoys with a whole file of their own.
DECOY_FILES = {
    "public-key": lambda rng: rng.choice([
        ("id_ed25519.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + b64(rng.randbytes(32))[:43] + " deploy@acme\n"),
        ("authorized_keys", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + b64(rng.randbytes(256)) + " ops@acme\n"),
        ("server.crt", pem(rng, "CERTIFICATE", 900, der_seq(rng, 900)[:4]) + "\n"),
        ("jwks-public.pem", pem(rng, "PUBLIC KEY", 294, der_seq(rng, 294)[:4]) + "\n"),
    ]),
    "lockfile-integrity": lambda rng: rng.choice([
        ("package-lock.json", "{\n  \"packages\": {\n    \"node_modules/left-pad\": {\n      \"version\": \"1.3.0\",\n"
         "      \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\",\n"
         "      \"integrity\": \"sha512-" + b64(rng.randbytes(64)) + "\"\n    }\n  }\n}\n"),
        ("yarn.lock", "left-pad@^1.3.0:\n  version \"1.3.0\"\n  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#" + rs(rng, HEX, 40) + "\"\n"
         "  integrity sha512-" + b64(rng.randbytes(64)) + "\n"),
        ("go.sum", "github.com/acme/lib v1.4.2 h1:" + b64(rng.randbytes(32)) + "\ngithub.com/acme/lib v1.4.2/go.mod h1:" + b64(rng.randbytes(32)) + "\n"),
        ("Cargo.lock", "[[package]]\nname = \"acme\"\nversion = \"0.4.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"" + rs(rng, HEX, 64) + "\"\n"),
    ]),
    "data-uri-image": lambda rng: ("logo.css", ".logo {\n  background-image: url(\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA" + b64(rng.randbytes(rng.randint(120, 400))) + "\");\n}\n"),
    "encrypted-value": lambda rng: rng.choice([
        ("vault.yml", "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n" + "".join("  " + rs(rng, string.digits + "abcdef", 80) + "\n" for _ in range(5))),
        ("secrets.enc.yaml", "db_password: ENC[AES256_GCM,data:" + b64(rng.randbytes(18)) + ",iv:" + b64(rng.randbytes(32)) + ",tag:" + b64(rng.randbytes(16)) + ",type:str]\n"
         "api_token: ENC[AES256_GCM,data:" + b64(rng.randbytes(30)) + ",iv:" + b64(rng.randbytes(32)) + ",tag:" + b64(rng.randbytes(16)) + ",type:str]\n"
         "sops:\n    version: 3.8.1\n"),
        ("sealed-secret.yaml", "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: Ag" + b64(rng.randbytes(300)) + "\n"),
    ]),
    "commented-explanation": lambda rng: rng.choice([
        ("README.md", "## Credentials\n\nCreate a personal access token (it starts with `ghp_`) and put it in `GITHUB_TOKEN`.\nAWS keys start with `AKIA`; never commit them. The secret key is 40 characters long.\n"),
        ("config.py", "# The API key is read from the environment; set STRIPE_SECRET_KEY to your sk_live_ key.\n# password: see the team vault\nAPI_KEY = os.environ[\"STRIPE_SECRET_KEY\"]\n"),
        ("settings.yaml", "# token: paste the token from the admin console here\n# password must be at least 16 characters\nlogging:\n  level: info\n"),
    ]),
    "minified-js": lambda rng: ("vendor.min.js", "!function(e,t){\"object\"==typeof exports?module.exports=t():e.lib=t()}(this,function(){var n=\"" + b64(rng.randbytes(60)) + "\",r={apiKey:null,token:void 0,password:\"\"};"
                                "function o(e){return e.split(\"\").map(function(t,i){return String.fromCharCode(t.charCodeAt(0)^n.charCodeAt(i%n.length))}).join(\"\")}"
                                "return{init:function(e){r.apiKey=e.apiKey,r.token=e.token},k:\"" + rs(rng, ALNUM, 44) + "\",decode:o}});\n"),
    **DECOYS_MORE,
    "variable-name-only": lambda rng: rng.choice([
        ("auth.py", "def login(username, password):\n    token = session.authenticate(username, password)\n    return token\n"),
        ("types.ts", "export interface Credentials {\n  apiKey: string;\n  clientSecret: string;\n  password?: string;\n}\n"),
        ("schema.sql", "CREATE TABLE users (id SERIAL, email TEXT, password_hash TEXT, api_token TEXT);\n"),
    ]),
}

DECOY_HOSTS = ["python", "javascript", "go", "java", "ruby", "yaml", "dotenv", "json", "properties", "xml-appsettings", "terraform",
               "toml", "shell-export", "compose-list", "k8s-env", "log", "markdown", "github-actions"]


def decoy_files(rng, cat, n):
    out = []
    if cat in DECOY_FILES:
        for _ in range(n):
            fname, text = DECOY_FILES[cat](rng)
            out.append((cat, fname, text))
        return out
    hosts = {h[0]: h for h in TOKEN_HOSTS}
    for i in range(n):
        name, value = DECOYS[cat](rng)
        style, fname, case, tpl, _ = hosts[DECOY_HOSTS[(i + len(cat)) % len(DECOY_HOSTS)]]
        v = case(name) if case is not str else name
        text = tpl.replace("{CTX}", "").replace("{V}", v).replace("@@", value)
        out.append((style, fname, text))
    return out


# ---------------------------------------------------------------------------------------
def generate(out, manifest_path, seed=SEED, hosts_per_kind=8, decoys_per_cat=16):
    items, files = build(seed, hosts_per_kind, decoys_per_cat)
    return write_corpus(out, files, manifest_path, items)


def build(seed=SEED, hosts_per_kind=8, decoys_per_cat=16):
    """The corpus in memory: the manifest's items and {relative path: bytes}."""
    placed = []
    for kname in sorted(KINDS):
        spec = KINDS[kname]
        rng = random.Random(f"{seed}:{kname}")
        files = token_files(rng, kname, spec, hosts_per_kind) if spec["hosts"] == "token" else structured_files(rng, kname, spec)
        for style, fname, text, first, last, value, *neutral in files:
            placed.append(({"first": first, "last": last, "kind": kname, "style": style, "decoy": None, "value": value,
                            "neutral": bool(neutral and neutral[0])}, fname, text))
    for cat in sorted(list(DECOYS) + list(DECOY_FILES)):
        rng = random.Random(f"{seed}:decoy:{cat}")
        for style, fname, text in decoy_files(rng, cat, decoys_per_cat):
            placed.append(({"first": 1, "last": text.count("\n") + 1, "kind": None, "style": style, "decoy": cat}, fname, text))
    # Each file sits in a directory of its own with an opaque name, secrets and decoys
    # shuffled together: no path tells a tool (or a path allowlist) what a file holds.
    order = random.Random(f"{seed}:order")
    order.shuffle(placed)
    items, files = [], {}
    for n, (item, fname, text) in enumerate(placed):
        item["file"] = f"p{n:04d}/{fname}"
        # Some files as Windows tooling writes them: CRLF line ends anywhere (8 %); a UTF-8
        # byte order mark (20 %) or UTF-16LE with its mark (10 %) only in the file types
        # where Visual Studio, PowerShell and SQL Server tools produce them.
        r, ext = order.random(), os.path.splitext(fname)[1]
        windows = ext in (".cs", ".config", ".ps1", ".sql", ".ini", ".xml", ".csv")
        item["encoding"] = ("utf-16le" if windows and r < 0.10 else "utf-8-bom" if windows and r < 0.30
                            else "crlf" if r < 0.38 and windows or r > 0.92 else "utf-8")
        items.append(item)
        files[item["file"]] = encode(text, item["encoding"])
    return items, files


def write(out, rel, text, encoding="utf-8"):
    write_file(out, rel, encode(text, encoding))


def read(out, item):
    with open(os.path.join(out, item["file"]), "rb") as fh:
        return decode(fh.read(), item.get("encoding", "utf-8"))


# ---------------------------------------------------------------------------------------
# A realistic repository: a sample of the corpus committed over a history, so that the
# history modes of the tools are measured too. Each planted secret ends up in one place:
#   head        still in the tree at HEAD of the default branch;
#   deleted     added on the default branch, its file deleted by a later commit;
#   overwritten added, then its value replaced by an environment reference;
#   branch      on a side branch that was never merged;
#   tag         on a commit reachable only from a tag (lightweight or annotated).
# Decoys stay at HEAD. Dates, names and order are fixed, so the repository (and its commit
# ids) is the same every run.
WHERES = ["head", "deleted", "overwritten", "branch", "tag"]


def generate_repo(repo, manifest_path, seed=SEED, decoys_per_cat=4):
    with tempfile.TemporaryDirectory() as tmp:
        items = generate(os.path.join(tmp, "c"), os.path.join(tmp, "m.json"), seed)
        texts = {it["file"]: read(os.path.join(tmp, "c"), it) for it in items}
    rng = random.Random(f"{seed}:repo")
    picked = first_per_key(items, lambda it: 2 if it["kind"] else decoys_per_cat)
    secrets = [it for it in picked if it["kind"]]
    for n, it in enumerate(secrets):
        it["where"] = WHERES[n % len(WHERES)]
    r = Repo(repo, ("Dev One", "dev@acme-corp.net"), 1_767_000_000, 3600)
    write(repo, "README.md", "# billing service\n\nInternal service.\n")
    r.commit("Initial commit")
    rng.shuffle(secrets)
    later = []
    for it in secrets:
        if it["where"] in ("head", "deleted", "overwritten"):
            write(repo, it["file"], texts[it["file"]], it["encoding"])
            r.commit(f"Add {it['style']} settings for {it['kind']}")
            if it["where"] != "head":
                later.append(it)
    for it in [d for d in picked if d["decoy"]]:
        write(repo, it["file"], texts[it["file"]], it["encoding"])
    r.commit("Add configuration samples")
    for it in later:
        path = os.path.join(repo, it["file"])
        text = texts[it["file"]]
        # Only a one-line token can be overwritten in place; a key or a manifest is deleted.
        if it["where"] == "overwritten" and KINDS[it["kind"]]["hosts"] == "token" and it["value"] in text:
            write(repo, it["file"], text.replace(it["value"], "${SECRET_FROM_VAULT}"), it["encoding"])
        else:
            it["where"] = "deleted"
            os.remove(path)
        r.commit(f"Remove credentials from {it['style']} file")
    for n, it in enumerate(x for x in secrets if x["where"] == "branch"):
        if n % 6 == 0:
            r.git("checkout", "-q", "-b", f"feature/wip-{n // 6}", "main")
        write(repo, it["file"], texts[it["file"]], it["encoding"])
        r.commit(f"WIP: {it['kind']}")
    r.git("checkout", "-q", "main")
    for n, it in enumerate(x for x in secrets if x["where"] == "tag"):
        r.git("checkout", "-q", "--detach", "main")
        write(repo, it["file"], texts[it["file"]], it["encoding"])
        r.commit(f"Release build {n}")
        if n % 2:
            r.git("tag", "-a", f"v1.{n}.0", "-m", f"release 1.{n}.0", date=r.date)
        else:
            r.git("tag", f"build-{n}")
        r.git("checkout", "-q", "main")
    return write_manifest(manifest_path, picked)


# ---------------------------------------------------------------------------------------
# Reading each tool's findings into (relative path, line) pairs.
def norm(path, root):
    """A tool's path, relative to the corpus root: from its first pNNNN component."""
    parts = path.replace("\\", "/").split("/")
    for i, part in enumerate(parts):
        if len(part) == 5 and part[0] == "p" and part[1:].isdigit():
            return "/".join(parts[i:])
    return os.path.relpath(path, root) if root else path


def load_findings(tool, path, root):
    """(file, line, values) for each finding: `values` are the secret texts the tool
    reports (none for ours, which redacts), including the companions of a composite
    finding (betterleaks' components, Kingfisher's dependent captures): a pair reported at
    its key id's line has still found the secret beside it."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return []
    text = open(path).read()
    found = []
    if tool == "ours":
        for line in text.splitlines():
            if line.strip():
                f = json.loads(line)
                found.append((norm(f["path"], root), f.get("line"), ()))
    elif tool == "gitleaks":
        for f in json.loads(text):
            vals = tuple(v for v in (f.get("Secret"), f.get("Match")) if v)
            for ln in range(f["StartLine"], max(f["StartLine"], f.get("EndLine", f["StartLine"])) + 1):
                found.append((norm(f["File"], root), ln, vals))
    elif tool == "betterleaks":
        data = json.loads(text)
        for f in data.get("findings", []) if isinstance(data, dict) else data:
            parts = [f] + [c for cs in f.get("component_sets", []) or [] for c in cs.get("components", []) or []]
            vals = tuple(v for p in parts for v in (p.get("match", {}).get("value"), p.get("match", {}).get("full")) if v)
            for p in parts:
                loc = p.get("location", {})
                s = loc.get("start_line", 0)
                for ln in range(s, max(s, loc.get("end_line", s)) + 1):
                    found.append((norm(loc.get("path", ""), root), ln, vals))
    elif tool == "kingfisher":
        data = json.loads(text)
        for f in data.get("findings", []) if isinstance(data, dict) else data:
            fd = f.get("finding", f)
            vals = tuple(v for v in [fd.get("snippet")] + list((fd.get("dependent_captures") or {}).values()) if isinstance(v, str) and v)
            found.append((norm(fd.get("path", ""), root), fd.get("line"), vals))
    return found


def reports_value(vals, planted):
    """Whether a reported secret text is the planted one (or a part of it at least 8
    characters long, such as the password of a connection string)."""
    return any(v == planted or (len(v) >= 8 and v in planted) or (len(planted) >= 8 and planted in v) for v in vals)


def score(manifest_path, tool_files, root=None, json_out=None, misses=None):
    items = json.load(open(manifest_path))
    tools = [t for t, _ in tool_files]
    found = {t: load_findings(t, p, root) for t, p in tool_files}
    by_file = {t: {} for t in tools}
    for t in tools:
        for f, ln, vals in found[t]:
            by_file[t].setdefault(f, []).append((ln, vals))

    def hit(t, it):
        reported = by_file[t].get(it["file"], [])
        if it["decoy"]:
            return bool(reported)
        return any(ln is None or it["first"] <= ln <= it["last"] or reports_value(vals, it["value"]) for ln, vals in reported)

    secrets = [it for it in items if not it["decoy"]]
    decoys = [it for it in items if it["decoy"]]
    # The kinds are the manifest's, so that another generator's corpus (holdout-corpus.py)
    # is scored by this same code.
    kinds = sorted({it["kind"] for it in secrets})
    w = max(len(k) for k in kinds + [it["decoy"] for it in decoys]) + 2
    head = "".join(f"{t:>13}" for t in tools)
    print(f"\nPer kind: recall (found/planted) on {len(secrets)} planted secrets of {len(kinds)} kinds in {len({i['style'] for i in secrets})} host styles")
    gap = "ours" in tools and len(tools) > 1
    print(f"{'kind':<{w}}{'n':>4}{head}" + ("   ours-best peer" if gap else ""))
    tot = {t: 0 for t in tools}
    for k in kinds:
        its = [i for i in secrets if i["kind"] == k]
        row = f"{k:<{w}}{len(its):>4}"
        rate = {}
        for t in tools:
            h = sum(hit(t, i) for i in its)
            tot[t] += h
            rate[t] = 100 * h / len(its)
            row += f"{rate[t]:>12.0f}%"
        if gap:
            d = rate["ours"] - max(v for t, v in rate.items() if t != "ours")
            row += f"{d:>+17.0f}" if d else ""
        print(row)
    print(f"{'TOTAL recall':<{w}}{len(secrets):>4}" + "".join(f"{100 * tot[t] / len(secrets):>12.1f}%" for t in tools))
    neutral = [i for i in secrets if i.get("neutral")]
    if neutral:
        print(f"{'  under a neutral name':<{w}}{len(neutral):>4}" + "".join(f"{100 * sum(hit(t, i) for i in neutral) / len(neutral):>12.1f}%" for t in tools))
    for enc in ["crlf", "utf-8-bom", "utf-16le"]:
        its = [i for i in secrets if i.get("encoding") == enc]
        if its:
            print(f"{'  encoded ' + enc:<{w}}{len(its):>4}" + "".join(f"{100 * sum(hit(t, i) for i in its) / len(its):>12.1f}%" for t in tools))
    wheres = [w_ for w_ in WHERES if any(i.get("where") == w_ for i in secrets)]
    for w_ in wheres:
        its = [i for i in secrets if i.get("where") == w_]
        print(f"{'  in history: ' + w_:<{w}}{len(its):>4}" + "".join(f"{100 * sum(hit(t, i) for i in its) / len(its):>12.1f}%" for t in tools))
    kinds_full = {t: sum(all(hit(t, i) for i in secrets if i["kind"] == k) for k in kinds) for t in tools}
    print(f"{'kinds fully found':<{w}}{len(kinds):>4}" + "".join(f"{kinds_full[t]:>13}" for t in tools))
    cats = sorted({i["decoy"] for i in decoys})
    print(f"\nPer decoy category: share of {len(decoys)} decoy files flagged (lower is better), {len(cats)} categories")
    print(f"{'decoy category':<{w}}{'n':>4}{head}")
    dtot = {t: 0 for t in tools}
    for c in cats:
        its = [i for i in decoys if i["decoy"] == c]
        row = f"{c:<{w}}{len(its):>4}"
        for t in tools:
            h = sum(hit(t, i) for i in its)
            dtot[t] += h
            row += f"{100 * h / len(its):>12.0f}%"
        print(row)
    print(f"{'TOTAL flagged':<{w}}{len(decoys):>4}" + "".join(f"{100 * dtot[t] / len(decoys):>12.1f}%" for t in tools))
    # Look-alikes with a wrong checksum are a target of their own (offline validation);
    # the rest is what placeholder, entropy and context filters are for.
    rest = [i for i in decoys if i["decoy"] != "checksum-invalid"]
    if len(rest) != len(decoys):
        print(f"{'  without look-alikes':<{w}}{len(rest):>4}" + "".join(f"{100 * sum(hit(t, i) for i in rest) / len(rest):>12.1f}%" for t in tools))
    if json_out:
        summary = {t: {"recall": tot[t] / len(secrets), "decoys_flagged": dtot[t] / len(decoys),
                       "kinds": {k: sum(hit(t, i) for i in secrets if i["kind"] == k) / max(1, sum(1 for i in secrets if i["kind"] == k)) for k in kinds},
                       "decoy_categories": {c: sum(hit(t, i) for i in decoys if i["decoy"] == c) / sum(1 for i in decoys if i["decoy"] == c) for c in cats}}
                   for t in tools}
        with open(json_out, "w") as fh:
            json.dump({"secrets": len(secrets), "decoys": len(decoys), "tools": summary}, fh, indent=1)
    if misses in tools:
        print_misses(misses, secrets, decoys, hit, by_file[misses], root, [t for t in tools if t != misses])
    # Per host style: where a tool's recall drops by syntax, not by provider.
    styles = sorted({i["style"] for i in secrets})
    print("\nPer host style: recall")
    print(f"{'host style':<{w}}{'n':>4}{head}")
    for s in styles:
        its = [i for i in secrets if i["style"] == s]
        print(f"{s:<{w}}{len(its):>4}" + "".join(f"{100 * sum(hit(t, i) for i in its) / len(its):>12.0f}%" for t in tools))


def print_misses(tool, secrets, decoys, hit, reported, root, others=()):
    """The items behind a tool's rates (`--misses=TOOL`): each planted secret it missed
    and each decoy file it flagged, with the file's lines, so that a fix starts from the
    cause (a syntax, a filter) rather than from the rate."""
    def lines(it, first, last):
        if not root or not os.path.exists(os.path.join(root, it["file"])):
            return []  # a file only in history
        text = read(root, it).split("\n")
        return [f"      {n}: {text[n - 1][:150]}" for n in range(max(1, first), min(len(text), last) + 1)]
    print(f"\nMissed by {tool}:")
    for it in sorted((i for i in secrets if not hit(tool, i)), key=lambda i: (i["kind"], i["file"])):
        # Which other tools find it: a miss no peer finds is a different problem (a syntax
        # nobody reads) from one every peer finds (a rule we lack).
        peers = ",".join(t for t in others if hit(t, it)) or "no other tool"
        print(f"  {it['kind']} [{it['style']}] {it['file']}:{it['first']}-{it['last']} (found by {peers})")
        print("\n".join(lines(it, it["first"], it["last"])))
    print(f"\nDecoys flagged by {tool}:")
    for it in sorted((i for i in decoys if hit(tool, i)), key=lambda i: (i["decoy"], i["file"])):
        lns = sorted({ln for ln, _ in reported.get(it["file"], []) if ln})
        peers = ",".join(t for t in others if hit(t, it)) or "no other tool"
        print(f"  {it['decoy']} [{it['style']}] {it['file']} at lines {lns} (also flagged by {peers})")
        for ln in lns:
            print("\n".join(lines(it, ln, ln)))


# ---------------------------------------------------------------------------------------
def self_check():
    """The generator's own test: deterministic, well-formed and honest about lines. It
    builds in memory (no disk: it runs inside the test suite)."""
    problems = []
    items, files = build_twice(build, problems)
    if build(SEED + 1, 1, 1)[1] == build(SEED, 1, 1)[1]:
        problems.append("a different seed gives the same corpus")
    checked = 0
    for it in items:
        text = decode(files[it["file"]], it["encoding"]).split("\n")
        if it["decoy"] == "checksum-invalid":
            toks = [w for w in " ".join(text).replace('"', " ").replace("'", " ").replace("=", " ").replace(":", " ").split()
                    if w[:4] in ("ghp_", "gho_", "npm_") and len(w) == 40]
            if len(toks) != 1 or crc_token_valid(toks[0]):
                problems.append(f"{it['file']}: the look-alike token is missing or has a valid checksum")
            checked += 1
        if it["decoy"]:
            continue
        span = "\n".join(text[it["first"] - 1 : it["last"]])
        if it["value"] not in span and it["value"] not in "\n".join(text):
            problems.append(f"{it['file']}: planted value not in the file")
        elif it["value"].split("\n")[0] not in span:
            problems.append(f"{it['file']}: planted value not on lines {it['first']}-{it['last']}")
        v = it["value"]
        for tok in [w for w in v.replace("@", " ").replace(":", " ").split() if w[:4] in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_")]:
            checked += 1
            if len(tok) != 40 or not crc_token_valid(tok):
                problems.append(f"{it['file']}: {tok[:8]}... fails its CRC32 checksum")
        if v.startswith("glsa_"):
            checked += 1
            if not crc32_le_tail_valid(v):
                problems.append(f"{it['file']}: glsa_... fails its CRC32 checksum")
        if v.startswith("AGE-SECRET-KEY-1"):
            checked += 1
            low = v.lower()
            if bech32("age-secret-key-", [BECH32.index(c) for c in low[16:-6]]) != low:
                problems.append(f"{it['file']}: AGE-SECRET-KEY-... fails its Bech32 checksum")
        if v.startswith("pypi-"):
            mac = base64.urlsafe_b64decode(v[5:] + "=" * (-len(v[5:]) % 4))
            if mac[:11] != b"\x02\x01\x08pypi.org" or mac[-34:-32] != b"\x06\x20":
                problems.append(f"{it['file']}: pypi-... is no v2 macaroon ending in a signature")
    # The check itself must be able to fail: a token with one character changed.
    tok = crc_token(random.Random(1), "ghp_")
    bad = tok[:10] + ("A" if tok[10] != "A" else "B") + tok[11:]
    if not crc_token_valid(tok) or crc_token_valid(bad):
        problems.append("checksum validation accepts a corrupted token or rejects a good one")
    if checked < 20:
        problems.append(f"only {checked} checksummed tokens generated")
    styles = {i["style"] for i in items if not i["decoy"]}
    cats = {i["decoy"] for i in items if i["decoy"]}
    if len(KINDS) < 40 or len(styles) < 40 or len(cats) < 15:
        problems.append(f"{len(KINDS)} kinds, {len(styles)} host styles, {len(cats)} decoy categories: want 40/40/15")
    return report(problems, f"{len(items)} files, {len(KINDS)} kinds, {len(styles)} host styles, {len(cats)} decoy categories, {checked} checksummed tokens")


def gen(out, manifest, seed):
    items = generate(out, manifest, seed)
    return f"corpus: {sum(1 for i in items if not i['decoy'])} planted secrets of {len(KINDS)} kinds, {sum(1 for i in items if i['decoy'])} decoy files, seed {seed}"


def gen_repo(repo, manifest, seed):
    items = generate_repo(repo, manifest, seed)
    return f"repository: {sum(1 for i in items if not i['decoy'])} planted secrets of {len(KINDS)} kinds across history, branches and tags, {sum(1 for i in items if i['decoy'])} decoy files"


def main(argv):
    if argv[:1] == ["score"] and len(argv) >= 3:
        root = json_out = misses = None
        pairs = []
        for a in argv[2:]:
            if a.startswith("--root="):
                root = a[7:]
            elif a.startswith("--json="):
                json_out = a[7:]
            elif a.startswith("--misses="):
                misses = a[9:]
            else:
                t, _, p = a.partition("=")
                pairs.append((t, p))
        score(argv[1], pairs, root, json_out, misses)
        return 0
    return corpus_common.main(argv, __doc__, SEED, self_check, {"gen": gen, "gen-repo": gen_repo})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
