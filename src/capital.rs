//! Financial capital: what a person is ready to invest and to give, and what an opportunity
//! asks for, as amounts in US dollars.

use std::fmt;

/// A range of amounts in US dollars, `min <= max`, both finite and non-negative.
///
/// ```
/// use diaspora_match::UsdRange;
/// let r = UsdRange::new(5_000.0, 50_000.0).unwrap();
/// assert_eq!((r.min(), r.max()), (5_000.0, 50_000.0));
/// assert!(UsdRange::new(10.0, 5.0).is_err()); // reversed
/// assert!(UsdRange::new(-1.0, 5.0).is_err());
/// assert!(UsdRange::new(0.0, f64::INFINITY).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "[f64; 2]", into = "[f64; 2]")]
pub struct UsdRange {
    min: f64,
    max: f64,
}

impl UsdRange {
    /// The range `min ..= max`.
    ///
    /// # Errors
    ///
    /// Why it is not one, in words: an amount that is not finite, a negative amount, or
    /// `min > max`.
    pub fn new(min: f64, max: f64) -> Result<UsdRange, &'static str> {
        if !(min.is_finite() && max.is_finite()) {
            return Err("amounts must be finite numbers");
        }
        if min < 0.0 || max < 0.0 {
            return Err("amounts must not be negative");
        }
        if min > max {
            return Err("the range is reversed (its first amount is above its second)");
        }
        Ok(UsdRange { min, max })
    }

    /// The least amount.
    pub fn min(self) -> f64 {
        self.min
    }

    /// The greatest amount.
    pub fn max(self) -> f64 {
        self.max
    }
}

impl TryFrom<[f64; 2]> for UsdRange {
    type Error = &'static str;
    fn try_from([min, max]: [f64; 2]) -> Result<UsdRange, &'static str> {
        UsdRange::new(min, max)
    }
}

impl From<UsdRange> for [f64; 2] {
    fn from(r: UsdRange) -> [f64; 2] {
        [r.min, r.max]
    }
}

impl fmt::Display for UsdRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "USD {} to {}", usd(self.min), usd(self.max))
    }
}

/// An amount for people: `50,000`, `1.5 million`.
pub(crate) fn usd(x: f64) -> String {
    if x >= 1e6 {
        let m = x / 1e6;
        return if m.fract() == 0.0 {
            format!("{m} million")
        } else {
            format!("{m:.1} million")
        };
    }
    let whole = x.round() as u64;
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What a person is ready to put in: personal data, never printed by `Debug`.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct Capital {
    /// The amount the person is ready to invest in one venture.
    pub invest: Option<UsdRange>,
    /// The amount the person is ready to give per year.
    pub donate_per_year: Option<UsdRange>,
}

impl Capital {
    /// Whether the person gives no amount.
    pub fn is_empty(&self) -> bool {
        self.invest.is_none() && self.donate_per_year.is_none()
    }
}

impl fmt::Debug for Capital {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Capital")
            .field("personal_fields", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(usd(0.0), "0");
        assert_eq!(usd(999.0), "999");
        assert_eq!(usd(50_000.0), "50,000");
        assert_eq!(usd(250_000.4), "250,000");
        assert_eq!(usd(1_000_000.0), "1 million");
        assert_eq!(usd(1_500_000.0), "1.5 million");
        let r = UsdRange::new(500.0, 2_000.0).map(|r| r.to_string());
        assert_eq!(r.as_deref(), Ok("USD 500 to 2,000"));
        let c = Capital {
            invest: UsdRange::new(1.0, 2.0).ok(),
            donate_per_year: None,
        };
        assert!(!format!("{c:?}").contains('1'), "{c:?}");
    }
}
