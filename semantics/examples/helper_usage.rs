//! Lists the helpers that the programs of a directory of ELF objects call, with counts, and
//! whether the interpreter implements each: `cargo run --release -p semantics --example
//! helper_usage -- DIR`.
use semantics::decode::decode_all;
use semantics::isa::{Call, Instruction};
use std::collections::BTreeMap;

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "o") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("a directory");
    let mut files = Vec::new();
    walk(std::path::Path::new(&dir), &mut files);
    let mut count: BTreeMap<i32, (usize, usize)> = BTreeMap::new();
    for f in files {
        let Ok(obj) = semantics::elf::load_file(&f) else {
            continue;
        };
        for p in &obj.programs {
            let Ok(d) = decode_all(&p.insns) else {
                continue;
            };
            let mut seen = std::collections::BTreeSet::new();
            for (_, i) in &d.insns {
                if let Instruction::Call(Call::Helper(n)) = i {
                    count.entry(*n).or_default().0 += 1;
                    seen.insert(*n);
                }
            }
            for n in seen {
                count.entry(n).or_default().1 += 1;
            }
        }
    }
    for (n, (calls, progs)) in count {
        let name = semantics::helpers::helper_name(n).unwrap_or_else(|| "?".into());
        let imp = if semantics::helpers::implemented(n) {
            "yes"
        } else {
            "NO"
        };
        println!("{n:>4} {name:<32} calls {calls:>5} programs {progs:>4} implemented {imp}");
    }
}
