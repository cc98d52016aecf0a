//! What is wrong with a profile line, said without any of its values.
//!
//! serde's messages quote what they found (`invalid type: string "…", expected u8`,
//! `invalid value: integer 233244123456`), and no redaction of quotes survives escaped quotes
//! or numbers. So a profile line's error never uses serde's words for its data: a syntax error
//! keeps serde's fixed description of the syntax and its position; a value of the wrong type
//! is found by walking the line's JSON against the record's shape, and named by its field and
//! the type it should have.

use serde_json::{Map, Value, error::Category};

use crate::util::text::escape;

/// What a field of a profile record holds.
enum Shape {
    /// A string.
    Text,
    /// A string or `null`.
    OptionalText,
    /// An integer from 0 to 255.
    Byte,
    /// An integer from 0 to 255, or `null`.
    OptionalByte,
    /// `true` or `false`.
    Bool,
    /// A list of one shape.
    List(&'static Shape),
    /// An object with these fields (name, shape, required).
    Object(&'static [(&'static str, Shape, bool)]),
    /// An object of these fields, or `null`.
    OptionalObject(&'static [(&'static str, Shape, bool)]),
}

const SKILL: Shape = Shape::Object(&[
    ("skill", Shape::Text, true),
    ("level", Shape::OptionalByte, false),
    ("years", Shape::OptionalByte, false),
]);
const ORIGIN: Shape = Shape::Object(&[
    ("country", Shape::Text, true),
    ("generation", Shape::Byte, false),
]);
const LANGUAGE: Shape = Shape::Object(&[
    ("language", Shape::Text, true),
    ("level", Shape::Text, true),
]);
const WINDOW: &[(&str, Shape, bool)] = &[("from", Shape::Text, true), ("to", Shape::Text, true)];
const PROFILE: Shape = Shape::Object(&[
    ("key", Shape::Text, true),
    ("skills", Shape::List(&SKILL), false),
    ("origins", Shape::List(&ORIGIN), false),
    ("residence", Shape::OptionalText, false),
    ("languages", Shape::List(&LANGUAGE), false),
    ("engagements", Shape::List(&Shape::Text), false),
    ("available", Shape::OptionalObject(WINDOW), false),
    ("intermediary", Shape::Bool, false),
]);

/// Longest unknown field name a message repeats.
const MAX_NAME_CHARS: usize = 40;

/// The message for a profile line serde refused with `e`, free of the line's values.
pub(crate) fn profile_message(line: &str, e: &serde_json::Error) -> String {
    if e.classify() != Category::Data {
        return syntax_message(e);
    }
    match serde_json::from_str::<Value>(line) {
        Ok(value) => problem(&value, &PROFILE, &mut String::new()).unwrap_or_else(|| {
            format!(
                "a field has the wrong type or is given twice (column {})",
                e.column()
            )
        }),
        Err(e) => syntax_message(&e),
    }
}

/// serde's description of a syntax error (fixed text, such as "expected `,` or `}`", that
/// never quotes the input) and its position.
fn syntax_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the line is the record's own.
    let what = text.split(" at line ").next().unwrap_or("malformed JSON");
    format!("{what} (column {})", e.column())
}

/// The first field of `value` that does not have `shape`, as a message naming it by `path`.
fn problem(value: &Value, shape: &Shape, path: &mut String) -> Option<String> {
    let wrong = |expected: &str| Some(format!("field `{}`: expected {expected}", name(path)));
    match shape {
        Shape::Text => (!value.is_string()).then(|| wrong("a string")).flatten(),
        Shape::OptionalText => (!(value.is_string() || value.is_null()))
            .then(|| wrong("a string"))
            .flatten(),
        Shape::Byte => (!is_byte(value))
            .then(|| wrong("an integer from 0 to 255"))
            .flatten(),
        Shape::OptionalByte => (!(is_byte(value) || value.is_null()))
            .then(|| wrong("an integer from 0 to 255"))
            .flatten(),
        Shape::Bool => (!value.is_boolean())
            .then(|| wrong("true or false"))
            .flatten(),
        Shape::List(item) => match value.as_array() {
            None => wrong("a list"),
            Some(items) => items.iter().enumerate().find_map(|(i, v)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = problem(v, item, path);
                path.truncate(len);
                found
            }),
        },
        Shape::Object(fields) => match value.as_object() {
            None => wrong("an object"),
            Some(map) => object_problem(map, fields, path),
        },
        Shape::OptionalObject(fields) => match value {
            Value::Null => None,
            Value::Object(map) => object_problem(map, fields, path),
            _ => wrong("an object"),
        },
    }
}

/// The first unknown, missing or mistyped field of an object.
fn object_problem(
    map: &Map<String, Value>,
    fields: &[(&'static str, Shape, bool)],
    path: &mut String,
) -> Option<String> {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    if let Some(unknown) = map
        .keys()
        .find(|k| fields.iter().all(|f| f.0 != k.as_str()))
    {
        let shown: String = unknown.chars().take(MAX_NAME_CHARS).collect();
        return Some(format!("unknown field `{prefix}{}`", escape(&shown)));
    }
    for (field, shape, required) in fields {
        let len = path.len();
        path.push_str(&format!("{}{field}", if len == 0 { "" } else { "." }));
        let found = match map.get(*field) {
            None if *required => Some(format!("missing field `{path}`")),
            None => None,
            Some(v) => problem(v, shape, path),
        };
        path.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn is_byte(value: &Value) -> bool {
    value.as_u64().is_some_and(|n| n <= 255)
}

fn name(path: &str) -> &str {
    if path.is_empty() {
        "(the record)"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::ProfileRecord;

    fn message(line: &str) -> String {
        let e = serde_json::from_str::<ProfileRecord>(line).unwrap_err();
        profile_message(line, &e)
    }

    #[test]
    fn names_the_field_and_never_the_value() {
        let cases = [
            (
                r#"{"key":"p","skills":[{"skill":"x","level":"4 \" HIV+ diagnosed 2019"}]}"#,
                "field `skills[0].level`: expected an integer from 0 to 255",
            ),
            (
                r#"{"key":"p","residence":233244123456}"#,
                "field `residence`: expected a string",
            ),
            (
                r#"{"key":"p","origins":[{"country":288}]}"#,
                "field `origins[0].country`: expected a string",
            ),
            (
                r#"{"key":"p","skills":[{"skill":"x","years":1999}]}"#,
                "field `skills[0].years`: expected an integer from 0 to 255",
            ),
            (
                r#"{"key":"p","available":{"from":"2027-01-01"}}"#,
                "missing field `available.to`",
            ),
            (r#"{"skills":[]}"#, "missing field `key`"),
            (
                r#"{"key":"p","nick\nname\u202e":"x"}"#,
                "unknown field `nick\\u{a}name\\u{202e}`",
            ),
            (r#"[1,2]"#, "field `(the record)`: expected an object"),
        ];
        for (line, expected) in cases {
            assert_eq!(message(line), expected, "{line}");
        }
        let m = message(r#"{"key":"p","skills":[{"skill":"HIV counselling" "x"}]}"#);
        assert!(m.starts_with("expected `,` or `}`"), "{m}");
        assert!(!m.contains("HIV"), "{m}");
    }
}
