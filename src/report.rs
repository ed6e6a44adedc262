//! Output: the human (git-secrets) format and the two streams.
//!
//! Only this module writes to stdout and stderr. Writes ignore a closed pipe: `git secrets
//! --list | head -1` must not panic.

use std::io::Write;

/// upstream's banner after the findings, on stderr.
pub const BANNER: &str = "
[ERROR] Matched one or more prohibited patterns

Possible mitigations:
- Mark false positives as allowed using: git config --add secrets.allowed ...
- Mark false positives as allowed by adding regular expressions to .gitallowed at repository's root directory
- List your configured patterns: git config --get-all secrets.patterns
- List your configured allowed patterns: git config --get-all secrets.allowed
- List your configured allowed patterns in .gitallowed at repository's root directory
- Use --no-verify if this is a one-time false positive
";

/// Write bytes to stdout.
pub fn out(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(bytes);
    let _ = o.flush();
}

/// Write a report to stdout, saying whether it arrived: a machine report that cannot be
/// written (a full disk, a closed pipe) must not pass as delivered.
pub fn out_report(bytes: &[u8]) -> std::io::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(bytes)?;
    o.flush()
}

/// Write bytes to stderr.
pub fn err(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(bytes);
    let _ = e.flush();
}

/// The human report: each finding line, then the banner, all on stderr (as upstream; its
/// README's claim of stdout is wrong).
pub fn human(lines: &[Vec<u8>]) {
    let mut buf =
        Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + BANNER.len());
    for line in lines {
        buf.extend_from_slice(line);
        buf.push(b'\n');
    }
    buf.extend_from_slice(BANNER.as_bytes());
    err(&buf);
}
