//! Git hooks: installing them (`--install`) and the pieces the hook entry points need.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bstr::ByteSlice;

use crate::config::Context;
use crate::report;

/// Run `git <args>` with our stdio; its exit code is ours.
pub fn git_passthrough(args: &[&OsStr]) -> u8 {
    match Command::new("git").args(args).stdin(Stdio::null()).status() {
        Ok(s) => s.code().map_or(128, |c| c.clamp(0, 255) as u8),
        Err(e) => {
            report::err(format!("git-secrets: cannot run git: {e}\n").as_bytes());
            128
        }
    }
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
pub fn hooks_dir() -> Result<PathBuf, u8> {
    let Some(git_dir) = git_stdout(&["rev-parse", "--git-dir"]) else {
        report::err(b"Not in a Git repository\n");
        return Err(1);
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

/// Write one hook file (or `<hook>.d/git-secrets` where a Debian-style `.d` directory exists).
pub fn install_hook(hooks_dir: &Path, hook: &str, force: bool) -> Result<(), u8> {
    let dot_d = hooks_dir.join(format!("{hook}.d"));
    let dest = if dot_d.is_dir() {
        dot_d.join("git-secrets")
    } else {
        hooks_dir.join(hook)
    };
    if dest.is_file() && !force {
        report::err(format!("{} already exists. Use -f to force\n", dest.display()).as_bytes());
        return Err(1);
    }
    let content = HOOKS
        .iter()
        .find(|(name, _)| *name == hook)
        .map_or("", |(_, content)| content);
    if let Err(e) = std::fs::write(&dest, content) {
        report::err(format!("git-secrets: cannot write {}: {e}\n", dest.display()).as_bytes());
        return Err(1);
    }
    make_executable(&dest);
    // Upstream's green tick on a terminal, unless NO_COLOR (no-color.org) is set and non-empty.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mark = if std::io::IsTerminal::is_terminal(&std::io::stdout()) && !no_color {
        "\x1b[32m✓\x1b(B\x1b[m "
    } else {
        ""
    };
    report::out(format!("{mark}Installed {hook} hook to {}\n", dest.display()).as_bytes());
    Ok(())
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
/// git strips comment lines (and everything from the scissors line on) when the message was
/// edited (`commit.cleanup` unset or `default`, recognised by git's `Please enter` template)
/// or when `commit.cleanup` is `strip`; `scissors` cuts only at the scissors line;
/// `verbatim` and `whitespace` keep everything.
pub fn stripped_message_lines(ctx: &Context, content: &[u8]) -> Vec<usize> {
    let first = |key: &str| ctx.get_all("commit", key).pop();
    let cleanup = first("cleanup").map(|v| v.to_ascii_lowercase());
    let comment = ctx
        .get_all("core", "commentString")
        .pop()
        .or_else(|| ctx.get_all("core", "commentChar").pop())
        .filter(|c| !c.is_empty() && c.as_slice() != b"auto")
        .map_or_else(|| b"#".to_vec(), |c| c.to_vec());
    let lines: Vec<&[u8]> = content.split_str("\n").collect();
    let scissors = |l: &[u8]| {
        l.strip_prefix(comment.as_slice())
            .is_some_and(|rest| rest == b" ------------------------ >8 ------------------------")
    };
    let edited = lines.iter().any(|l| {
        l.strip_prefix(comment.as_slice())
            .is_some_and(|rest| rest.starts_with(b" Please enter"))
    });
    let (strip_comments, cut_scissors) = match cleanup.as_deref() {
        Some(b"verbatim") | Some(b"whitespace") => (false, false),
        Some(b"strip") => (true, true),
        Some(b"scissors") => (false, true),
        _ => (edited, edited),
    };
    let mut out = Vec::new();
    let mut cut = false;
    for (i, line) in lines.iter().enumerate() {
        if cut_scissors && scissors(line) {
            cut = true;
        }
        if cut || (strip_comments && line.starts_with(&comment)) {
            out.push(i + 1);
        }
    }
    out
}

/// What upstream's prepare-commit-msg hook scans for a merge: `git log <dest>..<branch> -p`,
/// with the branch taken from git's `GITHEAD_<sha>=<name>` variables and the destination from
/// `git symbolic-ref HEAD`.
pub fn merge_log() -> Vec<u8> {
    let mut git_head = Vec::new();
    for (name, value) in std::env::vars_os() {
        let mut line = name.as_bytes().to_vec();
        line.push(b'=');
        line.extend_from_slice(value.as_bytes());
        if line.find(b"GITHEAD").is_some() {
            if !git_head.is_empty() {
                git_head.push(b'\n');
            }
            git_head.extend_from_slice(&line);
        }
    }
    let branch = match git_head.rfind_byte(b'=') {
        Some(i) => git_head[i + 1..].to_vec(),
        None => git_head,
    };
    let head = git_stdout(&["symbolic-ref", "HEAD"]).unwrap_or_default();
    let head = trim_line(&head);
    let dest = head.strip_prefix(b"refs/heads/").unwrap_or(head);
    let mut range = dest.to_vec();
    range.extend_from_slice(b"..");
    range.extend_from_slice(&branch);
    Command::new("git")
        .arg("log")
        .arg(OsStr::from_bytes(&range))
        .arg("-p")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default()
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
