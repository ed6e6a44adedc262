//! Commit and tag messages of what a range or a push brings.
//!
//! The commit-msg hook checks a message where it is written, but a client without our hooks
//! (or `git commit --no-verify`, or `git tag -m`, which runs no hook) commits any message,
//! and the server's pre-receive hook is then the only check: a key pasted into a message
//! reached the server. So `--scan-range`, pre-push and pre-receive scan the message of every
//! commit they scan, and of every annotated tag they peel, as a file of its own.

use gix::ObjectId;
use gix::objs::FindExt;

use crate::commits::Node;
use crate::detect::{Detector, Finding, Target};
use crate::git::Objects;
use crate::rules::PathScope;

/// Where a path would be, for a commit's message. A path-limited rule never applies to it.
pub(crate) const COMMIT_MESSAGE: &[u8] = b"(commit message)";
/// Where a path would be, for an annotated tag's message.
pub(crate) const TAG_MESSAGE: &[u8] = b"(tag message)";

/// The annotated tags a ref's object `id` leads through before it reaches something that is
/// not a tag (a tag of a tag of a commit gives both tags); empty for anything else.
pub(crate) fn tag_chain(objects: &Objects, id: ObjectId) -> Result<Vec<ObjectId>, String> {
    let mut chain = Vec::new();
    let mut current = id;
    let mut buf = Vec::new();
    // A chain longer than git itself would create is refused rather than followed forever.
    for _ in 0..64 {
        let object = objects
            .find(&current, &mut buf)
            .map_err(|e| format!("cannot read object {current}: {e}"))?;
        if object.kind != gix::object::Kind::Tag {
            return Ok(chain);
        }
        chain.push(current);
        current = gix::objs::TagRef::from_bytes(object.data, current.kind())
            .map_err(|e| format!("cannot read tag {current}: {e}"))?
            .target();
    }
    Err(format!("{id}: tags nested too deeply"))
}

/// Findings in the messages of `commits` and of the annotated tags `tags`; each finding's
/// commit is the object that holds the message. An object that cannot be read is an error,
/// so a scan never passes over a message it did not read. `kept` holds messages read
/// already (see [`crate::git::PackLayout::messages`]), by commit.
pub(crate) fn scan(
    objects: &Objects,
    detector: &Detector,
    commits: &[Node],
    tags: &[ObjectId],
    kept: &std::collections::HashMap<ObjectId, Vec<u8>>,
) -> Result<Vec<Finding>, String> {
    let mut found = Vec::new();
    let mut scratch = detector.scratch();
    let mut buf = Vec::new();
    let mut one = |id: ObjectId, label: &[u8], message: &[u8], found: &mut Vec<Finding>| {
        // A message is text whatever git's binary test says (a NUL must not hide the rest);
        // a UTF-16 one is decoded as files are.
        let text = crate::text::as_text(message);
        let hex = id.to_string();
        let target = Target {
            display: label,
            repo_path: PathScope::At(label),
            commit: Some(&hex),
        };
        detector.scan(&mut scratch, &text, target, found);
    };
    for node in commits {
        if let Some(message) = kept.get(&node.id) {
            one(node.id, COMMIT_MESSAGE, message, &mut found);
            continue;
        }
        let commit = objects
            .find_commit(&node.id, &mut buf)
            .map_err(|e| format!("cannot read commit {}: {e}", node.id))?;
        one(node.id, COMMIT_MESSAGE, commit.message, &mut found);
    }
    for &id in tags {
        let tag = objects
            .find_tag(&id, &mut buf)
            .map_err(|e| format!("cannot read tag {id}: {e}"))?;
        one(id, TAG_MESSAGE, tag.message, &mut found);
    }
    Ok(found)
}
