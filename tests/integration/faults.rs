//! Bad input and faults: each case checks the exact message and exit code, and that hooks
//! refuse (fail closed) with a line saying why and how to get past them on purpose.

use crate::util::{TestRepo, ours};

fn repo() -> TestRepo {
    TestRepo::new(ours())
}

/// The finding lines before the banner (split on `\n` only: a `\r` is part of a line).
fn findings(stderr: &str) -> Vec<&str> {
    stderr.split('\n').take_while(|l| !l.is_empty()).collect()
}

#[test]
fn backreference_is_refused_naming_pattern_and_origin_and_hooks_fail_closed() {
    let repo = repo();
    repo.add_config("secrets.patterns", r"(ab)\1");
    repo.write("a.txt", "abab\n");
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 128);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: invalid pattern '(ab)\\1' from secrets.patterns: backreferences are not supported\n"
    );
    let out = repo.secrets(&["--scan", "a.txt"]);
    assert_eq!(out.code, 2);
    repo.secrets(&["--install"]);
    let out = repo.commit("x");
    assert_ne!(out.code, 0);
    assert!(
        out.stderr_str().ends_with(
            "git-secrets: the pre-commit check could not run, so the commit is refused (git commit --no-verify skips it deliberately)\n"
        ),
        "{}",
        out.stderr_str()
    );
    // The commit-msg hook refuses as well when its scan cannot run.
    let out = repo.git(&["commit", "-q", "-m", "x"]);
    assert_ne!(out.code, 0);
}

#[test]
fn hanging_provider_times_out_and_the_scan_refuses() {
    let repo = repo();
    repo.add_config("secrets.providers", "sleep 5");
    repo.add_config("secrets.providerTimeout", "0.3");
    repo.write("a.txt", "clean\n");
    repo.stage(&["a.txt"]);
    let started = std::time::Instant::now();
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: provider 'sleep' did not finish within 0.3 s (secrets.providerTimeout); not scanning without its patterns\n"
    );
    assert!(
        started.elapsed().as_secs() < 4,
        "the provider was killed, not awaited"
    );
}

#[test]
fn missing_provider_is_reported_and_the_rest_still_applies() {
    let repo = repo();
    repo.add_config("secrets.providers", "no-such-provider-command");
    repo.add_config("secrets.patterns", "forbidden");
    repo.write("a.txt", "forbidden\n");
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr_str().starts_with(
        "git-secrets: no-such-provider-command: command not found\na.txt:1:forbidden\n"
    ));
}

#[test]
fn odd_contents_nul_crlf_cr_only_invalid_utf8_long_lines() {
    let repo = repo();
    repo.add_config("secrets.patterns", "secret[0-9]+");
    repo.write("nul.bin", b"secret1\0\0\0");
    repo.write("crlf.txt", "a\r\nsecret2\r\n");
    repo.write("cr.txt", "a\rsecret3\rb");
    repo.write("latin1.txt", b"caf\xe9 secret4 \xff\n");
    let long = format!("{} secret5 {}\n", "x".repeat(1 << 20), "y".repeat(1 << 20));
    repo.write("long.txt", long.as_bytes());
    repo.stage(&["nul.bin", "crlf.txt", "cr.txt", "latin1.txt", "long.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    let stderr = out.stderr_str();
    let lines = findings(&stderr);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0], "cr.txt:1:a\rsecret3\rb");
    assert_eq!(lines[1], "crlf.txt:2:secret2\r");
    assert!(lines[2].starts_with("latin1.txt:1:caf"));
    assert!(lines[3].starts_with("long.txt:1:xxx"));
}

#[test]
fn symlinks_are_never_followed_out_of_the_tree() {
    let repo = repo();
    repo.add_config("secrets.patterns", "outside-secret");
    let outside = repo.sandbox().work().join("outside.txt");
    std::fs::write(&outside, "outside-secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.path().join("link.txt")).unwrap();
    std::fs::create_dir(repo.path().join("d")).unwrap();
    std::os::unix::fs::symlink(repo.sandbox().work(), repo.path().join("d/up")).unwrap();
    repo.stage(&["link.txt"]);
    for args in [
        vec!["--scan"],
        vec!["--scan", "--cached"],
        vec!["--scan", "--untracked"],
        vec!["--scan", "--no-index"],
        vec!["--scan", "-r", "d"],
    ] {
        let out = repo.secrets(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr_str());
    }
}

#[test]
fn file_names_with_newlines_and_quotes_are_scanned_and_quoted() {
    let repo = repo();
    repo.add_config("secrets.patterns", "s3cret");
    repo.write("we\"ird\nname.txt", "s3cret\n");
    repo.stage(&["we\"ird\nname.txt"]);
    let out = repo.secrets(&["--pre_commit_hook", "--"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        findings(&out.stderr_str()),
        vec!["\"we\\\"ird\\nname.txt\":1:s3cret"]
    );
}

#[test]
fn missing_object_is_an_error_naming_it() {
    let repo = repo();
    repo.add_config("secrets.patterns", "s3cret");
    repo.write("a.txt", "s3cret\n");
    repo.stage(&["a.txt"]);
    let blob = repo
        .git(&["rev-parse", ":a.txt"])
        .stdout_str()
        .trim()
        .to_string();
    std::fs::remove_file(
        repo.path()
            .join(format!(".git/objects/{}/{}", &blob[..2], &blob[2..])),
    )
    .unwrap();
    let out = repo.secrets(&["--pre_commit_hook", "--"]);
    assert_eq!(out.code, 128);
    assert!(
        out.stderr_str()
            .starts_with(&format!("fatal: unable to read {blob}\n")),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn shallow_clone_history_stops_at_the_boundary_with_a_warning() {
    let repo = repo();
    for i in 0..3 {
        repo.write("a.txt", format!("v{i} s3cret{i}\n"));
        repo.stage(&["a.txt"]);
        repo.git(&["commit", "-q", "-m", &format!("c{i}")]);
    }
    let work = repo.sandbox().work();
    let src = format!("file://{}", repo.path().display());
    let mut clone = repo.sandbox().command("git", &work);
    clone.args(["clone", "-q", "--depth", "1", &src, "shallow"]);
    assert_eq!(crate::util::run(clone).code, 0);
    let mut cmd = repo.sandbox().command("git", work.join("shallow"));
    cmd.args([
        "-c",
        "secrets.patterns=s3cret[0-9]",
        "secrets",
        "--scan-history",
    ]);
    let out = crate::util::run(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert!(stderr.starts_with("git-secrets: warning: shallow repository: history before its 1 boundary commit(s) is not scanned\n"), "{stderr}");
    assert!(stderr.contains(":a.txt:1:v2 s3cret2\n"));
}

#[test]
fn sha256_repositories_work() {
    let repo = repo();
    let work = repo.sandbox().work();
    let mut init = repo.sandbox().command("git", &work);
    init.args(["init", "-q", "--object-format=sha256", "s256"]);
    assert_eq!(crate::util::run(init).code, 0);
    let dir = work.join("s256");
    std::fs::write(dir.join("a.txt"), "s3cret\n").unwrap();
    let mut sh = repo.sandbox().command("bash", &dir);
    sh.args([
        "-c",
        "git config secrets.patterns s3cret && git add a.txt && git commit -q --no-verify -m x && git secrets --scan-history",
    ]);
    let out = crate::util::run(sh);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let first = out.stderr_str();
    let sha = first.split(':').next().unwrap();
    assert_eq!(sha.len(), 64, "{first}");
}

#[test]
fn size_cap_skips_large_files_with_a_note_and_bad_values_are_refused() {
    let repo = repo();
    repo.add_config("secrets.patterns", "AKIA[A-Z0-9]{16}");
    let big = format!("{}AKIAZ2MNQ4HWTRLE7VXC\n", "filler line\n".repeat(200));
    repo.write("big.txt", &big);
    repo.write("small.txt", "AKIAZ2MNQ4HWTRLE7VXQ\n");
    repo.stage(&["big.txt", "small.txt"]);
    repo.commit("c");
    // Off by default: both files are scanned.
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        findings(&out.stdout_str()).len() + findings(&out.stderr_str()).len(),
        2
    );
    // With a cap the large file is skipped, and the skip is said.
    repo.add_config("secrets.maxFileSize", "1k");
    for args in [&["--scan"][..], &["--scan-history"][..]] {
        let out = repo.secrets(args);
        assert_eq!(out.code, 1, "{args:?}");
        let all = format!("{}{}", out.stdout_str(), out.stderr_str());
        assert!(all.contains("small.txt:1:"), "{args:?}: {all}");
        assert!(!all.contains("big.txt:"), "{args:?}: {all}");
        assert!(
            all.contains(
                "git-secrets: 1 file(s) larger than 1024 bytes not scanned (secrets.maxFileSize)\n"
            ),
            "{args:?}: {all}"
        );
    }
    repo.git(&["config", "--unset-all", "secrets.maxFileSize"]);
    repo.add_config("secrets.maxFileSize", "lots");
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: bad secrets.maxFileSize 'lots': expected a positive number of bytes, optionally with k, m or g\n"
    );
}

/// A file that `.gitattributes` make binary is neither reported nor counted by the size cap,
/// in the work tree and in the index, though its attributes are looked up after the scan.
#[test]
fn binary_attributes_hold_back_findings_and_size_cap_notes() {
    let repo = repo();
    repo.add_config("secrets.patterns", "AKIA[A-Z0-9]{16}");
    let big = format!("{}AKIAZ2MNQ4HWTRLE7VXC\n", "filler line\n".repeat(200));
    for name in ["big.txt", "big.nd", "other.bin"] {
        repo.write(name, &big);
    }
    repo.write("small.nd", "AKIAZ2MNQ4HWTRLE7VXQ\n");
    repo.write("small.txt", "AKIAZ2MNQ4HWTRLE7VXQ\n");
    repo.write(".gitattributes", "*.nd -diff\n*.bin binary\n");
    repo.stage(&[
        ".gitattributes",
        "big.txt",
        "big.nd",
        "other.bin",
        "small.nd",
        "small.txt",
    ]);
    for args in [&["--scan"][..], &["--scan", "--cached"][..]] {
        let out = repo.secrets(args);
        assert_eq!(out.code, 1, "{args:?}");
        let all = format!("{}{}", out.stdout_str(), out.stderr_str());
        for shown in ["small.txt:1:", "big.txt:201:"] {
            assert!(all.contains(shown), "{args:?}: {all}");
        }
        for hidden in ["small.nd", "big.nd", "other.bin"] {
            assert!(!all.contains(hidden), "{args:?}: {all}");
        }
    }
    repo.add_config("secrets.maxFileSize", "1k");
    for args in [&["--scan"][..], &["--scan", "--cached"][..]] {
        let out = repo.secrets(args);
        let all = format!("{}{}", out.stdout_str(), out.stderr_str());
        assert!(all.contains("small.txt:1:"), "{args:?}: {all}");
        assert!(
            all.contains(
                "git-secrets: 1 file(s) larger than 1024 bytes not scanned (secrets.maxFileSize)\n"
            ),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn history_reads_the_same_from_packs_as_from_loose_objects() {
    let repo = repo();
    repo.add_config("secrets.patterns", "s3cret[0-9]+");
    // Similar commits (long shared messages) on two branches and a merge: a repack stores
    // many commits and trees as deltas, which the history walk must read like whole objects.
    // Nested directories of many files, each commit changing one: trees whose versions are
    // delta chains that the tree diffs resolve themselves.
    let body = "a commit message body line that every commit shares\n".repeat(40);
    let names: Vec<String> = (0..40)
        .map(|f| format!("src/mod{}/deep/file-with-a-long-name-{f}.txt", f % 2))
        .collect();
    for name in &names {
        repo.write(name, "nothing yet\n");
    }
    for i in 0..40 {
        repo.write(
            "a.txt",
            format!("{}line {i} s3cret{i}\n", "same text\n".repeat(50)),
        );
        repo.write(
            &names[(i * 7) % 40],
            format!("version {i} s3cret{}\n", 100 + i),
        );
        repo.stage(&["a.txt", "src"]);
        let subject = format!("change {i}");
        repo.git(&["commit", "-q", "--no-verify", "-m", &subject, "-m", &body]);
        if i == 20 {
            repo.git(&["checkout", "-q", "-b", "side"]);
        }
    }
    repo.git(&["checkout", "-q", "-"]);
    repo.write("b.txt", "s3cret999\n");
    repo.stage(&["b.txt"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "b"]);
    repo.git(&["merge", "-q", "--no-edit", "side", "-X", "ours"]);
    let loose = repo.secrets(&["--scan-history"]);
    assert_eq!(loose.code, 1, "{}", loose.stderr_str());
    assert!(loose.stderr_str().contains(":b.txt:1:s3cret999\n"));
    let repack = repo.git(&[
        "repack",
        "-q",
        "-a",
        "-d",
        "-f",
        "--window=250",
        "--depth=50",
    ]);
    assert_eq!(repack.code, 0);
    let mut verify = repo.sandbox().command("bash", repo.path());
    verify.args(["-c", "git verify-pack -v .git/objects/pack/*.idx"]);
    let listing = crate::util::run(verify);
    let delta_commits = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("commit"))
        .filter(|l| l.split_whitespace().count() >= 7)
        .count();
    assert!(delta_commits > 0, "no commit was stored as a delta");
    let delta_trees = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|l| l.split_whitespace().nth(1) == Some("tree"))
        .filter(|l| {
            l.split_whitespace()
                .nth(5)
                .is_some_and(|depth| depth != "1")
        })
        .count();
    assert!(delta_trees > 0, "no tree was stored deeper than one delta");
    let packed = repo.secrets(&["--scan-history"]);
    assert_eq!(packed.code, loose.code);
    assert_eq!(packed.stderr_str(), loose.stderr_str());
    assert_eq!(packed.stdout, loose.stdout);
}

#[test]
fn blobs_are_read_bases_first_along_their_delta_chains() {
    let repo = repo();
    for i in 0..30 {
        let text: String = (0..200)
            .map(|n| format!("line {n} of version {}\n", i / 3 + n % 7))
            .collect();
        repo.write("a.txt", format!("{text}{i}\n"));
        repo.write("b.txt", format!("{i}\n{text}"));
        repo.stage(&["a.txt", "b.txt"]);
        repo.git(&["commit", "-q", "--no-verify", "-m", &format!("c{i}")]);
    }
    assert_eq!(
        repo.git(&["repack", "-q", "-a", "-d", "-f", "--depth=50"])
            .code,
        0
    );
    let mut verify = repo.sandbox().command("bash", repo.path());
    verify.args(["-c", "git verify-pack -v .git/objects/pack/*.idx"]);
    let listing = String::from_utf8(crate::util::run(verify).stdout).unwrap();
    // `<id> blob <size> <size in pack> <offset> [<depth> <base id>]`
    let blobs: Vec<(String, Option<String>)> = listing
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.get(1) == Some(&"blob"))
        .map(|f| (f[0].to_string(), f.get(6).map(|b| b.to_string())))
        .collect();
    let deltas = blobs.iter().filter(|(_, base)| base.is_some()).count();
    assert!(deltas > 20, "{listing}");

    let gix_repo = gix::open(repo.path()).unwrap();
    let layout = git_secrets::git::PackLayout::read(&gix_repo);
    let mut ids: Vec<gix::ObjectId> = blobs
        .iter()
        .map(|(id, _)| gix::ObjectId::from_hex(id.as_bytes()).unwrap())
        .collect();
    ids.sort();
    let all = ids.clone();
    layout.order_blobs(&mut ids);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(sorted, all, "every blob listed once");
    let position = |hex: &str| {
        let id = gix::ObjectId::from_hex(hex.as_bytes()).unwrap();
        ids.iter().position(|i| *i == id).unwrap()
    };
    for (id, base) in &blobs {
        if let Some(base) = base {
            assert!(position(base) < position(id), "{base} before {id}");
        }
    }
}
