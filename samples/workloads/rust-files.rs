//! Files in a preopened directory: each step writes a file, reads every file written so far back, and checks what
//! it reads; at the end it removes them. Run it with a preopen mapped to /data (the program's only file access).
//! It calls continuum.yield between steps and never while a file is open: files the guest opened do not survive a
//! move (only the preopened directory does), so a cooperative safe point keeps every move between two whole steps.
//!
//!   rust-files.wasm [steps (60)] [directory (/data)]
use std::fs;
use std::path::Path;

#[cfg(target_arch = "wasm32")]
#[link(wasm_import_module = "continuum")]
extern "C" {
    /// A safe point (see samples/workloads/continuum.h): returns at once unless a checkpoint is pending.
    #[link_name = "yield"]
    fn continuum_yield();
}

/// Built natively (to compare outputs) there is no platform to yield to.
fn safe_point() {
    // SAFETY: the host import takes nothing, returns nothing and touches no guest memory the program owns.
    #[cfg(target_arch = "wasm32")]
    unsafe {
        continuum_yield()
    }
}

fn content(step: u32) -> Vec<u8> {
    let mut x = u64::from(step).wrapping_mul(0x9e3779b97f4a7c15) | 1;
    (0..16 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'a' + (x % 26) as u8
        })
        .collect()
}

/// Some work between file steps, so a run lasts long enough to be moved while it runs.
fn churn(data: &[u8], rounds: u32) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for _ in 0..rounds {
        for b in data {
            h = (h ^ u64::from(*b)).wrapping_mul(0x100000001b3);
        }
    }
    h
}

fn main() {
    let steps: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    let dir = std::env::args().nth(2).unwrap_or_else(|| "/data".to_string());
    let dir = Path::new(&dir);
    let mut total = 0u64;
    for step in 1..=steps {
        let name = dir.join(format!("step-{:03}.txt", step));
        fs::write(&name, content(step)).unwrap_or_else(|e| panic!("cannot write {}: {} (run with a preopened directory at /data)", name.display(), e));
        let mut hash = 0u64;
        for earlier in 1..=step {
            let bytes = fs::read(dir.join(format!("step-{:03}.txt", earlier))).expect("read back");
            assert_eq!(bytes, content(earlier), "step-{:03}.txt changed", earlier);
            hash ^= churn(&bytes, 1).rotate_left(earlier % 64);
        }
        total = total.wrapping_add(churn(&content(step), 64) ^ hash);
        println!("step {:2}: {} files, {} bytes each, hash={:016x}", step, step, 16 * 1024, hash);
        safe_point();
    }
    let mut names: Vec<String> = fs::read_dir(dir).expect("list").filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("step-")).collect();
    names.sort();
    for n in &names {
        fs::remove_file(dir.join(n)).expect("remove");
    }
    println!("done: {} files written, read back and removed, total={:016x}", names.len(), total);
}
