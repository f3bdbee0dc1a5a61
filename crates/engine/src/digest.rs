//! Content digests: sha256 over bytes, written the way OCI and BuildKit write
//! them (`sha256:<64 hex digits>`).

use sha2::{Digest as _, Sha256};

/// The lower-case hex sha256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// `sha256:<hex>` of `data`, the OCI digest form.
pub fn sha256_digest(data: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(data))
}

/// The `sha256:<hex>` digest of a value's canonical JSON form (struct fields
/// in declaration order, maps sorted), so equal values always give equal
/// digests.
pub fn digest_of<T: serde::Serialize>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    sha256_digest(&bytes)
}

/// An incremental hasher for digests built from several fields. Every field
/// is length-prefixed, so `("ab", "c")` and `("a", "bc")` never collide.
#[derive(Clone, Default)]
pub struct FieldHasher {
    inner: Sha256,
}

impl FieldHasher {
    /// A hasher with nothing fed yet.
    pub fn new() -> Self {
        FieldHasher::default()
    }

    /// Feeds one field.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.inner.update((bytes.len() as u64).to_le_bytes());
        self.inner.update(bytes);
        self
    }

    /// Feeds one text field.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.field(s.as_bytes())
    }

    /// The `sha256:<hex>` digest of everything fed.
    pub fn finish(self) -> String {
        format!("sha256:{}", hex(&self.inner.finalize()))
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// The first 12 hex digits of a digest, as `docker images` shows IDs.
pub fn short_id(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(sha256_digest(b"").starts_with("sha256:e3b0c442"));
    }

    #[test]
    fn fields_are_length_prefixed() {
        let mut a = FieldHasher::new();
        a.text("ab").text("c");
        let mut b = FieldHasher::new();
        b.text("a").text("bc");
        assert_ne!(a.finish(), b.finish());
        assert_eq!(short_id("sha256:0123456789abcdef"), "0123456789ab");
    }
}
