//! The harness: the `tristate` command line, corpus runners, and (in later work) the kernel
//! oracle and differential campaigns.

pub mod conformance;
pub mod precheck;
