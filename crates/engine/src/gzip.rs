//! Gzip and raw deflate over `miniz_oxide`, with a table-driven CRC-32.
//!
//! The readers work on a byte slice and make the same `miniz_oxide` calls,
//! on the same 32 KiB windows of input, as flate2's `read::MultiGzDecoder`
//! and `read::DeflateDecoder` (miniz_oxide backend) make over a slice: one
//! read hands back the same bytes, or the same error (kind and text), as
//! theirs. The writers produce flate2's bytes for the same level. The
//! tests below hold both to flate2.

use std::io::{self, Read};

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::inflate::stream::{inflate, FullReset, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// The size of flate2's input buffer, and of its output chunks when it
/// compresses.
const WINDOW: usize = 32 * 1024;

/// Header flags (RFC 1952).
const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;
const FRESERVED: u8 = 0xe0;

/// The longest file name or comment a header may carry.
const MAX_HEADER_FIELD: usize = 65535;

/// Why a read failed: flate2's errors, made into `io::Error`s when handed
/// out.
#[derive(Clone, Copy)]
enum Fail {
    /// A header or trailer cut short.
    Eof,
    /// Deflate data cut short.
    IncompleteDeflate,
    /// Not deflate data.
    CorruptDeflate,
    /// A bad magic number, method or reserved flag.
    BadHeader,
    /// A file name or comment too long.
    FieldTooLong,
    /// A header CRC, data CRC or size that does not match.
    Checksum,
}

impl From<Fail> for io::Error {
    fn from(fail: Fail) -> io::Error {
        use io::ErrorKind::{InvalidInput, UnexpectedEof};
        let (kind, text) = match fail {
            Fail::Eof => return UnexpectedEof.into(),
            Fail::IncompleteDeflate => (UnexpectedEof, "incomplete deflate stream"),
            Fail::CorruptDeflate => (InvalidInput, "corrupt deflate stream"),
            Fail::BadHeader => (InvalidInput, "invalid gzip header"),
            Fail::FieldTooLong => (InvalidInput, "gzip header field too long"),
            Fail::Checksum => (
                InvalidInput,
                "corrupt gzip stream does not have a matching checksum",
            ),
        };
        io::Error::new(kind, text)
    }
}

/// The CRC-32 (IEEE, reflected) of every byte value.
const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// The CRC-32 (the one gzip and zip use) of `crc`'s data followed by
/// `bytes`: `crc32(0, b)` is the checksum of `b`, and
/// `crc32(crc32(0, a), b)` that of `a` then `b`.
pub fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        c = CRC_TABLE[usize::from((c as u8) ^ b)] ^ (c >> 8);
    }
    !c
}

/// A byte slice read the way flate2's 32 KiB `BufReader` reads it: the
/// inflater sees the buffered window, and a read of a whole window or more
/// with nothing buffered goes past the buffer.
struct Input<'a> {
    data: &'a [u8],
    /// Bytes consumed.
    pos: usize,
    /// End of the buffered window (`pos == end`: nothing buffered).
    end: usize,
}

impl<'a> Input<'a> {
    fn new(data: &'a [u8]) -> Input<'a> {
        Input {
            data,
            pos: 0,
            end: 0,
        }
    }

    /// The buffered bytes, refilled when none are left (empty at the end).
    fn fill(&mut self) -> &'a [u8] {
        if self.pos == self.end {
            self.end = self.data.len().min(self.pos.saturating_add(WINDOW));
        }
        self.data.get(self.pos..self.end).unwrap_or_default()
    }

    fn consume(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.end);
    }

    /// One read of up to `want` bytes; 0 at the end.
    fn read(&mut self, want: usize) -> usize {
        if self.pos == self.end && want >= WINDOW {
            let n = want.min(self.data.len().saturating_sub(self.pos));
            self.pos += n;
            self.end = self.pos;
            return n;
        }
        let n = want.min(self.fill().len());
        self.consume(n);
        n
    }

    /// The next `len` bytes, read as flate2 reads fixed-size header and
    /// trailer fields; an end of input before them is an error.
    fn take(&mut self, len: usize) -> Result<&'a [u8], Fail> {
        let start = self.pos;
        let mut got = 0;
        while got < len {
            match self.read(len - got) {
                0 => return Err(Fail::Eof),
                n => got += n,
            }
        }
        Ok(self.data.get(start..self.pos).unwrap_or_default())
    }

    /// Like [`Input::take`], as an array.
    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], Fail> {
        let bytes = self.take(N)?;
        Ok(bytes.try_into().unwrap_or([0; N]))
    }

    /// Skips a zero-terminated header field.
    fn skip_field(&mut self) -> Result<(), Fail> {
        let mut len = 0;
        loop {
            let Some(&b) = self.fill().first() else {
                return Err(Fail::Eof);
            };
            self.consume(1);
            if b == 0 {
                return Ok(());
            }
            if len == MAX_HEADER_FIELD {
                return Err(Fail::FieldTooLong);
            }
            len += 1;
        }
    }
}

/// A raw deflate stream (no header, no trailer), decompressed as it is
/// read. Bytes after the end of the stream are not read.
pub struct DeflateDecoder<'a> {
    input: Input<'a>,
    state: Box<InflateState>,
}

impl<'a> DeflateDecoder<'a> {
    /// A decoder of the stream at the start of `data`.
    pub fn new(data: &'a [u8]) -> DeflateDecoder<'a> {
        DeflateDecoder {
            input: Input::new(data),
            state: InflateState::new_boxed(DataFormat::Raw),
        }
    }
}

impl Read for DeflateDecoder<'_> {
    /// Decompressed bytes; an error `UnexpectedEof` "incomplete deflate
    /// stream" when the input ends first, `InvalidInput` "corrupt deflate
    /// stream" when it is not deflate.
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            let input = self.input.fill();
            let eof = input.is_empty();
            let flush = if eof { MZFlush::Finish } else { MZFlush::None };
            let res = inflate(&mut self.state, input, dst, flush);
            self.input.consume(res.bytes_consumed);
            let read = res.bytes_written;
            match res.status {
                Ok(MZStatus::Ok) | Err(MZError::Buf) if read == 0 && !dst.is_empty() => {
                    if eof {
                        return Err(Fail::IncompleteDeflate.into());
                    }
                }
                Ok(MZStatus::Ok | MZStatus::StreamEnd) | Err(MZError::Buf) => return Ok(read),
                Ok(MZStatus::NeedDict) | Err(_) => return Err(Fail::CorruptDeflate.into()),
            }
        }
    }
}

/// Where a [`GzDecoder`] is.
enum GzState {
    /// Before a member's header.
    Header,
    /// Inside a member's deflate data.
    Body,
    /// At a member's trailer.
    Trailer,
    /// The first header did not read: this error, once, then the end.
    Failed(Option<Fail>),
    /// A later header did not read: this error, again at every read.
    BadHeader(Fail),
    /// Nothing more.
    End,
}

/// A gzip stream, decompressed as it is read. Concatenated members read
/// as one stream (as Go's `gzip.Reader` and flate2's `MultiGzDecoder` read
/// them); the header's flags (FEXTRA, FNAME, FCOMMENT, FHCRC) are read and
/// checked, and every member's CRC-32 and size are checked at its end.
///
/// Errors are flate2's: `InvalidInput` "invalid gzip header", "gzip
/// header field too long", "corrupt gzip stream does not have a matching
/// checksum" (header CRC, data CRC or size), "corrupt deflate stream";
/// `UnexpectedEof` (with no text of its own) for a header or trailer cut
/// short, and "incomplete deflate stream" for data cut short.
pub struct GzDecoder<'a> {
    inner: DeflateDecoder<'a>,
    state: GzState,
    /// CRC-32 of the member's bytes read so far.
    crc: u32,
    /// Their count, modulo 2^32.
    amount: u32,
}

impl<'a> GzDecoder<'a> {
    /// A decoder of the gzip stream `data`; its first header is read here.
    pub fn new(data: &'a [u8]) -> GzDecoder<'a> {
        let mut inner = DeflateDecoder::new(data);
        let state = match read_header(&mut inner.input) {
            Ok(()) => GzState::Body,
            Err(e) => GzState::Failed(Some(e)),
        };
        GzDecoder {
            inner,
            state,
            crc: 0,
            amount: 0,
        }
    }
}

/// Reads one member's header.
fn read_header(input: &mut Input<'_>) -> Result<(), Fail> {
    let start = input.pos;
    let [id1, id2, cm, flags, ..] = input.take_array::<10>()?;
    if id1 != 0x1f || id2 != 0x8b || cm != 8 || flags & FRESERVED != 0 {
        return Err(Fail::BadHeader);
    }
    if flags & FEXTRA != 0 {
        let xlen = input.take_array::<2>()?;
        input.take(usize::from(u16::from_le_bytes(xlen)))?;
    }
    if flags & FNAME != 0 {
        input.skip_field()?;
    }
    if flags & FCOMMENT != 0 {
        input.skip_field()?;
    }
    if flags & FHCRC != 0 {
        let covered = input.data.get(start..input.pos).unwrap_or_default();
        let stored = u16::from_le_bytes(input.take_array::<2>()?);
        if stored != crc32(0, covered) as u16 {
            return Err(Fail::Checksum);
        }
    }
    Ok(())
}

impl Read for GzDecoder<'_> {
    fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
        loop {
            match &mut self.state {
                GzState::Header => {
                    if let Err(fail) = read_header(&mut self.inner.input) {
                        self.state = GzState::BadHeader(fail);
                        return Err(fail.into());
                    }
                    self.state = GzState::Body;
                }
                GzState::Body => {
                    if into.is_empty() {
                        return Ok(0);
                    }
                    let n = self.inner.read(into)?;
                    let read = into.get(..n).unwrap_or_default();
                    self.crc = crc32(self.crc, read);
                    self.amount = self.amount.wrapping_add(n as u32);
                    if n > 0 {
                        return Ok(n);
                    }
                    self.state = GzState::Trailer;
                }
                GzState::Trailer => {
                    let trailer = self.inner.input.take_array::<8>()?;
                    let [c0, c1, c2, c3, a0, a1, a2, a3] = trailer;
                    let crc = u32::from_le_bytes([c0, c1, c2, c3]);
                    let amount = u32::from_le_bytes([a0, a1, a2, a3]);
                    if crc != self.crc || amount != self.amount {
                        self.state = GzState::End;
                        return Err(Fail::Checksum.into());
                    }
                    if self.inner.input.fill().is_empty() {
                        self.state = GzState::End;
                    } else {
                        self.crc = 0;
                        self.amount = 0;
                        self.inner.state.reset_as(FullReset(DataFormat::Raw));
                        self.state = GzState::Header;
                    }
                }
                GzState::Failed(e) => {
                    let e = e.take();
                    self.state = GzState::End;
                    if let Some(fail) = e {
                        return Err(fail.into());
                    }
                }
                GzState::BadHeader(fail) => return Err((*fail).into()),
                GzState::End => return Ok(0),
            }
        }
    }
}

/// `data` compressed as a raw deflate stream at `level` (0 to 10; 6 is
/// flate2's `Compression::default()`, 9 its `best()`): flate2's
/// `write::DeflateEncoder` output for the same level.
pub fn deflate(data: &[u8], level: u8) -> Vec<u8> {
    let mut out = Vec::new();
    deflate_into(data, level, &mut out);
    out
}

fn deflate_into(data: &[u8], level: u8, out: &mut Vec<u8>) {
    use miniz_oxide::deflate::stream::deflate as compress;
    let mut compressor: Box<CompressorOxide> = Box::default();
    compressor.set_format_and_level(DataFormat::Raw, level);
    let mut buf = vec![0u8; WINDOW];
    let mut rest = data;
    while !rest.is_empty() {
        let res = compress(&mut compressor, rest, &mut buf, MZFlush::None);
        out.extend_from_slice(buf.get(..res.bytes_written).unwrap_or_default());
        rest = rest.get(res.bytes_consumed..).unwrap_or_default();
        if res.status.is_err() || (res.bytes_consumed == 0 && res.bytes_written == 0) {
            break;
        }
    }
    loop {
        let res = compress(&mut compressor, &[], &mut buf, MZFlush::Finish);
        out.extend_from_slice(buf.get(..res.bytes_written).unwrap_or_default());
        if res.status != Ok(MZStatus::Ok) || res.bytes_written == 0 {
            break;
        }
    }
}

/// `data` as one gzip member compressed at `level` (see [`deflate`]),
/// with the header flate2's `write::GzEncoder` writes (no name, no time,
/// operating system "unknown"): flate2's bytes for the same level.
pub fn gzip(data: &[u8], level: u8) -> Vec<u8> {
    let xfl = match level {
        9.. => 2,
        ..=1 => 4,
        _ => 0,
    };
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255];
    deflate_into(data, level, &mut out);
    out.extend_from_slice(&crc32(0, data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A xorshift generator: the same inputs on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.next() as u8).collect()
        }
    }

    /// Inputs to compress: empty, tiny, text, JSON, zeros, noise, and
    /// mixtures, some larger than flate2's 32 KiB chunks.
    fn inputs() -> Vec<Vec<u8>> {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let text: Vec<u8> = (0..3000)
            .flat_map(|i| format!("line {i}: COPY src/{} /app/{}\n", i % 17, i * 7).into_bytes())
            .collect();
        let json = serde_json::to_vec(&serde_json::json!({
            "v": 1,
            "name": "aspnetapp",
            "files": (0..40).map(|i| serde_json::json!({
                "p": format!("dir{}/file{i}.txt", i % 5),
                "t": "FROM alpine\nRUN echo hello \u{e9}\u{1f600}\n".repeat(i + 1),
            })).collect::<Vec<_>>(),
        }))
        .unwrap_or_default();
        let mut mixed = Vec::new();
        for i in 0..60 {
            let n = rng.below(4000);
            if i % 3 == 0 {
                mixed.extend(rng.bytes(n));
            } else {
                mixed.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, n));
            }
        }
        vec![
            Vec::new(),
            b"a".to_vec(),
            b"hello hello hello hello".to_vec(),
            rng.bytes(100),
            text,
            json,
            vec![0; 200_000],
            rng.bytes(70_000),
            mixed,
        ]
    }

    fn flate2_deflate(data: &[u8], level: u32, chunk: usize) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
        for part in data.chunks(chunk.max(1)) {
            assert!(e.write_all(part).is_ok());
        }
        e.finish().unwrap_or_default()
    }

    fn flate2_gzip(data: &[u8], level: u32, chunk: usize) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
        for part in data.chunks(chunk.max(1)) {
            assert!(e.write_all(part).is_ok());
        }
        e.finish().unwrap_or_default()
    }

    #[test]
    fn crc32_is_the_gzip_checksum() {
        assert_eq!(crc32(0, b""), 0);
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(crc32(0, b"12345"), b"6789"), 0xcbf4_3926);
        let mut rng = Rng(7);
        let mut cases = 0;
        for n in (0..300).chain([4095, 4096, 65_537]) {
            let data = rng.bytes(n);
            let split = rng.below(n + 1);
            let mut want = flate2::Crc::new();
            want.update(&data);
            let (a, b) = data.split_at(split);
            assert_eq!(crc32(crc32(0, a), b), want.sum(), "{n} bytes");
            cases += 1;
        }
        println!("crc32: {cases} inputs agree with flate2");
    }

    #[test]
    fn deflate_and_gzip_write_flate2_bytes() {
        let mut cases = 0;
        for data in inputs() {
            for level in 0..=10u8 {
                let mine = deflate(&data, level);
                let chunks: &[usize] = if data.len() > 50_000 && level != 6 && level != 9 {
                    &[usize::MAX]
                } else {
                    &[usize::MAX, 1000, 512, 7]
                };
                for &chunk in chunks {
                    let want = flate2_deflate(&data, u32::from(level), chunk);
                    assert!(
                        mine == want,
                        "deflate level {level}, {} bytes, chunks of {chunk}",
                        data.len()
                    );
                    let want = flate2_gzip(&data, u32::from(level), chunk);
                    assert!(
                        gzip(&data, level) == want,
                        "gzip level {level}, {} bytes, chunks of {chunk}",
                        data.len()
                    );
                    cases += 1;
                }
                let mut back = Vec::new();
                assert!(DeflateDecoder::new(&mine).read_to_end(&mut back).is_ok());
                assert!(back == data);
            }
        }
        println!("deflate, gzip: {cases} (input, level, write size) cases agree with flate2");
    }

    type Event = Result<Vec<u8>, (io::ErrorKind, String)>;

    /// Every read of `r` with buffers of `sizes` (in turn) until the first
    /// end or error, and one read after it.
    fn events(mut r: impl Read, sizes: &[usize]) -> Vec<Event> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; sizes.iter().copied().max().unwrap_or(1)];
        for (i, size) in sizes.iter().cycle().enumerate() {
            let event = match r.read(&mut buf[..*size]) {
                Ok(n) => Ok(buf[..n].to_vec()),
                Err(e) => Err((e.kind(), e.to_string())),
            };
            let done = matches!(&event, Ok(b) if b.is_empty()) || event.is_err();
            out.push(event);
            if done {
                // flate2 reads a later header too long on from where it
                // stopped; here that error stays. No caller reads on.
                let too_long = matches!(out.last(), Some(Err((_, m))) if m.contains("too long"));
                if !too_long {
                    let after = match r.read(&mut buf[..*size]) {
                        Ok(n) => Ok(buf[..n].to_vec()),
                        Err(e) => Err((e.kind(), e.to_string())),
                    };
                    out.push(after);
                }
                break;
            }
            assert!(i < 10_000_000);
        }
        out
    }

    const SIZES: &[&[usize]] = &[&[1], &[512, 65_536], &[3, 10_000, 1, 512, 40_000]];

    fn same_reads(stream: &[u8], what: &str) {
        // Byte-sized reads only where the output is small (debug builds
        // are slow).
        let mut out = Vec::new();
        let _ = GzDecoder::new(stream).take(20_001).read_to_end(&mut out);
        let small = out.len() <= 20_000;
        for sizes in SIZES.iter().filter(|s| small || s.len() > 1) {
            let want = events(flate2::read::MultiGzDecoder::new(stream), sizes);
            let got = events(GzDecoder::new(stream), sizes);
            assert!(
                got == want,
                "gzip, {what}, reads of {sizes:?}: {:?} != {:?}",
                summary(&got),
                summary(&want)
            );
            let want = events(flate2::read::DeflateDecoder::new(stream), sizes);
            let got = events(DeflateDecoder::new(stream), sizes);
            assert!(
                got == want,
                "deflate, {what}, reads of {sizes:?}: {:?} != {:?}",
                summary(&got),
                summary(&want)
            );
        }
    }

    fn summary(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Ok(b) => format!("{} bytes", b.len()),
                Err((k, m)) => format!("{k:?}: {m}"),
            })
            .collect()
    }

    /// A member with the header fields `flags` asks for, the HCRC right or
    /// wrong.
    fn member(data: &[u8], level: u8, flags: u8, extra: &[u8], good_hcrc: bool) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3];
        if flags & FEXTRA != 0 {
            out.extend((extra.len() as u16).to_le_bytes());
            out.extend(extra);
        }
        if flags & FNAME != 0 {
            out.extend(b"name.tar\0");
        }
        if flags & FCOMMENT != 0 {
            out.extend(b"a comment\0");
        }
        if flags & FHCRC != 0 {
            let crc = crc32(0, &out) as u16 ^ u16::from(!good_hcrc);
            out.extend(crc.to_le_bytes());
        }
        out.extend(deflate(data, level));
        out.extend(crc32(0, data).to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out
    }

    #[test]
    fn decoders_read_as_flate2_reads() {
        let mut rng = Rng(42);
        let inputs = inputs();
        let mut streams: Vec<(String, Vec<u8>)> = Vec::new();
        for (i, data) in inputs.iter().enumerate() {
            streams.push((format!("input {i}"), gzip(data, 6)));
            streams.push((format!("input {i}, stored"), gzip(data, 0)));
        }
        // Header fields, one at a time and together, HCRC right and wrong.
        let small = &inputs[4][..5000];
        for flags in 0..32u8 {
            for good in [true, false] {
                let n = rng.below(300);
                let extra = rng.bytes(n);
                streams.push((
                    format!("flags {flags:#x} {good}"),
                    member(small, 6, flags, &extra, good),
                ));
            }
        }
        // Reserved flags, another method, another magic number.
        for (at, value) in [(3, 0x20), (3, 0x80), (2, 7), (1, 0x8c), (0, 0)] {
            let mut s = gzip(small, 6);
            s[at] = value;
            streams.push((format!("byte {at} = {value:#x}"), s));
        }
        // File names at the length limit and past it.
        for n in [65_534, 65_535, 65_536] {
            let mut s = vec![0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 0, 255];
            s.extend(std::iter::repeat_n(b'n', n));
            s.push(0);
            s.extend(&gzip(b"x", 6)[10..]);
            streams.push((format!("name of {n}"), s.clone()));
            let mut two = gzip(b"first", 6);
            two.extend(&s);
            streams.push((format!("second member's name of {n}"), two));
        }
        // Several members, then trailing bytes of several kinds.
        let mut multi = Vec::new();
        for (i, data) in inputs.iter().enumerate().take(6) {
            multi.extend(member(
                data,
                (i % 10) as u8,
                (i as u8 * 5) & 0x1e,
                b"xx",
                true,
            ));
        }
        streams.push(("members".into(), multi.clone()));
        for tail in [
            &[0u8][..],
            &[0; 20],
            &[0x1f],
            &[0x1f, 0x8b],
            b"garbage",
            &gzip(b"", 9),
        ] {
            let mut s = multi.clone();
            s.extend(tail);
            streams.push((format!("members then {tail:?}"), s));
        }
        // A second member whose large FEXTRA starts where flate2's buffer
        // runs out, so flate2 reads it past the buffer, and one a byte off.
        let first_data = rng.bytes(5000);
        let base = member(&first_data, 6, FEXTRA, b"", true);
        for shift in [0, 1, 12] {
            let pad = WINDOW - 12 - base.len() + shift;
            let mut s = member(&first_data, 6, FEXTRA, &vec![7; pad], true);
            let second = rng.bytes(60_000);
            s.extend(member(&second, 1, FEXTRA | FHCRC, &vec![9; 40_000], true));
            s.extend(gzip(&inputs[6], 6));
            streams.push((format!("large extra, shift {shift}"), s));
        }
        // Damage: every cut of a small stream, cuts around the buffer's
        // edges of large ones, flipped bits and overwritten bytes.
        let mut damaged = Vec::new();
        let short = gzip(&inputs[4][..3000], 6);
        for cut in 0..short.len() {
            damaged.push((format!("short cut at {cut}"), short[..cut].to_vec()));
        }
        for (name, s) in &streams {
            if s.len() > 1000 {
                for cut in [
                    WINDOW - 1,
                    WINDOW,
                    WINDOW + 1,
                    2 * WINDOW,
                    s.len() / 2,
                    s.len() - 9,
                    s.len() - 4,
                    s.len() - 1,
                ] {
                    if cut < s.len() {
                        damaged.push((format!("{name}, cut at {cut}"), s[..cut].to_vec()));
                    }
                }
            }
            for _ in 0..6 {
                let mut d = s.clone();
                if d.is_empty() {
                    break;
                }
                let at = if rng.below(2) == 0 {
                    rng.below(d.len().min(64))
                } else {
                    rng.below(d.len())
                };
                if rng.below(2) == 0 {
                    d[at] ^= 1 << rng.below(8);
                } else {
                    d[at] = rng.next() as u8;
                }
                damaged.push((format!("{name}, byte {at} changed"), d));
            }
        }
        for i in 0..200 {
            let mut s = vec![0x1f, 0x8b, 8];
            let n = rng.below(2000);
            s.extend(rng.bytes(n));
            damaged.push((format!("noise {i}"), s));
        }
        streams.extend(damaged);
        for (name, s) in &streams {
            same_reads(s, name);
        }
        println!(
            "gzip and deflate readers: {} streams read as flate2 reads them, {} read patterns each",
            streams.len(),
            SIZES.len()
        );
    }

    #[test]
    fn a_limited_read_to_end_stops_where_flate2_stops() {
        let mut rng = Rng(3);
        let data = rng.bytes(100_000);
        let mut stream = deflate(&data, 9);
        let mut cases = 0;
        for limit in [0, 1, 1000, 99_999, 100_000, 100_001] {
            for damage in [None, Some(stream.len() / 2), Some(stream.len() - 1)] {
                let mut s = stream.clone();
                if let Some(at) = damage {
                    s[at] ^= 0x55;
                }
                let mut want = Vec::new();
                let want_r = flate2::read::DeflateDecoder::new(&s[..])
                    .take(limit)
                    .read_to_end(&mut want);
                let mut got = Vec::new();
                let got_r = DeflateDecoder::new(&s).take(limit).read_to_end(&mut got);
                assert_eq!(
                    got_r.map_err(|e| e.to_string()),
                    want_r.map_err(|e| e.to_string())
                );
                assert!(got == want, "limit {limit}, damage {damage:?}");
                cases += 1;
            }
        }
        stream.clear();
        println!("limited reads: {cases} cases agree with flate2");
    }
}
