//! A compiled [`crate::literals::Required::anchor`]: a literal hit where it does not match
//! cannot start a match of its rule, so the rule's regex need not run there. Apart from
//! `literals`, which `build.rs` also compiles (to precompute the built-in rules' literals),
//! because this needs `regex-automata`.

use regex_syntax::hir::Hir;

/// A compiled [`crate::literals::Required::anchor`]: tells whether a literal hit can start a match.
#[derive(Debug, Clone)]
pub struct Anchor {
    regex: regex_automata::meta::Regex,
}

impl Anchor {
    pub const MAX_MEMORY: usize = 128 << 10;

    /// Compiles `hir` as the engine compiles patterns (bytes, no Unicode); `None` when it is
    /// too large to be worth it.
    pub fn new(hir: &Hir) -> Option<Anchor> {
        use regex_automata::meta;
        let config = meta::Config::new()
            .utf8_empty(false)
            .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
            .nfa_size_limit(Some(4 << 20))
            .hybrid_cache_capacity(64 << 10)
            // Hundreds of anchors, each with a cache per thread: the lazy DFA only, no full
            // DFAs or backtracking tables (those cost megabytes for a test that reads a few
            // bytes).
            .dfa(false)
            .onepass(false)
            .backtrack(false)
            .auto_prefilter(false);
        let regex = meta::Builder::new()
            .configure(config)
            .build_from_hir(hir)
            .ok()?;
        // A few rules repeat wide classes hundreds of times (key bodies): their anchors would
        // take megabytes and such rules are gated by rare literals anyway.
        (regex.memory_usage() <= Self::MAX_MEMORY).then_some(Anchor { regex })
    }

    /// Scratch space for one thread.
    pub fn cache(&self) -> regex_automata::meta::Cache {
        self.regex.create_cache()
    }

    /// Whether the anchor matches in `hay` starting exactly at `at`.
    pub fn matches_at(
        &self,
        cache: &mut regex_automata::meta::Cache,
        hay: &[u8],
        at: usize,
    ) -> bool {
        self.regex
            .search_half_with(cache, &Self::input(hay, at))
            .is_some()
    }

    /// [`Anchor::matches_at`] with the anchor's own scratch space (a pool inside the regex,
    /// kept across calls): for callers that hold no [`Anchor::cache`]. A cache made per
    /// buffer instead was rebuilt, and its DFA states found again, for each file: 9 % of the
    /// instructions of a `--scan -r Documentation` of git/git (980 files).
    pub fn matches_at_pooled(&self, hay: &[u8], at: usize) -> bool {
        self.regex.search_half(&Self::input(hay, at)).is_some()
    }

    /// A search anchored at `at` that stops at the first match.
    fn input(hay: &[u8], at: usize) -> regex_automata::Input<'_> {
        regex_automata::Input::new(hay)
            .range(at..)
            .anchored(regex_automata::Anchored::Yes)
            .earliest(true)
    }
}

/// An [`Anchor`] compiled on its first use: a large scan's gate holds ~290 of them, and their
/// compilation was 16 % of the instructions of a `--scan` of git/git's work tree (320 M of
/// 1.98 G) although most rules' literals never occur there.
#[derive(Debug, Clone)]
pub struct LazyAnchor(std::sync::Arc<(Source, std::sync::OnceLock<Option<Anchor>>)>);

/// What a [`LazyAnchor`] compiles from.
#[derive(Debug)]
enum Source {
    Hir(Hir),
    /// A built-in rule's anchor as build.rs printed it, parsed on first use too: parsing
    /// ~290 of them up front was 4 % of the CPU of a `--scan` of git/git's work tree (~12 ms
    /// of 330). With the function that reads it back.
    Printed(&'static str, fn(&str) -> Option<Hir>),
}

impl LazyAnchor {
    /// `None` when `hir` is too large to compile into a worthwhile anchor
    /// ([`crate::literals::anchor_fits`]).
    pub fn new(hir: Hir) -> Option<LazyAnchor> {
        crate::literals::anchor_fits(&hir).then(|| LazyAnchor::of(Source::Hir(hir)))
    }

    /// A built-in rule's anchor, printed by build.rs (which kept only those that fit), read
    /// back by `parse` on first use: the rules read a built-in anchor's tree from build.rs's
    /// table (parsing the prints was 23 M of the 1.41 G instructions of a `--scan` of git/git's
    /// work tree).
    pub fn printed(pattern: &'static str, parse: fn(&str) -> Option<Hir>) -> LazyAnchor {
        LazyAnchor::of(Source::Printed(pattern, parse))
    }

    fn of(source: Source) -> LazyAnchor {
        LazyAnchor(std::sync::Arc::new((source, std::sync::OnceLock::new())))
    }

    /// Whether `self` and `other` are one anchor (clones of one family's).
    pub fn same(&self, other: &LazyAnchor) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }

    /// The compiled anchor; `None` if it turned out too large after all (every hit counts).
    pub fn get(&self) -> Option<&Anchor> {
        self.0
            .1
            .get_or_init(|| match &self.0.0 {
                Source::Hir(hir) => Anchor::new(hir),
                // It parses back (a test of rules.rs compares): a failure would be a bug,
                // and then every hit counts.
                Source::Printed(p, parse) => parse(p).and_then(|hir| Anchor::new(&hir)),
            })
            .as_ref()
    }
}
