//! Runs theorems in parallel and reports them: a theorem is tried at each word width in turn
//! (64 bits first) until Z3 proves it or finds a counterexample; a timeout moves on to the
//! next, narrower width.
//!
//! Widths: an attempt's `bits` is the width of the words the query runs on (the register);
//! a 32-bit theorem's operation then runs on words of half that width, so the table gives
//! each result at the operation's width: a theorem about a 64-bit operation is fully proved
//! at 64, one about a 32-bit operation at 32.

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
    /// The theorems this one's proof assumes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    pub attempts: Vec<Attempt>,
    /// Why wider words were not tried, when they were not.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub why_narrow: &'static str,
    /// The word width at which the theorem holds once what it assumes is counted: the
    /// narrowest of its own proof's and its assumptions' (see [`settle`]); `None` when it
    /// or an assumption is not proved (or not run).
    pub sound_bits: Option<u32>,
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

    /// The width of the operation when its words have `bits` bits.
    pub fn op_bits(&self, bits: u32) -> u32 {
        if self.width == 32 {
            bits / 2
        } else {
            bits
        }
    }

    pub fn seconds(&self) -> f64 {
        self.attempts.iter().map(|a| a.seconds).sum()
    }
}

/// Tries `th` at each of `widths` in order until it is proved or refuted.
pub fn prove(th: &Theorem, widths: &[u32], timeout: Duration) -> Outcome {
    let mut attempts = Vec::new();
    // With a single width asked for, try it whatever the theorem's widest.
    let tried: Vec<u32> = if widths.len() == 1 {
        widths.to_vec()
    } else {
        widths.iter().copied().filter(|&b| b <= th.widest).collect()
    };
    for &bits in &tried {
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
        uses: th.uses.clone(),
        sound_bits: None,
        why_narrow: if tried.first() == widths.first() {
            ""
        } else {
            th.why_narrow
        },
        attempts,
    }
}

/// Sets every outcome's `sound_bits`: its own proof's width, narrowed to that of each
/// theorem it uses, and of what those use in turn (each must be among `outcomes`; `uses`
/// has no cycles).
pub fn settle(outcomes: &mut [Outcome]) {
    let index: std::collections::HashMap<String, usize> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| (o.theorem.clone(), i))
        .collect();
    fn sound(
        i: usize,
        all: &[Outcome],
        index: &std::collections::HashMap<String, usize>,
    ) -> Option<u32> {
        let o = &all[i];
        o.uses.iter().try_fold(o.proved_bits()?, |bits, u| {
            Some(bits.min(sound(*index.get(u)?, all, index)?))
        })
    }
    let bits: Vec<Option<u32>> = (0..outcomes.len())
        .map(|i| sound(i, outcomes, &index))
        .collect();
    for (o, b) in outcomes.iter_mut().zip(bits) {
        o.sound_bits = b;
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
    let mut outcomes: Vec<Outcome> = ths
        .par_iter()
        .map(|th| {
            let o = prove(th, widths, timeout);
            each(&o);
            o
        })
        .collect();
    settle(&mut outcomes);
    outcomes
}

/// One line of the table: theorem, width, result, time. Widths are the operation's.
pub fn line(o: &Outcome) -> String {
    let full = o.op_bits(64);
    let mut result = match (o.proved_bits(), o.counterexample()) {
        (Some(64), _) => "proved".to_string(),
        (Some(b), _) => {
            let wider: Vec<String> = o
                .attempts
                .iter()
                .filter(|a| a.status == "timeout")
                .map(|a| o.op_bits(a.bits).to_string())
                .collect();
            if wider.is_empty() {
                format!("proved at {} bits", o.op_bits(b))
            } else {
                format!(
                    "proved at {} bits ({} bits: timeout)",
                    o.op_bits(b),
                    wider.join(", ")
                )
            }
        }
        (None, Some(a)) => format!("COUNTEREXAMPLE at {} bits", o.op_bits(a.bits)),
        (None, None) => {
            let bits: Vec<String> = o
                .attempts
                .iter()
                .map(|a| o.op_bits(a.bits).to_string())
                .collect();
            format!("timeout ({} bits)", bits.join(", "))
        }
    };
    if !o.why_narrow.is_empty() {
        result.push_str(" (wider: not tried)");
    }
    if !o.uses.is_empty() && o.proved_bits().is_some() {
        let holds = match o.sound_bits {
            Some(b) if o.op_bits(b) == full => "all".to_string(),
            Some(b) => format!("{} bits", o.op_bits(b)),
            None => "unproved".to_string(),
        };
        result = format!("{result}, given {}: {holds}", o.uses.join(", "));
    }
    format!(
        "{:<28} {:>5}  {:<60} {:>8.1} s",
        o.theorem,
        o.width,
        result,
        o.seconds()
    )
}

/// The table's header.
pub fn header() -> String {
    format!(
        "{:<28} {:>5}  {:<60} {:>10}",
        "theorem", "width", "result", "time"
    )
}
