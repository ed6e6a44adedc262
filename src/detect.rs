//! The detector: everything one scan looks for, applied to one buffer at a time.
//!
//! It combines upstream's prohibited patterns (`secrets.patterns` and providers, matched with
//! grep's or git grep's `-w` semantics) with registry rules (built-in packs and user TOML
//! files). Both produce [`Finding`]s; the human report prints each matching line once, machine
//! formats keep one finding per rule and secret.

use std::ops::Range;
use std::sync::Arc;

use crate::matcher::{Matcher, Scratch};
use crate::rules::{Rule, RuleSet};

/// One detected secret.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The commit (history scans only), as hex.
    pub commit: Option<String>,
    /// The path as printed (relative, quoted as git quotes it), or `(standard input)`.
    pub path: Vec<u8>,
    /// The repository-relative path (git sources), or the path as given (file mode).
    pub repo_path: Vec<u8>,
    /// 1-based line number.
    pub line: usize,
    /// The line's bytes, without the newline (a `\r` stays).
    pub text: Vec<u8>,
    /// The secret's byte range within `text`.
    pub secret: Range<usize>,
    /// The registry rule that found it; `None` for a git-config prohibited pattern.
    pub rule: Option<Arc<Rule>>,
    /// Author and date of `commit` (history scans).
    pub commit_meta: Option<Arc<CommitMeta>>,
}

/// Who made a commit and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitMeta {
    /// Author name.
    pub author_name: String,
    /// Author e-mail.
    pub author_email: String,
    /// Author date, seconds since the Unix epoch (UTC).
    pub author_time: i64,
}

/// Rule id reported for upstream-style prohibited patterns (`secrets.patterns`, providers).
pub const PROHIBITED_PATTERN_RULE: &str = "git-secrets.prohibited-pattern";

impl Finding {
    /// The output line upstream prints and matches allowed patterns against:
    /// `[<commit>:]<path>:<line>:<text>`.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.path.len() + self.text.len() + 56);
        if let Some(c) = &self.commit {
            out.extend_from_slice(c.as_bytes());
            out.push(b':');
        }
        out.extend_from_slice(&self.path);
        out.push(b':');
        out.extend_from_slice(self.line.to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(&self.text);
        out
    }

    /// The secret's bytes.
    pub fn secret_bytes(&self) -> &[u8] {
        self.text.get(self.secret.clone()).unwrap_or(&[])
    }

    /// The rule id: the registry rule's, or [`PROHIBITED_PATTERN_RULE`].
    pub fn rule_id(&self) -> &str {
        self.rule
            .as_ref()
            .map_or(PROHIBITED_PATTERN_RULE, |r| r.id.as_str())
    }

    /// A content fingerprint: a keyed SHA-256 of the rule id and the secret, as 64 hex digits.
    /// It does not depend on the path or line, so a moved secret keeps it, and it does not
    /// reveal the secret.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"git-secrets-rs fingerprint v1\0");
        h.update(self.rule_id().as_bytes());
        h.update(b"\0");
        h.update(self.secret_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The secret as machine formats show it by default: a short prefix, then `…`; short
    /// secrets are fully masked.
    pub fn redacted_secret(&self) -> String {
        let secret = self.secret_bytes();
        let keep = if secret.len() >= 16 { 4 } else { 0 };
        let mut out = String::from_utf8_lossy(&secret[..keep]).into_owned();
        out.push('…');
        out
    }
}

/// Where a buffer came from, for the findings in it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Path as printed.
    pub display: &'a [u8],
    /// Repository-relative path, for path filters and machine formats.
    pub repo_path: &'a [u8],
    /// Commit, for history scans.
    pub commit: Option<&'a str>,
}

/// Prohibited patterns plus registry rules.
#[derive(Default)]
pub struct Detector {
    /// Upstream-style patterns, with the engine's `-w` semantics.
    pub compat: Option<Matcher>,
    /// Registry rules.
    pub rules: Option<RuleSet>,
}

/// Per-thread scratch space for a [`Detector`].
pub struct DetectScratch {
    compat: Option<Scratch>,
}

impl Detector {
    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.compat.is_none() && self.rules.as_ref().is_none_or(RuleSet::is_empty)
    }

    /// Fresh scratch space for one thread.
    pub fn scratch(&self) -> DetectScratch {
        DetectScratch {
            compat: self.compat.as_ref().map(Matcher::scratch),
        }
    }

    /// Append the findings in `buf`, ordered by line, then column.
    pub fn scan(
        &self,
        scratch: &mut DetectScratch,
        buf: &[u8],
        target: Target<'_>,
        out: &mut Vec<Finding>,
    ) {
        self.scan_with_pickaxe(scratch, buf, target, out, |_| {});
    }

    /// [`Detector::scan`], also calling `pickaxe(line)` for every line git log -G would count
    /// as matching (a prohibited pattern without `-w`, or a rule's hit), in the same pass.
    pub fn scan_with_pickaxe(
        &self,
        scratch: &mut DetectScratch,
        buf: &[u8],
        target: Target<'_>,
        out: &mut Vec<Finding>,
        mut pickaxe: impl FnMut(&[u8]),
    ) {
        let first = out.len();
        let make =
            |line: usize, text: &[u8], secret: Range<usize>, rule: Option<Arc<Rule>>| Finding {
                commit: target.commit.map(str::to_owned),
                path: target.display.to_vec(),
                repo_path: target.repo_path.to_vec(),
                line,
                text: text.to_vec(),
                secret,
                rule,
                commit_meta: None,
            };
        if let (Some(m), Some(s)) = (&self.compat, scratch.compat.as_mut()) {
            m.for_each_line(buf, s, &mut pickaxe, |line, text, span| {
                out.push(make(line, text, span, None));
            });
        }
        if let Some(rules) = &self.rules {
            let mut hits = rules.scan(buf, Some(target.repo_path));
            hits.sort_by_key(|h| h.secret.start);
            if !hits.is_empty() {
                let mut line_no = 1;
                let mut counted_to = 0;
                for hit in hits {
                    let start = hit.secret.start;
                    line_no += memchr::memchr_iter(b'\n', &buf[counted_to..start]).count();
                    counted_to = start;
                    let line_start = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
                    let line_end =
                        memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
                    let text = &buf[line_start..line_end];
                    let secret = (start - line_start)..(hit.secret.end.min(line_end) - line_start);
                    pickaxe(text);
                    out.push(make(line_no, text, secret, Some(rules.rule_arc(hit.rule))));
                }
            }
        }
        if self.compat.is_some() && self.rules.is_some() {
            out[first..].sort_by_key(|f| (f.line, f.secret.start));
        }
    }
}
