//! Text from outside, made safe to repeat: keys that cannot forge a log line or reorder a
//! terminal's text, and an escape for everything else a message quotes.

/// Whether `c` could forge or disguise text where it is printed: a control character
/// (newlines, escape sequences), or an invisible format character that reorders or hides
/// text (bidirectional overrides and isolates, zero-width characters, the byte-order mark).
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// Why a key is refused, if it is: keys are printed in paths, explanations, DOT output and
/// messages, so they may not be empty or hold an [unsafe](is_unsafe) character.
pub(crate) fn key_problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        Some("empty key")
    } else if key.chars().any(is_unsafe) {
        Some("a key may not hold control or invisible format characters")
    } else {
        None
    }
}

/// `s` with every [unsafe](is_unsafe) character written as `\u{…}`.
pub(crate) fn escape(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn escapes_what_forges_lines_and_reorders_text() {
        assert_eq!(
            escape("a\nb\u{1b}[31m\u{202E}c"),
            "a\\u{a}b\\u{1b}[31m\\u{202e}c"
        );
        assert_eq!(escape("Ama Mensah, Accra"), "Ama Mensah, Accra");
        assert_eq!(key_problem("p-1"), None);
        assert!(key_problem("").is_some());
        assert!(key_problem("p-1\n2026-01-01 INFO forged").is_some());
        assert!(key_problem("p\u{202E}1").is_some());
    }

    proptest! {
        /// The escaped text holds no unsafe character, and safe text is left alone.
        #[test]
        fn escaped_text_is_safe(s in any::<String>()) {
            let e = escape(&s);
            prop_assert!(!e.chars().any(is_unsafe));
            if !s.chars().any(is_unsafe) {
                prop_assert_eq!(e, s);
            }
        }
    }
}
