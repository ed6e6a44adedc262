//! Pattern registries: rules with ids, severities and examples, from built-in packs
//! (`patterns/*.toml`, embedded in the binary) or user TOML files.
//!
//! Upstream knows only anonymous EREs from git config. Registries add what a pipeline needs to
//! act on a finding (an id, a description, a severity) and what keeps false positives down (a
//! capture group that is the secret, a minimum entropy, path filters, allowlists), and every
//! rule carries examples and negative examples that `--check-registry` and the test suite run
//! through this very engine.
//!
//! Matching: one ASCII-case-insensitive Aho-Corasick pass over the rules' keywords (literals
//! taken from each regex when the author gives none) decides which rules' regexes run on a
//! buffer; rules without a usable literal always run. Large scans gate on literals extracted
//! from the regexes instead ([`RuleGate`], [`crate::gate`]), with the same outcome.

use std::collections::HashSet;
use std::fmt;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::ere;

mod family;
pub(crate) mod gitleaks;
mod hir_code;
mod presence;
mod template;

pub use presence::{FillOnDrop, PendingPresence, Presence};

/// Severity labels of AWS Security Hub, with their numeric ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SeverityLabel {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl SeverityLabel {
    /// The label of a 0–100 score: 0 INFORMATIONAL, 1–39 LOW, 40–69 MEDIUM, 70–89 HIGH,
    /// 90–100 CRITICAL.
    pub fn from_score(score: u8) -> SeverityLabel {
        match score {
            0 => SeverityLabel::Informational,
            1..=39 => SeverityLabel::Low,
            40..=69 => SeverityLabel::Medium,
            70..=89 => SeverityLabel::High,
            _ => SeverityLabel::Critical,
        }
    }

    /// The label as Security Hub spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SeverityLabel::Informational => "INFORMATIONAL",
            SeverityLabel::Low => "LOW",
            SeverityLabel::Medium => "MEDIUM",
            SeverityLabel::High => "HIGH",
            SeverityLabel::Critical => "CRITICAL",
        }
    }

    fn default_score(self) -> u8 {
        match self {
            SeverityLabel::Informational => 0,
            SeverityLabel::Low => 30,
            SeverityLabel::Medium => 50,
            SeverityLabel::High => 80,
            SeverityLabel::Critical => 95,
        }
    }
}

/// How sure a rule is that a match is a real secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

impl Confidence {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum SeveritySpec {
    Score(i64),
    Label(String),
}

/// A number or a label, read by one visitor: serde's `untagged` buffered each value and,
/// for every label, built the error of its failed attempt as a number first (0.8 M of a
/// pre-commit hook's 99 M instructions with both packs, where 355 rules give a severity).
impl<'de> Deserialize<'de> for SeveritySpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SeveritySpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a severity score (0-100) or label")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SeveritySpec, E> {
                Ok(SeveritySpec::Score(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SeveritySpec, E> {
                i64::try_from(v)
                    .map(SeveritySpec::Score)
                    .map_err(|_| E::custom(format!("severity {v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SeveritySpec, E> {
                Ok(SeveritySpec::Label(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Syntax {
    #[default]
    Regex,
    Ere,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PackSpec {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    pub(crate) id: String,
    pub(crate) description: String,
    pub(crate) pattern: String,
    #[serde(default)]
    pub(crate) syntax: Syntax,
    pub(crate) keywords: Option<Vec<String>>,
    pub(crate) severity: Option<SeveritySpec>,
    #[serde(default)]
    pub(crate) confidence: Confidence,
    pub(crate) secret_group: Option<usize>,
    pub(crate) min_entropy: Option<f64>,
    /// What the captured value must look like beyond the regex (see [`crate::filters`]).
    #[serde(default)]
    pub(crate) filter: Option<crate::filters::ValueFilter>,
    /// The token's own checksum, verified offline (see [`crate::filters::Checksum`]).
    #[serde(default)]
    pub(crate) checksum: Option<crate::filters::Checksum>,
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    /// A regex on the repository path (what gitleaks' `path` is).
    pub(crate) path_regex: Option<String>,
    #[serde(default)]
    pub(crate) references: Vec<String>,
    #[serde(default)]
    pub(crate) examples: Vec<String>,
    #[serde(default)]
    pub(crate) negative_examples: Vec<String>,
    /// Examples and negative examples written on first use (a family's templates).
    #[serde(skip)]
    pub(crate) lazy_examples: Option<LazyExamples>,
    /// Every match holds one of the keywords (a family's rules).
    #[serde(skip)]
    pub(crate) keywords_in_every_match: bool,
    /// The pattern written on first use instead of `pattern` (a family's rules).
    #[serde(skip)]
    pub(crate) lazy_pattern: Option<LazyText>,
    /// Whether a match can span lines, decided on first use without parsing the whole
    /// pattern (a family's rules: see [`family::FamilySpec::expand`]).
    #[serde(skip)]
    pub(crate) lazy_multiline: Option<LazyFlag>,
    /// What must match where one of the keywords occurs for the rule to have a chance there,
    /// one anchor shared by a family's providers (see [`family::FamilySpec::expand`]).
    #[serde(skip)]
    pub(crate) keyword_anchor: Option<crate::anchor::LazyAnchor>,
}

/// Decides a flag on first use.
pub(crate) struct LazyFlag(pub(crate) Box<dyn FnOnce() -> bool + Send + Sync>);

impl std::fmt::Debug for LazyFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyFlag(..)")
    }
}

/// Writes a text on first use.
pub(crate) struct LazyText(pub(crate) Box<dyn FnOnce() -> String + Send + Sync>);

impl std::fmt::Debug for LazyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyText(..)")
    }
}

/// A rule's pattern text, as written or written on first use: a family's ~850 provider
/// patterns, built at start-up, were 29 % of a pre-commit hook's instructions (19 M of
/// 66 M), and a hook matches almost none of them.
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub(crate) struct PatternText(
    std::sync::Arc<std::sync::LazyLock<String, Box<dyn FnOnce() -> String + Send + Sync>>>,
);

impl PatternText {
    fn ready(text: String) -> PatternText {
        Self::lazy(LazyText(Box::new(move || text)))
    }

    fn lazy(write: LazyText) -> PatternText {
        PatternText(std::sync::Arc::new(std::sync::LazyLock::new(write.0)))
    }

    fn get(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for PatternText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PatternText").field(&self.get()).finish()
    }
}

/// Writes a rule's examples and negative examples.
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub(crate) struct LazyExamples(
    pub(crate) std::sync::Arc<dyn Fn() -> (Vec<String>, Vec<String>) + Send + Sync>,
);

impl fmt::Debug for LazyExamples {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LazyExamples")
    }
}

/// A rule's examples and negative examples, given or written on first use.
#[derive(Clone)]
struct Examples {
    made: std::sync::Arc<std::sync::OnceLock<(Vec<String>, Vec<String>)>>,
    write: Option<LazyExamples>,
}

impl Examples {
    fn new(examples: Vec<String>, negative: Vec<String>, write: Option<LazyExamples>) -> Examples {
        let made = std::sync::OnceLock::new();
        if write.is_none() {
            let _ = made.set((examples, negative));
        }
        Examples {
            made: std::sync::Arc::new(made),
            write,
        }
    }

    fn get(&self) -> &(Vec<String>, Vec<String>) {
        self.made
            .get_or_init(|| self.write.as_ref().map(|w| (w.0)()).unwrap_or_default())
    }
}

impl fmt::Debug for Examples {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.get().0).finish()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AllowedSpec {
    pub(crate) pattern: String,
    /// For people reading the registry; not used by the engine.
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) rules: Vec<String>,
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    pub(crate) path_regex: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegistryFile {
    pub(crate) pack: Option<PackSpec>,
    #[serde(default, rename = "rule")]
    pub(crate) rules: Vec<RuleSpec>,
    #[serde(default)]
    pub(crate) allowed: Vec<AllowedSpec>,
    /// Provider-keyword rule families, expanded into rules at load time (see [`family`]).
    #[serde(default, rename = "family")]
    pub(crate) families: Vec<family::FamilySpec>,
}

/// `.git-secrets.toml` at a repository's root: the project's registries, disabled rules and
/// allowlist.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Built-in pack names or registry file paths (relative to the repository root).
    #[serde(default)]
    pub registries: Vec<String>,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disabled: Vec<String>,
    #[serde(default)]
    allowed: Vec<AllowedSpec>,
    /// A baseline file (relative to the repository root) every scan and hook honours.
    #[serde(default)]
    pub baseline: Option<String>,
}

impl ProjectFile {
    /// The `[[allowed]]` patterns (regex syntax), for the broad-entry check.
    pub fn allowed_patterns(&self) -> Vec<&str> {
        self.allowed.iter().map(|a| a.pattern.as_str()).collect()
    }

    /// Drop the `[[allowed]]` entries and `disabled` rules (an untrusted repository's).
    pub fn without_allowlists(self) -> ProjectFile {
        ProjectFile {
            registries: self.registries,
            ..ProjectFile::default()
        }
    }

    /// Parse the project file; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<ProjectFile, RegistryError> {
        toml::from_str(text).map_err(|e| RegistryError {
            source: source.to_string(),
            rule: None,
            message: toml_message(&e, text),
        })
    }
}

fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let at = e
        .span()
        .map(|s| format!(" (line {})", text[..s.start].matches('\n').count() + 1))
        .unwrap_or_default();
    format!("{}{at}", e.message().trim_end())
}

/// A registry problem: one line naming the file, the rule and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    /// The registry file (or built-in pack name).
    pub source: String,
    /// The rule id, when the problem is in one rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RegistryError {
    /// One line: file, rule and message echo text from the registry (a pattern, a key), whose
    /// line breaks and other control characters are shown escaped (`\n`), so that a hostile
    /// or broken file cannot make an error span lines or forge output lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match &self.rule {
            Some(rule) => format!("{}: rule '{}': {}", self.source, rule, self.message),
            None => format!("{}: {}", self.source, self.message),
        };
        for c in text.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for RegistryError {}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable identifier, e.g. `aws.access-key-id`.
    pub id: String,
    /// What the rule finds.
    pub description: String,
    /// The pattern as written (see [`Rule::pattern`]).
    written: PatternText,
    /// 0–100.
    pub severity: u8,
    /// The Security Hub label of `severity`.
    pub severity_label: SeverityLabel,
    /// How likely a match is a real secret.
    pub confidence: Confidence,
    /// Where the rule came from (pack name or file), shared by the rules of one file.
    pub source: std::sync::Arc<str>,
    /// Documentation links.
    pub references: Vec<String>,
    regex: LazyRegex,
    /// Whether the pattern spells out a line break (`\n`, `\r`, `(?s)`): such a rule is
    /// matched on the whole buffer; every other rule is matched line by line, on the lines
    /// where one of its keywords occurs (a `\s*` never reaches into the next line).
    #[allow(clippy::type_complexity)]
    multiline: std::sync::Arc<std::sync::LazyLock<bool, Box<dyn FnOnce() -> bool + Send + Sync>>>,
    keywords: Vec<String>,
    /// Every match holds one of the keywords (in some case): true of family rules.
    keywords_in_every_match: bool,
    /// What must match where a keyword occurs (a family's anchor, shared by its rules).
    keyword_anchor: Option<crate::anchor::LazyAnchor>,
    secret_group: Option<usize>,
    min_entropy: Option<f64>,
    filter: Option<crate::filters::ValueFilter>,
    checksum: Option<crate::filters::Checksum>,
    paths: Option<globset::GlobSet>,
    path_regex: Option<PathRegex>,
    examples: Examples,
    /// How a multi-line rule searches a buffer in windows (decided on first use).
    windowing: std::sync::OnceLock<Option<Windowing>>,
}

/// The windows a multi-line rule searches instead of the whole buffer: the lines around each
/// occurrence of one of its required literals (every match holds one), as many lines each
/// way as one match can span. `generic.env-name-value` (a Kubernetes `name:` line, then
/// `value:`) searched 212 MB of regex over cargo's history as whole blobs; its windows are
/// the three lines around each `value` that its anchor accepts.
///
/// The windows are those of every occurrence, merged where they touch, so a match in a
/// window is one of the whole buffer and none is cut: a match holds an occurrence and spans
/// at most `breaks` line breaks, so it lies inside that occurrence's window; a window starts
/// at a line's start and ends after a line break (or at the buffer's end), where `^`, `$`
/// and `\b` read as they do in the buffer; patterns that look at the buffer's own edges
/// (`\A`, `\z`) are not windowed.
#[derive(Debug, Clone)]
struct Windowing {
    literals: AhoCorasick,
    anchor: Option<crate::anchor::LazyAnchor>,
    breaks: usize,
}

impl Windowing {
    /// Above this many line breaks a window is most of a file: the rule searches it whole.
    const MAX_BREAKS: usize = 8;

    fn of(rule: &Rule) -> Option<Windowing> {
        let pattern = rule.regex.pattern.get();
        let breaks = crate::literals::max_line_breaks(pattern)?;
        if breaks > Self::MAX_BREAKS {
            return None;
        }
        let found = gate_literals(&rule.id, pattern)?;
        let literals = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&found.literals)
            .ok()?;
        Some(Windowing {
            literals,
            anchor: found.anchor,
            breaks,
        })
    }

    /// The windows of `buf`, in order and disjoint.
    fn windows(&self, buf: &[u8]) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        let anchor = self.anchor.as_ref().and_then(|a| a.get());
        for m in self.literals.find_overlapping_iter(buf) {
            let at = m.start();
            if anchor.is_some_and(|a| !a.matches_at_pooled(buf, at)) {
                continue;
            }
            // Back over `breaks` + 1 line breaks: the start of the line `breaks` lines up.
            let mut start = Some(at);
            for _ in 0..=self.breaks {
                start = start.and_then(|s| memchr::memrchr(b'\n', &buf[..s]));
            }
            let start = start.map_or(0, |nl| nl + 1);
            // On over as many: past the line break that ends the line `breaks` lines down.
            let mut end = Some(at);
            for _ in 0..=self.breaks {
                end = end.and_then(|e| memchr::memchr(b'\n', &buf[e..]).map(|i| e + i + 1));
            }
            let end = end.unwrap_or(buf.len());
            match out.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => out.push(start..end),
            }
        }
        out
    }
}

/// A rule's or an allowlist entry's `path_regex`: a registry's is compiled as it loads (a bad one is named then); a
/// built-in pack's on first use (the test suite compiles each). Compiling the packs' six at
/// start-up took a pre-commit hook ~1 ms of one thread's time. They are built without
/// captures or a one-pass DFA ([`path_config`]): the six built through `regex`'s full set of
/// engines cost a pre-commit of five C files 4.5 M of its 92 M instructions.
#[derive(Debug, Clone)]
struct PathRegex {
    text: String,
    compiled: std::sync::OnceLock<Option<regex_automata::meta::Regex>>,
}

impl PathRegex {
    /// `text`, compiled now unless `lazy` (a built-in pack's).
    fn new(text: &str, lazy: bool) -> Result<PathRegex, String> {
        let compiled = std::sync::OnceLock::new();
        if !lazy {
            // `regex`'s parse names what is wrong with a bad one.
            let regex = compiled_or_why(compile_path(text), text, "too large to compile")
                .map_err(|m| format!("path_regex: {m}"))?;
            let _ = compiled.set(Some(regex));
        }
        Ok(PathRegex {
            text: text.to_string(),
            compiled,
        })
    }

    /// A rule's or an entry's `path_regex`, if it has one (see [`PathRegex::new`]).
    fn optional(text: Option<&str>, lazy: bool) -> Result<Option<PathRegex>, String> {
        text.map(|t| PathRegex::new(t, lazy)).transpose()
    }

    fn is_match(&self, path: &[u8]) -> bool {
        self.get().is_some_and(|r| r.is_match(path))
    }

    /// The compiled regex; `None` only for a built-in pack's that does not compile, which
    /// the test suite rules out (and which then selects no path: a rule that runs nowhere
    /// rather than everywhere).
    fn get(&self) -> Option<&regex_automata::meta::Regex> {
        self.compiled
            .get_or_init(|| compile_path(&self.text))
            .as_ref()
    }
}

impl Rule {
    /// The length of the longest of the rule's keywords that `text` holds (in any ASCII
    /// case), 0 when none: how specifically a line names the rule's provider (`jumpcloud` in
    /// `JUMPCLOUD_API_KEY` also holds pCloud's keyword `pcloud`).
    pub fn longest_keyword_in(&self, text: &[u8]) -> usize {
        self.keywords
            .iter()
            .filter(|k| {
                let k = k.as_bytes();
                !k.is_empty() && text.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k))
            })
            .map(String::len)
            .max()
            .unwrap_or(0)
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        self.written.get()
    }

    /// Whether the rule searches large buffers in windows around its required literals
    /// rather than whole (see `Windowing` in this module).
    pub fn is_windowed(&self) -> bool {
        self.spans_lines() && self.windowing.get_or_init(|| Windowing::of(self)).is_some()
    }

    /// Whether a match can contain a line break (decided on first use: parsing every rule at
    /// start-up would cost each hook several milliseconds).
    fn spans_lines(&self) -> bool {
        **self.multiline
    }

    /// The value filter and checksum of a match whose secret is `secret` (and whose
    /// `(?P<key>...)` group, if the rule has one, is `key`): `None` drops the match,
    /// `Some(Some(c))` sets its confidence to `c`.
    fn confirm(
        &self,
        secret: &[u8],
        before: &[u8],
        key: Option<&[u8]>,
    ) -> Option<Option<Confidence>> {
        if let Some(f) = self.filter
            && !f.accepts(secret, key)
        {
            return None;
        }
        let Some(checksum) = self.checksum else {
            return Some(None);
        };
        match checksum.verify_after(secret, before) {
            crate::filters::Verdict::Invalid => None,
            crate::filters::Verdict::Valid if checksum.lifts_confidence() => {
                Some(Some(Confidence::High))
            }
            _ => Some(None),
        }
    }

    /// Whether the rule judges its value with a filter (a generic rule, as opposed to a
    /// provider's token format).
    pub fn has_value_filter(&self) -> bool {
        self.filter.is_some()
    }

    /// Text the rule must find.
    pub fn examples(&self) -> &[String] {
        &self.examples.get().0
    }

    /// Text the rule must not find.
    pub fn negative_examples(&self) -> &[String] {
        &self.examples.get().1
    }

    /// Whether the rule runs only on some paths.
    pub fn path_limited(&self) -> bool {
        self.paths.is_some() || self.path_regex.is_some()
    }

    /// Whether the rule's path filters (if any) select the repository path `path`.
    pub fn applies_to(&self, path: &[u8]) -> bool {
        let globs_ok = match &self.paths {
            None => true,
            Some(globs) => std::str::from_utf8(path).is_ok_and(|p| globs.is_match(p)),
        };
        globs_ok && self.path_regex.as_ref().is_none_or(|r| r.is_match(path))
    }
}

/// What a search of one-line rules inherits from a base, and where it keeps its own hits
/// for the versions built on it (see [`RuleSet::run_inheriting`]).
#[derive(Default)]
struct Lines<'i, 'k> {
    inherited: Option<crate::delta::Inherited<'i>>,
    kept: Option<&'k mut Vec<crate::delta::LineHit>>,
}

impl Lines<'_, '_> {
    /// Whether a run copies `line` whole from the base.
    fn copied(&self, line: std::ops::Range<usize>) -> bool {
        self.inherited
            .is_some_and(|i| crate::delta::copied_whole(i.copies, line))
    }
}

/// A hit's own confidence as [`crate::delta::LineHit`] keeps it.
fn confidence_code(c: Option<Confidence>) -> u8 {
    match c {
        None => 0,
        Some(Confidence::Low) => 1,
        Some(Confidence::Medium) => 2,
        Some(Confidence::High) => 3,
    }
}

/// [`confidence_code`] read back.
fn confidence_of(code: u8) -> Option<Confidence> {
    match code {
        1 => Some(Confidence::Low),
        2 => Some(Confidence::Medium),
        3 => Some(Confidence::High),
        _ => None,
    }
}

/// Which paths a buffer is scanned for, as far as path-limited rules are concerned.
#[derive(Debug, Clone, Copy)]
pub enum PathScope<'a> {
    /// Every rule runs (no path known, none to check).
    Any,
    /// One repository path: rules (and allowlist entries) limited to other paths are skipped.
    At(&'a [u8]),
    /// A blob seen at several paths: a path-limited rule runs when it applies to one of them;
    /// the caller checks each finding per path (and path-limited allowlist entries then).
    AnyOf(&'a [std::sync::Arc<[u8]>]),
}

impl PathScope<'_> {
    /// Whether a scan for this scope may take a delta base's one-line rule hits: not for one
    /// path, which decides which allowlist entries apply (a history's blobs have none).
    pub fn takes_base_hits(self) -> bool {
        !matches!(self, PathScope::At(_))
    }
}

/// A rule's regex, compiled on first use: a hook pays only for the rules whose keywords
/// occur in what it scans (compiling every built-in rule up front costs over 100 ms).
///
/// Compilation is tiered. A rule's first [`LazyRegex::LEAN_SEARCHES`] searches of short text
/// run a lean form (Thompson NFA, bounded backtracker and PikeVM: no lazy DFA, no reverse
/// NFA, no prefilter); the full form is compiled only for a rule searched more often than
/// that, or on long text. The 26 rules a pre-commit of five C files from git/git wakes cost
/// 7.1 ms to compile fully and 2.9 ms lean, and most rules a scan wakes run on a few lines.
/// A large (literal-gated) scan compiles the full form at once: on git/git's work tree the
/// lean searches of the rules it wakes (a PikeVM over NFAs of up to thousands of states)
/// took 99 ms of CPU where full forms from the start took 66 ms, compiles included.
#[derive(Debug)]
struct LazyRegex {
    pattern: PatternText,
    compiled: std::sync::OnceLock<Option<FullRegex>>,
    lean: std::sync::OnceLock<Option<regex_automata::meta::Regex>>,
    /// The lean form's prefilter: the pattern widened ([`hir_code::widened`]), `None` when it
    /// has no counted repetition to widen.
    widened: std::sync::OnceLock<Option<regex_automata::meta::Regex>>,
    /// Large scans' prefilter: the widened pattern with the lazy DFA (see
    /// [`LazyRegex::for_search`]).
    widened_dfa: std::sync::OnceLock<Option<regex_automata::meta::Regex>>,
    searches: std::sync::atomic::AtomicU32,
    /// Lines the prefilter was asked about.
    prefiltered: std::sync::atomic::AtomicU32,
    /// Texts of a large scan the widened pattern matched, of `prefiltered`.
    passed: std::sync::atomic::AtomicU32,
}

impl Clone for LazyRegex {
    fn clone(&self) -> LazyRegex {
        let count = |n: &std::sync::atomic::AtomicU32| {
            std::sync::atomic::AtomicU32::new(n.load(std::sync::atomic::Ordering::Relaxed))
        };
        LazyRegex {
            pattern: self.pattern.clone(),
            compiled: self.compiled.clone(),
            lean: self.lean.clone(),
            widened: self.widened.clone(),
            widened_dfa: self.widened_dfa.clone(),
            searches: count(&self.searches),
            prefiltered: count(&self.prefiltered),
            passed: count(&self.passed),
        }
    }
}

/// A rule's regex in the form one search runs.
enum Compiled<'a> {
    Full(&'a FullRegex),
    Lean(&'a regex_automata::meta::Regex),
    /// The prefilter found that the text holds no match.
    Nothing,
}

/// One match of a rule's regex: the whole match, the secret group's span (`None` when the
/// rule names a group that did not take part) and the `key` group's.
struct RegexMatch {
    whole: std::ops::Range<usize>,
    secret: Option<std::ops::Range<usize>>,
    key: Option<std::ops::Range<usize>>,
}

impl Compiled<'_> {
    /// Calls `f` with every non-empty match in `hay`, leftmost first.
    fn each_match(&self, hay: &[u8], secret_group: Option<usize>, mut f: impl FnMut(RegexMatch)) {
        match self {
            Compiled::Nothing => {}
            Compiled::Full(regex) | Compiled::Lean(regex) => {
                for caps in regex.captures_iter(hay) {
                    let Some(m) = caps.get_match() else { continue };
                    if m.is_empty() {
                        continue;
                    }
                    f(RegexMatch {
                        whole: m.range(),
                        secret: match secret_group {
                            Some(g) => caps.get_group(g).map(|s| s.range()),
                            None => Some(m.range()),
                        },
                        key: caps.get_group_by_name("key").map(|k| k.range()),
                    });
                }
            }
        }
    }
}

impl LazyRegex {
    /// Searches of short text a rule runs in its lean form before the full form is compiled:
    /// the full compile costs ~160 µs more per rule (median of the 26 rules above), a lean
    /// search of a source line a few µs more than a full one.
    const LEAN_SEARCHES: u32 = 32;
    /// Longer text always gets the full form: the PikeVM's time grows with the text times
    /// the NFA's states (~2,000 for the largest context rules).
    const LEAN_MAX_LEN: usize = 1024;
    /// Lines the widened prefilter checks before the rule goes on as if it had none: a check
    /// is a few hundred ns on a source line, and a rule woken on thousands of lines is better
    /// served by its full form's lazy DFA.
    const PREFILTER_SEARCHES: u32 = 1024;
    /// Texts a large scan's prefilter checks before its pass rate decides whether it stays.
    const PREFILTER_TRIAL: u32 = 256;

    fn new(pattern: PatternText, compiled: std::sync::OnceLock<Option<FullRegex>>) -> LazyRegex {
        LazyRegex {
            pattern,
            compiled,
            lean: std::sync::OnceLock::new(),
            widened: std::sync::OnceLock::new(),
            widened_dfa: std::sync::OnceLock::new(),
            searches: std::sync::atomic::AtomicU32::new(0),
            prefiltered: std::sync::atomic::AtomicU32::new(0),
            passed: std::sync::atomic::AtomicU32::new(0),
        }
    }

    fn get(&self) -> Option<&FullRegex> {
        self.compiled
            .get_or_init(|| compile_full(self.pattern.get()).ok())
            .as_ref()
    }

    /// The form to search `hay` with in a scan that is `large` or not (see the type's
    /// comment). Before its lean form is compiled, a rule's short text goes through the
    /// widened prefilter: most lines a hook wakes a rule on hold no match (none of the 986
    /// searches of five C files of git/git did), and the prefilter compiles in a fraction of
    /// the time.
    fn for_search(&self, hay: &[u8], large: bool) -> Option<Compiled<'_>> {
        use std::sync::atomic::Ordering::Relaxed;
        if large {
            return self.for_large_search(hay);
        }
        if let Some(full) = self.compiled.get() {
            return full.as_ref().map(Compiled::Full);
        }
        let len = hay.len();
        if !large
            && len <= Self::LEAN_MAX_LEN
            && self.prefiltered.fetch_add(1, Relaxed) < Self::PREFILTER_SEARCHES
            && let Some(wide) = self
                .widened
                .get_or_init(|| compile_widened(self.pattern.get()))
                .as_ref()
            && !wide.is_match(hay)
        {
            return Some(Compiled::Nothing);
        }
        if !large
            && len <= Self::LEAN_MAX_LEN
            && self
                .searches
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                < Self::LEAN_SEARCHES
            && let Some(lean) = self
                .lean
                .get_or_init(|| compile_lean(self.pattern.get()))
                .as_ref()
        {
            return Some(Compiled::Lean(lean));
        }
        self.get().map(Compiled::Full)
    }

    /// [`LazyRegex::for_search`] in a large scan: the text goes through the widened pattern
    /// first, compiled with the lazy DFA, and the full form is compiled only when that
    /// matches. Of the 65 rules a `--scan` of git/git's work tree wakes, 51 never match a line
    /// the gate hands them (81,688 searches, ~150 matches): their widened forms build in ~58
    /// % of the full forms' time, and their lazy DFAs stay small, a bounded repetition
    /// (`{1,200}`) being one looping state instead of one per count. The prefilter is dropped
    /// for a rule whose widened form matches over half of the texts it checks.
    fn for_large_search(&self, hay: &[u8]) -> Option<Compiled<'_>> {
        use std::sync::atomic::Ordering::Relaxed;
        let asked = self.prefiltered.load(Relaxed);
        let useful = asked < Self::PREFILTER_TRIAL || self.passed.load(Relaxed) * 2 <= asked;
        if useful
            && let Some(wide) = self
                .widened_dfa
                .get_or_init(|| compile_widened_with(self.pattern.get(), widened_dfa_config()))
                .as_ref()
        {
            self.prefiltered.fetch_add(1, Relaxed);
            if !wide.is_match(hay) {
                return Some(Compiled::Nothing);
            }
            self.passed.fetch_add(1, Relaxed);
        }
        self.get().map(Compiled::Full)
    }
}

/// An allowlist entry of a registry: a regex on the secret, optionally limited to rules and
/// paths.
#[derive(Debug, Clone)]
struct Allowed {
    regex: LazyRegex,
    rules: Vec<String>,
    paths: Option<globset::GlobSet>,
    path_regex: Option<PathRegex>,
}

/// A match of one rule in a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    /// Index of the rule in its [`RuleSet`].
    pub rule: usize,
    /// Byte range of the secret in the buffer.
    pub secret: std::ops::Range<usize>,
    /// Byte range of the whole match in the buffer.
    pub matched: std::ops::Range<usize>,
    /// The confidence of this hit when it differs from the rule's (a verified checksum).
    pub confidence: Option<Confidence>,
}

/// Compiled rules of one or more registries.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<std::sync::Arc<Rule>>,
    allowed: Vec<Allowed>,
    /// Built on first use: each pack's own set is merged into one before it scans.
    keywords: std::sync::OnceLock<KeywordPlanner>,
    literal_gates: std::sync::OnceLock<LiteralGates>,
    /// Built on first use: the token prefixes of the format rules (see
    /// [`RuleSet::drop_look_alikes`]).
    prefixes: std::sync::OnceLock<Vec<TokenPrefix>>,
}

/// Where each rule's regex runs on one buffer.
#[derive(Debug, Default)]
pub struct RulePlan {
    /// Rules that search the whole buffer.
    pub whole: Vec<usize>,
    /// `(rule, line start)`: rules that search one line.
    pub lines: Vec<(usize, usize)>,
    /// Whether the scan is a large one (literal-gated): its regexes take their full form from
    /// the first search (see `LazyRegex`).
    pub large: bool,
}

/// How a rule takes part in the literal gate of large scans.
#[derive(Debug, Clone)]
pub struct RuleGate {
    /// The literals one of which every line (or buffer) worth searching holds; `None` when no
    /// set is selective enough (the rule stays with its keywords).
    pub literals: Option<Vec<Vec<u8>>>,
    /// Whether the literals match in any ASCII case (they are the rule's keywords).
    pub caseless: bool,
    /// What must match where a literal occurs for the rule to have a chance there.
    pub anchor: Option<crate::anchor::LazyAnchor>,
    /// What a line with a literal must also hold so that the rule runs where it would in a
    /// small scan (nothing, when the literals contain a keyword).
    pub keyword_check: KeywordCheck,
    /// Whether the rule searches whole buffers rather than lines.
    pub whole: bool,
}

impl RuleGate {
    fn of(rule: &Rule) -> RuleGate {
        let keywords: Vec<&[u8]> = rule.keywords.iter().map(|k| k.as_bytes()).collect();
        // A family rule's keywords are literals every match holds: extracting the regex's own
        // (an alternation of names inside bounded repetitions) cost ~40 ms per 100 rules.
        let extracted = if rule.keywords_in_every_match {
            None
        } else {
            gate_literals(&rule.id, rule.regex.pattern.get())
        };
        // A rule without keywords runs on the whole buffer in small scans. Here one whose
        // matches stay within a line runs on the lines of its literals, every match holding
        // one, and so takes a delta base's hits like the others: searched whole, it kept
        // 2.3 M occurrences of `0.1`, `0.0`, ... on the 3.8 M lines of cargo's history
        // copied whole that the gate still handed on.
        let whole = rule.spans_lines() || (keywords.is_empty() && extracted.is_none());
        // The keywords themselves, matched in any case as the keyword gate matches them.
        let from_keywords = crate::literals::caseless_set(&keywords);
        let implies_keywords = |lits: &[Vec<u8>]| {
            keywords.is_empty()
                || lits.iter().all(|l| {
                    keywords.iter().any(|k| {
                        l.len() >= k.len() && l.windows(k.len()).any(|w| w.eq_ignore_ascii_case(k))
                    })
                })
        };
        // The keywords gate when they are cheaper than the regex's literals, or when the regex
        // gives none. An anchored set costs little more than those of its hits that can start
        // a match, so it is preferred to keywords, whose every hit runs the regex on the line.
        let extracted = extracted.map(|e| {
            // Compiled on first use; the choice assumes it compiles when its estimated size
            // says so (for the built-in rules' anchors the estimate decides as compiling
            // would: a test checks).
            let effective = if e.anchor.is_some() {
                e.cost / 16.0
            } else {
                e.cost
            };
            (e, effective)
        });
        let (literals, caseless, keyword_check, anchor) = match (extracted, from_keywords) {
            (Some((_, effective)), Some(k)) if k.cost < effective => {
                (Some(k.literals), true, KeywordCheck::Implied, None)
            }
            (Some((e, _)), k) => {
                let check = match k {
                    _ if implies_keywords(&e.literals) => KeywordCheck::Implied,
                    Some(k) => KeywordCheck::Literals(k.literals),
                    None => KeywordCheck::Scan,
                };
                (Some(e.literals), false, check, e.anchor)
            }
            // A family rule's keywords go to the literal gate however common they are: as
            // leftovers, ~900 of them cost every buffer a keyword-automaton pass.
            (None, Some(k))
                if k.cost <= crate::literals::USELESS_COST || rule.keywords_in_every_match =>
            {
                (
                    Some(k.literals),
                    true,
                    KeywordCheck::Implied,
                    rule.keyword_anchor.clone(),
                )
            }
            _ => (None, false, KeywordCheck::Implied, None),
        };
        RuleGate {
            literals,
            caseless,
            anchor,
            keyword_check,
            whole,
        }
    }
}

/// What a rule gated by literals must also check so that it runs only where a small scan's
/// keyword gate would run it.
#[derive(Debug, Clone)]
pub enum KeywordCheck {
    /// Its literals contain a keyword: nothing to check.
    Implied,
    /// The line must also hold one of these keywords (matched in any ASCII case by the gate).
    Literals(Vec<Vec<u8>>),
    /// The line must hold one of its keywords: search for them.
    Scan,
}

impl KeywordCheck {
    /// Whether a rule whose literal occurred in a place (a line, or the buffer) may run there:
    /// `keyword_literals_seen` tells whether one of its keyword literals occurred there too,
    /// `keyword_in` searches the place for a whole keyword.
    pub fn passes(
        &self,
        keyword_literals_seen: impl FnOnce() -> bool,
        keyword_in: impl FnOnce() -> bool,
    ) -> bool {
        match self {
            KeywordCheck::Implied => true,
            KeywordCheck::Literals(_) => keyword_literals_seen(),
            KeywordCheck::Scan => keyword_in(),
        }
    }
}

/// The literal gating of every rule of a set, for large scans.
#[derive(Debug)]
pub struct LiteralGates {
    /// Per rule.
    pub specs: Vec<RuleGate>,
    leftovers: KeywordPlanner,
}

/// Rules gated by keywords: one ASCII-case-insensitive pass finds the lines where each keyword
/// occurs, and a rule runs on the lines of its keywords (or on the whole buffer, when it can
/// span lines or has no keyword).
#[derive(Debug, Default)]
struct KeywordPlanner {
    gate: KeywordGate,
    /// For each keyword pattern index, the rules it gates.
    keyword_rules: Vec<Vec<usize>>,
    /// For each keyword, what must match where it occurs for its rules to have a chance
    /// there: a hit where it does not match wakes none of them.
    keyword_anchor: Vec<KeywordAnchor>,
    /// Rules without keywords: they always run.
    always: Vec<usize>,
}

impl KeywordPlanner {
    fn new(rules: &[std::sync::Arc<Rule>], select: impl Fn(usize) -> bool) -> KeywordPlanner {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        // Keyword -> its index: a linear search cost 3 ms per hook at ~1,500 keywords.
        let mut index: std::collections::HashMap<&str, usize, crate::hashing::Mix> =
            std::collections::HashMap::with_capacity_and_hasher(
                rules.len() * 2,
                Default::default(),
            );
        let mut always = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            if !select(i) {
                continue;
            }
            if rule.keywords.is_empty() {
                always.push(i);
                continue;
            }
            for k in &rule.keywords {
                match index.get(k.as_str()) {
                    Some(&p) => keyword_rules[p].push(i),
                    None => {
                        index.insert(k, keywords.len());
                        keywords.push(k.clone());
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let keyword_anchor = keyword_rules
            .iter()
            .map(|rs| {
                let first = &rules[rs[0]];
                match &first.keyword_anchor {
                    Some(a)
                        if rs.iter().all(|&i| {
                            rules[i].keyword_anchor.as_ref().is_some_and(|b| b.same(a))
                        }) =>
                    {
                        KeywordAnchor::Shared(a.clone())
                    }
                    None if rs.len() == 1 && !first.keywords_in_every_match => {
                        KeywordAnchor::Rule(rs[0], std::sync::OnceLock::new())
                    }
                    _ => KeywordAnchor::None,
                }
            })
            .collect();
        KeywordPlanner {
            gate: KeywordGate::new(keywords),
            keyword_rules,
            keyword_anchor,
            always,
        }
    }

    /// Add to `plan` where each of this planner's rules runs on `buf`.
    fn plan(&self, rules: &[std::sync::Arc<Rule>], buf: &[u8], plan: &mut RulePlan) {
        // Rules without keywords (few, usually path-limited) search the whole buffer.
        plan.whole.extend(&self.always);
        let Some(ac) = self.gate.automaton(buf.len()) else {
            return;
        };
        // First the lines on which each keyword occurs (hits of one keyword on one line
        // collapse), then each rule's lines from its keywords' lists: a frequent keyword costs
        // one entry per line, not one per hit and rule.
        let mut keyword_lines: Vec<Vec<usize>> = vec![Vec::new(); self.keyword_rules.len()];
        // Keyword hits arrive (nearly) in order: find each one's line start by looking back
        // only as far as the previous hit.
        let (mut line, mut scanned_to) = (0, 0);
        self.gate.for_each_hit(ac, buf, |start, k| {
            if let Some(anchor) = self.keyword_anchor[k].get(rules, &self.gate.keywords[k])
                && !anchor.matches_at_pooled(buf, start)
            {
                return true;
            }
            if start >= scanned_to {
                if let Some(nl) = memchr::memrchr(b'\n', &buf[scanned_to..start]) {
                    line = scanned_to + nl + 1;
                }
                scanned_to = start;
            } else if start < line {
                line = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
                scanned_to = start;
            }
            let seen = &mut keyword_lines[k];
            if seen.last() != Some(&line) {
                seen.push(line);
            }
            true
        });
        for (k, kw_lines) in keyword_lines.iter().enumerate() {
            if kw_lines.is_empty() {
                continue;
            }
            for &i in &self.keyword_rules[k] {
                if rules[i].spans_lines() {
                    plan.whole.push(i);
                } else {
                    plan.lines.extend(kw_lines.iter().map(|&s| (i, s)));
                }
            }
        }
    }
}

/// What must match where a keyword occurs for one of its rules to match there.
#[derive(Debug, Default)]
enum KeywordAnchor {
    #[default]
    None,
    /// The anchor all the keyword's rules share (a family's, see
    /// [`RuleSpec::keyword_anchor`]).
    Shared(crate::anchor::LazyAnchor),
    /// The keyword's one rule's own anchor, when the literals every match of the rule holds
    /// begin with its keywords, this one among them ([`anchor_of_rule`]),
    /// decided on the keyword's first hit. In five 20 KB C files of git/git, `pat` (of
    /// `path`) woke Airtable's `pat<14>.<64 hex>` on 400 lines and `ac` (of `each`) Twilio's
    /// `AC<32 hex>` on 229: 1,100 line searches in all.
    Rule(
        usize,
        std::sync::OnceLock<Option<crate::anchor::LazyAnchor>>,
    ),
}

impl KeywordAnchor {
    fn get(&self, rules: &[std::sync::Arc<Rule>], keyword: &str) -> Option<&crate::anchor::Anchor> {
        match self {
            KeywordAnchor::None => None,
            KeywordAnchor::Shared(a) => a.get(),
            KeywordAnchor::Rule(i, once) => once
                .get_or_init(|| anchor_of_rule(&rules[*i], keyword))
                .as_ref()
                .and_then(|a| a.get()),
        }
    }
}

/// A rule's required-literal anchor ([`crate::literals::Required::anchor`]) as the anchor of
/// its `keyword`'s hits: when each of the rule's required literals, in lower case, begins
/// with one of its keywords (Twilio's `AC0`..`ACf` with `ac`) and `keyword` begins one.
/// Every match then holds a literal, where a keyword's hit begins and the anchor matches, so
/// no line a match is on loses its hit.
/// Only a built-in rule's literals are looked up (build.rs found them); a user's rule keeps
/// its keywords as they are.
fn anchor_of_rule(rule: &Rule, keyword: &str) -> Option<crate::anchor::LazyAnchor> {
    let row = prebuilt(&rule.id, rule.regex.pattern.get())?;
    let (literals, _, anchor) = row.2?;
    let anchor = anchor?;
    let lowered: Vec<Vec<u8>> = literals.iter().map(|l| l.to_ascii_lowercase()).collect();
    let all_begin_with_keywords = lowered
        .iter()
        .all(|l| rule.keywords.iter().any(|k| l.starts_with(k.as_bytes())));
    let begins_one = lowered.iter().any(|l| l.starts_with(keyword.as_bytes()));
    (all_begin_with_keywords && begins_one)
        .then(|| crate::anchor::LazyAnchor::printed(anchor, parsed))
}

/// The keyword automaton, built on first use: while little has been scanned, a
/// noncontiguous NFA of the keywords' first [`KeywordGate::PREFIX`] bytes whose hits are
/// checked against the whole keywords (a hook scanning a few files should not pay for
/// an automaton of every keyword: 1,660 keywords cost ~3 ms as an NFA, their ~1,100 distinct
/// prefixes a fraction of that); a DFA of the whole keywords once the scanned bytes add up
/// (faster per byte, for history and large trees).
#[derive(Debug, Default)]
struct KeywordGate {
    keywords: Vec<String>,
    /// Distinct keyword prefixes, and for each the keywords that start with it.
    prefixes: Vec<Vec<u8>>,
    prefixed: Vec<Vec<usize>>,
    /// Each prefix by its packed bytes (see [`pack_prefix`]): the lookup of tiny scans.
    by_prefix: PrefixMap,
    /// A bit per hashed packed prefix ([`KeywordGate::seen_bit`], 65,536 bits): a position
    /// whose bytes' bit is clear holds no prefix, and the map is asked only where it is set
    /// (with ~1,100 prefixes, 1.7 % of clear positions set it by chance).
    seen: Vec<u64>,
    /// Whether some prefix has this length (index 1..=4).
    lengths: [bool; KeywordGate::PREFIX + 1],
    /// A bit per byte that some prefix starts with (in either case): a position whose byte
    /// starts none is skipped before any hashing (spaces, punctuation and most digits: in
    /// five 20 KB C files of git/git the gate went from 18.9 M to 15.2 M instructions).
    first: [u64; 4],
    small: std::sync::OnceLock<Option<AhoCorasick>>,
    large: std::sync::OnceLock<Option<AhoCorasick>>,
    scanned: std::sync::atomic::AtomicU64,
}

/// Packed prefixes (see [`pack_prefix`]) to their index. The keys are a few distinct bytes:
/// a multiply-rotate hash serves them (and the keyword index); with SipHash and a `Vec` key
/// per prefix, indexing ~1,600 keywords cost a pre-commit hook 2.7 M more instructions (6 %).
type PrefixMap = std::collections::HashMap<u64, usize, crate::hashing::Mix>;

/// A prefix of at most [`KeywordGate::PREFIX`] bytes, lowercased, as one number: its length,
/// then its bytes.
fn pack_prefix(bytes: &[u8]) -> u64 {
    bytes.iter().fold(bytes.len() as u64, |acc, &b| {
        acc << 8 | u64::from(b.to_ascii_lowercase())
    })
}

/// One of the gate's automatons.
#[derive(Clone, Copy)]
enum Automaton<'a> {
    /// Of the keywords' prefixes: hits are checked.
    Prefixes(&'a AhoCorasick),
    /// Of the whole keywords.
    Keywords(&'a AhoCorasick),
    /// None: each position's first bytes looked up in [`KeywordGate::by_prefix`].
    Lookup,
}

impl KeywordGate {
    /// At ~1,660 keywords the prefix NFA's per-byte cost shows beyond a few MB (a scan of the
    /// cargo registry sources spent ~30% of its time in it with the switch at 16 MB).
    const DFA_AFTER_BYTES: u64 = 2 << 20;
    /// Below this many scanned bytes no automaton is built: the prefix NFA of ~1,100
    /// prefixes cost 7.1 M instructions to build, 12 % of a pre-commit hook with both packs,
    /// while looking up each position's first bytes costs ~17 ns a byte of C code, keyword
    /// hits included (~30 instructions a byte before the filter of [`KeywordGate::seen`]). At
    /// 64 KiB a hook of five 20 KB C files built it on its fourth file, on the critical path:
    /// 18.3 ms, against 16.1 ms at 256 KiB (150 runs each); twelve such files (240 KB) 27.9
    /// against 26.7 ms; `--scan` of git/git unchanged.
    const LOOKUP_BELOW_BYTES: u64 = 256 << 10;
    const PREFIX: usize = 4;

    fn new(keywords: Vec<String>) -> KeywordGate {
        let mut prefixes: Vec<Vec<u8>> = Vec::new();
        let mut prefixed: Vec<Vec<usize>> = Vec::new();
        let mut by_prefix: PrefixMap = PrefixMap::with_capacity_and_hasher(
            keywords.len(),
            std::hash::BuildHasherDefault::default(),
        );
        let mut seen = vec![0u64; 1 << 10];
        let mut lengths = [false; Self::PREFIX + 1];
        let mut first = [0u64; 4];
        for (k, keyword) in keywords.iter().enumerate() {
            let bytes = keyword.as_bytes();
            let prefix = &bytes[..bytes.len().min(Self::PREFIX)];
            match by_prefix.entry(pack_prefix(prefix)) {
                std::collections::hash_map::Entry::Occupied(p) => prefixed[*p.get()].push(k),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(prefixes.len());
                    let prefix = prefix.to_ascii_lowercase();
                    lengths[prefix.len()] = true;
                    if let Some(&b) = prefix.first() {
                        for b in [b, b.to_ascii_uppercase()] {
                            first[usize::from(b >> 6)] |= 1 << (b & 63);
                        }
                    }
                    let bit = Self::seen_bit(pack_prefix(&prefix));
                    seen[bit >> 6] |= 1 << (bit & 63);
                    prefixes.push(prefix);
                    prefixed.push(vec![k]);
                }
            }
        }
        KeywordGate {
            keywords,
            prefixes,
            prefixed,
            by_prefix,
            seen,
            lengths,
            first,
            ..KeywordGate::default()
        }
    }

    /// The bit of [`KeywordGate::seen`] for a packed prefix.
    fn seen_bit(packed: u64) -> usize {
        (packed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
    }

    /// Call `f(at, prefix)` for each prefix at each position of `hay`, in order. The next
    /// [`KeywordGate::PREFIX`] bytes, lowercased, roll through one number; each length's
    /// packed prefix is a shift of it, tested against [`KeywordGate::seen`] before the map.
    /// With a filter of byte pairs instead, five 20 KB C files of git/git took 2.9 ms of CPU
    /// here: their common pairs (`pa`, `se`, `to`) sent most positions to the map.
    fn each_prefix(&self, hay: &[u8], mut f: impl FnMut(usize, usize) -> bool) {
        let lower = |i: usize| u32::from(hay.get(i).map_or(0, u8::to_ascii_lowercase));
        let mut window = (0..Self::PREFIX).fold(0u32, |w, i| w << 8 | lower(i));
        for at in 0..hay.len() {
            let b = hay[at];
            if self.first[usize::from(b >> 6)] & (1 << (b & 63)) == 0 {
                window = window << 8 | lower(at + Self::PREFIX);
                continue;
            }
            for len in 1..=Self::PREFIX.min(hay.len() - at) {
                if !self.lengths[len] {
                    continue;
                }
                let packed =
                    (len as u64) << (8 * len) | u64::from(window >> (8 * (Self::PREFIX - len)));
                let bit = Self::seen_bit(packed);
                if self.seen[bit >> 6] & (1 << (bit & 63)) == 0 {
                    continue;
                }
                if let Some(&p) = self.by_prefix.get(&packed)
                    && !f(at, p)
                {
                    return;
                }
            }
            window = window << 8 | lower(at + Self::PREFIX);
        }
    }

    fn build<P: AsRef<[u8]>>(
        kind: aho_corasick::AhoCorasickKind,
        patterns: &[P],
    ) -> Option<AhoCorasick> {
        if patterns.is_empty() {
            return None;
        }
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(patterns)
            .ok()
    }

    /// The prefixes' noncontiguous NFA, the cheapest to build: what hooks use, and what
    /// checks a single line.
    fn small(&self) -> Option<Automaton<'_>> {
        self.small
            .get_or_init(|| {
                Self::build(
                    aho_corasick::AhoCorasickKind::NoncontiguousNFA,
                    &self.prefixes,
                )
            })
            .as_ref()
            .map(Automaton::Prefixes)
    }

    fn automaton(&self, len: usize) -> Option<Automaton<'_>> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.prefixes.is_empty() {
            return None;
        }
        let total = self.scanned.fetch_add(len as u64, Relaxed) + len as u64;
        if total < Self::LOOKUP_BELOW_BYTES && self.small.get().is_none() {
            return Some(Automaton::Lookup);
        }
        if total >= Self::DFA_AFTER_BYTES || self.large.get().is_some() {
            return self
                .large
                .get_or_init(|| Self::build(aho_corasick::AhoCorasickKind::DFA, &self.keywords))
                .as_ref()
                .map(Automaton::Keywords);
        }
        self.small()
    }

    /// Call `f(start, keyword)` for each occurrence of a keyword in `hay` (in any ASCII
    /// case, overlapping), nearly in order of position, until `f` returns false.
    fn for_each_hit(&self, ac: Automaton<'_>, hay: &[u8], mut f: impl FnMut(usize, usize) -> bool) {
        match ac {
            Automaton::Keywords(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    if !f(m.start(), m.pattern().as_usize()) {
                        return;
                    }
                }
            }
            Automaton::Lookup => {
                self.each_prefix(hay, |at, p| self.whole_keywords(hay, at, p, &mut f))
            }
            Automaton::Prefixes(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    if !self.whole_keywords(hay, m.start(), m.pattern().as_usize(), &mut f) {
                        return;
                    }
                }
            }
        }
    }

    /// Call `f(at, keyword)` for the keywords of prefix `p` that occur whole at `at`; false
    /// once `f` returns false.
    fn whole_keywords(
        &self,
        hay: &[u8],
        at: usize,
        p: usize,
        f: &mut impl FnMut(usize, usize) -> bool,
    ) -> bool {
        for &k in &self.prefixed[p] {
            let keyword = self.keywords[k].as_bytes();
            let whole = hay
                .get(at..at + keyword.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(keyword));
            if whole && !f(at, k) {
                return false;
            }
        }
        true
    }
}

/// A built-in rule's gate facts as build.rs found them: `(id, pattern, (literals, cost,
/// anchor), spans lines)`.
type PrebuiltRow = (
    &'static str,
    &'static str,
    Option<(&'static [&'static [u8]], f64, Option<&'static str>)>,
    bool,
);

/// Every built-in `[[rule]]`'s [`PrebuiltRow`], by id.
const PREBUILT_LITERALS: &[PrebuiltRow] =
    include!(concat!(env!("OUT_DIR"), "/builtin_literals.rs"));

/// The row of a built-in rule with this id and pattern: `None` for a user's rule or an ERE
/// pattern (translated at run time).
fn prebuilt(id: &str, pattern: &str) -> Option<&'static PrebuiltRow> {
    let from = PREBUILT_LITERALS.partition_point(|(i, _, _, _)| *i < id);
    PREBUILT_LITERALS[from..]
        .iter()
        .take_while(|(i, _, _, _)| *i == id)
        .find(|(_, p, _, _)| *p == pattern)
}

/// Whether each `secret=` regex of the built-in families' provider lines can span lines
/// ([`crate::literals::can_span_lines`] of it as the family writes it), sorted by secret.
const PREBUILT_SECRET_SPANS: &[(&str, bool)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_secret_spans.rs"));

/// Whether a built-in family provider's `secret=` regex can span lines, found at build time.
pub(crate) fn prebuilt_secret_spans(secret: &str) -> Option<bool> {
    table_lookup(PREBUILT_SECRET_SPANS, secret)
}

/// Where this thread starts on a plan's `(rule, line)` pairs (sorted by rule): the `t`-th of
/// `n` pool threads at the `t/n`-th of the plan's rules, then around. A rule's regex is
/// compiled on its first search and a thread that needs it meanwhile waits: a hook's threads,
/// scanning different files that wake the same generic rules, compiled them one after the
/// other in the same order; starting apart, each compiles its share.
fn thread_pivot(lines: &[(usize, usize)]) -> usize {
    let (Some(t), n) = (rayon::current_thread_index(), rayon::current_num_threads()) else {
        return 0;
    };
    if t == 0 || n < 2 {
        return 0;
    }
    // Where each rule after the first starts.
    let starts = || (1..lines.len()).filter(|&at| lines[at - 1].0 != lines[at].0);
    let wanted = (1 + starts().count()) * t / n;
    wanted
        .checked_sub(1)
        .and_then(|k| starts().nth(k))
        .unwrap_or(0)
}

/// The value of `key` in one of build.rs's tables, sorted by their text keys.
fn table_lookup<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

/// [`crate::literals::can_span_lines`] of a built-in rule, found at build time.
fn prebuilt_spans_lines(id: &str, pattern: &str) -> Option<bool> {
    prebuilt(id, pattern).map(|row| row.3)
}

/// What the literal gate takes from a rule's regex: its required literals, their cost and,
/// when it is worth compiling, their anchor ([`crate::literals::required_literals`]). A
/// built-in rule's were found at build time, its anchor printed there and parsed on first use.
struct GateLiterals {
    literals: Vec<Vec<u8>>,
    cost: f64,
    anchor: Option<crate::anchor::LazyAnchor>,
}

/// [`GateLiterals`] of the rule `id` with `pattern`: from build.rs's table for a built-in
/// rule, else found now.
fn gate_literals(id: &str, pattern: &str) -> Option<GateLiterals> {
    match prebuilt(id, pattern) {
        Some((_, _, found, _)) => found.map(|(literals, cost, anchor)| GateLiterals {
            literals: literals.iter().map(|l| l.to_vec()).collect(),
            cost,
            anchor: anchor.map(|a| crate::anchor::LazyAnchor::printed(a, parsed)),
        }),
        None => crate::literals::required_literals(pattern).map(|r| GateLiterals {
            literals: r.literals,
            cost: r.cost,
            anchor: r.anchor.and_then(crate::anchor::LazyAnchor::new),
        }),
    }
}

/// A built-in pack file's JSON (build.rs writes it from the TOML, with the table of every
/// `patterns/**/*.toml`), by its source name (`patterns/<file>`).
fn builtin_json(source: &str) -> Option<&'static str> {
    const JSON: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_json.rs"));
    JSON.iter().find(|(s, _)| *s == source).map(|(_, j)| *j)
}

/// The built-in packs: name and the TOML files that make it up.
pub const BUILTIN_PACKS: &[(&str, &[(&str, &str)])] = &[
    ("aws", &[("aws.toml", include_str!("../patterns/aws.toml"))]),
    (
        "common",
        &[
            (
                "common/source-ci.toml",
                include_str!("../patterns/common/source-ci.toml"),
            ),
            (
                "common/saas.toml",
                include_str!("../patterns/common/saas.toml"),
            ),
            (
                "common/cloud-ai.toml",
                include_str!("../patterns/common/cloud-ai.toml"),
            ),
            (
                "common/keys-generic.toml",
                include_str!("../patterns/common/keys-generic.toml"),
            ),
            (
                "common/providers.toml",
                include_str!("../patterns/common/providers.toml"),
            ),
        ],
    ),
];

fn parse_severity(spec: Option<&SeveritySpec>) -> Result<(u8, SeverityLabel), String> {
    match spec {
        None => Ok((SeverityLabel::High.default_score(), SeverityLabel::High)),
        Some(SeveritySpec::Score(n)) if (0..=100).contains(n) => {
            let n = *n as u8;
            Ok((n, SeverityLabel::from_score(n)))
        }
        Some(SeveritySpec::Score(n)) => Err(format!("severity {n} is not within 0..=100")),
        Some(SeveritySpec::Label(l)) => {
            let label = match l.to_ascii_uppercase().as_str() {
                "INFORMATIONAL" => SeverityLabel::Informational,
                "LOW" => SeverityLabel::Low,
                "MEDIUM" => SeverityLabel::Medium,
                "HIGH" => SeverityLabel::High,
                "CRITICAL" => SeverityLabel::Critical,
                _ => {
                    return Err(format!(
                        "severity '{l}' is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL or 0-100"
                    ));
                }
            };
            Ok((label.default_score(), label))
        }
    }
}

/// The lean form of a rule's regex (see [`LazyRegex`]): the same syntax and semantics as
/// [`compile_regex`] (`regex::bytes` is this engine with the lazy DFA, full DFA, one-pass DFA
/// and prefilters switched on).
/// Built-in patterns' parsed trees, as build.rs wrote them ([`hir_code`]), by pattern.
const PREBUILT_HIR: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/builtin_hir.rs"));

/// Each built-in pattern of [`PREBUILT_HIR`] with its tree widened ([`hir_code::widened`])
/// and encoded at build time, or `None` when it has no counted repetition; sorted by pattern.
const PREBUILT_WIDENED: &[(&str, Option<&[u8]>)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_widened.rs"));

/// `pattern` parsed as the engine compiles it ([`crate::literals::parse`]): a built-in
/// pattern's tree is rebuilt from build.rs's bytes instead.
fn parsed(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    table_lookup(PREBUILT_HIR, pattern)
        .and_then(hir_code::decode)
        .or_else(|| crate::literals::parse(pattern))
}

/// What every meta regex of a rule or path filter shares: empty matches may split a UTF-8
/// sequence (the text is bytes), `regex`'s NFA size limit, and neither full nor one-pass DFAs
/// nor a prefilter: each runs on text the gate has already picked (see [`FullRegex`]).
fn meta_config() -> regex_automata::meta::Config {
    regex_automata::meta::Config::new()
        .utf8_empty(false)
        .nfa_size_limit(Some(16 << 20))
        .dfa(false)
        .onepass(false)
        .auto_prefilter(false)
}

/// `pattern` built with `config`; `None` when it does not parse or is too large.
fn compile_meta(
    pattern: &str,
    config: regex_automata::meta::Config,
) -> Option<regex_automata::meta::Regex> {
    build_meta(&parsed(pattern)?, config)
}

fn build_meta(
    hir: &regex_syntax::hir::Hir,
    config: regex_automata::meta::Config,
) -> Option<regex_automata::meta::Regex> {
    regex_automata::meta::Builder::new()
        .configure(config)
        .build_from_hir(hir)
        .ok()
}

/// `built` (`pattern` compiled), or why it is not: `regex`'s words for a pattern it refuses,
/// else `too_large` (the size limits are the same).
fn compiled_or_why<T>(built: Option<T>, pattern: &str, too_large: &str) -> Result<T, String> {
    built.ok_or_else(|| {
        compile_regex(pattern)
            .err()
            .unwrap_or_else(|| too_large.into())
    })
}

/// The meta regex configuration of a rule's lean form: Thompson NFA, bounded backtracker and
/// PikeVM only (see [`LazyRegex`]).
fn lean_config() -> regex_automata::meta::Config {
    meta_config().hybrid(false)
}

/// A path regex's engines: the lazy DFA, which searches a path ending in `$` backwards from its
/// end. The lean engines' unanchored backtracker, tried from every start, took 0.9 µs a path
/// where this takes 0.06 µs (git/git's 4,848 paths, the packs' path regexes), and builds in
/// as little time (50-75 µs each); the lean form made path checks 8 % of a `--scan` of
/// git/git's work tree (120 M of 1.50 G instructions).
fn path_config() -> regex_automata::meta::Config {
    meta_config()
        .backtrack(false)
        .which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
}

fn compile_path(pattern: &str) -> Option<regex_automata::meta::Regex> {
    compile_meta(pattern, path_config())
}

fn compile_lean(pattern: &str) -> Option<regex_automata::meta::Regex> {
    compile_meta(pattern, lean_config())
}

/// The lean form's prefilter ([`hir_code::widened`]), with no capture groups: `None` when the
/// pattern has no counted repetition (the prefilter would cost as much as the rule).
fn compile_widened(pattern: &str) -> Option<regex_automata::meta::Regex> {
    compile_widened_with(
        pattern,
        lean_config().which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
    )
}

/// The large scans' prefilter: the lazy DFA, no captures (an `is_match` runs forward only).
fn widened_dfa_config() -> regex_automata::meta::Config {
    meta_config().which_captures(regex_automata::nfa::thompson::WhichCaptures::None)
}

fn compile_widened_with(
    pattern: &str,
    config: regex_automata::meta::Config,
) -> Option<regex_automata::meta::Regex> {
    let wide = match table_lookup(PREBUILT_WIDENED, pattern) {
        Some(code) => hir_code::decode(code?)?,
        None => hir_code::widened(&parsed(pattern)?)?,
    };
    build_meta(&wide, config)
}

/// A rule's full form: every engine but the prefilter. A rule's full form runs on text that
/// its keywords, literals and (in large scans) widened pattern have already picked, where a
/// prefilter rarely skips anything; extracting one was ~40 % of the compile time (the 65
/// rules git/git's work tree wakes: 69 ms through `regex`'s builder, 40 ms without).
type FullRegex = regex_automata::meta::Regex;

/// A rule's full form ([`FullRegex`]), or why the pattern does not compile (`regex`'s words).
/// Its lazy DFA may grow as large as `regex`'s builder let it.
fn compile_full(pattern: &str) -> Result<FullRegex, String> {
    compiled_or_why(
        compile_meta(pattern, meta_config().hybrid_cache_capacity(16 << 20)),
        pattern,
        "invalid pattern: too large to compile",
    )
}

fn compile_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .multi_line(true)
        .size_limit(16 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| {
            // regex's messages span several lines; keep the last, most specific one.
            let text = e.to_string();
            let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
            format!(
                "invalid pattern: {}",
                last.trim().trim_start_matches("error: ")
            )
        })
}

fn compile_globs(globs: &[String]) -> Result<Option<globset::GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(false)
            .build()
            .map_err(|e| format!("invalid path glob '{g}': {e}"))?;
        b.add(glob);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

/// Literals that every match must contain at its start, lower-cased; empty when the regex has
/// none worth gating on (shorter than 3 bytes, or unbounded).
fn derive_keywords(pattern: &str) -> Vec<String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut extractor = regex_syntax::hir::literal::Extractor::new();
    extractor.kind(regex_syntax::hir::literal::ExtractKind::Prefix);
    let seq = extractor.extract(&hir);
    let Some(lits) = seq.literals() else {
        return Vec::new();
    };
    if lits.is_empty() || lits.len() > 64 || lits.iter().any(|l| l.as_bytes().len() < 3) {
        return Vec::new();
    }
    let mut out: Vec<String> = lits
        .iter()
        .map(|l| String::from_utf8_lossy(l.as_bytes()).to_ascii_lowercase())
        .collect();
    out.sort();
    out.dedup();
    out
}

pub use crate::text::entropy;

/// Whether rule sets are left to the process's exit instead of freed (see [`keep_at_exit`]).
static KEEP_AT_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Leave every rule set to the process's exit instead of freeing it: freeing ~1,200 rules,
/// their closures and the keyword planner was 6 M instructions, 12 % of a pre-commit hook
/// with both packs. For a binary that exits after one command; a library that builds rule
/// sets repeatedly leaves this off.
pub fn keep_at_exit() {
    KEEP_AT_EXIT.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Words that begin many providers' tokens, alone or with a separator: a prefix made of one
/// of them says nothing about the provider (Runway's `key_`, Octopus Deploy's `API-`), so
/// another case of it is no look-alike. Found by a Mailgun `key-` key that Runway's `key_`
/// dropped in `scripts/quality --examples`.
const COMMON_PREFIX_WORDS: &[&[u8]] = &[
    b"key", b"api", b"apikey", b"live", b"test", b"prod", b"secret", b"token", b"pat", b"auth",
    b"access", b"sk", b"pk", b"rk", b"ak", b"id", b"app", b"user", b"bot", b"dev", b"sandbox",
];

/// A format rule's token prefix (one of its keywords), for [`RuleSet::drop_look_alikes`].
#[derive(Debug)]
struct TokenPrefix {
    /// As compared: lower case, `-` as `_`.
    folded: Vec<u8>,
    /// As the rule writes it.
    written: Vec<u8>,
    /// The rule's index.
    rule: usize,
    /// The rule's secret group, parsed only for a value that has this prefix as written
    /// (parsing every owner's pattern when a scan first had a generic hit cost a pre-commit
    /// hook 4 ms).
    shape: std::sync::OnceLock<Option<TokenShape>>,
}

/// What a format rule's secret group takes, for judging a value with its prefix.
#[derive(Debug)]
struct TokenShape {
    /// The fewest bytes the group matches.
    min_len: Option<usize>,
    /// The group with every literal optional and every repetition unbounded (`xoxb-`,
    /// `[0-9]{10,13}`, `-`... as `(?:xoxb-)?[0-9]+-?...`), anchored: the alphabets in their
    /// order, whatever the lengths, matched on what follows the prefix.
    relaxed: Option<regex::bytes::Regex>,
}

impl TokenShape {
    fn of(pattern: &str, group: usize) -> Option<TokenShape> {
        use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};
        fn find(hir: &Hir, group: usize) -> Option<&Hir> {
            match hir.kind() {
                HirKind::Capture(c) if c.index as usize == group => Some(&c.sub),
                HirKind::Capture(c) => find(&c.sub, group),
                HirKind::Repetition(r) => find(&r.sub, group),
                HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                    hs.iter().find_map(|h| find(h, group))
                }
                _ => None,
            }
        }
        fn relax(hir: &Hir) -> Hir {
            let repeat = |min: u32, max: Option<u32>, sub: Hir| {
                Hir::repetition(Repetition {
                    min,
                    max,
                    greedy: true,
                    sub: Box::new(sub),
                })
            };
            match hir.kind() {
                HirKind::Literal(_) => repeat(0, Some(1), hir.clone()),
                HirKind::Repetition(r) => repeat(r.min.min(1), None, relax(&r.sub)),
                HirKind::Capture(c) => Hir::capture(Capture {
                    index: c.index,
                    name: c.name.clone(),
                    sub: Box::new(relax(&c.sub)),
                }),
                HirKind::Concat(hs) => Hir::concat(hs.iter().map(relax).collect()),
                HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(relax).collect()),
                _ => hir.clone(),
            }
        }
        let parsed = crate::literals::parse(pattern)?;
        let sub = find(&parsed, group)?;
        // 1 MiB bounds a pathological pattern; the largest group of the packs needs ~40 KiB.
        let relaxed = regex::bytes::RegexBuilder::new(&format!("^(?:{})$", relax(sub)))
            .unicode(false)
            .size_limit(1 << 20)
            .build()
            .ok();
        Some(TokenShape {
            min_len: sub.properties().minimum_len(),
            relaxed,
        })
    }

    /// Whether `value`, which starts with `prefix`, cannot be this format's token: shorter
    /// than it can be, or of other alphabets whatever its length (`rubygems_` and upper-case
    /// letters, `xoxb-` and letters where the team id's digits go, `ghp_` and a `.`).
    /// Literals inside a token (OpenAI's `T3BlbkFJ`, Heroku's `AA` after `HRKU-`) are not
    /// required: held-out corpora draw tokens without them (4 of 1,039 in one), and such a
    /// value is still a secret for the generic rules.
    fn rejects(&self, prefix: &[u8], value: &[u8]) -> bool {
        self.min_len.is_some_and(|min| value.len() < min)
            || self
                .relaxed
                .as_ref()
                .is_some_and(|r| !r.is_match(&value[prefix.len().min(value.len())..]))
    }
}

/// Whether `value` starts with `prefix` (a token prefix ending in `_` or `-`, 4 characters or
/// more) with one letter or digit changed between its first two characters and its
/// separator, in the prefix's case and character classes. Issued prefixes are fixed strings,
/// so `ghx_` beside GitHub's `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` is an invented one. Two
/// changes (`shpxx_` for `shpat_`) also reach real prefixes of one provider (PlanetScale's
/// `pscale_tkn_` and a `pscale_tok_`), so they are kept, unless every changed character is
/// an `x`: a prefix masked as documentation masks it (`sk-ant-apixx-`, `shpxx_`).
fn near_variant(value: &[u8], prefix: &[u8]) -> bool {
    let n = prefix.len();
    if n < 4
        || value.len() <= n
        || !matches!(prefix[n - 1], b'_' | b'-')
        || value[n - 1] != prefix[n - 1]
    {
        return false;
    }
    // As issued, to the case: a random value that only starts like a prefix in another case
    // (`LiU_` of a base64url secret beside Linear's `lin_`) is no invented prefix, and the
    // generators of corpora draw such values (seed 97 of scripts/quality lost one).
    if value[..2] != prefix[..2] {
        return false;
    }
    let class = |b: u8| {
        (
            b.is_ascii_lowercase(),
            b.is_ascii_uppercase(),
            b.is_ascii_digit(),
        )
    };
    let (mut changed, mut masked) = (0, 0);
    for i in 2..n - 1 {
        if !value[i].eq_ignore_ascii_case(&prefix[i]) {
            if !value[i].is_ascii_alphanumeric()
                || !prefix[i].is_ascii_alphanumeric()
                || class(value[i]) != class(prefix[i]) && !value[i].eq_ignore_ascii_case(&b'x')
            {
                return false;
            }
            changed += 1;
            masked += usize::from(value[i].eq_ignore_ascii_case(&b'x'));
        }
    }
    // Any number of characters masked with `x` is a placeholder, not a prefix.
    changed == 1 || changed > 0 && masked == changed
}

/// How `pattern` spells `keyword` (found in any ASCII case, a `\\` allowed before each
/// punctuation character: `SG\\.`, `glpat\\-`), if it does.
fn spelled_in(pattern: &[u8], keyword: &[u8]) -> Option<Vec<u8>> {
    (0..pattern.len()).find_map(|start| {
        let mut at = start;
        let mut spelled = Vec::with_capacity(keyword.len());
        for &k in keyword {
            if !k.is_ascii_alphanumeric() && pattern.get(at) == Some(&b'\\') {
                at += 1;
            }
            let &p = pattern.get(at)?;
            if !p.eq_ignore_ascii_case(&k) {
                return None;
            }
            spelled.push(p);
            at += 1;
        }
        Some(spelled)
    })
}

/// A byte of a token prefix as [`RuleSet::drop_look_alikes`] compares it: lower case, `-`
/// and `.` as `_` (Doppler's `dp.pt.` written `dp_pt_`).
fn fold(b: u8) -> u8 {
    if b == b'-' || b == b'.' {
        b'_'
    } else {
        b.to_ascii_lowercase()
    }
}

impl Drop for RuleSet {
    fn drop(&mut self) {
        if KEEP_AT_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
            std::mem::forget(std::mem::take(&mut self.rules));
            std::mem::forget(std::mem::take(&mut self.allowed));
            std::mem::forget(std::mem::take(&mut self.keywords));
            std::mem::forget(std::mem::take(&mut self.literal_gates));
            std::mem::forget(std::mem::take(&mut self.prefixes));
        }
    }
}

impl RuleSet {
    /// The patterns of allowlist entries that apply to every rule and path (no `rules`,
    /// `paths` or `path_regex`), for the broad-entry warning ([`crate::policy`]).
    pub fn unrestricted_allowed_patterns(&self) -> Vec<&str> {
        self.allowed
            .iter()
            .filter(|a| a.rules.is_empty() && a.paths.is_none() && a.path_regex.is_none())
            .map(|a| a.regex.pattern.get())
            .collect()
    }

    /// Parse and compile registry TOML; `source` names it in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<RuleSet, RegistryError> {
        let mut set = RuleSet::default();
        set.add_toml(text, source)?;
        set.finish();
        Ok(set)
    }

    /// The built-in pack `name`.
    pub fn builtin(name: &str) -> Option<Result<RuleSet, RegistryError>> {
        RuleSet::builtin_for(name, None)
    }

    /// [`RuleSet::builtin`] for texts whose three-byte sequences `presence` holds (when
    /// given, once it is): the families expand only the providers whose keywords may occur in
    /// them, the others could match nothing there.
    pub fn builtin_for(
        name: &str,
        presence: Option<&PendingPresence>,
    ) -> Option<Result<RuleSet, RegistryError>> {
        let (_, files) = BUILTIN_PACKS.iter().find(|(n, _)| *n == name)?;
        let mut set = RuleSet::default();
        Some(set.add_builtin(files, presence).map(|()| {
            set.finish();
            set
        }))
    }

    /// Parse a pack's files on as many threads, then merge them in order: parsing the common
    /// pack's five files (340 KB of TOML, ~1,200 rules) took 4.1 ms on one core, a quarter
    /// of a pre-commit hook's time; on two cores 2.4 ms.
    fn add_builtin(
        &mut self,
        files: &[(&str, &str)],
        presence: Option<&PendingPresence>,
    ) -> Result<(), RegistryError> {
        let parse = |(file, text): &(&str, &str)| {
            let mut part = RuleSet::default();
            part.add_toml_compiled(text, &format!("patterns/{file}"), true, true, presence)
                .map(|_| part)
        };
        // The largest file is parsed on this thread, at once, and the others on threads
        // of their own: the common pack's providers.toml is three quarters of its work
        // (2.6 of 3.5 ms), and spawned last, behind the hook's other threads, it started
        // 3 ms late on two cores.
        let Some(largest) = (0..files.len()).max_by_key(|&i| files[i].1.len()) else {
            return Ok(());
        };
        let parts: Vec<Result<RuleSet, RegistryError>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..files.len())
                .map(|i| (i != largest).then(|| s.spawn(move || parse(&files[i]))))
                .collect();
            let mut on_this_thread = Some(parse(&files[largest]));
            handles
                .into_iter()
                .map(|h| match h {
                    Some(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    None => on_this_thread
                        .take()
                        .expect("the largest file is parsed on this thread once"),
                })
                .collect()
        });
        for part in parts {
            self.extend(part?)?;
        }
        Ok(())
    }

    /// Add the rules of another registry text (call [`RuleSet::finish`] afterwards).
    pub fn add_toml(&mut self, text: &str, source: &str) -> Result<(), RegistryError> {
        self.add_toml_compiled(text, source, false, true, None)
            .map(|_| ())
    }

    /// [`RuleSet::from_toml`] without the file's own allowlist (`[[allowed]]`, a gitleaks
    /// `[allowlist]`): for a registry that an untrusted repository names, whose rules may add
    /// findings but whose allowlist must not remove other registries' ([`crate::policy`]).
    /// Also returns how many allowlist entries were dropped.
    pub fn from_toml_without_allowlist(
        text: &str,
        source: &str,
    ) -> Result<(RuleSet, usize), RegistryError> {
        let mut set = RuleSet::default();
        let dropped = set.add_toml_compiled(text, source, false, false, None)?;
        set.finish();
        Ok((set, dropped))
    }

    /// `builtin`: one of our packs, which are in our format and tested, so their regexes
    /// compile on first use (a user's compile now, so that a bad one stops the scan).
    /// `keep_allowed`: add the file's allowlist; when false it is dropped and the number of
    /// dropped entries returned.
    fn add_toml_compiled(
        &mut self,
        text: &str,
        source: &str,
        builtin: bool,
        keep_allowed: bool,
        presence: Option<&PendingPresence>,
    ) -> Result<usize, RegistryError> {
        let lazy = builtin;
        let err = |rule: Option<&str>, message: String| RegistryError {
            source: source.to_string(),
            rule: rule.map(str::to_string),
            message,
        };
        let file: RegistryFile = if builtin {
            // build.rs made the JSON from a pack that parsed as TOML; the test suite loads
            // every pack, so a field that does not fit stops the tests, not a user.
            let json = builtin_json(source)
                .ok_or_else(|| err(None, "no JSON was built for this pack file".into()))?;
            serde_json::from_str(json).map_err(|e| err(None, e.to_string()))?
        } else if gitleaks::is_gitleaks_config(text) {
            gitleaks::translate(text).map_err(|(rule, message)| err(rule.as_deref(), message))?
        } else {
            toml::from_str(text).map_err(|e| err(None, toml_message(&e, text)))?
        };
        let _ = file.pack.as_ref().map(|p| (&p.id, &p.description));
        let mut specs = file.rules;
        let mut allowed = file.allowed;
        for f in file.families {
            let (rules, not_secret) = f
                .expand(presence.and_then(PendingPresence::wait))
                .map_err(|(rule, m)| err(Some(&rule), m))?;
            specs.extend(rules);
            allowed.extend(not_secret);
        }
        // Ids are checked first, borrowed: cloning each into a set was 2,600 allocations of
        // the 58,000 a hook with both packs made.
        {
            let mut ids: HashSet<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
            for spec in &specs {
                if spec.id.trim().is_empty() {
                    return Err(err(None, "a rule has an empty id".into()));
                }
                if !ids.insert(&spec.id) {
                    return Err(err(Some(&spec.id), "duplicate rule id".into()));
                }
            }
        }
        let shared_source: std::sync::Arc<str> = source.into();
        for spec in specs {
            let id = spec.id.clone();
            let e = |m: String| err(Some(&id), m);
            let written = match spec.lazy_pattern {
                Some(write) => PatternText::lazy(write),
                None => PatternText::ready(spec.pattern),
            };
            let pattern = match spec.syntax {
                Syntax::Regex => written.clone(),
                Syntax::Ere => PatternText::ready(
                    ere::translate(written.get().as_bytes()).map_err(|x| e(x.message))?,
                ),
            };
            // Built-in packs are compiled by the test suite; here they are only parsed, and
            // compiled on first use. User registries are compiled now, so a pattern that does
            // not compile stops the scan before it starts.
            let groups = if lazy {
                None
            } else {
                match crate::literals::parse(pattern.get()) {
                    Some(hir) => Some(hir.properties().explicit_captures_len()),
                    None => {
                        return Err(e(compile_regex(pattern.get())
                            .err()
                            .unwrap_or_else(|| "invalid pattern".into())));
                    }
                }
            };
            let compiled = std::sync::OnceLock::new();
            if !lazy {
                let _ = compiled.set(Some(compile_full(pattern.get()).map_err(e)?));
            }
            let regex = LazyRegex::new(pattern.clone(), compiled);
            if let (Some(g), Some(groups)) = (spec.secret_group, groups)
                && g > groups
            {
                return Err(e(format!(
                    "secret_group {g} does not exist (the pattern has {groups} groups)"
                )));
            }
            let (severity, severity_label) = parse_severity(spec.severity.as_ref()).map_err(e)?;
            let keywords = match spec.keywords {
                Some(mut k) => {
                    k.iter_mut().for_each(|k| k.make_ascii_lowercase());
                    k
                }
                None => derive_keywords(pattern.get()),
            };
            if keywords.iter().any(String::is_empty) {
                return Err(e("empty keyword".into()));
            }
            let paths = compile_globs(&spec.paths).map_err(e)?;
            let path_regex = PathRegex::optional(spec.path_regex.as_deref(), lazy).map_err(e)?;
            let multiline =
                std::sync::Arc::new(std::sync::LazyLock::new(match spec.lazy_multiline {
                    Some(decide) => decide.0,
                    None => {
                        let (pattern, id) = (pattern.clone(), spec.id.clone());
                        Box::new(move || {
                            prebuilt_spans_lines(&id, pattern.get())
                                .unwrap_or_else(|| crate::literals::can_span_lines(pattern.get()))
                        }) as Box<dyn FnOnce() -> bool + Send + Sync>
                    }
                }));
            self.rules.push(std::sync::Arc::new(Rule {
                id: spec.id,
                description: spec.description,
                written,
                severity,
                severity_label,
                confidence: spec.confidence,
                source: shared_source.clone(),
                references: spec.references,
                regex,
                multiline,
                keywords,
                keywords_in_every_match: spec.keywords_in_every_match,
                keyword_anchor: spec.keyword_anchor,
                secret_group: spec.secret_group,
                min_entropy: spec.min_entropy,
                filter: spec.filter,
                checksum: spec.checksum,
                paths,
                path_regex,
                examples: Examples::new(spec.examples, spec.negative_examples, spec.lazy_examples),
                windowing: Default::default(),
            }));
        }
        if !keep_allowed {
            return Ok(allowed.len());
        }
        self.add_allowed(allowed, source, lazy).map(|()| 0)
    }

    /// Add a project file's allowlist entries.
    pub fn add_project_allowed(
        &mut self,
        project: ProjectFile,
        source: &str,
    ) -> Result<(), RegistryError> {
        self.add_allowed(project.allowed, source, false)
    }

    fn add_allowed(
        &mut self,
        allowed: Vec<AllowedSpec>,
        source: &str,
        lazy: bool,
    ) -> Result<(), RegistryError> {
        let err = |message: String| RegistryError {
            source: source.to_string(),
            rule: None,
            message,
        };
        for a in allowed {
            let compiled = std::sync::OnceLock::new();
            if !lazy {
                let regex = compile_full(&a.pattern)
                    .map_err(|m| err(format!("allowed '{}': {m}", a.pattern)))?;
                let _ = compiled.set(Some(regex));
            }
            let regex = LazyRegex::new(PatternText::ready(a.pattern.clone()), compiled);
            let paths = compile_globs(&a.paths).map_err(err)?;
            let path_regex = PathRegex::optional(a.path_regex.as_deref(), lazy).map_err(err)?;
            self.allowed.push(Allowed {
                regex,
                rules: a.rules,
                paths,
                path_regex,
            });
        }
        Ok(())
    }

    /// Call after all registries were added: the keyword planner and the literal gates are
    /// built again, on first use (a hook merges two packs and pays for one planner, not three).
    pub fn finish(&mut self) {
        self.keywords = std::sync::OnceLock::new();
        self.literal_gates = std::sync::OnceLock::new();
        self.prefixes = std::sync::OnceLock::new();
    }

    /// The token prefixes of the format rules: the keywords of rules without a value filter
    /// and without path filters that look like a token's prefix rather than a word (3 or more
    /// characters with a digit, a `_`, `-` or `.`, or both cases: `ghp_`, `sk_live_`, `SG.`,
    /// `AIza`), each with its rule.
    fn prefixes(&self) -> &[TokenPrefix] {
        self.prefixes.get_or_init(|| {
            let mut out = Vec::new();
            for (i, rule) in self.rules.iter().enumerate() {
                if rule.filter.is_some() || rule.path_limited() {
                    continue;
                }
                // A caseless pattern takes its prefix in any case: no case is a look-alike.
                let pattern = rule.regex.pattern.get().as_bytes();
                if pattern.windows(3).any(|w| w == b"(?i") {
                    continue;
                }
                for k in &rule.keywords {
                    // Keywords are kept in lower case: the case a token uses is the
                    // pattern's. A prefix the pattern does not spell is not judged.
                    let Some(written) = spelled_in(pattern, k.as_bytes()) else {
                        continue;
                    };
                    let marked = written
                        .iter()
                        .any(|&b| b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.'));
                    let cased = written.iter().any(u8::is_ascii_uppercase)
                        && written.iter().any(u8::is_ascii_lowercase);
                    // A word and a separator (`key_`, `API-`, `live_`) begins other
                    // providers' tokens too: no case of it is a look-alike.
                    let word: Vec<u8> = written
                        .iter()
                        .filter(|b| b.is_ascii_alphanumeric())
                        .map(u8::to_ascii_lowercase)
                        .collect();
                    let common = COMMON_PREFIX_WORDS.contains(&word.as_slice());
                    // A prefix of one case and no mark (`dapi`, `LTAI`, `ATBB`) counts only
                    // where it opens the token as a capture (`(dapi[a-f0-9]{32}`): spelled
                    // elsewhere (`jenkins` in a URL, `mainnet` of Blockfrost) it is a word
                    // that passwords begin with too.
                    let opens = || {
                        let mut group = b"(".to_vec();
                        group.extend_from_slice(&written);
                        written.len() >= 4
                            && pattern.windows(group.len()).any(|w| w == group.as_slice())
                    };
                    // Digits then one letter (Salesforce's `00D`) begin other tokens by
                    // chance: Okta's are `00` then base64url, and 2 in 64 of them begin `00d`
                    // or `00D` (the hold-out corpus lost one so). A letter first (1Password's
                    // `A3-`) still marks its provider.
                    let letters = written.iter().filter(|b| b.is_ascii_alphabetic()).count();
                    if written.len() >= 3
                        && (letters >= 2 || written[0].is_ascii_alphabetic())
                        && (marked || cased || opens())
                        && !common
                        && !written.contains(&b' ')
                    {
                        out.push(TokenPrefix {
                            folded: written.iter().map(|&b| fold(b)).collect(),
                            written,
                            rule: i,
                            shape: std::sync::OnceLock::new(),
                        });
                    }
                }
            }
            out
        })
    }

    /// Drop the hits of value-filtered (generic) rules whose secret is a format rule's token
    /// that the format rule itself would not take, where no format rule hit the same text:
    /// token prefixes are fixed strings and token bodies have a documented alphabet, so such a
    /// value is a look-alike (documentation, fixtures, invented), as the checksummed ones
    /// already were. Three steps, in order:
    ///
    /// 1. The prefix as written (`ghp_`, `rubygems_`, `xoxb-`): kept only where the value fits
    ///    the format rule's token with every literal optional and every length unbounded
    ///    ([`TokenShape`]): another alphabet (`ghp_` with `-`, `rubygems_` with upper case)
    ///    or a value shorter than the token can be (`sk_live_UwIkD7`) is dropped, while a
    ///    token without a literal the rule expects (OpenAI keys without `T3BlbkFJ`, Heroku
    ///    keys without `AA`) or longer than the rule takes is kept.
    /// 2. The prefix in another case, or with `_` for `-` (`GHP_...`, `SK_LIVE_...`,
    ///    `aiza...`, `glpat_...`): dropped.
    /// 3. The prefix with one letter or digit changed ([`near_variant`]: `ghx_`): dropped.
    ///
    /// Measured on `scripts/quality --examples` (1,107 positives, two seeds): negatives flagged
    /// 10.4 % to 4.0 % (seed 7: 10.9 % to 4.5 %) with recall 97.3 % to 97.5 % (95.9 % to
    /// 96.3 %); the holdout and first corpora unchanged. An earlier try that dropped every
    /// value the format rule misses reached 8.9 % but lost 20 positives, where a format rule
    /// is narrower than the tokens issued or needs the provider's name beside the value
    /// (Mailgun's `key-`). Only rules that apply at every path count, so that a blob's hits
    /// do not depend on whether its paths were known when it was scanned.
    fn drop_look_alikes(&self, buf: &[u8], hits: &mut Vec<RuleHit>) {
        if !hits.iter().any(|h| self.rules[h.rule].filter.is_some()) {
            return;
        }
        let prefixes = self.prefixes();
        let overlaps = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
            a.start < b.end && b.start < a.end
        };
        let keep: Vec<bool> = hits
            .iter()
            .map(|h| {
                if self.rules[h.rule].filter.is_none() {
                    return true;
                }
                let secret = &buf[h.secret.clone()];
                let rejected_by = |p: &TokenPrefix| {
                    let rule = &self.rules[p.rule];
                    p.shape
                        .get_or_init(|| {
                            rule.secret_group
                                .and_then(|g| TokenShape::of(rule.regex.pattern.get(), g))
                        })
                        .as_ref()
                        .is_some_and(|shape| shape.rejects(&p.written, secret))
                };
                let owner_hit = |p: &TokenPrefix| {
                    hits.iter()
                        .any(|o| o.rule == p.rule && overlaps(&o.secret, &h.secret))
                };
                // 1. The prefix as written: the format rule decides, when the value cannot be
                // its token at any length (`rubygems_` and upper-case letters, `xoxb-` and
                // letters where the team id's digits go) or is shorter than its token.
                let mut exact = prefixes
                    .iter()
                    .filter(|p| secret.starts_with(&p.written))
                    .peekable();
                if exact.peek().is_some() {
                    return exact.any(|p| owner_hit(p) || !rejected_by(p));
                }
                // 2. The prefix in another case, or with `_` for `-` (prefixes of 5 characters
                // or more: `glpat_`). A shorter prefix only all upper or all lower case
                // (`AIZA`, `aiza`, `GHP_`): random mixed case starts like one of the short
                // prefixes by chance (`eYj` of a password beside JWT's `eyJ`, `dt0S` beside
                // Dynatrace's `dt0s`; seed 101 of scripts/quality lost a URL password so).
                let variant = prefixes.iter().any(|p| {
                    let n = p.folded.len();
                    secret.len() >= n
                        && if n >= 5 {
                            secret[..n]
                                .iter()
                                .map(|&b| fold(b))
                                .eq(p.folded.iter().copied())
                        } else {
                            let head = &secret[..n];
                            head.eq_ignore_ascii_case(&p.written)
                                && (head == p.written.to_ascii_uppercase().as_slice()
                                    || head == p.written.to_ascii_lowercase().as_slice())
                                // The same letters, as issued, with another separator
                                // (`pul_` for Pulumi's `pul-`, `sqa-` for SonarQube's
                                // `sqa_`): a random value starts so with probability
                                // 1/62^3 x 2/64 a prefix (`--prefixed` seed 4 flagged 3).
                                || (head[..n - 1] == p.written[..n - 1]
                                    && p.folded[n - 1] == b'_'
                                    && fold(head[n - 1]) == b'_')
                        }
                });
                // 3. A prefix with one letter or digit changed between its first two
                // characters and its closing separator (`ghx_`, `xoxz-`, `dop_v9_`).
                !variant && !prefixes.iter().any(|p| near_variant(secret, &p.written))
            })
            .collect();
        let mut keep = keep.into_iter();
        hits.retain(|_| keep.next().unwrap_or(true));
    }

    fn planner(&self) -> &KeywordPlanner {
        self.keywords
            .get_or_init(|| KeywordPlanner::new(&self.rules, |_| true))
    }

    /// The rules.
    pub fn rules(&self) -> &[std::sync::Arc<Rule>] {
        &self.rules
    }

    /// A shared handle on rule `i` (as numbered in [`RuleHit::rule`]).
    pub fn rule_arc(&self, i: usize) -> std::sync::Arc<Rule> {
        self.rules[i].clone()
    }

    /// Merge another set's rules and allowlist into this one (call [`RuleSet::finish`] after).
    pub fn extend(&mut self, mut other: RuleSet) -> Result<(), RegistryError> {
        if !self.rules.is_empty() {
            let ids: HashSet<&str> = self.rules.iter().map(|r| r.id.as_str()).collect();
            if let Some(rule) = other.rules.iter().find(|r| ids.contains(r.id.as_str())) {
                return Err(RegistryError {
                    source: rule.source.to_string(),
                    rule: Some(rule.id.clone()),
                    message: "duplicate rule id (already defined by another registry)".into(),
                });
            }
        }
        self.rules.append(&mut other.rules);
        self.allowed.extend(std::mem::take(&mut other.allowed));
        Ok(())
    }

    /// Whether there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Drop the rules whose ids are listed (a project's `disabled` list).
    pub fn disable(&mut self, ids: &[String]) {
        self.rules.retain(|r| !ids.contains(&r.id));
        self.finish();
    }

    /// Every hit in `buf`, for a file at `path` (repository-relative; `None` skips path
    /// filters), ordered by position.
    pub fn scan(&self, buf: &[u8], path: Option<&[u8]>) -> Vec<RuleHit> {
        self.scan_with(buf, path, true)
    }

    /// [`RuleSet::scan`] with the keyword prefilter on or off (off: every rule's regex runs;
    /// the results must be the same, which a property test checks).
    pub fn scan_with(&self, buf: &[u8], path: Option<&[u8]>, prefilter: bool) -> Vec<RuleHit> {
        let mut plan = RulePlan::default();
        if prefilter {
            self.plan_keywords(buf, &mut plan);
        } else {
            let mut starts = vec![0];
            starts.extend(
                memchr::memchr_iter(b'\n', buf)
                    .map(|i| i + 1)
                    .filter(|&i| i < buf.len()),
            );
            for (i, rule) in self.rules.iter().enumerate() {
                if rule.spans_lines() || self.planner().always.contains(&i) {
                    plan.whole.push(i);
                } else {
                    plan.lines.extend(starts.iter().map(|&s| (i, s)));
                }
            }
        }
        self.run_with(
            buf,
            path.map_or(PathScope::Any, PathScope::At),
            plan,
            prefilter,
            Lines::default(),
        )
    }

    /// How each rule is gated by literals in large scans (see [`RuleGate`]), and the keyword
    /// gate of the rules that have no selective literal.
    pub fn literal_gates(&self) -> &LiteralGates {
        self.literal_gates.get_or_init(|| {
            use rayon::prelude::*;
            let specs: Vec<RuleGate> = self.rules.par_iter().map(|r| RuleGate::of(r)).collect();
            let leftovers = KeywordPlanner::new(&self.rules, |i| specs[i].literals.is_none());
            LiteralGates { specs, leftovers }
        })
    }

    /// Add to `plan` where each rule runs on `buf`, gated by keywords.
    pub fn plan_keywords(&self, buf: &[u8], plan: &mut RulePlan) {
        self.planner().plan(&self.rules, buf, plan);
    }

    /// Add to `plan` the rules without selective literals, gated by their keywords as in
    /// small scans.
    pub fn plan_leftovers(&self, buf: &[u8], plan: &mut RulePlan) {
        self.literal_gates().leftovers.plan(&self.rules, buf, plan);
    }

    /// Whether `hay` holds one of rule `i`'s keywords (ASCII case-insensitively).
    pub fn keyword_in(&self, i: usize, hay: &[u8]) -> bool {
        if self.planner().gate.keywords.is_empty() {
            return true;
        }
        // The rule's few keywords searched directly: a pass of the automaton of every rule's
        // keywords per candidate line cost large scans ~30% of their time at 1,660 keywords.
        self.rules[i].keywords.iter().any(|k| {
            let k = k.as_bytes();
            let Some(&first) = k.first() else {
                return true;
            };
            memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), hay).any(
                |at| {
                    hay.get(at..at + k.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(k))
                },
            )
        })
    }

    /// Whether rule `i` runs on a buffer scanned for `scope`: its path filters, if any,
    /// select the path (or one of the paths).
    pub fn applies_in(&self, i: usize, scope: PathScope<'_>) -> bool {
        match scope {
            PathScope::Any => true,
            PathScope::At(p) => self.rules[i].applies_to(p),
            PathScope::AnyOf(paths) => {
                let rule = &self.rules[i];
                !rule.path_limited() || paths.iter().any(|p| rule.applies_to(p))
            }
        }
    }

    /// Whether rule `i` has path filters.
    pub fn path_limited(&self, i: usize) -> bool {
        self.rules[i].path_limited()
    }

    /// Whether rule `i` takes its hits on a line a version copies whole from its delta base
    /// (see [`RuleSet::run_inheriting`]): a one-line rule that runs on every path. (Needs the
    /// literal gates, which only large scans build.)
    pub fn takes_base_hits(&self, i: usize) -> bool {
        !self.path_limited(i) && !self.literal_gates().specs[i].whole
    }

    /// Buffers longer than this are searched by a multi-line rule in [`Windowing`]'s windows.
    const WINDOWED_FROM: usize = 4096;

    /// Run the regexes `plan` selects over `buf`.
    pub fn run(&self, buf: &[u8], scope: PathScope<'_>, plan: RulePlan) -> Vec<RuleHit> {
        self.run_with(buf, scope, plan, true, Lines::default())
    }

    /// [`RuleSet::run`] on a version that `inherited` is the base of: lines it copies whole take
    /// the base's hits of the rules that search line by line and run on every path, instead of
    /// searching again. `kept`, when given, receives this buffer's hits of those rules, for the
    /// versions built on it.
    pub fn run_inheriting(
        &self,
        buf: &[u8],
        scope: PathScope<'_>,
        plan: RulePlan,
        inherited: Option<crate::delta::Inherited<'_>>,
        kept: Option<&mut Vec<crate::delta::LineHit>>,
    ) -> Vec<RuleHit> {
        let inherited = inherited.filter(|_| scope.takes_base_hits());
        self.run_with(buf, scope, plan, true, Lines { inherited, kept })
    }

    /// [`RuleSet::run`], with multi-line rules searching [`Windowing`]'s windows or whole
    /// buffers (the results must be the same, which a property test checks).
    fn run_with(
        &self,
        buf: &[u8],
        scope: PathScope<'_>,
        mut plan: RulePlan,
        windowed: bool,
        lines: Lines<'_, '_>,
    ) -> Vec<RuleHit> {
        let path = match scope {
            PathScope::At(p) => Some(p),
            _ => None,
        };
        plan.whole.sort_unstable();
        plan.whole.dedup();
        plan.lines.sort_unstable();
        plan.lines.dedup();
        let path_str = path.map(|p| {
            std::path::Path::new(std::ffi::OsStr::new(std::str::from_utf8(p).unwrap_or("")))
        });
        let mut hits = Vec::new();
        let search = |i: usize, offset: usize, hay: &[u8], hits: &mut Vec<RuleHit>| {
            let rule = &self.rules[i];
            let Some(regex) = rule.regex.for_search(hay, plan.large) else {
                return;
            };
            regex.each_match(hay, rule.secret_group, |m| {
                let Some(secret) = m.secret else { return };
                let key = m.key.clone().map(|k| &hay[k]);
                if let Some(min) = rule.min_entropy
                    && entropy(&hay[secret.clone()])
                        < rule.filter.map_or_else(
                            || crate::filters::format_entropy_floor(min, &hay[secret.clone()]),
                            |f| f.entropy_floor(min, &hay[secret.clone()], key),
                        )
                {
                    return;
                }
                // A format rule that asks for randomness (a `min_entropy`) refuses typed
                // sequences; upstream's AWS account ids (no entropy) keep `123456789012`.
                if rule.filter.is_none()
                    && rule.min_entropy.is_some()
                    && crate::filters::is_typed_sequence(&hay[secret.clone()])
                {
                    return;
                }
                if self.is_allowed(rule, &hay[secret.clone()], path_str) {
                    return;
                }
                let Some(confidence) =
                    rule.confirm(&hay[secret.clone()], &hay[..secret.start], key)
                else {
                    return;
                };
                hits.push(RuleHit {
                    rule: i,
                    secret: secret.start + offset..secret.end + offset,
                    matched: m.whole.start + offset..m.whole.end + offset,
                    confidence,
                });
            });
        };
        let applies = |i: usize| self.applies_in(i, scope);
        for &i in &plan.whole {
            if !applies(i) {
                continue;
            }
            let rule = &self.rules[i];
            match rule.windowing.get_or_init(|| Windowing::of(rule)) {
                // A window costs a search's set-up: a short buffer is searched at once.
                Some(w) if windowed && buf.len() > Self::WINDOWED_FROM => {
                    for window in w.windows(buf) {
                        search(i, window.start, &buf[window], &mut hits);
                    }
                }
                _ => search(i, 0, buf, &mut hits),
            }
        }
        let mut last_rule = None;
        let mut applicable = false;
        let mut inheritable = false;
        let pivot = thread_pivot(&plan.lines);
        for &(i, start) in plan.lines[pivot..].iter().chain(&plan.lines[..pivot]) {
            if last_rule != Some(i) {
                last_rule = Some(i);
                applicable = applies(i) && plan.whole.binary_search(&i).is_err();
                inheritable = !self.rules[i].path_limited();
            }
            if !applicable {
                continue;
            }
            let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |e| start + e);
            if inheritable && lines.copied(start..end) {
                continue;
            }
            search(i, start, &buf[start..end], &mut hits);
        }
        if let Some(inherited) = lines.inherited {
            self.inherit_hits(buf, inherited, &plan.whole, &mut hits);
        }
        if let Some(kept) = lines.kept {
            kept.clear();
            kept.extend(
                hits.iter()
                    .filter(|h| {
                        !self.rules[h.rule].path_limited()
                            && plan.whole.binary_search(&h.rule).is_err()
                    })
                    .map(|h| crate::delta::LineHit {
                        rule: h.rule as u32,
                        secret: (h.secret.start as u32, h.secret.end as u32),
                        matched: (h.matched.start as u32, h.matched.end as u32),
                        confidence: confidence_code(h.confidence),
                    }),
            );
            kept.sort_unstable_by_key(|h| h.matched.0);
        }
        self.drop_look_alikes(buf, &mut hits);
        hits.sort_by_key(|h| (h.matched.start, h.rule));
        hits
    }

    /// Adds to `hits` the base's hits on the lines `inherited` copies whole (see
    /// [`crate::delta::LineHit`]), of the rules that search line by line here.
    fn inherit_hits(
        &self,
        buf: &[u8],
        inherited: crate::delta::Inherited<'_>,
        whole: &[usize],
        hits: &mut Vec<RuleHit>,
    ) {
        let base_hits = inherited.hits;
        for copy in inherited.copies {
            let (from, to) = (copy.from as usize, copy.to as usize);
            let first = base_hits.partition_point(|h| (h.matched.0 as usize) < from);
            for h in &base_hits[first..] {
                let at = h.matched.0 as usize;
                if at >= from + copy.len as usize {
                    break;
                }
                let rule = h.rule as usize;
                if whole.binary_search(&rule).is_ok() {
                    continue;
                }
                // The hit's line in this buffer, copied whole by this run.
                let here = at - from + to;
                let start = memchr::memrchr(b'\n', &buf[..here]).map_or(0, |i| i + 1);
                let end = memchr::memchr(b'\n', &buf[here..]).map_or(buf.len(), |i| here + i);
                if copy.base_line(&(start..end)).is_none() {
                    continue;
                }
                let moved = |(a, b): (u32, u32)| a as usize - from + to..b as usize - from + to;
                hits.push(RuleHit {
                    rule,
                    secret: moved(h.secret),
                    matched: moved(h.matched),
                    confidence: confidence_of(h.confidence),
                });
            }
        }
    }

    /// Whether an allowlist entry accepts `secret` of `rule` at repository path `path`: a blob
    /// scanned before its paths were known is checked again here, path-limited entries included.
    pub fn allowed_at(&self, rule: &Rule, secret: &[u8], path: &[u8]) -> bool {
        let path = std::path::Path::new(std::ffi::OsStr::new(
            std::str::from_utf8(path).unwrap_or(""),
        ));
        self.is_allowed(rule, secret, Some(path))
    }

    fn is_allowed(&self, rule: &Rule, secret: &[u8], path: Option<&std::path::Path>) -> bool {
        self.allowed.iter().any(|a| {
            (a.rules.is_empty() || a.rules.contains(&rule.id))
                && match (&a.paths, path) {
                    (Some(g), Some(p)) => g.is_match(p),
                    (Some(_), None) => false,
                    (None, _) => true,
                }
                && match (&a.path_regex, path) {
                    (Some(r), Some(p)) => r.is_match(p.as_os_str().as_encoded_bytes()),
                    (Some(_), None) => false,
                    (None, _) => true,
                }
                && a.regex.get().is_some_and(|r| r.is_match(secret))
        })
    }

    /// Run every rule's examples (must match that rule) and negative examples (must not):
    /// the problems found, one line each.
    pub fn check_examples(&self) -> Vec<RegistryError> {
        let mut problems = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let problem = |m: String| RegistryError {
                source: rule.source.to_string(),
                rule: Some(rule.id.clone()),
                message: m,
            };
            if rule.regex.get().is_none() {
                let why = compile_regex(rule.regex.pattern.get())
                    .err()
                    .unwrap_or_default();
                problems.push(problem(why));
                continue;
            }
            if rule.examples().is_empty() {
                problems.push(problem("has no examples".into()));
            }
            if rule.negative_examples().is_empty() {
                problems.push(problem("has no negative_examples".into()));
            }
            for (n, ex) in rule.examples().iter().enumerate() {
                if !self.scan(ex.as_bytes(), None).iter().any(|h| h.rule == i) {
                    problems.push(problem(format!("example #{} does not match", n + 1)));
                }
            }
            for (n, ex) in rule.negative_examples().iter().enumerate() {
                if self.scan(ex.as_bytes(), None).iter().any(|h| h.rule == i) {
                    problems.push(problem(format!("negative example #{} matches", n + 1)));
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in `aws` and `common` packs in one set.
    fn both_packs() -> RuleSet {
        let mut all = RuleSet::builtin("aws").unwrap().unwrap();
        all.extend(RuleSet::builtin("common").unwrap().unwrap())
            .unwrap();
        all
    }

    /// A version's lines copied whole from its base take the base's one-line hits instead of
    /// being searched again, and give the same hits as a search would; lines the delta
    /// inserts, and a first line copied from the middle of a base line, are searched (fails if
    /// copied lines are searched anyway, or if their hits are not taken from the base).
    #[test]
    fn copied_lines_inherit_their_base_s_hits() {
        use crate::delta::{Copy, Inherited};
        let all = both_packs();
        let token = "\"vRt!1fjORS#6ilI8\"";
        let base = format!("first line\nDB_PASSWORD={token}\nlast line\n");
        let plan = |buf: &[u8]| {
            let mut plan = RulePlan::default();
            all.plan_keywords(buf, &mut plan);
            plan
        };
        let ids = |hits: &[RuleHit]| {
            let mut v: Vec<(usize, std::ops::Range<usize>)> =
                hits.iter().map(|h| (h.rule, h.secret.clone())).collect();
            v.sort_by_key(|(r, s)| (s.start, *r));
            v
        };
        let mut kept = Vec::new();
        let base_hits = all.run_inheriting(
            base.as_bytes(),
            PathScope::Any,
            plan(base.as_bytes()),
            None,
            Some(&mut kept),
        );
        assert!(!base_hits.is_empty() && !kept.is_empty());
        // An inserted line, then the whole base.
        let version = format!("# added\n{base}");
        let copies = [Copy {
            to: 8,
            from: 0,
            len: base.len() as u32,
        }];
        let inherit = |hits| {
            all.run_inheriting(
                version.as_bytes(),
                PathScope::Any,
                plan(version.as_bytes()),
                Some(Inherited {
                    occurrences: &[],
                    hits,
                    copies: &copies,
                }),
                None,
            )
        };
        let searched = all.run(version.as_bytes(), PathScope::Any, plan(version.as_bytes()));
        assert_eq!(ids(&inherit(&kept)), ids(&searched));
        assert!(!searched.is_empty());
        // Not searched again: a base that found nothing there leaves nothing.
        // (Only the path-limited rules, which run on the paths of each version, search it.)
        let left = inherit(&[]);
        assert!(left.len() < searched.len(), "{}", left.len());
        assert!(left.iter().all(|h| all.rules[h.rule].path_limited()));
        // A version whose first line starts inside a base line is searched.
        let tail = &base["first ".len()..];
        let copies = [Copy {
            to: 0,
            from: "first ".len() as u32,
            len: tail.len() as u32,
        }];
        let first = Copy::base_line(&copies[0], &(0..4));
        assert_eq!(first, None);
        let second = copies[0].base_line(&(5..5 + 12 + token.len()));
        assert_eq!(second, Some(11..11 + 12 + token.len()));
        // A last line without a line break is not taken.
        let run = Copy {
            to: 0,
            from: 0,
            len: 10,
        };
        assert_eq!(run.base_line(&(0..10)), None);
        assert_eq!(run.base_line(&(0..9)), Some(0..9));
    }

    /// A keyword that is the one literal every match of its one rule holds is checked by that
    /// rule's anchor: `pat` of `path` and `ac` of `each` wake neither Airtable's nor Twilio's
    /// rule, while their tokens still do (fails if the planner ignores the rules' anchors, or
    /// applies them where they do not hold).
    #[test]
    fn a_rule_s_own_anchor_checks_its_keyword() {
        let mut all = both_packs();
        all.finish();
        let woken = |text: &str| -> Vec<String> {
            let mut plan = RulePlan::default();
            all.plan_keywords(text.as_bytes(), &mut plan);
            plan.lines
                .iter()
                .map(|&(i, _)| all.rules()[i].id.clone())
                .chain(plan.whole.iter().map(|&i| all.rules()[i].id.clone()))
                .collect()
        };
        let quiet = "for each path in patterns: match(path, pattern)\n";
        let w = woken(quiet);
        assert!(
            !w.iter()
                .any(|id| id.starts_with("airtable.") || id.starts_with("twilio.")),
            "{w:?}"
        );
        for (text, id) in [
            (
                "AIRTABLE_TOKEN=patnNNw4C2TOBGK7h.3ededc7c11ee911a4ea8a6fc14f37543388251a8be60d6f8723ef72f124b53a1 # each path\n",
                "airtable.personal-access-token",
            ),
            (
                "client = Client(\"AC176813e02ea68ef786e4d3cea27d2693\", \"ff9243a8f506b40928b5b7a767c76fb0\") # each path\n",
                "twilio.account-sid-auth-token",
            ),
        ] {
            assert!(woken(text).iter().any(|w| w == id), "{id} not woken");
            let found: Vec<String> = all
                .scan(text.as_bytes(), None)
                .iter()
                .map(|h| all.rules()[h.rule].id.clone())
                .collect();
            assert!(found.iter().any(|f| f == id), "{id}: {found:?}");
        }
    }

    /// A generic rule's value that starts with a format rule's prefix in another case or with
    /// `_` for `-` is a look-alike; the same prefix as written, or a value without one, is not
    /// judged by the prefix (fails if `drop_look_alikes` is not called, or drops too much).
    #[test]
    fn look_alikes_of_token_prefixes_are_dropped() {
        let mut all = both_packs();
        all.finish();
        let ids = |text: &str| -> Vec<String> {
            all.scan(text.as_bytes(), None)
                .iter()
                .map(|h| all.rules()[h.rule].id.clone())
                .collect()
        };
        for look_alike in [
            "token = \"GHP_IddfkLqppR6OQKbTaXNGd3qhpPEi0t2Jc1Oy\"\n",
            "stripe_secret_key = \"SK_LIVE_90BQH07oslvSQMU6AvMwSywo\"\n",
            // As written, but shorter than the format allows.
            "STRIPE_SECRET_KEY=sk_live_UwIkD7Q9xZ\n",
            "token = \"ghp_0k3vhvRBrQKWGoacuXd9\"\n",
            "google_api_key = \"aizamd56X1poAgt0IcDTAymLUsFbdU--ImyAALa\"\n",
            "  token: glpat_EgqXo6_3L5FW0v9UwaFyzP\n",
            // As written, in another alphabet: no token of the format at any length.
            "token = \"ghp_MzUFHrY4-bnru5bEy-dOwhWIcB-YwWokcTBq\"\n",
            // One letter of an issued prefix changed (GitHub issues ghp_, gho_, ghu_, ghs_, ghr_).
            "token = \"ghx_IddfkLqppR6OQKbTaXNGd3qhpPEi0t2Jc1Oy\"\n",
            // Characters of an issued prefix masked with `x`, however many.
            "shopify.access-token=shpxx_90c2746ec2c0c7835853bf74f2b7e13c\n",
            "const anthropicApiKey = 'sk-ant-apixx-7zJ1OSAVH89667Tch3w41yWxpcbq-vaN0PmUJ0C7Y8Q1FZbWNdksPHkcU7UYUOlrGJyiaIOQQFc_D8Ud1j7sIH0RNyDtZAA';\n",
            // An unmarked prefix that opens its token (Databricks' `dapi` and 32 hex).
            "databricks_token = \"dapiXk3Lq9Zr2pLw7VnYc4Hd1Es6Ga0TiRu5\"\n",
            // A short prefix as issued with another separator (Pulumi's `pul-`, SonarQube's
            // `sqa_`), and a dotted one written with `_` (Doppler's `dp.pt.`).
            "pulumi_access_token = \"pul_43e8edb019a01c9253e9b211412308fd32c36dc3\"\n",
            "SONAR_TOKEN=sqa-66603e5bb0a6fa043ea6bc4fbd04cce5d6f21d7e\n",
            "DOPPLER_TOKEN = 'dp_pt_kS3sKg8gR0z60CqbgYOf6RXKMZoupQX2OUSrzDcUVzx'\n",
        ] {
            assert_eq!(ids(look_alike), Vec::<String>::new(), "{look_alike}");
        }
        for kept in [
            "zorblat_token = \"Qm9vT3lKx8Zr2pLw7VnYc4Hd1Es6Ga0Ti\"\n",
            // As written, without a literal the format rule expects inside the body
            // (OpenAI's `T3BlbkFJ`): keys issued outside the rule's shape exist, kept.
            "openai_api_key = \"sk-svcacct-Qm9vT3lKx8Zr2pLw7VnYc4Hd1Es6Ga0TiRu5WqZx8LmN2bVc7RtY4uIo9PaS3d\"\n",
            // Runway's `key_` is a common word's prefix: Mailgun's `key-` is no look-alike.
            "api_key = \"key-50b8018f40ff1607fa6c95e09ecb42b5\"\n",
            // A word that a rule spells inside its pattern (`jenkins` in a URL) is no prefix.
            "jenkins_password = \"jenkinsQ7vx9Lp2Rt4Wz\"\n",
            // A random password that starts like a short prefix in mixed case (JWT's `eyJ`).
            "ftp://uploader:eYjQm7RtWx2KpLsN@ftp.acme.io/incoming\n",
            // A random secret that starts like Linear's `lin_` in another case and class.
            "client_secret = \"LiW_8dKq2ZrT5vNc1XbE7yHs3GmPa9UfJw4oLt6Rk0Qz\"\n",
            // An Okta token (`00`, base64url) that begins like Salesforce's `00D` by chance:
            // a prefix of one letter among digits is no provider's mark.
            "  token: 00dK7pWq2ZrT5vNc1XbE7yHs3GmPa9UfJw4oLt6Rk0\n",
        ] {
            assert!(!ids(kept).is_empty(), "{kept}");
        }
    }

    /// The rules of a file syntax that rule-example sets paste into files without an
    /// extension (`entry`, `snippet`) read those and `*.txt` too, and still not other
    /// languages' files.
    #[test]
    fn syntax_rules_read_snippet_files() {
        let all = both_packs();
        let rule = |id: &str| all.rules().iter().find(|r| r.id == id).unwrap();
        for id in [
            "pgpass.password",
            "generic.yaml-secret",
            "generic.properties-secret",
        ] {
            for path in [&b"x/entry"[..], b"notes.txt", b"data"] {
                assert!(rule(id).applies_to(path), "{id} {path:?}");
            }
            assert!(!rule(id).applies_to(b"src/main.rs"), "{id}");
        }
        assert!(rule("pgpass.password").applies_to(b"home/.pgpass"));
        assert!(rule("pgpass.password").applies_to(b"etc/pgpass.conf"));
        assert!(!rule("pgpass.password").applies_to(b"notes.md"));
    }

    /// The context family's anchor: a keyword wakes its rules only where a name goes on to a
    /// credential word, in small scans (the keyword planner) and large ones (the literal gate).
    #[test]
    fn family_rules_wake_only_where_a_name_holds_a_credential_word() {
        let all = both_packs();
        let at = |id: &str| all.rules().iter().position(|r| r.id == id).unwrap();
        let (together, linear) = (at("together.api-key"), at("linear.client-secret"));
        assert!(all.rules()[together].keyword_anchor.is_some());
        let planned = |buf: &[u8], i: usize| {
            let mut plan = RulePlan::default();
            all.plan_keywords(buf, &mut plan);
            plan.lines.iter().any(|&(r, _)| r == i)
        };
        // Common words in prose and code: no rule of theirs runs.
        let prose = b"We keep these together.\nstatic int linear_search(int *a);\n";
        assert!(!planned(prose, together));
        assert!(!planned(prose, linear));
        // A name that goes on to a credential word, whatever the case or separator.
        assert!(planned(b"TOGETHER_API_KEY=x\n", together));
        assert!(planned(b"  linear.oauth-Secret: x\n", linear));
        let token = "4c1b0e3f9a7d52e86b1f0c3a9e7d5b2f";
        let line = format!("LINEAR_CLIENT_SECRET={token}\n");
        assert!(
            all.scan(line.as_bytes(), None)
                .iter()
                .any(|h| h.rule == linear)
        );
        // The literal gate of large scans carries the same anchor.
        let gate = &all.literal_gates().specs[together];
        let anchor = gate.anchor.as_ref().and_then(|a| a.get()).unwrap();
        let mut cache = anchor.cache();
        assert!(!anchor.matches_at(&mut cache, b"together.\n", 0));
        assert!(anchor.matches_at(&mut cache, b"together_auth_token: x", 0));
    }

    /// Google documents a reCAPTCHA test secret that every site may use (its FAQ); it matches
    /// the provider's rule but is public, so the family's allowlist keeps it quiet, and
    /// another secret of the same shape still counts.
    #[test]
    fn documented_public_test_keys_are_allowed() {
        let all = both_packs();
        let at = all
            .rules()
            .iter()
            .position(|r| r.id == "recaptcha.secret")
            .unwrap();
        let rule = &all.rules()[at];
        let found = |secret: &[u8]| {
            let line = [&b"RECAPTCHA_SECRET_KEY="[..], secret, b"\n"].concat();
            all.scan(&line, None).iter().any(|h| h.rule == at)
        };
        let public = b"6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe";
        let other = b"6LeGORl-OUYrqQd5j47xk8cOZ_DV1KAzjdq1ysbK";
        // The pattern takes it: only the allowlist keeps it quiet.
        let pattern = regex::bytes::RegexBuilder::new(rule.pattern())
            .unicode(false)
            .build()
            .unwrap();
        assert!(pattern.is_match(&[&b"RECAPTCHA_SECRET_KEY="[..], public].concat()));
        assert!(all.allowed_at(rule, public, b".env") && !found(public));
        assert!(!all.allowed_at(rule, other, b".env") && found(other));
    }

    #[test]
    fn severity_labels_follow_security_hub_ranges() {
        assert_eq!(SeverityLabel::from_score(0), SeverityLabel::Informational);
        assert_eq!(SeverityLabel::from_score(1), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_score(39), SeverityLabel::Low);
        assert_eq!(SeverityLabel::from_score(40), SeverityLabel::Medium);
        assert_eq!(SeverityLabel::from_score(70), SeverityLabel::High);
        assert_eq!(SeverityLabel::from_score(89), SeverityLabel::High);
        assert_eq!(SeverityLabel::from_score(90), SeverityLabel::Critical);
    }

    #[test]
    fn derives_keywords_from_prefix_literals() {
        assert_eq!(derive_keywords("ghp_[A-Za-z0-9]{36}"), vec!["ghp_"]);
        assert_eq!(
            derive_keywords("(AKIA|ASIA)[A-Z0-9]{16}"),
            vec!["akia", "asia"]
        );
        assert!(derive_keywords("[a-z]+=x").is_empty());
    }

    #[test]
    fn bad_registries_name_file_rule_and_problem() {
        let bad = |text: &str| RuleSet::from_toml(text, "r.toml").unwrap_err().to_string();
        assert_eq!(
            bad("[[rule]]\nid='a'\ndescription='d'\npattern='('\n"),
            "r.toml: rule 'a': invalid pattern: unclosed group"
        );
        assert!(bad("[[rule]]\nid='a'\ndescription='d'\npattern='x'\n[[rule]]\nid='a'\ndescription='d'\npattern='y'\n")
            .starts_with("r.toml: rule 'a': duplicate rule id"));
        assert!(
            bad("[[rule]]\nid='a'\ndescription='d'\npattern='x'\nbogus=1\n")
                .contains("unknown field `bogus`")
        );
        assert!(
            bad("[[rule]]\nid='a'\ndescription='d'\npattern='x'\nseverity='SEVERE'\n")
                .contains("severity 'SEVERE'")
        );
        assert!(
            bad("[[rule]]\nid='a'\ndescription='d'\npattern='x'\nsecret_group=2\n")
                .contains("secret_group 2")
        );
    }

    #[test]
    fn secret_group_entropy_and_allowlist() {
        let set = RuleSet::from_toml(
            r#"
[[rule]]
id = "t.pw"
description = "password"
pattern = '(?i)password\s*=\s*"([^"]+)"'
secret_group = 1
min_entropy = 3.0
examples = ['password = "Xk9#mQ2$vL7p"']
negative_examples = ['password = "aaaaaaaaaaaa"', 'password = "changeme-EXAMPLE"']
[[allowed]]
pattern = 'EXAMPLE'
"#,
            "t.toml",
        )
        .unwrap();
        assert!(
            set.check_examples().is_empty(),
            "{:?}",
            set.check_examples()
        );
        let hits = set.scan(br#"x password = "Xk9#mQ2$vL7p" y"#, None);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].secret, 14..26);
    }

    #[test]
    fn prefix_gate_finds_what_a_naive_search_finds() {
        let keywords: Vec<String> = [
            "xoxb-",
            "xoxp-",
            "xox",
            "ab",
            "abcdef",
            "abcdxy",
            "secret_key",
            "key",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect();
        let gate = KeywordGate::new(keywords.clone());
        let hay = b"XOXB-1 abcdEF abcdx abcdxy SECRET_KEY=1 ke";
        let mut found = Vec::new();
        gate.for_each_hit(gate.small().unwrap(), hay, |at, k| {
            found.push((at, k));
            true
        });
        found.sort();
        // The lookup of tiny scans and the whole-keyword DFA find the same.
        for ac in [
            Automaton::Lookup,
            Automaton::Keywords(
                KeywordGate::build(aho_corasick::AhoCorasickKind::DFA, &keywords)
                    .as_ref()
                    .unwrap(),
            ),
        ] {
            let mut other = Vec::new();
            gate.for_each_hit(ac, hay, |at, k| {
                other.push((at, k));
                true
            });
            other.sort();
            assert_eq!(found, other);
        }
        let mut naive = Vec::new();
        for (k, kw) in keywords.iter().enumerate() {
            for at in 0..hay.len() {
                if hay[at..].len() >= kw.len()
                    && hay[at..at + kw.len()].eq_ignore_ascii_case(kw.as_bytes())
                {
                    naive.push((at, k));
                }
            }
        }
        naive.sort();
        assert_eq!(found, naive);
        assert!(
            found.contains(&(0, 0))
                && found.contains(&(7, 4))
                && !found.iter().any(|&(_, k)| k == 1)
        );
    }

    #[test]
    fn builtin_packs_cover_at_least_700_provider_formats() {
        // One rule id is one token format; the part before the dot names the provider.
        let mut formats = HashSet::new();
        for (name, _) in BUILTIN_PACKS {
            for rule in RuleSet::builtin(name).unwrap().unwrap().rules() {
                assert!(formats.insert(rule.id.clone()), "{} twice", rule.id);
            }
        }
        let providers: HashSet<&str> = formats
            .iter()
            .map(|id| id.split('.').next().unwrap_or(id))
            .collect();
        assert!(
            // Issue 12 asks for 700 formats; the packs hold 1,380 of 1,061 providers (2026-12):
            // the floor sits a little under that, so that losing a family's providers fails here.
            formats.len() >= 1200 && providers.len() >= 950,
            "{} formats of {} providers",
            formats.len(),
            providers.len()
        );
    }

    #[test]
    fn families_expand_into_rules_with_their_own_examples() {
        let set = RuleSet::from_toml(
            r#"
[[family]]
id = "ctx"
description = "{name} key"
pattern = '(?i)\b[\w.-]{0,30}{keyname}[\w.-]{0,20}\s*=\s*({secret}){end}'
credential_words = ["key", "token"]
not_secret = '(?i)0123456|deadbeef'
secret_group = 1
min_entropy = 3.0
examples = ["{KEYWORD}_API_KEY={value}"]
negative_examples = ["{KEYWORD}_API_KEY={low}", "{KEYWORD}_API_KEY={short}", "OTHER_KEY={value}"]
provider = [
    { id = "acme.key", name = "Acme", keywords = ["acme"], alphabet = "hex", length = 32 },
    { id = "zork.token", name = "Zork", keywords = ["zork_token"], alphabet = "uuid" },
    { id = "quux.key", name = "Quux", keywords = ["quux"], secret = 'qx_[a-z0-9]{20}', value = "qx_k3j9x8c2m1v7b4n6z5q0" },
]
"#,
            "f.toml",
        )
        .unwrap();
        let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["acme.key", "zork.token", "quux.key"]);
        assert!(
            set.check_examples().is_empty(),
            "{:?}",
            set.check_examples()
        );
        assert_eq!(set.rules()[0].description, "Acme key");
        // A keyword that names the credential itself (`zork_token`) needs no other word.
        let zork = set.scan(b"ZORK_TOKEN=0f8b2c4e-9a1d-4c3b-8e7f-6a5d4c3b2a19", None);
        assert_eq!(zork.len(), 1);
        // The others need a credential word after the provider's name.
        assert!(
            set.scan(b"ACME_URL=9f86d081884c7d659a2feaa0c55ad015", None)
                .is_empty()
        );
        assert_eq!(
            set.scan(b"acme_key=9f86d081884c7d659a2feaa0c55ad015", None)
                .len(),
            1
        );
        // What the family calls no secret is allowed for each of its rules.
        assert!(
            set.scan(b"acme_key=9f86d081884c7d659a2fdeadbeef0015", None)
                .is_empty()
        );
        // The same providers written one a line.
        let lines = RuleSet::from_toml(
            r#"
[[family]]
id = "pre"
description = "{name}"
pattern = '\b({secret}){end}'
secret_group = 1
examples = ["t={value}"]
negative_examples = ["t={short}"]
providers_text = '''
# a comment
zz.token | Zz token | prefix=zz_ | alphabet=alnum | length=20..40 | severity=LOW
yy.key | Yy key | keywords=yy | secret=yy\x20[0-9]{4} | value=yy 1234 | reference=https://example.com/yy
'''
"#,
            "l.toml",
        )
        .unwrap();
        assert!(
            lines.check_examples().is_empty(),
            "{:?}",
            lines.check_examples()
        );
        assert_eq!(lines.rules()[0].severity_label, SeverityLabel::Low);
        assert_eq!(lines.rules()[1].references, ["https://example.com/yy"]);
        let bad = |t: &str| RuleSet::from_toml(t, "f.toml").unwrap_err().to_string();
        assert_eq!(
            bad(
                "[[family]]\nid='f'\ndescription='d'\npattern='x'\nproviders_text='''\nq.k | Q | alphabet=hex | length=3x\n'''\n"
            ),
            "f.toml: rule 'q.k': family 'f': providers_text line 1: length '3x' is not n or min..max"
        );
        assert!(
            bad("[[family]]\nid='f'\ndescription='d'\npattern='x'\nprovider=[{id='p.k', name='P', keywords=['p'], alphabet='hex'}]\n")
                .contains("rule 'p.k': family 'f': alphabet needs a length")
        );
    }

    /// The three ways of finding keywords agree on random keywords and texts (short and long
    /// keywords, shared prefixes, any case, bytes beyond ASCII).
    #[test]
    fn keyword_lookup_and_automatons_agree() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let alphabet = b"abAB_-x\xe9.";
        for _ in 0..200 {
            let keywords: Vec<String> = (0..1 + next(12))
                .map(|_| {
                    (0..1 + next(7))
                        .map(|_| alphabet[next(alphabet.len() as u64 - 1) as usize] as char)
                        .collect::<String>()
                        .to_ascii_lowercase()
                })
                .collect();
            let hay: Vec<u8> = (0..next(200))
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect();
            let gate = KeywordGate::new(keywords.clone());
            let dfa = KeywordGate::build(aho_corasick::AhoCorasickKind::DFA, &keywords).unwrap();
            let mut results = Vec::new();
            for ac in [
                Automaton::Lookup,
                gate.small().unwrap(),
                Automaton::Keywords(&dfa),
            ] {
                let mut found = Vec::new();
                gate.for_each_hit(ac, &hay, |at, k| {
                    found.push((at, keywords[k].clone()));
                    true
                });
                found.sort();
                found.dedup();
                results.push(found);
            }
            assert_eq!(
                results[0],
                results[1],
                "{keywords:?} {:?}",
                String::from_utf8_lossy(&hay)
            );
            assert_eq!(
                results[0],
                results[2],
                "{keywords:?} {:?}",
                String::from_utf8_lossy(&hay)
            );
        }
    }

    /// A built-in rule without selective literals is searched for by its keywords in every
    /// byte of a large scan (a second automaton pass): one such rule cost cargo's history
    /// 24 % of its CPU time. Only path-limited rules, which run on few files, may be so.
    #[test]
    fn builtin_rules_have_selective_literals() {
        let mut all = both_packs();
        all.finish();
        let leftovers: Vec<&str> = all
            .literal_gates()
            .specs
            .iter()
            .zip(all.rules())
            .filter(|(spec, rule)| spec.literals.is_none() && !rule.path_limited())
            .map(|(_, rule)| rule.id.as_str())
            .collect();
        assert!(leftovers.is_empty(), "no selective literals: {leftovers:?}");
    }

    /// A family rule decides whether it spans lines from its template, secret and end apart;
    /// that must be what parsing its whole pattern says.
    #[test]
    fn family_rules_decide_line_spanning_as_their_whole_pattern() {
        let all = both_packs();
        let (mut checked, mut spanning) = (0, 0);
        for rule in all.rules() {
            let whole = crate::literals::can_span_lines(rule.regex.pattern.get());
            assert_eq!(rule.spans_lines(), whole, "{}", rule.id);
            checked += 1;
            spanning += usize::from(whole);
        }
        assert!(checked > 1000, "{checked}");
        assert!(spanning < checked, "{spanning} of {checked}");
    }

    /// Anchors compile on first use, and the gate's choice of literals assumes they will when
    /// their estimated size says so: for the built-in rules the estimate must decide as
    /// compiling does, or the choice would differ from an eager compilation's.
    #[test]
    fn builtin_rules_anchor_sizes_are_estimated_as_they_compile() {
        let all = both_packs();
        let (mut small, mut large) = (0, 0);
        for rule in all.rules() {
            if rule.keywords_in_every_match {
                continue;
            }
            let Some(hir) =
                crate::literals::required_literals(rule.regex.pattern.get()).and_then(|r| r.anchor)
            else {
                continue;
            };
            let compiles = crate::anchor::Anchor::new(&hir).is_some();
            let estimated = crate::anchor::LazyAnchor::new(hir).is_some();
            assert_eq!(estimated, compiles, "{}", rule.id);
            if compiles {
                small += 1;
            } else {
                large += 1;
            }
        }
        assert!(small > 200 && large > 5, "{small} {large}");
    }

    /// A rule that can match across lines searches, whole, every buffer where its literals
    /// occur. A blank class at a pattern's edge written with `\s` (`(?:^|[\s:"'])`) admits a
    /// line break, and made npm.npmrc-auth and uri.query-credential search 36 MB of git/git's
    /// 60 MB work tree in a `--scan`. Only rules written to span lines may.
    #[test]
    fn only_multi_line_rules_span_lines() {
        let intended = [
            "akamai.edgegrid-client-secret",
            "docker.config-auth",
            "generic.env-name-value",
            "generic.env-name-value-key",
            "generic.xml-name-value",
            "generic.yaml-nested-key",
            "heroku.api-key-legacy",
            "kubernetes.kubeconfig-token",
            "netrc.password",
            "oracle.oci-api-signing-key",
            "privatekey.dsa",
            "privatekey.ec",
            "privatekey.openssh",
            "privatekey.openssh-encrypted",
            "privatekey.pem-encrypted",
            "privatekey.pgp",
            "privatekey.pkcs8",
            "privatekey.pkcs8-encrypted",
            "privatekey.putty",
            "privatekey.putty-encrypted",
            "privatekey.rsa",
            "privatekey.ssh2-encrypted",
            "terraform.variable-default",
            "wandb.api-key",
        ];
        let all = both_packs();
        let spanning: Vec<&str> = all
            .rules()
            .iter()
            .filter(|r| r.spans_lines())
            .map(|r| r.id.as_str())
            .collect();
        for id in &spanning {
            assert!(
                intended.contains(id),
                "{id} can match across lines: write the blanks at its edges as [ \\t], not \\s"
            );
        }
        for id in intended {
            assert!(spanning.contains(&id), "{id} no longer spans lines");
        }
    }

    /// Every built-in rule whose gate takes its regex's literals finds them in build.rs's
    /// table, not by parsing at run time. A family that writes a provider's pattern otherwise
    /// than build.rs does falls out of the table silently: when the family loader began
    /// wrapping `secret=` regexes in `(?-i:..)`, 163 rules did, 68 M instructions of a
    /// `--scan` of git/git's work tree (1.61 G in all).
    #[test]
    fn every_extracting_builtin_rule_has_a_prebuilt_row() {
        let all = both_packs();
        let missing: Vec<&str> = all
            .rules()
            .iter()
            .filter(|r| !r.keywords_in_every_match)
            .filter(|r| prebuilt(&r.id, r.regex.pattern.get()).is_none())
            .map(|r| r.id.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "{} without a row: {missing:?}",
            missing.len()
        );
    }

    /// The widened trees build.rs wrote are each built-in pattern's own, widened.
    #[test]
    fn prebuilt_widened_trees_are_the_patterns_own() {
        assert_eq!(PREBUILT_WIDENED.len(), PREBUILT_HIR.len());
        let mut widened = 0;
        for (pattern, code) in PREBUILT_WIDENED {
            let own = hir_code::widened(&crate::literals::parse(pattern).unwrap());
            assert_eq!(code.and_then(hir_code::decode), own, "{pattern}");
            widened += usize::from(own.is_some());
        }
        assert!(widened > 100, "{widened}");
    }

    #[test]
    fn a_presence_keeps_the_providers_its_text_may_wake_and_no_other() {
        let text = b"SRC_ACCESS_TOKEN=sgp_4f1c9b27e08d3a65c7b2e49f01d8a36c5e7b92d4\n";
        let mut presence = Presence::new();
        presence.add(text);
        let pending = PendingPresence::new();
        pending.fill(Some(presence));
        let all = RuleSet::builtin("common").unwrap().unwrap();
        let some = RuleSet::builtin_for("common", Some(&pending))
            .unwrap()
            .unwrap();
        let ids = |set: &RuleSet| {
            set.rules()
                .iter()
                .map(|r| r.id.clone())
                .collect::<HashSet<_>>()
        };
        let (all_ids, some_ids) = (ids(&all), ids(&some));
        assert!(some_ids.contains("sourcegraph.access-token"));
        assert!(some_ids.is_subset(&all_ids));
        // The families' other providers are left out; every `[[rule]]` stays.
        assert!(all_ids.len() - some_ids.len() > 1_000, "{}", some_ids.len());
        assert!(some_ids.contains("generic.password-assignment"));
        let hits = |set: &RuleSet| {
            set.scan(text, None)
                .into_iter()
                .map(|h| (set.rules()[h.rule].id.clone(), h.secret))
                .collect::<Vec<_>>()
        };
        assert_eq!(hits(&some), hits(&all));
        assert!(!hits(&some).is_empty());
    }

    #[test]
    fn pool_threads_start_apart_on_a_plan() {
        let lines = [(1, 0), (1, 40), (2, 0), (3, 10), (3, 90), (4, 5)];
        // Outside a pool, and on a pool's first thread, from the start.
        assert_eq!(thread_pivot(&lines), 0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads");
        let mut pivots = pool.broadcast(|ctx| (ctx.index(), thread_pivot(&lines)));
        pivots.sort_unstable();
        // The second of two threads starts at the third of the four rules.
        assert_eq!(pivots, vec![(0, 0), (1, 3)]);
        assert_eq!(pool.install(|| thread_pivot(&[])), 0);
    }

    /// Every `secret=` regex of a built-in family's provider lines has its line spanning in
    /// build.rs's table, and it is what parsing it says.
    #[test]
    fn every_given_secret_spans_lines_as_the_table_says() {
        let mut checked = 0;
        for (_, files) in BUILTIN_PACKS {
            for (_, text) in *files {
                let pack: toml::Value = toml::from_str(text).unwrap();
                let Some(families) = pack.get("family").and_then(toml::Value::as_array) else {
                    continue;
                };
                let lines = families
                    .iter()
                    .filter_map(|f| f.get("providers_text").and_then(toml::Value::as_str))
                    .flat_map(str::lines)
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'));
                for line in lines {
                    let (id, _, fields) = template::provider_line(line).unwrap();
                    for (_, secret) in fields.map(Result::unwrap).filter(|(k, _)| *k == "secret") {
                        let parsed =
                            crate::literals::can_span_lines(&template::given_secret(secret));
                        assert_eq!(prebuilt_secret_spans(secret), Some(parsed), "{id}");
                        checked += 1;
                    }
                }
            }
        }
        // 707 at the time of writing.
        assert!(checked > 500, "{checked}");
    }

    /// The trees build.rs wrote are the built-in patterns' own, and every built-in `[[rule]]`
    /// has one.
    #[test]
    fn prebuilt_trees_are_the_patterns_own() {
        for (pattern, code) in PREBUILT_HIR {
            assert_eq!(
                hir_code::decode(code),
                crate::literals::parse(pattern),
                "{pattern}"
            );
        }
        let all = both_packs();
        let with_row = all
            .rules()
            .iter()
            .filter(|r| prebuilt(&r.id, r.regex.pattern.get()).is_some())
            .inspect(|r| {
                let p = r.regex.pattern.get();
                assert!(
                    table_lookup(PREBUILT_HIR, p).is_some(),
                    "{} has no tree",
                    r.id
                );
            })
            .count();
        // 345 at the time of writing: the packs' `[[rule]]` tables and the family providers
        // spelled in build.rs.
        assert!(with_row > 300, "{with_row}");
    }

    /// A rule's widened prefilter matches every line of its examples that the rule matches:
    /// a prefilter that missed one would silently drop the finding in a hook.
    #[test]
    fn widened_prefilters_pass_every_example() {
        let all = both_packs();
        let mut checked = 0;
        for rule in all.rules() {
            let Some(wide) = compile_widened(rule.regex.pattern.get()) else {
                continue;
            };
            let strict = rule.regex.get().expect("built-in rules compile");
            for example in rule.examples() {
                let texts: Vec<&str> = if rule.spans_lines() {
                    vec![example.as_str()]
                } else {
                    example.lines().collect()
                };
                for text in texts {
                    if strict.is_match(text.as_bytes()) {
                        assert!(wide.is_match(text.as_bytes()), "{}: {text}", rule.id);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 3000, "{checked}");
    }

    /// The literals build.rs found for the built-in rules are those the rules would find,
    /// and its anchors those worth compiling, printed so that they parse back.
    #[test]
    fn prebuilt_literals_are_the_rules_own() {
        let all = both_packs();
        let mut checked = 0;
        let mut anchors = 0;
        for rule in all.rules() {
            let pattern = rule.regex.pattern.get();
            let Some(row) = prebuilt(&rule.id, pattern) else {
                continue;
            };
            let own = crate::literals::required_literals(pattern);
            let table = row.2.map(|(literals, cost, _)| {
                (
                    literals.iter().map(|l| l.to_vec()).collect::<Vec<_>>(),
                    cost,
                )
            });
            let found = own.as_ref().map(|r| (r.literals.clone(), r.cost));
            assert_eq!(table, found, "{}", rule.id);
            assert_eq!(
                row.3,
                crate::literals::can_span_lines(pattern),
                "{}",
                rule.id
            );
            // The anchors as regex-syntax prints them: the table holds the print of those
            // that fit, which parses back to an equivalent (not always identical) tree.
            let own_anchor = own
                .as_ref()
                .and_then(|r| r.anchor.as_ref())
                .filter(|a| crate::literals::anchor_fits(a));
            let table_anchor = row.2.and_then(|(_, _, a)| a);
            assert_eq!(
                table_anchor.map(str::to_string),
                own_anchor.and_then(crate::literals::print),
                "{}",
                rule.id
            );
            if let (Some(printed), Some(own_anchor)) = (table_anchor, own_anchor) {
                let parsed = crate::literals::parse(printed).expect("parses back");
                assert_eq!(
                    crate::anchor::Anchor::new(&parsed).is_some(),
                    crate::anchor::Anchor::new(own_anchor).is_some(),
                    "{}",
                    rule.id
                );
                assert!(
                    crate::anchor::LazyAnchor::printed(printed, crate::literals::parse)
                        .get()
                        .is_some()
                        || crate::anchor::Anchor::new(own_anchor).is_none(),
                    "{}",
                    rule.id
                );
                // And it says what the rule's own anchor says at every literal hit of the
                // rule's examples (the print of `(?:[0-9a-f]{8})?` once read back as a lazy
                // `{8}` and refused Unleash's 56-digit tokens).
                if let (Some(printed), Some(own)) = (
                    crate::anchor::LazyAnchor::printed(printed, crate::literals::parse).get(),
                    crate::anchor::Anchor::new(own_anchor),
                ) {
                    let literals = row.2.map(|(l, _, _)| l).unwrap_or_default();
                    for ex in rule.examples().iter().chain(rule.negative_examples()) {
                        let hay = ex.as_bytes();
                        for at in 0..hay.len() {
                            if literals.iter().any(|l| hay[at..].starts_with(l)) {
                                assert_eq!(
                                    printed.matches_at_pooled(hay, at),
                                    own.matches_at_pooled(hay, at),
                                    "{}: {ex:?} at {at}",
                                    rule.id
                                );
                            }
                        }
                    }
                }
                anchors += 1;
            }
            checked += 1;
        }
        assert!(checked > 250 && anchors > 200, "{checked} {anchors}");
        assert!(prebuilt("aws.access-key-id", "x").is_none());
    }

    #[test]
    fn every_builtin_pack_file_is_read_as_json() {
        for (_, files) in BUILTIN_PACKS {
            for (file, _) in files.iter() {
                assert!(
                    builtin_json(&format!("patterns/{file}")).is_some(),
                    "{file}"
                );
            }
        }
    }

    #[test]
    fn builtin_path_regexes_compile() {
        // Built-in packs compile their path regexes on first use: each must compile, or its
        // rule would run nowhere.
        let all = both_packs();
        let mut with = 0;
        for rule in all.rules() {
            if let Some(p) = &rule.path_regex {
                with += 1;
                assert!(
                    p.get().is_some(),
                    "{}: path_regex does not compile",
                    rule.id
                );
            }
        }
        assert!(with >= 6, "{with} built-in rules have a path_regex");
    }

    #[test]
    fn builtin_packs_pass_their_examples() {
        for (name, _) in BUILTIN_PACKS {
            let set = RuleSet::builtin(name).unwrap().unwrap();
            let problems = set.check_examples();
            assert!(
                problems.is_empty(),
                "{}",
                problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}
