//! The literal gate: one pass over a buffer that finds every occurrence of the matchers'
//! required literals, and so the lines worth a regex and which matchers ("owners") each
//! such line concerns.
//!
//! An automaton walks the buffer one dependent table lookup per byte (about 3 ns a byte on
//! source code, however its states are laid out). This gate instead tests every position
//! independently, which the CPU overlaps: the three bytes there are hashed into a 256 Kibit
//! table (32 KiB, cache-resident) of the hashed first trigrams of all literals. Only at the
//! few positions whose bit is set are the literals with that hash compared in full. Every
//! literal has at least three bytes and no line break.

use std::ops::Range;

/// Shortest literal the gate takes.
pub const MIN_LITERAL_LEN: usize = 3;

/// Literals, each with the owners it stands for.
pub struct Gate {
    /// One bit per hash: some literal's folded first trigram has it.
    filter: Vec<u64>,
    /// For hash `h`, the literals with it: `by_hash[starts[h]..starts[h + 1]]`.
    starts: Vec<u32>,
    by_hash: Vec<u32>,
    literals: Vec<Vec<u8>>,
    /// Each literal's first three bytes, as [`trigram_at`] reads them, and the rest.
    heads: Vec<u32>,
    tails: Vec<Tail>,
    owners: Vec<Vec<u32>>,
    owner_count: usize,
}

/// Per-thread scratch space for a [`Gate`].
#[derive(Default)]
pub struct GateScratch {
    seen: Vec<u64>,
    hit: Vec<u32>,
    found: Vec<(u32, u32)>,
}

const HASH_BITS: u32 = 18;

fn trigram_hash(trigram: u32) -> usize {
    (trigram.wrapping_mul(0x9e37_79b1) >> (32 - HASH_BITS)) as usize
}

fn trigram_at(buf: &[u8], i: usize) -> u32 {
    u32::from(buf[i]) | u32::from(buf[i + 1]) << 8 | u32::from(buf[i + 2]) << 16
}

impl Gate {
    /// A gate over `sets` (owner, its literals); `None` when there is no literal. Literals
    /// shorter than [`MIN_LITERAL_LEN`] or with a line break are the caller's to exclude.
    pub fn new(sets: &[(u32, &[Vec<u8>])]) -> Option<Gate> {
        let mut index: std::collections::HashMap<&[u8], usize> = Default::default();
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut owner_count = 0;
        for (owner, lits) in sets {
            owner_count = owner_count.max(*owner as usize + 1);
            for l in lits.iter() {
                debug_assert!(l.len() >= MIN_LITERAL_LEN && !l.contains(&b'\n'));
                let i = *index.entry(l.as_slice()).or_insert_with(|| {
                    literals.push(l.clone());
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                if owners[i].last() != Some(owner) {
                    owners[i].push(*owner);
                }
            }
        }
        if literals.is_empty() {
            return None;
        }
        let size = 1usize << HASH_BITS;
        let mut filter = vec![0u64; size / 64];
        let mut counts = vec![0u32; size + 1];
        let hashes: Vec<usize> = literals
            .iter()
            .map(|l| trigram_hash(trigram_at(l, 0)))
            .collect();
        for &h in &hashes {
            filter[h / 64] |= 1 << (h % 64);
            counts[h + 1] += 1;
        }
        for h in 0..size {
            counts[h + 1] += counts[h];
        }
        let starts = counts.clone();
        let mut by_hash = vec![0u32; literals.len()];
        for (lit, &h) in hashes.iter().enumerate() {
            by_hash[counts[h] as usize] = lit as u32;
            counts[h] += 1;
        }
        let heads = literals.iter().map(|l| trigram_at(l, 0)).collect();
        let tails = literals.iter().map(|l| Tail::of(l)).collect();
        Some(Gate {
            filter,
            starts,
            by_hash,
            heads,
            tails,
            literals,
            owners,
            owner_count,
        })
    }

    /// Fresh scratch space.
    pub fn scratch(&self) -> GateScratch {
        GateScratch {
            seen: vec![0; self.owner_count.div_ceil(64)],
            hit: Vec::new(),
            found: Vec::new(),
        }
    }

    /// Calls `f(line, owners)` for every line of `buf` holding a literal, in order: `line` is
    /// the line's range without its `\n`, `owners` the distinct owners of the literals on it.
    pub fn for_each_line(
        &self,
        buf: &[u8],
        scratch: &mut GateScratch,
        mut f: impl FnMut(Range<usize>, &[u32]),
    ) {
        if scratch.seen.len() * 64 < self.owner_count {
            *scratch = self.scratch();
        }
        scratch.found.clear();
        self.find_all(buf, &mut scratch.found);
        let mut line: Option<Range<usize>> = None;
        let mut i = 0;
        while i < scratch.found.len() {
            let (at, _) = scratch.found[i];
            let at = at as usize;
            let from = line.as_ref().map_or(0, |r| r.end + 1);
            let start = memchr::memrchr(b'\n', &buf[from..at]).map_or(from, |n| from + n + 1);
            let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |n| at + n);
            scratch.hit.clear();
            while let Some(&(at, lit)) = scratch.found.get(i)
                && (at as usize) < end
            {
                for &o in &self.owners[lit as usize] {
                    let (word, bit) = (o as usize / 64, 1u64 << (o % 64));
                    if scratch.seen[word] & bit == 0 {
                        scratch.seen[word] |= bit;
                        scratch.hit.push(o);
                    }
                }
                i += 1;
            }
            for &o in &scratch.hit {
                scratch.seen[o as usize / 64] = 0;
            }
            f(start..end, &scratch.hit);
            line = Some(start..end);
        }
    }

    /// Every occurrence of every literal in `buf`, as `(position, literal)`, by position.
    fn find_all(&self, buf: &[u8], found: &mut Vec<(u32, u32)>) {
        // Six positions per 8-byte load: their trigrams all lie inside it. Their filter bits
        // are gathered without branching; only a set one leads to comparisons.
        let mut at = 0;
        while at + 8 <= buf.len() {
            let w = u64::from_le_bytes(buf[at..at + 8].try_into().expect("8 bytes"));
            let mut candidates = 0u64;
            for k in 0..6 {
                let h = trigram_hash((w >> (8 * k)) as u32 & 0x00ff_ffff);
                candidates |= ((self.filter[h / 64] >> (h % 64)) & 1) << k;
            }
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                self.verify(buf, at + k, found);
            }
            at += 6;
        }
        while at + 3 <= buf.len() {
            self.verify(buf, at, found);
            at += 1;
        }
    }

    /// Record the literals that occur at `at` (which has at least three bytes after it).
    #[inline]
    fn verify(&self, buf: &[u8], at: usize, found: &mut Vec<(u32, u32)>) {
        let head = trigram_at(buf, at);
        let h = trigram_hash(head);
        if (self.filter[h / 64] >> (h % 64)) & 1 == 0 {
            return;
        }
        // The eight bytes after the trigram (zero-padded at the end of the buffer).
        let rest = &buf[at + 3..];
        let mut next = [0u8; 8];
        let n = rest.len().min(8);
        next[..n].copy_from_slice(&rest[..n]);
        let next = u64::from_le_bytes(next);
        for &lit in &self.by_hash[self.starts[h] as usize..self.starts[h + 1] as usize] {
            let t = &self.tails[lit as usize];
            if self.heads[lit as usize] == head
                && t.len <= rest.len()
                && next & t.mask == t.bytes
                && (t.len <= 8 || rest.starts_with(&self.literals[lit as usize][3..]))
            {
                found.push((at as u32, lit));
            }
        }
    }
}

/// A literal's bytes after its first three: the first eight of them as a masked word.
struct Tail {
    bytes: u64,
    mask: u64,
    len: usize,
}

impl Tail {
    fn of(literal: &[u8]) -> Tail {
        let rest = &literal[3..];
        let n = rest.len().min(8);
        let mut bytes = [0u8; 8];
        bytes[..n].copy_from_slice(&rest[..n]);
        Tail {
            bytes: u64::from_le_bytes(bytes),
            mask: if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            },
            len: rest.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(gate: &Gate, buf: &str) -> Vec<(String, Vec<u32>)> {
        let mut s = gate.scratch();
        let mut out = Vec::new();
        gate.for_each_line(buf.as_bytes(), &mut s, |r, o| {
            let mut o = o.to_vec();
            o.sort();
            out.push((buf[r].to_string(), o));
        });
        out
    }

    #[test]
    fn every_line_with_a_literal_and_all_its_owners() {
        let a = vec![b"key".to_vec(), b"KEY".to_vec()];
        let b = vec![b"ey ".to_vec(), b"hey".to_vec()];
        let c = vec![b"AKIA".to_vec(), b"key".to_vec()];
        let gate = Gate::new(&[(0, &a), (1, &b), (2, &c)]).unwrap();
        assert_eq!(
            lines(&gate, "none\nmonkey AKIA\n\nhey\nKEY\nlast key"),
            vec![
                ("monkey AKIA".to_string(), vec![0, 1, 2]),
                ("hey".to_string(), vec![1]),
                ("KEY".to_string(), vec![0]),
                ("last key".to_string(), vec![0, 2]),
            ]
        );
        assert!(lines(&gate, "").is_empty());
        assert_eq!(lines(&gate, "key"), vec![("key".to_string(), vec![0, 2])]);
        assert_eq!(
            lines(&gate, "xkey\n"),
            vec![("xkey".to_string(), vec![0, 2])]
        );
        assert!(Gate::new(&[(0, &[])]).is_none());
    }
}
