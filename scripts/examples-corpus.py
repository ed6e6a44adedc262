#!/usr/bin/env python3
"""A third detection yardstick, shaped like the public "rule example" sets that secret
scanners ship: one short example per file (a line or a few lines: `ACME_API_KEY=...`,
`const acmeToken = "..."`, a YAML/JSON/TOML/INI/XML/properties fragment, an HTTP header, a
curl command, a connection string, a bare token), plus negative examples (near misses that
a rule must not flag).

Written apart from the rule packs, from quality-corpus.py and holdout-corpus.py, and from
every other project's rules and test data: each generator follows the provider's documented
token format (prefix, alphabet, length, checksum) as its public documentation describes it,
or, where a provider documents none, a realistic generic shape (32 hex, 40 base62, a
UUID...) beside the provider's name, which is how such keys appear in the wild. Every secret
is a random fake drawn from a seeded RNG.

  examples-corpus.py gen OUT_DIR MANIFEST [--seed N]
  examples-corpus.py --self-check

The manifest is the one `quality-corpus.py score` reads: a list of {file, first, last, kind,
decoy, style, value, neutral, encoding}. Each example is in its own directory pNNNN/; a third
of the files have the extension of their snippet's language, a third are .txt, a third have a
neutral name without an extension.
"""
import base64
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common
from corpus_common import (b64url, bech32_encode, bech32_valid, build_twice, crc32_le_hex, crc32_le_tail_valid, crc_token,
                           crc_token_valid, report, to_5bit, wrap, write_corpus)
from corpus_common import rs as draw
from corpus_common import uuid4 as uuid

SEED = 20250611

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
B62 = DIGITS + UPPER + LOWER
ALPHABETS = {
    "h": DIGITS + "abcdef",
    "H": DIGITS + "ABCDEF",
    "a": B62,
    "u": UPPER + DIGITS,
    "l": LOWER + DIGITS,
    "A": UPPER,
    "z": LOWER,
    "L": UPPER + LOWER,
    "b": B62 + "+/",
    "w": B62 + "-_",
    "d": DIGITS,
    "s": UPPER + "234567",
    "S": LOWER + "234567",
    "q": B62 + "_~.-",
    "p": B62 + "!*-_.^+=%",  # a chosen password
    "r": B62 + "-_.~",  # a password that fits in a URL unescaped
    "o": B62 + "();:.#<>_+",  # OCI auth tokens mix punctuation in
    "x": B62 + "._",
}


def expand(rng, tpl):
    """`{h:32}` 32 lowercase hex, `{a:20-30}` 20 to 30 base62, `{U}` a UUID (see ALPHABETS)."""
    def sub(m):
        code, spec = m.group(1), m.group(2)
        if code == "U":
            return uuid(rng)
        lo, _, hi = spec.partition("-")
        return draw(rng, ALPHABETS[code], rng.randint(int(lo), int(hi or lo)))
    return re.sub(r"\{([A-Za-z])(?::([0-9]+(?:-[0-9]+)?))?\}", sub, tpl)


# ---------------------------------------------------------------------------------------
# Structured formats: checksums and encodings the providers document. GitHub's (and npm's)
# token format, corpus_common.crc_token: prefix, 30 base62 characters of entropy, and the
# CRC32 of the entropy in 6 base62 characters (zero-padded).
def grafana_sa(rng):
    key = "glsa_" + draw(rng, B62, 32)
    return key + "_" + crc32_le_hex(key)


def pypi_token(rng, location="pypi.org"):
    """A PyPI API token: `pypi-` and a version-2 macaroon, base64url without padding."""
    ident = draw(rng, ALPHABETS["h"], 32).encode()
    caveat = json.dumps({"version": 1, "permissions": "user"}).encode()
    mac = (bytes([2, 1, len(location)]) + location.encode() + bytes([2, len(ident)]) + ident + b"\x00"
           + bytes([2, len(caveat)]) + caveat + b"\x00" + b"\x00" + bytes([6, 32]) + rng.randbytes(32))
    return "pypi-" + b64url(mac)


def age_key(rng):
    """An age X25519 identity: Bech32 of 32 bytes under `age-secret-key-`, upper-cased."""
    return bech32_encode("age-secret-key-", to_5bit(rng.randbytes(32))).upper()


def jwt(rng, claims=None, alg="HS256", sig=32):
    head = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    now = 1700000000 + rng.randrange(40000000)
    body = {"sub": uuid(rng), "iat": now, "exp": now + 3600 * rng.choice([1, 24, 720])}
    body.update(claims or {})
    return f"{head}.{b64url(json.dumps(body, separators=(',', ':')).encode())}.{b64url(rng.randbytes(sig))}"


def discord_bot(rng):
    user = str(rng.randrange(10**17, 10**18 + 4 * 10**17))
    return b64url(user.encode()) + "." + draw(rng, ALPHABETS["w"], 6) + "." + draw(rng, ALPHABETS["w"], 38)


def elastic_key(rng):
    return base64.b64encode(f"{draw(rng, ALPHABETS['w'], 20)}:{draw(rng, ALPHABETS['w'], 22)}".encode()).decode()


def bedrock_key(rng):
    inner = f"BedrockAPIKey-{draw(rng, ALPHABETS['l'], 4)}-at-{draw(rng, DIGITS, 12)}:{draw(rng, B62 + '+/', 40)}"
    return "ABSK" + base64.b64encode(inner.encode()).decode()


def onepassword_sa(rng):
    body = {"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256",
            "iterations": 650000, "salt": b64url(rng.randbytes(16))}, "email": f"{draw(rng, LOWER, 12)}@1passwordserviceaccounts.com",
            "srpX": rng.randbytes(32).hex(), "muk": {"alg": "A256GCM", "ext": True, "k": b64url(rng.randbytes(32)),
            "key_ops": ["encrypt", "decrypt"], "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + draw(rng, UPPER + DIGITS, 6)}
    return "ops_" + b64url(json.dumps(body, separators=(",", ":")).encode())


def sentry_org(rng):
    body = {"iat": 1700000000 + rng.randrange(40000000), "url": "https://sentry.io", "region_url": "https://us.sentry.io",
            "org": draw(rng, LOWER, 8)}
    return "sntrys_" + b64url(json.dumps(body, separators=(",", ":")).encode()) + "_" + draw(rng, ALPHABETS["w"], 43)


def grafana_cloud(rng):
    body = {"o": str(rng.randrange(100000, 999999)), "n": f"stack-{rng.randrange(100000, 999999)}-hm-read",
            "k": draw(rng, B62, 24), "m": {"r": "prod-us-east-0"}}
    return "glc_" + base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")


def grafana_legacy(rng):
    body = {"k": draw(rng, B62, 32), "n": draw(rng, LOWER, 8), "id": rng.randrange(1, 99)}
    return base64.b64encode(json.dumps(body, separators=(",", ":")).encode()).decode()


def docker_auth(rng):
    return base64.b64encode(f"{draw(rng, LOWER, 8)}:dckr_pat_{draw(rng, ALPHABETS['w'], 27)}".encode()).decode()


def basic_b64(rng):
    return base64.b64encode(f"{draw(rng, LOWER, 7)}:{draw(rng, ALPHABETS['p'], 16)}".encode()).decode()


def pem_body(rng, lead, chars):
    return wrap(lead + draw(rng, B62 + "+/", chars - len(lead)))


PEM_LEADS = {
    "rsa": ("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1588),
    "openssh": ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB", 396),
    "ec": ("EC PRIVATE KEY", "MHcCAQEEI", 164),
    "dsa": ("DSA PRIVATE KEY", "MIIBuwIBAAKBgQ", 636),
    "pkcs8": ("PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ", 1624),
    "pkcs8-ec": ("PRIVATE KEY", "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg", 184),
    "encrypted": ("ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI", 1752),
}


def pem(rng, which):
    label, lead, n = PEM_LEADS[which]
    return f"-----BEGIN {label}-----\n{pem_body(rng, lead, n)}\n-----END {label}-----"


def pgp_private(rng):
    return ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + pem_body(rng, "lQdGBG", 1400)
            + "\n=" + draw(rng, B62 + "+/", 4) + "\n-----END PGP PRIVATE KEY BLOCK-----")


def putty_key(rng):
    pub = pem_body(rng, "AAAAC3NzaC1lZDI1NTE5AAAAI", 68)
    return ("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy@build\n"
            f"Public-Lines: {pub.count(chr(10)) + 1}\n{pub}\nPrivate-Lines: 1\n{pem_body(rng, 'AAAAI', 44)}\n"
            f"Private-MAC: {draw(rng, ALPHABETS['h'], 64)}")


# ---------------------------------------------------------------------------------------
# The kinds. A kind is a provider's token format; `p` marks a self-identifying one (a
# prefix, a checksum, a structure) that may stand alone, the rest are only secrets beside
# the provider's name. `auth` is how an HTTP call carries it: "bearer", "token" (GitHub's
# `Authorization: token`), "basic" (curl -u), "h:NAME" (a header of its own), "s:SCHEME"
# (`Authorization: SCHEME value`), "q:NAME" (a query parameter).
KINDS = {}


def k(kind, provider, field, gen, p=False, auth="bearer", host=None, env=None, extra=None, cls="token"):
    assert kind not in KINDS, kind
    KINDS[kind] = dict(kind=kind, provider=provider, field=field, gen=gen, p=p, auth=auth, host=host, env=env,
                       extra=extra or {}, cls=cls)


def pair(kind, provider, id_field, id_gen, field, gen, env_id=None, env=None):
    """A secret that comes with its key id (AWS, Alibaba, Twilio...): the value is the secret."""
    k(kind, provider, field, gen, env=env, cls="pair")
    KINDS[kind].update(id_field=id_field, id_gen=id_gen, env_id=env_id)


def url(kind, provider, field, gen, env=None, p=True):
    k(kind, provider, field, gen, p=p, env=env, cls="url")


def conn(kind, provider, gen, env="DATABASE_URL", tool=None):
    k(kind, provider, "connection string", gen, env=env, cls="conn")
    KINDS[kind]["tool"] = tool


def key(kind, provider, gen):
    k(kind, provider, "private key", gen, p=True, cls="pem")


NPMRC = {"npmrc": (".npmrc", "//registry.npmjs.org/:_authToken=@v@\n")}
PYPIRC = {"pypirc": (".pypirc", "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = @v@\n")}
GEM = {"gem-credentials": ("credentials", "---\n:rubygems_api_key: @v@\n")}
CARGO = {"cargo-credentials": ("credentials.toml", '[registry]\ntoken = "@v@"\n')}
NUGET = {"nuget-config": ("NuGet.Config", '<configuration>\n  <apikeys>\n    <add key="https://www.nuget.org/api/v2/package" value="@v@" />\n  </apikeys>\n</configuration>\n')}
GITCRED = {"git-credentials": (".git-credentials", "https://x-access-token:@v@@github.com\n"),
           "git-remote": ("config", '[remote "origin"]\n\turl = https://@v@@github.com/acme-corp/infra.git\n')}
GLCRED = {"git-remote": ("config", '[remote "origin"]\n\turl = https://oauth2:@v@@gitlab.com/acme-corp/infra.git\n')}
DOCKER = {"docker-login": ("sh", 'echo "@v@" | docker login -u acmebuild --password-stdin\n')}
AWSCRED = {"aws-credentials": ("credentials", "[default]\naws_access_key_id = @id@\naws_secret_access_key = @v@\nregion = eu-west-1\n")}

# Cloud providers.
k("aws-access-key-id", "AWS", "access key id", "AKIA{s:16}", p=True)
k("aws-temporary-access-key-id", "AWS", "access key id", "ASIA{s:16}", p=True)
pair("aws-secret-access-key", "AWS", "access key id", "AKIA{s:16}", "secret access key", "{b:40}")
KINDS["aws-secret-access-key"]["extra"] = AWSCRED
k("aws-session-token", "AWS", "session token", "IQoJb3JpZ2luX2VjE{b:300-380}", p=True)
k("amazon-mws-auth-token", "Amazon MWS", "auth token", "amzn.mws.{U}", p=True)
k("aws-bedrock-api-key", "AWS Bedrock", "api key", bedrock_key, p=True)
k("aws-appsync-api-key", "AWS AppSync", "api key", "da2-{l:26}", p=True, auth="h:x-api-key")
pair("aws-cognito-client-secret", "Cognito", "client id", "{l:26}", "client secret", "{l:51}")
k("gcp-api-key", "Google", "api key", "AIza{w:35}", p=True, auth="q:key", host="maps.googleapis.com")
k("gcp-oauth-client-secret", "Google OAuth", "client secret", "GOCSPX-{w:28}", p=True)
k("google-oauth-refresh-token", "Google", "refresh token", "1//0{w:60-90}", p=True)
k("google-oauth-access-token", "Google", "access token", "ya29.{w:120-160}", p=True)
k("firebase-fcm-server-key", "Firebase", "server key", "AAAA{w:7}:APA91b{w:134}", p=True, auth="s:key=", host="fcm.googleapis.com")
pair("gcs-hmac-secret", "GCS", "hmac access id", "GOOG1E{s:55}", "hmac secret", "{b:40}")
k("gcp-service-account-key", "Google", "service account", None, p=True, cls="gcp-sa")
k("google-recaptcha-secret-key", "reCAPTCHA", "secret key", "6L{w:38}", auth="q:secret")
k("azure-storage-account-key", "Azure Storage", "account key", "{b:86}==", auth="s:SharedKey acmestore:")
conn("azure-storage-connection-string", "Azure Storage", "DefaultEndpointsProtocol=https;AccountName={l:12};AccountKey={b:86}==;EndpointSuffix=core.windows.net", env="AZURE_STORAGE_CONNECTION_STRING")
url("azure-storage-sas-url", "Azure Storage", "sas url", "https://{l:12}.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2026-03-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig={b:43}%3D", env="AZURE_SAS_URL")
k("azure-ad-client-secret", "Azure AD", "client secret", "{a:3}{d:1}Q~{q:34}", p=True)
k("azure-devops-pat", "Azure DevOps", "pat", "{S:52}", auth="basic", host="dev.azure.com")
conn("azure-cosmosdb-connection-string", "Cosmos DB", "AccountEndpoint=https://{l:10}.documents.azure.com:443/;AccountKey={b:86}==;", env="COSMOS_CONNECTION_STRING")
conn("azure-service-bus-connection-string", "Service Bus", "Endpoint=sb://{l:10}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={b:43}=", env="SERVICEBUS_CONNECTION_STRING")
conn("azure-event-hubs-connection-string", "Event Hubs", "Endpoint=sb://{l:10}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={b:43}=;EntityPath=events", env="EVENTHUB_CONNECTION_STRING")
conn("azure-iot-hub-connection-string", "IoT Hub", "HostName={l:10}.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey={b:43}=", env="IOTHUB_CONNECTION_STRING")
conn("azure-signalr-connection-string", "SignalR", "Endpoint=https://{l:10}.service.signalr.net;AccessKey={b:43}=;Version=1.0;", env="AZURE_SIGNALR_CONNECTION_STRING")
conn("azure-app-configuration-connection-string", "App Configuration", "Endpoint=https://{l:10}.azconfig.io;Id={w:4}-l0-s0:{a:20};Secret={b:43}=", env="APPCONFIG_CONNECTION_STRING")
conn("azure-communication-connection-string", "Communication Services", "endpoint=https://{l:10}.communication.azure.com/;accesskey={b:86}==", env="ACS_CONNECTION_STRING")
conn("azure-redis-connection-string", "Azure Redis", "{l:10}.redis.cache.windows.net:6380,password={b:43}=,ssl=True,abortConnect=False", env="REDIS_CONNECTION_STRING")
conn("azure-sql-connection-string", "Azure SQL", "Server=tcp:{l:10}.database.windows.net,1433;Initial Catalog={z:6};User ID={z:6}admin;Password={r:18};Encrypt=True;", env="SQL_CONNECTION_STRING")
k("azure-openai-api-key", "Azure OpenAI", "api key", "{h:32}", auth="h:api-key", host="acme-prod.openai.azure.com")
k("azure-cognitive-services-key", "Azure Cognitive Services", "subscription key", "{h:32}", auth="h:Ocp-Apim-Subscription-Key", host="westeurope.api.cognitive.microsoft.com")
k("azure-maps-key", "Azure Maps", "subscription key", "{w:43}", auth="q:subscription-key", host="atlas.microsoft.com")
k("azure-search-admin-key", "Azure Search", "admin key", "{a:52}", auth="h:api-key", host="acme.search.windows.net")
k("azure-container-registry-password", "ACR", "password", "{a:52}", auth="basic", host="acme.azurecr.io")
k("azure-function-key", "Azure Functions", "function key", "{w:54}==", auth="h:x-functions-key", host="acme-fn.azurewebsites.net")
k("azure-batch-account-key", "Azure Batch", "account key", "{b:86}==")
k("alibaba-access-key-id", "Alibaba Cloud", "access key id", "LTAI{a:20}", p=True)
pair("alibaba-access-key-secret", "Alibaba Cloud", "access key id", "LTAI{a:20}", "access key secret", "{a:30}")
k("tencent-cloud-secret-id", "Tencent Cloud", "secret id", "AKID{a:32}", p=True)
pair("tencent-cloud-secret-key", "Tencent Cloud", "secret id", "AKID{a:32}", "secret key", "{a:32}")
pair("huawei-cloud-secret-key", "Huawei Cloud", "access key", "{u:20}", "secret key", "{a:40}")
pair("baidu-cloud-secret-key", "Baidu Cloud", "access key", "{h:32}", "secret key", "{h:32}")
k("ibm-cloud-api-key", "IBM Cloud", "api key", "{w:44}")
pair("ibm-cos-hmac-secret", "IBM COS", "access key id", "{h:32}", "secret access key", "{h:48}")
k("oracle-cloud-auth-token", "OCI", "auth token", "{o:20}")
k("digitalocean-pat", "DigitalOcean", "token", "dop_v1_{h:64}", p=True)
k("digitalocean-oauth-token", "DigitalOcean", "oauth token", "doo_v1_{h:64}", p=True)
k("digitalocean-refresh-token", "DigitalOcean", "refresh token", "dor_v1_{h:64}", p=True)
pair("digitalocean-spaces-secret", "Spaces", "access key", "DO00{u:16}", "secret key", "{b:43}")
k("linode-api-token", "Linode", "token", "{h:64}")
k("vultr-api-key", "Vultr", "api key", "{u:36}")
k("hetzner-cloud-token", "Hetzner", "api token", "{a:64}", env="HCLOUD_TOKEN")
k("scaleway-access-key", "Scaleway", "access key", "SCW{u:17}", p=True)
pair("scaleway-secret-key", "Scaleway", "access key", "SCW{u:17}", "secret key", "{U}")
k("ovh-application-secret", "OVH", "application secret", "{a:32}")
k("ovh-consumer-key", "OVH", "consumer key", "{a:32}")
k("heroku-api-key", "Heroku", "api key", "{U}")
k("heroku-api-key-v2", "Heroku", "api key", "HRKU-AA{w:58}", p=True)
k("cloudflare-api-token", "Cloudflare", "api token", "{w:40}")
k("cloudflare-global-api-key", "Cloudflare", "api key", "{h:37}", auth="h:X-Auth-Key")
k("cloudflare-origin-ca-key", "Cloudflare", "origin ca key", "v1.0-{h:24}-{h:146}", p=True, auth="h:X-Auth-User-Service-Key")
k("fastly-api-token", "Fastly", "api token", "{w:32}", auth="h:Fastly-Key")
k("netlify-pat", "Netlify", "auth token", "nfp_{a:36}", p=True)
k("netlify-legacy-token", "Netlify", "auth token", "{w:43}")
k("vercel-token", "Vercel", "token", "{a:24}")
k("flyio-token", "Fly", "api token", "FlyV1 fm2_{b:200-260}", p=True)
k("render-api-key", "Render", "api key", "rnd_{a:32}", p=True)
k("railway-token", "Railway", "token", "{U}")
k("deno-deploy-token", "Deno Deploy", "token", "ddp_{a:36}", p=True)
k("supabase-access-token", "Supabase", "access token", "sbp_{h:40}", p=True)
k("supabase-secret-key", "Supabase", "secret key", "sb_secret_{w:32}", p=True)
k("planetscale-password", "PlanetScale", "password", "pscale_pw_{w:43}", p=True)
k("planetscale-service-token", "PlanetScale", "service token", "pscale_tkn_{w:43}", p=True)
k("planetscale-oauth-token", "PlanetScale", "oauth token", "pscale_oauth_{w:43}", p=True)
conn("mongodb-atlas-srv", "MongoDB", "mongodb+srv://{z:6}:{r:16}@cluster0.{l:5}.mongodb.net/?retryWrites=true&w=majority", env="MONGODB_URI", tool="mongosh")
pair("mongodb-atlas-private-key", "MongoDB Atlas", "public key", "{z:8}", "private key", "{U}")
k("neon-api-key", "Neon", "api key", "napi_{l:64}", p=True)
k("databricks-token", "Databricks", "token", "dapi{h:32}", p=True)
conn("snowflake-url", "Snowflake", "snowflake://{z:6}:{r:16}@{l:7}-{l:7}/analytics/public?warehouse=compute_wh", env="SNOWFLAKE_URL")
k("elastic-api-key", "Elastic", "api key", elastic_key, auth="s:ApiKey")
pair("algolia-admin-api-key", "Algolia", "application id", "{u:10}", "admin api key", "{h:32}")
k("pinecone-api-key", "Pinecone", "api key", "pcsk_{a:5}_{a:63}", p=True, auth="h:Api-Key")
k("upstash-redis-token", "Upstash Redis", "rest token", "{w:60}=")
k("influxdb-token", "InfluxDB", "token", "{w:86}==", auth="s:Token")
pair("confluent-api-secret", "Confluent", "api key", "{u:16}", "api secret", "{b:64}")
conn("cockroachdb-url", "CockroachDB", "postgresql://{z:6}:{w:22}@free-tier.gcp-us-central1.cockroachlabs.cloud:26257/defaultdb?sslmode=verify-full", tool="psql")
k("aiven-token", "Aiven", "token", "{b:372}", auth="s:aivenv1")
pair("clickhouse-cloud-secret", "ClickHouse", "key id", "{a:20}", "key secret", "{a:42}")
k("turso-auth-token", "Turso", "auth token", lambda r: jwt(r, {"a": "rw"}, "EdDSA", 64), p=True)
k("appwrite-api-key", "Appwrite", "api key", "standard_{h:256}", p=True, auth="h:X-Appwrite-Key")

# Source hosting and CI.
for pre, what in [("ghp_", "personal access token"), ("gho_", "oauth token"), ("ghu_", "user to server token"),
                  ("ghs_", "server to server token"), ("ghr_", "refresh token")]:
    k("github-" + what.replace(" ", "-"), "GitHub", "token" if pre == "ghp_" else what,
      (lambda pre: lambda r: crc_token(r, pre))(pre), p=True, auth="token", extra=GITCRED if pre in ("ghp_", "gho_") else {})
k("github-fine-grained-pat", "GitHub", "token", "github_pat_11{u:20}_{a:59}", p=True, extra=GITCRED)
k("github-oauth-client-secret", "GitHub", "client secret", "{h:40}")
k("gitlab-pat", "GitLab", "token", "glpat-{w:20}", p=True, auth="h:PRIVATE-TOKEN", extra=GLCRED)
k("gitlab-deploy-token", "GitLab", "deploy token", "gldt-{w:20}", p=True, auth="h:Deploy-Token")
k("gitlab-runner-token", "GitLab", "runner token", "glrt-{w:20}", p=True)
k("gitlab-runner-registration-token", "GitLab", "registration token", "GR1348941{w:20}", p=True)
k("gitlab-pipeline-trigger-token", "GitLab", "trigger token", "glptt-{h:40}", p=True, auth="q:token")
k("gitlab-feed-token", "GitLab", "feed token", "glft-{w:20}", p=True, auth="q:feed_token")
k("gitlab-scim-token", "GitLab", "scim token", "glsoat-{w:20}", p=True)
k("gitlab-oauth-app-secret", "GitLab", "oauth secret", "gloas-{h:64}", p=True)
k("gitlab-incoming-mail-token", "GitLab", "incoming mail token", "glimt-{l:25}", p=True)
k("gitlab-feature-flag-token", "GitLab", "feature flags token", "glffct-{w:20}", p=True)
k("gitlab-agent-token", "GitLab", "agent token", "glagent-{w:50}", p=True)
k("bitbucket-app-password", "Bitbucket", "app password", "ATBB{a:32}", p=True, auth="basic")
k("atlassian-api-token", "Atlassian", "api token", "ATATT3xFfGF0{w:170}={H:8}", p=True, auth="basic")
k("jira-legacy-api-token", "Jira", "api token", "{a:24}", auth="basic")
k("bitbucket-client-secret", "Bitbucket", "client secret", "{a:32}")
k("circleci-personal-token", "CircleCI", "token", "CCIPAT_{a:22}_{h:40}", p=True, auth="h:Circle-Token")
k("circleci-project-token", "CircleCI", "project token", "CCIPRJ_{a:22}_{h:40}", p=True, auth="h:Circle-Token")
k("circleci-legacy-token", "CircleCI", "token", "{h:40}", auth="h:Circle-Token")
k("travis-ci-token", "Travis", "token", "{w:22}", auth="s:token")
k("buildkite-api-token", "Buildkite", "api token", "bkua_{h:40}", p=True)
k("buildkite-agent-token", "Buildkite", "agent token", "{a:50}")
k("drone-token", "Drone", "token", "{a:32}")
k("jenkins-api-token", "Jenkins", "api token", "11{h:32}", auth="basic", host="ci.acme-corp.net")
k("teamcity-token", "TeamCity", "token", "eyJ0eXAiOiAiVENWMiJ9.{w:36}.{w:48}", p=True)
k("codecov-token", "Codecov", "token", "{U}")
k("sonarqube-user-token", "SonarQube", "token", "squ_{h:40}", p=True, auth="basic")
k("sonarqube-project-token", "SonarQube", "token", "sqp_{h:40}", p=True, auth="basic")
k("sonarqube-analysis-token", "SonarQube", "token", "sqa_{h:40}", p=True, auth="basic")
k("snyk-token", "Snyk", "token", "{U}", auth="s:token")
k("sourcegraph-token", "Sourcegraph", "access token", "sgp_{h:16}_{h:40}", p=True, auth="s:token")
k("sourcegraph-legacy-token", "Sourcegraph", "access token", "sgp_{h:40}", p=True, auth="s:token")
k("gitea-token", "Gitea", "token", "{h:40}", auth="token")
k("harness-pat", "Harness", "api key", "pat.{w:22}.{h:24}.{a:20}", p=True, auth="h:x-api-key")
k("octopus-api-key", "Octopus", "api key", "API-{u:26}", p=True, auth="h:X-Octopus-ApiKey")
k("jfrog-api-key", "Artifactory", "api key", "AKCp{a:69}", p=True, auth="h:X-JFrog-Art-Api")
k("jfrog-reference-token", "Artifactory", "access token", "cmVmdGtuOjAxOj{a:50}", p=True)
k("terraform-cloud-token", "Terraform Cloud", "token", "{a:14}.atlasv1.{w:67}", p=True, env="TFE_TOKEN")
k("vault-service-token", "Vault", "token", "hvs.CAESI{w:86}", p=True, auth="h:X-Vault-Token")
k("vault-batch-token", "Vault", "token", "hvb.AAAAAQ{w:130}", p=True, auth="h:X-Vault-Token")
k("vault-legacy-token", "Vault", "token", "s.{a:24}", auth="h:X-Vault-Token")
pair("hcp-client-secret", "HCP", "client id", "{a:32}", "client secret", "{a:64}")
k("pulumi-access-token", "Pulumi", "access token", "pul-{h:40}", p=True, auth="s:token")
for pre, what in [("dp.pt.", "personal token"), ("dp.st.prd.", "service token"), ("dp.ct.", "cli token"),
                  ("dp.sa.", "service account token"), ("dp.scim.", "scim token"), ("dp.audit.", "audit token")]:
    k("doppler-" + what.replace(" ", "-"), "Doppler", what if pre != "dp.st.prd." else "token", pre + "{a:43}", p=True)
k("1password-service-account-token", "OP", "service account token", onepassword_sa, p=True)
k("1password-secret-key", "1Password", "secret key", "A3-{u:6}-{u:6}-{u:5}-{u:5}-{u:5}-{u:5}", p=True, env="OP_SECRET_KEY")
k("1password-connect-token", "OP Connect", "token", lambda r: jwt(r, {"aud": ["com.1password.connect"]}, "ES256", 64), p=True)
k("dockerhub-pat", "Docker Hub", "token", "dckr_pat_{w:27}", p=True, extra=DOCKER)
k("dockerhub-org-token", "Docker Hub", "org token", "dckr_oat_{w:32}", p=True, extra=DOCKER)
k("docker-config-auth", "Docker", "auth", docker_auth, extra={"docker-config": ("config.json", '{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "@v@"\n    }\n  }\n}\n')})
k("npm-access-token", "NPM", "token", lambda r: crc_token(r, "npm_"), p=True, extra=NPMRC)
k("npm-legacy-token", "NPM", "token", "{U}", extra=NPMRC)
k("pypi-api-token", "PyPI", "token", pypi_token, p=True, extra=PYPIRC)
k("testpypi-api-token", "TestPyPI", "token", lambda r: pypi_token(r, "test.pypi.org"), p=True, extra=PYPIRC)
k("rubygems-api-key", "RubyGems", "api key", "rubygems_{h:48}", p=True, extra=GEM, auth="h:Authorization")
k("nuget-api-key", "NuGet", "api key", "oy2{l:43}", p=True, extra=NUGET, auth="h:X-NuGet-ApiKey")
k("crates-io-token", "Cargo registry", "token", "cio{a:32}", p=True, extra=CARGO, auth="h:Authorization")
k("hex-api-key", "Hex", "api key", "{h:32}", auth="h:authorization")
k("clojars-token", "Clojars", "deploy token", "CLOJARS_{h:60}", p=True)
k("cloudsmith-api-key", "Cloudsmith", "api key", "{h:40}", auth="h:X-Api-Key")
pair("gradle-plugin-portal-secret", "Gradle", "publish key", "{a:32}", "publish secret", "{a:32}")

# AI providers.
k("openai-api-key", "OpenAI", "api key", "sk-{a:20}T3BlbkFJ{a:20}", p=True)
k("openai-project-key", "OpenAI", "api key", "sk-proj-{w:74}T3BlbkFJ{w:74}", p=True)
k("openai-service-account-key", "OpenAI", "api key", "sk-svcacct-{w:74}T3BlbkFJ{w:74}", p=True)
k("openai-admin-key", "OpenAI", "admin key", "sk-admin-{w:58}T3BlbkFJ{w:58}", p=True)
k("anthropic-api-key", "Anthropic", "api key", "sk-ant-api03-{w:93}AA", p=True, auth="h:x-api-key")
k("anthropic-admin-key", "Anthropic", "admin key", "sk-ant-admin01-{w:93}AA", p=True, auth="h:x-api-key")
k("huggingface-token", "HF", "token", "hf_{L:34}", p=True)
k("huggingface-org-token", "Hugging Face", "org token", "api_org_{L:34}", p=True)
k("cohere-api-key", "Cohere", "api key", "{a:40}")
k("replicate-token", "Replicate", "api token", "r8_{a:37}", p=True, auth="s:Token")
k("groq-api-key", "Groq", "api key", "gsk_{a:52}", p=True)
k("perplexity-api-key", "Perplexity", "api key", "pplx-{a:48}", p=True)
k("mistral-api-key", "Mistral", "api key", "{a:32}")
k("deepseek-api-key", "DeepSeek", "api key", "sk-{h:32}")
k("xai-api-key", "xAI", "api key", "xai-{a:80}", p=True)
k("together-api-key", "Together", "api key", "{h:64}")
k("fireworks-api-key", "Fireworks", "api key", "fw_{a:24}", p=True)
k("openrouter-api-key", "OpenRouter", "api key", "sk-or-v1-{h:64}", p=True)
k("langsmith-pat", "LangSmith", "api key", "lsv2_pt_{h:32}_{h:10}", p=True, auth="h:x-api-key")
k("langsmith-service-key", "LangSmith", "api key", "lsv2_sk_{h:32}_{h:10}", p=True, auth="h:x-api-key")
k("elevenlabs-api-key", "ElevenLabs", "api key", "sk_{h:48}", auth="h:xi-api-key")
k("assemblyai-api-key", "AssemblyAI", "api key", "{h:32}", auth="h:authorization")
k("deepgram-api-key", "Deepgram", "api key", "{h:40}", auth="s:Token")
k("stability-api-key", "Stability", "api key", "sk-{a:48}")
k("voyage-api-key", "Voyage", "api key", "pa-{w:43}")
k("wandb-api-key", "WANDB", "api key", "{h:40}", auth="basic")
k("cerebras-api-key", "Cerebras", "api key", "csk-{a:48}", p=True)
k("nvidia-api-key", "NVIDIA", "api key", "nvapi-{w:64}", p=True)
k("clarifai-pat", "Clarifai", "pat", "{h:32}", auth="s:Key")
k("ai21-api-key", "AI21", "api key", "{a:32}")
k("tavily-api-key", "Tavily", "api key", "tvly-{a:32}", p=True)
k("jina-api-key", "Jina", "api key", "jina_{a:60}", p=True)
k("langfuse-secret-key", "Langfuse", "secret key", "sk-lf-{U}", p=True, auth="basic")
pair("modal-token-secret", "Modal", "token id", "ak-{a:22}", "token secret", "as-{a:22}")
k("prefect-api-key", "Prefect", "api key", "pnu_{a:36}", p=True)
k("deepinfra-api-key", "DeepInfra", "api key", "{a:32}")
k("leonardo-api-key", "Leonardo", "api key", "{U}")

# Payments and commerce.
k("stripe-secret-key", "Stripe", "secret key", "sk_live_{a:24-99}", p=True, auth="basic")
k("stripe-restricted-key", "Stripe", "restricted key", "rk_live_{a:24-99}", p=True, auth="basic")
k("stripe-test-secret-key", "Stripe", "secret key", "sk_test_{a:24-99}", p=True, auth="basic")
k("stripe-webhook-secret", "Stripe", "webhook secret", "whsec_{a:32}", p=True)
k("square-access-token", "Square", "access token", "EAAA{w:60}", p=True)
k("square-legacy-access-token", "Square", "access token", "sq0atp-{w:22}", p=True)
k("square-oauth-secret", "Square", "application secret", "sq0csp-{w:43}", p=True)
k("braintree-access-token", "Braintree", "access token", "access_token$production${l:16}${h:32}", p=True)
pair("braintree-private-key", "Braintree", "public key", "{l:16}", "private key", "{h:32}")
pair("paypal-client-secret", "PayPal", "client id", "A{w:79}", "client secret", "E{w:79}")
k("adyen-api-key", "Adyen", "api key", "AQE{a:3}{w:40}.{w:10}=-{b:43}=-{a:16}", p=True, auth="h:X-API-Key")
pair("razorpay-key-secret", "Razorpay", "key id", "rzp_live_{a:14}", "key secret", "{a:24}")
k("checkout-secret-key", "Checkout", "secret key", "sk_{U}")
k("mollie-api-key", "Mollie", "api key", "live_{a:30}")
k("gocardless-access-token", "GoCardless", "access token", "live_{w:40}")
k("paystack-secret-key", "Paystack", "secret key", "sk_live_{h:40}")
k("flutterwave-secret-key", "Flutterwave", "secret key", "FLWSECK-{h:32}-X", p=True)
pair("plaid-secret", "Plaid", "client id", "{h:24}", "secret", "{h:30}")
k("plaid-access-token", "Plaid", "access token", "access-production-{U}", p=True)
k("shopify-access-token", "Shopify", "access token", "shpat_{h:32}", p=True, auth="h:X-Shopify-Access-Token")
k("shopify-shared-secret", "Shopify", "shared secret", "shpss_{h:32}", p=True)
k("shopify-custom-app-token", "Shopify", "access token", "shpca_{h:32}", p=True, auth="h:X-Shopify-Access-Token")
k("shopify-private-app-token", "Shopify", "access token", "shppa_{h:32}", p=True, auth="h:X-Shopify-Access-Token")
pair("woocommerce-consumer-secret", "WooCommerce", "consumer key", "ck_{h:40}", "consumer secret", "cs_{h:40}")
k("easypost-api-key", "EasyPost", "api key", "EZAK{a:54}", p=True, auth="basic")
k("shippo-api-token", "Shippo", "api token", "shippo_live_{h:40}", p=True, auth="s:ShippoToken")
k("recurly-api-key", "Recurly", "api key", "{h:32}", auth="basic")
k("wise-api-token", "Wise", "api token", "{U}")
pair("authorize-net-transaction-key", "Authorize.Net", "api login id", "{a:10}", "transaction key", "{a:16}")
k("coinbase-api-secret", "Coinbase", "api secret", "{a:32}")
k("lemonsqueezy-api-key", "Lemon Squeezy", "api key", lambda r: jwt(r, {"aud": "94d59cef"}, "RS256", 256))
k("paddle-api-key", "Paddle", "api key", "pdl_live_apikey_{l:26}_{w:27}", p=True)
k("xendit-secret-key", "Xendit", "secret key", "xnd_production_{w:60}", p=True, auth="basic")
k("midtrans-server-key", "Midtrans", "server key", "Mid-server-{w:24}", p=True, auth="basic")

# Messaging and social.
k("slack-bot-token", "Slack", "bot token", "xoxb-{d:11}-{d:13}-{a:24}", p=True)
k("slack-user-token", "Slack", "user token", "xoxp-{d:11}-{d:11}-{d:13}-{h:32}", p=True)
k("slack-app-token", "Slack", "app token", "xapp-1-A{u:10}-{d:13}-{h:64}", p=True)
k("slack-config-token", "Slack", "config token", "xoxe.xoxp-1-{w:160}", p=True)
k("slack-refresh-token", "Slack", "refresh token", "xoxe-1-{w:140}", p=True)
url("slack-webhook-url", "Slack", "webhook url", "https://hooks.slack.com/services/T{u:8}/B{u:10}/{a:24}")
url("slack-workflow-webhook-url", "Slack", "webhook url", "https://hooks.slack.com/triggers/T{u:8}/{d:13}/{h:32}")
k("slack-signing-secret", "Slack", "signing secret", "{h:32}")
k("discord-bot-token", "Discord", "bot token", discord_bot, p=True, auth="s:Bot")
url("discord-webhook-url", "Discord", "webhook url", "https://discord.com/api/webhooks/{d:18}/{w:68}")
k("discord-client-secret", "Discord", "client secret", "{w:32}")
k("telegram-bot-token", "Telegram", "bot token", "{d:10}:AA{w:33}", p=True)
pair("twilio-api-key-secret", "Twilio", "api key", "SK{h:32}", "api secret", "{a:32}")
k("twilio-auth-token", "Twilio", "auth token", "{h:32}", auth="basic")
k("sendgrid-api-key", "SendGrid", "api key", "SG.{w:22}.{w:43}", p=True)
k("mailgun-api-key", "Mailgun", "api key", "key-{h:32}", p=True, auth="basic")
k("mailgun-private-key", "Mailgun", "api key", "{h:32}-{h:8}-{h:8}", auth="basic")
k("mailchimp-api-key", "Mailchimp", "api key", "{h:32}-us{d:2}", p=True, auth="basic")
k("postmark-server-token", "Postmark", "server token", "{U}", auth="h:X-Postmark-Server-Token")
k("mandrill-api-key", "Mandrill", "api key", "{w:22}")
pair("mailjet-secret-key", "Mailjet", "api key", "{h:32}", "secret key", "{h:32}")
k("sparkpost-api-key", "SparkPost", "api key", "{h:40}", auth="h:Authorization")
k("brevo-api-key", "Brevo", "api key", "xkeysib-{h:64}-{a:16}", p=True, auth="h:api-key")
k("brevo-smtp-key", "Brevo", "smtp key", "xsmtpsib-{h:64}-{a:16}", p=True)
k("resend-api-key", "Resend", "api key", "re_{a:8}_{a:24}", p=True)
k("mailersend-api-token", "MailerSend", "api token", "mlsn.{h:64}", p=True)
pair("vonage-api-secret", "Vonage", "api key", "{h:8}", "api secret", "{a:16}")
k("messagebird-api-key", "MessageBird", "access key", "{a:25}", auth="s:AccessKey")
pair("plivo-auth-token", "Plivo", "auth id", "MA{u:18}", "auth token", "{a:40}")
url("microsoft-teams-webhook-url", "Teams", "webhook url", "https://acmecorp.webhook.office.com/webhookb2/{U}@{U}/IncomingWebhook/{h:32}/{U}")
url("google-chat-webhook-url", "Google Chat", "webhook url", "https://chat.googleapis.com/v1/spaces/AAAA{w:7}/messages?key=AIza{w:35}&token={w:43}%3D")
url("mattermost-webhook-url", "Mattermost", "webhook url", "https://chat.acme-corp.net/hooks/{l:26}")
url("zapier-webhook-url", "Zapier", "webhook url", "https://hooks.zapier.com/hooks/catch/{d:7}/{l:6}/")
url("ifttt-webhook-url", "IFTTT", "webhook url", "https://maker.ifttt.com/trigger/deploy_done/with/key/{w:22}")
k("line-channel-access-token", "LINE", "channel access token", "{b:171}=")
k("line-channel-secret", "LINE", "channel secret", "{h:32}")
pair("pusher-app-secret", "Pusher", "key", "{h:20}", "secret", "{h:20}")
k("intercom-access-token", "Intercom", "access token", "dG9rOj{w:54}=", p=True)
k("zendesk-api-token", "Zendesk", "api token", "{a:40}", auth="basic")
k("freshdesk-api-key", "Freshdesk", "api key", "{a:20}", auth="basic")
k("onesignal-api-key", "OneSignal", "rest api key", "os_v2_app_{S:106}", p=True, auth="s:Key")
k("twitch-client-secret", "Twitch", "client secret", "{l:30}")
k("twitter-bearer-token", "Twitter", "bearer token", "AAAAAAAAAAAAAAAAAAAAA{a:24}%3D{a:50}", p=True)
k("twitter-api-secret", "Twitter", "api secret", "{a:50}")
k("facebook-access-token", "Facebook", "access token", "EAA{a:150-190}", p=True, auth="q:access_token")
k("facebook-app-secret", "Facebook", "app secret", "{h:32}")
k("instagram-access-token", "Instagram", "access token", "IGQV{w:150-190}", p=True, auth="q:access_token")
k("linkedin-client-secret", "LinkedIn", "client secret", "{a:16}")
k("zoom-client-secret", "Zoom", "client secret", "{a:32}")
k("ably-api-key", "Ably", "api key", "{a:6}.{a:6}:{w:43}", auth="basic")
k("getstream-api-secret", "Stream", "api secret", "{a:64}")
k("agora-app-certificate", "Agora", "app certificate", "{h:32}")
k("sendbird-api-token", "Sendbird", "api token", "{h:40}", auth="h:Api-Token")
k("zulip-api-key", "Zulip", "api key", "{a:32}", auth="basic")
k("pagerduty-api-key", "PagerDuty", "api key", "u+{w:18}", auth="s:Token token=")
k("pagerduty-routing-key", "PagerDuty", "routing key", "{h:32}")
k("opsgenie-api-key", "Opsgenie", "api key", "{U}", auth="s:GenieKey")

# Observability and product analytics.
k("datadog-api-key", "Datadog", "api key", "{h:32}", auth="h:DD-API-KEY")
k("datadog-app-key", "Datadog", "app key", "{h:40}", auth="h:DD-APPLICATION-KEY")
k("newrelic-user-key", "New Relic", "api key", "NRAK-{u:27}", p=True, auth="h:Api-Key")
k("newrelic-license-key", "New Relic", "license key", "{h:36}NRAL", p=True)
k("newrelic-insert-key", "New Relic", "insert key", "NRII-{w:32}", p=True, auth="h:X-Insert-Key")
k("newrelic-admin-key", "New Relic", "admin key", "NRAA-{h:27}", p=True, auth="h:X-Api-Key")
k("sentry-org-token", "Sentry", "auth token", sentry_org, p=True)
k("sentry-user-token", "Sentry", "auth token", "sntryu_{h:64}", p=True)
k("sentry-legacy-token", "Sentry", "auth token", "{h:64}")
url("sentry-dsn-with-secret", "Sentry", "dsn", "https://{h:32}:{h:32}@o{d:6}.ingest.sentry.io/{d:7}")
k("honeycomb-ingest-key", "Honeycomb", "api key", "hcaik_{l:58}", p=True, auth="h:X-Honeycomb-Team")
k("honeycomb-config-key", "Honeycomb", "api key", "{a:22}", auth="h:X-Honeycomb-Team")
k("grafana-cloud-token", "Grafana Cloud", "token", grafana_cloud, p=True)
k("grafana-service-account-token", "Grafana", "service account token", grafana_sa, p=True)
k("grafana-legacy-api-key", "Grafana", "api key", grafana_legacy, p=True)
k("dynatrace-api-token", "Dynatrace", "api token", "dt0c01.{u:24}.{u:64}", p=True, auth="s:Api-Token")
k("splunk-hec-token", "Splunk", "hec token", "{U}", auth="s:Splunk")
k("signalfx-access-token", "SignalFx", "access token", "{w:22}", auth="h:X-SF-Token")
pair("sumologic-access-key", "Sumo Logic", "access id", "su{a:12}", "access key", "{a:64}")
k("loggly-token", "Loggly", "customer token", "{U}")
k("papertrail-api-token", "Papertrail", "api token", "{a:20}", auth="h:X-Papertrail-Token")
k("rollbar-access-token", "Rollbar", "access token", "{h:32}", auth="h:X-Rollbar-Access-Token")
k("bugsnag-api-key", "Bugsnag", "api key", "{h:32}", auth="h:Bugsnag-Api-Key")
k("logzio-shipping-token", "Logz.io", "shipping token", "{L:32}", auth="q:token")
k("betterstack-source-token", "Better Stack", "source token", "{a:24}")
k("axiom-api-token", "Axiom", "api token", "xaat-{U}", p=True)
k("axiom-personal-token", "Axiom", "personal token", "xapt-{U}", p=True)
k("posthog-personal-api-key", "PostHog", "personal api key", "phx_{a:47}", p=True)
k("mixpanel-api-secret", "Mixpanel", "api secret", "{h:32}", auth="basic")
pair("amplitude-secret-key", "Amplitude", "api key", "{h:32}", "secret key", "{h:32}")
k("launchdarkly-sdk-key", "LaunchDarkly", "sdk key", "sdk-{U}", p=True)
k("launchdarkly-api-token", "LaunchDarkly", "api token", "api-{U}", p=True, auth="h:Authorization")
k("statsig-server-secret", "Statsig", "server secret", "secret-{a:43}", p=True, auth="h:statsig-api-key")
k("instana-api-token", "Instana", "api token", "{w:22}", auth="s:apiToken")
k("elastic-apm-secret-token", "Elastic APM", "secret token", "{a:24}")
k("coralogix-api-key", "Coralogix", "api key", "cxtp_{a:30}", p=True)
k("honeybadger-token", "Honeybadger", "personal auth token", "hbp_{a:36}", p=True)
k("airbrake-project-key", "Airbrake", "project key", "{h:32}")
k("mezmo-ingestion-key", "LogDNA", "ingestion key", "{h:32}", auth="basic")

# Identity.
k("okta-api-token", "Okta", "api token", "00{w:40}", auth="s:SSWS", host="acme.okta.com")
k("auth0-client-secret", "Auth0", "client secret", "{w:64}")
k("auth0-management-token", "Auth0", "management token", lambda r: jwt(r, {"iss": "https://acme.eu.auth0.com/", "aud": "https://acme.eu.auth0.com/api/v2/"}, "RS256", 256))
k("clerk-secret-key", "Clerk", "secret key", "sk_live_{a:42}")
k("stytch-secret", "Stytch", "secret", "secret-live-{w:36}=", p=True, auth="basic")
k("keycloak-client-secret", "Keycloak", "client secret", "{a:32}")
k("onelogin-client-secret", "OneLogin", "client secret", "{h:64}")
pair("duo-secret-key", "Duo", "integration key", "DI{u:18}", "secret key", "{a:40}")
k("jumpcloud-api-key", "JumpCloud", "api key", "jca_{a:36}", p=True, auth="h:x-api-key")

# Infrastructure, SaaS APIs and the long tail.
k("age-secret-key", "SOPS age", "key", age_key, p=True)
k("kubernetes-service-account-token", "Kubernetes", "token", lambda r: jwt(r, {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "default"}, "RS256", 256), p=True)
k("kubeconfig-client-key-data", "Kubernetes", "client key data", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcE{b:1600}", p=True,
  extra={"kubeconfig": ("kubeconfig", "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: @v@\n")})
k("ngrok-authtoken", "ngrok", "authtoken", "2{a:26}_{a:21}")
k("tailscale-auth-key", "Tailscale", "auth key", "tskey-auth-k{a:11}CNTRL-{a:33}", p=True)
k("tailscale-api-key", "Tailscale", "api key", "tskey-api-k{a:11}CNTRL-{a:33}", p=True, auth="basic")
k("tailscale-oauth-secret", "Tailscale", "oauth client secret", "tskey-client-k{a:11}CNTRL-{a:33}", p=True)
url("cloudinary-url", "Cloudinary", "url", "cloudinary://{d:15}:{w:27}@{l:8}", env="CLOUDINARY_URL")
k("mapbox-secret-token", "Mapbox", "access token", "sk.eyJ1Ijoi{w:60}.{w:22}", p=True, auth="q:access_token")
k("here-api-key", "HERE", "api key", "{w:43}", auth="q:apiKey")
k("contentful-management-token", "Contentful", "management token", "CFPAT-{w:43}", p=True)
k("contentful-delivery-token", "Contentful", "delivery token", "{w:43}")
k("sanity-api-token", "Sanity", "api token", "sk{a:78}")
k("storyblok-access-token", "Storyblok", "access token", "{a:22}tt", auth="q:token")
k("airtable-pat", "Airtable", "token", "pat{a:14}.{h:64}", p=True)
k("airtable-legacy-api-key", "Airtable", "api key", "key{a:14}")
k("notion-integration-token", "Notion", "token", "secret_{a:43}", p=True)
k("notion-token-v2", "Notion", "token", "ntn_{d:11}{a:35}", p=True)
k("asana-pat", "Asana", "pat", "2/{d:16}/{d:16}:{h:32}", p=True)
k("asana-legacy-pat", "Asana", "pat", "1/{d:16}:{h:32}", p=True)
k("linear-api-key", "Linear", "api key", "lin_api_{a:40}", p=True, auth="h:Authorization")
k("linear-oauth-token", "Linear", "oauth token", "lin_oauth_{h:64}", p=True)
k("clickup-api-token", "ClickUp", "api token", "pk_{d:8}_{u:32}", p=True, auth="h:Authorization")
k("monday-api-token", "Monday", "api token", lambda r: jwt(r, {"tid": r.randrange(10**8), "aai": 11, "uid": r.randrange(10**7)}))
pair("trello-api-token", "Trello", "api key", "{h:32}", "token", "ATTA{h:64}{H:8}")
k("figma-pat", "Figma", "token", "figd_{w:40}", p=True, auth="h:X-Figma-Token")
k("typeform-pat", "Typeform", "token", "tfp_{w:44}_{w:14}", p=True)
k("dropbox-short-lived-token", "Dropbox", "access token", "sl.{w:135}", p=True)
k("dropbox-long-lived-token", "Dropbox", "access token", "{a:11}AAAAAAAAAA{w:43}")
k("box-developer-token", "Box", "developer token", "{a:32}")
k("hubspot-private-app-token", "HubSpot", "access token", "pat-na1-{U}", p=True)
k("hubspot-legacy-api-key", "HubSpot", "api key", "{U}", auth="q:hapikey")
k("salesforce-access-token", "Salesforce", "access token", "00D{a:12}!{x:96}", p=True)
k("zoho-refresh-token", "Zoho", "refresh token", "1000.{h:32}.{h:32}", p=True, auth="s:Zoho-oauthtoken")
k("pipedrive-api-token", "Pipedrive", "api token", "{h:40}", auth="q:api_token")
k("xero-client-secret", "Xero", "client secret", "{w:48}")
k("quickbooks-client-secret", "QuickBooks", "client secret", "{a:40}")
k("eventbrite-token", "Eventbrite", "private token", "{u:20}")
k("postman-api-key", "Postman", "api key", "PMAK-{h:24}-{h:34}", p=True, auth="h:X-Api-Key")
k("rapidapi-key", "RapidAPI", "key", "{a:50}", auth="h:X-RapidAPI-Key")
k("frameio-token", "Frame.io", "token", "fio-u-{w:64}", p=True)
k("lob-api-key", "Lob", "api key", "live_{h:35}", auth="basic")
k("dbt-cloud-token", "dbt Cloud", "token", "dbtc_{w:47}", p=True, auth="s:Token")
pair("fivetran-api-secret", "Fivetran", "api key", "{a:16}", "api secret", "{a:32}")
k("expo-access-token", "Expo", "token", "{w:40}")
k("apple-app-specific-password", "Apple ID", "app specific password", "{z:4}-{z:4}-{z:4}-{z:4}")
k("browserstack-access-key", "BrowserStack", "access key", "{a:20}", auth="basic")
k("saucelabs-access-key", "Sauce", "access key", "{U}", auth="basic")
k("lambdatest-access-key", "LambdaTest", "access key", "{a:50}", auth="basic")
k("cypress-record-key", "Cypress", "record key", "{U}")
k("percy-token", "Percy", "token", "web_{h:64}", auth="s:Token token=")
k("yandex-cloud-api-key", "Yandex Cloud", "api key", "AQVN{w:36}", p=True, auth="s:Api-Key")
k("yandex-oauth-token", "Yandex", "oauth token", "y0_{w:55}", p=True, auth="s:OAuth")
k("mapquest-api-key", "MapQuest", "api key", "{a:32}", auth="q:key")
k("openweathermap-api-key", "OpenWeather", "api key", "{h:32}", auth="q:appid")
k("newsapi-key", "NewsAPI", "api key", "{h:32}", auth="h:X-Api-Key")
k("ipinfo-token", "IPinfo", "token", "{h:14}", auth="q:token")
k("abstract-api-key", "Abstract", "api key", "{h:32}", auth="q:api_key")
k("coinmarketcap-api-key", "CoinMarketCap", "api key", "{U}", auth="h:X-CMC_PRO_API_KEY")
k("etherscan-api-key", "Etherscan", "api key", "{u:34}", auth="q:apikey")
k("infura-project-secret", "Infura", "project secret", "{h:32}")
k("alchemy-api-key", "Alchemy", "api key", "{w:32}")
k("shodan-api-key", "Shodan", "api key", "{a:32}", auth="q:key")
k("virustotal-api-key", "VirusTotal", "api key", "{h:64}", auth="h:x-apikey")
k("hunter-api-key", "Hunter", "api key", "{h:40}", auth="q:api_key")
k("serpapi-key", "SerpApi", "api key", "{h:64}", auth="q:api_key")
k("unsplash-secret-key", "Unsplash", "secret key", "{w:43}")
k("giphy-api-key", "Giphy", "api key", "{a:32}", auth="q:api_key")
k("spotify-client-secret", "Spotify", "client secret", "{h:32}")
k("youtube-oauth-client-secret", "YouTube", "client secret", "GOCSPX-{w:28}", p=True)
k("github-app-webhook-secret", "GitHub", "webhook secret", "{h:40}")
k("adobe-client-secret", "Adobe", "client secret", "p8e-{w:32}", p=True)
k("atlassian-oauth-secret", "Atlassian", "client secret", "ATOA{w:60}", p=True)
k("segment-access-token", "Segment", "access token", "sgp_{a:64}", p=True)
k("mux-token-secret", "Mux", "token secret", "{b:75}", auth="basic")
k("cloudflare-r2-secret", "R2", "secret access key", "{h:64}")
k("backblaze-application-key", "B2", "application key", "K00{a:28}", p=True)
pair("wasabi-secret-key", "Wasabi", "access key", "{u:20}", "secret key", "{a:40}")
k("stackhawk-api-key", "StackHawk", "api key", "hawk.{a:20}.{a:20}", p=True)
k("snowflake-pat", "Snowflake", "token", lambda r: jwt(r, {"iss": "ACME-ACCOUNT.SVC"}, "ES256", 64))
k("vercel-blob-token", "Vercel Blob", "read write token", "vercel_blob_rw_{a:16}_{a:30}", p=True)
k("mapbox-download-token", "Mapbox", "downloads token", "sk.eyJ1Ijoi{w:60}.{w:22}", p=True, env="MAPBOX_DOWNLOADS_TOKEN")
k("codacy-api-token", "Codacy", "api token", "{a:20}", auth="h:api-token")
k("coveralls-repo-token", "Coveralls", "repo token", "{a:33}")
k("deepsource-dsn", "DeepSource", "dsn", "https://{h:32}@app.deepsource.com", p=True)
k("bitrise-pat", "Bitrise", "access token", "{w:86}")
k("appveyor-api-token", "AppVeyor", "api token", "v2.{l:20}")
k("npm-granular-token", "NPM", "publish token", lambda r: crc_token(r, "npm_"), p=True, env="NODE_AUTH_TOKEN")
k("firebase-token", "Firebase", "ci token", "1//0{w:90-100}", p=True, env="FIREBASE_TOKEN")

# Private keys.
for which, label in [("rsa", "rsa"), ("openssh", "openssh"), ("ec", "ec"), ("dsa", "dsa"), ("pkcs8", "pkcs8"),
                     ("pkcs8-ec", "pkcs8-ec"), ("encrypted", "encrypted-pkcs8")]:
    key(f"private-key-{label}", "SSH" if which == "openssh" else "TLS", (lambda w: lambda r: pem(r, w))(which))
key("private-key-pgp", "GPG", pgp_private)
key("private-key-putty", "PuTTY", putty_key)

# Generic credentials: a password or a secret by its name, a connection string, a JWT.
k("jwt", "Session", "token", lambda r: jwt(r, {"role": "admin", "name": draw(r, LOWER, 7)}), p=True)
k("generic-password", "DB", "password", "{p:12-24}", cls="password")
k("generic-admin-password", "Admin", "password", "{p:12-24}", cls="password")
k("generic-smtp-password", "SMTP", "password", "{p:12-24}", cls="password")
k("generic-client-secret", "", "client secret", "{w:32-48}", cls="password")
k("generic-api-key", "", "api key", "{a:32-40}", cls="password")
k("generic-access-token", "", "access token", "{w:40-64}", cls="password")
k("generic-auth-token", "", "auth token", "{h:40}", cls="password")
k("generic-secret-key", "APP", "secret key", "{w:40-56}", cls="password")
k("generic-encryption-key", "", "encryption key", "{h:64}", cls="password")
k("jwt-signing-secret", "JWT", "secret", "{a:48}", cls="password")
k("django-secret-key", "Django", "secret key", "{x:50}", env="SECRET_KEY", cls="password")
k("rails-secret-key-base", "Rails", "secret key base", "{h:128}", env="SECRET_KEY_BASE", cls="password")
k("laravel-app-key", "Laravel", "app key", "base64:{b:43}=", env="APP_KEY", cls="password")
k("symfony-app-secret", "Symfony", "app secret", "{h:32}", env="APP_SECRET", cls="password")
k("nextauth-secret", "NextAuth", "secret", "{b:43}=", cls="password")
k("flask-secret-key", "Flask", "secret key", "{h:48}", env="FLASK_SECRET_KEY", cls="password")
k("session-secret", "Session", "secret", "{a:40}", cls="password")
k("basic-auth-header", "Basic", "auth", basic_b64, cls="basic")
url("basic-auth-url", "Service", "url", "https://{z:6}:{r:16}@api.acme-corp.net/v2/", env="SERVICE_URL")
conn("postgres-url", "PostgreSQL", "postgres://{z:6}:{r:16}@db.acme-corp.net:5432/{z:6}", tool="psql")
conn("mysql-url", "MySQL", "mysql://{z:6}:{r:16}@mysql.acme-corp.net:3306/{z:6}", tool="mysqlsh")
conn("mongodb-url", "MongoDB", "mongodb://{z:6}:{r:16}@mongo-0.acme-corp.net:27017/{z:6}?authSource=admin", env="MONGO_URL", tool="mongosh")
conn("redis-url", "Redis", "redis://default:{r:24}@redis.acme-corp.net:6379/0", env="REDIS_URL", tool="redis-cli -u")
conn("amqp-url", "RabbitMQ", "amqps://{z:6}:{r:16}@mq.acme-corp.net:5671/prod", env="AMQP_URL")
conn("mssql-connection-string", "SQL Server", "Server=sql01.acme-corp.net;Database={z:6};User Id={z:6};Password={r:16};", env="ConnectionStrings__Default")
conn("jdbc-mysql-url", "JDBC", "jdbc:mysql://db.acme-corp.net:3306/{z:6}?user={z:6}&password={r:16}", env="JDBC_URL")
conn("jdbc-postgres-url", "JDBC", "jdbc:postgresql://db.acme-corp.net:5432/{z:6}?user={z:6}&password={r:16}", env="JDBC_DATABASE_URL")
conn("jdbc-sqlserver-url", "JDBC", "jdbc:sqlserver://sql01.acme-corp.net:1433;databaseName={z:6};user={z:6};password={r:16};", env="DB_JDBC_URL")
conn("jdbc-oracle-url", "JDBC", "jdbc:oracle:thin:{z:6}/{r:16}@//ora.acme-corp.net:1521/ORCLPDB1", env="ORACLE_JDBC_URL")
conn("ftp-url", "FTP", "ftp://{z:6}:{r:16}@ftp.acme-corp.net/uploads", env="FTP_URL", tool="curl")
conn("smtp-url", "SMTP", "smtp://{z:6}:{r:16}@smtp.acme-corp.net:587", env="SMTP_URL")
conn("ldap-bind-url", "LDAP", "ldaps://cn=admin,dc=acme,dc=corp:{r:16}@ldap.acme-corp.net:636", env="LDAP_URL")
k("pgpass-entry", "PostgreSQL", "password", "{r:16}", cls="file",
  extra={"pgpass": (".pgpass", "db.acme-corp.net:5432:*:app:@v@\n"),
         "pgpassword-cli": ("sh", "PGPASSWORD='@v@' psql -h db.acme-corp.net -U app -d app\n")})
k("netrc-password", "netrc", "password", "{r:20}", cls="file",
  extra={"netrc": (".netrc", "machine api.acme-corp.net\n  login deploy\n  password @v@\n"),
         "netrc-oneline": ("netrc", "machine ftp.acme-corp.net login ftpuser password @v@\n")})
k("pip-index-url-password", "pip", "index url", "{r:20}", cls="file",
  extra={"pip-conf": ("pip.conf", "[global]\nindex-url = https://deploy:@v@@pypi.acme-corp.net/simple\n"),
         "requirements-index": ("requirements.txt", "--extra-index-url https://ci:@v@@pkgs.acme-corp.net/simple\nrequests==2.31.0\n")})
k("npmrc-auth", "NPM", "auth", basic_b64, cls="file",
  extra={"npmrc-auth": (".npmrc", "registry=https://npm.acme-corp.net/\n_auth=@v@\nalways-auth=true\n"),
         "yarnrc": (".yarnrc.yml", 'npmRegistries:\n  "https://npm.acme-corp.net":\n    npmAuthIdent: "@v@"\n')})
k("htpasswd-plain", "htpasswd", "password", "{r:16}", cls="file",
  extra={"wget-cli": ("sh", "wget --user=deploy --password='@v@' https://files.acme-corp.net/release.tgz\n"),
         "mysql-cli": ("sh", "mysql -h db.acme-corp.net -u root -p'@v@' app < dump.sql\n")})


# ---------------------------------------------------------------------------------------
# Snippet styles. A template's @NAME@ is filled from the example's context (see context()):
# ENV (ACME_API_KEY), snake (acme_api_key), camel (acmeApiKey), Camel, dotted
# (acme.api-key), kebab, slug (acme), field (api_key), fieldsp (api key), provider, host,
# header (the HTTP header that carries the value), curl, request, qname, v (the value).
# The first element is where such a snippet lives: "*.ext" or a file name.
TOKEN_STYLES = {
    "dotenv": (".env", "@ENV@=@v@\n"),
    "dotenv-quoted": (".env.production", '@ENV@="@v@"\n'),
    "shell-export": ("*.sh", 'export @ENV@="@v@"\n'),
    "python-assign": ("*.py", '@snake@ = "@v@"\n'),
    "python-dict": ("*.py", 'SETTINGS = {\n    "@snake@": "@v@",\n}\n'),
    "python-environ-default": ("*.py", 'import os\n\n@snake@ = os.environ.get("@ENV@", "@v@")\n'),
    "js-const": ("*.js", "const @camel@ = '@v@';\n"),
    "ts-object": ("*.ts", 'export const config = {\n  @camel@: "@v@",\n};\n'),
    "js-env-fallback": ("*.js", "const @camel@ = process.env.@ENV@ || '@v@';\n"),
    "go-const": ("*.go", 'const @Camel@ = "@v@"\n'),
    "go-struct": ("*.go", 'cfg := Config{\n\t@Camel@: "@v@",\n}\n'),
    "java-field": ("*.java", 'private static final String @ENV@ = "@v@";\n'),
    "csharp-const": ("*.cs", 'public const string @Camel@ = "@v@";\n'),
    "kotlin-val": ("*.kt", 'val @camel@ = "@v@"\n'),
    "swift-let": ("*.swift", 'let @camel@ = "@v@"\n'),
    "ruby-const": ("*.rb", "@ENV@ = '@v@'\n"),
    "php-define": ("*.php", "<?php\ndefine('@ENV@', '@v@');\n"),
    "php-array": ("*.php", "<?php\nreturn [\n    '@snake@' => '@v@',\n];\n"),
    "rust-const": ("*.rs", 'const @ENV@: &str = "@v@";\n'),
    "c-define": ("*.h", '#define @ENV@ "@v@"\n'),
    "yaml": ("*.yaml", "@slug@:\n  @field@: @v@\n"),
    "yaml-quoted": ("*.yml", '@slug@:\n  @field@: "@v@"\n'),
    "json": ("*.json", '{\n  "@camel@": "@v@"\n}\n'),
    "json-nested": ("*.json", '{\n  "@slug@": {\n    "@field@": "@v@"\n  }\n}\n'),
    "toml": ("*.toml", '[@slug@]\n@field@ = "@v@"\n'),
    "ini": ("*.ini", "[@slug@]\n@field@ = @v@\n"),
    "properties": ("*.properties", "@dotted@=@v@\n"),
    "xml-appsettings": ("Web.config", '<appSettings>\n  <add key="@Camel@" value="@v@" />\n</appSettings>\n'),
    "xml-element": ("*.xml", "<@camel@>@v@</@camel@>\n"),
    "terraform-variable": ("*.tf", 'variable "@snake@" {\n  type    = string\n  default = "@v@"\n}\n'),
    "tfvars": ("terraform.tfvars", '@snake@ = "@v@"\n'),
    "dockerfile": ("Dockerfile", "FROM alpine:3.20\nENV @ENV@=@v@\n"),
    "docker-compose": ("docker-compose.yml", "services:\n  app:\n    environment:\n      - @ENV@=@v@\n"),
    "k8s-secret": ("*.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: @kebab@\nstringData:\n  @ENV@: @v@\n"),
    "github-actions": ("*.yml", "env:\n  @ENV@: @v@\n"),
    "powershell": ("*.ps1", '$env:@ENV@ = "@v@"\n'),
    "cli-flag": ("*.sh", "@kslug@ login --@kfield@ @v@\n"),
    "curl-header": ("*.sh", "@curl@\n"),
    "http-request": ("*.http", "@request@\n"),
    "url-query": ("*.txt", "https://@host@/v1/data?@qname@=@v@\n"),
    "markdown": ("*.md", "Set the @provider@ @fieldsp@:\n\n```\n@ENV@=@v@\n```\n"),
    "comment": ("*.txt", "# @provider@ @fieldsp@: @v@\n"),
    "log-line": ("*.log", "2024-05-14T09:12:44Z DEBUG @slug@ client configured @field@=@v@\n"),
    "sql-insert": ("*.sql", "INSERT INTO settings (name, value) VALUES ('@snake@', '@v@');\n"),
    "bare": ("*.txt", "@v@\n"),
    "prose": ("*.md", "The token is @v@ for now, rotate it after the demo.\n"),
}
# Where a value needs its provider's name, it is never alone; a credential by name alone
# (a password) is not sent in an HTTP header.
NAMELESS = {"bare", "prose"}
HTTP = {"curl-header", "http-request", "url-query", "cli-flag"}
URL_STYLES = ["dotenv", "dotenv-quoted", "shell-export", "python-assign", "js-const", "go-const", "java-field",
              "yaml", "json", "toml", "properties", "terraform-variable", "k8s-secret", "github-actions",
              "docker-compose", "bare", "markdown", "xml-appsettings", "ini", "csharp-const", "ruby-const"]
EXTRA_URL = {
    "curl-post": ("*.sh", "curl -X POST -H 'Content-Type: application/json' -d '{\"text\":\"deploy finished\"}' @v@\n"),
}
CONN_STYLES = {
    "dotenv": TOKEN_STYLES["dotenv"], "python-assign": TOKEN_STYLES["python-assign"], "js-const": TOKEN_STYLES["js-const"],
    "go-const": TOKEN_STYLES["go-const"], "properties": TOKEN_STYLES["properties"], "k8s-secret": TOKEN_STYLES["k8s-secret"],
    "docker-compose": TOKEN_STYLES["docker-compose"], "terraform-variable": TOKEN_STYLES["terraform-variable"],
    "yaml-database": ("*.yaml", "database:\n  url: @v@\n"),
    "json-appsettings": ("appsettings.json", '{\n  "ConnectionStrings": {\n    "Default": "@v@"\n  }\n}\n'),
    "xml-connectionstrings": ("Web.config", '<connectionStrings>\n  <add name="Default" connectionString="@v@" />\n</connectionStrings>\n'),
    "toml-database": ("*.toml", '[database]\nurl = "@v@"\n'),
    "ini-database": ("*.ini", "[database]\nurl = @v@\n"),
    "spring-datasource": ("application.properties", "spring.datasource.url=@v@\n"),
    "bare": ("*.txt", "@v@\n"),
    "cli-connect": ("*.sh", '@tool@ "@v@"\n'),
}
PAIR_STYLES = {
    "dotenv-pair": (".env", "@ID_ENV@=@id@\n@ENV@=@v@\n"),
    "shell-export-pair": ("*.sh", "export @ID_ENV@=@id@\nexport @ENV@=@v@\n"),
    "yaml-pair": ("*.yaml", "@slug@:\n  @id_field@: @id@\n  @field@: @v@\n"),
    "json-pair": ("*.json", '{\n  "@idCamel@": "@id@",\n  "@fieldCamel@": "@v@"\n}\n'),
    "ini-pair": ("*.ini", "[@slug@]\n@id_field@ = @id@\n@field@ = @v@\n"),
    "python-pair": ("*.py", 'client = Client(\n    @id_field@="@id@",\n    @field@="@v@",\n)\n'),
    "js-pair": ("*.js", "const client = new Client({\n  @idCamel@: '@id@',\n  @fieldCamel@: '@v@',\n});\n"),
    "go-pair": ("*.go", 'cfg := &Config{\n\t@IdCamel@: "@id@",\n\t@FieldCamel@: "@v@",\n}\n'),
    "properties-pair": ("*.properties", "@slug@.@id_kebab@=@id@\n@slug@.@field_kebab@=@v@\n"),
    "terraform-provider": ("*.tf", 'provider "@slug@" {\n  @id_field@ = "@id@"\n  @field@ = "@v@"\n}\n'),
    "toml-pair": ("*.toml", '[@slug@]\n@id_field@ = "@id@"\n@field@ = "@v@"\n'),
    "k8s-secret-pair": ("*.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: @kebab@\nstringData:\n  @ID_ENV@: @id@\n  @ENV@: @v@\n"),
    "docker-compose-pair": ("docker-compose.yml", "services:\n  worker:\n    environment:\n      @ID_ENV@: @id@\n      @ENV@: @v@\n"),
    "github-actions-pair": ("*.yml", "env:\n  @ID_ENV@: @id@\n  @ENV@: @v@\n"),
}
PEM_STYLES = ["pem-file", "yaml-block", "json-escaped", "python-triple", "dotenv-escaped", "terraform-heredoc",
              "k8s-secret-block", "go-raw-string", "markdown-fence"]
GCP_STYLES = ["gcp-sa-json", "gcp-sa-env-compact", "gcp-sa-terraform"]
BASIC_STYLES = {
    "http-request": ("*.http", "GET /v1/reports HTTP/1.1\nHost: api.acme-corp.net\nAuthorization: Basic @v@\n"),
    "curl-header": ("*.sh", 'curl -H "Authorization: Basic @v@" https://api.acme-corp.net/v1/reports\n'),
    "python-headers": ("*.py", 'HEADERS = {"Authorization": "Basic @v@"}\n'),
    "js-fetch": ("*.js", "fetch(url, { headers: { Authorization: 'Basic @v@' } });\n"),
    "nginx-conf": ("nginx.conf", 'location / {\n    proxy_set_header Authorization "Basic @v@";\n}\n'),
    "yaml-headers": ("*.yaml", "headers:\n  Authorization: Basic @v@\n"),
}


def words(text):
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]


def names(ws, prefix=""):
    camel = ws[0] + "".join(w.capitalize() for w in ws[1:])
    return {prefix + "ENV": "_".join(ws).upper(), prefix + "snake": "_".join(ws), prefix + "camel": camel,
            prefix + "Camel": camel[0].upper() + camel[1:], prefix + "kebab": "-".join(ws)}


def context(spec, value, ident=None):
    pw, fw = words(spec["provider"]), words(spec["field"])
    ctx = {"v": value, "provider": spec["provider"] or "app", "fieldsp": spec["field"]}
    if spec["env"]:
        ctx.update(names(words(spec["env"])))
        ctx["ENV"] = spec["env"]
    else:
        ctx.update(names(pw + fw))
    ctx["slug"] = "_".join(pw) or "app"
    ctx["kslug"] = "-".join(pw) or "app"
    ctx["field"] = "_".join(fw)
    ctx["kfield"] = "-".join(fw)
    ctx["dotted"] = ".".join(pw or ["app"]) + "." + "-".join(fw)
    ctx["fieldCamel"] = names(fw)["camel"]
    ctx["FieldCamel"] = names(fw)["Camel"]
    ctx["field_kebab"] = "-".join(fw)
    host = spec["host"] or (("api." + "".join(pw) + ".com") if pw else "api.acme-corp.net")
    ctx["host"] = host
    auth = spec["auth"]
    path = "https://" + host + "/v1/account"
    ctx["qname"] = auth[2:] if auth.startswith("q:") else ("api_key" if "key" in fw else "token")
    if auth == "basic":
        header = None
        ctx["curl"] = f'curl -u "{value}:" {path}' if spec["p"] else f'curl -u "deploy:{value}" {path}'
    elif auth.startswith("q:"):
        header = None
        ctx["curl"] = f'curl "{path}?{auth[2:]}={value}"'
        ctx["request"] = f"GET /v1/account?{auth[2:]}={value} HTTP/1.1\nHost: {host}"
    else:
        if auth == "bearer":
            header = f"Authorization: Bearer {value}"
        elif auth == "token":
            header = f"Authorization: token {value}"
        elif auth.startswith("h:"):
            header = f"{auth[2:]}: {value}"
        else:
            scheme = auth[2:]
            header = f"Authorization: {scheme}{'' if scheme[-1] in '=:' else ' '}{value}"
        ctx["curl"] = f'curl -H "{header}" {path}'
    if header:
        ctx["request"] = f"GET /v1/account HTTP/1.1\nHost: {host}\n{header}"
    if ident is not None:
        iw = words(spec["id_field"])
        ctx["id"] = ident
        ctx.update(names(pw + iw, "ID_"))
        if spec.get("env_id"):
            ctx["ID_ENV"] = spec["env_id"]
        ctx["id_field"] = "_".join(iw)
        ctx["id_kebab"] = "-".join(iw)
        ctx["idCamel"] = names(iw)["camel"]
        ctx["IdCamel"] = names(iw)["Camel"]
    ctx["tool"] = spec.get("tool") or "psql"
    return ctx


def fill(tpl, ctx):
    return re.sub(r"@([A-Za-z_]+)@", lambda m: ctx[m.group(1)], tpl)


def styles_for(spec, sample):
    """The styles an example of this kind may take: (name -> (where, template)), or, for
    keys and service-account files, names rendered by render_special()."""
    cls = spec["cls"]
    if cls in ("token", "password"):
        out = {n: t for n, t in TOKEN_STYLES.items()
               if (spec["p"] or n not in NAMELESS) and (cls == "token" or n not in HTTP)
               and not (n in ("http-request",) and spec["auth"] == "basic")}
    elif cls == "url":
        out = {n: TOKEN_STYLES[n] for n in URL_STYLES}
        if "hooks" in sample or "webhook" in sample or "trigger" in sample:
            out.update(EXTRA_URL)
    elif cls == "conn":
        out = dict(CONN_STYLES)
        if not spec.get("tool"):
            del out["cli-connect"]
    elif cls == "pair":
        out = dict(PAIR_STYLES)
    elif cls == "basic":
        out = dict(BASIC_STYLES)
    elif cls == "pem":
        return {n: None for n in PEM_STYLES}
    elif cls == "gcp-sa":
        return {n: None for n in GCP_STYLES}
    else:
        out = {}
    out.update(spec["extra"])
    # Values that a syntax would have to escape stay out of it: the value must appear as is.
    if "&" in sample or "<" in sample:
        out = {n: t for n, t in out.items() if not n.startswith("xml")}
    if " " in sample:
        out = {n: t for n, t in out.items() if n not in ("url-query", "cli-flag", "dotenv", "properties-pair")}
    if "$" in sample:
        out = {n: t for n, t in out.items() if n not in ("shell-export", "powershell", "dotenv-quoted", "shell-export-pair", "php-define")}
    if "%" in sample:
        out = {n: t for n, t in out.items() if n not in ("url-query",)}
    return out


def render_special(spec, style, value, rng):
    """(text, value as it appears) for a private key or a service-account file."""
    if spec["cls"] == "gcp-sa":
        pk = pem(rng, "pkcs8").replace("\n", "\\n") + "\\n"
        project = f"{draw(rng, LOWER, 6)}-{draw(rng, DIGITS, 6)}"
        email = f"{draw(rng, LOWER, 8)}@{project}.iam.gserviceaccount.com"
        fields = [("type", "service_account"), ("project_id", project), ("private_key_id", draw(rng, ALPHABETS["h"], 40)),
                  ("private_key", pk), ("client_email", email), ("client_id", draw(rng, DIGITS, 21)),
                  ("auth_uri", "https://accounts.google.com/o/oauth2/auth"), ("token_uri", "https://oauth2.googleapis.com/token")]
        if style == "gcp-sa-env-compact":
            body = "{" + ",".join(f'"{a}":"{b}"' for a, b in fields) + "}"
            return f"GOOGLE_CREDENTIALS='{body}'\n", pk
        body = "{\n" + ",\n".join(f'  "{a}": "{b}"' for a, b in fields) + "\n}"
        if style == "gcp-sa-terraform":
            return f'provider "google" {{\n  project     = "{project}"\n  credentials = <<EOF\n{body}\nEOF\n}}\n', pk
        return body + "\n", pk
    esc = value.replace("\n", "\\n")
    ind = value.replace("\n", "\n    ")
    if style == "pem-file":
        return value + "\n", value
    if style == "yaml-block":
        return "tls:\n  cert_file: /etc/ssl/server.crt\n  key: |\n    " + ind + "\n", ind
    if style == "json-escaped":
        return '{\n  "name": "deploy",\n  "private_key": "' + esc + '"\n}\n', esc
    if style == "python-triple":
        return 'PRIVATE_KEY = """' + value + '"""\n', value
    if style == "dotenv-escaped":
        return 'PRIVATE_KEY="' + esc + '"\n', esc
    if style == "terraform-heredoc":
        return 'resource "local_file" "key" {\n  filename = "deploy.key"\n  content  = <<EOF\n' + value + "\nEOF\n}\n", value
    if style == "k8s-secret-block":
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\nstringData:\n  tls.key: |\n    " + ind + "\n", ind
    if style == "go-raw-string":
        return "const privateKey = `" + value + "`\n", value
    if style == "markdown-fence":
        return "Use this key for the staging box:\n\n```\n" + value + "\n```\n", value
    raise ValueError(style)


SPECIAL_WHERE = {"pem-file": "id_rsa", "yaml-block": "*.yaml", "json-escaped": "*.json", "python-triple": "*.py",
                 "dotenv-escaped": ".env", "terraform-heredoc": "*.tf", "k8s-secret-block": "*.yaml",
                 "go-raw-string": "*.go", "markdown-fence": "*.md", "gcp-sa-json": "service-account.json",
                 "gcp-sa-env-compact": ".env", "gcp-sa-terraform": "*.tf"}
PEM_NAMES = ["id_rsa", "server.key", "deploy.pem", "id_ed25519", "tls.key", "private.pem"]


def positive(spec, style, where_tpl, rng):
    gen = spec["gen"]
    if spec["cls"] in ("pem", "gcp-sa"):
        raw = gen(rng) if gen else None
        text, value = render_special(spec, style, raw, rng)
        where = SPECIAL_WHERE[style]
        if style == "pem-file":
            where = rng.choice(PEM_NAMES)
        return where, text, value
    value = gen(rng) if callable(gen) else expand(rng, gen)
    ident = None
    if spec["cls"] == "pair":
        ident = expand(rng, spec["id_gen"])
    where, tpl = where_tpl
    return where, fill(tpl, context(spec, value, ident)), value


def locate(text, value):
    """1-based first and last line of value in text."""
    i = text.index(value)
    first = text.count("\n", 0, i) + 1
    return first, first + value.count("\n")


# ---------------------------------------------------------------------------------------
# Negative examples: near misses of the kinds that public rule sets use as negatives. A
# negative is one file; any finding in it counts against the tool.
SAFE = ["dotenv", "python-assign", "js-const", "yaml", "json", "go-const", "properties", "toml"]


def as_kind(rng, kind, value, style=None):
    """A near-miss value in the same snippet a real one of `kind` would take."""
    style = style or rng.choice(SAFE)
    where, tpl = TOKEN_STYLES[style]
    return style, where, fill(tpl, context(KINDS[kind], value)), value


def lit(style, where, text, value=None):
    return style, where, text, value if value is not None else text.strip()


def negatives(rng):
    R = lambda tpl: expand(rng, tpl)
    out = []

    def add(cat, entries):
        out.extend((cat,) + e for e in entries)

    add("wrong-length", [
        as_kind(rng, "github-personal-access-token", R("ghp_{a:20}")),
        as_kind(rng, "aws-access-key-id", R("AKIA{s:11}")),
        as_kind(rng, "gitlab-pat", R("glpat-{w:9}")),
        as_kind(rng, "slack-bot-token", R("xoxb-{d:4}-{a:6}")),
        as_kind(rng, "stripe-secret-key", R("sk_live_{a:6}")),
        as_kind(rng, "npm-access-token", R("npm_{a:12}")),
        as_kind(rng, "gcp-api-key", R("AIza{w:18}")),
        as_kind(rng, "digitalocean-pat", R("dop_v1_{h:20}")),
        as_kind(rng, "sendgrid-api-key", R("SG.{w:8}.{w:10}")),
        as_kind(rng, "shopify-access-token", R("shpat_{h:12}")),
        as_kind(rng, "huggingface-token", R("hf_{L:8}")),
        as_kind(rng, "anthropic-api-key", R("sk-ant-api03-{w:12}")),
    ])
    nonhex = "ghijklmnopqrstuvwxyz"
    add("wrong-alphabet", [
        as_kind(rng, "aws-access-key-id", R("AKIA{z:16}")),
        as_kind(rng, "github-personal-access-token", "ghp_" + "-".join(R("{a:8}") for _ in range(4)) + "."),
        as_kind(rng, "digitalocean-pat", "dop_v1_" + draw(rng, nonhex, 64)),
        as_kind(rng, "slack-bot-token", R("xoxb-{z:11}-{z:13}-{a:24}")),
        as_kind(rng, "databricks-token", "dapi" + draw(rng, nonhex, 32)),
        as_kind(rng, "newrelic-user-key", R("NRAK-{z:27}")),
        as_kind(rng, "sentry-user-token", "sntryu_" + draw(rng, nonhex, 64)),
        as_kind(rng, "pulumi-access-token", "pul-" + draw(rng, nonhex.upper(), 40)),
        as_kind(rng, "rubygems-api-key", "rubygems_" + draw(rng, nonhex.upper(), 48)),
        as_kind(rng, "1password-secret-key", R("A3-{z:6}-{z:6}-{z:5}-{z:5}-{z:5}-{z:5}")),
        as_kind(rng, "telegram-bot-token", R("{z:10}:AA{w:33}")),
    ])
    add("wrong-prefix", [
        as_kind(rng, "github-personal-access-token", crc_token(rng, "GHP_")),
        as_kind(rng, "aws-access-key-id", R("akia{s:16}").lower()),
        as_kind(rng, "stripe-secret-key", R("SK_LIVE_{a:24}")),
        as_kind(rng, "slack-bot-token", R("xoxz-{d:11}-{d:13}-{a:24}")),
        as_kind(rng, "gitlab-pat", R("glpat_{w:20}")),
        as_kind(rng, "github-oauth-token", crc_token(rng, "ghx_")),
        as_kind(rng, "anthropic-api-key", R("sk-ant-apixx-{w:93}AA")),
        as_kind(rng, "npm-access-token", crc_token(rng, "NPM_")),
        as_kind(rng, "gcp-api-key", R("aiza{w:35}")),
        as_kind(rng, "digitalocean-pat", R("dop_v9_{h:64}")),
        as_kind(rng, "sendgrid-api-key", R("sg.{w:22}.{w:43}")),
        as_kind(rng, "shopify-access-token", R("shpxx_{h:32}")),
    ])
    add("placeholder", [
        as_kind(rng, "openai-api-key", "<your-api-key>"),
        as_kind(rng, "stripe-secret-key", "YOUR_STRIPE_SECRET_KEY_HERE"),
        as_kind(rng, "datadog-api-key", "x" * 32),
        lit("docker-compose", "docker-compose.yml", "services:\n  app:\n    environment:\n      - STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n", "${STRIPE_SECRET_KEY}"),
        as_kind(rng, "generic-password", "changeme"),
        as_kind(rng, "sendgrid-api-key", "<REPLACE_ME>"),
        as_kind(rng, "stripe-secret-key", "sk_live_" + "x" * 24),
        as_kind(rng, "github-personal-access-token", "ghp_" + "X" * 36),
        as_kind(rng, "generic-password", "your-password-here"),
        lit("jinja", "*.j2", "api_key: {{ api_key }}\n", "{{ api_key }}"),
        lit("batch", "*.bat", "set API_KEY=%API_KEY%\n", "%API_KEY%"),
        as_kind(rng, "slack-bot-token", "insert-token-here"),
        as_kind(rng, "aws-access-key-id", "AKIA" + "X" * 16),
        lit("dotenv", ".env", "DATABASE_URL=postgres://user:password@localhost:5432/app\n", "postgres://user:password@localhost:5432/app"),
        lit("markdown", "*.md", "Connect with `mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/`.\n",
            "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/"),
    ])
    add("masked", [
        as_kind(rng, "stripe-secret-key", "sk_live_" + "*" * 20 + R("{a:4}")),
        as_kind(rng, "github-personal-access-token", "ghp_" + "*" * 32 + R("{a:4}")),
        as_kind(rng, "aws-access-key-id", "AKIA" + "*" * 12 + R("{u:4}")),
        as_kind(rng, "slack-bot-token", "xoxb-****-****-" + "*" * 8),
        as_kind(rng, "generic-password", "\u2022" * 10),
        lit("log-line", "*.log", "2024-05-14T09:12:44Z INFO using key sk-proj-...{}\n".format(R("{a:4}")), None),
        as_kind(rng, "openai-api-key", "REDACTED"),
        as_kind(rng, "twilio-auth-token", "[REDACTED]"),
        as_kind(rng, "datadog-api-key", "<redacted>"),
        as_kind(rng, "gitlab-pat", "glpat-" + "*" * 20),
        as_kind(rng, "vault-service-token", "hvs.**********"),
        as_kind(rng, "generic-password", "********"),
    ])
    out[-7] = ("masked",) + out[-7][1:3] + (out[-7][3], out[-7][3].split("using key ")[1].strip())
    add("documented-example", [
        as_kind(rng, "aws-access-key-id", "AKIAIOSFODNN7EXAMPLE", "dotenv"),
        lit("aws-credentials", "credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        lit("shell-export", "*.sh", "export AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
        as_kind(rng, "stripe-test-secret-key", "sk_test_EXAMPLE_DO_NOT_USE_0000000000"),
        as_kind(rng, "generic-api-key", "example-api-key-1234"),
        as_kind(rng, "generic-access-token", "dummy-token-for-unit-tests"),
        as_kind(rng, "generic-password", "fake_password_for_docs"),
        as_kind(rng, "slack-bot-token", "xoxb-000000000000-0000000000000-EXAMPLEEXAMPLEEXAMPLEEX"),
        lit("markdown", "*.md", "Paste a token from jwt.io, for example:\n\n    eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
        as_kind(rng, "anthropic-api-key", "sk-ant-api03-EXAMPLE-KEY-NOT-REAL"),
        as_kind(rng, "openai-api-key", "sk-EXAMPLEEXAMPLEEXAMPLE"),
    ])
    add("public-identifier", [
        lit("js-call", "*.js", "const stripe = Stripe('{}');\n".format(R("pk_live_{a:24}")), None),
        lit("dotenv", ".env", "STRIPE_PUBLISHABLE_KEY={}\n".format(R("pk_test_{a:24}")), None),
        lit("json", "*.json", '{\n  "client_id": "%s"\n}\n' % R("{d:12}-{l:32}.apps.googleusercontent.com"), None),
        lit("tfvars", "terraform.tfvars", "aws_account_id = \"{}\"\n".format(R("{d:12}")), None),
        lit("yaml", "*.yaml", "role_arn: arn:aws:iam::{}:role/deploy\n".format(R("{d:12}")), None),
        lit("dotenv", ".env", "NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY={}\n".format(R("sb_publishable_{w:31}")), None),
        lit("js-const", "*.js", "mapboxgl.accessToken = '{}';\n".format(R("pk.eyJ1Ijoi{w:60}.{w:22}")), None),
        lit("js-call", "*.js", "posthog.init('{}', {{ api_host: 'https://eu.posthog.com' }});\n".format(R("phc_{a:43}")), None),
        lit("ssh-public-key", "id_ed25519.pub", R("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b:43} deploy@ci") + "\n", None),
        lit("pem-public-key", "public.pem", "-----BEGIN PUBLIC KEY-----\n" + pem_body(rng, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", 392) + "\n-----END PUBLIC KEY-----\n", None),
        lit("pem-certificate", "server.crt", "-----BEGIN CERTIFICATE-----\n" + pem_body(rng, "MIIDdzCCAl+gAwIBAgIE", 1200) + "\n-----END CERTIFICATE-----\n", None),
        lit("dotenv", ".env", "TWILIO_ACCOUNT_SID={}\n".format(R("AC{h:32}")), None),
        lit("dotenv", ".env", "RECAPTCHA_SITE_KEY={}\n".format(R("6L{w:38}")), None),
        lit("yaml", "*.yaml", "github_app:\n  client_id: {}\n".format(R("Iv1.{h:16}")), None),
        lit("dotenv", ".env", "AZURE_TENANT_ID={}\n".format(uuid(rng)), None),
        lit("html", "*.html", "<script async src=\"https://www.googletagmanager.com/gtag/js?id={}\"></script>\n".format(R("G-{u:10}")), None),
    ])
    fix_values(out, "public-identifier", [r"pk_live_\w+", r"pk_test_\w+", r"[\w-]+\.apps\.googleusercontent\.com", r"\d{12}", r"arn:\S+",
                                           r"sb_publishable_\S+", r"pk\.\S+(?=')", r"phc_\w+", r"AAAA\S+", r"MII[\s\S]+(?=\n-----END)",
                                           r"MII[\s\S]+(?=\n-----END)", r"(?<==)AC\w+", r"6L\S+", r"Iv1\.\w+", r"[0-9a-f-]{36}", r"G-\w+"])
    add("hash-checksum", [
        lit("package-lock", "package-lock.json", '{\n  "node_modules/lodash": {\n    "version": "4.17.21",\n    "integrity": "sha512-%s=="\n  }\n}\n' % R("{b:86}"), None),
        lit("yarn-lock", "yarn.lock", 'lodash@^4.17.21:\n  version "4.17.21"\n  integrity sha512-%s==\n' % R("{b:86}"), None),
        lit("cargo-lock", "Cargo.lock", '[[package]]\nname = "serde"\nversion = "1.0.203"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "%s"\n' % R("{h:64}"), None),
        lit("go-sum", "go.sum", "github.com/google/uuid v1.6.0 h1:%s=\n" % R("{b:43}"), None),
        lit("git-log", "*.txt", "commit %s\nAuthor: Dana Smith <dana@acme-corp.net>\nDate:   Tue May 14 09:12:44 2024 +0200\n\n    Fix the retry loop\n" % R("{h:40}"), None),
        lit("sha256sum", "SHA256SUMS", "%s  release-1.4.2-linux-amd64.tar.gz\n" % R("{h:64}"), None),
        lit("docker-digest", "*.yaml", "image: nginx@sha256:%s\n" % R("{h:64}"), None),
        lit("pip-hash", "requirements.txt", "requests==2.31.0 \\\n    --hash=sha256:%s\n" % R("{h:64}"), None),
        lit("html-sri", "*.html", '<script src="https://cdn.jsdelivr.net/npm/lib@1.2.3/dist/lib.min.js" integrity="sha384-%s" crossorigin="anonymous"></script>\n' % R("{b:64}"), None),
        lit("terraform-lock", ".terraform.lock.hcl", 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.50.0"\n  hashes = [\n    "h1:%s=",\n    "zh:%s",\n  ]\n}\n' % (R("{b:43}"), R("{h:64}")), None),
        lit("md5", "*.txt", "md5: %s\n" % R("{h:32}"), None),
        lit("http-etag", "*.http", 'HTTP/1.1 200 OK\nETag: "%s"\nCache-Control: max-age=3600\n' % R("{h:40}"), None),
    ])
    fix_values(out, "hash-checksum", [r"sha512-\S+==", r"sha512-\S+==", r"[0-9a-f]{64}", r"h1:\S+", r"[0-9a-f]{40}", r"[0-9a-f]{64}",
                                      r"[0-9a-f]{64}", r"[0-9a-f]{64}", r"sha384-[^\"]+", r"h1:[^\"]+", r"[0-9a-f]{32}", r"[0-9a-f]{40}"])
    add("uuid-request-id", [
        lit("http-response", "*.http", "HTTP/1.1 200 OK\nContent-Type: application/json\nX-Request-Id: %s\n" % uuid(rng), None),
        lit("log-line", "*.log", "2024-05-14T09:12:44Z INFO request finished request_id=%s status=200\n" % uuid(rng), None),
        lit("json", "*.json", '{\n  "id": "%s",\n  "status": "succeeded"\n}\n' % uuid(rng), None),
        lit("json", "*.json", '{"trace_id": "%s", "span_id": "%s"}\n' % (R("{h:32}"), R("{h:16}")), None),
        lit("json", "*.json", '{\n  "correlationId": "%s"\n}\n' % uuid(rng), None),
        lit("python-assign", "*.py", 'revision = "%s"\ndown_revision = "%s"\n' % (R("{h:12}"), R("{h:12}")), None),
        lit("yaml", "*.yaml", "scope: /subscriptions/%s/resourceGroups/prod-rg\n" % uuid(rng), None),
        lit("http-request", "*.http", "POST /v1/payments HTTP/1.1\nHost: api.acme-corp.net\nIdempotency-Key: %s\n" % uuid(rng), None),
        lit("csproj", "*.csproj", "<PropertyGroup>\n  <ProjectGuid>{%s}</ProjectGuid>\n</PropertyGroup>\n" % uuid(rng).upper(), None),
        lit("dotenv", ".env", "BUILD_ID=%s\n" % uuid(rng), None),
        lit("sql-insert", "*.sql", "INSERT INTO orders (id, total) VALUES ('%s', 4200);\n" % uuid(rng), None),
    ])
    fix_values(out, "uuid-request-id", [r"[0-9a-f-]{36}", r"[0-9a-f-]{36}", r"[0-9a-f-]{36}", r"[0-9a-f]{32}", r"[0-9a-f-]{36}",
                                        r"[0-9a-f]{12}", r"[0-9a-f-]{36}", r"[0-9a-f-]{36}", r"[0-9A-F-]{36}", r"[0-9a-f-]{36}", r"[0-9a-f-]{36}"])
    add("low-entropy", [
        as_kind(rng, "generic-api-key", "a" * 32),
        as_kind(rng, "generic-access-token", "1234567890abcdef1234567890abcdef"),
        as_kind(rng, "generic-password", "password"),
        as_kind(rng, "generic-secret-key", "0" * 40),
        as_kind(rng, "generic-api-key", "abcdefghijklmnopqrstuvwxyz123456"),
        as_kind(rng, "aws-access-key-id", "AKIA" + "A" * 16),
        as_kind(rng, "github-personal-access-token", "ghp_" + "a" * 36),
        as_kind(rng, "generic-client-secret", "testtesttesttesttesttest"),
        as_kind(rng, "generic-password", "123456"),
        as_kind(rng, "slack-bot-token", "xoxb-0000000000-0000000000-" + "0" * 24),
        as_kind(rng, "generic-client-secret", "secretsecretsecretsecret"),
    ])
    add("env-reference", [
        lit("github-actions", "*.yml", "env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n", "${{ secrets.GITHUB_TOKEN }}"),
        lit("python-assign", "*.py", 'import os\n\napi_key = os.environ["OPENAI_API_KEY"]\n', 'os.environ["OPENAI_API_KEY"]'),
        lit("js-const", "*.js", "const token = process.env.SLACK_BOT_TOKEN;\n", "process.env.SLACK_BOT_TOKEN"),
        lit("docker-compose", "docker-compose.yml", "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n", "${POSTGRES_PASSWORD:?set it}"),
        lit("helm", "*.yaml", "database:\n  password: {{ .Values.db.password | quote }}\n", "{{ .Values.db.password | quote }}"),
        lit("k8s-env", "*.yaml", "env:\n  - name: STRIPE_SECRET_KEY\n    valueFrom:\n      secretKeyRef:\n        name: stripe\n        key: secret-key\n", "secretKeyRef"),
        lit("yaml", "*.yaml", "stripe:\n  secret_key: vault:secret/data/payments#stripe_secret_key\n", "vault:secret/data/payments#stripe_secret_key"),
        lit("json", "*.json", '{\n  "secretArn": "arn:aws:secretsmanager:eu-west-1:%s:secret:prod/api-key-%s"\n}\n' % (R("{d:12}"), R("{a:6}")), None),
        lit("dotenv", ".env", "STRIPE_SECRET_KEY=op://Production/Stripe/secret_key\n", "op://Production/Stripe/secret_key"),
        lit("ruby-const", "*.rb", 'STRIPE_SECRET_KEY = ENV.fetch("STRIPE_SECRET_KEY")\n', 'ENV.fetch("STRIPE_SECRET_KEY")'),
        lit("java-field", "*.java", 'private final String password = System.getenv("DB_PASSWORD");\n', 'System.getenv("DB_PASSWORD")'),
        lit("shell-export", "*.sh", "export API_TOKEN=$(cat /run/secrets/api_token)\n", "$(cat /run/secrets/api_token)"),
        lit("terraform", "*.tf", 'resource "aws_db_instance" "main" {\n  username = "app"\n  password = var.db_password\n}\n', "var.db_password"),
    ])
    fix_values(out, "env-reference", [None] * 7 + [r"arn:\S+(?=\")"] + [None] * 5)
    add("name-only", [
        lit("dotenv", ".env.example", "API_KEY=\nSECRET_KEY=\nDATABASE_URL=\n", "API_KEY="),
        lit("yaml", "*.yaml", "database:\n  user: app\n  password:\n", "password:"),
        lit("shell-export", "*.sh", "export GITHUB_TOKEN\n", "export GITHUB_TOKEN"),
        lit("python-def", "*.py", "def get_api_key(self) -> str:\n    return self._api_key\n", "def get_api_key"),
        lit("ts-interface", "*.ts", "interface Config {\n  apiKey: string;\n  secretKey: string;\n}\n", "apiKey: string;"),
        lit("json", "*.json", '{\n  "username": "admin",\n  "password": ""\n}\n', '"password": ""'),
        lit("python-argparse", "*.py", 'parser.add_argument("--password", help="the database password")\n', '"--password"'),
        lit("python-assign", "*.py", "secret_key = None\n", "secret_key = None"),
        lit("xml-element", "*.xml", "<credentials>\n  <username>deploy</username>\n  <password></password>\n</credentials>\n", "<password></password>"),
        lit("python-assign", "*.py", "token = ''\n", "token = ''"),
        lit("dotenv", ".env", "STRIPE_SECRET_KEY=  # set in the CI settings\n", "STRIPE_SECRET_KEY="),
        lit("markdown", "*.md", "| name | type | description |\n|---|---|---|\n| `api_key` | string | Your API key |\n", "`api_key`"),
    ])

    def b64(text):
        return base64.b64encode(text.encode()).decode()
    add("base64-text", [
        lit("k8s-configmap", "*.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbinaryData:\n  settings.yaml: %s\n" % b64("log_level: info\nreplicas: 3\nregion: eu-west-1\n"), None),
        lit("html", "*.html", '<img alt="logo" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAA%s">\n' % R("{b:80}"), None),
        lit("eml", "*.eml", "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n%s\n" % b64("Hello team, the release notes for version 1.4 are attached. Regards, Dana"), None),
        lit("json", "*.json", '{\n  "readme": "%s"\n}\n' % b64("This project builds the documentation site for the API."), None),
        lit("dotenv", ".env", "UI_SETTINGS=%s\n" % b64('{"theme":"dark","lang":"en","compact":true}'), None),
        lit("css", "*.css", "@font-face {\n  font-family: Inter;\n  src: url(data:font/woff2;base64,d09GMgABAAAAA%s) format('woff2');\n}\n" % R("{b:120}"), None),
        lit("python-assign", "*.py", 'GREETING = "%s"\n' % b64("Hello, World! Welcome to the onboarding guide."), None),
        lit("yaml", "*.yaml", "banner: %s\n" % b64("Scheduled maintenance on Saturday from 02:00 to 04:00 UTC"), None),
        lit("go-const", "*.go", 'const license = "%s"\n' % b64("Licensed under the Apache License, Version 2.0"), None),
        lit("xml-element", "*.xml", "<note encoding=\"base64\">%s</note>\n" % b64("Remember to update the changelog before tagging."), None),
        lit("js-const", "*.js", "const motd = atob('%s');\n" % b64("Build passed: all 412 tests green"), None),
    ])
    fix_values(out, "base64-text", [r"(?<=settings.yaml: )\S+", r"iVBOR[^\"]+", r"(?<=\n\n)\S+", r"(?<=\"readme\": \")[^\"]+", r"(?<==)\S+",
                                    r"d09G[^)]+", r"(?<=\")[^\"]+", r"(?<=banner: )\S+", r"(?<=\")[^\"]+", r"(?<=>)[^<]+", r"(?<=')[^']+"])
    add("minified-code", [
        lit("js-minified", "*.min.js", '!function(e,t){"object"==typeof exports?module.exports=t():e.b64=t()}(this,function(){var n="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";return{alphabet:n}});\n',
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
        lit("js-minified", "*.js", 'o.u=e=>"static/js/"+e+"."+{179:"%s",216:"%s",592:"%s"}[e]+".chunk.js";\n' % (R("{h:8}"), R("{h:8}"), R("{h:8}")), None),
        lit("sourcemap", "*.js.map", '{"version":3,"sources":["src/app.ts"],"names":["main","config"],"mappings":"AAAA,SAASA,EAAE,CAAC,GAAG,EAAE,CAAC,CAAC,IAAI,GAAGC,EAAE,QAAQ,CAAC,CAAC"}\n', "AAAA,SAASA,EAAE,CAAC,GAAG,EAAE,CAAC,CAAC,IAAI,GAAGC,EAAE,QAAQ,CAAC,CAAC"),
        lit("js-minified", "*.js", "e.exports={apiKey:t.apiKey,secretKey:t.secretKey,token:n.token,password:r.password};\n", "secretKey:t.secretKey"),
        lit("css-modules", "*.css", ".Button_root__%s{color:#222}.Button_label__%s{font-weight:600}\n" % (R("{a:5}"), R("{a:5}")), None),
        lit("js-obfuscated", "*.js", 'var _0x4f2a=["\\x61\\x70\\x69","\\x6b\\x65\\x79","\\x74\\x6f\\x6b\\x65\\x6e"];\n', "_0x4f2a"),
        lit("go-const", "*.go", 'const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"\n', "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
        lit("json", "build-manifest.json", '{"buildId":"%s","pages":{"/":["static/chunks/pages/index-%s.js"]}}\n' % (R("{w:21}"), R("{h:16}")), None),
        lit("js-minified", "*.js", 'function t(e){return e.replace(/[^A-Za-z0-9+/=]/g,"")}var a=Object.prototype.hasOwnProperty,r="[object Arguments]";\n', "[^A-Za-z0-9+/=]"),
        lit("css-in-js", "*.css", ".css-%s{display:flex}.css-%s{margin:0 auto}\n" % (R("{l:7}"), R("{l:7}")), None),
        lit("js-minified", "*.js", 'const n="%s",r=n.split("").reverse().join("");\n' % ("qwertyuiopasdfghjklzxcvbnm" * 2), "qwertyuiopasdfghjklzxcvbnm" * 2),
    ])
    fix_values(out, "minified-code", [None, r"\{179[^}]+\}", None, None, r"Button_root__\w+", None, None, r"(?<=buildId\":\")[^\"]+", None, r"css-\w+", None])
    add("checksum-invalid", [
        as_kind(rng, kind, corrupt(crc_token(rng, pre)))
        for kind, pre in [("github-personal-access-token", "ghp_"), ("github-oauth-token", "gho_"), ("npm-access-token", "npm_"),
                          ("github-personal-access-token", "ghp_"), ("github-server-to-server-token", "ghs_"), ("npm-access-token", "npm_"),
                          ("github-user-to-server-token", "ghu_"), ("github-refresh-token", "ghr_"), ("github-personal-access-token", "ghp_"),
                          ("npm-access-token", "npm_")]
    ])
    add("function-call", [
        lit("python-assign", "*.py", "password = get_password()\n", "get_password()"),
        lit("python-assign", "*.py", 'token = request.headers.get("Authorization")\n', 'request.headers.get("Authorization")'),
        lit("python-assign", "*.py", 'api_key = load_secret("stripe")\n', 'load_secret("stripe")'),
        lit("python-assign", "*.py", "secret = hashlib.sha256(payload).hexdigest()\n", "hashlib.sha256(payload).hexdigest()"),
        lit("python-assign", "*.py", "key = Fernet.generate_key()\n", "Fernet.generate_key()"),
        lit("ts-call", "*.ts", 'const token = await getToken({ scope: "read:reports" });\n', "getToken("),
        lit("java-field", "*.java", 'String password = config.getString("db.password");\n', 'config.getString("db.password")'),
        lit("python-assign", "*.py", "client_secret = secrets.token_urlsafe(32)\n", "secrets.token_urlsafe(32)"),
        lit("php-call", "*.php", "<?php\n$apiKey = $this->config->get('services.stripe.key');\n", "$this->config->get('services.stripe.key')"),
        lit("shell-export", "*.sh", "export AWS_SECRET_ACCESS_KEY=$(aws configure get aws_secret_access_key)\n", "$(aws configure get aws_secret_access_key)"),
        lit("go-call", "*.go", 'password, err := keyring.Get("acme", "db")\n', 'keyring.Get("acme", "db")'),
    ])
    add("url-without-credentials", [
        lit("git-remote", "config", '[remote "origin"]\n\turl = https://github.com/acme-corp/infra.git\n', "https://github.com/acme-corp/infra.git"),
        lit("dotenv", ".env", "DATABASE_URL=postgres://localhost:5432/app\n", "postgres://localhost:5432/app"),
        lit("git-remote", "config", '[remote "origin"]\n\turl = https://deploy@bitbucket.org/acme/app.git\n', "https://deploy@bitbucket.org/acme/app.git"),
        lit("yaml", "*.yaml", "cache:\n  url: redis://redis:6379/0\n", "redis://redis:6379/0"),
        lit("dotenv", ".env", "MONGO_URL=mongodb://mongo-0:27017,mongo-1:27017/app?replicaSet=rs0\n", "mongodb://mongo-0:27017,mongo-1:27017/app?replicaSet=rs0"),
        lit("markdown", "*.md", "Reset it at https://accounts.acme-corp.net/reset-password?step=2.\n", "https://accounts.acme-corp.net/reset-password?step=2"),
        lit("properties", "application.properties", "spring.datasource.url=jdbc:mysql://db:3306/app?useSSL=true\n", "jdbc:mysql://db:3306/app?useSSL=true"),
        lit("dotenv", ".env", "AMQP_URL=amqp://rabbitmq:5672/vhost\n", "amqp://rabbitmq:5672/vhost"),
        lit("curl", "*.sh", "curl https://api.stripe.com/v1/charges\n", "https://api.stripe.com/v1/charges"),
        lit("git-remote", "config", '[remote "origin"]\n\turl = ssh://git@github.com/acme-corp/app.git\n', "ssh://git@github.com/acme-corp/app.git"),
        lit("python-assign", "*.py", 'SLACK_API = "https://slack.com/api/chat.postMessage"\n', "https://slack.com/api/chat.postMessage"),
    ])
    return out


def fix_values(out, cat, patterns):
    """Set the value of a category's `lit(..., None)` entries to the part a pattern picks."""
    idx = [i for i, e in enumerate(out) if e[0] == cat]
    for i, pat in zip(idx, patterns):
        if pat:
            m = re.search(pat, out[i][3])
            assert m, (cat, pat)
            out[i] = out[i][:4] + (m.group(0),)


def corrupt(tok):
    """A token with one character of its checksum changed: right shape, wrong CRC."""
    last = tok[-1]
    return tok[:-1] + B62[(B62.index(last) + 7) % 62]


# ---------------------------------------------------------------------------------------
TXT_NAMES = ["notes.txt", "example.txt", "snippet.txt", "config.txt", "input.txt", "sample.txt", "paste.txt", "readme.txt"]
NEUTRAL_NAMES = ["example", "sample1", "sample2", "snippet", "input", "item", "case", "entry", "content", "data", "blob", "fragment"]
BASES = ["config", "settings", "app", "main", "client", "deploy", "local", "service", "setup", "values", "index", "run"]


def file_name(rng, where):
    bucket = rng.randrange(3)
    if bucket == 0:
        return rng.choice(BASES) + where[1:] if where.startswith("*.") else where
    return rng.choice(TXT_NAMES if bucket == 1 else NEUTRAL_NAMES)


def build(seed=SEED):
    """(manifest items, {path: text}) for a seed, in memory."""
    rng = random.Random(seed)
    pending = []
    for n, spec in enumerate(KINDS.values()):
        gen = spec["gen"]
        sample = "" if gen is None else gen(random.Random(n)) if callable(gen) else expand(random.Random(n), gen)
        styles = styles_for(spec, sample)
        names_ = sorted(styles)
        count = 3 if n % 3 == 0 else 2
        chosen = []
        if spec["extra"]:
            chosen.append(rng.choice(sorted(spec["extra"])))
        while len(chosen) < min(count, len(names_)):
            s = rng.choice(names_)
            if s not in chosen:
                chosen.append(s)
        for style in chosen:
            where, text, value = positive(spec, style, styles[style], rng)
            first, last = locate(text, value)
            pending.append(dict(kind=spec["kind"], decoy=None, style=style, where=where, text=text, value=value, first=first, last=last))
    for cat, style, where, text, value in negatives(rng):
        pending.append(dict(kind=None, decoy=cat, style=style, where=where, text=text, value=value, first=1, last=text.rstrip("\n").count("\n") + 1))
    rng.shuffle(pending)
    items, files = [], {}
    for i, it in enumerate(pending):
        path = f"p{i:04d}/{file_name(rng, it['where'])}"
        files[path] = it["text"]
        items.append({"file": path, "first": it["first"], "last": it["last"], "kind": it["kind"], "decoy": it["decoy"],
                      "style": it["style"], "value": it["value"], "neutral": False, "encoding": None})
    return items, files


def generate(out_dir, manifest_path, seed=SEED):
    items, files = build(seed)
    return write_corpus(out_dir, files, manifest_path, items)


def self_check():
    problems = []
    items, files = build_twice(build, problems, SEED + 1, "another seed gives the same corpus")
    pos = [i for i in items if not i["decoy"]]
    neg = [i for i in items if i["decoy"]]
    kinds = {}
    for it in pos:
        kinds.setdefault(it["kind"], set()).add(it["style"])
    thin = [k for k, s in kinds.items() if len(s) < 2]
    if thin:
        problems.append(f"kinds with fewer than 2 styles: {thin}")
    if set(kinds) != set(KINDS):
        problems.append(f"kinds without an example: {sorted(set(KINDS) - set(kinds))}")
    styles = {i["style"] for i in pos}
    cats = {i["decoy"] for i in neg}
    if len(kinds) < 300 or len(pos) < 600 or len(styles) < 25 or len(neg) < 150 or len(cats) < 12:
        problems.append(f"{len(kinds)} kinds, {len(pos)} positives, {len(styles)} styles, {len(neg)} negatives, {len(cats)} categories: want 300/600/25/150/12")
    if len(files) != len(items) or any(not re.fullmatch(r"p\d{4}/[^/]+", i["file"]) for i in items):
        problems.append("a file is shared or its path is not pNNNN/NAME")
    checked = 0
    for it in items:
        text = files[it["file"]]
        lines = text.split("\n")
        span = "\n".join(lines[it["first"] - 1 : it["last"]])
        if it["value"] not in span:
            problems.append(f"{it['file']}: value not on lines {it['first']}-{it['last']}")
        if it["decoy"] and (it["first"], it["last"]) != (1, text.rstrip("\n").count("\n") + 1):
            problems.append(f"{it['file']}: a negative's range is not its whole file")
        for tok in re.findall(r"\b(?:gh[pousr]|npm)_[A-Za-z0-9]{36}\b", text):
            if it["decoy"] not in (None, "checksum-invalid"):
                continue  # a placeholder or a low-entropy near miss has no checksum to speak of
            checked += 1
            if crc_token_valid(tok) != (it["decoy"] != "checksum-invalid"):
                problems.append(f"{it['file']}: {tok[:8]}... checksum {'valid' if crc_token_valid(tok) else 'invalid'} in a {it['decoy'] or 'positive'}")
        v = it["value"]
        if v.startswith("pypi-"):
            checked += 1
            mac = base64.urlsafe_b64decode(v[5:] + "=" * (-len(v[5:]) % 4))
            if mac[:3] != b"\x02\x01\x08" and mac[:3] != b"\x02\x01\x0d" or mac[-34:-32] != b"\x06\x20":
                problems.append(f"{it['file']}: pypi- token is no v2 macaroon")
        if v.startswith("AGE-SECRET-KEY-1"):
            checked += 1
            if not bech32_valid(v):
                problems.append(f"{it['file']}: age key fails its Bech32 checksum")
        if v.startswith("glsa_"):
            checked += 1
            if not crc32_le_tail_valid(v):
                problems.append(f"{it['file']}: glsa_ token fails its CRC32")
    tok = crc_token(random.Random(1), "ghp_")
    if not crc_token_valid(tok) or crc_token_valid(corrupt(tok)) or not bech32_valid(age_key(random.Random(2))):
        problems.append("checksum validation accepts a corrupted token or rejects a good one")
    if checked < 20:
        problems.append(f"only {checked} checksummed tokens checked")
    return report(problems, f"{len(items)} files: {len(pos)} positives of {len(kinds)} kinds in {len(styles)} styles, "
                            f"{len(neg)} negatives in {len(cats)} categories, {checked} checksummed tokens", limit=40)


def gen(out, manifest, seed):
    items = generate(out, manifest, seed)
    pos = [i for i in items if not i["decoy"]]
    return f"examples: {len(pos)} positives of {len({i['kind'] for i in pos})} kinds, {len(items) - len(pos)} negatives, seed {seed}"


def main(argv):
    return corpus_common.main(argv, __doc__, SEED, self_check, {"gen": gen})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
