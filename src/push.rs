//! Range scans and push hooks: only the lines that commits add.

use std::ffi::OsString;

use crate::cli::Flags;
use crate::report;

/// `--scan-range <range>`.
pub fn scan_range_command(_flags: &Flags) -> u8 {
    report::err(b"git-secrets: --scan-range is not available yet\n");
    2
}

/// The pre-push hook.
pub fn pre_push_hook(_flags: &Flags, _args: &[OsString]) -> u8 {
    report::err(b"git-secrets: the pre-push hook is not available yet; push refused (use --no-verify to bypass deliberately)\n");
    2
}
