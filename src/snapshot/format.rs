//! The snapshot file: a header, then sections, each with its own checksum.
//!
//! ```text
//! magic   8 bytes   "DMATCH\x00\x01"
//! version u32       FORMAT_VERSION
//! count   u32       number of sections
//! then per section:
//!   tag   u32       which section (Tag)
//!   len   u64       payload bytes
//!   crc   u32       CRC-32 of the payload
//!   payload
//! ```
//!
//! Every integer is little-endian. A reader checks the magic, the version, every length
//! against what is left and every checksum before it decodes anything, so a truncated or
//! corrupted file is an error naming the section, never a panic.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

pub(crate) const MAGIC: &[u8; 8] = b"DMATCH\x00\x01";
/// Bumped whenever the layout of any section changes.
pub(crate) const FORMAT_VERSION: u32 = 3;

/// The sections, in file order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    Meta = 1,
    Opportunities = 2,
    Network = 3,
    Nodes = 4,
    Store = 5,
}

impl Tag {
    pub(crate) const ALL: [Tag; 5] = [
        Tag::Meta,
        Tag::Opportunities,
        Tag::Network,
        Tag::Nodes,
        Tag::Store,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Tag::Meta => "section `meta`",
            Tag::Opportunities => "section `opportunities`",
            Tag::Network => "section `network`",
            Tag::Nodes => "section `profile nodes`",
            Tag::Store => "section `store`",
        }
    }
}

pub(crate) fn error(path: &Path, what: &'static str, reason: impl Into<String>) -> Error {
    ErrorKind::Snapshot {
        path: path.to_path_buf(),
        what,
        reason: reason.into(),
    }
    .into()
}

/// Writes the file's header for `count` sections.
pub(crate) fn write_header(w: &mut impl std::io::Write, count: usize) -> std::io::Result<()> {
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT_VERSION.to_le_bytes())?;
    w.write_all(&(count as u32).to_le_bytes())
}

/// Writes one section: its tag, length, checksum and payload.
pub(crate) fn write_section(
    w: &mut impl std::io::Write,
    tag: Tag,
    payload: &[u8],
) -> std::io::Result<()> {
    w.write_all(&(tag as u32).to_le_bytes())?;
    w.write_all(&(payload.len() as u64).to_le_bytes())?;
    w.write_all(&crc32fast::hash(payload).to_le_bytes())?;
    w.write_all(payload)
}

/// The payload of every section of a file, in [`Tag::ALL`] order, each checked.
pub(crate) fn sections<'a>(path: &Path, bytes: &'a [u8]) -> Result<Vec<&'a [u8]>> {
    let header = |reason: &str| error(path, "header", reason);
    if bytes.len() < 16 || &bytes[..8] != MAGIC {
        return Err(header("not a diaspora-match snapshot"));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(header(&format!(
            "format version {version}; this build reads version {FORMAT_VERSION}"
        )));
    }
    let count = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    if count as usize != Tag::ALL.len() {
        return Err(header(&format!(
            "{count} sections; version {FORMAT_VERSION} has {}",
            Tag::ALL.len()
        )));
    }
    let mut rest = &bytes[16..];
    let mut out = Vec::with_capacity(Tag::ALL.len());
    for tag in Tag::ALL {
        let what = tag.name();
        if rest.len() < 16 {
            return Err(error(path, what, "truncated before its header"));
        }
        let got = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        if got != tag as u32 {
            return Err(error(path, what, format!("found tag {got} in its place")));
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&rest[4..12]);
        let len = u64::from_le_bytes(len);
        let crc = u32::from_le_bytes([rest[12], rest[13], rest[14], rest[15]]);
        rest = &rest[16..];
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= rest.len())
            .ok_or_else(|| error(path, what, "truncated: shorter than its length"))?;
        let (payload, tail) = rest.split_at(len);
        if crc32fast::hash(payload) != crc {
            return Err(error(
                path,
                what,
                "checksum mismatch: the file is corrupted",
            ));
        }
        out.push(payload);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(error(path, "header", "bytes after the last section"));
    }
    Ok(out)
}

/// Little-endian values appended to a section's payload.
#[derive(Default)]
pub(crate) struct Out(pub(crate) Vec<u8>);

impl Out {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A length, then the bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
}

/// Reads a section's payload; every read checks what is left, and a list's length is checked
/// against the bytes left before anything is allocated.
pub(crate) struct In<'a> {
    rest: &'a [u8],
    path: &'a Path,
    what: &'static str,
}

impl<'a> In<'a> {
    pub(crate) fn new(payload: &'a [u8], path: &'a Path, tag: Tag) -> In<'a> {
        In {
            rest: payload,
            path,
            what: tag.name(),
        }
    }

    /// An error naming this section.
    pub(crate) fn bad(&self, reason: impl Into<String>) -> Error {
        error(self.path, self.what, reason)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(self.bad("ends before its last value"));
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }
    pub(crate) fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_le_bytes)
    }
    pub(crate) fn i32(&mut self) -> Result<i32> {
        self.array().map(i32::from_le_bytes)
    }
    pub(crate) fn f32(&mut self) -> Result<f32> {
        self.array().map(f32::from_le_bytes)
    }
    pub(crate) fn f64(&mut self) -> Result<f64> {
        self.array().map(f64::from_le_bytes)
    }

    /// A count of items of `size` bytes each that the rest can hold.
    pub(crate) fn len(&mut self, size: usize) -> Result<usize> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n.checked_mul(size).is_some_and(|b| b <= self.rest.len()))
            .ok_or_else(|| self.bad("a list longer than the section"))
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    pub(crate) fn str(&mut self) -> Result<&'a str> {
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| self.bad("a string that is not UTF-8"))
    }
    pub(crate) fn u16s(&mut self) -> Result<Vec<u16>> {
        let n = self.len(2)?;
        let b = self.take(2 * n)?;
        Ok(b.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect())
    }
    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>> {
        let n = self.len(4)?;
        let b = self.take(4 * n)?;
        Ok(b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    /// The section is read to its end.
    pub(crate) fn end(&self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.bad("bytes after its last value"))
        }
    }
}
