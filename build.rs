//! Embeds the commit this binary was built from (`git rev-parse`), for `git secrets --version`.
//! Builds outside a git checkout (a source tarball) say "unknown"; `GIT_SECRETS_COMMIT` in the
//! build environment overrides both (packagers).

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-env-changed=GIT_SECRETS_COMMIT");
    let commit = std::env::var("GIT_SECRETS_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]));
    // Rebuild when HEAD moves: HEAD itself (a branch switch) and the ref it points to (a commit).
    for path in [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r])),
        git(&["rev-parse", "--git-path", "packed-refs"]),
    ]
    .into_iter()
    .flatten()
    {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // No "dirty" mark: build scripts rerun on the files listed above only, so a mark taken
    // from the work tree would go stale after the next edit.
    let commit = commit.unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=GIT_SECRETS_COMMIT={commit}");
}
