//! Rule families: one tested pattern template, many providers.
//!
//! Hundreds of providers issue tokens with no distinctive prefix (32 hex digits, 40 base62
//! characters, a UUID): such a token is only recognisable by the name it is assigned to. A
//! `[[family]]` table writes that context pattern once, and each `[[family.provider]]` entry
//! (an id, the provider's name, the words its variables contain, the token's alphabet and
//! length) expands at load time into an ordinary rule with its own id, keywords, examples and
//! negative examples, which the test suite runs like any other rule's.
//!
//! Placeholders of the family's templates:
//! - `pattern`: `{keywords}` (the provider's keywords, escaped, as an alternation),
//!   `{keyname}` (a name holding a keyword then one of the family's `credential_words`, or
//!   a keyword that ends in one after `_`, `-` or `.`, such as `expo_token`), `{secret}`
//!   (the token: the provider's `secret` regex, or one built from `alphabet` and `length`),
//!   `{end}` (what may follow the token: a character outside its alphabet, or the line's end).
//! - `description`: `{name}`.
//! - `examples`, `negative_examples`: `{name}`, `{keyword}` (the first keyword), `{KEYWORD}`
//!   (upper-cased, `-`/`.`/space as `_`), `{value}` (a well-formed fake token: the
//!   provider's `value`, or one generated from its alphabet and length with a fixed seed),
//!   `{low}` (a token of the right shape and no entropy) and `{short}` (one character too
//!   short; half the token when it is given as a `secret` regex).

use serde::Deserialize;

use super::presence::Presence;
use super::{AllowedSpec, Confidence, RuleSpec, SeveritySpec};

use super::template::{GENERIC_END, provider_line, substitute};

/// [`crate::literals::can_span_lines`] of a provider's `{end}`: one of the two ends a family
/// writes (an alphabet's, or [`GENERIC_END`] after a `secret` regex), each parsed once.
fn end_spans(end: &'static str) -> bool {
    static SPANS: std::sync::LazyLock<Vec<(&'static str, bool)>> = std::sync::LazyLock::new(|| {
        [GENERIC_END, Alphabet::Base64.end()]
            .into_iter()
            .map(|e| (e, crate::literals::can_span_lines(e)))
            .collect()
    });
    SPANS
        .iter()
        .find(|(e, _)| *e == end)
        .map_or_else(|| crate::literals::can_span_lines(end), |(_, s)| *s)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FamilySpec {
    /// Names the family in errors.
    pub(crate) id: String,
    pub(crate) description: String,
    pub(crate) pattern: String,
    /// Words of which a credential's name holds one (`key`, `token`...), for `{keyname}`.
    #[serde(default)]
    pub(crate) credential_words: Vec<String>,
    /// A regex on the secret for values that are never tokens (placeholders, sequences):
    /// an allowlist entry for the family's rules.
    pub(crate) not_secret: Option<String>,
    pub(crate) secret_group: Option<usize>,
    pub(crate) min_entropy: Option<f64>,
    /// A value filter for every provider's rule (see [`crate::filters::ValueFilter`]): a
    /// family whose names need no credential word judges its tokens as tokens.
    pub(crate) filter: Option<crate::filters::ValueFilter>,
    pub(crate) severity: Option<SeveritySpec>,
    #[serde(default)]
    pub(crate) confidence: Confidence,
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    #[serde(default)]
    pub(crate) negative_examples: Vec<String>,
    #[serde(default, rename = "provider")]
    pub(crate) providers: Vec<ProviderSpec>,
    /// The same as `provider` tables, one a line (see [`parse_provider_line`]): a TOML table
    /// per provider cost ~4 ms of every hook's start-up for the packs' ~950 providers.
    #[serde(default)]
    pub(crate) providers_text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProviderSpec {
    /// The expanded rule's id.
    pub(crate) id: String,
    pub(crate) name: String,
    /// Words one of which the variable, key or header name contains (case-insensitive); by
    /// default the `prefix`.
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    /// Literal text the token starts with (before its `alphabet` and `length`).
    pub(crate) prefix: Option<String>,
    pub(crate) alphabet: Option<Alphabet>,
    /// A fixed length, or `[min, max]`.
    pub(crate) length: Option<Length>,
    /// The token as a regex, instead of `alphabet` and `length` (then `value` is required).
    pub(crate) secret: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) min_entropy: Option<f64>,
    pub(crate) severity: Option<SeveritySpec>,
    #[serde(default)]
    pub(crate) references: Vec<String>,
    /// Added to the family's generated ones.
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    #[serde(default)]
    pub(crate) negative_examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub(crate) enum Length {
    Fixed(usize),
    Range([usize; 2]),
}

impl Length {
    fn bounds(self) -> (usize, usize) {
        match self {
            Length::Fixed(n) => (n, n),
            Length::Range([a, b]) => (a, b),
        }
    }
}

/// The character sets tokens are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Alphabet {
    /// `0-9a-f`, either case.
    Hex,
    /// `A-Za-z0-9`.
    Alnum,
    /// `a-z0-9`.
    LowerAlnum,
    /// `A-Z0-9`.
    UpperAlnum,
    /// `A-Za-z0-9_-`.
    Base64url,
    /// `A-Za-z0-9+/`, then up to two `=`.
    Base64,
    /// 8-4-4-4-12 hex digits (`length` is not used).
    Uuid,
}

impl Alphabet {
    fn chars(self) -> &'static [u8] {
        match self {
            Alphabet::Hex | Alphabet::Uuid => b"0123456789abcdef",
            Alphabet::Alnum => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            Alphabet::LowerAlnum => b"abcdefghijklmnopqrstuvwxyz0123456789",
            Alphabet::UpperAlnum => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            Alphabet::Base64url => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
            }
            Alphabet::Base64 => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        }
    }

    /// The token's regex (case-sensitive whatever the template's flags).
    fn regex(self, (min, max): (usize, usize)) -> String {
        let n = if min == max {
            format!("{{{min}}}")
        } else {
            format!("{{{min},{max}}}")
        };
        match self {
            Alphabet::Hex => format!("(?-i:[0-9a-fA-F]{n})"),
            Alphabet::Alnum => format!("(?-i:[A-Za-z0-9]{n})"),
            Alphabet::LowerAlnum => format!("(?-i:[a-z0-9]{n})"),
            Alphabet::UpperAlnum => format!("(?-i:[A-Z0-9]{n})"),
            Alphabet::Base64url => format!("(?-i:[A-Za-z0-9_-]{n})"),
            Alphabet::Base64 => format!("(?-i:[A-Za-z0-9+/]{n}={{0,2}})"),
            Alphabet::Uuid => {
                "(?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                    .into()
            }
        }
    }

    /// What may follow a token: a character that cannot continue it, or the line's end.
    fn end(self) -> &'static str {
        match self {
            Alphabet::Base64 => "(?:[^A-Za-z0-9+/=]|$)",
            _ => GENERIC_END,
        }
    }

    /// A fake token of `len` characters from a fixed seed (the same text on every load, so
    /// that a failing example can be found again).
    fn fake(self, len: usize, seed: u64) -> String {
        let mut state = seed;
        let chars = self.chars();
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let x = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
            chars[(x >> 33) as usize % chars.len()] as char
        };
        if self == Alphabet::Uuid {
            let mut s: String = (0..36)
                .map(|i| {
                    if [8, 13, 18, 23].contains(&i) {
                        '-'
                    } else {
                        next()
                    }
                })
                .collect();
            // Version 4, as most generated keys are.
            s.replace_range(14..15, "4");
            return s;
        }
        (0..len).map(|_| next()).collect()
    }

    /// A token of the right shape with (nearly) no entropy.
    fn low(self, len: usize) -> String {
        if self == Alphabet::Uuid {
            return "00000000-0000-0000-0000-000000000000".into();
        }
        let c = self.chars();
        (0..len).map(|i| c[i % 2] as char).collect()
    }
}

impl FamilySpec {
    /// What follows a keyword where one of the family's rules can match, as an anchor of the
    /// literal gate (tested where the keyword occurs): in a `{keyname}` family, the rest of a
    /// name and one of the `credential_words` (`[\w.-]*?(?:key|token|...)`, in any case). Each
    /// provider's `{keyname}` implies it when its keywords are `[\w.-]` words: a keyword is
    /// followed by `[\w.-]{0,30}?` and a credential word, or holds one itself. Without it
    /// every line naming a common word (`cloud`, `segment`, `join`) ran the rule's regex: 25
    /// context rules were searched over 32 times in a `--scan` of git/git's work tree.
    fn keyword_anchor(&self) -> Option<crate::anchor::LazyAnchor> {
        if !self.pattern.contains("{keyname}") || self.credential_words.is_empty() {
            return None;
        }
        let words = self
            .credential_words
            .iter()
            .map(|w| regex_syntax::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(&format!("(?i)[\\w.-]*?(?:{words})"))
            .ok()?;
        crate::anchor::LazyAnchor::new(hir)
    }

    /// The family's providers as ordinary rules (and the allowlist entry of its
    /// `not_secret`), or the first problem (rule id, message).
    pub(crate) fn expand(
        mut self,
        presence: Option<&Presence>,
    ) -> Result<(Vec<RuleSpec>, Option<AllowedSpec>), (String, String)> {
        // The providers given as tables are kept or dropped here, those given as lines as
        // each line is read, before it is parsed: each is judged once.
        if let Some(presence) = presence {
            self.providers.retain(|p| {
                presence.may_hold_any(p.keywords.iter().map(String::as_str), p.prefix.as_deref())
            });
        }
        if let Some(text) = self.providers_text.take() {
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if presence.is_some_and(|p| !line_may_match(p, line)) {
                    continue;
                }
                let p = parse_provider_line(line).map_err(|m| {
                    let id = line.split(" | ").next().unwrap_or("").to_string();
                    (
                        id,
                        format!("family '{}': providers_text line {}: {m}", self.id, n + 1),
                    )
                })?;
                self.providers.push(p);
            }
        }
        let mut out = Vec::with_capacity(self.providers.len());
        // Examples are written on first use (`--check-registry`, tests): writing ~10 per
        // provider at start-up cost every hook about a millisecond.
        let templates = std::sync::Arc::new((
            std::mem::take(&mut self.examples),
            std::mem::take(&mut self.negative_examples),
        ));
        // Whether every match holds one of a provider's keywords: the pattern spells them out,
        // or they are the token's prefix.
        let names_keywords =
            self.pattern.contains("{keyname}") || self.pattern.contains("{keywords}");
        let template: std::sync::Arc<str> = self.pattern.as_str().into();
        // Whether a provider's match can span lines is whether any atom of its pattern can
        // (`can_span_lines` looks at atoms, whatever encloses them): the template's, with the
        // placeholders as plain letters, decided once for the family, or the secret's or the
        // end's. Parsing each provider's whole pattern for it was 20 % of the instructions of a
        // `--scan` of git/git's work tree with both packs (617 M of 3.03 G).
        let template_spans = {
            let template = template.clone();
            std::sync::Arc::new(std::sync::LazyLock::new(move || {
                crate::literals::can_span_lines(&substitute(
                    &template,
                    &[
                        ("keyname", "k"),
                        ("keywords", "k"),
                        ("secret", "s"),
                        ("end", "e"),
                    ],
                ))
            }))
        };
        let keyword_anchor = self.keyword_anchor();
        let credential_words = std::sync::Arc::new(self.credential_words.clone());
        for mut p in std::mem::take(&mut self.providers) {
            let mut keywords_in_every_match = names_keywords;
            if p.keywords.is_empty()
                && let Some(prefix) = &p.prefix
            {
                p.keywords = vec![prefix.to_ascii_lowercase()];
                keywords_in_every_match =
                    keywords_in_every_match || self.pattern.contains("{secret}");
            }
            let fail = |m: &str| Err((p.id.clone(), format!("family '{}': {m}", self.id)));
            if p.keywords.is_empty() || p.keywords.iter().any(|k| k.trim().is_empty()) {
                return fail("a provider needs non-empty keywords");
            }
            let (secret, end, sample, secret_spans) = match (p.alphabet, p.secret, p.value) {
                (Some(a), None, value) => {
                    let bounds = match (a, p.length) {
                        (Alphabet::Uuid, _) => (36, 36),
                        (_, Some(l)) => l.bounds(),
                        (_, None) => return fail("alphabet needs a length"),
                    };
                    if bounds.0 < 8 || bounds.0 > bounds.1 {
                        return fail("length must be at least 8 and min <= max");
                    }
                    let prefix = p.prefix.clone().unwrap_or_default();
                    // An alphabet is one class without line breaks: the escaped prefix
                    // decides.
                    let spans = Some(prefix.contains('\n'));
                    let secret = SecretRegex::Alphabet {
                        alphabet: a,
                        bounds,
                        prefix: prefix.clone(),
                    };
                    let sample = Sample::Drawn {
                        alphabet: a,
                        len: bounds.0,
                        prefix,
                        value,
                        seed: seed_of(&p.id),
                    };
                    (secret, a.end(), sample, spans)
                }
                (None, Some(secret), Some(value)) => {
                    let spans = super::prebuilt_secret_spans(&secret);
                    (
                        SecretRegex::Given(secret),
                        GENERIC_END,
                        Sample::Given(value),
                        spans,
                    )
                }
                _ => return fail("give alphabet and length, or secret and value"),
            };
            let secret = std::sync::Arc::new(secret);
            // The pattern is written on first use (see `PatternText`): from here on nothing
            // can fail, and a hook matches few of the ~850 providers.
            let spans = {
                let (template_spans, secret) = (template_spans.clone(), secret.clone());
                // Parsing each provider's secret and end for it was 4 % of the instructions of
                // a `--scan` of git/git's work tree (67 M of 1.64 G): the ends are two
                // constants, decided once, and most secrets are an alphabet.
                move || {
                    **template_spans
                        || secret_spans
                            .unwrap_or_else(|| crate::literals::can_span_lines(&secret.text()))
                        || end_spans(end)
                }
            };
            // The family's anchor holds for keywords that a name's `[\w.-]` can spell.
            let provider_keywords_are_names = p.keywords.iter().all(|k| {
                k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            });
            let template = template.clone();
            let credential_words = credential_words.clone();
            // One copy of the keywords for both closures (the pattern's and the examples').
            let provider_keywords = std::sync::Arc::new(p.keywords.clone());
            let for_examples = provider_keywords.clone();
            let write_pattern = move || {
                let p_keywords = &*provider_keywords;
                let keywords = p_keywords
                    .iter()
                    .map(|k| regex_syntax::escape(k))
                    .collect::<Vec<_>>()
                    .join("|");
                // A keyword that ends in a credential word after a separator (`expo_token`)
                // names the credential by itself; the others need one of the words after them.
                let named = |k: &String| {
                    let k = k.to_ascii_lowercase();
                    credential_words.iter().any(|w| {
                        k.match_indices(w.as_str()).any(|(i, _)| {
                            i > 0 && matches!(k.as_bytes()[i - 1], b'_' | b'-' | b'.')
                        })
                    })
                };
                let alternation = |ks: &[&String]| {
                    ks.iter()
                        .map(|k| regex_syntax::escape(k))
                        .collect::<Vec<_>>()
                        .join("|")
                };
                let (full, partial): (Vec<&String>, Vec<&String>) =
                    p_keywords.iter().partition(|k| named(k));
                let keyname = match (
                    full.is_empty(),
                    partial.is_empty() || credential_words.is_empty(),
                ) {
                    (_, true) => {
                        format!(
                            "(?:{})",
                            alternation(&p_keywords.iter().collect::<Vec<_>>())
                        )
                    }
                    (true, false) => format!(
                        "(?:{})[\\w.-]{{0,30}}?(?:{})",
                        alternation(&partial),
                        credential_words.join("|")
                    ),
                    (false, false) => format!(
                        "(?:(?:{})[\\w.-]{{0,30}}?(?:{})|{})",
                        alternation(&partial),
                        credential_words.join("|"),
                        alternation(&full)
                    ),
                };
                substitute(
                    &template,
                    &[
                        ("keyname", &keyname),
                        ("keywords", &keywords),
                        ("secret", &secret.text()),
                        ("end", end),
                    ],
                )
            };
            let description = substitute(&self.description, &[("name", &p.name)]);
            let name = p.name;
            let templates = templates.clone();
            let (extra, extra_negative) = (p.examples, p.negative_examples);
            let examples = super::LazyExamples(std::sync::Arc::new(move || {
                let (value, low, short) = sample.texts();
                let first = &for_examples[0];
                let upper: String = first
                    .chars()
                    .map(|c| match c {
                        '-' | '.' | ' ' => '_',
                        c => c.to_ascii_uppercase(),
                    })
                    .collect();
                let keyword = first.to_ascii_lowercase();
                let vars = [
                    ("name", name.as_str()),
                    ("keyword", &keyword),
                    ("KEYWORD", &upper),
                    ("value", &value),
                    ("low", &low),
                    ("short", &short),
                ];
                let fill = |ts: &[String], extra: &[String]| -> Vec<String> {
                    ts.iter()
                        .map(|t| substitute(t, &vars))
                        .chain(extra.iter().cloned())
                        .collect()
                };
                (
                    fill(&templates.0, &extra),
                    fill(&templates.1, &extra_negative),
                )
            }));
            out.push(RuleSpec {
                id: p.id,
                description,
                pattern: String::new(),
                syntax: Default::default(),
                keywords: Some(p.keywords),
                severity: p.severity.or_else(|| self.severity.clone()),
                confidence: self.confidence,
                secret_group: self.secret_group,
                min_entropy: p.min_entropy.or(self.min_entropy),
                filter: self.filter,
                checksum: None,
                paths: Vec::new(),
                path_regex: None,
                references: p.references,
                examples: Vec::new(),
                negative_examples: Vec::new(),
                lazy_examples: Some(examples),
                keywords_in_every_match,
                lazy_pattern: Some(super::LazyText(Box::new(write_pattern))),
                lazy_multiline: Some(super::LazyFlag(Box::new(spans))),
                keyword_anchor: keyword_anchor
                    .clone()
                    .filter(|_| provider_keywords_are_names),
            });
        }
        let allowed = self.not_secret.take().map(|pattern| AllowedSpec {
            pattern,
            description: format!("family '{}': not a secret", self.id),
            rules: out.iter().map(|r| r.id.clone()).collect(),
            paths: Vec::new(),
            path_regex: None,
        });
        Ok((out, allowed))
    }
}

/// The seed of a provider's fake token, from its id: FNV-1a, then xorshift64* in
/// [`Alphabet::fake`] (no dependency for a few hundred short strings). A number, not a copy
/// of the id: the examples are written on first use, and every hook expands every provider.
fn seed_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) | 1
}

/// A provider's token as a regex, written on first use: a `format!` per provider at load was
/// 1.4 M instructions of every pre-commit hook (~1,400 providers), and a hook writes few.
enum SecretRegex {
    /// A prefix, then `length` characters of `alphabet`.
    Alphabet {
        alphabet: Alphabet,
        bounds: (usize, usize),
        prefix: String,
    },
    /// The provider's own regex.
    Given(String),
}

impl SecretRegex {
    /// The regex, case-sensitive whatever the template's flags: a template's `(?i)` is for
    /// the name (`NRAK-` and 27 upper-case characters, not `NRAK-` and lower case).
    fn text(&self) -> String {
        match self {
            SecretRegex::Alphabet {
                alphabet,
                bounds,
                prefix,
            } => {
                if prefix.is_empty() {
                    alphabet.regex(*bounds)
                } else {
                    format!(
                        "(?-i:{}){}",
                        regex_syntax::escape(prefix),
                        alphabet.regex(*bounds)
                    )
                }
            }
            SecretRegex::Given(secret) => super::template::given_secret(secret),
        }
    }
}

/// Where a provider's fake token comes from.
enum Sample {
    /// Drawn from an alphabet with a fixed seed (unless given).
    Drawn {
        alphabet: Alphabet,
        len: usize,
        prefix: String,
        value: Option<String>,
        seed: u64,
    },
    /// Given with its regex.
    Given(String),
}

impl Sample {
    /// A well-formed fake token, one of no entropy, and a truncated one.
    fn texts(&self) -> (String, String, String) {
        match self {
            Sample::Drawn {
                alphabet,
                len,
                prefix,
                value,
                seed,
            } => {
                let value = value
                    .clone()
                    .unwrap_or_else(|| format!("{prefix}{}", alphabet.fake(*len, *seed)));
                let low = format!("{prefix}{}", alphabet.low(*len));
                let short = drop_last(&value);
                (value, low, short)
            }
            Sample::Given(value) => {
                let low = "x".repeat(value.len());
                // Half the token: shorter than any length its regex allows.
                let half = value.char_indices().nth(value.chars().count() / 2);
                let short = value[..half.map_or(0, |(i, _)| i)].to_string();
                (value.clone(), low, short)
            }
        }
    }
}

fn drop_last(s: &str) -> String {
    let mut chars = s.chars();
    chars.next_back();
    chars.as_str().to_string()
}

/// Whether the provider of `line` may match text whose sequences `presence` holds: one of
/// its `keywords=` (or, without them, its `prefix=`) may occur there. A line that does not
/// parse may match (expanding it reports the error).
fn line_may_match(presence: &Presence, line: &str) -> bool {
    let Ok((_, _, fields)) = provider_line(line) else {
        return true;
    };
    let (mut keywords, mut prefix) = (None, None);
    for field in fields {
        match field {
            Ok(("keywords", v)) => keywords = Some(v),
            Ok(("prefix", v)) => prefix = Some(v),
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    presence.may_hold_any(keywords.into_iter().flat_map(str::split_whitespace), prefix)
}

/// One provider written on one line: `id | name | key=value | key=value...`, fields
/// separated by ` | ` (space, bar, space: a regex here has no spaces, `\x20` spells one).
/// Keys: `keywords` (space-separated), `prefix`, `alphabet`, `length` (`n` or `min..max`),
/// `secret`, `value`, `min_entropy`, `severity`, `reference`.
fn parse_provider_line(line: &str) -> Result<ProviderSpec, String> {
    let (id, name, fields) = provider_line(line)?;
    let mut p = ProviderSpec {
        id: id.to_string(),
        name: name.to_string(),
        keywords: Vec::new(),
        prefix: None,
        alphabet: None,
        length: None,
        secret: None,
        value: None,
        min_entropy: None,
        severity: None,
        references: Vec::new(),
        examples: Vec::new(),
        negative_examples: Vec::new(),
    };
    for field in fields {
        let (key, value) = field?;
        match key {
            "keywords" => p.keywords = value.split_whitespace().map(str::to_string).collect(),
            "prefix" => p.prefix = Some(value.to_string()),
            "alphabet" => {
                p.alphabet = Some(
                    Alphabet::deserialize(serde::de::value::StrDeserializer::<
                        serde::de::value::Error,
                    >::new(value))
                    .map_err(|_| format!("unknown alphabet '{value}'"))?,
                )
            }
            "length" => {
                let num = |s: &str| {
                    s.trim()
                        .parse::<usize>()
                        .map_err(|_| format!("length '{value}' is not n or min..max"))
                };
                p.length = Some(match value.split_once("..") {
                    Some((a, b)) => Length::Range([num(a)?, num(b)?]),
                    None => Length::Fixed(num(value)?),
                });
            }
            "secret" => p.secret = Some(value.to_string()),
            "value" => p.value = Some(value.to_string()),
            "min_entropy" => {
                p.min_entropy = Some(
                    value
                        .parse()
                        .map_err(|_| format!("min_entropy '{value}' is not a number"))?,
                )
            }
            "severity" => p.severity = Some(SeveritySpec::Label(value.to_string())),
            "reference" => p.references.push(value.to_string()),
            other => return Err(format!("unknown field '{other}'")),
        }
    }
    Ok(p)
}
