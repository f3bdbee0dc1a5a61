//! Byte scanning eight bytes at a time, in safe code: each eight bytes are
//! read as one `u64`, and the classic bit tricks flag the bytes sought.

/// The first `byte` at or after `from`, sixteen bytes at a time.
#[inline(always)]
pub(crate) fn find_byte(b: &[u8], from: usize, byte: u8) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 16) {
        let mut lo = [0u8; 8];
        let mut hi = [0u8; 8];
        lo.copy_from_slice(&chunk[..8]);
        hi.copy_from_slice(&chunk[8..]);
        let (zl, zh) = (
            eq(u64::from_le_bytes(lo), byte),
            eq(u64::from_le_bytes(hi), byte),
        );
        if zl | zh != 0 {
            let k = if zl != 0 {
                zl.trailing_zeros() / 8
            } else {
                8 + zh.trailing_zeros() / 8
            };
            return Some(i + k as usize);
        }
        i += 16;
    }
    let i = find_flagged(b, i, |w| eq(w, byte));
    (i < b.len()).then_some(i)
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Flags (bit 7 of each byte) the bytes of `w` equal to `byte`. The lowest
/// flag is always right; flags above a right one may be wrong.
#[inline(always)]
pub(crate) fn eq(w: u64, byte: u8) -> u64 {
    let x = w ^ (LO * byte as u64);
    x.wrapping_sub(LO) & !x & HI
}

/// Flags the bytes of `w` at most `max` (below 0x80), as [`eq`] does.
#[inline(always)]
pub(crate) fn le(w: u64, max: u8) -> u64 {
    w.wrapping_sub(LO * (max as u64 + 1)) & !w & HI
}

/// Flags the bytes of `w` above ASCII.
#[inline(always)]
pub(crate) fn high(w: u64) -> u64 {
    w & HI
}

/// The first position at or after `from` whose byte `flags` flags (eight
/// bytes at a time; `flags` is built from [`eq`], [`le`] and [`high`]
/// joined with `|`), or `b.len()`.
#[inline(always)]
pub(crate) fn find_flagged(b: &[u8], from: usize, flags: impl Fn(u64) -> u64) -> usize {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let m = flags(u64::from_le_bytes(w));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let Some(rest) = b.get(i..) else {
        return b.len();
    };
    if rest.is_empty() {
        return b.len();
    }
    // The last bytes, zero padded (read as the last eight bytes when there
    // are so many, moved down); flags on the padding are masked off.
    let w = match b.get(b.len().wrapping_sub(8)..) {
        Some(last) => {
            let mut w = [0u8; 8];
            w.copy_from_slice(last);
            u64::from_le_bytes(w) >> (8 * (8 - rest.len()))
        }
        None => {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(w)
        }
    };
    let m = flags(w) & ((1u64 << (8 * rest.len())) - 1);
    if m != 0 {
        i + (m.trailing_zeros() / 8) as usize
    } else {
        b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_in_blocks_and_tails() {
        let mut s = vec![b'a'; 100];
        assert_eq!(find_byte(&s, 0, b'\n'), None);
        for at in [0, 5, 15, 16, 17, 31, 32, 50, 99] {
            s[at] = b'\n';
            assert_eq!(find_byte(&s, 0, b'\n'), Some(at));
            assert_eq!(find_byte(&s, at + 1, b'\n'), None);
            s[at] = b'a';
        }
        assert_eq!(find_byte(&s, 200, b'a'), None);
    }

    #[test]
    fn flagged_bytes() {
        let text = b"abc=def ghi\"\x01\xc3\xa9 \t";
        let pos = |from, f: fn(u64) -> u64| find_flagged(text, from, f);
        for from in 0..text.len() {
            let want = |p: fn(u8) -> bool| {
                (from..text.len())
                    .find(|&i| p(text[i]))
                    .unwrap_or(text.len())
            };
            assert_eq!(pos(from, |w| eq(w, b'=')), want(|c| c == b'='));
            assert_eq!(pos(from, |w| le(w, b' ')), want(|c| c <= b' '));
            assert_eq!(pos(from, high), want(|c| c >= 0x80));
            assert_eq!(
                pos(from, |w| eq(w, b'"') | le(w, 0x1f)),
                want(|c| c == b'"' || c <= 0x1f)
            );
        }
        assert_eq!(find_flagged(b"", 0, high), 0);
    }
}
