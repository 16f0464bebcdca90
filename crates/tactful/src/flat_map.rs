//! A small open-addressing hash map for the tables that live in process-wide statics.
//!
//! Why not `FxHashMap`: hashbrown keeps only a pointer into the *middle* of its allocation (the
//! control bytes sit after the buckets), so a map held by a `static` until the process exits is
//! reported by valgrind as "possibly lost" — standard `valgrind --leak-check=full` flags then
//! fail a C or C++ program that merely used the library. Here every allocation is owned through
//! a pointer to its start (a `Vec` of entries and a boxed slot array), so memory checkers see it
//! as reachable. Look-ups cost the same: one Fx hash, a probe at load factor ≤ 1/2 with a 32-bit
//! tag compared before the key.

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use rustc_hash::FxBuildHasher;

/// Slot contents: the entry's index + 1 (0 = empty) and 32 bits of its hash.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    tag: u32,
    index: u32,
}

/// A hash map with insertion-ordered entries; keys are never removed.
#[derive(Debug, Clone)]
pub(crate) struct FlatMap<K, V> {
    entries: Vec<(K, V)>,
    slots: Box<[Slot]>,
}

impl<K, V> Default for FlatMap<K, V> {
    fn default() -> Self {
        FlatMap {
            entries: Vec::new(),
            slots: Box::default(),
        }
    }
}

fn hash_of<Q: Hash + ?Sized>(key: &Q) -> u64 {
    FxBuildHasher.hash_one(key)
}

/// The tag stored in a slot (the index marks a slot empty, so any 32 bits of the hash do).
fn tag_of(h: u64) -> u32 {
    (h >> 32) as u32
}

impl<K: Hash + Eq, V> FlatMap<K, V> {
    /// An empty map with room for `n` entries before it grows.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut m = FlatMap {
            entries: Vec::with_capacity(n),
            slots: Box::default(),
        };
        m.resize_slots(n);
        m
    }

    /// How many entries the map holds.
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in insertion order.
    #[allow(dead_code)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The slot where `key` is, or the empty slot where it would go.
    fn find<Q>(&self, key: &Q, h: u64) -> (usize, Option<usize>)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mask = self.slots.len() - 1;
        let tag = tag_of(h);
        let mut i = h as usize & mask;
        loop {
            let s = self.slots[i];
            if s.index == 0 {
                return (i, None);
            }
            let e = s.index as usize - 1;
            if s.tag == tag && self.entries[e].0.borrow() == key {
                return (i, Some(e));
            }
            i = (i + 1) & mask;
        }
    }

    /// The value for `key`.
    #[inline]
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if self.entries.is_empty() {
            return None;
        }
        let (_, e) = self.find(key, hash_of(key));
        e.map(|e| &self.entries[e].1)
    }

    /// Whether `key` is in the map.
    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// The slot and entry of `key` after making room for one more entry.
    fn prepare(&mut self, key: &K) -> (usize, Option<usize>, u64) {
        // Keep the load factor at or under 1/2 so probes stay short.
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.resize_slots(self.entries.len() + 1);
        }
        let h = hash_of(key);
        let (slot, found) = self.find(key, h);
        (slot, found, h)
    }

    fn push(&mut self, slot: usize, h: u64, key: K, value: V) -> usize {
        self.entries.push((key, value));
        let e = self.entries.len() - 1;
        // u32 indices: the tables are word lists (thousands of entries); a map would exhaust
        // memory long before 4 billion entries.
        self.slots[slot] = Slot {
            tag: tag_of(h),
            index: e as u32 + 1,
        };
        e
    }

    /// The value for `key`, inserted with `make` if absent.
    pub(crate) fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let e = match self.prepare(&key) {
            (_, Some(e), _) => e,
            (slot, None, h) => self.push(slot, h, key, make()),
        };
        &mut self.entries[e].1
    }

    /// Inserts `value` for `key`, replacing an earlier value.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        match self.prepare(&key) {
            (_, Some(e), _) => self.entries[e].1 = value,
            (slot, None, h) => {
                self.push(slot, h, key, value);
            }
        }
    }

    /// Rebuilds the slot array for at least `n` entries at load factor ≤ 1/2.
    fn resize_slots(&mut self, n: usize) {
        let size = (n.max(4) * 2).next_power_of_two();
        if size <= self.slots.len() {
            return;
        }
        let mut slots = vec![Slot::default(); size].into_boxed_slice();
        let mask = size - 1;
        for (e, (k, _)) in self.entries.iter().enumerate() {
            let h = hash_of(k);
            let mut i = h as usize & mask;
            while slots[i].index != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot {
                tag: tag_of(h),
                index: e as u32 + 1,
            };
        }
        self.slots = slots;
    }
}

impl<K: Hash + Eq, V> FromIterator<(K, V)> for FlatMap<K, V> {
    /// Later duplicates replace earlier values, as with `HashMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut m = FlatMap::with_capacity(iter.size_hint().0);
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

/// A set over [`FlatMap`].
pub(crate) type FlatSet<K> = FlatMap<K, ()>;

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashMap;

    #[test]
    fn agrees_with_a_hash_map_over_many_keys() {
        let mut flat: FlatMap<String, usize> = FlatMap::default();
        let mut reference: FxHashMap<String, usize> = FxHashMap::default();
        for i in 0..20_000usize {
            // Repeats every 7th key so replacement and look-up of present keys are exercised.
            let k = format!("w{}", (i * 7919) % 13_001);
            flat.insert(k.clone(), i);
            reference.insert(k, i);
        }
        assert_eq!(flat.len(), reference.len());
        for (k, v) in &reference {
            assert_eq!(flat.get(k.as_str()), Some(v), "{k}");
        }
        for miss in ["", "w13001", "x1", "w-1"] {
            assert_eq!(flat.get(miss), None);
        }
        // Insertion order is kept.
        let first: Vec<&String> = flat.iter().take(2).map(|(k, _)| k).collect();
        assert_eq!(first, ["w0", "w7919"]);
    }

    #[test]
    fn empty_and_tiny_maps() {
        let m: FlatMap<&'static str, u8> = FlatMap::default();
        assert!(m.is_empty());
        assert_eq!(m.get("a"), None);
        let mut s: FlatSet<Box<str>> = FlatSet::default();
        *s.get_or_insert_with("a".into(), || ()) = ();
        assert!(s.contains_key("a"));
        assert!(!s.contains_key("b"));
        let collected: FlatMap<u64, u32> = [(1, 10), (2, 20), (1, 11)].into_iter().collect();
        assert_eq!(collected.len(), 2);
        assert_eq!(collected.get(&1), Some(&11));
    }
}
