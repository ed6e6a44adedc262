#!/usr/bin/env python3
"""A fifth, independent detection yardstick: self-identifying ("prefixed") token formats.

Fake secrets in the documented, self-identifying token formats of many providers (a
literal prefix such as `sk-ant-api03-`, `xoxb-`, `glpat-`, `dop_v1_`, `hf_`, `SG.`,
`AKIA`, `ghp_`, plus an alphabet and a length, sometimes a checksum), one short snippet
per file in the way public rule-example test sets are shaped (an assignment, a config
fragment, a header, a curl command, a log line, a bare token...), with near-miss negatives
(wrong length or alphabet, wrong checksum, placeholders, masked or truncated tokens,
prefixes inside identifiers, variable references, publishable keys...).

    prefixed-corpus.py gen OUT_DIR MANIFEST [--seed N]
    prefixed-corpus.py --self-check

The manifest is the JSON list that `quality-corpus.py score` reads: one entry per file
{file, first, last, kind, decoy, style, value, neutral, encoding}: `first`/`last` are the
1-based lines of the secret, `kind` the format label (per-kind table), `decoy` false for a
secret or the negative's category, `neutral` true when the variable name (or the absence
of one) does not say what the value is, so that only the token's shape identifies it.

How it was written: every format below comes from the provider's own public documentation
or, where marked "observed shape", from the shape of the provider's tokens as published by
the provider (docs screenshots, changelogs, dashboards) when no formal grammar is written
down. No scanner's rules, regexes or test data (ours or any other project's) were read or
copied; the rule packs of this repository were not opened while writing it. Every value
is random from a seeded RNG: no real credential is in here.
"""
import base64
import json
import os
import random
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common
from corpus_common import (bech32_encode, bech32_valid, build_twice, crc_token, crc_token_valid, report, rs,
                           to_5bit, uuid_from_hex, write_corpus)

SEED = 5309

DIG = string.digits
UP = string.ascii_uppercase
LOW = string.ascii_lowercase
AN = DIG + UP + LOW  # also the base62 digit order of GitHub's checksum (0-9A-Za-z)
LET = UP + LOW
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
UPN = UP + DIG
LOWN = LOW + DIG
B64U = AN + "-_"
B64 = AN + "+/"
B32 = UP + "234567"
B32L = LOW + "234567"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# ---------------------------------------------------------------------------------------
# Building blocks
def R(alpha, n, m=None):
    """n (or n..m) random characters of an alphabet."""
    def g(rng):
        return rs(rng, alpha, n if m is None else rng.randint(n, m))
    return g


def P(*parts):
    def g(rng):
        return "".join(p if isinstance(p, str) else p(rng) for p in parts)
    return g


def uuid4(rng):
    return uuid_from_hex("%032x" % rng.getrandbits(128), rng.choice("89ab"))


def b64u_json(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def b64_json(obj):
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


# crc_token (corpus_common): GitHub's and npm's format, prefix + 30 base62 characters +
# CRC-32 of those 30 characters as 6 base62 digits (documented: GitHub blog 2021-04-05
# 'Behind GitHub's new authentication token formats'; GitHub changelog 2021-09-23 'npm has
# a new access token format').
CRC_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_")


def age_key(rng):
    """age's X25519 identity: Bech32, HRP `age-secret-key-`, upper-cased (documented: the
    age format specification, age-encryption.org/v1)."""
    return bech32_encode("age-secret-key-", to_5bit(rng.getrandbits(256).to_bytes(32, "big"))).upper()


def pypi_token(rng, location=b"pypi.org"):
    """A v2 macaroon as PyPI serialises it (documented: pypi.org/help/#apitoken, `pypi-`
    followed by a base64url macaroon): version byte 2, location, identifier, caveats,
    then a 32-byte signature."""
    ident = uuid4(rng).encode()
    caveat = json.dumps({"version": 1, "permissions": "user"}).encode()
    mac = (b"\x02\x01" + bytes([len(location)]) + location + b"\x02" + bytes([len(ident)]) + ident + b"\x00"
           + b"\x02" + bytes([len(caveat)]) + caveat + b"\x00\x00\x06\x20" + rng.getrandbits(256).to_bytes(32, "big"))
    return "pypi-" + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def sk_live(prefix):
    # Stripe: older keys 24 characters after the prefix, newer ones 99 beginning "51".
    def g(rng):
        return prefix + ("51" + rs(rng, AN, 97) if rng.random() < 0.6 else rs(rng, AN, 24))
    return g


def slack_bot(rng):
    return f"xoxb-{rs(rng, DIG, rng.randint(10, 13))}-{rs(rng, DIG, rng.randint(10, 13))}-{rs(rng, AN, 24)}"


def slack_user(rng):
    return f"xoxp-{rs(rng, DIG, 11)}-{rs(rng, DIG, 11)}-{rs(rng, DIG, 13)}-{rs(rng, HEX, 32)}"


def slack_app(rng):
    return f"xapp-1-A{rs(rng, UPN, 10)}-{rs(rng, DIG, 13)}-{rs(rng, HEX, 64)}"


def mapbox_sk(rng):
    claims = b64u_json({"u": rs(rng, LOW, 8), "a": rs(rng, LOWN, 25)})
    return f"sk.{claims}.{rs(rng, B64U, 22)}"


def sentry_org(rng):
    claims = b64_json({"iat": rng.randint(1.7e9, 1.8e9), "url": "https://sentry.io", "region_url": "https://us.sentry.io",
                       "org": rs(rng, LOW, 9)}).rstrip("=")
    return f"sntrys_{claims}_{rs(rng, B64, 43)}"


def onepassword_sa(rng):
    claims = b64u_json({"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256",
                        "iterations": 650000, "salt": rs(rng, B64U, 22)}, "email": rs(rng, LOWN, 26) + "@1passwordserviceaccounts.com",
                        "srpX": rs(rng, HEX, 64), "muk": {"alg": "A256GCM", "ext": True, "k": rs(rng, B64U, 43), "key_ops": ["encrypt", "decrypt"],
                        "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + rs(rng, UPN, 6), "throttleSecret": {"seed": rs(rng, HEX, 64),
                        "uuid": rs(rng, UPN, 26)}, "deviceUuid": rs(rng, LOWN, 26)})
    return "ops_" + claims


def onepassword_secret_key(rng):
    return "A3-" + "-".join(rs(rng, UPN, n) for n in (6, 6, 5, 5, 5, 5))


def grafana_cloud(rng):
    return "glc_" + b64_json({"o": str(rng.randint(100000, 999999)), "n": "stack-" + rs(rng, DIG, 6) + "-hm-read",
                              "k": rs(rng, AN, 24), "m": {"r": rng.choice(["prod-us-east-0", "prod-eu-west-2"])}})


def cf_tunnel(rng):
    return b64_json({"a": rs(rng, HEX, 32), "t": uuid4(rng), "s": base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode()})


def neptune(rng):
    return b64_json({"api_address": "https://app.neptune.ai", "api_url": "https://app.neptune.ai", "api_key": uuid4(rng)})


def tinybird(rng):
    return "p." + b64u_json({"u": uuid4(rng), "id": uuid4(rng), "host": "gcp-europe-west3"}) + "." + rs(rng, B64U, 43)


def intercom(rng):
    return base64.b64encode(f"tok:{uuid4(rng)}:1:0".encode()).decode()


def prisma(rng):
    jwt = b64u_json({"alg": "HS256", "typ": "JWT"}) + "." + b64u_json({"api_key": uuid4(rng), "tenant_id": rs(rng, HEX, 64),
                                                                          "internal_secret": uuid4(rng)}) + "." + rs(rng, B64U, 43)
    return "prisma://accelerate.prisma-data.net/?api_key=" + jwt


def discord_bot(rng):
    uid = str(rng.randint(10 ** 17, 10 ** 19 - 1)).encode()
    return base64.b64encode(uid).decode().rstrip("=") + "." + rs(rng, B64U, 6) + "." + rs(rng, B64U, 38)


def bedrock_long(rng):
    inner = f"BedrockAPIKey-{rs(rng, LOWN, 4)}-at-{rs(rng, DIG, 12)}:{rs(rng, B64, 40)}".encode()
    return "ABSK" + base64.b64encode(inner).decode()


def az_storage(rng):
    name = rs(rng, LOWN, 12)
    key = base64.b64encode(rng.getrandbits(512).to_bytes(64, "big")).decode()
    return f"DefaultEndpointsProtocol=https;AccountName={name};AccountKey={key};EndpointSuffix=core.windows.net"


def az_servicebus(rng):
    key = base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode()
    return f"Endpoint=sb://{rs(rng, LOWN, 10)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}"


def b64_bytes(n):
    def g(rng):
        return base64.b64encode(rng.getrandbits(8 * n).to_bytes(n, "big")).decode()
    return g


def jfrog_ref(rng):
    inner = f"01:{rs(rng, DIG, 10)}:{rs(rng, AN, 27)}".encode()
    return base64.b64encode(b"reftkn:" + inner).decode().rstrip("=")


def jetbrains_perm(rng):
    user = base64.b64encode(rs(rng, LOW, 7).encode()).decode().rstrip("=")
    name = base64.b64encode(b"ci-" + rs(rng, LOW, 5).encode()).decode().rstrip("=")
    return f"perm:{user}.{name}.{rs(rng, AN, 30)}"


def wix(rng):
    return "IST." + b64u_json({"kid": uuid4(rng), "alg": "RS256"}) + "." + b64u_json({"data": rs(rng, B64U, 120), "iat": rng.randint(1.7e9, 1.8e9)}) + "." + rs(rng, B64U, 86)


# ---------------------------------------------------------------------------------------
# The formats: (kind, provider, documented env var name, generator, source). A `simple`
# format (prefix + n characters of one alphabet) also feeds the near-miss negatives.
FORMATS = []
SIMPLE = {}


def F(kind, provider, env, gen, src):
    FORMATS.append({"kind": kind, "provider": provider, "env": env, "gen": gen, "src": src})


def S(kind, provider, env, prefix, alpha, n, src, suffix=""):
    """prefix + n characters of alpha (+ a fixed suffix)."""
    F(kind, provider, env, P(prefix, R(alpha, n), suffix), src)
    SIMPLE[kind] = (prefix, alpha, n, suffix)


D = "documented: "
O = "observed shape"

# --- source hosting, CI/CD ------------------------------------------------------------
F("github-pat", "GitHub", "GITHUB_TOKEN", lambda r: crc_token(r, "ghp_"), D + "GitHub blog 2021-04-05, token formats")
F("github-oauth", "GitHub", "GITHUB_OAUTH_TOKEN", lambda r: crc_token(r, "gho_"), D + "GitHub blog 2021-04-05, token formats")
F("github-user-to-server", "GitHub", "GH_TOKEN", lambda r: crc_token(r, "ghu_"), D + "GitHub blog 2021-04-05, token formats")
F("github-server-to-server", "GitHub", "GITHUB_APP_TOKEN", lambda r: crc_token(r, "ghs_"), D + "GitHub blog 2021-04-05, token formats")
F("github-refresh", "GitHub", "GITHUB_REFRESH_TOKEN", lambda r: crc_token(r, "ghr_"), D + "GitHub blog 2021-04-05, token formats")
F("github-fine-grained-pat", "GitHub", "GITHUB_PAT", P("github_pat_11", R(UPN, 20), "_", R(AN, 59)), D + "GitHub docs, fine-grained PATs (github_pat_); lengths " + O)
S("gitlab-pat", "GitLab", "GITLAB_TOKEN", "glpat-", B64U, 20, D + "GitLab docs, token prefixes")
F("gitlab-pat-routable", "GitLab", "GITLAB_TOKEN", P("glpat-", R(B64U, 27), ".01.", R(LOWN, 9)), O + " (2025 routable glpat-<payload>.<version>.<suffix>)")
S("gitlab-oauth-secret", "GitLab", "GITLAB_APP_SECRET", "gloas-", HEX, 64, D + "GitLab docs, token prefixes")
S("gitlab-deploy-token", "GitLab", "GITLAB_DEPLOY_TOKEN", "gldt-", B64U, 20, D + "GitLab docs, token prefixes")
S("gitlab-runner-token", "GitLab", "CI_RUNNER_TOKEN", "glrt-", B64U, 20, D + "GitLab docs, token prefixes")
S("gitlab-runner-registration", "GitLab", "RUNNER_REGISTRATION_TOKEN", "GR1348941", B64U, 20, D + "GitLab docs, token prefixes")
S("gitlab-cicd-job-token", "GitLab", "CI_JOB_TOKEN", "glcbt-", B64U, 20, D + "GitLab docs, token prefixes; body " + O)
S("gitlab-trigger-token", "GitLab", "GITLAB_TRIGGER_TOKEN", "glptt-", HEX, 40, D + "GitLab docs, token prefixes")
S("gitlab-feed-token", "GitLab", "GITLAB_FEED_TOKEN", "glft-", B64U, 20, D + "GitLab docs, token prefixes")
S("gitlab-incoming-mail", "GitLab", "GITLAB_INCOMING_EMAIL_TOKEN", "glimt-", LOWN, 25, D + "GitLab docs, token prefixes; body " + O)
S("gitlab-agent-token", "GitLab", "GITLAB_AGENT_TOKEN", "glagent-", B64U, 50, D + "GitLab docs, token prefixes")
S("gitlab-scim-token", "GitLab", "GITLAB_SCIM_TOKEN", "glsoat-", B64U, 20, D + "GitLab docs, token prefixes")
S("gitlab-feature-flags", "GitLab", "UNLEASH_CLIENT_TOKEN", "glffct-", B64U, 20, D + "GitLab docs, token prefixes")
F("bitbucket-app-password", "Bitbucket", "BITBUCKET_APP_PASSWORD", P("ATBB", R(AN, 28), R(HEXU, 8)), O)
F("atlassian-api-token", "Atlassian", "JIRA_API_TOKEN", P("ATATT3xFfGF0", R(B64U, 180), "=", R(HEXU, 8)), O)
F("azure-devops-pat", "Azure DevOps", "AZURE_DEVOPS_PAT", P(R(AN, 52), R(AN, 24), "AZDO", R(AN, 4)), O + " (2024 84-character PATs with AZDO)")
F("circleci-pat", "CircleCI", "CIRCLE_TOKEN", P("CCIPAT_", R(AN, 22), "_", R(HEX, 40)), D + "CircleCI docs, managing API tokens")
F("circleci-project-token", "CircleCI", "CIRCLECI_PROJECT_TOKEN", P("CCIPRJ_", R(AN, 22), "_", R(HEX, 40)), D + "CircleCI docs, managing API tokens")
S("buildkite-api-token", "Buildkite", "BUILDKITE_API_TOKEN", "bkua_", HEX, 40, D + "Buildkite docs, API access tokens")
F("harness-pat", "Harness", "HARNESS_PLATFORM_API_KEY", P("pat.", R(B64U, 22), ".", R(HEX, 24), ".", R(AN, 20)), D + "Harness docs, API keys (pat.<account>.<token>.<secret>)")
F("harness-sat", "Harness", "HARNESS_SA_TOKEN", P("sat.", R(B64U, 22), ".", R(HEX, 24), ".", R(AN, 20)), D + "Harness docs, service account tokens")
S("octopus-api-key", "Octopus Deploy", "OCTOPUS_API_KEY", "API-", UPN, 27, D + "Octopus docs, API keys")
S("jenkins-api-token", "Jenkins", "JENKINS_API_TOKEN", "11", HEX, 32, O)
S("sonarqube-user-token", "SonarQube", "SONAR_TOKEN", "squ_", HEX, 40, D + "SonarQube docs, generating tokens")
S("sonarqube-project-token", "SonarQube", "SONAR_PROJECT_TOKEN", "sqp_", HEX, 40, D + "SonarQube docs, generating tokens")
S("sonarqube-global-token", "SonarQube", "SONAR_GLOBAL_TOKEN", "sqa_", HEX, 40, D + "SonarQube docs, generating tokens")
S("docker-hub-pat", "Docker", "DOCKERHUB_TOKEN", "dckr_pat_", B64U, 27, D + "Docker docs, personal access tokens")
S("docker-hub-oat", "Docker", "DOCKER_ORG_TOKEN", "dckr_oat_", B64U, 32, D + "Docker docs, organization access tokens; length " + O)
F("jfrog-api-key", "JFrog", "ARTIFACTORY_API_KEY", P("AKCp", R(AN, 69)), O)
F("jfrog-reference-token", "JFrog", "JFROG_ACCESS_TOKEN", jfrog_ref, O + " (base64 of reftkn:01:...)")
S("deepsource-pat", "DeepSource", "DEEPSOURCE_TOKEN", "dsp_", HEX, 40, O)
S("codesandbox-token", "CodeSandbox", "CSB_API_KEY", "csb_v1_", B64U, 43, O)
S("sourcegraph-token", "Sourcegraph", "SRC_ACCESS_TOKEN", "sgp_", HEX, 40, D + "Sourcegraph docs, access tokens")
F("sourcegraph-instance-token", "Sourcegraph", "SOURCEGRAPH_TOKEN", P("sgp_", R(HEX, 16), "_", R(HEX, 40)), O + " (instance-identified sgp_)")
F("terraform-cloud-token", "HashiCorp Terraform", "TFE_TOKEN", P(R(AN, 14), ".atlasv1.", R(AN, 67)), O)
S("pulumi-access-token", "Pulumi", "PULUMI_ACCESS_TOKEN", "pul-", HEX, 40, D + "Pulumi docs, access tokens")
S("prefect-api-key", "Prefect", "PREFECT_API_KEY", "pnu_", AN, 36, D + "Prefect Cloud docs, API keys")
S("prefect-service-account", "Prefect", "PREFECT_SA_KEY", "pnb_", AN, 36, D + "Prefect Cloud docs, service accounts")
S("dbt-cloud-service-token", "dbt Labs", "DBT_CLOUD_API_TOKEN", "dbtc_", B64U, 50, O)
S("dbt-cloud-user-token", "dbt Labs", "DBT_CLOUD_PAT", "dbtu_", B64U, 50, O)
S("trigger-dev-prod-key", "Trigger.dev", "TRIGGER_SECRET_KEY", "tr_prod_", AN, 20, D + "Trigger.dev docs, API keys")
S("trigger-dev-pat", "Trigger.dev", "TRIGGER_ACCESS_TOKEN", "tr_pat_", AN, 40, O)
S("deno-deploy-token", "Deno", "DENO_DEPLOY_TOKEN", "ddp_", AN, 36, D + "Deno Deploy docs, access tokens")
F("vercel-blob-token", "Vercel", "BLOB_READ_WRITE_TOKEN", P("vercel_blob_rw_", R(AN, 16), "_", R(AN, 30)), O)
S("netlify-pat", "Netlify", "NETLIFY_AUTH_TOKEN", "nfp_", AN, 36, O)
S("render-api-key", "Render", "RENDER_API_KEY", "rnd_", AN, 32, O)
F("fly-macaroon", "Fly.io", "FLY_API_TOKEN", P("FlyV1 fm2_", R(B64, 200)), O)
S("fly-org-token", "Fly.io", "FLY_ORG_TOKEN", "fo1_", B64U, 43, O)
S("heroku-api-key", "Heroku", "HEROKU_API_KEY", "HRKU-AA", B64U, 58, O)
S("digitalocean-pat", "DigitalOcean", "DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_", HEX, 64, D + "DigitalOcean docs, token formats (2022)")
S("digitalocean-oauth", "DigitalOcean", "DO_OAUTH_TOKEN", "doo_v1_", HEX, 64, D + "DigitalOcean docs, token formats (2022)")
S("digitalocean-refresh", "DigitalOcean", "DO_REFRESH_TOKEN", "dor_v1_", HEX, 64, D + "DigitalOcean docs, token formats (2022)")
F("rancher-token", "Rancher", "CATTLE_TOKEN", P("token-", R(LOWN, 5), ":", R(LOWN, 54)), O)
S("portainer-token", "Portainer", "PORTAINER_API_KEY", "ptr_", B64, 43, O)
S("socket-api-key", "Socket", "SOCKET_SECURITY_API_KEY", "sktsec_", AN, 48, O, suffix="_api")
F("stackhawk-api-key", "StackHawk", "HAWK_API_KEY", P("hawk.", R(AN, 20), ".", R(AN, 20)), O)

# --- package registries -----------------------------------------------------------------
F("npm-token", "npm", "NPM_TOKEN", lambda r: crc_token(r, "npm_"), D + "GitHub changelog 2021-09-23, npm access token format")
F("pypi-token", "PyPI", "PYPI_API_TOKEN", pypi_token, D + "pypi.org/help, API tokens (pypi- macaroons)")
F("testpypi-token", "TestPyPI", "TEST_PYPI_API_TOKEN", lambda r: pypi_token(r, b"test.pypi.org"), D + "pypi.org/help, API tokens")
S("rubygems-api-key", "RubyGems", "GEM_HOST_API_KEY", "rubygems_", HEX, 48, D + "RubyGems guides, API key scopes (rubygems_ prefix)")
S("nuget-api-key", "NuGet", "NUGET_API_KEY", "oy2", B32L, 43, O)
S("crates-io-token", "crates.io", "CARGO_REGISTRY_TOKEN", "cio", AN, 32, O)
S("packagist-token", "Packagist", "PACKAGIST_TOKEN", "packagist_uat_", AN, 32, O)
S("clojars-token", "Clojars", "CLOJARS_DEPLOY_TOKEN", "CLOJARS_", HEX, 60, D + "Clojars wiki, deploy tokens")
F("jetbrains-permanent-token", "JetBrains", "JETBRAINS_MARKETPLACE_TOKEN", jetbrains_perm, O)

# --- cloud ------------------------------------------------------------------------------
S("aws-access-key-id", "AWS", "AWS_ACCESS_KEY_ID", "AKIA", B32, 16, D + "AWS IAM user guide, unique ID prefixes")
S("aws-temporary-key-id", "AWS", "AWS_ACCESS_KEY_ID", "ASIA", B32, 16, D + "AWS IAM user guide, unique ID prefixes")
F("aws-bedrock-api-key", "AWS Bedrock", "AWS_BEARER_TOKEN_BEDROCK", bedrock_long, O + " (ABSK + base64 of BedrockAPIKey-...)")
F("aws-bedrock-short-term-key", "AWS Bedrock", "AWS_BEARER_TOKEN_BEDROCK", P("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t", R(B64, 300)), O)
F("google-api-key", "Google", "GOOGLE_API_KEY", P("AIzaSy", R(B64U, 33)), O + " (Google API key docs show AIza keys)")
S("google-oauth-client-secret", "Google", "GOOGLE_CLIENT_SECRET", "GOCSPX-", B64U, 28, O + " (2021 client secret format)")
F("google-oauth-access-token", "Google", "GOOGLE_ACCESS_TOKEN", P("ya29.", R(B64U, 150, 200)), O)
F("google-oauth-refresh-token", "Google", "GOOGLE_REFRESH_TOKEN", P("1//0", R(B64U, 99)), O)
F("firebase-fcm-server-key", "Firebase", "FCM_SERVER_KEY", P("AAAA", R(B64U, 7), ":APA91b", R(B64U, 134)), O)
F("azure-entra-client-secret", "Microsoft Entra", "AZURE_CLIENT_SECRET", P(R(AN, 3), "8Q~", R(AN + "~._-", 34)), O)
F("azure-storage-connection-string", "Azure Storage", "AZURE_STORAGE_CONNECTION_STRING", az_storage, D + "Azure Storage docs, connection strings")
F("azure-service-bus-connection-string", "Azure Service Bus", "SERVICEBUS_CONNECTION_STRING", az_servicebus, D + "Azure Service Bus docs, SAS connection strings")
F("teams-incoming-webhook", "Microsoft Teams", "TEAMS_WEBHOOK_URL", lambda r: f"https://{rs(r, LOW, 8)}.webhook.office.com/webhookb2/{uuid4(r)}@{uuid4(r)}/IncomingWebhook/{rs(r, HEX, 32)}/{uuid4(r)}", O)
S("alibaba-access-key-id", "Alibaba Cloud", "ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI", AN, 20, O)
S("tencent-secret-id", "Tencent Cloud", "TENCENTCLOUD_SECRET_ID", "AKID", AN, 32, O)
S("volcengine-access-key", "Volcengine", "VOLC_ACCESSKEY", "AKLT", B64U, 43, O)
S("yandex-cloud-api-key", "Yandex Cloud", "YC_API_KEY", "AQVN", B64U, 36, O)
S("yandex-oauth-token", "Yandex", "YANDEX_OAUTH_TOKEN", "y0_", B64U, 55, O)
F("cloudflare-origin-ca-key", "Cloudflare", "CF_ORIGIN_CA_KEY", P("v1.0-", R(HEX, 24), "-", R(HEX, 146)), D + "Cloudflare API docs, Origin CA key")
F("cloudflare-tunnel-token", "Cloudflare", "TUNNEL_TOKEN", cf_tunnel, O + " (base64 JSON with a, t, s)")
F("akamai-edgegrid-token", "Akamai", "AKAMAI_ACCESS_TOKEN", P("akab-", R(LOWN, 16), "-", R(LOWN, 16)), D + "Akamai EdgeGrid docs, client and access tokens")
F("backblaze-application-key", "Backblaze", "B2_APPLICATION_KEY", P("K00", R(DIG, 1), R(AN + "+/", 27)), O)
F("cloudinary-url", "Cloudinary", "CLOUDINARY_URL", lambda r: f"cloudinary://{rs(r, DIG, 15)}:{rs(r, B64U, 27)}@{rs(r, LOWN, 9)}", D + "Cloudinary docs, CLOUDINARY_URL")
S("hashicorp-vault-service-token", "HashiCorp Vault", "VAULT_TOKEN", "hvs.", AN, 24, D + "Vault docs, token prefixes (1.10)")
F("hashicorp-vault-batch-token", "HashiCorp Vault", "VAULT_BATCH_TOKEN", P("hvb.AAAAAQ", R(B64U, 128)), D + "Vault docs, token prefixes (1.10)")
S("hashicorp-vault-recovery-token", "HashiCorp Vault", "VAULT_RECOVERY_TOKEN", "hvr.", AN, 24, D + "Vault docs, token prefixes (1.10)")
F("tailscale-auth-key", "Tailscale", "TS_AUTHKEY", P("tskey-auth-", R(AN, 7, 12), "CNTRL-", R(AN, 20, 33)), D + "tailscale.com/kb/1277/key-prefixes")
F("tailscale-api-key", "Tailscale", "TAILSCALE_API_KEY", P("tskey-api-", R(AN, 7, 12), "CNTRL-", R(AN, 20, 33)), D + "tailscale.com/kb/1277/key-prefixes")
F("tailscale-oauth-client", "Tailscale", "TS_OAUTH_SECRET", P("tskey-client-", R(AN, 7, 12), "CNTRL-", R(AN, 20, 33)), D + "tailscale.com/kb/1277/key-prefixes")
F("tailscale-webhook-secret", "Tailscale", "TS_WEBHOOK_SECRET", P("tskey-webhook-", R(AN, 7, 12), "CNTRL-", R(AN, 20, 33)), D + "tailscale.com/kb/1277/key-prefixes")
F("tailscale-scim-key", "Tailscale", "TS_SCIM_KEY", P("tskey-scim-", R(AN, 7, 12), "CNTRL-", R(AN, 20, 33)), D + "tailscale.com/kb/1277/key-prefixes")
F("ngrok-authtoken", "ngrok", "NGROK_AUTHTOKEN", P("2", R(AN, 26), "_", R(AN, 21)), O)
F("infisical-service-token", "Infisical", "INFISICAL_TOKEN", lambda r: f"st.{uuid4(r)}.{rs(r, HEX, 32)}.{rs(r, HEX, 32)}", O)
F("bitwarden-access-token", "Bitwarden", "BWS_ACCESS_TOKEN", lambda r: f"0.{uuid4(r)}.{rs(r, AN, 30)}:{rs(r, B64, 22)}==", O)
F("onepassword-service-account", "1Password", "OP_SERVICE_ACCOUNT_TOKEN", onepassword_sa, D + "1Password developer docs, service account tokens (ops_)")
F("onepassword-secret-key", "1Password", "OP_SECRET_KEY", onepassword_secret_key, D + "1Password support, Secret Key format (A3-...)")
S("doppler-personal-token", "Doppler", "DOPPLER_TOKEN", "dp.pt.", AN, 43, D + "docs.doppler.com, auth token formats")
F("doppler-service-token", "Doppler", "DOPPLER_TOKEN", P("dp.st.", lambda r: r.choice(["dev.", "stg.", "prd.", ""]), R(AN, 43)), D + "docs.doppler.com, auth token formats")
S("doppler-cli-token", "Doppler", "DOPPLER_CLI_TOKEN", "dp.ct.", AN, 43, D + "docs.doppler.com, auth token formats")
S("doppler-service-account", "Doppler", "DOPPLER_SA_TOKEN", "dp.sa.", AN, 43, D + "docs.doppler.com, auth token formats")
S("doppler-scim-token", "Doppler", "DOPPLER_SCIM_TOKEN", "dp.scim.", AN, 43, D + "docs.doppler.com, auth token formats")
S("doppler-audit-token", "Doppler", "DOPPLER_AUDIT_TOKEN", "dp.audit.", AN, 43, D + "docs.doppler.com, auth token formats")
F("age-secret-key", "age", "SOPS_AGE_KEY", age_key, D + "age-encryption.org/v1 (Bech32 identity)")

# --- AI / LLM / agent platforms ---------------------------------------------------------
F("anthropic-api-key", "Anthropic", "ANTHROPIC_API_KEY", P("sk-ant-api03-", R(B64U, 93), "AA"), O + " (console keys sk-ant-api03-)")
F("anthropic-admin-key", "Anthropic", "ANTHROPIC_ADMIN_KEY", P("sk-ant-admin01-", R(B64U, 93), "AA"), O)
F("anthropic-oauth-token", "Anthropic", "CLAUDE_CODE_OAUTH_TOKEN", P("sk-ant-oat01-", R(B64U, 93), "AA"), O)
F("anthropic-session-key", "Anthropic", "CLAUDE_SESSION_KEY", P("sk-ant-sid01-", R(B64U, 93), "AA"), O)
F("openai-project-key", "OpenAI", "OPENAI_API_KEY", P("sk-proj-", R(B64U, 74), "T3BlbkFJ", R(B64U, 74)), O)
F("openai-service-account-key", "OpenAI", "OPENAI_API_KEY", P("sk-svcacct-", R(B64U, 74), "T3BlbkFJ", R(B64U, 74)), O)
F("openai-admin-key", "OpenAI", "OPENAI_ADMIN_KEY", P("sk-admin-", R(B64U, 74), "T3BlbkFJ", R(B64U, 74)), O)
F("openai-legacy-key", "OpenAI", "OPENAI_API_KEY", P("sk-", R(AN, 20), "T3BlbkFJ", R(AN, 20)), O)
S("huggingface-token", "Hugging Face", "HF_TOKEN", "hf_", LET, 34, D + "huggingface.co/docs/hub/security-tokens")
S("huggingface-org-token", "Hugging Face", "HUGGINGFACE_ORG_TOKEN", "api_org_", LET, 34, O)
S("replicate-token", "Replicate", "REPLICATE_API_TOKEN", "r8_", AN, 37, O)
S("groq-api-key", "Groq", "GROQ_API_KEY", "gsk_", AN, 52, O)
S("perplexity-api-key", "Perplexity", "PERPLEXITY_API_KEY", "pplx-", AN, 48, O)
S("xai-api-key", "xAI", "XAI_API_KEY", "xai-", AN, 80, O)
S("deepseek-api-key", "DeepSeek", "DEEPSEEK_API_KEY", "sk-", HEX, 32, O)
S("openrouter-api-key", "OpenRouter", "OPENROUTER_API_KEY", "sk-or-v1-", HEX, 64, O)
S("together-api-key", "Together AI", "TOGETHER_API_KEY", "tgp_v1_", B64U, 43, O)
S("fireworks-api-key", "Fireworks AI", "FIREWORKS_API_KEY", "fw_", AN, 24, O)
S("anyscale-api-key", "Anyscale", "ANYSCALE_API_KEY", "esecret_", LOWN, 32, O)
F("langsmith-pat", "LangChain", "LANGSMITH_API_KEY", P("lsv2_pt_", R(HEX, 32), "_", R(HEX, 10)), D + "LangSmith docs, API keys (lsv2_pt_ / lsv2_sk_)")
F("langsmith-service-key", "LangChain", "LANGCHAIN_API_KEY", P("lsv2_sk_", R(HEX, 32), "_", R(HEX, 10)), D + "LangSmith docs, API keys (lsv2_pt_ / lsv2_sk_)")
S("langsmith-legacy-key", "LangChain", "LANGCHAIN_API_KEY", "ls__", HEX, 32, O)
F("langfuse-secret-key", "Langfuse", "LANGFUSE_SECRET_KEY", lambda r: "sk-lf-" + uuid4(r), D + "Langfuse docs, API keys (sk-lf- / pk-lf-)")
F("pinecone-api-key", "Pinecone", "PINECONE_API_KEY", P("pcsk_", R(AN, 6), "_", R(AN, 63)), O)
S("elevenlabs-api-key", "ElevenLabs", "ELEVENLABS_API_KEY", "sk_", HEX, 48, O)
S("cerebras-api-key", "Cerebras", "CEREBRAS_API_KEY", "csk-", LOWN, 48, O)
S("nvidia-api-key", "NVIDIA", "NVIDIA_API_KEY", "nvapi-", B64U, 64, O)
S("modal-token-secret", "Modal", "MODAL_TOKEN_SECRET", "as-", AN, 22, O)
S("runpod-api-key", "RunPod", "RUNPOD_API_KEY", "rpa_", UPN, 40, O)
S("firecrawl-api-key", "Firecrawl", "FIRECRAWL_API_KEY", "fc-", HEX, 32, O)
S("tavily-api-key", "Tavily", "TAVILY_API_KEY", "tvly-", AN, 32, O)
S("tavily-dev-key", "Tavily", "TAVILY_API_KEY", "tvly-dev-", AN, 32, O)
S("browserbase-api-key", "Browserbase", "BROWSERBASE_API_KEY", "bb_live_", B64U, 27, O)
S("e2b-api-key", "E2B", "E2B_API_KEY", "e2b_", HEX, 40, O)
S("daytona-api-key", "Daytona", "DAYTONA_API_KEY", "dtn_", HEX, 64, O)
F("jina-api-key", "Jina AI", "JINA_API_KEY", P("jina_", R(HEX, 32), R(AN, 28)), O)
S("voyage-api-key", "Voyage AI", "VOYAGE_API_KEY", "pa-", B64U, 43, O)
S("mem0-api-key", "Mem0", "MEM0_API_KEY", "m0-", AN, 40, O)
S("llamacloud-api-key", "LlamaIndex", "LLAMA_CLOUD_API_KEY", "llx-", AN, 48, O)
S("humanloop-api-key", "Humanloop", "HUMANLOOP_API_KEY", "hl_sk_", HEX, 48, O)
S("twelvelabs-api-key", "Twelve Labs", "TWELVE_LABS_API_KEY", "tlk_", UPN, 28, O)
S("scale-ai-api-key", "Scale AI", "SCALE_API_KEY", "live_", HEX, 32, O)
F("neptune-api-token", "Neptune.ai", "NEPTUNE_API_TOKEN", neptune, O + " (base64 JSON with api_address)")
S("runway-api-key", "Runway", "RUNWAYML_API_SECRET", "key_", HEX, 128, O)
S("kaggle-api-token", "Kaggle", "KAGGLE_API_TOKEN", "KGAT_", HEX, 32, O)
S("chroma-cloud-key", "Chroma", "CHROMA_API_KEY", "ck-", AN, 43, O)
S("turbopuffer-api-key", "turbopuffer", "TURBOPUFFER_API_KEY", "tpuf_", AN, 32, O)
S("logfire-write-token", "Pydantic Logfire", "LOGFIRE_TOKEN", "pylf_v1_us_", AN, 48, O)
S("cartesia-api-key", "Cartesia", "CARTESIA_API_KEY", "sk_car_", AN, 32, O)
S("brave-search-key", "Brave", "BRAVE_API_KEY", "BSA", AN, 28, O)
S("apify-api-token", "Apify", "APIFY_TOKEN", "apify_api_", AN, 36, D + "Apify docs, API tokens (apify_api_)")
S("scrapfly-api-key", "Scrapfly", "SCRAPFLY_KEY", "scp-live-", HEX, 32, O)
S("predibase-api-token", "Predibase", "PREDIBASE_API_TOKEN", "pb_", AN, 22, O)
F("helicone-api-key", "Helicone", "HELICONE_API_KEY", P("sk-helicone-", R(LOWN, 7), "-", R(LOWN, 7), "-", R(LOWN, 7), "-", R(LOWN, 7)), O)

# --- productivity, SaaS APIs ------------------------------------------------------------
S("notion-integration-token", "Notion", "NOTION_TOKEN", "ntn_", AN, 46, O + " (2024 ntn_ tokens)")
S("notion-legacy-secret", "Notion", "NOTION_API_KEY", "secret_", AN, 43, D + "Notion developers, internal integration secret")
S("linear-api-key", "Linear", "LINEAR_API_KEY", "lin_api_", AN, 40, D + "Linear developers, personal API keys")
S("linear-oauth-token", "Linear", "LINEAR_OAUTH_TOKEN", "lin_oauth_", HEX, 64, O)
F("airtable-pat", "Airtable", "AIRTABLE_API_KEY", P("pat", R(AN, 14), ".", R(HEX, 64)), D + "Airtable support, personal access tokens")
S("figma-pat", "Figma", "FIGMA_TOKEN", "figd_", B64U, 40, O)
F("asana-pat", "Asana", "ASANA_ACCESS_TOKEN", P("2/", R(DIG, 16), "/", R(DIG, 16), ":", R(HEX, 32)), O)
F("asana-legacy-pat", "Asana", "ASANA_TOKEN", P("1/", R(DIG, 16), ":", R(HEX, 32)), O)
F("clickup-token", "ClickUp", "CLICKUP_API_TOKEN", P("pk_", R(DIG, 8), "_", R(UPN, 32)), D + "ClickUp API docs, personal tokens (pk_)")
F("typeform-pat", "Typeform", "TYPEFORM_TOKEN", P("tfp_", R(AN, 44), "_", R(AN, 14)), O)
S("dropbox-short-lived-token", "Dropbox", "DROPBOX_ACCESS_TOKEN", "sl.", B64U, 135, O)
F("postman-api-key", "Postman", "POSTMAN_API_KEY", P("PMAK-", R(HEX, 24), "-", R(HEX, 34)), D + "Postman learning center, API keys")
S("contentful-pat", "Contentful", "CONTENTFUL_MANAGEMENT_TOKEN", "CFPAT-", B64U, 43, D + "Contentful docs, personal access tokens")
S("readme-api-key", "ReadMe", "README_API_KEY", "rdme_", LOWN, 70, O)
F("hubspot-private-app-na1", "HubSpot", "HUBSPOT_ACCESS_TOKEN", lambda r: "pat-na1-" + uuid4(r), D + "HubSpot developers, private app access tokens")
F("hubspot-private-app-eu1", "HubSpot", "HUBSPOT_ACCESS_TOKEN", lambda r: "pat-eu1-" + uuid4(r), D + "HubSpot developers, private app access tokens")
F("salesforce-access-token", "Salesforce", "SF_ACCESS_TOKEN", P("00D", R(AN, 12), "!AQ", R(AN + ".", 94)), O)
F("zoho-access-token", "Zoho", "ZOHO_ACCESS_TOKEN", P("1000.", R(HEX, 32), ".", R(HEX, 32)), O)
S("woocommerce-consumer-key", "WooCommerce", "WC_CONSUMER_KEY", "ck_", HEX, 40, D + "WooCommerce REST API docs (ck_/cs_)")
S("woocommerce-consumer-secret", "WooCommerce", "WC_CONSUMER_SECRET", "cs_", HEX, 40, D + "WooCommerce REST API docs (ck_/cs_)")
F("amazon-mws-token", "Amazon Marketplace", "MWS_AUTH_TOKEN", lambda r: "amzn.mws." + uuid4(r), D + "Amazon MWS docs, MWSAuthToken")
S("amazon-lwa-client-secret", "Amazon Login with Amazon", "LWA_CLIENT_SECRET", "amzn1.oa2-cs.v1.", HEX, 64, O)
S("shopify-access-token", "Shopify", "SHOPIFY_ACCESS_TOKEN", "shpat_", HEX, 32, D + "shopify.dev, access token prefixes")
S("shopify-custom-app-token", "Shopify", "SHOPIFY_CUSTOM_APP_TOKEN", "shpca_", HEX, 32, D + "shopify.dev, access token prefixes")
S("shopify-private-app-password", "Shopify", "SHOPIFY_PASSWORD", "shppa_", HEX, 32, D + "shopify.dev, access token prefixes")
S("shopify-shared-secret", "Shopify", "SHOPIFY_API_SECRET", "shpss_", HEX, 32, D + "shopify.dev, access token prefixes")
S("klaviyo-private-key", "Klaviyo", "KLAVIYO_PRIVATE_API_KEY", "pk_", HEX, 34, D + "Klaviyo developers, private API keys (pk_)")
S("onesignal-rest-key", "OneSignal", "ONESIGNAL_REST_API_KEY", "os_v2_app_", B32L, 110, O)
S("cal-com-api-key", "Cal.com", "CAL_API_KEY", "cal_live_", HEX, 32, D + "Cal.com API docs (cal_live_)")
S("polar-access-token", "Polar", "POLAR_ACCESS_TOKEN", "polar_oat_", AN, 43, O)
S("dub-api-key", "Dub", "DUB_API_KEY", "dub_", AN, 24, O)
S("nylas-api-key", "Nylas", "NYLAS_API_KEY", "nyk_v0_", AN, 48, O)
S("contentstack-management-token", "Contentstack", "CONTENTSTACK_MANAGEMENT_TOKEN", "cs", HEX, 32, O)
S("adobe-client-secret", "Adobe", "ADOBE_CLIENT_SECRET", "p8e-", B64U, 32, O)
F("wix-api-key", "Wix", "WIX_API_KEY", wix, O)
S("frameio-token", "Frame.io", "FRAMEIO_TOKEN", "fio-u-", B64U, 64, O)
F("rapidapi-key", "RapidAPI", "RAPIDAPI_KEY", P(R(HEX, 10), "msh", R(HEX, 15), "p", R(HEX, 12), "jsn", R(HEX, 12)), O)
F("mapbox-secret-token", "Mapbox", "MAPBOX_SECRET_TOKEN", mapbox_sk, D + "Mapbox docs, access tokens (sk. secret, pk. public)")
S("unkey-root-key", "Unkey", "UNKEY_ROOT_KEY", "unkey_", B58, 32, O)
F("zuplo-api-key", "Zuplo", "ZUPLO_API_KEY", P("zpka_", R(HEX, 32), "_", R(HEX, 8)), O)

# --- payments, commerce, fintech --------------------------------------------------------
F("stripe-secret-key", "Stripe", "STRIPE_SECRET_KEY", sk_live("sk_live_"), D + "docs.stripe.com/keys")
F("stripe-restricted-key", "Stripe", "STRIPE_RESTRICTED_KEY", sk_live("rk_live_"), D + "docs.stripe.com/keys")
F("stripe-test-secret-key", "Stripe", "STRIPE_TEST_SECRET_KEY", sk_live("sk_test_"), D + "docs.stripe.com/keys")
F("stripe-test-restricted-key", "Stripe", "STRIPE_TEST_RESTRICTED_KEY", sk_live("rk_test_"), D + "docs.stripe.com/keys")
S("stripe-webhook-secret", "Stripe", "STRIPE_WEBHOOK_SECRET", "whsec_", AN, 32, D + "docs.stripe.com/webhooks, signing secrets")
S("square-access-token", "Square", "SQUARE_ACCESS_TOKEN", "EAAA", B64U, 60, D + "Square developer docs, access tokens (EAAA)")
S("square-legacy-token", "Square", "SQUARE_TOKEN", "sq0atp-", B64U, 22, O)
S("square-application-secret", "Square", "SQUARE_APP_SECRET", "sq0csp-", B64U, 43, D + "Square developer docs, application secret")
F("braintree-access-token", "Braintree", "BRAINTREE_ACCESS_TOKEN", P("access_token$production$", R(LOWN, 16), "$", R(HEX, 32)), O)
S("flutterwave-secret-key", "Flutterwave", "FLW_SECRET_KEY", "FLWSECK-", HEX, 32, D + "Flutterwave docs, API keys", suffix="-X")
S("flutterwave-test-secret-key", "Flutterwave", "FLW_SECRET_KEY", "FLWSECK_TEST-", HEX, 32, D + "Flutterwave docs, API keys", suffix="-X")
S("paystack-secret-key", "Paystack", "PAYSTACK_SECRET_KEY", "sk_live_", HEX, 40, D + "Paystack docs, API keys")
S("mollie-live-key", "Mollie", "MOLLIE_API_KEY", "live_", AN, 30, D + "Mollie docs, API keys (live_/test_)")
S("mollie-access-token", "Mollie", "MOLLIE_ACCESS_TOKEN", "access_", AN, 40, D + "Mollie docs, organization access tokens")
S("gocardless-live-token", "GoCardless", "GOCARDLESS_ACCESS_TOKEN", "live_", B64U, 40, D + "GoCardless developer docs, access tokens")
F("paddle-api-key", "Paddle", "PADDLE_API_KEY", P("pdl_live_apikey_01", R(LOWN, 24), "_", R(AN, 27)), O)
S("shippo-live-token", "Shippo", "SHIPPO_API_TOKEN", "shippo_live_", HEX, 40, D + "Shippo docs, API tokens")
S("shippo-test-token", "Shippo", "SHIPPO_TEST_TOKEN", "shippo_test_", HEX, 40, D + "Shippo docs, API tokens")
S("easypost-production-key", "EasyPost", "EASYPOST_API_KEY", "EZAK", AN, 54, O)
S("easypost-test-key", "EasyPost", "EASYPOST_TEST_API_KEY", "EZTK", AN, 54, O)
F("plaid-access-token", "Plaid", "PLAID_ACCESS_TOKEN", lambda r: "access-production-" + uuid4(r), D + "Plaid API docs, access_token format")
S("duffel-live-token", "Duffel", "DUFFEL_ACCESS_TOKEN", "duffel_live_", B64U, 43, D + "Duffel docs, access tokens")
S("duffel-test-token", "Duffel", "DUFFEL_TEST_TOKEN", "duffel_test_", B64U, 43, D + "Duffel docs, access tokens")
F("onfido-api-token", "Onfido", "ONFIDO_API_TOKEN", P("api_live.", R(B64U, 11), ".", R(B64U, 32)), O)
F("persona-api-key", "Persona", "PERSONA_API_KEY", lambda r: "persona_production_" + uuid4(r), O)

# --- communication, email ---------------------------------------------------------------
F("slack-bot-token", "Slack", "SLACK_BOT_TOKEN", slack_bot, D + "api.slack.com, token types")
F("slack-user-token", "Slack", "SLACK_USER_TOKEN", slack_user, D + "api.slack.com, token types")
F("slack-app-token", "Slack", "SLACK_APP_TOKEN", slack_app, D + "api.slack.com, app-level tokens")
F("slack-config-token", "Slack", "SLACK_CONFIG_TOKEN", P("xoxe.xoxp-1-Mi0y", R(AN, 140)), D + "api.slack.com, app configuration tokens; body " + O)
F("slack-refresh-token", "Slack", "SLACK_REFRESH_TOKEN", P("xoxe-1-My0x", R(AN, 130)), D + "api.slack.com, token rotation; body " + O)
F("slack-client-token", "Slack", "SLACK_XOXC", lambda r: f"xoxc-{rs(r, DIG, 11)}-{rs(r, DIG, 11)}-{rs(r, DIG, 13)}-{rs(r, HEX, 64)}", O)
F("slack-webhook", "Slack", "SLACK_WEBHOOK_URL", lambda r: f"https://hooks.slack.com/services/T{rs(r, UPN, 10)}/B{rs(r, UPN, 10)}/{rs(r, AN, 24)}", D + "api.slack.com, incoming webhooks")
F("slack-workflow-webhook", "Slack", "SLACK_WORKFLOW_URL", lambda r: f"https://hooks.slack.com/triggers/T{rs(r, UPN, 10)}/{rs(r, DIG, 13)}/{rs(r, HEX, 32)}", O)
F("discord-bot-token", "Discord", "DISCORD_BOT_TOKEN", discord_bot, O)
F("discord-webhook", "Discord", "DISCORD_WEBHOOK_URL", lambda r: f"https://discord.com/api/webhooks/{rs(r, DIG, 19)}/{rs(r, B64U, 68)}", D + "Discord developer docs, webhooks")
F("telegram-bot-token", "Telegram", "TELEGRAM_BOT_TOKEN", lambda r: f"{r.randint(10 ** 8, 10 ** 10 - 1)}:AA{rs(r, B64U, 33)}", D + "core.telegram.org/bots/api, bot token (id:secret); AA " + O)
F("twitter-bearer-token", "X (Twitter)", "TWITTER_BEARER_TOKEN", P("AAAAAAAAAAAAAAAAAAAAA", R(AN, 25), "%3D", R(AN, 50)), O)
S("meta-access-token", "Meta", "FB_ACCESS_TOKEN", "EAAG", AN, 180, O)
S("instagram-access-token", "Instagram", "INSTAGRAM_ACCESS_TOKEN", "IGQV", B64U, 180, O)
S("pinterest-access-token", "Pinterest", "PINTEREST_ACCESS_TOKEN", "pina_", UPN, 96, O)
F("sendgrid-api-key", "Twilio SendGrid", "SENDGRID_API_KEY", P("SG.", R(B64U, 22), ".", R(B64U, 43)), D + "SendGrid docs, API keys")
S("mailgun-api-key", "Mailgun", "MAILGUN_API_KEY", "key-", HEX, 32, O + " (legacy key-)")
F("mailchimp-api-key", "Mailchimp", "MAILCHIMP_API_KEY", P(R(HEX, 32), "-us", lambda r: str(r.randint(1, 21))), D + "Mailchimp marketing API docs, data center suffix")
F("brevo-api-key", "Brevo", "BREVO_API_KEY", P("xkeysib-", R(HEX, 64), "-", R(AN, 16)), D + "Brevo developers, API keys")
F("brevo-smtp-key", "Brevo", "BREVO_SMTP_KEY", P("xsmtpsib-", R(HEX, 64), "-", R(AN, 16)), D + "Brevo help, SMTP keys")
S("mailersend-api-token", "MailerSend", "MAILERSEND_API_KEY", "mlsn.", HEX, 64, D + "MailerSend developers, API tokens")
F("resend-api-key", "Resend", "RESEND_API_KEY", P("re_", R(AN, 8), "_", R(AN, 24)), O)
F("intercom-access-token", "Intercom", "INTERCOM_ACCESS_TOKEN", intercom, O + " (base64 of tok:...)")
F("ably-api-key", "Ably", "ABLY_API_KEY", P(R(AN, 6), ".", R(AN, 6), ":", R(B64U, 43)), D + "Ably docs, API key (app.keyid:secret)")
S("pubnub-secret-key", "PubNub", "PUBNUB_SECRET_KEY", "sec-c-", AN, 48, D + "PubNub docs, keysets (sec-c-)")
S("liveblocks-secret-key", "Liveblocks", "LIVEBLOCKS_SECRET_KEY", "sk_prod_", B64U, 64, D + "Liveblocks docs, API keys")
F("svix-webhook-secret", "Svix", "SVIX_WEBHOOK_SECRET", P("whsec_", b64_bytes(24)), D + "Svix docs, verifying webhooks (whsec_ + base64)")
S("inngest-signing-key", "Inngest", "INNGEST_SIGNING_KEY", "signkey-prod-", HEX, 64, D + "Inngest docs, signing keys")

# --- observability, analytics, feature flags --------------------------------------------
F("sentry-org-token", "Sentry", "SENTRY_AUTH_TOKEN", sentry_org, D + "Sentry docs, organization auth tokens (sntrys_)")
S("sentry-user-token", "Sentry", "SENTRY_AUTH_TOKEN", "sntryu_", HEX, 64, D + "Sentry docs, user auth tokens (sntryu_)")
S("newrelic-user-key", "New Relic", "NEW_RELIC_API_KEY", "NRAK-", UPN, 27, D + "New Relic docs, API keys")
S("newrelic-insert-key", "New Relic", "NEW_RELIC_INSERT_KEY", "NRII-", B64U, 32, D + "New Relic docs, API keys")
S("newrelic-query-key", "New Relic", "NEW_RELIC_QUERY_KEY", "NRIQ-", B64U, 32, D + "New Relic docs, API keys")
S("newrelic-admin-key", "New Relic", "NEW_RELIC_ADMIN_KEY", "NRAA-", HEX, 27, D + "New Relic docs, API keys (legacy admin)")
F("newrelic-license-key", "New Relic", "NEW_RELIC_LICENSE_KEY", P(R(HEX, 36), "NRAL"), D + "New Relic docs, license keys ending NRAL")
S("honeycomb-ingest-key", "Honeycomb", "HONEYCOMB_API_KEY", "hcaik_01", LOWN, 56, O)
S("honeycomb-management-key", "Honeycomb", "HONEYCOMB_MANAGEMENT_KEY", "hcxmk_01", LOWN, 56, O)
F("grafana-service-account", "Grafana", "GRAFANA_TOKEN", P("glsa_", R(AN, 32), "_", R(HEX, 8)), D + "Grafana docs, service account tokens (glsa_)")
F("grafana-cloud-token", "Grafana Cloud", "GRAFANA_CLOUD_API_KEY", grafana_cloud, O + " (glc_ + base64 JSON)")
F("dynatrace-api-token", "Dynatrace", "DT_API_TOKEN", P("dt0c01.", R(UPN, 24), ".", R(UPN, 64)), D + "Dynatrace docs, access token format")
F("dynatrace-platform-token", "Dynatrace", "DT_PLATFORM_TOKEN", P("dt0s01.", R(UPN, 24), ".", R(UPN, 64)), O)
F("axiom-api-token", "Axiom", "AXIOM_TOKEN", lambda r: "xaat-" + uuid4(r), D + "Axiom docs, API tokens (xaat-)")
F("axiom-personal-token", "Axiom", "AXIOM_PERSONAL_TOKEN", lambda r: "xapt-" + uuid4(r), D + "Axiom docs, personal tokens (xapt-)")
S("honeybadger-pat", "Honeybadger", "HONEYBADGER_PERSONAL_AUTH_TOKEN", "hbp_", AN, 36, O)
S("pagerduty-user-token", "PagerDuty", "PAGERDUTY_TOKEN", "u+", B64U, 18, O)
S("checkly-api-key", "Checkly", "CHECKLY_API_KEY", "cu_", HEX, 32, O)
S("coralogix-send-key", "Coralogix", "CORALOGIX_PRIVATE_KEY", "cxtp_", AN, 30, O)
S("posthog-personal-key", "PostHog", "POSTHOG_PERSONAL_API_KEY", "phx_", AN, 43, D + "PostHog docs, personal API keys")
F("launchdarkly-sdk-key", "LaunchDarkly", "LAUNCHDARKLY_SDK_KEY", lambda r: "sdk-" + uuid4(r), D + "LaunchDarkly docs, SDK keys")
F("launchdarkly-api-token", "LaunchDarkly", "LAUNCHDARKLY_ACCESS_TOKEN", lambda r: "api-" + uuid4(r), D + "LaunchDarkly docs, API access tokens")
S("statsig-server-secret", "Statsig", "STATSIG_SERVER_SECRET", "secret-", AN, 43, D + "Statsig docs, server secret keys")
S("statsig-console-key", "Statsig", "STATSIG_CONSOLE_KEY", "console-", AN, 43, D + "Statsig docs, console API keys")
S("flagsmith-server-key", "Flagsmith", "FLAGSMITH_SERVER_KEY", "ser.", AN, 22, O)
F("unleash-api-token", "Unleash", "UNLEASH_API_TOKEN", P(lambda r: r.choice(["default", "*"]), ":", lambda r: r.choice(["production", "development"]), ".", R(HEX, 64)), O)
F("uptimerobot-api-key", "UptimeRobot", "UPTIMEROBOT_API_KEY", P("u", R(DIG, 7), "-", R(HEX, 24)), O)
S("metabase-api-key", "Metabase", "METABASE_API_KEY", "mb_", B64, 43, O)
S("pangea-token", "Pangea", "PANGEA_TOKEN", "pts_", LOWN, 32, O)

# --- data, databases-as-a-service -------------------------------------------------------
S("databricks-pat", "Databricks", "DATABRICKS_TOKEN", "dapi", HEX, 32, D + "Databricks docs, personal access tokens (dapi)")
S("databricks-oauth-secret", "Databricks", "DATABRICKS_CLIENT_SECRET", "dose", HEX, 32, O)
S("planetscale-service-token", "PlanetScale", "PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_", B64U, 43, D + "PlanetScale docs, token prefixes")
S("planetscale-password", "PlanetScale", "DATABASE_PASSWORD", "pscale_pw_", B64U, 43, D + "PlanetScale docs, token prefixes")
S("planetscale-oauth-token", "PlanetScale", "PLANETSCALE_OAUTH_TOKEN", "pscale_oauth_", B64U, 43, D + "PlanetScale docs, token prefixes")
S("supabase-pat", "Supabase", "SUPABASE_ACCESS_TOKEN", "sbp_", HEX, 40, D + "Supabase docs, management API access tokens")
S("supabase-secret-key", "Supabase", "SUPABASE_SECRET_KEY", "sb_secret_", B64U, 31, D + "Supabase docs, API keys (sb_secret_ / sb_publishable_); length " + O)
S("neon-api-key", "Neon", "NEON_API_KEY", "napi_", LOWN, 60, O)
S("fauna-secret", "Fauna", "FAUNA_SECRET", "fnA", B64U, 37, O)
F("convex-deploy-key", "Convex", "CONVEX_DEPLOY_KEY", lambda r: f"prod:{rs(r, LOW, 6)}-{rs(r, LOW, 6)}-{r.randint(100, 999)}|{rs(r, B64U, 80)}", O)
S("xata-api-key", "Xata", "XATA_API_KEY", "xau_", AN, 32, O)
F("tinybird-token", "Tinybird", "TB_TOKEN", tinybird, O)
S("clickhouse-cloud-secret", "ClickHouse", "CLICKHOUSE_KEY_SECRET", "4b1d", AN, 38, O)
S("appwrite-api-key", "Appwrite", "APPWRITE_API_KEY", "standard_", HEX, 256, O)
F("prisma-accelerate-url", "Prisma", "DATABASE_URL", prisma, O)

# --- identity, security -----------------------------------------------------------------
S("okta-api-token", "Okta", "OKTA_API_TOKEN", "00", B64U, 40, O)
S("clerk-secret-key", "Clerk", "CLERK_SECRET_KEY", "sk_live_", AN, 40, D + "Clerk docs, API keys (sk_live_/pk_live_)")
S("stytch-secret", "Stytch", "STYTCH_SECRET", "secret-live-", B64U, 36, D + "Stytch docs, API keys (secret-live-)")
S("ory-pat", "Ory", "ORY_API_KEY", "ory_pat_", AN, 32, D + "Ory docs, API keys (ory_pat_)")

# ---------------------------------------------------------------------------------------
# Host styles: each renders (lines, index of the token's line, language extension).
NEUTRAL_NAMES = ["CONFIG_VALUE", "DATA", "UPSTREAM_VALUE", "VALUE", "PAYLOAD", "SETTING_A", "OPT_3", "X_PARAM",
                 "INPUT_STRING", "BLOB", "FIELD_7", "CONNECTOR_ARG", "ENTRY", "RAW", "ITEM_VALUE", "PARAMS_0",
                 "BUILD_ID", "CHECKSUM", "CACHE_KEY", "TRACE_ID", "COMMIT_REF", "VERSION_TAG", "ASSET_HASH",
                 "COLOR_SCHEME", "BACKUP_LABEL", "REMOTE_ARG", "HANDLE", "LEGACY_FIELD"]
GENERIC_NAMES = ["API_KEY", "TOKEN", "AUTH_TOKEN", "ACCESS_TOKEN", "API_TOKEN", "SECRET_KEY", "CLIENT_SECRET"]


def lower_snake(n):
    return n.lower()


def camel(n):
    parts = n.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def pascal(n):
    return "".join(p.capitalize() for p in n.lower().split("_"))


def yq(v):
    return "'" + v + "'" if any(c in v for c in ":#*&!%@{}[]|>,?\"$") or v[:1] in "-0123456789" else v


def shq(v):
    return "'" + v + "'" if any(c in v for c in "$`\"!\\ ") else '"' + v + '"'


def c_str(v):
    return v.replace("\\", "\\\\").replace('"', '\\"')


URLISH = ("https://", "cloudinary://", "prisma://")


def is_url(v):
    return v.startswith(URLISH)


def url_safe(v):
    return all(c in AN + "-._~" for c in v)


# Each: name -> (ext, render(rng, name, value) -> (lines, idx), accepts(value) -> bool)
STYLES = {}


def style(name, ext, ok=lambda v: True):
    def deco(fn):
        STYLES[name] = (ext, fn, ok)
        return fn
    return deco


@style("dotenv", "env")
def _(r, n, v):
    pre = r.choice([["APP_ENV=production"], ["# local overrides", "PORT=8080"], []])
    return pre + [f"{n}={v}", "LOG_LEVEL=info"], len(pre)


@style("shell-export", "sh")
def _(r, n, v):
    return ["#!/bin/sh", "set -eu", f"export {n}={shq(v)}", "exec ./bin/server \"$@\""], 2


@style("yaml-config", "yaml")
def _(r, n, v):
    return ["service:", "  name: ingest", "  replicas: 2", f"  {lower_snake(n)}: {yq(v)}", "  region: eu-west-1"], 3


@style("json-config", "json")
def _(r, n, v):
    return ["{", '  "name": "worker",', f'  "{camel(n)}": "{c_str(v)}",', '  "timeout": 30', "}"], 2


@style("toml", "toml")
def _(r, n, v):
    return ["[client]", 'endpoint = "https://api.corp.internal"', f'{lower_snake(n)} = "{c_str(v)}"', "retries = 3"], 2


@style("ini", "ini")
def _(r, n, v):
    return ["[default]", "region = eu-west-1", f"{lower_snake(n)} = {v}", "output = json"], 2


@style("properties", "properties")
def _(r, n, v):
    return ["# application settings", "server.port=8080", f"app.{lower_snake(n).replace('_', '.')}={v}", "spring.main.banner-mode=off"], 2


@style("xml-appsettings", "config", lambda v: not any(c in v for c in '&<>"'))
def _(r, n, v):
    return ['<?xml version="1.0" encoding="utf-8"?>', "<configuration>", "  <appSettings>",
            f'    <add key="{pascal(n)}" value="{v}" />', "  </appSettings>", "</configuration>"], 3


@style("hcl-terraform", "tf", lambda v: "${" not in v and "%{" not in v)
def _(r, n, v):
    return ["locals {", '  environment = "prod"', f'  {lower_snake(n)} = "{c_str(v)}"', "}"], 2


@style("dockerfile-env", "Dockerfile")
def _(r, n, v):
    return ["FROM python:3.12-slim", "WORKDIR /app", f"ENV {n}={shq(v) if ' ' in v or '$' in v else v}", 'CMD ["python", "main.py"]'], 2


@style("github-actions-env", "yml")
def _(r, n, v):
    return ["name: deploy", "on: push", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:",
            f"      {n}: {yq(v)}", "    steps:", "      - uses: actions/checkout@v4", "      - run: make deploy"], 6


@style("compose-environment", "yml")
def _(r, n, v):
    return ["services:", "  app:", "    image: registry.corp.internal/app:1.4", "    environment:",
            f"      - {n}={v}", "      - TZ=UTC"], 4


@style("k8s-secret", "yaml")
def _(r, n, v):
    return ["apiVersion: v1", "kind: Secret", "metadata:", "  name: app-credentials", "type: Opaque", "stringData:",
            f"  {lower_snake(n).replace('_', '-')}: {yq(v)}"], 6


@style("python", "py")
def _(r, n, v):
    return ["import os", "", f'{n} = "{c_str(v)}"', "", "", "def client():", f"    return Client({n})"], 2


@style("javascript", "js")
def _(r, n, v):
    return ["'use strict';", "", f"const {camel(n)} = '{v}';", f"module.exports = {{ {camel(n)} }};"], 2


@style("typescript", "ts")
def _(r, n, v):
    return ['import { Client } from "./client";', "", f'export const {camel(n)}: string = "{c_str(v)}";', f"export const client = new Client({camel(n)});"], 2


@style("go", "go")
def _(r, n, v):
    return ["package config", "", f"const {pascal(n)} = `{v}`", "", "var Timeout = 30"], 2


@style("java", "java")
def _(r, n, v):
    return ["package com.corp.app;", "", "public final class Settings {", f'    static final String {n} = "{c_str(v)}";', "}"], 3


@style("csharp", "cs")
def _(r, n, v):
    return ["namespace Corp.App;", "", "public static class Settings", "{", f'    public const string {pascal(n)} = @"{v}";', "}"], 4


@style("ruby", "rb")
def _(r, n, v):
    return ["# frozen_string_literal: true", "", f"{n} = '{v}'", "Client.configure { |c| c.key = " + n + " }"], 2


@style("php", "php")
def _(r, n, v):
    return ["<?php", "", f"define('{n}', '{v}');", "$client = new Client(" + n + ");"], 2


@style("rust", "rs")
def _(r, n, v):
    return [f'const {n}: &str = "{c_str(v)}";', "", "fn main() {", f"    println!(\"{{}}\", {n}.len());", "}"], 0


@style("kotlin", "kt", lambda v: "$" not in v)
def _(r, n, v):
    return ["package com.corp.app", "", f'const val {n} = "{c_str(v)}"'], 2


@style("powershell", "ps1")
def _(r, n, v):
    return [f"$env:{n} = '{v}'", "& ./deploy.ps1"], 0


@style("curl-header", "sh", lambda v: not is_url(v))
def _(r, n, v):
    h = r.choice(["Authorization: Bearer ", "Authorization: token ", "X-API-Key: ", "Api-Key: ", "X-Auth-Token: "])
    return ["#!/bin/sh", f"curl -sS -H '{h}{v}' https://api.corp.internal/v1/items"], 1


@style("curl-webhook", "sh", is_url)
def _(r, n, v):
    return ["#!/bin/sh", "curl -sS -X POST -H 'Content-Type: application/json' \\", f"  -d '{{\"text\":\"deploy finished\"}}' '{v}'"], 2


@style("http-request", "http", lambda v: not is_url(v))
def _(r, n, v):
    return ["GET /v2/projects HTTP/1.1", "Host: api.corp.internal", f"Authorization: Bearer {v}", "Accept: application/json"], 2


@style("url-query", "txt", url_safe)
def _(r, n, v):
    return [f"https://ingest.corp.internal/v1/events?{r.choice(['key', 'token', 'access_token', 'auth'])}={v}&format=json"], 0


@style("log-line", "log")
def _(r, n, v):
    return ["2025-03-14T10:22:30Z INFO starting worker pid=4121",
            f"2025-03-14T10:22:31Z DEBUG upstream request configured {r.choice(['credential', 'auth', 'value', 'param'])}={v} attempt=1",
            "2025-03-14T10:22:32Z INFO ready"], 1


@style("code-comment", "py")
def _(r, n, v):
    return ["def connect():", f"    # {r.choice(['old value', 'use this one for staging', 'rotated in March', 'from the dashboard'])}: {v}", "    return open_session()"], 1


@style("markdown-table", "md", lambda v: "|" not in v and "`" not in v)
def _(r, n, v):
    return ["## Settings", "", "| name | value |", "|---|---|", f"| `{n}` | `{v}` |", "| `REGION` | `eu-west-1` |"], 4


@style("markdown-code", "md")
def _(r, n, v):
    return ["## Running locally", "", "```sh", f"export {n}={shq(v)}", "make run", "```"], 3


@style("bare", "txt")
def _(r, n, v):
    return [v], 0


NAMELESS = {"curl-header", "curl-webhook", "http-request", "url-query", "log-line", "code-comment", "bare"}

LANG_FILE = {"Dockerfile": "Dockerfile", "yml": None}
BASENAMES = ["config", "settings", "app", "service", "main", "values", "deploy", "client", "setup", "run", "notes",
             "module", "handler", "params", "build", "local", "prod", "worker", "ingest", "bootstrap"]


def file_name(rng, style_name, i):
    ext = STYLES[style_name][0]
    mode = i % 3
    base = rng.choice(BASENAMES)
    if mode == 1:
        return base + ".txt"
    if mode == 2:
        return base
    if style_name == "dockerfile-env":
        return "Dockerfile"
    if style_name == "compose-environment":
        return "docker-compose.yml"
    if style_name == "github-actions-env":
        return "deploy.yml"
    return f"{base}.{ext}"


# ---------------------------------------------------------------------------------------
# Near-miss negatives.
def mutate_char(c, alpha):
    return next(x for x in alpha if x != c)


def neg_wrong_length(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    d = r.randint(4, 9)
    body = rs(r, alpha, n - d) if r.random() < 0.6 or n < 12 else rs(r, alpha, n + d)
    if len(body) < 4:
        body = rs(r, alpha, n + d)
    return k, pre + body + suf


def neg_wrong_alphabet(r):
    ks = [k for k, (p, a, n, s) in SIMPLE.items() if a in (HEX, UPN, LOWN, LET, DIG, B32, B32L) and n >= 16]
    k = r.choice(sorted(ks))
    pre, alpha, n, suf = SIMPLE[k]
    foreign = "".join(c for c in AN + "!#" if c not in alpha and c not in "!#") or "!"
    body = list(rs(r, alpha, n))
    for pos in r.sample(range(n), max(3, n // 5)):
        body[pos] = r.choice(foreign)
    return k, pre + "".join(body) + suf


def neg_checksum(r):
    pre = r.choice(CRC_PREFIXES)
    tok = crc_token(r, pre)
    pos = r.randint(len(pre), len(tok) - 1)
    bad = tok[:pos] + mutate_char(tok[pos], AN.replace(tok[pos], "")[r.randint(0, 60):] + AN) + tok[pos + 1:]
    while crc_token_valid(bad):
        bad = bad[:-1] + r.choice(AN)
    kind = {"npm_": "npm-token"}.get(pre, "github-pat")
    return kind, bad


def neg_low_entropy(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    pattern = r.choice(["repeat", "seq", "pair"])
    if pattern == "repeat":
        body = r.choice(alpha) * n
    elif pattern == "seq":
        body = (alpha * (n // len(alpha) + 1))[:n]
    else:
        a, b = r.sample(alpha, 2)
        body = ((a + b) * n)[:n]
    return k, pre + body + suf


def neg_placeholder(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    form = r.choice(["x", "X", "angle", "your", "dots", "zeros"])
    if form == "x":
        return k, pre + "x" * n + suf
    if form == "X":
        return k, pre + "X" * n + suf
    if form == "angle":
        return k, r.choice(["<your-token>", "<YOUR_API_KEY>", f"{pre}<your-key-here>", "<token>"])
    if form == "your":
        return k, pre + r.choice(["YOUR_API_KEY", "your_token_here", "INSERT_KEY_HERE", "REPLACE_ME", "changeme"])
    if form == "dots":
        return k, pre + "..."
    return k, pre + "0" * n + suf


def neg_masked(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    tail = rs(r, alpha, 4)
    return k, r.choice([pre + "*" * (n - 4) + tail, pre + "..." + tail, pre + "****", pre + "•" * 8 + tail,
                        pre + "[REDACTED]", pre + "*" * n])


def neg_truncated(r):
    f = r.choice([f for f in FORMATS if f["kind"] in SIMPLE])
    v = f["gen"](r)
    pre = SIMPLE[f["kind"]][0]
    return f["kind"], v[: len(pre) + r.randint(3, 6)] + r.choice(["...", "…", "…(truncated)", " [truncated]"])


def letter_prefixes():
    """Prefixes that read as a word (not `00`, `11`, `cs`): only those make sense inside an
    identifier or alone."""
    return sorted(k for k, (p, a, n, s) in SIMPLE.items() if len(p.rstrip("-_.")) >= 3 and any(c.isalpha() for c in p))


def neg_in_identifier(r):
    k = r.choice(letter_prefixes())
    pre = SIMPLE[k][0]
    core = pre.rstrip("-_.").replace("-", "_").replace(".", "_")
    a = r.choice(["task", "parse", "load", "is", "handle", "make", "to", "legacy"])
    b = r.choice(["handler", "parser", "config", "enabled", "count", "prefix", "kind", "mode"])
    return k, f"{a}_{core}_{b}"


def neg_var_ref(r):
    f = r.choice(FORMATS)
    e = f["env"]
    return f["kind"], r.choice([f"${{{e}}}", f"${e}", f"${{{{ secrets.{e} }}}}", f"%{e}%", f"{{{{ .Values.{camel(e)} }}}}",
                                f"os.environ['{e}']", f"process.env.{e}", f"${{env:{e}}}"])


def publishable(r):
    return r.choice([
        ("stripe-publishable-key", lambda: "pk_live_51" + rs(r, AN, 97)),
        ("stripe-publishable-test-key", lambda: "pk_test_51" + rs(r, AN, 97)),
        ("mapbox-public-token", lambda: "pk." + b64u_json({"u": rs(r, LOW, 8), "a": rs(r, LOWN, 25)}) + "." + rs(r, B64U, 22)),
        ("posthog-project-key", lambda: "phc_" + rs(r, AN, 43)),
        ("supabase-publishable-key", lambda: "sb_publishable_" + rs(r, B64U, 31)),
        ("langfuse-public-key", lambda: "pk-lf-" + uuid4(r)),
        ("statsig-client-key", lambda: "client-" + rs(r, AN, 43)),
        ("flutterwave-public-key", lambda: "FLWPUBK-" + rs(r, HEX, 32) + "-X"),
        ("clerk-publishable-key", lambda: "pk_live_" + base64.b64encode(f"clerk.{rs(r, LOW, 8)}.com$".encode()).decode().rstrip("=")),
        ("paystack-public-key", lambda: "pk_live_" + rs(r, HEX, 40)),
        ("newrelic-browser-key", lambda: "NRJS-" + rs(r, HEX, 19)),
        ("square-application-id", lambda: "sq0idp-" + rs(r, B64U, 22)),
        ("sentry-dsn", lambda: f"https://{rs(r, HEX, 32)}@o{rs(r, DIG, 6)}.ingest.sentry.io/{rs(r, DIG, 7)}"),
    ])


def neg_publishable(r):
    k, g = publishable(r)
    return k, g()


def neg_description(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    return k, r.choice([f"tokens start with {pre} followed by {n} characters",
                        f"prefix={pre} length={len(pre) + n + len(suf)}",
                        f"keys look like {pre}{'<' + str(n) + ' chars>'}",
                        f"match {pre}[A-Za-z0-9]{{{n}}} in the logs"])


def neg_example_key(r):
    k = r.choice(sorted(SIMPLE))
    pre, alpha, n, suf = SIMPLE[k]
    if r.random() < 0.35:
        return "aws-access-key-id", r.choice(["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "AKIA" + rs(r, B32, 9) + "EXAMPLE"])
    tail = "EXAMPLE" if "E" in alpha or alpha in (AN, B64U, B64, LET) else "example"
    return k, pre + rs(r, alpha, max(1, n - len(tail))) + tail + suf


def neg_prefix_only(r):
    k = r.choice(letter_prefixes())
    return k, SIMPLE[k][0]


def neg_wrong_separator(r):
    ks = [k for k, (p, a, n, s) in SIMPLE.items() if p[-1] in "-_." and len(p) > 3]
    k = r.choice(sorted(ks))
    pre, alpha, n, suf = SIMPLE[k]
    swap = {"-": "_", "_": "-", ".": "_"}
    bad = "".join(swap.get(c, c) for c in pre)
    return k, bad + rs(r, alpha, n) + suf


def neg_wrong_case(r):
    ks = [k for k, (p, a, n, s) in SIMPLE.items() if any(c.isalpha() for c in p) and len(p) >= 3]
    k = r.choice(sorted(ks))
    pre, alpha, n, suf = SIMPLE[k]
    bad = pre.swapcase()
    return k, bad + rs(r, alpha, n) + suf


NEGATIVES = {
    "wrong-length": neg_wrong_length,
    "wrong-alphabet": neg_wrong_alphabet,
    "checksum-invalid": neg_checksum,
    "low-entropy": neg_low_entropy,
    "placeholder": neg_placeholder,
    "masked": neg_masked,
    "truncated": neg_truncated,
    "prefix-in-identifier": neg_in_identifier,
    "variable-reference": neg_var_ref,
    "publishable-key": neg_publishable,
    "format-description": neg_description,
    "documented-example-key": neg_example_key,
    "prefix-only": neg_prefix_only,
    "wrong-separator": neg_wrong_separator,
    "wrong-case-prefix": neg_wrong_case,
}
# Styles a negative of a category is written in: identifiers live in code, prose in docs.
NEG_STYLES = {
    "prefix-in-identifier": ["python-ident", "js-ident", "go-ident"],
    "format-description": ["code-comment", "markdown-prose", "yaml-comment"],
}


def ident_style(kind):
    def render(r, n, v):
        if kind == "python-ident":
            return ["from .registry import register", "", f"def {v}(event):", "    return register(event)"], 2
        if kind == "js-ident":
            return [f"export function {v}(input) {{", "  return input.trim();", "}"], 0
        return ["package handlers", "", f"func {v}(ctx context.Context) error {{", "\treturn nil", "}"], 2
    return render


EXTRA_STYLES = {
    "python-ident": ("py", ident_style("python-ident")),
    "js-ident": ("js", ident_style("js-ident")),
    "go-ident": ("go", ident_style("go-ident")),
    "markdown-prose": ("md", lambda r, n, v: (["## Credentials", "", f"Note: {v}.", ""], 2)),
    "yaml-comment": ("yaml", lambda r, n, v: (["auth:", f"  # {v}", "  method: oauth"], 1)),
}


# ---------------------------------------------------------------------------------------
def pick_name(rng, fmt):
    x = rng.random()
    if x < 0.45:
        return fmt["env"], False
    if x < 0.62:
        return rng.choice(GENERIC_NAMES), False
    return rng.choice(NEUTRAL_NAMES), True


def render(rng, style_name, name, value):
    if style_name in STYLES:
        return STYLES[style_name][1](rng, name, value)
    return EXTRA_STYLES[style_name][1](rng, name, value)


def build(seed=SEED):
    """(items, files): the manifest entries and {relative path: bytes}."""
    rng = random.Random(seed)
    plan = []
    for f in FORMATS:
        plan += [("pos", f)] * 3
    for f in rng.sample(FORMATS, 30):
        plan.append(("pos", f))
    for cat in NEGATIVES:
        plan += [("neg", cat)] * 15
    rng.shuffle(plan)
    items, files, seen = [], {}, set()
    for i, (what, x) in enumerate(plan):
        directory = f"p{i:04d}"
        if what == "pos":
            value = x["gen"](rng)
            while value in seen:
                value = x["gen"](rng)
            seen.add(value)
            kind, decoy = x["kind"], False
            name, neutral = pick_name(rng, x)
            choices = [s for s, (_, _, ok) in STYLES.items() if ok(value)]
            st = rng.choice(choices)
        else:
            kind, value = NEGATIVES[x](rng)
            decoy = x
            fmt = next((f for f in FORMATS if f["kind"] == kind), None)
            name, neutral = (fmt["env"], False) if fmt and rng.random() < 0.6 else (rng.choice(GENERIC_NAMES + NEUTRAL_NAMES[:6]), False)
            if x in NEG_STYLES:
                st = rng.choice(NEG_STYLES[x])
            else:
                st = rng.choice([s for s, (_, _, ok) in STYLES.items() if ok(value) and s != "bare" or (s == "bare" and x != "variable-reference")])
        if st not in STYLES:
            ext = EXTRA_STYLES[st][0]
            fname = [f"{rng.choice(BASENAMES)}.{ext}", rng.choice(BASENAMES) + ".txt", rng.choice(BASENAMES)][i % 3]
        else:
            fname = file_name(rng, st, i)
        lines, idx = render(rng, st, name, value)
        if st in NAMELESS and not decoy:
            # No variable name: a bare token or one in a comment says nothing but its shape;
            # a header, a query parameter or a log key at least says "credential".
            neutral = st in ("bare", "code-comment")
        encoding = "crlf" if rng.random() < 0.05 else "utf-8"
        text = "\n".join(lines) + "\n"
        data = text.replace("\n", "\r\n").encode() if encoding == "crlf" else text.encode()
        rel = f"{directory}/{fname}"
        files[rel] = data
        items.append({"file": rel, "first": idx + 1, "last": idx + 1, "kind": kind, "decoy": decoy, "style": st,
                      "value": value, "neutral": bool(neutral), "encoding": encoding})
    return items, files


def generate(out, manifest, seed=SEED):
    items, files = build(seed)
    return write_corpus(out, files, manifest, items)


# ---------------------------------------------------------------------------------------
def self_check():
    problems = []
    items, files = build_twice(build, problems, SEED + 1)
    checked = 0
    for it in items:
        text = files[it["file"]].decode().replace("\r\n", "\n").split("\n")
        line = "\n".join(text[it["first"] - 1: it["last"]])
        if it["value"] not in line:
            problems.append(f"{it['file']}: value not on its stated lines {it['first']}-{it['last']}")
        if it["decoy"] == "checksum-invalid":
            checked += 1
            if crc_token_valid(it["value"]):
                problems.append(f"{it['file']}: the look-alike token has a valid checksum")
        if it["decoy"]:
            continue
        v = it["value"]
        if v[:4] in CRC_PREFIXES:
            checked += 1
            if len(v) != 40 or not crc_token_valid(v):
                problems.append(f"{it['file']}: {v[:8]}... fails its CRC-32 checksum")
        if v.startswith("AGE-SECRET-KEY-1"):
            checked += 1
            if not bech32_valid(v) or len(v) != 74:
                problems.append(f"{it['file']}: AGE-SECRET-KEY-... fails its Bech32 checksum")
        if v.startswith("pypi-"):
            mac = base64.urlsafe_b64decode(v[5:] + "=" * (-len(v[5:]) % 4))
            if mac[:3] != b"\x02\x01\x08" and mac[:3] != b"\x02\x01\x0d" or mac[-34:-32] != b"\x06\x20":
                problems.append(f"{it['file']}: pypi-... is no v2 macaroon ending in a signature")
    tok = crc_token(random.Random(1), "ghp_")
    bad = tok[:10] + ("A" if tok[10] != "A" else "B") + tok[11:]
    if not crc_token_valid(tok) or crc_token_valid(bad):
        problems.append("checksum validation accepts a corrupted token or rejects a good one")
    if not bech32_valid(age_key(random.Random(2))):
        problems.append("bech32 self-test fails")
    kinds = {f["kind"] for f in FORMATS}
    if len(kinds) != len(FORMATS):
        problems.append("duplicate format kinds")
    providers = {f["provider"] for f in FORMATS}
    styles = {i["style"] for i in items if not i["decoy"]}
    cats = {i["decoy"] for i in items if i["decoy"]}
    pos = sum(1 for i in items if not i["decoy"])
    neg = len(items) - pos
    if len(kinds) < 250 or len(providers) < 150 or len(styles) < 15 or len(cats) < 12:
        problems.append(f"{len(kinds)} formats, {len(providers)} providers, {len(styles)} styles, {len(cats)} negative categories: want 250/150/15/12")
    if not (700 <= pos <= 1000 and 200 <= neg <= 300):
        problems.append(f"{pos} positives and {neg} negatives: want 700-1000 and 200-300")
    if any(i["style"] not in STYLES and i["style"] not in EXTRA_STYLES for i in items):
        problems.append("unknown style in the manifest")
    documented = sum(1 for f in FORMATS if f["src"].startswith(D))
    return report(problems, f"{len(items)} files: {pos} secrets of {len(kinds)} formats from {len(providers)} providers "
                            f"({documented} documented, {len(kinds) - documented} observed shape) in {len(styles)} styles; "
                            f"{neg} negatives in {len(cats)} categories; {checked} checksummed tokens", limit=40)


def gen(out, manifest, seed):
    items = generate(out, manifest, seed)
    return (f"corpus: {sum(1 for i in items if not i['decoy'])} planted secrets of {len(FORMATS)} prefixed formats, "
            f"{sum(1 for i in items if i['decoy'])} negative files, seed {seed}")


def main(argv):
    return corpus_common.main(argv, __doc__, SEED, self_check, {"gen": gen})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
