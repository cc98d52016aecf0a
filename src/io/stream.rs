//! Records read one at a time within their limits: a JSON Lines file line by line, each line
//! refused by its length before it is held whole; a JSON array element by element, refused
//! once it holds more records than the limit, before the rest is parsed.

use std::fmt;
use std::io::{BufRead, Read};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

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
    /// What serde said.
    Json(serde_json::Error),
}

/// Reads a JSON array of records one element at a time, stopping at the first element past
/// `max` (so a file of a million records costs `max` records of memory before it is
/// refused), then checks that nothing follows the array.
pub(crate) fn read_array<T: DeserializeOwned>(
    reader: impl Read,
    max: usize,
) -> std::result::Result<Vec<T>, ArrayError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = de::Deserializer::deserialize_seq(&mut de, Bounded::<T>(max, PhantomData));
    let records = read.map_err(|e| {
        if e.is_data() && e.to_string().starts_with(TOO_MANY) {
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

/// A visitor of a JSON array that takes at most `.0` elements.
struct Bounded<T>(usize, PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(record) = seq.next_element()? {
            if out.len() == self.0 {
                return Err(de::Error::custom(TOO_MANY));
            }
            out.push(record);
        }
        Ok(out)
    }
}
