//! Heap-heavy std collections: BTreeMap, HashMap and Vec churn (inserts, removals, regrowth) over many rounds.
//! Never calls continuum.yield: admission gives it automatic safe points. Output is deterministic: nothing is printed
//! in HashMap order (its hasher is seeded at random), only sums and sorted keys.
//!
//!   rust-collections.wasm [rounds (80)] [keys per round (10000)]
use std::collections::{BTreeMap, HashMap};

/// A 64-bit LCG (Knuth's MMIX constants): deterministic, no crate needed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 17
    }
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn main() {
    let rounds = arg(1, 80);
    let keys = arg(2, 10000);
    let mut rng = Lcg(42);
    let mut tree: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let mut counts: HashMap<u64, u64> = HashMap::new();
    let mut digest: u64 = 0xcbf29ce484222325;
    for round in 1..=rounds {
        for _ in 0..keys {
            let k = rng.next() % (keys * 2);
            tree.entry(k).or_default().push(rng.next() % 1000);
            *counts.entry(k % 257).or_insert(0) += 1;
        }
        // Churn: drop every key in a random range, shrink long vectors, sort the rest.
        let from = rng.next() % (keys * 2);
        let doomed: Vec<u64> = tree.range(from..from + keys / 4).map(|(k, _)| *k).collect();
        for k in &doomed {
            tree.remove(k);
        }
        for v in tree.values_mut() {
            if v.len() > 8 {
                v.sort_unstable();
                v.truncate(4);
            }
        }
        let mut buckets: Vec<(&u64, &u64)> = counts.iter().collect();
        buckets.sort();
        for (k, v) in buckets.iter().take(16) {
            digest = (digest ^ (**k * 31 + **v)).wrapping_mul(0x100000001b3);
        }
        let values: u64 = tree.values().map(|v| v.iter().sum::<u64>()).sum();
        digest = (digest ^ values).wrapping_mul(0x100000001b3);
        println!("round {:3}: {:5} keys, {:4} removed, values={:9}, digest={:016x}", round, tree.len(), doomed.len(), values, digest);
    }
    println!("done: {} rounds, digest={:016x}", rounds, digest);
}
