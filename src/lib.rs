//! git-secrets-rs: a drop-in, native re-implementation of awslabs/git-secrets.
//!
//! Data flows one way:
//!
//! ```text
//! argv ─cli─▶ Command + Options ─app─▶ engine: config + patterns (+ providers) + registries
//!                                      ─▶ Detector
//!      source (files, work tree, index, staged, history, range, pre-push, pre-receive, stdin)
//!      ─▶ lines ─▶ Detector (-w as grep / git grep) ─▶ Vec<Finding>
//!      ─▶ ending: allowed patterns, .gitallowed, inline markers, one per span, baseline
//!      ─▶ report (upstream's human lines, pre-receive's text) | formats (json, jsonl, sarif, asff)
//! ```
//!
//! * [`cli`]: upstream's parse-options behaviour, byte for byte.
//! * [`command`]: the commands, shared by [`cli`] and [`options`].
//! * [`options`]: our extension options, decoded once and checked per command.
//! * [`app`]: dispatch, one function per command.
//! * [`ere`]: POSIX ERE → regex-crate syntax.
//! * [`matcher`]: the union regex with GNU grep's and git grep's `-w` semantics.
//! * [`config`], [`patterns`], [`allow`]: `secrets.*` config, providers, allowed patterns.
//! * [`engine`]: the detector every scan starts from (patterns, registries, size cap).
//! * [`rules`] (with its families, gitleaks configs, templates and prebuilt trees), [`gate`], [`filters`],
//!   `checksums`: the registries' rules, the literal gate in front of them, and the value
//!   checks behind them.
//! * [`scan`], [`history`], [`push`], `commits` (the commit-set engine): content sources;
//!   `delta`: git's pack deltas, applied so a blob version inherits its base's gate results
//!   and, on the lines it copies whole, its one-line rule hits;
//!   [`git`]: object access (the quarantine, the packs' layout, blob versions and trees read
//!   straight from the packs); `per_thread`: their per-thread scratch, one per pool thread;
//!   `hashing`: the multiply-rotate hasher of their (and the keyword index's) number keys.
//! * [`ending`]: what every scan's findings go through before the report.
//! * [`hooks`]: installing and serving git hooks.
//! * [`report`], [`formats`]: all output; [`note`]: what a scan says beside its findings, as
//!   data.
//! * [`failure`]: why a command stopped, rendered once by [`app`] through [`report`].

pub mod allow;
pub mod anchor;
pub mod app;
pub(crate) mod audit;
pub mod baseline;
pub(crate) mod bounded;
pub(crate) mod checksums;
pub mod cli;
pub mod command;
pub(crate) mod commits;
pub mod config;
pub mod decode;
pub mod dedupe;
pub(crate) mod delta;
pub mod detect;
pub mod ending;
pub mod engine;
pub mod ere;
pub mod failure;
pub mod filters;
pub mod fingerprint;
pub mod formats;
pub mod gate;
pub mod git;
pub(crate) mod hashing;
pub mod history;
pub mod hooks;
pub mod inventory;
pub mod literals;
pub mod matcher;
pub(crate) mod messages;
pub mod note;
pub mod options;
pub mod patterns;
pub(crate) mod per_thread;
pub mod policy;
pub mod push;
pub mod quote;
pub(crate) mod refs;
pub mod report;
pub mod rules;
pub mod scan;
pub mod text;
pub mod version;
