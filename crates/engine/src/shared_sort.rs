//! One stable sort for the whole engine and the playground, compiled once.
//!
//! Why this exists: std's `sort`, `sort_by` and `sort_by_key` are generic,
//! so every element type and every comparison closure gets its own copy of
//! the whole sorting algorithm (driftsort's quicksort, merges, small-sorts
//! and pivot selection: about 3 KB each in the release wasm). The
//! playground's wasm held 38 such copies, about 120 KB raw. Here the algorithm
//! runs once, on a permutation of indices, behind a `dyn` comparator: one
//! instantiation of `sort_unstable_by` on `[usize]` (about 4 KB). What
//! stays generic per call site is a closure that compares two elements by
//! index and one that swaps two elements: a few hundred bytes at most.
//!
//! The result is the same as std's stable `sort_by`: equal elements keep
//! their order (ties are broken by the original index). A stable result is
//! also a valid result for `sort_unstable*`, so those call sites use it too.
//! It costs one `Vec<usize>` of the slice's length and an indirect call per
//! comparison: natively 1.3-1.8 times std's time on strings, which does not
//! matter for the sizes the engine sorts (files of a build context, images,
//! containers, warnings).
//!
//! Use these functions instead of the slice methods in `engine` and `web`
//! (their `clippy.toml` refuses the slice methods). `BTreeMap`, `BTreeSet`
//! and `serde_json::Map` built with `collect()` sort their input with std's
//! stable sort too, one more copy per element type: build those with
//! [`collect_by_insert`] (or `insert`/`extend`).

use std::cmp::Ordering;

/// Sorts `v` by `compare`, stably (equal elements keep their order), as
/// `slice::sort_by` does.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_order(v.len(), &mut |i, j| compare(&v[i], &v[j]));
    permute(order, &mut |i, j| v.swap(i, j));
}

/// Sorts `v` by the key `key` gives, stably, as `slice::sort_by_key` does
/// (the key is computed on each comparison).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in ascending order, stably, as `slice::sort` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// What `iter.collect()` gives for a map or set, built by inserting one
/// item at a time (`Extend`). `collect()` into a `BTreeMap` or `BTreeSet`
/// first sorts all the items with std's stable sort, instantiated for each
/// item type; inserting does not sort. The result is the same: the map is
/// ordered by key, and of two equal keys the later value wins. (Which of two
/// equal keys is kept differs, `collect()` keeping the later one; for the
/// keys used here, strings and numbers, equal keys are identical.)
pub fn collect_by_insert<C: Default + Extend<T>, T>(iter: impl IntoIterator<Item = T>) -> C {
    let mut collection = C::default();
    collection.extend(iter);
    collection
}

/// The indices `0..len` in the order that sorts the slice: position `k` of
/// the sorted slice holds the element at `order[k]`. Ties in `compare` are
/// broken by index, so the order is the stable one. Not generic: the only
/// copy of the sorting algorithm.
#[inline(never)]
#[allow(clippy::disallowed_methods)] // the one place std's sort is used
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&i, &j| compare(i, j).then(i.cmp(&j)));
    order
}

/// Moves the element at `order[k]` to position `k` for every `k`, with
/// `swap`, one cycle of the permutation at a time (at most `len - 1` swaps).
/// Not generic; `swap` is the only per-type code.
#[inline(never)]
fn permute(mut order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        // Walk the cycle through `start`: the element wanted at `at` is at
        // `order[at]`; once moved, `order[at] = at` marks `at` as done.
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::unnecessary_sort_by)] // std's sort is what the tests compare with
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*), so the test needs no
    /// dependency and every run checks the same vectors.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Random (key, serial) pairs: few distinct keys, so many ties, and
    /// the serial shows whether equal keys kept their order.
    fn pairs(rng: &mut Rng, len: usize, keys: u64) -> Vec<(u64, usize)> {
        (0..len).map(|i| (rng.below(keys), i)).collect()
    }

    #[test]
    fn matches_std_stable_sort_on_random_vectors() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..1200 {
            let len = match case % 4 {
                0 => rng.below(8) as usize,
                1 => rng.below(40) as usize,
                2 => rng.below(300) as usize,
                _ => rng.below(2000) as usize,
            };
            let keys = [1, 2, 3, 10, 1000, u64::MAX][case % 6];
            let v = pairs(&mut rng, len, keys);

            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut theirs = v.clone();
            theirs.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, theirs, "sort_by, case {case}, len {len}, keys {keys}");

            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| std::cmp::Reverse(p.0 % 7));
            let mut theirs = v.clone();
            theirs.sort_by_key(|p| std::cmp::Reverse(p.0 % 7));
            assert_eq!(ours, theirs, "sort_by_key, case {case}");

            let mut ours = v.clone();
            sort(&mut ours);
            let mut theirs = v;
            theirs.sort();
            assert_eq!(ours, theirs, "sort, case {case}");
        }
    }

    #[test]
    fn keeps_the_order_of_equal_elements() {
        let mut rng = Rng(7);
        let mut v = pairs(&mut rng, 5000, 4);
        sort_by_key(&mut v, |p| p.0);
        for w in v.windows(2) {
            assert!(
                w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1),
                "{w:?}"
            );
        }
    }

    #[test]
    fn moves_owned_values() {
        let mut rng = Rng(11);
        let words: Vec<String> = (0..500).map(|_| format!("w{}", rng.below(60))).collect();
        let mut ours = words.clone();
        sort(&mut ours);
        let mut theirs = words;
        theirs.sort();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn empty_and_one_element() {
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        sort_by(&mut empty, |_, _| unreachable!());
        assert!(empty.is_empty());

        let mut one = vec![String::from("x")];
        sort_by(&mut one, |_, _| unreachable!());
        sort_by_key(&mut one, |s| s.len());
        assert_eq!(one, ["x"]);
    }

    #[test]
    fn collect_by_insert_gives_what_collect_gives() {
        use std::collections::{BTreeMap, BTreeSet};
        let mut rng = Rng(13);
        for _ in 0..200 {
            let len = rng.below(100) as usize;
            let pairs: Vec<(String, u64)> = (0..len)
                .map(|_| (format!("k{}", rng.below(20)), rng.below(1000)))
                .collect();
            let ours: BTreeMap<String, u64> = collect_by_insert(pairs.iter().cloned());
            let theirs: BTreeMap<String, u64> = pairs.iter().cloned().collect();
            assert_eq!(ours, theirs);
            let ours: BTreeSet<u64> = collect_by_insert(pairs.iter().map(|p| p.1 % 50));
            let theirs: BTreeSet<u64> = pairs.iter().map(|p| p.1 % 50).collect();
            assert_eq!(ours, theirs);
            let ours: serde_json::Map<String, serde_json::Value> =
                collect_by_insert(pairs.iter().map(|(k, v)| (k.clone(), (*v).into())));
            let theirs: serde_json::Map<String, serde_json::Value> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), (*v).into()))
                .collect();
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn already_sorted_and_reversed() {
        let mut up: Vec<u32> = (0..1000).collect();
        sort(&mut up);
        assert!(up.windows(2).all(|w| w[0] < w[1]));
        let mut down: Vec<u32> = (0..1000).rev().collect();
        sort(&mut down);
        assert_eq!(down, up);
    }
}
