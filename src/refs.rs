//! Reading refs and `HEAD` from either ref store.
//!
//! gix 0.90 reads the files backend (loose refs and `packed-refs`) only. A repository made
//! with `git init --ref-format=reftable` (git >= 2.45) has `extensions.refStorage = reftable`
//! and a `HEAD` file that says `ref: refs/heads/.invalid`, so gix sees an unborn branch and no
//! refs: pre-commit refused every commit ("cannot read HEAD") and `--scan-history` scanned no
//! commit. There, and only there, refs come from `git for-each-ref` and `git rev-parse`: one
//! process per call, and objects are still read natively.

use std::process::{Command, Stdio};

use gix::ObjectId;

/// Whether the repository keeps its refs in a reftable.
pub(crate) fn is_reftable(repo: &gix::Repository) -> bool {
    repo.config_snapshot()
        .string("extensions.refStorage")
        .is_some_and(|v| v.eq_ignore_ascii_case(b"reftable"))
}

/// `git --git-dir=<repo> <args>`'s standard output, or the first line of its error.
fn git(repo: &gix::Repository, args: &[&str]) -> Result<(bool, Vec<u8>), String> {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(repo.git_dir())
        .args(args)
        // Revisions name the stored objects, as our object reads do (see config::open_options).
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() && !out.stderr.is_empty() {
        let line = String::from_utf8_lossy(&out.stderr);
        return Err(line.lines().next().unwrap_or_default().to_string());
    }
    Ok((out.status.success(), out.stdout))
}

/// Every ref with the object it names directly (tags not peeled), in name order. Symbolic
/// refs whose target does not exist are left out, as `git for-each-ref` and `git log --all`
/// do; a ref that cannot be read is an error naming it.
pub(crate) fn all(repo: &gix::Repository) -> Result<Vec<(String, ObjectId)>, String> {
    if is_reftable(repo) {
        let (listed, out) = git(repo, &["for-each-ref", "--format=%(objectname) %(refname)"])?;
        if !listed {
            return Err("git for-each-ref failed".into());
        }
        let text = String::from_utf8_lossy(&out);
        return text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (hex, name) = line.split_once(' ').unwrap_or((line, ""));
                let id = ObjectId::from_hex(hex.as_bytes())
                    .map_err(|_| format!("git for-each-ref printed '{line}'"))?;
                Ok((name.to_string(), id))
            })
            .collect();
    }
    let refs = repo
        .references()
        .map_err(|e| format!("cannot read the refs: {e}"))?;
    let mut out = Vec::new();
    for r in refs
        .all()
        .map_err(|e| format!("cannot read the refs: {e}"))?
    {
        let mut r = r.map_err(|e| format!("cannot read a ref: {e}"))?;
        let name = r.name().as_bstr().to_string();
        let id = match r.try_id() {
            Some(id) => id.detach(),
            None => match r.follow_to_object() {
                Ok(id) => id.detach(),
                // A dangling symbolic ref: git ignores it too.
                Err(_) => continue,
            },
        };
        out.push((name, id));
    }
    Ok(out)
}

/// The object `HEAD` names, or `None` on an unborn branch.
pub(crate) fn head(repo: &gix::Repository) -> Result<Option<ObjectId>, String> {
    if is_reftable(repo) {
        let (found, out) = git(repo, &["rev-parse", "--verify", "-q", "HEAD"])?;
        if !found {
            return Ok(None);
        }
        let hex = String::from_utf8_lossy(&out);
        return ObjectId::from_hex(hex.trim().as_bytes())
            .map(Some)
            .map_err(|_| format!("git rev-parse HEAD printed '{}'", hex.trim()));
    }
    let head = repo.head().map_err(|e| format!("cannot read HEAD: {e}"))?;
    Ok(head.id().map(|id| id.detach()))
}

/// A revision as `git rev-parse --verify` resolves it (reftable repositories only: elsewhere
/// gix resolves it natively).
pub(crate) fn rev_parse(repo: &gix::Repository, spec: &str) -> Result<ObjectId, String> {
    let (found, out) = git(
        repo,
        &["rev-parse", "--verify", "-q", "--end-of-options", spec],
    )?;
    let hex = String::from_utf8_lossy(&out);
    match ObjectId::from_hex(hex.trim().as_bytes()) {
        Ok(id) if found => Ok(id),
        _ => Err("unknown revision".into()),
    }
}
