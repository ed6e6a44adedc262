//! Which three-byte sequences occur in the text a hook is about to scan, so that the rule
//! families expand only the providers whose keywords may occur there.
//!
//! A family provider's rule runs only where one of its keywords occurs (the keyword gate),
//! so a provider none of whose keywords occurs in the text can find nothing in it. Expanding
//! the ~1,700 providers was 16.6 M of the 40.6 M instructions of a pre-commit hook with both
//! packs on five one-line files; most staged files name few providers.

/// A set of the ASCII-lowercased three-byte sequences of some texts, hashed into
/// 2^18 bits: a keyword with a sequence that is not in the set is in none of the
/// texts; one with all of them may be (a false "may" only costs a provider's expansion).
#[derive(Debug, Clone)]
pub struct Presence {
    bits: Vec<u64>,
}

impl Default for Presence {
    fn default() -> Presence {
        Presence::new()
    }
}

impl Presence {
    /// 2^18 bits (32 KiB, 8 pages): 100 KB of C code sets ~11 % of them, so an absent
    /// six-letter keyword (four sequences) passes by chance about once in 7,000.
    const BITS: u32 = 18;

    pub fn new() -> Presence {
        Presence {
            bits: vec![0; 1 << (Self::BITS - 6)],
        }
    }

    /// The bit of a sequence, its three lower-cased bytes packed in the low 24 bits of `tri`.
    fn bit(tri: u32) -> usize {
        (tri.wrapping_mul(0x9e37_79b1) >> (32 - Self::BITS)) as usize
    }

    /// The packed sequences of `text`, each with the two bytes before it (lower-cased):
    /// one shift and mask a byte (the staged text of a hook is read here before its rules load,
    /// on the path that decides when they can).
    fn sequences(text: &[u8]) -> impl Iterator<Item = u32> + '_ {
        text.iter()
            .scan(0u32, |w, &b| {
                *w = (*w << 8 | u32::from(b.to_ascii_lowercase())) & 0xff_ffff;
                Some(*w)
            })
            .skip(2)
    }

    /// Add the sequences of `text`.
    pub fn add(&mut self, text: &[u8]) {
        for tri in Self::sequences(text) {
            let bit = Self::bit(tri);
            self.bits[bit >> 6] |= 1 << (bit & 63);
        }
    }

    /// Whether `keyword` may occur (in any ASCII case) in the texts added: always for a
    /// keyword shorter than three bytes.
    pub fn may_hold(&self, keyword: &str) -> bool {
        Self::sequences(keyword.as_bytes()).all(|tri| {
            let bit = Self::bit(tri);
            self.bits[bit >> 6] & (1 << (bit & 63)) != 0
        })
    }

    /// Whether any of `keywords` may occur; with none, whether `prefix` may.
    pub(crate) fn may_hold_any<'a>(
        &self,
        keywords: impl IntoIterator<Item = &'a str>,
        prefix: Option<&str>,
    ) -> bool {
        let mut none = true;
        for k in keywords {
            none = false;
            if self.may_hold(k) {
                return true;
            }
        }
        none && prefix.is_none_or(|p| self.may_hold(p))
    }
}

/// A [`Presence`] that another thread is still computing: the rules wait for it only when
/// they reach a family, having parsed the rest meanwhile. Filled once, with `None` when there
/// is none to give (too much staged text, or the thread that computes it failed).
#[derive(Debug, Default)]
pub struct PendingPresence(std::sync::OnceLock<Option<Presence>>);

impl PendingPresence {
    pub fn new() -> PendingPresence {
        PendingPresence::default()
    }

    /// Give the presence (or none); later calls change nothing.
    pub fn fill(&self, presence: Option<Presence>) {
        let _ = self.0.set(presence);
    }

    /// The presence, once filled.
    pub fn wait(&self) -> Option<&Presence> {
        self.0.wait().as_ref()
    }
}

/// Fills a [`PendingPresence`] with `None` when dropped unfilled: a thread that computes it
/// and fails, or panics, must not leave the rules waiting.
pub struct FillOnDrop<'a>(pub &'a PendingPresence);

impl Drop for FillOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fill(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_in_the_text_in_any_case_may_be_held_and_others_are_not() {
        let mut p = Presence::new();
        p.add(b"export DAYTONA_API_KEY=abc\n");
        p.add(b"let client = Zorblat::new();\n");
        for present in [
            "daytona", "Daytona", "api_key", "zorblat", "ZORBLAT", "ab", "x",
        ] {
            assert!(p.may_hold(present), "{present}");
        }
        for absent in ["twelvelabs", "mockaroo", "sgp_", "daytonas"] {
            assert!(!p.may_hold(absent), "{absent}");
        }
        assert!(p.may_hold_any(["twelvelabs", "zorblat"], None));
        assert!(!p.may_hold_any(["twelvelabs", "mockaroo"], Some("zorblat")));
        assert!(p.may_hold_any([], Some("daytona")));
        assert!(!p.may_hold_any([], Some("tlk_")));
        assert!(p.may_hold_any([], None));
    }

    #[test]
    fn a_pending_presence_is_given_once_and_a_failed_thread_gives_none() {
        let pending = PendingPresence::new();
        std::thread::scope(|s| {
            s.spawn(|| {
                let _fill = FillOnDrop(&pending);
                let mut p = Presence::new();
                p.add(b"zorblat");
                pending.fill(Some(p));
            });
            assert!(pending.wait().is_some_and(|p| p.may_hold("zorblat")));
        });
        let failed = PendingPresence::new();
        std::thread::scope(|s| {
            let t = s.spawn(|| {
                let _fill = FillOnDrop(&failed);
                panic!("the staged side could not be read");
            });
            assert!(failed.wait().is_none());
            assert!(t.join().is_err());
        });
    }
}
