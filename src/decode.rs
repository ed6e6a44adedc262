//! Base64 values decoded and scanned by the same rules.
//!
//! Credentials are often stored base64-encoded where a reader expects them to be: the `data:`
//! entries of a Kubernetes Secret, a `.dockerconfigjson` and the `auth` fields of a Docker
//! config, an `Authorization: Basic` header. Those values (and only those: decoding every
//! base64-looking run of a source tree would cost time and find noise) are decoded, the text
//! is scanned by the rule set, and a hit becomes a finding on the encoded value, naming the
//! decoding. A decoded `.dockerconfigjson` holds `auth` fields of its own: decoding goes two
//! levels deep, no further.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::rules::RuleSet;

/// The largest encoded value decoded: 64 KiB (a Secret's PEM bundle is a few KiB; a larger
/// value is a binary blob, not configuration).
pub const MAX_ENCODED: usize = 64 << 10;

/// How many decodings are applied to one value (a Secret's `.dockerconfigjson` and its `auth`).
pub const MAX_DEPTH: u8 = 2;

/// The shortest encoded value worth decoding: 12 characters, 9 bytes (`user:pass` is shorter
/// than any credential the rules report).
const MIN_ENCODED: usize = 12;

/// What an inline context may hold before its value (`ENV_FILE_B64: &str = "`): a match of
/// [`inline_regex`] longer than [`MAX_ENCODED`] and this holds a value too long to decode.
const MAX_NAME: usize = 1024;

/// A rule's hit in a decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedHit {
    /// Index of the rule in its [`RuleSet`].
    pub rule: usize,
    /// Byte range of the encoded value in the scanned buffer.
    pub encoded: Range<usize>,
    /// How many base64 decodings led to the secret (1 or 2).
    pub depth: u8,
}

impl DecodedHit {
    /// The decoding as findings name it.
    pub fn decoding(&self) -> &'static str {
        if self.depth > 1 {
            "base64/base64"
        } else {
            "base64"
        }
    }
}

pub use crate::text::base64;

/// Decoded bytes that are text: UTF-8 without control characters other than tab and line
/// breaks (a binary value, such as a keystore, is not scanned).
fn is_text(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok()
        && b.iter()
            .all(|&c| c >= 0x20 && c != 0x7f || matches!(c, b'\t' | b'\n' | b'\r'))
}

/// A value to decode, with the key it is stored under when that key is context (a Secret's
/// `data:` entry).
struct Candidate {
    value: Range<usize>,
    key: Option<Range<usize>>,
    /// A SealedSecret's ciphertext: not decoded (it is binary), and a generic rule's match on
    /// it is no finding.
    encrypted: bool,
}

/// Values found inline wherever they occur: `Basic <b64>`, `"auth": "<b64>"`,
/// `.dockerconfigjson: <b64>`, and a value assigned to a name that declares it base64
/// (`CONFIG_BASE64=<b64>`, `"envFileB64": "<b64>"`, `<add key="CertBase64" value="<b64>"/>`,
/// `--config-base64 <b64>`): CI systems take files (a `.env`, a service-account key) that
/// way, and the name says what the value is as a Secret's `data:` does. 24 characters at
/// least (18 bytes: shorter is a single value, which the rules see as written).
fn inline_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r#"(?:[Bb]asic|BASIC)[ \t]+([A-Za-z0-9+/]{12,}={0,2})"#,
            r#"|\\?"auth\\?"[ \t]*:[ \t]*\\?"([A-Za-z0-9+/]{12,}={0,2})\\?""#,
            r#"|\.dockerconfigjson\\?["']?[ \t]*:[ \t]*\\?["']?([A-Za-z0-9+/]{12,}={0,2})"#,
            // A typed constant declares its type between name and value (Rust's
            // `ENV_FILE_B64: &str = "..."`, TypeScript's `b64: string =`).
            r#"|(?i:base64|b64)[A-Za-z0-9_.-]{0,30}(?:\\?["'\]>]){0,2}(?:[ \t]*:[ \t]*(?:&(?:'static[ \t]+)?str|String|string))?[ \t]*(?:::=|:=|\?=|\+=|=>|=|:|,|[ \t]value[ \t]*=)?[ \t]*(?:\\?["'])?([A-Za-z0-9+/]{24,}={0,2})(?:[^A-Za-z0-9+/=]|$)"#,
            // A name/value pair (a Kubernetes container's `env:` list, an ECS task's
            // `environment`): the name says base64, its `value` follows on the next line or
            // as the next JSON member.
            r#"|(?i:base64|b64)[A-Za-z0-9_.-]{0,30}\\?["']?[ \t]*,?[ \t]*\r?\n?[ \t]*\\?["']?value\\?["']?[ \t]*:[ \t]*\\?["']?([A-Za-z0-9+/]{24,}={0,2})(?:[^A-Za-z0-9+/=]|$)"#,
            // Docker's `auth` as an XML element (`<dockerAuth>`, `<registryAuth>`). It starts
            // at the literal: with the element's `<` first, every `<` of source code was a
            // place to try, and a full-history scan of rust-lang/cargo took 35 % more CPU.
            r#"|(?:auth|Auth|AUTH)>[ \t]*([A-Za-z0-9+/]{12,}={0,2})[ \t]*</"#,
        ))
        .expect("inline base64 contexts compile")
    })
}

/// A `data:` entry of a Secret in YAML (`  password: cGFzcw==`) or JSON (`"password": "..."`).
fn entry_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"^[ \t]+["']?([A-Za-z0-9_.-]{1,253})["']?[ \t]*:[ \t]*["']?([A-Za-z0-9+/]{4,}={0,2})["']?[ \t]*,?[ \t]*\r?$"#,
        )
        .expect("Secret data entries compile")
    })
}

/// Whether `buf` is (or holds) a Bitnami SealedSecret: its `spec.encryptedData` values are
/// ciphertext for the controller's key (the sealed-secrets README: "encrypted data ... safe
/// to store in Git"), base64 as a Secret's are but never plain text once decoded.
fn is_sealed_manifest(buf: &[u8]) -> bool {
    holds_kind(buf, "SealedSecret")
}

/// Whether `buf` is (or holds) a Kubernetes Secret manifest.
fn is_secret_manifest(buf: &[u8]) -> bool {
    holds_kind(buf, "Secret")
}

/// Whether `buf` declares `kind` in YAML (`kind: K`, `kind: "K"`) or JSON (`"kind": "K"`).
/// One pass over the places `kind` occurs: a search of each of the four spellings over every
/// buffer with `Secret` in it was 2.6 % of the instructions of a scan of cargo's history.
fn holds_kind(buf: &[u8], kind: &str) -> bool {
    let kind = kind.as_bytes();
    let quoted_at = |rest: &[u8]| {
        rest.strip_prefix(b"\"")
            .and_then(|r| r.strip_prefix(kind))
            .is_some_and(|r| r.starts_with(b"\""))
    };
    memchr::memmem::find_iter(buf, b"kind").any(|at| {
        let rest = &buf[at + 4..];
        match rest.strip_prefix(b": ") {
            // `kind: K` (which `kind: "K"` is a case of, `K` quoted).
            Some(r) => r.starts_with(kind) || quoted_at(r),
            // `"kind": "K"` and `"kind":"K"`.
            None => {
                at > 0
                    && buf[at - 1] == b'"'
                    && (rest.strip_prefix(b"\": ").is_some_and(quoted_at)
                        || rest.strip_prefix(b"\":").is_some_and(quoted_at))
            }
        }
    })
}

/// What `buf` may hold, from one pass over the words every context needs (a history scan
/// pays one pass per blob, not one per word): `(inline, manifest)`, where `inline` says that a
/// `Basic`, `"auth"` or `.dockerconfigjson` may be there (the regex that finds them takes
/// 0.5 ms to build: a hook whose files hold none builds nothing) and `manifest` that a
/// Secret's or a SealedSecret's `kind` may be.
fn may_hold(buf: &[u8]) -> (bool, bool) {
    static SEARCHER: OnceLock<Option<aho_corasick::packed::Searcher>> = OnceLock::new();
    let Some(searcher) =
        SEARCHER.get_or_init(|| aho_corasick::packed::Searcher::new(NEEDLES.iter()))
    else {
        return (true, true);
    };
    let (mut inline, mut manifest) = (false, false);
    for m in searcher.find_iter(buf) {
        if m.pattern().as_usize() == 0 {
            manifest = true;
        } else {
            inline = true;
        }
        if inline && manifest {
            break;
        }
    }
    (inline, manifest)
}

/// [`NEEDLES`]: the Secret manifest's first, then inline base64's.
const NEEDLES: &[&[u8]] = &[
    b"Secret",
    b"asic",
    b"ASIC",
    b"auth\"",
    b"auth\\\"",
    b"auth>",
    b"Auth>",
    b"AUTH>",
    b"dockerconfigjson",
    b"ase64",
    b"ASE64",
    b"b64",
    b"B64",
];

/// The literals of [`may_hold`], for a literal gate that finds them on its way: those that
/// say inline base64 values may be there, and those that say a Secret manifest may.
pub(crate) fn needles() -> (&'static [Vec<u8>], &'static [Vec<u8>]) {
    type Lists = (Vec<Vec<u8>>, Vec<Vec<u8>>);
    static LISTS: OnceLock<Lists> = OnceLock::new();
    let (inline, manifest) = LISTS.get_or_init(|| {
        (
            NEEDLES[1..].iter().map(|n| n.to_vec()).collect(),
            vec![NEEDLES[0].to_vec()],
        )
    });
    (inline, manifest)
}

/// What a literal gate found of decoding's needles in a buffer: the lines (in order, without their
/// line breaks) holding one of inline base64's, and whether a manifest's occurs.
#[derive(Clone, Copy, Debug)]
pub struct Hint<'a> {
    pub inline_lines: &'a [Range<usize>],
    pub manifest: bool,
}

/// Where [`inline_regex`] can match in `buf`, given the lines holding its needles: each such
/// line and the next (a name/value pair puts its value there), merged where they touch.
/// Every match starts on a needle's line, at most two bytes before the needle, and ends at
/// the next line's end at the latest; a window ends at a line's end, where the regex's `$`
/// matches as its class matches the line break in the whole buffer. (Searched whole, the
/// buffers of cargo's history that hold `basic` somewhere took 4 % of its instructions.)
fn windows(buf: &[u8], lines: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for line in lines {
        let end = if line.end < buf.len() {
            memchr::memchr(b'\n', &buf[line.end + 1..]).map_or(buf.len(), |i| line.end + 1 + i)
        } else {
            buf.len()
        };
        match out.last_mut() {
            Some(last) if line.start <= last.end + 1 => last.end = last.end.max(end),
            _ => out.push(line.start..end),
        }
    }
    out
}

/// The values worth decoding in `buf`; `hint` is what a literal gate found of [`NEEDLES`]
/// (see [`may_hold`]), when one searched `buf`.
fn candidates(buf: &[u8], hint: Option<Hint<'_>>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let (places, manifest): (Vec<Range<usize>>, bool) = match hint {
        Some(h) => (windows(buf, h.inline_lines), h.manifest),
        None => {
            let (inline, manifest) = may_hold(buf);
            let whole = std::iter::once(0..buf.len()).filter(|_| inline);
            (whole.collect(), manifest)
        }
    };
    for place in places {
        let re = inline_regex();
        let (at, buf) = (place.start, &buf[place]);
        for m in re.find_iter(buf) {
            // A match longer than any value decoded holds a value too long to decode (the
            // name before it is a few dozen characters). Its groups are not looked for: the
            // capture search of one match runs the PikeVM over all of it, and the embedded
            // fonts of a 790 KB stylesheet (`;base64,` and 700 KB) took 60 ms each, 555 ms
            // of the 7.3 s of CPU of a full-history scan of rust-lang/cargo.
            if m.len() > MAX_ENCODED + MAX_NAME {
                continue;
            }
            // The one alternative that matched holds the value: its group is the first set.
            // From the match's start the search finds the same match, and the groups are
            // looked for within it.
            if let Some(v) = re
                .captures_at(buf, m.start())
                .and_then(|caps| caps.iter().skip(1).flatten().next())
            {
                out.push(Candidate {
                    value: at + v.start()..at + v.end(),
                    key: None,
                    encrypted: false,
                });
            }
        }
    }
    if manifest && is_secret_manifest(buf) {
        block_entries(buf, &[b"data:", b"\"data\":"], false, &mut out);
    }
    if manifest && is_sealed_manifest(buf) {
        block_entries(
            buf,
            &[b"encryptedData:", b"\"encryptedData\":"],
            true,
            &mut out,
        );
    }
    out
}

/// The entries of each block that starts with one of `headers` (`data:`; YAML: the lines
/// indented deeper than the header; JSON: the lines up to the closing brace).
fn block_entries(buf: &[u8], headers: &[&[u8]], encrypted: bool, out: &mut Vec<Candidate>) {
    let mut block: Option<usize> = None;
    let mut at = 0;
    for line in buf.split(|&b| b == b'\n') {
        let start = at;
        at += line.len() + 1;
        let indent = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let body = line[indent..].trim_ascii_end();
        // `stringData` holds plain text, which the rules see directly.
        if body.starts_with(b"stringData:") || body.starts_with(b"\"stringData\":") {
            block = None;
            continue;
        }
        if headers.iter().any(|h| body.starts_with(h)) {
            block = Some(indent);
            continue;
        }
        let Some(block_indent) = block else { continue };
        if body.is_empty() {
            continue;
        }
        if indent <= block_indent || body.starts_with(b"}") {
            block = None;
            continue;
        }
        if let Some(caps) = entry_regex().captures(line)
            && let (Some(k), Some(v)) = (caps.get(1), caps.get(2))
        {
            out.push(Candidate {
                value: start + v.start()..start + v.end(),
                key: Some(start + k.start()..start + k.end()),
                encrypted,
            });
        }
    }
}

/// The text the rules scan for one decoded value: `key = "value"` when the value is one line
/// and stored under a key (so that the generic assignment rules see the key's name), else the
/// decoded text itself.
fn scan_text(key: Option<&[u8]>, decoded: &[u8]) -> Vec<u8> {
    match key {
        Some(k) if !decoded.contains(&b'\n') && !decoded.contains(&b'"') => {
            let mut t = Vec::with_capacity(k.len() + decoded.len() + 6);
            t.extend_from_slice(k);
            t.extend_from_slice(b" = \"");
            t.extend_from_slice(decoded);
            t.extend_from_slice(b"\"\n");
            t
        }
        _ => decoded.to_vec(),
    }
}

/// What the decoding of one buffer found.
#[derive(Debug, Default)]
pub struct Decoded {
    /// One hit per encoded value in which a rule matched once decoded: a provider's rule
    /// (one without a value filter) before a generic one, then the first rule.
    pub hits: Vec<DecodedHit>,
    /// The values of Secret `data:` entries: encoded by definition, so that a generic
    /// assignment rule matching one as written reports base64, not a credential; the decoded
    /// scan speaks for them. Also a SealedSecret's `encryptedData:` values: ciphertext.
    pub entries: Vec<Range<usize>>,
}

/// Every rule hit in the base64 values of `buf` that the rules would find once decoded, for a
/// file at `path`.
pub fn scan(rules: &RuleSet, buf: &[u8], path: Option<&[u8]>, hint: Option<Hint<'_>>) -> Decoded {
    let mut found = Decoded::default();
    for c in candidates(buf, hint) {
        let key = c.key.clone().map(|k| &buf[k]);
        if c.key.is_some() {
            found.entries.push(c.value.clone());
        }
        if c.encrypted {
            continue;
        }
        let encoded = &buf[c.value.clone()];
        decode_into(rules, encoded, key, path, &c.value, 1, &mut found.hits);
    }
    let generic = |h: &DecodedHit| rules.rules()[h.rule].has_value_filter();
    found
        .hits
        .sort_by_key(|h| (h.encoded.start, h.encoded.end, generic(h), h.rule));
    found
        .hits
        .dedup_by(|later, first| later.encoded == first.encoded);
    found
}

/// Call `f` with bytes that hold every text [`scan`] may give the rules for `buf`, for a hook
/// that must know before it loads the rules which words its text holds: each run of base64
/// characters long enough to be a value, decoded from each of its first four characters (a
/// value is a run or the end of one, so its decoding is the end of one of these), and these
/// decoded again, to the same depth. Each is handed over and dropped: an 8 MiB commit of
/// nested base64 would otherwise hold tens of MB at once. No regex: the one that finds the
/// values took 3 M instructions to build, on the path that decides when a hook's rules load.
pub fn each_text(buf: &[u8], f: &mut impl FnMut(&[u8])) {
    fn into(buf: &[u8], depth: u8, f: &mut impl FnMut(&[u8])) {
        let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/');
        for run in buf.split(|b| !is_b64(b)) {
            // A value may follow up to 30 characters of its name in the same run.
            if run.len() < MIN_ENCODED || run.len() > MAX_ENCODED + 64 {
                continue;
            }
            for from in 0..4 {
                let rest = &run[from..];
                // Whole quanta and a last partial one of 2 or 3 characters: what decodes.
                let end = rest.len() - usize::from(rest.len() % 4 == 1);
                let Some(decoded) = base64(&rest[..end]) else {
                    continue;
                };
                if depth < MAX_DEPTH {
                    into(&decoded, depth + 1, f);
                }
                f(&decoded);
            }
        }
    }
    into(buf, 1, f);
}

/// `encoded` decoded, when it is of a length worth decoding and decodes to text.
fn decoded_text(encoded: &[u8]) -> Option<Vec<u8>> {
    if encoded.len() < MIN_ENCODED || encoded.len() > MAX_ENCODED {
        return None;
    }
    base64(encoded).filter(|d| is_text(d))
}

fn decode_into(
    rules: &RuleSet,
    encoded: &[u8],
    key: Option<&[u8]>,
    path: Option<&[u8]>,
    outer: &Range<usize>,
    depth: u8,
    hits: &mut Vec<DecodedHit>,
) {
    let Some(decoded) = decoded_text(encoded) else {
        return;
    };
    let text = scan_text(key, &decoded);
    for hit in rules.scan(&text, path) {
        hits.push(DecodedHit {
            rule: hit.rule,
            encoded: outer.clone(),
            depth,
        });
    }
    if depth < MAX_DEPTH {
        for c in candidates(&decoded, None)
            .into_iter()
            .filter(|c| !c.encrypted)
        {
            let key = c.key.map(|k| &decoded[k]);
            decode_into(rules, &decoded[c.value], key, path, outer, depth + 1, hits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in s.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// Searching only the windows of the needles' lines finds the candidates a search of the
    /// whole buffer finds: a value on the needle's line, at a buffer's end without a line
    /// break, after a name on the line before, next to needles on adjacent lines (fails if a
    /// window cuts a match, or starts or ends where the whole search would not).
    #[test]
    fn needle_windows_find_what_the_whole_buffer_holds() {
        let texts = [
            "x\nAuthorization: Basic dXNlcjpwYXNzd29yZDEyMzQ=\ny\n",
            "Authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ=",
            "- name: CONFIG_B64\n  value: eyJhcGlLZXkiOiAic2VjcmV0LXZhbHVlLTEyMzQ1In0=\nz\n",
            "{\"auth\": \"dXNlcjpwYXNzd29yZDEyMzQ=\"}\nbasic\nENV_BASE64=ZXhwb3J0IEFQSV9LRVk9c2VjcmV0MTIzNDU2Nzg5MA==\n",
            "a\n<dockerAuth>dXNlcjpwYXNzd29yZDEyMzQ=</dockerAuth>\n.dockerconfigjson: eyJhdXRocyI6eyJyZWciOnt9fX0=",
            "no needle here dXNlcjpwYXNzd29yZDEyMzQ=\n",
        ];
        let (inline, _) = needles();
        let mut found = 0;
        for text in texts {
            let buf = text.as_bytes();
            let mut lines = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', buf).chain([buf.len()]) {
                if start <= end
                    && inline
                        .iter()
                        .any(|n| buf[start..end].windows(n.len()).any(|w| w == n.as_slice()))
                {
                    lines.push(start..end);
                }
                start = end + 1;
            }
            let values = |c: Vec<Candidate>| c.into_iter().map(|c| c.value).collect::<Vec<_>>();
            let whole = values(candidates(buf, None));
            let hint = Hint {
                inline_lines: &lines,
                manifest: false,
            };
            assert_eq!(values(candidates(buf, Some(hint))), whole, "{text:?}");
            found += whole.len();
        }
        assert_eq!(found, 7);
    }

    /// A manifest's kind is read in each of its four spellings and nowhere else: what a
    /// search for each spelling finds (fails if a spelling is missed, or a near miss taken).
    #[test]
    fn a_manifest_s_kind_is_read_in_each_spelling() {
        let naive = |buf: &str, kind: &str| {
            [
                format!("kind: {kind}"),
                format!("kind: \"{kind}\""),
                format!("\"kind\": \"{kind}\""),
                format!("\"kind\":\"{kind}\""),
            ]
            .iter()
            .any(|k| buf.contains(k.as_str()))
        };
        let texts = [
            "kind: Secret\n",
            "apiVersion: v1\nkind: \"Secret\"\n",
            "{\"kind\": \"Secret\", \"data\": {}}",
            "{\"kind\":\"Secret\"}",
            "kind: SecretProviderClass\n",
            "kind: \"Secret\n",
            "\"kind\": \"Secret",
            "kind:Secret\n",
            "kind: ConfigMap # a Secret elsewhere\n",
            "the kind of Secret\n",
            "kind",
            "\"kind\": Secret\n",
            "kind: SealedSecret\n",
            "{\"kind\":\"SealedSecret\"}",
        ];
        let mut found = 0;
        for text in texts {
            for kind in ["Secret", "SealedSecret"] {
                let want = naive(text, kind);
                assert_eq!(holds_kind(text.as_bytes(), kind), want, "{text:?} {kind}");
                found += usize::from(want);
            }
        }
        assert_eq!(found, 7);
    }

    #[test]
    fn base64_round_trips_and_rejects_junk() {
        for s in [&b"user:pass"[..], b"a", b"ab", b"abc", b"\x00\xff\x10"] {
            assert_eq!(base64(b64(s).as_bytes()).as_deref(), Some(s));
        }
        assert_eq!(base64(b"dXNlcjpwYXNz").as_deref(), Some(&b"user:pass"[..]));
        assert_eq!(base64(b"YQ").as_deref(), Some(&b"a"[..]));
        assert!(base64(b"abc$").is_none());
        assert!(base64(b"a=b=").is_none());
        assert!(base64(b"abcde").is_none());
    }

    fn rules() -> RuleSet {
        RuleSet::builtin("common").unwrap().unwrap()
    }

    fn rule_ids(set: &RuleSet, buf: &str) -> Vec<(String, String, &'static str)> {
        scan(set, buf.as_bytes(), Some(b"k8s/secret.yaml"), None)
            .hits
            .into_iter()
            .map(|h| {
                (
                    set.rules()[h.rule].id.clone(),
                    buf[h.encoded.clone()].to_string(),
                    h.decoding(),
                )
            })
            .collect()
    }

    #[test]
    fn secret_data_entries_are_decoded_with_their_keys() {
        let set = rules();
        let pw = b64(b"Zr8Kq2Lm7Vx4Np!w");
        let manifest = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  DB_PASSWORD: {pw}\n  username: {}\n",
            b64(b"billing_rw")
        );
        let found = rule_ids(&set, &manifest);
        assert!(
            found.iter().any(|(_, enc, d)| *enc == pw && *d == "base64"),
            "{found:?}"
        );
        // A placeholder, encoded, stays quiet.
        let quiet = manifest.replace(&pw, &b64(b"changeme"));
        assert_eq!(rule_ids(&set, &quiet), vec![]);
        // The same entry outside a Secret manifest (a ConfigMap's binaryData) is not decoded.
        let cm = manifest.replace("kind: Secret", "kind: ConfigMap");
        assert_eq!(rule_ids(&set, &cm), vec![]);
    }

    #[test]
    fn dockerconfigjson_is_decoded_two_levels_deep() {
        let set = rules();
        // A GitLab token as the registry password: found in the decoded `auth` of the decoded
        // `.dockerconfigjson`.
        let auth = b64(b"ci:glpat-Vq7tR2mZx9LkP4sWbN3c");
        let config = format!(r#"{{"auths":{{"registry.acme.io":{{"auth":"{auth}"}}}}}}"#);
        let manifest = format!(
            "kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {}\n",
            b64(config.as_bytes())
        );
        let found = rule_ids(&set, &manifest);
        assert!(
            found.iter().any(|(_, _, d)| *d == "base64/base64"),
            "{found:?}"
        );
    }

    #[test]
    fn docker_auth_in_an_xml_element_is_decoded() {
        let set = rules();
        let auth = b64(b"ci:glpat-Vq7tR2mZx9LkP4sWbN3c");
        let found = rule_ids(&set, &format!("<dockerAuth>{auth}</dockerAuth>\n"));
        assert!(
            found
                .iter()
                .any(|(_, enc, d)| *enc == auth && *d == "base64"),
            "{found:?}"
        );
        // Another element's base64 is not decoded.
        assert_eq!(
            rule_ids(&set, &format!("<payload>{auth}</payload>\n")),
            vec![]
        );
    }

    #[test]
    fn values_under_a_base64_name_are_decoded() {
        let set = rules();
        let env = b64(b"APP_ENV=production\nDB_PASSWORD=Zr8Kq2Lm7Vx4Np!w\nPORT=8080\n");
        for line in [
            format!("CONFIG_BASE64={env}\n"),
            format!("  - DOTENV_B64={env}\n"),
            format!("{{\"envFileB64\":\"{env}\"}}\n"),
            format!("<add key=\"SettingsBase64\" value=\"{env}\" />\n"),
            format!("    args: [\"--config-base64\", \"{env}\"]\n"),
            format!("os.environ[\"CONFIG_BASE64\"] = \"{env}\"\n"),
            format!("        - name: ENV_FILE_B64\n          value: \"{env}\"\n"),
            format!("  {{ \"name\": \"DOTENV_BASE64\", \"value\": \"{env}\" }},\n"),
            format!("pub const ENV_FILE_B64: &str = \"{env}\";\n"),
            format!("static CONFIG_BASE64: &'static str = \"{env}\";\n"),
            format!("const envB64: string = \"{env}\";\n"),
            // A Makefile's conditional assignment (seed 233 of `scripts/quality`).
            format!("DOTENV_B64 ?= {env}\n"),
        ] {
            let found = rule_ids(&set, &line);
            assert!(
                found
                    .iter()
                    .any(|(_, enc, d)| *enc == env && *d == "base64"),
                "{line}: {found:?}"
            );
        }
        // Without a name that says base64, the value is not decoded.
        assert_eq!(rule_ids(&set, &format!("CONFIG={env}\n")), vec![]);
        assert_eq!(
            rule_ids(&set, &format!("- name: ENV_FILE\n  value: \"{env}\"\n")),
            vec![]
        );
        // A placeholder, encoded, stays quiet; so does a binary value (an image).
        let quiet = b64(b"APP_ENV=production\nDB_PASSWORD=changeme\n");
        assert_eq!(rule_ids(&set, &format!("CONFIG_BASE64={quiet}\n")), vec![]);
        let png = b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR password = \"Zr8Kq2Lm7Vx4Np!w\"");
        assert_eq!(
            rule_ids(&set, &format!("url(\"data:image/png;base64,{png}\")\n")),
            vec![]
        );
    }

    #[test]
    fn oversized_and_binary_values_are_not_decoded() {
        let set = rules();
        let big =
            b64(format!("password = \"Zr8Kq2Lm7Vx4Np!w\"{}", " ".repeat(MAX_ENCODED)).as_bytes());
        assert_eq!(
            rule_ids(&set, &format!("Authorization: Basic {big}\n")),
            vec![]
        );
        let bin = b64(b"\x00\x01password = \"Zr8Kq2Lm7Vx4Np!w\"");
        assert_eq!(
            rule_ids(&set, &format!("Authorization: Basic {bin}\n")),
            vec![]
        );
        let ok = b64(b"password = \"Zr8Kq2Lm7Vx4Np!w\"");
        assert_eq!(
            rule_ids(&set, &format!("Authorization: Basic {ok}\n")).len(),
            1
        );
    }

    #[test]
    fn the_texts_a_hook_learns_hold_what_the_scan_decodes() {
        let plain = b"APP_ENV=production\nDB_PASSWORD=Zr8Kq2Lm7Vx4Np!w\nPORT=8080\n";
        let env = b64(plain);
        let twice = b64(format!("CONFIG_B64={env}\n").as_bytes());
        let texts = |buf: &[u8]| {
            let mut all: Vec<Vec<u8>> = Vec::new();
            each_text(buf, &mut |t| all.push(t.to_vec()));
            all
        };
        let holds = |line: &str, want: &[u8]| {
            texts(line.as_bytes())
                .iter()
                .any(|t| t.windows(want.len()).any(|w| w == want))
        };
        for line in [
            format!("CONFIG_BASE64={env}\n"),
            format!("{{\"envFileB64\":\"{env}\"}}\n"),
            format!("Authorization: Basic {env}\n"),
            // A value glued to its name: the scan decodes the run's end.
            format!("xenvb64{env}\n"),
            format!("kind: Secret\ndata:\n  config: {env}\n"),
        ] {
            assert!(holds(&line, b"DB_PASSWORD=Zr8Kq2Lm7Vx4Np!w"), "{line}");
        }
        // Two decodings deep, as the scan goes.
        assert!(holds(
            &format!("SETTINGS_BASE64={twice}\n"),
            b"DB_PASSWORD=Zr8Kq2Lm7Vx4Np!w"
        ));
        assert!(texts(b"int main(void) { return 0; }\n").is_empty());
    }

    #[test]
    fn a_font_embedded_in_a_stylesheet_is_no_candidate_and_hides_nothing_after_it() {
        // A stylesheet's embedded font: `;base64,` and 700 KB (cargo's history holds such a
        // 790 KB file in nine versions).
        let font = "AAEAAAASAQAABAAgR0RFRgBKAAQAA".repeat(700 << 10 >> 5);
        let env = b64(b"APP_ENV=production\nDB_PASSWORD=Zr8Kq2Lm7Vx4Np!w\n");
        let sheet = format!(
            "@font-face {{\n  src: url(data:font/woff2;base64,{font}) format(\"woff2\");\n}}\n\
             /* CONFIG_BASE64={env} */\n"
        );
        let found: Vec<&[u8]> = candidates(sheet.as_bytes(), None)
            .into_iter()
            .map(|c| &sheet.as_bytes()[c.value])
            .collect();
        assert_eq!(found, vec![env.as_bytes()]);
        // A value as long as any decoded is still a candidate.
        let longest = "QUJD".repeat(MAX_ENCODED / 4);
        let line = format!("CONFIG_BASE64={longest}\n");
        assert_eq!(candidates(line.as_bytes(), None).len(), 1);
    }
}
