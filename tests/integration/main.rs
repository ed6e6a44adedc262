//! Integration tests: our `git-secrets` binary driven through real `git`, side by side with
//! the upstream bash script.
//!
//! * [`util`] builds sealed sandboxes (private `$HOME`, `PATH`, config and fixed dates) in
//!   which `git secrets` resolves to the implementation under test.
//! * [`compat`] is the differential suite: every case runs once with upstream and once with
//!   ours, and the exit codes and output streams must match byte for byte, except for the
//!   upstream bugs we fix on purpose (§19 of
//!   `shared/docs/git-secrets-behaviour.md` beside the checkout) and the Bedrock
//!   patterns of upstream master, which are asserted separately.
//!
//! The tests below check the sandbox itself against upstream, so that a broken harness
//! cannot masquerade as a compatibility result.

// The test harness reports skips and timings on stderr; the print lints are for the product.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod agreement;
mod audit;
mod bypass;
mod chosen_passwords;
mod compat;
mod decoding;
mod ending;
mod faults;
mod formats;
mod hardening;
mod newcomer;
mod options;
mod properties;
mod push;
mod quality_corpus;
mod registry;
mod staged;
mod util;

use std::path::Path;

use util::{TestRepo, UPSTREAM};

/// `git secrets` in a sandbox is the symlinked implementation, and config written with
/// `--global` lands in the sandbox's `$HOME`, not the developer's.
#[test]
fn sandbox_resolves_git_secrets_and_seals_home() {
    let repo = TestRepo::new(Path::new(UPSTREAM));
    let resolved = repo
        .sandbox()
        .bash("readlink \"$(command -v git-secrets)\"", 10);
    assert_eq!(resolved.stdout_str().trim_end(), UPSTREAM);

    assert_eq!(repo.secrets(&["--add", "--global", "from-test"]).code, 0);
    let home_config =
        std::fs::read_to_string(repo.sandbox().root().join("home/.gitconfig")).unwrap();
    assert!(
        home_config.contains("patterns = from-test"),
        "{home_config}"
    );
    let list = repo.secrets(&["--list"]);
    assert_eq!(list.stdout_str(), "secrets.patterns from-test\n");
}

/// Fixed identities and dates make commit ids identical across sandboxes, which the
/// differential cases rely on (history findings print full commit ids).
#[test]
fn sandbox_commits_are_reproducible() {
    let head = || {
        let repo = TestRepo::new(Path::new(UPSTREAM));
        repo.add_config("secrets.patterns", "forbidden");
        repo.write("dir/a.txt", "fine\n");
        repo.stage(&["dir/a.txt"]);
        let commit = repo.commit("first");
        assert_eq!(commit.code, 0, "{}", commit.stderr_str());
        assert!(repo.path().join(".git").is_dir());
        repo.git(&["rev-parse", "HEAD"]).stdout
    };
    assert_eq!(head(), head());
}
