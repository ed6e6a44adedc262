//! POSIX ERE, as GNU grep 3.8 `grep -E` reads it in the C locale, → regex-crate syntax.
//!
//! git-secrets hands its patterns to `grep -E` and `git grep -E` verbatim, so a drop-in
//! replacement must accept exactly the patterns they accept, reject exactly the ones they
//! reject (with the same glibc message), and match the same lines. The regex crate speaks
//! a different dialect: `\d`, `[\]]`, `a**`, `a*?`, `{,3}`, `[[:alpha:]-z]`, `\<` and
//! friends all mean something else there (or are errors), and it has no notion of
//! "every byte is one character". Copying pattern text across is therefore never safe;
//! this module re-parses each pattern and prints an equivalent regex.
//!
//! GNU grep is two engines glued together, and the translation follows both:
//!
//! * every pattern is first compiled by glibc's `re_compile_pattern`; the first error it
//!   finds is what grep prints (`GlibcParser`);
//! * the lines are then selected by gnulib's `dfa.c`, whose parser disagrees with glibc on
//!   a few corner cases (`^*a` is `(^)*a`, `{1}` at the start repeats the empty string,
//!   `a{1\,2}` is literal text), and which adds two errors of its own (`DfaParser`);
//! * except that dfa.c hands the whole pattern back to glibc's matcher when a bracket
//!   holds a collating element or equivalence class (`[[.a.]]`, `[[=a=]]`), so then
//!   glibc's reading of the corner cases applies.
//!
//! `git grep -E` uses glibc's `regcomp(REG_EXTENDED)` alone, which is stricter about
//! operators in odd places; [`Dialect::GitGrep`] follows glibc throughout.
//!
//! Back-references are rejected on purpose: the regex crate cannot express them.
//!
//! Every character class the output contains leaves out `\n`. grep matches line by line,
//! so no class can ever match a newline there; leaving it out keeps a search over a whole
//! multi-line buffer from running across lines.

use std::fmt;

/// A pattern that GNU grep / git grep would reject, or that we cannot support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EreError {
    /// glibc-style message, e.g. `Unmatched [, [^, [:, [., or [=`.
    pub message: String,
    /// Whether grep and git grep refuse the pattern too, or only we do.
    pub refusal: Refusal,
}

/// Who refuses a pattern, which decides whose words the error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// grep and git grep refuse it too: the error is theirs (glibc's text).
    Glibc,
    /// They accept it but we cannot match it (a backreference, a union over our size limits):
    /// the error is ours and names the pattern.
    Ours,
}

impl EreError {
    fn new(message: &str) -> Self {
        EreError {
            message: message.to_owned(),
            refusal: Refusal::Glibc,
        }
    }

    fn unsupported(message: &str) -> Self {
        EreError {
            message: message.to_owned(),
            refusal: Refusal::Ours,
        }
    }
}

impl fmt::Display for EreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EreError {}

/// Which tool's reading of the pattern to reproduce.
///
/// Both read ordinary patterns the same way; they differ in which odd patterns they
/// accept, and in what `` \` `` and `\'` anchor to (see [`translate_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// `LC_ALL=C grep -E` (GNU grep 3.8): lenient, treats stray operators and malformed
    /// intervals as literals or no-ops.
    #[default]
    GnuGrep,
    /// `LC_ALL=C git grep -E` (glibc `regcomp` with `REG_EXTENDED`): rejects `*`, `+`, `?`
    /// and `{` with nothing to repeat, and malformed intervals.
    GitGrep,
}

/// Translate one POSIX ERE into regex-crate syntax, reading it as `LC_ALL=C grep -E` does.
///
/// The result is meant for `regex::bytes::RegexBuilder::new(..).unicode(false)
/// .multi_line(true)` (or the same syntax settings in `regex_automata` with `utf8(false)`),
/// and can be wrapped as `(?:...)` inside an alternation. A newline in `ere` separates
/// alternative patterns, as it does for grep.
pub fn translate(ere: &[u8]) -> Result<String, EreError> {
    translate_with(ere, Dialect::GnuGrep)
}

/// Translate one POSIX ERE as the given tool reads it.
///
/// With [`Dialect::GitGrep`], patterns such as `*a`, `a|+b`, `^*`, `{1}a`, `a{`, `a{x}` or
/// `a{1` are errors (`Invalid preceding regular expression`, `Unmatched \{`, `Invalid
/// content of \{\}`) where `grep -E` quietly accepts them; `[:space:]` is accepted where
/// `grep -E` refuses it. git grep also runs glibc over whole files, so there `` \` `` and
/// `\'` become `\A` and `\z` (start and end of the searched buffer), where grep -E reads
/// them as line anchors.
pub fn translate_with(ere: &[u8], dialect: Dialect) -> Result<String, EreError> {
    let pieces: Vec<&[u8]> = ere.split(|&b| b == b'\n').collect();
    // grep compiles every pattern with glibc before handing any of them to dfa.c, so a
    // glibc error in a later pattern wins over a dfa.c error in an earlier one.
    let mut glibc = Vec::with_capacity(pieces.len());
    for piece in &pieces {
        glibc.push(GlibcParser::new(piece, dialect).run()?);
    }
    let mut out = String::new();
    let mut leaves: u64 = 0;
    for (i, (piece, (glibc_node, defers))) in pieces.iter().zip(glibc).enumerate() {
        let node = match dialect {
            Dialect::GitGrep => glibc_node,
            Dialect::GnuGrep => {
                // dfa.c still parses (and may reject) a pattern it then defers to glibc.
                let dfa_node = DfaParser::new(piece).run()?;
                // When dfa.c defers, grep selects lines both engines accept. Where their
                // parses differ as well (`{x[[.a.]]`: glibc skips the '{', dfa.c reads it
                // literally) no single regex expresses that; glibc's reading is used.
                if defers { glibc_node } else { dfa_node }
            }
        };
        leaves = leaves.saturating_add(node.leaves());
        if leaves > MAX_LEAVES {
            return Err(EreError::new(msg::ESIZE));
        }
        let mut one = String::new();
        emit_top(&node, &mut one);
        if pieces.len() == 1 {
            out = one;
        } else {
            if i > 0 {
                out.push('|');
            }
            out.push_str("(?:");
            out.push_str(&one);
            out.push(')');
        }
    }
    check_regex(&out)?;
    Ok(out)
}

/// Whether `LC_ALL=C grep -E` accepts `ere` and we can translate it.
pub fn is_valid(ere: &[u8]) -> bool {
    translate(ere).is_ok()
}

/// glibc's `regerror` texts, and the two dfa.c texts grep can print after glibc accepted.
mod msg {
    pub const BADPAT: &str = "Invalid regular expression";
    pub const ECOLLATE: &str = "Invalid collation character";
    pub const ECTYPE: &str = "Invalid character class name";
    pub const EESCAPE: &str = "Trailing backslash";
    pub const EBRACK: &str = "Unmatched [, [^, [:, [., or [=";
    pub const EPAREN: &str = "Unmatched ( or \\(";
    pub const EBRACE: &str = "Unmatched \\{";
    pub const BADBR: &str = "Invalid content of \\{\\}";
    pub const ERANGE: &str = "Invalid range end";
    pub const BADRPT: &str = "Invalid preceding regular expression";
    pub const ESIZE: &str = "Regular expression too big";
    pub const DFA_TOO_BIG: &str = "regular expression too big";
    pub const DFA_COLON: &str = "character class syntax is [[:space:]], not [:space:]";
    pub const BACKREF: &str = "backreferences are not supported";
}

/// glibc's `RE_DUP_MAX`: the largest count an interval may have.
const DUP_MAX: u32 = 0x7fff;

/// Deepest group nesting we parse, and tallest tree we build. The regex crate refuses
/// more than 250 levels of nesting anyway; the cap keeps our recursive parsers, printer
/// and destructors far from the stack limit on hostile input.
const MAX_DEPTH: usize = 300;

/// The regex crate's default nesting limit, which our output must respect.
const REGEX_NEST_LIMIT: u32 = 250;

/// The compiled-size limit used to vet the output. It mirrors the matcher's own limit so
/// that a pattern accepted here also compiles there.
const REGEX_SIZE_LIMIT: usize = 256 << 20;

/// Leaves (after expanding counted repetitions) beyond which the regex crate is sure to
/// exceed [`REGEX_SIZE_LIMIT`]: each costs it more than 16 bytes. Refusing these up front
/// saves a second or more of compiling towards a certain failure.
const MAX_LEAVES: u64 = (REGEX_SIZE_LIMIT / 16) as u64;

// ---------------------------------------------------------------------------------------
// Byte sets
// ---------------------------------------------------------------------------------------

/// A set of bytes: in the C locale every byte is one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ByteSet([u64; 4]);

impl ByteSet {
    const EMPTY: ByteSet = ByteSet([0; 4]);

    fn from_fn(f: impl Fn(u8) -> bool) -> ByteSet {
        let mut s = ByteSet::EMPTY;
        for b in 0..=255u8 {
            if f(b) {
                s.insert(b);
            }
        }
        s
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn remove(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] &= !(1 << (b & 63));
    }

    fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
    }

    fn complement(&self) -> ByteSet {
        ByteSet(self.0.map(|w| !w))
    }

    fn len(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

/// The POSIX classes as glibc's C locale defines them: ASCII only.
fn named_class(name: &[u8]) -> Option<ByteSet> {
    let pred: fn(u8) -> bool = match name {
        b"alpha" => |b| b.is_ascii_alphabetic(),
        b"upper" => |b| b.is_ascii_uppercase(),
        b"lower" => |b| b.is_ascii_lowercase(),
        b"digit" => |b| b.is_ascii_digit(),
        b"xdigit" => |b| b.is_ascii_hexdigit(),
        // isspace in C: \t \n \v \f \r and space (Rust's is_ascii_whitespace lacks \v).
        b"space" => |b| matches!(b, b'\t'..=b'\r' | b' '),
        b"punct" => |b| b.is_ascii_punctuation(),
        b"alnum" => |b| b.is_ascii_alphanumeric(),
        b"print" => |b| (0x20..0x7f).contains(&b),
        b"graph" => |b| b.is_ascii_graphic(),
        b"cntrl" => |b| b.is_ascii_control(),
        b"blank" => |b| b == b' ' || b == b'\t',
        _ => return None,
    };
    Some(ByteSet::from_fn(pred))
}

/// `\w`: glibc and dfa.c both use `[_[:alnum:]]`.
fn word_set() -> ByteSet {
    ByteSet::from_fn(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `\s`: `[[:space:]]`.
fn space_set() -> ByteSet {
    ByteSet::from_fn(|b| matches!(b, b'\t'..=b'\r' | b' '))
}

/// The set for `\w`, `\W`, `\s` or `\S`, given the letter.
fn class_escape(c: u8) -> ByteSet {
    match c {
        b'w' => word_set(),
        b'W' => word_set().complement(),
        b's' => space_set(),
        _ => space_set().complement(),
    }
}

/// The assertion for `^`, `$` or the letter after a backslash.
fn anchor(c: u8) -> Look {
    match c {
        // grep's engines read the buffer anchors as line anchors (dfa.c by fiat, glibc
        // because grep hands it one line at a time).
        b'^' | b'`' => Look::LineStart,
        b'$' | b'\'' => Look::LineEnd,
        b'<' => Look::WordStart,
        b'>' => Look::WordEnd,
        b'b' => Look::WordBoundary,
        _ => Look::NotWordBoundary,
    }
}

// ---------------------------------------------------------------------------------------
// Bracket expressions (glibc's parse_bracket_exp)
// ---------------------------------------------------------------------------------------

/// A parsed bracket expression.
struct Bracket {
    /// The bytes it matches (already complemented for `[^...]`).
    set: ByteSet,
    /// Index just past the closing `]`.
    end: usize,
    /// dfa.c's "[:space:] instead of [[:space:]]" heuristic fired.
    confusing_colon: bool,
    /// It holds `[.x.]` or `[=x=]`, which dfa.c leaves to glibc's matcher.
    defers_to_glibc: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BTok {
    Char(u8),
    OpenColl,
    OpenEquiv,
    OpenClass,
    Range,
    Close,
    NonMatch,
    End,
}

enum Elem {
    Byte(u8),
    Coll(Vec<u8>),
    Equiv(Vec<u8>),
    Class(Vec<u8>),
}

/// glibc's `peek_token_bracket`: backslash is an ordinary character inside brackets.
fn peek_bracket(p: &[u8], i: usize) -> (BTok, usize) {
    let Some(&c) = p.get(i) else {
        return (BTok::End, 0);
    };
    match c {
        b'[' => match p.get(i + 1) {
            Some(b'.') => (BTok::OpenColl, 2),
            Some(b'=') => (BTok::OpenEquiv, 2),
            Some(b':') => (BTok::OpenClass, 2),
            _ => (BTok::Char(b'['), 1),
        },
        b'-' => (BTok::Range, 1),
        b']' => (BTok::Close, 1),
        b'^' => (BTok::NonMatch, 1),
        _ => (BTok::Char(c), 1),
    }
}

/// glibc's `parse_bracket_symbol`: the name inside `[:...:]`, `[=...=]` or `[. ... .]`.
fn parse_bracket_symbol(p: &[u8], i: &mut usize, delim: u8) -> Result<Vec<u8>, EreError> {
    // glibc's BRACKET_NAME_BUF_SIZE: a longer name is reported as an unmatched bracket.
    const NAME_MAX: usize = 32;
    let mut name = Vec::new();
    loop {
        if name.len() >= NAME_MAX {
            return Err(EreError::new(msg::EBRACK));
        }
        let Some(&ch) = p.get(*i) else {
            return Err(EreError::new(msg::EBRACK));
        };
        *i += 1;
        let Some(&next) = p.get(*i) else {
            return Err(EreError::new(msg::EBRACK));
        };
        if ch == delim && next == b']' {
            break;
        }
        name.push(ch);
    }
    *i += 1;
    Ok(name)
}

/// glibc's `parse_bracket_element`.
fn parse_bracket_element(
    p: &[u8],
    i: &mut usize,
    tok: BTok,
    len: usize,
    accept_hyphen: bool,
) -> Result<Elem, EreError> {
    *i += len;
    Ok(match tok {
        BTok::OpenColl => Elem::Coll(parse_bracket_symbol(p, i, b'.')?),
        BTok::OpenEquiv => Elem::Equiv(parse_bracket_symbol(p, i, b'=')?),
        BTok::OpenClass => Elem::Class(parse_bracket_symbol(p, i, b':')?),
        BTok::Range => {
            // A '-' that is neither first nor last cannot start a range.
            if !accept_hyphen && peek_bracket(p, *i).0 != BTok::Close {
                return Err(EreError::new(msg::ERANGE));
            }
            Elem::Byte(b'-')
        }
        BTok::Char(c) => Elem::Byte(c),
        BTok::Close => Elem::Byte(b']'),
        BTok::NonMatch => Elem::Byte(b'^'),
        BTok::End => return Err(EreError::new(msg::EBRACK)),
    })
}

/// The byte a range endpoint stands for (glibc's C-locale collation sequence).
fn range_endpoint(e: &Elem) -> Result<u8, EreError> {
    match e {
        Elem::Byte(b) => Ok(*b),
        Elem::Coll(name) if name.len() == 1 => Ok(name[0]),
        Elem::Coll(_) => Err(EreError::new(msg::ECOLLATE)),
        Elem::Equiv(_) | Elem::Class(_) => Err(EreError::new(msg::ERANGE)),
    }
}

/// Parse a bracket expression whose `[` ends just before `start`.
///
/// This follows glibc, whose verdict grep prints; in the C locale dfa.c builds the same
/// set wherever it does not defer to glibc anyway (`[.x.]`, `[=x=]`).
fn parse_bracket(p: &[u8], start: usize) -> Result<Bracket, EreError> {
    let mut i = start;
    let mut set = ByteSet::EMPTY;
    let (mut tok, mut len) = peek_bracket(p, i);
    if tok == BTok::End {
        return Err(EreError::new(msg::BADPAT));
    }
    let invert = tok == BTok::NonMatch;
    if invert {
        i += len;
        (tok, len) = peek_bracket(p, i);
        if tok == BTok::End {
            return Err(EreError::new(msg::BADPAT));
        }
    }
    if tok == BTok::Close {
        tok = BTok::Char(b']');
    }

    // dfa.c's colon heuristic: `[:alpha:]` was almost certainly meant as `[[:alpha:]]`.
    let first_is_colon = p.get(i) == Some(&b':');
    let mut last_is_colon;
    let mut has_other = false;
    let mut has_complex = false;
    let mut defers_to_glibc = false;

    let mut first_round = true;
    loop {
        let start_elem = parse_bracket_element(p, &mut i, tok, len, first_round)?;
        first_round = false;
        defers_to_glibc |= matches!(start_elem, Elem::Coll(_) | Elem::Equiv(_));
        (tok, len) = peek_bracket(p, i);

        let mut range_end = None;
        if !matches!(start_elem, Elem::Class(_) | Elem::Equiv(_)) {
            if tok == BTok::End {
                return Err(EreError::new(msg::EBRACK));
            }
            if tok == BTok::Range {
                i += len;
                let (tok2, len2) = peek_bracket(p, i);
                match tok2 {
                    BTok::End => return Err(EreError::new(msg::EBRACK)),
                    // `[a-]`: the '-' is an ordinary last character.
                    BTok::Close => {
                        i -= len;
                        tok = BTok::Char(b'-');
                    }
                    _ => range_end = Some((tok2, len2)),
                }
            }
        }

        if let Some((tok2, len2)) = range_end {
            let end_elem = parse_bracket_element(p, &mut i, tok2, len2, true)?;
            (tok, len) = peek_bracket(p, i);
            defers_to_glibc |= matches!(end_elem, Elem::Coll(_) | Elem::Equiv(_));
            // glibc refuses class endpoints before it looks at collating symbols.
            if matches!(end_elem, Elem::Equiv(_) | Elem::Class(_)) {
                return Err(EreError::new(msg::ERANGE));
            }
            let lo = range_endpoint(&start_elem)?;
            let hi = range_endpoint(&end_elem)?;
            if lo > hi {
                return Err(EreError::new(msg::ERANGE));
            }
            set.insert_range(lo, hi);
            has_complex = true;
            last_is_colon = false;
        } else {
            match start_elem {
                Elem::Byte(b) => {
                    set.insert(b);
                    last_is_colon = b == b':';
                    has_other |= b != b':';
                }
                Elem::Coll(name) | Elem::Equiv(name) => {
                    // In the C locale only single characters collate.
                    if name.len() != 1 {
                        return Err(EreError::new(msg::ECOLLATE));
                    }
                    set.insert(name[0]);
                    has_complex = true;
                    last_is_colon = false;
                }
                Elem::Class(name) => {
                    let class = named_class(&name).ok_or_else(|| EreError::new(msg::ECTYPE))?;
                    set.union(&class);
                    has_complex = true;
                    last_is_colon = false;
                }
            }
        }

        match tok {
            BTok::End => return Err(EreError::new(msg::EBRACK)),
            BTok::Close => break,
            _ => {}
        }
    }
    i += len;

    if invert {
        set = set.complement();
    }
    Ok(Bracket {
        set,
        end: i,
        confusing_colon: first_is_colon && last_is_colon && has_other && !has_complex,
        defers_to_glibc,
    })
}

// ---------------------------------------------------------------------------------------
// Syntax trees, shared by both parsers
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    LineStart,
    LineEnd,
    BufStart,
    BufEnd,
    WordStart,
    WordEnd,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Empty,
    Byte(u8),
    Set(ByteSet),
    Look(Look),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

impl Node {
    fn alt(mut alts: Vec<Node>) -> Node {
        if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        }
    }

    fn concat(mut items: Vec<Node>) -> Node {
        items.retain(|n| *n != Node::Empty);
        match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        }
    }

    /// Whether the node can only ever match the empty string.
    fn is_zero_width(&self) -> bool {
        match self {
            Node::Empty | Node::Look(_) => true,
            Node::Byte(_) | Node::Set(_) => false,
            Node::Concat(v) | Node::Alt(v) => v.iter().all(Node::is_zero_width),
            Node::Repeat { node, .. } => node.is_zero_width(),
        }
    }

    /// Size of the node once counted repetitions are written out, saturating.
    fn leaves(&self) -> u64 {
        match self {
            Node::Empty | Node::Byte(_) | Node::Set(_) | Node::Look(_) => 1,
            Node::Concat(v) | Node::Alt(v) => v
                .iter()
                .fold(0, |acc: u64, n| acc.saturating_add(n.leaves())),
            Node::Repeat { node, min, max } => {
                let copies = max.unwrap_or(*min).max(*min).max(1);
                node.leaves().saturating_mul(u64::from(copies))
            }
        }
    }

    /// How many repetitions are stacked directly on top of each other.
    fn repeat_nesting(&self) -> usize {
        let mut n = 0;
        let mut cur = self;
        while let Node::Repeat { node, .. } = cur {
            n += 1;
            cur = node;
        }
        n
    }

    /// Height of the tree, measured without recursion.
    fn height(&self) -> usize {
        let mut tallest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((node, h)) = stack.pop() {
            tallest = tallest.max(h);
            match node {
                Node::Concat(v) | Node::Alt(v) => stack.extend(v.iter().map(|n| (n, h + 1))),
                Node::Repeat { node, .. } => stack.push((node, h + 1)),
                _ => {}
            }
        }
        tallest
    }

    fn repeat(self, min: u32, max: Option<u32>) -> Node {
        if self == Node::Empty {
            return Node::Empty;
        }
        // Repeating an assertion more than once changes nothing, but `^{32767}` would
        // otherwise cost the regex crate 32767 states.
        let (min, max) = if self.is_zero_width() {
            (min.min(1), max.map(|m| m.min(1)))
        } else {
            (min, max)
        };
        if (min, max) == (1, Some(1)) {
            return self;
        }
        if max == Some(0) {
            return Node::Empty;
        }
        let simple =
            |min: u32, max: Option<u32>| matches!((min, max), (0 | 1, None) | (0, Some(1)));
        match self {
            // `a**`, `a+?`, `a?+`...: both operators are among `*`, `+`, `?`, so the pair
            // collapses to one of them. This keeps long operator runs from nesting deeply.
            Node::Repeat {
                node,
                min: imin,
                max: imax,
            } if simple(imin, imax) && simple(min, max) => {
                let max = match (imax, max) {
                    (Some(a), Some(b)) => Some(a * b),
                    _ => None,
                };
                Node::Repeat {
                    node,
                    min: imin * min,
                    max,
                }
            }
            node => Node::Repeat {
                node: Box::new(node),
                min,
                max,
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pass 1: glibc's parse (regcomp), which decides grep's errors
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GKind {
    Char,
    Alt,
    OpenSub,
    CloseSub,
    OpenBracket,
    Period,
    Anchor,
    Star,
    Plus,
    QMark,
    OpenDup,
    CloseDup,
    BackRef,
    ClassEscape,
    TrailingBackslash,
    End,
}

#[derive(Debug, Clone, Copy)]
struct GTok {
    kind: GKind,
    /// The character glibc records for the token (`opr.c`); interval parsing looks at it.
    c: u8,
    len: usize,
}

/// Re-enacts glibc's recursive-descent parser: it reaches the same first error, and
/// builds the tree glibc's matcher would run.
struct GlibcParser<'a> {
    p: &'a [u8],
    pos: usize,
    tok: GTok,
    /// Some bracket holds `[.x.]` or `[=x=]` (see [`Bracket::defers_to_glibc`]).
    defers: bool,
    /// Read `` \` `` and `\'` as the start and end of the whole buffer: git grep runs
    /// glibc over a whole file, grep over one line at a time.
    buffer_anchors: bool,
    /// `RE_CONTEXT_INVALID_OPS`: a repetition operator with nothing before it is an error
    /// (regcomp) rather than skipped (grep's `RE_SYNTAX_EGREP`).
    context_invalid_ops: bool,
    /// `RE_INVALID_INTERVAL_ORD`: a malformed interval is literal text (grep) rather than
    /// an error (regcomp).
    invalid_interval_ord: bool,
}

impl<'a> GlibcParser<'a> {
    fn new(p: &'a [u8], dialect: Dialect) -> Self {
        let grep = dialect == Dialect::GnuGrep;
        GlibcParser {
            p,
            pos: 0,
            defers: false,
            buffer_anchors: !grep,
            tok: GTok {
                kind: GKind::End,
                c: 0,
                len: 0,
            },
            context_invalid_ops: !grep,
            invalid_interval_ord: grep,
        }
    }

    /// The tree, and whether dfa.c would defer matching to glibc.
    fn run(mut self) -> Result<(Node, bool), EreError> {
        self.fetch();
        let node = self.reg_exp(0)?;
        Ok((node, self.defers))
    }

    /// glibc's `peek_token` for ERE syntax.
    fn peek(&self) -> GTok {
        let Some(&c) = self.p.get(self.pos) else {
            return GTok {
                kind: GKind::End,
                c: 0,
                len: 0,
            };
        };
        if c == b'\\' {
            let Some(&c2) = self.p.get(self.pos + 1) else {
                return GTok {
                    kind: GKind::TrailingBackslash,
                    c,
                    len: 1,
                };
            };
            let kind = match c2 {
                b'1'..=b'9' => GKind::BackRef,
                b'<' | b'>' | b'b' | b'B' | b'`' | b'\'' => GKind::Anchor,
                b'w' | b'W' | b's' | b'S' => GKind::ClassEscape,
                _ => GKind::Char,
            };
            return GTok {
                kind,
                c: c2,
                len: 2,
            };
        }
        let kind = match c {
            b'|' | b'\n' => GKind::Alt,
            b'*' => GKind::Star,
            b'+' => GKind::Plus,
            b'?' => GKind::QMark,
            b'{' => GKind::OpenDup,
            b'}' => GKind::CloseDup,
            b'(' => GKind::OpenSub,
            b')' => GKind::CloseSub,
            b'[' => GKind::OpenBracket,
            b'.' => GKind::Period,
            b'^' | b'$' => GKind::Anchor,
            _ => GKind::Char,
        };
        GTok { kind, c, len: 1 }
    }

    fn fetch(&mut self) {
        self.tok = self.peek();
        self.pos += self.tok.len;
    }

    fn kind(&self) -> GKind {
        self.tok.kind
    }

    fn ends_branch(&self, nest: usize) -> bool {
        matches!(self.kind(), GKind::Alt | GKind::End)
            || (nest > 0 && self.kind() == GKind::CloseSub)
    }

    fn reg_exp(&mut self, nest: usize) -> Result<Node, EreError> {
        let mut alts = vec![self.branch(nest)?];
        while self.kind() == GKind::Alt {
            self.fetch();
            alts.push(if self.ends_branch(nest) {
                Node::Empty
            } else {
                self.branch(nest)?
            });
        }
        Ok(Node::alt(alts))
    }

    fn branch(&mut self, nest: usize) -> Result<Node, EreError> {
        let mut items = vec![self.expression(nest)?];
        while !self.ends_branch(nest) {
            items.push(self.expression(nest)?);
        }
        Ok(Node::concat(items))
    }

    fn expression(&mut self, nest: usize) -> Result<Node, EreError> {
        // An operator with nothing to repeat: grep's syntax skips it, regcomp's rejects it.
        // A ')' right after a skipped operator then falls through to "ordinary character",
        // which is why grep rejects `(*)` as an unmatched '('.
        let mut node = loop {
            break match self.kind() {
                GKind::Star | GKind::Plus | GKind::QMark | GKind::OpenDup => {
                    if self.context_invalid_ops {
                        return Err(EreError::new(msg::BADRPT));
                    }
                    self.fetch();
                    continue;
                }
                GKind::Char | GKind::CloseSub | GKind::CloseDup => Node::Byte(self.tok.c),
                GKind::Period => Node::Set(ByteSet::EMPTY.complement()),
                GKind::ClassEscape => Node::Set(class_escape(self.tok.c)),
                GKind::OpenSub => self.sub_exp(nest + 1)?,
                GKind::OpenBracket => {
                    let b = parse_bracket(self.p, self.pos)?;
                    self.pos = b.end;
                    self.defers |= b.defers_to_glibc;
                    Node::Set(b.set)
                }
                GKind::BackRef => return Err(EreError::unsupported(msg::BACKREF)),
                // glibc never lets an anchor take a repetition: what follows starts afresh.
                GKind::Anchor => {
                    let look = match self.tok.c {
                        b'`' if self.buffer_anchors => Look::BufStart,
                        b'\'' if self.buffer_anchors => Look::BufEnd,
                        c => anchor(c),
                    };
                    self.fetch();
                    return Ok(Node::Look(look));
                }
                GKind::Alt | GKind::End => return Ok(Node::Empty),
                GKind::TrailingBackslash => return Err(EreError::new(msg::EESCAPE)),
            };
        };
        self.fetch();
        let tracker = HeightTracker::new(&node)?;
        while matches!(
            self.kind(),
            GKind::Star | GKind::Plus | GKind::QMark | GKind::OpenDup
        ) {
            node = self.dup_op(node)?;
            tracker.check(&node)?;
        }
        Ok(node)
    }

    fn sub_exp(&mut self, nest: usize) -> Result<Node, EreError> {
        if nest > MAX_DEPTH {
            return Err(EreError::new(msg::ESIZE));
        }
        self.fetch();
        if self.kind() == GKind::CloseSub {
            return Ok(Node::Empty);
        }
        let node = self.reg_exp(nest)?;
        if self.kind() != GKind::CloseSub {
            return Err(EreError::new(msg::EPAREN));
        }
        Ok(node)
    }

    fn is_comma(&self) -> bool {
        self.kind() == GKind::Char && self.tok.c == b','
    }

    /// glibc's `fetch_number`: -1 for "no digits", -2 for "not a number".
    fn fetch_number(&mut self) -> i64 {
        let mut num: i64 = -1;
        loop {
            self.fetch();
            if self.kind() == GKind::End {
                return -2;
            }
            // glibc tests the character without the token type, so `\,` counts as a comma.
            if self.kind() == GKind::CloseDup || self.tok.c == b',' {
                return num;
            }
            let c = self.tok.c;
            num = if self.kind() != GKind::Char || !c.is_ascii_digit() || num == -2 {
                -2
            } else if num == -1 {
                i64::from(c - b'0')
            } else {
                (num * 10 + i64::from(c - b'0')).min(i64::from(DUP_MAX) + 1)
            };
        }
    }

    /// glibc's `parse_dup_op`: `node` repeated as the operator says.
    fn dup_op(&mut self, node: Node) -> Result<Node, EreError> {
        let (min, max) = match self.kind() {
            GKind::Star => (0, None),
            GKind::Plus => (1, None),
            GKind::QMark => (0, Some(1)),
            _ => (0, None),
        };
        if self.kind() == GKind::OpenDup {
            let start_pos = self.pos;
            let mut start = self.fetch_number();
            if start == -1 {
                if self.is_comma() {
                    start = 0; // `{,m}` means `{0,m}`
                } else {
                    return Err(EreError::new(msg::BADBR)); // `{}`
                }
            }
            let mut end = 0;
            if start != -2 {
                end = if self.kind() == GKind::CloseDup {
                    start
                } else if self.is_comma() {
                    self.fetch_number()
                } else {
                    -2
                };
            }
            if start == -2 || end == -2 {
                if !self.invalid_interval_ord {
                    let m = if self.kind() == GKind::End {
                        msg::EBRACE
                    } else {
                        msg::BADBR
                    };
                    return Err(EreError::new(m));
                }
                // Roll back: the '{' is an ordinary character.
                self.pos = start_pos;
                self.tok = GTok {
                    kind: GKind::Char,
                    c: b'{',
                    len: 1,
                };
                return Ok(node);
            }
            if (end != -1 && start > end) || self.kind() != GKind::CloseDup {
                return Err(EreError::new(msg::BADBR));
            }
            if i64::from(DUP_MAX) < (if end == -1 { start } else { end }) {
                return Err(EreError::new(msg::ESIZE));
            }
            self.fetch();
            // Both counts are now within 0..=DUP_MAX.
            let count = |n: i64| u32::try_from(n).unwrap_or(DUP_MAX);
            if start == 0 && end == 0 {
                return Ok(Node::Empty);
            }
            return Ok(node.repeat(count(start), (end >= 0).then(|| count(end))));
        }
        self.fetch();
        Ok(node.repeat(min, max))
    }
}

// ---------------------------------------------------------------------------------------
// Pass 2: dfa.c's parse, which decides what grep actually matches
// ---------------------------------------------------------------------------------------

/// Keeps an operand and the repetitions stacked on it within [`MAX_DEPTH`] levels,
/// measuring the operand once rather than after every operator.
struct HeightTracker {
    /// The operand's height without the repetitions already on top of it.
    base: usize,
}

impl HeightTracker {
    fn new(operand: &Node) -> Result<Self, EreError> {
        let tracker = HeightTracker {
            base: operand.height() - operand.repeat_nesting(),
        };
        tracker.check(operand)?;
        Ok(tracker)
    }

    fn check(&self, node: &Node) -> Result<(), EreError> {
        if self.base + node.repeat_nesting() > MAX_DEPTH {
            return Err(EreError::new(msg::ESIZE));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DTok {
    End,
    Byte(u8),
    Set(ByteSet),
    Look(Look),
    Star,
    Plus,
    QMark,
    /// `{m,n}`; `None` is unbounded.
    Rep(u32, Option<u32>),
    Or,
    LParen,
    RParen,
}

/// Re-enacts dfa.c's lexer and its grammar:
///
/// ```text
/// regexp:  branch ('|' branch)*
/// branch:  closure+            (up to ')', '|' or the end)
/// closure: atom ('*' | '+' | '?' | '{m,n}')*
/// atom:    char | set | anchor | '(' regexp ')' | <empty>
/// ```
///
/// An operator where an atom should be repeats the empty string; `X{0}` drops `X`.
struct DfaParser<'a> {
    p: &'a [u8],
    pos: usize,
    /// Open groups so far; a ')' with none open is an ordinary character.
    parens: usize,
    tok: DTok,
}

impl<'a> DfaParser<'a> {
    fn new(p: &'a [u8]) -> Self {
        DfaParser {
            p,
            pos: 0,
            parens: 0,
            tok: DTok::End,
        }
    }

    fn run(mut self) -> Result<Node, EreError> {
        self.lex()?;
        let node = self.regexp(0)?;
        if self.tok != DTok::End {
            // Unreachable: an unmatched ')' lexes as an ordinary character.
            return Err(EreError::new(msg::EPAREN));
        }
        Ok(node)
    }

    fn lex(&mut self) -> Result<(), EreError> {
        self.tok = self.next_token()?;
        Ok(())
    }

    fn next_token(&mut self) -> Result<DTok, EreError> {
        let Some(&first) = self.p.get(self.pos) else {
            return Ok(DTok::End);
        };
        self.pos += 1;
        if first == b'\\' {
            let Some(&c) = self.p.get(self.pos) else {
                // glibc's parse reports this first; keep this parser total anyway.
                return Err(EreError::new(msg::EESCAPE));
            };
            self.pos += 1;
            return Ok(match c {
                b'1'..=b'9' => return Err(EreError::unsupported(msg::BACKREF)),
                b'`' | b'\'' | b'<' | b'>' | b'b' | b'B' => DTok::Look(anchor(c)),
                b'w' | b'W' | b's' | b'S' => DTok::Set(class_escape(c)),
                // GNU grep 3.8 warns about other escapes ("stray \") and takes the
                // character literally: `\d` is 'd', `\.` is '.'.
                _ => DTok::Byte(c),
            });
        }
        Ok(match first {
            b'^' => DTok::Look(Look::LineStart),
            b'$' => DTok::Look(Look::LineEnd),
            b'*' => DTok::Star,
            b'+' => DTok::Plus,
            b'?' => DTok::QMark,
            b'{' => match self.interval()? {
                Some(tok) => tok,
                None => DTok::Byte(b'{'),
            },
            b'|' | b'\n' => DTok::Or,
            b'(' => {
                self.parens += 1;
                DTok::LParen
            }
            b')' if self.parens > 0 => {
                self.parens -= 1;
                DTok::RParen
            }
            b'.' => DTok::Set(ByteSet::EMPTY.complement()),
            b'[' => {
                let b = parse_bracket(self.p, self.pos)?;
                if b.confusing_colon {
                    return Err(EreError::new(msg::DFA_COLON));
                }
                self.pos = b.end;
                DTok::Set(b.set)
            }
            c => DTok::Byte(c),
        })
    }

    /// dfa.c's reading of `{`: an interval if well formed, otherwise (`None`) a literal.
    fn interval(&mut self) -> Result<Option<DTok>, EreError> {
        let cap = i64::from(DUP_MAX) + 1;
        let digits = |p: &[u8], q: &mut usize| -> i64 {
            let mut n: i64 = -1;
            while let Some(&d) = p.get(*q).filter(|d| d.is_ascii_digit()) {
                let d = i64::from(d - b'0');
                n = if n < 0 { d } else { (n * 10 + d).min(cap) };
                *q += 1;
            }
            n
        };
        let mut q = self.pos;
        let mut min = digits(self.p, &mut q);
        let mut max = -1;
        if let Some(&c) = self.p.get(q) {
            if c == b',' {
                min = min.max(0);
                q += 1;
                max = digits(self.p, &mut q);
            } else {
                max = min;
            }
        }
        let closed = self.p.get(q) == Some(&b'}');
        if !closed || min < 0 || (max >= 0 && min > max) {
            return Ok(None);
        }
        if max > i64::from(DUP_MAX) {
            return Err(EreError::new(msg::DFA_TOO_BIG));
        }
        self.pos = q + 1;
        let to_u32 = |n: i64| u32::try_from(n).unwrap_or(DUP_MAX + 1);
        Ok(Some(DTok::Rep(
            to_u32(min),
            (max >= 0).then(|| to_u32(max)),
        )))
    }

    fn regexp(&mut self, depth: usize) -> Result<Node, EreError> {
        if depth > MAX_DEPTH {
            return Err(EreError::new(msg::ESIZE));
        }
        let mut alts = vec![self.branch(depth)?];
        while self.tok == DTok::Or {
            self.lex()?;
            alts.push(self.branch(depth)?);
        }
        Ok(Node::alt(alts))
    }

    fn branch(&mut self, depth: usize) -> Result<Node, EreError> {
        let mut items = vec![self.closure(depth)?];
        while !matches!(self.tok, DTok::RParen | DTok::Or | DTok::End) {
            items.push(self.closure(depth)?);
        }
        Ok(Node::concat(items))
    }

    fn closure(&mut self, depth: usize) -> Result<Node, EreError> {
        'atom: loop {
            let mut node = self.atom(depth)?;
            let tracker = HeightTracker::new(&node)?;
            loop {
                let (min, max) = match self.tok {
                    DTok::Star => (0, None),
                    DTok::Plus => (1, None),
                    DTok::QMark => (0, Some(1)),
                    // dfa.c discards everything repeated so far and parses a fresh
                    // closure in its place.
                    DTok::Rep(0, Some(0)) => {
                        self.lex()?;
                        continue 'atom;
                    }
                    DTok::Rep(min, max) => (min, max),
                    _ => return Ok(node),
                };
                self.lex()?;
                node = node.repeat(min, max);
                tracker.check(&node)?;
            }
        }
    }

    fn atom(&mut self, depth: usize) -> Result<Node, EreError> {
        let node = match &self.tok {
            DTok::Byte(b) => Node::Byte(*b),
            DTok::Set(s) => Node::Set(*s),
            DTok::Look(l) => Node::Look(*l),
            DTok::LParen => {
                self.lex()?;
                let inner = self.regexp(depth + 1)?;
                if self.tok != DTok::RParen {
                    return Err(EreError::new(msg::EPAREN));
                }
                inner
            }
            // An operator, ')', '|' or the end where an atom belongs: the empty string.
            _ => return Ok(Node::Empty),
        };
        self.lex()?;
        Ok(node)
    }
}

// ---------------------------------------------------------------------------------------
// Printing regex-crate syntax
// ---------------------------------------------------------------------------------------

fn emit_byte(b: u8, out: &mut String) {
    if b.is_ascii_alphanumeric() {
        out.push(char::from(b));
    } else {
        // Escaping every other byte sidesteps the regex crate's metacharacters, and with
        // Unicode disabled `\xHH` matches exactly that byte, including those >= 0x80.
        out.push_str(&format!("\\x{b:02X}"));
    }
}

fn emit_set(set: &ByteSet, out: &mut String) {
    let mut set = *set;
    set.remove(b'\n');
    match set.len() {
        0 => out.push_str(r"[^\x00-\xFF]"),
        1 => {
            if let Some(b) = (0..=255u8).find(|&b| set.contains(b)) {
                emit_byte(b, out);
            }
        }
        n => {
            // Items are always `\xHH`: `[`, `-`, `^`, `&&`, `--` and `~~` mean something
            // inside regex-crate classes.
            out.push('[');
            let members = if n > 128 {
                out.push('^');
                set.complement()
            } else {
                set
            };
            let mut push_run = |lo: u8, hi: u8| {
                out.push_str(&format!("\\x{lo:02X}"));
                if hi > lo {
                    if hi > lo + 1 {
                        out.push('-');
                    }
                    out.push_str(&format!("\\x{hi:02X}"));
                }
            };
            let mut run: Option<(u8, u8)> = None;
            for b in 0..=255u8 {
                if members.contains(b) {
                    run = Some(run.map_or((b, b), |(lo, _)| (lo, b)));
                } else if let Some((lo, hi)) = run.take() {
                    push_run(lo, hi);
                }
            }
            if let Some((lo, hi)) = run {
                push_run(lo, hi);
            }
            out.push(']');
        }
    }
}

fn emit_look(l: Look, out: &mut String) {
    // Flags are explicit so the output does not depend on the caller's builder options.
    out.push_str(match l {
        Look::LineStart => "(?m:^)",
        Look::LineEnd => "(?m:$)",
        Look::BufStart => r"\A",
        Look::BufEnd => r"\z",
        Look::WordStart => r"\b{start}",
        Look::WordEnd => r"\b{end}",
        Look::WordBoundary => r"\b",
        Look::NotWordBoundary => r"\B",
    });
}

/// Print `node` so that it can stand as one alternative.
fn emit_top(node: &Node, out: &mut String) {
    match node {
        Node::Alt(alts) => {
            for (i, a) in alts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit_top(a, out);
            }
        }
        Node::Concat(items) => {
            for item in items {
                if matches!(item, Node::Alt(_)) {
                    emit_group(item, out);
                } else {
                    emit_top(item, out);
                }
            }
        }
        Node::Empty => {}
        Node::Byte(b) => emit_byte(*b, out),
        Node::Set(s) => emit_set(s, out),
        Node::Look(l) => emit_look(*l, out),
        Node::Repeat { node, min, max } => {
            if matches!(**node, Node::Byte(_) | Node::Set(_)) {
                emit_top(node, out);
            } else {
                // Stacked operators (`a**`, `a*?`) would be errors or lazy quantifiers in
                // the regex crate, so every compound operand gets its own group.
                emit_group(node, out);
            }
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (n, None) => out.push_str(&format!("{{{n},}}")),
                (n, Some(m)) if n == m => out.push_str(&format!("{{{n}}}")),
                (n, Some(m)) => out.push_str(&format!("{{{n},{m}}}")),
            }
        }
    }
}

fn emit_group(node: &Node, out: &mut String) {
    out.push_str("(?:");
    emit_top(node, out);
    out.push(')');
}

/// Make sure the regex crate takes the output, turning its limits into an [`EreError`].
fn check_regex(re: &str) -> Result<(), EreError> {
    let parsed = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .multi_line(true)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(re);
    let hir = match parsed {
        Ok(hir) => hir,
        Err(e) => {
            let nested = matches!(
                &e,
                regex_syntax::Error::Parse(p)
                    if matches!(p.kind(), regex_syntax::ast::ErrorKind::NestLimitExceeded(_))
            );
            return Err(if nested {
                EreError::new(msg::ESIZE)
            } else {
                // Our printer produced something the regex crate refuses: a bug here, but
                // still the pattern's problem to report, not a reason to panic.
                EreError {
                    message: format!("{} (regex translation failed: {e})", msg::BADPAT),
                    refusal: Refusal::Glibc,
                }
            });
        }
    };
    // The size check the regex crate makes when it compiles the pattern, without building
    // its search strategies (prefilters, reverse searchers): those cost a hook more than the
    // rest of its start-up, and the engine builds them once for the union anyway.
    regex_automata::nfa::thompson::Compiler::new()
        .configure(
            regex_automata::nfa::thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .build_from_hir(&hir)
        .map(drop)
        .map_err(|e| {
            if e.size_limit().is_some() {
                EreError::new(msg::ESIZE)
            } else {
                EreError {
                    message: format!("{} (regex translation failed: {e})", msg::BADPAT),
                    refusal: Refusal::Glibc,
                }
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::{Regex, RegexBuilder};

    fn compile(ere: &[u8]) -> Regex {
        let out =
            translate(ere).unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(ere)));
        RegexBuilder::new(&out)
            .unicode(false)
            .multi_line(true)
            .build()
            .unwrap_or_else(|e| panic!("{out}: {e}"))
    }

    fn err(ere: &str) -> String {
        match translate(ere.as_bytes()) {
            Ok(out) => panic!("{ere:?} translated to {out:?}, expected an error"),
            Err(e) => e.message,
        }
    }

    /// Assert which of `lines` match `ere`.
    fn check(ere: &str, yes: &[&str], no: &[&str]) {
        let re = compile(ere.as_bytes());
        for l in yes {
            assert!(re.is_match(l.as_bytes()), "{ere:?} should match {l:?}");
        }
        for l in no {
            assert!(!re.is_match(l.as_bytes()), "{ere:?} should not match {l:?}");
        }
    }

    #[test]
    fn literals_are_escaped() {
        check("a.b", &["a.b", "axb"], &["ab", "a\nb"]);
        check(r"a\.b", &["a.b"], &["axb"]);
        check(r"\/\-\x22", &["/-x22"], &["/-\""]);
        check("@todo", &["// @todo fix"], &["todo"]);
        check("#hash", &["#hash"], &["hash"]);
        check(r#"foo="baz{1,5}""#, &[r#"foo="bazzz""#], &[r#"foo="ba""#]);
        check("a&&b~~c--d", &["a&&b~~c--d"], &["ab"]);
        // `\xHH` takes exactly two hex digits, so a following digit stays separate.
        check("@1A", &["@1A"], &["@", "1A"]);
        assert_eq!(translate(b"a b").unwrap(), r"a\x20b");
    }

    #[test]
    fn c_locale_bytes() {
        let re = compile(b"caf\xe9");
        assert!(re.is_match(b"un caf\xe9"));
        assert!(!re.is_match("un café".as_bytes()));
        // Every byte is one character: U+00E9 in UTF-8 is two.
        assert!(compile(b"^.$").is_match(b"\xe9"));
        assert!(!compile(b"^.$").is_match("é".as_bytes()));
        assert!(compile(b"^..$").is_match("é".as_bytes()));
        assert!(compile(b"[\x80-\xff]x").is_match(b"\xe9x"));
        assert!(compile(b"[^a]").is_match(b"\xff"));
        assert!(!compile(b"[[:alpha:]]").is_match(b"\xe9"));
        assert!(compile(br"\W").is_match(b"\xe9"));
        assert!(compile(b"a\x00b").is_match(b"a\x00b"));
    }

    #[test]
    fn escapes() {
        check(r"\d", &["d"], &["1"]);
        check(r"\n\t", &["nt"], &["\n\t"]);
        check(r"\w+", &["_"], &["-+"]);
        check(r"\W", &["a-b"], &["ab_9"]);
        check(r"a\sb", &["a b", "a\tb"], &["ab", "a\nb"]);
        check(r"a\Sb", &["axb"], &["a b"]);
        check(r"\bbar", &["foo bar"], &["foobar"]);
        check(r"\Bbar", &["foobar"], &["foo bar", "bar"]);
        check(r"\<key\>", &["a key here", "key"], &["keys", "akey"]);
        check(r"\`a", &["ab"], &["ba"]);
        check(r"a\'", &["ba"], &["ab"]);
        check(r"\(\)\{\}\|\*\+\?\[\]\^\$\\", &[r"(){}|*+?[]^$\"], &["x"]);
    }

    #[test]
    fn anchors() {
        check("^a", &["ab"], &["ba"]);
        check("a$", &["ba"], &["ab"]);
        check("a^b", &[], &["ab", "a^b"]);
        check("a$b", &[], &["ab", "a$b"]);
        check("(^|x)a", &["a", "xa"], &["ba"]);
        check("a($|x)", &["a", "ax"], &["ab"]);
        // dfa.c repeats the anchor rather than skipping the star.
        check("^*a", &["a", "ba"], &["b"]);
        check("^+a", &["ab"], &["ba"]);
        // Anchors match at line boundaries inside a buffer too.
        assert_eq!(compile(b"^b$").find_iter(b"a\nb\nc").count(), 1);
    }

    #[test]
    fn brackets() {
        check("[]a]", &["]", "a"], &["b"]);
        check("[^]a]", &["b"], &["]", "a"]);
        check(r"[\]", &[r"\"], &["a"]);
        check(r"[\.]", &[r"\", "."], &["a"]);
        check(r"[\]]", &[r"\]"], &["]", r"\"]);
        check("[[]", &["["], &["a"]);
        check("[a[]", &["[", "a"], &["b"]);
        check("[+--]", &["+", ",", "-"], &["."]);
        check("[--/]", &["-", ".", "/"], &["0"]);
        check("[a-]", &["a", "-"], &["b"]);
        check("[-a]", &["a", "-"], &["b"]);
        check("[]-a]", &["]", "^", "a"], &["b"]);
        check("[a-a]", &["a"], &["b"]);
        check("[!--]", &["!", ",", "-"], &["."]);
        check("[&&]", &["&"], &["a"]);
        check("[~~]", &["~"], &["a"]);
        check("[[.a.]]", &["a"], &["b"]);
        check("[[=a=]]", &["a"], &["b"]);
        check("[[.-.]]", &["-"], &["a"]);
        check("[[.a.]-c]", &["b"], &["d"]);
        check("[a-[.c.]]", &["b"], &["d", "["]);
        check("[[:alpha:]-]", &["a", "-"], &["1"]);
        check("[:a]", &[":", "a"], &["b"]);
        check("[::]", &[":"], &["a"]);
        check("[^-a]", &["b"], &["-", "a"]);
        check("[^a]", &["b"], &["a", "aaa"]);
        // A negated class never matches a newline, so matches stay on one line.
        assert!(!compile(b"a[^x]b").is_match(b"a\nb"));
    }

    #[test]
    fn named_classes() {
        let cases: &[(&str, &[u8], &[u8])] = &[
            ("alpha", b"aZ", b"1_ "),
            ("digit", b"09", b"a"),
            ("alnum", b"a9", b"_-"),
            ("upper", b"AZ", b"a"),
            ("lower", b"az", b"A"),
            ("space", b" \t\x0b\x0c\r", b"a"),
            ("blank", b" \t", b"\x0b"),
            ("punct", b"!/:@[`{~", b"a "),
            ("print", b" ~", b"\x7f\x1f"),
            ("graph", b"!~", b" \x7f"),
            ("cntrl", b"\x00\x1f\x7f", b" "),
            ("xdigit", b"09afAF", b"gG"),
        ];
        for (name, yes, no) in cases {
            let re = compile(format!("^[[:{name}:]]$").as_bytes());
            for b in *yes {
                assert!(re.is_match(&[*b]), "{name} should contain {b:#x}");
            }
            for b in *no {
                assert!(!re.is_match(&[*b]), "{name} should not contain {b:#x}");
            }
            assert!(!re.is_match(b"\xe9"), "{name} is ASCII only");
        }
        check("[[:alpha:]]+", &["abc"], &["123"]);
        check("[^[:alpha:]]", &["1"], &["a"]);
    }

    #[test]
    fn bracket_errors() {
        let ebrack = msg::EBRACK;
        for p in [
            "[a",
            "[^a",
            "[]",
            "[^]",
            "[[:alpha:]",
            "[[:a",
            "[[.a.]",
            "[[=a=]",
            r"[\",
        ] {
            assert_eq!(err(p), ebrack, "{p}");
        }
        assert_eq!(err("["), "Invalid regular expression");
        assert_eq!(err("[^"), "Invalid regular expression");
        assert_eq!(err("[[:foo:]]"), "Invalid character class name");
        assert_eq!(err("[[:ALPHA:]]"), "Invalid character class name");
        assert_eq!(err("[[::]]"), "Invalid character class name");
        assert_eq!(err("[[:a:]"), "Invalid character class name");
        assert_eq!(err("[[.ab.]]"), "Invalid collation character");
        assert_eq!(err("[[==]]"), "Invalid collation character");
        for p in [
            "[z-a]",
            "[a-c-e]",
            "[a--]",
            "[[:alpha:]-z]",
            "[a-[:alpha:]]",
            "[a-[]",
        ] {
            assert_eq!(err(p), "Invalid range end", "{p}");
        }
        // A 32-byte name overflows glibc's buffer; a 31-byte one is merely unknown.
        assert_eq!(err(&format!("[[:{}:]]", "x".repeat(32))), ebrack);
        assert_eq!(
            err(&format!("[[:{}:]]", "x".repeat(31))),
            "Invalid character class name"
        );
        assert_eq!(err("[:space:]"), msg::DFA_COLON);
        assert_eq!(err("[^:a:]"), msg::DFA_COLON);
        assert!(is_valid(b"[:a-b:]"));
    }

    #[test]
    fn intervals() {
        check("x{,3}y", &["y", "xxxy"], &["x"]);
        check("^x{,3}y", &["xxxy"], &["xxxxy"]);
        check("a{2}", &["aa"], &["a"]);
        check("^a{2,}$", &["aa", "aaaa"], &["a"]);
        check("^a{1,2}$", &["a", "aa"], &["aaa"]);
        check("a{,}", &["", "b"], &[]);
        check("a{00003}", &["aaa"], &["aa"]);
        check("a{0}b", &["b"], &["a"]);
        check("^a{0}b", &["b"], &["ab"]);
        check("^(ab){0}c", &["c"], &["abc"]);
        check("^a{1}{2}$", &["aa"], &["a", "aaa"]);
        check("^a{1,2}{3}$", &["aaa", "aaaaaa"], &["aa", "aaaaaaa"]);
        check(
            "ABSK[A-Za-z0-9+/]{109,}=*",
            &[&format!("ABSK{}==", "a".repeat(109))],
            &[&format!("ABSK{}", "a".repeat(108))],
        );
        // Only compiled and probed briefly: the regex crate needs seconds to match 32767
        // counted repetitions.
        check("a{32767}", &[], &["a", &"a".repeat(100)]);
    }

    #[test]
    fn malformed_intervals_are_literal() {
        check("a{", &["a{"], &["a"]);
        check("a{x", &["a{x"], &["a"]);
        check("a{1", &["a{1"], &["a"]);
        check("a{1,2", &["a{1,2"], &["a"]);
        check("a{1a}", &["a{1a}"], &["a"]);
        check("a{ 1}", &["a{ 1}"], &["a"]);
        check(r"a{1\,2}", &["a{1,2}"], &["a"]);
        check("a{1,2}}", &["a}"], &["a"]);
        check("{", &["{"], &["a"]);
        check("{1", &["{1"], &["a"]);
        check("{2,1}", &["{2,1}"], &["2,1"]);
        check("{}", &["{}"], &["a"]);
    }

    #[test]
    fn interval_errors() {
        for p in ["a{2,1}", "a{}", "a{1,2,3}", "a{1,,}", "a{,2,}", r"a{2\,1}"] {
            assert_eq!(err(p), "Invalid content of \\{\\}", "{p}");
        }
        for p in [
            "a{32768}",
            "a{65536}",
            "a{1,32768}",
            "a{32768,}",
            "a{99999999999}",
            "(a){32768}",
        ] {
            assert_eq!(err(p), "Regular expression too big", "{p}");
        }
        // glibc skips a leading '{', then dfa.c objects in lower case.
        for p in ["{32768}", "^{32768}", "a|{32768}", "^*{40000}"] {
            assert_eq!(err(p), "regular expression too big", "{p}");
        }
        assert!(is_valid(b"{40000,}"));
        assert!(is_valid(b"^{40000,}"));
    }

    #[test]
    fn leading_operators_repeat_nothing() {
        for p in [
            "*a",
            "+a",
            "?a",
            "{1}a",
            "(*a)",
            "x|*a",
            "x|+a",
            "(+a)",
            r"\<*a",
            "{1,2}{3}a",
        ] {
            check(p, &["a", "ba"], &["b"]);
        }
        check("*", &["", "x"], &[]);
        check("a|*", &["b"], &[]);
        check("({1})", &["x"], &[]);
        check("(*))", &[")"], &["x"]);
    }

    #[test]
    fn stacked_repetitions() {
        check("^a**$", &["", "aaa"], &["b"]);
        check("^a+*$", &["", "aa"], &["b"]);
        check("^a*{2}$", &["", "aa"], &["b"]);
        check("^a+?$", &["", "a", "aa"], &["b"]);
        check("^a??$", &["", "a"], &["aa"]);
        check("^(a*)*$", &["", "aa"], &["b"]);
        check("^a{2}*$", &["", "aa", "aaaa"], &["a", "aaa"]);
        check("^a{2}?$", &["", "aa"], &["a"]);
        check("^a{1,2}{2}$", &["aa", "aaa", "aaaa"], &["a", "aaaaa"]);
        // A run of operators must not nest the output deeply.
        assert!(is_valid(format!("a{}", "*+?".repeat(2000)).as_bytes()));
    }

    #[test]
    fn groups_and_alternation() {
        check("()", &["", "x"], &[]);
        check("()*", &["x"], &[]);
        check("(|a)", &["x"], &[]);
        check("a||b", &["x"], &[]);
        check("a|", &["x"], &[]);
        check("|", &["x"], &[]);
        check("forbidden|me", &["me", "forbidden"], &["forbid"]);
        check("^(a|b)c$", &["ac", "bc"], &["c", "abc"]);
        check("^(a|b){2}$", &["ab", "ba"], &["a"]);
        check("a)", &["a)"], &["a"]);
        check(")", &[")"], &["a"]);
        check("())", &[")"], &["a"]);
        check("(a))", &["a)"], &["a"]);
        check("x(^a)", &[], &["xa", "x^a"]);
        check("", &["", "x"], &[]);
        for p in [
            "(a", "((a)", "(*)", "(+)", "(?)", "a(*)b", "(|*)", "(a|*)", "(^*)", "(a^*)", r"(\<*)",
        ] {
            assert_eq!(err(p), "Unmatched ( or \\(", "{p}");
        }
    }

    #[test]
    fn backslash_errors() {
        assert_eq!(err("a\\"), "Trailing backslash");
        assert_eq!(err("\\"), "Trailing backslash");
        for p in [r"\1", r"(a)\1", r"(a)(b)\2", r"x\9"] {
            assert_eq!(err(p), "backreferences are not supported", "{p}");
        }
        // Not back-references: a literal backslash and digit inside brackets, an
        // escaped backslash before a digit.
        check(r"[\1]", &["1", r"\"], &["a"]);
        check(r"\\1", &[r"\1"], &["1"]);
    }

    #[test]
    fn newline_separates_patterns() {
        check("a\nb", &["a", "b"], &["c"]);
        check("^a\n^b", &["ab", "ba"], &["cab"]);
        assert_eq!(err("(a\nb)"), "Unmatched ( or \\(");
        check("x\n", &["anything"], &[]);
    }

    #[test]
    fn aws_patterns() {
        let key_id = "(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}";
        check(
            key_id,
            &["aws_key = AKIAIOSFODNN7EXAMPLE"],
            &["AKIAIOSFODNN7EXAMPL", "akiaiosfodnn7example"],
        );
        let secret = r#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#;
        check(
            secret,
            &[
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "\"SecretKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
            ],
            &["aws_secret_access_key = short"],
        );
        let account = r#"("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}\-?[0-9]{4}\-?[0-9]{4}("|')?"#;
        check(
            account,
            &["aws_account_id = 1234-5678-9012"],
            &["aws_account_id = 1234"],
        );
    }

    #[test]
    fn git_grep_dialect() {
        let git = |p: &str| translate_with(p.as_bytes(), Dialect::GitGrep).map_err(|e| e.message);
        for p in ["*a", "+a", "{1}a", "a|*b", "^*a", "(*)", "a^*"] {
            assert_eq!(git(p), Err(msg::BADRPT.to_owned()), "{p}");
        }
        for p in ["a{", "a{x", "a{1", "a{1,2"] {
            assert_eq!(git(p), Err(msg::EBRACE.to_owned()), "{p}");
        }
        assert_eq!(git("a{x}"), Err(msg::BADBR.to_owned()));
        assert_eq!(git("a{2,1}"), Err(msg::BADBR.to_owned()));
        assert!(git("[:space:]").is_ok());
        assert!(git("a**").is_ok());
        assert!(git("a{,3}").is_ok());
    }

    #[test]
    fn hostile_input_does_not_overflow_the_stack() {
        for p in [
            "*".repeat(20_000),
            "a".to_owned() + &"*".repeat(20_000),
            "a{0}".repeat(20_000),
            "(".repeat(20_000),
            "[".repeat(20_000),
            "a|".repeat(20_000),
            "\\(".repeat(20_000),
            // Groups and stacked repetitions alternating: tall without deep parens.
            format!(
                "{}a{}",
                "(".repeat(250),
                "){2}{2}{2}{2}{2}{2}{2}{2}".repeat(250)
            ),
        ] {
            let _ = translate(p.as_bytes());
            let _ = translate_with(p.as_bytes(), Dialect::GitGrep);
        }
    }

    #[test]
    fn glibc_reading_when_dfa_defers() {
        // `[[.a.]]` makes grep match with glibc, which skips the leading '{' and reads
        // "1}" literally; without it, dfa.c repeats the empty string.
        check("{1}[[.a.]]", &["1}a"], &["a"]);
        check("{1}a", &["a"], &["b"]);
        check("^*[[=a=]]", &["a"], &["ba"]);
        check("^*a", &["ba"], &["b"]);
    }

    #[test]
    fn regex_crate_limits_become_errors() {
        let deep = format!("{}a{}", "(".repeat(400), ")".repeat(400));
        assert_eq!(err(&deep), "Regular expression too big");
        let nested = format!("{}a{}", "(".repeat(200), "){2}".repeat(200));
        assert!(translate(nested.as_bytes()).is_err());
        assert_eq!(
            err("((a{32767}){32767}){32767}"),
            "Regular expression too big"
        );
        assert!(!is_valid(b"[a"));
        assert!(is_valid(b"[a]"));
    }

    /// One differential case: a pattern and a line to feed it.
    const DIFF_CASES: &[(&[u8], &[u8])] = &[
        (b"(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}", b"key AKIAIOSFODNN7EXAMPLE"),
        (b"(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}", b"key AKIAIOSFODNN7EXAM"),
        (br#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#, b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        (br#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#, b"key: 'tooshort'"),
        (b"ABSK[A-Za-z0-9+/]{109,}=*", b"ABSKQmVkcm9ja0FQSUtleS1wZGJuLWF0LTQwMjI4OTUxNDY4NDpjUFFkR0xQQkc1MmZkNHpsdGQ0N2hLcHVqS3hJUkZKdHNVM0l0Y2sxVXpZZ1NlVnJHd0ZaaWdoMEh1Q0dqVXM9"),
        (b"ABSK[A-Za-z0-9+/]{109,}=*", b"ABSKshort"),
        (br#"foo="baz{1,5}""#, br#"foo="bazzz""#),
        (br#"foo="baz{1,5}""#, br#"foo="ba""#),
        (b"@todo", b"// @todo later"),
        (b"forbidden|me", b"call me"),
        (b"forbidden|me", b"nothing"),
        (b"#hash", b"a #hash"),
        (b"[[:alpha:]]+", b"123 abc"),
        (b"[[:alpha:]]+", b"123"),
        (b"x{,3}y", b"xxy"),
        (b"^x{,3}y", b"xxxxy"),
        (br"\<key\>", b"the key is"),
        (br"\<key\>", b"keys"),
        (b"a{", b"a{"),
        (b"a{x", b"a{x"),
        (b"{1}", b"anything"),
        (b"{1}a", b"ba"),
        (b"a{1", b"a{1"),
        (b"a{2,1}", b"aa"),
        (b"a{}", b"a{}"),
        (b"a{1,2,3}", b"a"),
        (b"a{1000}", b"a"),
        (b"a{32768}", b"a"),
        (b"{32768}", b"a"),
        (b"{40000,}", b"a"),
        (br"a{1\,2}", b"a{1,2}"),
        (br"a{2\,1}", b"a"),
        (b"*a", b"ba"),
        (b"+a", b"a"),
        (b"?a", b"b"),
        (b"(*a)", b"a"),
        (b"x|*a", b"a"),
        (b"^*a", b"ba"),
        (b"^+a", b"ba"),
        (b"a**", b"b"),
        (b"^a+*$", b"aa"),
        (b"^a*{2}$", b"aaa"),
        (b"^a{1,2}{3}$", b"aa"),
        (b"()", b"x"),
        (b"(|a)", b"x"),
        (b"a||b", b"x"),
        (b"a|", b"x"),
        (b"(a", b"a"),
        (b"(*)", b"a"),
        (b"(a|*)", b"a"),
        (b"(^*)", b"a"),
        (b"(*))", b")"),
        (b"a)", b"a)"),
        (b")", b"x"),
        (b"a^b", b"a^b"),
        (b"a$b", b"a$b"),
        (b"a\\", b"a"),
        (br"\d", b"d"),
        (br"\d", b"1"),
        (br"\.", b"x"),
        (br"\w\W\s\S", b"a- x"),
        (br"\bbar", b"foobar"),
        (br"\Bbar", b"foobar"),
        (br"\`a", b"ba"),
        (br"a\'", b"ab"),
        (b"[]a]", b"]"),
        (b"[^]a]", b"]"),
        (br"[\]", br"\"),
        (br"[\.]", b"x"),
        (br"[\]]", b"]"),
        (b"[[]", b"["),
        (b"[a", b"a"),
        (b"[]", b"a"),
        (b"[", b"a"),
        (b"[z-a]", b"a"),
        (b"[+--]", b","),
        (b"[a-c-e]", b"d"),
        (b"[[:foo:]]", b"a"),
        (b"[[:alpha:]", b"a"),
        (b"[[:alpha:]-z]", b"-"),
        (b"[:space:]", b" "),
        (b"[:a]", b":"),
        (b"[[.a.]]", b"a"),
        (b"[[=a=]]", b"b"),
        (b"[[.ab.]]", b"a"),
        (b"[[.a.]-c]", b"b"),
        // dfa.c defers these to glibc, whose parse of the leading operators differs.
        (b"{1}[[.a.]]", b"a"),
        (b"{1}[[.a.]]", b"1}a"),
        (b"^*[[=a=]]", b"ba"),
        (b"x|{1}[[.a.]]", b"1}a"),
        (b".", b"\xe9"),
        (b"^.$", b"\xc3\xa9"),
        (b"[^a]", b"\xff"),
        (b"[[:print:]]", b"\xe9"),
        (b"\xe9", b"caf\xe9"),
    ];

    /// Run `grep -E -c` under the C locale; `None` when grep rejects the pattern.
    fn grep_says(grep: &str, pattern: &[u8], line: &[u8]) -> Result<bool, String> {
        use std::io::Write;
        use std::os::unix::ffi::OsStrExt;
        use std::process::{Command, Stdio};
        let mut child = Command::new(grep)
            .env("LC_ALL", "C")
            .args(["-E", "-c", "--"])
            .arg(std::ffi::OsStr::from_bytes(pattern))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn grep");
        let mut input = line.to_vec();
        input.push(b'\n');
        // grep exits without reading when it rejects the pattern.
        let _ = child.stdin.take().expect("stdin").write_all(&input);
        let out = child.wait_with_output().expect("grep output");
        match out.status.code() {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let last = stderr
                    .lines()
                    .rfind(|l| !l.contains("warning:"))
                    .unwrap_or("");
                let prefix = format!("{grep}: ");
                Err(last.strip_prefix(&prefix).unwrap_or(last).to_owned())
            }
        }
    }

    #[test]
    fn differential_against_gnu_grep() {
        let grep = "/usr/bin/grep";
        if !std::path::Path::new(grep).exists() {
            // Skipped where grep is missing, but never in CI.
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "{grep} not found"
            );
            return;
        }
        assert!(DIFF_CASES.len() >= 60);
        let mut failures = Vec::new();
        for (pattern, line) in DIFF_CASES {
            let theirs = grep_says(grep, pattern, line);
            let ours = translate(pattern).map(|out| {
                RegexBuilder::new(&out)
                    .unicode(false)
                    .multi_line(true)
                    .build()
                    .expect("translated pattern compiles")
                    .is_match(line)
            });
            let ours = ours.map_err(|e| e.message);
            if theirs != ours {
                failures.push(format!(
                    "{:?} on {:?}: grep {theirs:?}, ours {ours:?}",
                    String::from_utf8_lossy(pattern),
                    String::from_utf8_lossy(line)
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "disagreements:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn differential_backrefs_rejected_where_grep_accepts() {
        let grep = "/usr/bin/grep";
        if !std::path::Path::new(grep).exists() {
            return;
        }
        assert_eq!(grep_says(grep, br"(a)\1", b"aa"), Ok(true));
        assert_eq!(err(r"(a)\1"), msg::BACKREF);
    }
}
