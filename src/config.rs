//! Git configuration: reading `secrets.*` natively, writing through `git config`.
//!
//! Reads happen on every scan and hook, so they go through gix (no `git config` process).
//! gix reads system, global, local and worktree files but not `git -c` overrides
//! (`GIT_CONFIG_PARAMETERS`), which upstream honours through `git config --get-all`; we parse
//! those ourselves. Writes are rare and must lock and quote exactly as git does, so they call
//! `git config --add`.

use std::path::{Path, PathBuf};
use std::process::Command;

use bstr::{BString, ByteSlice};

/// The repository the command runs in, if any.
pub struct Context {
    /// The repository discovered from the current directory (honouring `GIT_DIR`).
    pub repo: Option<gix::Repository>,
    /// Configuration outside a repository (system + global), when `repo` is `None`.
    globals: Option<gix::config::File>,
    /// git's `fatal: detected dubious ownership` message when the repository found here
    /// belongs to someone else and no `safe.directory` trusts it: then `repo` is `None`, and
    /// only system and global config are read, as git reads them there.
    untrusted: Option<String>,
}

impl Context {
    /// Discover the repository of the current directory, as git would. Fails (exit 128)
    /// when git sees a repository here that gix cannot open.
    pub fn discover() -> Result<Context, crate::failure::AppError> {
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            ".",
            Default::default(),
            gix::sec::trust::Mapping {
                full: open_options(),
                reduced: open_options(),
            },
        )
        .map(gix::Repository::from);
        let mut untrusted = None;
        let repo = match repo {
            Ok(r) if !is_trusted(&r) => {
                untrusted = Some(dubious_ownership(&r));
                None
            }
            Ok(r) => Some(r),
            // Without the repository we would miss its config (its patterns) and pass
            // silently; if git itself sees a repository here, refuse to run instead.
            Err(e) => {
                let git_sees_one = std::process::Command::new("git")
                    .args(["rev-parse", "--git-dir"])
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if git_sees_one {
                    return Err(crate::failure::AppError::CannotOpenRepository(
                        e.to_string()
                            .lines()
                            .next()
                            .unwrap_or("unknown error")
                            .to_owned(),
                    ));
                }
                None
            }
        };
        let globals = if repo.is_none() {
            let mut file = gix::config::File::from_globals().unwrap_or_default();
            if let Ok(env) = gix::config::File::from_environment_overrides() {
                let _ = file.append(env);
            }
            Some(file)
        } else {
            None
        };
        Ok(Context {
            repo,
            globals,
            untrusted,
        })
    }

    /// git's message for a repository that is not trusted (see [`Context::untrusted`]).
    pub fn untrusted(&self) -> Option<&str> {
        self.untrusted.as_deref()
    }

    /// All values of `section.name`, in git's order (`git config --get-all`), each value
    /// verbatim.
    pub fn get_all(&self, section: &str, name: &str) -> Vec<BString> {
        let key = format!("{section}.{name}");
        let mut values: Vec<BString> = match (&self.repo, &self.globals) {
            (Some(repo), _) => repo
                .config_snapshot()
                .plumbing()
                .strings(key.as_str())
                .unwrap_or_default()
                .into_iter()
                .collect::<Vec<BString>>()
                .into_iter()
                .collect(),
            (None, Some(file)) => file
                .strings(key.as_str())
                .unwrap_or_default()
                .into_iter()
                .collect::<Vec<BString>>()
                .into_iter()
                .collect(),
            (None, None) => Vec::new(),
        };
        values.extend(command_line_values(section, name));
        values
    }

    /// The top of the work tree, if there is one.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.as_ref().and_then(|r| r.workdir())
    }
}

/// git's ownership rule (`safe.directory`, git 2.35.2): a repository discovered from the
/// current directory whose git directory or work tree belongs to another user is not
/// trusted, unless system or global config lists it in `safe.directory`; gix applies the
/// same rule (with `SUDO_UID` for root, as git) and records the outcome as the repository's
/// trust. Its config could name providers, commands we would run (issue 14, item 1). An
/// explicit `GIT_DIR` is the caller's choice and git does not check it.
fn is_trusted(repo: &gix::Repository) -> bool {
    std::env::var_os("GIT_DIR").is_some() || repo.git_dir_trust() == gix::sec::Trust::Full
}

/// git's words (setup.c) for an untrusted repository, naming its work tree (or git directory
/// when bare) as git does.
fn dubious_ownership(repo: &gix::Repository) -> String {
    let dir = repo.workdir().unwrap_or_else(|| repo.git_dir());
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let dir = dir.display();
    format!(
        "fatal: detected dubious ownership in repository at '{dir}'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory {dir}\n"
    )
}

fn open_options() -> gix::open::Options {
    // The git binary's own config is only needed where git installs one outside the system
    // file (Apple's git); asking for it spawns `git config`, which every hook would pay for.
    gix::open::Options::default()
        .permissions(gix::open::Permissions {
            config: gix::open::permissions::Config {
                git_binary: false,
                ..Default::default()
            },
            ..Default::default()
        })
        // Scans read the objects the repository stores, which are what `git push` sends
        // (pack-objects ignores replace refs): a replace ref showing a clean commit in place
        // of one with a key hid the key from --scan-history and --scan-range.
        .config_overrides(["core.useReplaceRefs=false"])
}

/// Values given with `git -c section.name=value`, which git passes on in
/// `GIT_CONFIG_PARAMETERS` as shell-quoted `'key=value'` or `'key'='value'` items.
fn command_line_values(section: &str, name: &str) -> Vec<BString> {
    let Some(raw) = std::env::var_os("GIT_CONFIG_PARAMETERS") else {
        return Vec::new();
    };
    let raw = raw.as_encoded_bytes();
    let mut out = Vec::new();
    for (key, value) in parse_config_parameters(raw) {
        let Some((sec, nm)) = split_key(&key) else {
            continue;
        };
        if sec.eq_ignore_ascii_case(section.as_bytes()) && nm.eq_ignore_ascii_case(name.as_bytes())
        {
            // A key without `=` is a boolean true; `--get-all` prints it as an empty line.
            out.push(value.unwrap_or_default().into());
        }
    }
    out
}

/// Section and variable name of a `section[.subsection].name` key (subsections are not ours).
fn split_key(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = key.find_byte(b'.')?;
    let last = key.rfind_byte(b'.')?;
    (first == last).then(|| (&key[..first], &key[last + 1..]))
}

/// Parse git's `sq_quote`d list: `'a=b' 'c'='d'`.
fn parse_config_parameters(raw: &[u8]) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    fn quoted(raw: &[u8], i: &mut usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            if raw.get(*i) != Some(&b'\'') {
                return None;
            }
            *i += 1;
            while *i < raw.len() && raw[*i] != b'\'' {
                out.push(raw[*i]);
                *i += 1;
            }
            if *i >= raw.len() {
                return None;
            }
            *i += 1;
            // `'\''` continues the word with a literal quote.
            if raw.get(*i) == Some(&b'\\') && raw.get(*i + 1) == Some(&b'\'') {
                out.push(b'\'');
                *i += 2;
                continue;
            }
            return Some(out);
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        if raw[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let Some(first) = quoted(raw, &mut i) else {
            break;
        };
        if raw.get(i) == Some(&b'=') {
            i += 1;
            let value = if raw.get(i) == Some(&b'\'') {
                quoted(raw, &mut i)
            } else {
                Some(Vec::new())
            };
            out.push((first, value));
        } else {
            match first.find_byte(b'=') {
                Some(eq) => out.push((first[..eq].to_vec(), Some(first[eq + 1..].to_vec()))),
                None => out.push((first, None)),
            }
        }
    }
    out
}

/// The longest duration a `secrets.*` seconds setting may ask for: one year. Anything longer
/// is a typo or an attempt to overflow the deadline arithmetic (`1e30` once panicked).
const MAX_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// `secrets.<name>` as a number of seconds: `Ok(None)` when unset; an error line naming the
/// key when the value is not a finite number greater than 0 and at most a year.
pub fn seconds(ctx: &Context, name: &str) -> Result<Option<std::time::Duration>, String> {
    let Some(raw) = ctx.get_all("secrets", name).pop() else {
        return Ok(None);
    };
    let text = raw.to_str_lossy();
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= MAX_SECONDS)
        .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "git-secrets: bad secrets.{name} '{text}': expected a number of seconds greater than 0 and at most {MAX_SECONDS}"
            )
        })
}

/// Output of a `git` subprocess.
pub struct GitOutput {
    pub status: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Run `git <args>` capturing everything (used for writes and rare reads, never for scans).
pub fn git(args: &[&std::ffi::OsStr]) -> std::io::Result<GitOutput> {
    let out = Command::new("git")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()?;
    Ok(GitOutput {
        status: out.status.code().unwrap_or(128),
        stdout: out.stdout,
        stderr: out.stderr,
    })
}

/// `git rev-parse --show-toplevel`'s answer, or the `fatal:` line git would print.
pub fn toplevel(ctx: &Context) -> Result<PathBuf, String> {
    match &ctx.repo {
        None => Err(ctx.untrusted().map_or_else(
            || "fatal: not a git repository (or any of the parent directories): .git\n".into(),
            str::to_string,
        )),
        Some(repo) => match repo.workdir() {
            Some(dir) => Ok(dir.to_path_buf()),
            None => Err("fatal: this operation must be run in a work tree\n".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_config_parameter_styles() {
        let parsed =
            parse_config_parameters(b"'secrets.patterns=a b' 'Secrets.Patterns'='it'\\''s' 'x.y'");
        assert_eq!(
            parsed,
            vec![
                (b"secrets.patterns".to_vec(), Some(b"a b".to_vec())),
                (b"Secrets.Patterns".to_vec(), Some(b"it's".to_vec())),
                (b"x.y".to_vec(), None),
            ]
        );
    }
}
