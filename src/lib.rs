//! git-secrets-rs: a drop-in, native re-implementation of awslabs/git-secrets.
//!
//! Data flows one way:
//!
//! ```text
//! argv ─cli─▶ Command ─app─▶ config + patterns (+ providers) ─▶ Matcher
//!                            source (files, work tree, index, staged, history, stdin)
//!                            ─▶ lines ─▶ Matcher (-w as grep / git grep) ─▶ Finding
//!                            ─▶ Allowlist (rendered line) ─▶ report (human banner)
//! ```
//!
//! * [`cli`]: upstream's parse-options behaviour, byte for byte.
//! * [`ere`]: POSIX ERE → regex-crate syntax.
//! * [`matcher`]: the union regex with GNU grep's and git grep's `-w` semantics.
//! * [`config`], [`patterns`], [`allow`]: `secrets.*` config, providers, allowed patterns.
//! * [`scan`], [`history`]: content sources.
//! * [`hooks`]: installing and serving git hooks.
//! * [`report`]: all output.

pub mod allow;
pub mod app;
pub(crate) mod audit;
pub mod baseline;
pub mod cli;
pub mod commits;
pub mod config;
pub mod dedupe;
pub mod detect;
pub mod ere;
pub mod fingerprint;
pub mod formats;
pub mod gate;
pub mod git;
pub mod gitleaks;
pub mod history;
pub mod hooks;
pub mod inventory;
pub mod literals;
pub mod matcher;
pub mod options;
pub mod patterns;
pub mod policy;
pub mod push;
pub mod quote;
pub(crate) mod refs;
pub mod report;
pub mod rules;
pub mod scan;
pub mod text;
pub mod version;
