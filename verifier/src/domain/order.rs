//! Unsigned and signed minimum and maximum over [`Word`], with selects, shared by the domain
//! operations.

use semantics::word::Word;

pub(crate) fn umax_of<V: Word>(a: &V, b: &V) -> V {
    V::select(&a.ult(b), b, a)
}
pub(crate) fn umin_of<V: Word>(a: &V, b: &V) -> V {
    V::select(&a.ult(b), a, b)
}
pub(crate) fn smax_of<V: Word>(a: &V, b: &V) -> V {
    V::select(&a.slt(b), b, a)
}
pub(crate) fn smin_of<V: Word>(a: &V, b: &V) -> V {
    V::select(&a.slt(b), a, b)
}
/// The sign bit (the signed minimum) of `V`.
pub(crate) fn sign_bit<V: Word>(like: &V) -> V {
    like.lit(1u64 << (V::BITS - 1))
}
