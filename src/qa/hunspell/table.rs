//! The compiled lexicon: a string table and an open-addressing hash index over it, in one
//! byte buffer that is written to the cache file as it is and probed there in place.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! entries:  n × 12 bytes   offset u32, length u16, props u16, rule mask u32
//! slots:    m × 8 bytes    hash high 32 bits << 32 | entry index + 1 (0: empty), m a power of 2
//! strings:  the forms' UTF-8 bytes, one after another
//! ```

use super::cache::Body;

/// What the dictionary says of a form, per mode (see [`super::build`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Props {
    pub(crate) bits: u16,
    pub(crate) rules: u32,
}

impl Props {
    /// Whole word (hidden twins skipped): found.
    pub(crate) const VIS: u16 = 1;
    pub(crate) const VIS_FORBID: u16 = 1 << 1;
    pub(crate) const VIS_KEEP: u16 = 1 << 2;
    /// Whole word (hidden twins accepted): found.
    pub(crate) const ANY: u16 = 1 << 3;
    pub(crate) const ANY_FORBID: u16 = 1 << 4;
    pub(crate) const ANY_KEEP: u16 = 1 << 5;
    /// Valid (and not forbidden) as the first part of a compound.
    pub(crate) const BEGIN: u16 = 1 << 6;
    /// The first part's stem is KEEPCASE.
    pub(crate) const BEGIN_KEEP: u16 = 1 << 7;
    pub(crate) const MIDDLE: u16 = 1 << 8;
    pub(crate) const END: u16 = 1 << 9;
    /// A stem with COMPOUNDRULE flags (in `rules`).
    pub(crate) const RULE: u16 = 1 << 10;
    pub(crate) const RULE_FORBID: u16 = 1 << 11;
    pub(crate) const RULE_KEEP: u16 = 1 << 12;

    /// From the per-mode answers of the expansion (`1 | forbidden << 1 | keep << 2`).
    pub(crate) fn from_answers(
        vis: u8,
        any: u8,
        begin: u8,
        middle: u8,
        end: u8,
        rule: u8,
    ) -> Props {
        let mut bits = 0;
        let three = |a: u8, base: u16| -> u16 {
            if a == 0 {
                0
            } else {
                base | if a & 2 != 0 { base << 1 } else { 0 }
                    | if a & 4 != 0 { base << 2 } else { 0 }
            }
        };
        bits |= three(vis, Props::VIS);
        bits |= three(any, Props::ANY);
        bits |= three(rule, Props::RULE);
        // A compound part whose first derivation is forbidden is no part at all.
        if begin & 3 == 1 {
            bits |= Props::BEGIN | if begin & 4 != 0 { Props::BEGIN_KEEP } else { 0 };
        }
        if middle & 3 == 1 {
            bits |= Props::MIDDLE;
        }
        if end & 3 == 1 {
            bits |= Props::END;
        }
        Props { bits, rules: 0 }
    }

    pub(crate) fn with_rules(self, rules: u32) -> Props {
        Props { rules, ..self }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.bits == 0
    }

    pub(crate) fn has(&self, bit: u16) -> bool {
        self.bits & bit != 0
    }
}

const ENTRY: usize = 12;

/// The compiled lexicon.
#[derive(Debug)]
pub(crate) struct Table {
    /// entries, slots, strings (see the module docs): built, or mapped from the cache.
    pub(crate) bytes: Body,
    pub(crate) entries: usize,
    pub(crate) slots: usize,
}

/// The hash of a form: FNV-1a over 8-byte words, then mixed (stable across runs and
/// machines, as the cache file needs).
pub(crate) fn hash(s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (s.len() as u64);
    let mut chunks = s.chunks_exact(8);
    for c in chunks.by_ref() {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(0x0000_0100_0000_01b3 | (1 << 61));
        h ^= h >> 29;
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 32;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 29)
}

impl Table {
    /// Builds the table from distinct forms.
    pub(crate) fn from_entries(forms: &[(Box<str>, Props)]) -> Table {
        let n = forms.len();
        let slots = (n.max(8) * 2).next_power_of_two();
        let str_len: usize = forms.iter().map(|(w, _)| w.len()).sum();
        let mut bytes = vec![0u8; n * ENTRY + slots * 8];
        bytes.reserve(str_len);
        let mut off = 0usize;
        let mask = slots - 1;
        for (i, (w, p)) in forms.iter().enumerate() {
            let e = i * ENTRY;
            bytes[e..e + 4].copy_from_slice(&(off as u32).to_le_bytes());
            bytes[e + 4..e + 6].copy_from_slice(&(w.len() as u16).to_le_bytes());
            bytes[e + 6..e + 8].copy_from_slice(&p.bits.to_le_bytes());
            bytes[e + 8..e + 12].copy_from_slice(&p.rules.to_le_bytes());
            off += w.len();
            let h = hash(w.as_bytes());
            let mut s = (h as usize) & mask;
            loop {
                let at = n * ENTRY + s * 8;
                if bytes[at..at + 8] == [0; 8] {
                    let v = ((h >> 32) << 32) | (i as u64 + 1);
                    bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
                    break;
                }
                s = (s + 1) & mask;
            }
        }
        for (w, _) in forms {
            bytes.extend_from_slice(w.as_bytes());
        }
        Table {
            bytes: Body::Owned(bytes),
            entries: n,
            slots,
        }
    }

    /// The table in `bytes` with `entries` and `slots` (from a cache file header), if the
    /// sizes fit the bytes. The entries are not checked one by one: a lookup reads only
    /// inside the entries and slots these sizes allow, and compares a string only when its
    /// span lies inside the string table, so a damaged table gives wrong answers at worst.
    pub(crate) fn from_parts(bytes: Body, entries: usize, slots: usize) -> Option<Table> {
        if !slots.is_power_of_two() || slots < entries || entries >= u32::MAX as usize {
            return None;
        }
        let head = entries
            .checked_mul(ENTRY)?
            .checked_add(slots.checked_mul(8)?)?;
        bytes.len().checked_sub(head)?;
        Some(Table {
            bytes,
            entries,
            slots,
        })
    }

    fn u32_at(&self, at: usize) -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&self.bytes[at..at + 4]);
        u32::from_le_bytes(b)
    }

    fn span(&self, i: usize) -> (usize, usize) {
        let e = i * ENTRY;
        let off = self.u32_at(e) as usize;
        let len = u16::from_le_bytes([self.bytes[e + 4], self.bytes[e + 5]]) as usize;
        (off, len)
    }

    /// The properties of form `w`, if the dictionary knows it in some mode.
    pub(crate) fn get(&self, w: &str) -> Option<Props> {
        let h = hash(w.as_bytes());
        let mask = self.slots - 1;
        let base = self.entries * ENTRY;
        let strings = base + self.slots * 8;
        let mut s = (h as usize) & mask;
        let tag = h >> 32;
        // (At most `slots` probes: the table is at most half full, so an empty slot ends it.)
        for _ in 0..self.slots {
            let at = base + s * 8;
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.bytes[at..at + 8]);
            let v = u64::from_le_bytes(b);
            if v == 0 {
                return None;
            }
            if v >> 32 == tag {
                let i = ((v & 0xffff_ffff) as usize).wrapping_sub(1);
                if i < self.entries {
                    let (off, len) = self.span(i);
                    let at = strings + off;
                    if self.bytes.get(at..at + len) == Some(w.as_bytes()) {
                        let e = i * ENTRY;
                        return Some(Props {
                            bits: u16::from_le_bytes([self.bytes[e + 6], self.bytes[e + 7]]),
                            rules: self.u32_at(e + 8),
                        });
                    }
                }
            }
            s = (s + 1) & mask;
        }
        None
    }
}
