//! Records read one at a time within their limits: a JSON Lines file line by line, each line
//! refused by its length before it is held whole; a JSON array element by element, refused
//! at an element longer than the limit as its bytes are read, and once it holds more records
//! than the limit, before the rest is parsed.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::de::{self, DeserializeOwned, SeqAccess, Visitor};

use crate::error::{Error, ErrorKind, Location, Result};
use crate::limits::Limits;

use super::read::{file_limit, over_limit};

/// The lines of a JSON Lines file, numbered from 1, each at most [`Limits::record_bytes`].
pub(crate) struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    line: u64,
    path: PathBuf,
    limits: Limits,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R, path: &Path, limits: &Limits) -> Lines<R> {
        Lines {
            reader,
            buf: Vec::new(),
            line: 0,
            path: path.to_path_buf(),
            limits: *limits,
        }
    }

    /// The next line (without its line break) and its number, or `None` at the end.
    ///
    /// # Errors
    ///
    /// A line longer than the limit (`record_bytes`, found by reading one byte past it), a
    /// line that is not UTF-8 (a syntax error naming it), a file over `file_bytes`, or an
    /// I/O error.
    pub(crate) fn next_line(&mut self) -> Result<Option<(u64, &str)>> {
        self.buf.clear();
        self.line += 1;
        let max = self.limits.record_bytes;
        let at = || Location::file(&self.path).line(self.line);
        let read = (&mut self.reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut self.buf);
        let n = read.map_err(|source| {
            if over_limit(&source) {
                file_limit(&self.path, &self.limits, Some(self.line))
            } else {
                ErrorKind::Io {
                    path: self.path.clone(),
                    source,
                }
                .into()
            }
        })?;
        if n == 0 {
            return Ok(None);
        }
        let mut text = &self.buf[..];
        if let Some(rest) = text.strip_suffix(b"\n") {
            text = rest.strip_suffix(b"\r").unwrap_or(rest);
        } else if self.buf.len() > max {
            return Err(Limits::exceeded("record_bytes", max as u64, at()));
        }
        let text = std::str::from_utf8(text).map_err(|e| {
            Error::syntax(at(), &format!("invalid UTF-8 at byte {}", e.valid_up_to()))
        })?;
        Ok(Some((self.line, text)))
    }
}

/// Why [`read_array`] stopped early.
pub(crate) enum ArrayError {
    /// More than the limit of records.
    TooMany,
    /// Record `.0` (0-based) is longer than the limit of bytes.
    TooLong(usize),
    /// What serde said.
    Json(serde_json::Error),
}

/// Reads a JSON array of records one element at a time, stopping at the first element past
/// `max` records (so a file of a million records costs `max` records of memory before it is
/// refused), or at the first element longer than `max_bytes` (found as its bytes are read,
/// before it is held whole), then checks that nothing follows the array.
pub(crate) fn read_array<T: DeserializeOwned>(
    reader: impl BufRead,
    max: usize,
    max_bytes: usize,
) -> std::result::Result<Vec<T>, ArrayError> {
    let marks = Rc::new(Marks::default());
    let counted = Counted {
        inner: reader,
        marks: marks.clone(),
        max: max_bytes as u64,
    };
    let mut de = serde_json::Deserializer::from_reader(counted);
    let visitor = Bounded::<T> {
        max,
        marks: marks.clone(),
        _records: PhantomData,
    };
    let read = de::Deserializer::deserialize_seq(&mut de, visitor);
    let records = read.map_err(|e| {
        if e.is_io() && marks.too_long.get() {
            ArrayError::TooLong(marks.element.get())
        } else if e.is_data() && e.to_string().starts_with(TOO_MANY) {
            ArrayError::TooMany
        } else {
            ArrayError::Json(e)
        }
    })?;
    de.end().map_err(ArrayError::Json)?;
    Ok(records)
}

/// The message [`Bounded`] stops with.
const TOO_MANY: &str = "more records than the limit";

/// Where the array's reading is: bytes read, where the current element began, which element
/// it is, and whether it grew past the limit.
#[derive(Default)]
struct Marks {
    read: Cell<u64>,
    start: Cell<u64>,
    element: Cell<usize>,
    too_long: Cell<bool>,
}

/// A reader that counts the bytes serde takes and fails once the current element (as
/// [`Bounded`] marks it) grows past `max` bytes.
struct Counted<R> {
    inner: R,
    marks: Rc<Marks>,
    max: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let got = self.inner.read(buf)?;
        let m = &self.marks;
        m.read.set(m.read.get() + got as u64);
        if m.read.get() - m.start.get() > self.max {
            m.too_long.set(true);
            return Err(std::io::Error::other("a record longer than the limit"));
        }
        Ok(got)
    }
}

/// A visitor of a JSON array that takes at most `max` elements, marking where each begins.
struct Bounded<T> {
    max: usize,
    marks: Rc<Marks>,
    _records: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        loop {
            self.marks.start.set(self.marks.read.get());
            self.marks.element.set(out.len());
            let Some(record) = seq.next_element()? else {
                break;
            };
            if out.len() == self.max {
                return Err(de::Error::custom(TOO_MANY));
            }
            out.push(record);
        }
        Ok(out)
    }
}
