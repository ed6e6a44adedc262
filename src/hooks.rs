//! Git hooks: installing them (`--install`) and the pieces the hook entry points need.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bstr::ByteSlice;

use crate::config::Context;
use crate::failure::AppError;

/// Run `git <args>` with our stdio; its exit code is ours (128 when it died of a signal).
/// `Err`: git could not be started, for the caller to report.
pub fn git_passthrough(args: &[&OsStr]) -> std::io::Result<u8> {
    let status = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .status()?;
    Ok(status.code().map_or(128, |c| c.clamp(0, 255) as u8))
}

fn git_stdout(args: &[&str]) -> Option<Vec<u8>> {
    let out = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// Where `--install` without a directory writes hooks: where git will run them.
///
/// Upstream wrote to `$(git rev-parse --git-dir)/hooks`, which git ignores when
/// `core.hooksPath` is set and in linked worktrees (quirk 13, fixed): we ask git for its hooks
/// path, which accounts for both, and keep upstream's spelling otherwise.
pub fn hooks_dir() -> Result<PathBuf, AppError> {
    let Some(git_dir) = git_stdout(&["rev-parse", "--git-dir"]) else {
        return Err(AppError::NotInRepository);
    };
    let git_dir = trim_line(&git_dir);
    let upstream = Path::new(OsStr::from_bytes(git_dir)).join("hooks");
    let Some(path) = git_stdout(&["rev-parse", "--git-path", "hooks"]) else {
        return Ok(upstream);
    };
    let actual = PathBuf::from(OsStr::from_bytes(trim_line(&path)));
    // Keep upstream's spelling (`.git/hooks`, `./hooks`, absolute from a subdirectory)
    // whenever it names the same place.
    if same_location(&actual, &upstream) {
        Ok(upstream)
    } else {
        Ok(actual)
    }
}

fn same_location(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> Option<PathBuf> {
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    matches!((canon(a), canon(b)), (Some(x), Some(y)) if x == y)
}

/// `mkdir -p`: on failure, the component that could not be created and why, in the words
/// GNU mkdir uses.
pub fn mkdir_p(path: &Path) -> Result<(), (PathBuf, String)> {
    let mut current = PathBuf::new();
    for component in path.components() {
        current.push(component);
        if current.is_dir() {
            continue;
        }
        if current.exists() {
            return Err((current, "Not a directory".into()));
        }
        if let Err(e) = std::fs::create_dir(&current)
            && !current.is_dir()
        {
            return Err((current, crate::scan::io_message(&e)));
        }
    }
    Ok(())
}

fn trim_line(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\n").unwrap_or(bytes)
}

/// The hook files we install: upstream's two lines calling back into `git secrets`, so hooks
/// already in the wild and ours are the same files.
pub const HOOKS: [(&str, &str); 5] = [
    ("commit-msg", include_str!("../hooks/commit-msg")),
    ("pre-commit", include_str!("../hooks/pre-commit")),
    (
        "prepare-commit-msg",
        include_str!("../hooks/prepare-commit-msg"),
    ),
    ("pre-push", include_str!("../hooks/pre-push")),
    ("pre-receive", include_str!("../hooks/pre-receive")),
];

/// Write one hook file (or `<hook>.d/git-secrets` where a Debian-style `.d` directory exists);
/// `Ok` has the line that says so, for stdout.
pub fn install_hook(hooks_dir: &Path, hook: &str, force: bool) -> Result<String, AppError> {
    let dot_d = hooks_dir.join(format!("{hook}.d"));
    let dest = if dot_d.is_dir() {
        dot_d.join("git-secrets")
    } else {
        hooks_dir.join(hook)
    };
    if dest.is_file() && !force {
        return Err(AppError::HookExists(dest));
    }
    let content = HOOKS
        .iter()
        .find(|(name, _)| *name == hook)
        .map_or("", |(_, content)| content);
    if let Err(e) = std::fs::write(&dest, content) {
        return Err(AppError::CannotWriteHook {
            path: dest,
            reason: e.to_string(),
        });
    }
    make_executable(&dest);
    // Upstream's green tick on a terminal, unless NO_COLOR (no-color.org) is set and non-empty.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mark = if std::io::IsTerminal::is_terminal(&std::io::stdout()) && !no_color {
        "\x1b[32m✓\x1b(B\x1b[m "
    } else {
        ""
    };
    Ok(format!(
        "{mark}Installed {hook} hook to {}\n",
        dest.display()
    ))
}

/// `chmod +x`: add execute bits where the umask allows read.
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mut perms = meta.permissions();
        let mode = perms.mode();
        perms.set_mode(mode | ((mode & 0o444) >> 2));
        let _ = std::fs::set_permissions(path, perms);
    }
}

/// Line numbers (1-based) of a commit message file that git's cleanup will remove, so the
/// commit-msg hook does not scan them (quirk 12, fixed).
///
/// The hook cannot see `--cleanup` on git's command line, so it only drops what the file
/// itself proves git will drop (issue 14, item 5); in doubt every line is scanned:
/// * without an editor (`-m`, `-F`; git runs the hook with `GIT_EDITOR=:`) nothing is
///   dropped: git's default cleanup there keeps `#` lines;
/// * with an editor, git writes the effective mode into its template: comment lines are
///   dropped only under the strip-mode hint (`Lines starting with '#' will be ignored`; the
///   whitespace and verbatim modes say `will be kept`), and everything from the scissors
///   line on only when git's own `Do not modify or remove the line above.` follows it
///   (`--cleanup=scissors`, `-v`).
///
/// A translated template (git built with another `LANG`) is not recognised, so nothing is
/// dropped there.
pub fn stripped_message_lines(ctx: &Context, content: &[u8], editor_used: bool) -> Vec<usize> {
    if !editor_used {
        return Vec::new();
    }
    let comment = ctx
        .get_all("core", "commentString")
        .pop()
        .or_else(|| ctx.get_all("core", "commentChar").pop())
        .filter(|c| !c.is_empty() && c.as_slice() != b"auto")
        .map_or_else(|| b"#".to_vec(), |c| c.to_vec());
    let lines: Vec<&[u8]> = content.split_str("\n").collect();
    fn text_after<'a>(line: &'a [u8], comment: &[u8]) -> Option<&'a [u8]> {
        line.strip_prefix(comment).map(<[u8]>::trim)
    }
    let mut ignored_hint = b"'".to_vec();
    ignored_hint.extend_from_slice(&comment);
    ignored_hint.extend_from_slice(b"' will be ignored");
    // git commit: "Please enter ... Lines starting" / "with '#' will be ignored, ...";
    // git merge: "Lines starting with '#' will be ignored, ...".
    let mut kept_hint = b"'".to_vec();
    kept_hint.extend_from_slice(&comment);
    kept_hint.extend_from_slice(b"' will be kept");
    let hinted = |hint: &[u8]| {
        lines.iter().any(|l| {
            text_after(l, &comment).is_some_and(|t| {
                t.find(hint).is_some()
                    && (t.starts_with(b"with '") || t.starts_with(b"Lines starting with '"))
            })
        })
    };
    // Both hints (one typed or templated by someone, one git's): in doubt, keep the lines.
    let strip_comments = hinted(&ignored_hint) && !hinted(&kept_hint);
    let scissors_at = lines.windows(2).position(|w| {
        text_after(w[0], &comment)
            == Some(b"------------------------ >8 ------------------------".as_slice())
            && text_after(w[1], &comment)
                == Some(b"Do not modify or remove the line above.".as_slice())
    });
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if scissors_at.is_some_and(|at| i >= at) || (strip_comments && line.starts_with(&comment)) {
            out.push(i + 1);
        }
    }
    out
}

/// The commits a merge brings in: `MERGE_HEAD` (one line per head, so every head of an
/// octopus merge), else the `GITHEAD_<sha>` variables `git merge` exports, by the id in
/// their *name*. Upstream took the branch name after the last `=` of the variables joined
/// together, so `feat=x` became `x` (a failing `git log`, an empty scan) and an octopus merge
/// scanned one head chosen by environment order (issue 14, item 6).
fn merge_heads(git_dir: &Path) -> Result<Vec<String>, String> {
    let path = git_dir.join("MERGE_HEAD");
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut heads: Vec<String> = std::env::vars_os()
                .filter_map(|(name, _)| {
                    let name = name.to_str()?;
                    Some(name.strip_prefix("GITHEAD_")?.to_string())
                })
                .collect();
            heads.sort();
            for h in &heads {
                if gix::ObjectId::from_hex(h.as_bytes()).is_err() {
                    return Err(format!(
                        "git-secrets: the merged head in GITHEAD_{h} is not an object id"
                    ));
                }
            }
            return Ok(heads);
        }
        Err(e) => {
            return Err(format!(
                "git-secrets: cannot read {}: {}",
                path.display(),
                crate::scan::io_message(&e)
            ));
        }
    };
    let mut heads = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match std::str::from_utf8(line) {
            Ok(hex) if gix::ObjectId::from_hex(hex.as_bytes()).is_ok() => {
                heads.push(hex.to_string())
            }
            _ => {
                return Err(format!(
                    "git-secrets: line {} of {} is not an object id",
                    n + 1,
                    path.display()
                ));
            }
        }
    }
    Ok(heads)
}

/// What upstream's prepare-commit-msg hook scans for a merge, `git log <dest>..<head> -p`,
/// for every merged head at once (`git log -p ^HEAD <head>...`: upstream's `<dest>` was
/// `HEAD`'s branch, or empty, which is `HEAD`, when detached; one walk, so a commit two heads
/// share is scanned once). A head whose log cannot be read is an error: the merge is refused
/// rather than passed unscanned.
pub fn merge_log(git_dir: &Path) -> Result<Vec<u8>, String> {
    let heads = merge_heads(git_dir)?;
    if heads.is_empty() {
        return Ok(Vec::new());
    }
    let out = Command::new("git")
        .args(["log", "-p", "^HEAD"])
        .args(&heads)
        .arg("--")
        // The merged commits as stored (and pushed), not as a replace ref shows them.
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("git-secrets: cannot run git log: {e}"))?;
    if !out.status.success() {
        let why = out.stderr.lines().next().unwrap_or_default().to_str_lossy();
        return Err(format!(
            "git-secrets: cannot read the history of the merged heads ({}): {why}",
            heads.join(" ")
        ));
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hook_files_are_upstreams_two_lines() {
        for (hook, content) in super::HOOKS {
            let cmd = hook.replace('-', "_");
            let expected = format!("#!/usr/bin/env bash\ngit secrets --{cmd}_hook -- \"$@\"\n");
            assert_eq!(content, expected, "{hook}");
        }
    }
}
