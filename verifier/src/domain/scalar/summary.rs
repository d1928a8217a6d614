//! Proof support: on one thread, `Scalar::sync` on words of one type can be replaced by a
//! summary, a function that returns what the proofs know of sync's result instead of
//! computing it.
//!
//! The proofs crate proves once that every rule of `sync` keeps every member, then checks
//! each transfer function with its inner `sync` calls replaced by fresh scalars constrained
//! to keep the theorem's concrete values (an over-approximation of `sync`, so a proof with
//! the summary holds for `sync` itself). Nothing else installs a summary; without one
//! `sync` runs its rules, at the cost of one thread-local flag test.

use super::Scalar;
use semantics::word::Split;
use std::any::Any;
use std::cell::{Cell, RefCell};

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static SUMMARY: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// The summary of `sync` on `Scalar<W>`.
pub type Summary<W> = Box<dyn Fn(&Scalar<W>) -> Scalar<W>>;

/// Runs `f` with `sync` on `Scalar<W>` replaced by `summary` on this thread.
pub fn with<W: Split, R>(summary: Summary<W>, f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(false));
            SUMMARY.with(|s| *s.borrow_mut() = None);
        }
    }
    SUMMARY.with(|s| *s.borrow_mut() = Some(Box::new(summary)));
    ACTIVE.with(|a| a.set(true));
    let _reset = Reset;
    f()
}

/// The summary's result for `s`, when a summary for `W` is installed on this thread.
pub(super) fn apply<W: Split>(s: &Scalar<W>) -> Option<Scalar<W>> {
    if !ACTIVE.with(|a| a.get()) {
        return None;
    }
    SUMMARY.with(|cell| {
        let b = cell.borrow();
        b.as_ref()?.downcast_ref::<Summary<W>>().map(|f| f(s))
    })
}
