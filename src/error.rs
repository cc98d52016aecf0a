//! The crate's one error type.
//!
//! Every failure is an [`Error`] whose [`ErrorKind`] says what went wrong and where: the file,
//! the line or record key, the field, and where it helps, the offending value and a suggestion.
//! Values are only shown for reference data, opportunities and configuration: an error about a
//! profile names the profile's pseudonymous key, the field and the position, never the personal
//! value itself (origin, languages and ties can reveal ethnicity).

use std::fmt;
use std::path::PathBuf;

use crate::util::text::escape;

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error from loading, validating or querying.
///
/// The kind is boxed so that `Result<T>` stays one word larger than `T`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error {
    kind: Box<ErrorKind>,
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Unwraps the kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    pub(crate) fn field(at: Location, field: impl Into<String>, reason: impl Into<String>) -> Self {
        ErrorKind::Field {
            at,
            field: field.into(),
            reason: reason.into(),
            value: None,
            suggestion: None,
        }
        .into()
    }

    pub(crate) fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ErrorKind::Config {
            field: field.into(),
            reason: reason.into(),
        }
        .into()
    }

    pub(crate) fn argument(name: &'static str, reason: impl Into<String>) -> Self {
        ErrorKind::Argument {
            name,
            reason: reason.into(),
        }
        .into()
    }

    /// A [`ErrorKind::Syntax`] error; the message is [escaped](crate::util::text::escape),
    /// as it may quote the input.
    pub(crate) fn syntax(at: Location, message: &str) -> Self {
        ErrorKind::Syntax {
            at,
            message: crate::util::text::escape(message),
        }
        .into()
    }

    pub(crate) fn unknown_id(what: &'static str, id: u32, len: usize) -> Self {
        ErrorKind::UnknownId { what, id, len }.into()
    }

    /// Adds the value and a suggestion to a [`ErrorKind::Field`] error; other kinds are
    /// returned unchanged. Values longer than [`MAX_VALUE_CHARS`] are cut, and control and
    /// invisible format characters escaped.
    pub(crate) fn with_value(mut self, value: Option<String>, suggestion: Option<String>) -> Self {
        if let ErrorKind::Field {
            value: v,
            suggestion: s,
            ..
        } = &mut *self.kind
        {
            *v = value.map(|v| escape(&cut(&v)));
            *s = suggestion.map(|v| escape(&cut(&v)));
        }
        self
    }
}

/// Longest value an error message repeats; longer input is cut with an ellipsis.
pub(crate) const MAX_VALUE_CHARS: usize = 80;

fn cut(v: &str) -> String {
    match v.char_indices().nth(MAX_VALUE_CHARS) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_string(),
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error {
            kind: Box::new(kind),
        }
    }
}

/// The kinds of [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A record is not well-formed JSON or CSV, or does not have the expected shape.
    #[error("{at}: {message}")]
    Syntax {
        /// Where.
        at: Location,
        /// What the parser said (quoted values from profiles are removed).
        message: String,
    },
    /// A field of a record has a value that is not allowed.
    #[error("{at}: field `{field}`: {reason}{}{}",
        value.as_ref().map(|v| format!(" (found {v:?})")).unwrap_or_default(),
        suggestion.as_ref().map(|s| format!("; did you mean {s:?}?")).unwrap_or_default())]
    Field {
        /// Where.
        at: Location,
        /// The field, as a path such as `requirements[2].weight`.
        field: String,
        /// Why the value is refused.
        reason: String,
        /// The offending value, for data that is not personal.
        value: Option<String>,
        /// The closest valid value, when one is near.
        suggestion: Option<String>,
    },
    /// Two records share a key.
    #[error("{at}: duplicate key {key:?}{}", first_at(.first))]
    DuplicateKey {
        /// The second record.
        at: Location,
        /// The key.
        key: String,
        /// The first record with that key, when it is known.
        first: Option<Location>,
    },
    /// A [`MatchConfig`](crate::MatchConfig) value is out of range.
    #[error("invalid config: `{field}`: {reason}")]
    Config {
        /// The field, such as `weights.skills` or `kinds.invest.capital`.
        field: String,
        /// Why.
        reason: String,
    },
    /// A query argument is out of range (for example `k = 0`).
    #[error("invalid argument `{name}`: {reason}")]
    Argument {
        /// The argument.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// An id that does not belong to the dataset or engine it was given to.
    #[error("unknown {what} id {id} ({len} known)")]
    UnknownId {
        /// What kind of id.
        what: &'static str,
        /// The raw id.
        id: u32,
        /// How many ids of that kind exist.
        len: usize,
    },
    /// Input or a query argument exceeds one of the [`Limits`](crate::Limits).
    #[error("{at}: over the limit `{limit}` of {max}")]
    Limit {
        /// The limit, as its field name in [`Limits`](crate::Limits).
        limit: &'static str,
        /// Its value.
        max: u64,
        /// The file and record, when the input came from one.
        at: Location,
    },
    /// A long-running operation was cancelled through its progress callback.
    #[error("cancelled")]
    Cancelled,
    /// A snapshot file ([`Engine::open`](crate::Engine::open)) is truncated, corrupted, of
    /// another format version, or of other reference data.
    #[error("{}: snapshot {what}: {reason}", path.display())]
    Snapshot {
        /// The file.
        path: std::path::PathBuf,
        /// The part of the file: `header` or a section's name.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A key that names no record.
    #[error("unknown {what} key {key:?}")]
    UnknownKey {
        /// What kind of record.
        what: &'static str,
        /// The key.
        key: String,
    },
}

/// Where in the input an error was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, when the data came from one.
    pub file: Option<PathBuf>,
    /// The 1-based line (JSON Lines and CSV), when known.
    pub line: Option<u64>,
    /// The position of the record within its file or list, 0-based, when known.
    pub index: Option<usize>,
    /// The record's key, when it could be read.
    pub key: Option<String>,
}

impl Location {
    /// A location naming a file only.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            file: Some(path.into()),
            ..Location::default()
        }
    }

    /// The same location at a line.
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location at the `index`-th record.
    pub fn index(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// The same location, naming the record's key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            wrote = true;
        }
        if let Some(line) = self.line {
            write!(f, "{}line {line}", if wrote { ":" } else { "" })?;
            wrote = true;
        } else if let Some(index) = self.index {
            write!(f, "{}record {index}", if wrote { ": " } else { "" })?;
            wrote = true;
        }
        if let Some(key) = &self.key {
            write!(f, "{}{key:?}", if wrote { " " } else { "record " })?;
            wrote = true;
        }
        if !wrote {
            f.write_str("input")?;
        }
        Ok(())
    }
}

/// ` (first at …)` for a duplicate key whose first record is known, else nothing.
fn first_at(first: &Option<Location>) -> String {
    first
        .as_ref()
        .map_or_else(String::new, |f| format!(" (first at {f})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_names_its_first_record_only_when_known() {
        let at = Location::default().index(3);
        let known = Error::from(ErrorKind::DuplicateKey {
            at: at.clone(),
            key: "p-1".into(),
            first: Some(Location::default().index(1)),
        });
        assert!(
            known.to_string().ends_with("(first at record 1)"),
            "{known}"
        );
        let unknown = Error::from(ErrorKind::DuplicateKey {
            at,
            key: "p-1".into(),
            first: None,
        });
        assert!(!unknown.to_string().contains("first at"), "{unknown}");
    }

    #[test]
    fn messages_name_file_line_key_and_field() {
        let e = Error::field(
            Location::file("profiles.jsonl").line(12).key("p-000123"),
            "skills[0].level",
            "must be 1 to 5",
        );
        assert_eq!(
            e.to_string(),
            r#"profiles.jsonl:line 12 "p-000123": field `skills[0].level`: must be 1 to 5"#
        );
        let e = Error::field(
            Location::file("opportunities.json").index(3),
            "country",
            "unknown country code",
        )
        .with_value(Some("GHX".into()), Some("GH".into()));
        assert_eq!(
            e.to_string(),
            r#"opportunities.json: record 3: field `country`: unknown country code (found "GHX"); did you mean "GH"?"#
        );
        assert_eq!(Location::default().to_string(), "input");
        assert_eq!(
            std::mem::size_of::<Result<()>>(),
            std::mem::size_of::<usize>()
        );
    }
}
