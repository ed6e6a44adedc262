//! Confirmation of a rule's match beyond its regex: value filters that tell a credential from a
//! placeholder, a reference, a path or a checksum, and offline checksums of token formats that
//! carry one.
//!
//! A rule opts in with `filter = "credential"` (generic assignments: the value must look like a
//! credential and the key, the rule's `(?P<key>...)` group when it has one, must not name a
//! hash, a file or a length) or `filter = "basic-auth"` (base64 `user:password`: the decoded
//! password must look like a credential), and with `checksum = "github-crc32"` (a failing
//! checksum drops the match, a passing one makes it high confidence).

use serde::Deserialize;

use crate::text::entropy;

/// A rule's `filter`: what its captured value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueFilter {
    /// A password, secret, token or key assigned to a credential-named key.
    Credential,
    /// Base64 of `user:password` (HTTP Basic, Docker `auth`): the password must be a
    /// password ([`is_password`]).
    BasicAuth,
    /// A value in a place whose syntax says it is a password: URL userinfo, `.netrc`,
    /// `.pgpass`, a connection string's `Password=`, `curl -u`, or a key that names a
    /// password (`db_password`, `mailPass`, `bindpw`). People choose those, and a chosen
    /// password is words and digits (`Summer2022`, `lanternstonecastle`) far below a token's
    /// entropy: it is judged by [`is_password`], and the rule's `min_entropy` does not apply
    /// to it. Under a key that names a secret, token or key instead, the value is judged as
    /// [`ValueFilter::Credential`] judges it, `min_entropy` included.
    Password,
    /// A password where no code is written: URL userinfo, a `.netrc` or `.pgpass` line, a
    /// connection string's `Password=`. Judged as [`ValueFilter::Password`] judges a value,
    /// except that a dotted name is no code path there (`teB.VsFuHYHwedHY` in a MongoDB URI is
    /// a password; under `password =` in source, `settings.dbPassword` is code). Two URL
    /// passwords of `scripts/quality`'s seed 197 were lost as code paths.
    Userinfo,
    /// A token under any name that ends in a credential word (`zorblat_key`, `ZorblatAuth`,
    /// `x-acme-key`, `acme.credentials`), in any syntax, quoted or not. The net is wide, so the
    /// value is held to more than [`ValueFilter::Credential`] asks: a random token of 16 or
    /// more characters that is no name, path or elided example ([`is_token`]), and the key
    /// must not name one of the many non-secret keys of code and data (`sort_key`,
    /// `cache_key`, `site_key`, `publishable_key`; see [`key_may_hold_token`]).
    Token,
}

/// A rule's `checksum`: how a token proves its own well-formedness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// `<prefix>_` then 30 base62 characters then the CRC-32 (IEEE) of those 30 characters as
    /// 6 base62 digits (0-9A-Za-z, most significant first, zero-padded): GitHub's token format of
    /// April 2021 (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's of September 2021 (`npm_`).
    GithubCrc32,
    /// GitLab's routable tokens: a base36 CRC-32 over the token (and its instance prefix).
    GitlabRoutable,
    /// Grafana service account tokens (`glsa_`): a hex CRC-32 of the rest.
    GrafanaCrc32,
    /// PyPI API tokens: `pypi-` and a base64url v2 binary macaroon.
    PypiMacaroon,
    /// JWTs: a decodable header with `alg` and a decodable claims object.
    Jwt,
    /// Bech32 (BIP-173): age secret keys, Nostr `nsec1` keys.
    Bech32,
    /// Base58Check (Bitcoin): BIP-32 extended private keys.
    Base58check,
    /// LND macaroons (hex or base64 of a v2 macaroon located at `lnd`).
    LndMacaroon,
}

pub use crate::checksums::Verdict;

impl ValueFilter {
    /// Whether `value` (with its `key`, when the rule captures one) passes the filter.
    pub fn accepts(self, value: &[u8], key: Option<&[u8]>) -> bool {
        match self {
            ValueFilter::Credential => {
                key.is_none_or(key_may_hold_credential)
                    && is_credential(value)
                    && !key.is_some_and(|k| is_idempotency_uuid(value, k))
            }
            ValueFilter::BasicAuth => {
                let Some(decoded) = crate::text::base64(value) else {
                    return false;
                };
                match decoded.iter().position(|&b| b == b':') {
                    Some(colon) if colon > 0 => is_password(&decoded[colon + 1..]),
                    _ => false,
                }
            }
            ValueFilter::Token => {
                key.is_none_or(key_may_hold_token)
                    && (is_token(value) || is_short_hex_secret(value, key))
                    && !key.is_some_and(|k| is_idempotency_uuid(value, k))
            }
            ValueFilter::Password => match key {
                Some(k) if !names_password(k) => ValueFilter::Credential.accepts(value, key),
                _ => key.is_none_or(key_may_hold_credential) && is_password(value),
            },
            ValueFilter::Userinfo => match key {
                Some(k) if !names_password(k) => ValueFilter::Credential.accepts(value, key),
                _ => key.is_none_or(key_may_hold_credential) && password(value, Place::NoCode),
            },
        }
    }

    /// The entropy a value under `key` must reach, for a rule whose `min_entropy` is `min`:
    /// none in a password position ([`is_password`] has its own floor); at most 3.0 bits for
    /// a value of 32 hex digits or more, whose entropy cannot pass 4 bits (a random 32-digit
    /// hex secret falls under 3.5 bits 19 % of the time, under 3.0 bits 0.01 %: measured over
    /// 10,000 draws); `min` otherwise. Shorter hex values keep `min`: 16-digit hex under
    /// `...ApiKey` names are schema hashes (cfn-lint's provider tables held 241 of them).
    pub fn entropy_floor(self, min: f64, value: &[u8], key: Option<&[u8]>) -> f64 {
        if matches!(self, ValueFilter::Password | ValueFilter::Userinfo)
            && key.is_none_or(names_password)
        {
            0.0
        } else if self == ValueFilter::Token && is_short_hex_secret(value, key) {
            // 20 random hex digits reach 3.5 bits half of the time only.
            min.min(3.0)
        } else if self != ValueFilter::Token
            && is_four_class(value)
            && key.is_some_and(|k| last_key_word_in(k, &[b"secret", b"token"]))
        {
            // A secret someone chose (`session_secret = "Globex@2020Fall2024#"`: 3.45 bits,
            // its digits repeat; a Secret's `api-token` of `<word><digits>&<word>...`: 3.42)
            // holds words, digits and a symbol, as a password does; the four classes are what
            // a placeholder or a name lacks.
            min.min(3.0)
        } else if self != ValueFilter::Token
            && is_short_random(value)
            && key.is_some_and(names_credential_outright)
        {
            // 10 to 15 characters cannot reach 3.5 bits (11 distinct ones have 3.46): a
            // service's short key (`"auth_token": "a8F2kL9qZx1"`) was lost however random.
            // Under a name that says API key, secret or auth token, and with the shape of a
            // draw (see `is_short_random`), the floor is what a random draw of its length
            // keeps: log2(length) - 0.6 bits, three repeated pairs in 11 characters.
            min.min((value.trim_ascii().len() as f64).log2() - 0.6)
        } else {
            hex_entropy_floor(min, value)
        }
    }
}

/// 10 to 15 letters and digits drawn at random: lower and upper case and a digit, the
/// classes changing at least once every three characters (a random base62 draw changes at
/// two of three places; `refreshToken2` at two places in all), and no name once its digits
/// are taken out (`Summer2024Abc` is `SummerAbc`) nor a word of five letters ([`has_word`]).
fn is_short_random(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    let class = |b: &u8| {
        if b.is_ascii_lowercase() {
            0
        } else if b.is_ascii_uppercase() {
            1
        } else {
            2
        }
    };
    let changes = v
        .windows(2)
        .filter(|w| class(&w[0]) != class(&w[1]))
        .count();
    let letters: Vec<u8> = v.iter().copied().filter(u8::is_ascii_alphabetic).collect();
    let classes = Classes::of(v);
    (10..16).contains(&v.len())
        && v.iter().all(u8::is_ascii_alphanumeric)
        && classes.lower
        && classes.upper
        && classes.digit
        && 3 * changes >= v.len()
        && !is_identifier(&letters)
        && !has_word(v)
}

/// Whether `v` holds a word of five letters or more: a capital and four lower-case letters or
/// five lower-case ones, with a vowel after the first (`K8sCluster01`, `Version2Beta`). A
/// random base62 draw of 12 holds one about once in ten.
fn has_word(v: &[u8]) -> bool {
    let vowel = |b: &u8| b"aeiouy".contains(b);
    v.windows(5).any(|w| {
        (w[0].is_ascii_lowercase() || w[0].is_ascii_uppercase())
            && w[1..].iter().all(u8::is_ascii_lowercase)
            && w[1..].iter().any(vowel)
    })
}

/// Whether a key names a credential and nothing else: an API, secret, access or auth key,
/// an API, access or auth token ([`names_api_key`]), or a secret ([`names_secret`]).
fn names_credential_outright(key: &[u8]) -> bool {
    names_api_key(key) || names_secret(key)
}

/// Lower and upper case letters, a digit and a symbol other than the separators `-_.` and
/// brackets, in 12 characters or more: a chosen secret's shape, not a name's, a
/// placeholder's or an expression's (botocore's paginators hold `"output_token":
/// "Jobs[-1].JobId"`).
fn is_four_class(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    v.len() >= 12
        && Classes::of(v).count() == 4
        && v.iter().any(|&b| is_symbol(b) && !b"[]()".contains(&b))
}

/// The character classes of a value: lower case, upper case, digits, and symbols other than
/// the word separators `-_.` (they do not make `my-app-secret` varied).
struct Classes {
    lower: bool,
    upper: bool,
    digit: bool,
    symbol: bool,
}

impl Classes {
    fn of(v: &[u8]) -> Classes {
        Classes {
            lower: v.iter().any(u8::is_ascii_lowercase),
            upper: v.iter().any(u8::is_ascii_uppercase),
            digit: v.iter().any(u8::is_ascii_digit),
            symbol: v.iter().any(|&b| is_symbol(b)),
        }
    }

    fn count(&self) -> usize {
        [self.lower, self.upper, self.digit, self.symbol]
            .iter()
            .filter(|&&c| c)
            .count()
    }
}

/// Punctuation other than the word separators `-`, `_` and `.`.
fn is_symbol(b: u8) -> bool {
    b.is_ascii_punctuation() && !matches!(b, b'-' | b'_' | b'.')
}

/// A UUID under a `ClientToken` name: AWS's idempotency token (`"ClientToken": "<uuid>"` in
/// EC2's API examples), which `client` cannot be refused as a word for (`client_secret`).
fn is_idempotency_uuid(value: &[u8], key: &[u8]) -> bool {
    is_uuid(value.trim_ascii())
        && key_words(key).ends_with(&[b"client".to_vec(), b"token".to_vec()])
}

/// A value of [`is_short_hex`] under a key of [`names_secret`] or [`names_api_key`]. The
/// value is tested first: splitting the key into words allocates, and the token filter asks
/// this of every value it judges.
fn is_short_hex_secret(value: &[u8], key: Option<&[u8]>) -> bool {
    is_short_hex(value) && key.is_some_and(|k| names_secret(k) || names_api_key(k))
}

/// Whether a key ends in `api key`, `apikey`, `secret key`, `access key` or `auth key`, or
/// in `api token`, `access token` or `auth token` (`EXCHANGERATEAPI_API_KEY`, `apiKey`,
/// `WORLDWEATHER_SECRET_KEY`, `access_key`): the name of a service's API key, which some
/// services issue as 20-31 hex digits (ExchangeRate-API's 24; `scripts/quality --longtail`
/// missed four such, and seed 5 an `access_key`). Other `...Key` and `...Token` names hold
/// the 16- and 24-digit schema hashes, ObjectIds and page cursors that [`is_token`] keeps
/// out.
fn names_api_key(key: &[u8]) -> bool {
    let words = key_words(key);
    match words.as_slice() {
        [.., last] if last == b"apikey" => true,
        [.., before, last] => {
            let before = before.as_slice();
            (last == b"key" && matches!(before, b"api" | b"secret" | b"access" | b"auth"))
                || (last == b"token" && matches!(before, b"api" | b"access" | b"auth"))
        }
        _ => false,
    }
}

/// Whether a key's last word is `secret` (`secret`, `app_secret`, `clientSecret`): a name
/// that holds a secret whatever its shape, where `...Key` and `...Token` names also hold ids
/// and hashes.
fn names_secret(key: &[u8]) -> bool {
    last_key_word_in(key, &[b"secret"])
}

/// Whether a key's last word is one of `words` (`api-token`, `authToken`: `token`).
fn last_key_word_in(key: &[u8], words: &[&[u8]]) -> bool {
    key_words(key)
        .last()
        .is_some_and(|w| words.contains(&w.as_slice()))
}

/// 20 to 31 hex digits with both digits and letters, and no run or sequence: under a
/// `secret` name, a provider's secret (Pusher's app secret has 20, Plaid's 30), which
/// [`is_token`] leaves out under other names (16- and 24-digit hex under `...Key` names are
/// schema hashes and MongoDB ObjectIds).
fn is_short_hex(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    (20..32).contains(&v.len())
        && v.iter().all(u8::is_ascii_hexdigit)
        && v.iter().any(u8::is_ascii_digit)
        && v.iter().any(u8::is_ascii_alphabetic)
        && is_credential(v)
}

/// The entropy a value must reach for a rule whose `min_entropy` is `min`, whatever its
/// filter: at most 3.0 bits for 32 hex digits or more (see [`ValueFilter::entropy_floor`]).
/// Rules without a filter need it too: a bearer token of 32 hex digits fell under
/// `http.bearer-token`'s 3.5 bits in `scripts/quality --examples`.
pub fn hex_entropy_floor(min: f64, value: &[u8]) -> f64 {
    if (value.len() >= 32 && value.iter().all(u8::is_ascii_hexdigit)) || is_uuid(value) {
        min.min(3.0)
    } else {
        min
    }
}

/// A UUID (8-4-4-4-12 hex digits): 32 hex digits with four dashes, whose entropy falls under
/// 3.5 bits as 32 hex digits' does (a random version-4 UUID under 3.5 bits: 4.7 % of 10,000
/// draws, lowest 3.13; under 3.0: none). MongoDB Atlas private keys and Heroku API keys are
/// UUIDs.
fn is_uuid(value: &[u8]) -> bool {
    value.len() == 36
        && value.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The entropy a format rule's token (no value filter) must reach: [`hex_entropy_floor`], and
/// for a hex token of 12 to 31 digits at most the entropy that 0.3 % of random tokens of its
/// length fall under (measured over 40,000 draws a length: 2.23 bits at 12 digits, 2.55 at
/// 16, 2.80 at 20, 2.94 at 24, 3.09 at 28, 3.15 at 31; interpolated between). The formula it
/// replaces, `log2(length) - 1.35`, held at 14 digits and drifted above the quantile with the
/// length: 2.5 % of random 20-digit tokens were missed (a Pusher app secret of seed 199 at
/// 2.966 bits), 8 % at 24, 25 % at 28. The provider's name or prefix beside the token keeps
/// the precision; runs and sequences are still refused.
pub fn format_entropy_floor(min: f64, value: &[u8]) -> f64 {
    if (12..32).contains(&value.len()) && value.iter().all(u8::is_ascii_hexdigit) {
        min.min(random_hex_quantile(value.len()))
    } else {
        hex_entropy_floor(min, value)
    }
}

/// The 0.3 % quantile of the entropy of random hex tokens of `len` digits (12 to 32), by
/// linear interpolation between measured lengths (see [`format_entropy_floor`]).
fn random_hex_quantile(len: usize) -> f64 {
    const MEASURED: [(usize, f64); 7] = [
        (12, 2.23),
        (16, 2.55),
        (20, 2.80),
        (24, 2.94),
        (28, 3.09),
        (31, 3.15),
        (32, 3.17),
    ];
    let len = len.clamp(12, 32);
    let at = MEASURED
        .windows(2)
        .find(|w| len <= w[1].0)
        .unwrap_or(&MEASURED[MEASURED.len() - 2..]);
    let ((l0, q0), (l1, q1)) = (at[0], at[1]);
    q0 + (q1 - q0) * (len - l0) as f64 / (l1 - l0) as f64
}

/// Whether a key names a password rather than a token or key: one of its words is
/// `password`, `passwd`, `passphrase`, `pass`, `pwd` or `pw`, or ends in one (`bindpw`,
/// `rootpw`, `dbpass`, `mailPass`, `keyStorePassword`).
pub fn names_password(key: &[u8]) -> bool {
    key_words(key).iter().any(|w| {
        [
            &b"password"[..],
            b"passwd",
            b"passphrase",
            b"pass",
            b"pwd",
            b"pw",
        ]
        .iter()
        .any(|p| w.ends_with(p))
            && !w.ends_with(b"bypass")
            && !w.ends_with(b"compass")
    })
}

impl Checksum {
    /// Whether a passing check makes a match high confidence: a checksum does (a typo or a
    /// made-up value fails it); a well-formed structure (a JWT's decodable header) only
    /// drops what fails it, since test fixtures are well-formed too.
    pub fn lifts_confidence(self) -> bool {
        !matches!(self, Checksum::Jwt)
    }

    /// Check `token` (the rule's secret).
    pub fn verify(self, token: &[u8]) -> Verdict {
        self.verify_after(token, b"")
    }

    /// Check `token`, `before` being the text in front of it (where a checksum may also
    /// cover a prefix the rule does not capture: GitLab's instance prefix).
    pub fn verify_after(self, token: &[u8], before: &[u8]) -> Verdict {
        use crate::checksums as c;
        match self {
            Checksum::GithubCrc32 => verify_github_crc32(token),
            Checksum::GitlabRoutable => c::verify_gitlab_routable(token, before),
            Checksum::GrafanaCrc32 => c::verify_grafana_service_account(token),
            Checksum::PypiMacaroon => c::verify_pypi_macaroon(token),
            Checksum::Jwt => c::verify_jwt(token),
            Checksum::Bech32 => c::verify_bech32(token),
            Checksum::Base58check => c::verify_base58check(token),
            Checksum::LndMacaroon => c::verify_lnd_macaroon(token),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` as `width` base62 digits, most significant first (u32::MAX needs 6).
pub(crate) fn base62(mut n: u32, width: usize) -> Vec<u8> {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

fn verify_github_crc32(token: &[u8]) -> Verdict {
    let Some(underscore) = token.iter().position(|&b| b == b'_') else {
        return Verdict::NotApplicable;
    };
    let body = &token[underscore + 1..];
    if body.len() != 36 || !body.iter().all(u8::is_ascii_alphanumeric) {
        return Verdict::NotApplicable;
    }
    let (random, check) = body.split_at(30);
    if base62(crc32fast::hash(random), 6) == check {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// Words that make a value a placeholder, a masked value or documentation (matched in any
/// case anywhere in the value). Four characters at least, so that a random 16-character value
/// contains one by chance with probability below 1e-5.
const PLACEHOLDER_WORDS: &[&[u8]] = &[
    b"example",
    b"sample",
    b"dummy",
    b"placeholder",
    b"changeme",
    b"change_me",
    b"change-me",
    b"changeit",
    b"redacted",
    // Rails' and Django's log filters print `[FILTERED]`; consoles print `<masked>`.
    b"filtered",
    b"masked",
    b"replace",
    b"insert",
    b"your_",
    b"your-",
    b"yourpass",
    b"yoursecret",
    b"yourtoken",
    b"yourkey",
    b"xxxx",
    b"****",
    b"....",
    b"fake",
    b"test",
    b"todo",
    b"fixme",
    b"secret_here",
    b"key_here",
    b"token_here",
    b"password",
    b"passwd",
    b"qwerty",
    b"asdf",
    b"letmein",
    b"default",
    b"notasecret",
    b"not_a_secret",
    b"not-a-secret",
    b"mysecret",
    b"supersecret",
    b"secretkey",
    b"secret123",
    b"foobar",
    // The passwords of jokes and comics that documentation uses (bash.org's hunter2,
    // xkcd 936's correct horse battery staple).
    b"hunter2",
    b"correcthorse",
    // What tests call the wrong password they try (`smtp.password = 'doesnotexist'`).
    b"invalid",
    b"incorrect",
    b"bogus",
    b"doesnotexist",
    b"nonexist",
    b"lorem",
];

/// Words naming a credential's own kind: a short value holding one (`MyToken2024`,
/// `[token`) names the thing rather than being it; a long one may be a format that spells its
/// kind (PASETO's `k3.secret.` keys).
const KIND_WORDS: &[&[u8]] = &[b"token", b"secret", b"apikey", b"api_key", b"api-key"];

/// Values at least this long may contain a [`KIND_WORDS`] word (PASETO `k3.secret.` + 64).
const KIND_WORDS_BELOW: usize = 24;

/// Prefixes of values that are public by design or references: public keys, certificates,
/// Subresource Integrity hashes (npm/yarn lockfiles), Jasypt-encrypted values, secret-manager
/// and vault references.
const PUBLIC_PREFIXES: &[&[u8]] = &[
    b"ssh-rsa",
    b"ssh-ed25519",
    b"ssh-dss",
    b"ecdsa-sha2-",
    b"sk-ssh-",
    b"-----BEGIN PUBLIC",
    // 1Password secret references (`op://vault/item/field`), resolved by `op run`/`op inject`.
    b"op://",
    // DER SubjectPublicKeyInfo in base64 (RFC 5280 section 4.1.2.7), the body of a PEM public
    // key written on one line: EC P-256, P-384, Ed25519 and RSA headers. npm's corepack ships
    // its registry keys this way under `key:`.
    b"MFkwEwYHKoZIzj0CAQY",
    b"MHYwEAYHKoZIzj0CAQYFK4EEACID",
    b"MCowBQYDK2VwAyEA",
    b"MIIBIjANBgkqhkiG9w0BAQEFAAOC",
    b"MIICIjANBgkqhkiG9w0BAQEFAAOC",
    // Mapbox public access tokens (`pk.eyJ...`, a browser's map token); secret ones are `sk.`.
    b"pk.eyJ",
    // Publishable keys, made to be shipped in web pages and apps: Stripe's and Clerk's
    // `pk_live_`/`pk_test_` (their secret keys are `sk_`), Supabase's `sb_publishable_` (its
    // secret keys are `sb_secret_`). Under a secret's name they are a mix-up, not a leak
    // (`scripts/quality --prefixed` seed 4: 4 of its 15 publishable-key decoys).
    b"pk_live_",
    b"pk_test_",
    b"sb_publishable_",
    // Langfuse's public key `pk-lf-` (its secret key is `sk-lf-`), PostHog's project API key
    // `phc_` (written into web pages by `posthog.init`; its personal API keys are `phx_`) and
    // Square's application id `sq0idp-` (its secret is `sq0csp-`): each provider documents
    // the key as public, beside a secret of another prefix (`scripts/quality --prefixed` seed
    // 17: 3 of its 15 publishable-key decoys, under names such as `CLIENT_SECRET`).
    b"pk-lf-",
    b"phc_",
    b"sq0idp-",
    b"-----BEGIN CERTIFICATE",
    b"-----BEGIN RSA PUBLIC",
    b"sha1-",
    b"sha256-",
    b"sha384-",
    b"sha512-",
    b"ENC(",
    // sops: `ENC[AES256_GCM,data:...,iv:...,tag:...,type:str]` (its documented value format).
    b"ENC[",
    b"vault:",
    b"arn:aws:secretsmanager:",
    b"arn:aws:ssm:",
    b"projects/",
    b"secretref:",
    b"keyvault:",
    b"file:",
    b"env:",
    b"!vault",
    b"AQICAH",
];

/// Words of a key that say the value is not a credential though the key mentions one
/// (`password_hash`, `token_url`, `secret_file`, `min_password_length`): whole words of the key
/// as split at separators and camelCase humps, so that `securityToken` (u-r-i) or
/// `refreshToken` keep their meaning.
const NON_SECRET_KEY_WORDS: &[&[u8]] = &[
    b"hash",
    b"hashed",
    b"checksum",
    b"digest",
    b"integrity",
    b"fingerprint",
    b"public",
    b"pubkey",
    b"length",
    b"len",
    b"policy",
    b"ttl",
    b"timeout",
    b"file",
    b"path",
    b"dir",
    b"url",
    b"uri",
    b"endpoint",
    b"name",
    b"type",
    b"format",
    b"prefix",
    b"header",
    b"field",
    b"param",
    b"label",
    b"description",
    b"hint",
    b"prompt",
    b"placeholder",
    b"regex",
    b"pattern",
    b"rotation",
    b"version",
    b"count",
    b"size",
    b"reset",
    b"forgot",
    b"confirm",
    b"confirmation",
    b"strength",
    b"ref",
    b"command",
    b"cmd",
    b"helper",
    b"provider",
    b"manager",
    b"min",
    b"max",
    b"expiry",
    b"expires",
    b"expiration",
    b"validation",
    b"validator",
    b"enabled",
    b"required",
    b"id",
    // Tokens that page through results or make a request idempotent (`NextToken`,
    // `page_token`, `continuation_token`, `ClientToken`'s idempotency): opaque ids returned
    // by an API, not credentials. AWS's API examples alone held 220 of them in 1 GB of Python
    // packages.
    b"next",
    b"page",
    b"pagination",
    b"continuation",
    b"cursor",
    b"idempotency",
    // And tokens that guard a write (`LockToken`, `ChangeToken`) or name a request or a
    // lifecycle step (`RequestToken`, `clientRequestToken`, `LifecycleActionToken`): 28 of
    // the 147 `generic.secret-assignment` findings in 582 MB of Python packages (AWS API
    // examples), all UUIDs.
    b"lock",
    b"change",
    b"request",
    b"lifecycle",
];

/// The lower-cased words of a key: split at anything but letters and digits, and before an
/// upper-case letter that follows a lower-case one.
fn key_words(key: &[u8]) -> Vec<Vec<u8>> {
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut prev_lower = false;
    for &b in key {
        if (!b.is_ascii_alphanumeric() || (b.is_ascii_uppercase() && prev_lower))
            && !current.is_empty()
        {
            words.push(std::mem::take(&mut current));
        }
        if b.is_ascii_alphanumeric() {
            current.push(b.to_ascii_lowercase());
        }
        prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a key that names a credential (`db_password`, `apiKey`) holds one rather than
/// something about one (`password_hash`, `token_url`).
pub fn key_may_hold_credential(key: &[u8]) -> bool {
    let words = key_words(key);
    let public_key = words.last().is_some_and(|w| w == b"key")
        && words
            .iter()
            .any(|w| PUBLIC_KEY_WORDS.contains(&w.as_slice()))
        && !words.iter().any(|w| w == b"secret" || w == b"private");
    // `id` names an identifier where no credential word follows it (`token_id`,
    // `password_id`), not where one does: an Apple ID's app-specific password
    // (`APPLE_ID_APP_SPECIFIC_PASSWORD`, missed in seed 199) is a password.
    let credential_after = |i: usize| {
        words[i + 1..].iter().any(|w| {
            names_password(w)
                || [&b"secret"[..], b"token", b"key"]
                    .iter()
                    .any(|c| w.ends_with(c))
        })
    };
    !public_key
        && !words.iter().enumerate().any(|(i, w)| {
            NON_SECRET_KEY_WORDS.contains(&w.as_slice()) && !(w == b"id" && credential_after(i))
        })
}

/// Words that make a key ending in `key` name a public one: reCAPTCHA's, hCaptcha's and
/// Turnstile's `site_key` (the secret beside it is `secret_key` or `site_secret`, which stay
/// credentials, as does any key with `secret` or `private` among its words), Stripe's
/// `publishable_key`, an SSH `host_key`, a `pub_key`.
const PUBLIC_KEY_WORDS: &[&[u8]] = &[b"site", b"publishable", b"pub", b"host"];

/// Words of a key that ends in `key`, `token` or `auth` that say the value is an identifier,
/// a public value or a lookup key rather than a secret: database and cache keys (`sort_key`,
/// `primaryKey`, `cache_key`, `partitionKey`), keyboard keys (`hotkey` is one word;
/// `shortcut_key`), translation keys (`i18n_key`, `message_key`), and request-scoped tokens
/// (`csrf_token`, `request_token`, `trace_token`) that tests and fixtures fill with random
/// text.
const NON_TOKEN_KEY_WORDS: &[&[u8]] = &[
    b"sort",
    b"primary",
    b"partition",
    b"foreign",
    b"cache",
    b"lookup",
    b"map",
    b"row",
    b"range",
    b"shard",
    b"routing",
    b"hot",
    b"shortcut",
    b"short",
    b"i18n",
    b"translation",
    b"locale",
    b"message",
    b"msg",
    b"index",
    b"idx",
    b"unique",
    b"composite",
    b"object",
    b"bucket",
    b"group",
    b"dedup",
    b"dedupe",
    b"csrf",
    b"xsrf",
    b"request",
    b"trace",
    b"product",
    b"cursor",
    b"sync",
    b"result",
    b"s3",
];

/// Whether a key matched by a [`ValueFilter::Token`] rule may hold a token: it may hold a
/// credential ([`key_may_hold_credential`]) and none of its words is in `NON_TOKEN_KEY_WORDS`.
pub fn key_may_hold_token(key: &[u8]) -> bool {
    key_may_hold_credential(key)
        && !key_words(key)
            .iter()
            .any(|w| NON_TOKEN_KEY_WORDS.contains(&w.as_slice()))
}

/// Whether `value` is a random token: a credential ([`is_credential`]) of 16 or more
/// characters holding letters, and none of what code and data put under such
/// names (found by scanning 711 MB of installed Python packages, where the first version of
/// `generic.keyed-token` added 228 findings, nearly all of these):
/// - hex shorter than 32 digits: schema hashes and ids (`"UsagePlanKey": "309b26469128fd0a"`,
///   MongoDB's 24-digit ObjectIds);
/// - a dotted identifier path of short parts or names (`_win32typing.PyHKEY`,
///   `rsa.PrivateKey.load_pkcs1`, `access_logs.s3.bucket`); a token's dotted parts are long
///   random runs (`ya29.` then 100+ characters);
/// - a relative path to a file (`dcp/17_12_22-103226.Developer_CL.tar`) or of lower-case
///   words (`windows/ancestry`);
/// - an elided example (`eyJ2IjoiMSIs...`).
pub fn is_token(value: &[u8]) -> bool {
    let v = value.trim_ascii();
    // Kebab-case parts too: `lints.rust.rust-2018-idioms.unused` (cargo's warnings quote
    // manifest keys after `key:`).
    let ident = |part: &[u8]| {
        part.first()
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
            && part
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    // Every part short or itself a name: a token's dotted parts hold a long random run
    // (`ya29.` then 100+ characters), a name's are at most 24 (`MLKEM768X25519PrivateKey`)
    // and switch case as names do (a Vault batch token's `hvb.Z0sAElFwggUn...` does not).
    let dotted_path = v.contains(&b'.')
        && v.split(|&b| b == b'.').all(|part| {
            ident(part) && !jumbled_case(part) && (part.len() <= 24 || is_identifier(part))
        });
    // `name.ext`: a token's dotted parts are long, a file's extension is 1-4 characters.
    let file_name = v.contains(&b'.')
        && v.rsplit(|&b| b == b'.').next().is_some_and(|ext| {
            (1..=4).contains(&ext.len()) && ext.iter().all(u8::is_ascii_alphanumeric)
        });
    let short_hex = v.len() < 32 && v.iter().all(u8::is_ascii_hexdigit);
    // `windows/ancestry` (git's trace2 documentation, `"key":"windows/ancestry"`): lower-case
    // words between slashes. A base64 token holds capitals: 16 characters drawn from its
    // alphabet are all lower case, digits or `/` one time in 4,200 (and must also put a
    // letter after each slash).
    let word_path = v.contains(&b'/')
        && v.split(|&b| b == b'/').all(|part| {
            part.first().is_some_and(u8::is_ascii_lowercase)
                && part.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        });
    v.len() >= 16
        && !word_path
        && v.iter().any(u8::is_ascii_alphabetic)
        && !short_hex
        && !dotted_path
        && !file_name
        && !v.ends_with(b"/")
        && !v.windows(3).any(|w| w == b"...")
        && !is_identifier(v)
        && is_credential(v)
}

/// Whether `v` is a name written as code writes names rather than drawn at random:
/// - camelCase or PascalCase words with a digit (`Ipv6CidrAssociations`,
///   `X25519PrivateKey`): two words or more, and at least 60 % of its characters in words. A
///   word is a capital and two or more lower-case letters (or a leading lower-case run of
///   three), with a vowel and no five consonants in a row (`Constraints` has four): random
///   base62 draws such words too, but 20-character tokens meet the 60 % only 0.8 % of the
///   time (16 characters: 1.2 %, 32: 0.07 %; 50,000 draws each), against 4.4 % without the
///   vowel test;
/// - snake or kebab case with words (`s3_disable_express_session_auth`,
///   `Access-Control-Allow-Credentials`): two separators or more, no part of ten characters
///   or more but words, and at least two parts that are words of three letters or more. A
///   UUID's last part has twelve digits.
fn is_identifier(v: &[u8]) -> bool {
    // `_ParseableHotkey`: a private name's leading underscores are not part of its words.
    let v = &v[v.iter().take_while(|&&b| b == b'_').count()..];
    if is_camel_words(v) {
        return true;
    }
    let parts: Vec<&[u8]> = v.split(|&b| b == b'_' || b == b'-').collect();
    // A long part in both cases is a name only when it is one capitalized word or camel-case
    // words (`Credentials`, `s3_disableExpress_session`): `phoenix_rocket_purple_pixelkMmUDwQYTzG`
    // ends in a random draw (a held-out miss, seed 289).
    let long_part_is_words = |p: &[u8]| {
        p.iter().all(u8::is_ascii_alphabetic)
            && (p[1..].iter().all(u8::is_ascii_lowercase)
                || p.iter().all(u8::is_ascii_uppercase)
                || is_camel_words(p))
    };
    parts.len() >= 3
        && v.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && parts.iter().all(|p| p.len() < 10 || long_part_is_words(p))
        && parts
            .iter()
            .filter(|p| p.len() >= 3 && p.iter().all(u8::is_ascii_alphabetic))
            .count()
            >= 2
}

/// The camel-case half of [`is_identifier`].
fn is_camel_words(v: &[u8]) -> bool {
    let upper = v.iter().any(u8::is_ascii_uppercase);
    let lower = v.iter().any(u8::is_ascii_lowercase);
    if upper && lower && v.iter().all(u8::is_ascii_alphanumeric) {
        let vowel = |b: &u8| b"aeiouy".contains(b);
        let wordlike = |w: &[u8]| {
            w.len() >= 3
                && w[1..].iter().any(vowel)
                && !w[1..].windows(5).any(|q| q.iter().all(|b| !vowel(b)))
        };
        let (mut words, mut in_words, mut i) = (0, 0, 0);
        while i < v.len() {
            if v[i].is_ascii_uppercase() || (i == 0 && v[0].is_ascii_lowercase()) {
                let len = 1 + v[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_lowercase())
                    .count();
                let leading = i == 0 && v[0].is_ascii_lowercase();
                let w = &v[i..i + len];
                if wordlike(w) && (!leading || len >= 3) {
                    words += 1;
                    in_words += len;
                }
                i += len;
            } else {
                i += 1;
            }
        }
        if words >= 2 && 10 * in_words >= 6 * v.len() {
            return true;
        }
    }
    false
}

/// Prefixes of the tokens whose last six characters are a CRC-32 of the rest (GitHub, npm).
const CHECKSUMMED_PREFIXES: [&[u8]; 6] = [b"ghp_", b"gho_", b"ghu_", b"ghs_", b"ghr_", b"npm_"];

/// A value of a checksummed token's exact shape whose checksum fails: a fake (documentation,
/// test fixtures), never an issued token. The token rules drop it by their checksum; generic
/// assignment rules must not pick it up instead (the independent corpus's look-alikes were
/// flagged 100 % through `generic.dotenv-secret`).
fn is_checksum_look_alike(value: &[u8]) -> bool {
    let checksum = if CHECKSUMMED_PREFIXES.iter().any(|p| value.starts_with(p)) {
        Checksum::GithubCrc32
    } else if GITLAB_PREFIXES.iter().any(|p| value.starts_with(p)) {
        Checksum::GitlabRoutable
    } else if value.starts_with(b"glsa_") {
        Checksum::GrafanaCrc32
    } else if value.starts_with(b"pypi-") {
        Checksum::PypiMacaroon
    } else if BECH32_PREFIXES.iter().any(|p| value.starts_with(p)) {
        Checksum::Bech32
    } else {
        return false;
    };
    checksum.verify(value) == Verdict::Invalid
}

/// A Sentry DSN of today's form, `https://<public key>@o<org>.ingest.sentry.io/<project>`:
/// its key is public (Sentry's docs: DSNs "are safe to keep public" since they only allow
/// submitting events). The legacy form with `public:secret@` holds a secret and stays a
/// credential.
fn is_public_dsn(v: &[u8]) -> bool {
    let Some(rest) = v
        .strip_prefix(b"https://")
        .or_else(|| v.strip_prefix(b"http://"))
    else {
        return false;
    };
    let Some(at) = rest.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (user, host) = (&rest[..at], &rest[at + 1..]);
    let host = &host[..host.iter().position(|&b| b == b'/').unwrap_or(host.len())];
    !user.contains(&b':')
        && user.iter().all(u8::is_ascii_hexdigit)
        && (host.ends_with(b".sentry.io") || contains_ci(host, b".ingest."))
}

/// GitLab's token prefixes whose routable form carries a CRC-32 (legacy tokens are not judged).
const GITLAB_PREFIXES: [&[u8]; 12] = [
    b"glpat-",
    b"gldt-",
    b"glrt-",
    b"glrtr-",
    b"glptt-",
    b"glft-",
    b"glimt-",
    b"glagent-",
    b"glsoat-",
    b"glcbt-",
    b"glffct-",
    b"glwt-",
];

/// Bech32 secret keys whose checksum the packs verify (age, Nostr, Sui).
const BECH32_PREFIXES: [&[u8]; 3] = [b"AGE-SECRET-KEY-1", b"nsec1", b"suiprivkey1"];

/// Whether `value` looks like a credential: not a reference or template, not a placeholder,
/// not a path, a call or an identifier, not masked, repeated or sequential, not a public key or
/// an integrity hash, and varied enough (character classes, entropy for its length).
pub fn is_credential(value: &[u8]) -> bool {
    // Prose punctuation after a word (`--token option,`) is not part of a value's variety; a
    // `)` that closes a `(` of the value is (`hashlib.sha256(payload).hexdigest()` is a call).
    let v = value.trim_ascii();
    let closes = v.contains(&b'(');
    let v = match v
        .iter()
        .rposition(|&b| !b",.;:".contains(&b) && (closes || b != b')'))
    {
        Some(last) => &v[..=last],
        None => return false,
    };
    if is_checksum_look_alike(v) || is_public_dsn(v) || is_version(v) {
        return false;
    }
    v.len() >= 6
        // An elided value (`os_v2_app_26ij…`): the ellipsis character, U+2026.
        && !v.windows(3).any(|w| w == "\u{2026}".as_bytes())
        && !is_reference(v)
        && !has_placeholder_word(v)
        && (v.len() >= KIND_WORDS_BELOW || !KIND_WORDS.iter().any(|w| contains_ci(v, w)))
        && !PUBLIC_PREFIXES.iter().any(|p| v.starts_with(p))
        && !is_path(v)
        && !is_code(v)
        // A name in camel or snake case without a digit (`DataVersion`, `KeyboardFocus`).
        && (v.iter().any(u8::is_ascii_digit) || !is_identifier(v))
        // Four equal characters in a row occur by chance in 1.5 % of random 64-digit hex
        // secrets (61 places x 16^-3), five in 0.09 %, six in 0.006 %: the run that makes a
        // value a mask grows with its length, so a real secret is rejected below 0.05 %.
        // Values with separators: a group of one repeated character makes a UUID an example
        // (`7b3bcec2-0000-0000-0000-563bf47249f0`), as a run of five or of four zeros does
        // (RFC 4122's `...-446655440000`); another run of four inside a group is chance
        // (0.7 % of random UUIDs: `6aaaa51c0e8f`).
        && !if v.iter().all(u8::is_ascii_alphanumeric) {
            has_run(v, match v.len() { 0..32 => 4, 32..64 => 5, _ => 6 })
        } else {
            has_run(v, 5) || has_masked_group(v) || v.windows(4).any(|w| w == b"0000")
        }
        && !has_sequence(v, 5)
        && varied(v)
}

/// A version (`v1.2.3-beta4`, `2.0.1`, `1.4.0+build.7`): a `v` or not, two dotted numbers or
/// more, and a pre-release or build tag. Its letters and digits look varied, and an
/// `API_KEY=v1.2.3-beta4` of a probe passed as a key.
fn is_version(v: &[u8]) -> bool {
    let v = v
        .strip_prefix(b"v")
        .or_else(|| v.strip_prefix(b"V"))
        .unwrap_or(v);
    let end = v
        .iter()
        .position(|&b| !b.is_ascii_digit() && b != b'.')
        .unwrap_or(v.len());
    let (numbers, tag) = v.split_at(end);
    numbers.split(|&b| b == b'.').count() >= 3
        && numbers.split(|&b| b == b'.').all(|n| !n.is_empty())
        && (tag.is_empty()
            || (matches!(tag[0], b'-' | b'+')
                && tag[1..]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"-+.".contains(&b))))
}

/// Whether `value`, found where the syntax says a password is, is one a person chose rather
/// than a placeholder, a reference or a masked value. Passwords people choose are words,
/// digits and a symbol (`Summer2022`, `Dr@g0nc@ny0n`, `raven56_raven`) or several words run
/// together (`lanternstonecastle`, `velvet-autumn-copper-sunset`): 2.6 to 3 bits of entropy
/// per character, under the 3.0 floor of tokens, so the floor here is 0.6 bits per doubling
/// of the length capped at 2.5 (a 10-character value: 2.0 bits; `Banana2020` has 2.25,
/// `abcabcabcabcabc` 1.6 of the 2.3 its length asks) and the one-class values
/// of `varied`'s words must be long: 10 characters run together, 16 when joined by `-`, `_`
/// or `.` (`x-oauth-basic`, `my-app-secret` are names). The placeholder, reference, path,
/// run and sequence tests of [`is_credential`] hold as they are.
pub fn is_password(value: &[u8]) -> bool {
    password(value, Place::Code)
}

/// Where a password value was written: whether code could stand in its place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Source or configuration, where `config.password` is an expression.
    Code,
    /// URL userinfo and the like ([`ValueFilter::Userinfo`]).
    NoCode,
}

fn password(value: &[u8], place: Place) -> bool {
    let v = value.trim_ascii();
    let v = match v.iter().rposition(|b| !b",;)".contains(b)) {
        Some(last) => &v[..=last],
        None => return false,
    };
    // URL userinfo is percent-encoded (RFC 3986 section 2.1): `p%2Fss` is the 4-character
    // `p/ss`.
    let decoded = percent_decoded(v);
    let v = decoded.as_slice();
    if v.contains(&b' ') {
        return is_passphrase(v);
    }
    if v.len() < 6 || is_checksum_look_alike(v) || is_version(v) {
        return false;
    }
    let found = Classes::of(v);
    let (lower, upper, digit, symbol) = (found.lower, found.upper, found.digit, found.symbol);
    let classes = found.count();
    let joined = v.iter().filter(|b| matches!(b, b'-' | b'_' | b'.')).count();
    let one_class_ok = (lower || upper) && v.len() >= if joined > 0 { 16 } else { 10 };
    if classes < 2 && !one_class_ok {
        return false;
    }
    // Letters alone under 10 characters are a word (`Incorrect`, `kmsPswd`), not a password
    // someone chose to keep: those add a digit or a symbol, or run words together.
    if !digit && !symbol && v.len() < 10 {
        return false;
    }
    // A word, digits, a symbol and the word again (`banana31_banana`) is a password people
    // choose, but a word of few letters repeated sits under the floor (2.2 bits, 2.34
    // wanted): with letters, digits and a symbol, 0.5 bits per doubling (2 such passwords
    // of seed 181's holdout, in a URL, were missed).
    let per_doubling = if (lower || upper) && digit && (symbol || joined > 0) {
        0.5
    } else {
        0.6
    };
    let wanted = (per_doubling * (v.len() as f64).log2()).min(2.5);
    !is_reference(v)
        && !has_placeholder_word(v)
        && (v.len() >= KIND_WORDS_BELOW || !KIND_WORDS.iter().any(|w| contains_ci(v, w)))
        && !PUBLIC_PREFIXES.iter().any(|p| v.starts_with(p))
        && !is_path(v)
        && !is_call(v, place)
        && !is_host_port(v)
        && !has_run(v, 4)
        && !has_sequence(v, 5)
        && entropy(v) >= wanted
}

/// Words a sentence needs and a passphrase does without: function words, and the words of
/// forms and messages about a password (`Enter your new password`, `must match the old one`).
#[rustfmt::skip]
const PROSE_WORDS: &[&[u8]] = &[
    b"the", b"and", b"for", b"not", b"you", b"your", b"with", b"from", b"this", b"that",
    b"here", b"there", b"must", b"have", b"has", b"will", b"should", b"can", b"cannot",
    b"are", b"was", b"were", b"does", b"did", b"been", b"into", b"than", b"then", b"when",
    b"only", b"same", b"please", b"enter", b"field", b"value", b"required", b"characters",
    b"least", b"new", b"old", b"current", b"confirm", b"user", b"username", b"login",
    b"sign", b"set", b"see", b"use", b"used", b"invalid", b"incorrect", b"wrong", b"match",
    b"matches", b"none", b"null", b"empty", b"secret", b"secrets", b"token", b"key",
    b"keys", b"vault", b"env", b"variable", b"stored", b"store", b"missing",
];

/// A passphrase of words joined by single spaces, as diceware and password managers make
/// them (`thunder river monkey noodle`): four words or more, each 3 to 12 lower-case letters,
/// at most one of them twice, none a sentence's or a form's word ([`PROSE_WORDS`]) or a placeholder's.
/// A space makes every other value prose, so the hold-out corpus's passphrases under
/// `password` names (4 of 536 secrets of seed 139) were missed.
fn is_passphrase(v: &[u8]) -> bool {
    let words: Vec<&[u8]> = v.split(|&b| b == b' ').collect();
    let mut distinct = words.clone();
    distinct.sort();
    distinct.dedup();
    // Diceware draws with replacement: one word may come twice (`nebula hazel banana banana`).
    words.len() >= 4
        && distinct.len() + 1 >= words.len()
        && distinct.len() >= 3
        && words.iter().all(|w| {
            (3..=12).contains(&w.len())
                && w.iter().all(u8::is_ascii_lowercase)
                && !PROSE_WORDS.contains(w)
        })
        // Run together, so that xkcd's `correct horse battery staple` is the joke it is.
        && !has_placeholder_word(&words.concat())
}

/// A host and port (`localhost:22`, `db.acme.io:5432`): an address beside a password
/// argument in a call's argument list, not the password.
fn is_host_port(v: &[u8]) -> bool {
    match v.iter().rposition(|&b| b == b':') {
        Some(colon) if colon > 0 => {
            let (host, port) = (&v[..colon], &v[colon + 1..]);
            (1..=5).contains(&port.len())
                && port.iter().all(u8::is_ascii_digit)
                && host.iter().any(u8::is_ascii_alphabetic)
                && host.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-'
                })
        }
        _ => false,
    }
}

/// `v` with `%XX` escapes decoded (an invalid escape stays as written).
fn percent_decoded(v: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'%'
            && i + 2 < v.len()
            && let (Some(h), Some(l)) = (hex(v[i + 1]), hex(v[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(v[i]);
            i += 1;
        }
    }
    out
}

/// A call or an index after an identifier path (`get_password()`, `os.environ["X"]`,
/// `config.get(`): [`is_code`] without its bare identifiers, which in a password's place are
/// words run together (`otter_biscuit_pepper_thunder`).
fn is_call(v: &[u8], place: Place) -> bool {
    let ident_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let ident_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if !ident_start(v[0]) {
        return false;
    }
    let head = v
        .iter()
        .position(|&b| !ident_char(b) && b != b'.' && b != b':');
    match head {
        Some(i) => {
            matches!(v[i], b'(' | b'[')
                && (i + 1 == v.len() || v.last().is_some_and(|&b| b == b')' || b == b']'))
        }
        // An identifier path without digits: namespaced (`Config::SECRET`), written as code
        // names are (`settings.DB_PASSWORD`, `this.options.apiKey`), or rooted at an object
        // that holds settings (`credentials.password`); lower-case words joined by dots are a
        // passphrase (`crimson.thunder.sleepy.walrus`). Where no code is written, none.
        None if place == Place::NoCode => false,
        None => {
            const ROOTS: &[&[u8]] = &[
                b"self",
                b"this",
                b"config",
                b"conf",
                b"cfg",
                b"settings",
                b"process",
                b"os",
                b"env",
                b"args",
                b"opts",
                b"options",
                b"params",
                b"props",
                b"credentials",
                b"creds",
                b"secrets",
                b"app",
                b"ctx",
                b"context",
                b"request",
                b"req",
            ];
            let root = v.split(|&b| b == b'.').next().unwrap_or_default();
            // Every part of a path is a name: `XC.ODirrPBdxjxf.` (an empty last part) is not.
            let named_parts = v
                .split(|&b| b == b'.' || b == b':')
                .all(|part| !part.is_empty() || v.contains(&b':'));
            named_parts
                && !v.iter().any(u8::is_ascii_digit)
                && !v.split(|&b| b == b'.').any(jumbled_case)
                && (v.contains(&b':')
                    || (v.contains(&b'.')
                        && (v.iter().any(|&b| b.is_ascii_uppercase() || b == b'_')
                            || ROOTS.contains(&root))))
        }
    }
}

/// Whether a part of a dotted value switches case as no name does: capitals, one or two
/// lower-case letters, a capital again (`NFKzpJ`, `uEDfX`). Names write an acronym whole and
/// then a word (`HTTPServer`, `PyHKEY`, `DB_PASSWORD`), so such a part is random letters, and
/// the dotted value a password (a URL's `KRxzPLmwQe.vBNfT`), not a code path.
fn jumbled_case(part: &[u8]) -> bool {
    part.windows(4).enumerate().any(|(i, w)| {
        w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_lowercase()
            && (w[3].is_ascii_uppercase()
                || (w[3].is_ascii_lowercase()
                    && part.get(i + 4).is_some_and(u8::is_ascii_uppercase)))
    })
}

/// Whether `v` holds a placeholder word ([`PLACEHOLDER_WORDS`]): as written, or, in a value
/// under 24 characters, with the usual substitutions undone (`P@ssw0rd`, `t3st1ng`). A longer
/// value is a generated token, where digits stand in for letters by chance: `a5df` reads
/// `asdf` and `70d0` `todo`, and 64 random hex digits hold one of them 0.3 % of the time
/// (a VirusTotal key and a Vercel token of `scripts/quality`'s seeds 139 and 149 were lost so).
///
/// A substituted word counts only where a word starts (the value's start, after a character
/// that is no letter or digit, a lower-case letter before an upper-case one, or a digit before
/// a letter): inside a chosen password, digits read as letters by chance (`cobalte57A3p`
/// holds `te57`, "test"; a MongoDB password of `scripts/quality`'s seed 173 was lost so).
fn has_placeholder_word(v: &[u8]) -> bool {
    if PLACEHOLDER_WORDS.iter().any(|w| contains_ci(v, w)) {
        return true;
    }
    if v.len() >= 24 {
        return false;
    }
    let plain = unleet(v);
    let word_start = |i: usize| {
        i == 0
            || !v[i - 1].is_ascii_alphanumeric()
            || (v[i - 1].is_ascii_lowercase() && v[i].is_ascii_uppercase())
            || (v[i - 1].is_ascii_digit() && !v[i].is_ascii_digit())
    };
    PLACEHOLDER_WORDS.iter().any(|w| {
        plain
            .windows(w.len())
            .enumerate()
            .any(|(i, s)| s.eq_ignore_ascii_case(w) && word_start(i))
    })
}

/// `v` with the usual letter substitutions undone (`P@ssw0rd` reads `Password`), for the
/// placeholder words.
fn unleet(v: &[u8]) -> Vec<u8> {
    v.iter()
        .map(|&b| match b {
            b'@' | b'4' => b'a',
            b'0' => b'o',
            b'1' | b'!' => b'i',
            b'3' => b'e',
            b'$' | b'5' => b's',
            b'7' => b't',
            _ => b,
        })
        .collect()
}

/// Template and environment references: `${VAR}`, `$VAR`, `%VAR%`, `{{ var }}`, `<your-key>`,
/// `#{var}`, `@var@`, `%(name)s`, `%s`.
fn is_reference(v: &[u8]) -> bool {
    let ident = |s: &[u8]| {
        !s.is_empty()
            && s.iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    const MARKERS: &[&[u8]] = &[b"${", b"{{", b"}}", b"#{", b"$(", b"{%"];
    // `%(name)s` only when a name and `)` follow: a random key may hold `%(` (Django's
    // generated SECRET_KEY draws from `!@#$%^&*(-_=+)`).
    let named = |i: usize| {
        v[i + 2..]
            .iter()
            .position(|&b| b == b')')
            .is_some_and(|j| ident(&v[i + 2..i + 2 + j]))
    };
    MARKERS.iter().any(|m| v.windows(m.len()).any(|w| w == *m))
        || v.windows(2)
            .enumerate()
            .any(|(i, w)| w == b"%(" && named(i))
        || v.strip_prefix(b"$")
            .is_some_and(|name| ident(name) && is_variable_name(name))
        || (v[0] == b'<' && v[v.len() - 1] == b'>')
        || (v.len() > 2 && v[0] == b'%' && v[v.len() - 1] == b'%' && ident(&v[1..v.len() - 1]))
        || (v.len() > 2 && v[0] == b'@' && v[v.len() - 1] == b'@' && ident(&v[1..v.len() - 1]))
        || (v.len() == 2 && v[0] == b'%')
        || is_format_template(v)
        || is_android_resource(v)
}

/// An Android resource reference, `@[package:]type/name` (`@string/api_key`,
/// `@android:string/ok`): a `<string name="app_key">` whose text is one names another
/// resource, not a key.
fn is_android_resource(v: &[u8]) -> bool {
    const TYPES: &[&[u8]] = &[
        b"string",
        b"array",
        b"integer",
        b"bool",
        b"color",
        b"dimen",
        b"drawable",
        b"raw",
        b"xml",
        b"id",
        b"style",
        b"plurals",
        b"layout",
        b"mipmap",
        b"font",
    ];
    let Some((kind, name)) = v.strip_prefix(b"@").and_then(|r| {
        let slash = r.iter().position(|&b| b == b'/')?;
        Some((&r[..slash], &r[slash + 1..]))
    }) else {
        return false;
    };
    let kind = kind.rsplit(|&b| b == b':').next().unwrap_or(kind);
    TYPES.contains(&kind)
        && !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

/// A printf-style verb (`%s`, `%d`, `%v`) that no letter or digit follows: a template
/// (`postgres://%s:%s@%s/db`, `Bearer %s`), unless what is left without the verbs is a random
/// token of 24 characters or more at 4 bits each. A Django `SECRET_KEY` draws from
/// `!@#$%^&*(-_=+)` and holds such a pair by chance (about 1.6 % of keys; a Rails master key
/// of `scripts/quality`'s seed 197 was lost so); templates are mostly text (the URL above
/// without its verbs has 3.2 bits).
fn is_format_template(v: &[u8]) -> bool {
    let is_verb = |i: usize| {
        v[i] == b'%'
            && v.get(i + 1).is_some_and(|b| b"sdv".contains(b))
            && v.get(i + 2).is_none_or(|b| !b.is_ascii_alphanumeric())
    };
    if !(0..v.len()).any(is_verb) {
        return false;
    }
    let mut rest = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if is_verb(i) {
            i += 2;
        } else {
            rest.push(v[i]);
            i += 1;
        }
    }
    rest.len() < 24 || entropy(&rest) < 4.0
}

/// Whether an identifier after `$` reads as a variable's name. A name cannot begin with a
/// digit (`$1l3ntc0blt` is a password), and one with digits for letters in two places or more
/// (`$t0n3r0ck3t`, a Kubernetes Secret's decoded password of seed 191) is none: variables carry
/// a digit as a version or a suffix (`$AWS_S3_BUCKET`, `$DB2INST1_PASSWORD`).
fn is_variable_name(name: &[u8]) -> bool {
    !name.first().is_some_and(u8::is_ascii_digit)
        && name
            .windows(2)
            .filter(|w| w[0].is_ascii_digit() && w[1].is_ascii_alphabetic())
            .count()
            < 2
}

/// File system paths: `/etc/app/secret.txt`, `./key.pem`, `~/.ssh/id`, `C:\keys\k.pfx`.
fn is_path(v: &[u8]) -> bool {
    let path_chars = v
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"/._-~\\:".contains(&b));
    let rooted = v.starts_with(b"/")
        || v.starts_with(b"./")
        || v.starts_with(b"../")
        || v.starts_with(b"~/")
        || (v.len() > 3 && v[0].is_ascii_alphabetic() && &v[1..3] == b":\\");
    let separators = v.iter().filter(|&&b| b == b'/' || b == b'\\').count();
    path_chars && rooted && separators >= 2
}

/// Code in place of a literal: a call (`get_password()`, `os.getenv("X")`), an index
/// (`os.environ["X"]`), a dotted or namespaced identifier (`settings.DB_PASSWORD`,
/// `process.env.TOKEN`, `Config::SECRET`), or a bare identifier (`DB_PASSWORD`,
/// `dbPassword`, `db_password`).
fn is_code(v: &[u8]) -> bool {
    let ident_start = |b: u8| b.is_ascii_alphabetic() || b == b'_';
    let ident_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    // A `$` before an identifier path is a marker name, not a value: serde_json compares
    // struct names against `"$serde_json::private::Number"` (its `TOKEN` constants, in 2
    // files of every serde_json release in the cargo registry).
    let v = match v.strip_prefix(b"$") {
        Some(path) if path.contains(&b':') || path.contains(&b'.') => path,
        _ => v,
    };
    if v.is_empty() || !ident_start(v[0]) {
        return false;
    }
    let head = v
        .iter()
        .position(|&b| !ident_char(b) && b != b'.' && b != b':');
    match head {
        // A call or an index right after an identifier path: closed (`get_secret()`), or cut
        // at its first quote by the rule that captured it (`config.get(` of
        // `value="config.get("secret")"`: an attribute's quotes end at the call's own).
        Some(i) => {
            matches!(v[i], b'(' | b'[')
                && (i + 1 == v.len() || v.last().is_some_and(|&b| b == b')' || b == b']'))
        }
        // Only identifier characters, dots and colons: an identifier path (`a.b`, `A::B`), or
        // a bare identifier written as one (SCREAMING_SNAKE or snake_case), without digits.
        None => {
            let digits = v.iter().any(u8::is_ascii_digit);
            let dotted = v.contains(&b'.') || v.contains(&b':');
            let snake = v.contains(&b'_')
                && (v.iter().all(|b| !b.is_ascii_lowercase())
                    || v.iter().all(|b| !b.is_ascii_uppercase()));
            !digits && (dotted || snake)
        }
    }
}

/// Whether a group of `v` between separators (not letters or digits) is one character
/// repeated, three times or more (`0000`, `xxx`).
fn has_masked_group(v: &[u8]) -> bool {
    v.split(|b| !b.is_ascii_alphanumeric())
        .any(|g| g.len() >= 3 && g.iter().all(|&b| b == g[0]))
}

/// Whether a format rule's token is filler typed by a person rather than drawn: an ascending
/// or descending run of 8 letters or digits (`sk-0123456789abcdef0123456789abcdef`, a
/// documentation's key). A random hex token holds one at a given place with probability
/// 2/16^7 (6e-9), base62 2/62^7; runs of equal characters are left to the entropy floor,
/// since encoded keys hold them by design (an OpenSSH private key's `AAAAAAAAAAB`).
pub fn is_typed_sequence(value: &[u8]) -> bool {
    has_sequence(value, 8)
}

/// Whether `v` has `n` equal bytes in a row (`aaaa`, `0000`).
fn has_run(v: &[u8], n: usize) -> bool {
    v.windows(n).any(|w| w.iter().all(|&b| b == w[0]))
}

/// Whether `v` has `n` consecutive ascending or descending letters or digits (`12345`,
/// `abcde`, `98765`). A random base62 value has such a run of 5 at a given place with
/// probability 2/62^4.
fn has_sequence(v: &[u8], n: usize) -> bool {
    v.windows(n).any(|w| {
        w.iter().all(u8::is_ascii_alphanumeric)
            && (w.windows(2).all(|p| p[1] == p[0].wrapping_add(1))
                || w.windows(2).all(|p| p[1] == p[0].wrapping_sub(1)))
    })
}

/// Character classes and entropy: a value of one class (only lower-case letters, only digits,
/// words joined by `-`, `_` or `.`) is a word, a name or a number unless it is long (24+); a value with spaces is prose; and the
/// entropy must reach 70 % of what the value's length allows (a 12-character value: 2.5 bits),
/// capped at 3.0 bits (what a 16-character base62 secret reaches with room to spare).
fn varied(v: &[u8]) -> bool {
    if v.contains(&b' ') {
        return false;
    }
    // Word separators do not make `my-app-secret` or `postgres.credentials` varied.
    let classes = Classes::of(v).count();
    let joined = v.iter().any(|b| matches!(b, b'-' | b'_' | b'.'));
    if classes < 2 && (v.len() < 24 || joined) {
        return false;
    }
    let wanted = (0.7 * (v.len() as f64).log2()).min(3.0);
    entropy(v) >= wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token of GitHub's format with a correct checksum over `random` (30 base62 characters).
    fn github_token(prefix: &str, random: &str) -> String {
        let check = base62(crc32fast::hash(random.as_bytes()), 6);
        format!("{prefix}{random}{}", String::from_utf8(check).unwrap())
    }

    #[test]
    fn publishable_keys_dsns_and_elided_values_are_no_credentials() {
        for public in [
            "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k",
            "pk_test_51HqLyjWDarjtT1zdp7dcXXXq7hBx1V2",
            "sb_publishable_3x8wUak1eWZPyLvE27IIJiXC7tKANbI",
            "pk-lf-2c9e7f41-8b3d-4a6e-b0f5-1d7c3a9e6b24",
            "phc_Vq3k9XzT1mR8wLp2Ys6Hn4Bc7Jd0Fg5Ae8Ku1Ni9Qo",
            "sq0idp-W3kq9XzT1mR8wLp2Ys6Hn4",
            "https://c66e85950b3ed16c432c2a1e261ae817@o238273.ingest.sentry.io/3813458",
            "https://c66e85950b3ed16c432c2a1e261ae817@o238273.ingest.us.sentry.io/38",
            "os_v2_app_26ijq4m7Xk2\u{2026}",
        ] {
            assert!(!is_credential(public.as_bytes()), "{public}");
        }
        // Their secret siblings stay credentials, and a legacy DSN with its secret is no
        // public DSN (the URL rules judge its userinfo).
        for secret in [
            "sk_live_51HqLyjWDarjtT1zdp7dcXXXq7hBx1V2",
            "sb_secret_3x8wUak1eWZPyLvE27IIJiXC7tKANbI",
            "sk-lf-2c9e7f41-8b3d-4a6e-b0f5-1d7c3a9e6b24",
            "phx_Vq3k9XzT1mR8wLp2Ys6Hn4Bc7Jd0Fg5Ae8Ku1Ni9Qo",
            "sq0csp-W3kq9XzT1mR8wLp2Ys6Hn4Bc7Jd0Fg5Ae8Ku1Ni",
        ] {
            assert!(is_credential(secret.as_bytes()), "{secret}");
        }
        assert!(!is_public_dsn(
            b"https://c66e85950b3ed16c432c2a1e261ae817:9f0e1d2c3b4a59687766554433221100@o1.ingest.sentry.io/4"
        ));
    }

    #[test]
    fn typed_sequences_are_filler_and_drawn_tokens_are_not() {
        assert!(is_typed_sequence(b"sk-0123456789abcdef0123456789abcdef"));
        assert!(is_typed_sequence(b"tok_abcdefghQ7tV2mXk9LpR4sWz"));
        assert!(is_typed_sequence(b"ZYXWVUTS9LpR4sWz8NcB3hJd6FyG1a"));
        // Seven in a row and an encoded key's zero fill are not.
        assert!(!is_typed_sequence(b"sk-0123456f1e8b4c7d92a05e36b1fd48ca"));
        assert!(!is_typed_sequence(b"b3BlbnNzaC1rZXktdjEAAAAAAAAAAB"));
    }

    #[test]
    fn crc32_and_base62_are_the_documented_ones() {
        // The CRC-32/IEEE check value of "123456789".
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(base62(0, 6), b"000000");
        assert_eq!(base62(61, 6), b"00000z");
        assert_eq!(base62(62, 6), b"000010");
        // u32::MAX = 4 * 62^5 + ... fits in six digits.
        assert_eq!(base62(u32::MAX, 6), b"4gfFC3");
    }

    #[test]
    fn github_and_npm_checksums() {
        for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_"] {
            let good = github_token(prefix, "Q7tV2mXk9LpR4sWz8NcB3hJd6FyG1a");
            assert_eq!(
                Checksum::GithubCrc32.verify(good.as_bytes()),
                Verdict::Valid,
                "{good}"
            );
            // One character of the random part changed: the checksum no longer matches.
            let bad = good.replacen("Q7tV", "Q7tW", 1);
            assert_eq!(
                Checksum::GithubCrc32.verify(bad.as_bytes()),
                Verdict::Invalid,
                "{bad}"
            );
            // The checksum itself changed.
            let mut flipped = good.clone().into_bytes();
            let last = flipped.len() - 1;
            flipped[last] = if flipped[last] == b'a' { b'b' } else { b'a' };
            assert_eq!(Checksum::GithubCrc32.verify(&flipped), Verdict::Invalid);
        }
        // Tokens checksummed by another implementation (Python's zlib.crc32) for the packs'
        // examples agree with this one.
        for t in [
            "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",
            "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",
        ] {
            assert_eq!(
                Checksum::GithubCrc32.verify(t.as_bytes()),
                Verdict::Valid,
                "{t}"
            );
        }
        // Other shapes are not judged.
        assert_eq!(
            Checksum::GithubCrc32.verify(b"ghp_abc"),
            Verdict::NotApplicable
        );
        assert_eq!(
            Checksum::GithubCrc32.verify(b"github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg"),
            Verdict::NotApplicable
        );
    }

    /// Substituted placeholders count in short values only: a generated token holds
    /// `a5df` or `70d0` by chance.
    #[test]
    fn leet_placeholders_only_in_short_values() {
        assert!(is_credential(
            b"3f60a8b2c94e17d5b0a6e2c8f41d93b7e5a2c0f86d4b19e37a5c2e80b6d4a5df"
        ));
        assert!(is_credential(b"Kq8ZrT3vNc1XbE7t0D0Hs3GmPa9UfJw4"));
        assert!(!is_credential(b"T3stK3y!2024"));
        assert!(!is_password(b"P@ssw0rd2024"));
        assert!(!is_password(b"MyP@ssw0rd2024!"));
        assert!(!is_password(b"2024_T3st!x"));
        // Inside a word, digits that read as letters are the password's own.
        assert!(is_password(b"river91_cobalte57A3p"));
        assert!(is_password(b"cobalte57A3p"));
        assert!(!is_credential(
            b"3f60a8b2c94e17d5b0a6e2c8f41dTESTb7e5a2c0f86d4b19e37a"
        ));
    }

    #[test]
    fn checksum_look_alikes_are_no_credentials() {
        // A valid token (checksum computed) stays a credential; one changed character does not.
        let random = b"u82vBJHJ5YvN8s5eYRwSilh9lRJBZH";
        let mut token = b"ghp_".to_vec();
        token.extend_from_slice(random);
        token.extend(base62(crc32fast::hash(random), 6));
        assert!(is_credential(&token));
        let last = token.len() - 1;
        token[last] = if token[last] == b'A' { b'B' } else { b'A' };
        assert!(!is_credential(&token));
        // Another prefix of the same shape is not judged by GitHub's checksum.
        let mut other = b"abc_".to_vec();
        other.extend_from_slice(&token[4..]);
        assert!(is_credential(&other));
        // The other checksummed formats: a valid value (checksum computed by another
        // implementation, Python's zlib and BIP-173's reference code) is a credential, the
        // same value with one character changed is not.
        for good in [
            "glpat-SptSi2ljYyGkYbVe9Vt76mM6MQpvOjVjajgKdTo1eDN5cBI.01.1b1ts8mls",
            "glsa_qWB8dWKnHfDNxSIvPZZ63fFKcZjR4I0b_a9880347",
            "AGE-SECRET-KEY-1RXJ8U8NSHNY4ZKKL5JQ0CTUT7VAAQP5RJLR6AFVSLU5DCJVJ7NESGSEYRD",
            "nsec1w55ghjy0m6fey9jl8kxvega86aue5p9ma96um34lxj3ug20f4d7sfx9ute",
        ] {
            assert!(is_credential(good.as_bytes()), "{good}");
            let mut bad = good.as_bytes().to_vec();
            let at = bad.len() - 12;
            bad[at] = match bad[at] {
                b'Q' => b'P',
                c if c.is_ascii_uppercase() => b'Q',
                b'q' => b'p',
                _ => b'q',
            };
            assert!(!is_credential(&bad), "{}", String::from_utf8_lossy(&bad));
        }
    }

    #[test]
    fn chosen_passwords_pass_where_the_syntax_says_password() {
        for v in [
            "Summer2022",
            "Banana2020",
            "Fall25*",
            "Dr@g0nc@ny0n",
            "raven56_raven",
            "banana31_banana",
            "lanternstonecastle",
            "copperPepper",
            "velvet-autumn-copper-sunset",
            "otter_biscuit_pepper_thunder",
            "crimson.thunder.sleepy.walrus",
            "C0ff33$t0n3",
            "vRt!1fjORS#6ilI8",
            "Tr%40il2023x",
            "thunder river monkey noodle",
            "phoenix violet hazel cobalt",
            "nebula hazel banana banana",
            "$1l3ntc0blt",
            "$t0n3r0ck3t",
        ] {
            assert!(is_password(v.as_bytes()), "{v}");
            // Judged as tokens, most of them are too plain.
        }
        assert!(!is_credential(b"lanternstonecastle"));
        assert!(!is_credential(b"otter_biscuit_pepper_thunder"));
    }

    #[test]
    fn password_decoys_fail() {
        for v in [
            "password123",
            "test1234",
            "letmein",
            "admin",
            "12345678",
            "abcdefgh",
            "aaaaaaaaaaaaaaaa",
            "abcabcabcabcabc",
            "PepperPepper",
            "1111111111",
            "hunter2",
            "x-oauth-basic",
            "my-app-secret",
            "qwertyuiop",
            "${DB_PASSWORD}",
            "$DB2INST1_PASSWORD",
            "$AWS_S3_BUCKET",
            "<password>",
            "[FILTERED]",
            "<masked>",
            "********",
            "credentials.password",
            "settings.DB_PASSWORD",
            "os.environ[\"DB_PASSWORD\"]",
            "get_password()",
            "/run/secrets/db_password",
            "Enter your password",
            "3141592653",
            "Incorrect",
            "kmsPswd",
            "p%2Fss",
            "p%40ssw0rd1",
            "localhost:22",
            "db-01.acme.io:5432",
            // Sentences and labels are no passphrases; nor is xkcd's.
            "must be at least eight characters",
            "please enter the database password",
            "stored in the vault",
            "correct horse battery staple",
            "river river river river",
            "thunder river monkey",
            "Thunder River Monkey Noodle",
        ] {
            assert!(!is_password(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn the_password_filter_follows_the_key() {
        let f = ValueFilter::Password;
        // A key that names a password takes a chosen password, and waives min_entropy.
        for k in [
            "db_password",
            "mailPass",
            "SMTP_PASS",
            "bindpw",
            "keyStorePassword",
            "PGPASSWORD",
        ] {
            assert!(f.accepts(b"lanternstonecastle", Some(k.as_bytes())), "{k}");
            assert_eq!(
                f.entropy_floor(3.0, b"lanternstonecastle", Some(k.as_bytes())),
                0.0
            );
        }
        // No key: the rule's position says password (URL userinfo, .netrc).
        assert!(f.accepts(b"Summer2022", None));
        // A key that names a token or a secret keeps the credential test and the floor.
        for k in ["api_token", "SECRET_KEY", "bypass", "compass_heading"] {
            assert!(!f.accepts(b"lanternstonecastle", Some(k.as_bytes())), "{k}");
            assert_eq!(
                f.entropy_floor(3.5, b"Q1y3GQsMpSscDlkr", Some(k.as_bytes())),
                3.5
            );
        }
        // A key about a password is not one.
        assert!(!f.accepts(b"lanternstonecastle", Some(b"password_hash")));
        // Under a `secret` name, a value of four character classes is held to 3.0 bits (a
        // chosen secret repeats its digits); three classes, or another name, keep the floor.
        let c = ValueFilter::Credential;
        for (value, key, floor) in [
            ("Marlow#1968Tide1968", "session_secret", 3.0),
            ("Marlow1968Tide1968", "session_secret", 3.5),
            ("Marlow#1968Tide1968", "session_key", 3.5),
            ("Marlow#1968Tide1968", "api-token", 3.0),
            ("Jobs[-1].JobId", "output_token", 3.5),
            ("Marlow#1968", "app_secret", 3.5),
        ] {
            let got = c.entropy_floor(3.5, value.as_bytes(), Some(key.as_bytes()));
            assert_eq!(got, floor, "{value} under {key}");
        }
        // Hex values of 32 digits or more are held to at most 3.0 bits, whatever the rule
        // asks; shorter ones (schema hashes) keep the rule's floor.
        assert_eq!(
            ValueFilter::Credential.entropy_floor(3.5, b"48205d4ffd7feba3", Some(b"ApiKey")),
            3.5
        );
        assert_eq!(
            ValueFilter::Credential.entropy_floor(
                3.5,
                b"11d51a5081de0badebad4e3211ee49b1",
                Some(b"authToken")
            ),
            3.0
        );
        // A UUID under an idempotency or lock token's name is no credential.
        for k in [
            "ClientToken",
            "LockToken",
            "RequestToken",
            "LifecycleActionToken",
        ] {
            assert!(
                !c.accepts(b"3f9c1e2a-77d4-4b0e-9a1c-bb2e4d6f8a07", Some(k.as_bytes())),
                "{k}"
            );
        }
        assert!(c.accepts(
            b"3f9c1e2a-77d4-4b0e-9a1c-bb2e4d6f8a07",
            Some(b"private_key")
        ));
        // A UUID is 32 hex digits with dashes: the same floor.
        assert_eq!(
            ValueFilter::Credential.entropy_floor(
                3.5,
                b"3f9c1e2a-77d4-4b0e-9a1c-bb2e4d6f8a07",
                Some(b"private_key")
            ),
            3.0
        );
        assert_eq!(
            hex_entropy_floor(3.5, b"3f9c1e2a-77d4-4b0e-9a1c-bb2e4d6f8a0"),
            3.5
        );
        // A format rule's short hex token: the floor follows its length.
        assert!((format_entropy_floor(2.8, b"5e54eb575e7d8b") - 2.39).abs() < 0.01);
        assert!((format_entropy_floor(3.5, b"ad54394d7f32fa737d33") - 2.80).abs() < 1e-9);
        assert!((format_entropy_floor(3.5, &[b'a'; 31]) - 3.15).abs() < 1e-9);
        assert_eq!(
            format_entropy_floor(2.5, b"b41914ff4fdf5ffca62a3b5c7d"),
            2.5
        );
        assert_eq!(format_entropy_floor(2.8, b"5e54eb575e7d8z"), 2.8);
    }

    #[test]
    fn long_hex_secrets_may_hold_longer_runs() {
        assert!(is_credential(
            b"af006b3f39e7794e7777ad5531953d99de104f6ddbcfbc8af69b67f07f7a485a"
        ));
        assert!(is_credential(
            b"af006b3f39e7794e77777d5531953d99de104f6ddbcfbc8af69b67f07f7a485a"
        ));
        assert!(!is_credential(
            b"af006b3f39e7794e777777531953d99de104f6ddbcfbc8af69b67f07f7a485a"
        ));
        assert!(!is_credential(b"11d51a5081de0bad0000043211ee49b1"));
        // A UUID with zero groups is an example, whatever its length.
        assert!(!is_credential(b"7b3bcec2-0000-0000-0000-563bf47249f0"));
        assert!(!is_credential(b"550e8400-e29b-41d4-a716-446655440000"));
        assert!(!is_credential(b"Zr8Kq2Lm7777Np"));
    }

    #[test]
    fn credentials_pass() {
        for v in [
            "k3.secret.fNYVuMvBgOlljt9TDohnaYLblghqaHoQquVZwgR6X12cBFHZLFsaU3q7X3k1Zn36",
            "vRt!1fjORS#6ilI8",
            "Zr8Kq2Lm7Vx4Np",
            "26R08qzjI6GKFSufrdZSlB5er8bOfZqf",
            "a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "tGSU8po!799NksnR",
            "kxrzqvwmtplnbhgdfsjcyoue", // 24 lower-case letters: one class, long enough
            "3f8c1e2a-7b4d-4c9e-a1f0-5d6b8e2c9a47",
            // A bracket inside a password is not a call: only one right after a leading
            // identifier, closed or at the value's end, is.
            "Zr8(Kq2Lm7Vx4Np",
            "Tq7w[Zr8Kq2Lm",
            // A generated Django key may hold `%(` without being a `%(name)s` reference.
            "j8osreuv=t_0wvv%2_m-+6s992@v1e9&2gg+2n0=%(9chug(_v",
        ] {
            assert!(is_credential(v.as_bytes()), "{v}");
        }
    }

    /// Snake or kebab case is a name when its long parts are words; a long part drawn at
    /// random in both cases makes it a value (fails if any long alphabetic part counts).
    #[test]
    fn snake_case_names_end_in_words_not_draws() {
        for v in [
            "s3_disable_express_session_auth",
            "s3_disableExpress_session_auth",
            "ACCESS_CONTROL_ALLOWCREDENTIALS",
            "Access-Control-Allow-Credentials",
        ] {
            assert!(is_identifier(v.as_bytes()), "{v}");
        }
        for v in [
            "phoenix_rocket_purple_pixelkMmUDwQYTzG",
            "amber_delta_orbit_QxTmWvRbNkLp",
        ] {
            assert!(!is_identifier(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn tokens_pass_and_names_fail_under_any_key_name() {
        for v in [
            "f3a9c1e07b2d48e6a5c9d0b1e2f3a4b5",
            "Qm9vT3lKx8Zr2pLw7VnYc4Hd1Es6Ga0Ti",
            "3f1c9a7e-52b4-4d08-a6e1-9c7b2f0d8e45",
            "DXjSUawnel2fr6SKC7G25CNxTyWKE5PF9XX6H/u9pSo=",
            "ya29.a0AfH6SMBx7Yq2Lw9Vn4Kc1Hd8Es3Ga6Ti0Qm5Zr7pLw2VnYc9Hd4Es1Ga8Ti3Qm6Zr0p",
        ] {
            assert!(is_token(v.as_bytes()), "{v}");
        }
        for v in [
            "309b26469128fd0a",                     // short hex: an id or a schema hash
            "5f8d0d55b54764421b7156c3",             // a MongoDB ObjectId
            "_win32typing.PyHKEY",                  // a dotted identifier path
            "access_logs.s3.bucket",                // a dotted setting name
            "lints.rust.rust-2018-idioms.unused",   // a dotted manifest key
            "dcp/17_12_22-103226.Developer_CL.tar", // a relative file path
            "WordPress_App_2-0.zip",                // a file name
            "867139942017-EntitiesDetection-ab98/", // a prefix of object keys
            "eyJ2IjoiMSIsInMiOjEsImMiOi...",        // an elided example
            "Ipv6CidrAssociations",                 // PascalCase words with a digit
            "X25519PrivateKey",
            "s3_disable_express_session_auth", // snake case words
            "UserProfileSettingsManager",      // PascalCase words
            "_SupportsCasefold",
            "NumberAttributeConstraints",
            "Access-Control-Allow-Credentials", // a header's name
            "ed25519.Ed25519PrivateKey",
            "windows/ancestry", // a slash path of words
            "api/v2/users-by-id",
        ] {
            assert!(!is_token(v.as_bytes()), "{v}");
        }
        for k in [
            "zorblat_key",
            "ZorblatKey",
            "x-zorblat-key",
            "key",
            "ZORBLAT_AUTH",
        ] {
            assert!(key_may_hold_token(k.as_bytes()), "{k}");
        }
        for k in [
            "sort_key",
            "cacheKey",
            "site_key",
            "csrf_token",
            "public_key",
            "result_key",
        ] {
            assert!(!key_may_hold_token(k.as_bytes()), "{k}");
        }
        // A site's or a host's secret is a secret; only their keys are public.
        for k in [
            "RECAPTCHA_SITE_SECRET",
            "site_secret_key_base",
            "hostPassword",
        ] {
            assert!(key_may_hold_credential(k.as_bytes()), "{k}");
        }
        assert!(!key_may_hold_credential(b"RECAPTCHA_SITE_KEY"));
        // Short hex: a secret under a `secret` name, an id or a hash under others.
        let token = ValueFilter::Token;
        assert!(token.accepts(b"b41914ff4fdf5ffca62a", Some(b"secret")));
        assert!(token.accepts(b"08391751bf195c023473", Some(b"PusherAppSecret")));
        assert!(!token.accepts(b"b41914ff4fdf5ffca62a", Some(b"app_key")));
        assert!(!token.accepts(b"309b26469128fd0a", Some(b"secret")));
        assert!(!token.accepts(b"0123456789abcdef0123", Some(b"secret")));
        assert_eq!(
            token.entropy_floor(3.5, b"b41914ff4fdf5ffca62a", Some(b"secret")),
            3.0
        );
        assert_eq!(
            token.entropy_floor(3.5, b"b41914ff4fdf5ffca62a", Some(b"key")),
            3.5
        );
        assert!(!is_credential(b"op://Production/Stripe/secret_key"));
        // A dotted path has names between its dots; a password may end in one.
        assert!(is_password(b"XC.ODirrPBdxjxf."));
        assert!(!is_password(b"settings.DB_PASSWORD"));
        // Random letters around a dot are no code path; names with acronyms still are.
        assert!(is_password(b"KRxzPLmwQe.vBNfT"));
        assert!(!is_password(b"config.HTTPServer.PyHKEY"));
        assert!(!is_password(b"this.options.apiKey"));
        // A call's closing parenthesis stays: the value is a call, not a credential.
        assert!(!is_credential(b"hashlib.sha256(payload).hexdigest()"));
        assert!(!is_credential(b"hashlib.sha256(payload).hexdigest();"));
        // A run of four inside a UUID's group is chance; a group of one character is a mask.
        assert!(is_credential(b"3f1c9d20-7b4e-4a61-9e2d-6aaaa51c0e8f"));
        assert!(!is_credential(b"7b3bcec2-0000-0000-0000-563bf47249f0"));
        assert!(!is_credential(
            b"7b3bcec2-8c1e-4aaa-9d2f-563bf47249f0x-aaaa"
        ));
    }

    /// Random tokens of the shapes providers issue pass [`is_token`] nearly always: the
    /// identifier, run, sequence and entropy tests reject at most 1 % of each shape (10,000
    /// draws of a fixed xorshift generator per shape).
    #[test]
    fn random_tokens_are_tokens() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const LOWER36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        const HEX: &[u8] = b"0123456789abcdef";
        for (alphabet, len) in [
            (BASE62, 20),
            (BASE62, 32),
            (BASE62, 40),
            (LOWER36, 24),
            (HEX, 32),
            (HEX, 64),
        ] {
            let rejected = (0..10_000)
                .filter(|_| {
                    let v: Vec<u8> = (0..len)
                        .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                        .collect();
                    !is_token(&v)
                })
                .count();
            assert!(
                rejected <= 100,
                "{len} of {} letters: {rejected} of 10,000 rejected",
                alphabet.len()
            );
        }
    }

    #[test]
    fn decoys_fail() {
        for v in [
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "%DB_PASSWORD%",
            "{{ .Values.password }}",
            "<your-api-key>",
            "#{db.password}",
            "changeme",
            "xxxxxxxxxxxxxxxx",
            "****************",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "my-dummy-token-1",
            "sample_secret_9",
            "test1234abcd",
            "aaaaaaaa1111",
            "abc123456789",
            "qwerty12345",
            "get_password()",
            "config.get(",
            "os.environ[",
            "Secrets.load(",
            "ENC[AES256_GCM,data:Tr8Kq2Lm7Vx4NpZr8Kq2,iv:Q1y3GQsMpSscDlkr,tag:M2oeq3hDav,type:str]",
            "os.environ[\"DB_PASSWORD\"]",
            "os.getenv(\"TOKEN\")",
            "settings.DB_PASSWORD",
            "process.env.GITHUB_TOKEN",
            "$serde_json::private::Number",
            "DB_PASSWORD",
            "db_password",
            "/etc/app/secret.txt",
            "./certs/client.key",
            "C:\\keys\\prod.pfx",
            "sha512-Vw2pR8XkZ+qLm3Tn0Yb5Ue7Hc1Jd9Sf4Ga6Kx2Ro8Pv3Nq5Mt1Wz7Ly9Db4Fh6Cs0Ej2Ag8Ik3Op5Ru7Tw==",
            "ssh-ed25519",
            "Enter your password",
            "hunter",
            "12345678",
            "mysecretpassword",
            "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
            "-----BEGIN PUBLIC KEY-----",
            "redacted",
            "%s",
            "postgres-credentials-prod",
            "my-app-secret",
            "[token",
            "option,",
            "required.",
            "MyToken2024",
            "%(db_password)s",
        ] {
            assert!(!is_credential(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn keys_about_credentials_are_not_credentials() {
        for k in [
            "password_hash",
            "token_url",
            "secret_file",
            "min_password_length",
            "publicKey",
            "PASSWORD_FILE",
            "secretName",
            "tokenEndpointUri",
            "NextToken",
            "next_page_token",
            "continuationToken",
            "IdempotencyToken",
        ] {
            assert!(!key_may_hold_credential(k.as_bytes()), "{k}");
        }
        for k in [
            "db_password",
            "apiKey",
            "CLIENT_SECRET",
            "auth_token",
            "Password",
            "securityToken",
            "refreshToken",
            "keyStorePassword",
            "javax.net.ssl.keyStorePassword",
            "VARNISH_SECRET",
            "PROD_ENV_DB_PASSWORD",
            // A word that only contains a paging word is not one.
            "nextauth_secret",
            "pageantToken",
        ] {
            assert!(key_may_hold_credential(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn basic_auth_filter_decodes() {
        // deploy:Vq7tR2mZx9LkP4sW
        assert!(ValueFilter::BasicAuth.accepts(b"ZGVwbG95OlZxN3RSMm1aeDlMa1A0c1c=", None));
        // user:changeme
        assert!(!ValueFilter::BasicAuth.accepts(b"dXNlcjpjaGFuZ2VtZQ==", None));
        // not base64 of user:password
        assert!(!ValueFilter::BasicAuth.accepts(b"bm9jb2xvbmhlcmU=", None));
    }

    /// printf verbs make a template, not a key: unless the rest is a random token (a Django
    /// key holds `%v=` by chance).
    #[test]
    fn format_verbs_make_templates_unless_the_rest_is_random() {
        for template in [
            "%s",
            "Bearer %s",
            "postgres://%s:%s@%s/db",
            "token=%s&expires=%d",
            "api-key-%v",
            "postgres://%s:%s@%s:%d/%s?sslmode=disable",
        ] {
            assert!(is_reference(template.as_bytes()), "{template}");
        }
        let django = b"%v=cx)ny-tghsw37shi=ft3ex4=75i=)-ypr3&wc%buk*r90zz";
        assert!(!is_reference(django));
        assert!(ValueFilter::Credential.accepts(django, Some(b"master_key")));
        // A verb inside a word is no verb.
        assert!(!is_format_template(b"n%sample"));
    }

    /// Where no code is written (URL userinfo), a dotted value is a password; under a
    /// password name in source it may be an expression.
    #[test]
    fn dotted_values_are_passwords_where_no_code_is_written() {
        for v in ["teB.VsFuHYHwedHY", "THRiivFqv.YDR.ji"] {
            assert!(ValueFilter::Userinfo.accepts(v.as_bytes(), None), "{v}");
            assert!(!ValueFilter::Password.accepts(v.as_bytes(), None), "{v}");
        }
        assert!(!ValueFilter::Password.accepts(b"settings.dbPassword", None));
        assert!(!ValueFilter::Userinfo.accepts(b"changeme", None));
        assert!(!ValueFilter::Userinfo.accepts(b"${DB_PASS}", None));
        // A random dotted part is no name: a Vault batch token's shape is a token.
        assert!(is_token(b"hvb.Z0sAElFwggUnH7b4PzzBURjk"));
        assert!(!is_token(b"rsa.PrivateKey.load_pkcs1"));
    }

    /// A format rule's short hex floor misses few random tokens of any length it covers
    /// (0.3 % by design; 1 % allowed for the draw), and none of its length's runs.
    #[test]
    fn short_hex_floor_keeps_random_tokens() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in 12..32 {
            let draws = 4000;
            let missed = (0..draws)
                .filter(|_| {
                    let token: Vec<u8> = (0..len)
                        .map(|_| b"0123456789abcdef"[(next() % 16) as usize])
                        .collect();
                    crate::rules::entropy(&token) < format_entropy_floor(3.5, &token)
                })
                .count();
            assert!(
                missed * 100 < draws,
                "{len} digits: {missed} of {draws} missed"
            );
        }
        assert!(
            crate::rules::entropy(b"aaaaaaaaaaaaaaaaaaaa")
                < format_entropy_floor(3.5, b"aaaaaaaaaaaaaaaaaaaa")
        );
    }

    /// 20-31 hex digits pass as a token under an API key's name, not under any `...Key`.
    #[test]
    fn short_hex_is_a_token_under_an_api_key_name() {
        let hex24 = b"a2fa94e9f32eeaa5407fdc14";
        for key in [
            &b"EXCHANGERATEAPI_API_KEY"[..],
            b"apiKey",
            b"apikey",
            b"SECRET_KEY",
            b"access_key",
            b"FLIGHTAPI_AUTH_KEY",
            b"apiToken",
            b"ZORBLAT_ACCESS_TOKEN",
        ] {
            assert!(ValueFilter::Token.accepts(hex24, Some(key)), "{key:?}");
        }
        for key in [
            &b"UsagePlanKey"[..],
            b"partition_key",
            b"api_key_id",
            b"key",
            b"nextPageToken",
            b"csrf_token",
        ] {
            assert!(!ValueFilter::Token.accepts(hex24, Some(key)), "{key:?}");
        }
    }

    /// `id` makes a key an identifier's only where no credential word follows it.
    #[test]
    fn id_names_an_identifier_only_at_the_end() {
        assert!(key_may_hold_credential(b"APPLE_ID_APP_SPECIFIC_PASSWORD"));
        assert!(key_may_hold_credential(b"appleIdPassword"));
        assert!(!key_may_hold_credential(b"token_id"));
        assert!(!key_may_hold_credential(b"passwordId"));
        assert!(!key_may_hold_credential(b"secret_id_hash"));
    }

    #[test]
    fn android_resource_references_are_references() {
        for v in [
            "@string/api_key",
            "@android:string/ok",
            "@com.example:string/app_key",
        ] {
            assert!(is_reference(v.as_bytes()), "{v}");
        }
        for v in [
            "@home/Pass1word",
            "@string/",
            "@string/a b",
            "Xk9@string/abc",
        ] {
            assert!(!is_android_resource(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn versions_are_no_credentials() {
        for v in ["v1.2.3-beta4", "2.0.1", "1.4.0+build.7", "V10.22.3"] {
            assert!(is_version(v.as_bytes()), "{v}");
        }
        for v in ["1.2", "Zq8v2LmPx4Rt", "v1.2.x-Kq7!vR", "1..2.3"] {
            assert!(!is_version(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn short_random_keys_pass_under_credential_names_only() {
        let c = ValueFilter::Credential;
        let floor = |v: &str, k: &str| c.entropy_floor(3.5, v.as_bytes(), Some(k.as_bytes()));
        for (v, k) in [
            ("a8F2kL9qZx1", "auth_token"),
            ("x7Gk2Pq9Lm4", "apiKey"),
            ("Zq8v2LmPx4Rt", "API_KEY"),
            ("m9Kx2Qw7Lz4Vb", "client_secret"),
        ] {
            assert!(entropy(v.as_bytes()) >= floor(v, k), "{k} = {v}");
        }
        for (v, k) in [
            // Names, not draws.
            ("refreshToken2", "auth_token"),
            ("Summer2024Abc", "api_key"),
            // One class, or no digit.
            ("a8f2kl9qzx1", "api_key"),
            ("aBcDeFgHiJk", "api_key"),
            // A name that is not a credential's alone.
            ("a8F2kL9qZx1", "token"),
            ("a8F2kL9qZx1", "cache_key"),
            // A word among the digits.
            ("K8sCluster01", "api_key"),
        ] {
            assert!(entropy(v.as_bytes()) < floor(v, k), "{k} = {v}");
        }
    }
}
