//! The detector: everything one scan looks for, applied to one buffer at a time.
//!
//! It combines upstream's prohibited patterns (`secrets.patterns` and providers, matched with
//! grep's or git grep's `-w` semantics) with registry rules (built-in packs and user TOML
//! files). Both produce [`Finding`]s; the human report prints each matching line once, machine
//! formats keep one finding per rule and secret.

use std::ops::Range;
use std::sync::Arc;

use crate::delta::Inherited;
use crate::gate::{Gate, GateScratch, LineOwners, LiteralSet};
use crate::matcher::{LineNumbers, Matcher, Scratch};
use crate::rules::{Confidence, KeywordCheck, PathScope, Rule, RulePlan, RuleSet};

/// One detected secret.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The commit (history scans only), as hex.
    pub commit: Option<String>,
    /// The blob that holds the line, as hex (git sources that read blobs by id: history,
    /// ranges, push hooks), so that `git cat-file -p <blob>` shows the file as scanned.
    pub blob: Option<String>,
    /// The path as printed (relative, quoted as git quotes it), or `(standard input)`.
    pub path: Vec<u8>,
    /// The repository-relative path (git sources), or the path as given (file mode); `None`
    /// where there is no one path (a blob scanned once for all its paths, before the caller
    /// attributes it).
    pub repo_path: Option<Vec<u8>>,
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
    /// The confidence of this finding when it differs from its rule's (a verified checksum).
    pub confidence: Option<Confidence>,
    /// The decoding that revealed the secret (`base64`, `base64/base64`): `secret` is then the
    /// encoded text in which a rule matched once decoded.
    pub decoding: Option<&'static str>,
    /// Other rule ids that matched the same span (see [`crate::dedupe`]).
    pub also_matched: Vec<String>,
    /// What a history audit knows of this secret at this path (machine formats of
    /// `--scan-history`: one finding per path, rule and secret).
    pub history: Option<HistoryFacts>,
}

/// A secret's life at one path across the scanned history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryFacts {
    /// Commits that brought it to the path (the finding's commit is the earliest).
    pub introduced_by: usize,
    /// Distinct versions (blobs) of the file that hold it.
    pub blobs: usize,
    /// Whether the path still holds it at one of the scanned tips (refs).
    pub present_at_tips: bool,
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

    /// How sure the finding is: its own confidence (a verified checksum), else its rule's
    /// (medium for a prohibited pattern).
    pub fn confidence(&self) -> Confidence {
        self.confidence
            .or(self.rule.as_ref().map(|r| r.confidence))
            .unwrap_or_default()
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

    /// A content fingerprint: an HMAC-SHA256 of the rule id and the secret under `key`, as 64
    /// hex digits (see [`crate::fingerprint`]). It does not depend on the path or line, so a
    /// moved secret keeps it, and without the key it cannot confirm a guessed secret.
    pub fn fingerprint(&self, key: &crate::fingerprint::FingerprintKey) -> String {
        key.fingerprint(self.rule_id(), self.secret_bytes())
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
    /// Repository-relative path, for path filters and machine formats; for a blob scanned
    /// once for all its paths, those paths (the caller checks each finding per path).
    pub repo_path: PathScope<'a>,
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
    gating: Gating,
    literal_gate: std::sync::OnceLock<LiteralGate>,
    scanned: std::sync::atomic::AtomicU64,
    /// Buffers larger than this are not scanned (`secrets.maxFileSize`; off by default).
    max_file_size: Option<u64>,
    skipped: std::sync::atomic::AtomicU64,
    /// What the detector's making had to say.
    notes: Vec<crate::note::Note>,
}

/// How a [`Detector`] decides which lines its regexes search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Gating {
    /// Keywords while little has been scanned, literals once the scanned bytes add up.
    #[default]
    Auto,
    /// Each rule's keywords, case-insensitively; prohibited patterns search whole buffers.
    /// Nothing to build: right for hooks that scan a few files.
    Keywords,
    /// One pass over every matcher's required literals (built once, ~90 ms on 2 cores): right for
    /// history and large trees.
    Literals,
}

/// The literal gate of a detector. Its owners are numbered: the rules by index, then the
/// prohibited patterns, then each rule's keyword literals (see [`KeywordCheck::Literals`]).
struct LiteralGate {
    gate: Option<Gate>,
    /// Whether the prohibited patterns are gated (else they search whole buffers).
    compat_gated: bool,
    compat_owner: u32,
    compat_anchor: Option<crate::anchor::Anchor>,
    /// The owner of the literals that say a buffer may hold base64 values worth decoding
    /// ([`crate::decode::needles`]); the next owner is the Secret manifest's.
    decode_owner: u32,
    /// The path-limited rules whose lines a version may leave out when their filters leave
    /// it out, by their bit in the gate's masks (see [`Gate::mark_skippable`]).
    path_slots: Vec<usize>,
}

/// In the gate's masks, the bit of owners that take a delta base's hits on the lines a
/// version copies whole; the low [`PATH_SLOTS`] bits are [`LiteralGate::path_slots`].
const INHERITS: u64 = 1 << 63;

/// In the gate's masks, the bits of decoding's two owners: all they need of a line is that
/// it holds one of their literals, which the line's mask says.
const DECODE_INLINE: u64 = 1 << 62;
const DECODE_MANIFEST: u64 = 1 << 61;

/// How many path-limited rules the gate's masks can name.
const PATH_SLOTS: usize = 61;

/// What a gate owner number stands for.
enum Owner {
    Rule(usize),
    Compat,
    /// The keyword literals of rule `.0`.
    Keywords(usize),
    /// A literal of [`crate::decode`]'s: inline base64 (`false`) or a Secret manifest.
    Decode(bool),
}

impl LiteralGate {
    fn keywords_owner(&self, rule: usize) -> u32 {
        self.compat_owner + 1 + rule as u32
    }

    fn owner(&self, o: u32) -> Owner {
        match o.cmp(&self.compat_owner) {
            std::cmp::Ordering::Less => Owner::Rule(o as usize),
            std::cmp::Ordering::Equal => Owner::Compat,
            std::cmp::Ordering::Greater if o >= self.decode_owner => {
                Owner::Decode(o > self.decode_owner)
            }
            std::cmp::Ordering::Greater => Owner::Keywords((o - self.compat_owner - 1) as usize),
        }
    }
}

/// Per-thread scratch space for a [`Detector`].
pub struct DetectScratch {
    compat: Option<Scratch>,
    gate: GateScratch,
    compat_lines: Vec<Range<usize>>,
    pending_whole: Vec<usize>,
    keywords_seen: Vec<usize>,
    /// Per gate owner, the scratch space of its anchor, made on first use.
    anchors: Vec<Option<regex_automata::meta::Cache>>,
    /// Whether the path-limited rules asked about apply to the buffer being planned.
    applies: AppliesMemo,
    /// Whether the literal gate searched the buffer last scanned.
    gated: bool,
    /// What the literal gate said of decoding the buffer last scanned: whether it may hold a
    /// Secret manifest (`None`: it did not search the buffer), and in `decode_lines` the lines
    /// that hold a needle of inline base64 (see [`crate::decode::Hint`]).
    decode: Option<bool>,
    decode_lines: Vec<Range<usize>>,
    /// The buffer last scanned's hits of the rules that search line by line on every path
    /// (see [`crate::delta::Found::hits`]).
    line_hits: Vec<crate::delta::LineHit>,
}

/// Whether each path-limited rule asked about so far applies to the buffer being planned: a
/// glob match per rule and buffer, not per literal hit. The few path-limited rules (5 of the
/// built-in packs) make a list the right map.
#[derive(Default)]
struct AppliesMemo(Vec<(usize, bool)>);

impl AppliesMemo {
    fn clear(&mut self) {
        self.0.clear();
    }

    fn in_scope(&mut self, rules: &RuleSet, i: usize, scope: PathScope<'_>) -> bool {
        if let Some(&(_, applies)) = self.0.iter().find(|(r, _)| *r == i) {
            return applies;
        }
        let applies = rules.applies_in(i, scope);
        self.0.push((i, applies));
        applies
    }
}

impl DetectScratch {
    /// What the buffer last scanned leaves to the versions built on it (what the literal gate
    /// found, the one-line rules' hits: see [`Detector::scan_version`]): `None` when the
    /// literal gate did not search it.
    pub fn found(&self) -> Option<crate::delta::Found> {
        self.gated.then(|| crate::delta::Found {
            occurrences: self.gate.occurrences().to_vec(),
            hits: self.line_hits.clone(),
        })
    }
}

impl Detector {
    /// A detector for `compat` patterns and `rules`.
    pub fn new(compat: Option<Matcher>, rules: Option<RuleSet>) -> Detector {
        Detector {
            compat,
            rules,
            gating: Gating::default(),
            literal_gate: std::sync::OnceLock::new(),
            scanned: std::sync::atomic::AtomicU64::new(0),
            max_file_size: None,
            skipped: std::sync::atomic::AtomicU64::new(0),
            notes: Vec::new(),
        }
    }

    /// This detector carrying what its making had to say (a provider that could not run,
    /// allowlist policy), for the report with the findings.
    pub fn with_notes(mut self, notes: Vec<crate::note::Note>) -> Detector {
        self.notes = notes;
        self
    }

    /// This detector with another gating policy (the results are the same; only the speed
    /// differs).
    pub fn with_gating(mut self, gating: Gating) -> Detector {
        self.gating = gating;
        self
    }

    /// This detector skipping buffers larger than `max` bytes (counted, and given as a note
    /// by [`Detector::notes`]).
    pub fn with_max_file_size(mut self, max: Option<u64>) -> Detector {
        self.max_file_size = max;
        self
    }

    /// What the scans of this detector say beside their findings: files the size cap
    /// skipped (a cap never passes a file silently). The report layer writes it.
    pub fn notes(&self) -> Vec<crate::note::Note> {
        let mut notes = self.notes.clone();
        if let (Some(max), skipped) = (self.max_file_size, self.skipped())
            && skipped > 0
        {
            notes.push(crate::note::Note::SizeCap { skipped, max });
        }
        notes
    }

    /// Whether the size cap skips a buffer of `len` bytes (then not counted; see
    /// [`Detector::count_skipped`]).
    pub fn over_size_cap(&self, len: usize) -> bool {
        self.max_file_size.is_some_and(|max| len as u64 > max)
    }

    /// Count a buffer that [`Detector::over_size_cap`] skipped, for [`Detector::notes`].
    pub fn count_skipped(&self) {
        self.skipped
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many buffers the size cap skipped.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.compat.is_none() && self.rules.as_ref().is_none_or(RuleSet::is_empty)
    }

    /// Before a scan of `items` files or blobs: from 1,000 on,
    /// build the literal gate now, on all cores (under [`Gating::Auto`]). Built when the
    /// scanned bytes reach 32 MB instead, it is built on one thread while the others wait:
    /// git/git's work tree (4.5k files, 60 MB) took 397 ms instead of 243 ms, and a
    /// 3,321-commit push of cargo spent 12 % of its time in the keyword automaton first.
    pub fn prepare_for(&self, items: usize) {
        if self.prepares_for(items) {
            self.literal_gate();
        }
    }

    /// Whether [`Detector::prepare_for`] has work to do for `items`: a caller that would run
    /// it beside other work need not start a thread for nothing (a hook scans a few files).
    pub fn prepares_for(&self, items: usize) -> bool {
        items >= Self::LITERALS_FIRST_ITEMS && self.gating == Gating::Auto
    }

    /// See [`Detector::prepare_for`].
    const LITERALS_FIRST_ITEMS: usize = 1000;

    /// Fresh scratch space for one thread.
    pub fn scratch(&self) -> DetectScratch {
        DetectScratch {
            compat: self.compat.as_ref().map(Matcher::scratch),
            gate: GateScratch::default(),
            compat_lines: Vec::new(),
            pending_whole: Vec::new(),
            keywords_seen: Vec::new(),
            anchors: Vec::new(),
            applies: AppliesMemo::default(),
            gated: false,
            decode: None,
            decode_lines: Vec::new(),
            line_hits: Vec::new(),
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

    /// Bytes scanned before [`Gating::Auto`] builds the literal gate.
    const LITERALS_AFTER_BYTES: u64 = 32 << 20;

    fn use_literals(&self, len: usize) -> bool {
        match self.gating {
            Gating::Keywords => false,
            Gating::Literals => true,
            Gating::Auto => {
                use std::sync::atomic::Ordering::Relaxed;
                self.literal_gate.get().is_some()
                    || self.scanned.fetch_add(len as u64, Relaxed) + len as u64
                        >= Self::LITERALS_AFTER_BYTES
            }
        }
    }

    fn literal_gate(&self) -> &LiteralGate {
        self.literal_gate.get_or_init(|| {
            let rule_specs = self.rules.as_ref().map(|r| &r.literal_gates().specs);
            let compat_literals = self.compat.as_ref().and_then(Matcher::required_literals);
            let rule_count = rule_specs.map_or(0, |s| s.len()) as u32;
            let mut lg = LiteralGate {
                gate: None,
                compat_gated: compat_literals.is_some(),
                compat_owner: rule_count,
                decode_owner: 2 * rule_count + 1,
                compat_anchor: compat_literals
                    .as_ref()
                    .and_then(|c| c.anchor.as_ref())
                    .and_then(crate::anchor::Anchor::new),
                path_slots: Vec::new(),
            };
            let mut sets: Vec<LiteralSet<'_>> = Vec::new();
            if let Some(specs) = rule_specs {
                for (i, spec) in specs.iter().enumerate() {
                    if let Some(literals) = &spec.literals {
                        sets.push(LiteralSet {
                            owner: i as u32,
                            literals,
                            caseless: spec.caseless,
                        });
                    }
                    if let KeywordCheck::Literals(keywords) = &spec.keyword_check {
                        sets.push(LiteralSet {
                            owner: lg.keywords_owner(i),
                            literals: keywords,
                            caseless: true,
                        });
                    }
                }
            }
            if let Some(c) = &compat_literals {
                sets.push(LiteralSet {
                    owner: lg.compat_owner,
                    literals: &c.literals,
                    caseless: false,
                });
            }
            // Decoding's literals ride along, so that a delta's scan inherits them too: a
            // separate pass over every blob version for them took 0.3 of git/git's 9 CPU s.
            if self.rules.is_some() {
                let (inline, manifest) = crate::decode::needles();
                sets.push(LiteralSet {
                    owner: lg.decode_owner,
                    literals: inline,
                    caseless: false,
                });
                sets.push(LiteralSet {
                    owner: lg.decode_owner + 1,
                    literals: manifest,
                    caseless: false,
                });
            }
            lg.gate = Gate::new(&sets);
            // The owners a line copied whole from a delta's base needs nothing from: one-line
            // rules that run on every path (their hits are the base's) and their keyword
            // checks. A path-limited rule needs no line of a version its filters leave out
            // (on cargo's history, 1.5 M occurrences of `_pat` and `://` under the CSV,
            // `.properties`, log and credential-store rules kept lines of Rust and Markdown
            // that were copied whole). Decoding needs only to know that a line holds one of its literals,
            // which a skipped line's mask tells. Compatible patterns still see every line.
            if let Some(rules) = self.rules.as_ref()
                && let Some(mut gate) = lg.gate.take()
            {
                lg.path_slots = (0..rules.rules().len())
                    .filter(|&i| rules.path_limited(i))
                    .take(PATH_SLOTS)
                    .collect();
                let slots = &lg.path_slots;
                gate.mark_skippable(|o| match lg.owner(o) {
                    Owner::Rule(i) | Owner::Keywords(i) if rules.takes_base_hits(i) => {
                        Some(INHERITS)
                    }
                    Owner::Rule(i) | Owner::Keywords(i) => {
                        slots.iter().position(|&r| r == i).map(|slot| 1 << slot)
                    }
                    Owner::Decode(false) => Some(DECODE_INLINE),
                    Owner::Decode(true) => Some(DECODE_MANIFEST),
                    Owner::Compat => None,
                });
                lg.gate = Some(gate);
            }
            lg
        })
    }

    /// Plan the rules' searches of `buf` from the literal gate, and collect the lines the
    /// prohibited patterns must search in `scratch.compat_lines`; returns whether they are
    /// gated (else they search the whole buffer).
    fn plan_by_literals(
        &self,
        buf: &[u8],
        inherited: Option<Inherited<'_>>,
        scope: PathScope<'_>,
        scratch: &mut DetectScratch,
        plan: &mut RulePlan,
    ) -> bool {
        let lg = self.literal_gate();
        plan.large = true;
        scratch.compat_lines.clear();
        scratch.pending_whole.clear();
        scratch.keywords_seen.clear();
        let rules = self.rules.as_ref();
        if let Some(rules) = rules {
            rules.plan_leftovers(buf, plan);
        }
        let Some(gate) = &lg.gate else {
            return lg.compat_gated;
        };
        let (compat_lines, pending_whole, keywords_seen, anchor_caches, applies) = (
            &mut scratch.compat_lines,
            &mut scratch.pending_whole,
            &mut scratch.keywords_seen,
            &mut scratch.anchors,
            &mut scratch.applies,
        );
        applies.clear();
        // Asked by the skip for whole versions and by the confirmation rule by rule.
        let applies = std::cell::RefCell::new(applies);
        // A one-line rule that runs on every path takes its hits on a line the version copies
        // whole from its base from the base's scan (`RuleSet::run_inheriting`): it needs no
        // plan there, nor its anchor run. The lines are asked about in order.
        let copies = inherited
            .filter(|_| scope.takes_base_hits())
            .map_or(&[][..], |i| i.copies);
        // Asked again about the same line (once per owner), the cursor stays where it is.
        let copied_lines = std::cell::RefCell::new(crate::delta::CopiedLines::new(copies));
        let copied =
            |line: &Range<usize>| !copies.is_empty() && copied_lines.borrow_mut().whole(line);
        // The path-limited rules (by slot) that apply to this version, found when first asked.
        let in_scope = std::cell::Cell::new(None);
        // What decoding needs: whether some line holds one of its literals.
        let manifest = std::cell::Cell::new(false);
        let decode_lines = std::cell::RefCell::new(&mut scratch.decode_lines);
        decode_lines.borrow_mut().clear();
        let inline_at = |line: &Range<usize>| {
            let mut lines = decode_lines.borrow_mut();
            if lines.last() != Some(line) {
                lines.push(line.clone());
            }
        };
        let skip = |line: &Range<usize>, mask: u64| {
            if mask & DECODE_INLINE != 0 {
                inline_at(line);
            }
            manifest.set(manifest.get() || mask & DECODE_MANIFEST != 0);
            let scopes = mask & ((1 << PATH_SLOTS) - 1);
            let out_of_scope = scopes == 0 || {
                let applying = in_scope.get().unwrap_or_else(|| {
                    let applying = rules.map_or(0, |r| {
                        lg.path_slots
                            .iter()
                            .enumerate()
                            .filter(|&(_, &i)| applies.borrow_mut().in_scope(r, i, scope))
                            .fold(0, |m, (slot, _)| m | 1 << slot)
                    });
                    in_scope.set(Some(applying));
                    applying
                });
                scopes & applying == 0
            };
            out_of_scope && (mask & INHERITS == 0 || copied(line))
        };
        // A literal hit counts only where the matcher's anchor matches: most hits of common
        // literals (`key`, `pat`, `https://`) are not followed by what the pattern needs.
        // Before the anchor, what costs no look at the bytes: a rule whose path filters leave
        // this file out, and a line rule whose keywords are not on the line. (On git/git's
        // work tree, 320 k of its 500 k anchor runs and 47 k of its 110 k line searches:
        // `pat` of `path` under `azure-devops.pat-legacy` without an Azure name, `*.yml`
        // rules in C files.)
        let confirm = |o: u32, at: usize, line: &Range<usize>, present: &LineOwners<'_>| -> bool {
            let (anchor, whole) = match lg.owner(o) {
                Owner::Compat => (lg.compat_anchor.as_ref(), false),
                Owner::Keywords(_) | Owner::Decode(_) => return true,
                Owner::Rule(i) => match rules {
                    Some(r) => {
                        let spec = &r.literal_gates().specs[i];
                        if !spec.whole
                            && matches!(spec.keyword_check, KeywordCheck::Literals(_))
                            && !present.contains(lg.keywords_owner(i))
                        {
                            return false;
                        }
                        if r.takes_base_hits(i) && copied(line) {
                            return false;
                        }
                        if r.path_limited(i) && !applies.borrow_mut().in_scope(r, i, scope) {
                            return false;
                        }
                        (spec.anchor.as_ref().and_then(|a| a.get()), spec.whole)
                    }
                    None => return true,
                },
            };
            let Some(anchor) = anchor else { return true };
            if anchor_caches.len() <= o as usize {
                anchor_caches.resize_with(o as usize + 1, || None);
            }
            let cache = anchor_caches[o as usize].get_or_insert_with(|| anchor.cache());
            if whole {
                anchor.matches_at(cache, buf, at)
            } else {
                anchor.matches_at(cache, &buf[line.clone()], at - line.start)
            }
        };
        scratch.gated = true;
        gate.for_each_line_skipping(
            buf,
            &mut scratch.gate,
            inherited,
            skip,
            confirm,
            |line, owners| {
                for &o in owners {
                    let i = match lg.owner(o) {
                        Owner::Compat => {
                            compat_lines.push(line.clone());
                            continue;
                        }
                        Owner::Keywords(i) => {
                            keywords_seen.push(i);
                            continue;
                        }
                        Owner::Decode(true) => {
                            manifest.set(true);
                            continue;
                        }
                        Owner::Decode(false) => {
                            inline_at(&line);
                            continue;
                        }
                        Owner::Rule(i) => i,
                    };
                    // Rule owners exist only when there are rules.
                    let Some(rules) = rules else { continue };
                    let spec = &rules.literal_gates().specs[i];
                    if spec.whole {
                        pending_whole.push(i);
                    } else if spec.keyword_check.passes(
                        || owners.contains(&lg.keywords_owner(i)),
                        || rules.keyword_in(i, &buf[line.clone()]),
                    ) {
                        plan.lines.push((i, line.start));
                    }
                }
            },
        );
        scratch.decode = Some(manifest.get());
        if let Some(rules) = rules {
            pending_whole.sort_unstable();
            pending_whole.dedup();
            for &i in pending_whole.iter() {
                if rules.literal_gates().specs[i]
                    .keyword_check
                    .passes(|| keywords_seen.contains(&i), || rules.keyword_in(i, buf))
                {
                    plan.whole.push(i);
                }
            }
        }
        lg.compat_gated
    }

    /// [`Detector::scan`], also calling `pickaxe(line)` for every line git log -G would count
    /// as matching (a prohibited pattern without `-w`, or a rule's hit), in the same pass.
    pub fn scan_with_pickaxe(
        &self,
        scratch: &mut DetectScratch,
        buf: &[u8],
        target: Target<'_>,
        out: &mut Vec<Finding>,
        pickaxe: impl FnMut(&[u8]),
    ) {
        self.scan_version(scratch, buf, None, target, out, pickaxe);
    }

    /// [`Detector::scan_with_pickaxe`] of a blob version that is a delta of one scanned
    /// before: `inherited` holds what the scan found in that base ([`DetectScratch::found`])
    /// and the runs copied from it, so that the gate searches only around what the delta
    /// inserts and the one-line rules take their hits on the lines it copies whole. The
    /// findings are the same as without.
    pub fn scan_version(
        &self,
        scratch: &mut DetectScratch,
        buf: &[u8],
        inherited: Option<Inherited<'_>>,
        target: Target<'_>,
        out: &mut Vec<Finding>,
        mut pickaxe: impl FnMut(&[u8]),
    ) {
        scratch.gated = false;
        scratch.decode = None;
        scratch.line_hits.clear();
        if self.over_size_cap(buf.len()) {
            self.count_skipped();
            return;
        }
        let first = out.len();
        let make =
            |line: usize, text: &[u8], secret: Range<usize>, rule: Option<Arc<Rule>>| Finding {
                commit: target.commit.map(str::to_owned),
                blob: None,
                path: target.display.to_vec(),
                repo_path: match target.repo_path {
                    PathScope::At(p) => Some(p.to_vec()),
                    _ => None,
                },
                line,
                text: text.to_vec(),
                secret,
                rule,
                commit_meta: None,
                also_matched: Vec::new(),
                history: None,
                confidence: None,
                decoding: None,
            };
        let mut plan = RulePlan::default();
        let compat_gated = if self.use_literals(buf.len()) {
            self.plan_by_literals(buf, inherited, target.repo_path, scratch, &mut plan)
        } else {
            if let Some(rules) = &self.rules {
                rules.plan_keywords(buf, &mut plan);
            }
            false
        };
        if let (Some(m), Some(s)) = (&self.compat, scratch.compat.as_mut()) {
            let found = |line, text: &[u8], span| out.push(make(line, text, span, None));
            if compat_gated {
                m.for_lines(buf, &scratch.compat_lines, s, &mut pickaxe, found);
            } else {
                m.for_each_line(buf, s, &mut pickaxe, found);
            }
        }
        if let Some(rules) = &self.rules {
            let mut hits = rules.run_inheriting(
                buf,
                target.repo_path,
                plan,
                inherited,
                Some(&mut scratch.line_hits),
            );
            hits.sort_by_key(|h| h.secret.start);
            if !hits.is_empty() {
                let mut line_numbers = LineNumbers::default();
                for hit in hits {
                    let start = hit.secret.start;
                    let line_no = line_numbers.at(buf, start);
                    let line_start = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
                    let line_end =
                        memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
                    let text = &buf[line_start..line_end];
                    let secret = (start - line_start)..(hit.secret.end.min(line_end) - line_start);
                    pickaxe(text);
                    out.push(Finding {
                        confidence: hit.confidence,
                        ..make(line_no, text, secret, Some(rules.rule_arc(hit.rule)))
                    });
                }
            }
            let hint = scratch.decode.map(|manifest| crate::decode::Hint {
                inline_lines: &scratch.decode_lines,
                manifest,
            });
            scan_decoded(rules, buf, hint, target, first, out, make, &mut pickaxe);
        }
        if self.compat.is_some() && self.rules.is_some() {
            out[first..].sort_by_key(|f| (f.line, f.secret.start));
        }
    }
}

/// Append the findings in the base64 values of `buf` (see [`crate::decode`]), except those of a
/// rule that already reported the encoded text itself (findings from `first` on).
#[allow(clippy::too_many_arguments)]
fn scan_decoded(
    rules: &RuleSet,
    buf: &[u8],
    hint: Option<crate::decode::Hint<'_>>,
    target: Target<'_>,
    first: usize,
    out: &mut Vec<Finding>,
    make: impl Fn(usize, &[u8], Range<usize>, Option<Arc<Rule>>) -> Finding,
    pickaxe: &mut impl FnMut(&[u8]),
) {
    let path = match target.repo_path {
        PathScope::At(p) => Some(p),
        // Every rule runs; the caller checks each finding per path.
        _ => None,
    };
    let decoded = crate::decode::scan(rules, buf, path, hint);
    if decoded.hits.is_empty() && decoded.entries.is_empty() {
        return;
    }
    // A generic rule's finding on a Secret's encoded value gives way to the decoded scan.
    let mut line_numbers = LineNumbers::default();
    let entries: Vec<(usize, Range<usize>)> = decoded
        .entries
        .iter()
        .map(|e| {
            let line_start = memchr::memrchr(b'\n', &buf[..e.start]).map_or(0, |i| i + 1);
            let line = line_numbers.at(buf, e.start);
            (line, e.start - line_start..e.end - line_start)
        })
        .collect();
    let on_entry = |f: &Finding| {
        f.rule.as_ref().is_some_and(|r| r.has_value_filter())
            && entries.iter().any(|(line, span)| {
                f.line == *line && span.start <= f.secret.start && f.secret.end <= span.end
            })
    };
    let kept: Vec<Finding> = out.drain(first..).filter(|f| !on_entry(f)).collect();
    out.extend(kept);
    let mut line_numbers = LineNumbers::default();
    let direct = out.len();
    for hit in decoded.hits {
        let start = hit.encoded.start;
        let line_start = memchr::memrchr(b'\n', &buf[..start]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
        let secret = (start - line_start)..(hit.encoded.end.min(line_end) - line_start);
        let rule = rules.rule_arc(hit.rule);
        let line = line_numbers.at(buf, start);
        let reported = out[first..].iter().any(|f| {
            f.line == line
                && f.rule_id() == rule.id
                && f.secret.start < secret.end
                && secret.start < f.secret.end
        });
        if !reported {
            pickaxe(&buf[line_start..line_end]);
            out.push(Finding {
                decoding: Some(hit.decoding()),
                ..make(line, &buf[line_start..line_end], secret, Some(rule))
            });
        }
    }
    if out.len() > direct {
        // Findings are ordered by line, then column (stable: rule order is kept).
        out[first..].sort_by_key(|f| (f.line, f.secret.start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules whose keywords are not part of what they match: the literal gate must still run
    /// them only where a keyword is, as the keyword gate does.
    const REGISTRY: &str = r#"
[[rule]]
id = "t.line"
description = "token near a tool name"
pattern = 'tok_[a-z0-9]{8}'
keywords = ["mytool"]
examples = ["mytool tok_12345678"]
negative_examples = ["tok_12345678"]

[[rule]]
id = "t.window"
description = "bare token near a long tool name"
pattern = '[0-9a-f]{12}'
keywords = ["longtoolname"]
examples = ["longtoolname 0123456789ab"]
negative_examples = ["0123456789ab"]

[[rule]]
id = "t.lit"
description = "rare prefix, common keyword"
pattern = 'zqx_[a-z0-9]{8}'
keywords = ["setup"]
examples = ["setup zqx_12345678"]
negative_examples = ["zqx_12345678"]

[[rule]]
id = "t.litwin"
description = "rare prefix, long common keyword"
pattern = 'qzj_[a-z0-9]{8}'
keywords = ["settings"]
examples = ["settings qzj_12345678"]
negative_examples = ["qzj_12345678"]

[[rule]]
id = "t.whole"
description = "a block"
pattern = 'BEGIN_X\n[a-z]{6}'
keywords = ["blocktool"]
examples = ["blocktool\nBEGIN_X\nabcdef"]
negative_examples = ["BEGIN_X\nabcdef"]
"#;

    fn found(gating: Gating, text: &str) -> Vec<(String, usize)> {
        let rules = RuleSet::from_toml(REGISTRY, "t.toml").unwrap();
        let d = Detector::new(None, Some(rules)).with_gating(gating);
        let mut out = Vec::new();
        let target = Target {
            display: b"a.txt",
            repo_path: PathScope::At(b"a.txt"),
            commit: None,
        };
        d.scan(&mut d.scratch(), text.as_bytes(), target, &mut out);
        out.iter()
            .map(|f| (f.rule_id().to_string(), f.line))
            .collect()
    }

    /// A rule without keywords whose matches stay within a line runs, in a large scan, on
    /// the lines of its literals like a keyword rule: a version's line copied whole from its
    /// delta base takes the base's hit instead of being searched (fails if it is searched
    /// whole again, or if its hit is lost); a path-limited rule that does not apply to the
    /// version changes nothing.
    #[test]
    fn keyword_less_one_line_rules_take_their_base_s_hits() {
        const BARE: &str = r#"
[[rule]]
id = "t.bare"
description = "a token known by its prefix alone"
pattern = '\b(vx9_[a-z0-9]{10})\b'
secret_group = 1
examples = ["vx9_a1b2c3d4e5"]
negative_examples = ["vx9_short"]

[[rule]]
id = "t.csv"
description = "a token in CSV files"
pattern = 'vx9_[a-z0-9]{10}'
keywords = ["vx9_"]
paths = ["*.csv"]
examples = ["vx9_a1b2c3d4e5"]
negative_examples = ["vx9_short"]
"#;
        let rules = RuleSet::from_toml(BARE, "t.toml").unwrap();
        let d = Detector::new(None, Some(rules)).with_gating(Gating::Literals);
        let paths: [Arc<[u8]>; 1] = [Arc::from(&b"a.txt"[..])];
        let target = Target {
            display: b"a.txt",
            repo_path: PathScope::AnyOf(&paths),
            commit: None,
        };
        let base = "first\nkey = vx9_a1b2c3d4e5\nlast\n";
        let mut scratch = d.scratch();
        let mut out = Vec::new();
        d.scan_version(
            &mut scratch,
            base.as_bytes(),
            None,
            target,
            &mut out,
            |_| {},
        );
        let ids = |out: &[Finding]| {
            out.iter()
                .map(|f| (f.rule_id().to_string(), f.line))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&out), [("t.bare".to_string(), 2)]);
        let found = scratch.found().expect("the literal gate searched the base");
        assert_eq!(found.hits.len(), 1);
        let version = format!("# added\n{base}");
        let copies = [crate::delta::Copy {
            to: 8,
            from: 0,
            len: base.len() as u32,
        }];
        let scan = |hits: &[crate::delta::LineHit]| {
            let mut out = Vec::new();
            let inherited = Inherited {
                occurrences: &found.occurrences,
                hits,
                copies: &copies,
            };
            d.scan_version(
                &mut d.scratch(),
                version.as_bytes(),
                Some(inherited),
                target,
                &mut out,
                |_| {},
            );
            ids(&out)
        };
        assert_eq!(scan(&found.hits), [("t.bare".to_string(), 3)]);
        assert_eq!(scan(&[]), []);
    }

    /// A finding's repository path is known exactly when its buffer has one path; a blob
    /// scanned once for several paths leaves it to the caller (`None`, not an empty path).
    #[test]
    fn repository_path_is_an_option() {
        let rules = RuleSet::from_toml(REGISTRY, "t.toml").unwrap();
        let d = Detector::new(None, Some(rules));
        let paths: [Arc<[u8]>; 2] = [Arc::from(&b"a.txt"[..]), Arc::from(&b"b.txt"[..])];
        for (scope, want) in [
            (PathScope::At(b"a.txt"), Some(b"a.txt".to_vec())),
            (PathScope::AnyOf(&paths), None),
        ] {
            let mut out = Vec::new();
            let target = Target {
                display: b"a.txt",
                repo_path: scope,
                commit: None,
            };
            d.scan(&mut d.scratch(), b"SETUP zqx_12345678\n", target, &mut out);
            assert_eq!(out.len(), 1);
            assert_eq!(out[0].repo_path, want);
        }
    }

    #[test]
    fn literal_gate_keeps_keyword_semantics() {
        let cases: [(&str, &[(&str, usize)]); 13] = [
            ("SETUP zqx_12345678\n", &[("t.lit", 1)]),
            ("setup\nzqx_12345678\n", &[]),
            ("zqx_12345678\n", &[]),
            ("Settings=qzj_12345678\n", &[("t.litwin", 1)]),
            ("settin qzj_12345678\n", &[]),
            ("listings qzj_12345678\n", &[]),
            ("mytool tok_12345678\n", &[("t.line", 1)]),
            ("tok_12345678\nmytool\n", &[]),
            ("MYTOOL: tok_12345678", &[("t.line", 1)]),
            ("mytoo tok_12345678\n", &[]),
            (
                "longtoolname 0123456789ab\nlongtool 0123456789ab\n",
                &[("t.window", 1)],
            ),
            ("blocktool\nBEGIN_X\nabcdef\n", &[("t.whole", 2)]),
            ("blocktoo\nBEGIN_X\nabcdef\n", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, usize)> =
                want.iter().map(|(r, l)| (r.to_string(), *l)).collect();
            assert_eq!(found(Gating::Keywords, text), want, "keywords: {text:?}");
            assert_eq!(found(Gating::Literals, text), want, "literals: {text:?}");
        }
    }
}

#[cfg(test)]
mod decoding_tests {
    use super::*;

    /// Decoded findings take their place among the others (ordered by line) under either
    /// gating, and the generic rule's finding on the encoded value gives way to them.
    #[test]
    fn decoded_findings_are_ordered_and_replace_the_encoded_match() {
        // "Zr8Kq2Lm7Vx4Np!w" in base64, then a plain secret on a later line.
        let text = "kind: Secret\ndata:\n  DB_PASSWORD: WnI4S3EyTG03Vng0TnAhdw==\n---\nkind: ConfigMap\nmetadata:\n  password: tGSU8po!799NksnR\n";
        for gating in [Gating::Keywords, Gating::Literals] {
            let rules = RuleSet::builtin("common").unwrap().unwrap();
            let d = Detector::new(None, Some(rules)).with_gating(gating);
            let mut out = Vec::new();
            let target = Target {
                display: b"k8s.yaml",
                repo_path: PathScope::At(b"k8s.yaml"),
                commit: None,
            };
            d.scan(&mut d.scratch(), text.as_bytes(), target, &mut out);
            let got: Vec<(usize, Option<&str>, &[u8])> = out
                .iter()
                .map(|f| (f.line, f.decoding, f.secret_bytes()))
                .collect();
            assert_eq!(
                got,
                vec![
                    (3, Some("base64"), &b"WnI4S3EyTG03Vng0TnAhdw=="[..]),
                    (7, None, &b"tGSU8po!799NksnR"[..]),
                ],
                "{gating:?}"
            );
        }
    }
}
