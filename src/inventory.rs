//! What `--list` adds to upstream's listing: the registries in effect and how many rules each
//! holds, so that a user can see that a pack is really on (issue 15). Upstream's lines (the
//! `git config --get-regex` output, on stdout) stay as they are; this summary goes to stderr
//! and only when a registry is configured, so upstream-only listings are byte for byte.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use bstr::ByteSlice;

use crate::config::{self, Context};
use crate::rules::{ProjectFile, RuleSet};

/// One summary line per registry (`git-secrets: registry aws: 14 rules (built-in pack)`),
/// and the project file's, if any.
pub fn registry_summary(ctx: &Context, global: bool) -> String {
    let mut args: Vec<&OsStr> = vec![OsStr::new("config")];
    if global {
        args.push(OsStr::new("--global"));
    }
    args.extend([OsStr::new("--get-all"), OsStr::new("secrets.registries")]);
    let specs: Vec<String> = config::git(&args)
        .map(|o| {
            o.stdout
                .lines()
                .map(|l| l.to_str_lossy().into_owned())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let top = ctx.workdir().map(Path::to_path_buf);
    let mut out = String::new();
    for spec in &specs {
        out.push_str(&format!(
            "git-secrets: registry {spec}: {}\n",
            describe(spec, top.as_deref())
        ));
    }
    if !global && let Some(top) = &top {
        let path = top.join(".git-secrets.toml");
        if let Ok(text) = crate::bounded::read_to_string(&path) {
            let line = match ProjectFile::parse(&text, ".git-secrets.toml") {
                Err(e) => format!("does not load: {e}"),
                Ok(p) => {
                    let mut parts = Vec::new();
                    for spec in &p.registries {
                        parts.push(format!("{spec} ({})", describe(spec, Some(top))));
                    }
                    let mut line = if parts.is_empty() {
                        "no registries".to_string()
                    } else {
                        format!("registries {}", parts.join(", "))
                    };
                    if !p.disabled.is_empty() {
                        line.push_str(&format!("; {} rule(s) disabled", p.disabled.len()));
                    }
                    if let Some(b) = &p.baseline {
                        line.push_str(&format!("; baseline {b}"));
                    }
                    line
                }
            };
            out.push_str(&format!(
                "git-secrets: project file .git-secrets.toml: {line}\n"
            ));
        }
    }
    out
}

/// `14 rules (built-in pack)`, `3 rules (/abs/file.toml)`, or why it does not load.
fn describe(spec: &str, top: Option<&Path>) -> String {
    let rules = |set: &RuleSet| match set.rules().len() {
        1 => "1 rule".to_string(),
        n => format!("{n} rules"),
    };
    match RuleSet::builtin(spec) {
        Some(Ok(set)) => format!("{} (built-in pack)", rules(&set)),
        Some(Err(e)) => format!("does not load: {e}"),
        None => {
            let path = match top {
                Some(t) if Path::new(spec).is_relative() => t.join(spec),
                _ => PathBuf::from(spec),
            };
            match crate::bounded::read_to_string(&path) {
                Err(e) => format!("cannot be read ({})", crate::scan::io_message(&e)),
                Ok(text) => match RuleSet::from_toml(&text, spec) {
                    Ok(set) => format!("{} ({})", rules(&set), path.display()),
                    Err(e) => format!("does not load: {e}"),
                },
            }
        }
    }
}
