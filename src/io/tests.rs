//! Loading and writing details.

use super::load::redact_quoted;

#[test]
fn quoted_values_are_redacted() {
    assert_eq!(
        redact_quoted(r#"invalid type: string "GH", expected u8 at line 1"#),
        r#"invalid type: string "…", expected u8 at line 1"#
    );
}
