//! Reading within limits: files capped at their size limit while they are read, CSV and
//! JSON records counted and bounded as they stream.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::limits::Limits;

pub(crate) fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| {
        ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    })
}

/// A reader that fails once more than `left` bytes would be read: the file size limit,
/// enforced while reading (a file that grows or lies about its size is caught too).
pub(crate) struct Capped<R> {
    pub(crate) inner: R,
    pub(crate) left: u64,
}

/// The error a [`Capped`] reader returns.
#[derive(Debug)]
pub(crate) struct OverLimit;

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("file larger than the limit")
    }
}

impl std::error::Error for OverLimit {}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(OverLimit)),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got as u64;
        Ok(got)
    }
}

pub(crate) fn open_capped(path: &Path, limits: &Limits) -> Result<Capped<File>> {
    Ok(Capped {
        inner: open(path)?,
        left: limits.file_bytes,
    })
}

/// Whether an I/O error is a [`Capped`] reader's.
pub(crate) fn over_limit(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|x| x.is::<OverLimit>())
}

pub(crate) fn file_limit(path: &Path, limits: &Limits, line: Option<u64>) -> Error {
    let mut at = Location::file(path);
    at.line = line;
    Limits::exceeded("file_bytes", limits.file_bytes, at)
}

/// The string limit for a field.
/// Refuses free text (a title) longer than [`Limits::text_chars`].
pub(crate) fn check_text(s: &str, limits: &Limits, at: impl FnOnce() -> Location) -> Result<()> {
    at_most_chars(s, "text_chars", limits.text_chars, at)
}

/// Refuses a key, name, code or date longer than [`Limits::string_chars`].
pub(crate) fn check_chars(s: &str, limits: &Limits, at: impl FnOnce() -> Location) -> Result<()> {
    at_most_chars(s, "string_chars", limits.string_chars, at)
}

/// Refuses `s` over `max` characters (counted only when its bytes are over), as `limit`.
fn at_most_chars(
    s: &str,
    limit: &'static str,
    max: usize,
    at: impl FnOnce() -> Location,
) -> Result<()> {
    if s.len() > max && s.chars().count() > max {
        Err(Limits::exceeded(limit, max as u64, at()))
    } else {
        Ok(())
    }
}

/// A reader that fails on a line longer than `max` bytes (counted as the bytes pass, so a
/// long line is refused before a record holds it whole), naming the line.
pub(crate) struct LineCapped<R> {
    inner: R,
    max: usize,
    /// Bytes since the last line break.
    run: usize,
    /// The current line, from 1.
    line: u64,
}

/// The error a [`LineCapped`] reader returns: the line that is too long.
#[derive(Debug)]
pub(crate) struct LineTooLong(pub(crate) u64);

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} longer than the limit", self.0)
    }
}

impl std::error::Error for LineTooLong {}

impl<R: std::io::Read> std::io::Read for LineCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let got = self.inner.read(buf)?;
        for &b in &buf[..got] {
            if b == b'\n' {
                self.run = 0;
                self.line += 1;
            } else {
                self.run += 1;
                if self.run > self.max {
                    return Err(std::io::Error::other(LineTooLong(self.line)));
                }
            }
        }
        Ok(got)
    }
}

/// A CSV reader over `inner` within the limits (file size, line length), its header checked;
/// errors name `path`.
pub(crate) fn csv_reader<R: std::io::Read>(
    path: &Path,
    inner: R,
    header: &[&str],
    limits: &Limits,
) -> Result<csv::Reader<LineCapped<Capped<R>>>> {
    let input = LineCapped {
        inner: Capped {
            inner,
            left: limits.file_bytes,
        },
        max: limits.record_bytes,
        run: 0,
        line: 1,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let got = rdr.headers().map_err(|e| csv_error(path, e, limits))?;
    let got: Vec<&str> = got.iter().collect();
    if got.len() < header.len() || got[..header.len()] != *header {
        return Err(Error::syntax(
            Location::file(path).line(1),
            &format!("expected the header {:?}", header.join(",")),
        ));
    }
    Ok(rdr)
}

pub(crate) fn csv_error(path: &Path, e: csv::Error, limits: &Limits) -> Error {
    let line = e.position().map(|p| p.line());
    if let csv::ErrorKind::Io(io) = e.kind()
        && over_limit(io)
    {
        return file_limit(path, limits, line);
    }
    if let csv::ErrorKind::Io(io) = e.kind()
        && let Some(LineTooLong(long)) = io.get_ref().and_then(|x| x.downcast_ref())
    {
        let at = Location::file(path).line(*long);
        return Limits::exceeded("record_bytes", limits.record_bytes as u64, at);
    }
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        _ => "malformed CSV".into(),
    };
    let mut at = Location::file(path);
    at.line = line;
    Error::syntax(at, &message)
}

/// The limits of a reference CSV file. Reference fields hold lists (all the alternative
/// labels of a skill), so the string limit is per field and wider than for datasets.
pub(crate) fn reference_limits() -> Limits {
    Limits {
        string_chars: 1 << 16,
        ..Limits::default()
    }
}

/// The rows of a reference CSV file ([`reference_limits`]).
pub(crate) fn records(path: &Path, header: &[&str]) -> Result<Vec<(u64, csv::StringRecord)>> {
    records_within(path, header, &reference_limits())
}

/// The rows of a CSV file with their line numbers, within the file size, row count and
/// string length limits.
pub(crate) fn records_within(
    path: &Path,
    header: &[&str],
    limits: &Limits,
) -> Result<Vec<(u64, csv::StringRecord)>> {
    records_over(path, open(path)?, header, limits)
}

/// [`records_within`] over any input, errors naming `path`.
pub(crate) fn records_over<R: std::io::Read>(
    path: &Path,
    inner: R,
    header: &[&str],
    limits: &Limits,
) -> Result<Vec<(u64, csv::StringRecord)>> {
    let mut rdr = csv_reader(path, inner, header, limits)?;
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| csv_error(path, e, limits))?;
        let line = r.position().map_or(0, |p| p.line());
        if out.len() >= limits.records {
            return Err(Limits::exceeded(
                "records",
                limits.records as u64,
                Location::file(path).line(line),
            ));
        }
        for field in &r {
            check_chars(field, limits, || Location::file(path).line(line))?;
        }
        out.push((line, r));
    }
    Ok(out)
}

pub(crate) fn list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}
