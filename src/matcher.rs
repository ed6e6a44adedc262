//! The matching engine: which lines of a buffer match a set of prohibited patterns.
//!
//! Upstream never matches itself: it hands the patterns to GNU `grep -nwE` (file mode) or
//! `git grep -nwE` (git mode, hooks, history), in the C locale. Both compile the patterns into
//! one POSIX union regex (leftmost-longest), and both implement `-w` differently:
//!
//! * GNU grep: when the longest match at a start fails the word-boundary test, it retries
//!   *shorter* matches at the same start, then later starts;
//! * git grep: when the first match fails, it skips to the next word start and never accepts an
//!   empty match.
//!
//! To give the same answers natively we search the whole buffer once with the regex crate (fast,
//! leftmost-first) to find candidate lines, then replay the exact `-w` algorithm of the engine
//! on each candidate line, using a DFA in "all matches" mode to get POSIX's longest match.

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Anchored, Input, MatchKind};

use crate::ere;

/// Which grep's `-w` semantics to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordMode {
    /// GNU grep (file mode, stdin, commit messages).
    GnuGrep,
    /// git grep (git mode, pre-commit, history).
    GitGrep,
}

/// Where a pattern came from, so an error can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternOrigin {
    /// A `secrets.patterns` config value.
    Config,
    /// The output of a `secrets.providers` command.
    Provider(String),
}

impl std::fmt::Display for PatternOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternOrigin::Config => f.write_str("secrets.patterns"),
            PatternOrigin::Provider(cmd) => write!(f, "secrets.providers ({cmd})"),
        }
    }
}

/// One prohibited pattern (a POSIX ERE as raw bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub ere: Vec<u8>,
    pub origin: PatternOrigin,
}

/// A pattern set that failed to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The offending pattern.
    pub pattern: Vec<u8>,
    /// Where it came from.
    pub origin: PatternOrigin,
    /// glibc-style message (`Unmatched [, [^, [:, [., or [=`) or our own.
    pub message: String,
    /// Whether grep and git grep refuse it too (their words), or only we do (ours).
    pub refusal: ere::Refusal,
}

/// A compiled union of patterns.
pub struct Matcher {
    mode: WordMode,
    /// The union as a regex (kept for literal extraction).
    union: String,
    /// Leftmost-first search over whole buffers and lines: finds candidate starts.
    finder: Regex,
    /// Anchored longest-match DFA (POSIX leftmost-longest from a given start), built on the
    /// first line the finder matches: its NFA was 1.3 M of the 5.3 M instructions of
    /// compiling upstream's five AWS patterns, which every hook paid, and most commits match
    /// none of them. `None` if it could not be built (see [`Matcher::word_match`]).
    longest: std::sync::OnceLock<Option<DFA>>,
}

/// Per-thread scratch space for a [`Matcher`].
pub struct Scratch {
    /// The longest-match DFA's cache, made with the DFA.
    cache: Option<Cache>,
    /// The passes over the current line ([`Matcher::word_match`]).
    runs: Runs,
}

impl Matcher {
    /// Compile `patterns` (empty ones are expected to be filtered by the caller as the mode
    /// requires). Returns `Ok(None)` when there is nothing to match.
    pub fn new(patterns: &[Pattern], mode: WordMode) -> Result<Option<Matcher>, CompileError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let mut union = String::new();
        for p in patterns {
            let translated = ere::translate(&p.ere).map_err(|e| CompileError {
                pattern: p.ere.clone(),
                origin: p.origin.clone(),
                message: e.message,
                refusal: e.refusal,
            })?;
            if !union.is_empty() {
                union.push('|');
            }
            union.push_str("(?:");
            union.push_str(&translated);
            union.push(')');
        }
        let too_big = |message: String| CompileError {
            pattern: patterns
                .iter()
                .map(|p| p.ere.clone())
                .collect::<Vec<_>>()
                .join(&b'|'),
            origin: patterns[0].origin.clone(),
            message,
            refusal: ere::Refusal::Ours,
        };
        let finder = RegexBuilder::new(&union)
            .unicode(false)
            .multi_line(true)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| too_big(format!("pattern too large or invalid: {e}")))?;
        Ok(Some(Matcher {
            mode,
            union,
            finder,
            longest: std::sync::OnceLock::new(),
        }))
    }

    /// The longest-match DFA. The finder compiled the same union under the same NFA size
    /// limit, so this cannot fail in practice.
    fn longest(&self) -> Option<&DFA> {
        self.longest
            .get_or_init(|| Self::build_longest(&self.union))
            .as_ref()
    }

    fn build_longest(union: &str) -> Option<DFA> {
        DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(8 << 20)
                    .skip_cache_capacity_check(true)
                    .minimum_cache_clear_count(None),
            )
            .syntax(
                regex_automata::util::syntax::Config::new()
                    .unicode(false)
                    .utf8(false)
                    .multi_line(true),
            )
            .thompson(
                regex_automata::nfa::thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(256 << 20)),
            )
            .build(union)
            .ok()
    }

    /// Fresh scratch space for one thread.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            cache: None,
            runs: Runs::default(),
        }
    }

    /// Calls `found(line_number, line, span)` (1-based line number, the line without its
    /// `\n`, the accepted match within the line) for every line of `buf` that matches under
    /// this matcher's `-w` semantics, in order.
    pub fn for_each_matching_line(
        &self,
        buf: &[u8],
        scratch: &mut Scratch,
        mut found: impl FnMut(usize, &[u8], std::ops::Range<usize>),
    ) {
        self.for_each_line(buf, scratch, |_| {}, |n, line, span| found(n, line, span));
    }

    /// One pass over `buf` for history scans: `pickaxe(line)` for every line that matches
    /// without `-w` (git log -G's test), and `found(line_number, line, span)` for every line
    /// that matches with the engine's `-w`.
    pub fn for_each_line(
        &self,
        buf: &[u8],
        scratch: &mut Scratch,
        mut pickaxe: impl FnMut(&[u8]),
        mut found: impl FnMut(usize, &[u8], std::ops::Range<usize>),
    ) {
        let mut pos = 0;
        let mut line_numbers = LineNumbers::default();
        while pos <= buf.len() {
            let Some(m) = self.finder.find_at(buf, pos) else {
                break;
            };
            let line_start = memchr::memrchr(b'\n', &buf[..m.start()]).map_or(0, |i| i + 1);
            let line_end =
                memchr::memchr(b'\n', &buf[m.start()..]).map_or(buf.len(), |i| m.start() + i);
            if line_start == buf.len() {
                // An empty match after the final newline is not a line.
                break;
            }
            let line = &buf[line_start..line_end];
            if let Some(span) =
                self.line_matches(line, m.start() - line_start, scratch, &mut pickaxe)
            {
                found(line_numbers.at(buf, line_start), line, span);
            }
            pos = line_end + 1;
        }
    }

    /// Literals one of which every match contains (see [`crate::literals`]), or `None`.
    pub fn required_literals(&self) -> Option<crate::literals::Required> {
        crate::literals::required_literals(&self.union)
    }

    /// [`Matcher::for_each_line`] restricted to `lines` (ranges of whole lines without their
    /// `\n`, ascending): the lines that hold one of [`Matcher::required_literals`], the only
    /// ones that can match.
    pub fn for_lines(
        &self,
        buf: &[u8],
        lines: &[std::ops::Range<usize>],
        scratch: &mut Scratch,
        mut pickaxe: impl FnMut(&[u8]),
        mut found: impl FnMut(usize, &[u8], std::ops::Range<usize>),
    ) {
        let mut line_numbers = LineNumbers::default();
        for range in lines {
            let line = &buf[range.clone()];
            let Some(first) = self.leftmost_from(line, 0) else {
                continue;
            };
            if let Some(span) = self.line_matches(line, first, scratch, &mut pickaxe) {
                found(line_numbers.at(buf, range.start), line, span);
            }
        }
    }

    /// Whether `line` matches; `first_start` is the leftmost match start already known.
    fn line_matches(
        &self,
        line: &[u8],
        first_start: usize,
        scratch: &mut Scratch,
        pickaxe: &mut impl FnMut(&[u8]),
    ) -> Option<std::ops::Range<usize>> {
        // The buffer-wide hit may span lines; restart from the leftmost hit within the line.
        let first_start = self.leftmost_from(line, first_start)?;
        pickaxe(line);
        self.word_match(line, first_start, scratch)
    }

    /// Longest match of the union anchored at `start`, ending at or before `limit` (the
    /// references the word matching is tested against search this way).
    #[cfg(test)]
    fn longest_at(
        &self,
        line: &[u8],
        start: usize,
        limit: usize,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let input = Input::new(line).range(start..limit).anchored(Anchored::Yes);
        let dfa = self.longest()?;
        let cache = scratch.cache.get_or_insert_with(|| dfa.create_cache());
        match dfa.try_search_fwd(cache, &input) {
            Ok(m) => m.map(|hm| hm.offset()),
            // The DFA is configured never to give up; a quit byte cannot occur without
            // Unicode word boundaries. Treat an error as "no match at this start".
            Err(_) => None,
        }
    }

    fn leftmost_from(&self, line: &[u8], from: usize) -> Option<usize> {
        if from > line.len() {
            return None;
        }
        self.finder.find_at(line, from).map(|m| m.start())
    }

    /// GNU grep's `-w` (dfasearch.c) and git grep's (grep.c) over one line, from the leftmost
    /// match start `first_start`.
    ///
    /// Both try match starts left to right. At a start, grep takes the longest match and, when
    /// it is not word-bounded, shrinks it a byte at a time (a new search each) to the longest
    /// shorter one that is; git takes the longest only. Then both move on to a later start: a
    /// new search each. Done that way, a long line is quadratic or worse (a 1 MB line with
    /// upstream's Bedrock pattern took minutes, 80 KB of `ABSK+` over 100 s in git's mode).
    ///
    /// Here one forward pass of the lazy DFA per start ([`Matcher::run`]) gives both the
    /// longest end and the longest end followed by a non-word byte; a pass that reaches the
    /// same DFA state at the same position as an earlier one stops there and takes that one's
    /// answer (the rest would be the same), so overlapping tries share their work; and a start
    /// after a word byte, which can never be word-bounded, is skipped without a pass.
    fn word_match(
        &self,
        line: &[u8],
        first_start: usize,
        scratch: &mut Scratch,
    ) -> Option<std::ops::Range<usize>> {
        let Some(dfa) = self.longest() else {
            // Unreachable in practice (see `longest`): the finder's leftmost-first match
            // stands in, which reports the line rather than pass it.
            return self.finder.find_at(line, first_start).map(|m| m.range());
        };
        let cache = scratch.cache.get_or_insert_with(|| dfa.create_cache());
        let runs = &mut scratch.runs;
        runs.begin_line(line.len(), cache.clear_count());
        let last_start = match self.mode {
            // grep tries an empty match at the end of the line; git stops before it.
            WordMode::GnuGrep => line.len(),
            WordMode::GitGrep => line.len().saturating_sub(1),
        };
        let mut s = first_start;
        loop {
            if s > last_start {
                return None;
            }
            let left_ok = s == 0 || !is_word(line[s - 1]);
            if left_ok && let Some(ends) = self.run(line, s, dfa, cache, runs) {
                let accepted = match self.mode {
                    WordMode::GnuGrep if right_ok(line, ends.longest) => Some(ends.longest),
                    WordMode::GnuGrep => {
                        ends.longest_bounded.filter(|&b| b > s && b < ends.longest)
                    }
                    WordMode::GitGrep => Some(ends.longest).filter(|&e| e > s && right_ok(line, e)),
                };
                if let Some(end) = accepted {
                    return Some(s..end);
                }
            }
            // The next start that can be word-bounded on the left: every later start in the
            // same word fails at once (git skips to the next word start for the same reason).
            s = next_non_word_start(line, s + 1);
        }
    }

    /// The match ends of the union anchored at `start`: `None` when no match starts there.
    /// Records the pass in `runs` and stops early where it meets an earlier pass.
    fn run(
        &self,
        line: &[u8],
        start: usize,
        dfa: &DFA,
        cache: &mut Cache,
        runs: &mut Runs,
    ) -> Option<Ends> {
        let input = Input::new(line).range(start..).anchored(Anchored::Yes);
        let mut state = dfa.start_state_forward(cache, &input).ok()?;
        let id = runs.new_run();
        let mut longest: Option<usize> = None;
        let mut longest_bounded: Option<usize> = None;
        let mut i = start;
        // A DFA reports a match one byte late: entering a match state on the byte at `i`
        // means a match ends at `i`.
        let finished = loop {
            if let Some(earlier) = runs.met(i, state, cache.clear_count()) {
                // Same state at the same place: the same matches from here on.
                if earlier.longest.is_some_and(|e| e >= i) {
                    longest = earlier.longest;
                }
                if earlier.longest_bounded.is_some_and(|e| e >= i) {
                    longest_bounded = earlier.longest_bounded;
                }
                break true;
            }
            runs.record(i, state, id);
            let Some(&b) = line.get(i) else {
                break false;
            };
            state = match dfa.next_state(cache, state, b) {
                Ok(next) => next,
                Err(_) => break true,
            };
            if state.is_match() {
                longest = Some(i);
                if right_ok(line, i) {
                    longest_bounded = Some(i);
                }
            }
            if state.is_dead() || state.is_quit() {
                break true;
            }
            i += 1;
        };
        if !finished
            && let Ok(eoi) = dfa.next_eoi_state(cache, state)
            && eoi.is_match()
        {
            longest = Some(line.len());
            longest_bounded = Some(line.len());
        }
        let ends = longest.map(|longest| Ends {
            longest,
            longest_bounded,
        });
        runs.finish(id, longest, longest_bounded);
        ends
    }
}

/// The ends of the matches at one start.
#[derive(Debug, Clone, Copy)]
struct Ends {
    /// The longest match's end.
    longest: usize,
    /// The longest match's end that no word byte follows.
    longest_bounded: Option<usize>,
}

/// The passes made over one line ([`Matcher::run`]): for each position, the DFA state the last
/// pass there was in, and for each pass, its answers. Reused across lines (a generation number
/// tells this line's entries from older ones), so a line costs no allocation once the
/// buffers are as long as the longest line.
#[derive(Default)]
pub(crate) struct Runs {
    /// Per position: (generation, state, pass).
    at: Vec<(u32, regex_automata::hybrid::LazyStateID, u32)>,
    /// Per pass of this line: (longest end, longest bounded end).
    passes: Vec<(Option<usize>, Option<usize>)>,
    generation: u32,
    /// The lazy DFA's cache clear count when the line began: a clear renumbers states, so
    /// states recorded before it cannot be compared with states after it.
    clears: usize,
}

/// An earlier pass's answers.
struct Earlier {
    longest: Option<usize>,
    longest_bounded: Option<usize>,
}

impl Runs {
    fn begin_line(&mut self, len: usize, clears: usize) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Wrapped: entries of old lines could look current.
            self.at.clear();
            self.generation = 1;
        }
        if self.at.len() < len + 1 {
            self.at.resize(len + 1, (0, Default::default(), 0));
        }
        self.passes.clear();
        self.clears = clears;
    }

    fn new_run(&mut self) -> u32 {
        self.passes.push((None, None));
        (self.passes.len() - 1) as u32
    }

    /// The finished earlier pass that was in `state` at `pos`, if any.
    fn met(
        &mut self,
        pos: usize,
        state: regex_automata::hybrid::LazyStateID,
        clears: usize,
    ) -> Option<Earlier> {
        if clears != self.clears {
            // States were renumbered: forget this line's passes.
            self.generation = self.generation.wrapping_add(1).max(1);
            self.clears = clears;
            return None;
        }
        let (generation, seen, pass) = *self.at.get(pos)?;
        if generation != self.generation || seen != state {
            return None;
        }
        let &(longest, longest_bounded) = self.passes.get(pass as usize)?;
        // The pass in progress also records positions; it never meets itself at an earlier
        // position, but its own entries are not finished answers.
        if pass as usize == self.passes.len() - 1 {
            return None;
        }
        Some(Earlier {
            longest,
            longest_bounded,
        })
    }

    fn record(&mut self, pos: usize, state: regex_automata::hybrid::LazyStateID, pass: u32) {
        if let Some(slot) = self.at.get_mut(pos) {
            *slot = (self.generation, state, pass);
        }
    }

    fn finish(&mut self, pass: u32, longest: Option<usize>, longest_bounded: Option<usize>) {
        if let Some(p) = self.passes.get_mut(pass as usize) {
            *p = (longest, longest_bounded);
        }
    }
}

/// No word byte at `end` (or `end` is the end of the line).
fn right_ok(line: &[u8], end: usize) -> bool {
    line.get(end).is_none_or(|&b| !is_word(b))
}

/// 1-based line numbers of ascending offsets in one buffer, counting each line break once.
#[derive(Default)]
pub(crate) struct LineNumbers {
    /// Line breaks before `counted_to`.
    breaks: usize,
    counted_to: usize,
}

impl LineNumbers {
    /// The number of the line holding `offset` (not below any earlier offset asked).
    pub(crate) fn at(&mut self, buf: &[u8], offset: usize) -> usize {
        self.breaks += memchr::memchr_iter(b'\n', &buf[self.counted_to..offset]).count();
        self.counted_to = offset;
        self.breaks + 1
    }
}

/// A word byte in the C locale.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The first position at or after `from` that does not follow a word byte (a match starting
/// there can be word-bounded on the left), or `line.len() + 1` when there is none.
fn next_non_word_start(line: &[u8], from: usize) -> usize {
    if from > line.len() {
        return line.len() + 1;
    }
    line[from - 1..]
        .iter()
        .position(|&b| !is_word(b))
        .map_or(line.len() + 1, |i| from + i)
}

/// No word byte touches either end of `line[start..end]`.
#[cfg(test)]
fn bounded(line: &[u8], start: usize, end: usize) -> bool {
    (start == 0 || !is_word(line[start - 1])) && line.get(end).is_none_or(|&b| !is_word(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(pats: &[&str], mode: WordMode) -> Matcher {
        let pats: Vec<Pattern> = pats
            .iter()
            .map(|p| Pattern {
                ere: p.as_bytes().to_vec(),
                origin: PatternOrigin::Config,
            })
            .collect();
        Matcher::new(&pats, mode).unwrap().unwrap()
    }

    /// Who refuses decides whose words the error is in ([`crate::engine`]): set where the
    /// error is made, not read back out of its text.
    #[test]
    fn compile_errors_say_who_refuses() {
        let refusal = |p: &str| {
            let pats = [Pattern {
                ere: p.as_bytes().to_vec(),
                origin: PatternOrigin::Config,
            }];
            Matcher::new(&pats, WordMode::GitGrep)
                .err()
                .map(|e| e.refusal)
        };
        assert_eq!(refusal("a[b"), Some(ere::Refusal::Glibc));
        assert_eq!(refusal("x{2,1}"), Some(ere::Refusal::Glibc));
        assert_eq!(refusal("(ab)\\1"), Some(ere::Refusal::Ours));
        assert_eq!(refusal("ab"), None);
    }

    fn lines(m: &Matcher, buf: &str) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut s = m.scratch();
        m.for_each_matching_line(buf.as_bytes(), &mut s, |n, l, _| {
            out.push((n, String::from_utf8_lossy(l).into_owned()))
        });
        out
    }

    #[test]
    fn word_boundaries_like_the_bats_suite() {
        for mode in [WordMode::GnuGrep, WordMode::GitGrep] {
            let m = matcher(&["forbidden|me", "@todo", "#hash"], mode);
            assert_eq!(
                lines(&m, "mesa\nfoo.me\n\"me\"\nx@todo\n@todo x\nok\n"),
                vec![
                    (2, "foo.me".to_string()),
                    (3, "\"me\"".to_string()),
                    (5, "@todo x".to_string())
                ]
            );
        }
    }

    #[test]
    fn gnu_shrinks_git_skips() {
        let gnu = matcher(&["ab[a-z.]*"], WordMode::GnuGrep);
        let git = matcher(&["ab[a-z.]*"], WordMode::GitGrep);
        assert_eq!(lines(&gnu, "ab.cd_\n").len(), 1);
        assert!(lines(&git, "ab.cd_\n").is_empty());
        let gnu = matcher(&["key=[a-z.]*"], WordMode::GnuGrep);
        let git = matcher(&["key=[a-z.]*"], WordMode::GitGrep);
        assert_eq!(lines(&gnu, "key=val.ue_\n").len(), 1);
        assert!(lines(&git, "key=val.ue_\n").is_empty());
    }

    #[test]
    fn line_numbers_crlf_and_missing_final_newline() {
        let m = matcher(&["AKIA[A-Z0-9]{16}"], WordMode::GitGrep);
        let buf = "a\r\nAKIAABCDEFGHIJKLMNOP\r\nb\nx AKIAABCDEFGHIJKLMNOP";
        assert_eq!(
            lines(&m, buf),
            vec![
                (2, "AKIAABCDEFGHIJKLMNOP\r".to_string()),
                (4, "x AKIAABCDEFGHIJKLMNOP".to_string())
            ]
        );
    }

    #[test]
    fn non_ascii_bytes_are_not_word_characters() {
        let m = matcher(&["AKIA[A-Z0-9]{16}"], WordMode::GitGrep);
        assert_eq!(lines(&m, "éAKIAABCDEFGHIJKLMNOP\n").len(), 1);
        assert!(lines(&m, "xAKIAABCDEFGHIJKLMNOP\n").is_empty());
        assert!(lines(&m, "AKIAABCDEFGHIJKLMNOPQ\n").is_empty());
    }

    #[test]
    fn later_word_matches_are_found() {
        let m = matcher(&["me"], WordMode::GitGrep);
        assert_eq!(lines(&m, "mesa me\n").len(), 1);
        let m = matcher(&["me"], WordMode::GnuGrep);
        assert_eq!(lines(&m, "mesa me\n").len(), 1);
    }

    #[test]
    fn empty_pattern_under_gnu_matches_lines_starting_with_non_word() {
        let m = matcher(&[""], WordMode::GnuGrep);
        assert_eq!(
            lines(&m, "abc\n\n x\n"),
            vec![(2, String::new()), (3, " x".to_string())]
        );
        let m = matcher(&[""], WordMode::GitGrep);
        assert!(lines(&m, "abc\n\n x\n").is_empty());
    }

    #[test]
    fn interval_quantified_allowed_example() {
        let m = matcher(&["foo=\"baz{1,5}\""], WordMode::GnuGrep);
        assert_eq!(lines(&m, "foo=\"bazzz\"\nfoo=\"bazzzzzz\"\n").len(), 1);
    }

    /// GNU grep's loop as dfasearch.c writes it (shrink one byte at a time, try every later
    /// start): the reference the one-pass version must agree with.
    fn gnu_reference(m: &Matcher, line: &[u8]) -> Option<std::ops::Range<usize>> {
        let mut scratch = m.scratch();
        let mut start = m.leftmost_from(line, 0);
        while let Some(s) = start {
            if let Some(mut end) = m.longest_at(line, s, line.len(), &mut scratch) {
                loop {
                    if bounded(line, s, end) {
                        return Some(s..end);
                    }
                    match m.longest_at(line, s, end.saturating_sub(1), &mut scratch) {
                        Some(shorter) if end > s && shorter > s => end = shorter,
                        _ => break,
                    }
                }
            }
            start = m.leftmost_from(line, s + 1);
        }
        None
    }

    /// git grep's loop as grep.c writes it (longest match at a start, else the next word
    /// start and a new search): the reference for git's mode.
    fn git_reference(m: &Matcher, line: &[u8]) -> Option<std::ops::Range<usize>> {
        let mut scratch = m.scratch();
        let mut s = m.leftmost_from(line, 0)?;
        loop {
            let end = m.longest_at(line, s, line.len(), &mut scratch).unwrap_or(s);
            if end > s && bounded(line, s, end) {
                return Some(s..end);
            }
            if s + 1 >= line.len() {
                return None;
            }
            let mut bol = s + 1;
            while bol < line.len() && is_word(line[bol - 1]) {
                bol += 1;
            }
            if bol >= line.len() {
                return None;
            }
            s = m.leftmost_from(line, bol)?;
        }
    }

    proptest::proptest! {
        #[test]
        fn shared_pass_word_match_agrees_with_grep_and_git_loops(
            prefix in "[ab_ ]{0,2}",
            core in proptest::sample::select(vec![
                "a", "b", "_", "[ab]", "a+", "b*", "[a_]{1,3}", "a?b", r"\<a", r"b\>", "$", "^a", "(a|ab)",
                "[^!]*!", "a[ab ]*b",
            ]),
            suffix in proptest::collection::vec(proptest::sample::select(vec![
                "a", "b", "_", " ", "+", "*", "[ab]{2,}", "a*", "!",
            ]), 0..3),
            line in "[ab_ ;!]{0,40}",
        ) {
            let pat = format!("{prefix}{core}{}", suffix.concat());
            let pats = [Pattern { ere: pat.as_bytes().to_vec(), origin: PatternOrigin::Config }];
            for mode in [WordMode::GnuGrep, WordMode::GitGrep] {
                if let Ok(Some(m)) = Matcher::new(&pats, mode) {
                    let line = line.as_bytes();
                    let mut scratch = m.scratch();
                    // Twice with one scratch: a second line must not see the first's passes.
                    for _ in 0..2 {
                        let ours = m.leftmost_from(line, 0).and_then(|s| m.word_match(line, s, &mut scratch));
                        let reference = match mode {
                            WordMode::GnuGrep => gnu_reference(&m, line),
                            WordMode::GitGrep => git_reference(&m, line),
                        };
                        proptest::prop_assert_eq!(ours, reference, "pattern {} mode {:?}", pat, mode);
                    }
                }
            }
        }
    }
}
