//! `f64` to text and text to `f64` with integer arithmetic only.
//!
//! Each function gives exactly the text (or the value) of the standard
//! library's routine it replaces: [`fixed`] is `format!("{x:.n$}")`,
//! [`exp`] is `format!("{x:.n$e}")`, [`shortest`] is `format!("{x}")` and
//! [`parse`] is `s.parse::<f64>().ok()`. They work on the exact decimal
//! expansion of the binary value with a small natural-number type, so a
//! program that formats or parses floats only through them carries no
//! `flt2dec`/`dec2flt` code and no tables of powers. They are slower than
//! the standard routines, which does not matter for the few numbers a
//! page or a command prints.

/// A natural number, base 2^32, least significant limb first, no leading
/// zero limbs (zero is the empty vector).
#[derive(Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// `self = self * m + add`.
    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    /// `self *= base^exp`, with `chunk = base^per` fitting in a `u32`.
    fn mul_pow(&mut self, base: u32, chunk: u32, per: u32, mut exp: u32) {
        while exp >= per {
            self.mul_add(chunk, 0);
            exp -= per;
        }
        self.mul_add(base.pow(exp), 0);
    }

    /// `self *= 10^exp`.
    fn mul_pow10(&mut self, exp: u32) {
        self.mul_pow(10, 1_000_000_000, 9, exp);
    }

    /// `self <<= bits`.
    fn shl(&mut self, bits: u32) {
        if self.0.is_empty() {
            return;
        }
        let mut out = vec![0; (bits / 32) as usize];
        let mut carry = 0u64;
        for &limb in &self.0 {
            let v = (u64::from(limb) << (bits % 32)) | carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        self.0 = out;
    }

    /// `self /= d`, returning the remainder.
    fn div_rem(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn bit_len(&self) -> u32 {
        self.0
            .last()
            .map_or(0, |top| self.0.len() as u32 * 32 - top.leading_zeros())
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `self -= other`, for `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = v as u32;
            borrow = i64::from(v < 0);
        }
        self.trim();
    }

    /// The decimal digits (values 0..=9, most significant first; empty for
    /// zero).
    fn digits(mut self) -> Vec<u8> {
        let mut chunks = Vec::new();
        while !self.0.is_empty() {
            chunks.push(self.div_rem(1_000_000_000));
        }
        let mut out = Vec::with_capacity(chunks.len() * 9);
        for (i, chunk) in chunks.iter().rev().enumerate() {
            let mut buf = [0u8; 9];
            let mut c = *chunk;
            for d in buf.iter_mut().rev() {
                *d = (c % 10) as u8;
                c /= 10;
            }
            let skip = if i == 0 {
                buf.iter().take_while(|&&d| d == 0).count()
            } else {
                0
            };
            out.extend_from_slice(&buf[skip..]);
        }
        out
    }
}

/// `|x|` of a finite `x` as mantissa and binary exponent: `m * 2^e`.
fn decode(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let frac = bits & ((1 << 52) - 1);
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), biased - 1075)
    }
}

/// The exact decimal expansion of `m * 2^e`: digits without trailing
/// zeros and the position of the decimal point (`0.d1d2... * 10^dp`).
/// Empty digits for zero.
fn expand(m: u64, e: i32) -> (Vec<u8>, i32) {
    let mut n = Big::from_u64(m);
    let k = if e >= 0 {
        n.shl(e as u32);
        0
    } else {
        n.mul_pow(5, 1_220_703_125, 13, e.unsigned_abs());
        e.unsigned_abs() as i32
    };
    let mut d = n.digits();
    let dp = d.len() as i32 - k;
    while d.last() == Some(&0) {
        d.pop();
    }
    (d, dp)
}

/// Rounds `digits` (a value `0.d1d2... * 10^dp`) to its first `keep`
/// digits, ties to even, as the standard library's exact formatting does.
/// Returns the new digits (without trailing zeros) and decimal point.
fn round(mut d: Vec<u8>, mut dp: i32, keep: i32) -> (Vec<u8>, i32) {
    if keep < 0 {
        return (Vec::new(), dp);
    }
    let keep = keep as usize;
    if keep >= d.len() {
        return (d, dp);
    }
    let first = d[keep];
    let up = first > 5
        || (first == 5
            && (d[keep + 1..].iter().any(|&x| x != 0)
                || keep.checked_sub(1).is_some_and(|i| d[i] % 2 == 1)));
    d.truncate(keep);
    if up {
        loop {
            match d.last_mut() {
                Some(9) => {
                    d.pop();
                }
                Some(last) => {
                    *last += 1;
                    break;
                }
                None => {
                    d.push(1);
                    dp += 1;
                    break;
                }
            }
        }
    }
    while d.last() == Some(&0) {
        d.pop();
    }
    (d, dp)
}

/// How every formatter starts: `Err` with the whole text of a non-finite
/// value (`NaN`, `inf`, `-inf`, as `Display` writes them), or `Ok` with the
/// sign written so far and the exact decimal digits of `|x|` and where the
/// point goes (see [`expand`]).
fn start(x: f64) -> Result<(String, Vec<u8>, i32), String> {
    let mut out = String::new();
    if x.is_nan() {
        out.push_str("NaN");
        return Err(out);
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return Err(out);
    }
    let (m, e) = decode(x);
    let (d, dp) = expand(m, e);
    Ok((out, d, dp))
}

/// Digit `i` of `d` as a character (`'0'` outside the digits).
fn digit(d: &[u8], i: i32) -> char {
    usize::try_from(i)
        .ok()
        .and_then(|i| d.get(i))
        .map_or('0', |&v| char::from(b'0' + v))
}

/// `format!("{x:.n$}")`: `n` decimals, the exact value rounded half to
/// even.
pub fn fixed(x: f64, n: usize) -> String {
    let (mut out, d, dp) = match start(x) {
        Ok(parts) => parts,
        Err(text) => return text,
    };
    let n = n.min(i32::MAX as usize / 2) as i32;
    let (d, dp) = if d.is_empty() {
        (d, 1)
    } else {
        round(d, dp, dp.saturating_add(n))
    };
    if dp <= 0 {
        out.push('0');
    } else {
        for i in 0..dp {
            out.push(digit(&d, i));
        }
    }
    if n > 0 {
        out.push('.');
        for i in dp..dp + n {
            out.push(digit(&d, i));
        }
    }
    out
}

/// `format!("{x:.n$e}")`: `n` digits after the point, the exact value
/// rounded half to even.
pub fn exp(x: f64, n: usize) -> String {
    let (mut out, d, dp) = match start(x) {
        Ok(parts) => parts,
        Err(text) => return text,
    };
    let n = n.min(i32::MAX as usize / 2) as i32;
    let (d, dp) = if d.is_empty() {
        (d, 1)
    } else {
        round(d, dp, n + 1)
    };
    out.push(digit(&d, 0));
    if n > 0 {
        out.push('.');
        for i in 1..=n {
            out.push(digit(&d, i));
        }
    }
    out.push('e');
    out.push_str(&(dp - 1).to_string());
    out
}

/// `format!("{x}")`: the shortest digits that read back as `x` (the
/// closest of them to `x`), written without an exponent.
pub fn shortest(x: f64) -> String {
    let (mut out, d, dp) = match start(x) {
        Ok(parts) => parts,
        Err(text) => return text,
    };
    let (d, dp) = if d.is_empty() {
        (vec![0], 1)
    } else {
        let target = x.abs().to_bits();
        let mut best = (d.clone(), dp);
        for len in 1..d.len() {
            let down = (d[..len].to_vec(), dp);
            // The candidate one unit of the last kept digit above `down`.
            let mut up_digits = d[..len].to_vec();
            up_digits.push(9);
            up_digits.push(9);
            let up = round(up_digits, dp, len as i32);
            let down_ok = value(&down.0, down.1) == target;
            let up_ok = value(&up.0, up.1) == target;
            // Both read back only when the rounding interval is wider than
            // a unit: then the closer one, the upper one when `x` is at
            // least halfway (as core's Dragon4 decides).
            let pick_up = up_ok && (!down_ok || d[len] >= 5);
            if pick_up {
                best = up;
                break;
            }
            if down_ok {
                best = down;
                while best.0.last() == Some(&0) {
                    best.0.pop();
                }
                break;
            }
        }
        best
    };
    let len = d.len() as i32;
    if dp <= 0 {
        out.push_str("0.");
        for _ in dp..0 {
            out.push('0');
        }
        for i in 0..len {
            out.push(digit(&d, i));
        }
    } else {
        for i in 0..dp.max(len) {
            if i == dp {
                out.push('.');
            }
            out.push(digit(&d, i));
        }
    }
    out
}

/// The bits of the `f64` nearest to `0.d1d2... * 10^dp` (ties to even),
/// digits at most [`MAX_DIGITS`] long plus a sticky last digit.
fn value(d: &[u8], dp: i32) -> u64 {
    let Some(first) = d.iter().position(|&v| v != 0) else {
        return 0;
    };
    let d = &d[first..];
    let dp = dp - first as i32;
    if dp > 310 {
        return 0x7ff0_0000_0000_0000;
    }
    if dp < -324 {
        return 0;
    }
    let mut num = Big(Vec::new());
    for &v in d {
        num.mul_add(10, u32::from(v));
    }
    // value = num * 10^exp10
    let exp10 = dp - d.len() as i32;
    let mut den = Big(vec![1]);
    if exp10 >= 0 {
        num.mul_pow10(exp10 as u32);
    } else {
        den.mul_pow10(exp10.unsigned_abs());
    }
    // Scale so the quotient num * 2^-e0 / den has 55 or 56 bits.
    let e0 = num.bit_len() as i32 - den.bit_len() as i32 - 55;
    if e0 < 0 {
        num.shl(e0.unsigned_abs());
    } else {
        den.shl(e0 as u32);
    }
    let mut q: u64 = 0;
    let mut step = den.clone();
    step.shl(56);
    for _ in 0..57 {
        q <<= 1;
        if num.cmp(&step) != std::cmp::Ordering::Less {
            num.sub(&step);
            q |= 1;
        }
        step.div_rem(2);
    }
    let sticky = !num.0.is_empty();
    let q_len = 64 - q.leading_zeros() as i32;
    let e = (e0 + q_len - 53).max(-1074);
    let shift = (e - e0) as u32;
    if shift >= 64 {
        // Only when the value is below the smallest subnormal's scale:
        // q < 2^56 is less than half of 2^shift, so it rounds to zero.
        return 0;
    }
    let mut mant = q >> shift;
    let rem = q & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    if rem > half || (rem == half && (sticky || mant & 1 == 1)) {
        mant += 1;
    }
    let bits = (((e + 1074) as u64) << 52) + mant;
    bits.min(0x7ff0_0000_0000_0000)
}

/// The most significant digits [`parse`] keeps; any non-zero digit after
/// them only tells that the value is above the kept ones.
const MAX_DIGITS: usize = 800;

/// `s.parse::<f64>().ok()`: Rust's float syntax (an optional sign, digits
/// with an optional point and exponent, or `inf`, `infinity`, `nan` in
/// any case), correctly rounded.
pub fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let v = if b.eq_ignore_ascii_case(b"inf") || b.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if b.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        f64::from_bits(number(b)?)
    };
    Some(if neg { -v } else { v })
}

/// The bits of an unsigned decimal number: digits, an optional point, an
/// optional exponent; at least one digit before the exponent.
fn number(b: &[u8]) -> Option<u64> {
    let mut digits: Vec<u8> = Vec::new();
    let mut dp: i64 = 0;
    let mut seen = false;
    let mut point = false;
    let mut sticky = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                seen = true;
                let v = c - b'0';
                if digits.is_empty() && v == 0 {
                    // A leading zero: only moves the point.
                    if point {
                        dp -= 1;
                    }
                } else if digits.len() < MAX_DIGITS {
                    digits.push(v);
                    if !point {
                        dp += 1;
                    }
                } else {
                    sticky |= v != 0;
                    if !point {
                        dp += 1;
                    }
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if i < b.len() {
        if !matches!(b[i], b'e' | b'E') {
            return None;
        }
        i += 1;
        let neg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let rest = &b[i..];
        if rest.is_empty() || !rest.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut x: i64 = 0;
        for &c in rest {
            x = (x * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        dp += if neg { -x } else { x };
    }
    if digits.is_empty() {
        return Some(0);
    }
    if sticky {
        digits.push(1);
    }
    let dp = dp.clamp(-100_000, 100_000) as i32;
    Some(value(&digits, dp))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    fn check_format(x: f64) {
        assert_eq!(shortest(x), format!("{x}"), "{x:e} {:#x}", x.to_bits());
        for n in [0usize, 1, 2, 3, 4, 6] {
            assert_eq!(fixed(x, n), format!("{x:.n$}"), "{x:e} .{n}");
            assert_eq!(exp(x, n), format!("{x:.n$e}"), "{x:e} .{n}e");
        }
    }

    fn check_parse(s: &str) {
        let want = s.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(parse(s).map(f64::to_bits), want, "{s:?}");
    }

    /// Values where rounding changes: halves, ties at every precision,
    /// powers of two and ten, the edges of the range.
    fn boundaries() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            5e-324,
            1e-323,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for k in -1074..=1023 {
            let p = 2f64.powi(k);
            v.extend([p, -p, f64::from_bits(p.to_bits() + 1)]);
            if p.to_bits() > 0 {
                v.push(f64::from_bits(p.to_bits() - 1));
            }
        }
        for k in -30..=30 {
            let p = 10f64.powi(k);
            for x in [
                p,
                5.0 * p,
                2.5 * p,
                1.25 * p,
                9.5 * p,
                9.995 * p,
                9.9995 * p,
            ] {
                v.extend([
                    x,
                    f64::from_bits(x.to_bits() + 1),
                    f64::from_bits(x.to_bits() - 1),
                ]);
            }
        }
        for i in 0..20_000 {
            v.push(f64::from(i) / 1000.0);
            v.push(f64::from(i) / 8.0);
            v.push(f64::from(i) / 20.0);
        }
        v
    }

    #[test]
    fn formats_boundaries_like_std() {
        for x in boundaries() {
            check_format(x);
        }
    }

    /// `n` random bit patterns (every exponent, NaNs and infinities
    /// included) and `n` values of the shapes sizes and durations take.
    fn random_formats(seed: u64, n: usize) {
        let mut r = Rng(seed);
        for _ in 0..n {
            check_format(f64::from_bits(r.next()));
            // 0 to 2^64 at every scale, divided as the size and duration
            // texts divide.
            let a = r.next() >> (r.next() % 64);
            check_format(a as f64 / 1000f64.powi((r.next() % 7) as i32));
            check_format(a as f64 / 1024f64.powi((r.next() % 7) as i32));
            // Exponents near 1: many digits before and after the point.
            let b = (r.next() & ((1 << 52) - 1)) | ((1013 + r.next() % 60) << 52);
            check_format(f64::from_bits(b));
        }
    }

    #[test]
    fn formats_random_values_like_std() {
        random_formats(0x9e37_79b9_7f4a_7c15, 20_000);
    }

    /// The same over millions of values: `cargo test --release -p
    /// layerlab-engine numfmt -- --ignored`.
    #[test]
    #[ignore = "minutes in a debug build"]
    fn formats_millions_like_std() {
        random_formats(42, 2_000_000);
    }

    #[test]
    fn parses_like_std() {
        random_parses(7, 5_000);
    }

    /// The same over millions of texts: `cargo test --release -p
    /// layerlab-engine numfmt -- --ignored`.
    #[test]
    #[ignore = "minutes in a debug build"]
    fn parses_millions_like_std() {
        random_parses(11, 500_000);
    }

    /// Fixed edge cases, then `n` halfway points (exact, and a last digit
    /// above and below) and `4 n` generated texts of other shapes.
    fn random_parses(seed: u64, n: usize) {
        let fixed_cases = [
            "", "+", "-", ".", "e", "e5", ".e5", "1e", "1e+", "1e-", "1.", ".5", "-.5", "+1",
            "--1", "+-1", "1..2", "1.2.3", "0x10", "1_000", " 1", "1 ", "inf", "-inf", "+inf",
            "INF", "Infinity", "infinit", "infinityy", "nan", "NaN", "-nan", "+NaN", "nana",
            "1e400", "1e-400", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "2.225073858507201136057409796709131975934819546351645648e-308",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9",
            "0.000000000000000000000000000000000000000000001e300", "00000", "0.0e99999999999",
            "1e99999999999999999999999", "1e-99999999999999999999999", "9007199254740993",
            "9007199254740993.0000000000000000000000000000000000001", "1.5s", "1,5", "١",
        ];
        for s in fixed_cases {
            check_parse(s);
        }
        // Every halfway point between neighbours, written exactly, and the
        // numbers just above and below it.
        let mut r = Rng(seed);
        for _ in 0..n {
            let x = f64::from_bits(r.next() % (2047 << 52));
            let (m, e) = decode(x);
            let (d, dp) = expand(2 * m + 1, e - 1);
            let mut s: String = d.iter().map(|&v| char::from(b'0' + v)).collect();
            let exp10 = dp - d.len() as i32;
            check_parse(&format!("{s}e{exp10}"));
            s.push('1');
            check_parse(&format!("{s}e{}", exp10 - 1));
            s.pop();
            if let Some(last) = s.pop() {
                s.push(char::from(last as u8 - 1));
                s.push('9');
                check_parse(&format!("{s}e{}", exp10 - 1));
            }
        }
        // Shortest texts, texts with few digits, random strings of the
        // alphabet.
        for _ in 0..n {
            let x = f64::from_bits(r.next());
            check_parse(&format!("{x}"));
            check_parse(&format!("{x:e}"));
            check_parse(&format!("{:.3}", x.abs() % 1e6));
        }
        let alphabet = b"0123456789.eE+-0019";
        for _ in 0..n {
            let len = (r.next() % 12) as usize;
            let s: String = (0..len)
                .map(|_| char::from(alphabet[(r.next() % alphabet.len() as u64) as usize]))
                .collect();
            check_parse(&s);
        }
    }
}
