//! Prohibited patterns: `secrets.patterns` plus the output of `secrets.providers` commands.

use std::process::{Command, Stdio};

use std::os::unix::ffi::OsStrExt;

use bstr::ByteSlice;

use crate::config::Context;
use crate::matcher::{Pattern, PatternOrigin};

/// Every prohibited pattern line, in upstream's order: config values first (each line of a
/// multi-line value is its own pattern), then each provider's output lines.
///
/// Upstream quirks fixed here: providers run with no stdin (upstream's shared the loop's
/// stdin, so `cat` swallowed the remaining providers), and blank lines in provider output are
/// dropped (upstream turned them into empty patterns that match almost every line).
pub fn load(ctx: &Context) -> Result<(Vec<Pattern>, Vec<crate::note::Note>), String> {
    let timeout = timeout(ctx)?;
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for value in ctx.get_all("secrets", "patterns") {
        for line in value.split_str("\n") {
            out.push(Pattern {
                ere: line.to_vec(),
                origin: PatternOrigin::Config,
            });
        }
    }
    for provider in ctx.get_all("secrets", "providers") {
        let command = provider.trim_with(|c| matches!(c, ' ' | '\t' | '\n'));
        let words: Vec<Vec<u8>> = command
            .split(|b| matches!(b, b' ' | b'\t' | b'\n'))
            .filter(|w| !w.is_empty())
            .flat_map(glob_word)
            .collect();
        let words: Vec<&[u8]> = words.iter().map(Vec::as_slice).collect();
        if words.is_empty() {
            continue;
        }
        let caps = ProviderCaps::from_config(ctx)?;
        let shown = String::from_utf8_lossy(command).into_owned();
        let output = run_provider(&words, timeout, caps.bytes, &mut notes).map_err(|e| match e {
            ProviderError::Message(m) => m,
            ProviderError::TooMuchOutput => format!(
                "git-secrets: provider '{shown}' printed more than {} bytes (secrets.providerMaxBytes); not scanning without its patterns",
                caps.bytes
            ),
        })?;
        let lines = output
            .split_str("\n")
            .filter(|l| l.iter().any(|&b| b != b'\r'))
            .count();
        if lines as u64 > caps.patterns {
            return Err(format!(
                "git-secrets: provider '{shown}' printed more than {} patterns (secrets.providerMaxPatterns); not scanning without its patterns",
                caps.patterns
            ));
        }
        let origin = PatternOrigin::Provider(shown);
        for line in output.split_str("\n") {
            let line: Vec<u8> = line.iter().copied().filter(|&b| b != b'\r').collect();
            if line.is_empty() {
                continue;
            }
            out.push(Pattern {
                ere: line,
                origin: origin.clone(),
            });
        }
    }
    Ok((out, notes))
}

/// How much one provider may print. A provider is a command anyone with write access to a
/// config file can name; 100 MB of output once took 17 GB of memory to compile. Upstream's
/// AWS provider prints two patterns per profile, so 1 MiB and 10,000 patterns leave room for
/// any real list and stop a runaway one in milliseconds.
#[derive(Debug, Clone, Copy)]
struct ProviderCaps {
    bytes: u64,
    patterns: u64,
}

impl ProviderCaps {
    const DEFAULT_BYTES: u64 = 1 << 20;
    const DEFAULT_PATTERNS: u64 = 10_000;

    /// `secrets.providerMaxBytes` and `secrets.providerMaxPatterns` (last value wins); a value
    /// that is not a positive whole number is refused naming the key.
    fn from_config(ctx: &Context) -> Result<ProviderCaps, String> {
        let read = |key: &str, default: u64, unit: &str| -> Result<u64, String> {
            let Some(value) = ctx.get_all("secrets", key).pop() else {
                return Ok(default);
            };
            let text = value.to_str_lossy();
            parse_size(text.trim()).ok_or_else(|| {
                format!(
                    "git-secrets: bad value '{text}' for secrets.{key} (expected a positive whole number of {unit}, with an optional k, m or g suffix)"
                )
            })
        };
        Ok(ProviderCaps {
            bytes: read("providerMaxBytes", Self::DEFAULT_BYTES, "bytes")?,
            patterns: read("providerMaxPatterns", Self::DEFAULT_PATTERNS, "patterns")?,
        })
    }
}

/// A positive whole number with git's optional `k`, `m`, `g` suffix (powers of 1024).
fn parse_size(text: &str) -> Option<u64> {
    let (digits, scale) = match text.as_bytes().last()?.to_ascii_lowercase() {
        b'k' => (&text[..text.len() - 1], 1u64 << 10),
        b'm' => (&text[..text.len() - 1], 1 << 20),
        b'g' => (&text[..text.len() - 1], 1 << 30),
        _ => (text, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse::<u64>()
        .ok()?
        .checked_mul(scale)
        .filter(|&n| n > 0)
}

/// Why a provider gave no patterns.
enum ProviderError {
    /// A complete message (timeout, failure to wait).
    Message(String),
    /// It printed more than the byte cap; it was stopped.
    TooMuchOutput,
}

/// How long a provider may run: `secrets.providerTimeout` seconds, 30 by default; a value
/// that is not a usable number of seconds stops the scan (it once panicked on `1e300`).
fn timeout(ctx: &Context) -> Result<std::time::Duration, String> {
    Ok(crate::config::seconds(ctx, "providerTimeout")?
        .unwrap_or(std::time::Duration::from_secs(30)))
}

/// Pathname expansion of one provider word, as bash applies it to the unquoted `$cmd`:
/// matches sorted, or the word itself when nothing matches.
fn glob_word(word: &[u8]) -> Vec<Vec<u8>> {
    let literal = || vec![word.to_vec()];
    if !word.iter().any(|b| matches!(b, b'*' | b'?' | b'[')) {
        return literal();
    }
    let absolute = word.starts_with(b"/");
    let mut candidates: Vec<Vec<u8>> = vec![if absolute { b"/".to_vec() } else { Vec::new() }];
    for part in word.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        let is_glob = part.iter().any(|b| matches!(b, b'*' | b'?' | b'['));
        for base in &candidates {
            if !is_glob {
                let mut p = base.clone();
                p.extend_from_slice(part);
                next.push(p);
                continue;
            }
            let Some(matcher) = std::str::from_utf8(part).ok().and_then(|g| {
                globset::GlobBuilder::new(g)
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            }) else {
                return literal();
            };
            let dir = if base.is_empty() {
                b".".to_vec()
            } else {
                base.clone()
            };
            let Ok(entries) =
                std::fs::read_dir(std::path::Path::new(std::ffi::OsStr::from_bytes(&dir)))
            else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.as_bytes();
                // Like bash, a leading dot must be matched explicitly.
                if name.starts_with(b".") && !part.starts_with(b".") {
                    continue;
                }
                if matcher.is_match(std::ffi::OsStr::from_bytes(name)) {
                    let mut p = base.clone();
                    p.extend_from_slice(name);
                    next.push(p);
                }
            }
        }
        candidates = next
            .into_iter()
            .map(|mut p| {
                p.push(b'/');
                p
            })
            .collect();
    }
    let mut found: Vec<Vec<u8>> = candidates
        .into_iter()
        .map(|mut p| {
            p.pop();
            p
        })
        .filter(|p| std::path::Path::new(std::ffi::OsStr::from_bytes(p)).exists())
        .collect();
    if found.is_empty() {
        return literal();
    }
    found.sort();
    found
}

/// Run one provider; its stderr passes through, its exit status is ignored (as upstream).
fn run_provider(
    words: &[&[u8]],
    limit: std::time::Duration,
    max_bytes: u64,
    notes: &mut Vec<crate::note::Note>,
) -> Result<Vec<u8>, ProviderError> {
    let os = |w: &[u8]| std::ffi::OsStr::from_bytes(w).to_os_string();
    // The provider that `--register-aws` installs is ourselves: answer it in-process instead
    // of paying for two process starts on every hook.
    if words.len() >= 3
        && words.len() <= 4
        && words[0] == b"git"
        && words[1] == b"secrets"
        && words[2] == b"--aws-provider"
    {
        return Ok(aws_provider(
            words.get(3).map(|w| std::path::PathBuf::from(os(w))),
        ));
    }
    let name = String::from_utf8_lossy(words[0]).into_owned();
    let child = Command::new(os(words[0]))
        .args(words[1..].iter().map(|w| os(w)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            // Upstream's shell printed "command not found" and went on without the patterns.
            let line = if e.kind() == std::io::ErrorKind::NotFound {
                format!("git-secrets: {name}: command not found")
            } else {
                format!("git-secrets: {name}: {e}")
            };
            notes.push(crate::note::Note::Text(line));
            return Ok(Vec::new());
        }
    };
    let stdout = child.stdout.take();
    let over = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader_over = std::sync::Arc::clone(&over);
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(out) = stdout {
            // One byte past the cap tells "exactly at the cap" from "over it"; the pipe is
            // closed on return, so a provider still writing gets EPIPE instead of blocking.
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(out, max_bytes.saturating_add(1)),
                &mut buf,
            );
            if buf.len() as u64 > max_bytes {
                reader_over.store(true, std::sync::atomic::Ordering::Release);
            }
        }
        buf
    });
    let deadline = std::time::Instant::now() + limit;
    loop {
        if over.load(std::sync::atomic::Ordering::Acquire) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ProviderError::TooMuchOutput);
        }
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                // Its patterns would be missing: refuse to scan rather than pass silently.
                return Err(ProviderError::Message(format!(
                    "git-secrets: provider '{name}' did not finish within {:.1} s (secrets.providerTimeout); not scanning without its patterns",
                    limit.as_secs_f64()
                )));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => {
                return Err(ProviderError::Message(format!(
                    "git-secrets: provider '{name}': {e}"
                )));
            }
        }
    }
    let output = reader.join().unwrap_or_default();
    if output.len() as u64 > max_bytes {
        return Err(ProviderError::TooMuchOutput);
    }
    Ok(output)
}

/// `git secrets --aws-provider [file]`: the credentials file's key values as escaped patterns.
///
/// Kept as upstream's awk/tr/sed pipeline has it: any line containing `aws_access_key_id` or
/// `aws_secret_access_key` (commented or not), the text between the first and second `=`,
/// spaces and double quotes deleted, and `] \ . | $ ( ) { } ? + * ^` backslash-escaped.
pub fn aws_provider(file: Option<std::path::PathBuf>) -> Vec<u8> {
    let path = match file {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => match std::env::var_os("HOME") {
            Some(home) => std::path::Path::new(&home).join(".aws/credentials"),
            None => return Vec::new(),
        },
    };
    if !path.is_file() {
        return Vec::new();
    }
    let Ok(content) = std::fs::read(&path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for line in content.lines_with_terminator() {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        if line.find(b"aws_access_key_id").is_none()
            && line.find(b"aws_secret_access_key").is_none()
        {
            continue;
        }
        let field = line.split(|&b| b == b'=').nth(1).unwrap_or(b"");
        for &b in field {
            match b {
                b' ' | b'"' => {}
                b']' | b'\\' | b'.' | b'|' | b'$' | b'(' | b')' | b'{' | b'}' | b'?' | b'+'
                | b'*' | b'^' => {
                    out.push(b'\\');
                    out.push(b);
                }
                _ => out.push(b),
            }
        }
        out.push(b'\n');
    }
    out
}
