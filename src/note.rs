//! What a scan says beside its findings, as data (issue 11: the sources never print), and
//! the text of an I/O error as grep prints it. Its own module so that the sources and the
//! fingerprint key can name a note without importing the report layer that writes it.

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
