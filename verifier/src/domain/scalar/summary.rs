//! Proof support: on one thread, `Scalar::sync` and the one-width view operations that the
//! scalar ALU calls can be replaced by summaries, functions that return what the proofs know
//! of a result instead of computing it.
//!
//! The proofs crate proves once that every rule of `sync` keeps every member, then checks
//! each transfer function with its inner `sync` calls replaced by fresh scalars constrained
//! to keep the theorem's concrete values (an over-approximation of `sync`, so a proof with
//! the summary holds for `sync` itself). In the same way it proves each view operation, then
//! checks the scalar ALU with the view operation replaced by a fresh view constrained by
//! that theorem (a compositional proof). Nothing else installs a summary; without one the
//! functions compute, at the cost of one thread-local flag test.

use super::Scalar;
use crate::domain::View;
use semantics::isa::AluOp;
use semantics::word::{Split, Word};
use std::any::Any;
use std::cell::{Cell, RefCell};

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static SUMMARIES: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
}

/// The summary of `sync` on `Scalar<W>`.
pub type Summary<W> = Box<dyn Fn(&Scalar<W>) -> Scalar<W>>;

/// The summary of the binary view operations on `View<V>` (the operation, then the
/// operands): `None` computes the operation.
pub type ViewSummary<V> = Box<dyn Fn(AluOp, &View<V>, &View<V>) -> Option<View<V>>>;

/// Runs `f` with `sync` on `Scalar<W>` replaced by `summary` on this thread.
pub fn with<W: Split, R>(summary: Summary<W>, f: impl FnOnce() -> R) -> R {
    with_all(vec![Box::new(summary)], f)
}

/// Runs `f` with every summary of `summaries` installed on this thread: each a
/// [`Summary`] or a [`ViewSummary`] (boxed again as `Any`), at most one per word type.
pub fn with_all<R>(summaries: Vec<Box<dyn Any>>, f: impl FnOnce() -> R) -> R {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(false));
            SUMMARIES.with(|s| s.borrow_mut().clear());
        }
    }
    SUMMARIES.with(|s| *s.borrow_mut() = summaries);
    ACTIVE.with(|a| a.set(true));
    let _reset = Reset;
    f()
}

/// The first installed summary of type `S` applied by `call`.
fn find<S: 'static, R>(call: impl FnOnce(&S) -> Option<R>) -> Option<R> {
    if !ACTIVE.with(|a| a.get()) {
        return None;
    }
    SUMMARIES.with(|cell| {
        let list = cell.borrow();
        list.iter()
            .find_map(|b| b.downcast_ref::<S>())
            .and_then(call)
    })
}

/// The summary's result for `s`, when a summary of `sync` for `W` is installed.
pub(super) fn apply<W: Split>(s: &Scalar<W>) -> Option<Scalar<W>> {
    find::<Summary<W>, _>(|f| Some(f(s)))
}

/// The summary's result for `a op b`, when a view summary for `V` is installed and gives one.
pub(super) fn apply_view<V: Word>(op: AluOp, a: &View<V>, b: &View<V>) -> Option<View<V>> {
    find::<ViewSummary<V>, _>(|f| f(op, a, b))
}
