//! Output: the human (git-secrets) format and the two streams.
//!
//! Only this module writes to stdout and stderr. Writes ignore a closed pipe: `git secrets
//! --list | head -1` must not panic.

use std::io::Write;

pub use crate::note::{Note, io_message};

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

/// Whether the pre-receive hook runs under GitLab (`GL_ID` or `GL_PROJECT_PATH` set), which
/// shows the pusher only lines prefixed with `GL-HOOK-ERR: `.
fn under_gitlab() -> bool {
    std::env::var_os("GL_ID").is_some() || std::env::var_os("GL_PROJECT_PATH").is_some()
}

/// The pre-receive hook's text for the pusher: each line ends in a newline, and under GitLab
/// starts with `GL-HOOK-ERR: `.
fn pusher_text(lines: &str, gitlab: bool) -> String {
    let mut out = String::new();
    for line in lines.lines() {
        if gitlab {
            out.push_str("GL-HOOK-ERR: ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// How a scan (or a push hook) ends, as data: what it says, in order, and its exit code. The
/// scan's ending ([`crate::ending`]) and the push hooks ([`crate::push`]) make it; [`end`]
/// writes it, so they never print (issue 11).
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub said: Vec<Said>,
    pub code: u8,
}

impl Outcome {
    /// Nothing said, exit `code`.
    pub fn code(code: u8) -> Outcome {
        Outcome {
            said: Vec::new(),
            code,
        }
    }
}

/// One thing an [`Outcome`] says.
#[derive(Debug, PartialEq)]
pub enum Said {
    /// What a source says beside its findings, one line each, on stderr.
    Notes(Vec<Note>),
    /// Why the scan could not run, on stderr.
    Error(crate::scan::EngineError),
    /// A line (or lines) on stderr as is, each ending in a newline.
    Line(String),
    /// Upstream's human report: the finding lines, then the banner, on stderr.
    Findings(Vec<Vec<u8>>),
    /// A machine report for stdout, then `summary` on stderr once it arrived. A report that
    /// cannot be written (a full disk, a closed pipe) must not pass as delivered: one line
    /// says so and the exit code becomes 2.
    Stdout {
        report: Vec<u8>,
        summary: Option<String>,
    },
    /// The pre-receive hook's text for the pusher, on stderr (git relays it); under GitLab
    /// each line is prefixed with `GL-HOOK-ERR: `.
    Pusher(String),
}

impl Said {
    /// The bytes this puts on stderr (a machine report's summary, when it arrived); `gitlab`:
    /// the pusher's lines get GitLab's prefix.
    fn stderr(&self, gitlab: bool) -> Vec<u8> {
        match self {
            Said::Notes(notes) => notes_text(notes).into_bytes(),
            Said::Error(e) => e.message().into_bytes(),
            Said::Line(text) => text.as_bytes().to_vec(),
            Said::Findings(lines) => human_text(lines),
            Said::Stdout { summary, .. } => summary.clone().unwrap_or_default().into_bytes(),
            Said::Pusher(lines) => pusher_text(lines, gitlab).into_bytes(),
        }
    }
}

/// Write what is said before a scan (a preflight's notes), in order.
pub fn say(said: Vec<Said>) {
    end(Outcome { said, code: 0 });
}

/// Write `outcome`, in order; the exit code is its code, or 2 when a report for stdout could
/// not be written.
pub fn end(outcome: Outcome) -> u8 {
    let gitlab = outcome.said.iter().any(|s| matches!(s, Said::Pusher(_))) && under_gitlab();
    let mut code = outcome.code;
    for said in &outcome.said {
        if let Said::Stdout { report, .. } = said
            && let Err(e) = out_report(report)
        {
            err(format!(
                "git-secrets: cannot write the report to stdout: {}\n",
                io_message(&e)
            )
            .as_bytes());
            code = code.max(2);
            continue;
        }
        err(&said.stderr(gitlab));
    }
    code
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
fn human_text(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut buf =
        Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + BANNER.len());
    for line in lines {
        buf.extend_from_slice(line);
        buf.push(b'\n');
    }
    buf.extend_from_slice(BANNER.as_bytes());
    buf
}

/// The notes, one line each.
fn notes_text(notes: &[Note]) -> String {
    let mut buf = String::new();
    for n in notes {
        buf.push_str(&n.to_string());
        buf.push('\n');
    }
    buf
}

/// Write the notes, one line each, on stderr.
pub fn notes(notes: &[Note]) {
    err(notes_text(notes).as_bytes());
}

/// A history scan's progress bar on stderr (the one thing the report layer draws while a scan
/// runs rather than after it), when stderr is a terminal and the scan has already taken a
/// second (short scans and hooks print nothing extra).
pub(crate) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    shown: std::sync::atomic::AtomicBool,
    started: std::time::Instant,
}

impl Progress {
    pub(crate) fn new(len: u64, started: std::time::Instant) -> Progress {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "git-secrets: history {bar:20} {pos}/{len} blobs, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            shown: std::sync::atomic::AtomicBool::new(false),
            started,
        }
    }

    pub(crate) fn tick(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        let Some(bar) = &self.bar else { return };
        if !self.shown.load(Relaxed)
            && self.started.elapsed().as_secs() >= 1
            && !self.shown.swap(true, Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        bar.inc(1);
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Phase timings on stderr when `GIT_SECRETS_TRACE` is set (for benchmarking).
pub(crate) struct Trace {
    start: Option<std::time::Instant>,
}

impl Trace {
    pub(crate) fn new() -> Trace {
        Trace {
            start: std::env::var_os("GIT_SECRETS_TRACE").map(|_| std::time::Instant::now()),
        }
    }

    pub(crate) fn phase(&self, what: &str, count: usize) {
        if let Some(start) = self.start {
            // A developer's trace (GIT_SECRETS_TRACE), written as it happens.
            err(format!(
                "git-secrets: trace: {:>8.3} s  cpu {:>8.3} s  {what}: {count}\n",
                start.elapsed().as_secs_f64(),
                cpu_seconds().unwrap_or(f64::NAN)
            )
            .as_bytes());
        }
    }
}

/// The process's CPU time so far, user and system (Linux: /proc/self/stat, in clock ticks
/// of 1/100 s): the trace shows which phases use both cores.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses: utime is the
    // 14th field of the line, the 12th after it.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each kind of thing said puts on stderr: the bytes the ending and the push hooks
    /// printed themselves before they returned an [`Outcome`] (issue 11).
    #[test]
    fn said_renders_the_bytes_the_scans_printed() {
        // Upstream's human report: each line, then the banner.
        let human = Said::Findings(vec![b"a.txt:1:key = x".to_vec(), b"b\r.txt:2:y".to_vec()]);
        let mut expected = b"a.txt:1:key = x\nb\r.txt:2:y\n".to_vec();
        expected.extend_from_slice(BANNER.as_bytes());
        assert_eq!(human.stderr(false), expected);
        assert!(BANNER.starts_with("\n[ERROR] Matched one or more prohibited patterns\n"));
        // Notes, one line each (a note's own trailing newline is not doubled).
        let notes = Said::Notes(vec![
            Note::SizeCap { skipped: 2, max: 9 },
            Note::Text("git-secrets: warning: broad\n".into()),
        ]);
        assert_eq!(
            String::from_utf8(notes.stderr(false)).unwrap(),
            "git-secrets: 2 file(s) larger than 9 bytes not scanned (secrets.maxFileSize)\ngit-secrets: warning: broad\n"
        );
        // An engine error is its message; a line is as is.
        let error = Said::Error(crate::scan::EngineError::Said {
            message: "git-secrets: bad\n".into(),
            code: 2,
        });
        assert_eq!(error.stderr(false), b"git-secrets: bad\n");
        assert_eq!(Said::Line("x\n".into()).stderr(true), b"x\n");
        // A stdout report's summary goes to stderr; the report itself does not.
        let report = Said::Stdout {
            report: b"{}\n".to_vec(),
            summary: Some("git-secrets: 1 finding(s) written to stdout\n".into()),
        };
        assert_eq!(
            report.stderr(false),
            b"git-secrets: 1 finding(s) written to stdout\n"
        );
        let clean = Said::Stdout {
            report: b"[]\n".to_vec(),
            summary: None,
        };
        assert_eq!(clean.stderr(false), b"");
        // The pusher's text: every line ends in a newline, and GitLab's prefix on each.
        let pusher = Said::Pusher("git-secrets: one\n\ntwo".into());
        assert_eq!(pusher.stderr(false), b"git-secrets: one\n\ntwo\n");
        assert_eq!(
            pusher.stderr(true),
            b"GL-HOOK-ERR: git-secrets: one\nGL-HOOK-ERR: \nGL-HOOK-ERR: two\n"
        );
    }

    /// The exit code is the outcome's; nothing said, nothing written.
    #[test]
    fn an_outcome_keeps_its_code() {
        assert_eq!(end(Outcome::code(1)), 1);
        assert_eq!(end(Outcome::default()), 0);
    }
}
