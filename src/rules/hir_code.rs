//! A parsed regex (regex-syntax's HIR) as bytes, and back.
//!
//! build.rs parses each built-in rule's pattern as the engine does ([`crate::literals::parse`])
//! and writes the tree into the binary; a hook rebuilds the tree with regex-syntax's own
//! constructors instead of parsing the text again. Parsing was half of what compiling a rule's
//! lean form cost: the ~30 rules five C files of git/git wake took ~2.5 ms of CPU to parse
//! (the AST parser alone ~140 ns a character of a 550-character pattern), a sixth of the hook.
//!
//! The format is a tag byte per node, then the node's fields, children last; numbers are
//! LEB128. A tree that does not decode is `None`: the caller parses the text instead.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const BYTES: u8 = 2;
const UNICODE: u8 = 3;
const LOOK: u8 = 4;
const REPETITION: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// `hir` as bytes (build.rs writes the trees; the binary only reads them).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn encode(hir: &Hir) -> Vec<u8> {
    let mut out = Vec::new();
    write(hir, &mut out);
    out
}

#[cfg_attr(not(test), allow(dead_code))]
fn number(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg_attr(not(test), allow(dead_code))]
fn write(hir: &Hir, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(lit) => {
            out.push(LITERAL);
            number(lit.0.len() as u64, out);
            out.extend_from_slice(&lit.0);
        }
        HirKind::Class(Class::Bytes(class)) => {
            out.push(BYTES);
            number(class.ranges().len() as u64, out);
            for r in class.ranges() {
                out.extend_from_slice(&[r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            out.push(UNICODE);
            number(class.ranges().len() as u64, out);
            for r in class.ranges() {
                number(u64::from(u32::from(r.start())), out);
                number(u64::from(u32::from(r.end())), out);
            }
        }
        HirKind::Look(look) => {
            out.push(LOOK);
            number(u64::from(look.as_repr()), out);
        }
        HirKind::Repetition(rep) => {
            out.push(REPETITION);
            number(u64::from(rep.min), out);
            number(rep.max.map_or(0, |m| u64::from(m) + 1), out);
            out.push(u8::from(rep.greedy));
            write(&rep.sub, out);
        }
        HirKind::Capture(cap) => {
            out.push(CAPTURE);
            number(u64::from(cap.index), out);
            match &cap.name {
                None => number(0, out),
                Some(name) => {
                    number(name.len() as u64 + 1, out);
                    out.extend_from_slice(name.as_bytes());
                }
            }
            write(&cap.sub, out);
        }
        HirKind::Concat(subs) => write_list(CONCAT, subs, out),
        HirKind::Alternation(subs) => write_list(ALTERNATION, subs, out),
    }
}

#[cfg_attr(not(test), allow(dead_code))]
fn write_list(tag: u8, subs: &[Hir], out: &mut Vec<u8>) {
    out.push(tag);
    number(subs.len() as u64, out);
    for sub in subs {
        write(sub, out);
    }
}

/// The tree `code` holds, or `None` when it is not one [`encode`] wrote.
pub(crate) fn decode(code: &[u8]) -> Option<Hir> {
    let mut reader = Reader { code, at: 0 };
    let hir = reader.hir(0)?;
    (reader.at == code.len()).then_some(hir)
}

struct Reader<'a> {
    code: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    /// regex-syntax's own nesting limit: deeper trees are not ones it wrote.
    const MAX_DEPTH: u32 = 250;

    fn byte(&mut self) -> Option<u8> {
        let b = *self.code.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.code.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?)
            .ok()
            .filter(|&n| n <= self.code.len())
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn hir(&mut self, depth: u32) -> Option<Hir> {
        if depth > Self::MAX_DEPTH {
            return None;
        }
        Some(match self.byte()? {
            EMPTY => Hir::empty(),
            LITERAL => {
                let n = self.count()?;
                Hir::literal(self.bytes(n)?.to_vec())
            }
            BYTES => {
                let n = self.count()?;
                let ranges = (0..n)
                    .map(|_| Some(ClassBytesRange::new(self.byte()?, self.byte()?)))
                    .collect::<Option<Vec<_>>>()?;
                Hir::class(Class::Bytes(ClassBytes::new(ranges)))
            }
            UNICODE => {
                let n = self.count()?;
                let ranges = (0..n)
                    .map(|_| {
                        let start = char::from_u32(self.u32()?)?;
                        let end = char::from_u32(self.u32()?)?;
                        Some(ClassUnicodeRange::new(start, end))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
            }
            LOOK => Hir::look(Look::from_repr(self.u32()?)?),
            REPETITION => {
                let min = self.u32()?;
                let max = match self.u32()? {
                    0 => None,
                    m => Some(m - 1),
                };
                let greedy = self.byte()? != 0;
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::repetition(Repetition {
                    min,
                    max,
                    greedy,
                    sub,
                })
            }
            CAPTURE => {
                let index = self.u32()?;
                let name = match self.count()? {
                    0 => None,
                    n => Some(std::str::from_utf8(self.bytes(n - 1)?).ok()?.into()),
                };
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::capture(Capture { index, name, sub })
            }
            tag @ (CONCAT | ALTERNATION) => {
                let n = self.count()?;
                let subs = (0..n)
                    .map(|_| self.hir(depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                if tag == CONCAT {
                    Hir::concat(subs)
                } else {
                    Hir::alternation(subs)
                }
            }
            _ => return None,
        })
    }
}

/// `hir` with every counted repetition widened to `*` or `+` and without capture groups, or
/// `None` when it has no counted repetition: it matches wherever `hir` does (and more), and its
/// automaton is smaller. A rule's value bounds such as `{6,1024}` are most of its states:
/// `generic.c-define` has 2,261 as written and compiles in 340 µs, widened in under 50.
pub(crate) fn widened(hir: &Hir) -> Option<Hir> {
    let mut counted = false;
    let wide = widen(hir, &mut counted);
    counted.then_some(wide)
}

fn widen(hir: &Hir, counted: &mut bool) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            let is_counted = rep.min > 1 || rep.max.is_some_and(|m| m > 1);
            *counted |= is_counted;
            let (min, max) = if is_counted {
                (rep.min.min(1), None)
            } else {
                (rep.min, rep.max)
            };
            Hir::repetition(Repetition {
                min,
                max,
                greedy: rep.greedy,
                sub: Box::new(widen(&rep.sub, counted)),
            })
        }
        HirKind::Capture(cap) => widen(&cap.sub, counted),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|s| widen(s, counted)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|s| widen(s, counted)).collect())
        }
        _ => hir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        crate::literals::parse(pattern).expect("parses")
    }

    /// Every kind of node comes back as regex-syntax built it: Unicode classes (`(?u)`),
    /// named and numbered groups, lazy and counted repetitions, each kind of look-around.
    #[test]
    fn trees_come_back_as_they_were() {
        for pattern in [
            "",
            "abc",
            r"(?i)secret[_-]?key",
            r"[^\x00-\x08\xff]",
            r"(?u)[é-ü\p{Greek}]x",
            r"(?m)^(?P<key>[A-Z_]{0,60})\s*=\s*(\S{8,}?)$",
            r"\b(?:a|bc|d)+?\B(?-u:\b)",
            r"(?u:\b{start}x\b{end}\b{start-half})",
            r"(?s).(?:x|)y*z{3}w{2,}v{1,300}",
            "\\x{10FFFF}\\\\\\n\\t",
        ] {
            let hir = parse(pattern);
            assert_eq!(decode(&encode(&hir)).as_ref(), Some(&hir), "{pattern:?}");
        }
    }

    /// Bytes that are not a tree [`encode`] wrote decode to nothing, never a panic.
    #[test]
    fn other_bytes_decode_to_nothing() {
        let code = encode(&parse(r"(?P<key>ab|c{2,9})\b[x-z]"));
        for cut in 0..code.len() {
            assert_eq!(decode(&code[..cut]), None, "cut at {cut}");
        }
        let mut longer = code.clone();
        longer.push(EMPTY);
        assert_eq!(decode(&longer), None);
        assert_eq!(decode(&[99]), None);
        assert_eq!(decode(&[LOOK, 0x7f]), None);
        assert_eq!(decode(&[LITERAL, 0xff, 0xff, 0xff, 0xff, 0x0f]), None);
        // Nesting past regex-syntax's own limit.
        let deep: Vec<u8> = std::iter::repeat_n([REPETITION, 0, 0, 1], 300)
            .flatten()
            .chain([EMPTY])
            .collect();
        assert_eq!(decode(&deep), None);
    }

    /// The widened tree matches wherever the pattern does, and only counted repetitions are
    /// widened.
    #[test]
    fn widened_trees_match_a_superset() {
        let re = |hir: &Hir| {
            regex_automata::meta::Builder::new()
                .configure(regex_automata::meta::Config::new().utf8_empty(false))
                .build_from_hir(hir)
                .expect("compiles")
        };
        assert_eq!(widened(&parse(r"(a)b?c*\d+")), None);
        let hir = parse(r"(?m)^#define (?P<key>[A-Z_]{0,60}KEY) +x([0-9a-f]{8}|[g-z]{2,5})$");
        let wide = widened(&hir).expect("counted repetitions");
        assert_eq!(wide.properties().explicit_captures_len(), 0);
        let (strict, wide) = (re(&hir), re(&wide));
        for (text, both) in [
            ("#define API_KEY  x0123abcd", true),
            ("#define KEY xgh", true),
            ("#define KEY x0123abc", false),
            ("#define KEY x0123abcdef", false),
            ("#define KEY xghijkl", false),
            ("#define key x0123abcd", false),
        ] {
            assert_eq!(strict.is_match(text.as_bytes()), both, "{text}");
            if both {
                assert!(wide.is_match(text.as_bytes()), "{text}");
            }
        }
        // Wider: longer and shorter values than the bounds allow.
        assert!(wide.is_match(b"#define KEY x0123abcdef"));
        assert!(wide.is_match(b"#define KEY x0"));
        assert!(!wide.is_match(b"#define key x0123abcd"));
    }
}
