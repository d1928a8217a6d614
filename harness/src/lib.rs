//! The harness: the `tristate` command line, input readers and corpus runners; later the
//! kernel oracle and differential campaigns.

pub mod campaign;
pub mod commands;
pub mod conformance;
pub mod corpus;
pub mod demo;
pub mod diff;
pub mod embed;
pub mod fuzzing;
pub mod gen;
pub mod input;
pub mod jitdiff;
pub mod kernel;
pub mod logstate;
pub mod precheck;
pub mod rng;
pub mod selftests;
pub mod verify;
