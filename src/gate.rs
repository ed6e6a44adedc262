//! The literal gate: one pass over a buffer that finds every occurrence of the matchers'
//! required literals, and so the lines worth a regex and which matchers ("owners") each
//! such line concerns.
//!
//! An automaton walks the buffer one dependent table lookup per byte (about 3 ns a byte on
//! source code, however its states are laid out). This gate instead tests every position
//! independently, which the CPU overlaps (eight at a time with AVX2): the first three bytes
//! there pick a word of a filter by hash, the fourth byte a bit in it, set when some literal
//! starts that way. Only at the few positions whose bit is set are the literals of that word
//! compared in full, as two masked words (so caseless literals cost one entry, not their case
//! variants). Every literal has at least three bytes and no line break. A caller can have each
//! hit confirmed before it counts (the anchors of [`crate::literals::Required`]).
// The AVX2 filter is the crate's one use of `unsafe` (Cargo.toml denies it elsewhere):
// target-feature intrinsics, called only after `is_x86_feature_detected!("avx2")`.
#![allow(unsafe_code)]

use std::ops::Range;

use crate::delta::Inherited;

/// Shortest literal the gate takes.
pub const MIN_LITERAL_LEN: usize = 3;

/// Literals up to this long are found across the seams of an inherited scan by testing the
/// positions up to this far back; longer ones through a literal of their first this many
/// bytes. 16 bytes cover 3,965 of the 4,033 literals of both packs and upstream's AWS
/// patterns, whose longest has 57; windows reaching 56 bytes back tested 203 M positions on
/// cargo's history (701 M on git/git), reaching 15 back 130 M (448 M).
const PREFIX_LEN: usize = 16;

/// Literals, each with the owners it stands for.
pub struct Gate {
    /// One 32-bit word per trigram hash; in it, bit `b & 31` is set when some literal starts
    /// with a trigram of that hash followed by a byte `b` (all bits for three-byte literals).
    filter: Vec<u32>,
    /// By [`slot_hash`] of a position's first four bytes, the literals that may start there
    /// and their fifth bytes (see [`Slot`]), side by side: a position that passes the filter
    /// reads one slot, at random, where two tables cost it two cache misses.
    slots: Vec<Slot>,
    entries: Vec<Entry>,
    /// The three-byte literals, by [`short_hash`] of their bytes: `short[short_starts[h]..
    /// short_starts[h + 1]]`.
    short: Vec<Entry>,
    short_starts: Vec<u32>,
    /// The literals as they are compared (see [`Folded`]).
    literals: Vec<Folded>,
    owners: Vec<Vec<u32>>,
    /// Per literal, when a caller may skip a line of it (see [`Gate::mark_skippable`]):
    /// never (`None`, as all are until marked), or when the scopes of its mask are out.
    skippable: Vec<Option<u64>>,
    owner_count: usize,
    /// How far before an insertion an inherited scan tests positions: one less than the
    /// longest literal, or than [`PREFIX_LEN`] when longer literals have prefix literals.
    reach: usize,
    /// For a literal that is some longer literals' first [`PREFIX_LEN`] bytes, those
    /// literals (see [`Gate::find_inherited`]).
    prefix_of: Vec<Vec<u32>>,
    #[cfg(target_arch = "x86_64")]
    avx2: bool,
}

/// A literal as the verifier compares it: its first sixteen bytes as two masked words (a
/// caseless literal's letters upper-cased, their case bit masked off), then the rest, if any,
/// in full.
#[derive(Clone, Copy)]
struct Entry {
    words: [u64; 2],
    masks: [u64; 2],
    len: u32,
    literal: u32,
}

/// Per-thread scratch space for a [`Gate`].
#[derive(Default)]
pub struct GateScratch {
    seen: Vec<u64>,
    /// The owners with a literal on the current line, as bits and as a list (to clear them).
    present: Vec<u64>,
    present_list: Vec<u32>,
    hit: Vec<u32>,
    found: Vec<(u32, u32)>,
    window: Vec<(u32, u32)>,
}

impl GateScratch {
    /// Every occurrence of a literal in the buffer last gated, as `(position, literal)`,
    /// sorted: what a delta of that buffer inherits.
    pub fn occurrences(&self) -> &[(u32, u32)] {
        &self.found
    }
}

/// The owners with a literal on one line (see [`Gate::for_each_line`]).
pub struct LineOwners<'a> {
    bits: &'a [u64],
}

impl LineOwners<'_> {
    /// Whether `owner` has a literal on the line.
    pub fn contains(&self, owner: u32) -> bool {
        self.bits
            .get(owner as usize / 64)
            .is_some_and(|w| w & (1 << (owner % 64)) != 0)
    }
}

/// What [`Gate::verify`] reads for a position that passes the filter: eight bytes, so that
/// the slots (512 KiB) and the filter (256 KiB) stay in a 1 MiB L2 cache together.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// Bit [`fifth_bit`] of each candidate's fifth byte (all bits for a candidate of four
    /// bytes or fewer): a position whose fifth byte has no bit here skips the candidates.
    /// Literals that start with a common word (`argo` of `argocd`, `buil` of `buildkite`)
    /// made 62 M of the 71 M positions verified on cargo's history fail.
    fifths: u32,
    /// The candidates: `entries[start..]`, up to the next slot's `start`.
    start: u32,
}

/// Bits of the trigram hash: the filter has `1 << HASH_BITS` words (256 KiB; a quarter of
/// that gave 1.7 times the false candidates on cargo's history).
const HASH_BITS: u32 = 16;

/// Sorts `found` by position, then literal, and drops repeats: its first `split` entries and
/// the rest are each in order of position already (as the gate finds them, or takes them
/// from a base), so the literals at one position are sorted and the two parts merged, with
/// `spare` as room. (A general sort of them was 14 % of the instructions of a scan of
/// cargo's history.)
fn order(found: &mut Vec<(u32, u32)>, split: usize, spare: &mut Vec<(u32, u32)>) {
    let (taken, rest) = found.split_at_mut(split);
    for part in [taken, rest] {
        debug_assert!(part.is_sorted_by_key(|&(at, _)| at));
        for same in part.chunk_by_mut(|a, b| a.0 == b.0) {
            if same.len() > 1 {
                same.sort_unstable();
            }
        }
    }
    if split < found.len() && split > 0 {
        spare.clear();
        spare.reserve(found.len());
        let (mut a, mut b) = (0, split);
        while a < split && b < found.len() {
            if found[a] <= found[b] {
                spare.push(found[a]);
                a += 1;
            } else {
                spare.push(found[b]);
                b += 1;
            }
        }
        spare.extend_from_slice(&found[a..split]);
        spare.extend_from_slice(&found[b..]);
        std::mem::swap(found, spare);
    }
    found.dedup();
}

/// The filter word of a position: a hash of its first three bytes with bit 5 of each set, so
/// that every case variant of a literal (which [`Folded`] may match) has the one bit its
/// placement set. (It does not make the filter more selective: cargo's history passes
/// 75 M positions with it, 73 M with each variant placed on its own.)
fn trigram_hash(quad: u32) -> usize {
    ((quad | FOLD) & 0x00ff_ffff).wrapping_mul(0x9e37_79b1) as usize >> (32 - HASH_BITS)
}

/// Bit 5 of every byte: ASCII letters in lower case (other bytes collide, which only the
/// full comparison tells apart).
const FOLD: u32 = 0x2020_2020;

/// Bits of the slot hash: [`Gate::slots`] has `1 << SLOT_BITS` slots (512 KiB).
const SLOT_BITS: u32 = 16;

/// The slot of a position whose first four bytes are `quad`, folded like [`trigram_hash`]:
/// keyed on four bytes, not three, the candidates a position compares are those that start
/// like it (on cargo's history the trigram's bucket had a position compare 8 on average).
fn slot_hash(quad: u32) -> usize {
    (quad | FOLD).wrapping_mul(0x85eb_ca6b) as usize >> (32 - SLOT_BITS)
}

/// Bytes `at..at + 4` as a little-endian word, zero-padded past the end.
#[inline(always)]
fn quad_at(buf: &[u8], at: usize) -> u32 {
    // The common case without a variable-length copy (which compiled to a call to memcpy
    // for every candidate position).
    if let Some(quad) = buf.get(at..at + 4) {
        return u32::from_le_bytes(quad.try_into().expect("4 bytes"));
    }
    let mut b = [0u8; 4];
    let n = buf.len().saturating_sub(at).min(4);
    b[..n].copy_from_slice(&buf[at..at + n]);
    u32::from_le_bytes(b)
}

/// Bits of [`short_hash`]: 4,096 buckets for the few three-byte literals.
const SHORT_BITS: u32 = 12;

/// The short bucket of a position whose first bytes are `quad` (the top of its filter hash).
fn short_hash(quad: u32) -> usize {
    trigram_hash(quad) >> (HASH_BITS - SHORT_BITS)
}

/// Where each of `n` buckets starts in `placed` (sorted by bucket), and one more start: the
/// end of the last.
fn starts_of(placed: &[(usize, u32)], n: usize) -> Vec<u32> {
    let mut starts = vec![0u32; n + 1];
    for &(h, _) in placed {
        starts[h + 1] += 1;
    }
    for h in 0..n {
        starts[h + 1] += starts[h];
    }
    starts
}

/// The bit of [`Slot::fifths`] for a fifth byte: its low five bits (the same for both cases
/// of a letter).
fn fifth_bit(b: u8) -> u32 {
    1 << (b & 31)
}

/// The filter word and bit for the position whose first four bytes are `quad`.
fn filter_slot(quad: u32) -> (usize, u32) {
    (trigram_hash(quad), 1 << ((quad >> 24) & 31))
}

/// A set of literals for [`Gate::new`]: whose they are, and whether they match in any ASCII
/// case (keywords) or exactly.
pub struct LiteralSet<'a> {
    pub owner: u32,
    pub literals: &'a [Vec<u8>],
    pub caseless: bool,
}

impl Gate {
    /// A gate over `sets`; `None` when there is no literal. Literals shorter than
    /// [`MIN_LITERAL_LEN`] or with a line break are the caller's to exclude.
    pub fn new(sets: &[LiteralSet<'_>]) -> Option<Gate> {
        // Literals that differ only in ASCII case are one literal, which folds case where they
        // differ: a caseless pattern's extracted literals are its case variants (140 of
        // `license` fell into one slot), and an owner's check after the gate is what tells
        // them apart.
        let mut index: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut literals: Vec<Folded> = Vec::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut owner_count = 0;
        for set in sets {
            let owner = set.owner;
            owner_count = owner_count.max(owner as usize + 1);
            for l in set.literals {
                debug_assert!(l.len() >= MIN_LITERAL_LEN && !l.contains(&b'\n'));
                let i = *index.entry(l.to_ascii_lowercase()).or_insert_with(|| {
                    literals.push(Folded::exact(l));
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                literals[i].admit(l, set.caseless);
                if !owners[i].contains(&owner) {
                    owners[i].push(owner);
                }
            }
        }
        if literals.is_empty() {
            return None;
        }
        // Each literal longer than PREFIX_LEN bytes gets its first PREFIX_LEN as a literal
        // of its own (with no owner): what an inherited scan needs to find it across the end
        // of a copied run without testing every position that far back.
        let mut prefix_of: Vec<Vec<u32>> = vec![Vec::new(); literals.len()];
        for long in 0..literals.len() {
            if literals[long].bytes.len() <= PREFIX_LEN {
                continue;
            }
            let head = literals[long].head(PREFIX_LEN);
            let i = *index
                .entry(head.bytes.to_ascii_lowercase())
                .or_insert_with(|| {
                    literals.push(head.clone());
                    owners.push(Vec::new());
                    prefix_of.push(Vec::new());
                    literals.len() - 1
                });
            literals[i].widen(&head);
            prefix_of[i].push(long as u32);
        }
        let max_len = literals.iter().map(|l| l.bytes.len()).max().unwrap_or(0);
        let reach = max_len.min(PREFIX_LEN).saturating_sub(1);
        let mut filter = vec![0u32; 1 << HASH_BITS];
        // A literal's filter bit, and where its candidates are filed: a literal of four bytes
        // or more in the slot of its first four, a three-byte one in the short bucket of its
        // trigram. (Filed in the slot of every fourth byte, the 210 three-byte literals of
        // both packs took 47 k slot entries, and a position compared 4 candidates on average.)
        let mut placed: Vec<(usize, u32)> = Vec::new();
        let mut short: Vec<(usize, u32)> = Vec::new();
        for (lit, l) in literals.iter().enumerate() {
            let l = &l.bytes;
            let head = |fourth: u8| u32::from_le_bytes([l[0], l[1], l[2], fourth]);
            match l.get(3) {
                Some(&fourth) => {
                    let (h, bit) = filter_slot(head(fourth));
                    filter[h] |= bit;
                    placed.push((slot_hash(head(fourth)), lit as u32));
                }
                None => {
                    filter[trigram_hash(head(0))] = u32::MAX;
                    short.push((short_hash(head(0)), lit as u32));
                }
            }
        }
        short.sort_unstable();
        let short_starts = starts_of(&short, 1 << SHORT_BITS);
        let short = short
            .iter()
            .map(|&(_, lit)| Entry::of(&literals[lit as usize], lit))
            .collect();
        placed.sort_unstable();
        let starts = starts_of(&placed, 1 << SLOT_BITS);
        let mut slots: Vec<Slot> = starts
            .iter()
            .map(|&start| Slot { fifths: 0, start })
            .collect();
        for &(h, lit) in &placed {
            let l = &literals[lit as usize].bytes;
            slots[h].fifths |= l.get(4).map_or(u32::MAX, |&b| fifth_bit(b));
        }
        let entries = placed
            .iter()
            .map(|&(_, lit)| Entry::of(&literals[lit as usize], lit))
            .collect();
        Some(Gate {
            filter,
            slots,
            entries,
            short,
            short_starts,
            reach,
            prefix_of,
            skippable: vec![None; literals.len()],
            literals,
            owners,
            owner_count,
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
        })
    }

    /// Fresh scratch space.
    pub fn scratch(&self) -> GateScratch {
        GateScratch {
            seen: vec![0; self.owner_count.div_ceil(64)],
            present: vec![0; self.owner_count.div_ceil(64)],
            present_list: Vec::new(),
            hit: Vec::new(),
            found: Vec::new(),
            window: Vec::new(),
        }
    }

    /// Calls `f(line, owners)` for every line of `buf` where a literal occurs that `confirm`
    /// accepts, in order: `line` is the line's range without its `\n`, `owners` the distinct
    /// owners with an accepted literal there. `confirm(owner, at, line, present)` is asked
    /// about an owner's literal at `at` until it accepts one on that line; `present` holds
    /// every owner with a literal on the line, accepted or not (so that a confirmation that
    /// needs another owner's literal there too can refuse without looking at the bytes).
    ///
    /// With `inherited` (what this gate found in the base `buf` is a delta of, and the runs
    /// copied from it), occurrences inside a copied run are taken from the base and only the
    /// rest of `buf` is searched. Either way [`GateScratch::occurrences`] holds every
    /// occurrence in `buf` afterwards.
    pub fn for_each_line(
        &self,
        buf: &[u8],
        scratch: &mut GateScratch,
        inherited: Option<Inherited<'_>>,
        confirm: impl FnMut(u32, usize, &Range<usize>, &LineOwners<'_>) -> bool,
        f: impl FnMut(Range<usize>, &[u32]),
    ) {
        self.for_each_line_skipping(buf, scratch, inherited, |_, _| false, confirm, f);
    }

    /// Marks when a line may leave out each owner: never (`skippable` gives `None`), or when
    /// the caller's scopes in the mask it gives are out (`Some(0)`: whenever the caller asks).
    /// A line whose literals all belong to such owners is left out when
    /// [`Gate::for_each_line_skipping`]'s `skip` agrees, given the union of their masks.
    pub fn mark_skippable(&mut self, skippable: impl Fn(u32) -> Option<u64>) {
        self.skippable = self
            .owners
            .iter()
            .map(|owners| {
                owners
                    .iter()
                    .try_fold(0, |mask, &o| skippable(o).map(|m| mask | m))
            })
            .collect();
    }

    /// [`Gate::for_each_line`], leaving out the lines whose literals all belong to skippable
    /// owners ([`Gate::mark_skippable`]) and for which `skip(line, mask)` holds, `mask` the
    /// union of their owners' masks: no confirmation is asked there and `f` is not called. (A history's blob versions copy most lines whole
    /// from their bases, whose one-line rules' hits they take: on cargo's history the lines
    /// of such literals were most of what the gate handed on.)
    pub fn for_each_line_skipping(
        &self,
        buf: &[u8],
        scratch: &mut GateScratch,
        inherited: Option<Inherited<'_>>,
        mut skip: impl FnMut(&Range<usize>, u64) -> bool,
        mut confirm: impl FnMut(u32, usize, &Range<usize>, &LineOwners<'_>) -> bool,
        mut f: impl FnMut(Range<usize>, &[u32]),
    ) {
        if scratch.seen.len() * 64 < self.owner_count {
            *scratch = self.scratch();
        }
        scratch.found.clear();
        let taken = match inherited {
            Some(inherited) => self.find_inherited(buf, inherited, scratch),
            None => {
                self.find_all(buf, &mut scratch.found);
                scratch.found.len()
            }
        };
        // One order for both ways of finding them (by position, then literal), so that what
        // follows cannot tell them apart.
        order(&mut scratch.found, taken, &mut scratch.window);
        let mut line: Option<Range<usize>> = None;
        let mut i = 0;
        while i < scratch.found.len() {
            let (at, _) = scratch.found[i];
            let at = at as usize;
            let from = line.as_ref().map_or(0, |r| r.end + 1);
            let start = memchr::memrchr(b'\n', &buf[from..at]).map_or(from, |n| from + n + 1);
            let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |n| at + n);
            let range = start..end;
            // A line holds a few occurrences: stepping over them beat a binary search of the
            // rest of the buffer's, whose cache misses were a quarter of this loop's time on
            // cargo's history (16 M occurrences on 8.5 M lines).
            let on_line = i + scratch.found[i..]
                .iter()
                .position(|&(at, _)| at as usize >= end)
                .unwrap_or(scratch.found.len() - i);
            if let Some(mask) = scratch.found[i..on_line]
                .iter()
                .try_fold(0, |mask, &(_, lit)| {
                    self.skippable[lit as usize].map(|m| mask | m)
                })
                && skip(&range, mask)
            {
                i = on_line;
                line = Some(range);
                continue;
            }
            // Every owner with a literal on the line first, then the confirmations.
            scratch.present_list.clear();
            for &(_, lit) in &scratch.found[i..on_line] {
                for &o in &self.owners[lit as usize] {
                    let (word, bit) = (o as usize / 64, 1u64 << (o % 64));
                    if scratch.present[word] & bit == 0 {
                        scratch.present[word] |= bit;
                        scratch.present_list.push(o);
                    }
                }
            }
            let present = LineOwners {
                bits: &scratch.present,
            };
            scratch.hit.clear();
            for &(at, lit) in &scratch.found[i..on_line] {
                for &o in &self.owners[lit as usize] {
                    let (word, bit) = (o as usize / 64, 1u64 << (o % 64));
                    if scratch.seen[word] & bit == 0 && confirm(o, at as usize, &range, &present) {
                        scratch.seen[word] |= bit;
                        scratch.hit.push(o);
                    }
                }
            }
            i = on_line;
            for &o in &scratch.hit {
                scratch.seen[o as usize / 64] = 0;
            }
            for &o in &scratch.present_list {
                scratch.present[o as usize / 64] = 0;
            }
            if !scratch.hit.is_empty() {
                f(range.clone(), &scratch.hit);
            }
            line = Some(range);
        }
    }

    /// Every occurrence in `buf`, which is the base of `inherited` with its copied runs:
    /// those inside a run are the base's, moved; the others overlap an inserted byte or the
    /// seam between two runs. Those that start at most `reach` bytes before an insertion or
    /// seam, or inside an insertion, are found by testing those positions. One that starts
    /// further back is longer than [`PREFIX_LEN`] and its prefix literal lies inside the run:
    /// it is found by comparing the literal where the base's prefix occurrence moved to.
    ///
    /// Returns how many of them, first, were taken from the base; each part is in order of
    /// position.
    fn find_inherited(
        &self,
        buf: &[u8],
        inherited: Inherited<'_>,
        scratch: &mut GateScratch,
    ) -> usize {
        let Inherited {
            occurrences,
            copies,
            ..
        } = inherited;
        let len_of = |lit: u32| self.literals[lit as usize].bytes.len() as u32;
        let found = &mut scratch.found;
        for c in copies {
            let first = occurrences.partition_point(|&(at, _)| at < c.from);
            let (run_end, moved) = (c.to + c.len, |at: u32| c.to + (at - c.from));
            for &(at, lit) in &occurrences[first..] {
                if at >= c.from + c.len {
                    break;
                }
                if at + len_of(lit) > c.from + c.len {
                    continue;
                }
                let to = moved(at);
                found.push((to, lit));
                for &long in &self.prefix_of[lit as usize] {
                    if to + len_of(long) > run_end
                        && self.literals[long as usize].matches_from(0, &buf[to as usize..])
                    {
                        found.push((to, long));
                    }
                }
            }
        }
        // The windows of starting positions, in order, merged where they touch. Only their
        // start reaches back: a position's literal is compared with the bytes that follow it
        // in `buf`, wherever the window ends (on cargo's history, windows that also reached
        // forward tested 241 M positions).
        let taken = found.len();
        let reach = self.reach;
        let mut windows: Vec<Range<usize>> = Vec::new();
        let mut add = |from: usize, to: usize| {
            let from = from.saturating_sub(reach);
            match windows.last_mut() {
                Some(last) if from <= last.end => last.end = last.end.max(to),
                _ => windows.push(from..to),
            }
        };
        let mut covered = 0;
        for c in copies {
            let (start, end) = (c.to as usize, (c.to + c.len) as usize);
            // An insertion before this run, or (`start == covered`) its seam with the run
            // before it.
            if start > 0 {
                add(covered, start);
            }
            covered = end;
        }
        if covered < buf.len() {
            add(covered, buf.len());
        }
        let inside_a_run = |at: u32, lit: u32| {
            let i = copies.partition_point(|c| c.to + c.len <= at);
            copies
                .get(i)
                .is_some_and(|c| c.to <= at && at + len_of(lit) <= c.to + c.len)
        };
        let window_found = &mut scratch.window;
        for w in windows {
            window_found.clear();
            self.find_between(buf, w, window_found);
            for &(at, lit) in window_found.iter() {
                if !inside_a_run(at, lit) {
                    found.push((at, lit));
                }
            }
        }
        taken
    }

    /// Every occurrence of every literal in `buf`, as `(position, literal)`, by position.
    fn find_all(&self, buf: &[u8], found: &mut Vec<(u32, u32)>) {
        self.find_between(buf, 0..buf.len(), found);
    }

    /// Every occurrence in `buf` that starts at a position of `starts`, by position.
    fn find_between(&self, buf: &[u8], starts: Range<usize>, found: &mut Vec<(u32, u32)>) {
        let end = starts.end.min(buf.len());
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: the CPU has AVX2 (checked when the gate was built).
            let done = unsafe { self.find_avx2(buf, starts.start, end, found) };
            return self.find_scalar(buf, done, end, found);
        }
        self.find_scalar(buf, starts.start, end, found)
    }

    /// Tests eight positions at a time: their four-byte windows are shuffled out of one
    /// 16-byte load, hashed with one multiply and their filter words fetched with one gather.
    /// Returns where it stopped (positions within 16 bytes of the buffer's end are the scalar
    /// loop's).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn find_avx2(
        &self,
        buf: &[u8],
        mut at: usize,
        end: usize,
        found: &mut Vec<(u32, u32)>,
    ) -> usize {
        use std::arch::x86_64::*;
        let table = self.filter.as_ptr() as *const i32;
        let windows = _mm256_setr_epi8(
            0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7,
            8, 9, 10,
        );
        let trigram = _mm256_set1_epi32(0x00ff_ffff);
        let fold = _mm256_set1_epi32(FOLD as i32);
        let multiplier = _mm256_set1_epi32(0x9e37_79b1_u32 as i32);
        let low5 = _mm256_set1_epi32(31);
        let test8 = |at: usize| -> u32 {
            // SAFETY: the caller keeps 16 bytes from `at` in bounds; every gathered index is a
            // hash of HASH_BITS bits, inside the filter.
            unsafe {
                let bytes = _mm_loadu_si128(buf.as_ptr().add(at) as *const __m128i);
                let quads = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(bytes), windows);
                let product = _mm256_mullo_epi32(
                    _mm256_and_si256(_mm256_or_si256(quads, fold), trigram),
                    multiplier,
                );
                let hash = _mm256_srli_epi32(product, (32 - HASH_BITS) as i32);
                let words = _mm256_i32gather_epi32(table, hash, 4);
                let bit = _mm256_and_si256(_mm256_srli_epi32(quads, 24), low5);
                let tested = _mm256_slli_epi32(_mm256_srlv_epi32(words, bit), 31);
                _mm256_movemask_ps(_mm256_castsi256_ps(tested)) as u32
            }
        };
        // Four independent gathers per step keep several in flight.
        while at + 40 <= buf.len() && at + 32 <= end {
            let mut candidates =
                test8(at) | test8(at + 8) << 8 | test8(at + 16) << 16 | test8(at + 24) << 24;
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                self.verify(buf, at + k, found);
            }
            at += 32;
        }
        // The rest eight at a time, the last block's positions past `end` masked off: most
        // windows a delta's scan searches around its insertions are shorter than 32
        // positions, and went to the scalar loop whole (5 % of cargo's history's time).
        while at + 16 <= buf.len() && at < end {
            let mut candidates = test8(at);
            if end - at < 8 {
                candidates &= (1 << (end - at)) - 1;
            }
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                self.verify(buf, at + k, found);
            }
            at = (at + 8).min(end);
        }
        at
    }

    /// Tests each position from `at` on.
    fn find_scalar(&self, buf: &[u8], mut at: usize, end: usize, found: &mut Vec<(u32, u32)>) {
        // Five positions per 8-byte load: their four-byte windows all lie inside it.
        while at + 8 <= buf.len() && at + 5 <= end {
            let w = u64::from_le_bytes(buf[at..at + 8].try_into().expect("8 bytes"));
            let mut candidates = 0u32;
            for k in 0..5 {
                let (h, bit) = filter_slot((w >> (8 * k)) as u32);
                candidates |= u32::from(self.filter[h] & bit != 0) << k;
            }
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                self.verify(buf, at + k, found);
            }
            at += 5;
        }
        while at < end && at + MIN_LITERAL_LEN <= buf.len() {
            let (h, bit) = filter_slot(quad_at(buf, at));
            if self.filter[h] & bit != 0 {
                self.verify(buf, at, found);
            }
            at += 1;
        }
    }

    /// Record the literals that occur at `at` (whose filter bit is set).
    #[inline(always)]
    fn verify(&self, buf: &[u8], at: usize, found: &mut Vec<(u32, u32)>) {
        let quad = quad_at(buf, at);
        let h = slot_hash(quad);
        let slot = self.slots[h];
        // A position at the buffer's end has no fifth byte: its candidates are compared.
        let long = buf
            .get(at + 4)
            .is_none_or(|&b| slot.fifths & fifth_bit(b) != 0);
        // Only a trigram of a three-byte literal (or, rarely, one whose literals have every
        // fourth byte) fills its filter word.
        let short = self.filter[trigram_hash(quad)] == u32::MAX;
        if !long && !short {
            return;
        }
        let rest = &buf[at..];
        let words = if rest.len() >= 16 {
            [
                u64::from_le_bytes(rest[..8].try_into().expect("8 bytes")),
                u64::from_le_bytes(rest[8..16].try_into().expect("8 bytes")),
            ]
        } else {
            let mut b = [0u8; 16];
            b[..rest.len()].copy_from_slice(rest);
            [
                u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
                u64::from_le_bytes(b[8..].try_into().expect("8 bytes")),
            ]
        };
        let mut compare = |entries: &[Entry]| {
            for e in entries {
                if self.entry_matches(e, &words, rest) {
                    found.push((at as u32, e.literal));
                }
            }
        };
        if long {
            let end = self.slots[h + 1].start;
            compare(&self.entries[slot.start as usize..end as usize]);
        }
        if short {
            let b = short_hash(quad);
            let (from, to) = (self.short_starts[b], self.short_starts[b + 1]);
            compare(&self.short[from as usize..to as usize]);
        }
    }
}

impl Gate {
    /// Whether `rest` (whose first sixteen bytes, zero-padded, are `words`) starts with `e`.
    #[inline(always)]
    fn entry_matches(&self, e: &Entry, words: &[u64; 2], rest: &[u8]) -> bool {
        words[0] & e.masks[0] == e.words[0]
            && words[1] & e.masks[1] == e.words[1]
            && e.len as usize <= rest.len()
            && (e.len <= 16 || self.literals[e.literal as usize].matches_from(16, &rest[16..]))
    }
}

/// A literal as the gate compares it: its bytes, with the letters it matches in either case
/// upper-cased and their case bit masked off.
#[derive(Clone)]
struct Folded {
    bytes: Vec<u8>,
    masks: Vec<u8>,
}

impl Folded {
    /// This literal's first `n` bytes, folded as they are here.
    fn head(&self, n: usize) -> Folded {
        Folded {
            bytes: self.bytes[..n].to_vec(),
            masks: self.masks[..n].to_vec(),
        }
    }

    /// Widens this literal to match whatever `other` (the same bytes but for ASCII case)
    /// matches too.
    fn widen(&mut self, other: &Folded) {
        for i in 0..self.bytes.len() {
            if other.masks[i] != 0xff || other.bytes[i] != self.bytes[i] {
                self.bytes[i] = self.bytes[i].to_ascii_uppercase();
                self.masks[i] = 0xdf;
            }
        }
    }

    fn exact(literal: &[u8]) -> Folded {
        Folded {
            bytes: literal.to_vec(),
            masks: vec![0xff; literal.len()],
        }
    }

    /// Widens this literal to match `variant` too (the same bytes but for ASCII case), in
    /// any case when `caseless`.
    fn admit(&mut self, variant: &[u8], caseless: bool) {
        for (i, &b) in variant.iter().enumerate() {
            if b.is_ascii_alphabetic() && (caseless || b != self.bytes[i]) {
                self.bytes[i] = b.to_ascii_uppercase();
                self.masks[i] = 0xdf;
            }
        }
    }

    /// Whether `hay` starts with this literal's bytes from its `from`th on.
    fn matches_from(&self, from: usize, hay: &[u8]) -> bool {
        let want = &self.bytes[from..];
        hay.len() >= want.len()
            && want
                .iter()
                .zip(&self.masks[from..])
                .zip(hay)
                .all(|((&w, &m), &h)| h & m == w)
    }
}

impl Entry {
    fn of(literal: &Folded, index: u32) -> Entry {
        let mut words = [0u64; 2];
        let mut masks = [0u64; 2];
        for (i, (&b, &mask)) in literal
            .bytes
            .iter()
            .zip(&literal.masks)
            .take(16)
            .enumerate()
        {
            words[i / 8] |= u64::from(b) << (8 * (i % 8));
            masks[i / 8] |= u64::from(mask) << (8 * (i % 8));
        }
        Entry {
            words,
            masks,
            len: literal.bytes.len() as u32,
            literal: index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::Strategy as _;

    fn lines(gate: &Gate, buf: &str) -> Vec<(String, Vec<u32>)> {
        let mut s = gate.scratch();
        let mut out = Vec::new();
        gate.for_each_line(
            buf.as_bytes(),
            &mut s,
            None,
            |_, _, _, _| true,
            |r, o| {
                let mut o = o.to_vec();
                o.sort();
                out.push((buf[r].to_string(), o));
            },
        );
        out
    }

    fn set(owner: u32, literals: &[Vec<u8>], caseless: bool) -> LiteralSet<'_> {
        LiteralSet {
            owner,
            literals,
            caseless,
        }
    }

    /// A line is left out only when every literal on it belongs to a skippable owner and the
    /// caller asks for it, given the union of their owners' masks; a shared literal with an
    /// owner that is not skippable keeps the line (fails if lines are skipped regardless of
    /// owners or masks, or not skipped at all).
    #[test]
    fn skipped_lines_hold_only_skippable_owners() {
        let a = vec![b"alpha".to_vec()];
        let b = vec![b"beta".to_vec()];
        let c = vec![b"gamma".to_vec()];
        let shared = vec![b"gamma".to_vec()];
        let d = vec![b"delta".to_vec()];
        let mut gate = Gate::new(&[
            set(0, &a, false),
            set(1, &b, false),
            set(2, &c, false),
            set(3, &shared, false),
            set(4, &d, false),
        ])
        .unwrap();
        // Owner 4 may be left out when scope 2 (bit 4) is out.
        gate.mark_skippable(|o| match o {
            0 | 2 => Some(0),
            4 => Some(4),
            _ => None,
        });
        let buf = "x alpha\ny beta\nalpha beta\nz gamma\nalpha\ndelta alpha\n";
        // `in_scope`: the scopes that are in; a line is skipped when none of its mask is.
        let seen = |skip_all: bool, in_scope: u64| {
            let mut s = gate.scratch();
            let mut out = Vec::new();
            let mut masks = Vec::new();
            gate.for_each_line_skipping(
                buf.as_bytes(),
                &mut s,
                None,
                |r, mask| {
                    masks.push((buf[r.clone()].to_string(), mask));
                    skip_all && r.start != 0 && mask & in_scope == 0
                },
                |_, _, _, _| true,
                |r, _| out.push(buf[r].to_string()),
            );
            (out, masks)
        };
        // The first line is not asked to be skipped; "alpha" alone is skippable elsewhere.
        let (out, masks) = seen(true, 0);
        assert_eq!(out, ["x alpha", "y beta", "alpha beta", "z gamma"]);
        // Asked only about lines of skippable owners, with their masks' union.
        assert_eq!(
            masks,
            [
                ("x alpha".to_string(), 0),
                ("alpha".to_string(), 0),
                ("delta alpha".to_string(), 4)
            ]
        );
        let (out, _) = seen(true, 4);
        assert_eq!(
            out,
            ["x alpha", "y beta", "alpha beta", "z gamma", "delta alpha"]
        );
        let (out, _) = seen(false, 0);
        assert_eq!(
            out,
            [
                "x alpha",
                "y beta",
                "alpha beta",
                "z gamma",
                "alpha",
                "delta alpha"
            ]
        );
    }

    #[test]
    fn every_line_with_a_literal_and_all_its_owners() {
        let a = vec![b"key".to_vec(), b"KEY".to_vec()];
        let b = vec![b"ey ".to_vec(), b"hey".to_vec()];
        let c = vec![b"AKIA".to_vec(), b"key".to_vec()];
        let d = vec![b"Secret_Token-0123456789".to_vec()];
        let gate = Gate::new(&[
            set(0, &a, false),
            set(1, &b, false),
            set(2, &c, false),
            set(3, &d, true),
        ])
        .unwrap();
        assert_eq!(
            lines(
                &gate,
                "none\nmonkey AKIA\n\nhey\nKEY\nlast key\nsecret_TOKEN-0123456789!\nsecret_TOKEN-012345678"
            ),
            vec![
                ("monkey AKIA".to_string(), vec![0, 1, 2]),
                ("hey".to_string(), vec![1]),
                // `key` of owner 2 and `KEY` of owner 0 are one literal: owner 2 is asked
                // about a line where its own exact literal is not (its check rejects it).
                ("KEY".to_string(), vec![0, 2]),
                ("last key".to_string(), vec![0, 2]),
                ("secret_TOKEN-0123456789!".to_string(), vec![3]),
            ]
        );
        assert!(lines(&gate, "").is_empty());
        assert_eq!(lines(&gate, "key"), vec![("key".to_string(), vec![0, 2])]);
        assert_eq!(
            lines(&gate, "xkey\n"),
            vec![("xkey".to_string(), vec![0, 2])]
        );
        // Only letters fold: `_` and `-` are not `\x7f` and `\r`.
        assert!(lines(&gate, "secret\x7fTOKEN\r0123456789").is_empty());
        assert!(Gate::new(&[set(0, &[], false)]).is_none());
    }

    #[test]
    fn an_owner_counts_on_a_line_once_confirm_accepts_one_of_its_hits() {
        let a = vec![b"key".to_vec()];
        let gate = Gate::new(&[set(0, &a, false)]).unwrap();
        let buf = "key key\nkey x\nno";
        let mut asked = Vec::new();
        let mut out = Vec::new();
        gate.for_each_line(
            buf.as_bytes(),
            &mut gate.scratch(),
            None,
            |o, at, line, _| {
                asked.push((o, at, line.clone()));
                at == 4
            },
            |line, owners| out.push((line, owners.to_vec())),
        );
        assert_eq!(asked, vec![(0, 0, 0..7), (0, 4, 0..7), (0, 8, 8..13)]);
        assert_eq!(out, vec![(0..7, vec![0])]);
    }

    #[test]
    fn confirm_sees_every_owner_of_the_line_even_those_after_the_hit() {
        // Owner 0's literal comes first on the line, owner 1's after it: confirming owner 0
        // already knows owner 1 is there; the next line has neither, the last only owner 0.
        let (a, b) = (vec![b"token".to_vec()], vec![b"acme".to_vec()]);
        let gate = Gate::new(&[set(0, &a, false), set(1, &b, true)]).unwrap();
        let buf = "token = ACME\nnothing\ntoken";
        let mut out = Vec::new();
        gate.for_each_line(
            buf.as_bytes(),
            &mut gate.scratch(),
            None,
            |o, _, _, present| o == 1 || present.contains(1),
            |line, owners| out.push((buf[line].to_string(), owners.to_vec())),
        );
        assert_eq!(out, vec![("token = ACME".to_string(), vec![0, 1])]);
    }

    /// Every occurrence of the gate's literals, as it compares them, by brute force.
    fn naive(gate: &Gate, buf: &[u8]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for at in 0..buf.len() {
            for (i, l) in gate.literals.iter().enumerate() {
                if l.matches_from(0, &buf[at..]) {
                    out.push((at as u32, i as u32));
                }
            }
        }
        out
    }

    /// Every occurrence of the literals of `sets`, as `(position, owner)`, by brute force.
    fn occurrences(sets: &[LiteralSet<'_>], buf: &[u8]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for at in 0..buf.len() {
            for set in sets {
                for l in set.literals {
                    let hay = &buf[at..];
                    let hit = hay.len() >= l.len()
                        && if set.caseless {
                            hay[..l.len()].eq_ignore_ascii_case(l)
                        } else {
                            hay.starts_with(l)
                        };
                    if hit {
                        out.push((at as u32, set.owner));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn case_variants_are_one_literal_that_folds_where_they_differ() {
        let a = vec![
            b"LICENSE".to_vec(),
            b"LICEnSE".to_vec(),
            b"LiCENSE".to_vec(),
        ];
        let b = vec![b"license".to_vec()];
        let sets = [set(0, &a, false), set(1, &b, false)];
        let gate = Gate::new(&sets).unwrap();
        assert_eq!(gate.literals.len(), 1);
        assert_eq!(gate.owners[0], vec![0, 1]);
        // Folds at `i` and `n` (where the variants differ) and, for `license`, everywhere.
        assert_eq!(
            lines(&gate, "x LiCEnSE\nlicense\nLICENCE"),
            vec![
                ("x LiCEnSE".to_string(), vec![0, 1]),
                ("license".to_string(), vec![0, 1]),
            ]
        );
        let exact = [set(0, &a, false)];
        let gate = Gate::new(&exact).unwrap();
        assert_eq!(
            lines(&gate, "license\nLiCEnSE\nLICENSe"),
            vec![("LiCEnSE".to_string(), vec![0])]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// The vector and scalar scans find exactly the literals' occurrences, exact and
        /// caseless, wherever they fall relative to the 8- and 32-byte steps and the end.
        #[test]
        fn finds_exactly_every_occurrence(
            literals in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(b"abAB_k-e\x00y\x7f".to_vec()), 3..20),
                2..12,
            ),
            noise in proptest::collection::vec(proptest::sample::select(b"abAB_k-e\x00y \n\x7f".to_vec()), 0..300),
            planted in proptest::collection::vec((0usize..300, 0usize..12, proptest::bool::ANY), 0..8),
        ) {
            let mut literals = literals;
            literals.sort();
            literals.dedup();
            let half = literals.len() / 2;
            let mut buf = noise;
            for (at, which, flip) in planted {
                let mut l = literals[which % literals.len()].clone();
                if flip {
                    l.iter_mut().for_each(|b| if b.is_ascii_alphabetic() { *b ^= 0x20 });
                }
                let at = at.min(buf.len());
                buf.splice(at..at, l);
            }
            let sets = [
                set(0, &literals[..half], false),
                set(1, &literals[half..], true),
            ];
            let gate = Gate::new(&sets).unwrap();
            // Every occurrence of a given literal is found, for each of its owners.
            let mut found = Vec::new();
            gate.find_all(&buf, &mut found);
            for (at, owner) in occurrences(&sets, &buf) {
                proptest::prop_assert!(found
                    .iter()
                    .any(|&(a, lit)| a == at && gate.owners[lit as usize].contains(&owner)));
            }
            let mut expected = naive(&gate, &buf);
            expected.sort();
            let mut fast = Vec::new();
            gate.find_all(&buf, &mut fast);
            let mut scalar = Vec::new();
            gate.find_scalar(&buf, 0, buf.len(), &mut scalar);
            fast.sort();
            scalar.sort();
            proptest::prop_assert_eq!(&fast, &expected);
            proptest::prop_assert_eq!(&scalar, &expected);
            // Starting positions limited to a range: those, with whatever follows them.
            let starts = buf.len() / 3..buf.len() * 2 / 3 + 1;
            let mut between = Vec::new();
            gate.find_between(&buf, starts.clone(), &mut between);
            between.sort();
            expected.retain(|&(at, _)| starts.contains(&(at as usize)));
            proptest::prop_assert_eq!(&between, &expected);
        }

        /// A delta's occurrences taken from its base and searched around what the delta
        /// inserts are exactly those a whole search of it finds, wherever runs are cut,
        /// however short, and at the buffers' ends.
        #[test]
        fn a_delta_inherits_exactly_its_occurrences(
            literals in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(b"abB".to_vec()), 3..7),
                1..6,
            ),
            base in proptest::collection::vec(proptest::sample::select(b"abB\n".to_vec()), 0..200),
            ops in proptest::collection::vec(
                proptest::prop_oneof![
                    (0usize..200, 1usize..12).prop_map(|(at, n)| (true, at, n, Vec::new())),
                    proptest::collection::vec(proptest::sample::select(b"abB\n".to_vec()), 1..20)
                        .prop_map(|bytes| (false, 0, 0, bytes)),
                ],
                0..12,
            ),
        ) {
            let mut literals = literals;
            literals.sort();
            literals.dedup();
            let sets = [set(0, &literals, false)];
            let gate = Gate::new(&sets).unwrap();
            // The delta: copies clipped to the base, inserts as they are.
            let mut body = Vec::new();
            let mut result_len = 0;
            for (copy, at, n, bytes) in ops {
                if copy {
                    if base.is_empty() {
                        continue;
                    }
                    let at = at % base.len();
                    let n = n.min(base.len() - at);
                    body.push(0x80 | 0x0f | 0x70);
                    body.extend((at as u32).to_le_bytes());
                    body.extend(&(n as u32).to_le_bytes()[..3]);
                    result_len += n;
                } else {
                    body.push(bytes.len() as u8);
                    body.extend(&bytes);
                    result_len += bytes.len();
                }
            }
            let mut delta = Vec::new();
            for mut n in [base.len(), result_len] {
                loop {
                    let b = (n & 0x7f) as u8;
                    n >>= 7;
                    if n == 0 {
                        delta.push(b);
                        break;
                    }
                    delta.push(b | 0x80);
                }
            }
            delta.extend(body);
            let (mut result, mut copies) = (Vec::new(), Vec::new());
            crate::delta::apply(&base, &delta, &mut result, &mut copies).unwrap();
            let mut s = gate.scratch();
            gate.for_each_line(&base, &mut s, None, |_, _, _, _| true, |_, _| {});
            let inherited = s.occurrences().to_vec();
            let mut lines_inherited = Vec::new();
            gate.for_each_line(
                &result,
                &mut s,
                Some(Inherited { occurrences: &inherited, hits: &[], copies: &copies }),
                |_, _, _, _| true,
                |r, o| lines_inherited.push((r, o.to_vec())),
            );
            let mut expected = naive(&gate, &result);
            expected.sort();
            proptest::prop_assert_eq!(s.occurrences(), &expected[..]);
            let mut lines_whole = Vec::new();
            gate.for_each_line(&result, &mut s, None, |_, _, _, _| true, |r, o| {
                lines_whole.push((r, o.to_vec()))
            });
            proptest::prop_assert_eq!(lines_inherited, lines_whole);
        }

        /// The same for literals longer than PREFIX_LEN, planted in the base and cut by the
        /// delta's runs and insertions anywhere: those that start far before a seam are found
        /// through their prefix literal (a literal that is the prefix of two shares it).
        #[test]
        fn a_delta_inherits_the_long_literals_across_its_seams(
            tails in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(b"abB".to_vec()), 1..12),
                1..4,
            ),
            noise in proptest::collection::vec(proptest::sample::select(b"ab \n".to_vec()), 0..120),
            planted in proptest::collection::vec((0usize..120, 0usize..4), 1..6),
            ops in proptest::collection::vec((0u8..3, 0usize..400, 1usize..40, 0usize..40), 1..10),
        ) {
            // Long literals sharing a 16-byte head, and one short literal.
            let head = b"key-ABCDEFGHIJKL".to_vec();
            let mut literals: Vec<Vec<u8>> = tails
                .iter()
                .map(|t| [head.clone(), t.clone()].concat())
                .collect();
            literals.sort();
            literals.dedup();
            let short = vec![b"bab".to_vec()];
            let sets = [set(0, &literals, true), set(1, &short, false)];
            let gate = Gate::new(&sets).unwrap();
            let mut base = noise;
            for (at, which) in planted {
                let l = literals[which % literals.len()].clone();
                let at = at.min(base.len());
                base.splice(at..at, l);
            }
            // Copies of the base (any cut), or insertions of a piece of a literal.
            let mut body = Vec::new();
            let mut result_len = 0;
            for (kind, at, n, cut) in ops {
                if kind < 2 {
                    let at = at % base.len();
                    let n = n.min(base.len() - at);
                    // Kind 1 copies the run's end as an insertion instead: a seam anywhere
                    // inside a literal, which continues as it did.
                    let copied = if kind == 1 { cut.min(n).max(1) } else { n };
                    body.push(0x80 | 0x0f | 0x70);
                    body.extend((at as u32).to_le_bytes());
                    body.extend(&(copied as u32).to_le_bytes()[..3]);
                    if copied < n {
                        body.push((n - copied) as u8);
                        body.extend(&base[at + copied..at + n]);
                    }
                    result_len += n;
                } else {
                    let l = &literals[at % literals.len()];
                    let piece = &l[(at / 7) % l.len()..][..n.min(l.len() - (at / 7) % l.len())];
                    body.push(piece.len() as u8);
                    body.extend(piece);
                    result_len += piece.len();
                }
            }
            let mut delta = Vec::new();
            for mut n in [base.len(), result_len] {
                loop {
                    let b = (n & 0x7f) as u8;
                    n >>= 7;
                    if n == 0 {
                        delta.push(b);
                        break;
                    }
                    delta.push(b | 0x80);
                }
            }
            delta.extend(body);
            let (mut result, mut copies) = (Vec::new(), Vec::new());
            crate::delta::apply(&base, &delta, &mut result, &mut copies).unwrap();
            let mut s = gate.scratch();
            gate.for_each_line(&base, &mut s, None, |_, _, _, _| true, |_, _| {});
            let inherited = s.occurrences().to_vec();
            gate.for_each_line(
                &result,
                &mut s,
                Some(Inherited { occurrences: &inherited, hits: &[], copies: &copies }),
                |_, _, _, _| true,
                |_, _| {},
            );
            let mut expected = naive(&gate, &result);
            expected.sort();
            proptest::prop_assert_eq!(s.occurrences(), &expected[..]);
        }
    }
}
