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
    const MAX_MEMORY: usize = 128 << 10;

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
        let input = regex_automata::Input::new(hay)
            .range(at..)
            .anchored(regex_automata::Anchored::Yes)
            .earliest(true);
        self.regex.search_half_with(cache, &input).is_some()
    }
}
