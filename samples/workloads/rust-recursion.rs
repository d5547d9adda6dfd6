//! Deep recursion: every round builds a binary tree recursively and walks it, then descends a plain recursive
//! chain thousands of frames deep with locals live in every frame. Never calls continuum.yield: automatic safe
//! points at function entries, so a checkpoint can land at the bottom of the deepest chain.
//!
//!   rust-recursion.wasm [rounds (60)] [chain depth (2000)]

enum Tree {
    Leaf(u64),
    Node(Box<Tree>, Box<Tree>, u64),
}

fn build(depth: u32, seed: u64) -> Tree {
    let mixed = seed.wrapping_mul(0x9e3779b97f4a7c15).rotate_left(depth + 7);
    if depth == 0 {
        Tree::Leaf(mixed % 1000)
    } else {
        Tree::Node(Box::new(build(depth - 1, mixed ^ 1)), Box::new(build(depth - 1, mixed ^ 2)), mixed % 7)
    }
}

fn walk(tree: &Tree) -> u64 {
    match tree {
        Tree::Leaf(v) => *v,
        Tree::Node(l, r, w) => walk(l).wrapping_mul(w + 1).wrapping_add(walk(r)),
    }
}

/// Keeps an array and a running value live in each of `depth` frames.
fn chain(depth: u32, acc: u64) -> u64 {
    let local = [acc, acc.rotate_left(13), acc ^ u64::from(depth)];
    if depth == 0 {
        return local.iter().fold(0, |a, b| a.wrapping_add(*b));
    }
    let below = chain(depth - 1, acc.wrapping_mul(31).wrapping_add(u64::from(depth)));
    below ^ local[(depth % 3) as usize]
}

fn arg(n: usize, default: u32) -> u32 {
    std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn main() {
    let rounds = arg(1, 60);
    let depth = arg(2, 2000);
    let mut checksum: u64 = 0;
    for round in 1..=rounds {
        let tree = build(15, u64::from(round));
        let walked = walk(&tree);
        let mut chained = 0;
        for i in 0..120 {
            chained ^= chain(depth, walked + i);
        }
        checksum = checksum.rotate_left(5) ^ walked ^ chained;
        println!("round {:2}: tree={:016x} chain={:016x} checksum={:016x}", round, walked, chained, checksum);
    }
    println!("done: checksum={:016x}", checksum);
}
