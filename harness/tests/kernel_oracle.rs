//! The live kernel as oracle: every program of the kernel's own samples (ebpf-samples
//! `linux/`) is loaded into the running kernel with its maps created and patched in, and
//! its verdict and processed-instruction count are set beside ours.

use harness::{kernel, verify};
use std::path::Path;

#[test]
fn our_verdicts_match_the_live_kernel_on_the_kernel_samples() {
    if let Err(why) = kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples/linux");
    let targets: Vec<_> = verify::targets(&dir, None)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    assert!(targets.len() > 100, "the corpus has the kernel samples");
    let ours = verify::run(&targets, &verifier::Options::default());
    let (mut agree, mut same_count) = (0, 0);
    let mut differ = Vec::new();
    for (t, v) in targets.iter().zip(&ours) {
        let k =
            kernel::verify(&t.prog).unwrap_or_else(|e| panic!("{}:{}: {e}", t.object, t.section));
        if k.load.accepted() == v.accepted {
            agree += 1;
            if k.processed_insns == Some(v.stats.processed_insns) {
                same_count += 1;
            }
        } else {
            differ.push(format!(
                "{}:{}/{}: ours {} ({}), kernel {} ({})",
                t.object,
                t.section,
                t.program,
                v.accepted,
                v.message,
                k.load.accepted(),
                k.message
            ));
        }
    }
    println!(
        "{agree} of {} programs get the live kernel's verdict; {same_count} with the same processed-instruction count",
        targets.len()
    );
    assert!(differ.is_empty(), "verdicts differ:\n{}", differ.join("\n"));
}

/// Our abstract registers (scalars and pointers) beside the kernel's level-2 log, on the
/// kernel's samples: never incomparable, and less precise only where the kernel knows more about a context field
/// or a helper's result than we model (8 registers when this was written).
#[test]
fn our_register_states_beside_the_live_kernel_on_the_kernel_samples() {
    if let Err(why) = kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/ebpf-samples/linux");
    let mut total = harness::diff::StateDiff::default();
    for t in verify::targets(&dir, None)
        .into_iter()
        .filter_map(Result::ok)
    {
        let d = harness::diff::states(&t.prog, t.btf.as_deref()).expect("both logs");
        total.compared += d.compared;
        total.pointers += d.pointers;
        total.equal += d.equal;
        total.ours_more_precise += d.ours_more_precise;
        total.ours_less_precise += d.ours_less_precise;
        total.incomparable += d.incomparable;
    }
    println!(
        "{} registers compared ({} pointers): {} equal, ours more precise on {}, less precise on {}, incomparable on {}",
        total.compared, total.pointers, total.equal, total.ours_more_precise, total.ours_less_precise, total.incomparable
    );
    assert!(total.compared > 1000);
    assert!(total.pointers > 1000, "{} pointers", total.pointers);
    assert_eq!(total.incomparable, 0);
    assert!(
        total.ours_less_precise <= 40,
        "less precise on {} registers",
        total.ours_less_precise
    );
}

/// BPF_PROG_TEST_RUN with a context: a socket filter returns `skb->mark`, which the context
/// passed in sets; the kernel hands the context back.
#[test]
fn test_run_passes_a_context_in_and_out() {
    if let Err(why) = kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    let insns = semantics::text::assemble("r0 = *(u32 *)(r1 + 8)\nexit\n").expect("assembles");
    let load = kernel::prog_load(1, &insns, 0);
    let fd = load.fd.expect("the kernel accepts it");
    let mut ctx = vec![0u8; 192];
    ctx[8..12].copy_from_slice(&7u32.to_le_bytes());
    let r = kernel::test_run_ctx(&fd, &[0u8; 64], Some(&ctx), 3).expect("runs");
    assert_eq!(r.retval, 7);
    assert_eq!(r.ctx_out.len(), 192);
    assert_eq!(&r.ctx_out[8..12], &7u32.to_le_bytes());
}

/// The map structures the verifier bounds map-pointer reads by
/// (`semantics::maps::object_struct`) against the live kernel, which bounds them by its BTF:
/// a byte read at the structure's size is "beyond struct NAME" (so the size is not too
/// small, and the name is the kernel's), and one at the size less one is not (so it is not
/// too large). Queues, stacks and bloom filters end in a flexible array of scalars, which
/// the kernel lets reads run on into.
#[test]
fn map_object_structures_match_the_live_kernel() {
    if let Err(why) = kernel::available() {
        println!("skipped: the live kernel is not available ({why})");
        return;
    }
    let maps = [
        ("hash", 4, 8, 4),
        ("array", 4, 8, 4),
        ("perf_event_array", 4, 4, 4),
        ("percpu_hash", 4, 8, 4),
        ("percpu_array", 4, 8, 4),
        ("stack_trace", 4, 64, 4),
        ("lru_hash", 4, 8, 4),
        ("lru_percpu_hash", 4, 8, 4),
        ("devmap", 4, 4, 4),
        ("sockmap", 4, 4, 4),
        ("cpumap", 4, 4, 4),
        ("sockhash", 4, 4, 4),
        ("queue", 0, 8, 4),
        ("stack", 0, 8, 4),
        ("devmap_hash", 4, 4, 4),
        ("ringbuf", 0, 0, 4096),
        ("bloom_filter", 0, 8, 4),
    ];
    let mut checked = 0;
    for (name, k, v, n) in maps {
        let t = semantics::maps::map_type::by_name(name).expect(name);
        let (sname, len) = semantics::maps::object_struct(t).expect(name);
        let load = |off: u32| {
            let text = format!(
                "; type: tracepoint\n; map: m0 {name} {k} {v} {n}\nr0 = map_fd(0) ll\nr0 = *(u8 *)(r0 + {off})\nexit\n"
            );
            let t = harness::campaign::target_of_text(&text, name).expect("parses");
            kernel::verify(&t.prog)
        };
        let past = match load(len) {
            Ok(k) => k,
            Err(e) => {
                println!("{name}: not checked ({e})");
                continue;
            }
        };
        let beyond = format!("access beyond struct {sname} at off {len} size 1");
        let flexible = matches!(name, "queue" | "stack" | "bloom_filter");
        assert!(
            past.message.contains(&beyond) || (flexible && past.load.accepted()),
            "{name}: a read at {len}: {}",
            past.message
        );
        let last = load(len - 1).expect("loads");
        assert!(
            !last.message.contains("access beyond struct"),
            "{name}: a read at {}: {}",
            len - 1,
            last.message
        );
        checked += 1;
    }
    println!("{checked} map types' structures match the live kernel's");
    assert!(checked >= 12, "most map types could be created");
}
