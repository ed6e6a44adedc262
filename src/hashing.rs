//! A hasher for keys that are already well spread numbers (packed keyword prefixes, pack
//! offsets): one multiply and a rotate per word, where SipHash costs tens of instructions.
//! With SipHash, indexing ~1,600 keywords cost a pre-commit hook 2.7 M more instructions
//! (6 %), and the pack offsets of cargo's history (233,478 objects) took about a fifth of the
//! samples of the header pass, which runs on one core before anything else can.

/// Multiply-rotate hashing of `u64` keys (other writes fold their bytes in one at a time).
#[derive(Default)]
pub(crate) struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        // The rotate brings the product's well-mixed high bits down to the low bits that pick
        // a table's bucket.
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

/// The `BuildHasher` of [`MixHasher`], for `HashMap`/`HashSet`.
pub(crate) type Mix = std::hash::BuildHasherDefault<MixHasher>;
