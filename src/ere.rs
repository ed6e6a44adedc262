//! POSIX ERE (as GNU grep / glibc understand it in the C locale) → regex-crate syntax.
//! (placeholder: being written)

/// A pattern that GNU grep / git grep would reject, or that we cannot support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EreError {
    /// glibc-style message, e.g. `Unmatched [, [^, [:, [., or [=`.
    pub message: String,
}

/// Translate one POSIX ERE into regex-crate syntax.
pub fn translate(_ere: &[u8]) -> Result<String, EreError> {
    unimplemented!()
}
