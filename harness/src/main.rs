use clap::Parser;
use std::path::PathBuf;

#[derive(Parser)]
struct Cli {
    dir: PathBuf,
}

fn main() {
    let cli = Cli::parse();
    let s = harness::conformance::run_dir(&cli.dir, harness::conformance::Engine::Interp).unwrap();
    for c in &s.cases {
        if !c.passed {
            println!("FAIL {} expected {} got {:?}", c.file, c.expected, c.got);
        }
    }
    println!("passed {} failed {}", s.passed, s.failed);
}
