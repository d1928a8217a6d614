//! Fuzzing oracles. Each `check` takes arbitrary bytes, never panics on its own account, and
//! panics only when the property it checks is violated. The fuzz targets in `fuzz/` call these;
//! the test suite runs them on random inputs with a small budget so they never rot.

pub mod roundtrip;
