//! Required literals: for a regex, a small set of byte strings such that every match contains
//! at least one of them. The gate ([`crate::gate`]) searches buffers for these literals only,
//! and a regex runs only on the lines where one of its literals occurs.
//!
//! Prefix literals alone are not enough: upstream's AWS secret pattern begins with optional
//! quotes and prefixes and only its `(KEY|key|Key)` is required, and registry rules often
//! begin with a boundary class. So every position of every concatenation is a candidate, the
//! literals at a position come from regex-syntax's prefix extractor run on the rest of the
//! concatenation, and the candidate expected to hit least often in source code wins.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of literals, one of which every match contains, and how often the set is expected to
/// hit per byte of typical source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Required {
    /// Distinct literals, none a prefix of another (that one would be redundant).
    pub literals: Vec<Vec<u8>>,
    /// Expected hits per byte: the sum over the literals of the product of their bytes'
    /// frequencies.
    pub cost: f64,
    /// A regex that, wherever the pattern matches, matches too, anchored at the start of one
    /// of the literals' occurrences in that match: the rest of the pattern from the position
    /// the literals were taken from. A literal hit where it does not match cannot be part of
    /// a match, so the pattern need not run there.
    pub anchor: Option<Hir>,
}

/// Above this expected hit rate (one hit per 100 bytes, about one per line of code) a set
/// gates nothing worth the bookkeeping: the regex searches the whole buffer instead.
pub const USELESS_COST: f64 = 0.01;

/// More literals than this in one set make the gate's automaton large for little gain.
const MAX_LITERALS: usize = 128;

/// The required literals of `pattern` (regex crate syntax, parsed without Unicode as the
/// engine compiles it), or `None` when no set is selective enough, or a match may contain
/// none (e.g. it can be empty), or a literal holds a line break.
pub fn required_literals(pattern: &str) -> Option<Required> {
    required_of_hir(&parse(pattern)?)
}

/// `pattern` (regex crate syntax) parsed as the engine compiles a rule's regex: on bytes,
/// without Unicode, `^`/`$` at line ends.
/// `None` when it does not parse (the regex crate then reports why).
pub fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(true)
        .build()
        .parse(pattern)
        .ok()
}

/// `hir` printed so that it parses back ([`parse`]) to the same language, for build.rs's
/// table of anchors. regex-syntax 0.8 prints a repetition of a repetition without a group:
/// `(?:[0-9a-f]{8})?` comes out as `[0-9a-f]{8}?`, which reads back as a lazy `{8}`, and the
/// printed anchor of Unleash's tokens (56 hex digits, then 8 more optional) refused every
/// 56-digit token. So such an inner repetition is wrapped in a group first. `None` if the
/// print still does not read back to itself (then the rule goes without an anchor).
pub fn print(hir: &Hir) -> Option<String> {
    let printed = regroup(hir).to_string();
    let again = parse(&printed)?.to_string();
    (again == printed).then_some(printed)
}

/// `hir` with every repetition's repeated repetition inside a group (see [`print`]).
fn regroup(hir: &Hir) -> Hir {
    use regex_syntax::hir::{Capture, Repetition};
    match hir.kind() {
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(regroup(&c.sub)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(regroup).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(regroup).collect()),
        HirKind::Repetition(r) => {
            let sub = regroup(&r.sub);
            let sub = match sub.kind() {
                // The index is not printed: the parse numbers groups itself.
                HirKind::Repetition(_) => Hir::capture(Capture {
                    index: 0,
                    name: None,
                    sub: Box::new(sub),
                }),
                _ => sub,
            };
            Hir::repetition(Repetition {
                min: r.min,
                max: r.max,
                greedy: r.greedy,
                sub: Box::new(sub),
            })
        }
    }
}

/// Above this many [`estimated_states`] an anchor exceeds the compiled anchor's memory cap
/// (128 KiB): of the built-in rules' anchors, the largest that compiles has 634 and the
/// smallest that does not 806 (a test keeps the two sides apart).
pub const MAX_ANCHOR_STATES: usize = 720;

/// Whether an anchor is small enough to be worth compiling ([`MAX_ANCHOR_STATES`]). Here, not
/// beside the compiled anchor, so that build.rs decides it for the built-in rules too.
pub fn anchor_fits(hir: &Hir) -> bool {
    estimated_states(hir) <= MAX_ANCHOR_STATES
}

/// A rough count of the states `hir` compiles to: a bounded repetition copies its body once
/// per allowed repeat, which is what makes the few oversized anchors (key bodies of hundreds
/// of characters) large.
pub fn estimated_states(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => 1,
        HirKind::Literal(l) => l.0.len(),
        HirKind::Capture(c) => estimated_states(&c.sub),
        HirKind::Repetition(r) => {
            let copies = r.max.unwrap_or(r.min.saturating_add(1)) as usize;
            estimated_states(&r.sub).saturating_mul(copies.max(1))
        }
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs
            .iter()
            .map(estimated_states)
            .fold(0usize, usize::saturating_add),
    }
}

/// [`required_literals`] of a parsed regex.
fn required_of_hir(hir: &Hir) -> Option<Required> {
    let best = best(hir)?;
    let usable = best.cost <= USELESS_COST
        && !best.literals.is_empty()
        && best
            .literals
            .iter()
            .all(|l| l.len() >= crate::gate::MIN_LITERAL_LEN && !l.contains(&b'\n'));
    usable.then_some(best)
}

fn best(h: &Hir) -> Option<Required> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(l) => Some(Required::new(vec![l.0.to_vec()]).anchored(h.clone())),
        HirKind::Class(c) => {
            let bytes = class_bytes(c)?;
            (bytes.len() <= 16).then(|| {
                Required::new(bytes.into_iter().map(|b| vec![b]).collect()).anchored(h.clone())
            })
        }
        HirKind::Capture(c) => best(&c.sub),
        HirKind::Repetition(r) => (r.min >= 1).then(|| best(&r.sub)).flatten(),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            let mut anchors = Some(Vec::new());
            for b in branches {
                let r = best(b)?;
                all.extend(r.literals);
                anchors = anchors.zip(r.anchor).map(|(mut a, x)| {
                    a.push(x);
                    a
                });
                if all.len() > MAX_LITERALS * 2 {
                    return None;
                }
            }
            let mut set = Required::new(all);
            set.anchor = anchors.map(Hir::alternation);
            Some(set).filter(|r| r.literals.len() <= MAX_LITERALS)
        }
        HirKind::Concat(children) => {
            let mut choice: Option<Required> = None;
            let mut consider = |r: Option<Required>| {
                if let Some(r) = r
                    && r.literals.len() <= MAX_LITERALS
                    && choice.as_ref().is_none_or(|c| r.cost < c.cost)
                {
                    choice = Some(r);
                }
            };
            for (i, child) in children.iter().enumerate() {
                // The rest of the concatenation first: on a tie its anchor is the stronger.
                let rest = Hir::concat(children[i..].to_vec());
                consider(prefix_literals(&rest).map(|r| r.anchored(rest)));
                consider(best(child));
            }
            choice
        }
    }
}

/// The prefix literals of `h` (each match starts with one of them), when finite and none
/// is empty.
fn prefix_literals(h: &Hir) -> Option<Required> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        // 22: a hex digit in either case (`[0-9a-fA-F]`), so such a class still yields
        // three-byte literals: cargo's history took 3.22 s at 22 and 3.34 s at 16 with the
        // built-in packs (a rule left without literals costs every byte a second automaton).
        .limit_class(22)
        .limit_repeat(8)
        .limit_literal_len(16)
        .limit_total(MAX_LITERALS)
        .extract(h);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(Required::new(
        lits.iter().map(|l| l.as_bytes().to_vec()).collect(),
    ))
}

fn class_bytes(c: &Class) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match c {
        Class::Bytes(b) => {
            for r in b.ranges() {
                out.extend(r.start()..=r.end());
                if out.len() > 16 {
                    return None;
                }
            }
        }
        Class::Unicode(u) => {
            for r in u.ranges() {
                if !r.end().is_ascii() {
                    return None;
                }
                out.extend(r.start() as u8..=r.end() as u8);
                if out.len() > 16 {
                    return None;
                }
            }
        }
    }
    Some(out)
}

impl Required {
    /// The set of `literals` (deduplicated, minimized) with its cost, and no anchor.
    pub fn new(mut literals: Vec<Vec<u8>>) -> Required {
        literals.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        literals.dedup();
        // Shortest first: a literal starting with an earlier one adds nothing. (Only a prefix:
        // a literal merely containing another starts elsewhere, and an anchor is tested
        // where the literal starts.)
        let mut kept: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
        for l in literals {
            if !kept.iter().any(|k| l.starts_with(k)) {
                kept.push(l);
            }
        }
        let cost = kept.iter().map(|l| literal_cost(l)).sum();
        Required {
            literals: kept,
            cost,
            anchor: None,
        }
    }

    fn anchored(mut self, anchor: Hir) -> Required {
        self.anchor = Some(anchor);
        self
    }
}

/// Expected occurrences per byte of `lit` in source code and configuration files.
/// Too short a literal for the gate counts as hitting everywhere.
fn literal_cost(lit: &[u8]) -> f64 {
    if lit.len() < crate::gate::MIN_LITERAL_LEN {
        return 1.0;
    }
    lit.iter().map(|&b| byte_frequency(b)).product()
}

/// Expected occurrences per byte of `lit` in any ASCII case.
fn caseless_cost(lit: &[u8]) -> f64 {
    lit.iter()
        .map(|&b| {
            if b.is_ascii_alphabetic() {
                byte_frequency(b.to_ascii_lowercase()) + byte_frequency(b.to_ascii_uppercase())
            } else {
                byte_frequency(b)
            }
        })
        .product()
}

/// Rough frequencies of bytes in source code (English identifiers and keywords, indentation,
/// punctuation); only their order of magnitude matters.
fn byte_frequency(b: u8) -> f64 {
    match b {
        b' ' => 0.15,
        b'e' | b't' => 0.06,
        b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 0.045,
        b'l' | b'c' | b'd' | b'u' | b'h' | b'm' | b'p' => 0.025,
        b'f' | b'g' | b'y' | b'b' | b'w' | b'v' | b'k' => 0.012,
        b'x' | b'j' | b'q' | b'z' => 0.002,
        b'\n' | b'_' | b'.' | b'(' | b')' | b',' | b';' | b'=' | b'"' | b':' | b'/' => 0.02,
        b'\t' | b'-' | b'\'' | b'{' | b'}' | b'[' | b']' | b'<' | b'>' | b'&' | b'*' | b'#' => {
            0.008
        }
        b'0'..=b'9' => 0.004,
        b'E' | b'T' | b'A' | b'S' | b'R' | b'I' | b'N' | b'O' | b'C' | b'L' => 0.004,
        b'A'..=b'Z' => 0.002,
        b'!' | b'$' | b'%' | b'+' | b'?' | b'@' | b'\\' | b'|' | b'^' | b'`' | b'~' | b'\r' => {
            0.002
        }
        _ => 0.0005,
    }
}

/// The literal set of a rule's `keywords` for the gate, to be matched in any ASCII case as
/// the keyword gate matches them: `None` when one is too short for the gate or holds a line
/// break. Its cost counts every case.
pub fn caseless_set(keywords: &[&[u8]]) -> Option<Required> {
    if keywords.is_empty()
        || keywords
            .iter()
            .any(|k| k.len() < crate::gate::MIN_LITERAL_LEN || k.contains(&b'\n'))
    {
        return None;
    }
    let lowered = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
    let mut set = Required::new(lowered);
    set.cost = set.literals.iter().map(|l| caseless_cost(l)).sum();
    Some(set)
}

/// The most line breaks (`\n`) one match of `pattern` can hold, searched on a whole buffer
/// (where `\s` and negated classes do cross lines); `None` when unbounded (`\s+`, `[^x]*`)
/// or when the pattern looks at the buffer's edges (`\A`, `\z`): a window cut from the
/// buffer would then change what it matches.
pub fn max_line_breaks(pattern: &str) -> Option<usize> {
    use regex_syntax::hir::Look;
    fn walk(h: &Hir) -> Option<usize> {
        match h.kind() {
            HirKind::Empty => Some(0),
            HirKind::Literal(l) => Some(l.0.iter().filter(|&&b| b == b'\n').count()),
            HirKind::Class(Class::Bytes(c)) => Some(usize::from(
                c.ranges()
                    .iter()
                    .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
            )),
            HirKind::Class(Class::Unicode(c)) => Some(usize::from(
                c.ranges()
                    .iter()
                    .any(|r| r.start() <= '\n' && '\n' <= r.end()),
            )),
            HirKind::Look(Look::Start | Look::End) => None,
            HirKind::Look(_) => Some(0),
            HirKind::Repetition(r) => match walk(&r.sub)? {
                0 => Some(0),
                n => r.max.map(|m| n * m as usize),
            },
            HirKind::Capture(c) => walk(&c.sub),
            HirKind::Concat(hs) => hs.iter().map(walk).sum(),
            HirKind::Alternation(hs) => hs.iter().try_fold(0, |most, h| Some(most.max(walk(h)?))),
        }
    }
    walk(&parse(pattern)?)
}

/// Whether a match of `pattern` can contain a line break (or depends on buffer edges): such
/// rules search whole buffers; the others only the lines where their keywords occur, which
/// gives the same matches.
pub fn can_span_lines(pattern: &str) -> bool {
    use regex_syntax::hir::{Class, HirKind, Look};
    fn walk(h: &regex_syntax::hir::Hir) -> bool {
        match h.kind() {
            HirKind::Empty => false,
            HirKind::Literal(l) => l.0.contains(&b'\n'),
            // `\s` is taken to mean blanks within a line, as grep users read it; a class that
            // admits a line break otherwise (`[\s"+]`, `[^x]`, `[\r\n]`) makes a multi-line
            // rule.
            HirKind::Class(Class::Bytes(c)) => {
                let blank = |b: u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
                let newline = c
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= b'\n' && b'\n' <= r.end());
                let only_blanks = c.ranges().iter().all(|r| (r.start()..=r.end()).all(blank));
                // A negated class (`[^;]`, a trailing `(?:[^A-Za-z0-9]|$)` boundary) is read
                // within the line too, as grep would.
                let size: usize = c
                    .ranges()
                    .iter()
                    .map(|r| usize::from(r.end() - r.start()) + 1)
                    .sum();
                newline && !only_blanks && size < 128
            }
            HirKind::Class(Class::Unicode(c)) => c
                .ranges()
                .iter()
                .any(|r| r.start() <= '\n' && '\n' <= r.end()),
            HirKind::Look(look) => matches!(look, Look::Start | Look::End),
            HirKind::Repetition(r) => walk(&r.sub),
            HirKind::Capture(c) => walk(&c.sub),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(walk),
        }
    }
    parse(pattern).is_none_or(|hir| walk(&hir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::Anchor;

    fn lits(p: &str) -> Vec<String> {
        required_literals(p)
            .map(|r| {
                r.literals
                    .iter()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn prefix_literals_when_the_regex_starts_with_them() {
        assert_eq!(lits("ghp_[A-Za-z0-9]{36}"), vec!["ghp_"]);
        assert_eq!(lits("(AKIA|ASIA)[A-Z0-9]{16}"), vec!["AKIA", "ASIA"]);
    }

    #[test]
    fn inner_literals_behind_optional_prefixes_and_boundaries() {
        // upstream's secret-key pattern: only (KEY|key|Key) is required.
        let aws = r#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#;
        assert_eq!(lits(aws), vec!["KEY", "Key", "key"]);
        assert_eq!(lits(r"(?:\b|\\[nrt])(hf_[A-Za-z0-9]{34})\b"), vec!["hf_"]);
    }

    #[test]
    fn a_hex_class_after_a_short_prefix_is_expanded() {
        let l = lits(r"(?:\b|\\[nrt])(SK[0-9a-f]{32})\b");
        assert_eq!(l.len(), 16);
        assert!(l.iter().all(|x| x.starts_with("SK") && x.len() >= 3));
    }

    #[test]
    fn case_insensitive_words_become_their_case_variants() {
        let l = lits("(?i)token");
        assert!(l.contains(&"token".to_string()) && l.contains(&"TOKEN".to_string()));
    }

    #[test]
    fn nothing_usable() {
        assert!(lits("[0-9a-f]{40}").is_empty());
        assert!(lits("x*").is_empty());
        assert!(lits("a|[0-9]+").is_empty());
        assert!(lits("=").is_empty());
        assert!(lits("BEGIN\nEND").is_empty());
    }

    #[test]
    fn every_match_contains_a_literal_where_the_anchor_matches() {
        let patterns = [
            r#"("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}\-?[0-9]{4}\-?[0-9]{4}("|')?"#,
            r"(?i)(?:secret|token)[a-z_]{0,10}\s*=\s*([a-z0-9]{16,})",
            r"x?y?(?:abc|def)+z",
            r"(?:\b|\\[nrt])(pat[A-Za-z0-9]{4}\.[a-f0-9]{6})\b",
            r"(?:KEYS|KEY|key)=[0-9]{3}|(?:mykey|ckey):[a-z]{2}",
        ];
        let hay = "aws_account_id = 1234-5678-9012\nSecret_X = abcdefabcdefabcdef\nyabcabcz xdefz\n\
                   path pattern \\npatAb12.00ff00 \n KEYS=123 key=4 mykey:ab ckey:cd\n";
        for p in patterns {
            let req = required_literals(p).expect(p);
            let anchor = Anchor::new(req.anchor.as_ref().expect(p)).expect(p);
            let mut cache = anchor.cache();
            let re = regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .multi_line(true)
                .build()
                .unwrap();
            let mut n = 0;
            for line in hay.as_bytes().split(|&b| b == b'\n') {
                for m in re.find_iter(line) {
                    n += 1;
                    let confirmed = (m.start()..m.end()).any(|at| {
                        req.literals.iter().any(|l| line[at..].starts_with(l))
                            && anchor.matches_at(&mut cache, line, at)
                    });
                    assert!(
                        confirmed,
                        "{p}: {:?}",
                        String::from_utf8_lossy(m.as_bytes())
                    );
                }
            }
            assert!(n > 0, "{p}");
        }
    }

    #[test]
    fn an_anchor_rejects_hits_that_cannot_start_a_match() {
        let aws = r#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#;
        let req = required_literals(aws).unwrap();
        let anchor = Anchor::new(req.anchor.as_ref().unwrap()).unwrap();
        let mut cache = anchor.cache();
        let real = b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert!(anchor.matches_at(&mut cache, real, 18));
        assert!(!anchor.matches_at(&mut cache, real, 17));
        assert!(!anchor.matches_at(&mut cache, b"let key = map.get(&k);", 4));
        // Look-behind sees the byte before the hit.
        let boundary = required_literals(r"\b(tok_[a-z]{3})").unwrap();
        let anchor = Anchor::new(boundary.anchor.as_ref().unwrap()).unwrap();
        let mut cache = anchor.cache();
        assert!(anchor.matches_at(&mut cache, b"a tok_abc", 2));
        assert!(!anchor.matches_at(&mut cache, b"atok_abc", 1));
    }

    #[test]
    fn keywords_as_one_caseless_set() {
        let set = caseless_set(&[b"GitHub", b"github_token", b"gh_"]).unwrap();
        assert_eq!(set.literals, vec![b"gh_".to_vec(), b"github".to_vec()]);
        assert!(set.cost > literal_cost(b"github") + literal_cost(b"gh_"));
        assert!(caseless_set(&[b"discord", b"sk"]).is_none());
        assert!(caseless_set(&[]).is_none());
    }
}
