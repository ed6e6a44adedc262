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

/// The pre-receive hook's text for the pusher, on stderr (git relays it); GitLab shows only
/// lines prefixed with `GL-HOOK-ERR: `, so under GitLab (`GL_ID` or `GL_PROJECT_PATH` set)
/// each line gets it.
pub fn pusher(lines: &str) {
    let gitlab =
        std::env::var_os("GL_ID").is_some() || std::env::var_os("GL_PROJECT_PATH").is_some();
    let mut out = String::new();
    for line in lines.lines() {
        if gitlab {
            out.push_str("GL-HOOK-ERR: ");
        }
        out.push_str(line);
        out.push('\n');
    }
    err(out.as_bytes());
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

/// Why a command stopped, on stderr; the caller exits with its code.
pub fn failure(e: &crate::failure::AppError) {
    err(e.to_string().as_bytes());
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

/// Something a scan says beside its findings, carried as data to the report (issue 11): the
/// sources never print.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// Files over `secrets.maxFileSize` were not scanned: a size cap never passes silently.
    SizeCap { skipped: u64, max: u64 },
    /// A shallow repository: history before its boundary commits is not scanned.
    Shallow { boundaries: usize },
    /// `--scan-history --verbose`'s closing summary.
    HistorySummary {
        commits: usize,
        blobs: usize,
        bytes: u64,
        seconds: f64,
        findings: usize,
    },
    /// A line said as is (registry policy, broad allowlist entries, provider failures).
    Text(String),
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Note::SizeCap { skipped, max } => write!(
                f,
                "git-secrets: {skipped} file(s) larger than {max} bytes not scanned (secrets.maxFileSize)"
            ),
            Note::Shallow { boundaries } => write!(
                f,
                "git-secrets: warning: shallow repository: history before its {boundaries} boundary commit(s) is not scanned"
            ),
            Note::HistorySummary {
                commits,
                blobs,
                bytes,
                seconds,
                findings,
            } => {
                let mb = *bytes as f64 / 1e6;
                write!(
                    f,
                    "git-secrets: history: {commits} commits, {blobs} blobs, {mb:.1} MB in {seconds:.2} s ({:.0} MB/s), {findings} finding(s)",
                    mb / seconds.max(1e-9)
                )
            }
            Note::Text(line) => f.write_str(line.trim_end()),
        }
    }
}

/// Write the notes, one line each, on stderr.
pub fn notes(notes: &[Note]) {
    let mut buf = String::new();
    for n in notes {
        buf.push_str(&n.to_string());
        buf.push('\n');
    }
    err(buf.as_bytes());
}

/// The text of an I/O error as grep/strerror prints it.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        std::io::ErrorKind::IsADirectory => "Is a directory".into(),
        _ => {
            let s = e.to_string();
            // Rust appends " (os error N)".
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}
