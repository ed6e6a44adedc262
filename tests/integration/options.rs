//! Extension options checked against the command (issue 11, item 4): an option the command
//! has no use for is an error in upstream's words for its own modifiers, where it was
//! silently ignored before.

use std::path::Path;

use crate::util::{TestRepo, ours};

const KEY: &str = "AKIAZ2MNQ4HWTRLE7VXC";

fn repo_with_key() -> TestRepo {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    repo.write("k.txt", format!("key = {KEY}\n"));
    repo
}

#[test]
fn an_option_for_another_command_is_refused_in_upstreams_words() {
    let repo = TestRepo::new(ours());
    for (args, message) in [
        (
            &["--list", "--format", "json"][..],
            "--format can only be supplied with a scan or hook subcommand\n",
        ),
        (
            &["--format=json", "--list"][..],
            "--format can only be supplied with a scan or hook subcommand\n",
        ),
        (
            &["--scan", "--verbose"][..],
            "--verbose can only be supplied with the --scan-history subcommand\n",
        ),
        (
            &["--add", "x", "--plan"][..],
            "--plan can only be supplied with the --scan-repos subcommand\n",
        ),
        (
            &["--scan", "--pre-push"][..],
            "--pre-push can only be supplied with the --install subcommand\n",
        ),
        (
            &["--pre_commit_hook", "--update-baseline"][..],
            "--update-baseline can only be supplied with the --scan, --scan-history or --scan-range subcommand\n",
        ),
    ] {
        let out = repo.secrets(args);
        assert_eq!(
            (
                out.code,
                out.stderr_str().as_str(),
                out.stdout_str().as_str()
            ),
            (1, message, ""),
            "{args:?}"
        );
    }
    // Where they belong they are accepted as before.
    assert_eq!(repo.secrets(&["--scan-history", "--verbose"]).code, 0);
    assert_eq!(repo.secrets(&["--format", "json", "--scan"]).code, 0);
}

#[test]
fn update_baseline_without_a_baseline_file_is_an_error() {
    let repo = repo_with_key();
    // Before: a plain scan that printed the finding and exit 1, recording nothing.
    let out = repo.secrets(&["--scan", "--update-baseline", "k.txt"]);
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        "git-secrets: --update-baseline needs a baseline file: give --baseline FILE or configure secrets.baseline\n"
    );
    // With a configured baseline it records (the file need not exist yet).
    repo.add_config("secrets.baseline", "accepted.json");
    let out = repo.secrets(&["--scan", "--update-baseline", "k.txt"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert!(Path::new(&repo.path().join("accepted.json")).is_file());
    assert_eq!(repo.secrets(&["--scan", "k.txt"]).code, 0);
}
