//! The harness: the `tristate` command line, input readers and corpus runners; later the
//! kernel oracle and differential campaigns.

pub mod conformance;
pub mod demo;
pub mod diff;
pub mod fuzzing;
pub mod input;
pub mod kernel;
pub mod precheck;
pub mod selftests;
pub mod verify;
