use semantics::interp::{Config, CtxLayout, Input, Vm};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let p = harness::input::read_asm(std::path::Path::new(&path), &text).unwrap();
    let ty = p.prog_type.unwrap();
    let layout = harness::demo::layout_of(ty).unwrap_or(CtxLayout::SkBuff);
    let input = Input::Packet {
        layout,
        data: vec![1u8; n],
    };
    let mut vm = Vm::new(Config::default(), &p.maps);
    let id = vm.load("x", &p.insns).unwrap();
    let prog = verifier::Program {
        slots: p.insns.clone(),
        prog_type: ty as u32,
        expected_attach_type: 0,
        maps: vec![],
        strict_alignment: false,
        global_funcs: vec![],
    };
    let v = verifier::verify(&prog, &verifier::Options::for_this_machine());
    let facts = harness::jitdiff::facts(&v);
    println!("facts {:?}", facts);
    let mut j = jit::Jit::compile_with(&vm, jit::Mode::Trusted, &facts).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let k = 20000;
        for _ in 0..k {
            std::hint::black_box(j.run(&mut vm, id, &input));
        }
        println!("jit {:.1} ns/run", t.elapsed().as_nanos() as f64 / k as f64);
        let t = Instant::now();
        for _ in 0..k {
            std::hint::black_box(vm.install(&input));
        }
        println!("install {:.1} ns", t.elapsed().as_nanos() as f64 / k as f64);
    }
}
