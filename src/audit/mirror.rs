//! Bare mirrors in the cache directory, made and refreshed with the real `git`.
//!
//! `git clone --mirror` the first time (into a temporary name, renamed when complete, so a
//! killed clone never looks like a mirror), `git remote update --prune` afterwards. Partial
//! and shallow repositories are refused: the audit would silently miss what they lack.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a repository could not be mirrored: one line, no file contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MirrorError(pub String);

/// `git` with nothing interactive: no credential prompt (a batch job would hang on it), no
/// stdin, and stalled HTTP transfers abandoned (1 KB/s for 5 minutes).
fn git(dir: Option<&Path>) -> Command {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_HTTP_LOW_SPEED_LIMIT", "1000")
        .env("GIT_HTTP_LOW_SPEED_TIME", "300");
    // ssh must not ask for a passphrase or a host key either, unless the caller chose its
    // own ssh command (a deploy key, say).
    if std::env::var_os("GIT_SSH_COMMAND").is_none() && std::env::var_os("GIT_SSH").is_none() {
        cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Run `cmd`; on failure, git's last message line, with the URL's credentials removed.
fn run(mut cmd: Command, what: &str, url: &str) -> Result<(), MirrorError> {
    let out = cmd
        .output()
        .map_err(|e| MirrorError(format!("{what}: cannot run git: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("git failed without a message");
    let shown = crate::formats::display_repository(url);
    let line = if shown != url {
        line.replace(url, &shown)
    } else {
        line.to_string()
    };
    Err(MirrorError(format!("{what}: {line}")))
}

/// The repository's own config (`git config --local --list`): one process for every key the
/// checks need, instead of one `git config --get` each.
fn local_config(dir: &Path) -> Result<Vec<(String, String)>, MirrorError> {
    let out = git(Some(dir))
        .args(["config", "--local", "--list", "-z"])
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| MirrorError(format!("cannot run git config: {e}")))?;
    if !out.status.success() {
        return Err(MirrorError(
            "cannot read the mirror's config; delete it from the cache".into(),
        ));
    }
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .map(|e| {
            let e = String::from_utf8_lossy(e);
            match e.split_once('\n') {
                Some((k, v)) => (k.to_ascii_lowercase(), v.to_string()),
                None => (e.to_ascii_lowercase(), String::new()),
            }
        })
        .collect())
}

/// Refuse a partial or shallow repository.
fn check_complete(dir: &Path, config: &[(String, String)]) -> Result<(), MirrorError> {
    if dir.join("shallow").exists() {
        return Err(MirrorError(
            "the mirror is a shallow clone (history before its boundary would not be audited); delete it from the cache or unshallow it".into(),
        ));
    }
    let partial = config.iter().find(|(k, _)| {
        k == "extensions.partialclone"
            || (k.starts_with("remote.")
                && (k.ends_with(".promisor") || k.ends_with(".partialclonefilter")))
    });
    if let Some((key, _)) = partial {
        return Err(MirrorError(format!(
            "the mirror is a partial clone ({key} is set: objects it lacks would not be audited); delete it from the cache"
        )));
    }
    Ok(())
}

/// Bring the mirror of `url` at `cache/<key>.git` up to date; returns its path.
pub(crate) fn update(cache: &Path, key: &str, url: &str) -> Result<PathBuf, MirrorError> {
    let path = cache.join(format!("{key}.git"));
    if path.join("HEAD").is_file() {
        let config = local_config(&path)?;
        check_complete(&path, &config)?;
        let current = config.iter().rfind(|(k, _)| k == "remote.origin.url");
        if current.map(|(_, v)| v.as_str()) != Some(url) {
            // The manifest is the source of truth (a repository that moved keeps its mirror).
            let mut cmd = git(Some(&path));
            cmd.args(["config", "remote.origin.url", url]);
            run(cmd, "cannot update the mirror's url", url)?;
        }
        let mut cmd = git(Some(&path));
        cmd.args(["remote", "update", "--prune"]);
        run(cmd, "fetch failed", url)?;
        return Ok(path);
    }
    std::fs::create_dir_all(cache).map_err(|e| {
        MirrorError(format!(
            "cannot create the cache directory {}: {}",
            cache.display(),
            crate::scan::io_message(&e)
        ))
    })?;
    // A clone killed earlier left its temporary directory; only this repository's shard
    // ever uses its key, so every leftover of it can go.
    let prefix = format!(".tmp-{key}-");
    if let Ok(entries) = std::fs::read_dir(cache) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let tmp = cache.join(format!("{prefix}{}", std::process::id()));
    let mut cmd = git(None);
    cmd.args(["clone", "--mirror", "--quiet", "--"])
        .arg(url)
        .arg(&tmp);
    if let Err(e) = run(cmd, "clone failed", url) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if let Err(e) = local_config(&tmp).and_then(|c| check_complete(&tmp, &c)) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&path);
    std::fs::rename(&tmp, &path).map_err(|e| {
        MirrorError(format!(
            "cannot move the new mirror into {}: {}",
            path.display(),
            crate::scan::io_message(&e)
        ))
    })?;
    Ok(path)
}

/// Delete the mirror's refs that `keep` rejects (the next fetch brings them back, and they
/// are deleted again), so that every scan of the mirror sees only the audited refs.
pub(crate) fn keep_refs(
    path: &Path,
    keep: &super::manifest::RefFilter,
    url: &str,
) -> Result<(), MirrorError> {
    if keep.is_all() {
        return Ok(());
    }
    let out = git(Some(path))
        .args(["for-each-ref", "--format=%(refname)"])
        .stdout(Stdio::piped())
        .output()
        .map_err(|e| MirrorError(format!("cannot list refs: {e}")))?;
    if !out.status.success() {
        return Err(MirrorError("cannot list the mirror's refs".into()));
    }
    let doomed: String = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|r| !r.is_empty() && !keep.matches(r))
        .map(|r| format!("delete {r}\n"))
        .collect();
    if doomed.is_empty() {
        return Ok(());
    }
    let mut cmd = git(Some(path));
    cmd.args(["update-ref", "--stdin"]).stdin(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| MirrorError(format!("cannot run git update-ref: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(doomed.as_bytes());
    }
    let status = child
        .wait_with_output()
        .map_err(|e| MirrorError(format!("git update-ref: {e}")))?;
    if status.status.success() {
        Ok(())
    } else {
        let shown = crate::formats::display_repository(url);
        Err(MirrorError(format!(
            "cannot drop the refs the manifest excludes from the mirror of {shown}"
        )))
    }
}

/// The mirror opened for the history engine. That engine reports a history without
/// findings by scanning the work tree instead (upstream's `git grep` fallback); a bare
/// mirror has none, so it gets an empty directory as its work tree and an empty index.
pub(crate) fn open_for_history(path: &Path, cache: &Path) -> Result<gix::Repository, String> {
    let empty = cache.join(".empty-worktree");
    std::fs::create_dir_all(&empty).map_err(|e| {
        format!(
            "cannot create {}: {}",
            empty.display(),
            crate::scan::io_message(&e)
        )
    })?;
    let empty = std::fs::canonicalize(&empty).unwrap_or(empty);
    let mut repo = gix::open(path).map_err(|e| format!("cannot open the mirror: {e}"))?;
    repo.set_workdir(Some(empty))
        .map_err(|e| format!("cannot give the mirror a work tree: {e}"))?;
    Ok(repo)
}

/// Bytes of the mirror's object store (the planning size `--plan` reports for it).
pub(crate) fn size(cache: &Path, key: &str) -> Option<u64> {
    fn walk(dir: &Path) -> u64 {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => walk(&e.path()),
                Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
                _ => 0,
            })
            .sum()
    }
    let objects = cache.join(format!("{key}.git")).join("objects");
    objects.is_dir().then(|| walk(&objects))
}
