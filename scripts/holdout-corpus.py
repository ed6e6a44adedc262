#!/usr/bin/env python3
"""A second, held-out yardstick for secret detection (issue 12, item 5).

scripts/quality-corpus.py is no longer held out: the rules have been tuned against its
misses. This generator was written apart from it and from every rule pack (ours or any
other project's): its token shapes come from the providers' documented formats (prefixes,
alphabets, lengths, the CRC32 checksum GitHub and npm document), its host files from the
file formats and from how people write configuration by hand (chosen passwords such as
seasons and years, word pairs and passphrases, values without digits, quoted and unquoted,
with comments, nested YAML, lists and maps), and its decoys from what sits beside secrets
in real repositories (placeholders, references to the environment, documentation example
keys, fixtures marked fake, public keys, lockfile hashes, identifiers, minified code,
inline images...).

    holdout-corpus.py gen OUT_DIR MANIFEST [--seed N]
    holdout-corpus.py gen-repo REPO_DIR MANIFEST [--seed N]
    holdout-corpus.py --self-check

The manifest is the one `quality-corpus.py score` reads: a list of items with `file`
(under an opaque `pNNNN/` directory), `first`/`last` (the planted secret's lines), `kind`
(null for a decoy), `decoy` (the decoy category, null for a secret), `style` (the host
file style), `value` (the secret's text as it appears in the file), `neutral`, `encoding`,
and in a repository `where` (head, deleted, overwritten, branch, tag).
"""
import base64
import json
import os
import random
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common
from corpus_common import (Repo, b64, base62, build_twice, crc32_le_hex, crc_token_valid, encode, first_per_key, report, rs,
                           wrap, write_corpus, write_file, write_manifest)
from corpus_common import ssh_string as ssh_str
from corpus_common import uuid4 as uuid

SEED = 4652

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
ALNUM = LOWER + UPPER + DIGITS
B62 = DIGITS + UPPER + LOWER
HEX = "0123456789abcdef"
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"
B32 = UPPER + "234567"


def crc_token(rng, prefix, body=30):
    """GitHub's and npm's documented shape: prefix, random base62 (drawn from ALNUM), and the
    CRC32 of the random part in 6 base62 digits."""
    return corpus_common.crc_token(rng, prefix, body, ALNUM)


# ---------------------------------------------------------------------------------------
# Human-chosen values. Words are our own list of everyday nouns and adjectives.
WORDS = ("pepper maple orbit falcon river stone winter summer autumn spring harbor copper "
         "velvet canyon lantern meadow thunder cobalt saffron willow granite ember quartz "
         "juniper hazel marble tiger otter badger raven comet nebula cedar birch tulip "
         "walrus pixel rocket castle mango banana coffee biscuit pickle noodle waffle "
         "violet crimson indigo silver golden silent brave lucky happy sleepy purple "
         "dragon phoenix panda koala zebra bison monkey sunset sunrise horizon galaxy").split()
SEASONS = ["Winter", "Summer", "Spring", "Autumn", "Fall"]
MONTHS = ["January", "March", "April", "June", "July", "October", "November", "December"]
SYMS = "!@#$%&*?"


def human_password(rng):
    w = lambda: rng.choice(WORDS)
    style = rng.randrange(12)
    if style == 0:
        return f"{rng.choice(SEASONS)}{rng.choice(['2019', '2021', '2022', '2023', '2024', '25', '24'])}{rng.choice(SYMS)}"
    if style == 1:
        a = w()
        return f"{a}{rng.randrange(10, 99)}_{a}"
    if style == 2:
        return rng.choice(["-", " ", ".", "_"]).join(w() for _ in range(4))
    if style == 3:
        return f"{w().capitalize()}{w().capitalize()}{rng.randrange(1, 999)}"
    if style == 4:
        return f"{w()}{rng.choice(SYMS)}{w().capitalize()}"
    if style == 5:
        return rs(rng, ALNUM + "!#%*-_", rng.randrange(14, 24))
    if style == 6:
        return "".join(w() for _ in range(3))  # no digits, no symbols
    if style == 7:
        return f"{rng.choice(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'])}@{rng.randrange(2015, 2026)}"
    if style == 8:
        return f"{rng.choice(MONTHS)}{rng.choice(SYMS)}{rng.randrange(1, 31)}{w()}"
    if style == 9:
        return f"{w().capitalize()}-{w()}-{rng.randrange(100, 9999)}"
    if style == 10:
        leet = str.maketrans({"a": "@", "e": "3", "o": "0", "s": "$", "i": "1"})
        return (w() + w()).translate(leet).capitalize()
    return rs(rng, ALNUM, rng.randrange(10, 18))


def uri_password(rng):
    """A chosen password as it can stand in a URI's userinfo (RFC 3986: unreserved and
    sub-delimiter characters; a `%` only as an escape, so none here)."""
    p = "".join(c for c in human_password(rng) if c.isalnum() or c in "-._~!$&'()*+,;=")
    return p if len(p) >= 6 else p + rs(rng, ALNUM, 8)


def user(rng):
    return rng.choice(["admin", "deploy", "svc_app", "jenkins", "ci-bot", "appuser", "root", "reporting",
                       "etl_loader", "backup", "api", "sa", "dbadmin", "grafana", "mqadmin"])


def host(rng):
    return rng.choice(["db01.internal.acme-corp.net", "10.20.3.14", "pg-main.prod.local", "mysql.staging.svc",
                       "orders-db.cluster-c9x2.eu-west-1.rds.amazonaws.com", "sql-prod-02", "localhost",
                       "redis.cache.internal", "mq.acme-corp.net"])


def pem_body(rng, nbytes):
    data = bytes(rng.randrange(256) for _ in range(nbytes))
    return wrap(b64(data))


def openssh_ed25519(rng):
    """An unencrypted OpenSSH key as OpenSSH's PROTOCOL.key documents it: magic, cipher and
    KDF "none", one key, its public blob, then the private section (two equal check
    integers, the key, a comment, padding 1, 2, 3... to a multiple of 8)."""
    pk = bytes(rng.randrange(256) for _ in range(32))
    sk = bytes(rng.randrange(256) for _ in range(32))
    check = bytes(rng.randrange(256) for _ in range(4))
    pub = ssh_str(b"ssh-ed25519") + ssh_str(pk)
    priv = check + check + ssh_str(b"ssh-ed25519") + ssh_str(pk) + ssh_str(sk + pk) + ssh_str(b"deploy@build-01")
    priv += bytes(range(1, 1 + (-len(priv)) % 8))
    return (b"openssh-key-v1\x00" + ssh_str(b"none") + ssh_str(b"none") + ssh_str(b"") + (1).to_bytes(4, "big")
            + ssh_str(pub) + ssh_str(priv))


def private_key(rng):
    label = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    n = {"RSA PRIVATE KEY": 1190, "PRIVATE KEY": 1216, "EC PRIVATE KEY": 121, "OPENSSH PRIVATE KEY": 400}[label]
    lead = {"RSA PRIVATE KEY": b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00", "PRIVATE KEY": b"\x30\x82\x04\xbc\x02\x01\x00\x30\x0d\x06\x09",
            "EC PRIVATE KEY": b"\x30\x77\x02\x01\x01\x04\x20", "OPENSSH PRIVATE KEY": b"openssh-key-v1\x00"}[label]
    data = openssh_ed25519(rng) if label == "OPENSSH PRIVATE KEY" else lead + bytes(rng.randrange(256) for _ in range(n - len(lead)))
    body = wrap(b64(data), 70 if label == "OPENSSH PRIVATE KEY" else 64)
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


def jwt(rng, claims):
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d, separators=(",", ":")).encode()).decode().rstrip("=")
    sig = base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(rng.choice([32, 256])))).decode().rstrip("=")
    return f"{enc({'alg': rng.choice(['HS256', 'RS256']), 'typ': 'JWT'})}.{enc(claims)}.{sig}"


def aws_key_id(rng, prefix="AKIA"):
    return prefix + rs(rng, B32, 16)


def aws_secret(rng):
    return rs(rng, B64, 40)


def session_token(rng):
    # STS session tokens: base64 of a binary blob, several hundred characters.
    return "IQoJb3JpZ2luX2Vj" + rs(rng, B64, rng.choice([340, 420, 612]))


# ---------------------------------------------------------------------------------------
# Secret kinds. Each: weight (files in the corpus), a value generator returning
# (value, names, context) where names are candidate variable names (tuples of words) and
# context an optional (name, value) written on the line before (a key id beside its
# secret), and `hosts`: "assign" (any assignment host) or a list of structured hosts.
def N(*names):
    return [tuple(n.split()) for n in names]


KINDS = {}


def kind(name, weight, hosts="assign"):
    def deco(fn):
        KINDS[name] = {"gen": fn, "weight": weight, "hosts": hosts}
        return fn
    return deco


@kind("generic-password", 64, ["assign"] * 4 + ["hadoop-xml", "maven-settings", "nuget-config", "netrc", "git-credentials", "pgpass", "pip-conf",
                                    "composer-auth", "cli-password", "spring-yaml", "k8s-stringdata-file", "yaml-commented", "htpasswd-cli"])
def _(rng):
    return human_password(rng), N("db password", "password", "admin password", "mysql root password", "postgres password",
                                 "smtp password", "redis password", "ldap bind password", "keystore password", "pwd",
                                 "passwd", "db pass", "rabbitmq default pass", "app db password", "mail pass", "sftp password"), None


@kind("generic-secret", 26)
def _(rng):
    v = rng.choice([rs(rng, LOWER + DIGITS + "!@#%^&*(-_=+)", 50), rs(rng, HEX, 64), rs(rng, ALNUM, 32),
                    human_password(rng) + human_password(rng), b64(bytes(rng.randrange(256) for _ in range(32)))])
    return v, N("secret key", "jwt secret", "session secret", "app secret", "client secret", "signing key",
                "encryption key", "cookie secret", "hmac secret", "master key", "webhook secret"), None


@kind("generic-token", 26)
def _(rng):
    v = rng.choice([rs(rng, ALNUM, rng.choice([24, 32, 40, 48])), rs(rng, HEX, rng.choice([32, 40])),
                    rs(rng, B64URL, 43), rs(rng, LOWER + DIGITS, 36)])
    return v, N("api key", "api token", "access token", "auth token", "service token", "private token", "apikey",
                "x api key", "bearer token", "refresh token"), None


@kind("url-with-password", 14)
def _(rng):
    scheme = rng.choice(["https", "http", "ftp", "smtp", "amqp", "redis", "mysql", "sftp"])
    u = user(rng)
    p = uri_password(rng).replace("'", "")
    port = {"https": "", "http": ":8080", "ftp": ":21", "smtp": ":587", "amqp": ":5672", "redis": ":6379", "mysql": ":3306", "sftp": ":22"}[scheme]
    return f"{scheme}://{u}:{p}@{host(rng)}{port}/", N("database url", "broker url", "cache url", "mail url", "ftp url", "upstream url", "registry url"), None


@kind("curl-user-password", 12, ["curl-shell", "curl-makefile", "curl-ci", "curl-markdown", "curl-dockerfile"])
def _(rng):
    p = human_password(rng).replace("'", "").replace('"', "").replace(" ", "-").replace("$", "S").replace("!", "1").replace("`", "")
    return f"{user(rng)}:{p}", None, None


@kind("authorization-bearer", 12, ["curl-header-shell", "http-file", "nginx-header", "python-requests", "js-fetch", "postman-json"])
def _(rng):
    tok = rng.choice([rs(rng, ALNUM, 40), rs(rng, B64URL, 64), rs(rng, HEX, 48), rs(rng, LOWER + DIGITS, 32)])
    return f"Bearer {tok}", None, None


@kind("authorization-basic", 8, ["curl-header-shell", "http-file", "nginx-header", "python-requests", "js-fetch"])
def _(rng):
    return "Basic " + b64(f"{user(rng)}:{human_password(rng)}".encode()), None, None


@kind("k8s-secret-data", 14, ["k8s-secret-data"])
def _(rng):
    return human_password(rng), None, None


@kind("docker-config-auth", 7, ["docker-config-json", "k8s-dockerconfigjson"])
def _(rng):
    return b64(f"{user(rng)}:{human_password(rng)}".encode()), None, None


@kind("aws-secret-access-key", 24, ["aws-credentials-ini", "aws-sts-json", "assign", "assign", "hadoop-xml"])
def _(rng):
    return aws_secret(rng), N("aws secret access key", "secret access key", "aws secret key", "secret key"), (("aws access key id",), aws_key_id(rng))


@kind("aws-session-token", 9, ["aws-credentials-ini", "aws-sts-json", "assign"])
def _(rng):
    return session_token(rng), N("aws session token", "session token", "aws security token"), (("aws access key id",), aws_key_id(rng, "ASIA"))


@kind("slack-webhook", 9)
def _(rng):
    return (f"https://hooks.slack.com/services/T{rs(rng, UPPER + DIGITS, rng.choice([8, 10]))}/B{rs(rng, UPPER + DIGITS, rng.choice([8, 10]))}/{rs(rng, ALNUM, 24)}",
            N("slack webhook url", "slack webhook", "webhook url", "alerts webhook", "notify url"), None)


@kind("slack-bot-token", 7)
def _(rng):
    return (f"xoxb-{rs(rng, DIGITS, 12)}-{rs(rng, DIGITS, 13)}-{rs(rng, ALNUM, 24)}",
            N("slack bot token", "slack token", "bot token", "slack api token"), None)


@kind("slack-legacy-token", 7)
def _(rng):
    p = rng.choice(["xoxa", "xoxs", "xoxp"])
    if p == "xoxp":
        v = f"xoxp-{rs(rng, DIGITS, 12)}-{rs(rng, DIGITS, 12)}-{rs(rng, DIGITS, 13)}-{rs(rng, HEX, 32)}"
    elif p == "xoxa":
        v = f"xoxa-2-{rs(rng, DIGITS, 12)}-{rs(rng, DIGITS, 12)}-{rs(rng, DIGITS, 12)}-{rs(rng, HEX, 64)}"
    else:
        v = f"xoxs-{rs(rng, DIGITS, 11)}-{rs(rng, DIGITS, 11)}-{rs(rng, DIGITS, 12)}-{rs(rng, HEX, 64)}"
    return v, N("slack token", "slack user token", "slack legacy token", "slack app token"), None


@kind("twilio-auth-token", 9)
def _(rng):
    return rs(rng, HEX, 32), N("twilio auth token", "auth token", "twilio token"), (("twilio account sid",), "AC" + rs(rng, HEX, 32))


@kind("mongodb-uri", 9)
def _(rng):
    p = rs(rng, ALNUM, rng.randrange(12, 20)) if rng.random() < 0.5 else uri_password(rng).replace("'", "")
    h = rng.choice([f"cluster0.{rs(rng, LOWER + DIGITS, 5)}.mongodb.net", f"mongo-0.mongo.{rng.choice(['prod', 'data'])}.svc:27017,mongo-1.mongo.prod.svc:27017"])
    scheme = "mongodb+srv" if "mongodb.net" in h else "mongodb"
    return f"{scheme}://{user(rng)}:{p}@{h}/{rng.choice(['orders', 'app', 'admin'])}?retryWrites=true&w=majority", N("mongodb uri", "mongo url", "mongo uri", "database url"), None


@kind("postgres-uri", 9)
def _(rng):
    p = uri_password(rng).replace("'", "").replace("&", "")
    u, h = user(rng), host(rng)
    v = rng.choice([f"postgresql://{u}:{p}@{h}:5432/{rng.choice(['app', 'billing'])}",
                    f"postgres://{u}:{p}@{h}/warehouse?sslmode=require",
                    f"jdbc:postgresql://{h}:5432/app?user={u}&password={p}"])
    return v, N("database url", "postgres url", "db url", "jdbc url", "datasource url"), None


@kind("odbc-connection-string", 9)
def _(rng):
    p = human_password(rng).replace(";", "").replace("'", "").replace('"', "").replace("&", "").replace("<", "").replace(">", "")
    h = host(rng)
    v = rng.choice([f"Server={h};Database=Orders;User Id={user(rng)};Password={p};",
                    f"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:{h},1433;Database=crm;Uid={user(rng)};Pwd={p};Encrypt=yes;",
                    f"Data Source={h};Initial Catalog=Inventory;User ID={user(rng)};Password={p};MultipleActiveResultSets=True",
                    f"DRIVER={{PostgreSQL Unicode}};SERVER={h};PORT=5432;DATABASE=app;UID={user(rng)};PWD={p}"])
    return v, N("connection string", "default connection", "sql connection", "odbc dsn", "db connection string"), None


@kind("kubeconfig-token", 7, ["kubeconfig-token"])
def _(rng):
    return rng.choice([jwt(rng, {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "ci",
                                   "sub": "system:serviceaccount:ci:deployer"}),
                       f"{rs(rng, LOWER + DIGITS, 6)}.{rs(rng, LOWER + DIGITS, 16)}",
                       rs(rng, ALNUM, 64)]), None, None


@kind("kubeconfig-client-key", 6, ["kubeconfig-client-key"])
def _(rng):
    return b64((private_key(rng) + "\n").encode()), None, None


@kind("azure-storage-key", 9)
def _(rng):
    key = b64(bytes(rng.randrange(256) for _ in range(64)))
    if rng.random() < 0.5:
        return (f"DefaultEndpointsProtocol=https;AccountName=st{rs(rng, LOWER + DIGITS, 10)};AccountKey={key};EndpointSuffix=core.windows.net",
                N("azure storage connection string", "storage connection string", "blob connection"), None)
    return key, N("azure storage key", "azure storage account key", "storage account key", "account key"), (("azure storage account",), "st" + rs(rng, LOWER + DIGITS, 10))


@kind("azure-sas-token", 7)
def _(rng):
    sig = b64(bytes(rng.randrange(256) for _ in range(32))).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    q = f"sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-12-31T23:59:59Z&st=2025-01-01T00:00:00Z&spr=https&sig={sig}"
    if rng.random() < 0.5:
        return f"https://st{rs(rng, LOWER, 8)}.blob.core.windows.net/backups?{q}", N("backup container url", "sas url", "blob sas url"), None
    return q, N("azure sas token", "sas token", "storage sas"), None


@kind("azure-connection-string", 6)
def _(rng):
    ns = rs(rng, LOWER, 8)
    key = b64(bytes(rng.randrange(256) for _ in range(32)))
    return (rng.choice([f"Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}",
                        f"Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={key};EntityPath=events",
                        f"HostName={ns}.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={key}"]),
            N("service bus connection", "event hub connection string", "iot hub connection string", "azure connection string"), None)


@kind("azure-client-secret", 6)
def _(rng):
    return f"{rs(rng, ALNUM, 3)}{rng.randrange(10)}Q~{rs(rng, ALNUM + '-_.~', 34)}", N("azure client secret", "client secret", "arm client secret", "aad client secret"), (("azure client id",), uuid(rng))


@kind("gcp-service-account", 7, ["gcp-sa-json"])
def _(rng):
    return private_key(rng).replace("RSA PRIVATE KEY", "PRIVATE KEY").replace("EC PRIVATE KEY", "PRIVATE KEY").replace("OPENSSH PRIVATE KEY", "PRIVATE KEY"), None, None


@kind("gcp-api-key", 6)
def _(rng):
    return "AIza" + rs(rng, B64URL, 35), N("google api key", "gcp api key", "maps api key", "firebase api key", "youtube api key"), None


@kind("facebook-token", 8)
def _(rng):
    if rng.random() < 0.5:
        return "EAA" + rs(rng, "ABCDGIJ", 1) + rs(rng, ALNUM, rng.choice([140, 180, 200])), N("facebook access token", "fb access token", "page access token", "fb token"), None
    return rs(rng, HEX, 32), N("facebook app secret", "fb app secret", "facebook secret"), (("facebook app id",), rs(rng, DIGITS, 15))


@kind("nuget-api-key", 5, ["nuget-push", "assign"])
def _(rng):
    return "oy2" + rs(rng, LOWER + DIGITS, 43), N("nuget api key", "nuget key"), None


@kind("snyk-token", 5)
def _(rng):
    return uuid(rng), N("snyk token", "snyk api token", "snyk auth token"), None


@kind("sonarqube-token", 6)
def _(rng):
    if rng.random() < 0.7:
        return rng.choice(["squ_", "sqp_", "sqa_"]) + rs(rng, HEX, 40), N("sonar token", "sonar login", "sonarqube token", "sonar auth token"), None
    return rs(rng, HEX, 40), N("sonar login", "sonar token"), None


@kind("sourcegraph-token", 5)
def _(rng):
    v = rng.choice([f"sgp_{rs(rng, HEX, 40)}", f"sgp_{rs(rng, HEX, 16)}_{rs(rng, HEX, 40)}", rs(rng, HEX, 40)])
    return v, N("src access token", "sourcegraph token", "sourcegraph access token"), None


@kind("sidekiq-credentials", 5, ["bundle-config", "bundler-env", "bundler-env"])
def _(rng):
    return f"{rs(rng, HEX, 8)}:{rs(rng, HEX, 8)}", N("bundle enterprise contribsys com", "bundle gems contribsys com"), None


@kind("particle-token", 5)
def _(rng):
    return rs(rng, HEX, 40), N("particle access token", "particle token"), None


@kind("blynk-token", 5)
def _(rng):
    return rs(rng, ALNUM + "-_", 32), N("blynk auth token", "blynk token", "blynk auth"), None


@kind("newrelic-key", 7)
def _(rng):
    t = rng.randrange(4)
    if t == 0:
        return "NRAK-" + rs(rng, UPPER + DIGITS, 27), N("new relic api key", "newrelic api key", "new relic user key"), None
    if t == 1:
        return rs(rng, HEX, 36) + "NRAL", N("new relic license key", "newrelic license key", "nr license key"), None
    if t == 2:
        return "NRII-" + rs(rng, B64URL, 32), N("new relic insert key", "newrelic insights insert key"), None
    return rs(rng, HEX, 40), N("new relic license key", "newrelic license key"), None


@kind("okta-token", 6)
def _(rng):
    return "00" + rs(rng, B64URL, 40), N("okta api token", "okta token", "okta client token"), (("okta org url",), f"https://{rs(rng, LOWER, 7)}.okta.com")


@kind("auth0-client-secret", 6)
def _(rng):
    return rs(rng, B64URL, 64), N("auth0 client secret", "auth0 secret"), (("auth0 domain",), f"{rs(rng, LOWER, 8)}.eu.auth0.com")


@kind("cloudflare-token", 6)
def _(rng):
    if rng.random() < 0.6:
        return rs(rng, B64URL, 40), N("cloudflare api token", "cf api token", "cloudflare token"), None
    return rs(rng, HEX, 37), N("cloudflare api key", "cf api key", "cloudflare global api key"), (("cloudflare email",), "ops@acme-corp.net")


@kind("hashicorp-vault-token", 6)
def _(rng):
    v = rng.choice([f"hvs.{rs(rng, B64URL, 91)}", f"hvs.{rs(rng, ALNUM, 24)}", f"hvb.{rs(rng, B64URL, 138)}", f"s.{rs(rng, ALNUM, 24)}"])
    return v, N("vault token", "vault auth token"), (("vault addr",), "https://vault.acme-corp.net:8200")


@kind("terraform-cloud-token", 5)
def _(rng):
    return f"{rs(rng, ALNUM, 14)}.atlasv1.{rs(rng, ALNUM, 67)}", N("tfe token", "atlas token", "tf token app terraform io", "terraform token"), None


@kind("github-token", 7)
def _(rng):
    if rng.random() < 0.25:
        return f"github_pat_11{rs(rng, UPPER + DIGITS, 20)}_{rs(rng, ALNUM, 59)}", N("github token", "gh token", "github pat"), None
    return crc_token(rng, rng.choice(["ghp_", "gho_", "ghs_", "ghu_"])), N("github token", "gh token", "github pat", "gh pat"), None


@kind("gitlab-token", 5)
def _(rng):
    return "glpat-" + rs(rng, B64URL, 20), N("gitlab token", "gitlab private token", "ci job token"), None


@kind("stripe-key", 6)
def _(rng):
    return rng.choice(["sk_live_", "rk_live_"]) + rs(rng, ALNUM, rng.choice([24, 99])), N("stripe secret key", "stripe api key", "stripe key"), None


@kind("sendgrid-key", 5)
def _(rng):
    return f"SG.{rs(rng, B64URL, 22)}.{rs(rng, B64URL, 43)}", N("sendgrid api key", "sendgrid key", "smtp password"), None


@kind("mailgun-key", 4)
def _(rng):
    return rng.choice([f"key-{rs(rng, HEX, 32)}", f"{rs(rng, HEX, 32)}-{rs(rng, HEX, 8)}-{rs(rng, HEX, 8)}"]), N("mailgun api key", "mailgun key"), None


@kind("npm-token", 5, ["npmrc", "assign"])
def _(rng):
    return crc_token(rng, "npm_"), N("npm token", "npm auth token"), None


@kind("pypi-token", 4, ["pypirc", "assign"])
def _(rng):
    # A version 2 binary macaroon, as PyPI issues them (pypi.org/help/#apitoken; libmacaroons
    # doc/format.txt: version byte, location "pypi.org", identifier, end of section, no
    # caveats, end of section, a 32-byte signature), base64url without padding. Random text
    # after the macaroon's first bytes, as this generator first wrote, is no issued token.
    # The same random draws as before, so the rest of the corpus is unchanged.
    raw = rs(rng, B64URL, rng.choice([60, 140])).encode()
    sig, ident = raw[:32], raw[32:]
    field = lambda t, d: bytes([t, len(d)]) + d
    mac = b"\x02" + field(1, b"pypi.org") + field(2, ident) + b"\x00\x00" + field(6, sig)
    value = "pypi-" + base64.urlsafe_b64encode(mac).decode().rstrip("=")
    return value, N("pypi token", "twine password", "pypi api token"), None


@kind("private-key", 10, ["pem-file", "pem-yaml", "pem-json", "pem-env", "pem-terraform"])
def _(rng):
    return private_key(rng), None, None


@kind("jwt", 5)
def _(rng):
    return jwt(rng, {"sub": rs(rng, DIGITS, 8), "role": rng.choice(["service", "admin"]), "iat": 1735689600 + rng.randrange(10 ** 7)}), N("service jwt", "access token", "id token", "auth jwt"), None


@kind("openai-key", 5)
def _(rng):
    return rng.choice([f"sk-proj-{rs(rng, B64URL, 156)}", f"sk-{rs(rng, ALNUM, 20)}T3BlbkFJ{rs(rng, ALNUM, 20)}", f"sk-svcacct-{rs(rng, B64URL, 156)}"]), N("openai api key", "openai key", "llm api key"), None


@kind("anthropic-key", 4)
def _(rng):
    return f"sk-ant-api03-{rs(rng, B64URL, 93)}AA", N("anthropic api key", "claude api key"), None


@kind("digitalocean-token", 4)
def _(rng):
    return rng.choice(["dop_v1_", "doo_v1_", "dor_v1_"]) + rs(rng, HEX, 64), N("digitalocean token", "do token", "digitalocean access token"), None


@kind("shopify-token", 4)
def _(rng):
    return rng.choice(["shpat_", "shpca_", "shppa_", "shpss_"]) + rs(rng, HEX, 32), N("shopify access token", "shopify api secret", "shopify token"), None


@kind("discord-webhook", 4)
def _(rng):
    return f"https://discord.com/api/webhooks/{rs(rng, DIGITS, 18)}/{rs(rng, B64URL, 68)}", N("discord webhook url", "discord webhook"), None


@kind("telegram-bot-token", 4)
def _(rng):
    return f"{rng.randrange(10 ** 8, 10 ** 10)}:AA{rs(rng, B64URL, 33)}", N("telegram bot token", "tg bot token", "telegram token"), None


@kind("datadog-key", 5)
def _(rng):
    if rng.random() < 0.6:
        return rs(rng, HEX, 32), N("dd api key", "datadog api key"), None
    return rs(rng, HEX, 40), N("dd app key", "datadog app key", "datadog application key"), None


@kind("heroku-api-key", 4)
def _(rng):
    return uuid(rng), N("heroku api key", "heroku token"), None


@kind("databricks-token", 4)
def _(rng):
    return "dapi" + rs(rng, HEX, 32) + rng.choice(["", "-2", "-3"]), N("databricks token", "databricks access token"), (("databricks host",), f"https://adb-{rs(rng, DIGITS, 16)}.4.azuredatabricks.net")


@kind("grafana-token", 4)
def _(rng):
    # glsa_: the suffix is the CRC-32 of "glsa_<secret>", least significant byte first
    # (Grafana's satokengen); random hex, as first written, is no issued token. The same
    # random draws as before.
    key = "glsa_" + rs(rng, ALNUM, 32)
    rs(rng, HEX, 8)
    glsa = key + "_" + crc32_le_hex(key)
    return rng.choice([glsa, "glc_" + b64(json.dumps({"o": rs(rng, DIGITS, 6), "n": "stack-token", "k": rs(rng, ALNUM, 24), "m": {"r": "eu"}}).encode()).rstrip("=")]), N("grafana token", "grafana api key", "grafana service account token"), None


# The long tail: one documented prefix or a provider's name beside a fixed-alphabet value.
LONG_PREFIXED = [
    ("linear", lambda r: "lin_api_" + rs(r, ALNUM, 40)), ("postman", lambda r: f"PMAK-{rs(r, HEX, 24)}-{rs(r, HEX, 34)}"),
    ("doppler", lambda r: "dp.st." + rs(r, ALNUM, 40)), ("pulumi", lambda r: "pul-" + rs(r, HEX, 40)),
    ("contentful", lambda r: "CFPAT-" + rs(r, B64URL, 43)), ("netlify", lambda r: "nfp_" + rs(r, ALNUM, 36)),
    ("supabase", lambda r: "sbp_" + rs(r, HEX, 40)), ("figma", lambda r: "figd_" + rs(r, B64URL, 40)),
    ("notion", lambda r: "ntn_" + rs(r, DIGITS, 11) + rs(r, ALNUM, 35)), ("age", lambda r: "AGE-SECRET-KEY-1" + rs(r, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
    ("rubygems", lambda r: "rubygems_" + rs(r, HEX, 48)), ("dynatrace", lambda r: f"dt0c01.{rs(r, UPPER + DIGITS, 24)}.{rs(r, UPPER + DIGITS, 64)}"),
    ("prefect", lambda r: "pnu_" + rs(r, ALNUM, 36)), ("readme", lambda r: "rdme_" + rs(r, HEX, 70)),
    ("tailscale", lambda r: f"tskey-api-{rs(r, ALNUM, 16)}-{rs(r, ALNUM, 32)}"), ("buildkite", lambda r: "bkua_" + rs(r, HEX, 40)),
    ("planetscale", lambda r: "pscale_pw_" + rs(r, B64URL, 43)), ("square", lambda r: "EAAA" + rs(r, B64URL, 60)),
    ("shippo", lambda r: "shippo_live_" + rs(r, HEX, 40)), ("mapbox", lambda r: "sk.eyJ1Ijoi" + rs(r, B64URL, 50) + "." + rs(r, B64URL, 22)),
    ("huggingface", lambda r: "hf_" + rs(r, ALNUM, 34)), ("replicate", lambda r: "r8_" + rs(r, ALNUM, 37)),
    ("flyio", lambda r: "fo1_" + rs(r, B64URL, 43)), ("circleci", lambda r: "CCIPAT_" + rs(r, ALNUM, 22) + "_" + rs(r, HEX, 40)),
]
LONG_KEYWORD = [
    ("algolia", "algolia admin key", lambda r: rs(r, HEX, 32)), ("mailchimp", "mailchimp api key", lambda r: rs(r, HEX, 32) + "-us" + str(r.randrange(1, 21))),
    ("pagerduty", "pagerduty token", lambda r: rs(r, B64URL, 20)), ("zendesk", "zendesk api token", lambda r: rs(r, ALNUM, 40)),
    ("airtable", "airtable api key", lambda r: "pat" + rs(r, ALNUM, 14) + "." + rs(r, HEX, 64)), ("asana", "asana access token", lambda r: f"1/{rs(r, DIGITS, 16)}:{rs(r, HEX, 32)}"),
    ("bitbucket", "bitbucket app password", lambda r: "ATBB" + rs(r, ALNUM, 28)), ("circleci", "circle token", lambda r: rs(r, HEX, 40)),
    ("travis", "travis token", lambda r: rs(r, B64URL, 22)), ("rollbar", "rollbar access token", lambda r: rs(r, HEX, 32)),
    ("sentry", "sentry auth token", lambda r: "sntrys_" + rs(r, B64URL, 120)), ("pusher", "pusher secret", lambda r: rs(r, HEX, 20)),
    ("mapquest", "mapquest key", lambda r: rs(r, ALNUM, 32)), ("openweather", "openweathermap api key", lambda r: rs(r, HEX, 32)),
    ("segment", "segment write key", lambda r: rs(r, ALNUM, 32)), ("mixpanel", "mixpanel api secret", lambda r: rs(r, HEX, 32)),
]


@kind("longtail-prefixed", 20)
def _(rng):
    prov, fn = rng.choice(LONG_PREFIXED)
    return fn(rng), [(prov, "token"), (prov, "api", "key"), (prov, "key")], None


@kind("longtail-keyword", 14)
def _(rng):
    prov, name, fn = rng.choice(LONG_KEYWORD)
    return fn(rng), [tuple(name.split())], None


# ---------------------------------------------------------------------------------------
# Names in each language's habits.
def scream(p): return "_".join(p).upper()
def snake(p): return "_".join(p)
def camel(p): return p[0] + "".join(w.capitalize() for w in p[1:])
def pascal(p): return "".join(w.capitalize() for w in p)
def dotted(p): return ".".join(p)
def kebab(p): return "-".join(p)


FILLER = [(("log", "level"), "info"), (("port",), "8080"), (("region",), "eu-west-1"), (("timeout", "seconds"), "30"),
          (("feature", "flags"), "search,export"), (("app", "env"), "production"), (("max", "connections"), "50"),
          (("cache", "ttl"), "300"), (("service", "name"), "billing-api"), (("retry", "count"), "3")]


def entries_for(rng, name, value, ctx):
    """The assignments of a host file: some benign settings, the context line (if any) and
    the secret, in a plausible order."""
    before = rng.sample(FILLER, rng.randrange(1, 4))
    after = rng.sample([f for f in FILLER if f not in before], rng.randrange(0, 3))
    mid = ([(tuple(" ".join(ctx[0]).split()), ctx[1])] if ctx else []) + [(name, value)]
    return before + mid + after


def has(v, chars):
    return any(c in v for c in chars)


def q_yaml(rng, v):
    """A YAML scalar as a person writes it: plain when it can be, else quoted."""
    plain_ok = not (has(v, ":#{}[],&*!|>'\"%@`") or v[:1] in "-? " or v != v.strip() or v.lower() in ("yes", "no", "true", "false", "null", "on", "off")
                    or v.replace(".", "").isdigit())
    r = rng.random()
    if plain_ok and r < 0.55:
        return v
    if "'" not in v and (r < 0.8 or has(v, '"\\')):
        return f"'{v}'"
    if not has(v, '"\\'):
        return f'"{v}"'
    return "'" + v.replace("'", "''") + "'"


def q_dq(v):
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def q_sq_or_dq(rng, v):
    if "'" not in v and "\\" not in v and (rng.random() < 0.5 or '"' in v):
        return f"'{v}'"
    return q_dq(v)


def q_shell(rng, v):
    if "'" not in v:
        return rng.choice([f"'{v}'", f"'{v}'", f'"{v}"' if not has(v, '"$`\\!') else f"'{v}'",
                           v if not has(v, " '\"$`\\!&;|<>()*?#~{}[]") else f"'{v}'"])
    return '"' + "".join("\\" + c if c in '"$`\\' else c for c in v) + '"'


def comment(rng, lead):
    return lead + " " + rng.choice(["TODO move to vault", "prod values", "see ops wiki", "rotated 2024-03",
                                    "do not commit (oops)", "temporary", "shared with the QA team", "from the onboarding doc"])


# Each assignment host: (style, path, renderer, characters it cannot hold verbatim).
# A renderer takes (rng, entries) and returns the text; a value is written verbatim
# (needle == value) unless a host escapes it, which the `bad` set avoids.
def r_dotenv(rng, es):
    out = ["# " + rng.choice(["local overrides", "environment for docker", "copied from prod"])]
    for n, v in es:
        if not has(v, ' #$"') and rng.random() < 0.7:
            out.append(f"{scream(n)}={v}")
        elif not has(v, '"$'):
            out.append(f'{scream(n)}="{v}"')
        else:
            out.append(f"{scream(n)}='{v}'")
    return "\n".join(out) + "\n"


def r_envrc(rng, es):
    out = ["# direnv: loaded for this project", "use nix" if rng.random() < 0.3 else "layout python3"]
    out += [f"export {scream(n)}={q_shell(rng, v)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_shell(rng, es):
    out = ["#!/usr/bin/env bash", "set -euo pipefail", ""]
    for n, v in es:
        out.append(f"{'export ' if rng.random() < 0.6 else ''}{scream(n)}={q_shell(rng, v)}")
    out += ["", "./bin/migrate --env \"$APP_ENV\"", "exec ./bin/server"]
    return "\n".join(out) + "\n"


def r_properties(rng, es):
    sep = rng.choice(["=", " = ", ": "])
    out = ["# Application properties", f"spring.application.name=billing"]
    for n, v in es:
        key = ("spring.datasource." + n[-1]) if n[-1] in ("password", "username") and rng.random() < 0.4 else dotted(n)
        out.append(f"{key}{sep}{v}")
    return "\n".join(out) + "\n"


def r_gradle_props(rng, es):
    out = ["org.gradle.jvmargs=-Xmx2g", "android.useAndroidX=true"]
    out += [f"{camel(n)}={v}" for n, v in es]
    return "\n".join(out) + "\n"


def r_yaml_nested(rng, es):
    out = ["# application.yml", "server:", "  port: 8080", "app:"]
    for n, v in es:
        if len(n) > 1 and rng.random() < 0.5:
            out.append(f"  {n[0]}:")
            out.append(f"    {'_'.join(n[1:])}: {q_yaml(rng, v)}")
        else:
            out.append(f"  {rng.choice([snake, kebab, camel])(n)}: {q_yaml(rng, v)}")
    return "\n".join(out) + "\n"


def r_compose_list(rng, es):
    out = ["version: \"3.8\"", "services:", "  api:", "    image: registry.acme-corp.net/api:1.14.2", "    ports:", "      - \"8080:8080\"", "    environment:"]
    for n, v in es:
        out.append(f"      - {scream(n)}={v}" if not has(v, "\"'#") or rng.random() < 0.5 else f"      - \"{scream(n)}={v}\"")
    out += ["    depends_on:", "      - db"]
    return "\n".join(out) + "\n"


def r_compose_map(rng, es):
    out = ["services:", "  worker:", "    build: .", "    restart: unless-stopped", "    environment:"]
    out += [f"      {scream(n)}: {q_yaml(rng, v)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_k8s_env(rng, es):
    out = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: billing", "spec:", "  template:", "    spec:",
           "      containers:", "        - name: app", "          image: billing:2.3.1", "          env:"]
    for n, v in es:
        out += [f"            - name: {scream(n)}", f"              value: {q_yaml(rng, v) if not v.isdigit() else chr(34) + v + chr(34)}"]
    return "\n".join(out) + "\n"


def r_helm(rng, es):
    out = ["replicaCount: 2", "image:", "  repository: acme/billing", "  tag: \"2.3.1\"", "config:"]
    out += [f"  {camel(n)}: {q_yaml(rng, v)}" for n, v in es]
    out += ["resources:", "  limits:", "    memory: 512Mi"]
    return "\n".join(out) + "\n"


def r_gha(rng, es):
    out = ["name: deploy", "on:", "  push:", "    branches: [main]", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:"]
    out += [f"      {scream(n)}: {q_yaml(rng, v)}" for n, v in es]
    out += ["    steps:", "      - uses: actions/checkout@v4", "      - run: make deploy"]
    return "\n".join(out) + "\n"


def r_gitlab(rng, es):
    out = ["stages: [test, deploy]", "variables:"]
    out += [f"  {scream(n)}: {q_yaml(rng, v)}" for n, v in es]
    out += ["deploy:", "  stage: deploy", "  script:", "    - ./deploy.sh"]
    return "\n".join(out) + "\n"


def r_circleci(rng, es):
    out = ["version: 2.1", "jobs:", "  build:", "    docker:", "      - image: cimg/python:3.12", "    environment:"]
    out += [f"      {scream(n)}: {q_yaml(rng, v)}" for n, v in es]
    out += ["    steps:", "      - checkout", "      - run: pytest"]
    return "\n".join(out) + "\n"


def r_ansible(rng, es):
    out = ["---", "# group_vars/prod.yml"]
    out += [f"{snake(n)}: {q_yaml(rng, v)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_configmap(rng, es):
    out = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: app-config", "data:"]
    out += [f"  {scream(n)}: {q_yaml(rng, v) if not v.isdigit() else chr(34) + v + chr(34)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_serverless(rng, es):
    out = ["service: orders", "provider:", "  name: aws", "  runtime: nodejs20.x", "  environment:"]
    out += [f"    {scream(n)}: {q_yaml(rng, v)}" for n, v in es]
    out += ["functions:", "  handler:", "    handler: src/handler.main"]
    return "\n".join(out) + "\n"


def r_appsettings_xml(rng, es):
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <appSettings>"]
    out += [f'    <add key="{pascal(n)}" value="{v}" />' for n, v in es]
    out += ["  </appSettings>", "  <system.web>", '    <compilation debug="false" targetFramework="4.8" />', "  </system.web>", "</configuration>"]
    return "\n".join(out) + "\n"


def r_xml_elements(rng, es):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<settings>", "  <service>"]
    out += [f"    <{camel(n)}>{v}</{camel(n)}>" for n, v in es]
    out += ["  </service>", "</settings>"]
    return "\n".join(out) + "\n"


def r_spring_beans(rng, es):
    out = ['<beans xmlns="http://www.springframework.org/schema/beans">', '  <bean id="dataSource" class="com.zaxxer.hikari.HikariDataSource">']
    out += [f'    <property name="{camel(n)}" value="{v}"/>' for n, v in es]
    out += ["  </bean>", "</beans>"]
    return "\n".join(out) + "\n"


def r_json(rng, es):
    d = {"Logging": {"LogLevel": {"Default": "Information"}}, "AllowedHosts": "*", "App": {}}
    for n, v in es:
        d["App"][pascal(n)] = v
    return json.dumps(d, indent=2) + "\n"


def r_json_flat(rng, es):
    return json.dumps({camel(n): v for n, v in es}, indent=rng.choice([2, 4])) + "\n"


def r_toml(rng, es):
    out = ["[server]", "host = \"0.0.0.0\"", "", "[service]"]
    out += [f"{snake(n)} = {q_dq(v) if rng.random() < 0.7 or chr(39) in v else chr(39) + v + chr(39)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_ini(rng, es):
    out = ["[general]", "debug = false", "", f"[{rng.choice(['database', 'service', 'credentials', 'api'])}]"]
    out += [f"{snake(n)} = {v}" for n, v in es]
    return "\n".join(out) + "\n"


def r_python(rng, es):
    out = ['"""Settings for the production environment."""', "import os", "", "DEBUG = False"]
    out += [f"{scream(n)} = {q_sq_or_dq(rng, v)}" for n, v in es]
    return "\n".join(out) + "\n"


def r_python_kwargs(rng, es):
    out = ["import requests", "", "", "def client():", "    return ApiClient("]
    out += [f"        {snake(n)}={q_sq_or_dq(rng, v)}," for n, v in es]
    out += ["    )"]
    return "\n".join(out) + "\n"


def r_js(rng, es):
    out = ["'use strict';", "", "module.exports = {"]
    out += [f"  {camel(n)}: {q_sq_or_dq(rng, v)}," for n, v in es]
    out += ["};"]
    return "\n".join(out) + "\n"


def r_ts(rng, es):
    out = ["export const environment = {", "  production: true,"]
    out += [f"  {camel(n)}: {q_sq_or_dq(rng, v)}," for n, v in es]
    out += ["};"]
    return "\n".join(out) + "\n"


def r_go(rng, es):
    out = ["package config", "", "const ("]
    out += [f"\t{pascal(n)} = {q_dq(v)}" for n, v in es]
    out += [")"]
    return "\n".join(out) + "\n"


def r_java(rng, es):
    out = ["package com.acme.billing;", "", "public final class Config {"]
    out += [f"    public static final String {scream(n)} = {q_dq(v)};" for n, v in es]
    out += ["    private Config() {}", "}"]
    return "\n".join(out) + "\n"


def r_kotlin(rng, es):
    out = ["package com.acme.app", "", "object Secrets {"]
    out += [f"    const val {scream(n)} = {q_dq(v)}" for n, v in es]
    out += ["}"]
    return "\n".join(out) + "\n"


def r_csharp(rng, es):
    out = ["namespace Acme.Billing", "{", "    internal static class Settings", "    {"]
    out += [f"        public const string {pascal(n)} = {q_dq(v)};" for n, v in es]
    out += ["    }", "}"]
    return "\n".join(out) + "\n"


def r_ruby(rng, es):
    out = ["# config/initializers/services.rb", "Rails.application.configure do"]
    out += [f"  config.x.{snake(n)} = {q_sq_or_dq(rng, v)}" for n, v in es]
    out += ["end"]
    return "\n".join(out) + "\n"


def r_php(rng, es):
    out = ["<?php", "// wp-config.php"]
    out += [f"define( '{scream(n)}', '{v}' );" for n, v in es]
    out += ["$table_prefix = 'wp_';"]
    return "\n".join(out) + "\n"


def r_rust(rng, es):
    out = ["//! Build-time settings."]
    out += [f"pub const {scream(n)}: &str = {q_dq(v)};" for n, v in es]
    return "\n".join(out) + "\n"


def r_swift(rng, es):
    out = ["import Foundation", "", "enum Keys {"]
    out += [f"    static let {camel(n)} = {q_dq(v)}" for n, v in es]
    out += ["}"]
    return "\n".join(out) + "\n"


def r_tfvars(rng, es):
    return "\n".join([f"{snake(n)} = {q_dq(v)}" for n, v in es]) + "\n"


def r_terraform(rng, es):
    out = ['terraform {', '  required_version = ">= 1.5"', '}', '', 'locals {']
    out += [f"  {snake(n)} = {q_dq(v)}" for n, v in es]
    out += ["}"]
    return "\n".join(out) + "\n"


def r_makefile(rng, es):
    op = rng.choice(["=", ":=", "?="])
    out = ["SHELL := /bin/bash", ".PHONY: deploy", ""]
    out += [f"{scream(n)} {op} {v}" for n, v in es]
    out += ["", "deploy:", "\t./scripts/deploy.sh"]
    return "\n".join(out) + "\n"


def r_dockerfile(rng, es):
    out = ["FROM python:3.12-slim", "WORKDIR /app", "COPY . ."]
    for n, v in es:
        out.append(f"{rng.choice(['ENV', 'ARG'])} {scream(n)}={q_dq(v) if has(v, ' ') or rng.random() < 0.3 else v}")
    out += ["RUN pip install -r requirements.txt", 'CMD ["python", "app.py"]']
    return "\n".join(out) + "\n"


def r_jenkins(rng, es):
    out = ["pipeline {", "  agent any", "  environment {"]
    out += [f"    {scream(n)} = '{v}'" for n, v in es]
    out += ["  }", "  stages {", "    stage('Deploy') { steps { sh './deploy.sh' } }", "  }", "}"]
    return "\n".join(out) + "\n"


def r_powershell(rng, es):
    out = ["# Deploy script", "$ErrorActionPreference = 'Stop'"]
    for n, v in es:
        out.append(f"$env:{scream(n)} = '{v}'" if rng.random() < 0.5 else f"${pascal(n)} = \"{v}\"")
    out += ["& .\\deploy.exe"]
    return "\n".join(out) + "\n"


def r_batch(rng, es):
    out = ["@echo off", "rem configure the service"]
    out += [f"set {scream(n)}={v}" for n, v in es]
    out += ["start service.exe"]
    return "\n".join(out) + "\n"


def r_notebook(rng, es):
    src = ["import pandas as pd\n"] + [f"{snake(n)} = {q_dq(v)}\n" for n, v in es]
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": src}],
          "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


def r_markdown(rng, es):
    out = ["# Billing service", "", "## Running locally", "", "Set these before `make run`:", "", "```bash"]
    out += [f"export {scream(n)}={v}" for n, v in es]
    out += ["```", ""]
    return "\n".join(out) + "\n"


def r_hcl(rng, es):
    out = ['job "billing" {', '  group "app" {', '    task "server" {', '      env {']
    out += [f"        {scream(n)} = {q_dq(v)}" for n, v in es]
    out += ["      }", "    }", "  }", "}"]
    return "\n".join(out) + "\n"


def r_systemd(rng, es):
    out = ["[Unit]", "Description=Billing API", "", "[Service]"]
    out += [f'Environment="{scream(n)}={v}"' for n, v in es]
    out += ["ExecStart=/opt/billing/bin/server", "", "[Install]", "WantedBy=multi-user.target"]
    return "\n".join(out) + "\n"


def r_docker_run(rng, es):
    out = ["#!/bin/sh", "docker run -d --name billing \\"]
    out += [f"  -e {scream(n)}={q_shell(rng, v)} \\" for n, v in es]
    out += ["  acme/billing:latest"]
    return "\n".join(out) + "\n"


def r_cli_flags(rng, es):
    out = ["#!/bin/sh", "# nightly job", "./bin/sync \\"]
    for n, v in es:
        out.append(f"  --{kebab(n)}{rng.choice(['=', ' '])}{q_shell(rng, v)} \\")
    out += ["  --verbose"]
    return "\n".join(out) + "\n"


def r_android_strings(rng, es):
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<resources>", '    <string name="app_name">Acme</string>']
    out += [f'    <string name="{snake(n)}">{v}</string>' for n, v in es]
    out += ["</resources>"]
    return "\n".join(out) + "\n"


def r_plist(rng, es):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<plist version="1.0">', "<dict>"]
    for n, v in es:
        out += [f"\t<key>{scream(n)}</key>", f"\t<string>{v}</string>"]
    out += ["</dict>", "</plist>"]
    return "\n".join(out) + "\n"


def r_mycnf(rng, es):
    out = ["[client]", "host=127.0.0.1"]
    out += [f"{snake(n)}={v}" for n, v in es]
    return "\n".join(out) + "\n"


def r_log(rng, es):
    out = ["2025-03-02T10:14:03Z INFO  starting billing-api v2.3.1"]
    for n, v in es:
        out.append(f"2025-03-02T10:14:0{rng.randrange(4, 9)}Z DEBUG config loaded {snake(n)}={v}")
    out += ["2025-03-02T10:14:09Z INFO  listening on :8080"]
    return "\n".join(out) + "\n"


def r_supervisor(rng, es):
    env = ",".join(f'{scream(n)}="{v}"' for n, v in es)
    return f"[program:billing]\ncommand=/opt/billing/bin/server\nautostart=true\nenvironment={env}\n"


def r_groovy(rng, es):
    out = ["repositories {", "    maven {", '        url "https://nexus.acme-corp.net/repository/maven-releases/"', "        credentials {"]
    out += [f"            {camel(n)} = {q_sq_or_dq(rng, v)}" for n, v in es]
    out += ["        }", "    }", "}"]
    return "\n".join(out) + "\n"


def r_elixir(rng, es):
    out = ["import Config", "", "config :billing, Billing.Api,"]
    out += [f"  {snake(n)}: {q_dq(v)}," for n, v in es]
    out[-1] = out[-1].rstrip(",")
    return "\n".join(out) + "\n"


def r_hocon(rng, es):
    out = ["akka.loglevel = INFO", "billing {"]
    out += [f"  {camel(n)} = {q_dq(v)}" for n, v in es]
    out += ["}"]
    return "\n".join(out) + "\n"


def r_vagrant(rng, es):
    out = ['Vagrant.configure("2") do |config|', '  config.vm.box = "ubuntu/jammy64"']
    out += [f"  config.vm.provision \"shell\", env: {{ \"{scream(n)}\" => \"{v}\" }}, path: \"provision.sh\"" for n, v in es]
    out += ["end"]
    return "\n".join(out) + "\n"


def r_crontab(rng, es):
    out = ["SHELL=/bin/bash", "MAILTO=ops@acme-corp.net"]
    out += [f"{scream(n)}={v}" for n, v in es]
    out += ["15 2 * * * /opt/jobs/nightly.sh >> /var/log/nightly.log 2>&1"]
    return "\n".join(out) + "\n"


XML_BAD = "&<>\"'"
ASSIGN_HOSTS = [
    ("dotenv", ".env", r_dotenv, "'\n"), ("envrc", ".envrc", r_envrc, ""), ("shell", "scripts/deploy.sh", r_shell, ""),
    ("properties", "src/main/resources/application.properties", r_properties, "\\"), ("gradle-properties", "gradle.properties", r_gradle_props, "\\"),
    ("yaml-nested", "config/application.yml", r_yaml_nested, ""), ("compose-env-list", "docker-compose.yml", r_compose_list, ""),
    ("compose-env-map", "docker-compose.override.yml", r_compose_map, ""), ("k8s-deployment-env", "k8s/deployment.yaml", r_k8s_env, ""),
    ("helm-values", "charts/billing/values.yaml", r_helm, ""), ("github-actions", ".github/workflows/deploy.yml", r_gha, ""),
    ("gitlab-ci", ".gitlab-ci.yml", r_gitlab, ""), ("circleci", ".circleci/config.yml", r_circleci, ""),
    ("ansible-vars", "group_vars/prod.yml", r_ansible, ""), ("k8s-configmap", "k8s/configmap.yaml", r_configmap, ""),
    ("serverless", "serverless.yml", r_serverless, ""), ("xml-appsettings", "Web.config", r_appsettings_xml, XML_BAD),
    ("xml-elements", "conf/settings.xml", r_xml_elements, XML_BAD), ("spring-beans-xml", "src/main/webapp/WEB-INF/applicationContext.xml", r_spring_beans, XML_BAD),
    ("appsettings-json", "appsettings.Production.json", r_json, "\"\\"), ("json-flat", "config/secrets.json", r_json_flat, "\"\\"),
    ("toml", "config/settings.toml", r_toml, ""), ("ini", "config/app.ini", r_ini, ";#"), ("python-settings", "app/settings/prod.py", r_python, ""),
    ("python-kwargs", "app/clients.py", r_python_kwargs, ""), ("javascript", "config/production.js", r_js, ""),
    ("typescript", "src/environments/environment.prod.ts", r_ts, ""), ("go", "internal/config/keys.go", r_go, ""),
    ("java", "src/main/java/com/acme/billing/Config.java", r_java, ""), ("kotlin", "app/src/main/java/com/acme/app/Secrets.kt", r_kotlin, "$"),
    ("csharp", "src/Acme.Billing/Settings.cs", r_csharp, ""), ("ruby", "config/initializers/services.rb", r_ruby, "#"),
    ("php", "wp-config.php", r_php, "'\\"), ("rust", "src/keys.rs", r_rust, ""), ("swift", "App/Keys.swift", r_swift, "\\"),
    ("tfvars", "env/prod.tfvars", r_tfvars, "$"), ("terraform", "infra/main.tf", r_terraform, "$"), ("makefile", "Makefile", r_makefile, "$#"),
    ("dockerfile", "Dockerfile", r_dockerfile, "$\\"), ("jenkinsfile", "Jenkinsfile", r_jenkins, "'\\$"), ("powershell", "deploy/deploy.ps1", r_powershell, "'\"$`"),
    ("batch", "scripts/setenv.cmd", r_batch, "%&|<>^"), ("notebook", "notebooks/explore.ipynb", r_notebook, "\"\\"),
    ("markdown", "README.md", r_markdown, " '\"$`\\!&;|<>()"), ("hcl-nomad", "deploy/billing.nomad", r_hcl, "$%"),
    ("systemd", "deploy/billing.service", r_systemd, "\"%\\$ "), ("docker-run", "scripts/run.sh", r_docker_run, ""),
    ("cli-flags", "scripts/nightly.sh", r_cli_flags, ""), ("android-strings", "app/src/main/res/values/strings.xml", r_android_strings, XML_BAD),
    ("plist", "App/Info.plist", r_plist, XML_BAD), ("my-cnf", ".my.cnf", r_mycnf, "#;"), ("log", "logs/app.log", r_log, ""),
    ("supervisor", "deploy/supervisord.conf", r_supervisor, "\"%,"), ("gradle-groovy", "build.gradle", r_groovy, "$"),
    ("elixir", "config/runtime.exs", r_elixir, "#"), ("hocon", "conf/application.conf", r_hocon, "$"),
    ("vagrant", "Vagrantfile", r_vagrant, "\"\\#"), ("crontab", "deploy/crontab", r_crontab, "%"),
]


def locate(text, needle):
    i = text.index(needle)
    first = text[:i].count("\n") + 1
    return first, first + needle.count("\n")


def assign_file(rng, kname, value, names, ctx, hosts=None):
    name = rng.choice(names)
    fits = [h for h in (hosts or ASSIGN_HOSTS) if not has(value, h[3])]
    style, path, render, _bad = rng.choice(fits)
    es = entries_for(rng, name, value, ctx)
    text = render(rng, es)
    # A host that quotes (JSON, a Python string) writes the value verbatim: the `bad` set
    # kept out every character it would escape.
    return style, path, text, value


# ---------------------------------------------------------------------------------------
# Structured hosts: the kind's usual home.
def s_aws_ini(rng, kname, value, ctx):
    kid = ctx[1]
    prof = rng.choice(["default", "prod", "deploy", "ci"])
    lines = [f"[{prof}]", f"aws_access_key_id = {kid}"]
    if kname == "aws-session-token":
        lines += [f"aws_secret_access_key = {aws_secret(rng)}", f"aws_session_token = {value}"]
    else:
        lines += [f"aws_secret_access_key={value}" if rng.random() < 0.3 else f"aws_secret_access_key = {value}"]
    lines += ["region = eu-west-1", ""]
    return "aws-credentials-ini", rng.choice([".aws/credentials", "deploy/aws-credentials", "credentials"]), "\n".join(lines), value


def s_aws_sts(rng, kname, value, ctx):
    secret = value if kname == "aws-secret-access-key" else aws_secret(rng)
    tok = value if kname == "aws-session-token" else session_token(rng)
    d = {"Credentials": {"AccessKeyId": aws_key_id(rng, "ASIA"), "SecretAccessKey": secret, "SessionToken": tok,
                         "Expiration": "2025-06-01T12:00:00+00:00"},
         "AssumedRoleUser": {"AssumedRoleId": "AROA" + rs(rng, B32, 17) + ":ci", "Arn": "arn:aws:sts::123456789012:assumed-role/deploy/ci"}}
    return "aws-sts-json", rng.choice(["tmp/assume-role.json", "creds.json"]), json.dumps(d, indent=4) + "\n", value


def s_curl(style):
    def f(rng, kname, value, ctx):
        url = rng.choice(["https://api.acme-corp.net/v1/reports", "https://nexus.acme-corp.net/service/rest/v1/components?repository=raw",
                          "https://jenkins.acme-corp.net/job/deploy/buildWithParameters", "https://registry.acme-corp.net/v2/_catalog"])
        flag = rng.choice(["-u", "--user", "-u"])
        arg = rng.choice([value, f"'{value}'", f'"{value}"'])
        cmd = f"curl -fsS {flag} {arg} {url}" if rng.random() < 0.5 else f"curl -X POST {flag} {arg} -F file=@build/report.zip {url}"
        if style == "curl-shell":
            return style, "scripts/upload.sh", f"#!/bin/sh\nset -e\n# upload the nightly report\n{cmd}\necho done\n", value
        if style == "curl-makefile":
            return style, "Makefile", f".PHONY: publish\n\nbuild:\n\tgo build ./...\n\npublish: build\n\t{cmd}\n", value
        if style == "curl-ci":
            return style, ".github/workflows/publish.yml", f"name: publish\non: [push]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Upload\n        run: {cmd}\n", value
        if style == "curl-dockerfile":
            return style, "Dockerfile", f"FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN {cmd.replace('-X POST', '-o /tmp/x').replace(' -F file=@build/report.zip', '')}\nCMD [\"/bin/sh\"]\n", value
        return style, "docs/upload.md", f"# Uploading reports\n\nRun:\n\n```sh\n{cmd}\n```\n", value
    return f


def s_header(style):
    def f(rng, kname, value, ctx):
        url = rng.choice(["https://api.acme-corp.net/v2/orders", "https://internal.acme-corp.net/admin/metrics"])
        if style == "curl-header-shell":
            return style, "scripts/call-api.sh", f"#!/usr/bin/env bash\ncurl -sS \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Authorization: {value}\" \\\n  {url}\n", value
        if style == "http-file":
            return style, "requests/orders.http", f"### list orders\nGET {url}\nAccept: application/json\nAuthorization: {value}\n\n###\n", value
        if style == "nginx-header":
            return style, "deploy/nginx/upstream.conf", f"location /api/ {{\n    proxy_pass https://backend.internal;\n    proxy_set_header Authorization \"{value}\";\n    proxy_set_header Host $host;\n}}\n", value
        if style == "python-requests":
            return style, "tools/fetch.py", f"import requests\n\nHEADERS = {{\n    \"Accept\": \"application/json\",\n    \"Authorization\": \"{value}\",\n}}\n\nresp = requests.get(\"{url}\", headers=HEADERS, timeout=10)\n", value
        if style == "js-fetch":
            return style, "src/api.js", f"export async function orders() {{\n  const res = await fetch('{url}', {{\n    headers: {{ Authorization: '{value}' }},\n  }});\n  return res.json();\n}}\n", value
        coll = {"info": {"name": "Orders"}, "item": [{"name": "list", "request": {"method": "GET", "url": url, "header": [{"key": "Authorization", "value": value}]}}]}
        return style, "postman/orders.postman_collection.json", json.dumps(coll, indent=2) + "\n", value
    return f


def s_k8s_secret(rng, kname, value, ctx):
    enc = b64(value.encode())
    key = rng.choice(["password", "DB_PASSWORD", "admin-password", "postgres-password", "SMTP_PASS"])
    other = b64(rng.choice(["app", "billing", "admin"]).encode())
    text = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {rng.choice(['db-credentials', 'app-secrets', 'smtp'])}\n  namespace: prod\n"
            f"type: Opaque\ndata:\n  username: {other}\n  {key}: {enc}\n")
    return "k8s-secret-data", rng.choice(["k8s/secret.yaml", "manifests/db-secret.yml"]), text, enc


def s_docker_config(rng, kname, value, ctx):
    reg = rng.choice(["registry.acme-corp.net", "https://index.docker.io/v1/", "ghcr.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"])
    d = {"auths": {reg: {"auth": value}}, "credHelpers": {}} if rng.random() < 0.5 else {"auths": {reg: {"auth": value, "email": "ci@acme-corp.net"}}}
    return "docker-config-json", ".docker/config.json", json.dumps(d, indent="\t") + "\n", value


def s_k8s_dockercfg(rng, kname, value, ctx):
    inner = json.dumps({"auths": {"registry.acme-corp.net": {"auth": value}}})
    enc = b64(inner.encode())
    text = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {enc}\n")
    return "k8s-dockerconfigjson", "k8s/regcred.yaml", text, enc


def kubeconfig(rng, user_lines):
    ca = b64(("-----BEGIN CERTIFICATE-----\n" + pem_body(rng, 600) + "\n-----END CERTIFICATE-----\n").encode())
    return (f"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: {ca}\n    server: https://10.0.0.1:6443\n"
            f"  name: prod\ncontexts:\n- context:\n    cluster: prod\n    user: deployer\n  name: prod\ncurrent-context: prod\n"
            f"users:\n- name: deployer\n  user:\n{user_lines}")


def s_kube_token(rng, kname, value, ctx):
    return "kubeconfig-token", rng.choice([".kube/config", "deploy/kubeconfig.yaml"]), kubeconfig(rng, f"    token: {value}\n"), value


def s_kube_key(rng, kname, value, ctx):
    cert = b64(("-----BEGIN CERTIFICATE-----\n" + pem_body(rng, 500) + "\n-----END CERTIFICATE-----\n").encode())
    return "kubeconfig-client-key", rng.choice([".kube/config", "ci/kubeconfig"]), kubeconfig(rng, f"    client-certificate-data: {cert}\n    client-key-data: {value}\n"), value


def s_gcp(rng, kname, value, ctx):
    proj = f"{rng.choice(['acme', 'billing', 'data'])}-{rs(rng, DIGITS, 6)}"
    d = {"type": "service_account", "project_id": proj, "private_key_id": rs(rng, HEX, 40), "private_key": value + "\n",
         "client_email": f"deployer@{proj}.iam.gserviceaccount.com", "client_id": rs(rng, DIGITS, 21),
         "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token"}
    text = json.dumps(d, indent=2) + "\n"
    needle = json.dumps(value + "\n")[1:-1]
    return "gcp-sa-json", rng.choice(["gcp-key.json", "secrets/service-account.json", "terraform/credentials.json"]), text, needle


def s_pem(style):
    def f(rng, kname, value, ctx):
        if style == "pem-file":
            return style, rng.choice(["id_rsa", "certs/server.key", "deploy/deploy_key.pem", ".ssh/id_ed25519"]), value + "\n", value
        if style == "pem-yaml":
            ind = "\n".join("    " + l for l in value.split("\n"))
            return style, "k8s/tls-secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\nstringData:\n  tls.key: |\n{ind}\n", ind.lstrip()
        if style == "pem-json":
            needle = json.dumps(value)[1:-1]
            return style, "config/signing.json", json.dumps({"issuer": "billing", "signingKey": value, "alg": "RS256"}, indent=2) + "\n", needle
        if style == "pem-env":
            needle = value.replace("\n", "\\n")
            return style, ".env.production", f"NODE_ENV=production\nJWT_PRIVATE_KEY=\"{needle}\"\nPORT=3000\n", needle
        return style, "infra/keys.tf", f"resource \"tls_locally_signed_cert\" \"x\" {{}}\n\nlocals {{\n  deploy_key = <<EOT\n{value}\nEOT\n}}\n", value
    return f


def s_nuget(rng, kname, value, ctx):
    if rng.random() < 0.5:
        return "nuget-push", "build/publish.ps1", f"dotnet pack -c Release\ndotnet nuget push .\\bin\\Release\\*.nupkg --api-key {value} --source https://api.nuget.org/v3/index.json\n", value
    return "nuget-push", "build.cake", f'Task("Publish").Does(() => {{\n    NuGetPush(package, new NuGetPushSettings {{\n        Source = "https://api.nuget.org/v3/index.json",\n        ApiKey = "{value}"\n    }});\n}});\n', value


def s_bundle(rng, kname, value, ctx):
    h = rng.choice(["ENTERPRISE__CONTRIBSYS__COM", "GEMS__CONTRIBSYS__COM"])
    return "bundle-config", ".bundle/config", f"---\nBUNDLE_PATH: \"vendor/bundle\"\nBUNDLE_{h}: \"{value}\"\n", value


def s_npmrc(rng, kname, value, ctx):
    return "npmrc", ".npmrc", f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={value}\nsave-exact=true\n", value


def s_pypirc(rng, kname, value, ctx):
    return "pypirc", ".pypirc", f"[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = {value}\n", value


def s_hadoop(rng, kname, value, ctx):
    """Hadoop-style XML: the property's name and its value on separate lines."""
    name = "fs.s3a.secret.key" if kname.startswith("aws") else rng.choice(["javax.jdo.option.ConnectionPassword", "hadoop.security.keystore.password",
                                                                           "ssl.server.keystore.password", "hive.server2.ldap.password"])
    pre = ("  <property>\n    <name>fs.s3a.access.key</name>\n    <value>" + aws_key_id(rng) + "</value>\n  </property>\n") if kname.startswith("aws") else ""
    text = ('<?xml version="1.0"?>\n<configuration>\n  <property>\n    <name>fs.defaultFS</name>\n    <value>hdfs://nn1:8020</value>\n  </property>\n'
            + pre + f"  <property>\n    <name>{name}</name>\n    <value>{value}</value>\n  </property>\n</configuration>\n")
    return "hadoop-xml", rng.choice(["conf/core-site.xml", "conf/hive-site.xml"]), text, value


def s_maven(rng, kname, value, ctx):
    text = ("<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>" + user(rng) + "</username>\n"
            f"      <password>{value}</password>\n    </server>\n  </servers>\n</settings>\n")
    return "maven-settings", ".m2/settings.xml", text, value


def s_nuget_config(rng, kname, value, ctx):
    text = ('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="internal" value="https://pkgs.acme-corp.net/nuget/v3/index.json" />\n'
            "  </packageSources>\n  <packageSourceCredentials>\n    <internal>\n      <add key=\"Username\" value=\"" + user(rng) + "\" />\n"
            f'      <add key="ClearTextPassword" value="{value}" />\n    </internal>\n  </packageSourceCredentials>\n</configuration>\n')
    return "nuget-config", "NuGet.Config", text, value


def s_netrc(rng, kname, value, ctx):
    h = rng.choice(["api.heroku.com", "nexus.acme-corp.net", "ftp.acme-corp.net", "github.com"])
    if rng.random() < 0.5:
        text = f"machine {h}\n  login {user(rng)}\n  password {value}\n"
    else:
        text = f"machine {h} login {user(rng)} password {value}\n"
    return "netrc", ".netrc", text, value


def s_git_credentials(rng, kname, value, ctx):
    h = rng.choice(["github.com", "gitlab.acme-corp.net", "bitbucket.org", "dev.azure.com"])
    return "git-credentials", ".git-credentials", f"https://{user(rng)}:{value}@{h}\n", value


def s_pgpass(rng, kname, value, ctx):
    return "pgpass", ".pgpass", f"# hostname:port:database:username:password\n{host(rng)}:5432:*:{user(rng)}:{value}\n", value


def s_pip_conf(rng, kname, value, ctx):
    text = f"[global]\ntimeout = 60\nindex-url = https://{user(rng)}:{value}@pypi.acme-corp.net/simple/\n"
    return "pip-conf", "pip.conf", text, value


def s_composer_auth(rng, kname, value, ctx):
    d = {"http-basic": {"repo.acme-corp.net": {"username": user(rng), "password": value}}}
    return "composer-auth", "auth.json", json.dumps(d, indent=4) + "\n", value


def s_cli_password(rng, kname, value, ctx):
    u = user(rng)
    cmd = rng.choice([f"mysql -h {host(rng)} -u {u} -p{value} orders < dump.sql",
                      f"docker login registry.acme-corp.net -u {u} -p {value}",
                      f"PGPASSWORD={value} psql -h {host(rng)} -U {u} -d app -f migrate.sql",
                      f"sshpass -p {value} ssh {u}@{host(rng)} 'sudo systemctl restart billing'",
                      f"helm upgrade --install db bitnami/postgresql --set auth.postgresPassword={value}",
                      f"mongosh \"mongodb://{host(rng)}:27017\" --username {u} --password {value}",
                      f"az login --service-principal -u http://deploy -p {value} --tenant acme-corp.net"])
    return "cli-password", rng.choice(["scripts/restore.sh", "ops/runbook.sh"]), f"#!/bin/bash\nset -e\n# restore the nightly dump\n{cmd}\n", value


def s_spring_yaml(rng, kname, value, ctx):
    text = ("spring:\n  application:\n    name: billing\n  datasource:\n    url: jdbc:postgresql://db:5432/billing\n    username: " + user(rng)
            + f"\n    password: {q_yaml(rng, value)}\n  jpa:\n    open-in-view: false\n")
    return "spring-yaml", "src/main/resources/application-prod.yml", text, value


def s_k8s_stringdata_file(rng, kname, value, ctx):
    text = ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-config\ntype: Opaque\nstringData:\n  application.properties: |\n"
            "    server.port=8080\n    db.user=" + user(rng) + f"\n    db.password={value}\n    db.pool.size=10\n")
    return "k8s-stringdata-file", "k8s/app-config-secret.yaml", text, value


def s_yaml_commented(rng, kname, value, ctx):
    c = rng.choice(["# rotated 2024-11", "# TODO: move to vault", "# ask ops before changing", "# same as staging"])
    text = ("# database settings\ndatabase:\n  host: " + host(rng) + "\n  port: 5432\n  user: " + user(rng)
            + f"\n  password: {q_yaml(rng, value)}  {c}\n  pool: 10\n")
    return "yaml-commented", "config/database.yml", text, value


def s_htpasswd_cli(rng, kname, value, ctx):
    u = user(rng)
    text = f"#!/bin/sh\n# create the basic-auth file for the staging proxy\nhtpasswd -b -c /etc/nginx/.htpasswd {u} {value}\nnginx -s reload\n"
    return "htpasswd-cli", "deploy/make-htpasswd.sh", text, value


def s_bundler_env(rng, kname, value, ctx):
    """Bundler's documented variable for a source's credentials: BUNDLE_ and the host with
    each dot as a double underscore (its exact spelling; recasing would break it)."""
    var = f"BUNDLE_{rng.choice(['GEMS', 'ENTERPRISE'])}__CONTRIBSYS__COM"
    t = rng.randrange(4)
    if t == 0:
        return "bundler-env", ".env", f"RAILS_ENV=production\n{var}={value}\n", value
    if t == 1:
        return "bundler-env", "Dockerfile", f"FROM ruby:3.3\nARG {var}={value}\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\n", value
    if t == 2:
        return "bundler-env", ".github/workflows/test.yml", f"name: test\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      {var}: {value}\n    steps:\n      - uses: actions/checkout@v4\n      - run: bundle install\n", value
    return "bundler-env", "bin/ci", f"#!/bin/sh\nexport {var}={value}\nbundle install --jobs 4\n", value


STRUCTURED = {
    "aws-credentials-ini": s_aws_ini, "aws-sts-json": s_aws_sts,
    **{s: s_curl(s) for s in ["curl-shell", "curl-makefile", "curl-ci", "curl-markdown", "curl-dockerfile"]},
    **{s: s_header(s) for s in ["curl-header-shell", "http-file", "nginx-header", "python-requests", "js-fetch", "postman-json"]},
    "k8s-secret-data": s_k8s_secret, "docker-config-json": s_docker_config, "k8s-dockerconfigjson": s_k8s_dockercfg,
    "kubeconfig-token": s_kube_token, "kubeconfig-client-key": s_kube_key, "gcp-sa-json": s_gcp,
    **{s: s_pem(s) for s in ["pem-file", "pem-yaml", "pem-json", "pem-env", "pem-terraform"]},
    "nuget-push": s_nuget, "bundle-config": s_bundle, "npmrc": s_npmrc, "pypirc": s_pypirc,
    "hadoop-xml": s_hadoop, "maven-settings": s_maven, "nuget-config": s_nuget_config, "netrc": s_netrc,
    "git-credentials": s_git_credentials, "pgpass": s_pgpass, "pip-conf": s_pip_conf, "composer-auth": s_composer_auth,
    "cli-password": s_cli_password, "spring-yaml": s_spring_yaml, "k8s-stringdata-file": s_k8s_stringdata_file,
    "yaml-commented": s_yaml_commented, "htpasswd-cli": s_htpasswd_cli, "bundler-env": s_bundler_env,
}
# Provider-native homes: where each provider's own documentation tells users to put the
# credential (its CLI, its config file, its HTTP header, its SDK's constructor).
def _sh(lines):
    return "#!/bin/sh\nset -e\n" + "\n".join(lines) + "\n"


NATIVE = {
    "snyk-token": [
        lambda r, v, c: ("snyk-cli", "scripts/scan.sh", _sh(["# authenticate the CLI in CI", f"snyk config set api={v}", "snyk test --severity-threshold=high"])),
        lambda r, v, c: ("snyk-auth", "ci/snyk.sh", _sh([f"snyk auth {v}", "snyk monitor --all-projects"])),
    ],
    "nuget-api-key": [
        lambda r, v, c: ("nuget-config-apikeys", "NuGet.Config", '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <apikeys>\n'
                         f'    <add key="https://api.nuget.org/v3/index.json" value="{v}" />\n  </apikeys>\n</configuration>\n'),
        lambda r, v, c: ("nuget-setapikey", "build/setup.cmd", f"@echo off\nnuget setapikey {v} -Source https://api.nuget.org/v3/index.json\n"),
    ],
    "sonarqube-token": [
        lambda r, v, c: ("sonar-project-properties", "sonar-project.properties", f"sonar.projectKey=acme_billing\nsonar.host.url=https://sonar.acme-corp.net\n"
                         f"sonar.{r.choice(['login', 'token'])}={v}\nsonar.sources=src\n"),
        lambda r, v, c: ("sonar-maven-cli", "ci/analyse.sh", _sh([f"mvn -B verify sonar:sonar -Dsonar.host.url=https://sonar.acme-corp.net -Dsonar.{r.choice(['login', 'token'])}={v}"])),
    ],
    "sourcegraph-token": [
        lambda r, v, c: ("src-cli", "tools/batch.sh", _sh(["export SRC_ENDPOINT=https://sourcegraph.acme-corp.net", f"export SRC_ACCESS_TOKEN={v}", "src batch apply -f spec.yaml"])),
        lambda r, v, c: ("header-token", "tools/query.sh", _sh([f"curl -H 'Authorization: token {v}' -d '{{\"query\":\"query {{ currentUser {{ username }} }}\"}}' https://sourcegraph.acme-corp.net/.api/graphql"])),
    ],
    "sidekiq-credentials": [
        lambda r, v, c: ("bundle-config-cli", "bin/setup", _sh(["gem install bundler", f"bundle config --local {r.choice(['gems', 'enterprise'])}.contribsys.com {v}", "bundle install"])),
        lambda r, v, c: ("gemfile-source", "Gemfile", f'source "https://rubygems.org"\n\ngem "rails", "~> 7.1"\n\nsource "https://{v}@gems.contribsys.com/" do\n  gem "sidekiq-pro"\nend\n'),
    ],
    "particle-token": [
        lambda r, v, c: ("particle-url", "scripts/devices.sh", _sh([f"curl https://api.particle.io/v1/devices?access_token={v}"])),
        lambda r, v, c: ("particle-header", "scripts/flash.sh", _sh([f"curl -X PUT https://api.particle.io/v1/devices/0123456789abcdef01234567 -H \"Authorization: Bearer {v}\" -F file=@firmware.bin"])),
    ],
    "blynk-token": [
        lambda r, v, c: ("arduino-define", "firmware/firmware.ino", f'#define BLYNK_TEMPLATE_ID "TMPL{rs(r, ALNUM, 8)}"\n#define BLYNK_TEMPLATE_NAME "Greenhouse"\n#define BLYNK_AUTH_TOKEN "{v}"\n\n#include <BlynkSimpleEsp32.h>\n'),
        lambda r, v, c: ("blynk-url", "scripts/pump.py", f'import requests\n\nrequests.get("https://blynk.cloud/external/api/update?token={v}&V1=1")\n'),
    ],
    "newrelic-key": [
        lambda r, v, c: ("newrelic-ini", "newrelic.ini", f"[newrelic]\nlicense_key = {v}\napp_name = Billing API\nmonitor_mode = true\n"),
        lambda r, v, c: ("newrelic-js", "newrelic.js", f"'use strict'\nexports.config = {{\n  app_name: ['billing'],\n  license_key: '{v}',\n  logging: {{ level: 'info' }}\n}}\n"),
    ],
    "okta-token": [
        lambda r, v, c: ("okta-ssws-header", "scripts/okta-users.sh", _sh([f"curl -s -H \"Accept: application/json\" -H \"Authorization: SSWS {v}\" https://{rs(r, LOWER, 7)}.okta.com/api/v1/users?limit=25"])),
        lambda r, v, c: ("okta-yaml", ".okta/okta.yaml", f"okta:\n  client:\n    orgUrl: https://{rs(r, LOWER, 7)}.okta.com\n    token: {v}\n"),
    ],
    "auth0-client-secret": [
        lambda r, v, c: ("auth0-token-request", "scripts/m2m-token.sh", _sh([f"curl --request POST --url https://{rs(r, LOWER, 8)}.us.auth0.com/oauth/token --header 'content-type: application/json' "
                                                                              f"--data '{{\"client_id\":\"{rs(r, ALNUM, 32)}\",\"client_secret\":\"{v}\",\"audience\":\"https://api.acme-corp.net\",\"grant_type\":\"client_credentials\"}}'"])),
    ],
    "cloudflare-token": [
        lambda r, v, c: ("cloudflare-header", "scripts/purge.sh", _sh([f"curl -X POST https://api.cloudflare.com/client/v4/zones/{rs(r, HEX, 32)}/purge_cache -H \"Authorization: Bearer {v}\" --data '{{\"purge_everything\":true}}'"])),
        lambda r, v, c: ("cloudflare-auth-key", "scripts/dns.sh", _sh([f"curl https://api.cloudflare.com/client/v4/zones -H \"X-Auth-Email: ops@acme-corp.net\" -H \"X-Auth-Key: {v}\""])),
    ],
    "hashicorp-vault-token": [
        lambda r, v, c: ("vault-header", "scripts/read-secret.sh", _sh([f"curl -s --header \"X-Vault-Token: {v}\" https://vault.acme-corp.net:8200/v1/secret/data/billing"])),
        lambda r, v, c: ("vault-login", "scripts/vault-env.sh", _sh(["export VAULT_ADDR=https://vault.acme-corp.net:8200", f"vault login {v}"])),
    ],
    "terraform-cloud-token": [
        lambda r, v, c: ("tfrc-json", ".terraform.d/credentials.tfrc.json", json.dumps({"credentials": {"app.terraform.io": {"token": v}}}, indent=2) + "\n"),
        lambda r, v, c: ("terraformrc", ".terraformrc", f'credentials "app.terraform.io" {{\n  token = "{v}"\n}}\n'),
    ],
    "twilio-auth-token": [
        lambda r, v, c: ("twilio-python", "notify/sms.py", f"from twilio.rest import Client\n\naccount_sid = '{c[1]}'\nauth_token = '{v}'\nclient = Client(account_sid, auth_token)\n"),
        lambda r, v, c: ("twilio-curl", "scripts/sms.sh", _sh([f"curl -X POST https://api.twilio.com/2010-04-01/Accounts/{c[1]}/Messages.json --data-urlencode 'Body=deploy done' -u {c[1]}:{v}"])),
    ],
    "slack-webhook": [
        lambda r, v, c: ("slack-webhook-curl", "scripts/notify.sh", _sh([f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"Deploy finished\"}}' {v}"])),
    ],
    "slack-bot-token": [
        lambda r, v, c: ("slack-bolt", "bot/app.py", f'from slack_bolt import App\n\napp = App(\n    token="{v}",\n    signing_secret="{rs(r, HEX, 32)}",\n)\n'),
    ],
    "facebook-token": [
        lambda r, v, c: ("graph-url", "scripts/page-posts.sh", _sh([f"curl -s 'https://graph.facebook.com/v19.0/me/feed?access_token={v}'"])),
    ],
    "gcp-api-key": [
        lambda r, v, c: ("google-key-url", "src/geocode.js", f"const url = `https://maps.googleapis.com/maps/api/geocode/json?address=${{encodeURIComponent(q)}}&key={v}`;\n"),
    ],
    "azure-storage-key": [
        lambda r, v, c: ("az-cli-account-key", "scripts/upload.sh", _sh([f"az storage blob upload --account-name st{rs(r, LOWER, 8)} --account-key {v} -c backups -f dump.sql.gz"])),
    ],
    "azure-sas-token": [
        lambda r, v, c: ("azcopy-sas", "scripts/backup.sh", _sh([f"azcopy copy ./dump.sql.gz '{v if v.startswith('https') else 'https://stbackups.blob.core.windows.net/db?' + v}'"])),
    ],
    "datadog-key": [
        lambda r, v, c: ("datadog-yaml", "datadog.yaml", f"api_key: {v}\nsite: datadoghq.eu\nlogs_enabled: true\n"),
    ],
    "github-token": [
        lambda r, v, c: ("git-remote-token", "scripts/mirror.sh", _sh([f"git remote add mirror https://x-access-token:{v}@github.com/acme/billing.git", "git push mirror --all"])),
    ],
    "npm-token": [
        lambda r, v, c: ("yarnrc", ".yarnrc.yml", f'npmRegistryServer: "https://registry.npmjs.org"\nnpmAuthToken: "{v}"\n'),
    ],
    "kubeconfig-token": [],
}
NATIVE = {k: v for k, v in NATIVE.items() if v}
# A native home takes only the variant of a kind that belongs there (a license key, not a
# user key, in newrelic.ini; a Global API key, not a token, under X-Auth-Key...).
NATIVE_FITS = {
    "graph-url": lambda v: v.startswith("EAA"), "newrelic-ini": lambda v: not v.startswith("NR") or v.endswith("NRAL"),
    "newrelic-js": lambda v: not v.startswith("NR") or v.endswith("NRAL"), "cloudflare-header": lambda v: len(v) == 40,
    "cloudflare-auth-key": lambda v: len(v) == 37, "datadog-yaml": lambda v: len(v) == 32, "git-remote-token": lambda v: v.startswith("gh"),
    "vault-login": lambda v: "." in v[:4], "sonar-project-properties": lambda v: True,
}


# Kinds that read better in some assignment hosts than others: AWS keys where the
# outsiders saw them missed (credentials INI, .envrc, XML, Makefile, CI YAML).
AWS_ASSIGN = [h for h in ASSIGN_HOSTS if h[0] in ("envrc", "dotenv", "xml-appsettings", "makefile", "github-actions", "gitlab-ci",
                                                  "circleci", "shell", "python-settings", "terraform", "properties", "compose-env-list", "powershell", "markdown")]


def secret_files(rng, kname, spec):
    out = []
    for _ in range(spec["weight"]):
        value, names, ctx = spec["gen"](rng)
        hosts = spec["hosts"]
        if kname in NATIVE and rng.random() < 0.35:
            style, path, text = rng.choice(NATIVE[kname])(rng, value, ctx)
            if NATIVE_FITS.get(style, lambda v: True)(value):
                out.append((style, path, text, value, False))
                continue
        if hosts == "assign":
            h = "assign"
        else:
            h = rng.choice(hosts)
        if h == "assign":
            neutral = False
            if kname.startswith("longtail") or kname in ("generic-password", "generic-secret", "generic-token"):
                pass
            elif rng.random() < 0.08 and kname in ("github-token", "stripe-key", "slack-bot-token", "openai-key", "sendgrid-key", "gitlab-token",
                                                     "digitalocean-token", "shopify-token", "npm-token", "anthropic-key"):
                names, neutral = N("value", "key", "default value"), True
            if names is None:
                names = N("secret")
            pool = AWS_ASSIGN if kname.startswith("aws-") else None
            style, path, text, needle = assign_file(rng, kname, value, names, ctx, pool)
            out.append((style, path, text, needle, neutral))
        else:
            if kname == "generic-password" and h not in ("spring-yaml", "yaml-commented", "composer-auth"):
                # A file whose syntax has no quoting (a URL, a command line, .netrc, XML text)
                # holds the password people pick for it: no spaces or metacharacters.
                value = uri_password(rng).replace("'", "").replace("&", "").replace("$", "").replace("(", "").replace(")", "").replace(";", "")
            style, path, text, needle = STRUCTURED[h](rng, kname, value, ctx)
            out.append((style, path, text, needle, False))
    return out


# ---------------------------------------------------------------------------------------
# Decoys: values a scanner must stay quiet on. Categories of one-line values are placed
# in the assignment hosts under secret-sounding names; the rest are whole files.
SECRET_NAMES = N("password", "db password", "api key", "secret key", "access token", "auth token", "client secret", "aws secret access key",
                 "slack webhook url", "github token", "stripe secret key", "smtp password")


def d_placeholder(rng):
    return rng.choice(["changeme", "CHANGE_ME", "change-me-in-prod", "your-api-key-here", "REPLACE_ME", "TODO", "xxxxxxxxxxxxxxxx",
                       "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "put-your-token-here", "insert_password_here", "secret-goes-here", "FILL_ME_IN",
                       "your_password", "enter-token", "none", "placeholder", "dummy", "example"])


def d_env_reference(rng):
    v = rng.choice(["DB_PASSWORD", "API_TOKEN", "STRIPE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "SMTP_PASS", "GITHUB_TOKEN"])
    return rng.choice([f"${{{v}}}", f"${v}", f"${{{v}:-}}", f"%{v}%", f"$(cat /run/secrets/{v.lower()})", f"env:{v}",
                       f"${{env:{v}}}", f"#{{ENV['{v}']}}", f"${{{{ secrets.{v} }}}}", f"vault:secret/data/billing#{v.lower()}",
                       f"arn:aws:secretsmanager:eu-west-1:111122223333:secret:{v.lower()}-AbCdEf"])


def d_angle(rng):
    return rng.choice(["<your-api-key>", "<YOUR_TOKEN>", "<password>", "<insert secret here>", "[YOUR_KEY]", "{token}", "{{password}}",
                       "<client-secret>", "<ACCESS_KEY>", "<paste token>", "%PASSWORD%", "__PASSWORD__", "@@TOKEN@@"])


def d_low_entropy(rng):
    return rng.choice(["password", "password123", "12345678", "aaaaaaaaaaaaaaaa", "secret", "admin", "test1234", "qwerty", "abcdefgh",
                       "1111111111", "abcabcabcabcabc", "0000000000000000000000000000000000000000", "letmein", "root", "guest",
                       "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOP"])


def d_redacted(rng):
    return rng.choice(["********", "**********************", "REDACTED", "[REDACTED]", "[FILTERED]", "<redacted>", "•••••••••", "***",
                       "sk_live_****************", "ghp_************************************", "xxxx-xxxx-xxxx-xxxx", "hidden", "<masked>"])


def d_empty(rng):
    return rng.choice(["", "null", "None", "nil", "~", "''", '""', "false", "0", "undefined"])


def d_template(rng):
    v = rng.choice(["password", "api_key", "token", "db_password", "client_secret"])
    return rng.choice([f"{{{{ {v} }}}}", f"{{{{ .Values.{v} }}}}", f"<%= ENV['{v.upper()}'] %>", f"{{{{ vault \"secret/{v}\" }}}}",
                       f"{{{{ lookup('env', '{v.upper()}') }}}}", f"@{v}@", f"${{var.{v}}}", f"{{{{ secrets.{v} | default('') }}}}",
                       f"$({v.upper()})", f"[[.{v}]]"])


def d_docs_example(rng):
    return rng.choice(["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                       "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "sk_test_EXAMPLEEXAMPLEEXAMPLE",
                       "xoxb-0000000000-0000000000000-EXAMPLEEXAMPLEEXAMPLE", "AKIAI44QH8DHBEXAMPLE", "ghp_EXAMPLE0000000000000000000000000000",
                       "0123456789abcdef0123456789abcdef", "1234567890abcdef1234567890abcdef12345678"])


def d_code_ref(rng):
    return rng.choice(["get_password()", "os.environ['DB_PASSWORD']", "process.env.API_TOKEN", "config.secretKey", "settings.SECRET_KEY",
                       "self.token", "credentials.password", "System.getenv(\"TOKEN\")", "request.headers.get('X-Api-Key')",
                       "keyring.get_password('svc', user)", "Secret.from_env('STRIPE_KEY')", "args.password", "this.options.apiKey"])


ONE_LINE = {"placeholder": d_placeholder, "env-reference": d_env_reference, "angle-placeholder": d_angle, "low-entropy": d_low_entropy,
            "redacted": d_redacted, "empty-value": d_empty, "template-expression": d_template, "docs-example-key": d_docs_example,
            "code-reference": d_code_ref}


def f_fixture(rng):
    name = rng.choice(["fake_token", "dummy_password", "test_api_key", "mock_secret", "fake_client_secret"])
    val = rng.choice(["fake-token-for-tests", "dummy-password", "not-a-real-key", "test-secret-do-not-use", "fake_secret_value",
                      "mock-api-key-12345", "testing-only", "DUMMY_VALUE"])
    text = (f"import pytest\n\n# Test fixtures: these values are fake and never valid anywhere.\n{name.upper()} = \"{val}\"\n\n\n"
            f"def test_login_rejects_bad_token(client):\n    resp = client.post('/login', headers={{'X-Token': {name.upper()}}})\n    assert resp.status_code == 401\n")
    return "python-test", "tests/test_auth.py", text


def f_public_key(rng):
    t = rng.randrange(3)
    if t == 0:
        blob = b64(b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01\x00" + bytes(rng.randrange(256) for _ in range(256)))
        return "authorized-keys", ".ssh/authorized_keys", f"ssh-rsa {blob} deploy@ci\n"
    if t == 1:
        return "public-key-pem", "keys/jwt-public.pem", "-----BEGIN PUBLIC KEY-----\n" + pem_body(rng, 294) + "\n-----END PUBLIC KEY-----\n"
    return "certificate", "certs/ca.crt", "-----BEGIN CERTIFICATE-----\n" + pem_body(rng, 900) + "\n-----END CERTIFICATE-----\n"


def f_lockfile(rng):
    t = rng.randrange(4)
    if t == 0:
        pk = {"name": "web", "lockfileVersion": 3, "packages": {}}
        for p in rng.sample(["lodash", "react", "express", "chalk", "debug", "ms", "semver", "yargs"], 5):
            pk["packages"][f"node_modules/{p}"] = {"version": f"{rng.randrange(1, 9)}.{rng.randrange(20)}.{rng.randrange(20)}",
                                                   "resolved": f"https://registry.npmjs.org/{p}/-/{p}-1.0.0.tgz",
                                                   "integrity": "sha512-" + b64(bytes(rng.randrange(256) for _ in range(64)))}
        return "package-lock", "package-lock.json", json.dumps(pk, indent=2) + "\n"
    if t == 1:
        out = ["# This file is automatically @generated by Cargo.", "version = 3", ""]
        for p in rng.sample(["serde", "regex", "memchr", "libc", "rayon", "itoa", "bitflags"], 4):
            out += ["[[package]]", f'name = "{p}"', f'version = "1.{rng.randrange(30)}.{rng.randrange(9)}"',
                    'source = "registry+https://github.com/rust-lang/crates.io-index"', f'checksum = "{rs(rng, HEX, 64)}"', ""]
        return "cargo-lock", "Cargo.lock", "\n".join(out)
    if t == 2:
        out = []
        for p in rng.sample(["github.com/pkg/errors", "golang.org/x/sys", "github.com/stretchr/testify", "gopkg.in/yaml.v3"], 3):
            h = b64(bytes(rng.randrange(256) for _ in range(32)))
            out += [f"{p} v0.{rng.randrange(20)}.0 h1:{h}", f"{p} v0.{rng.randrange(20)}.0/go.mod h1:{b64(bytes(rng.randrange(256) for _ in range(32)))}"]
        return "go-sum", "go.sum", "\n".join(out) + "\n"
    out = []
    for p in rng.sample(["requests", "urllib3", "idna", "certifi", "charset-normalizer"], 3):
        out += [f"{p}==2.{rng.randrange(30)}.0 \\", f"    --hash=sha256:{rs(rng, HEX, 64)} \\", f"    --hash=sha256:{rs(rng, HEX, 64)}"]
    return "requirements-hashes", "requirements.txt", "\n".join(out) + "\n"


def f_uuids(rng):
    t = rng.randrange(2)
    if t == 0:
        g = uuid(rng).upper()
        return "csproj-guids", "Acme.sln", (f"Microsoft Visual Studio Solution File, Format Version 12.00\n"
                                           f"Project(\"{{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}}\") = \"Acme.Billing\", \"src\\Acme.Billing.csproj\", \"{{{g}}}\"\nEndProject\n"
                                           f"Global\n\tGlobalSection(SolutionProperties) = preSolution\n\t\tHideSolutionNode = FALSE\n\tEndGlobalSection\n"
                                           f"\tGlobalSection(ExtensibilityGlobals) = postSolution\n\t\tSolutionGuid = {{{uuid(rng).upper()}}}\n\tEndGlobalSection\nEndGlobal\n")
    return "fixture-ids", "tests/fixtures/orders.json", json.dumps([{"id": uuid(rng), "customer_id": uuid(rng), "request_id": uuid(rng), "total": 12.5}
                                                                  for _ in range(3)], indent=2) + "\n"


def f_commit_ids(rng):
    t = rng.randrange(3)
    if t == 0:
        return "pinned-actions", ".github/workflows/ci.yml", (f"name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                                                             f"      - uses: actions/checkout@{rs(rng, HEX, 40)} # v4.2.2\n"
                                                             f"      - uses: actions/setup-go@{rs(rng, HEX, 40)} # v5.1.0\n      - run: go test ./...\n")
    if t == 1:
        return "changelog-shas", "CHANGELOG.md", "".join(f"- {rng.choice(['fix', 'feat', 'chore'])}: {rng.choice(WORDS)} handling ({rs(rng, HEX, 7)})\n" for _ in range(6)) + f"\nFull diff: {rs(rng, HEX, 40)}...{rs(rng, HEX, 40)}\n"
    return "vendor-manifest", "vendor/modules.json", json.dumps({"dependencies": [{"name": "libfoo", "revision": rs(rng, HEX, 40)},
                                                                                  {"name": "libbar", "revision": rs(rng, HEX, 40)}]}, indent=2) + "\n"


def f_minified(rng):
    ids = lambda: rs(rng, LOWER, 1) + rs(rng, ALNUM, rng.randrange(0, 3))
    parts = []
    for _ in range(40):
        parts.append(rng.choice([f"var {ids()}={ids()}({ids()},{rng.randrange(99)});", f"function {ids()}({ids()}){{return {ids()}.{ids()}}}",
                                 f"{ids()}[\"{rs(rng, ALNUM + '_$', rng.randrange(20, 44))}\"]={ids()};", f"if(!{ids()})throw new Error(\"{rs(rng, ALNUM, 24)}\");"]))
    return "minified-js", "static/js/main.3f9c1e.min.js", "!function(){" + "".join(parts) + "}();\n"


def f_base64_image(rng):
    png = b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(rng.choice([300, 900]))))
    if rng.random() < 0.5:
        return "css-data-uri", "static/css/app.css", f".logo {{\n  width: 32px;\n  background-image: url(\"data:image/png;base64,{png}\");\n}}\n"
    return "html-img", "templates/email.html", f"<html><body>\n<img alt=\"logo\" src=\"data:image/png;base64,{png}\">\n<p>Welcome!</p>\n</body></html>\n"


def f_hashes(rng):
    t = rng.randrange(3)
    if t == 0:
        return "sha256sums", "dist/SHA256SUMS", "".join(f"{rs(rng, HEX, 64)}  billing-{v}-linux-amd64.tar.gz\n" for v in ["1.0.0", "1.0.1", "1.1.0"])
    if t == 1:
        return "image-digest", "k8s/kustomization.yaml", f"images:\n  - name: acme/billing\n    digest: sha256:{rs(rng, HEX, 64)}\n  - name: acme/worker\n    newTag: 2.3.1@sha256:{rs(rng, HEX, 64)}\n"
    return "sri-html", "public/index.html", (f"<script src=\"https://cdn.example.net/lib.min.js\" integrity=\"sha384-{b64(bytes(rng.randrange(256) for _ in range(48)))}\" crossorigin=\"anonymous\"></script>\n")


def f_ui_strings(rng):
    d = {"login": {"password": "Password", "passwordHint": "At least 12 characters", "forgotPassword": "Forgot your password?",
                   "token": "Access token", "tokenExpired": "Your session token has expired", "apiKeyLabel": "API key", "secret": "Secret"}}
    if rng.random() < 0.5:
        return "i18n-json", "src/locales/en.json", json.dumps(d, indent=2) + "\n"
    return "i18n-properties", "src/main/resources/messages.properties", "".join(f"login.{k}={v}\n" for k, v in d["login"].items())


def f_public_ids(rng):
    t = rng.randrange(3)
    if t == 0:
        return "oauth-client-id", "src/auth.js", f"export const GOOGLE_CLIENT_ID = '{rs(rng, DIGITS, 12)}-{rs(rng, LOWER + DIGITS, 32)}.apps.googleusercontent.com';\n"
    if t == 1:
        return "stripe-publishable", "src/checkout.js", f"const stripe = Stripe('pk_live_{rs(rng, ALNUM, 24)}');\n"
    return "sentry-dsn-public", "src/sentry.ts", f"Sentry.init({{ dsn: 'https://{rs(rng, HEX, 32)}@o{rs(rng, DIGITS, 6)}.ingest.sentry.io/{rs(rng, DIGITS, 7)}' }});\n"


def f_env_example(rng):
    keys = rng.sample(["DB_PASSWORD", "SECRET_KEY", "STRIPE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "SLACK_WEBHOOK_URL", "GITHUB_TOKEN", "SMTP_PASSWORD"], 4)
    return "env-example", ".env.example", "# Copy to .env and fill in\n" + "".join(f"{k}=\n" for k in keys)


def f_encrypted(rng):
    t = rng.randrange(4)
    if t == 0:
        body = rs(rng, "0123456789abcdef", 80 * 6)
        lines = "\n".join("          " + body[i:i + 80] for i in range(0, len(body), 80))
        return "ansible-vault", "group_vars/prod/vault.yml", f"db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n{lines}\n"
    if t == 1:
        enc = lambda n: f"ENC[AES256_GCM,data:{b64(bytes(rng.randrange(256) for _ in range(n)))},iv:{b64(bytes(rng.randrange(256) for _ in range(32)))},tag:{b64(bytes(rng.randrange(256) for _ in range(16)))},type:str]"
        return "sops", "secrets/prod.enc.yaml", f"db_password: {enc(18)}\napi_token: {enc(32)}\nsops:\n    version: 3.8.1\n    lastmodified: \"2025-02-01T10:00:00Z\"\n"
    if t == 2:
        return "jasypt", "src/main/resources/application-enc.properties", f"spring.datasource.password=ENC({b64(bytes(rng.randrange(256) for _ in range(32)))})\n"
    return "sealed-secret", "k8s/sealed-db.yaml", ("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n"
                                                    f"    password: {b64(bytes(rng.randrange(256) for _ in range(300)))}\n")


def f_secret_ref(rng):
    t = rng.randrange(3)
    if t == 0:
        return "k8s-secret-key-ref", "k8s/api-deployment.yaml", ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
                                                                 "      containers:\n        - name: api\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n"
                                                                 "                secretKeyRef:\n                  name: db-credentials\n                  key: password\n")
    if t == 1:
        return "ssm-parameter-names", "infra/params.tf", ('data "aws_ssm_parameter" "db_password" {\n  name            = "/prod/billing/db_password"\n  with_decryption = true\n}\n\n'
                                                        'locals {\n  db_password = data.aws_ssm_parameter.db_password.value\n}\n')
    return "ci-secret-refs", ".github/workflows/release.yml", ("name: release\non: [push]\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./release.sh\n"
                                                              "        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n          AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n")


def f_secret_named_config(rng):
    d = {"password_min_length": 12, "password_max_age_days": 90, "token_ttl_seconds": 3600, "secret_name": "billing-db",
         "api_key_header": "X-Api-Key", "password_reset_url": "https://acme-corp.net/reset", "token_type": "Bearer", "auth_token_cookie": "sid",
         "secret_rotation_enabled": True}
    keys = rng.sample(sorted(d), 5)
    if rng.random() < 0.5:
        return "secret-named-yaml", "config/security.yml", "security:\n" + "".join(f"  {k}: {json.dumps(d[k]) if not isinstance(d[k], str) else d[k]}\n" for k in keys)
    return "secret-named-json", "config/security.json", json.dumps({k: d[k] for k in keys}, indent=2) + "\n"


def f_lfs_pointer(rng):
    return "git-lfs-pointer", rng.choice(["assets/video.mp4", "models/weights.bin", "data/sample.parquet"]), f"version https://git-lfs.github.com/spec/v1\noid sha256:{rs(rng, HEX, 64)}\nsize {rng.randrange(10**5, 10**9)}\n"


def f_bad_checksum(rng):
    """A GitHub or npm token whose last six characters are not the CRC32 of the rest: the
    shape of a token, but no token GitHub or npm ever issued (a typo, a doc's made-up value)."""
    tok = crc_token(rng, rng.choice(["ghp_", "gho_", "npm_"]))
    bad = tok[:-6] + base62((int.from_bytes(bytes(rng.randrange(256) for _ in range(4)), "big")), 6)
    if crc_token_valid(bad):
        bad = bad[:-1] + ("A" if bad[-1] != "A" else "B")
    if bad.startswith("npm_"):
        return "npmrc-lookalike", "docs/npmrc.sample", f"# sample\n//registry.npmjs.org/:_authToken={bad}\n"
    return "ci-lookalike", "docs/ci-setup.md", f"# CI setup\n\nSet `GH_TOKEN` to a personal token, e.g.\n\n    GH_TOKEN={bad}\n"


def f_masked_prefixed(rng):
    v = rng.choice(["sk_live_" + "x" * 24, "ghp_" + "X" * 36, "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX", "AKIA" + "X" * 16,
                    "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX", "glpat-" + "x" * 20, "SG." + "x" * 22 + "." + "x" * 43,
                    "AIza" + "X" * 35, "npm_" + "0" * 36, "dop_v1_" + "0" * 64, "sk-proj-" + "x" * 48, "hvs." + "X" * 24])
    name = rng.choice(["token", "api_key", "webhook", "secret"])
    return "docs-masked", rng.choice(["docs/configuration.md", "README.md"]), f"## Configuration\n\n| setting | example |\n|---|---|\n| `{name}` | `{v}` |\n"


def f_fingerprints(rng):
    t = rng.randrange(3)
    if t == 0:
        return "ssh-fingerprints", "docs/hosts.md", "".join(f"- {h}: SHA256:{b64(bytes(rng.randrange(256) for _ in range(32))).rstrip('=')}\n" for h in ["bastion", "build-01", "db-01"])
    if t == 1:
        fp = ":".join(rs(rng, "0123456789ABCDEF", 2) for _ in range(20))
        return "android-signing", "docs/android-release.md", f"Release signing certificate\n\n    SHA1: {fp}\n    SHA256: {':'.join(rs(rng, '0123456789ABCDEF', 2) for _ in range(32))}\n"
    return "gpg-keys", "KEYS.md", f"Releases are signed with key `{rs(rng, '0123456789ABCDEF', 40)}` (short id `{rs(rng, '0123456789ABCDEF', 16)}`).\n"


FILE_DECOYS = {"test-fixture-fake": f_fixture, "public-key-cert": f_public_key, "lockfile-hash": f_lockfile, "uuid-guid": f_uuids,
               "commit-id": f_commit_ids, "minified-js": f_minified, "base64-image": f_base64_image, "digest-checksum": f_hashes,
               "ui-string": f_ui_strings, "public-identifier": f_public_ids, "env-template": f_env_example,
               "encrypted-value": f_encrypted, "secret-reference": f_secret_ref, "secret-named-setting": f_secret_named_config,
               "git-lfs-pointer": f_lfs_pointer, "checksum-invalid": f_bad_checksum, "masked-prefixed-token": f_masked_prefixed,
               "fingerprint": f_fingerprints}
DECOY_WEIGHT = 15
DECOY_HOSTS = [h for h in ASSIGN_HOSTS if h[0] not in ("log",)]


def decoy_files(rng, cat):
    out = []
    for _ in range(DECOY_WEIGHT):
        if cat in ONE_LINE:
            v = ONE_LINE[cat](rng)
            name = rng.choice(SECRET_NAMES)
            fits = [h for h in DECOY_HOSTS if not has(v, h[3])]
            style, path, render, _ = rng.choice(fits)
            out.append((style, path, render(rng, entries_for(rng, name, v, None))))
        else:
            out.append(FILE_DECOYS[cat](rng))
    return out


# ---------------------------------------------------------------------------------------
def build(seed=SEED):
    """The corpus in memory: the manifest's items and {relative path: bytes}."""
    placed = []
    for kname in sorted(KINDS):
        rng = random.Random(f"{seed}:{kname}")
        for style, path, text, needle, neutral in secret_files(rng, kname, KINDS[kname]):
            first, last = locate(text, needle)
            placed.append(({"first": first, "last": last, "kind": kname, "style": style, "decoy": None, "value": needle, "neutral": neutral}, path, text))
    for cat in sorted(list(ONE_LINE) + list(FILE_DECOYS)):
        rng = random.Random(f"{seed}:decoy:{cat}")
        for style, path, text in decoy_files(rng, cat):
            placed.append(({"first": 1, "last": text.count("\n") + 1, "kind": None, "style": style, "decoy": cat}, path, text))
    order = random.Random(f"{seed}:order")
    order.shuffle(placed)
    items, files = [], {}
    for n, (item, path, text) in enumerate(placed):
        item["file"] = f"p{n:04d}/{path}"
        ext = os.path.splitext(path)[1]
        r = order.random()
        windows = ext in (".config", ".cs", ".ps1", ".cmd", ".sln") or path.endswith("Web.config")
        item["encoding"] = ("utf-8-bom" if windows and r < 0.25 else "crlf" if windows and r < 0.6 or r > 0.95 else "utf-8")
        items.append(item)
        files[item["file"]] = encode(text, item["encoding"])
    return items, files


def decode(data, encoding):
    return corpus_common.decode(data, encoding, crlf_after_bom=True)


def generate(out, manifest_path, seed=SEED):
    items, files = build(seed)
    return write_corpus(out, files, manifest_path, items)


# ---------------------------------------------------------------------------------------
# The repository: a sample of the corpus committed over a history. Each planted secret
# ends up in one place: at HEAD; added then deleted; added then overwritten by a
# reference to the environment; on a side branch never merged; on a commit reachable only
# from a tag (lightweight or annotated). Decoys stay at HEAD.
WHERES = ["head", "deleted", "overwritten", "branch", "tag"]
REPO_PER_KIND = 5
REPO_PER_DECOY = 6


def generate_repo(repo, manifest_path, seed=SEED):
    items, files = build(seed)
    # Five of each kind, more of the kinds people write most (generic credentials: a third
    # of their files), so that the history is not mostly provider tokens.
    picked = first_per_key(items, lambda it: max(REPO_PER_KIND, KINDS[it["kind"]]["weight"] // 3) if it["kind"] else REPO_PER_DECOY)
    secrets = [it for it in picked if it["kind"]]
    n_of = {}
    for it in secrets:
        k = n_of.get(it["kind"], 0)
        n_of[it["kind"]] = k + 1
        it["where"] = WHERES[(k + len(it["kind"])) % len(WHERES)]
    r = Repo(repo, ("Sam Doe", "sam@acme-corp.net"), 1_750_000_000, 5400)
    write_file(repo, "README.md", b"# orders platform\n")
    r.commit("Initial import")
    rng = random.Random(f"{seed}:repo")
    rng.shuffle(secrets)
    later = []
    for it in secrets:
        if it["where"] in ("head", "deleted", "overwritten"):
            write_file(repo, it["file"], files[it["file"]])
            r.commit(rng.choice(["Add config", "Wire up service", "Local setup", "Update settings", "Add deploy files"]) + f" ({it['style']})")
            if it["where"] != "head":
                later.append(it)
    for it in picked:
        if it["decoy"]:
            write_file(repo, it["file"], files[it["file"]])
    r.commit("Add samples and fixtures")
    for it in later:
        data = files[it["file"]]
        text = decode(data, it["encoding"])
        if it["where"] == "overwritten" and text.count(it["value"]) == 1 and "\n" not in it["value"]:
            write_file(repo, it["file"], encode(text.replace(it["value"], "${FROM_VAULT}"), it["encoding"]))
        else:
            it["where"] = "deleted"
            os.remove(os.path.join(repo, it["file"]))
        r.commit("Remove hard-coded credentials")
    for n, it in enumerate(x for x in secrets if x["where"] == "branch"):
        if n % 5 == 0:
            r.git("checkout", "-q", "-b", f"feature/spike-{n // 5}", "main")
        write_file(repo, it["file"], files[it["file"]])
        r.commit(f"WIP {it['style']}")
    r.git("checkout", "-q", "main")
    for n, it in enumerate(x for x in secrets if x["where"] == "tag"):
        r.git("checkout", "-q", "--detach", "main")
        write_file(repo, it["file"], files[it["file"]])
        r.commit(f"Release candidate {n}")
        if n % 2:
            r.git("tag", "-a", f"v2.{n}.0", "-m", f"release 2.{n}.0", date=r.date)
        else:
            r.git("tag", f"rc-{n}")
        r.git("checkout", "-q", "main")
    return write_manifest(manifest_path, picked)


# ---------------------------------------------------------------------------------------
def self_check():
    problems = []
    items, files = build_twice(build, problems, SEED + 1, "another seed gives the same corpus")
    checked = 0
    for it in items:
        if it["decoy"]:
            continue
        text = decode(files[it["file"]], it["encoding"])
        lines = text.split("\n")
        span = "\n".join(lines[it["first"] - 1:it["last"]])
        if it["value"] not in span:
            problems.append(f"{it['file']}: planted value not on lines {it['first']}-{it['last']}")
        if text.count(it["value"]) != 1:
            problems.append(f"{it['file']}: planted value occurs {text.count(it['value'])} times")
        for tok in [w for w in it["value"].split() if w[:4] in ("ghp_", "gho_", "ghs_", "ghu_", "npm_")]:
            checked += 1
            if len(tok) != 40 or not crc_token_valid(tok):
                problems.append(f"{it['file']}: {tok[:6]}... fails its CRC32 checksum")
    for it in items:
        if it["decoy"] == "checksum-invalid":
            text = decode(files[it["file"]], it["encoding"])
            toks = [w for w in text.replace("=", " ").split() if w[:4] in ("ghp_", "gho_", "npm_")]
            checked += 1
            if len(toks) != 1 or len(toks[0]) != 40 or crc_token_valid(toks[0]):
                problems.append(f"{it['file']}: the look-alike is missing or has a valid checksum")
    tok = crc_token(random.Random(1), "ghp_")
    bad = tok[:9] + ("A" if tok[9] != "A" else "B") + tok[10:]
    if not crc_token_valid(tok) or crc_token_valid(bad):
        problems.append("the checksum check accepts a corrupted token or rejects a good one")
    secrets = [i for i in items if not i["decoy"]]
    styles = {i["style"] for i in secrets}
    cats = {i["decoy"] for i in items if i["decoy"]}
    if len(KINDS) < 46 or len(styles) < 50 or len(cats) < 15 or len(secrets) < 300 or len(items) - len(secrets) < 250:
        problems.append(f"{len(KINDS)} kinds, {len(styles)} host styles, {len(cats)} decoy categories, {len(secrets)} secrets, "
                        f"{len(items) - len(secrets)} decoys: want 46/50/15/300/250")
    return report(problems, f"{len(secrets)} secrets of {len(KINDS)} kinds in {len(styles)} host styles, "
                            f"{len(items) - len(secrets)} decoys in {len(cats)} categories, {checked} checksummed tokens")


def gen(out, manifest, seed):
    items = generate(out, manifest, seed)
    return (f"hold-out corpus: {sum(1 for i in items if not i['decoy'])} planted secrets of {len(KINDS)} kinds, "
            f"{sum(1 for i in items if i['decoy'])} decoy files, seed {seed}")


def gen_repo(repo, manifest, seed):
    items = generate_repo(repo, manifest, seed)
    return (f"hold-out repository: {sum(1 for i in items if not i['decoy'])} planted secrets across history, branches and tags, "
            f"{sum(1 for i in items if i['decoy'])} decoy files, seed {seed}")


def main(argv):
    return corpus_common.main(argv, __doc__, SEED, self_check, {"gen": gen, "gen-repo": gen_repo})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
