//! An ordinary Rust program: Strings, HashMap, sorting, iterators and float formatting.
use std::collections::HashMap;

fn main() {
    let lines: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3000);
    let words = ["migrate", "node", "edge", "cloud", "wasm", "checkpoint", "restore", "safe", "point", "memory"];
    let mut text = String::new();
    let mut x: u32 = 99;
    for i in 0..lines {
        for _ in 0..(i % 7 + 3) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            text.push_str(words[(x % words.len() as u32) as usize]);
            text.push(' ');
        }
        text.push('\n');
    }
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for w in text.split_whitespace() {
        *freq.entry(w).or_insert(0) += 1;
    }
    let mut ranked: Vec<(&str, usize)> = freq.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total: usize = ranked.iter().map(|(_, n)| n).sum();
    for (w, n) in &ranked {
        println!("{:>10} {:6} {:6.3}%", w, n, 100.0 * *n as f64 / total as f64);
    }
    println!("{} words in {} lines, {} bytes", total, text.lines().count(), text.len());
}
