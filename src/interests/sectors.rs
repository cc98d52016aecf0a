//! The sections and divisions of ISIC Rev.4, the International Standard Industrial
//! Classification of All Economic Activities (UN Statistics Division, 2008), built into the
//! crate from `data/reference/isic_rev4.csv`.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// The table as shipped: `code,section,title`, each section followed by its divisions.
const CSV: &str = include_str!("../../data/reference/isic_rev4.csv");

struct Row {
    /// `A` for a section, `Q86` for a division.
    code: String,
    /// The row of its section (itself for a section).
    section: u8,
    title: String,
}

struct Table {
    rows: Vec<Row>,
    by_code: HashMap<String, u8>,
}

/// The table, read once. The file is part of the crate and its test checks every row, so a
/// row that does not parse cannot occur; it would be left out, never a panic.
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut rows: Vec<Row> = Vec::new();
    let mut reader = csv::Reader::from_reader(CSV.as_bytes());
    for record in reader.records().flatten() {
        let (Some(code), Some(section), Some(title)) =
            (record.get(0), record.get(1), record.get(2))
        else {
            continue;
        };
        let Some(section_row) = rows
            .iter()
            .position(|r| r.code == section)
            .or((code == section).then_some(rows.len()))
            .and_then(|i| u8::try_from(i).ok())
        else {
            continue;
        };
        let code = if code == section {
            code.to_string()
        } else {
            format!("{section}{code}")
        };
        rows.push(Row {
            code,
            section: section_row,
            title: title.to_string(),
        });
    }
    let by_code = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.code.clone(), u8::try_from(i).ok()?)))
        .collect();
    Table { rows, by_code }
});

/// A section (`A`, agriculture, forestry and fishing) or a division (`Q86`, human health
/// activities) of ISIC Rev.4.
///
/// A division's code is its section's letter and its two digits; [`Sector::parse`] also takes
/// the two digits alone.
///
/// ```
/// use diaspora_match::Sector;
/// let water = Sector::parse("36").unwrap();
/// assert_eq!(water.code(), "E36");
/// assert_eq!(water.title(), "Water collection, treatment and supply");
/// assert_eq!(water.section(), Sector::parse("E").unwrap());
/// assert!(!water.is_section() && water.section().is_section());
/// assert_eq!(Sector::parse("Q36"), None); // division 36 is not in section Q
/// assert_eq!(Sector::all().count(), 21 + 88);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sector(u8);

impl Sector {
    /// The sector of a code: a section's letter, or a division's two digits with or without
    /// its section's letter (`Q86`, `86`). Letters in either case.
    pub fn parse(code: &str) -> Option<Sector> {
        let code = code.trim();
        if !code.is_ascii() || code.is_empty() || code.len() > 3 {
            return None;
        }
        let upper = code.to_ascii_uppercase();
        let t = &*TABLE;
        if upper.len() == 2 {
            return t
                .rows
                .iter()
                .position(|r| r.code.len() == 3 && r.code[1..] == upper)
                .and_then(|i| u8::try_from(i).ok())
                .map(Sector);
        }
        t.by_code.get(&upper).copied().map(Sector)
    }

    /// The sector with dense index `i` (its row in the table), if there is one.
    pub fn from_index(i: usize) -> Option<Sector> {
        (i < TABLE.rows.len()).then_some(Sector(i as u8))
    }

    /// Its dense index, below [`Sector::count`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// How many sectors there are (sections and divisions).
    pub fn count() -> usize {
        TABLE.rows.len()
    }

    /// Every sector, each section followed by its divisions.
    pub fn all() -> impl Iterator<Item = Sector> {
        (0..Self::count()).filter_map(Self::from_index)
    }

    /// The 21 sections, `A` first.
    pub fn sections() -> impl Iterator<Item = Sector> {
        Self::all().filter(|s| s.is_section())
    }

    fn row(self) -> &'static Row {
        &TABLE.rows[self.index()]
    }

    /// Its code: `A` for a section, `Q86` for a division.
    pub fn code(self) -> &'static str {
        &self.row().code
    }

    /// Its title in English.
    pub fn title(self) -> &'static str {
        &self.row().title
    }

    /// Its section (itself for a section).
    pub fn section(self) -> Sector {
        Sector(self.row().section)
    }

    /// Whether it is a section.
    pub fn is_section(self) -> bool {
        self.section() == self
    }
}

impl fmt::Debug for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sector({})", self.code())
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code(), self.title())
    }
}

impl serde::Serialize for Sector {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Sector {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sector, D::Error> {
        let code = String::deserialize(d)?;
        Sector::parse(&code)
            .ok_or_else(|| serde::de::Error::custom("not an ISIC Rev.4 section or division code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_every_section_and_division_of_isic_rev4() {
        assert_eq!(CSV.lines().count(), 1 + 21 + 88, "rows of the shipped file");
        assert_eq!(Sector::count(), 21 + 88, "every row parsed");
        let sections: Vec<&str> = Sector::sections().map(Sector::code).collect();
        assert_eq!(sections.concat(), "ABCDEFGHIJKLMNOPQRSTU");
        let divisions = Sector::all().filter(|s| !s.is_section()).count();
        assert_eq!(divisions, 88);
        // Divisions sit in the right sections (the table's ranges, e.g. C = 10 to 33).
        for (code, section) in [
            ("01", "A"),
            ("33", "C"),
            ("35", "D"),
            ("86", "Q"),
            ("99", "U"),
        ] {
            let s = Sector::parse(code).map(|s| s.section().code());
            assert_eq!(s, Some(section), "division {code}");
        }
        assert_eq!(Sector::parse("q86"), Sector::parse("86"));
        for bad in ["", "V", "04", "100", "Q866", "A01x", "é"] {
            assert_eq!(Sector::parse(bad), None, "{bad:?}");
        }
    }
}
