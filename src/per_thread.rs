//! State kept per worker thread across a parallel loop.
//!
//! Rayon's `map_init` makes its state once per job split, not per thread: a `--scan` of
//! git/git's work tree (4,847 files, 2 threads) made 26 to 51 detector scratches, and each
//! fresh one built its regexes' lazy DFA states again. [`PerThread`] keeps one per thread of
//! the pool for the whole loop.

use std::sync::{Mutex, TryLockError};

/// One `T` per thread of the current rayon pool, made on the thread's first item.
pub(crate) struct PerThread<T> {
    /// One slot per pool thread, and a last one for a thread outside the pool.
    slots: Vec<Mutex<Option<T>>>,
}

impl<T: Send> PerThread<T> {
    /// Empty slots for the current pool's threads.
    pub(crate) fn new() -> PerThread<T> {
        PerThread {
            slots: (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(None))
                .collect(),
        }
    }

    /// `f` with this thread's `T` (made by `init` the first time). A thread that is already
    /// inside `with` (rayon runs another item on a thread that waits for nested work) gets a
    /// `T` of its own for that item rather than a deadlock.
    pub(crate) fn with<R>(&self, init: impl FnOnce() -> T, f: impl FnOnce(&mut T) -> R) -> R {
        let last = self.slots.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        let mut guard = match self.slots[i].try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return f(&mut init()),
        };
        f(guard.get_or_insert_with(init))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    /// One state per thread however finely rayon splits the work (`map_init` made one per
    /// split: here up to one per item).
    #[test]
    fn one_state_per_thread() {
        let made = AtomicUsize::new(0);
        let per = PerThread::new();
        let counted: usize = (0..10_000usize)
            .into_par_iter()
            .with_max_len(1)
            .map(|_| {
                per.with(
                    || {
                        made.fetch_add(1, Relaxed);
                        0usize
                    },
                    |count| {
                        *count += 1;
                        1
                    },
                )
            })
            .sum();
        assert_eq!(counted, 10_000);
        let made = made.into_inner();
        assert!(
            (1..=rayon::current_num_threads() + 1).contains(&made),
            "{made} states for {} threads",
            rayon::current_num_threads()
        );
    }

    /// Parallel work inside `with` (where rayon may run another item on the waiting thread)
    /// finishes, each item with a state.
    #[test]
    fn nested_parallel_work_does_not_block() {
        let per = PerThread::new();
        let sum: usize = (0..2_000usize)
            .into_par_iter()
            .with_max_len(1)
            .map(|i| {
                per.with(Vec::<usize>::new, |seen| {
                    seen.push(i);
                    (0..4usize).into_par_iter().map(|j| j + i).sum::<usize>() - 4 * i
                })
            })
            .sum();
        assert_eq!(sum, 6 * 2_000);
    }
}
