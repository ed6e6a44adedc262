//! Sealed sandboxes for running `git secrets` under test.
//!
//! `git-secrets` is a git subcommand that reads git config from every scope, runs hooks from
//! git, shells out to providers and prints paths relative to the current directory. A test
//! that ran it against the developer's `$HOME`, system config or inherited `GIT_*` variables
//! would test the machine, not the program. Every command here therefore runs with:
//!
//! * a cleared environment (so no inherited `GIT_*`, `LANG`, `GREP_OPTIONS`, `EDITOR`...),
//!   rebuilt from a fixed list: `HOME` and `XDG_CONFIG_HOME` inside a fresh temporary
//!   directory, `GIT_CONFIG_NOSYSTEM=1`, fixed author/committer identities and dates (so
//!   commit ids are the same in every run), `LC_ALL=C`, `TZ=UTC`;
//! * a global config that only sets `init.defaultBranch = master`;
//! * a `PATH` whose first entry is a private `bin/` holding `git-secrets` as a symlink to
//!   the implementation under test, so that `git secrets ...`, and hooks that call
//!   `git secrets`, resolve to it;
//! * stdin connected to `/dev/null`, so nothing can wait on a terminal.
//!
//! Layout of a sandbox root: `bin/` (the symlink), `home/` (`$HOME`), `w/` (the working
//! directory every script starts in). Tests create repositories below `w/`.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The upstream bash implementation (Debian package `git-secrets`).
pub const UPSTREAM: &str = "/usr/bin/git-secrets";

/// Author and committer date of every commit made in a sandbox.
pub const FIXED_DATE: &str = "2026-01-01T00:00:00Z";

/// Our binary, as built by cargo for this test target.
pub fn ours() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_git-secrets"))
}

/// Exit code and raw output streams of one finished command.
#[derive(Debug, PartialEq, Eq)]
pub struct Output {
    /// Exit code; a process killed by a signal reports `128 + signal` as a shell would.
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    fn from_std(out: std::process::Output) -> Output {
        use std::os::unix::process::ExitStatusExt;
        let status = out.status;
        let code = status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
        Output {
            code,
            stdout: out.stdout,
            stderr: out.stderr,
        }
    }

    /// stdout, lossily decoded (for messages and `contains` checks).
    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr, lossily decoded (for messages and `contains` checks).
    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Replaces every occurrence of `from` in both streams by `to`.
    pub fn replace(&mut self, from: &[u8], to: &[u8]) {
        for stream in [&mut self.stdout, &mut self.stderr] {
            *stream = replace_bytes(stream, from, to);
        }
    }
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// A fresh temporary directory with its own `$HOME`, global git config and `PATH`.
pub struct Sandbox {
    root: TempDir,
}

impl Sandbox {
    /// Creates a sandbox in which `git secrets` runs `git_secrets` (our binary or upstream).
    pub fn new(git_secrets: &Path) -> Sandbox {
        let root = tempfile::Builder::new()
            .prefix("git-secrets-it-")
            .tempdir()
            .expect("create sandbox temp dir");
        for dir in ["bin", "home/.config", "w"] {
            fs::create_dir_all(root.path().join(dir)).expect("create sandbox dirs");
        }
        std::os::unix::fs::symlink(git_secrets, root.path().join("bin/git-secrets"))
            .expect("link git-secrets into the sandbox bin dir");
        let sandbox = Sandbox { root };
        let mut cmd = sandbox.command("git", sandbox.work());
        cmd.args(["config", "--global", "init.defaultBranch", "master"]);
        assert_eq!(
            run(cmd).code,
            0,
            "git config --global failed in a new sandbox"
        );
        sandbox
    }

    /// The sandbox root, the string that outputs are normalised on.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The directory scripts start in (`<root>/w`).
    pub fn work(&self) -> PathBuf {
        self.root().join("w")
    }

    /// A command for `program` with the sealed environment, starting in `cwd`.
    pub fn command(&self, program: impl AsRef<OsStr>, cwd: impl AsRef<Path>) -> Command {
        let root = self.root();
        let home = root.join("home");
        let mut path = root.join("bin").into_os_string();
        if let Some(host) = std::env::var_os("PATH") {
            path.push(":");
            path.push(host);
        }
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A U Thor")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "C O Mitter")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_AUTHOR_DATE", FIXED_DATE)
            .env("GIT_COMMITTER_DATE", FIXED_DATE)
            // Commands that would open an editor get one that accepts the message as is.
            .env("GIT_EDITOR", "true")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs a bash script in the work directory, killing it after `timeout_secs`.
    pub fn bash(&self, script: &str, timeout_secs: u32) -> Output {
        let mut cmd = self.command("timeout", self.work());
        cmd.arg(timeout_secs.to_string())
            .args(["bash", "-c", script]);
        run(cmd)
    }
}

/// Runs a command to completion and collects its output.
pub fn run(mut cmd: Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    Output::from_std(out)
}

/// A git repository (`<sandbox>/w/repo`) in its own sandbox, for tests written as Rust calls
/// rather than shell scripts.
pub struct TestRepo {
    sandbox: Sandbox,
    dir: PathBuf,
}

impl TestRepo {
    /// Initialises an empty repository whose `git secrets` runs `git_secrets`.
    pub fn new(git_secrets: &Path) -> TestRepo {
        let sandbox = Sandbox::new(git_secrets);
        let dir = sandbox.work().join("repo");
        fs::create_dir(&dir).expect("create repo dir");
        let repo = TestRepo { sandbox, dir };
        repo.git_ok(&["init", "-q"]);
        repo
    }

    /// The sandbox this repository lives in.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// The work tree root.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes a file (creating parent directories) relative to the work tree root.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent dirs");
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Runs `git <args>` in the work tree.
    pub fn git(&self, args: &[&str]) -> Output {
        let mut cmd = self.sandbox.command("git", &self.dir);
        cmd.args(args);
        run(cmd)
    }

    /// Runs `git <args>` and panics unless it succeeds.
    fn git_ok(&self, args: &[&str]) -> Output {
        let out = self.git(args);
        assert_eq!(
            out.code,
            0,
            "git {args:?} failed:\n{}{}",
            out.stdout_str(),
            out.stderr_str()
        );
        out
    }

    /// Stages the given paths.
    pub fn stage(&self, paths: &[&str]) {
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        self.git_ok(&args);
    }

    /// Commits what is staged, running hooks; returns git's output so callers can check
    /// whether a hook rejected it.
    pub fn commit(&self, message: &str) -> Output {
        self.git(&["commit", "-q", "-m", message])
    }

    /// Appends a value to a multi-valued local config key (`git config --add`).
    pub fn add_config(&self, key: &str, value: &str) {
        self.git_ok(&["config", "--add", key, value]);
    }

    /// Runs `git secrets <args>` in the work tree.
    pub fn secrets(&self, args: &[&str]) -> Output {
        let mut full = vec!["secrets"];
        full.extend_from_slice(args);
        self.git(&full)
    }
}

/// A bare server repository with our pre-receive hook (the AWS pack) and a client that has
/// pushed one clean commit to it: what the push-hook tests start from.
pub struct PushPair {
    pub sandbox: Sandbox,
    pub server: PathBuf,
    pub client: PathBuf,
}

impl PushPair {
    pub fn new() -> PushPair {
        let sandbox = Sandbox::new(ours());
        let work = sandbox.work();
        let pair = PushPair {
            server: work.join("server.git"),
            client: work.join("client"),
            sandbox,
        };
        pair.sh(&work, "git init -q --bare server.git && git init -q client");
        pair.sh(&pair.server, "git config --add secrets.registries aws && git secrets --install --pre-receive . >/dev/null");
        pair.sh(
            &pair.client,
            "git remote add origin ../server.git && echo hello > a.txt && git add a.txt && git commit -qm init && git push -q origin master",
        );
        pair
    }

    /// `script` run by bash in `dir`.
    pub fn sh(&self, dir: &Path, script: &str) -> Output {
        let mut cmd = self.sandbox.command("bash", dir);
        cmd.args(["-c", script]);
        run(cmd)
    }

    /// `script` run in the client.
    pub fn client(&self, script: &str) -> Output {
        self.sh(&self.client, script)
    }

    /// `script` run in the server, which must succeed.
    pub fn server_ok(&self, script: &str) -> Output {
        let out = self.sh(&self.server, script);
        assert_eq!(out.code, 0, "{}", out.stderr_str());
        out
    }

    /// Commit `content` as `name` in the client.
    pub fn commit_file(&self, name: &str, content: &str) {
        let out = self.client(&format!(
            "printf '%s\\n' '{content}' > {name} && git add {name} && git commit -qm 'add {name}'"
        ));
        assert_eq!(out.code, 0, "{}", out.stderr_str());
    }

    /// Commit `content` as `name` and push it; the push's output.
    pub fn push_file(&self, name: &str, content: &str) -> Output {
        self.commit_file(name, content);
        self.client("git push origin master")
    }

    /// The server's ref names, one a line.
    pub fn server_refs(&self) -> String {
        self.sh(&self.server, "git for-each-ref --format='%(refname)'")
            .stdout_str()
    }
}

/// Standard base64, written here rather than taken from the code under test.
pub fn b64(s: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}
