//! Issue 14, tried as an attacker would: foreign repositories, type changes, commit-message
//! cleanup modes, odd merge heads, tags of every kind, hostile numbers in config, oversize
//! files on the server, unreadable refs, reftable repositories and empty ranges. Every case
//! runs the real `git` with the real hooks.

use std::path::{Path, PathBuf};

use crate::util::{Output, Sandbox, ours, run};

/// Matches upstream's AWS access key pattern (and the built-in `aws` pack).
const S: &str = "AKIAZ7Q3X9K2M4N6P8R1";

fn sh(sandbox: &Sandbox, dir: &Path, script: &str) -> Output {
    let mut cmd = sandbox.command("bash", dir);
    cmd.args(["-c", &format!("set -e\nS={S}\n{script}")]);
    run(cmd)
}

fn ok(out: Output) -> Output {
    assert_eq!(
        out.code,
        0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout_str(),
        out.stderr_str()
    );
    out
}

/// The command (a hook through git, whose exit code git chooses) failed, saying `needle`.
fn failed_on(out: &Output, needle: &str) {
    assert_ne!(out.code, 0, "{}", out.stderr_str());
    assert!(out.stderr_str().contains(needle), "{}", out.stderr_str());
}

/// The command found the key: exit 1 and `needle` on stderr.
fn refused(out: &Output, needle: &str) {
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(out.stderr_str().contains(needle), "{}", out.stderr_str());
}

/// A repository `w/r` with the commit hooks and upstream's AWS patterns, and one commit.
fn hooked_repo(sandbox: &Sandbox, init_args: &str) -> PathBuf {
    ok(sh(
        sandbox,
        &sandbox.work(),
        &format!(
            "git init -q {init_args} r && cd r && git secrets --install >/dev/null && git secrets --register-aws >/dev/null
             echo hello > a.txt && git add a.txt && git commit -qm init"
        ),
    ));
    sandbox.work().join("r")
}

/// Item 1: a repository owned by someone else is not trusted: its config (providers,
/// patterns) is not read, git-mode commands stop with git's own message, and `safe.directory`
/// restores trust as it does for git.
#[test]
fn foreign_repository_config_is_not_trusted() {
    let sb = Sandbox::new(ours());
    let root = sb.root().to_path_buf();
    let pwned = root.join("pwned");
    ok(sh(
        &sb,
        &sb.work(),
        &format!(
            "git init -q shared && cd shared && git config secrets.providers 'touch {}'
             git config secrets.patterns forbidden && mkdir sub && echo forbidden > sub/n.txt",
            pwned.display()
        ),
    ));
    let shared = sb.work().join("shared");
    let chown = sh(&sb, &shared, "chown -R nobody .git");
    if chown.code != 0 {
        let msg = "foreign_repository_config_is_not_trusted: needs root to chown";
        if std::env::var_os("CI").is_some() {
            panic!("{msg}: {}", chown.stderr_str());
        }
        eprintln!("SKIPPED {msg}");
        return;
    }
    let top = shared.canonicalize().unwrap();
    let dubious = format!(
        "fatal: detected dubious ownership in repository at '{}'\n",
        top.display()
    );
    // git itself refuses the repository.
    let git = sh(&sb, &shared.join("sub"), "git status || echo rc=$?");
    assert!(git.stdout_str().contains("rc=128"), "{}", git.stderr_str());
    // File mode: like upstream's `git config`, the repository's config is not read.
    let out = sh(&sb, &shared.join("sub"), "git secrets --scan n.txt");
    assert!(!pwned.exists(), "a foreign repository's provider ran");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert!(
        out.stderr_str().starts_with(&dubious),
        "{}",
        out.stderr_str()
    );
    // Git mode and the hooks need the repository: git's message, exit 128.
    for cmd in [
        "git secrets --scan",
        "git secrets --scan-history",
        "git secrets --pre_commit_hook --",
        "git secrets --scan-range HEAD",
    ] {
        let out = sh(&sb, &shared.join("sub"), cmd);
        assert_eq!(out.code, 128, "{cmd}: {}", out.stderr_str());
        assert!(
            out.stderr_str().starts_with(&dubious),
            "{cmd}: {}",
            out.stderr_str()
        );
        assert!(
            !pwned.exists(),
            "{cmd}: a foreign repository's provider ran"
        );
    }
    // safe.directory (global config) makes it trusted, as for git.
    ok(sh(
        &sb,
        &sb.work(),
        &format!(
            "git config --global --add safe.directory '{}'",
            top.display()
        ),
    ));
    let out = sh(&sb, &shared.join("sub"), "git secrets --scan n.txt");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(
        out.stderr_str().starts_with("n.txt:1:forbidden\n"),
        "{}",
        out.stderr_str()
    );
    assert!(pwned.exists(), "a trusted repository's provider runs");
}

/// Item 4: a symlink or a gitlink replaced by a regular file holding a key is a type change;
/// the pre-commit hook scans it.
#[test]
fn pre_commit_scans_type_changes() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    ok(sh(
        &sb,
        &r,
        "ln -s a.txt link && git add link
         git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),mod
         git commit -qm links",
    ));
    let out = sh(
        &sb,
        &r,
        "rm link && echo \"k=$S\" > link && echo more >> a.txt && git add link a.txt
         git commit -qm typechange",
    );
    refused(&out, &format!("link:1:k={S}"));
    let out = sh(
        &sb,
        &r,
        "git reset -q --hard && git rm -q --cached mod && rmdir mod && echo \"k=$S\" > mod
         echo more >> a.txt && git add mod a.txt && git commit -qm gitlink",
    );
    refused(&out, &format!("mod:1:k={S}"));
}

/// Item 5: the commit-msg hook drops `#` lines only when git will strip them.
#[test]
fn commit_msg_strips_only_what_git_strips() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    // An editor that writes a subject and a `#` line holding the key above git's template.
    let editor = sb.root().join("editor.sh");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\n{{ printf 'subject\\n#key {S}\\n'; cat \"$1\"; }} > \"$1.new\" && mv \"$1.new\" \"$1\"\n"),
    )
    .unwrap();
    ok(sh(&sb, &r, &format!("chmod +x '{}'", editor.display())));
    let with_editor = |args: &str| {
        sh(
            &sb,
            &r,
            &format!(
                "GIT_EDITOR='{}' git commit -q --allow-empty {args}",
                editor.display()
            ),
        )
    };
    // git strips the line (default cleanup with an editor): nothing to refuse.
    let out = with_editor("");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let msg = ok(sh(&sb, &r, "git log -1 --format=%B")).stdout_str();
    assert!(!msg.contains(S), "{msg}");
    // git keeps it: the hook must refuse, even when a commit template fakes git's
    // strip-mode hint.
    let template = sb.root().join("template.txt");
    std::fs::write(
        &template,
        "\n# with '#' will be ignored, and an empty message aborts the commit.\n",
    )
    .unwrap();
    let templated = format!("--cleanup=whitespace -t '{}'", template.display());
    for args in [
        "--cleanup=verbatim",
        "--cleanup=whitespace",
        templated.as_str(),
    ] {
        let out = with_editor(args);
        assert_eq!(out.code, 1, "{args}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!(":#key {S}")),
            "{args}: {}",
            out.stderr_str()
        );
    }
    let out = sh(
        &sb,
        &r,
        "git -c commit.cleanup=verbatim commit -q --allow-empty -m subject -m \"#key $S\"",
    );
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    // Text that merely looks like git's template does not switch stripping on (-m: git
    // keeps `#` lines).
    let out = sh(
        &sb,
        &r,
        "git commit -q --allow-empty -m '# Please enter the commit message' -m \"#key $S\"",
    );
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let out = sh(
        &sb,
        &r,
        "git commit -q --allow-empty -m '# Please enter the commit message for your changes. Lines starting' -m \"# with '#' will be ignored, and an empty message aborts the commit.
#key $S\"",
    );
    assert_eq!(out.code, 1, "{}", out.stderr_str());
}

/// Item 6: the merge hook scans every merged head, whatever the branch is called.
#[test]
fn merge_hook_scans_every_head() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    ok(sh(
        &sb,
        &r,
        "git checkout -q -b 'feat=x' && echo \"k=$S\" > f.txt && git add f.txt && git commit -q --no-verify -m f
         git checkout -q master && echo y > y.txt && git add y.txt && git commit -qm y",
    ));
    let out = sh(&sb, &r, "git merge -q --no-ff --no-edit 'feat=x'");
    failed_on(&out, &format!("k={S}"));
    // Concluding the refused merge with `git commit` is a merge too.
    let out = sh(&sb, &r, "git commit -q --no-edit");
    assert_ne!(out.code, 0, "{}", out.stderr_str());
    ok(sh(&sb, &r, "git merge --abort"));
    // Octopus merges, the head with the key first or second.
    ok(sh(
        &sb,
        &r,
        "git checkout -q -b b1 master && echo one > one.txt && git add one.txt && git commit -qm one
         git checkout -q -b b2 master && echo \"k=$S\" > two.txt && git add two.txt && git commit -q --no-verify -m two
         git checkout -q master && echo z > z.txt && git add z.txt && git commit -qm z",
    ));
    for heads in ["b1 b2", "b2 b1"] {
        let out = sh(&sb, &r, &format!("git merge -q --no-edit {heads}"));
        assert_ne!(out.code, 0, "{heads}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!("k={S}")),
            "{heads}: {}",
            out.stderr_str()
        );
        let _ = sh(&sb, &r, "git merge --abort || git reset -q --hard");
    }
    // A merged head that cannot be read refuses the merge.
    let out = sh(
        &sb,
        &r,
        "echo 1234567890123456789012345678901234567890 > .git/MERGE_HEAD
         git secrets --prepare_commit_msg_hook -- .git/MERGE_MSG merge",
    );
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .contains("1234567890123456789012345678901234567890"),
        "{}",
        out.stderr_str()
    );
    assert!(
        out.stderr_str().contains("the merge is refused"),
        "{}",
        out.stderr_str()
    );
}

/// Item 9: a ref naming a missing commit makes `--scan-history` fail, naming the ref.
#[test]
fn scan_history_fails_on_a_ref_to_a_missing_commit() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    ok(sh(
        &sb,
        &r,
        "echo 1234567890123456789012345678901234567890 > .git/refs/heads/broken",
    ));
    let out = sh(&sb, &r, "git secrets --scan-history");
    assert_eq!(out.code, 128, "{}", out.stderr_str());
    assert!(
        out.stderr_str().contains("refs/heads/broken"),
        "{}",
        out.stderr_str()
    );
}

/// git >= 2.45 (reftable); `None` when the version cannot be read.
fn git_has_reftable(sb: &Sandbox) -> bool {
    let v = sh(sb, &sb.work(), "git --version").stdout_str();
    let nums: Vec<u32> = v
        .trim()
        .trim_start_matches("git version ")
        .split('.')
        .take(2)
        .filter_map(|n| n.parse().ok())
        .collect();
    let ok = matches!(nums[..], [major, minor] if (major, minor) >= (2, 45));
    if !ok {
        let msg = format!("reftable test needs git >= 2.45, found {v}");
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED {msg}");
    }
    ok
}

/// Item 9: reftable repositories work for the hooks, `--scan` and `--scan-history`.
#[test]
fn reftable_repositories_work() {
    let sb = Sandbox::new(ours());
    if !git_has_reftable(&sb) {
        return;
    }
    let r = hooked_repo(&sb, "--ref-format=reftable");
    let out = sh(
        &sb,
        &r,
        "echo clean > c.txt && git add c.txt && git commit -qm clean",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let out = sh(
        &sb,
        &r,
        "echo \"k=$S\" > k.txt && git add k.txt && git commit -qm key",
    );
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    ok(sh(
        &sb,
        &r,
        "git commit -q --no-verify -m key && git branch side HEAD~1",
    ));
    let out = sh(&sb, &r, "git secrets --scan");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let out = sh(&sb, &r, "git secrets --scan-history");
    refused(&out, &format!(":k.txt:1:k={S}"));
    let out = sh(&sb, &r, "git secrets --scan-range HEAD~1..HEAD");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    // Push hooks on both sides of a reftable pair: a pushed clean branch hides its history,
    // a key is refused by pre-push and by pre-receive.
    ok(sh(
        &sb,
        &sb.work(),
        "git init -q --bare --ref-format=reftable server.git
         cd server.git && git config --add secrets.registries aws && git secrets --install --pre-receive . >/dev/null
         cd ../r && git secrets --install -f --pre-push >/dev/null && git remote add origin ../server.git
         git push -q origin side:master",
    ));
    let out = sh(&sb, &r, "git push origin HEAD:master");
    refused(&out, &format!("k.txt:1:k={S}"));
    let out = sh(&sb, &r, "git push --no-verify origin HEAD:master");
    failed_on(&out, "pre-receive hook declined");
    let out = sh(
        &sb,
        &r,
        "git checkout -q side && echo ok > ok.txt && git add ok.txt && git commit -qm ok && git push origin side:master",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
}

/// A bare server with our pre-receive hook (the `aws` pack) and a client clone.
fn server_pair(sb: &Sandbox) -> (PathBuf, PathBuf) {
    ok(sh(
        sb,
        &sb.work(),
        "git init -q --bare server.git && git init -q client
         cd server.git && git config --add secrets.registries aws && git secrets --install --pre-receive . >/dev/null
         cd ../client && git remote add origin ../server.git && echo hello > a.txt && git add a.txt && git commit -qm init && git push -q origin master",
    ));
    (sb.work().join("server.git"), sb.work().join("client"))
}

/// Item 10: numbers that do not fit are refused with one line naming the key, not a panic.
#[test]
fn hostile_config_numbers_are_refused() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    ok(sh(
        &sb,
        &client,
        "echo b > b.txt && git add b.txt && git commit -qm b",
    ));
    for value in ["1e30", "inf", "nan", "-1", "0", "soon"] {
        ok(sh(
            &sb,
            &server,
            &format!("git config secrets.preReceiveBudget {value}"),
        ));
        let out = sh(&sb, &client, "git push origin master");
        assert_ne!(out.code, 0, "{value}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert!(!err.contains("panicked"), "{value}: {err}");
        assert!(
            err.contains(&format!("secrets.preReceiveBudget '{value}'")),
            "{value}: {err}"
        );
    }
    let r = hooked_repo(&sb, "");
    for value in ["1e300", "inf", "nan", "-1"] {
        let out = sh(
            &sb,
            &r,
            &format!("git -c secrets.providerTimeout={value} secrets --scan a.txt"),
        );
        assert_eq!(out.code, 2, "{value}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert!(!err.contains("panicked"), "{value}: {err}");
        assert_eq!(err.lines().count(), 1, "{value}: {err}");
        assert!(
            err.contains(&format!("secrets.providerTimeout '{value}'")),
            "{value}: {err}"
        );
    }
}

/// Item 11: the pre-push hook peels tags: clean tags pass, tags of a key are refused.
#[test]
fn pre_push_handles_every_kind_of_tag() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    ok(sh(&sb, &server, "rm hooks/pre-receive"));
    ok(sh(
        &sb,
        &client,
        "git secrets --register aws && git secrets --install --pre-push >/dev/null",
    ));
    // Clean annotated tags, a tag of a tag, on pushed and unpushed commits.
    let out = sh(
        &sb,
        &client,
        "git tag -a v1 -m v1 && git tag -a v2 -m v2 v1 && echo c > c.txt && git add c.txt && git commit -qm c
         git tag -a v3 -m v3 && git push origin --tags",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let out = sh(&sb, &client, "git push origin refs/tags/v2");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    // A lightweight tag of a blob holding a key, and of a tree holding one.
    let out = sh(
        &sb,
        &client,
        "git tag blobkey $(echo \"k=$S\" | git hash-object -w --stdin)
         git push origin refs/tags/blobkey",
    );
    refused(&out, &format!("k={S}"));
    let out = sh(
        &sb,
        &client,
        "git tag -d blobkey >/dev/null
         git tag treekey $(printf '100644 blob %s\\tkey.txt\\n' $(echo \"k=$S\" | git hash-object -w --stdin) | git mktree)
         git push origin refs/tags/treekey",
    );
    refused(&out, &format!("k={S}"));
    // An annotated tag of a tag of an unpushed commit with a key.
    let out = sh(
        &sb,
        &client,
        "git tag -d treekey >/dev/null
         echo \"k=$S\" > k.txt && git add k.txt && git commit -q --no-verify -m k
         git tag -a inner -m inner && git tag -a outer -m outer inner && git tag -d inner >/dev/null
         git push origin --tags",
    );
    refused(&out, &format!("k.txt:1:k={S}"));
}

/// Item 2: the pre-receive hook peels tags to the end. A tag of a tag of a commit with a key,
/// lightweight and annotated tags of a blob or a tree with a key are refused, so the nested
/// tag's commit never becomes known to the server and merging it into master is refused too.
#[test]
fn pre_receive_peels_every_kind_of_tag() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    let refused = |script: &str, what: &str| {
        let out = sh(&sb, &client, script);
        assert_ne!(out.code, 0, "{what}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains("pre-receive hook declined")
                && out.stderr_str().contains("aws.access-key-id"),
            "{what}: {}",
            out.stderr_str()
        );
    };
    // Clean annotated tags, and a tag of a tag, are accepted.
    ok(sh(
        &sb,
        &client,
        "git tag -a v1 -m v1 && git tag -a v2 -m v2 v1 2>/dev/null && git push -q origin --tags",
    ));
    // A tag of a tag of a commit (on a side branch) with a key; the inner tag is not pushed.
    ok(sh(
        &sb,
        &client,
        "git checkout -q -b side && echo \"k=$S\" > k.txt && git add k.txt && git commit -q -m k
         git tag -a inner -m inner && git tag -a outer -m outer inner 2>/dev/null && git tag -d inner >/dev/null
         git checkout -q master",
    ));
    refused("git push origin refs/tags/outer", "tag of a tag");
    // Merging the nested tag's commit into master: its commit is not known to the server.
    ok(sh(
        &sb,
        &client,
        "git merge -q --no-ff --no-edit side && git tag -d outer >/dev/null",
    ));
    refused("git push origin master", "merge of the tagged commit");
    // Lightweight tags straight at a blob and at a tree, an annotated tag of a tree, and a
    // tag of that tag.
    let blob = "$(echo \"k=$S\" | git hash-object -w --stdin)";
    let tree = format!("$(printf '100644 blob %s\\tkey.txt\\n' {blob} | git mktree)");
    refused(
        &format!("git tag blobkey {blob} && git push origin refs/tags/blobkey"),
        "lightweight tag of a blob",
    );
    refused(
        &format!("git tag treekey {tree} && git push origin refs/tags/treekey"),
        "lightweight tag of a tree",
    );
    refused(
        &format!("git tag -a atree -m t {tree} && git push origin refs/tags/atree"),
        "annotated tag of a tree",
    );
    refused(
        "git tag -a atree2 -m t atree 2>/dev/null && git push origin refs/tags/atree2",
        "tag of a tag of a tree",
    );
    let refs = ok(sh(&sb, &server, "git for-each-ref --format='%(refname)'")).stdout_str();
    assert_eq!(
        refs, "refs/heads/master\nrefs/tags/v1\nrefs/tags/v2\n",
        "the server took a ref it should have refused"
    );
}

/// Second pass: a replace ref (`git replace K C`) makes git show a clean commit C where the
/// repository holds K with a key. History and range scans read the stored objects, which
/// are what `git push` sends (pack-objects ignores replace refs), so K's key is found; with
/// the replace ref on the server first, pushing K is still refused.
#[test]
fn replace_refs_do_not_hide_what_history_holds() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    ok(sh(
        &sb,
        &client,
        "git secrets --register-aws >/dev/null
         echo clean > c.txt && git add c.txt && git commit -qm clean && C=$(git rev-parse HEAD)
         git reset -q --hard HEAD~1 && echo \"k=$S\" > k.txt && git add k.txt && git commit -qm key
         git replace HEAD $C && git reset -q --hard",
    ));
    // git now shows the clean commit.
    let shown = ok(sh(&sb, &client, "git ls-tree --name-only HEAD")).stdout_str();
    assert_eq!(shown, "a.txt\nc.txt\n");
    for cmd in [
        "git secrets --scan-history",
        "git secrets --scan-range HEAD~1..HEAD",
        "git secrets --scan-range HEAD",
    ] {
        let out = sh(&sb, &client, cmd);
        assert_eq!(out.code, 1, "{cmd}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!(":k.txt:1:k={S}")),
            "{cmd}: {}",
            out.stderr_str()
        );
    }
    // The replace ref reaches the server (its commit is clean), then the real commit does not.
    let out = sh(&sb, &client, "git push origin 'refs/replace/*'");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let out = sh(&sb, &client, "git push origin master");
    failed_on(&out, ":k.txt:1: aws.access-key-id");
    let head = ok(sh(&sb, &server, "git rev-parse master")).stdout_str();
    let init = ok(sh(&sb, &client, "git rev-parse HEAD~1")).stdout_str();
    assert_eq!(head, init, "the server took the commit with the key");
    // The merge hook reads the merged commit as stored too.
    let out = sh(
        &sb,
        &client,
        "git secrets --install >/dev/null && git checkout -q -b other HEAD~1
         echo o > o.txt && git add o.txt && git commit -qm o && git merge --no-ff --no-edit master",
    );
    failed_on(&out, &format!("k={S}"));
}

/// Second pass: files a repository chooses cannot hang a scan or exhaust memory. A committed
/// `.gitallowed` or `.git-secrets.toml` that is a symlink to `/dev/zero` grew a hook to 11 GB
/// in 10 s; a registry or baseline named by `.git-secrets.toml` that is a device, a FIFO or a
/// huge file did the same or blocked forever. Now: the symlinks are ignored (the key is
/// found), the named files are refused in one line naming them. Memory is capped with
/// `ulimit -v` and time with `timeout` so that a regression fails instead of taking the
/// machine down.
#[test]
fn repository_chosen_files_cannot_hang_or_exhaust_a_scan() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    let guarded = |setup: &str, cmd: &str| {
        sh(
            &sb,
            &r,
            &format!(
                "git reset -q --hard && git clean -qfdx && rm -f .git-secrets.toml .gitallowed\n{setup}\n\
                 export S; ulimit -v 4000000; timeout 20 {cmd}"
            ),
        )
    };
    let key_commit = "echo \"k=$S\" > k.txt && git add k.txt && git commit -qm k";
    ok(sh(
        &sb,
        &sb.work(),
        "mkfifo fifo && truncate -s 100M huge.toml",
    ));
    let fifo = sb.work().join("fifo");
    let huge = sb.work().join("huge.toml");
    for link in [".gitallowed", ".git-secrets.toml"] {
        for target in ["/dev/zero", &fifo.display().to_string()] {
            let out = guarded(
                &format!(
                    "ln -s {target} {link} && git add {link} && git commit -q --no-verify -m link"
                ),
                &format!("sh -c '{key_commit}'"),
            );
            assert_eq!(out.code, 1, "{link} -> {target}: {}", out.stderr_str());
            assert!(
                out.stderr_str().contains(&format!("k.txt:1:k={S}")),
                "{link} -> {target}: {}",
                out.stderr_str()
            );
        }
    }
    for (setting, named, why) in [
        (
            "registries = [\"/dev/zero\"]",
            "/dev/zero",
            "not a regular file",
        ),
        (
            &format!("registries = [\"{}\"]", fifo.display()),
            &fifo.display().to_string(),
            "not a regular file",
        ),
        (
            &format!("registries = [\"{}\"]", huge.display()),
            &huge.display().to_string(),
            "larger than 64 MiB",
        ),
        (
            "baseline = \"/dev/zero\"",
            "/dev/zero",
            "not a regular file",
        ),
    ] {
        let out = guarded(
            &format!("printf '%s\\n' '{setting}' > .git-secrets.toml"),
            &format!("sh -c '{key_commit}'"),
        );
        // The commit is refused because the check could not run.
        assert_eq!(out.code, 1, "{setting}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert!(
            err.contains(named)
                && err.contains(why)
                && err.contains("could not run")
                && !err.contains(S),
            "{setting}: {err}"
        );
        let out = guarded(
            &format!("printf '%s\\n' '{setting}' > .git-secrets.toml"),
            "git secrets --scan",
        );
        assert_eq!(out.code, 2, "{setting}: {}", out.stderr_str());
        assert_eq!(out.stderr_str().lines().count(), 1, "{}", out.stderr_str());
    }
}

/// Second pass: a client without our hooks commits any message (and `git tag -m` runs no
/// hook at all), so the push hooks, `--scan-range` and `--scan-history` scan the messages of
/// the commits (and annotated tags) they read. Before, a key in a commit or tag message reached the server.
#[test]
fn push_hooks_and_ranges_scan_commit_and_tag_messages() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    let refused = |script: &str, what: &str, place: &str| {
        let out = sh(&sb, &client, script);
        assert_ne!(out.code, 0, "{what}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert!(
            err.contains(&format!(":{place}:")) && err.contains("AKIA"),
            "{what}: {err}"
        );
        err
    };
    // A commit whose message holds a key, from a client with no hooks.
    ok(sh(
        &sb,
        &client,
        "git commit -q --allow-empty -m 'rotate the deploy key' -m \"old one: $S\"",
    ));
    let err = refused(
        "git push origin master",
        "pre-receive, commit message",
        "(commit message):3",
    );
    assert!(err.contains("pre-receive hook declined"), "{err}");
    // The client's own checks: pre-push and --scan-range.
    ok(sh(
        &sb,
        &client,
        "git secrets --register-aws >/dev/null && git secrets --install --pre-push >/dev/null",
    ));
    refused(
        "git push origin master",
        "pre-push, commit message",
        "(commit message):3",
    );
    refused(
        "git secrets --scan-range HEAD~1..HEAD",
        "--scan-range, commit message",
        "(commit message):3",
    );
    refused(
        "git secrets --scan-history",
        "--scan-history, commit message",
        "(commit message):3",
    );
    let out = sh(&sb, &client, "git secrets --scan-history --format jsonl");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(
        out.stdout_str().contains("\"path\":\"(commit message)\""),
        "{}",
        out.stdout_str()
    );
    // Packed, the message is the one the history's first pass over the pack kept.
    ok(sh(&sb, &client, "git gc -q"));
    refused(
        "git secrets --scan-history",
        "--scan-history, packed commit message",
        "(commit message):3",
    );
    // A clean message goes through; then an annotated tag whose message holds the key, pushed
    // behind a tag of it.
    ok(sh(
        &sb,
        &client,
        "git commit -q --amend --allow-empty -m clean && git push -q origin master
         git tag -a inner -m \"tag key $S\" && git tag -a outer -m outer inner 2>/dev/null
         git tag -d inner >/dev/null",
    ));
    refused(
        "git push origin refs/tags/outer",
        "pre-push, tag message",
        "(tag message):1",
    );
    let err = refused(
        "git push --no-verify origin refs/tags/outer",
        "pre-receive, tag message",
        "(tag message):1",
    );
    assert!(err.contains("pre-receive hook declined"), "{err}");
    refused(
        "git secrets --scan-history",
        "--scan-history, tag message",
        "(tag message):1",
    );
    let refs = ok(sh(&sb, &server, "git for-each-ref --format='%(refname)'")).stdout_str();
    assert_eq!(refs, "refs/heads/master\n");
}

/// Second pass on item 15: UTF-16 without a BOM (little- and big-endian), and UTF-16 with a
/// BOM whose first unit is an unpaired surrogate, were binary to every layer, so a key in
/// them passed the pre-commit hook, history and the pre-receive hook.
#[test]
fn utf16_without_a_bom_or_with_a_bad_first_unit_is_scanned() {
    let sb = Sandbox::new(ours());
    let (_server, client) = server_pair(&sb);
    ok(sh(
        &sb,
        &client,
        "git secrets --register-aws >/dev/null && git secrets --install >/dev/null",
    ));
    let text = format!("first line\nkey = {S}\n");
    let units = |little: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    };
    let mut surrogate = vec![0xff, 0xfe, 0x00, 0xd8];
    surrogate.extend(units(true));
    let cases = [
        ("le.txt", units(true)),
        ("be.txt", units(false)),
        ("surrogate.txt", surrogate),
    ];
    for (name, bytes) in &cases {
        std::fs::write(client.join(name), bytes).unwrap();
        let out = sh(
            &sb,
            &client,
            &format!("git add {name} && git commit -qm {name}"),
        );
        assert_eq!(out.code, 1, "{name}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!("{name}:2:key = {S}")),
            "{name}: {}",
            out.stderr_str()
        );
        ok(sh(
            &sb,
            &client,
            &format!("git commit -q --no-verify -m {name}"),
        ));
    }
    let out = sh(&sb, &client, "git secrets --scan-history");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    for (name, _) in &cases {
        assert!(
            out.stderr_str().contains(&format!(":{name}:2:key = {S}")),
            "history, {name}: {}",
            out.stderr_str()
        );
    }
    let out = sh(&sb, &client, "git push origin master");
    assert_ne!(out.code, 0, "{}", out.stderr_str());
    for (name, _) in &cases {
        assert!(
            out.stderr_str()
                .contains(&format!(":{name}:2: aws.access-key-id")),
            "pre-receive, {name}: {}",
            out.stderr_str()
        );
    }
}

/// Second pass on item 4: a symlink's blob is its target text, stored and pushed like a
/// file's. The push hooks and `--scan-range` refused `ln -s "$KEY" name`; the pre-commit hook
/// and `--scan-history` passed it (git grep skips symlinks). Now every mode finds it.
#[test]
fn symlink_targets_are_scanned_by_every_mode() {
    let sb = Sandbox::new(ours());
    let (_server, client) = server_pair(&sb);
    ok(sh(
        &sb,
        &client,
        "git secrets --register-aws >/dev/null && git secrets --install >/dev/null
         echo x > f && git add f && git commit -qm f",
    ));
    for (what, script) in [
        ("new symlink", "ln -s \"k=$S\" lnk && git add lnk"),
        ("file to symlink", "rm f && ln -s \"k=$S\" f && git add f"),
    ] {
        let out = sh(&sb, &client, &format!("{script} && git commit -qm link"));
        assert_eq!(out.code, 1, "{what}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!(":1:k={S}")),
            "{what}: {}",
            out.stderr_str()
        );
    }
    ok(sh(&sb, &client, "git commit -q --no-verify -m links"));
    let out = sh(&sb, &client, "git secrets --scan-history");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    for name in ["lnk", "f"] {
        assert!(
            out.stderr_str().contains(&format!(":{name}:1:k={S}")),
            "history, {name}: {}",
            out.stderr_str()
        );
    }
    let out = sh(&sb, &client, "git secrets --scan-range HEAD~1..HEAD");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let out = sh(&sb, &client, "git push origin master");
    failed_on(&out, ":lnk:1: aws.access-key-id");
}

/// Second pass: git grep treats files marked `binary` or `-diff` in `.gitattributes` as
/// binary, and the pre-commit hook followed it, so one committed `* binary` line silenced
/// the hook for every file (the push hooks scanned them and refused). The hook now scans
/// staged text whatever the attributes say; `--scan` keeps git grep's rule (upstream).
#[test]
fn gitattributes_cannot_switch_the_pre_commit_hook_off() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    for (file, line) in [
        (".gitattributes", "* binary"),
        (".gitattributes", "*.txt -diff"),
        (".git/info/attributes", "* binary"),
    ] {
        let out = sh(
            &sb,
            &r,
            &format!(
                "git reset -q --hard && rm -f .git/info/attributes && mkdir -p .git/info
                 printf '%s\\n' '{line}' > {file} && echo \"k=$S\" > k.txt
                 git add -A && git commit -qm attrs"
            ),
        );
        assert_eq!(out.code, 1, "{file} {line}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(&format!("k.txt:1:k={S}")),
            "{file} {line}: {}",
            out.stderr_str()
        );
    }
}

/// Second pass, what held (kept so that it keeps holding): the pre-receive hook refuses a key
/// pushed as a note (`refs/notes/*`), under `git push --mirror`, beside a ref deletion, in
/// merges (octopus, unrelated histories, `-s ours` whose tree drops the key), and in files
/// whose names hold a newline, a leading dash or bytes that are not UTF-8.
#[test]
fn pre_receive_holds_against_notes_mirror_merges_and_odd_names() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    let refused = |script: &str, what: &str| {
        let out = sh(&sb, &client, script);
        assert_ne!(out.code, 0, "{what}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains("pre-receive hook declined")
                && out.stderr_str().contains("aws.access-key-id"),
            "{what}: {}",
            out.stderr_str()
        );
        let _ = sh(&sb, &client, "git reset -q --hard origin/master");
    };
    refused(
        "git notes add -m \"k=$S\" HEAD && git push origin refs/notes/commits",
        "note",
    );
    ok(sh(&sb, &client, "git update-ref -d refs/notes/commits"));
    ok(sh(
        &sb,
        &client,
        "git fetch -q origin && git checkout -q -b side && echo \"k=$S\" > k.txt && git add k.txt
         git commit -qm k && git checkout -q master",
    ));
    refused("git push --mirror origin", "mirror");
    refused(
        "git push origin :refs/heads/gone side:refs/heads/other",
        "deletion beside a new ref",
    );
    refused(
        "git merge -q -s ours --no-edit side && git push origin master",
        "-s ours",
    );
    refused(
        "git checkout -q -b o1 master && echo 1 > o1 && git add o1 && git commit -qm o1
         git checkout -q master && git merge -q --no-edit o1 side && git push origin master",
        "octopus",
    );
    refused(
        "git checkout -q --orphan orphan && git rm -rqf . && echo \"k=$S\" > u.txt && git add u.txt
         git commit -qm u && git checkout -q master
         git merge -q --allow-unrelated-histories --no-edit orphan && git push origin master",
        "unrelated histories",
    );
    for name in ["new\nline.txt", "-n", "\u{1}ctl.txt"] {
        let path = client.join(name);
        std::fs::write(&path, format!("k={S}\n")).unwrap();
        refused(
            &format!("git add -- '{name}' && git commit -qm odd && git push origin master"),
            &format!("{name:?}"),
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"\xff\xfe-not-utf8.txt");
        std::fs::write(client.join(name), format!("k={S}\n")).unwrap();
        refused(
            "git add -A && git commit -qm nonutf8 && git push origin master",
            "non-UTF-8 name",
        );
    }
    let refs = ok(sh(&sb, &server, "git for-each-ref --format='%(refname)'")).stdout_str();
    assert_eq!(refs, "refs/heads/master\n");
}

/// Second pass on item 17: inline markers are an allowlist the content carries, so CI
/// ignores them by default as it ignores `.git-secrets.toml`'s (a pull request could mark its
/// own key `# gitleaks:allow`); a developer's scan and an explicit `true` honour them.
#[test]
fn inline_markers_follow_the_repository_allowlist_policy() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    ok(sh(
        &sb,
        &r,
        "git config --unset-all secrets.patterns; git config --add secrets.registries aws
         echo \"k = $S # gitleaks:allow\" > k.txt && git add k.txt",
    ));
    let out = sh(&sb, &r, "git secrets --scan");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    for env in ["CI=true", "CODEBUILD_BUILD_ID=b:1"] {
        let out = sh(&sb, &r, &format!("{env} git secrets --scan"));
        assert_eq!(out.code, 1, "{env}: {}", out.stderr_str());
        assert!(
            out.stderr_str().contains(
                "git-secrets: note: ignoring inline allow markers (secrets.trustRepositoryAllowlists is false by default in CI)"
            ),
            "{env}: {}",
            out.stderr_str()
        );
    }
    let out = sh(
        &sb,
        &r,
        "CI=true git -c secrets.trustRepositoryAllowlists=true secrets --scan",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let out = sh(
        &sb,
        &r,
        "git -c secrets.trustRepositoryAllowlists=false secrets --scan",
    );
    assert_eq!(out.code, 1, "{}", out.stderr_str());
}

/// Item 18: a file over `secrets.maxFileSize` is a refusal on the server unless the server
/// accepts oversize files; every acceptance without a full scan is audited, with the
/// authenticated pusher and `USER`.
#[test]
fn pre_receive_oversize_refuses_and_acceptances_are_audited() {
    let sb = Sandbox::new(ours());
    let (server, client) = server_pair(&sb);
    ok(sh(&sb, &server, "git config secrets.maxFileSize 64"));
    ok(sh(
        &sb,
        &client,
        "{ echo \"k=$S\"; seq 1 40; } > big.txt && git add big.txt && git commit -q -m big",
    ));
    let out = sh(&sb, &client, "git push origin master");
    failed_on(&out, "secrets.maxFileSize");
    let log = server.join("git-secrets-audit.log");
    ok(sh(
        &sb,
        &server,
        "git config secrets.preReceiveOversize accept",
    ));
    let out = sh(
        &sb,
        &client,
        "REMOTE_USER=alice USER=bob git push origin master",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        text.contains("oversize") && text.contains("alice") && text.contains("bob"),
        "{text}"
    );
    assert!(!text.contains(S), "{text}");
    // Over budget, accepted by policy: audited.
    ok(sh(
        &sb,
        &server,
        "git config secrets.preReceiveBudget 0.000001 && git config secrets.preReceiveOverBudget accept",
    ));
    ok(sh(
        &sb,
        &client,
        "echo c > c.txt && git add c.txt && git commit -qm c",
    ));
    let out = sh(
        &sb,
        &client,
        "GL_USERNAME=carol USER=dave git push origin master",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        text.contains("over-budget") && text.contains("carol") && text.contains("dave"),
        "{text}"
    );
    // The bypass records both identities.
    ok(sh(
        &sb,
        &server,
        "git config --unset secrets.preReceiveBudget && git config secrets.allowBypass true && git config receive.advertisePushOptions true",
    ));
    ok(sh(
        &sb,
        &client,
        "echo \"k=$S\" > k.txt && git add k.txt && git commit -q -m k",
    ));
    let out = sh(
        &sb,
        &client,
        "GITHUB_USER=erin USER=frank git push -o secrets.bypass origin master",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let bypass = text
        .lines()
        .find(|l| l.contains(" bypass "))
        .unwrap_or_default();
    assert!(
        bypass.contains("erin") && bypass.contains("frank"),
        "{text}"
    );
}

/// Item 19: a range with no positive revision is an error, not a silent pass.
#[test]
fn scan_range_without_a_positive_revision_is_an_error() {
    let sb = Sandbox::new(ours());
    let r = hooked_repo(&sb, "");
    ok(sh(
        &sb,
        &r,
        "echo \"k=$S\" > k.txt && git add k.txt && git commit -q --no-verify -m k",
    ));
    for range in ["", " ", "^HEAD", "^HEAD ^HEAD~1"] {
        let out = sh(&sb, &r, &format!("git secrets --scan-range '{range}'"));
        assert_eq!(out.code, 2, "{range:?}: {}", out.stderr_str());
        let err = out.stderr_str();
        assert_eq!(err.lines().count(), 1, "{range:?}: {err}");
        assert!(err.contains(&format!("'{range}'")), "{range:?}: {err}");
    }
    let out = sh(&sb, &r, "git secrets --scan-range HEAD~1..HEAD");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
}
