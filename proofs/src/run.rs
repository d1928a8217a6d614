//! Runs theorems in parallel and reports them: a theorem is tried at each word width in turn
//! (64 bits first) until Z3 proves it or finds a counterexample; a timeout moves on to the
//! next, narrower width.

use crate::theorems::{self, Status, Theorem};
use rayon::prelude::*;
use serde::Serialize;
use std::time::Duration;

/// One attempt at one width.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    pub bits: u32,
    /// `proved`, `counterexample` or `timeout`.
    pub status: &'static str,
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<String>,
}

/// What became of one theorem.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub theorem: String,
    pub width: u32,
    pub covers: Vec<&'static str>,
    pub attempts: Vec<Attempt>,
}

impl Outcome {
    /// The width it was proved at, if it was.
    pub fn proved_bits(&self) -> Option<u32> {
        self.attempts
            .iter()
            .find(|a| a.status == "proved")
            .map(|a| a.bits)
    }

    /// The counterexample, if one was found.
    pub fn counterexample(&self) -> Option<&Attempt> {
        self.attempts.iter().find(|a| a.status == "counterexample")
    }

    pub fn seconds(&self) -> f64 {
        self.attempts.iter().map(|a| a.seconds).sum()
    }
}

/// Tries `th` at each of `widths` in order until it is proved or refuted.
pub fn prove(th: &Theorem, widths: &[u32], timeout: Duration) -> Outcome {
    let mut attempts = Vec::new();
    for &bits in widths {
        let (status, time) = theorems::check(th, bits, timeout);
        let (label, cex) = match status {
            Status::Proved => ("proved", None),
            Status::Counterexample(c) => ("counterexample", Some(c.text)),
            Status::Timeout => ("timeout", None),
        };
        attempts.push(Attempt {
            bits,
            status: label,
            seconds: time.as_secs_f64(),
            counterexample: cex,
        });
        if label != "timeout" {
            break;
        }
    }
    Outcome {
        theorem: th.name.clone(),
        width: th.width,
        covers: th.covers.clone(),
        attempts,
    }
}

/// Proves every theorem of `ths` in parallel (see [`prove`]); `each` sees every outcome as
/// it is decided. The outcomes come back in the order of `ths`.
pub fn prove_all(
    ths: &[Theorem],
    widths: &[u32],
    timeout: Duration,
    each: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    ths.par_iter()
        .map(|th| {
            let o = prove(th, widths, timeout);
            each(&o);
            o
        })
        .collect()
}

/// One line of the table: theorem, width, result, time.
pub fn line(o: &Outcome) -> String {
    let result = match (o.proved_bits(), o.counterexample()) {
        (Some(64), _) => "proved".to_string(),
        (Some(b), _) => {
            let wider: Vec<String> = o
                .attempts
                .iter()
                .filter(|a| a.status == "timeout")
                .map(|a| a.bits.to_string())
                .collect();
            if wider.is_empty() {
                format!("proved at {b} bits")
            } else {
                format!("proved at {b} bits ({} bits: timeout)", wider.join(", "))
            }
        }
        (None, Some(a)) => format!("COUNTEREXAMPLE at {} bits", a.bits),
        (None, None) => {
            let bits: Vec<String> = o.attempts.iter().map(|a| a.bits.to_string()).collect();
            format!("timeout ({} bits)", bits.join(", "))
        }
    };
    format!(
        "{:<28} {:>5}  {:<44} {:>8.1} s",
        o.theorem,
        o.width,
        result,
        o.seconds()
    )
}

/// The table's header.
pub fn header() -> String {
    format!(
        "{:<28} {:>5}  {:<44} {:>10}",
        "theorem", "width", "result", "time"
    )
}
