//! `tristate demo`: runs the bundled example programs and checks what they state.

use crate::input::{self, Prog};
use semantics::elf::ProgType;
use semantics::interp::{Config, CtxLayout, Input, Outcome, Vm};
use std::path::Path;
use std::process::ExitCode;

/// How r1 is set up.
#[derive(Clone, Copy, Debug)]
pub enum Ctx {
    None,
    Mem,
    Packet(CtxLayout),
}

/// The context layout a program type receives, for types that carry a packet.
pub fn layout_of(t: ProgType) -> Option<CtxLayout> {
    use ProgType as P;
    match t {
        P::Xdp => Some(CtxLayout::Xdp),
        P::SkMsg => Some(CtxLayout::SkMsg),
        P::SocketFilter
        | P::SchedCls
        | P::SchedAct
        | P::CgroupSkb
        | P::SkSkb
        | P::LwtIn
        | P::LwtOut
        | P::LwtXmit
        | P::LwtSeg6local => Some(CtxLayout::SkBuff),
        _ => None,
    }
}

/// The input of a run: explicit context kind, or derived from the program type.
pub fn input_for(t: Option<ProgType>, ctx: Option<Ctx>, bytes: Vec<u8>) -> Input {
    let ctx = ctx.unwrap_or_else(|| match t.and_then(layout_of) {
        Some(l) => Ctx::Packet(l),
        None if bytes.is_empty() => Ctx::None,
        None => Ctx::Mem,
    });
    match ctx {
        Ctx::None => Input::None,
        Ctx::Mem => Input::Mem(bytes),
        Ctx::Packet(layout) => Input::Packet {
            layout,
            data: bytes,
        },
    }
}

/// Runs every example in `dir`; prints one line each; fails if any run does not exit
/// normally or returns other than what the file states.
pub fn run(dir: &Path) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "s" || x == "o" || x == "data")
        })
        .collect();
    files.sort();
    let mut failed = 0;
    println!(
        "{:<24} {:>20} {:>10}  {:<18} {:<9} {:<8} {:>9}  verifier message",
        "program", "r0", "insns", "outcome", "jit", "verifier", "processed"
    );
    for f in files {
        for p in input::read(&f)? {
            let (line, ok) = run_one(&p);
            let (vline, vok) = verify_one(&p);
            println!("{line}  {vline}");
            if !ok || !vok {
                failed += 1;
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Verifies one example (as its `; type:`, else as a socket filter); fails when the file
/// states a verdict (`; verify:`) and the verifier says otherwise.
fn verify_one(p: &Prog) -> (String, bool) {
    let prog = verifier::Program {
        slots: p.insns.clone(),
        prog_type: p.prog_type.map(|t| t as u32).unwrap_or(1),
        expected_attach_type: 0,
        maps: p.maps.iter().map(verifier::MapInfo::from_def).collect(),
        strict_alignment: false,
        global_funcs: Vec::new(),
    };
    let v = verifier::verify(&prog, &verifier::Options::default());
    let ok = p.expected_verdict.is_none_or(|e| e == v.accepted);
    let verdict = if v.accepted { "accept" } else { "reject" };
    let note = match (p.expected_verdict, ok) {
        (Some(_), true) => " (as stated)",
        (Some(_), false) => " (STATED OTHERWISE)",
        (None, _) => "",
    };
    (
        format!(
            "{:<8} {:>9}  {}{note}",
            verdict, v.stats.processed_insns, v.message
        ),
        ok,
    )
}

fn run_one(p: &Prog) -> (String, bool) {
    let name = p.name.rsplit('/').next().unwrap_or(&p.name).to_string();
    let mut vm = Vm::new(Config::default(), &p.maps);
    let id = match vm.load(&p.name, &p.insns) {
        Ok(id) => id,
        Err(e) => return (format!("{name:<24} load error: {e}"), false),
    };
    let inp = input_for(
        p.prog_type,
        None,
        p.default_input.clone().unwrap_or_default(),
    );
    // The JIT (checked memory) runs the same program on the same input in a copy of the VM
    // and must agree with the interpreter on the outcome and the count.
    let mut jit_vm = vm.clone();
    let run = vm.run(id, &inp);
    let jit = match jit::Jit::compile(&jit_vm, jit::Mode::Checked) {
        Ok(mut j) => {
            let r = j.run(&mut jit_vm, id, &inp);
            if r == run {
                "same"
            } else {
                "DIFFERENT"
            }
        }
        Err(_) => "unavailable",
    };
    let jit_ok = jit != "DIFFERENT";
    match run.outcome {
        Outcome::Exit(r0) => {
            let (ok, note) = match p.expected_r0 {
                Some(e) if e == r0 => (true, "exit, as expected".to_string()),
                Some(e) => (false, format!("exit, EXPECTED {e:#x}")),
                None => (true, "exit".to_string()),
            };
            (
                format!(
                    "{name:<24} {r0:>#20x} {:>10}  {note:<18} {jit:<9}",
                    run.insns
                ),
                ok && jit_ok,
            )
        }
        other => (
            format!(
                "{name:<24} {:>20} {:>10}  {:<18} {jit:<9}",
                "-",
                run.insns,
                format!("{other:?}")
            ),
            false,
        ),
    }
}
