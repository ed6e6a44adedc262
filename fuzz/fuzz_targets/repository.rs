//! The object readers on damaged repositories: a small repository (packed history, loose
//! objects, and a pre-receive quarantine holding a pack of the newest commits) has bytes of one
//! of its object files overwritten or cut, then `--scan-history` or `--scan-range` (reading
//! through the quarantine) runs over it in-process. Whatever the damage, the scan returns an
//! exit code: no panic, no abort, no hang, no exit from deep inside.
//!
//! Input: byte 0 picks the file (main pack, main index, a loose object, quarantine pack,
//! quarantine index), byte 1 picks a loose object; then 3-byte records (offset as u16 LE,
//! value) overwrite bytes; an input whose length is 1 mod 3 also cuts the file at the last
//! record's offset.
#![no_main]
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

struct Template {
    root: PathBuf,
    /// The repository as made, and the per-input copy the scan runs in.
    repo: PathBuf,
    work: PathBuf,
    /// Relative to the repository: the object files worth damaging.
    main_pack: Vec<PathBuf>,
    loose: Vec<PathBuf>,
    /// Relative to the template root.
    quarantine_pack: Vec<PathBuf>,
}

fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_path_buf());
        }
    }
    out.sort();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

static TEMPLATE: LazyLock<Template> = LazyLock::new(|| {
    let root = std::env::temp_dir().join(format!("git-secrets-fuzz-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = root.join("template");
    std::fs::create_dir_all(&repo).unwrap();
    // SAFETY: set once, before the scans (the only other readers) start.
    unsafe {
        std::env::set_var("HOME", &root);
        std::env::set_var("XDG_CONFIG_HOME", &root);
        std::env::set_var("GIT_CONFIG_NOSYSTEM", "1");
        std::env::set_var("GIT_AUTHOR_NAME", "F");
        std::env::set_var("GIT_AUTHOR_EMAIL", "f@example.com");
        std::env::set_var("GIT_COMMITTER_NAME", "F");
        std::env::set_var("GIT_COMMITTER_EMAIL", "f@example.com");
        std::env::set_var("GIT_SECRETS_FINGERPRINT_KEY", "fuzz-key-0123456789abcdef");
    }
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "secrets.patterns", "AKIA[A-Z0-9]{16}"]);
    let body: String = (0..40)
        .map(|i| format!("line {i} of a file that deltas well\n"))
        .collect();
    let commit = |n: usize, extra: &str| {
        std::fs::write(repo.join("a.txt"), format!("{body}{extra}\n")).unwrap();
        std::fs::write(repo.join(format!("f{n}.txt")), format!("file {n}\n")).unwrap();
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", &format!("c{n}")]);
    };
    commit(1, "key AKIAZ7Q3X9K2M4N6P8R1");
    commit(2, "nothing");
    git(&repo, &["gc", "-q"]);
    commit(3, "key AKIAZ7Q3X9K2M4N6P8R2");
    commit(4, "more");
    // The quarantine: a pack of the two newest commits, as a push would bring them.
    let quarantine = root.join("quarantine");
    std::fs::create_dir_all(quarantine.join("pack")).unwrap();
    let revs = git(&repo, &["rev-list", "--objects", "HEAD~2..HEAD"]);
    let mut pack = Command::new("git")
        .current_dir(&repo)
        .args(["pack-objects", "-q"])
        .arg(quarantine.join("pack/pack"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut pack.stdin.take().unwrap(), &revs).unwrap();
    assert!(pack.wait().unwrap().success());
    let mut main_pack = Vec::new();
    files_under(&repo.join(".git/objects/pack"), &repo, &mut main_pack);
    let mut loose = Vec::new();
    for e in std::fs::read_dir(repo.join(".git/objects"))
        .unwrap()
        .flatten()
    {
        let name = e.file_name();
        if name.len() == 2 {
            files_under(&e.path(), &repo, &mut loose);
        }
    }
    loose.sort();
    let mut quarantine_pack = Vec::new();
    files_under(&quarantine.join("pack"), &root, &mut quarantine_pack);
    let quarantine_pack = quarantine_pack
        .into_iter()
        .map(|p| p.to_path_buf())
        .collect();
    Template {
        work: root.join("work"),
        root,
        repo,
        main_pack,
        loose,
        quarantine_pack,
    }
});

fn damage(file: &Path, records: &[u8]) {
    let Ok(mut bytes) = std::fs::read(file) else {
        return;
    };
    if bytes.is_empty() {
        return;
    }
    let mut last = 0;
    for r in records.chunks(3) {
        if let [lo, hi, value] = *r {
            let at = usize::from(u16::from_le_bytes([lo, hi])) % bytes.len();
            bytes[at] = value;
            last = at;
        }
    }
    if records.len() % 3 == 1 {
        bytes.truncate(last);
    }
    // Pack files are read-only as git writes them.
    let _ = std::fs::remove_file(file);
    std::fs::write(file, bytes).unwrap();
}

fuzz_target!(|data: &[u8]| {
    let t = &*TEMPLATE;
    let [which, pick, records @ ..] = data else {
        return;
    };
    // The work copy is made once; each input first puts back the file the last one damaged
    // (a scan only reads), which is much cheaper than copying the repository again.
    thread_local! {
        static LAST: std::cell::RefCell<Option<(PathBuf, PathBuf)>> = const { std::cell::RefCell::new(None) };
    }
    if !t.work.exists() {
        copy_dir(&t.root.join("template"), &t.work.join("repo"));
        copy_dir(&t.root.join("quarantine"), &t.work.join("quarantine"));
    }
    LAST.with(|last| {
        if let Some((damaged, original)) = last.borrow_mut().take() {
            let _ = std::fs::remove_file(&damaged);
            std::fs::copy(&original, &damaged).unwrap();
        }
    });
    let repo = t.work.join("repo");
    let pick = usize::from(*pick);
    let nth = |files: &Vec<PathBuf>, ext: &str| {
        let of: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        of.get(pick % of.len().max(1)).map(|p| p.to_path_buf())
    };
    let (target, quarantine) = match which % 5 {
        0 => (nth(&t.main_pack, "pack").map(|p| repo.join(p)), false),
        1 => (nth(&t.main_pack, "idx").map(|p| repo.join(p)), false),
        2 => (
            t.loose
                .get(pick % t.loose.len().max(1))
                .map(|p| repo.join(p)),
            false,
        ),
        3 => (
            nth(&t.quarantine_pack, "pack").map(|p| t.work.join(p)),
            true,
        ),
        _ => (nth(&t.quarantine_pack, "idx").map(|p| t.work.join(p)), true),
    };
    if let Some(target) = target {
        let original = if quarantine {
            t.root.join(target.strip_prefix(&t.work).unwrap())
        } else {
            t.root
                .join("template")
                .join(target.strip_prefix(&repo).unwrap())
        };
        LAST.with(|last| *last.borrow_mut() = Some((target.clone(), original)));
        damage(&target, records);
    }
    std::env::set_current_dir(&repo).unwrap();
    let args: Vec<OsString> = if quarantine {
        // SAFETY: the fuzzer runs one input at a time on this thread.
        unsafe { std::env::set_var("GIT_QUARANTINE_PATH", t.work.join("quarantine")) };
        vec!["--scan-range".into(), "HEAD~3..HEAD".into()]
    } else {
        // SAFETY: as above.
        unsafe { std::env::remove_var("GIT_QUARANTINE_PATH") };
        vec!["--scan-history".into()]
    };
    let code = git_secrets::app::run(&args);
    assert!(matches!(code, 0 | 1 | 2 | 128), "exit {code}");
    let _ = &t.repo;
});
