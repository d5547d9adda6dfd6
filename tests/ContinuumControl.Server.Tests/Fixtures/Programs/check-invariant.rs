//! Traps in a function of its own after a few steps, so a test can see the trap name it.
#[inline(never)]
fn check_invariant(value: usize, limit: usize) {
    if value > limit {
        std::process::abort();
    }
}

fn main() {
    // The limit comes from the arguments, so the compiler cannot prove the trap away.
    let limit = std::env::args().count() + 1;
    for i in 0..5 {
        println!("step {}", i);
        check_invariant(i, limit);
    }
}
