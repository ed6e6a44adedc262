//! One ending for every scan (issue 11, item 3): the pre-receive hook settles its findings
//! like every other scan (inline markers, allowed patterns that fail closed) and can keep a
//! machine report of each push. Real `git push` to a bare server with the installed hook.

use crate::util::PushPair as Server;

const KEY: &str = "AKIAZ2MNQ4HWTRLE7VXC";

/// Inline markers are content allowing itself: a pusher appending `# gitleaks:allow` to a
/// key's line got it accepted (issue 14, second pass). The server ignores them unless its
/// administrator trusts repository allowlists, and says so; a client scan still honours them.
#[test]
fn pre_receive_ignores_inline_markers_unless_the_server_trusts_them() {
    let s = Server::new();
    // The line passes `--scan` in the client...
    s.client(&format!(
        "printf 'key = {KEY} # git-secrets:allow\\n' > k.txt"
    ));
    let scan = s.client("git secrets --register aws >/dev/null && git secrets --scan k.txt");
    assert_eq!(scan.code, 0, "{}", scan.stderr_str());
    // ... but not the server, by default, whichever marker it carries.
    for (file, marker) in [
        ("k.txt", "# git-secrets:allow"),
        ("g.txt", "// gitleaks:allow"),
        ("p.txt", "# pragma: allowlist secret"),
    ] {
        let out = s.push_file(file, &format!("key = {KEY} {marker}"));
        assert_ne!(out.code, 0, "{marker}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert!(
            err.contains(&format!(":{file}:1: aws.access-key-id"))
                && err.contains("ignoring inline allow markers (secrets.trustRepositoryAllowlists is false by default in the pre-receive hook)"),
            "{marker}: {err}"
        );
        s.client("git reset -q --hard HEAD~1");
    }
    // The administrator's explicit trust restores them; explicit distrust keeps them off.
    s.sh(
        &s.server,
        "git config secrets.trustRepositoryAllowlists false",
    );
    let out = s.push_file("k.txt", &format!("key = {KEY} # git-secrets:allow"));
    assert_ne!(out.code, 0, "{}", out.stderr_str());
    s.sh(
        &s.server,
        "git config secrets.trustRepositoryAllowlists true",
    );
    let out = s.client("git push origin master");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    // An unmarked line is still refused.
    let out = s.push_file("l.txt", &format!("key = {KEY}"));
    assert_ne!(out.code, 0);
    assert!(
        out.stderr_str().contains(":l.txt:1: aws.access-key-id"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn pre_receive_refuses_an_allowlist_that_does_not_compile() {
    let s = Server::new();
    // A valid entry that would accept the secret, beside one that does not compile: before,
    // the whole list was dropped without a word and the push refused as a plain finding.
    s.server_ok(&format!(
        "git config --add secrets.allowed {KEY} && git config --add secrets.allowed 'a[b'"
    ));
    let out = s.push_file("k.txt", &format!("key = {KEY}"));
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert!(
        stderr.contains("git-secrets: invalid allowed pattern 'a[b' from secrets.allowed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the secret scan could not run, so the push is refused"),
        "{stderr}"
    );
    assert!(!stderr.contains(KEY), "{stderr}");
}

#[test]
fn pre_receive_keeps_a_machine_report_and_talks_human_to_the_pusher() {
    let s = Server::new();
    s.server_ok("git config secrets.preReceiveFormat json && git config secrets.preReceiveReport reports/last.json && mkdir reports");
    let out = s.push_file("k.txt", &format!("key = {KEY}"));
    assert_ne!(out.code, 0);
    let stderr = out.stderr_str();
    assert!(
        stderr.contains(":k.txt:1: aws.access-key-id AKIA"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('{'),
        "the pusher sees text, not JSON: {stderr}"
    );
    let report = std::fs::read_to_string(s.server.join("reports/last.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(json["scan"]["mode"], "pre-receive", "{report}");
    assert_eq!(json["scan"]["finding_count"], 1, "{report}");
    assert!(
        report.contains("k.txt") && report.contains("aws.access-key-id"),
        "{report}"
    );
    assert!(!report.contains(KEY), "machine reports redact: {report}");
    // The format can come from the file name alone; a clean push writes an empty report.
    s.server_ok("git config --unset secrets.preReceiveFormat && git config secrets.preReceiveReport push.sarif");
    let out = s.client("git reset -q --hard HEAD~1 && echo fine > b.txt && git add b.txt && git commit -qm b && git push -q origin master");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let sarif = std::fs::read_to_string(s.server.join("push.sarif")).unwrap();
    assert!(
        sarif.contains("\"version\": \"2.1.0\"") || sarif.contains("\"version\":\"2.1.0\""),
        "{sarif}"
    );
    // A bad format refuses the push with a line naming the key.
    s.server_ok("git config secrets.preReceiveFormat xml");
    let out = s.push_file("c.txt", "clean");
    assert_ne!(out.code, 0);
    assert!(
        out.stderr_str()
            .contains("bad secrets.preReceiveFormat 'xml'"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn pre_receive_notes_reach_the_pusher_in_its_style() {
    let s = Server::new();
    // A provider that cannot run: upstream's shell said "command not found" and went on;
    // the note now travels as data and GitLab's prefix applies to it like to every line
    // (it was printed straight to stderr, without the prefix GitLab needs to show it).
    s.server_ok("git config --add secrets.providers no-such-provider-cmd");
    s.client("echo fine > c.txt && git add c.txt && git commit -qm c");
    let out = s.client("GL_ID=user-1 git push origin master");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .contains("remote: GL-HOOK-ERR: git-secrets: no-such-provider-cmd: command not found"),
        "{}",
        out.stderr_str()
    );
}
