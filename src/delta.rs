//! Git's pack delta format, applied so that the result remembers where its bytes came from:
//! a blob version stored as a delta of its predecessor is mostly runs copied from it (cargo's
//! history decodes to 1.39 GB of blobs from 97 MB of delta data and 39 MB of whole blobs), so
//! a scan of the version can take what it found in those runs from the base's scan and
//! search only around what the delta inserts.
//!
//! The format (git's `patch-delta.c`): the base's size and the result's size as little-endian
//! base-128 numbers, then instructions. A byte with its top bit set copies from the base: its
//! low four bits say which offset bytes follow, the next three which size bytes (a size of 0
//! means 0x10000). A byte `1..=0x7f` inserts that many literal bytes that follow. `0` is
//! reserved.

/// A run of the result copied from the base: `result[to..to + len] == base[from..from + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Copy {
    pub to: u32,
    pub from: u32,
    pub len: u32,
}

/// What a version inherits from its base: every occurrence the literal gate found in the base
/// (`(position, literal)`, sorted), the base's one-line rule hits (by position), and the runs
/// the version copies from it.
#[derive(Clone, Copy)]
pub struct Inherited<'a> {
    pub occurrences: &'a [(u32, u32)],
    pub hits: &'a [LineHit],
    pub copies: &'a [Copy],
}

/// What a scan found in a version that deltas still to come are built on.
#[derive(Debug, Default)]
pub struct Found {
    /// What the literal gate found (see [`Inherited::occurrences`]).
    pub occurrences: Vec<(u32, u32)>,
    /// The hits of rules that search line by line and run on every path, before any hit is
    /// dropped for overlapping another (see `crate::rules::RuleSet::run_inheriting`).
    pub hits: Vec<LineHit>,
}

/// A rule's hit within one line of a base: a line a version copies whole, with the line breaks
/// on both sides, holds the same hits there (a one-line rule's result depends on the line's
/// bytes only), so the version's scan takes them instead of searching the line again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineHit {
    pub rule: u32,
    pub secret: (u32, u32),
    pub matched: (u32, u32),
    /// The hit's own confidence, coded by the rules (0 when it has none).
    pub confidence: u8,
}

/// Whether a run of `copies` (in order) copies `line` whole (see [`Copy::base_line`]).
pub fn copied_whole(copies: &[Copy], line: std::ops::Range<usize>) -> bool {
    let i = copies.partition_point(|c| (c.to + c.len) as usize <= line.end);
    copies.get(i).is_some_and(|c| c.base_line(&line).is_some())
}

/// [`copied_whole`] for lines asked in order (their ends never decreasing), by a cursor over
/// the runs: the gate asks so about every line of an inherited occurrence, and the binary
/// search was a tenth of its per-line loop on cargo's history.
pub struct CopiedLines<'a> {
    copies: &'a [Copy],
    next: usize,
}

impl<'a> CopiedLines<'a> {
    pub fn new(copies: &'a [Copy]) -> Self {
        CopiedLines { copies, next: 0 }
    }

    /// Whether a run copies `line` whole; `line` ends no earlier than the last line asked.
    pub fn whole(&mut self, line: &std::ops::Range<usize>) -> bool {
        while self
            .copies
            .get(self.next)
            .is_some_and(|c| (c.to + c.len) as usize <= line.end)
        {
            self.next += 1;
        }
        self.copies
            .get(self.next)
            .is_some_and(|c| c.base_line(line).is_some())
    }
}

impl Copy {
    /// Where `line` (a line of the result, without its line break) came from in the base, when
    /// this run copies all of it with the line breaks around it: its start (or the result's
    /// start, copied from the base's) and its `\n` (a last line without one is not taken).
    pub fn base_line(&self, line: &std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        let (to, from, len) = (self.to as usize, self.from as usize, self.len as usize);
        // The line break before the line inside the run too, or the line starting where the
        // run does, at the base's start.
        let starts = line.start > to || (line.start == to && from == 0);
        // The line break after the line: inside the run, so the result has one there.
        (starts && line.end < to + len).then(|| line.start - to + from..line.end - to + from)
    }
}

/// A delta that does not apply to its base (sizes, bounds or a reserved instruction).
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

/// Apply `delta` to `base`, writing the result to `out` and its copied runs, in order, to
/// `copies` (adjacent runs that continue each other in the base merged into one).
pub fn apply(
    base: &[u8],
    delta: &[u8],
    out: &mut Vec<u8>,
    copies: &mut Vec<Copy>,
) -> Result<(), Malformed> {
    out.clear();
    copies.clear();
    let mut at = 0;
    let base_size = varint(delta, &mut at)?;
    let result_size = varint(delta, &mut at)?;
    if base_size != base.len() as u64 || result_size > u64::from(u32::MAX) {
        return Err(Malformed);
    }
    out.reserve(result_size as usize);
    while let Some(&op) = delta.get(at) {
        at += 1;
        if op & 0x80 != 0 {
            let mut field = |bits: u8, first: u32| -> Result<u32, Malformed> {
                let mut v = 0u32;
                for k in 0..bits {
                    if op & (1 << (first + u32::from(k))) != 0 {
                        let b = *delta.get(at).ok_or(Malformed)?;
                        at += 1;
                        v |= u32::from(b) << (8 * k);
                    }
                }
                Ok(v)
            };
            let from = field(4, 0)?;
            let len = match field(3, 4)? {
                0 => 0x10000,
                n => n,
            };
            let run = base
                .get(from as usize..from as usize + len as usize)
                .ok_or(Malformed)?;
            let to = out.len() as u32;
            out.extend_from_slice(run);
            match copies.last_mut() {
                Some(last) if last.to + last.len == to && last.from + last.len == from => {
                    last.len += len;
                }
                _ => copies.push(Copy { to, from, len }),
            }
        } else if op != 0 {
            let run = delta.get(at..at + op as usize).ok_or(Malformed)?;
            at += op as usize;
            out.extend_from_slice(run);
        } else {
            return Err(Malformed);
        }
        if out.len() as u64 > result_size {
            return Err(Malformed);
        }
    }
    if out.len() as u64 != result_size {
        return Err(Malformed);
    }
    Ok(())
}

/// A size in the delta's header: base-128, least significant group first.
fn varint(delta: &[u8], at: &mut usize) -> Result<u64, Malformed> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *delta.get(*at).ok_or(Malformed)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(base: usize, result: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for mut n in [base, result] {
            loop {
                let b = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    out.push(b);
                    break;
                }
                out.push(b | 0x80);
            }
        }
        out
    }

    #[test]
    fn copies_and_inserts_rebuild_the_result_and_say_where_runs_came_from() {
        let base = b"0123456789abcdefghij".repeat(10);
        // Copy 5 bytes from 3, insert "XY", copy 4 bytes from 8 (continuing the first run in
        // the base but not in the result).
        let mut delta = header(base.len(), 11);
        delta.extend([0x80 | 0x01 | 0x10, 3, 5]);
        delta.extend([2, b'X', b'Y']);
        delta.extend([0x80 | 0x01 | 0x10, 8, 4]);
        let (mut out, mut copies) = (Vec::new(), Vec::new());
        apply(&base, &delta, &mut out, &mut copies).unwrap();
        assert_eq!(out, b"34567XY89ab");
        assert_eq!(
            copies,
            [
                Copy {
                    to: 0,
                    from: 3,
                    len: 5
                },
                Copy {
                    to: 7,
                    from: 8,
                    len: 4
                }
            ]
        );
        // Two copies that continue each other in both are one run.
        let mut delta = header(base.len(), 9);
        delta.extend([0x80 | 0x01 | 0x10, 3, 5]);
        delta.extend([0x80 | 0x01 | 0x10, 8, 4]);
        apply(&base, &delta, &mut out, &mut copies).unwrap();
        assert_eq!(out, b"3456789ab");
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0].len, 9);
    }

    #[test]
    fn a_delta_that_does_not_fit_its_base_is_malformed() {
        let base = b"abcdef";
        let (mut out, mut copies) = (Vec::new(), Vec::new());
        // Wrong base size.
        let mut d = header(7, 1);
        d.extend([1, b'x']);
        assert_eq!(apply(base, &d, &mut out, &mut copies), Err(Malformed));
        // Copy past the base's end.
        let mut d = header(6, 4);
        d.extend([0x80 | 0x01 | 0x10, 4, 4]);
        assert_eq!(apply(base, &d, &mut out, &mut copies), Err(Malformed));
        // Reserved instruction, truncated insert, result longer than announced.
        for tail in [&[0u8][..], &[3, b'x'][..], &[2, b'x', b'y'][..]] {
            let mut d = header(6, 1);
            d.extend(tail);
            assert_eq!(apply(base, &d, &mut out, &mut copies), Err(Malformed));
        }
        // Result shorter than announced.
        let mut d = header(6, 3);
        d.extend([1, b'x']);
        assert_eq!(apply(base, &d, &mut out, &mut copies), Err(Malformed));
    }

    #[test]
    fn lines_asked_in_order_get_the_binary_search_answer() {
        // Runs with gaps (insertions) between them, one starting at the result's start and
        // copied from the base's start; every line of a result with lines of 0 to 6 bytes.
        let copies = [
            Copy {
                to: 0,
                from: 0,
                len: 9,
            },
            Copy {
                to: 12,
                from: 30,
                len: 20,
            },
            Copy {
                to: 32,
                from: 60,
                len: 3,
            },
            Copy {
                to: 40,
                from: 5,
                len: 25,
            },
        ];
        let text: Vec<u8> = (0..70)
            .map(|i| {
                if i % 7 == 3 || i % 11 == 0 {
                    b'\n'
                } else {
                    b'a'
                }
            })
            .collect();
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, &b) in text.iter().enumerate() {
            if b == b'\n' {
                lines.push(start..i);
                start = i + 1;
            }
        }
        lines.push(start..text.len());
        let mut cursor = CopiedLines::new(&copies);
        let (mut whole, mut not) = (0, 0);
        for line in &lines {
            let expected = copied_whole(&copies, line.clone());
            assert_eq!(cursor.whole(line), expected, "{line:?}");
            // The same line asked again (the gate asks per owner) gets the same answer.
            assert_eq!(cursor.whole(line), expected, "{line:?} again");
            if expected { whole += 1 } else { not += 1 }
        }
        assert!(whole > 3 && not > 3, "{whole} copied whole, {not} not");
    }
}
